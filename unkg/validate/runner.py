"""Validation: SHACL shapes, plus SPARQL checks that must return no rows.

Two engines give the same results (tests/test_shacl_sparql.py):

- `sparql` (the default): the shapes compiled to SPARQL (`unkg.validate.shacl_sparql`) and run in
  Oxigraph over the union of the store's graphs (data, ontology, authority) — seconds for the
  bulk corpus, where pySHACL takes minutes. Loading validates the graphs it wrote this way.
- `pyshacl`: the reference. pyshacl is linear but slow over an Oxigraph-backed graph
  (DESIGN.md), so each named graph is validated on its own, in memory, together with a small
  support graph (the vocabularies' concepts and the ontology's class hierarchy, so `sh:class`
  sees subclasses and vocabulary concepts), in worker processes when there are many graphs.

The SPARQL checks (`unkg/queries/checks/*-violation.rq`) run once over the whole store.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from unkg.graph import iris, reference
from unkg.ontology import RDF_TYPE, RDFS, SH, SHAPES, SKOS, data_file
from unkg.queries.files import queries_in
from unkg.queries.header import StoredQuery
from unkg.store.base import Store

RDFS_SUBCLASS = RDFS + "subClassOf"
# Graphs validated in one worker task (amortises process start and shape parsing).
CHUNK = 16


@dataclass(frozen=True)
class Violation:
    shape: str  # the node shape (or SPARQL check) that failed: "CitationShape"
    focus: str  # the node that does not conform
    path: str | None  # the property, in prefixed form
    message: str
    severity: str = "Violation"
    value: str | None = None
    graph: str | None = None
    component: str | None = None  # SHACL constraint component: "MinCountConstraintComponent"


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    graphs: int = 0  # named graphs validated now
    checks: int = 0  # SPARQL checks run
    already_validated: int = 0  # graphs skipped: recorded as conformant when they were loaded

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def by_shape(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = {}
        for v in sorted(self.violations, key=lambda v: (v.shape, v.focus, v.path or "")):
            grouped.setdefault(v.shape, []).append(v)
        return grouped

    def to_text(self, limit_per_shape: int = 20) -> str:
        earlier = (f" (+{self.already_validated} validated when loaded)"
                   if self.already_validated else "")
        head = (f"Conforms: {'yes' if self.conforms else 'no'} — {self.graphs} graphs{earlier}, "
                f"{self.checks} SPARQL checks, {len(self.violations)} results")
        lines = [head]
        for shape, items in self.by_shape().items():
            lines.append(f"\n{shape} ({len(items)})")
            for v in items[:limit_per_shape]:
                path = f" {v.path}" if v.path else ""
                value = f" [value: {v.value}]" if v.value else ""
                graph = f" (in <{v.graph}>)" if v.graph else ""
                lines.append(f"  {v.severity}: <{v.focus}>{path}: {v.message}{value}{graph}")
            if len(items) > limit_per_shape:
                lines.append(f"  … {len(items) - limit_per_shape} more")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "graphs": self.graphs,
                           "already_validated": self.already_validated, "checks": self.checks,
                           "results": [asdict(v) for v in sorted(
                               self.violations, key=lambda v: (v.shape, v.focus, v.path or ""))]},
                          ensure_ascii=False, indent=2, sort_keys=True)

    def to_turtle(self) -> str:
        """A SHACL ValidationReport in Turtle (SPARQL check results as sh:ValidationResult too)."""
        from rdflib import BNode, Literal, URIRef
        from rdflib.namespace import RDF
        from rdflib.namespace import SH as RSH

        from unkg.store import new_rdflib_graph

        g = new_rdflib_graph()
        report = BNode("report")
        g.add((report, RDF.type, RSH.ValidationReport))
        g.add((report, RSH.conforms, Literal(self.conforms)))
        for i, v in enumerate(sorted(self.violations,
                                     key=lambda v: (v.shape, v.focus, v.path or ""))):
            r = BNode(f"r{i}")
            g.add((report, RSH.result, r))
            g.add((r, RDF.type, RSH.ValidationResult))
            g.add((r, RSH.focusNode, URIRef(v.focus)))
            g.add((r, RSH.resultSeverity, RSH[v.severity]))
            g.add((r, RSH.resultMessage, Literal(v.message)))
            g.add((r, RSH.sourceShape, URIRef(SHAPES + v.shape)))
            if v.path:
                g.add((r, RSH.resultPath, URIRef(_expand(v.path))))
            if v.value:
                g.add((r, RSH.value, Literal(v.value)))
        return g.serialize(format="turtle")


def _compact(iri: str) -> str:
    from unkg.ontology import prefixes

    for prefix, ns in sorted(prefixes().items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and prefix:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _expand(name: str) -> str:
    from unkg.ontology import prefixes

    prefix, _, local = name.partition(":")
    ns = prefixes().get(prefix)
    return ns + local if ns and not name.startswith("http") else name


# --- SHACL in workers ----------------------------------------------------------------------------

@cache
def _shapes() -> Any:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    g.parse(data=data_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


@cache
def _shape_owners() -> dict[str, str]:
    """Property shape (blank node) → local name of the node shape that holds it."""
    from rdflib import URIRef

    g = _shapes()
    owners = {}
    for node_shape, _p, prop in g.triples((None, URIRef(SH + "property"), None)):
        owners[str(prop)] = str(node_shape).removeprefix(SHAPES)
    return owners


@cache
def support_nquads() -> bytes:
    """Vocabulary concepts and the class hierarchy: what `sh:class` needs besides the data."""
    keep = {RDFS_SUBCLASS, RDF_TYPE, SKOS + "inScheme", SKOS + "prefLabel"}
    quads = [ox.Triple(q.subject, q.predicate, q.object) for q in reference.ontology_quads()
             if q.predicate.value in keep]
    import io

    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_TRIPLES)
    return buf.getvalue()


def validate_ntriples(named: Sequence[tuple[str, bytes]], with_support: bool = True
                      ) -> list[Violation]:
    """Validate each (graph name, N-Triples) on its own; runs in a worker process."""
    import logging

    from pyshacl import validate
    from rdflib import Graph, URIRef

    # An ill-formed literal is reported as a violation; rdflib's own warning would be noise.
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)

    shapes = _shapes()
    owners = _shape_owners()
    found: list[Violation] = []
    for name, data in named:
        g = Graph(bind_namespaces="none")
        g.parse(data=data, format="nt")
        if with_support:
            g.parse(data=support_nquads(), format="nt")
        conforms, results, _ = validate(g, shacl_graph=shapes, inference="none",
                                        advanced=False, allow_warnings=True, inplace=True)
        if conforms:
            continue
        sh = lambda local: URIRef(SH + local)  # noqa: E731
        for r in results.subjects(URIRef(RDF_TYPE), sh("ValidationResult")):
            source = str(results.value(r, sh("sourceShape")))
            shape = owners.get(source) or (source.removeprefix(SHAPES)
                                           if source.startswith(SHAPES) else "unnamed shape")
            path = results.value(r, sh("resultPath"))
            value = results.value(r, sh("value"))
            severity = str(results.value(r, sh("resultSeverity"))).removeprefix(SH)
            component = results.value(r, sh("sourceConstraintComponent"))
            found.append(Violation(
                shape=shape,
                focus=str(results.value(r, sh("focusNode"))),
                path=_compact(str(path)) if path is not None else None,
                message=str(results.value(r, sh("resultMessage")) or "does not conform"),
                severity=severity, value=str(value) if value is not None else None,
                graph=name,
                component=str(component).removeprefix(SH) if component is not None else None))
    return found


# --- over a store ----------------------------------------------------------------------------

def _graph_ntriples(store: Store, graph: str) -> bytes:
    import io

    buf = io.BytesIO()
    store.dump(buf, "nt", graph=graph)
    return buf.getvalue()


def check_queries() -> list[StoredQuery]:
    """Every SPARQL check `unkg/queries/checks/*-violation.rq`, by name."""
    return [q for name, q in queries_in("checks").items() if name.endswith("-violation")]


def run_checks(store: Store) -> list[Violation]:
    """Run the SPARQL checks; every row they return is a violation."""
    found: list[Violation] = []
    for check in check_queries():
        name, title = check.name, check.title
        res = store.query(check.text)
        for row in res.dicts():
            focus = row.get("focus")
            graph = row.get("graph")
            found.append(Violation(shape=name, focus=str(focus), path=None, message=title,
                                   graph=str(graph) if graph is not None else None))
    return found


ENGINES = ("sparql", "pyshacl")


def sparql_violations(store: Store, graphs: Iterable[str] | None = None, *,
                      workers: int | None = None) -> list[Violation]:
    """The shapes compiled to SPARQL, run over the store (see `unkg.validate.shacl_sparql`); each
    violation names a graph its focus node is described in (one of `graphs` when scoped)."""
    from unkg.validate import shacl_sparql

    scope = sorted(set(graphs)) if graphs is not None else None
    everything = set(store.named_graphs())
    if scope is not None and 2 * len(scope) >= len(everything):
        # Most of the store: one unscoped pass and a filter is faster than a scoped one.
        results = shacl_sparql.run_checks(store, workers=workers)
        where = shacl_sparql.focus_graphs(store, (r.focus for r in results), prefer=scope)
        wanted = set(scope)
        results = [r for r in results if where.get(str(r.focus)) in wanted]
    else:
        results = shacl_sparql.run_checks(store, scope, workers=workers)
        where = shacl_sparql.focus_graphs(store, (r.focus for r in results), prefer=scope or ())
    return [Violation(shape=r.check.shape, focus=str(r.focus),
                      path=_compact(r.check.path) if r.check.path else None,
                      message=r.check.message,
                      value=str(r.value) if r.value is not None else None,
                      graph=where.get(str(r.focus)), component=r.check.component)
            for r in results]


def validate_store(store: Store, *, base: str | None = None, graphs: Iterable[str] | None = None,
                   workers: int | None = None, checks: bool = True,
                   engine: str = "sparql") -> ValidationReport:
    """Validate the named graphs of a store (all of them by default) and run the checks.

    `sparql` (default) checks the focus nodes of `graphs` (or all) against the union of the
    store; `pyshacl` (the reference) validates graph by graph in memory."""
    if engine not in ENGINES:
        from unkg.errors import UsageError

        raise UsageError(f"unknown validation engine {engine!r} ({' or '.join(ENGINES)})")
    if engine == "sparql":
        names = sorted(graphs) if graphs is not None else store.named_graphs()
        report = ValidationReport(graphs=len(names))
        report.violations += sparql_violations(store, names if graphs is not None else None,
                                               workers=workers)
    else:
        report = _validate_store_pyshacl(store, base=base, graphs=graphs, workers=workers)
    if checks:
        queries = check_queries()
        report.checks = len(queries)
        report.violations += run_checks(store)
    return report


def _validate_store_pyshacl(store: Store, *, base: str | None, graphs: Iterable[str] | None,
                            workers: int | None) -> ValidationReport:
    names = sorted(graphs) if graphs is not None else store.named_graphs()
    ontology = iris.graph_iri("ontology", base=base)
    payload = [(g, _graph_ntriples(store, g)) for g in names if g != ontology]
    report = ValidationReport(graphs=len(names))
    # The ontology graph is the support itself: its concepts are checked without extra data.
    if ontology in names:
        report.violations += validate_ntriples([(ontology, _graph_ntriples(store, ontology))],
                                               with_support=False)
    report.violations += validate_payload(payload, workers=workers)
    return report


def validate_payload(payload: list[tuple[str, bytes]], *, workers: int | None = None
                     ) -> list[Violation]:
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = [payload[i:i + CHUNK] for i in range(0, len(payload), CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        return [v for chunk in chunks for v in validate_ntriples(chunk)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [v for part in pool.map(validate_ntriples, chunks) for v in part]


def validate_quads(graphs: dict[str, Sequence[ox.Quad]], *, engine: str = "sparql"
                  ) -> ValidationReport:
    """Validate built graphs before they are stored (no SPARQL checks): with `sparql`, in a
    scratch in-memory store together with the ontology and authority graphs."""
    import io

    if engine == "sparql":
        from unkg.store import OxigraphStore

        scratch = OxigraphStore()
        scratch.replace_graphs({iris.graph_iri("ontology"): reference.ontology_quads(),
                                iris.graph_iri("authority"): reference.authority_quads()})
        # Each graph's quads under the graph's name (whatever graph name they carry).
        scratch.replace_graphs({g: [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(g))
                                    for q in quads] for g, quads in graphs.items()})
        return ValidationReport(violations=sparql_violations(scratch, graphs),
                                graphs=len(graphs))
    payload = []
    for name, quads in sorted(graphs.items()):
        buf = io.BytesIO()
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), buf,
                     format=ox.RdfFormat.N_TRIPLES)
        payload.append((name, buf.getvalue()))
    return ValidationReport(violations=validate_ntriples(payload), graphs=len(payload))
