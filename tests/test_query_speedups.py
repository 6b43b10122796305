"""The query speed-ups keep answers: terms written in place of expression variables
(`inline_terms`) and the fast `to_rdflib` give exactly what VALUES binding and rdflib's own
constructors give."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from unkg.queries import library, run
from unkg.queries.runner import bindings_for
from unkg.store import MemoryStore, OxigraphStore, to_rdflib
from unkg.store.sparql import bind_values, inline_terms

EX = "http://example.org/"
# Values that would break out of a pasted string, IRI, group or comment.
HOSTILE = ['" } } ; DROP ALL ; SELECT * { "', "a\\b", 'back\\"slash', "line\nbreak\r\n",
           "close } brace", "# not a comment", "'''triple'''", '"""long"""', "\\u0022 }",
           "<http://evil/> }", "tab\there", "?text", "é ü 中文"]

FILTERED = """PREFIX ex: <http://example.org/>
SELECT ?s WHERE { ?s ex:text ?text FILTER(STR(?text) = ?value) } ORDER BY ?s"""


@pytest.fixture(scope="module")
def texts() -> OxigraphStore:
    store = OxigraphStore()
    graph = f"{EX}g"
    store.replace_graphs({graph: [
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}text"), ox.Literal(value),
                ox.NamedNode(graph)) for i, value in enumerate(HOSTILE)]})
    return store


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_terms_not_text(texts: OxigraphStore, value: str) -> None:
    text, remaining = inline_terms(FILTERED, {"value": value})
    assert remaining == {} and "?value" not in text
    expected = [(URIRef(f"{EX}s{HOSTILE.index(value)}"),)]
    assert texts.query(text).rows == expected
    assert texts.query(FILTERED, {"value": value}).rows == expected  # the VALUES way agrees
    memory = MemoryStore()
    memory.replace_graphs({g: list(texts.quads(g)) for g in texts.named_graphs()})
    # rdflib agrees with its own VALUES binding (it reads `\\u0022` as an escape in both)
    assert memory.query(text).rows == memory.query(FILTERED, {"value": value}).rows
    assert len(texts.named_graphs()) == 1


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { ?s ?p ?x FILTER(CONTAINS(?x, ?x)) }",              # projected, in a pattern
    "SELECT ?s WHERE { ?s ?p ?o FILTER(!BOUND(?x) || ?o = ?x) }",         # BOUND needs a variable
    "SELECT ?s WHERE { ?s ?p ?o { SELECT ?o WHERE { ?o ?q ?r FILTER(?r = ?x) } } }",  # subquery
    "SELECT ?s WHERE { ?s ?p ?o BIND(STR(?o) AS ?x) }",                   # assigned
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = ?x) }",                        # SELECT * projects it
    "SELECT ?s WHERE { ?s ?p ?o FILTER EXISTS { ?o ?q ?x } }",            # a pattern in EXISTS
    "SELECT ?s WHERE { VALUES (?x) { (1) } ?s ?p ?o FILTER(?o = ?x) }",   # a VALUES variable
    "SELECT ?s WHERE { ?s ?p ?o FILTER(?o = _:b) }",
])
def test_variables_that_stay_variables(query: str) -> None:
    text, remaining = inline_terms(query, {"x": Literal("v")})
    assert text == query and remaining == {"x": Literal("v")}


def test_only_real_variable_tokens_are_replaced() -> None:
    query = ('SELECT ?s WHERE {\n  # ?x in a comment\n  ?s <http://e/?x> "?x" .\n'
             "  FILTER(REGEX(STR(?s), ?x, 'i') && ?xy != $x)\n}")
    text, remaining = inline_terms(query, {"x": Literal('a"b'), "unused": Literal("u")})
    assert remaining == {"unused": Literal("u")}
    assert "# ?x in a comment" in text and "<http://e/?x>" in text and '"?x"' in text
    assert "REGEX(STR(?s),  \"a\\\"b\" , 'i')" in text and "?xy !=  \"a\\\"b\" )" in text
    ox.Store().query(text)  # still parses


def test_stored_queries_answer_as_with_values(query_corpus_store, query_fixture_store) -> None:
    """Every stored query, run with inlined terms, gives what the plain VALUES binding gives."""
    inlined = set()
    for name, query in library().items():
        bindings = bindings_for(query, query.examples)
        if inline_terms(query.text, bindings)[1] != bindings:
            inlined.add(name)
        for store in (query_corpus_store, query_fixture_store):
            assert run(store, name, query.examples).rows == store.query(
                query.text, bindings or None).rows, name
    assert {"agenda-item-series", "search-paragraphs"} <= inlined


def test_bind_values_still_binds_everything() -> None:
    text = bind_values("SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?x) }", {"x": "v"})
    assert 'VALUES (?x) { ("v") }' in text


REFERENCE_TERMS = [
    (ox.Literal("A/RES/59/50"), Literal("A/RES/59/50")),
    (ox.Literal(""), Literal("")),
    (ox.Literal("Résolution 中文\n"), Literal("Résolution 中文\n")),
    (ox.Literal("Bonjour", language="fr"), Literal("Bonjour", lang="fr")),
    (ox.Literal("x", language="en-gb"), Literal("x", lang="en-gb")),
    (ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer))),
     Literal("12", datatype=XSD.integer)),
    (ox.Literal("012", datatype=ox.NamedNode(str(XSD.integer))),
     Literal("012", datatype=XSD.integer)),
    (ox.Literal("abc", datatype=ox.NamedNode(str(XSD.integer))),
     Literal("abc", datatype=XSD.integer)),
    (ox.Literal("2024-11-18", datatype=ox.NamedNode(str(XSD.date))),
     Literal("2024-11-18", datatype=XSD.date)),
    (ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean))),
     Literal("true", datatype=XSD.boolean)),
    (ox.Literal("1.5E0", datatype=ox.NamedNode(str(XSD.double))),
     Literal("1.5E0", datatype=XSD.double)),
    (ox.Literal("x", datatype=ox.NamedNode(f"{EX}custom")), Literal("x", datatype=f"{EX}custom")),
    (ox.NamedNode(f"{EX}doc"), URIRef(f"{EX}doc")),
    (ox.BlankNode("b1"), BNode("b1")),
]


@pytest.mark.parametrize(("term", "expected"), REFERENCE_TERMS, ids=str)
def test_to_rdflib_gives_what_rdflib_constructs(term, expected) -> None:
    # the reference: rdflib's constructor on the lexical form, as a SPARQL result gives it
    for _ in range(2):  # the second time from the cache
        got = to_rdflib(term)
        assert type(got) is type(expected) and got == expected and str(got) == str(expected)
        if isinstance(expected, Literal):
            assert got.datatype == expected.datatype and got.language == expected.language
            assert got.toPython() == expected.toPython() and got.value == expected.value
            assert got.ill_typed == expected.ill_typed and got.n3() == expected.n3()
            assert hash(got) == hash(expected)
    assert to_rdflib(None) is None
