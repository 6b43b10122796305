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


_KIND_NAMES = {"document": "document", "MemberState": "State", "State": "State",
               "RegionalOrganization": "regional organization", "UNBody": "UN body",
               "Organization": "organization", "Person": "person or post", "Post": "person or post"}
_EDGE_NAMES = {"citations": "cites (arrow to the cited document)",
               "organisations": "named together (width: how often)",
               "mentions": "mentions (width: how often)"}


def _node_kind(attrs: dict[str, Any]) -> str:
    """"document" for any document (its `type` is its document type), else the entity's type."""
    if attrs.get("kind") == "document":
        return "document"
    return attrs.get("type") or attrs.get("kind") or "other"


def _spread_coincident(pos: dict[Any, Any], *, close: float = 0.1,
                       radius: float = 0.2) -> dict[Any, Any]:
    """Nodes the layout put on one spot (the same neighbours: three resolutions citing the same
    documents) are set on a small circle around that spot, in a stable order."""
    import math

    spots: list[tuple[float, float, list[Any]]] = []
    for node in sorted(pos, key=str):
        x, y = (float(v) for v in pos[node])
        for sx, sy, members in spots:
            if math.hypot(x - sx, y - sy) < close:
                members.append(node)
                break
        else:
            spots.append((x, y, [node]))
    out = dict(pos)
    for sx, sy, members in spots:
        if len(members) > 1:
            for i, node in enumerate(members):
                angle = 2 * math.pi * i / len(members) + math.pi / 2
                out[node] = (sx + radius * math.cos(angle), sy + radius * math.sin(angle))
    return out


def _renderer(fig: Any) -> Any:
    """The figure's renderer, to measure text (an Agg canvas when the backend has none)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _legend(ax: Any, graph: nx.Graph, kinds: list[str]) -> None:
    """What the colours and the lines mean, for the kinds of node present."""
    from matplotlib.lines import Line2D

    handles, seen = [], set()
    for kind in sorted(set(kinds), key=lambda k: _KIND_NAMES.get(k, k)):
        name = _KIND_NAMES.get(kind, kind)
        if name in seen:
            continue
        seen.add(name)
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=8,
                              markerfacecolor=_COLOURS.get(kind, "#999999"),
                              markeredgecolor="none", label=name))
    edge = _EDGE_NAMES.get(str(graph.graph.get("kind", "")), "link")
    handles.append(Line2D([], [], color="#444444", alpha=0.6, label=edge))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=8, title="node size: how connected", title_fontsize=8)


def _draw_labels(ax: Any, graph: nx.Graph, pos: dict[Any, Any],
                 strength: dict[Any, float]) -> None:
    """Labels, most connected nodes first; a label that would overlap one already drawn is
    left out (the node stays), so no two labels cover each other."""
    renderer = _renderer(ax.figure)
    placed: list[Any] = []
    for node in sorted(graph, key=lambda n: (-strength[n], str(n))):
        x, y = pos[node]
        text = ax.text(x, y, str(graph.nodes[node].get("label", node)), fontsize=7,
                       ha="center", va="center", zorder=3, clip_on=True)
        box = text.get_window_extent(renderer=renderer).expanded(1.05, 1.15)
        if any(box.overlaps(other) for other in placed):
            text.remove()
            continue
        placed.append(box)


def plot(graph: nx.Graph, *, out: str | Path | None = None, ax: Any = None,
         title: str | None = None, labels: bool = True, seed: int = 1) -> Any:
    """A quick look: spring layout, node size by weighted degree, colour by node type (with a
    legend), labels that never overlap (the most connected nodes' first).
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
        pos = _spread_coincident(nx.spring_layout(
            graph, weight="weight", seed=seed, k=1.5 / max(1, graph.number_of_nodes()) ** 0.5))
        strength = dict(graph.degree(weight="weight"))
        # area by the square root of the weighted degree, capped: hubs stay readable
        top = max(strength.values()) or 1
        sizes = [60 + 540 * (strength[n] / top) ** 0.5 for n in graph]
        kinds = [_node_kind(a) for _, a in graph.nodes(data=True)]
        colours = [_COLOURS.get(k, "#999999") for k in kinds]
        widths = [0.5 + 0.6 * min(6, a.get("weight", 1)) for *_, a in graph.edges(data=True)]
        nx.draw_networkx_edges(graph, pos, ax=ax, width=widths, alpha=0.45,
                               arrows=graph.is_directed(),
                               **({"arrowsize": 8} if graph.is_directed() else {}))
        nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color=colours,
                               alpha=0.9)
        if labels:
            _draw_labels(ax, graph, pos, strength)
        _legend(ax, graph, kinds)
    ax.set_title(title or f"{graph.graph.get('kind', 'network')}: "
                 f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    ax.set_axis_off()
    if out is not None:
        fig.savefig(out, bbox_inches="tight", dpi=110)
        if own_figure:
            plt.close(fig)
    return ax

