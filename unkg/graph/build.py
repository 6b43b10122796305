"""`Document` → quads, per docs/graph-model.md (the contract).

Each document gives one named graph (`{base}graph/doc/{symbol}/{lang}`, or
`{base}graph/catalogue/{symbol}` for a catalogue record without text). Building is deterministic:
no blank nodes, IRIs minted by `unkg.graph.iris`, the same input gives the same quads in the same
order. The loading time is not here: it goes in the provenance graph (`provenance_quads`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from unkg import __version__
from unkg.errors import InputError
from unkg.graph import iris
from unkg.loaders.sources import content_id as text_content_id
from unkg.model import Document
from unkg.ontology import data_file, data_files, prefixes
from unkg.ontology.namespace import UNKG

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Principal organs by symbol series (a cited document that is not loaded gets its organ from this).
SERIES_ORGANS = {"A": "org/general-assembly", "S": "org/security-council", "E": "org/ecosoc"}
ORGAN_NAMES = {"A": "General Assembly", "S": "Security Council", "E": "Economic and Social Council"}

PARAGRAPH_CLASSES = {
    "preambular": UNKG.PreambularParagraph, "operative": UNKG.OperativeParagraph,
    "footnote": UNKG.Footnote, "body": UNKG.BodyParagraph, "header": UNKG.HeaderBlock,
    "signature": UNKG.SignatureBlock,
}
# Entities named by a document but absent from the authority lists are typed from the mention.
MENTION_CLASSES = {
    "organization": (UNKG.Organization,), "body": (UNKG.UNBody,), "official": (UNKG.Post,),
    "state": (UNKG.State,), "person": (UNKG.Person, "http://xmlns.com/foaf/0.1/Person"),
}


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _ns(prefix: str) -> str:
    return prefixes()[prefix]


def _xsd(value: object, datatype: str) -> ox.Literal:
    if isinstance(value, bool):
        value = "true" if value else "false"
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def _text(value: str, language: str | None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def organ_of_symbol(symbol: str) -> str | None:
    """Authority key of the principal organ from a symbol's series (A/… → GA, S/… → SC)."""
    return SERIES_ORGANS.get(symbol.split("/", 1)[0])


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

    def add(self, s: str | ox.NamedNode, p: str, o: str | ox.NamedNode | ox.Literal | None) -> None:
        if o is None:
            return
        subject = s if isinstance(s, ox.NamedNode) else ox.NamedNode(s)
        obj = o if isinstance(o, ox.NamedNode | ox.Literal) else ox.NamedNode(str(o))
        self._quads[ox.Quad(subject, ox.NamedNode(str(p)), obj, self.name)] = None

    def a(self, s: str, *classes: str) -> None:
        for cls in classes:
            self.add(s, RDF_TYPE.value, str(cls))

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
            if q.predicate.value == str(UNKG.shortcut):
                found[q.subject.value] = q.object.value
    return found


@cache
def _authority_subjects(base: str) -> frozenset[str]:
    return frozenset(q.subject.value for q in authority_quads(base=base)
                     if q.predicate == RDF_TYPE)


def build_document(doc: Document, *, base: str | None = None) -> BuiltGraph:
    """Build the named graph of one document."""
    base = iris._base(base)
    if not doc.symbol and not doc.content_id and doc.text is None and not doc.checksum:
        raise InputError("document without symbol, content id or text", path=doc.source)
    name = graph_name(doc, base=base)
    g = _Graph(name)
    lang = doc.language
    doc_node = document_iri(doc, base=base)
    known_entities = _authority_subjects(base)
    # Series letter of the issuing organ (sessions and meetings are minted under it).
    code = iris.organ_code(doc.organ)
    if code is None and doc.symbol and organ_of_symbol(doc.symbol):
        code = doc.symbol.split("/", 1)[0]

    def entity(key: str) -> str:
        return iris.entity_iri(key, base=base)

    def stub(symbol: str) -> str:
        """A cited or related document: a node with its symbol and organ, even if not loaded."""
        node = iris.doc_iri(symbol, base=base)
        g.a(node, UNKG.Document)
        g.add(node, UNKG.symbol, ox.Literal(symbol))
        organ = organ_of_symbol(symbol)
        if organ:
            g.add(node, UNKG.organ, entity(organ))
        return node

    def named_entity(key: str, label: str, kind: str) -> str:
        node = entity(key)
        if node not in known_entities:
            for cls in MENTION_CLASSES.get(kind, ()):
                g.a(node, cls)
            if kind == "person":
                g.add(node, _ns("foaf") + "name", ox.Literal(label))
            else:
                g.add(node, _ns("skos") + "prefLabel", ox.Literal(label, language="en"))
        return node

    # --- the document (work)
    g.a(doc_node, UNKG.Document)
    for symbol in doc.symbols:
        g.add(doc_node, UNKG.symbol, ox.Literal(symbol))
    g.add(doc_node, UNKG.documentType, _ns("doctype") + (doc.type or "other"))
    if doc.organ:
        g.add(doc_node, UNKG.organ, entity(doc.organ))
    if doc.date:
        g.add(doc_node, _ns("dcterms") + "date", _xsd(doc.date, "date"))
    if doc.distribution_date:
        g.add(doc_node, UNKG.distributionDate, _xsd(doc.distribution_date, "date"))
    if doc.distribution:
        g.add(doc_node, UNKG.distribution, ox.Literal(doc.distribution))
    g.add(doc_node, UNKG.inCorpus, _xsd(True, "boolean"))
    for heading in doc.subjects:
        g.add(doc_node, UNKG.subjectHeading, ox.Literal(heading))
    if doc.basis_text:
        g.add(doc_node, UNKG.basisText, _text(doc.basis_text, lang))

    session_node = None
    if code and doc.session:
        session_node = iris.session_iri(code, doc.session, base=base)
        g.add(doc_node, UNKG.session, session_node)
        g.a(session_node, UNKG.Session)
        g.add(session_node, UNKG.organ, entity(SERIES_ORGANS.get(code) or doc.organ or ""))
        g.add(session_node, UNKG.sessionNumber, ox.Literal(doc.session))
        g.add(session_node, _ns("rdfs") + "label",
              ox.Literal(_session_label(doc.session, ORGAN_NAMES.get(code, code)), language="en"))
        for item in doc.agenda_items:
            item_node = iris.agenda_item_iri(code, doc.session, item, base=base)
            g.add(doc_node, UNKG.agendaItem, item_node)
            g.a(item_node, UNKG.AgendaItem)
            g.add(item_node, UNKG.inSession, session_node)
            g.add(item_node, UNKG.itemNumber, ox.Literal(item))
            title = doc.agenda_item_titles.get(item)
            if title:
                g.add(item_node, _ns("dcterms") + "title", _text(title, lang))
    if doc.requested_agenda_item:
        g.add(doc_node, UNKG.requestsAgendaItem, _text(doc.requested_agenda_item, lang))
    if code and doc.meeting:
        mtg = iris.meeting_iri(code, None if code == "S" else doc.session, doc.meeting.number,
                               base=base)
        g.add(doc_node, UNKG.adoptedAt, mtg)
        g.a(mtg, UNKG.Meeting)
        if session_node:
            g.add(mtg, UNKG.inSession, session_node)
        g.add(mtg, UNKG.meetingNumber, _xsd(doc.meeting.number, "integer"))
        kind = _meeting_kind(doc.meeting.kind)
        if kind:
            g.add(mtg, UNKG.meetingKind, ox.Literal(kind))
        if doc.meeting.date:
            g.add(mtg, _ns("dcterms") + "date", _xsd(doc.meeting.date, "date"))
    if doc.draft:
        g.add(doc_node, UNKG.adoptedFromDraft, stub(doc.draft))
    for rel in doc.relations:
        target = stub(rel.target)
        shortcut = _shortcuts().get(_ns("reltype") + rel.type)
        if shortcut:
            g.add(doc_node, shortcut, target)
        g.add(doc_node, UNKG.relatedDocument, target)

    if is_catalogue_record(doc):
        if doc.title:
            g.add(doc_node, _ns("dcterms") + "title", _text(doc.title, lang))
        # A catalogue record's mentions (MARCXML sponsors) have no paragraph to sit in: only
        # the document-level shortcut is written, so sponsors still reach the graph.
        for m in doc.mentions:
            g.add(doc_node, UNKG.mentions, named_entity(m.entity, m.label, m.kind))
        return BuiltGraph(name, doc_node, doc.source, doc.loader, doc.checksum, g.quads())

    # --- the language version (expression)
    expr = iris.expression_iri(doc_node, lang or "und")
    g.add(doc_node, UNKG.hasLanguageVersion, expr)
    g.a(expr, UNKG.LanguageVersion)
    g.add(expr, UNKG.versionOf, doc_node)
    if lang:
        g.add(expr, _ns("dcterms") + "language", _xsd(lang, "language"))
    if doc.title:
        g.add(expr, _ns("dcterms") + "title", _text(doc.title, lang))
    if doc.original_language:
        g.add(expr, UNKG.originalLanguage, _xsd(doc.original_language, "language"))
    g.add(expr, _ns("prov") + "wasDerivedFrom", name)

    def para_iri(pid: str, section: int | None = None) -> str:
        try:
            return iris.paragraph_iri(expr, pid, section=section)
        except ValueError as err:
            raise InputError(f"bad paragraph id {pid!r}", path=doc.source) from err

    # A text in lettered parts (S/RES/161(1961) "A" and "B") numbers each part's paragraphs
    # from 1 again, so one id can name several paragraphs: the first keeps the plain IRI, the
    # n-th repeat is minted under section n; references resolve by character offset.
    occurrences: dict[str, list[tuple[int, int, str]]] = {}
    for p in doc.paragraphs:
        seen = occurrences.setdefault(p.id, [])
        seen.append((p.start, p.end, para_iri(p.id, len(seen) + 1 if seen else None)))

    def para(pid: str, offset: int | None = None) -> str:
        found = occurrences.get(pid)
        if not found:
            return para_iri(pid)
        if len(found) == 1 or offset is None:
            return found[0][2]
        before = [node for start, _end, node in found if start <= offset]
        return before[-1] if before else found[0][2]

    seen_ids: dict[str, int] = {}
    for order, p in enumerate(doc.paragraphs, start=1):
        index = seen_ids[p.id] = seen_ids.get(p.id, -1) + 1
        node = occurrences[p.id][index][2]
        g.add(expr, UNKG.hasParagraph, node)
        g.a(node, UNKG.Paragraph)
        if p.kind in PARAGRAPH_CLASSES:
            g.a(node, PARAGRAPH_CLASSES[p.kind])
        g.add(node, UNKG.paragraphKind, _ns("parakind") + p.kind)
        g.add(node, UNKG.paragraphId, ox.Literal(p.id))
        if p.number is not None:
            g.add(node, UNKG.number, _xsd(p.number, "integer"))
        if p.annex is not None:
            g.add(node, UNKG.annex, _xsd(p.annex, "integer"))
        g.add(node, UNKG.text, _text(p.text, lang))
        if p.opening:
            g.add(node, UNKG.opening, _text(p.opening, lang))
        for fn in p.footnotes:
            g.add(node, UNKG.carriesFootnote, para(fn, p.start))
        g.add(node, UNKG.startOffset, _xsd(p.start, "integer"))
        g.add(node, UNKG.endOffset, _xsd(p.end, "integer"))
        g.add(node, UNKG.order, _xsd(order, "integer"))
        g.add(node, _ns("dcterms") + "isPartOf", expr)

    n_citation = 0
    for c in doc.citations:
        if not c.target:  # no symbol: nothing to link to (the loader keeps it as a warning)
            continue
        n_citation += 1
        cit = iris.part_iri(expr, "citation", n_citation)
        target = stub(c.target)
        paragraph = para(c.paragraph, c.start)
        g.a(cit, UNKG.Citation)
        g.add(cit, UNKG.citingDocument, doc_node)
        g.add(cit, UNKG.citedDocument, target)
        g.add(cit, UNKG.citationFunction, _ns("citfn") + c.function)
        g.add(cit, UNKG.inParagraph, paragraph)
        if c.footnote:
            g.add(cit, UNKG.viaFootnote, para(c.footnote, c.start))
        g.add(cit, UNKG.surfaceText, _text(c.text, lang))
        if c.verb:
            g.add(cit, UNKG.introducingVerb, _text(c.verb, lang))
        g.add(cit, UNKG.startOffset, _xsd(c.start, "integer"))
        g.add(cit, UNKG.endOffset, _xsd(c.end, "integer"))
        if c.part:
            g.add(cit, UNKG.citedPart, ox.Literal(c.part))
        if c.implicit:
            g.add(cit, UNKG.implicit, _xsd(True, "boolean"))
        g.add(doc_node, UNKG.cites, target)
        g.add(paragraph, UNKG.citesDocument, target)

    for i, m in enumerate(doc.mentions, start=1):
        node = iris.part_iri(expr, "mention", i)
        ent = named_entity(m.entity, m.label, m.kind)
        paragraph = para(m.paragraph, m.start)
        g.a(node, UNKG.Mention)
        g.add(node, UNKG.mentionedEntity, ent)
        g.add(node, UNKG.inParagraph, paragraph)
        g.add(node, UNKG.surfaceText, _text(m.text, lang))
        g.add(node, UNKG.startOffset, _xsd(m.start, "integer"))
        g.add(node, UNKG.endOffset, _xsd(m.end, "integer"))
        g.add(paragraph, UNKG.mentions, ent)
        g.add(doc_node, UNKG.mentions, ent)

    for i, ln in enumerate(doc.links, start=1):
        node = iris.part_iri(expr, "link", i)
        subject, obj = entity(ln.subject), entity(ln.object)
        link_type = _ns("linktype") + ln.type
        g.a(node, UNKG.InstitutionalLink)
        g.add(node, UNKG.linkType, link_type)
        g.add(node, UNKG.linkSubject, subject)
        g.add(node, UNKG.linkObject, obj)
        g.add(node, UNKG.statedIn, para(ln.paragraph, ln.start))
        g.add(node, UNKG.statedInDocument, doc_node)
        if ln.document:
            g.add(node, UNKG.establishedBy, stub(ln.document))
        g.add(node, UNKG.surfaceText, _text(ln.text, lang))
        g.add(node, UNKG.startOffset, _xsd(ln.start, "integer"))
        g.add(node, UNKG.endOffset, _xsd(ln.end, "integer"))
        shortcut = _shortcuts().get(link_type)
        if shortcut:
            g.add(subject, shortcut, obj)

    for i, s in enumerate(doc.signatories, start=1):
        node = iris.part_iri(expr, "signature", i)
        person = entity(s.entity)
        g.add(expr, UNKG.signature, node)
        g.a(node, UNKG.Signature)
        g.add(node, UNKG.signatory, person)
        if s.post:
            g.add(node, UNKG.post, _text(s.post, lang))
        for key in s.on_behalf_of:
            g.add(node, UNKG.onBehalfOf, entity(key))
        g.a(person, UNKG.Person, _ns("foaf") + "Person")
        g.add(person, _ns("foaf") + "name", ox.Literal(s.name))

    return BuiltGraph(name, doc_node, doc.source, doc.loader, doc.checksum, g.quads())


MEETING_KINDS = ("plenary", "committee", "council")  # what the model and MeetingShape allow


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


# --- ontology, vocabularies, authority -------------------------------------------------------

def _parse_into(files: Iterable, graph: str, *, base: str | None = None) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    quads: dict[ox.Quad, None] = {}
    for f in files:
        try:
            for q in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=base):
                quads[ox.Quad(q.subject, q.predicate, q.object, name)] = None
        except SyntaxError as err:
            raise InputError(f"bad Turtle: {err}", path=f"unkg/ontology/{f.name}") from err
    return list(quads)


def ontology_quads(*, base: str | None = None) -> list[ox.Quad]:
    """unkg.ttl and the SKOS vocabularies, in `{base}graph/ontology`."""
    files = [data_file("unkg.ttl"), *data_files("vocab")]
    return _parse_into(files, iris.graph_iri("ontology", base=base))


@cache
def _authority_cached(base: str) -> tuple[ox.Quad, ...]:
    return tuple(_parse_into(data_files("authority"), iris.graph_iri("authority", base=base),
                             base=base))


def authority_quads(*, base: str | None = None) -> list[ox.Quad]:
    """The authority lists (relative IRIs such as `<org/csto>` resolved against the base)."""
    return list(_authority_cached(iris._base(base)))


def reference_checksum() -> str:
    """sha256 of the ontology, vocabulary and authority files (reloaded when it changes)."""
    digest = hashlib.sha256()
    for f in [data_file("unkg.ttl"), *data_files("vocab"), *data_files("authority")]:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def provenance_quads(graph: str, *, source: str, loader: str, checksum: str | None,
                     generated_at: str, triples: int, source_path: str | None = None,
                     base: str | None = None) -> list[ox.Quad]:
    """PROV-O description of one named graph (the graph IRI is the prov:Entity)."""
    g = _Graph(iris.graph_iri("provenance", base=base))
    g.a(graph, _ns("prov") + "Entity")
    g.add(graph, UNKG.sourceFile, ox.Literal(source))
    if source_path:
        g.add(graph, UNKG.sourcePath, ox.Literal(source_path))
    if checksum:
        g.add(graph, UNKG.checksum, ox.Literal(checksum))
    g.add(graph, UNKG.loader, ox.Literal(loader))
    g.add(graph, UNKG.loaderVersion, ox.Literal(__version__))
    g.add(graph, _ns("prov") + "generatedAtTime", _xsd(generated_at, "dateTime"))
    g.add(graph, UNKG.tripleCount, _xsd(triples, "integer"))
    return g.quads()
