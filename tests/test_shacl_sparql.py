"""The shapes compiled to SPARQL report exactly what pySHACL reports.

Both engines run over the same data (the union of the graphs, the ontology and the authority
data) and must find the same set of (focus node, path, constraint component): on the bundled
corpus, on one broken graph per shape and per constraint kind, and on seeded random mutations
of a real document graph."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_docs import letter_2009, resolution_69_12
from test_shapes import BROKEN_DOCUMENT_GRAPHS, DCT, DOC, U, drop, put

from unkg.graph import build as graph_build
from unkg.graph import iris, reference
from unkg.ontology import prefixes
from unkg.store import OxigraphStore
from unkg.validate.runner import sparql_violations, validate_ntriples
from unkg.validate.shacl_sparql import UnsupportedShapeError, compile_shapes

XSD = prefixes()["xsd"]
RDF_TYPE = prefixes()["rdf"] + "type"
Quads = list[ox.Quad]
Key = tuple[str, str | None, str | None]


def store_with(doc_quads: Quads) -> OxigraphStore:
    store = OxigraphStore()
    store.replace_graphs({iris.graph_iri("ontology"): reference.ontology_quads(),
                          iris.graph_iri("authority"): reference.authority_quads()})
    graphs: dict[str, Quads] = {}
    for q in doc_quads:
        graphs.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
    store.replace_graphs(graphs)
    return store


def sparql_keys(store: OxigraphStore) -> set[Key]:
    return {(v.focus, v.path, v.component) for v in sparql_violations(store)}


def pyshacl_keys(store: OxigraphStore) -> set[Key]:
    # pySHACL over the same data: the union of every graph as one rdflib graph.
    buf = io.BytesIO()
    store.dump(buf, "nt")
    found = validate_ntriples([("union", buf.getvalue())], with_support=False)
    return {(v.focus, v.path, v.component) for v in found}


def assert_same(store: OxigraphStore) -> set[Key]:
    expected = pyshacl_keys(store)
    assert sparql_keys(store) == expected
    return expected


@pytest.fixture(scope="module")
def seed_quads(corpus_dir: Path) -> Quads:
    quads = graph_build.build_document(resolution_69_12(corpus_dir)).quads
    return quads + graph_build.build_document(letter_2009(corpus_dir)).quads


def test_bundled_corpus_same_results(corpus_dir: Path) -> None:
    from unkg.graph.load import load_files

    store = OxigraphStore()
    report = load_files(store, [corpus_dir / "seeds", corpus_dir / "texts"], workers=1,
                        validate=False)
    assert report.ok and report.loaded >= 18
    assert assert_same(store) == set()


@pytest.mark.parametrize("shape", sorted(BROKEN_DOCUMENT_GRAPHS))
def test_broken_graph_per_shape_same_results(seed_quads: Quads, shape: str) -> None:
    broken = BROKEN_DOCUMENT_GRAPHS[shape](seed_quads)
    assert broken != seed_quads
    found = assert_same(store_with(broken))
    assert found, f"{shape}: the broken graph must be rejected"


OP1 = DOC + "/fr/op/1"
CITATION = DOC + "/fr/citation/1"
MENTION = DOC + "/fr/mention/1"
SESSION = "https://w3id.org/unkg/session/A/69"


def add(subject: str, predicate: str, value: ox.Literal | ox.NamedNode
        ) -> Callable[[Quads], Quads]:
    return lambda qs: [*qs, ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), value,
                                    qs[0].graph_name)]


# One broken graph per constraint kind (and the component each must trip).
BROKEN_PER_CONSTRAINT: dict[str, tuple[Callable[[Quads], Quads], str]] = {
    "datatype-wrong": (put(DOC, DCT + "date", ox.Literal("2014-12-02")),
                       "DatatypeConstraintComponent"),
    "datatype-ill-typed-integer": (put(OP1, U + "number", ox.Literal(
        "one", datatype=ox.NamedNode(XSD + "integer"))), "DatatypeConstraintComponent"),
    "datatype-ill-typed-date": (put(DOC, DCT + "date", ox.Literal(
        "2014-13-45", datatype=ox.NamedNode(XSD + "date"))), "DatatypeConstraintComponent"),
    "datatype-lang-on-string": (put(SESSION, U + "sessionNumber",
                                    ox.Literal("69", language="en")),
                                "DatatypeConstraintComponent"),
    "min-inclusive": (put(OP1, U + "number", ox.Literal(
        "-1", datatype=ox.NamedNode(XSD + "integer"))), "MinInclusiveConstraintComponent"),
    "max-count": (add(DOC, DCT + "date", ox.Literal(
        "2015-01-01", datatype=ox.NamedNode(XSD + "date"))), "MaxCountConstraintComponent"),
    "min-count": (drop(OP1, U + "text"), "MinCountConstraintComponent"),
    "class": (put(CITATION, U + "citedDocument", ox.NamedNode(OP1)),
              "ClassConstraintComponent"),
    "node-kind": (put(MENTION, U + "mentionedEntity", ox.Literal("France")),
                  "NodeKindConstraintComponent"),
    "in": (put(DOC, U + "inCorpus", ox.Literal(
        "false", datatype=ox.NamedNode(XSD + "boolean"))), "InConstraintComponent"),
    "unique-lang": (add(DOC + "/fr", DCT + "title", ox.Literal("Un autre titre", language="fr")),
                    "UniqueLangConstraintComponent"),
    "has-value": (put(OP1, U + "paragraphKind",
                      ox.NamedNode(prefixes()["parakind"] + "preambular")),
                  "HasValueConstraintComponent"),
    "pattern": (put(OP1, U + "paragraphId", ox.Literal("op1")), "PatternConstraintComponent"),
    "or": (lambda qs: drop(DOC, U + "inCorpus")(drop(DOC, U + "symbol")(qs)),
           "OrConstraintComponent"),
    "node-level-class": (drop(DOC, RDF_TYPE), "ClassConstraintComponent"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_PER_CONSTRAINT))
def test_broken_graph_per_constraint_kind_same_results(seed_quads: Quads, kind: str) -> None:
    mutate, component = BROKEN_PER_CONSTRAINT[kind]
    broken = mutate(seed_quads)
    assert broken != seed_quads
    found = assert_same(store_with(broken))
    assert component in {c for _f, _p, c in found}


def _mutations(rng: random.Random, quads: Quads) -> Quads:
    """Two or three random edits of a document graph, of the kinds that break shapes."""
    out = list(quads)
    iris_in_graph = sorted({q.subject.value for q in quads})
    for _ in range(rng.randint(2, 3)):
        i = rng.randrange(len(out))
        q = out[i]
        kind = rng.choice(["drop", "duplicate", "retype", "reobject", "garble"])
        obj = q.object
        if kind == "drop":
            del out[i]
            continue
        if kind == "reobject" or not isinstance(obj, ox.Literal):
            new: ox.NamedNode | ox.Literal = ox.NamedNode(rng.choice(iris_in_graph))
        elif kind == "duplicate":
            new = ox.Literal(obj.value + "0", datatype=None if obj.language else obj.datatype,
                             language=obj.language)
        elif kind == "retype":
            new = rng.choice([ox.Literal(obj.value), ox.Literal(obj.value, language="fr"),
                              ox.Literal(obj.value, datatype=ox.NamedNode(XSD + "integer")),
                              ox.Literal(obj.value, datatype=ox.NamedNode(XSD + "date"))])
        else:
            new = ox.Literal("bad value!", datatype=None if obj.language else obj.datatype,
                             language=obj.language)
        added = ox.Quad(q.subject, q.predicate, new, q.graph_name)
        if kind == "duplicate":
            out.append(added)
        else:
            out[i] = added
    return out


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # a garbled xsd:boolean, on purpose
@pytest.mark.parametrize("seed", range(12))
def test_random_mutations_same_results(seed_quads: Quads, seed: int) -> None:
    rng = random.Random(seed)
    broken = _mutations(rng, seed_quads)
    assert broken != seed_quads
    assert_same(store_with(broken))


def test_compiler_refuses_what_it_does_not_know() -> None:
    from rdflib import Graph

    shapes = Graph()
    shapes.parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:lessThan <urn:q> ] .""")
    with pytest.raises(UnsupportedShapeError, match=r"urn:s.*lessThan"):
        compile_shapes(shapes)


def test_shape_values_are_serialised_terms() -> None:
    # A pattern with a backslash and quotes reaches the query as an escaped literal.
    from rdflib import Graph

    shapes = Graph()
    shapes.parse(format="turtle", data=r"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:pattern "^a\\.\"b$" ] .""")
    (check,) = compile_shapes(shapes)
    assert r'"^a\\.\"b$"' in check.expr
    store = OxigraphStore()
    g = ox.NamedNode("urn:g")
    store.replace_graphs({"urn:g": [
        ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(RDF_TYPE), ox.NamedNode("urn:C"), g),
        ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), ox.Literal('a."b'), g),
        ox.Quad(ox.NamedNode("urn:y"), ox.NamedNode(RDF_TYPE), ox.NamedNode("urn:C"), g),
        ox.Quad(ox.NamedNode("urn:y"), ox.NamedNode("urn:p"), ox.Literal('aX"b'), g)]})
    from unkg.validate.shacl_sparql import run_checks

    assert {str(r.focus) for r in run_checks(store, checks=[check])} == {"urn:y"}


# Edge cases of the compiled formulations (datatype tests by casting a value to its own
# datatype, absences as anti-joins, sh:class as an anti-join over the subclasses, maxCount
# counted over distinct values): each mutation -> (the (focus, path, component) it must trip,
# or the (focus, path) that must stay clean), and both engines must agree on everything.
INT = ox.NamedNode(XSD + "integer")
PP3 = DOC + "/fr/pp/3"
OTHER_GRAPH = ox.NamedNode("https://w3id.org/unkg/graph/doc/A/RES/69/12/en")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def in_other_graph(subject: str, predicate: str) -> Callable[[Quads], Quads]:
    """The same triple again, in a second graph: one value, not two."""
    return lambda qs: [*qs, *(ox.Quad(q.subject, q.predicate, q.object, OTHER_GRAPH) for q in qs
                              if q.subject.value == subject and q.predicate.value == predicate)]


def typed_only_as(node: str, cls: str) -> Callable[[Quads], Quads]:
    return lambda qs: [*qs, ox.Quad(ox.NamedNode(node), ox.NamedNode(RDF_TYPE),
                                    ox.NamedNode(U + cls), qs[0].graph_name)]


TRIPS = "trips"
CLEAN = "clean"
EDGE_CASES: dict[str, tuple[Callable[[Quads], Quads], str, str, str, str | None]] = {
    # ill-typed lexical forms of a checked datatype
    "integer-abc": (put(OP1, U + "startOffset", typed("abc", "integer")),
                    TRIPS, OP1, U + "startOffset", "DatatypeConstraintComponent"),
    "integer-1.5": (put(MENTION, U + "endOffset", typed("1.5", "integer")),
                    TRIPS, MENTION, U + "endOffset", "DatatypeConstraintComponent"),
    "boolean-TRUE": (put(CITATION, U + "implicit", typed("TRUE", "boolean")),
                     TRIPS, CITATION, U + "implicit", "DatatypeConstraintComponent"),
    "date-month-13": (put(DOC, U + "distributionDate", typed("2014-13-02", "date")),
                      TRIPS, DOC, U + "distributionDate", "DatatypeConstraintComponent"),
    # well-typed but not canonical: no violation
    "integer-01": (put(OP1, U + "startOffset", typed("01", "integer")),
                   CLEAN, OP1, U + "startOffset", None),
    "integer-plus": (put(CITATION, U + "endOffset", typed("+5", "integer")),
                     CLEAN, CITATION, U + "endOffset", None),
    "boolean-1": (put(CITATION, U + "implicit", typed("1", "boolean")),
                  CLEAN, CITATION, U + "implicit", None),
    "date-timezone": (put(DOC, U + "distributionDate", typed("2014-12-02Z", "date")),
                      CLEAN, DOC, U + "distributionDate", None),
    # another datatype with a valid lexical form of the wanted one
    "integer-as-decimal": (put(MENTION, U + "startOffset", typed("5", "decimal")),
                           TRIPS, MENTION, U + "startOffset", "DatatypeConstraintComponent"),
    # (Oxigraph stores an xsd:int as the xsd:integer it also is; pySHACL then agrees.)
    "integer-as-int": (put(MENTION, U + "startOffset", typed("5", "int")),
                       CLEAN, MENTION, U + "startOffset", None),
    "integer-as-string": (put(OP1, U + "order", ox.Literal("10")),
                          TRIPS, OP1, U + "order", "DatatypeConstraintComponent"),
    "string-as-integer": (put(SESSION, U + "sessionNumber", typed("69", "integer")),
                          TRIPS, SESSION, U + "sessionNumber", "DatatypeConstraintComponent"),
    "string-as-iri": (put(OP1, U + "paragraphId", ox.NamedNode(U + "OP1")),
                      TRIPS, OP1, U + "paragraphId", "DatatypeConstraintComponent"),
    "langstring-as-iri": (put(OP1, U + "text", ox.NamedNode(U + "text")),
                          TRIPS, OP1, U + "text", "DatatypeConstraintComponent"),
    "langstring-as-integer": (put(MENTION, U + "surfaceText", typed("5", "integer")),
                              TRIPS, MENTION, U + "surfaceText", "DatatypeConstraintComponent"),
    # missing values of a path several node shapes check (one anti-join for all of them)
    "missing-start-of-mention": (drop(MENTION, U + "startOffset"),
                                 TRIPS, MENTION, U + "startOffset", "MinCountConstraintComponent"),
    "missing-start-of-paragraph": (drop(OP1, U + "startOffset"),
                                   TRIPS, OP1, U + "startOffset", "MinCountConstraintComponent"),
    "missing-kind": (drop(OP1, U + "paragraphKind"),
                     TRIPS, OP1, U + "paragraphKind", "MinCountConstraintComponent"),
    # sh:class: wrong class, no class, a literal, an instance of a subclass only
    "class-wrong": (put(MENTION, U + "inParagraph", ox.NamedNode(CITATION)),
                    TRIPS, MENTION, U + "inParagraph", "ClassConstraintComponent"),
    "class-untyped": (put(CITATION, U + "inParagraph", ox.NamedNode(DOC + "/fr/pp/99")),
                      TRIPS, CITATION, U + "inParagraph", "ClassConstraintComponent"),
    "class-literal": (put(OP1, DCT + "isPartOf", ox.Literal(DOC + "/fr")),
                      TRIPS, OP1, DCT + "isPartOf", "ClassConstraintComponent"),
    "class-subclass-only": (lambda qs: typed_only_as(DOC + "/fr/pp/99", "PreambularParagraph")(
        put(MENTION, U + "inParagraph", ox.NamedNode(DOC + "/fr/pp/99"))(qs)),
        CLEAN, MENTION, U + "inParagraph", None),
    # sh:maxCount counts distinct values: the same triple in two graphs is one value
    "max-count-two-values": (add(MENTION, U + "startOffset", typed("847", "integer")),
                             TRIPS, MENTION, U + "startOffset", "MaxCountConstraintComponent"),
    "max-count-same-triple-twice": (in_other_graph(PP3, U + "startOffset"),
                                    CLEAN, PP3, U + "startOffset", None),
}


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")
@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_same_results(seed_quads: Quads, case: str) -> None:
    mutate, expect, focus, path, component = EDGE_CASES[case]
    broken = mutate(seed_quads)
    assert broken != seed_quads
    found = assert_same(store_with(broken))
    # Violations name their path in its prefixed form (unkg:startOffset).
    prefix, ns = next((k, v) for k, v in prefixes().items() if k and path.startswith(v))
    at = {c for f, p, c in found if f == focus and p == f"{prefix}:{path[len(ns):]}"}
    if expect == TRIPS:
        assert component in at
    else:
        assert at == set()


def test_shared_test_reports_each_node_shape(seed_quads: Quads) -> None:
    # unkg:startOffset minCount runs once for paragraphs, citations and mentions: each
    # missing value is reported under its own node shape.
    broken = drop(CITATION, U + "startOffset")(drop(MENTION, U + "startOffset")(
        drop(OP1, U + "startOffset")(seed_quads)))
    found = {(v.focus, v.shape) for v in sparql_violations(store_with(broken))
             if v.component == "MinCountConstraintComponent"}
    assert found == {(OP1, "ParagraphShape"), (CITATION, "CitationShape"),
                     (MENTION, "MentionShape")}
