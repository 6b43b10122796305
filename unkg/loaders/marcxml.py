"""UN Digital Library catalogue records (MARC21 slim XML, `.xml` or `.xml.gz`) → `Document`s.

One `Document` per `<record>`: symbol (191 $a), title (245 $a, document kind from 245 $b), date
(269 $a), session and organ (191 $b/$c), agenda items (991 $b/$c), sponsors (710, as state mentions
where the authority data knows the name; without a paragraph, as the record has no text),
subjects (650/610/630 $a) and typed links to related documents (993, by indicator 1). The record
carries no text; its symbol is the same canonical symbol a text of the document has, so the builder
merges both into one document node (the catalogue data in its own named graph).

Parsing is safe by construction: defusedxml with DTDs forbidden, so no external entity is fetched
and no entity-expansion bomb is expanded. A file that does not parse is rejected whole (an
`InputError` naming the file and line); nothing of it is returned.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import IO, cast
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from unkg.errors import InputError, SymbolError
from unkg.loaders.registry import Loader
from unkg.loaders.sources import open_bounded, sha256_file
from unkg.model import Document, Mention, Paragraph, Relation

MARC_NS = "{http://www.loc.gov/MARC21/slim}"

# 993 "related documents", indicator 1 (UN Digital Library practice). 1 and 3 are attested in the
# real export (draft record → resulting resolution; → committee report); 2 (draft) and 4 (meeting
# record) follow the Library's cataloguing of resolution records. Anything else stays untyped.
RELATION_BY_IND1 = {
    "1": "resultsIn",
    "2": "hasDraft",
    "3": "hasReport",
    "4": "hasMeetingRecord",
}
GENERIC_RELATION = "relatedDocument"

# 245 $b ("draft resolution /", "revised draft resolution /", "note : addendum /") → document type.
_KIND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bamendment\b", re.I), "draftAmendment"),
    (re.compile(r"\bdraft resolution\b", re.I), "draftResolution"),
    (re.compile(r"\bdraft decision\b", re.I), "draftDecision"),
    (re.compile(r"\bresolution\b", re.I), "resolution"),
    (re.compile(r"\bdecision\b", re.I), "decision"),
    (re.compile(r"\breport\b", re.I), "report"),
    (re.compile(r"\bletter\b", re.I), "letter"),
)  # notes, statements and the rest: the vocabulary's generic "document"
_ORGANS = {"A/": "org/general-assembly", "S/": "org/security-council", "E/": "org/ecosoc"}
_MOJIBAKE = re.compile(r"[ÃÂØÙÐÑ][\x80-\xbf]")
_PART_LETTER = re.compile(r"\s+[A-H]$")
_TRAILING_PUNCT = re.compile(r"[\s:/;,.=]+$")


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (the real export has "CÃ´te d'Ivoire" for "Côte d'Ivoire")."""
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _clean(text: str | None) -> str:
    return _repair_mojibake(" ".join((text or "").split()))


def _open(path: Path) -> IO[bytes]:
    # read() is all iterparse needs; typeshed does not call the reader IO[bytes]
    return cast(IO[bytes], open_bounded(path))


class _Record:
    """The fields of one MARC record, by tag."""

    def __init__(self, element: Element) -> None:
        self.control: dict[str, str] = {}
        self.fields: list[tuple[str, str, str, list[tuple[str, str]]]] = []
        for child in element:
            tag = child.get("tag", "")
            if child.tag == f"{MARC_NS}controlfield":
                self.control[tag] = (child.text or "").strip()
            elif child.tag == f"{MARC_NS}datafield":
                subfields = [(sf.get("code", ""), _clean(sf.text))
                             for sf in child if sf.tag == f"{MARC_NS}subfield"]
                self.fields.append((tag, child.get("ind1", " "), child.get("ind2", " "),
                                    subfields))

    def datafields(self, tag: str) -> list[tuple[str, dict[str, list[str]]]]:
        """(ind1, {code: [values]}) of every field with this tag, in record order."""
        out = []
        for t, ind1, _ind2, subfields in self.fields:
            if t == tag:
                codes: dict[str, list[str]] = {}
                for code, value in subfields:
                    codes.setdefault(code, []).append(value)
                out.append((ind1, codes))
        return out

    def first(self, tag: str, code: str) -> str | None:
        for _ind1, codes in self.datafields(tag):
            if codes.get(code):
                return codes[code][0]
        return None


def _canonical_symbol(raw: str, source: str) -> str:
    from unkg.extract.symbols import normalise

    # "A/RES/78/183 A": part A of a resolution; the document is A/RES/78/183.
    raw = _PART_LETTER.sub("", raw)
    try:
        return normalise(raw)
    except SymbolError:
        raise InputError(f"not a UN document symbol: {raw!r}", path=source) from None


def _document_type(kind: str | None) -> str:
    for pattern, doc_type in _KIND_PATTERNS:
        if kind and pattern.search(kind):
            return doc_type
    return "document"


def _inverted(name: str) -> str:
    return re.sub(r"\s*\([^()]*\)$", "", name)


def _sponsor_mentions(names: list[str]) -> tuple[list[Mention], list[str]]:
    """A state mention for each sponsor the authority data knows, and the names it does not.

    Names are matched with the shared gazetteer (`unkg.extract.entities.find_mentions`), one
    name per paragraph of a scratch document; a name counts only when one state mention covers
    all of it. A catalogue record has no text: the mentions carry no paragraph (`""`) and no
    offsets (0, 0), which keeps the record free of paragraphs that would collide with the text.
    """
    from unkg.extract.entities import find_mentions

    scratch = Document(source="", loader="marcxml", language="en", paragraphs=[
        Paragraph(id=f"P{i}", kind="body", text=name, start=0, end=len(name), line=1)
        for i, name in enumerate(names, 1)])
    whole: dict[str, Mention] = {}
    for m in find_mentions(scratch):
        name = names[int(m.paragraph[1:]) - 1]
        # the whole name, give or take a closing bracket or the catalogue's inverted tail
        # ("Bahamas (The)"): what is left over holds no word
        rest = _inverted(name[m.end:]) if "(" in name[m.end:] else name[m.end:]
        if m.kind == "state" and m.start == 0 and not re.search(r"\w", rest):
            whole[m.paragraph] = m
    mentions: list[Mention] = []
    unknown: list[str] = []
    for i, name in enumerate(names, 1):
        found = whole.get(f"P{i}")
        if found is None:
            unknown.append(name)
            continue
        mentions.append(Mention(entity=found.entity, label=found.label, kind="state", text=name,
                                paragraph="", start=0, end=0))
    return mentions, unknown


def record_to_document(record: _Record, *, source: str, checksum: str | None) -> Document:
    """One catalogue record → one `Document` (raises `InputError` without a symbol)."""
    raw_symbol = record.first("191", "a")
    if not raw_symbol:
        raise InputError("catalogue record without a document symbol (field 191 $a)",
                         path=source)
    symbols = [_canonical_symbol(raw_symbol, source)]
    for _ind1, codes in record.datafields("191")[1:]:  # joint symbols: one 191 per symbol
        symbols += [_canonical_symbol(v, source) for v in codes.get("a", []) if v]

    title = record.first("245", "a")
    kind = record.first("245", "b")
    series = record.first("191", "b")
    session = record.first("191", "c")
    date = record.first("269", "a")
    doc = Document(
        source=source, loader="marcxml", language="en", symbols=list(dict.fromkeys(symbols)),
        type=_document_type(kind), organ=_ORGANS.get(series or ""),
        title=_TRAILING_PUNCT.sub("", title) if title else None,
        date=date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        session=session or None, checksum=checksum,
    )
    if date and doc.date is None:
        doc.warnings.append(f"{source}: date {date!r} (field 269) is not an ISO date; ignored")

    for _ind1, codes in record.datafields("991"):
        item = (codes.get("b") or [""])[0].replace(" ", "")
        if item:
            doc.agenda_items.append(item)
            if codes.get("c"):
                doc.agenda_item_titles[item] = _TRAILING_PUNCT.sub("", codes["c"][0])

    for tag in ("650", "610", "630"):
        for _ind1, codes in record.datafields(tag):
            doc.subjects += [v for v in codes.get("a", []) if v]

    for ind1, codes in record.datafields("993"):
        for target in codes.get("a", []):
            if not target:
                continue
            rel_type = RELATION_BY_IND1.get(ind1, GENERIC_RELATION)
            try:
                doc.relations.append(Relation(type=rel_type,
                                              target=_canonical_symbol(target, source)))
            except InputError:  # one odd related-document entry must not sink the record
                doc.warnings.append(f"{source}: related document {target!r} (field 993) "
                                    "is not a UN symbol; skipped")

    sponsors = [codes["a"][0] for _ind1, codes in record.datafields("710") if codes.get("a")]
    if sponsors:
        doc.mentions, unknown = _sponsor_mentions(sponsors)
        if unknown:
            doc.warnings.append(f"{source}: sponsors not in the authority data: "
                                + ", ".join(unknown))
    return doc


def load_marcxml(path: Path) -> list[Document]:
    """All records of a MARC21 slim file. A record that cannot be read (no symbol, …) is skipped
    with a warning `file#n: reason; record skipped` on the first document; malformed or unsafe
    XML, or a file with no loadable record, is an `InputError` (and nothing is loaded)."""
    path = Path(path)
    checksum = sha256_file(path)
    documents: list[Document] = []
    problems: list[str] = []
    records = 0
    try:
        with _open(path) as fh:
            for _event, element in SafeET.iterparse(fh, events=("end",), forbid_dtd=True):
                if element.tag != f"{MARC_NS}record":
                    continue
                records += 1
                source = f"{path.name}#{records}"
                try:
                    documents.append(record_to_document(_Record(element), source=source,
                                                        checksum=checksum))
                except InputError as err:  # one bad record is skipped, the others load
                    problems.append(f"{source}: {err.reason}; record skipped")
                except Exception as err:
                    problems.append(f"{source}: internal error: {type(err).__name__}: {err}; "
                                    "record skipped")
                element.clear()  # bounded memory on large exports
    except ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise InputError(f"malformed XML: {err}", path=str(path), line=line) from None
    except DefusedXmlException as err:
        raise InputError(f"unsafe XML refused (DTD or entity declarations): {err}",
                         path=str(path)) from None
    except (OSError, EOFError, zlib.error) as err:  # bad gzip, truncated gzip, unreadable
        raise InputError(f"cannot read the file: {err}", path=str(path)) from None
    except InputError as err:
        err.path = err.path or str(path)
        raise
    if records == 0:
        raise InputError("no MARC21 <record> in the file", path=str(path))
    if not documents:
        raise InputError(f"nothing loadable: {problems[0]}", path=str(path))
    documents[0].warnings.extend(problems)
    return documents


LOADER = Loader(name="marcxml", suffixes=(".xml", ".xml.gz", ".marcxml"), load=load_marcxml)
