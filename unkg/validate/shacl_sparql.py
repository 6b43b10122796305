"""SHACL shapes compiled to SPARQL: one SELECT per (shape, constraint) returning its violations.

pySHACL costs ~100 µs per triple; the same checks as SPARQL run inside Oxigraph over the union
of the store's graphs in seconds (issue #7). The compiler covers exactly the SHACL Core subset
`unkg/ontology/shapes.ttl` uses; any other target, path or constraint raises
`UnsupportedShapeError` naming the shape and the predicate, so the shapes cannot silently outgrow
it. `tests/test_shacl_sparql.py` checks it reports the same (focus, path, component) set as pySHACL.

Values taken from the shapes graph (IRIs, literals, patterns) enter the queries as serialised RDF
terms (pyoxigraph `str(term)`), never as pasted strings. `sh:targetClass` and `sh:class` follow
`rdfs:subClassOf*` in the data (the ontology graph is part of the store): the closure is read from
the store once and inlined as a VALUES block.

How the queries are shaped matters more than what they say (bulk corpus: 22 s -> see
`shape_queries`): Oxigraph scans a predicate at ~0.3 µs a triple but looks one up by subject at
~10 µs, and a join whose right side is a plain pattern runs as such lookups (one per focus
node). So every check scans its predicate once and is joined with the focus nodes by a hash
join (the violations are wrapped in a subquery), absences are anti-joins (MINUS, not FILTER NOT
EXISTS), and datatype tests avoid `DATATYPE()` (which builds a new term per row).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from unkg.errors import UnkgError
from unkg.ontology import RDF, RDFS, SH, SHAPES, XSD, data_file
from unkg.store.base import Store

# Predicates of a shape that are not constraints (documentation or structure).
_NOT_CONSTRAINTS = {RDF + "type", RDFS + "comment", RDFS + "label", SH + "message",
                    SH + "property", SH + "path", SH + "name", SH + "description",
                    SH + "targetClass", SH + "targetSubjectsOf", SH + "targetObjectsOf",
                    SH + "targetNode"}
# Datatypes whose lexical forms pySHACL checks (an ill-typed literal is a violation): Oxigraph
# keeps a well-formed one as its value, which casts to itself, and an ill-typed one as an opaque
# literal, whose cast fails.
_CHECKED_DATATYPES = {XSD + t for t in ("integer", "decimal", "double", "float", "boolean",
                                        "date", "dateTime", "time")}
_COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">",
                "maxExclusive": "<"}


_TARGETS = {"targetClass": "class", "targetSubjectsOf": "subjectsOf",
            "targetObjectsOf": "objectsOf", "targetNode": "node"}


class UnsupportedShapeError(UnkgError):
    """shapes.ttl uses a SHACL feature the SPARQL compiler does not implement."""


@dataclass(frozen=True)
class CompiledCheck:
    """One constraint of one shape. `kind` says how it runs (the checks of one node shape run
    together, see `shape_queries`):

    - "focus": `expr` is a group pattern following the target nodes ?focus that keeps those
      which violate (`MINUS {...}` for an absence, `FILTER(...)` for a node-level test);
    - "value": `expr` is a group pattern following `?focus <path> ?value` that keeps the
      violating values, over every subject of the path (joined with the targets afterwards);
    - "group": `expr` is a subquery selecting the violating ?focus among all subjects;
    - "where": `expr` is a group pattern binding the violating ?focus (sh:minCount above 1).
    """

    shape: str  # local name of the node shape: "CitationShape"
    component: str  # local name of the constraint component: "MinCountConstraintComponent"
    path: str | None  # the property IRI (None for node-level constraints)
    message: str
    kind: str
    expr: str
    targets: tuple[tuple[str, str], ...]  # ("class" | "subjectsOf" | "objectsOf" | "node", IRI)
    classes: tuple[str, ...] = ()  # sh:class: replaced by the class and its subclasses


# Where a `sh:class` check lists the class and its subclasses (read from the store when run).
_CLASSES = "__SUBCLASSES__"


def _term(node: Any) -> str:
    """An rdflib term from the shapes graph as a serialised SPARQL/N-Triples term."""
    from rdflib import Literal, URIRef

    if isinstance(node, URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return str(ox.Literal(str(node), datatype=datatype))
    raise UnsupportedShapeError(f"cannot use {node!r} as a value in a query")


def _local(iri: str) -> str:
    return iri.removeprefix(SHAPES).removeprefix(SH)


@cache
def shapes_graph() -> Any:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    g.parse(data=data_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def _fail(shape: str, what: str) -> UnsupportedShapeError:
    return UnsupportedShapeError(f"shape {shape}: {what} is not supported by the SPARQL "
                                 f"compiler (unkg/validate/shacl_sparql.py)")


def compile_shapes(shapes: Any | None = None) -> list[CompiledCheck]:
    """Every constraint of every node shape (with its property shapes) as a `CompiledCheck`."""
    from rdflib import URIRef
    from rdflib.collection import Collection

    g = shapes if shapes is not None else shapes_graph()
    sh = lambda local: URIRef(SH + local)  # noqa: E731
    checks: list[CompiledCheck] = []
    for node_shape in sorted(set(g.subjects(URIRef(RDF + "type"), sh("NodeShape")))):
        name = _local(str(node_shape))
        targets: list[tuple[str, str]] = []
        for kind, short in _TARGETS.items():
            for t in g.objects(node_shape, sh(kind)):
                if not isinstance(t, URIRef):
                    raise _fail(name, f"sh:{kind} {t!r} (not an IRI)")
                targets.append((short, str(t)))
        if not targets:
            raise _fail(name, "a node shape without a target")
        targets_t = tuple(sorted(targets))
        # Node-level constraints: the value node is the focus node itself.
        checks += _constraints(g, node_shape, name, None, targets_t)
        for prop in g.objects(node_shape, sh("property")):
            path = g.value(prop, sh("path"))
            if not isinstance(path, URIRef):
                raise _fail(name, f"sh:path {path!r} (only IRI paths)")
            checks += _constraints(g, prop, name, str(path), targets_t)
        for members in g.objects(node_shape, sh("or")):
            conditions = [_conforms(g, m, name) for m in Collection(g, members)]
            message = str(g.value(node_shape, sh("message")) or
                          "conforms to none of the alternatives of sh:or")
            # Violates when it conforms to no member: no match for the members' union.
            checks.append(CompiledCheck(name, "OrConstraintComponent", None, message, "focus",
                                        f"MINUS {{ {' UNION '.join(conditions)} }}", targets_t))
    return checks


def _conforms(g: Any, member: Any, shape: str) -> str:
    """A group pattern matching the focus nodes that conform to an sh:or member. Only property
    shapes with sh:minCount 1 (all our sh:or members) are supported."""
    from rdflib import URIRef

    preds = {str(p) for p in g.predicates(member, None)}
    path = g.value(member, URIRef(SH + "path"))
    min_count = g.value(member, URIRef(SH + "minCount"))
    if preds != {SH + "path", SH + "minCount"} or not isinstance(path, URIRef) \
            or min_count is None or int(min_count) != 1:
        raise _fail(shape, "an sh:or member other than [ sh:path <iri> ; sh:minCount 1 ]")
    return f"{{ ?focus {_term(path)} ?_any }}"


_SUPPORTED = {SH + c for c in ("minCount", "maxCount", "datatype", "class", "nodeKind",
                               "pattern", "flags", "in", "hasValue", "uniqueLang",
                               *_COMPARISONS)}


def _datatype_test(datatype: str, var: str) -> str:
    """A SPARQL condition: `var` is a well-formed literal of `datatype`. `DATATYPE()` builds a
    term per row (~2 µs, 5x a scan), so the common datatypes are tested without it: Oxigraph
    keeps a well-formed xsd:integer, xsd:date... as its value and casting it to its own datatype
    gives the same term back, while any other term (another datatype, an ill-typed lexical
    form, an IRI) casts to a different term or fails."""
    d = _term_iri(datatype)
    if datatype in _CHECKED_DATATYPES or datatype == XSD + "string":
        return f"sameTerm({var}, {d}({var}))"
    if datatype == RDF + "langString":
        return f'(isLiteral({var}) && LANG({var}) != "")'
    return f"(isLiteral({var}) && sameTerm(datatype({var}), {d}))"


def _constraints(g: Any, node: Any, shape: str, path: str | None,
                 targets: tuple[tuple[str, str], ...]) -> list[CompiledCheck]:
    """The checks of one node shape (`path` None) or property shape, in a fixed order."""
    c = _ShapeCompiler(g, node, shape, path, targets)
    c.check_supported()
    c.cardinality()
    c.value_type()
    c.value_range()
    return c.out


class _ShapeCompiler:
    """Compiles the constraints of one shape into `CompiledCheck`s (`out`)."""

    def __init__(self, g: Any, node: Any, shape: str, path: str | None,
                 targets: tuple[tuple[str, str], ...]) -> None:
        from rdflib import URIRef

        self.g, self.node, self.shape, self.path, self.targets = g, node, shape, path, targets
        self.custom = g.value(node, URIRef(SH + "message"))
        self.out: list[CompiledCheck] = []
        self.p = _term(URIRef(path)) if path is not None else None
        # A node shape's value node is the focus node itself.
        self.var = "?value" if path is not None else "?focus"
        self.kind_of_value = "value" if path is not None else "focus"

    def obj(self, local: str) -> Any:
        from rdflib import URIRef

        return self.g.value(self.node, URIRef(SH + local))

    def add(self, component: str, default: str, kind: str, expr: str,
            classes: tuple[str, ...] = ()) -> None:
        self.out.append(CompiledCheck(self.shape, component, self.path,
                                      str(self.custom or default), kind, expr, self.targets,
                                      classes))

    def test(self, component: str, default: str, violates: str) -> None:
        # A value violates when `violates` is true or fails (as an ill-typed value does).
        self.add(component, default, self.kind_of_value, f"FILTER(COALESCE({violates}, true))")

    def check_supported(self) -> None:
        shape, path = self.shape, self.path
        for pred in self.g.predicates(self.node, None):
            key = str(pred)
            if key in _NOT_CONSTRAINTS or key == SH + "or":
                continue
            if key not in _SUPPORTED:
                raise _fail(shape, f"constraint <{key}>" + (f" on path <{path}>" if path else ""))
            if key in (SH + "minCount", SH + "maxCount", SH + "uniqueLang", SH + "hasValue") \
                    and path is None:
                raise _fail(shape, f"<{key}> on a node shape")

    def cardinality(self) -> None:
        """sh:minCount and sh:maxCount."""
        p = self.p
        if (n := self.obj("minCount")) is not None:
            n = int(n)
            if n == 1:
                self.add("MinCountConstraintComponent", "no value", "focus",
                         f"MINUS {{ ?focus {p} ?_any }}")
            else:
                self.add("MinCountConstraintComponent", f"fewer than {n} values", "where",
                         f"OPTIONAL {{ SELECT ?focus (COUNT(DISTINCT ?_v) AS ?_n) "
                         f"WHERE {{ ?focus {p} ?_v }} GROUP BY ?focus }} "
                         f"FILTER(COALESCE(?_n, 0) < {n})")
        if (n := self.obj("maxCount")) is not None:
            # Counted over distinct values: the union default graph repeats a triple once per
            # graph that holds it (a session's label in 600 graphs). COUNT(DISTINCT) keeps a
            # set per subject, so the (few) subjects with more than n triples are found first
            # (and hash-joined with the triples: looked up one by one, repeated triples cost
            # 10x).
            n = int(n)
            self.add("MaxCountConstraintComponent", f"more than {n} value{'s' if n > 1 else ''}",
                     "group", f"SELECT ?focus WHERE {{ {{ SELECT ?focus WHERE {{ ?focus {p} ?_w }} "
                              f"GROUP BY ?focus HAVING (COUNT(?_w) > {n}) }} "
                              f"{{ SELECT ?focus ?_v WHERE {{ ?focus {p} ?_v }} }} }} "
                              f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?_v) > {n})")

    def value_type(self) -> None:
        """sh:datatype, sh:class and sh:nodeKind."""
        from rdflib import URIRef

        var = self.var
        if (dt := self.obj("datatype")) is not None:
            self.test("DatatypeConstraintComponent", f"the value is not of datatype <{dt}>",
                      f"!{_datatype_test(str(dt), var)}")
        if (cls := self.obj("class")) is not None:
            self.add("ClassConstraintComponent", f"the value is not an instance of <{cls}>",
                     self.kind_of_value, f"MINUS {{ VALUES ?_vc {{ {_CLASSES} }} "
                                         f"{var} {_term(URIRef(RDF + 'type'))} ?_vc }}",
                     (str(cls),))
        if (kind := self.obj("nodeKind")) is not None:
            tests = {"IRI": "isIRI(V)", "BlankNode": "isBlank(V)", "Literal": "isLiteral(V)",
                     "BlankNodeOrIRI": "(isBlank(V) || isIRI(V))",
                     "BlankNodeOrLiteral": "(isBlank(V) || isLiteral(V))",
                     "IRIOrLiteral": "(isIRI(V) || isLiteral(V))"}
            local = str(kind).removeprefix(SH)
            if local not in tests:
                raise _fail(self.shape, f"sh:nodeKind {kind}")
            self.test("NodeKindConstraintComponent", f"the value is not of node kind sh:{local}",
                      "!" + tests[local].replace("V", var))

    def value_range(self) -> None:
        """sh:pattern, sh:in, sh:hasValue, sh:uniqueLang and the comparisons (minInclusive …)."""
        from rdflib.collection import Collection

        var, p = self.var, self.p
        if (pattern := self.obj("pattern")) is not None:
            flags = self.obj("flags")
            args = _term(pattern) + (f", {_term(flags)}" if flags is not None else "")
            self.test("PatternConstraintComponent", f"the value does not match {pattern}",
                      f"(isBlank({var}) || !REGEX(STR({var}), {args}))")
        if (members := self.obj("in")) is not None:
            allowed = [_term(m) for m in Collection(self.g, members)]
            same = " || ".join(f"sameTerm({var}, {a})" for a in allowed) or "false"
            self.test("InConstraintComponent", f"the value is not one of {', '.join(allowed)}",
                      f"!({same})")
        if (value := self.obj("hasValue")) is not None:
            self.add("HasValueConstraintComponent", f"no value {value}", "focus",
                     f"MINUS {{ ?focus {p} {_term(value)} }}")
        if (unique := self.obj("uniqueLang")) is not None and bool(unique.toPython()):
            self.add("UniqueLangConstraintComponent", "two values share a language tag", "group",
                     f"SELECT ?focus WHERE {{ ?focus {p} ?_v FILTER(LANG(?_v) != \"\") }} "
                     "GROUP BY ?focus (LCASE(LANG(?_v))) HAVING (COUNT(DISTINCT ?_v) > 1)")
        for local, op in _COMPARISONS.items():
            if (bound := self.obj(local)) is not None:
                comp = local[0].upper() + local[1:] + "ConstraintComponent"
                self.test(comp, f"the value is not {op} {bound}",
                          f"!COALESCE({var} {op} {_term(bound)}, false)")


# --- running the checks --------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    check: CompiledCheck
    focus: Any  # rdflib term
    value: Any | None


def _subclasses(store: Store, classes: Iterable[str]) -> dict[str, list[str]]:
    """Each class with its subclasses (rdfs:subClassOf* in the store)."""
    out: dict[str, list[str]] = {}
    for c in sorted(set(classes)):
        res = store.query("SELECT DISTINCT ?sub WHERE { ?sub "
                          f"{_term_iri(RDFS + 'subClassOf')}* {_term_iri(c)} }}")
        out[c] = sorted({str(r[0]) for r in res.rows} | {c})
    return out


def _term_iri(iri: str) -> str:
    return str(ox.NamedNode(iri))


def _focus_pattern(targets: tuple[tuple[str, str], ...], closure: dict[str, list[str]],
                   graphs: list[str] | None, *, distinct: bool = True) -> str:
    """A group binding ?focus to the target nodes, in `graphs` (their target triple lies there)
    or anywhere: a DISTINCT subquery, or (`distinct=False`) a plain pattern that may repeat a
    node (once per class and graph), cheaper where the query's DISTINCT removes repeats."""
    blocks = []
    classes = [sub for kind, c in targets if kind == "class" for sub in closure[c]]
    if classes:
        values = " ".join(_term_iri(c) for c in sorted(set(classes)))
        blocks.append(f"VALUES ?_cls {{ {values} }} ?focus {_term_iri(RDF + 'type')} ?_cls")
    for kind, iri in targets:
        if kind == "subjectsOf":
            blocks.append(f"?focus {_term_iri(iri)} ?_t")
        elif kind == "objectsOf":
            blocks.append(f"?_t {_term_iri(iri)} ?focus")
        elif kind == "node":
            blocks.append(f"VALUES ?focus {{ {_term_iri(iri)} }}")
    if not blocks:
        raise UnsupportedShapeError(f"no target pattern for {targets}")
    if graphs is not None:
        scope = " ".join(_term_iri(g) for g in graphs)
        blocks = [f"VALUES ?_g {{ {scope} }} GRAPH ?_g {{ {b} }}" for b in blocks]
    union = " UNION ".join(f"{{ {b} }}" for b in blocks)
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {union} }} }}" if distinct else f"{{ {union} }}"


def _expr(check: CompiledCheck, closure: dict[str, list[str]]) -> str:
    if not check.classes:
        return check.expr
    members = sorted({sub for c in check.classes for sub in closure[c]})
    return check.expr.replace(_CLASSES, " ".join(_term_iri(c) for c in members))


# A query and, for each (?_c, ?_s) of its rows, the checks that row violates.
Query = tuple[str, dict[tuple[int, int], list[CompiledCheck]]]
Targets = tuple[tuple[str, str], ...]


def check_queries(checks: list[CompiledCheck], closure: dict[str, list[str]],
                  graphs: list[str] | None = None) -> list[Query]:
    """The queries running `checks`; each row is one violation: ?focus (and ?value), the
    number ?_c of the test it fails in its query and the number ?_s of the targets it is in.

    Each distinct test (kind, path, expression) runs once, whichever node shapes use it (the
    paragraph, citation and mention shapes all check unkg:startOffset), and the tests used by
    the same node shapes share one query (one UNION):

    - focus checks: anti-joins (or filters) of the target nodes;
    - value and group checks: over ALL subjects of the path, inside a subquery, so that it is
      joined with the targets by a hash join (a plain pattern would be looked up target by
      target, 5-10x slower);
    - sh:minCount above 1: one query each."""
    out: list[Query] = []
    tests: dict[tuple[str, str | None, str], list[CompiledCheck]] = {}
    for check in checks:
        if check.kind == "where":
            pattern = _focus_pattern(check.targets, closure, graphs)
            out.append((f"SELECT DISTINCT ?focus ?_c ?_s WHERE {{ {pattern} {check.expr} "
                        "BIND(0 AS ?_c) BIND(0 AS ?_s) }", {(0, 0): [check]}))
        else:
            tests.setdefault((check.kind, check.path, _expr(check, closure)), []).append(check)
    batches: dict[tuple[str, tuple[Targets, ...]], list[tuple[str | None, str]]] = {}
    for (kind, path, expr), users in tests.items():
        shapes = tuple(sorted({c.targets for c in users}))
        batches.setdefault((kind, shapes), []).append((path, expr))
    for (kind, shapes), batch in batches.items():
        numbers: dict[tuple[int, int], list[CompiledCheck]] = {}
        for i, (path, expr) in enumerate(batch):
            for c in tests[(kind, path, expr)]:
                numbers.setdefault((i, shapes.index(c.targets)), []).append(c)
        # The target nodes of each node shape, numbered ?_s. An anti-join probes them once
        # each (DISTINCT); a hash join with the few violations does not need that.
        targets = " UNION ".join(
            f"{{ {_focus_pattern(t, closure, graphs, distinct=kind == 'focus')} "
            f"BIND({j} AS ?_s) }}" for j, t in enumerate(shapes))
        targets = f"{{ {targets} }}"
        if kind == "focus":
            branches = " UNION ".join(f"{{ {targets} {expr} BIND({i} AS ?_c) }}"
                                      for i, (_path, expr) in enumerate(batch))
            text = f"SELECT DISTINCT ?focus ?_c ?_s WHERE {{ {branches} }}"
        elif kind == "value":
            branches = " UNION ".join(
                f"{{ ?focus {_term_iri(path or '')} ?value {expr} BIND({i} AS ?_c) }}"
                for i, (path, expr) in enumerate(batch))
            found = f"SELECT ?focus ?value ?_c WHERE {{ {branches} }}"
            text = f"SELECT DISTINCT ?focus ?value ?_c ?_s WHERE {{ {{ {found} }} {targets} }}"
        else:
            branches = " UNION ".join(f"{{ {{ {expr} }} BIND({i} AS ?_c) }}"
                                      for i, (_path, expr) in enumerate(batch))
            text = f"SELECT DISTINCT ?focus ?_c ?_s WHERE {{ {branches} {targets} }}"
        out.append((text, numbers))
    return out


def run_checks(store: Store, graphs: Iterable[str] | None = None,
               checks: list[CompiledCheck] | None = None, *, workers: int | None = None
               ) -> list[Result]:
    """Run the compiled shapes over the union of the store's graphs; with `graphs`, only focus
    nodes targeted in those graphs (their values and classes are still looked up everywhere)."""
    checks = checks if checks is not None else compile_shapes()
    scope = sorted(set(graphs)) if graphs is not None else None
    if scope == []:
        return []
    closure = _subclasses(store, [c for ch in checks for k, c in ch.targets if k == "class"]
                          + [c for ch in checks for c in ch.classes])
    queries = check_queries(checks, closure, scope)

    def run(query: Query) -> list[Result]:
        text, numbers = query
        return [Result(check, row["focus"], row.get("value"))
                for row in store.query(text).dicts()
                for check in numbers[(int(str(row["_c"])), int(str(row["_s"])))]]

    # pyoxigraph releases the GIL while it evaluates: the queries run in threads.
    workers = workers or min(os.cpu_count() or 1, 4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [r for part in pool.map(run, queries) for r in part]


def focus_graphs(store: Store, nodes: Iterable[Any], prefer: Iterable[str] = ()) -> dict[str, str]:
    """A named graph where each node is a subject (one of `prefer` if any, else the first by
    name): where a violation is reported."""
    from rdflib import URIRef

    preferred = set(prefer)
    iris = sorted({str(n) for n in nodes if isinstance(n, URIRef)})
    out: dict[str, str] = {}
    for i in range(0, len(iris), 500):
        chunk = " ".join(_term_iri(n) for n in iris[i:i + 500])
        res = store.query(f"SELECT DISTINCT ?focus ?g WHERE {{ VALUES ?focus {{ {chunk} }} "
                          "GRAPH ?g { ?focus ?_p ?_o } }")
        for focus, g in sorted((str(f), str(g)) for f, g in res.rows):
            if focus not in out or (g in preferred and out[focus] not in preferred):
                out[focus] = g
    return out
