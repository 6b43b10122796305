"""`Document` → quads, per docs/graph-model.md (the contract).

Each document gives one named graph (`{base}graph/doc/{symbol}/{lang}`, or
`{base}graph/catalogue/{symbol}` for a catalogue record without text). Building is deterministic:
no blank nodes, IRIs minted by `unkg.graph.iris`, the same input gives the same quads in the same
order. The loading time is not here: it goes in the provenance graph (`provenance_quads`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from unkg import __version__
from unkg.errors import InputError
from unkg.extract.source_text import content_id as text_content_id
from unkg.graph import iris
from unkg.graph.reference import authority_quads
from unkg.graph.vocab import (
    DCT,
    FOAF,
    MENTION_CLASSES,
    ORGAN_NAMES,
    PARAGRAPH_CLASSES,
    PROV,
    RDF_TYPE,
    RDFS,
    SERIES_ORGANS,
    SKOS,
    U,
    concept,
    integer_literal,
    iri_node,
    namespace,
    organ_of_symbol,
    text_literal,
    xsd_literal,
)
from unkg.model import Document, check_document
from unkg.ontology import data_files


@dataclass(frozen=True)
class BuiltGraph:
    """The quads of one named graph built from one `Document`."""

    graph: str
    document: str  # IRI of the document (work)
    source: str  # Document.source
    loader: str
    checksum: str | None
    quads: list[ox.Quad]


class _Graph:
    """Accumulates the triples of one named graph, without duplicates, in insertion order."""

    def __init__(self, name: str) -> None:
        self.name = ox.NamedNode(name)
        self._quads: dict[ox.Quad, None] = {}

    def add(self, s: str | ox.NamedNode, p: str | ox.NamedNode,
            o: str | ox.NamedNode | ox.Literal | None) -> None:
        if o is None:
            return
        subject = s if type(s) is ox.NamedNode else iri_node(str(s))
        obj = o if type(o) is ox.NamedNode or type(o) is ox.Literal else iri_node(str(o))
        predicate = p if type(p) is ox.NamedNode else iri_node(str(p))
        self._quads[ox.Quad(subject, predicate, obj, self.name)] = None

    def put(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        """`add` for terms already made (the per-paragraph loops): no test, no conversion."""
        self._quads[ox.Quad(s, p, o, self.name)] = None

    def a(self, s: str | ox.NamedNode, *classes: str | ox.NamedNode) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE, cls)

    def quads(self) -> list[ox.Quad]:
        return list(self._quads)


def document_iri(doc: Document, *, base: str | None = None) -> str:
    if doc.symbol:
        return iris.doc_iri(doc.symbol, base=base)
    return iris.content_doc_iri(content_id(doc), base=base)


def content_id(doc: Document) -> str:
    """The document's content id: the loader's, else a digest of its text (never random)."""
    if doc.content_id:
        return doc.content_id
    if doc.text is not None:
        return text_content_id(doc.text)  # the same id the text loader gives
    material = doc.checksum or doc.source
    return "sha256-" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def is_catalogue_record(doc: Document) -> bool:
    """A record without text or paragraphs (MARCXML, JSON Lines metadata) is a catalogue record."""
    return doc.text is None and not doc.paragraphs


def graph_name(doc: Document, *, base: str | None = None) -> str:
    """The named graph a document's triples go to."""
    if is_catalogue_record(doc):
        key = doc.symbol or f"-/{content_id(doc)}"
        return iris.graph_iri("catalogue", key, base=base)
    lang = doc.language or "und"
    key = f"{doc.symbol}/{lang}" if doc.symbol else f"-/{content_id(doc)}/{lang}"
    return iris.graph_iri("doc", key, base=base)


@cache
def _shortcuts() -> dict[str, str]:
    """Concept IRI → shortcut property IRI, from the vocabularies' `unkg:shortcut`."""
    found: dict[str, str] = {}
    for f in data_files("vocab"):
        for q in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE):
            if q.predicate.value == U.shortcut.value:
                found[q.subject.value] = q.object.value
    return found


@cache
def _authority_subjects(base: str) -> frozenset[str]:
    return frozenset(q.subject.value for q in authority_quads(base=base)
                     if q.predicate == RDF_TYPE and isinstance(q.subject, ox.NamedNode))


def build_document(doc: Document, *, base: str | None = None) -> BuiltGraph:
    """Build the named graph of one document."""
    check_document(doc)  # no ill-typed date, no invalid language tag reaches the graph
    base = iris._base(base)
    if not doc.symbol and not doc.content_id and doc.text is None and not doc.checksum:
        raise InputError("document without symbol, content id or text", path=doc.source)
    b = _DocumentBuilder(doc, base)
    b.work()
    b.session_and_agenda()
    b.meeting()
    b.relations()
    if is_catalogue_record(doc):
        b.catalogue_record()
    else:
        b.language_version()
        b.paragraphs()
        b.citations()
        b.mentions()
        b.links()
        b.signatories()
    return BuiltGraph(b.name, b.doc_node, doc.source, doc.loader, doc.checksum, b.g.quads())


class _DocumentBuilder:
    """The phases of `build_document`, in the order their quads are written: the document
    (work), its session and agenda items, meeting, related documents; then either a catalogue
    record's title and sponsors, or the language version with its paragraphs, citations,
    mentions, institutional links and signatories."""

    def __init__(self, doc: Document, base: str) -> None:
        self.doc = doc
        self.base = base
        self.name = graph_name(doc, base=base)
        self.g = _Graph(self.name)
        self.lang = doc.language
        self.doc_node = document_iri(doc, base=base)
        self.known_entities = _authority_subjects(base)
        # Series letter of the issuing organ (sessions and meetings are minted under it).
        code = iris.organ_code(doc.organ)
        if code is None and doc.symbol and organ_of_symbol(doc.symbol):
            code = doc.symbol.split("/", 1)[0]
        self.code = code
        self.session_node: str | None = None
        # A document cites the same documents and names the same entities again and again:
        # their quads are made on the first call only (later ones would add nothing).
        self.stubs: dict[str, ox.NamedNode] = {}
        self.named: dict[tuple[str, str, str], ox.NamedNode] = {}
        self.expr = ""
        self.occurrences: dict[str, list[tuple[int, int, ox.NamedNode]]] = {}

    # --- nodes made on demand --------------------------------------------------------------------

    def entity(self, key: str) -> str:
        return iris.entity_iri(key, base=self.base)

    def stub(self, symbol: str) -> ox.NamedNode:
        """A cited or related document: a node with its symbol and organ, even if not loaded."""
        node = self.stubs.get(symbol)
        if node is not None:
            return node
        g = self.g
        node = self.stubs[symbol] = iri_node(iris.doc_iri(symbol, base=self.base))
        g.a(node, U.Document)
        g.add(node, U.symbol, ox.Literal(symbol))
        organ = organ_of_symbol(symbol)
        if organ:
            g.add(node, U.organ, self.entity(organ))
        return node

    def named_entity(self, key: str, label: str, kind: str) -> ox.NamedNode:
        node = self.named.get((key, label, kind))
        if node is not None:
            return node
        g = self.g
        iri = self.entity(key)
        node = self.named[key, label, kind] = iri_node(iri)
        if iri not in self.known_entities:
            for cls in MENTION_CLASSES.get(kind, ()):
                g.a(node, cls)
            if kind == "person":
                g.add(node, FOAF.name, ox.Literal(label))
            else:
                g.add(node, SKOS.prefLabel, ox.Literal(label, language="en"))
        return node

    def para_iri(self, pid: str, section: int | None = None) -> str:
        try:
            return iris.paragraph_iri(self.expr, pid, section=section)
        except ValueError as err:
            raise InputError(f"bad paragraph id {pid!r}", path=self.doc.source) from err

    def para(self, pid: str, offset: int | None = None) -> ox.NamedNode:
        found = self.occurrences.get(pid)
        if not found:
            return ox.NamedNode(self.para_iri(pid))
        if len(found) == 1 or offset is None:
            return found[0][2]
        before = [node for start, _end, node in found if start <= offset]
        return before[-1] if before else found[0][2]

    # --- the document (work) -------------------------------------------------------------------

    def work(self) -> None:
        g, doc, doc_node = self.g, self.doc, self.doc_node
        g.a(doc_node, U.Document)
        for symbol in doc.symbols:
            g.add(doc_node, U.symbol, ox.Literal(symbol))
        g.add(doc_node, U.documentType, concept("doctype", doc.type or "other"))
        if doc.organ:
            g.add(doc_node, U.organ, self.entity(doc.organ))
        if doc.date:
            g.add(doc_node, DCT.date, xsd_literal(doc.date, "date"))
        if doc.distribution_date:
            g.add(doc_node, U.distributionDate, xsd_literal(doc.distribution_date, "date"))
        if doc.distribution:
            g.add(doc_node, U.distribution, ox.Literal(doc.distribution))
        g.add(doc_node, U.inCorpus, xsd_literal(True, "boolean"))
        g.add(doc_node, U.aknWork, xsd_literal(iris.akn_work_iri(
            doc.symbol, doc.type, doc.organ, doc.date,
            content_id=None if doc.symbol else content_id(doc)), "anyURI"))
        handle = document_handle(doc, base=self.base)
        if handle:  # a readable, stable name for a document that has no symbol
            g.add(doc_node, RDFS.label, ox.Literal(handle, language="en"))
        for heading in doc.subjects:
            g.add(doc_node, U.subjectHeading, ox.Literal(heading))
        if doc.basis_text:
            g.add(doc_node, U.basisText, text_literal(doc.basis_text, self.lang))

    def session_and_agenda(self) -> None:
        g, doc, doc_node, code, lang = self.g, self.doc, self.doc_node, self.code, self.lang
        if code and doc.session:
            session_node = self.session_node = iris.session_iri(code, doc.session,
                                                                base=self.base)
            g.add(doc_node, U.session, session_node)
            g.a(session_node, U.Session)
            g.add(session_node, U.organ, self.entity(SERIES_ORGANS.get(code) or doc.organ or ""))
            g.add(session_node, U.sessionNumber, ox.Literal(doc.session))
            g.add(session_node, RDFS.label,
                  ox.Literal(_session_label(doc.session, ORGAN_NAMES.get(code, code)),
                             language="en"))
            for item in doc.agenda_items:
                item_node = iris.agenda_item_iri(code, doc.session, item, base=self.base)
                g.add(doc_node, U.agendaItem, item_node)
                g.a(item_node, U.AgendaItem)
                g.add(item_node, U.inSession, session_node)
                g.add(item_node, U.itemNumber, ox.Literal(item))
                title = doc.agenda_item_titles.get(item)
                if title:
                    g.add(item_node, DCT.title, text_literal(title, lang))
        if doc.requested_agenda_item:
            g.add(doc_node, U.requestsAgendaItem, text_literal(doc.requested_agenda_item, lang))

    def meeting(self) -> None:
        g, doc, code = self.g, self.doc, self.code
        if not (code and doc.meeting):
            return
        mtg = iris.meeting_iri(code, None if code == "S" else doc.session, doc.meeting.number,
                               base=self.base)
        g.add(self.doc_node, U.adoptedAt, mtg)
        g.a(mtg, U.Meeting)
        if self.session_node:
            g.add(mtg, U.inSession, self.session_node)
        g.add(mtg, U.meetingNumber, xsd_literal(doc.meeting.number, "integer"))
        kind = _meeting_kind(doc.meeting.kind)
        if kind:
            g.add(mtg, U.meetingKind, ox.Literal(kind))
        if doc.meeting.date:
            g.add(mtg, DCT.date, xsd_literal(doc.meeting.date, "date"))

    def relations(self) -> None:
        g, doc, doc_node = self.g, self.doc, self.doc_node
        if doc.draft:
            g.add(doc_node, U.adoptedFromDraft, self.stub(doc.draft))
        for rel in doc.relations:
            target = self.stub(rel.target)
            shortcut = _shortcuts().get(namespace("reltype") + rel.type)
            if shortcut:
                g.add(doc_node, shortcut, target)
            g.add(doc_node, U.relatedDocument, target)

    def catalogue_record(self) -> None:
        g, doc, doc_node = self.g, self.doc, self.doc_node
        if doc.title:
            g.add(doc_node, DCT.title, text_literal(doc.title, self.lang))
        # A catalogue record's mentions (MARCXML sponsors) have no paragraph to sit in: only
        # the document-level shortcut is written, so sponsors still reach the graph.
        for m in doc.mentions:
            g.add(doc_node, U.mentions, self.named_entity(m.entity, m.label, m.kind))

    # --- the language version (expression) and what it says ------------------------------------

    def language_version(self) -> None:
        g, doc, doc_node, lang = self.g, self.doc, self.doc_node, self.lang
        expr = self.expr = iris.expression_iri(doc_node, lang or "und")
        g.add(doc_node, U.hasLanguageVersion, expr)
        g.a(expr, U.LanguageVersion)
        g.add(expr, U.versionOf, doc_node)
        if lang:
            g.add(expr, DCT.language, xsd_literal(lang, "language"))
        if doc.title:
            g.add(expr, DCT.title, text_literal(doc.title, lang))
        if doc.original_language:
            g.add(expr, U.originalLanguage, xsd_literal(doc.original_language, "language"))
        g.add(expr, PROV.wasDerivedFrom, self.name)
        # A text in lettered parts (S/RES/161(1961) "A" and "B") numbers each part's paragraphs
        # from 1 again, so one id can name several paragraphs: the first keeps the plain IRI,
        # the n-th repeat is minted under section n; references resolve by character offset.
        for p in doc.paragraphs:
            seen = self.occurrences.setdefault(p.id, [])
            seen.append((p.start, p.end,
                         ox.NamedNode(self.para_iri(p.id, len(seen) + 1 if seen else None))))

    # Paragraph, citation and mention nodes are made as pyoxigraph nodes once each and their
    # quads added with `put`: these loops make most of a document's quads.

    def paragraphs(self) -> None:
        put, para, lang, occurrences = self.g.put, self.para, self.lang, self.occurrences
        expr_node = iri_node(self.expr)
        seen_ids: dict[str, int] = {}
        for order, p in enumerate(self.doc.paragraphs, start=1):
            index = seen_ids[p.id] = seen_ids.get(p.id, -1) + 1
            node = occurrences[p.id][index][2]
            put(expr_node, U.hasParagraph, node)
            put(node, RDF_TYPE, U.Paragraph)
            if p.kind in PARAGRAPH_CLASSES:
                put(node, RDF_TYPE, PARAGRAPH_CLASSES[p.kind])
            put(node, U.paragraphKind, concept("parakind", p.kind))
            put(node, U.paragraphId, ox.Literal(p.id))
            if p.number is not None:
                put(node, U.number, integer_literal(p.number))
            if p.annex is not None:
                put(node, U.annex, integer_literal(p.annex))
            put(node, U.text, text_literal(p.text, lang))
            if p.opening:
                put(node, U.opening, text_literal(p.opening, lang))
            for fn in p.footnotes:
                put(node, U.carriesFootnote, para(fn, p.start))
            put(node, U.startOffset, integer_literal(p.start))
            put(node, U.endOffset, integer_literal(p.end))
            put(node, U.order, integer_literal(order))
            put(node, DCT.isPartOf, expr_node)

    def citations(self) -> None:
        put, para, lang, expr = self.g.put, self.para, self.lang, self.expr
        doc_term = iri_node(self.doc_node)
        n_citation = 0
        for c in self.doc.citations:
            if not c.target:  # no symbol: nothing to link to (the loader keeps it as a warning)
                continue
            n_citation += 1
            cit = ox.NamedNode(iris.part_iri(expr, "citation", n_citation))
            target = self.stub(c.target)
            paragraph = para(c.paragraph, c.start)
            put(cit, RDF_TYPE, U.Citation)
            put(cit, U.citingDocument, doc_term)
            put(cit, U.citedDocument, target)
            put(cit, U.citationFunction, concept("citfn", c.function))
            put(cit, U.inParagraph, paragraph)
            if c.footnote:
                put(cit, U.viaFootnote, para(c.footnote, c.start))
            put(cit, U.surfaceText, text_literal(c.text, lang))
            if c.verb:
                put(cit, U.introducingVerb, text_literal(c.verb, lang))
            put(cit, U.startOffset, integer_literal(c.start))
            put(cit, U.endOffset, integer_literal(c.end))
            if c.part:
                put(cit, U.citedPart, ox.Literal(c.part))
            if c.implicit:
                put(cit, U.implicit, xsd_literal(True, "boolean"))
            put(doc_term, U.cites, target)
            put(paragraph, U.citesDocument, target)

    def mentions(self) -> None:
        put, para, lang, expr = self.g.put, self.para, self.lang, self.expr
        doc_term = iri_node(self.doc_node)
        for i, m in enumerate(self.doc.mentions, start=1):
            node = ox.NamedNode(iris.part_iri(expr, "mention", i))
            ent = self.named_entity(m.entity, m.label, m.kind)
            paragraph = para(m.paragraph, m.start)
            put(node, RDF_TYPE, U.Mention)
            put(node, U.mentionedEntity, ent)
            put(node, U.inParagraph, paragraph)
            put(node, U.surfaceText, text_literal(m.text, lang))
            put(node, U.startOffset, integer_literal(m.start))
            put(node, U.endOffset, integer_literal(m.end))
            put(paragraph, U.mentions, ent)
            put(doc_term, U.mentions, ent)

    def links(self) -> None:
        g, lang, expr, entity = self.g, self.lang, self.expr, self.entity
        for i, ln in enumerate(self.doc.links, start=1):
            node = iri_node(iris.part_iri(expr, "link", i))
            subject, obj = entity(ln.subject), entity(ln.object)
            link_type = namespace("linktype") + ln.type
            g.a(node, U.InstitutionalLink)
            g.add(node, U.linkType, link_type)
            g.add(node, U.linkSubject, subject)
            g.add(node, U.linkObject, obj)
            g.add(node, U.statedIn, self.para(ln.paragraph, ln.start))
            g.add(node, U.statedInDocument, self.doc_node)
            if ln.document:
                g.add(node, U.establishedBy, self.stub(ln.document))
            g.add(node, U.surfaceText, text_literal(ln.text, lang))
            if ln.date:  # when the stating document said it
                g.add(node, DCT.date, xsd_literal(ln.date, "date"))
            g.add(node, U.startOffset, xsd_literal(ln.start, "integer"))
            g.add(node, U.endOffset, xsd_literal(ln.end, "integer"))
            shortcut = _shortcuts().get(link_type)
            if shortcut:
                g.add(subject, shortcut, obj)

    def signatories(self) -> None:
        g, lang, expr, entity = self.g, self.lang, self.expr, self.entity
        for i, s in enumerate(self.doc.signatories, start=1):
            node = iri_node(iris.part_iri(expr, "signature", i))
            person = entity(s.entity)
            g.add(expr, U.signature, node)
            g.a(node, U.Signature)
            g.add(node, U.signatory, person)
            if s.post:
                g.add(node, U.post, text_literal(s.post, lang))
            for key in s.on_behalf_of:
                g.add(node, U.onBehalfOf, entity(key))
            g.a(person, U.Person, FOAF.Person)
            g.add(person, FOAF.name, ox.Literal(s.name))


MEETING_KINDS = ("plenary", "committee", "council")  # what the model and MeetingShape allow


def document_handle(doc: Document, *, base: str | None = None) -> str | None:
    """The readable name of a document without a symbol (None for one with a symbol): its type
    and date, and for a letter the one State its header names ("letter 2009-07-14 from Russian
    Federation", from "… par le Représentant permanent de la Fédération de Russie"); without a
    date, its title; else its content id. `unkg describe` accepts it; tables, pages and networks
    show it where a symbol would be."""
    if doc.symbol:
        return None
    words = [doc.type or "document"]
    if doc.date:
        words.append(doc.date)
    header_states = {m.entity for m in doc.mentions
                     if m.paragraph == "HDR" and m.entity.startswith("state/")}
    if doc.type == "letter" and len(header_states) == 1:
        name = _english_labels(iris._base(base)).get(iris.entity_iri(next(iter(header_states)),
                                                                     base=base))
        if name:
            words.append(f"from {name}")
    if not doc.date and doc.title:
        title = " ".join(doc.title.split())
        words.append(title if len(title) <= 80 else title[:79].rstrip() + "…")
    if len(words) == 1:
        words.append(content_id(doc))
    return " ".join(words)


@cache
def _english_labels(base: str) -> dict[str, str]:
    """English preferred labels of the authority entities (IRI → label)."""
    pref = SKOS.prefLabel.value
    return {q.subject.value: q.object.value for q in authority_quads(base=base)
            if q.predicate.value == pref and isinstance(q.subject, ox.NamedNode)
            and isinstance(q.object, ox.Literal) and q.object.language == "en"}


def _meeting_kind(kind: str | None) -> str | None:
    """The model's meeting kind, or None for a value the model does not know (left out)."""
    return kind if kind in MEETING_KINDS else None


def _session_label(session: str, organ_name: str) -> str:
    if session.isdigit():
        n = int(session)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} session of the {organ_name}"
    return f"session {session} of the {organ_name}"


def build(docs: Iterable[Document], *, base: str | None = None) -> dict[str, list[ox.Quad]]:
    """Build many documents: named graph IRI → quads (documents sharing a graph are merged)."""
    graphs: dict[str, dict[ox.Quad, None]] = {}
    for doc in docs:
        built = build_document(doc, base=base)
        graphs.setdefault(built.graph, {}).update(dict.fromkeys(built.quads))
    return {g: list(q) for g, q in graphs.items()}


def provenance_quads(graph: str, *, source: str, loader: str, checksum: str | None,
                     generated_at: str, triples: int, source_path: str | None = None,
                     base: str | None = None) -> list[ox.Quad]:
    """PROV-O description of one named graph (the graph IRI is the prov:Entity)."""
    g = _Graph(iris.graph_iri("provenance", base=base))
    g.a(graph, PROV.Entity)
    g.add(graph, U.sourceFile, ox.Literal(source))
    if source_path:
        g.add(graph, U.sourcePath, ox.Literal(source_path))
    if checksum:
        g.add(graph, U.checksum, ox.Literal(checksum))
    g.add(graph, U.loader, ox.Literal(loader))
    g.add(graph, U.loaderVersion, ox.Literal(__version__))
    g.add(graph, PROV.generatedAtTime, xsd_literal(generated_at, "dateTime"))
    g.add(graph, U.tripleCount, xsd_literal(triples, "integer"))
    return g.quads()
