"""Stores: where the graph lives. One interface, several backends.

- `OxigraphStore`: embedded pyoxigraph, on disk (the default) or in memory.
- `MemoryStore`: rdflib's in-memory Dataset (the fallback, and the reference in contract tests).
- `unkg.graph.remote.RemoteStore`: any SPARQL 1.1 server (SPARQLWrapper + Graph Store Protocol).

Data goes in as pyoxigraph `Quad`s grouped by named graph (what `unkg.graph.build` produces) and
results come out as rdflib terms (what notebooks and pandas users handle). Writing is per unit of
work: `replace_graphs` swaps a set of named graphs all-or-nothing, so reloading a file is idempotent
and a failure leaves the store as it was. Queries see the union of all named graphs as their
default graph unless they say `GRAPH`.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from unkg.errors import QueryError, StoreError
from unkg.graph.text_index import TEXT, TextIndex, texts_of_graphs

RdfTerm = URIRef | Literal | BNode
# Staging graphs for all-or-nothing replacement; left-overs of a crash are dropped on open.
STAGING_PREFIX = "urn:unkg:staging:"
# Fresh graphs being bulk-loaded (not transactional) are listed here first; the list is dropped
# in the transaction that records their provenance. A crash leaves it: on open, its graphs go.
LOADING_GRAPH = "urn:unkg:loading"
_LOADING_MARK = ox.NamedNode("urn:unkg:loading#graph")


@dataclass(frozen=True)
class GraphPatch:
    """A change to a big named graph without rewriting it: every triple of the graph whose
    subject is in `subjects` goes, then `quads` are added (the provenance graph, updated for the
    few graphs a commit writes)."""

    subjects: Sequence[str]
    quads: Sequence[ox.Quad]


@dataclass
class QueryResult:
    """What a query returns, backend-neutral: SELECT rows, an ASK boolean or CONSTRUCT triples."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[RdfTerm | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[RdfTerm | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict[str, RdfTerm | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """The contract every backend meets (tested by one contract suite)."""

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]],
                       remove: Iterable[str] = (), *,
                       patch: Mapping[str, GraphPatch] | None = None) -> None:
        """Make each named graph in `graphs` hold exactly the given quads (their graph name is
        the mapping key), drop the graphs in `remove`, and apply each `patch` (graph → what is
        said of some subjects there is replaced); all of it or nothing."""

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a SPARQL 1.1 query over the union of named graphs; `bindings` are bound, never
        pasted (variable name without `?` → rdflib term or Python value)."""

    def named_graphs(self) -> list[str]: ...

    def count(self, graph: str | None = None) -> int:
        """Number of quads (in one named graph, or in all)."""

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        """Serialise everything (or one graph) with pyoxigraph's streaming serializers."""

    def close(self) -> None: ...


# --- term conversion -------------------------------------------------------------------------

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _string_literal(value: str, language: str | None) -> Literal:
    """`Literal(value, lang=language)` without the constructor's lexical round trip (a string's
    Python value is itself): the slots the constructor sets, ~10x faster. Used only if it gives
    exactly what the constructor gives (checked once below, and in the tests)."""
    literal = str.__new__(Literal, value)
    literal._language = language
    literal._datatype = None
    literal._value = value
    literal._ill_typed = None
    return literal


def _string_literal_is_exact() -> bool:
    for value, language in (("A/RES/59/50", None), ("Résolution", "fr")):
        fast, slow = _string_literal(value, language), Literal(value, lang=language)
        slots = ("_language", "_datatype", "_value", "_ill_typed")
        if not (fast == slow and all(getattr(fast, a) == getattr(slow, a) for a in slots)
                and set(Literal.__slots__) == set(slots)):
            return False
    return True


if not _string_literal_is_exact():  # pragma: no cover - another rdflib: use its constructor
    def _string_literal(value: str, language: str | None) -> Literal:
        return Literal(value, lang=language)


@lru_cache(maxsize=1 << 16)
def _cached_term(term: ox.NamedNode | ox.Literal) -> URIRef | Literal:
    """IRIs and typed literals repeat across rows (documents, counts, dates) and cost most to
    build (a typed literal's lexical form is parsed): build each once."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_OX_XSD_STRING = ox.NamedNode(_XSD_STRING)


def to_rdflib(term: Any) -> RdfTerm | None:
    """pyoxigraph term → rdflib term (a query result cell); the same terms rdflib's own
    constructors give, made faster for the hundreds of thousands of cells of a big result."""
    # pyoxigraph's classes cannot be subclassed: an exact type test is the cheapest dispatch,
    # and comparing the datatype node skips building its IRI string (~15% of a conversion)
    kind = type(term)
    if kind is ox.Literal:
        if term.datatype == _OX_XSD_STRING:
            return _string_literal(term.value, None)
        language = term.language
        if language:
            return _string_literal(term.value, language)
        return _cached_term(term)
    if kind is ox.NamedNode:
        return _cached_term(term)
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term or plain Python value → pyoxigraph term (for bound query parameters)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, bool | int | float | str):
        return to_oxigraph(Literal(term))
    raise QueryError(f"cannot bind a value of type {type(term).__name__}: {term!r}")


# --- embedded Oxigraph -----------------------------------------------------------------------

_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG, "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML,
}


def rdf_format(name: str) -> ox.RdfFormat:
    try:
        return _FORMATS[name.lower()]
    except KeyError:
        raise StoreError(f"unknown RDF format {name!r} (one of {', '.join(sorted(_FORMATS))})") \
            from None


class OxigraphStore:
    """Embedded pyoxigraph store: on disk at `path`, or in memory when `path` is None."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"cannot open the store: {err}", path=str(self.path)) from err
        # On disk, the texts are also indexed beside the store (`unkg.graph.text_index`).
        self.text_index = TextIndex(self.path, read_only=read_only) if self.path else None
        if not read_only:
            dropped = self._drop_staging()
            if self.text_index is not None:
                self._index_ready(dropped)

    def _index_ready(self, dropped: list[str]) -> None:
        """After opening for writing: an index that may not match the store is rebuilt."""
        index = self.text_index
        assert index is not None
        try:
            if not index.is_ready():
                index.rebuild(self._store)
            elif dropped:
                index.begin()
                index.commit({}, dropped)
        except sqlite3.Error as err:
            raise StoreError(f"cannot write the text index: {err}", path=str(index.path)) \
                from err

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for hot paths that talk to it directly."""
        return self._store

    def _drop_staging(self) -> list[str]:
        """Drop staging graphs and the graphs of an unfinished bulk load; returns the latter."""
        loading = ox.NamedNode(LOADING_GRAPH)
        dropped: list[str] = []
        for q in list(self._store.quads_for_pattern(None, _LOADING_MARK, None, loading)):
            # A bulk load that never got its provenance: what it wrote is dropped.
            self._store.remove_graph(q.subject)  # type: ignore[arg-type]
            dropped.append(q.subject.value)
        for g in list(self._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and (g.value.startswith(STAGING_PREFIX)
                                                or g == loading):
                self._store.remove_graph(g)
        return dropped

    @contextmanager
    def _indexing(self, graphs: Sequence[str],
                  texts: Callable[[], Mapping[str, Sequence[tuple[str, str]]]]) -> Iterator[None]:
        """Around a write of `graphs`: the text index is untrusted while it runs, then holds
        `texts()` for them; if the write fails (the store is as it was), it is as before."""
        index = self.text_index
        if index is None or not graphs:
            yield
            return
        try:
            was_ready = index.begin()
        except sqlite3.Error as err:
            raise StoreError(f"cannot write the text index: {err}", path=str(index.path)) \
                from err
        try:
            yield
        except BaseException:
            with suppress(sqlite3.Error):
                index.abandon(was_ready)
            raise
        try:
            index.commit(texts(), graphs)
        except sqlite3.Error as err:
            # The store is written; the index stays "writing" and is rebuilt on the next open.
            raise StoreError(f"cannot write the text index: {err}", path=str(index.path)) \
                from err

    def _stored_texts(self, graphs: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        return texts_of_graphs({g: self._store.quads_for_pattern(None, TEXT, None, ox.NamedNode(g))
                                for g in graphs})

    def text_candidates(self, phrase: str) -> list[str] | None:
        """Nodes whose `unkg:text` contains `phrase` case-insensitively, from the text index;
        None when the index cannot narrow the search (the query then scans every text)."""
        return self.text_index.candidates(phrase) if self.text_index is not None else None

    def bulk_load_fresh(self, nquads: bytes, graphs: Iterable[str], *,
                        texts: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> None:
        """Write graphs that do not exist yet with pyoxigraph's non-transactional bulk loader
        (the fastest path). The graphs are first listed in `LOADING_GRAPH` (one transaction);
        the caller drops that list together with the provenance it writes (`replace_graphs(…,
        remove=[LOADING_GRAPH])`). A crash in between leaves the list, and opening the store
        drops the listed graphs, so the store is as it was before. `texts`: the graphs' texts
        for the text index (`text_index.texts_of_graphs`), read back from the store if not
        given."""
        loading = ox.NamedNode(LOADING_GRAPH)
        graphs = list(graphs)
        with self._indexing(graphs, lambda: texts if texts is not None
                            else self._stored_texts(graphs)):
            try:
                self._store.extend(ox.Quad(ox.NamedNode(g), _LOADING_MARK, loading, loading)
                                   for g in graphs)
                self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
            except (OSError, SyntaxError) as err:
                self._drop_staging()
                raise StoreError(f"writing to the store failed: {err}", path=str(self.path)) \
                    from err

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]],
                       remove: Iterable[str] = (), *,
                       patch: Mapping[str, GraphPatch] | None = None) -> None:
        patch = patch or {}
        targets = list(graphs)
        existing = {g for g in [*targets, *remove] if self.has_graph(g)}
        to_drop = [g for g in remove if g in existing and g not in graphs]
        with self._indexing([*targets, *to_drop], lambda: texts_of_graphs(graphs)):
            self._replace(graphs, targets, existing, to_drop, patch)

    def _replace(self, graphs: Mapping[str, Sequence[ox.Quad]], targets: list[str],
                 existing: set[str], to_drop: list[str], patch: Mapping[str, GraphPatch]) -> None:
        if not existing and not patch:
            # Fresh graphs: one transactional insert is all-or-nothing already.
            self._extend(q for g in targets for q in graphs[g])
            return
        # Stage under temporary names, then swap in one transactional update (Oxigraph runs
        # all the operations of one update request in one transaction).
        staged: dict[str, str] = {}
        for i, g in enumerate([*targets, *patch]):
            staged[g if i < len(targets) else f"patch:{g}"] = f"{STAGING_PREFIX}{id(self)}:{i}"
        try:
            self._extend(
                ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(staged[g]))
                for g in targets for q in graphs[g]
            )
            self._extend(
                ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(staged[f"patch:{g}"]))
                for g, change in patch.items() for q in change.quads
            )
            ops = [f"MOVE SILENT GRAPH <{staged[g]}> TO GRAPH <{g}>" for g in targets
                   if graphs[g]]
            ops += [f"DROP SILENT GRAPH <{g}>" for g in targets if not graphs[g]]
            ops += [f"DROP SILENT GRAPH <{g}>" for g in to_drop]
            for g, change in patch.items():
                name = ox.NamedNode(g)
                for i in range(0, len(change.subjects), 1000):
                    values = " ".join(str(ox.NamedNode(s)) for s in change.subjects[i:i + 1000])
                    ops.append(f"DELETE {{ GRAPH {name} {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s "
                               f"{{ {values} }} GRAPH {name} {{ ?s ?p ?o }} }}")
                if change.quads:
                    ops.append(f"ADD SILENT GRAPH <{staged[f'patch:{g}']}> TO GRAPH {name}")
            if ops:
                self._store.update(" ;\n".join(ops))
        finally:
            self._drop_staging()

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def _extend(self, quads: Iterable[ox.Quad]) -> None:
        try:
            self._store.extend(quads)
        except OSError as err:
            raise StoreError(f"writing to the store failed: {err}", path=str(self.path)) from err

    def bulk_load_nquads(self, data: bytes | IO[bytes]) -> None:
        """Fast, non-transactional load of N-Quads (benchmarks, fresh stores)."""
        self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS)

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        from unkg.graph.sparql import bind_values

        try:
            res = self._store.query(bind_values(sparql, bindings), use_default_graph_as_union=True)
        except SyntaxError as err:
            raise QueryError(f"SPARQL syntax error: {err}") from err
        except OSError as err:
            raise StoreError(f"query failed: {err}") from err
        if isinstance(res, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            # unpack each solution (its terms in the order of `variables`, None if unbound):
            # ~10x faster than looking each variable up by name
            rows = [tuple(map(to_rdflib, sol)) for sol in res]
            return QueryResult(kind="select", variables=variables, rows=rows)
        triples = [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                   for t in res]
        return QueryResult(kind="graph", triples=triples)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        f = rdf_format(fmt)
        if graph is not None:
            self._store.dump(out, format=f, from_graph=ox.NamedNode(graph))
        elif f.supports_datasets:
            self._store.dump(out, format=f)
        else:
            # Triple formats: the union of all graphs.
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self._store),
                         out, format=f)

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads (or one graph's), straight from pyoxigraph."""
        return iter(self._store.quads_for_pattern(
            None, None, None, ox.NamedNode(graph) if graph else None))

    def rdflib(self) -> Any:
        """An rdflib Dataset view of this store (see `rdflib_dataset`)."""
        return rdflib_dataset(self)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            try:
                self._store.flush()
            except (OSError, RuntimeError):  # RuntimeError: a read-only store cannot flush
                pass
        del self._store


def quads_to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    return buf.getvalue()


# --- rdflib views and the in-memory fallback -------------------------------------------------

def rdflib_dataset(store: OxigraphStore) -> Any:
    """An rdflib `Dataset` over the Oxigraph store (oxrdflib), for tools that need rdflib's API.

    Mind the pitfalls (DESIGN.md): parse/serialise with the `ox-nt`, `ox-turtle`, `ox-json-ld`
    formats; query with strings (a prepared `Query` falls back to rdflib's slow engine); avoid
    `len()` (a full scan). Hot paths use `store.oxigraph` directly.
    """
    from oxrdflib import OxigraphStore as OxRdflibStore
    from rdflib import Dataset

    dataset = Dataset(store=OxRdflibStore(store=store.oxigraph), default_union=True)
    bind_prefixes(dataset)
    return dataset


def bind_prefixes(graph: Any) -> Any:
    """Give an rdflib graph our prefixes (from prefixes.ttl) and none of rdflib's defaults."""
    from rdflib.namespace import NamespaceManager

    from unkg.ontology import prefixes

    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def new_rdflib_graph(*, dataset: bool = False) -> Any:
    """An empty rdflib `Graph` (or union `Dataset`) with our prefixes only."""
    from rdflib import Dataset, Graph

    return bind_prefixes(Dataset(default_union=True) if dataset else Graph())


def ox_to_rdflib_quad(q: ox.Quad) -> tuple[Node, Node, Node, URIRef | None]:
    g = q.graph_name
    return (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),  # type: ignore
            URIRef(g.value) if isinstance(g, ox.NamedNode) else None)


class MemoryStore:
    """rdflib's in-memory Dataset behind the `Store` interface (fallback and contract reference)."""

    path = None

    def __init__(self) -> None:
        self._ds = new_rdflib_graph(dataset=True)

    def rdflib(self) -> Any:
        """The rdflib Dataset itself (it is already rdflib: no view needed)."""
        return self._ds

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Quad]],
                       remove: Iterable[str] = (), *,
                       patch: Mapping[str, GraphPatch] | None = None) -> None:
        # Convert everything first: once conversion succeeded, swapping cannot fail half-way.
        converted = {g: [ox_to_rdflib_quad(q)[:3] for q in quads] for g, quads in graphs.items()}
        patches = {g: ({URIRef(s) for s in change.subjects},
                       [ox_to_rdflib_quad(q)[:3] for q in change.quads])
                   for g, change in (patch or {}).items()}
        for g in [*remove, *converted]:
            self._ds.remove_graph(URIRef(g))
        for g, triples in converted.items():
            if triples:
                context = self._ds.graph(URIRef(g))
                for t in triples:
                    context.add(t)
        for g, (subjects, triples) in patches.items():
            context = self._ds.graph(URIRef(g))
            for t in [t for t in context if t[0] in subjects]:
                context.remove(t)
            for t in triples:
                context.add(t)

    def has_graph(self, graph: str) -> bool:
        return len(self._ds.graph(URIRef(graph))) > 0

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        from unkg.graph.sparql import bind_values

        text = bind_values(sparql, bindings)
        try:
            res = self._ds.query(text)
        except Exception as err:  # rdflib raises pyparsing errors for syntax
            raise QueryError(f"SPARQL error: {err}".splitlines()[0]) from err
        if res.type == "ASK":
            return QueryResult(kind="ask", boolean=bool(res.askAnswer))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars or []]
            rows = [tuple(row[i] for i in range(len(variables))) for row in res]
            return QueryResult(kind="select", variables=variables, rows=rows)
        return QueryResult(kind="graph", triples=list(res))

    def named_graphs(self) -> list[str]:
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return sorted(str(c.identifier) for c in self._ds.graphs()
                      if c.identifier != DATASET_DEFAULT_GRAPH_ID and len(c))

    def count(self, graph: str | None = None) -> int:
        if graph is not None:
            return len(self._ds.graph(URIRef(graph)))
        return sum(1 for _ in self._ds.quads((None, None, None, None)))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        for s, p, o, c in self._ds.quads((None, None, None, URIRef(graph) if graph else None)):
            name = c.identifier if hasattr(c, "identifier") else c
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o),  # type: ignore
                          ox.NamedNode(str(name)))

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        f = rdf_format(fmt)
        quads = self.quads(graph)
        if f.supports_datasets:
            ox.serialize(quads, out, format=f)
        else:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), out,
                         format=f)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


BACKENDS = ("oxigraph", "memory")


def open_store(path: str | Path | None = None, *, backend: str = "oxigraph",
               read_only: bool = False) -> OxigraphStore | MemoryStore:
    """Open a store: embedded Oxigraph on disk at `path` (in memory when None), or rdflib memory."""
    if backend == "oxigraph":
        return OxigraphStore(path, read_only=read_only)
    if backend == "memory":
        if path is not None:
            raise StoreError("the memory backend keeps nothing on disk: give no path",
                             path=str(path))
        return MemoryStore()
    raise StoreError(f"unknown store backend {backend!r} (one of {', '.join(BACKENDS)})")
