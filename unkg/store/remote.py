"""Any SPARQL 1.1 server as a store: queries with SPARQLWrapper, uploads with the Graph Store
HTTP Protocol (SPARQL Update as the fallback), and `push` to copy a local store to a server.

The library's queries run over the union of the named graphs. A server must therefore expose that
union as its default graph: Oxigraph with `oxigraph serve --union-default-graph`, Fuseki with
`tdb2:unionDefaultGraph true`; GraphDB and Virtuoso do so by default. Queries that say
`GRAPH ?g` work everywhere.

Endpoints: `endpoint` answers queries. When it ends in `/query` (the layout of Oxigraph and
Fuseki) the update endpoint defaults to `…/update` and the Graph Store endpoint to `…/store`
(Oxigraph; for Fuseki give `gsp_endpoint=…/data`); otherwise updates go to `endpoint` and
uploads use SPARQL Update. A Graph Store endpoint that answers 404/405 falls back to Update.
"""

from __future__ import annotations

import io
import socket
import urllib.error
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from unkg.errors import QueryError, StoreError
from unkg.ontology import RDF, XSD
from unkg.store import GraphPatch, QueryResult, Store, to_rdflib
from unkg.store.sparql import bind_values
from unkg.store.terms import to_oxigraph_triple

_XSD_STRING = XSD + "string"
_RDF_LANGSTRING = RDF + "langString"
# Short glue queries for bookkeeping (the library's research queries live in unkg/queries/*.rq).
_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_GRAPH_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
_NTRIPLES = "application/n-triples"


class RemoteStore:
    """A SPARQL 1.1 server reached over HTTP; implements the `unkg.store.Store` interface.

    Writes are per graph: each named graph is replaced whole (GSP `PUT`, or `DROP` + `INSERT
    DATA` in one update request), so a failure leaves every graph either old or new, never mixed.
    Unlike the embedded store, a batch of several graphs is not one transaction.
    """

    path: Path | None = None  # nothing on this machine

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 gsp_endpoint: str | None = None, timeout: float = 60.0,
                 post_above: int = 1500) -> None:
        self.endpoint = endpoint
        stem = endpoint[: -len("/query")] if endpoint.endswith("/query") else None
        self.update_endpoint = update_endpoint or (f"{stem}/update" if stem else endpoint)
        self.gsp_endpoint = gsp_endpoint or (f"{stem}/store" if stem else None)
        self.timeout = timeout
        self.post_above = post_above  # queries longer than this many characters are POSTed
        self._http = httpx.Client(timeout=timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    # --- queries -------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper

        # Whole-line comments go: SPARQLWrapper guesses the query form from keywords and would
        # take "loaded" in a header comment for a LOAD update.
        text = "\n".join(line for line in bind_values(sparql, bindings).splitlines()
                         if not line.lstrip().startswith("#"))
        client = SPARQLWrapper(self.endpoint)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(text)
        graph_form = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(N3 if graph_form else JSON)
        if len(text) > self.post_above:
            client.setMethod(POST)  # long queries do not fit in a URL
        raw = self._call(lambda: client.query().convert())
        if graph_form:
            return QueryResult(kind="graph", triples=list(raw))  # an rdflib Graph
        if not isinstance(raw, dict):
            raise StoreError(f"{self.endpoint} did not answer with SPARQL results JSON")
        if "boolean" in raw:
            return QueryResult(kind="ask", boolean=bool(raw["boolean"]))
        variables = list(raw.get("head", {}).get("vars", []))
        rows = [tuple(_json_term(b.get(v)) for v in variables)
                for b in raw.get("results", {}).get("bindings", [])]
        return QueryResult(kind="select", variables=variables, rows=rows)

    def _call(self, fn: Callable[[], Any]) -> Any:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        try:
            return fn()
        except QueryBadFormed as err:
            raise QueryError(f"{self.endpoint} rejected the query: {_server_says(err)}") from None
        except SPARQLWrapperException as err:
            raise StoreError(f"{self.endpoint} answered an error: {_server_says(err)}") from None
        except urllib.error.HTTPError as err:
            raise StoreError(f"{self.endpoint} answered HTTP {err.code} {err.reason}") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise StoreError(f"{self.endpoint} did not answer within {self.timeout:g} s") \
                    from None
            raise StoreError(f"cannot reach the SPARQL endpoint {self.endpoint}: {reason}") \
                from None
        except TimeoutError:
            raise StoreError(f"{self.endpoint} did not answer within {self.timeout:g} s") \
                from None
        except (ConnectionError, OSError) as err:
            raise StoreError(f"cannot reach the SPARQL endpoint {self.endpoint}: {err}") from None
        except ValueError as err:  # a body that is not the JSON it claims to be
            raise StoreError(f"{self.endpoint} sent a malformed answer: {err}") from None

    def _select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        return self.query(sparql, bindings)

    def named_graphs(self) -> list[str]:
        return sorted(self.graph_counts())

    def graph_counts(self) -> dict[str, int]:
        """Triples per named graph on the server, in one query."""
        res = self._select(_GRAPH_COUNTS)
        return {str(g): int(str(n)) for g, n in res.rows if isinstance(g, URIRef)}

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return sum(self.graph_counts().values())
        res = self._select(_GRAPH_COUNT, {"g": URIRef(graph)})
        return int(str(res.rows[0][0])) if res.rows else 0

    # --- writes -------------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]],
                       remove: Iterable[str] = (), *,
                       patch: Mapping[str, GraphPatch] | None = None) -> None:
        payload = {g: _ntriples(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
                   for g, quads in graphs.items()}
        self.put_graphs(payload)
        for g in remove:
            if g not in graphs:
                self.drop_graph(g)
        for g, change in (patch or {}).items():
            self._patch(g, change)

    def _patch(self, graph: str, change: GraphPatch) -> None:
        """One update request: the subjects' triples go, the new quads come (IRIs and triples
        serialised by pyoxigraph)."""
        name = ox.NamedNode(graph)
        parts = []
        for i in range(0, len(change.subjects), 1000):
            values = " ".join(str(ox.NamedNode(s)) for s in change.subjects[i:i + 1000])
            parts.append(f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s "
                         f"{{ {values} }} GRAPH {name} {{ ?s ?p ?o }} }}")
        if change.quads:
            data = _ntriples(ox.Triple(q.subject, q.predicate, q.object) for q in change.quads)
            parts.append(f"INSERT DATA {{ GRAPH {name} {{\n{data.decode('utf-8')}}} }}")
        if parts:
            self.update(" ;\n".join(parts))

    def has_graph(self, graph: str) -> bool:
        return graph in self.named_graphs()

    def put_graphs(self, graphs: Mapping[str, bytes]) -> None:
        """Replace each named graph with the given N-Triples bytes (GSP PUT, else Update)."""
        pending = dict(graphs)
        if self.gsp_endpoint:
            for g in list(pending):
                if not self._gsp_put(g, pending[g]):
                    break  # no Graph Store endpoint there: the rest go through Update
                del pending[g]
        if pending:
            self._update_put(pending)

    def _gsp_put(self, graph: str, data: bytes) -> bool:
        assert self.gsp_endpoint
        try:
            if data:
                r = self._http.put(self.gsp_endpoint, params={"graph": graph}, content=data,
                                   headers={"Content-Type": _NTRIPLES})
            else:
                r = self._http.delete(self.gsp_endpoint, params={"graph": graph})
                if r.status_code == 404:  # nothing to delete is fine
                    return True
        except httpx.TimeoutException:
            raise StoreError(f"{self.gsp_endpoint} did not answer within {self.timeout:g} s "
                             f"while uploading {graph}") from None
        except httpx.TransportError as err:
            raise StoreError(f"cannot reach the Graph Store endpoint {self.gsp_endpoint} "
                             f"while uploading {graph}: {err}") from None
        if r.status_code in (404, 405, 501):
            self.gsp_endpoint = None  # not a Graph Store endpoint: use SPARQL Update from now on
            return False
        if r.status_code >= 400:
            raise StoreError(f"{self.gsp_endpoint} refused {graph}: HTTP {r.status_code} "
                             f"{_first_line(r.text)}")
        return True

    def _update_put(self, graphs: Mapping[str, bytes]) -> None:
        parts = []
        for g, data in graphs.items():
            name = str(ox.NamedNode(g))  # serialised by pyoxigraph: an IRI, never text
            parts.append(f"DROP SILENT GRAPH {name}")
            if data:
                parts.append(f"INSERT DATA {{ GRAPH {name} {{\n{data.decode('utf-8')}}} }}")
        self.update(" ;\n".join(parts))

    def drop_graph(self, graph: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def update(self, sparql_update: str) -> None:
        """Send a SPARQL 1.1 Update request (form-encoded POST, as the protocol says)."""
        try:
            r = self._http.post(self.update_endpoint, data={"update": sparql_update})
        except httpx.TimeoutException:
            raise StoreError(f"{self.update_endpoint} did not answer within "
                             f"{self.timeout:g} s") from None
        except httpx.TransportError as err:
            raise StoreError(f"cannot reach the update endpoint {self.update_endpoint}: {err}") \
                from None
        if r.status_code >= 400:
            raise StoreError(f"{self.update_endpoint} refused the update: HTTP {r.status_code} "
                             f"{_first_line(r.text)}")

    # --- reads of whole graphs ---------------------------------------------------------------

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph as N-Triples (GSP GET, else CONSTRUCT)."""
        if self.gsp_endpoint:
            try:
                r = self._http.get(self.gsp_endpoint, params={"graph": graph},
                                   headers={"Accept": _NTRIPLES})
            except httpx.TransportError as err:
                raise StoreError(f"cannot reach {self.gsp_endpoint}: {err}") from None
            if r.status_code == 404:
                return b""
            if r.status_code < 400:
                return r.content
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                         {"g": URIRef(graph)})
        return _ntriples(to_oxigraph_triple(s, p, o) for s, p, o in res.triples)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        for g in [graph] if graph is not None else self.named_graphs():
            name = ox.NamedNode(g)
            for t in ox.parse(self.graph_ntriples(g), format=ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(t.subject, t.predicate, t.object, name)

    def text_candidates(self, phrase: str) -> list[str] | None:
        return None  # no text index on a server: queries test every text

    def flush(self) -> None:
        pass  # every write is sent when it is made

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        if fmt not in ("nq", "nquads", "nt", "ntriples"):
            raise StoreError(f"a remote store dumps N-Quads or N-Triples, not {fmt!r}")
        graphs = [graph] if graph is not None else self.named_graphs()
        for g in graphs:
            data = self.graph_ntriples(g)
            if fmt in ("nt", "ntriples"):
                out.write(data)
                continue
            triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                          for t in triples), out, format=ox.RdfFormat.N_QUADS)

    def close(self) -> None:
        self._http.close()


# --- push ----------------------------------------------------------------------------------

@dataclass
class PushReport:
    graphs: int  # named graphs in the local store
    skipped: int  # already complete on the server
    uploaded: int
    triples: int  # triples uploaded


def push(store: Store, remote: RemoteStore, *, batch_size: int = 50,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Upload every named graph of `store` to `remote`, `batch_size` graphs at a time.

    Resumable: a graph whose triple count on the server already equals the local one is
    skipped, so re-running after a failure finishes the job. Counts are verified at the end;
    a mismatch is a `StoreError`. `progress(done, total)` is called after each batch.
    """
    if batch_size < 1:
        raise StoreError(f"batch size must be at least 1, got {batch_size}")
    local = {g: store.count(g) for g in store.named_graphs()}
    before = remote.graph_counts()
    todo = [g for g in sorted(local) if before.get(g) != local[g]]
    done = len(local) - len(todo)
    if progress:
        progress(done, len(local))
    triples = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        payload = {}
        for g in batch:
            buf = io.BytesIO()
            store.dump(buf, "nt", graph=g)
            payload[g] = buf.getvalue()
        try:
            remote.put_graphs(payload)
        except StoreError as err:
            raise StoreError(f"{err.reason} — {done} of {len(local)} graphs are on the server; "
                             "run the push again to upload the rest") from None
        done += len(batch)
        triples += sum(local[g] for g in batch)
        if progress:
            progress(done, len(local))
    after = remote.graph_counts()
    wrong = [g for g in local if after.get(g) != local[g]]
    if wrong:
        g = wrong[0]
        raise StoreError(f"{len(wrong)} graph(s) differ on the server after the push, e.g. {g}: "
                         f"{after.get(g, 0)} triples there, {local[g]} here")
    return PushReport(graphs=len(local), skipped=len(local) - len(todo), uploaded=len(todo),
                      triples=triples)


# --- helpers -------------------------------------------------------------------------------

def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    buf = io.BytesIO()
    ox.serialize(triples, buf, format=ox.RdfFormat.N_TRIPLES)
    return buf.getvalue()


def _json_term(binding: Mapping[str, str] | None) -> URIRef | Literal | BNode | None:
    """A term of SPARQL results JSON → the rdflib term the embedded store would give."""
    if binding is None:
        return None
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    lang = binding.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    datatype = binding.get("datatype")
    if datatype and datatype not in (_XSD_STRING, _RDF_LANGSTRING):
        return to_rdflib(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return Literal(value)


def _first_line(err: object) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


def _server_says(err: Exception) -> str:
    """The server's own message from a SPARQLWrapper exception (it follows 'Response:')."""
    text = str(err)
    _, sep, response = text.partition("Response:")
    if sep:
        response = response.strip()
        if response.startswith(("b'", 'b"')):
            response = response[2:-1].encode("latin-1", "backslashreplace").decode(
                "unicode_escape", "replace")
        lines = [ln.strip() for ln in response.splitlines() if ln.strip()]
        if lines:
            return " ".join(lines)[:300]
    return _first_line(err)
