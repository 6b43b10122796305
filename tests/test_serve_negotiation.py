"""Content negotiation and SERVICE detection of `unkg serve`, without a server."""

from __future__ import annotations

import pytest

from unkg.serve.negotiation import best_match, rdf_offers
from unkg.store.sparql import query_shape

OFFERS = rdf_offers(html=True)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "text/turtle"),
    ("", "text/turtle"),
    ("*/*", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("application/rdf+xml, */*;q=0.1", "application/rdf+xml"),  # rdflib with format="xml"
    ("text/*", "text/turtle"),
    ("text/*;q=0.5, application/ld+json", "application/ld+json"),
    ("application/n-triples;q=0.2, text/html;q=0.1", "application/n-triples"),
    ("text/turtle;q=0", "text/html"),  # q=0 means "not this"; */* is not implied
    ("image/png", None),
])
def test_best_match(accept: str | None, expected: str | None) -> None:
    if accept == "text/turtle;q=0":
        assert best_match(accept, OFFERS) is None
        assert best_match(accept + ", text/html", OFFERS) == expected
    else:
        assert best_match(accept, OFFERS) == expected


@pytest.mark.parametrize(("query", "federated"), [
    ("SELECT * WHERE { SERVICE <http://x.org/sparql> { ?s ?p ?o } }", True),
    ("select * where { service silent <http://x.org/sparql> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", True),
    ("SELECT ?service WHERE { ?service ?p ?o }", False),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://x.org/>" }', False),
    ("SELECT * WHERE { ?s <http://x.org/SERVICE> ?o }", False),
    ("# SERVICE in a comment\nSELECT * WHERE { ?s ex:SERVICE ?o }", False),
    ("SELECT * WHERE { ?s ?p ?o .SERVICE <http://x.org/> { ?a ?b ?c } }", True),
    ("PREFIX e: <http://x.org/> SELECT * WHERE { # c\n sErViCe e:s { } }", True),
    ("SELECT * WHERE { ?s ?p '''a\nSERVICE''' }", False),
])
def test_service_clauses_are_read_from_the_parsed_query(query: str, federated: bool) -> None:
    shape = query_shape("PREFIX ex: <http://x.org/>\n" + query)
    assert shape is not None
    assert bool(shape.services) is federated
