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
from unkg.ontology import data_file

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SHAPES_NS = "https://w3id.org/unkg/shapes#"

# Predicates of a shape that are not constraints (documentation or structure).
_NOT_CONSTRAINTS = {RDF + "type", RDFS + "comment", RDFS + "label", SH + "message",
                    SH + "property", SH + "path", SH + "name", SH + "description",
                    SH + "targetClass", SH + "targetSubjectsOf", SH + "targetObjectsOf",
                    SH + "targetNode"}
# Datatypes whose lexical forms pySHACL checks (an ill-typed literal is a violation): the cast
# to the datatype fails in SPARQL exactly when the lexical form is not valid.
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
    """One constraint of one shape. `kind` says how it runs (all checks of one node shape run
    together, so the target nodes are selected once):

    - "focus": `expr` is a boolean over ?focus, true when the focus node violates;
    - "value": `expr` is a boolean over ?value, true when a value of `path` violates;
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
    return iri.removeprefix(SHAPES_NS).removeprefix(SH)


@cache
def shapes_graph() -> Any:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    g.parse(data=data_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def _fail(shape: str, what: str) -> UnsupportedShapeError:
    return UnsupportedShapeError(f"shape {shape}: {what} is not supported by the SPARQL "
                                 f"compiler (unkg/graph/shacl_sparql.py)")


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
            checks.append(CompiledCheck(name, "OrConstraintComponent", None, message, "focus",
                                        f"!({' || '.join(conditions)})", targets_t))
    return checks


def _conforms(g: Any, member: Any, shape: str) -> str:
    """A SPARQL condition: the focus node conforms to an sh:or member. Only property shapes
    with sh:minCount 1 (all our sh:or members) are supported."""
    from rdflib import URIRef

    preds = {str(p) for p in g.predicates(member, None)}
    path = g.value(member, URIRef(SH + "path"))
    min_count = g.value(member, URIRef(SH + "minCount"))
    if preds != {SH + "path", SH + "minCount"} or not isinstance(path, URIRef) \
            or min_count is None or int(min_count) != 1:
        raise _fail(shape, "an sh:or member other than [ sh:path <iri> ; sh:minCount 1 ]")
    return f"EXISTS {{ ?focus {_term(path)} ?_any }}"


_SUPPORTED = {SH + c for c in ("minCount", "maxCount", "datatype", "class", "nodeKind",
                               "pattern", "flags", "in", "hasValue", "uniqueLang",
                               *_COMPARISONS)}


def _constraints(g: Any, node: Any, shape: str, path: str | None,
                 targets: tuple[tuple[str, str], ...]) -> list[CompiledCheck]:
    from rdflib import URIRef
    from rdflib.collection import Collection

    sh = lambda local: URIRef(SH + local)  # noqa: E731
    custom = g.value(node, sh("message"))
    out: list[CompiledCheck] = []
    p = _term(URIRef(path)) if path is not None else None
    # A node shape's value node is the focus node itself.
    var = "?value" if path is not None else "?focus"

    def add(component: str, default: str, kind: str, expr: str,
            classes: tuple[str, ...] = ()) -> None:
        if kind == "value" and path is None:
            kind = "focus"
        out.append(CompiledCheck(shape, component, path, str(custom or default), kind, expr,
                                 targets, classes))

    for pred in g.predicates(node, None):
        key = str(pred)
        if key in _NOT_CONSTRAINTS or key == SH + "or":
            continue
        if key not in _SUPPORTED:
            raise _fail(shape, f"constraint <{key}>" + (f" on path <{path}>" if path else ""))
        if key in (SH + "minCount", SH + "maxCount", SH + "uniqueLang", SH + "hasValue") \
                and path is None:
            raise _fail(shape, f"<{key}> on a node shape")
    obj = lambda local: g.value(node, sh(local))  # noqa: E731
    if (n := obj("minCount")) is not None:
        n = int(n)
        if n == 1:
            add("MinCountConstraintComponent", "no value", "focus",
                f"NOT EXISTS {{ ?focus {p} ?_any }}")
        else:
            add("MinCountConstraintComponent", f"fewer than {n} values", "where",
                f"OPTIONAL {{ SELECT ?focus (COUNT(DISTINCT ?_v) AS ?_n) "
                f"WHERE {{ ?focus {p} ?_v }} GROUP BY ?focus }} FILTER(COALESCE(?_n, 0) < {n})")
    if (n := obj("maxCount")) is not None:
        # Grouped over distinct values: the union default graph repeats a triple once per
        # graph that holds it (a session's label in 600 graphs), so value pairs would explode.
        n = int(n)
        add("MaxCountConstraintComponent", f"more than {n} value{'s' if n > 1 else ''}",
            "group", f"SELECT ?focus WHERE {{ ?focus {p} ?_v }} GROUP BY ?focus "
                     f"HAVING (COUNT(DISTINCT ?_v) > {n})")
    if (dt := obj("datatype")) is not None:
        d = _term(dt)
        cond = f"isLiteral({var}) && sameTerm(datatype({var}), {d})"
        if str(dt) in _CHECKED_DATATYPES:
            cond += f" && COALESCE(isLiteral({d}(STR({var}))), false)"
        add("DatatypeConstraintComponent", f"the value is not of datatype <{dt}>", "value",
            f"!({cond})")
    if (cls := obj("class")) is not None:
        add("ClassConstraintComponent", f"the value is not an instance of <{cls}>", "value",
            f"NOT EXISTS {{ VALUES ?_vc {{ {_CLASSES} }} "
            f"{var} {_term(URIRef(RDF + 'type'))} ?_vc }}", (str(cls),))
    if (kind := obj("nodeKind")) is not None:
        tests = {"IRI": "isIRI(V)", "BlankNode": "isBlank(V)", "Literal": "isLiteral(V)",
                 "BlankNodeOrIRI": "(isBlank(V) || isIRI(V))",
                 "BlankNodeOrLiteral": "(isBlank(V) || isLiteral(V))",
                 "IRIOrLiteral": "(isIRI(V) || isLiteral(V))"}
        local = str(kind).removeprefix(SH)
        if local not in tests:
            raise _fail(shape, f"sh:nodeKind {kind}")
        add("NodeKindConstraintComponent", f"the value is not of node kind sh:{local}", "value",
            "!" + tests[local].replace("V", var))
    if (pattern := obj("pattern")) is not None:
        flags = obj("flags")
        args = _term(pattern) + (f", {_term(flags)}" if flags is not None else "")
        add("PatternConstraintComponent", f"the value does not match {pattern}", "value",
            f"(isBlank({var}) || !REGEX(STR({var}), {args}))")
    if (members := obj("in")) is not None:
        allowed = [_term(m) for m in Collection(g, members)]
        same = " || ".join(f"sameTerm({var}, {a})" for a in allowed) or "false"
        add("InConstraintComponent", f"the value is not one of {', '.join(allowed)}", "value",
            f"!({same})")
    if (value := obj("hasValue")) is not None:
        add("HasValueConstraintComponent", f"no value {value}", "focus",
            f"NOT EXISTS {{ ?focus {p} {_term(value)} }}")
    if (unique := obj("uniqueLang")) is not None and bool(unique.toPython()):
        add("UniqueLangConstraintComponent", "two values share a language tag", "group",
            f"SELECT ?focus WHERE {{ ?focus {p} ?_v FILTER(LANG(?_v) != \"\") }} "
            "GROUP BY ?focus (LCASE(LANG(?_v))) HAVING (COUNT(DISTINCT ?_v) > 1)")
    for local, op in _COMPARISONS.items():
        if (bound := obj(local)) is not None:
            comp = local[0].upper() + local[1:] + "ConstraintComponent"
            add(comp, f"the value is not {op} {bound}", "value",
                f"!COALESCE({var} {op} {_term(bound)}, false)")
    return out


# --- running the checks --------------------------------------------------------------------------

@dataclass(frozen=True)
class Result:
    check: CompiledCheck
    focus: Any  # rdflib term
    value: Any | None


def _subclasses(store: Any, classes: Iterable[str]) -> dict[str, list[str]]:
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
                   graphs: list[str] | None) -> str:
    """A subquery binding DISTINCT ?focus: the target nodes, in `graphs` (their target triple
    lies there) or anywhere."""
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
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {union} }} }}"


def _expr(check: CompiledCheck, closure: dict[str, list[str]]) -> str:
    if not check.classes:
        return check.expr
    members = sorted({sub for c in check.classes for sub in closure[c]})
    return check.expr.replace(_CLASSES, " ".join(_term_iri(c) for c in members))


def shape_queries(checks: list[CompiledCheck], closure: dict[str, list[str]],
                  graphs: list[str] | None = None) -> list[tuple[str, list[CompiledCheck]]]:
    """The queries for the checks of ONE node shape: (text, the checks its ?_c numbers).

    Focus checks become flags of one pass over the target nodes; value checks one UNION whose
    branches find the violating (subject, value) pairs of each path, joined with the targets."""
    focus = _focus_pattern(checks[0].targets, closure, graphs)
    out: list[tuple[str, list[CompiledCheck]]] = []
    flags = [c for c in checks if c.kind == "focus"]
    if flags:
        binds = " ".join(f"BIND(COALESCE({_expr(c, closure)}, true) AS ?_f{i})"
                         for i, c in enumerate(flags))
        names = " ".join(f"?_f{i}" for i in range(len(flags)))
        any_flag = " || ".join(f"?_f{i}" for i in range(len(flags)))
        out.append((f"SELECT ?focus {names} WHERE {{ {focus} {binds} FILTER({any_flag}) }}",
                    flags))
    values = [c for c in checks if c.kind == "value"]
    if values:
        branches = " UNION ".join(
            f"{{ ?focus {_term_iri(c.path or '')} ?value "
            f"FILTER(COALESCE({_expr(c, closure)}, true)) BIND({i} AS ?_c) }}"
            for i, c in enumerate(values))
        out.append((f"SELECT DISTINCT ?focus ?value ?_c WHERE {{ {focus} {branches} }}", values))
    groups = [c for c in checks if c.kind == "group"]
    if groups:
        branches = " UNION ".join(f"{{ {{ {c.expr} }} BIND({i} AS ?_c) }}"
                                  for i, c in enumerate(groups))
        out.append((f"SELECT DISTINCT ?focus ?_c WHERE {{ {focus} {branches} }}", groups))
    for c in checks:
        if c.kind == "where":
            out.append((f"SELECT DISTINCT ?focus WHERE {{ {focus} {c.expr} }}", [c]))
    return out


def run_checks(store: Any, graphs: Iterable[str] | None = None,
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
    by_shape: dict[tuple[str, tuple[tuple[str, str], ...]], list[CompiledCheck]] = {}
    for check in checks:
        by_shape.setdefault((check.shape, check.targets), []).append(check)
    queries = [q for group in by_shape.values() for q in shape_queries(group, closure, scope)]

    def run(query: tuple[str, list[CompiledCheck]]) -> list[Result]:
        text, numbered = query
        out: list[Result] = []
        for row in store.query(text).dicts():
            if "_c" in row:
                out.append(Result(numbered[int(row["_c"])], row["focus"], row.get("value")))
                continue
            for i, check in enumerate(numbered):
                flag = row.get(f"_f{i}")
                if ((flag is None and check.kind == "where")
                        or (flag is not None and flag.toPython() is True)):
                    out.append(Result(check, row["focus"], None))
        return out

    # pyoxigraph releases the GIL while it evaluates: the queries run in threads (2 cores:
    # 33 s -> 18 s on the bulk corpus).
    workers = workers or min(os.cpu_count() or 1, 4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [r for part in pool.map(run, queries) for r in part]


def focus_graphs(store: Any, nodes: Iterable[Any], prefer: Iterable[str] = ()) -> dict[str, str]:
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
