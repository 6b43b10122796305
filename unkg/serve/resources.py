"""What the server knows about one resource: its RDF description and the view model of its page.

Lookups talk to pyoxigraph directly (the hot path): a resource's description is every triple with
it as subject, plus triples pointing at it (capped), so a client that dereferences an IRI can
navigate both ways. Page queries are `.rq` files in `unkg/queries/serve/` with `?resource` bound by
a VALUES block (`unkg.store.sparql`), never pasted.

Besides the store, a small in-memory "static" store holds what the server publishes about itself
and the ontology: the ontology and vocabulary files and the VoID/DCAT description.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from unkg.ontology import DCTERMS, FOAF, ORG, RDF_TYPE, RDFS, SKOS, UNKG, prefixes
from unkg.queries.files import read_query
from unkg.store.oxigraph import select_union
from unkg.store.sparql import bind_values
from unkg.store.terms import term_value

# Predicates naming a resource, best first.
LABEL_PREDICATES = (
    f"{SKOS}prefLabel", f"{RDFS}label", f"{FOAF}name", f"{DCTERMS}title", f"{UNKG}symbol",
    f"{UNKG}acronym", f"{SKOS}altLabel",
)
INCOMING_LIMIT = 500
ENTITY_TYPES = {f"{UNKG}{t}" for t in ("Organization", "UNBody", "RegionalOrganization", "State",
                                       "MemberState", "Person", "Post")}


@cache
def page_query(name: str) -> str:
    return read_query("serve", name).text


def web_href(iri: str) -> str | None:
    """The IRI as a link target when it is a web address (http or https); None otherwise, so
    that loaded data can never put a `javascript:` or `data:` link on a page."""
    scheme, colon, _ = iri.partition(":")
    return iri if colon and scheme.lower() in ("http", "https") else None


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@dataclass
class Link:
    """A resource shown as a link: its IRI, where to browse it, and a label."""

    iri: str
    href: str | None  # None: an IRI that is no web address (javascript:, data:, urn:…)
    label: str
    lang: str | None = None


@dataclass
class Value:
    """An object value on a page: a link or a literal (with its language)."""

    text: str
    link: Link | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass
class PropertyRow:
    predicate: Link
    values: list[Value] = field(default_factory=list)


class Site:
    """The resources of a store, as RDF descriptions and page view models."""

    def __init__(self, store: ox.Store, static: ox.Store, *, base: str) -> None:
        self.store = store
        self.static = static
        self.base = base
        self.prefixes = dict(prefixes())

    # --- IRIs and local URLs -------------------------------------------------------------------

    def local_path(self, iri: str) -> str | None:
        """`{base}doc/A/RES/69/12` → `doc/A/RES/69/12`; ontology IRIs → `ontology#Term`."""
        if iri.startswith(UNKG):
            return "ontology#" + iri[len(UNKG):]
        if iri.startswith(self.base):
            return iri[len(self.base):]
        return None

    def href(self, iri: str) -> str | None:
        """Where a person browses a resource: its page on this server, or the IRI itself when it
        is a web address (None otherwise: shown without a link)."""
        path = self.local_path(iri)
        if path is None:
            return web_href(iri)
        if path.startswith("ontology#"):
            return "/page/" + path
        return "/page/" + path

    # --- lookups ----------------------------------------------------------------------------------

    def _quads(self, s: Any = None, p: Any = None, o: Any = None) -> Iterable[ox.Quad]:
        yield from self.store.quads_for_pattern(s, p, o, None)
        yield from self.static.quads_for_pattern(s, p, o, None)

    def exists(self, iri: str) -> bool:
        node = _nn(iri)
        for _ in self._quads(node, None, None):
            return True
        for _ in self._quads(None, None, node):
            return True
        return False

    def description(self, iri: str) -> list[ox.Triple]:
        """Triples about `iri`: all with it as subject, then up to INCOMING_LIMIT pointing at it."""
        node = _nn(iri)
        seen: dict[ox.Triple, None] = {}
        for q in self._quads(node, None, None):
            seen.setdefault(ox.Triple(q.subject, q.predicate, q.object))
        # A document's titles are on its language versions: its own description carries them,
        # so that a client that dereferences the document learns what it is called.
        for version in self.objects(iri, f"{UNKG}hasLanguageVersion"):
            for predicate in (f"{DCTERMS}title", f"{DCTERMS}language"):
                for q in self._quads(version, _nn(predicate), None):
                    seen.setdefault(ox.Triple(q.subject, q.predicate, q.object))
        incoming = 0
        for q in self._quads(None, None, node):
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen[t] = None
                incoming += 1
                if incoming >= INCOMING_LIMIT:
                    break
        return list(seen)

    def ontology_triples(self) -> list[ox.Triple]:
        """The ontology (and vocabularies) as published: the static store's ontology graph."""
        graph = _nn(ontology_graph_name())
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in self.static.quads_for_pattern(None, None, None, graph)]

    def objects(self, iri: str, predicate: str) -> list[Any]:
        out: dict[Any, None] = {}
        for q in self._quads(_nn(iri), _nn(predicate), None):
            out.setdefault(q.object)
        return list(out)

    def types(self, iri: str) -> set[str]:
        return {o.value for o in self.objects(iri, RDF_TYPE) if isinstance(o, ox.NamedNode)}

    def literal(self, iri: str, predicate: str, lang: str | None = None) -> ox.Literal | None:
        """One literal value, in `lang` when there is one, else English, else any."""
        values = [o for o in self.objects(iri, predicate) if isinstance(o, ox.Literal)]
        return pick_language(values, lang)

    def label(self, iri: str, lang: str | None = None) -> tuple[str, str | None]:
        """A readable name for `iri` and its language: labels, names, titles, symbols — or the
        IRI's last segment."""
        for predicate in LABEL_PREDICATES:
            value = self.literal(iri, predicate, lang)
            if value is not None:
                return value.value, value.language
        # A language version is named by its document's symbol and language.
        for doc in self.objects(iri, f"{UNKG}versionOf"):
            name, _ = self.label(doc.value, lang)
            language = self.literal(iri, f"{DCTERMS}language")
            return f"{name} ({language.value if language else '?'})", None
        path = self.local_path(iri) or iri
        return path.rstrip("/").rsplit("/", 1)[-1].split("#")[-1] or iri, None

    def link(self, iri: str, lang: str | None = None) -> Link:
        text, text_lang = self.label(iri, lang)
        return Link(iri=iri, href=self.href(iri), label=text, lang=text_lang)

    def value(self, term: Any, lang: str | None = None) -> Value:
        if isinstance(term, ox.NamedNode):
            link = self.link(term.value, lang)
            return Value(text=link.label, link=link, lang=link.lang)
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else None
            return Value(text=term.value, lang=term.language, datatype=dt)
        return Value(text=str(term))

    def select(self, name: str, iri: str | None = None, **bindings: Any
               ) -> list[dict[str, Any]]:
        """Run a page query with ?resource (and any other `bindings`, pyoxigraph terms) bound;
        rows as dicts of pyoxigraph terms."""
        if iri is not None:
            bindings["resource"] = _nn(iri)
        query = bind_values(page_query(name), bindings)
        result = select_union(self.store, query)
        variables = [v.value for v in result.variables]
        return [{v: row[v] for v in variables} for row in result]

    # --- generic view -----------------------------------------------------------------------------

    def properties(self, iri: str, lang: str | None) -> list[PropertyRow]:
        rows: dict[str, PropertyRow] = {}
        for q in self._quads(_nn(iri), None, None):
            p = q.predicate.value
            row = rows.get(p)
            if row is None:
                row = rows[p] = PropertyRow(predicate=self.predicate_link(p))
            v = self.value(q.object, lang)
            if all((v.text, v.lang) != (w.text, w.lang) for w in row.values):
                row.values.append(v)
        return sorted(rows.values(), key=lambda r: r.predicate.label.lower())

    def incoming(self, iri: str, lang: str | None, limit: int = 200) -> list[tuple[Link, Link]]:
        out: dict[tuple[str, str], tuple[Link, Link]] = {}
        for q in self._quads(None, None, _nn(iri)):
            key = (term_value(q.subject), q.predicate.value)
            if key not in out and isinstance(q.subject, ox.NamedNode):
                out[key] = (self.link(q.subject.value, lang),
                            self.predicate_link(q.predicate.value))
                if len(out) >= limit:
                    break
        return sorted(out.values(), key=lambda pair: (pair[1].label, pair[0].label))

    def predicate_link(self, iri: str, lang: str | None = "en") -> Link:
        """A property by its label in the ontology (in `lang`, else English), else its CURIE;
        the page shows the IRI on hover."""
        label = self.literal(iri, f"{RDFS}label", lang) or self.literal(iri, f"{SKOS}prefLabel",
                                                                        lang)
        if label is None:  # a property of another vocabulary (dcterms:date): its local name
            local = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
            return Link(iri=iri, href=self.href(iri), label=local or self.curie(iri))
        return Link(iri=iri, href=self.href(iri), label=label.value, lang=label.language)

    def curie(self, iri: str) -> str:
        best = None
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
                best = (prefix, ns)
        return f"{best[0]}:{iri[len(best[1]):]}" if best else iri

    # --- document view ----------------------------------------------------------------------------

    def document_view(self, iri: str, version_iri: str | None = None, *,
                      labels: str | None = None) -> dict[str, Any]:
        """View model of a document page, showing one language version (the asked one, else the
        first by language code); labels in `labels` (a language tag), by default the version's
        language, else English."""
        versions = []
        for v in self.objects(iri, f"{UNKG}hasLanguageVersion"):
            language = self.literal(v.value, f"{DCTERMS}language")
            versions.append((language.value if language else "", v.value))
        versions.sort()
        if version_iri is None and versions:
            version_iri = versions[0][1]
        lang = None
        if version_iri:
            language = self.literal(version_iri, f"{DCTERMS}language")
            lang = language.value if language else None
        text_lang = lang  # the language of the text shown; `lang` names things from here on
        lang = labels or lang
        title = self.literal(version_iri, f"{DCTERMS}title", text_lang) if version_iri else None
        symbols = sorted(o.value for o in self.objects(iri, f"{UNKG}symbol")
                         if isinstance(o, ox.Literal))
        paragraphs = []
        if version_iri:
            for row in self.select("paragraphs", version_iri):
                para = row["paragraph"].value
                text = row["text"]
                paragraphs.append({
                    "iri": para, "href": self.href(para),
                    "anchor": (row["id"].value if row["id"] else para.rsplit("/", 1)[-1]),
                    "kind": self.label(row["kind"].value, "en")[0] if row["kind"] else "",
                    "text": text.value if text else "",
                    "lang": (text.language if text is not None else None) or text_lang,
                })
        anchors = {p["iri"]: f"#{p['anchor']}" for p in paragraphs}
        # citation functions: English in the (English) citation tables, unless asked otherwise
        cited = [self._citation_row(row, lang, anchors, labels or "en") for row in
                 self.select("citations-out", iri)]
        citing = [self._citation_row(row, lang, {}, labels or "en")
                  for row in self.select("citations-in", iri)]
        metadata = [row for row in self.properties(iri, lang)
                    if row.predicate.iri not in (f"{UNKG}hasLanguageVersion", f"{UNKG}cites",
                                                 f"{UNKG}mentions", f"{UNKG}symbol")]
        mentions = [self.link(o.value, lang) for o in self.objects(iri, f"{UNKG}mentions")
                    if isinstance(o, ox.NamedNode)]
        links = [{
            "type": self.label(row["type"].value, lang)[0] if row["type"] else "link",
            "subject": self.link(row["subject"].value, lang),
            "object": self.link(row["object"].value, lang),
            "paragraph": self._paragraph_link(row["paragraph"].value, lang, anchors)
            if row["paragraph"] else None,
        } for row in self.select("document-links", iri)]
        signatories: dict[str, dict[str, Any]] = {}
        for row in self.select("document-signatories", iri):
            person = row["person"].value
            entry = signatories.setdefault(person, {
                "person": self.link(person, lang), "posts": [], "states": []})
            if row["post"] is not None and row["post"].value not in entry["posts"]:
                entry["posts"].append(row["post"].value)
            if row["state"] is not None:
                state = self.link(row["state"].value, lang)
                if state.iri not in [s.iri for s in entry["states"]]:
                    entry["states"].append(state)
        handle = self.literal(iri, f"{RDFS}label", "en")
        return {
            "iri": iri, "symbols": symbols, "handle": handle.value if handle else None,
            "links": links, "signatories": list(signatories.values()),
            "title": title.value if title else (symbols[0] if symbols else iri),
            "title_lang": title.language if title else None,
            "lang": text_lang, "label_lang": lang, "version_iri": version_iri,
            "versions": [{"lang": code, "link": self.link(v)} for code, v in versions],
            "metadata": metadata, "paragraphs": paragraphs,
            "cited": cited, "citing": citing,
            "mentions": sorted(mentions, key=lambda m: m.label.lower()),
            "in_corpus": bool(self.objects(iri, f"{UNKG}inCorpus")),
        }

    def _paragraph_link(self, para: str, lang: str | None, anchors: dict[str, str]) -> Link:
        """A paragraph by its id (OP5, ANNEX2/PP1), pointing at its place on the page."""
        link = self.link(para, lang)
        para_id = self.literal(para, f"{UNKG}paragraphId")
        link.label = para_id.value if para_id else link.label
        if para in anchors:
            link.href = anchors[para]
        return link

    def document_list(self, phrase: str | None = None) -> list[tuple[Link, str | None]]:
        """Loaded documents, newest first: all (at most 50), or those whose symbol, handle or
        title contains `phrase` (at most 200)."""
        rows = (self.select("document-search", phrase=ox.Literal(phrase)) if phrase
                else self.select("document-list"))
        return [(self.link(row["document"].value),
                 row["date"].value if row["date"] is not None else None) for row in rows]

    def _citation_row(self, row: dict[str, Any], lang: str | None,
                      anchors: dict[str, str], function_lang: str | None = "en"
                      ) -> dict[str, Any]:
        para = row.get("paragraph")
        para_link = None
        if para is not None:
            para_link = self.link(para.value, lang)
            para_id = self.literal(para.value, f"{UNKG}paragraphId")
            para_link.label = para_id.value if para_id else para_link.label
            if para.value in anchors:
                para_link.href = anchors[para.value]
        function = row.get("function")
        date = row.get("date")
        surface = row.get("surface")
        return {
            "document": self.link(row["other"].value, lang),
            "function": self.label(function.value, function_lang)[0] if function else "cites",
            "paragraph": para_link,
            "surface": surface.value if surface else None,
            "surface_lang": surface.language if surface else None,
            "date": date.value if date else None,
        }

    # --- entity view ------------------------------------------------------------------------------

    def entity_view(self, iri: str) -> dict[str, Any]:
        labels = defaultdict(list)
        for predicate in (f"{SKOS}prefLabel", f"{SKOS}altLabel", f"{UNKG}acronym",
                          f"{FOAF}name", f"{RDFS}label"):
            for o in self.objects(iri, predicate):
                if isinstance(o, ox.Literal):
                    labels[self.curie(predicate)].append(Value(text=o.value, lang=o.language))
        links = []
        for row in self.select("entity-links", iri):
            links.append({
                "type": self.label(row["type"].value, "en")[0] if row["type"] else "link",
                "subject": self.link(row["subject"].value, "en"),
                "object": self.link(row["object"].value, "en"),
                "document": self.link(row["document"].value, "en") if row["document"] else None,
                "date": row["date"].value if row["date"] else None,
            })
        by_year: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.select("entity-documents", iri):
            date = row["date"].value if row["date"] else None
            by_year[date[:4] if date else "undated"].append({
                "document": self.link(row["document"].value, "en"), "date": date,
                "roles": row["roles"].value if row["roles"] else "",
            })
        name, name_lang = self.label(iri, "en")
        return {
            "iri": iri, "name": name, "name_lang": name_lang,
            "types": sorted((self.link(t, "en") for t in self.types(iri)), key=lambda x: x.label),
            "labels": dict(labels), "links": links,
            "documents": sorted(by_year.items(), reverse=True),
            "parents": [self.link(o.value, "en")
                        for o in self.objects(iri, f"{ORG}subOrganizationOf")
                        if isinstance(o, ox.NamedNode)],
            "children": [self.link(term_value(q.subject), "en") for q in
                         self._quads(None, _nn(f"{ORG}subOrganizationOf"), _nn(iri))],
            "properties": self.properties(iri, "en"),
        }

    def kind(self, iri: str) -> str:
        """Which page template shows a resource: document, version, entity or resource."""
        types = self.types(iri)
        if f"{UNKG}Document" in types:
            return "document"
        if f"{UNKG}LanguageVersion" in types:
            return "version"
        if types & ENTITY_TYPES:
            return "entity"
        return "resource"


def pick_language(values: list[ox.Literal], lang: str | None) -> ox.Literal | None:
    """The value in `lang`, else English, else without a language, else the first."""
    if not values:
        return None
    by_lang = {(v.language or ""): v for v in sorted(values, key=lambda v: v.value)}
    for wanted in (lang, "en", ""):
        if wanted is not None and wanted in by_lang:
            return by_lang[wanted]
    return sorted(values, key=lambda v: ((v.language or ""), v.value))[0]


def ontology_graph_name() -> str:
    return "urn:unkg:serve:ontology"
