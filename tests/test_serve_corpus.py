"""`unkg serve` over the bundled corpus built by the real pipeline (`KnowledgeGraph.load`): every
corpus document has a page and dereferences, and resolution 69/12 reads as the seed text says.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from servers import VENV_BIN, ServerProcess, free_port

pytestmark = [pytest.mark.server, pytest.mark.slow]

UNKG = Namespace("https://w3id.org/unkg/ontology#")
BASE = "https://w3id.org/unkg/"


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[str]:
    from unkg.api import KnowledgeGraph

    path = tmp_path_factory.mktemp("serve-corpus") / "store"
    with KnowledgeGraph.open(path) as kg:
        kg.load([corpus_dir / "texts", corpus_dir / "seeds"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = ServerProcess([str(VENV_BIN / "unkg"), "serve", "--store", str(path),
                             "--port", str(port)], ready_url=f"{url}/sparql?query=ASK%7B%7D")
    try:
        process.wait_until_ready(is_ready=lambda r: r.status_code == 200)
        yield url
    finally:
        process.stop()


def test_every_corpus_document_has_a_page_and_data(corpus_server: str) -> None:
    query = ("PREFIX unkg: <https://w3id.org/unkg/ontology#> "
             "SELECT DISTINCT ?d WHERE { ?d a unkg:Document ; unkg:inCorpus true }")
    with httpx.Client(base_url=corpus_server, timeout=30) as client:
        rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
        documents = [r["d"]["value"] for r in rows]
        assert len(documents) >= 15  # the 16 texts and 2 seeds, some sharing a document
        for iri in documents:
            path = iri.removeprefix(BASE)
            page = client.get(f"/{path}", headers={"Accept": "text/html"},
                              follow_redirects=True)
            assert page.status_code == 200, iri
            assert page.text.count("<h1") == 1
            data = client.get(f"/data/{path}.nt")
            graph = rdflib.Graph().parse(data=data.content, format="nt")
            assert (URIRef(iri), rdflib.RDF.type, UNKG.Document) in graph


def test_resolution_69_12_reads_as_the_seed(corpus_server: str) -> None:
    html = httpx.get(f"{corpus_server}/page/doc/A/RES/69/12").text
    assert '<html lang="fr">' in html
    # The seed's title and its citation « Rappelant également sa résolution 59/50 ».
    assert "Coopération entre l&#39;Organisation des Nations Unies et l&#39;Organisation du " \
           "Traité de sécurité collective" in html
    assert 'href="/page/doc/A/RES/59/50"' in html
    graph = rdflib.Graph().parse(f"{corpus_server}/doc/A/RES/69/12")
    assert (URIRef(f"{BASE}doc/A/RES/69/12"), UNKG.symbol, Literal("A/RES/69/12")) in graph
    assert (URIRef(f"{BASE}doc/A/RES/69/12"), UNKG.cites, URIRef(f"{BASE}doc/A/RES/59/50")) \
        in graph


# --- issue #16: documents findable, pages that show what was read ---

LETTER_PAGE = "/page/doc/-/sha256-2e398a99d208648d"  # the seed letter (no symbol)


def _document_rows(html: str) -> list[tuple[str, str]]:
    from lxml import html as lxml_html

    dom = lxml_html.fromstring(html)
    return [(a.get("href"), a.text_content()) for a in dom.xpath("//table[@class='documents']//a")]


def test_home_page_lists_documents_and_searches_them(corpus_server: str) -> None:
    with httpx.Client(base_url=corpus_server, timeout=30) as client:
        home = client.get("/").text
        assert 'role="search"' in home and 'name="q"' in home
        listed = _document_rows(home)
        assert len(listed) >= 15
        assert ("/page/doc/-/sha256-2e398a99d208648d",
                "letter 2009-07-14 from Russian Federation") in listed
        # by title words in French, any case
        found = _document_rows(client.get("/search", params={"q": "SÉCURITÉ collective"}).text)
        assert {"/page/doc/A/RES/69/12", LETTER_PAGE} <= {href for href, _ in found}
        assert len(found) < len(listed)
        # by symbol, and by the handle of a document without one
        assert [h for h, _ in _document_rows(
            client.get("/search", params={"q": "A/RES/73/331"}).text)] == [
            "/page/doc/A/RES/73/331"]
        assert [h for h, _ in _document_rows(
            client.get("/search", params={"q": "letter 2009"}).text)] == [LETTER_PAGE]
        assert _document_rows(client.get("/search", params={"q": "zzz-nothing"}).text) == []


def test_document_page_lists_links_and_signatories(corpus_server: str) -> None:
    from lxml import html as lxml_html

    dom = lxml_html.fromstring(httpx.get(f"{corpus_server}{LETTER_PAGE}").text)
    assert dom.findtext(".//title") == "letter 2009-07-14 from Russian Federation — unkg"
    links = [[td.text_content().strip() for td in tr.xpath("td")]
             for tr in dom.xpath("//table[@class='links']//tr[td]")]
    # annex II OP3: the CTC, CTED, DPA and UNODC are asked to cooperate with the CSTO
    requested = {row[0] for row in links if row[1] == "coopération demandée"}
    assert {"Comité contre le terrorisme", "Office des Nations Unies contre la drogue et le crime"
            } <= requested
    assert all(row[3] for row in links)  # each link says which paragraph states it
    signatories = [[td.text_content().strip() for td in tr.xpath("td")]
                   for tr in dom.xpath("//table[@class='signatories']//tr[td]")]
    assert signatories and signatories[0][0] == "Vitaly Churkin"
    assert "Représentant permanent de la Fédération de Russie" in signatories[0][1]


def test_properties_are_shown_by_their_label(corpus_server: str) -> None:
    from lxml import html as lxml_html

    dom = lxml_html.fromstring(httpx.get(f"{corpus_server}/page/doc/A/RES/69/12").text)
    names = [a.text_content() for a in dom.xpath("//table[@class='properties']//th/a")]
    assert names and not [n for n in names if n.startswith(("unkg:", "dcterms:"))], names
    titles = [a.get("title") for a in dom.xpath("//table[@class='properties']//th/a")]
    assert "https://w3id.org/unkg/ontology#documentType" in titles


def test_a_documents_own_description_has_its_titles(corpus_server: str) -> None:
    data = httpx.get(f"{corpus_server}/data/doc/A/RES/69/12.ttl").text
    graph = rdflib.Graph().parse(data=data, format="turtle")
    titles = {str(t) for t in graph.objects(None, rdflib.DCTERMS.title)}
    assert any("Organisation du Traité de sécurité collective" in t for t in titles)


@pytest.mark.browser
def test_a_browser_searches_from_the_home_page_and_follows_a_link(corpus_server: str,
                                                                   tmp_path: Path) -> None:
    """Headless Chromium through chromedriver: type into the home page's search box, submit,
    follow a result to the letter's page, read its institutional links."""
    import needs
    from webdriver import browser

    with browser(needs.chromium(), needs.chromedriver(), tmp_path / "profile") as b:
        b.go(f"{corpus_server}/")
        [box] = b.find("form[role=search] input[name=q]")
        b.type(box, "sécurité collective")
        [button] = b.find("form[role=search] button[type=submit]")
        b.click(button)
        b.wait_for_url(lambda url: "/search?" in url)
        results = {b.property(a, "href"): b.text(a) for a in b.find("table.documents a")}
        letter = f"{corpus_server}{LETTER_PAGE}"
        assert results.get(letter) == "letter 2009-07-14 from Russian Federation", results
        assert f"{corpus_server}/page/doc/A/RES/69/12" in results
        [to_letter] = [a for a in b.find("table.documents a")
                       if b.property(a, "href") == letter]
        b.click(to_letter)
        b.wait_for_url(lambda url: url == letter)
        links = b.find("table.links tr td a")
        assert len(links) >= 8
        hrefs = {b.property(a, "href") for a in links}
        assert {f"{corpus_server}/page/org/csto", f"{corpus_server}/page/org/ctc"} <= hrefs
        assert "Vitaly Churkin" in [b.text(a) for a in b.find("table.signatories a")]


def test_document_page_labels_follow_the_document_or_the_lang_asked(corpus_server: str) -> None:
    from lxml import html as lxml_html

    def functions(url: str) -> set[str]:
        dom = lxml_html.fromstring(httpx.get(url).text)
        rows = dom.xpath("//table[@class='cited']//tr[td]")
        return {tr.xpath("td")[1].text_content() for tr in rows}

    page = f"{corpus_server}/page/doc/A/RES/69/12"
    assert "recalls" in functions(page)  # the citation tables are in English by default
    french = functions(f"{page}?lang=fr")
    assert "rappelle" in french and "recalls" not in french
    # names follow the document's language unless asked otherwise
    assert "Organisation du Traité de sécurité collective" in httpx.get(page).text
    assert "Collective Security Treaty Organization" in httpx.get(f"{page}?lang=en").text
    assert httpx.get(f"{page}?lang=x%3Cy").status_code == 400
