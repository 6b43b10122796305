"""Network projections, analysis tables and exports.

Two datasets: a small hand-written TriG file following docs/graph-model.md (`tests/data/network/`,
every expected value below is read off that file), and the bundled corpus loaded by the real
pipeline, whose expected edges are checked against the source texts (quoted in the tests).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import xmlschema

from unkg import network as net
from unkg.store import OxigraphStore

DATA = Path(__file__).parent / "data" / "network"
SCHEMAS = Path(__file__).parent / "schemas"
DOC = "https://w3id.org/unkg/doc/"
ORG = "https://w3id.org/unkg/org/"
LETTER = f"{DOC}-/sha256-letter"


def _store_from_trig(path: Path) -> OxigraphStore:
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        graphs[quad.graph_name.value].append(quad)
    store = OxigraphStore()
    store.replace_graphs(graphs)
    return store


@pytest.fixture(scope="module")
def fixture_store() -> OxigraphStore:
    return _store_from_trig(DATA / "fixture.trig")


@pytest.fixture(scope="module")
def corpus_store(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    from unkg.graph.load import load_files

    store = OxigraphStore(tmp_path_factory.mktemp("network-store") / "store")
    report = load_files(store, [corpus_dir / "seeds", corpus_dir / "texts"], workers=1)
    assert not [f for f in report.files if f.status == "failed"]
    return store


# --- projections on the hand-written fixture -----------------------------------------------------

def test_citation_network_aggregates_citations_per_pair(fixture_store: OxigraphStore) -> None:
    g = net.project(fixture_store, "citations")
    assert isinstance(g, nx.DiGraph)
    assert set(g.edges) == {
        (LETTER, f"{DOC}A/RES/59/50"), (LETTER, f"{DOC}S/RES/1631(2005)"),
        (f"{DOC}A/RES/69/12", f"{DOC}A/RES/59/50"), (f"{DOC}A/RES/69/12", f"{DOC}A/RES/67/6"),
    }
    # 69/12 cites 59/50 twice: PP3 (recalls) and OP1 (welcomes) → one edge of weight 2.
    edge = g.edges[f"{DOC}A/RES/69/12", f"{DOC}A/RES/59/50"]
    assert edge["weight"] == 2
    assert edge["function"] == "recalls" and edge["paragraph"] == "PP3"
    assert edge["functions"] == "recalls; welcomes" and edge["paragraphs"] == "PP3; OP1"
    assert edge["language"] == "fr" and edge["date"] == "2014-11-11" and edge["session"] == "69"
    assert len(json.loads(edge["evidence"])) == 2
    letter = g.nodes[LETTER]
    assert letter["type"] == "letter" and letter["in_corpus"] is True
    assert letter["date"] == "2009-07-14" and letter["session"] == "64"
    assert g.nodes[f"{DOC}A/RES/59/50"]["in_corpus"] is False
    assert g.nodes[f"{DOC}A/RES/59/50"]["label"] == "A/RES/59/50"


def test_organisation_network_links_and_comentions(fixture_store: OxigraphStore) -> None:
    g = net.project(fixture_store, "organisations")
    csto = f"{ORG}csto"
    assert set(g[csto]) == {f"{ORG}dpa", f"{ORG}unodc", f"{ORG}general-assembly",
                            "https://w3id.org/unkg/state/ARM"}
    dpa = g.edges[csto, f"{ORG}dpa"]
    assert dpa["requestedCooperation"] == 1 and dpa["coMention"] == 1 and dpa["weight"] == 2
    assert dpa["documents"] == LETTER
    direction = [r for r in net.evidence(g, csto, f"{ORG}dpa") if r["relation"] != "coMention"]
    assert direction[0]["source"] == f"{ORG}dpa" and direction[0]["target"] == csto
    assert g.edges[csto, f"{ORG}general-assembly"]["observerStatus"] == 1
    assert g.edges[csto, "https://w3id.org/unkg/state/ARM"]["memberOf"] == 1
    # DPA and UNODC are only named together in ANNEX2/OP3.
    assert g.edges[f"{ORG}dpa", f"{ORG}unodc"]["relations"] == "coMention"
    assert "https://w3id.org/unkg/person/vitaly-churkin" not in g  # persons are left out
    assert g.nodes[csto]["label"] == "CSTO" and g.nodes[csto]["type"] == "RegionalOrganization"
    only_links = net.project(fixture_store, "organisations",
                             relations=["requestedCooperation"])
    assert {frozenset(e) for e in only_links.edges} == {
        frozenset((csto, f"{ORG}dpa")), frozenset((csto, f"{ORG}unodc"))}


def test_mention_network_is_bipartite(fixture_store: OxigraphStore) -> None:
    g = net.project(fixture_store, "mentions")
    documents = {n for n, b in g.nodes(data="bipartite") if b == 0}
    assert documents == {LETTER, f"{DOC}A/RES/69/12"}
    assert nx.is_bipartite(g)
    assert g.edges[LETTER, f"{ORG}csto"]["weight"] == 2  # ANNEX1/P2 and ANNEX2/OP3
    assert g.nodes["https://w3id.org/unkg/person/vitaly-churkin"]["type"] == "Person"


@pytest.mark.parametrize("kind", net.NETWORK_KINDS)
def test_projection_is_the_same_through_rdflib(fixture_store: OxigraphStore, kind: str) -> None:
    """The pyoxigraph fast path and the generic `store.query` path (here rdflib, as for a remote
    store) give the same nodes, edges and attributes."""
    from unkg.store import MemoryStore

    memory = MemoryStore()
    memory.replace_graphs({g: list(fixture_store.oxigraph.quads_for_pattern(
        None, None, None, ox.NamedNode(g))) for g in fixture_store.named_graphs()})
    fast, generic = net.project(fixture_store, kind), net.project(memory, kind)
    assert fast.number_of_edges() > 0
    assert dict(fast.nodes(data=True)) == dict(generic.nodes(data=True))
    assert {(u, v): a for u, v, a in fast.edges(data=True)} == {
        (u, v): a for u, v, a in generic.edges(data=True)}


def test_period_filter_and_time_slices(fixture_store: OxigraphStore) -> None:
    g = net.project(fixture_store, "citations", until="2010")
    assert set(g.edges) == {(LETTER, f"{DOC}A/RES/59/50"), (LETTER, f"{DOC}S/RES/1631(2005)")}
    later = net.project(fixture_store, "organisations", since="2014-01-01")
    assert {frozenset(e) for e in later.edges} == {frozenset((f"{ORG}csto",
                                                             f"{ORG}general-assembly"))}
    full = net.project(fixture_store, "citations")
    by_session = net.time_slices(full, by="session")
    assert list(by_session) == ["64", "69"]
    assert set(by_session["69"].edges) == {(f"{DOC}A/RES/69/12", f"{DOC}A/RES/59/50"),
                                           (f"{DOC}A/RES/69/12", f"{DOC}A/RES/67/6")}
    cumulative = net.time_slices(full, by="year", cumulative=True)
    assert list(cumulative) == ["2009", "2014"]
    assert cumulative["2014"].number_of_edges() == 4
    assert cumulative["2009"].number_of_edges() == 2
    # weights are recomputed from the evidence kept in the slice
    assert by_session["69"].edges[f"{DOC}A/RES/69/12", f"{DOC}A/RES/59/50"]["weight"] == 2


def test_unknown_kind_is_a_usage_error(fixture_store: OxigraphStore) -> None:
    from unkg.errors import UsageError

    with pytest.raises(UsageError):
        net.project(fixture_store, "treaties")


# --- analysis --------------------------------------------------------------------------------

def test_rankings_backbone_communities_ego_and_change(fixture_store: OxigraphStore) -> None:
    g = net.project(fixture_store, "citations")
    ranking = net.rankings(g)
    assert ranking.iloc[0]["label"] == "A/RES/59/50"  # cited by both citing documents
    assert ranking.set_index("label").loc["A/RES/59/50", "in_degree"] == 2
    backbone = net.citation_backbone(g, ["A/RES/69/12", LETTER])
    top = backbone.iloc[0]
    assert top["label"] == "A/RES/59/50" and top["cited_by"] == 2 and top["share"] == 1.0
    assert set(backbone["label"]) == {"A/RES/59/50", "A/RES/67/6", "S/RES/1631(2005)"}
    assert list(net.citation_backbone(g, ["A/RES/69/12", LETTER], min_share=1)["label"]) == [
        "A/RES/59/50"]

    orgs = net.project(fixture_store, "organisations")
    table = net.communities(orgs)
    assert set(table["node"]) == set(orgs) and table["community"].min() == 0
    assert len(net.communities(orgs, method="greedy")) == orgs.number_of_nodes()
    ego = net.ego_network(orgs, "CSTO")
    assert ego.graph["center"] == f"{ORG}csto" and set(ego) == set(orgs)
    assert set(net.ego_network(orgs, "Armenia")) == {f"{ORG}csto",
                                                     "https://w3id.org/unkg/state/ARM"}
    neighbours = net.neighbours(orgs, "csto")
    assert set(neighbours["label"]) == {"DPA", "UNODC", "General Assembly", "Armenia"}
    change = net.compare_periods(orgs, (None, "2009"), ("2010", None)).set_index("label")
    assert change.loc["General Assembly", "status"] == "new"
    assert change.loc["DPA", "status"] == "gone"
    assert change.loc["CSTO", "status"] == "both"


# --- exports ---------------------------------------------------------------------------------

def _same_graph(a: nx.Graph, b: nx.Graph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert {(u, v): d for u, v, d in a.edges(data=True)} == \
        {(u, v): d for u, v, d in b.edges(data=True)} or (
        not a.is_directed() and {frozenset((u, v)): d for u, v, d in a.edges(data=True)}
        == {frozenset((u, v)): d for u, v, d in b.edges(data=True)})


@pytest.mark.parametrize("kind", net.NETWORK_KINDS)
def test_graphml_and_gexf_round_trip_and_validate(fixture_store: OxigraphStore, kind: str,
                                                   tmp_path: Path) -> None:
    g = net.project(fixture_store, kind)
    graphml, gexf = tmp_path / "g.graphml", tmp_path / "g.gexf"
    net.export(g, graphml)
    net.export(g, gexf)
    xmlschema.XMLSchema(SCHEMAS / "graphml" / "graphml.xsd").validate(graphml)
    xmlschema.XMLSchema(SCHEMAS / "gexf" / "gexf.xsd").validate(gexf)
    back = net.read_graphml(graphml)
    assert back.is_directed() == g.is_directed()
    _same_graph(g, back)
    _same_graph(net.with_time_spells(g), net.read_gexf(gexf))


def test_gexf_is_dynamic_where_dated(fixture_store: OxigraphStore, tmp_path: Path) -> None:
    from lxml import etree

    g = net.project(fixture_store, "citations")
    net.export(g, tmp_path / "c.gexf")
    root = etree.parse(str(tmp_path / "c.gexf")).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    graph = root.find("g:graph", ns)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    starts = {e.get("source"): e.get("start") for e in root.iterfind(".//g:edge", ns)}
    assert starts[f"{DOC}A/RES/69/12"] == "2014-11-11"
    # a cited-only document appears when it is first cited
    node = root.find(f".//g:node[@id='{DOC}A/RES/59/50']", ns)
    assert node.get("start") == "2009-07-14"


def test_schemas_reject_broken_files(tmp_path: Path) -> None:
    # The GraphML schema is strict about ids: an IRI is not an XML name token.
    bad = tmp_path / "bad.graphml"
    bad.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph '
                   'edgedefault="directed"><node id="https://w3id.org/unkg/doc/A"/></graph>'
                   '</graphml>')
    assert not xmlschema.XMLSchema(SCHEMAS / "graphml" / "graphml.xsd").is_valid(bad)
    bad_gexf = tmp_path / "bad.gexf"
    bad_gexf.write_text('<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><edges>'
                        '<edge id="0" source="a" target="b"/></edges></graph></gexf>')
    assert not xmlschema.XMLSchema(SCHEMAS / "gexf" / "gexf.xsd").is_valid(bad_gexf)


def test_csv_json_and_pictures(fixture_store: OxigraphStore, tmp_path: Path) -> None:
    import pandas as pd

    g = net.project(fixture_store, "organisations")
    nodes, edges = net.export(g, tmp_path / "orgs.csv")
    assert len(pd.read_csv(nodes)) == g.number_of_nodes()
    assert len(pd.read_csv(edges)) == g.number_of_edges()
    (path,) = net.export(g, tmp_path / "orgs.json")
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    _same_graph(g, back)
    (png,) = net.export(g, tmp_path / "orgs.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (svg,) = net.export(g, tmp_path / "orgs.svg")
    assert b"<svg" in svg.read_bytes()[:500]


def test_cli_writes_a_network_and_reports_errors(fixture_store: OxigraphStore,
                                                 tmp_path: Path) -> None:
    from unkg.cli import main

    store_dir = tmp_path / "store"
    disk = OxigraphStore(store_dir)
    disk.replace_graphs({g: [ox.Quad(q.subject, q.predicate, q.object, q.graph_name)
                             for q in fixture_store.oxigraph.quads_for_pattern(
                                 None, None, None, ox.NamedNode(g))]
                         for g in fixture_store.named_graphs()})
    disk.close()
    out = tmp_path / "cit.gexf"
    assert main(["network", "citations", "--store", str(store_dir), "--out", str(out)]) == 0
    assert net.read_gexf(out).number_of_edges() == 4
    assert main(["network", "treaties", "--store", str(store_dir), "--out", str(out)]) == 2
    assert main(["network", "citations", "--store", str(tmp_path / "none"),
                 "--out", str(out)]) == 2
    assert main(["network", "citations", "--store", str(store_dir), "--out",
                 str(tmp_path / "x.txt")]) == 2


# --- the bundled corpus, through the real pipeline ---------------------------------------------

def test_corpus_citations_to_resolution_59_50(corpus_store: OxigraphStore) -> None:
    g = net.project(corpus_store, "citations")
    target = f"{DOC}A/RES/59/50"
    citing = {g.nodes[u].get("symbol") or g.nodes[u].get("type") for u in g.predecessors(target)}
    # Letter, annex II, PP1: "Se référant à sa résolution 59/50 du 2 décembre 2004";
    # A/RES/69/12, PP3: "Rappelant également sa résolution 59/50 du 2 décembre 2004".
    assert {"letter", "A/RES/69/12"} <= citing
    letter = next(u for u in g.predecessors(target) if g.nodes[u].get("type") == "letter")
    assert g.nodes[letter]["date"] == "2009-07-14"
    assert g.edges[letter, target]["paragraph"] == "ANNEX2/PP1"
    assert g.edges[f"{DOC}A/RES/69/12", target]["paragraph"] == "PP3"
    assert g.edges[f"{DOC}A/RES/69/12", target]["function"] == "recalls"
    # A/RES/69/12, PP4: "Rappelant en outre ses résolutions 64/256 …, 65/122 … et 67/6"
    for earlier in ("A/RES/64/256", "A/RES/65/122", "A/RES/67/6"):
        assert g.has_edge(f"{DOC}A/RES/69/12", f"{DOC}{earlier}")
    # Letter, annex II, PP4: resolution 1631 (2005) of the Security Council
    assert g.has_edge(letter, f"{DOC}S/RES/1631(2005)")


def test_corpus_organisation_network(corpus_store: OxigraphStore) -> None:
    g = net.project(corpus_store, "organisations")
    csto = f"{ORG}csto"
    assert csto in g
    # Letter, annex II, OP3 names DPA, UNODC, the Counter-Terrorism Committee and its Executive
    # Directorate together with the CSTO.
    named = {g.nodes[n].get("label") for n in g[csto]}
    assert {"DPA", "UNODC", "CTC", "CTED"} <= named
    assert len(corpus_store.query(net.network_query("links"))), "the corpus states links"
    cooperating = {g.nodes[n]["label"] for n in g[csto]
                   if g.edges[csto, n].get("requestedCooperation")}
    assert {"DPA", "UNODC", "CTC", "CTED"} <= cooperating


def test_corpus_mentions_and_exports_validate(corpus_store: OxigraphStore,
                                               tmp_path: Path) -> None:
    g = net.project(corpus_store, "mentions")
    assert g.has_edge(f"{DOC}A/RES/69/12", f"{ORG}csto")
    for kind in net.NETWORK_KINDS:
        graph = net.project(corpus_store, kind)
        net.export(graph, tmp_path / f"{kind}.graphml")
        net.export(graph, tmp_path / f"{kind}.gexf")
        xmlschema.XMLSchema(SCHEMAS / "graphml" / "graphml.xsd").validate(
            tmp_path / f"{kind}.graphml")
        xmlschema.XMLSchema(SCHEMAS / "gexf" / "gexf.xsd").validate(tmp_path / f"{kind}.gexf")
        _same_graph(graph, net.read_graphml(tmp_path / f"{kind}.graphml"))
        _same_graph(net.with_time_spells(graph), net.read_gexf(tmp_path / f"{kind}.gexf"))


@pytest.mark.parametrize("kind", ["organisations", "citations"])
def test_plots_have_a_legend_and_labels_that_do_not_overlap(corpus_store, kind: str,
                                                            tmp_path: Path) -> None:
    """Issue #16: the PNGs were hairballs without a legend."""
    from unkg.network import project
    from unkg.network.export import plot

    graph = project(corpus_store, kind)
    ax = plot(graph, out=tmp_path / f"{kind}.png")
    assert (tmp_path / f"{kind}.png").stat().st_size > 10_000
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    if kind == "organisations":
        assert {"State", "UN body", "regional organization"} <= set(legend)
        assert "named together (width: how often)" in legend
    else:
        assert legend == ["document", "cites (arrow to the cited document)"]
    from unkg.network.export import _renderer

    renderer = _renderer(ax.figure)
    boxes = [t.get_window_extent(renderer=renderer) for t in ax.texts]
    assert len(boxes) >= 10
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    # the most connected node is labelled first, so it is always labelled
    strength = dict(graph.degree(weight="weight"))
    hub = min(graph, key=lambda n: (-strength[n], str(n)))
    assert str(graph.nodes[hub].get("label", hub)) in {t.get_text() for t in ax.texts}


def test_documents_with_the_same_neighbours_are_not_drawn_on_one_spot(tmp_path: Path) -> None:
    """Issue #16: notebook 02's last plot stacked the three CSTO resolutions (they cite the
    same documents) on one spot, and only one label showed."""
    import networkx as nx

    from unkg.network.export import plot

    graph = nx.DiGraph(kind="citations")
    sources = ["A/RES/69/12", "A/RES/73/331", "A/RES/75/276"]
    for source in sources:
        graph.add_node(source, kind="document", label=source)
        for n in range(6):
            graph.add_node(f"T{n}", kind="document", label=f"T{n}")
            graph.add_edge(source, f"T{n}", weight=1)
    ax = plot(graph, out=tmp_path / "same.png")
    assert set(sources) <= {t.get_text() for t in ax.texts}
