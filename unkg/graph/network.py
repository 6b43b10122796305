"""The knowledge graph as networks: networkx projections, analysis tables and Gephi-ready exports.

Projections read any store (embedded or remote) through `store.query` with the SPARQL files in
`unkg/graph/network_queries/`. Node ids are IRIs; node and edge attributes are plain strings,
numbers, booleans and ISO dates, so every export format takes them as they are.

Three networks (the `kind` of `project`):

- ``citations`` — `nx.DiGraph`, citing document → cited document. Several citations between the
  same pair (other paragraphs, other language versions) are aggregated on one edge: ``weight`` is
  the number of distinct citing paragraphs (by paragraph id, so a French and an English version of
  the same paragraph count once); ``function``/``paragraph`` are those of the first citing
  paragraph (preambular before operative), ``functions``/``paragraphs``/``language`` list them all
  (``"; "``-joined) and ``evidence`` keeps every citation as a JSON string. We chose a weighted
  DiGraph over a MultiDiGraph because PageRank, communities and Gephi all read weights directly.
- ``organisations`` — `nx.Graph` of organisations, UN bodies and states linked by institutional
  links (``requestedCooperation``, ``observerStatus``, ``memberOf`` …: one count attribute per
  link type) and by ``coMention`` in a paragraph. ``weight`` sums them; ``documents`` lists the
  evidence; the stated direction of each link is kept in ``evidence``.
- ``mentions`` — bipartite `nx.Graph` of documents (``bipartite=0``) and the entities they mention
  (``bipartite=1``), ``weight`` = number of paragraphs mentioning the entity.

Every edge carries ``date`` (earliest dated evidence), ``last_date`` and ``evidence`` (JSON list of
records with document, paragraph, date and session); `slice_graph` and `time_slices` re-aggregate
edges from that evidence, so a slice by year or session has the same attributes as the whole.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd
import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import XSD

from unkg.errors import StoreError, UsageError

if TYPE_CHECKING:
    from unkg.graph.store import Store

NETWORK_KINDS = ("citations", "organisations", "mentions")
EXPORT_FORMATS = ("graphml", "gexf", "csv", "json", "png", "svg")
CO_MENTION = "coMention"
# Entity types from most to least specific: a node gets the first one it has.
_ENTITY_TYPES = ("MemberState", "State", "RegionalOrganization", "UNBody", "Organization",
                 "Person", "Post")
_PERSON_TYPES = {"Person", "Post"}
_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger}
_PARA_ORDER = {"HDR": 0, "TITLE": 1, "PP": 2, "OP": 3, "P": 4, "FN": 5, "SIG": 6}
_PARA_ID = re.compile(r"^(?:ANNEX(\d+)/)?([A-Z]+)(\d*)$")


# --- reading the store -----------------------------------------------------------------------

@cache
def network_query(name: str) -> str:
    """Text of `unkg/graph/network_queries/{name}.rq`."""
    path = resources.files("unkg.graph").joinpath(f"network_queries/{name}.rq")
    return path.read_text(encoding="utf-8")


def _plain(term: Any) -> Any:
    """rdflib term → str (IRIs, strings, ISO dates as written), int or bool."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in _INTEGER_TYPES:
            return int(term)
        if term.datatype == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
    return str(term)


_XSD_INTEGERS = frozenset(str(t) for t in _INTEGER_TYPES)
_XSD_BOOLEAN = str(XSD.boolean)


def _plain_oxigraph(term: Any) -> Any:
    """pyoxigraph term → the same plain value as `_plain` gives for its rdflib twin."""
    if term is None:
        return None
    if type(term) is ox.Literal:
        datatype = term.datatype.value
        if datatype in _XSD_INTEGERS:
            return int(term.value)
        if datatype == _XSD_BOOLEAN:
            return term.value.strip().lower() in ("true", "1")
    return term.value


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    """The rows of a network query as dicts of plain values.

    Hot path: on an embedded Oxigraph store the query goes to pyoxigraph directly, skipping the
    conversion of every cell to an rdflib term; any other store goes through `store.query`.
    """
    sparql = network_query(name)
    native = getattr(store, "oxigraph", None)
    if isinstance(native, ox.Store):
        try:
            solutions = native.query(sparql, use_default_graph_as_union=True)
        except OSError as err:
            raise StoreError(f"query failed: {err}") from err
        names = [v.value for v in solutions.variables]
        return [dict(zip(names, map(_plain_oxigraph, solution), strict=True))
                for solution in solutions]
    result = store.query(sparql)
    return [{k: _plain(v) for k, v in row.items()} for row in result.dicts()]


def local_name(iri: str) -> str:
    """Last segment of a vocabulary IRI: `…/citation-function/recalls` → `recalls`."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _paragraph_key(paragraph_id: str | None) -> tuple[int, int, int, str]:
    """Reading order of paragraph ids: header, preambular, operative, body, footnotes;
    annexes last."""
    if not paragraph_id:
        return (99, 99, 0, "")
    m = _PARA_ID.match(paragraph_id)
    if not m:
        return (98, 99, 0, paragraph_id)
    annex, kind, number = m.groups()
    return (int(annex or 0), _PARA_ORDER.get(kind, 9), int(number or 0), paragraph_id)


def _documents(store: Store) -> dict[str, dict[str, Any]]:
    """One attribute dict per document node."""
    docs = {}
    for row in _rows(store, "documents"):  # one row per document, aggregated in SPARQL
        iri = row["doc"]
        symbols = sorted(set(row["symbols"].split("\n"))) if row["symbols"] else []
        attrs: dict[str, Any] = {"kind": "document", "in_corpus": bool(row["inCorpus"])}
        if symbols:
            attrs["symbol"] = symbols[0]
            attrs["symbols"] = " ".join(symbols)
        if row["type"]:
            attrs["type"] = local_name(row["type"])
        for key in ("date", "session"):
            if row[key]:
                attrs[key] = str(row[key])
        if row["title"]:
            attrs["title"] = row["title"]
        if "date" in attrs:
            attrs["year"] = int(attrs["date"][:4])
        attrs["label"] = attrs.get("symbol") or " ".join(
            str(attrs[k]) for k in ("type", "date") if k in attrs) or local_name(iri)
        docs[iri] = attrs
    return docs


def _entities(store: Store) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "entities"):
        e = found.setdefault(row["entity"], {"types": set()})
        e["types"].add(local_name(row["type"]))
        for key in ("label", "acronym", "name"):
            if row[key] and key not in e:
                e[key] = row[key]
    entities = {}
    for iri, e in found.items():
        etype = next((t for t in _ENTITY_TYPES if t in e["types"]), "Organization")
        name = e.get("label") or e.get("name") or local_name(iri)
        attrs = {"kind": "entity", "type": etype, "name": name,
                 "label": e.get("acronym") or name}
        if e.get("acronym"):
            attrs["acronym"] = e["acronym"]
        entities[iri] = attrs
    return entities


def _entity_attrs(entities: Mapping[str, dict[str, Any]], iri: str) -> dict[str, Any]:
    return dict(entities.get(iri) or {"kind": "entity", "type": "Organization",
                                      "name": local_name(iri), "label": local_name(iri)})


def _doc_attrs(docs: Mapping[str, dict[str, Any]], iri: str) -> dict[str, Any]:
    return dict(docs.get(iri) or {"kind": "document", "in_corpus": False,
                                  "label": local_name(iri)})


# --- aggregation: evidence records → edge attributes -----------------------------------------

def _dates(records: list[dict[str, Any]]) -> dict[str, Any]:
    dates = sorted(r["date"] for r in records if r.get("date"))
    sessions = sorted({str(r["session"]) for r in records if r.get("session")},
                      key=lambda s: (len(s), s))
    out: dict[str, Any] = {}
    if dates:
        out["date"], out["last_date"] = dates[0], dates[-1]
    if sessions:
        out["session"] = sessions[0]
    return out


def _evidence_json(records: list[dict[str, Any]]) -> str:
    """The records as a JSON list, sorted by their ASCII JSON form (stable across runs)."""
    # Hot path (every edge): encode each record once; its sort key is the same text unless it
    # holds non-ASCII characters. Same output as json.dumps(sorted(...), ensure_ascii=False).
    encoded = []
    for record in records:
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        key = text if text.isascii() else json.dumps(record, sort_keys=True)
        encoded.append((key, text))
    encoded.sort(key=lambda pair: pair[0])
    return "[" + ", ".join(text for _, text in encoded) + "]"


def _citation_edge(records: list[dict[str, Any]]) -> dict[str, Any]:
    records = sorted(records, key=lambda r: _paragraph_key(r.get("paragraph")))
    paragraphs = list(dict.fromkeys(r["paragraph"] for r in records if r.get("paragraph")))
    functions = list(dict.fromkeys(r["function"] for r in records if r.get("function")))
    languages = sorted({r["language"] for r in records if r.get("language")})
    attrs: dict[str, Any] = {
        "weight": max(1, len(paragraphs)),
        "function": functions[0] if functions else "cites",
        "functions": "; ".join(functions) or "cites",
        "paragraph": paragraphs[0] if paragraphs else "",
        "paragraphs": "; ".join(paragraphs),
        "language": "; ".join(languages),
    }
    attrs.update(_dates(records))
    attrs["evidence"] = _evidence_json(records)
    return attrs


def _relation_edge(records: list[dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(r["relation"] for r in records)
    documents = sorted({r["document"] for r in records if r.get("document")})
    attrs: dict[str, Any] = {"weight": sum(counts.values())}
    attrs.update({relation: n for relation, n in sorted(counts.items())})
    attrs["relations"] = "; ".join(sorted(counts))
    attrs["documents"] = "; ".join(documents)
    attrs.update(_dates(records))
    attrs["evidence"] = _evidence_json(records)
    return attrs


def _mention_edge(records: list[dict[str, Any]]) -> dict[str, Any]:
    attrs: dict[str, Any] = {"weight": sum(int(r.get("paragraphs") or 1) for r in records)}
    attrs.update(_dates(records))
    attrs["evidence"] = _evidence_json(records)
    return attrs


_AGGREGATORS: dict[str, Callable[[list[dict[str, Any]]], dict[str, Any]]] = {
    "citations": _citation_edge, "organisations": _relation_edge, "mentions": _mention_edge,
}


def _in_period(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether an ISO date (or year) falls in [since, until]; undated evidence only when
    unbounded."""
    if since is None and until is None:
        return True
    if not date:
        return False
    if since is not None and date < str(since):
        return False
    # `until` "2014" must include "2014-11-11": compare on the shorter prefix.
    return until is None or date[:len(str(until))] <= str(until)


def _assemble(graph: nx.Graph, nodes: Mapping[str, dict[str, Any]],
              evidence: Mapping[tuple[str, str], list[dict[str, Any]]],
              *, since: str | None, until: str | None,
              keep: Callable[[dict[str, Any]], bool] | None = None) -> nx.Graph:
    """Add the edges whose evidence falls in the period, their end nodes, and the isolated nodes
    (e.g. documents that cite nothing) dated in the period."""
    aggregate = _AGGREGATORS[graph.graph["kind"]]
    for (u, v), records in sorted(evidence.items()):
        records = [r for r in records if _in_period(r.get("date"), since, until)
                   and (keep is None or keep(r))]
        if not records:
            continue
        graph.add_node(u, **nodes[u])
        graph.add_node(v, **nodes[v])
        graph.add_edge(u, v, **aggregate(records))
    for iri, attrs in sorted(nodes.items()):
        if iri not in graph and attrs.get("in_corpus") and _in_period(
                attrs.get("date"), since, until):
            graph.add_node(iri, **attrs)
    if since is not None:
        graph.graph["since"] = str(since)
    if until is not None:
        graph.graph["until"] = str(until)
    return graph


# --- projections -----------------------------------------------------------------------------

def citation_network(store: Store, *, since: str | None = None,
                     until: str | None = None) -> nx.DiGraph:
    """Documents linked by citations (citing → cited), weighted; see the module docstring."""
    docs = _documents(store)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[Any, ...]] = set()
    for row in _rows(store, "citations"):
        citing, cited = row["citing"], row["cited"]
        record = {"document": citing, "paragraph": row["paragraphId"] or "",
                  "function": local_name(row["function"]) if row["function"] else "cites",
                  "language": row["language"] or ""}
        key = (citing, cited, record["paragraph"], record["function"], record["language"])
        if key in seen:
            continue
        seen.add(key)
        record.update({k: docs.get(citing, {}).get(k) for k in ("date", "session")
                       if docs.get(citing, {}).get(k)})
        evidence[(citing, cited)].append(record)
    nodes = {iri: _doc_attrs(docs, iri) for pair in evidence for iri in pair}
    nodes.update({iri: attrs for iri, attrs in docs.items() if attrs.get("in_corpus")})
    graph = nx.DiGraph(kind="citations")
    return _assemble(graph, nodes, evidence, since=since, until=until)


def organisation_network(store: Store, *, since: str | None = None, until: str | None = None,
                         relations: Iterable[str] | None = None) -> nx.Graph:
    """Organisations, bodies and states linked by institutional links and co-mentions.

    `relations` limits the edge kinds (link-type local names such as ``requestedCooperation``, and
    ``coMention``); all by default.
    """
    wanted = set(relations) if relations is not None else None
    docs = _documents(store)
    entities = _entities(store)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)

    def dated(doc: str | None) -> dict[str, Any]:
        info = docs.get(doc or "", {})
        return {k: info[k] for k in ("date", "session") if info.get(k)}

    for row in _rows(store, "links"):
        relation = local_name(row["type"])
        subject, obj = row["subject"], row["object"]
        if subject == obj:
            continue
        record = {"relation": relation, "source": subject, "target": obj,
                  "document": row["doc"] or "", "paragraph": row["paragraphId"] or ""}
        if row["establishedBy"]:
            record["established_by"] = row["establishedBy"]
        record.update(dated(row["doc"]))
        pair = (subject, obj) if subject < obj else (obj, subject)
        if record not in evidence[pair]:
            evidence[pair].append(record)
    mentioned: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(store, "comentions"):
        mentioned[(row["doc"], row["paragraphId"] or "")].add(row["entity"])
    for (doc, paragraph), entities_here in mentioned.items():
        for a, b in combinations(sorted(entities_here), 2):
            record = {"relation": CO_MENTION, "document": doc, "paragraph": paragraph}
            record.update(dated(doc))
            evidence[(a, b)].append(record)
    # Persons and posts are not organisations: leave them out even if a link names them.
    evidence = {pair: records for pair, records in evidence.items()
                if not any(_entity_attrs(entities, e)["type"] in _PERSON_TYPES for e in pair)}
    nodes = {iri: _entity_attrs(entities, iri) for pair in evidence for iri in pair}
    graph = nx.Graph(kind="organisations")
    keep = None if wanted is None else (lambda r: r["relation"] in wanted)
    return _assemble(graph, nodes, evidence, since=since, until=until, keep=keep)


def mention_network(store: Store, *, since: str | None = None,
                    until: str | None = None) -> nx.Graph:
    """Bipartite network: documents (bipartite=0) and the entities they mention (bipartite=1)."""
    docs = _documents(store)
    entities = _entities(store)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in _rows(store, "mentions"):
        record = {"document": row["doc"], "paragraphs": int(row["paragraphs"] or 1)}
        record.update({k: docs.get(row["doc"], {}).get(k) for k in ("date", "session")
                       if docs.get(row["doc"], {}).get(k)})
        evidence[(row["doc"], row["entity"])] = [record]
    nodes: dict[str, dict[str, Any]] = {}
    for doc, entity in evidence:
        nodes[doc] = {**_doc_attrs(docs, doc), "bipartite": 0}
        nodes[entity] = {**_entity_attrs(entities, entity), "bipartite": 1}
    graph = nx.Graph(kind="mentions")
    return _assemble(graph, nodes, evidence, since=since, until=until)


_PROJECTIONS: dict[str, Callable[..., nx.Graph]] = {
    "citations": citation_network,
    "organisations": organisation_network,
    "organizations": organisation_network,
    "mentions": mention_network,
}


def project(store: Store, kind: str, **options: Any) -> nx.Graph:
    """The network `kind` (``citations``, ``organisations``, ``mentions``) of a store."""
    try:
        projection = _PROJECTIONS[kind]
    except KeyError:
        raise UsageError(f"unknown network {kind!r} (one of {', '.join(NETWORK_KINDS)})") from None
    return projection(store, **options)


# --- time slices -----------------------------------------------------------------------------

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


# --- analysis --------------------------------------------------------------------------------

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


# --- exports ---------------------------------------------------------------------------------

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
