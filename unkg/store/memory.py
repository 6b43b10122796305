"""rdflib's in-memory Dataset as a store: the fallback, and the reference in contract tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import URIRef

from unkg.errors import QueryError
from unkg.store.base import GraphPatch, QueryResult
from unkg.store.terms import new_rdflib_graph, ox_to_rdflib_quad, rdf_format, to_oxigraph_triple


class MemoryStore:
    """rdflib's in-memory Dataset behind the `Store` interface (fallback and contract reference)."""

    path: Path | None = None

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
        from unkg.store.sparql import bind_values

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
            t = to_oxigraph_triple(s, p, o)
            yield ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name)))

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        f = rdf_format(fmt)
        quads = self.quads(graph)
        if f.supports_datasets:
            ox.serialize(quads, out, format=f)
        else:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), out,
                         format=f)

    def text_candidates(self, phrase: str) -> list[str] | None:
        return None  # no text index: queries test every text

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

