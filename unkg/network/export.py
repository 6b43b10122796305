"""Networks to files (GraphML, GEXF, CSV, JSON) and plots, and GraphML/GEXF back."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from unkg.errors import UsageError

if TYPE_CHECKING:
    pass
from unkg.network.analysis import edge_table, node_table, with_time_spells
from unkg.network.projections import EXPORT_FORMATS


def _gexf_bytes(graph: nx.Graph) -> bytes:
    from lxml import etree

    buffer = io.BytesIO()
    nx.write_gexf(with_time_spells(graph), buffer, version="1.3")
    # networkx 3.x writes the XML Schema instance namespace without "www." for GEXF 1.3, and a
    # `name` attribute on <graph> that the GEXF 1.3 schema does not have: fix both.
    data = buffer.getvalue().replace(b'"http://w3.org/2001/XMLSchema-instance"',
                                     b'"http://www.w3.org/2001/XMLSchema-instance"')
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    for element in root.iter("{http://gexf.net/1.3}graph"):
        element.attrib.pop("name", None)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _graphml_ready(graph: nx.Graph) -> nx.Graph:
    """GraphML node ids must be XML name tokens (no `/`): ids n0, n1 … with the IRI kept in the
    ``iri`` attribute (`read_graphml` turns them back into IRIs)."""
    mapping = {n: f"n{i}" for i, n in enumerate(graph)}
    out = nx.relabel_nodes(graph, mapping, copy=True)
    for n, iri in mapping.items():
        out.nodes[iri]["iri"] = n
    return out


def read_graphml(path: str | Path) -> nx.Graph:
    """Read a GraphML file written by `export` back with IRIs as node ids."""
    graph = nx.read_graphml(path)
    mapping = {n: graph.nodes[n].pop("iri", n) for n in list(graph)}
    return nx.relabel_nodes(graph, mapping, copy=True)


def read_gexf(path: str | Path) -> nx.Graph:
    """Read a GEXF file written by `export` (GEXF 1.3). Edge ids, which GEXF requires and the
    projections do not have, are dropped again."""
    graph = nx.read_gexf(path, version="1.3")
    for *_, attrs in graph.edges(data=True):
        attrs.pop("id", None)
    return graph


def export(graph: nx.Graph, out: str | Path, fmt: str | None = None) -> list[Path]:
    """Write a network as GraphML, GEXF (1.3, dynamic), CSV (two files: `<stem>-nodes.csv`,
    `<stem>-edges.csv`), node-link JSON, or a PNG/SVG drawing. Returns the files written."""
    path = Path(out)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown network format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "graphml":
            nx.write_graphml(_graphml_ready(graph), path)
        elif fmt == "gexf":
            path.write_bytes(_gexf_bytes(graph))
        elif fmt == "json":
            data = nx.node_link_data(graph, edges="edges")
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        elif fmt == "csv":
            stem = path.with_suffix("")
            nodes, edges = Path(f"{stem}-nodes.csv"), Path(f"{stem}-edges.csv")
            node_table(graph).to_csv(nodes, index=False)
            edge_table(graph).to_csv(edges, index=False)
            return [nodes, edges]
        else:
            plot(graph, out=path)
    except OSError as err:
        raise UsageError(f"cannot write the network: {err.strerror or err}",
                         path=str(path)) from err
    return [path]


_COLOURS = {"document": "#4C72B0", "MemberState": "#55A868", "State": "#55A868",
            "RegionalOrganization": "#C44E52", "UNBody": "#8172B2", "Organization": "#CCB974",
            "Person": "#937860", "Post": "#937860"}


def plot(graph: nx.Graph, *, out: str | Path | None = None, ax: Any = None,
         title: str | None = None, labels: bool = True, seed: int = 1) -> Any:
    """A quick look: spring layout, node size by weighted degree, colour by node type, labels.
    Draws on `ax` (a new figure when None); saves to `out` (PNG/SVG) when given.
    Returns the axes."""
    import matplotlib

    if ax is None and out is not None:
        matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    own_figure = ax is None
    if own_figure:
        fig, ax = plt.subplots(figsize=(10, 8))
    else:
        fig = ax.figure
    if graph.number_of_nodes():
        pos = nx.spring_layout(graph, weight="weight", seed=seed,
                               k=1.5 / max(1, graph.number_of_nodes()) ** 0.5)
        strength = dict(graph.degree(weight="weight"))
        sizes = [120 + 60 * strength[n] for n in graph]
        colours = [_COLOURS.get(a.get("type") or a.get("kind"), "#999999")
                   for _, a in graph.nodes(data=True)]
        widths = [0.5 + 0.6 * min(6, a.get("weight", 1)) for *_, a in graph.edges(data=True)]
        nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, alpha=0.45,
                               arrows=graph.is_directed(),
                               **({"arrowsize": 8} if graph.is_directed() else {}))
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours,
                               alpha=0.9)
        if labels:
            nx.draw_networkx_labels(graph, pos, ax=ax, font_size=7,
                                    labels={n: a.get("label", n)
                                            for n, a in graph.nodes(data=True)})
    ax.set_title(title or f"{graph.graph.get('kind', 'network')}: "
                 f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    ax.set_axis_off()
    if out is not None:
        fig.savefig(out, bbox_inches="tight", dpi=110)
        if own_figure:
            plt.close(fig)
    return ax

