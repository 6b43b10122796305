"""`unkg serve` tested as clients use it: a real server process on 127.0.0.1, reached by httpx,
rdflib, SPARQLWrapper and headless Chromium.

The store is built from a small hand-written TriG file that follows docs/graph-model.md
(`tests/data/serve/fixture.trig`); expected values are read from that file independently of the
server (pyoxigraph parses it here), or stated from its text.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import needs
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from servers import VENV_BIN, ServerProcess, free_port
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "data" / "serve" / "fixture.trig"
SHAPES = Path(__file__).parent / "data" / "serve" / "dataset-shapes.ttl"
BASE = "https://w3id.org/unkg/"
UNKG = Namespace("https://w3id.org/unkg/ontology#")
DOC = URIRef(f"{BASE}doc/A/RES/69/12")
AUTHORITY = f"{BASE}graph/authority"
GRAPH_70_5 = f"{BASE}graph/doc/A/RES/70/5/en"
TIMEOUT = 2.0
MAX_RESULTS = 300
# Five triple patterns over the same ~120 triples: 10^10 combinations, far beyond the time limit.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def fixture_triples(graphs: list[str] | None = None) -> set[ox.Triple]:
    """Distinct triples of the fixture (of some named graphs only), read without the server."""
    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads
            if graphs is None or q.graph_name.value in graphs}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "store"
    store = ox.Store(str(path))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = ServerProcess(
        [str(VENV_BIN / "unkg"), "serve", "--store", str(store_path), "--port", str(port),
         "--query-timeout", str(TIMEOUT), "--max-results", str(MAX_RESULTS)],
        ready_url=f"{url}/sparql?query=ASK%7B%7D",
    )
    try:
        process.wait_until_ready(is_ready=lambda r: r.status_code == 200)
        yield url
    finally:
        process.stop()


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30, follow_redirects=False) as c:
        yield c


# --- dereferencing: 303, media types, 404 ---

@pytest.mark.parametrize(("accept", "location"), [
    ("text/turtle", "/data/doc/A/RES/69/12.ttl"),
    ("application/n-triples", "/data/doc/A/RES/69/12.nt"),
    ("application/ld+json", "/data/doc/A/RES/69/12.jsonld"),
    ("application/rdf+xml", "/data/doc/A/RES/69/12.rdf"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
     "/page/doc/A/RES/69/12"),
    ("*/*", "/data/doc/A/RES/69/12.ttl"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "/data/doc/A/RES/69/12.ttl"),
])
def test_resource_iri_answers_303_by_accept(client: httpx.Client, accept: str,
                                            location: str) -> None:
    response = client.get("/doc/A/RES/69/12", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["location"] == location
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(("extension", "media_type", "rdflib_format"), [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("rdf", "application/rdf+xml", "xml"),
])
def test_each_rdf_media_type_describes_the_document(client: httpx.Client, extension: str,
                                                    media_type: str, rdflib_format: str) -> None:
    response = client.get(f"/data/doc/A/RES/69/12.{extension}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (DOC, UNKG.symbol, Literal("A/RES/69/12")) in graph
    assert (DOC, UNKG.cites, URIRef(f"{BASE}doc/A/RES/59/50")) in graph
    # incoming links too: A/RES/70/5 cites it
    assert (URIRef(f"{BASE}doc/A/RES/70/5"), UNKG.cites, DOC) in graph


def test_rdflib_dereferences_a_document_iri(server: str) -> None:
    graph = rdflib.Graph().parse(f"{server}/doc/A/RES/69/12")
    assert (DOC, UNKG.symbol, Literal("A/RES/69/12")) in graph
    assert (DOC, UNKG.hasLanguageVersion, URIRef(f"{DOC}/fr")) in graph


@pytest.mark.parametrize("path", [
    "doc/A/RES/69/12/fr", "doc/A/RES/69/12/fr/pp/1", "doc/A/RES/59/50", "org/csto",
    "state/RUS", "person/vitaly-churkin", "session/A/69", "agenda/A/69/123g",
    "meeting/A/69/PV.48", "ontology", "dataset",
])
def test_every_kind_of_iri_dereferences(client: httpx.Client, path: str) -> None:
    for accept, prefix in (("text/html", "/page/"), ("text/turtle", "/data/")):
        response = client.get(f"/{path}", headers={"Accept": accept})
        assert response.status_code == 303, (path, accept)
        location = response.headers["location"]
        assert location.startswith(prefix + path)
        target = client.get(location)
        assert target.status_code == 200, location
        if prefix == "/data/":
            graph = rdflib.Graph().parse(data=target.content, format="turtle")
            iri = URIRef("https://w3id.org/unkg/ontology" if path == "ontology" else BASE + path)
            assert (iri, None, None) in graph


def test_ontology_terms_resolve_to_the_ontology(client: httpx.Client) -> None:
    data = client.get("/data/ontology.ttl")
    graph = rdflib.Graph().parse(data=data.content, format="turtle")
    assert (UNKG.Document, rdflib.RDFS.label, Literal("document", lang="en")) in graph
    page = client.get("/page/ontology").text
    assert 'id="Document"' in page and 'id="citesDocument"' in page


def test_ontology_carries_akn_work_and_the_undo_alignment(client: httpx.Client) -> None:
    graph = rdflib.Graph().parse(data=client.get("/data/ontology.ttl").content, format="turtle")
    undo = Namespace("https://w3id.org/un/ontology/undo/")
    assert (UNKG.Document, rdflib.RDFS.subClassOf, undo.Document) in graph
    assert (UNKG.InstitutionalLink, rdflib.RDFS.subClassOf, undo.Relation) in graph
    assert (UNKG.aknWork, rdflib.RDFS.label, Literal("IRI d'œuvre Akoma Ntoso", lang="fr")) \
        in graph
    page = client.get("/page/ontology").text
    assert 'id="aknWork"' in page and str(undo.Relation) in page


@pytest.mark.parametrize("path", ["/doc/A/RES/99/99", "/page/doc/A/RES/99/99",
                                  "/data/doc/A/RES/99/99.ttl", "/org/nobody",
                                  "/data/doc/A/RES/69/12.exe"])
def test_unknown_resources_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 404


# --- HTML for people ---

def test_document_page_shows_text_and_citations_in_its_language(client: httpx.Client) -> None:
    html = client.get("/page/doc/A/RES/69/12").text
    assert '<html lang="fr">' in html
    assert "Rappelant sa résolution 59/50" in html
    assert 'href="/page/doc/A/RES/59/50"' in html  # outgoing citation
    assert 'href="/page/doc/A/RES/70/5"' in html  # incoming citation
    assert "recalls" in html


def test_values_are_escaped(client: httpx.Client) -> None:
    html = client.get("/page/org/csto").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;csto&#39;)&lt;/script&gt;" in html
    # an ampersand in a paragraph stays text as well
    assert "coopération &amp; au dialogue" in client.get("/page/doc/A/RES/69/12").text


def test_organisation_page_shows_links_and_documents(client: httpx.Client) -> None:
    html = client.get("/page/org/csto").text
    assert "Collective Security Treaty Organization" in html
    assert "requestedCooperation" in html or "requested" in html.lower()
    assert 'href="/page/org/united-nations"' in html
    assert "2014" in html and 'href="/page/doc/A/RES/69/12"' in html


@pytest.mark.browser
def test_chromium_renders_the_document_page(server: str, tmp_path: Path) -> None:
    chromium = needs.chromium()
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         f"{server}/doc/A/RES/69/12"],  # the IRI itself: Chromium follows the 303 to the page
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    from lxml import html as lxml_html

    dom = lxml_html.fromstring(done.stdout)
    assert dom.get("lang") == "fr"
    assert dom.findtext(".//title").startswith("A/RES/69/12")
    assert "Organisation du Traité de sécurité collective" in dom.findtext(".//h1")
    cited = [a.get("href") for a in dom.xpath("//table[@class='cited']//a")]
    citing = [a.get("href") for a in dom.xpath("//table[@class='citing']//a")]
    assert "/page/doc/A/RES/59/50" in cited
    assert "/page/doc/A/RES/70/5" in citing


# --- SPARQL 1.1 Protocol (query side of the W3C protocol tests) ---

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def count_of(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_query_get(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT_ALL},
                          headers={"Accept": "application/sparql-results+json"})
    assert count_of(response) == len(fixture_triples())  # default graph = union


def test_query_post_form(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": COUNT_ALL},
                           headers={"Accept": "application/sparql-results+json"})
    assert count_of(response) == len(fixture_triples())


def test_query_post_direct(client: httpx.Client) -> None:
    response = client.post("/sparql", content=COUNT_ALL.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert count_of(response) == len(fixture_triples())


def test_query_dataset_default_graphs_get(client: httpx.Client) -> None:
    response = client.get("/sparql", params=[("query", COUNT_ALL),
                                             ("default-graph-uri", AUTHORITY),
                                             ("default-graph-uri", GRAPH_70_5)])
    assert count_of(response) == len(fixture_triples([AUTHORITY, GRAPH_70_5]))


def test_query_dataset_default_graphs_post(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": COUNT_ALL, "default-graph-uri": AUTHORITY})
    assert count_of(response) == len(fixture_triples([AUTHORITY]))


def test_query_dataset_named_graphs(client: httpx.Client) -> None:
    response = client.post("/sparql", content=NAMED.encode(),
                           params=[("named-graph-uri", AUTHORITY),
                                   ("named-graph-uri", GRAPH_70_5)],
                           headers={"Content-Type": "application/sparql-query"})
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    assert graphs == [AUTHORITY, GRAPH_70_5]


def test_query_multiple_dataset(client: httpx.Client) -> None:
    """Protocol dataset parameters replace the query's own FROM/FROM NAMED."""
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_70_5}> WHERE {{ ?s ?p ?o }}"
    response = client.get("/sparql", params={"query": query, "default-graph-uri": AUTHORITY})
    assert count_of(response) == len(fixture_triples([AUTHORITY]))


@pytest.mark.parametrize(("accept", "media_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_query_content_type_select(client: httpx.Client, accept: str, media_type: str) -> None:
    query = f"SELECT ?symbol WHERE {{ <{DOC}> <{UNKG.symbol}> ?symbol }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "A/RES/69/12" in response.text
    if media_type.endswith("json"):
        assert response.json()["head"]["vars"] == ["symbol"]


@pytest.mark.parametrize("accept", ["application/sparql-results+json",
                                    "application/sparql-results+xml"])
def test_query_content_type_ask(client: httpx.Client, accept: str) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ <{DOC}> ?p ?o }}"},
                          headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == accept
    assert "true" in response.text


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
@pytest.mark.parametrize("form", ["construct", "describe"])
def test_query_content_type_graph(client: httpx.Client, accept: str, rdflib_format: str,
                                  form: str) -> None:
    query = (f"CONSTRUCT WHERE {{ <{DOC}> ?p ?o }}" if form == "construct"
             else f"DESCRIBE <{DOC}>")
    response = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (DOC, UNKG.symbol, Literal("A/RES/69/12")) in graph


def test_bad_query_syntax_gives_the_parsers_message(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p "})
    assert response.status_code == 400
    assert "error at 1:" in response.text


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("PUT", {"content": COUNT_ALL.encode(),
             "headers": {"Content-Type": "application/sparql-query"}}, 405),  # bad_query_method
    ("GET", {"params": [("query", COUNT_ALL), ("query", COUNT_ALL)]}, 400),  # multiple queries
    ("POST", {"content": COUNT_ALL.encode(),
              "headers": {"Content-Type": "text/plain"}}, 415),  # wrong media type
    ("POST", {"content": b"query=ASK%7B%7D",
              "headers": {"Content-Type": ""}}, 400),  # missing form type
    ("POST", {"content": "ASK { ?s ?p 'é' }".encode("latin-1"),
              "headers": {"Content-Type": "application/sparql-query"}}, 400),  # non-UTF-8
    ("POST", {"content": COUNT_ALL.encode("utf-16"),
              "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}}, 400),
    ("GET", {"params": {}}, 200),  # no query: the service description
])
def test_protocol_errors(client: httpx.Client, method: str, kwargs: dict, status: int) -> None:
    assert client.request(method, "/sparql", **kwargs).status_code == status


@pytest.mark.parametrize(("method", "kwargs"), [
    ("GET", {"params": {"update": "INSERT DATA { <a:s> <a:p> <a:o> }"}}),
    ("POST", {"data": {"update": "INSERT DATA { <a:s> <a:p> <a:o> }"}}),
    ("POST", {"content": b"DROP ALL",
              "headers": {"Content-Type": "application/sparql-update"}}),
])
def test_updates_are_refused(client: httpx.Client, method: str, kwargs: dict) -> None:
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    ask = client.get("/sparql", params={"query": "ASK { <a:s> <a:p> <a:o> }"})
    assert ask.json()["boolean"] is False
    assert count_of(client.get("/sparql", params={"query": COUNT_ALL})) == len(fixture_triples())


@pytest.mark.parametrize(("method", "kwargs"), [
    ("GET", {"params": {"query": "DROP ALL"}}),
    ("GET", {"params": {"query": "PREFIX ex: <http://example.org/#>\n# comment\n"
                                 "INSERT DATA { ex:s ex:p ex:o }"}}),
    ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
    ("POST", {"content": b"CLEAR DEFAULT",
              "headers": {"Content-Type": "application/sparql-query"}}),
])
def test_an_update_by_any_method_is_refused_as_read_only(client: httpx.Client, method: str,
                                                         kwargs: dict) -> None:
    """Issue #16: an update sent as a query (by GET, form POST or direct POST) is not a 400
    "expected CONSTRUCT" but the read-only 403 (PUT, DELETE … on /sparql stay 405)."""
    response = client.request(method, "/sparql", **kwargs)
    assert (response.status_code, response.text) == (
        403, "this endpoint is read-only: SPARQL updates are refused\n")
    assert count_of(client.get("/sparql", params={"query": COUNT_ALL})) == len(fixture_triples())


def test_a_query_with_insert_in_an_iri_is_still_a_query(client: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/#INSERT> ?o }"
    assert count_of(client.get("/sparql", params={"query": query})) == 0


def test_the_projects_prefixes_are_predeclared(client: httpx.Client) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a unkg:Document ; unkg:symbol ?s }"
    assert count_of(client.get("/sparql", params={"query": query})) > 0
    # a query's own declaration of a prefix wins
    own = ("PREFIX unkg: <http://example.org/nothing#>\n"
           "SELECT (COUNT(*) AS ?n) WHERE { ?d a unkg:Document }")
    assert count_of(client.get("/sparql", params={"query": own})) == 0
    # and they are listed in the service description (SHACL prefix declarations)
    sd = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).text,
                              format="turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    declared = {str(sd.value(d, sh.prefix)): str(sd.value(d, sh.namespace))
                for d in sd.objects(None, sh.declare)}
    assert declared["unkg"] == str(UNKG) and declared["dcterms"] == "http://purl.org/dc/terms/"


def test_json_ld_is_compacted_with_the_projects_context(client: httpx.Client) -> None:
    from unkg.ontology import prefixes

    response = client.get("/data/doc/A/RES/69/12.jsonld")
    document = response.json()
    assert document["@context"] == {p: ns for p, ns in prefixes().items() if p} | {
        k: v for k, v in document["@context"].items() if k not in prefixes()}
    assert any("unkg:symbol" in node for node in document["@graph"])
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    turtle = rdflib.Graph().parse(data=client.get("/data/doc/A/RES/69/12.ttl").text,
                                  format="turtle")
    assert len(graph) == len(turtle) and (DOC, UNKG.symbol, Literal("A/RES/69/12")) in graph


def test_service_is_refused_unless_enabled(client: httpx.Client) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text
    # The word inside a string or as a variable name is no SERVICE clause.
    harmless = 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }'
    ok = client.get("/sparql", params={"query": harmless})
    assert ok.status_code == 200


def test_time_limit_ends_an_expensive_query(client: httpx.Client) -> None:
    started = time.monotonic()
    response = client.get("/sparql", params={"query": EXPENSIVE})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "time limit" in response.text
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    # The endpoint still answers afterwards (the overrunning worker was replaced).
    assert count_of(client.get("/sparql", params={"query": COUNT_ALL})) == len(fixture_triples())


def test_result_size_limit(client: httpx.Client) -> None:
    big = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d a ?e }"})
    assert big.status_code == 422
    assert str(MAX_RESULTS) in big.text
    limited = client.get("/sparql", params={
        "query": "SELECT * WHERE { ?a ?b ?c . ?d a ?e } LIMIT 10"})
    assert len(limited.json()["results"]["bindings"]) == 10
    construct = "CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d a ?e }"
    graph = client.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert graph.status_code == 422


def test_cors_on_public_reads(client: httpx.Client) -> None:
    origin = {"Origin": "https://example.org"}
    assert client.get("/sparql", params={"query": "ASK {}"},
                      headers=origin).headers["access-control-allow-origin"] == "*"
    assert client.get("/data/doc/A/RES/69/12.ttl",
                      headers=origin).headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={
        **origin, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept"})
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_service_description(client: httpx.Client, server: str) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = URIRef(f"{server}/sparql")
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.feature, sd.UnionDefaultGraph) in graph
    assert (endpoint, sd.feature, sd.BasicFederatedQuery) not in graph
    # People get a query form.
    assert "<textarea" in client.get("/sparql", headers={"Accept": "text/html"}).text


def test_sparqlwrapper_queries_the_endpoint(server: str) -> None:
    endpoint = SPARQLWrapper(f"{server}/sparql")
    endpoint.setQuery(f"SELECT ?cited WHERE {{ <{DOC}> <{UNKG.cites}> ?cited }}")
    endpoint.setReturnFormat(JSON)
    rows = endpoint.query().convert()["results"]["bindings"]
    assert [r["cited"]["value"] for r in rows] == [f"{BASE}doc/A/RES/59/50"]
    endpoint.setMethod("POST")
    endpoint.setQuery(f"CONSTRUCT WHERE {{ <{DOC}> <{UNKG.symbol}> ?s }}")
    endpoint.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=endpoint.query().convert(), format="turtle")
    assert set(graph) == {(DOC, UNKG.symbol, Literal("A/RES/69/12"))}


def test_browser_gets_an_html_results_table(client: httpx.Client) -> None:
    query = f"SELECT ?o WHERE {{ <{BASE}org/csto> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;" in response.text and "<script>alert" not in response.text


# --- VoID and DCAT ---

def test_void_and_dcat_description_is_valid(client: httpx.Client) -> None:
    from pyshacl import validate

    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    conforms, _, report = validate(graph, shacl_graph=shapes)
    assert conforms, report
    void = Namespace("http://rdfs.org/ns/void#")
    dataset = URIRef(f"{BASE}dataset")
    expected = fixture_triples()
    assert graph.value(dataset, void.triples).toPython() == len(expected)
    subjects = {t.subject for t in expected}
    assert graph.value(dataset, void.distinctSubjects).toPython() == len(subjects)
    row = graph.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n WHERE { ?d void:classPartition [ void:class ?c ; void:entities ?n ] }""",
        initBindings={"c": UNKG.Document})
    assert [r.n.toPython() for r in row] == [3]  # 69/12, 70/5 and the cited-only 59/50
    examples = set(graph.objects(dataset, void.exampleResource))
    assert examples == {DOC, URIRef(f"{BASE}doc/A/RES/70/5")}  # the two with inCorpus true
    assert (dataset, void.sparqlEndpoint, URIRef(f"{BASE}sparql")) in graph
    assert (dataset, URIRef("http://purl.org/dc/terms/license"),
            URIRef("https://creativecommons.org/licenses/by/4.0/")) in graph
    # the same description in JSON-LD
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.content, format="json-ld")) == len(graph)


def test_dump_holds_every_quad(client: httpx.Client) -> None:
    import gzip

    response = client.get("/dumps/unkg.nq.gz")
    assert response.status_code == 200
    quads = list(ox.parse(gzip.decompress(response.content), format=ox.RdfFormat.N_QUADS))
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in quads} == fixture_triples()


def test_home_page(client: httpx.Client) -> None:
    html = client.get("/").text
    assert 'href="/sparql"' in html and 'href="/page/doc/A/RES/69/12"' in html
    assert json.dumps(len(fixture_triples())) in html


def test_allow_service_federates_to_another_endpoint(server: str, store_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    federating = ServerProcess(
        [str(VENV_BIN / "unkg"), "serve", "--store", str(store_path), "--port", str(port),
         "--allow-service", f"{server}/sparql", "--query-workers", "1"],
        ready_url=f"{url}/sparql?query=ASK%7B%7D",
    )
    try:
        federating.wait_until_ready(is_ready=lambda r: r.status_code == 200)
        query = (f"SELECT ?symbol WHERE {{ SERVICE <{server}/sparql> "
                 f"{{ <{DOC}> <{UNKG.symbol}> ?symbol }} }}")
        response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"][0]["symbol"]["value"] == "A/RES/69/12"
        description = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"}).text
        assert "BasicFederatedQuery" in description
    finally:
        federating.stop()
