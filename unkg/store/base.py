"""The store interface every backend implements: `Store`, its query results and graph patches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

import pyoxigraph as ox

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
    triples: list[tuple[RdfTerm, RdfTerm, RdfTerm]] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[RdfTerm | None, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def dicts(self) -> list[dict[str, RdfTerm | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@runtime_checkable
class Store(Protocol):
    """The contract every backend meets (tested by one contract suite): everything the load
    pipeline, the queries, validation, networks, export and the server ask of a store."""

    # The folder the store lives in; None in memory or on a server.
    path: Path | None

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

    def has_graph(self, graph: str) -> bool: ...

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph (or of all)."""

    def count(self, graph: str | None = None) -> int:
        """Number of quads (in one named graph, or in all)."""

    def dump(self, out: IO[bytes], fmt: str = "nq", graph: str | None = None) -> None:
        """Serialise everything (or one graph) with pyoxigraph's streaming serializers."""

    def text_candidates(self, phrase: str) -> list[str] | None:
        """Nodes whose `unkg:text` contains `phrase`, from a text index (`text_index.py`);
        None when the store has none (the query then tests every text itself)."""

    def flush(self) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class BulkLoadingStore(Store, Protocol):
    """A store that can also write new graphs with a non-transactional bulk loader."""

    def bulk_load_fresh(self, nquads: bytes, graphs: Iterable[str], *,
                        texts: Mapping[str, Sequence[tuple[str, str]]] | None = None) -> None:
        """Write graphs that do not exist yet from N-Quads (see `OxigraphStore`)."""
