"""The Python API for notebooks and for the other parts of unkg (CLI, serve, network).

    >>> from unkg import KnowledgeGraph
    >>> kg = KnowledgeGraph.open(backend="memory")     # or .open("./unkg-data")
    >>> report = kg.load(["unkg/data/corpus/seeds"])   # doctest: +SKIP
    >>> kg.query("SELECT ?d WHERE { ?d unkg:cites ?t . ?t unkg:symbol ?s }", s="A/RES/59/50")
    ... # doctest: +SKIP

Query results are pandas DataFrames with one column per variable. Cells are rdflib terms: IRIs are
`URIRef`, strings are `Literal`s that keep their language tag (`cell.language == "fr"`); numbers,
booleans and dates become Python values (`unkg.queries.runner.cell_value`). Parameters are bound
as RDF terms (`unkg.store.sparql`), never pasted into the query text as strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from unkg.errors import UsageError
from unkg.graph.iris import DEFAULT_BASE
from unkg.graph.load import LoadReport, Progress, load_files
from unkg.store import Store, open_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from unkg.graph.akn import AknExport
    from unkg.validate.runner import ValidationReport

_PREFIX_DECL = re.compile(r"^\s*PREFIX\s", re.IGNORECASE | re.MULTILINE)


@cache
def graph_query(name: str) -> str:
    """Text of one of the API's own queries (`unkg/queries/internal/{name}.rq`)."""
    from unkg.queries.files import read_query

    return read_query("internal", name).text


def with_prefixes(sparql: str) -> str:
    """Prepend our PREFIX declarations to a query that declares none (convenience for users)."""
    if _PREFIX_DECL.search(sparql):
        return sparql
    from unkg.ontology import prefixes

    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes().items()) if p)
    return head + sparql


@dataclass
class Description:
    """What `describe` says about a document."""

    symbol: str
    iri: str | None
    facts: dict[str, Any] = field(default_factory=dict)  # type, organ, date, session…
    titles: dict[str, str] = field(default_factory=dict)  # language → title
    cites: list[dict[str, Any]] = field(default_factory=list)
    cited_by: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.iri is not None


class KnowledgeGraph:
    """A knowledge graph of UN documents in a store (embedded Oxigraph by default)."""

    def __init__(self, store: Store, *, base: str = DEFAULT_BASE
                 ) -> None:
        self.store = store
        self.base = base

    @classmethod
    def open(cls, path: str | Path | None = None, *, base: str = DEFAULT_BASE,
             backend: str = "oxigraph", read_only: bool = False) -> KnowledgeGraph:
        """Open (or create) a graph: on disk at `path`, in memory when `path` is None."""
        return cls(open_store(path, backend=backend, read_only=read_only), base=base)

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # --- writing ---------------------------------------------------------------------------

    def load(self, paths: str | Path | Iterable[str | Path], force: bool = False, *,
             workers: int | None = None, progress: Progress | None = None,
             validate: bool = True) -> LoadReport:
        """Load source files or directories (see `unkg.graph.load`); `validate` checks the
        graphs written against the shapes (counted per file in the report)."""
        if isinstance(paths, str | Path):
            paths = [paths]
        return load_files(self.store, paths, base=self.base, force=force, workers=workers,
                          progress=progress, validate=validate)

    # --- reading ---------------------------------------------------------------------------

    def query(self, text: str, **params: Any) -> pd.DataFrame:
        """Run SPARQL text (or a stored query by name, see `unkg queries`) → DataFrame.

        Keyword arguments are bound to the query's variables (`symbol="A/RES/69/12"` binds
        `?symbol`) as an RDF term, never pasted as a string.
        Text without PREFIX lines gets the project's prefixes.
        """
        from unkg.queries.runner import query_frame

        from_library = _is_stored_query(text)
        return query_frame(self.store, text if from_library else with_prefixes(text),
                           params or None, base=self.base)

    def select(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of one of the API's own queries (`unkg/queries/internal`), as dicts of rdflib
        terms."""
        return self.store.query(graph_query(name), params or None).dicts()

    def describe(self, key: str, *, lang: str = "en") -> Description:
        """A document: what it is, what it cites (with functions), what cites it, who it names.
        `key` is a symbol, the handle of a document without one ("letter 2009-07-14 from
        Russian Federation"), its content id (`sha256-…`) or its IRI. A handle two documents
        share is a UsageError naming their IRIs. Labels (type, organ, citation functions,
        entities) are in `lang` where the vocabularies have one, else in English."""
        from rdflib import Literal, URIRef

        from unkg.graph import iris

        key = " ".join(key.split()).removeprefix("<").removesuffix(">")
        if re.fullmatch(r"sha256-[0-9a-f]{8,64}", key):
            candidates = [(iris.content_doc_iri(key, base=self.base), key)]
        elif re.match(r"https?://", key):
            candidates = [(key, key)]
        else:
            rows = self.select("resolve-document", key=Literal(key))
            candidates = [(str(r["document"]), str(r["name"])) for r in rows]
            if len(candidates) > 1:
                raise UsageError(f"{key!r} names {len(candidates)} documents: "
                                 + ", ".join(f"<{iri}>" for iri, _ in candidates))
        if not candidates:
            return Description(symbol=key, iri=None)
        iri, name = candidates[0]
        doc = {"document": URIRef(iri)}
        if name == key and key.startswith(("http", "sha256-")):
            # an IRI or content id: the document must exist; show its symbol or handle
            named = self.select("document-name", **doc)
            if not named or named[0].get("name") is None:
                return Description(symbol=key, iri=None)
            name = str(named[0]["name"])
        rows = self.select("describe-document", **doc)
        facts: dict[str, Any] = {}  # one fact per row (the query's UNION branches)
        for k in ("type", "organ", "date", "session", "item", "meeting", "draft", "in_corpus"):
            found = [row[k] for row in rows if row.get(k) is not None]
            if found:
                facts[k] = found[0]
        titles = {str(r["language"]): str(r["title"]) for r in rows
                  if r.get("language") is not None and r.get("title") is not None}
        described = Description(
            symbol=name, iri=iri, facts=facts, titles=titles,
            cites=self.select("describe-cites", **doc),
            cited_by=self.select("describe-cited-by", **doc),
            entities=self.select("describe-entities", **doc),
        )
        if lang != "en":
            self._relabel(described, rows, lang)
        return described

    def _relabel(self, d: Description, rows: list[dict[str, Any]], lang: str) -> None:
        """Labels in `lang` (the queries give English ones) where the vocabularies have them."""
        from rdflib import Literal

        from unkg.store.sparql import restrict_values

        def first(key: str) -> Any:
            return next((r[key] for r in rows if r.get(key) is not None), None)

        concepts = {c for c in (first("type_concept"), first("organ_concept")) if c is not None}
        concepts |= {r["function_concept"] for r in (*d.cites, *d.cited_by)
                     if r.get("function_concept") is not None}
        concepts |= {e["entity"] for e in d.entities}
        if not concepts:
            return
        text = restrict_values(graph_query("labels"), "resource", sorted(concepts))
        found = {str(r["resource"]): r["label"] for r in
                 self.store.query(text, {"lang": Literal(lang.lower())}).dicts()}

        def label(concept: Any, default: Any) -> Any:
            return found.get(str(concept), default) if concept is not None else default

        for fact, concept in (("type", "type_concept"), ("organ", "organ_concept")):
            if fact in d.facts:
                d.facts[fact] = label(first(concept), d.facts[fact])
        for r in (*d.cites, *d.cited_by):
            r["function"] = label(r.get("function_concept"), r.get("function"))
        for e in d.entities:
            e["label"] = label(e["entity"], e.get("label"))

    def stats(self) -> dict[str, int]:
        """Counts: documents (loaded), document_nodes, citations, mentions, entities, links,
        paragraphs, graphs, triples."""
        row = self.select("stats")[0]
        counts = {k: int(v) if v is not None else 0 for k, v in row.items()}
        counts["triples"] = self.store.count()
        return counts

    # --- checking and exporting ------------------------------------------------------------

    def validate(self, *, workers: int | None = None, engine: str = "sparql"
                 ) -> ValidationReport:
        """The SHACL shapes over every named graph, plus the SPARQL checks. `engine` is
        "sparql" (the shapes compiled to SPARQL, run in the store) or "pyshacl" (the reference,
        graph by graph in memory); an unknown engine is a UsageError."""
        from unkg.validate.runner import validate_store

        return validate_store(self.store, base=self.base, workers=workers, engine=engine)

    def export(self, path: str | Path | None, fmt: str | None = None, *, gzip: bool = False,
               graph: str | None = None, out: IO[bytes] | None = None) -> int:
        """Write the graph to `path` (format from `fmt` or the file suffix), or to the binary
        stream `out` (then `fmt` is needed); returns bytes."""
        from unkg.graph.export import FORMATS, export_store

        if out is not None:
            if fmt is None:
                raise UsageError("exporting to a stream needs a format")
            return export_store(self.store, None, fmt, graph=graph, gzipped=gzip, out=out)
        if path is None:
            raise UsageError("export needs an output file")
        if fmt is None:
            suffix = Path(path).name.removesuffix(".gz").rsplit(".", 1)[-1]
            fmt = suffix if suffix in FORMATS else None
            if fmt is None:
                raise UsageError(f"cannot tell the format from {path!r}: give fmt")
        return export_store(self.store, path, fmt, graph=graph, gzipped=gzip)

    def export_akn(self, out_dir: str | Path) -> AknExport:
        """One Akoma Ntoso (AKN4UN) XML file per language version in `out_dir`, each validated
        against the OASIS schema; written from the sources the provenance names (docs/akn.md)."""
        from unkg.graph.akn import export_store as export_akn

        return export_akn(self.store, Path(out_dir), base=self.base)

    # --- networks --------------------------------------------------------------------------

    def network(self, kind: str = "citations", *, since: str | None = None,
                until: str | None = None, **options: Any) -> nx.Graph:
        """A networkx projection: "citations" (DiGraph of documents), "organisations" (weighted
        Graph of organisations, bodies and states) or "mentions" (document–entity bipartite).
        `since`/`until` (YYYY or YYYY-MM-DD) keep only evidence dated in that period; other
        options go to the projection (see `unkg.network`)."""
        from unkg import network

        return network.project(self.store, kind, since=since, until=until, **options)

    def rdflib(self) -> Any:
        """An rdflib Dataset view of the store (slow paths and rdflib tools only)."""
        from unkg.store import MemoryStore, OxigraphStore

        if not isinstance(self.store, OxigraphStore | MemoryStore):
            raise UsageError("an rdflib view needs an embedded or in-memory store")
        return self.store.rdflib()


def _is_stored_query(text: str) -> bool:
    from unkg.queries.runner import library

    return text in library()
