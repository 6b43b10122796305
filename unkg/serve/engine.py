"""Running endpoint queries with a time limit and a result-size limit.

pyoxigraph cannot cancel a query, and a query such as a COUNT over a cross product computes for
minutes before yielding its first row. A thread would keep burning a core after the client had
its timeout answer, so each endpoint query runs in a worker *process* that holds its own
read-only handle on the store; a query that overruns its time is ended by terminating the worker,
which is replaced by a fresh one. Workers are few (the endpoint is a shared public service, not a
batch engine) and a query waits for a free one within its own time limit.

SERVICE: the worker reads the query's parse tree (rdflib's SPARQL parser, `query_shape`) and refuses
a SERVICE clause whose endpoint is not one the server was started with (`--allow-service URL`);
without any, it also installs a seccomp filter (`unkg.sandbox.deny_network`) before it opens the
store, so that no query, however spelled, can make it open a network socket. Workers die with
the server (`die_with_parent`).

Results are serialised in the worker by pyoxigraph (SPARQL JSON/XML/CSV/TSV, Turtle, N-Triples,
JSON-LD, RDF/XML), so only bytes cross the process boundary; a result is limited in rows and in
bytes (counted as the rows are read, before anything is serialised).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from unkg.errors import QueryError, UnkgError
from unkg.sandbox import deny_network, die_with_parent
from unkg.store.sparql import QueryShape

T = TypeVar("T")


class QueryTimeout(UnkgError):
    """The query ran longer than the endpoint's time limit."""


class ResultTooLarge(UnkgError):
    """The query's result is larger than the endpoint's result-size limit."""


class QueryRefused(UnkgError):
    """The query asks for something the endpoint does not do (SERVICE, updates)."""


@dataclass
class QueryRequest:
    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    base_iri: str | None = None
    # Media types wanted, by query form; the worker picks one once it knows the form.
    result_media_type: str = "application/sparql-results+json"
    graph_media_type: str = "text/turtle"


@dataclass
class QueryAnswer:
    media_type: str
    body: bytes
    kind: str  # "select" | "ask" | "graph"


# --- SERVICE and FROM ---------------------------------------------------------------------------

SERVICE_DISABLED = ("SERVICE (federated queries to other endpoints) is disabled on this endpoint "
                    "(start it with --allow-service URL to allow an endpoint)")


def service_refusal(query: str, allowed: tuple[str, ...], *, sandboxed: bool,
                    shape: QueryShape | None) -> str | None:
    """Why the query is refused for its SERVICE clauses, or None. The clauses are read from the
    parsed query (`shape`), never from its text. A query the parser cannot read runs only in a
    worker that cannot reach the network."""
    if shape is None:
        return None if sandboxed else ("this query cannot be checked for SERVICE clauses, "
                                       "and this endpoint allows some: it is refused")
    for endpoint in shape.services:
        if endpoint is None:
            return "SERVICE with a variable endpoint is refused on this endpoint"
        if endpoint not in allowed:
            if not allowed:
                return SERVICE_DISABLED
            return (f"SERVICE <{endpoint}> is refused: this endpoint allows only "
                    + ", ".join(f"<{a}>" for a in allowed))
    return None


# --- the worker process ------------------------------------------------------------------------

def _worker_main(conn: Connection, store_path: str, limits: Limits) -> None:
    """Loop of a worker process: receive a QueryRequest, send back a QueryAnswer or an error."""
    # First, before any thread starts: die with the server, and (unless SERVICE endpoints are
    # allowed) never reach the network, whatever a query asks.
    die_with_parent()
    sandboxed = not limits.allowed_services and deny_network()
    import pyoxigraph as ox

    from unkg.serve.negotiation import RESULT_FORMATS, rdf_representation
    from unkg.store.sparql import query_shape

    store = ox.Store.read_only(store_path)
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        try:
            shape = query_shape(request.query, request.base_iri)
            refusal = service_refusal(request.query, limits.allowed_services,
                                      sandboxed=sandboxed, shape=shape)
            if refusal:
                conn.send(("refused", refusal))
                continue
            answer: Any = _execute(ox, store, request, limits, shape, RESULT_FORMATS,
                                   rdf_representation)
        except SyntaxError as err:
            answer = ("syntax", str(err))
        except _TooLarge as err:
            answer = ("too-large", str(err))
        except Exception as err:  # reported to the client as a query failure, worker lives on
            answer = ("error", f"{type(err).__name__}: {err}")
        conn.send(answer)


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Limits:
    """What a worker may do: rows (or triples) and bytes of a result, SERVICE endpoints."""

    max_results: int = 10_000
    max_bytes: int = 50 * 1024 * 1024
    allowed_services: tuple[str, ...] = ()


def _too_many_bytes(limits: Limits) -> _TooLarge:
    return _TooLarge(f"the result is larger than {limits.max_bytes} bytes; add a LIMIT to the "
                     "query or select fewer or shorter values")


def _execute(ox: Any, store: Any, request: QueryRequest, limits: Limits,
             shape: QueryShape | None, result_formats: dict[str, Any],
             rdf_representation: Any) -> QueryAnswer:
    max_results = limits.max_results
    kwargs: dict[str, Any] = {"base_iri": request.base_iri}
    if request.default_graphs or request.named_graphs:
        # The protocol's dataset replaces the query's and the union default graph.
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    elif shape is None or not shape.has_dataset:
        kwargs["use_default_graph_as_union"] = True
    # else: the query's own FROM / FROM NAMED make its dataset (pyoxigraph reads them when no
    # dataset is imposed)
    result = store.query(request.query, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        fmt = result_formats[request.result_media_type]
        return QueryAnswer(request.result_media_type, result.serialize(format=fmt), "ask")
    if isinstance(result, ox.QuerySolutions):
        variables = result.variables
        rows: list[ox.QuerySolution] = []
        size = 0  # bytes of the terms in N-Triples syntax: the result is about as long
        for solution in result:
            if len(rows) >= max_results:
                raise _TooLarge(f"the result has more than {max_results} rows; "
                                "add a LIMIT to the query")
            size += sum(len(str(term)) for term in solution if term is not None)
            if size > limits.max_bytes:
                raise _too_many_bytes(limits)
            rows.append(solution)
        # Re-read the checked rows as results to serialise them with pyoxigraph: TSV holds
        # every term in N-Triples syntax, so the round trip is exact.
        lines = ["\t".join(str(v) for v in variables)]
        lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables)
                  for row in rows]
        solutions = ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)
        fmt = result_formats[request.result_media_type]
        body = solutions.serialize(format=fmt)
        if len(body) > limits.max_bytes:
            raise _too_many_bytes(limits)
        return QueryAnswer(request.result_media_type, body, "select")
    triples: list[ox.Triple] = []
    size = 0
    for triple in result:
        if len(triples) >= max_results:
            raise _TooLarge(f"the result has more than {max_results} triples; "
                            "add a LIMIT to the query")
        size += len(str(triple))
        if size > limits.max_bytes:
            raise _too_many_bytes(limits)
        triples.append(triple)
    representation = rdf_representation(request.graph_media_type)
    body = ox.serialize(triples, format=representation.rdf_format)
    if len(body) > limits.max_bytes:
        raise _too_many_bytes(limits)
    return QueryAnswer(representation.media_type, body, "graph")


# --- the pool ----------------------------------------------------------------------------------

class _Worker:
    def __init__(self, store_path: str, limits: Limits) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process holding RocksDB handles
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, store_path, limits),
                                   daemon=True, name="unkg-query-worker")
        self.process.start()
        child.close()

    def ask(self, request: QueryRequest, deadline: float) -> Any:
        """Send a request and wait for its answer until `deadline` (time.monotonic)."""
        self.conn.send(request)
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            raise QueryTimeout("timeout")
        return self.conn.recv()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(2)


class QueryEngine:
    """A few worker processes answering endpoint queries under time and size limits."""

    def __init__(self, store_path: str, *, timeout: float = 30.0, max_results: int = 10_000,
                 max_bytes: int = 50 * 1024 * 1024, allowed_services: tuple[str, ...] = (),
                 workers: int = 2) -> None:
        self.store_path = store_path
        self.timeout = timeout
        self.limits = Limits(max_results, max_bytes, tuple(allowed_services))
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._size = workers
        self._all: set[_Worker] = set()
        # Threads that wait for the workers, apart from the default pool (which page requests
        # once filled, starving the endpoint): one per worker, and one to start or stop one.
        self._threads = ThreadPoolExecutor(max_workers=workers + 1,
                                           thread_name_prefix="unkg-query-wait")

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self._size):
            # Started lazily on first use; slots hold None until then.
            self._idle.put_nowait(None)

    async def _in_thread(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, function, *args)

    async def close(self) -> None:
        for worker in list(self._all):
            await self._in_thread(worker.stop)
        self._all.clear()
        self._threads.shutdown(wait=False)

    def _new_worker(self) -> _Worker:
        worker = _Worker(self.store_path, self.limits)
        self._all.add(worker)
        return worker

    async def run(self, request: QueryRequest) -> QueryAnswer:
        """Run one query; raises QueryError, QueryTimeout or ResultTooLarge."""
        assert self._idle is not None, "QueryEngine.start() was not awaited"
        deadline = time.monotonic() + self.timeout
        try:
            slot = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise QueryTimeout(self._timeout_message()) from None
        worker = slot
        try:
            if worker is None or not worker.process.is_alive():
                worker = await self._in_thread(self._new_worker)
            answer = await self._in_thread(worker.ask, request, deadline)
        except (QueryTimeout, EOFError, OSError) as err:
            # Overran (or died): end it; the slot gets a fresh worker on next use.
            if worker is not None:
                self._all.discard(worker)
                await self._in_thread(worker.stop)
            self._idle.put_nowait(None)
            if isinstance(err, QueryTimeout):
                raise QueryTimeout(self._timeout_message()) from None
            raise QueryError(f"the query worker failed: {err}") from err
        self._idle.put_nowait(worker)
        if isinstance(answer, QueryAnswer):
            return answer
        kind, message = answer
        if kind == "syntax":
            raise QueryError(f"SPARQL syntax error: {message}")
        if kind == "too-large":
            raise ResultTooLarge(message)
        if kind == "refused":
            raise QueryRefused(message)
        raise QueryError(f"the query failed: {message}")

    def _timeout_message(self) -> str:
        return f"the query ran longer than the time limit of {self.timeout:g} s"
