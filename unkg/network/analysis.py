"""Analysis of projected networks: evidence, time slices, rankings, backbones, communities,
ego networks and tables."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from unkg.errors import UsageError

if TYPE_CHECKING:
    pass
from unkg.network.projections import _assemble


def evidence(graph: nx.Graph, u: str, v: str) -> list[dict[str, Any]]:
    """The evidence records of one edge (documents, paragraphs, dates) as dicts."""
    return json.loads(graph.edges[u, v].get("evidence", "[]"))


def slice_graph(graph: nx.Graph, *, since: str | None = None, until: str | None = None,
                sessions: Iterable[str] | None = None) -> nx.Graph:
    """The part of a projected network whose evidence falls in a period (ISO dates or years,
    inclusive) or in the given sessions; edge weights are recomputed from the kept evidence."""
    wanted = {str(s) for s in sessions} if sessions is not None else None
    keep = None if wanted is None else (lambda r: str(r.get("session")) in wanted)
    nodes = {n: dict(a) for n, a in graph.nodes(data=True)}
    records = {(u, v): evidence(graph, u, v) for u, v in graph.edges}
    out = graph.__class__(**{k: v for k, v in graph.graph.items() if k not in ("since", "until")})
    out = _assemble(out, nodes, records, since=since, until=until, keep=keep)
    if wanted is not None:
        for n in [n for n, a in out.nodes(data=True) if out.degree(n) == 0
                  and str(a.get("session")) not in wanted]:
            out.remove_node(n)
        out.graph["sessions"] = " ".join(sorted(wanted))
    return out


def time_slices(graph: nx.Graph, *, by: str = "year",
                cumulative: bool = False) -> dict[str, nx.Graph]:
    """One graph per year (``by="year"``) or session (``by="session"``) of the evidence, in order;
    `cumulative` slices hold everything up to and including their period."""
    if by not in ("year", "session"):
        raise UsageError(f"time slices are by 'year' or 'session', not {by!r}")
    keys: set[str] = set()
    for u, v in graph.edges:
        for r in evidence(graph, u, v):
            if by == "year" and r.get("date"):
                keys.add(r["date"][:4])
            elif by == "session" and r.get("session"):
                keys.add(str(r["session"]))
    ordered = sorted(keys, key=lambda k: (len(k), k))
    slices = {}
    for i, key in enumerate(ordered):
        if by == "year":
            slices[key] = slice_graph(graph, since=None if cumulative else key, until=key)
        else:
            slices[key] = slice_graph(graph, sessions=ordered[:i + 1] if cumulative else [key])
    return slices


def resolve_node(graph: nx.Graph, key: str) -> str:
    """A node id from an IRI, a symbol, an acronym or a label (case-insensitive)."""
    if key in graph:
        return key
    folded = key.casefold()
    for attr in ("symbol", "acronym", "label", "name"):
        for n, value in graph.nodes(data=attr):
            if isinstance(value, str) and value.casefold() == folded:
                return n
    raise UsageError(f"no node {key!r} in the {graph.graph.get('kind', '')} network")


def rankings(graph: nx.Graph, *, top: int | None = None) -> pd.DataFrame:
    """Degree, weighted degree and PageRank of every node, highest PageRank first."""
    pagerank = nx.pagerank(graph, weight="weight") if graph.number_of_edges() else {
        n: 1 / max(1, graph.number_of_nodes()) for n in graph}
    rows = []
    for n, attrs in graph.nodes(data=True):
        row = {"node": n, "label": attrs.get("label", n), "kind": attrs.get("kind"),
               "type": attrs.get("type")}
        if graph.is_directed():
            row.update(in_degree=graph.in_degree(n), out_degree=graph.out_degree(n),
                       weighted_in_degree=graph.in_degree(n, weight="weight"),
                       weighted_out_degree=graph.out_degree(n, weight="weight"))
        else:
            row.update(degree=graph.degree(n), weighted_degree=graph.degree(n, weight="weight"))
        row["pagerank"] = pagerank[n]
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["pagerank", "label"], ascending=[False, True], ignore_index=True)
    return frame.head(top) if top else frame


def citation_backbone(graph: nx.DiGraph, members: Iterable[str], *,
                      min_share: float = 0.0) -> pd.DataFrame:
    """What a series of documents (e.g. the resolutions under one agenda item) cites in common.

    `members` are node ids or symbols. One row per cited document: how many members cite it and
    which, the share of the series, the citation functions used and the first citing date; rows
    cited by fewer than `min_share` of the members are left out. Most cited first.
    """
    series = [resolve_node(graph, m) for m in members]
    citing_by_target: dict[str, list[str]] = defaultdict(list)
    functions: dict[str, set[str]] = defaultdict(set)
    first: dict[str, str] = {}
    for member in series:
        for _, target, attrs in graph.out_edges(member, data=True):
            citing_by_target[target].append(member)
            functions[target].update(attrs.get("functions", "").split("; "))
            if attrs.get("date") and (target not in first or attrs["date"] < first[target]):
                first[target] = attrs["date"]
    rows = []
    for target, citing in citing_by_target.items():
        share = len(citing) / len(series)
        if share < min_share:
            continue
        rows.append({
            "cited": target, "label": graph.nodes[target].get("label", target),
            "cited_by": len(citing), "share": round(share, 3),
            "citing": "; ".join(sorted(graph.nodes[c].get("label", c) for c in citing)),
            "in_series": target in series,
            "functions": "; ".join(sorted(f for f in functions[target] if f)),
            "first_cited": first.get(target, ""),
        })
    columns = ["cited", "label", "cited_by", "share", "citing", "in_series", "functions",
               "first_cited"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["cited_by", "label"], ascending=[False, True], ignore_index=True)


def communities(graph: nx.Graph, *, method: str = "louvain", seed: int = 0) -> pd.DataFrame:
    """Communities of the (undirected, weighted) network: one row per node with its community
    number (0 = largest) and the community's size."""
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    if method == "louvain":
        found = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(undirected, weight="weight")
    else:
        raise UsageError(f"unknown community method {method!r} (louvain or greedy)")
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    rows = [{"node": n, "label": graph.nodes[n].get("label", n), "community": i,
             "size": len(members)}
            for i, members in enumerate(ordered) for n in members]
    return pd.DataFrame(rows, columns=["node", "label", "community", "size"])


def ego_network(graph: nx.Graph, center: str, *, radius: int = 1) -> nx.Graph:
    """The neighbourhood of one node (IRI, symbol, acronym or label) up to `radius` steps."""
    node = resolve_node(graph, center)
    ego = nx.ego_graph(graph, node, radius=radius, undirected=True)
    ego.graph["center"] = node
    return ego


def neighbours(graph: nx.Graph, center: str) -> pd.DataFrame:
    """The direct neighbours of a node with the relations and evidence that link them."""
    node = resolve_node(graph, center)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    rows = []
    for other in undirected.neighbors(node):
        attrs = undirected.edges[node, other]
        rows.append({
            "node": other, "label": graph.nodes[other].get("label", other),
            "type": graph.nodes[other].get("type", graph.nodes[other].get("kind")),
            "weight": attrs.get("weight", 1),
            "relations": attrs.get("relations", attrs.get("functions", "")),
            "documents": len({r.get("document") for r in json.loads(attrs.get("evidence", "[]"))}),
            "first_date": attrs.get("date", ""),
        })
    frame = pd.DataFrame(rows, columns=["node", "label", "type", "weight", "relations",
                                        "documents", "first_date"])
    return frame.sort_values(["weight", "label"], ascending=[False, True], ignore_index=True)


def compare_periods(graph: nx.Graph, first: tuple[str | None, str | None],
                    second: tuple[str | None, str | None]) -> pd.DataFrame:
    """How each node's position changes between two periods (each `(since, until)`): degree and
    weighted degree in each, the difference, and whether it is new, gone or in both."""
    a = slice_graph(graph, since=first[0], until=first[1])
    b = slice_graph(graph, since=second[0], until=second[1])
    rows = []
    for n in sorted(set(a) | set(b)):
        wa = a.degree(n, weight="weight") if n in a else 0
        wb = b.degree(n, weight="weight") if n in b else 0
        status = "both" if n in a and n in b else ("new" if n in b else "gone")
        rows.append({"node": n, "label": graph.nodes[n].get("label", n),
                     "degree_first": a.degree(n) if n in a else 0,
                     "degree_second": b.degree(n) if n in b else 0,
                     "weight_first": wa, "weight_second": wb, "change": wb - wa,
                     "status": status})
    frame = pd.DataFrame(rows, columns=["node", "label", "degree_first", "degree_second",
                                        "weight_first", "weight_second", "change", "status"])
    return frame.sort_values(["change", "label"], ascending=[False, True], ignore_index=True)


def edge_table(graph: nx.Graph) -> pd.DataFrame:
    """Edges as a DataFrame (source, target and every attribute), with source/target labels."""
    rows = [{"source": u, "target": v,
             "source_label": graph.nodes[u].get("label", u),
             "target_label": graph.nodes[v].get("label", v), **attrs}
            for u, v, attrs in graph.edges(data=True)]
    return pd.DataFrame(rows)


def node_table(graph: nx.Graph) -> pd.DataFrame:
    """Nodes as a DataFrame (id and every attribute)."""
    return pd.DataFrame([{"id": n, **attrs} for n, attrs in graph.nodes(data=True)])


def with_time_spells(graph: nx.Graph) -> nx.Graph:
    """A copy with GEXF spells: ``start`` = the node's or edge's first date, so Gephi's timeline
    shows each document, organisation and link from the time it appears. Undated items have no
    spell (always visible)."""
    out = graph.copy()
    for *_, attrs in out.edges(data=True):
        if attrs.get("date"):
            attrs["start"] = attrs["date"]
    for n, attrs in out.nodes(data=True):
        dates = [d for d in [attrs.get("date")] if d] or [
            out.edges[e].get("date") for e in out.edges(n) if out.edges[e].get("date")]
        if graph.is_directed():
            dates += [out.edges[e].get("date") for e in out.in_edges(n)
                      if out.edges[e].get("date") and not attrs.get("date")]
        if dates:
            attrs["start"] = min(dates)
    return out

