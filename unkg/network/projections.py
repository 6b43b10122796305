"""The knowledge graph as networks: networkx projections, analysis tables and Gephi-ready exports.

Projections read any store (embedded or remote) through `store.query` with the SPARQL files in
`unkg/queries/network/`. Node ids are IRIs; node and edge attributes are plain strings,
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

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from itertools import combinations
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import XSD

from unkg.errors import UsageError
from unkg.queries.files import read_query
from unkg.store.oxigraph import OxigraphStore, select_union

if TYPE_CHECKING:
    from unkg.store import Store


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


@cache
def network_query(name: str) -> str:
    """Text of `unkg/queries/network/{name}.rq`."""
    return read_query("network", name).text


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
    if isinstance(store, OxigraphStore):
        solutions = select_union(store.oxigraph, sparql)
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
        if row.get("handle"):
            attrs["handle"] = str(row["handle"])
        attrs["label"] = attrs.get("symbol") or attrs.get("handle") or " ".join(
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

