"""The store interface every backend implements: `Store`, its query results and graph patches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib.term import Node

from unkg.store.terms import RdfTerm


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

