"""The embedded store: pyoxigraph on disk (the default) or in memory, with all-or-nothing
graph replacement."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from unkg.errors import QueryError, StoreError
from unkg.sandbox import private_tmpdir
from unkg.store.base import GraphPatch, QueryResult
from unkg.store.terms import bind_prefixes, rdf_format, to_rdflib, to_rdflib_triple
from unkg.store.text_index import TEXT, TextIndex, texts_of_graphs

# Staging graphs for all-or-nothing replacement; left-overs of a crash are dropped on open.
STAGING_PREFIX = "urn:unkg:staging:"


# Fresh graphs being bulk-loaded (not transactional) are listed here first; the list is dropped
# in the transaction that records their provenance. A crash leaves it: on open, its graphs go.
LOADING_GRAPH = "urn:unkg:loading"


_LOADING_MARK = ox.NamedNode("urn:unkg:loading#graph")


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
        # On disk, the texts are also indexed beside the store (`unkg.store.text_index`).
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
            if isinstance(q.subject, ox.NamedNode):
                self._store.remove_graph(q.subject)
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
                # pyoxigraph's bulk loader writes large temporary files (bulk-*.sst): in a
                # folder of our own, removed afterwards (or by the next load after a crash)
                with private_tmpdir("bulk"):
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

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> QueryResult:
        from unkg.store.sparql import bind_values, may_have_dataset, query_shape

        text = bind_values(sparql, bindings)
        # The union of the named graphs is the default graph, unless the query names its own
        # dataset with FROM / FROM NAMED (pyoxigraph reads those when no union is imposed).
        union = not (may_have_dataset(text) and (shape := query_shape(text)) is not None
                     and shape.has_dataset)
        try:
            res = self._store.query(text, use_default_graph_as_union=union)
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
        triples = [to_rdflib_triple(t) for t in res]
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


def select_union(store: ox.Store, sparql: str) -> ox.QuerySolutions:
    """A SELECT over the union of the named graphs, straight on pyoxigraph (for hot paths that
    skip the conversion of every cell to an rdflib term)."""
    try:
        result = store.query(sparql, use_default_graph_as_union=True)
    except OSError as err:
        raise StoreError(f"query failed: {err}") from err
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return result
