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
