"""Running endpoint queries with a time limit and a result-size limit.

pyoxigraph cannot cancel a query, and a query such as a COUNT over a cross product computes for
minutes before yielding its first row. A thread would keep burning a core after the client had
its timeout answer, so each endpoint query runs in a worker *process* that holds its own
read-only handle on the store; a query that overruns its time is ended by terminating the worker,
which is replaced by a fresh one. Workers are few (the endpoint is a shared public service, not a
batch engine) and a query waits for a free one within its own time limit.

Results are serialised in the worker by pyoxigraph (SPARQL JSON/XML/CSV/TSV, Turtle, N-Triples,
JSON-LD, RDF/XML), so only bytes cross the process boundary.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import re
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from unkg.errors import QueryError, UnkgError


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


# --- SERVICE detection -------------------------------------------------------------------------

# Strings, IRIs and comments are skipped so that "SERVICE" inside them does not count; a token
# preceded by ? $ : or a name character is a variable or part of a name, not the keyword.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
)
_SERVICE = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:-])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """True when the query has a SERVICE clause (a federated call to another endpoint)."""
    return bool(_SERVICE.search(_SKIP.sub(" ", query)))


# --- the worker process ------------------------------------------------------------------------

def _worker_main(conn: Connection, store_path: str, max_results: int) -> None:
    """Loop of a worker process: receive a QueryRequest, send back a QueryAnswer or an error."""
    import pyoxigraph as ox

    from unkg.serve.negotiation import RESULT_FORMATS, rdf_representation

    store = ox.Store.read_only(store_path)
    while True:
        try:
            request: QueryRequest = conn.recv()
        except EOFError:
            return
        try:
            answer: Any = _execute(ox, store, request, max_results, RESULT_FORMATS,
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


def _execute(ox: Any, store: Any, request: QueryRequest, max_results: int,
             result_formats: dict[str, Any], rdf_representation: Any) -> QueryAnswer:
    kwargs: dict[str, Any] = {"base_iri": request.base_iri}
    if request.default_graphs or request.named_graphs:
        # The protocol's dataset replaces the query's and the union default graph.
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    else:
        kwargs["use_default_graph_as_union"] = True
    result = store.query(request.query, **kwargs)
    if isinstance(result, ox.QueryBoolean):
        fmt = result_formats[request.result_media_type]
        return QueryAnswer(request.result_media_type, result.serialize(format=fmt), "ask")
    if isinstance(result, ox.QuerySolutions):
        variables = result.variables
        rows: list[ox.QuerySolution] = []
        for solution in result:
            if len(rows) >= max_results:
                raise _TooLarge(f"the result has more than {max_results} rows; "
                                "add a LIMIT to the query")
            rows.append(solution)
        # Re-read the checked rows as results to serialise them with pyoxigraph: TSV holds
        # every term in N-Triples syntax, so the round trip is exact.
        lines = ["\t".join(str(v) for v in variables)]
        lines += ["\t".join("" if row[v] is None else str(row[v]) for v in variables)
                  for row in rows]
        solutions = ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)
        fmt = result_formats[request.result_media_type]
        return QueryAnswer(request.result_media_type, solutions.serialize(format=fmt), "select")
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) >= max_results:
            raise _TooLarge(f"the result has more than {max_results} triples; "
                            "add a LIMIT to the query")
        triples.append(triple)
    representation = rdf_representation(request.graph_media_type)
    body = ox.serialize(triples, format=representation.rdf_format)
    return QueryAnswer(representation.media_type, body, "graph")


# --- the pool ----------------------------------------------------------------------------------

class _Worker:
    def __init__(self, store_path: str, max_results: int) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process holding RocksDB handles
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, store_path, max_results),
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
                 workers: int = 2) -> None:
        self.store_path = store_path
        self.timeout = timeout
        self.max_results = max_results
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._size = workers
        self._all: set[_Worker] = set()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self._size):
            # Started lazily on first use; slots hold None until then.
            self._idle.put_nowait(None)

    async def close(self) -> None:
        for worker in list(self._all):
            await asyncio.to_thread(worker.stop)
        self._all.clear()

    def _new_worker(self) -> _Worker:
        worker = _Worker(self.store_path, self.max_results)
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
                worker = await asyncio.to_thread(self._new_worker)
            answer = await asyncio.to_thread(worker.ask, request, deadline)
        except (QueryTimeout, EOFError, OSError) as err:
            # Overran (or died): end it; the slot gets a fresh worker on next use.
            if worker is not None:
                self._all.discard(worker)
                await asyncio.to_thread(worker.stop)
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
        raise QueryError(f"the query failed: {message}")

    def _timeout_message(self) -> str:
        return f"the query ran longer than the time limit of {self.timeout:g} s"
