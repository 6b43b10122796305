"""Akoma Ntoso 3.0 / AKN4UN XML (`.akn.xml`, `.akn`) → `Document`.

Reads the files `unkg export --format akn` writes (see docs/akn.md for the mapping) and any
AKN4UN file laid out the same way: one `Document` per file, the main component and its
`attachments` (annexes: `!annex_1`, `!annex_2`) together. Where AKN has a place for a fact the
file puts it there (FRBR identification, `docNumber`/`docTitle`/`docDate`, preamble/mainBody
paragraphs by `eId`, `authorialNote`, `<ref href>`, `<organization refersTo>`, TLC references);
what AKN has no place for (character offsets in the source text, the citation function's
introducing verb, institutional links, session and agenda items) sits in attributes and elements
of unkg's own namespace, which the OASIS schema admits (`anyAttribute ##other`, `proprietary`,
`otherAnalysis`).

Parsing is safe by construction: defusedxml with DTDs forbidden, so no external entity is fetched
and no entity-expansion bomb is expanded. A file that does not parse is rejected whole.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import pycountry
from defusedxml import DefusedXmlException

from unkg.errors import InputError
from unkg.loaders.registry import Loader
from unkg.loaders.sources import sha256_file
from unkg.model import (
    Citation,
    Document,
    Link,
    Meeting,
    Mention,
    Paragraph,
    Relation,
    Signatory,
)
from unkg.ontology import UNKG

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
UNKG_NS = UNKG  # unkg's own attributes and elements: the ontology namespace
A = f"{{{AKN_NS}}}"
U = f"{{{UNKG_NS}}}"

# eId of a paragraph from its unkg id (AKN naming convention: `para_8`, `authorialNote_1`).
_EID_PREFIX = {"PP": "preamble__para_", "OP": "para_", "P": "body__para_", "FN": "authorialNote_"}
_EID_NAMED = {"HDR": "preface__hdr", "SIG": "conclusions__sig", "TITLE": "preface__title"}
_PID = re.compile(r"^(?:ANNEX(\d+)/)?(?:(PP|OP|FN|P)(\d+)|(HDR|SIG|TITLE))$")
_SECTION = re.compile(r"^sec_(\d+)__(.+)$")
_ANNEX = re.compile(r"^annex_(\d+)__(.+)$")

# Which AKN block holds a paragraph of each kind.
PARAGRAPH_KINDS = ("preambular", "operative", "footnote", "body", "header", "signature")


def eid(paragraph_id: str, section: int | None = None) -> str:
    """`PP3` → `preamble__para_3`, `OP8` → `para_8`, `FN1` → `authorialNote_1`, `HDR` →
    `preface__hdr`; the n-th repeat of an id (lettered parts) is `sec_n__…`; an annex paragraph
    is `annex_n__…` (eIds are unique in the whole file, attachments included)."""
    m = _PID.match(paragraph_id)
    if not m:
        raise ValueError(f"not a paragraph id: {paragraph_id!r}")
    local = _EID_PREFIX[m.group(2)] + str(int(m.group(3))) if m.group(2) else _EID_NAMED[m.group(4)]
    if section:
        local = f"sec_{section}__{local}"
    return f"annex_{int(m.group(1))}__{local}" if m.group(1) else local


def paragraph_id(eid_value: str) -> tuple[str, int | None]:
    """Inverse of `eid`: (`ANNEX2/PP1`, None) from `annex_2__preamble__para_1`."""
    section = annex = None
    m = _ANNEX.match(eid_value)
    if m:
        annex, eid_value = int(m.group(1)), m.group(2)
    m = _SECTION.match(eid_value)
    if m:
        section, eid_value = int(m.group(1)), m.group(2)
    local = next((k for k, v in _EID_NAMED.items() if v == eid_value), None)
    if local is None:
        for kind, prefix in sorted(_EID_PREFIX.items(), key=lambda kv: -len(kv[1])):
            if eid_value.startswith(prefix) and eid_value[len(prefix):].isdigit():
                local = f"{kind}{int(eid_value[len(prefix):])}"
                break
    if local is None:
        raise ValueError(f"not an eId unkg writes: {eid_value!r}")
    return (f"ANNEX{annex}/{local}" if annex else local), section


def language_alpha3(tag: str | None) -> str:
    """BCP 47 two-letter tag → ISO 639-2 three-letter code used by AKN (`fr` → `fra`)."""
    if not tag:
        return "und"
    lang = pycountry.languages.get(alpha_2=tag)
    return lang.alpha_3 if lang else tag


def language_alpha2(code: str | None) -> str | None:
    """Inverse of `language_alpha3` (`fra` → `fr`; `und` → None)."""
    if not code or code == "und":
        return None
    lang = pycountry.languages.get(alpha_3=code)
    return getattr(lang, "alpha_2", None) or code


# XML 1.0 cannot hold most C0 control characters, which PDF-to-text output has (form feeds at
# page breaks): the writer stores each as a private-use character U+F700+code, the reader maps it
# back. (A source text holding those private-use characters themselves would not round-trip.)
_CONTROLS = [c for c in range(32) if c not in (9, 10, 13)]
TO_XML = {c: 0xF700 + c for c in _CONTROLS}
FROM_XML = {0xF700 + c: c for c in _CONTROLS}


def _unmap(root: Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = el.text.translate(FROM_XML)
        if el.tail:
            el.tail = el.tail.translate(FROM_XML)
        for k, v in el.attrib.items():
            el.set(k, v.translate(FROM_XML))


# --- reading -------------------------------------------------------------------------------------

def _int(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


class _Reader:
    """Reads one AKN file into a `Document`."""

    def __init__(self, root: Element, source: str) -> None:
        self.root = root
        self.source = source
        self.tlc: dict[str, Element] = {}  # eId → TLC element (references)
        self.paragraphs: list[tuple[Paragraph, int | None]] = []  # with section
        # with their rank in the document (`unkg:n`)
        self.citations: list[tuple[int, Citation]] = []
        self.mentions: list[tuple[int, Mention]] = []

    def key(self, ref: str | None) -> str:
        """Entity key of a `#eId` reference to a TLC element."""
        el = self.tlc.get((ref or "").lstrip("#"))
        if el is None:
            raise InputError(f"reference to an unknown TLC element {ref!r}", path=self.source)
        return el.get(f"{U}key") or el.get("href") or ""

    def read(self) -> Document:
        top = next(iter(self.root), None)
        if top is None or self.root.tag != f"{A}akomaNtoso":
            raise InputError("not an Akoma Ntoso document (no akomaNtoso root)", path=self.source)
        meta = top.find(f"{A}meta")
        if meta is None:
            raise InputError("Akoma Ntoso document without meta", path=self.source)
        for refs in meta.findall(f"{A}references"):
            for el in refs:
                if key := el.get("eId"):
                    self.tlc[key] = el
        doc = Document(source=self.source, loader="akn", language=None)
        self._identification(meta, doc)
        self._proprietary(meta, doc)
        self._component(top, None)
        attachments = top.find(f"{A}attachments")
        for att in attachments if attachments is not None else []:
            inner = next(iter(att), None)
            if inner is None:
                continue
            this = inner.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRthis")
            m = re.search(r"!annex_(\d+)$", this.get("value", "") if this is not None else "")
            self._component(inner, int(m.group(1)) if m else None)
        self.paragraphs.sort(key=lambda ps: (ps[0].start, ps[0].end))
        doc.paragraphs = [p for p, _ in self.paragraphs]
        doc.citations = [c for _, c in sorted(self.citations, key=lambda nc: nc[0])]
        doc.mentions = [m for _, m in sorted(self.mentions, key=lambda nm: nm[0])]
        self._analysis(meta, doc)
        # The text the offsets refer to is not in the file; the paragraphs' text stands for it
        # (a document with text is not a catalogue record).
        doc.text = "\n".join(p.text for p in doc.paragraphs)
        return doc

    def _identification(self, meta: Element, doc: Document) -> None:
        ident = meta.find(f"{A}identification")
        if ident is None:
            raise InputError("Akoma Ntoso meta without identification", path=self.source)
        work = ident.find(f"{A}FRBRWork")
        for alias in work.findall(f"{A}FRBRalias") if work is not None else []:
            if alias.get("name") == "UNDocumentSymbol":
                doc.symbols.append(alias.get("value", ""))
        subtype = work.find(f"{A}FRBRsubtype") if work is not None else None
        if subtype is not None:
            doc.type = subtype.get("value") or "other"
        author = work.find(f"{A}FRBRauthor") if work is not None else None
        if author is not None and author.get("href") not in (None, "#unkg"):
            doc.organ = self.key(author.get("href"))
        lang = ident.find(f"{A}FRBRExpression/{A}FRBRlanguage")
        doc.language = language_alpha2(lang.get("language") if lang is not None else None)

    def _proprietary(self, meta: Element, doc: Document) -> None:
        prop = meta.find(f"{A}proprietary/{U}document")
        if prop is None:
            return
        for name in ("title", "date", "distribution_date", "distribution", "original_language",
                     "session", "requested_agenda_item", "draft", "basis_text", "content_id"):
            el = prop.find(f"{U}{name}")
            if el is not None:
                setattr(doc, name, el.text or "")
        for el in prop.findall(f"{U}agenda_item"):
            doc.agenda_items.append(el.get("number", ""))
            if el.text:
                doc.agenda_item_titles[el.get("number", "")] = el.text
        mtg = prop.find(f"{U}meeting")
        if mtg is not None:
            doc.meeting = Meeting(number=int(mtg.get("number", "0")), kind=mtg.get("kind"),
                                  date=mtg.get("date"), text=mtg.text)
        doc.relations = [Relation(type=el.get("type", ""), target=el.get("target", ""))
                         for el in prop.findall(f"{U}relation")]
        doc.subjects = [el.text or "" for el in prop.findall(f"{U}subject")]
        for el in prop.findall(f"{U}signatory"):
            doc.signatories.append(Signatory(
                name=el.get("name", ""), entity=el.get("entity", ""), post=el.get("post"),
                on_behalf_of=[b.get("entity", "") for b in el.findall(f"{U}onBehalfOf")],
                paragraph=el.get("paragraph", "SIG")))

    def _analysis(self, meta: Element, doc: Document) -> None:
        other = meta.find(f"{A}analysis/{A}otherAnalysis")
        for el in other.findall(f"{U}link") if other is not None else []:
            doc.links.append(Link(
                type=el.get("type", ""), subject=el.get("subject", ""),
                object=el.get("object", ""), subject_label=el.get("subjectLabel", ""),
                object_label=el.get("objectLabel", ""), paragraph=el.get("paragraph", ""),
                text=el.text or "", start=int(el.get("start", "0")),
                end=int(el.get("end", "0")), document=el.get("document"), date=el.get("date")))

    # --- the text of a component ---------------------------------------------------------------

    def _component(self, top: Element, annex: int | None) -> None:
        for block in top:
            if block.tag in (f"{A}meta", f"{A}attachments"):
                continue
            for el in block.iter():
                if el.get("eId") and el.get("class") in PARAGRAPH_KINDS \
                        and el.tag != f"{A}authorialNote":
                    self._paragraph(el, annex, carrier=None)
        notes = top.find(f"{A}meta/{A}notes")
        for note in notes if notes is not None else []:
            self._paragraph(note, annex, carrier=None)

    def _paragraph(self, el: Element, annex: int | None, carrier: str | None) -> None:
        # The id comes from the eId alone; the annex is the component's unless the writer said
        # otherwise (a footnote of the main text whose marker sits in an annex).
        pid, section = paragraph_id(el.get("eId", ""))
        if el.get(f"{U}annex") is not None:
            annex = _int(el.get(f"{U}annex"))
        start = int(el.get(f"{U}start", "0"))
        parts: list[str] = []
        nested: list[tuple[Element, int]] = []  # authorial notes met, to read after
        footnotes: list[str] = []
        opening = el.get(f"{U}opening")

        def walk(node: Element, inside: list[Element]) -> None:
            nonlocal opening
            tag = node.tag
            if tag == f"{A}authorialNote":
                nested.append((node, 0))
                footnotes.append(paragraph_id(node.get("eId", ""))[0])
                if node.tail:
                    parts.append(node.tail)
                return
            if tag == f"{A}noteRef":
                footnotes.append(paragraph_id(node.get("href", "").lstrip("#"))[0])
                if node.tail:
                    parts.append(node.tail)
                return
            begin = sum(len(s) for s in parts)
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child, [*inside, node])
            end = sum(len(s) for s in parts)
            self._inline(node, parts, begin, end, pid)
            if tag == f"{A}span" and node.get("class") == "opening" and opening is None:
                opening = "".join(parts)[begin:end]
            if node is not holder and node.tail:
                parts.append(node.tail)

        self._carrier = carrier
        holder = el if el.tag == f"{A}p" else el.find(f".//{A}p")
        if holder is not None:
            walk(holder, [])
        text = "".join(parts)
        number = _PID.match(pid).group(3)  # type: ignore[union-attr]
        kind = el.get("class", "body")
        self.paragraphs.append((Paragraph(
            id=pid, kind=kind, text=text, start=start, end=int(el.get(f"{U}end", "0")),
            line=int(el.get(f"{U}line", "0")), number=int(number) if number else None,
            annex=annex, opening=opening, footnotes=footnotes), section))
        for note, _ in nested:
            self._paragraph(note, annex, carrier=pid)

    def _inline(self, node: Element, parts: list[str], begin: int, end: int, host: str) -> None:
        """A `ref` (citation) or entity element (mention) found in paragraph `host`."""
        tag = node.tag
        if tag not in (f"{A}ref", f"{A}organization", f"{A}person", f"{A}role"):
            return
        text = node.get(f"{U}surface")
        if text is None:
            text = "".join(parts)[begin:end]
        start, stop = _int(node.get(f"{U}start")), _int(node.get(f"{U}end"))
        if start is None or stop is None:
            return  # markup of someone else's: not a unkg item
        if tag == f"{A}ref":
            # A citation in a footnote belongs to the paragraph carrying the note.
            paragraph, footnote = (self._carrier, host) if self._carrier else (host, None)
            if (given := node.get(f"{U}paragraph")) is not None:
                paragraph = given
            if node.get(f"{U}footnote") is not None:
                footnote = node.get(f"{U}footnote") or None
            function = self.tlc.get((node.get("refersTo") or "").lstrip("#"))
            self.citations.append((int(node.get(f"{U}n", "0")), Citation(
                target=node.get(f"{U}symbol", ""),
                function=(function.get("href", "").rsplit("/", 1)[-1]
                          if function is not None else "mentions"),
                paragraph=paragraph or host, text=text, start=start, end=stop,
                footnote=footnote, part=node.get(f"{U}part"),
                implicit=node.get(f"{U}implicit") == "true", verb=node.get(f"{U}verb"))))
        else:
            ref = node.get("refersTo")
            tlc = self.tlc.get((ref or "").lstrip("#"))
            self.mentions.append((int(node.get(f"{U}n", "0")), Mention(
                entity=self.key(ref),
                label=node.get(f"{U}label") or (tlc.get("showAs") or "" if tlc is not None else ""),
                kind=node.get("class") or "organization", text=text,
                paragraph=node.get(f"{U}paragraph") or host,
                start=start, end=stop)))


def read_akn(data: bytes, source: str) -> Document:
    """Parse AKN XML bytes into a `Document` (`InputError` for anything malformed)."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as err:
        raise InputError(f"not well-formed or unsafe XML: {err}", path=source) from err
    _unmap(root)
    try:
        return _Reader(root, source).read()
    except (ValueError, AttributeError) as err:
        raise InputError(f"not an Akoma Ntoso file unkg can read: {err}", path=source) from err


def load(path: Path) -> list[Document]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", path=str(path)) from err
    doc = read_akn(data, path.name)
    doc.checksum = sha256_file(path)
    return [doc]


LOADER = Loader(name="akn", suffixes=(".akn.xml", ".akn"), load=load)
