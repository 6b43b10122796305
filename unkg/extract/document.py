"""A UN document's text → `Document`: the one parser every source format shares.

The text, JSON Lines and PDF loaders call `parse_text` on the text they hold.
Hints (from a sidecar, front matter or a catalogue record) may give symbol, language, type, date,
title, session and organ; they win over what the parser reads in the text.
"""

from __future__ import annotations

import re
from typing import Any

from unkg.errors import InputError, SymbolError
from unkg.extract import citations as citation_finder
from unkg.extract import dates
from unkg.extract.entities import find_mentions
from unkg.extract.layout import Structure, squeeze
from unkg.extract.links import find_links
from unkg.extract.source_text import content_id, front_matter
from unkg.extract.structure import analyse
from unkg.extract.symbols import normalise, parse
from unkg.model import Document, Meeting, Paragraph, Signatory, person_key

_SERIES_ORGAN = {"A": "org/general-assembly", "S": "org/security-council", "E": "org/ecosoc"}
_UN_WORDS = re.compile(
    r"United Nations|Nations Unies|Naciones Unidas|General Assembly|Assemblée générale|"
    r"Security Council|Conseil de sécurité|Secretary-General|Secrétaire général|\bONU\b|"
    r"\bresolution\b|\brésolution\b|Организаци[ия] Объединенных Наций",
    re.IGNORECASE,
)
_PRESS_SERIES = (
    "GA",
    "SC",
    "CS",
    "AG",
    "SG",
    "ECOSOC",
    "ENV",
    "DEV",
    "HR",
    "L",
    "OBV",
    "ORG",
    "PI",
)
_STOPWORDS = {
    "fr": {"le", "la", "les", "des", "du", "et", "une", "dans", "sur", "est", "qui", "aux", "pour"},
    "en": {"the", "of", "and", "to", "in", "is", "that", "for", "its", "with", "on", "by", "which"},
    "es": {"el", "los", "las", "del", "y", "en", "que", "por", "con", "una", "para", "su"},
}


def guess_language(text: str) -> str | None:
    """fr, en, es by function-word counts; ru by Cyrillic letters."""
    sample = text[:20000]
    cyr = len(re.findall(r"[А-Яа-я]", sample))
    if cyr > 200:
        return "ru"
    words = re.findall(r"[a-zà-ÿ]+", sample.lower())
    if not words:
        return None
    scores = {lang: sum(1 for w in words if w in sw) for lang, sw in _STOPWORDS.items()}
    lang, score = max(scores.items(), key=lambda kv: kv[1])
    return lang if score >= 3 else None


def _session_from(symbol: str | None, number: str | None) -> str | None:
    if number:
        return number.split("/")[0]
    if not symbol:
        return None
    comps = symbol.split("/")
    for comp in comps[1:]:
        if re.fullmatch(r"\d{1,2}|(?:ES|S)-\d{1,2}", comp):
            return comp
    return None


def _own_symbols(structure: Structure, hints: dict[str, Any], organ: str | None) -> list[str]:
    symbols: list[str] = []
    hinted = hints.get("symbols") or ([hints["symbol"]] if hints.get("symbol") else [])
    for raw in hinted:
        try:
            symbols.append(normalise(str(raw)))
        except SymbolError:
            continue
    if not symbols:
        symbols = list(structure.own_symbols)
    if not symbols and structure.resolution_number and structure.type == "resolution":
        num = structure.resolution_number
        code = {"org/security-council": "S", "org/ecosoc": "E"}.get(organ or "", "A")
        try:
            symbols.append(normalise(f"{code}/RES/{num}"))
        except SymbolError:
            pass
    return symbols


def _doc_type(structure: Structure, symbols: list[str], hints: dict[str, Any]) -> str:
    if hints.get("type"):
        return str(hints["type"])
    if symbols:
        series = symbols[0].split("/")[0]
        if series in _PRESS_SERIES:
            return "pressRelease"
        if "/PRST/" in symbols[0]:
            return "presidentialStatement"
    if structure.type != "other":
        return structure.type
    if symbols and re.search(r"/L\.\d+", symbols[0]):
        return "draftResolution"
    return "other"


def parse_text(text: str, *, source: str, hints: dict[str, Any] | None = None) -> Document:
    """Parse a UN document text into a `Document` (offsets refer to `text`)."""
    hints = dict(hints or {})
    fm, fm_len = front_matter(text)
    for key, value in fm.items():
        hints.setdefault(key, value)
    analysed = " " * fm_len + text[fm_len:] if fm_len else text
    if fm_len:
        analysed = re.sub(r"[^\n]", " ", text[:fm_len]) + text[fm_len:]
    language = hints.get("language") or guess_language(analysed)
    structure = analyse(analysed, language=language)
    organ = hints.get("organ") or structure.organ
    symbols = _own_symbols(structure, hints, organ)
    if not symbols and not hints and not _UN_WORDS.search(analysed):
        first = squeeze(analysed)[:40]
        raise InputError(
            f"not a UN document (no symbol, organ or UN wording): {first!r}", path=source
        )
    if symbols and not organ:
        organ = _SERIES_ORGAN.get(symbols[0].split("/")[0])
    doc = Document(source=source, loader="text", language=language, symbols=symbols, text=text)
    doc.organ = organ
    doc.type = _doc_type(structure, symbols, hints)
    doc.title = hints.get("title") or structure.title
    doc.date = hints.get("date") or structure.date
    doc.distribution = structure.distribution
    doc.distribution_date = structure.distribution_date
    doc.original_language = structure.original_language
    doc.session = (
        str(hints["session"])
        if hints.get("session")
        else _session_from(symbols[0] if symbols else None, structure.resolution_number)
        or structure.session
    )
    doc.agenda_items = structure.agenda_items
    doc.agenda_item_titles = dict(structure.agenda_item_titles)
    doc.requested_agenda_item = structure.requested_agenda_item
    doc.basis_text = structure.basis_text
    if structure.meeting:
        number, kind, iso, as_written = structure.meeting
        if kind is None and doc.organ == "org/security-council":
            kind = "council"  # "Adopted by the Security Council at its 3217th meeting"
        doc.meeting = Meeting(number=number, kind=kind, date=iso, text=as_written)
    if not symbols:
        doc.content_id = content_id(text)
        doc.warnings.append(
            f"{source}: no symbol in the text or hints; identified by content as {doc.content_id}"
        )
    for block in structure.blocks:
        doc.paragraphs.append(
            Paragraph(
                id=block.id,
                kind=block.kind,
                text=structure.text_of(block),
                start=block.start,
                end=block.end,
                line=block.line,
                number=block.number,
                annex=block.annex,
                opening=block.opening,
                footnotes=list(block.footnotes),
            )
        )
    doc.citations = citation_finder.extract_citations(structure, text, own_symbols=symbols)
    drafts = [c.target for c in doc.citations if c.function == citation_finder.DRAFT_FUNCTION]
    if drafts:
        doc.draft = drafts[0]
    _signatories(doc, structure)
    _entities_and_links(doc)
    return doc


def _signatories(doc: Document, structure: Structure) -> None:
    names = [name for name, _post in structure.signatures if name]
    posts = [post for name, post in structure.signatures if not name and post]
    for i, name in enumerate(names):
        post = posts[i] if i < len(posts) else (posts[0] if posts else None)
        sig_ids = [p.id for p in doc.paragraphs if p.kind == "signature"]
        doc.signatories.append(
            Signatory(
                name=name,
                entity=person_key(name),
                post=post,
                paragraph=sig_ids[i] if i < len(sig_ids) else "SIG",
            )
        )


def _entities_and_links(doc: Document) -> None:
    doc.mentions = list(find_mentions(doc))
    doc.links = list(find_links(doc))


__all__ = ["dates", "guess_language", "parse", "parse_text"]
