"""The layout of a UN text: its lines, the masthead, the page furniture and markup masked in a
*view* of the text (same offsets, noise turned into spaces), running titles, and the blocks
(`Block`) and `Structure` the other phases of `unkg.extract.structure` fill.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add

from unkg.errors import SymbolError
from unkg.extract.symbols import SYMBOL_IN_TEXT, normalise

# "United Nations" in the six official languages, as a document's masthead prints it, followed by
# the rest of its line (the symbol, when the two were read as one line)
_MASTHEAD = re.compile(r"^(United Nations|Nations Unies|Naciones Unidas|"
                       r"Организация Объединенных Наций|联合国|الأمم المتحدة)\s+(\S.*)$")


def split_masthead(line: str) -> tuple[str, str] | None:
    """("United Nations", "A/RES/79/9") for a line holding the masthead and the symbol (read as
    one line from a PDF), else None."""
    m = _MASTHEAD.match(line)
    return (m.group(1), m.group(2)) if m and SYMBOL_IN_TEXT.fullmatch(m.group(2)) else None

# --- line classes ------------------------------------------------------------------------------
_SUP_NUMBER = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>")
_SUP_TAG = re.compile(r"</?sup>")
_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})?$")  # 19-12817 (E)    020819
_BARCODE = re.compile(r"^\*\d{7,}\*$")
_SIX_DIGITS = re.compile(r"^\d{6}$")
_PAGE_COUNTER = re.compile(r"^\d{1,3}/\d{1,3}$")
SEPARATOR = re.compile(r"^_{5,}\s*$")
_RULE = re.compile(r"^-{3,}\s*$")
# Page furniture lines, one pattern tried once per line: job number, barcode, six digits, page
# counter, rule.
_FURNITURE = re.compile(
    "|".join(f"(?:{rx.pattern})"
             for rx in (_JOB_NUMBER, _BARCODE, _SIX_DIGITS, _PAGE_COUNTER, _RULE))
)
# Markdown emphasis and headings. Apart, with a literal first character: the engine then skips to
# candidates instead of trying the alternation at every character.
_MD_EMPHASIS = re.compile(r"\*\**")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
FORMULA = re.compile(
    r"^(?:The|L['’])\s*(?:General Assembly|Security Council|Economic and Social Council|"
    r"Human Rights Council|Assemblée générale|Conseil de sécurité|Conseil économique et social|"
    r"Conseil des droits de l['’]homme)\s*,\s*$|^(?:El|"
    r"La)\s+(?:Asamblea General|Consejo de Seguridad)\s*,\s*$"
    r"|^Le Conseil de sécurité\s*,\s*$",
)


@dataclass
class Block:
    """A paragraph under construction: its segments are (start, end) spans of the source text."""

    id: str
    kind: str
    segments: list[tuple[int, int]] = field(default_factory=list)
    line: int = 1
    number: int | None = None
    annex: int | None = None
    opening: str | None = None
    footnotes: list[str] = field(default_factory=list)
    # where an operative paragraph's words begin, after its number (on the next line after "1.")
    text_start: int | None = field(default=None, compare=False)

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


@dataclass
class Structure:
    view: str
    blocks: list[Block]
    markers: list[tuple[int, int, str]]  # (start, end, footnote id) of each marker in the source
    header_end: int
    own_symbols: list[str] = field(default_factory=list)
    title: str | None = None
    organ: str | None = None
    type: str = "other"
    date: str | None = None
    distribution: str | None = None
    distribution_date: str | None = None
    original_language: str | None = None
    agenda_items: list[str] = field(default_factory=list)
    basis_span: tuple[int, int] | None = None
    basis_text: str | None = None
    meeting: tuple[int, str | None, str | None, str] | None = None  # number, kind, date, text
    signatures: list[tuple[str, str | None]] = field(default_factory=list)  # name, post
    resolution_number: str | None = None
    session: str | None = None  # from "Soixante-quatrième session" (text.py prefers the symbol)
    agenda_item_titles: dict[str, str] = field(default_factory=dict)
    requested_agenda_item: str | None = None  # title of an item a letter asks to include
    _block_views: dict[tuple[int, tuple[tuple[int, int], ...]], tuple[str, str]] = field(
        default_factory=dict, repr=False, compare=False)
    _blanked_view: tuple[str, str] | None = field(default=None, repr=False, compare=False)

    def block_view(self, block: Block) -> str:
        """The view restricted to one block: other text inside its span becomes spaces."""
        if len(block.segments) == 1:
            s, e = block.segments[0]
            return self.view[s:e]
        # Paragraphs of many lines are asked for again and again (markers, citations, functions):
        # remember each view, for this view of the text and these segments.
        key = (id(self.view), tuple(block.segments))
        cached = self._block_views.get(key)
        if cached is not None and cached[0] is self.view:
            return cached[1]
        built = self._build_block_view(block)
        self._block_views[key] = (self.view, built)
        return built

    def _build_block_view(self, block: Block) -> str:
        view = self.view
        # The gaps between segments come from the view with everything but line breaks blanked
        # (made once per view): a slice each instead of a `_spaces` call each.
        if self._blanked_view is None or self._blanked_view[0] is not view:
            self._blanked_view = (view, _spaces(view))
        blanked = self._blanked_view[1]
        parts: list[str] = []
        pos = block.start
        for s, e in block.segments:
            parts.append(blanked[pos:s])
            parts.append(view[s:e])
            pos = e
        return "".join(parts)

    def text_of(self, block: Block) -> str:
        if block.kind == "header":
            lines = [squeeze(x) for s, e in block.segments for x in self.view[s:e].split("\n")]
            return _join_header_lines([x for x in lines if x])
        return squeeze(" ".join([self.view[s:e] for s, e in block.segments]))


_WRAP_WORD = re.compile(
    r"(?:^|[\s'’])(?:the|of|and|on|for|in|to|at|by|with|between|an?|de|du|des|la|le|les|l|d|et|"
    r"en|à|au|aux|entre|sur|pour|par|del|el|los|las|y)$",
    re.IGNORECASE,
)


def _join_header_lines(lines: list[str]) -> str:
    """Header fields stay one per line ("United Nations" / "General Assembly" are two fields);
    a title wrapped over lines ("… Conference on the" / "Exploration …") is joined again."""
    out = ""
    for line in lines:
        if out:
            wrapped = (
                line[:1].islower()
                or out[-1] in ",–-"
                # the pattern ends at the end and takes at most 8 characters: search the tail
                or bool(_WRAP_WORD.search(out, max(0, len(out) - 16)))
            )
            out += " " if wrapped else "\n"
        out += line
    return out


def squeeze(text: str) -> str:
    """Runs of whitespace as one space, stripped (str.split's whitespace is regex \\s)."""
    return " ".join(text.split())


def _spaces(text: str) -> str:
    """`text` with every character but line breaks turned into a space (offsets survive)."""
    if text == "\n":
        return text
    return "\n".join(" " * len(part) for part in text.split("\n"))


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + _spaces(text[start:end]) + text[end:]


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text` (without its line break)."""
    lengths = [len(line) for line in text.split("\n")]
    starts = list(accumulate((n + 1 for n in lengths[:-1]), initial=0))
    return list(zip(starts, map(add, starts, lengths), strict=True))


def _collect(spans: list[tuple[int, int]]) -> Callable[[int, int], None]:
    def add(start: int, end: int) -> None:
        if start < end:
            spans.append((start, end))
    return add


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the characters of every span (they may overlap) but line breaks as spaces."""
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        parts.append(text[pos:start])
        parts.append(_spaces(text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def make_view(text: str, spans: list[tuple[int, int]] | None = None
              ) -> tuple[str, list[tuple[int, str]], list[str]]:
    """Mask markup and PDF page furniture. Returns (view, sup markers (pos, n), own symbols).
    `spans` are the text's `line_spans` when the caller has them."""
    blanked: list[tuple[int, int]] = []  # spans to turn into spaces, applied at the end
    blank = _collect(blanked)

    sup_markers: list[tuple[int, str]] = []
    for m in _SUP_NUMBER.finditer(text):
        sup_markers.append((m.start(), m.group(1)))
    for m in _SUP_TAG.finditer(text):
        blank(m.start(), m.end())
    for m in _SUP_NUMBER.finditer(text):
        blank(m.start(), m.end())
    for rx in (_MD_EMPHASIS, _MD_HEADING):
        for m in rx.finditer(text):
            blank(m.start(), m.end())
    if spans is None:
        spans = line_spans(text)
    # own symbol: a line that is only a symbol among the first lines of the document, or the
    # masthead and the symbol read as one line ("United Nations A/RES/79/9", from a PDF)
    own: list[str] = []
    for s, e in spans[:25]:
        line = text[s:e].strip()
        masthead = split_masthead(line)
        if masthead:
            line = masthead[1]
        if line and SYMBOL_IN_TEXT.fullmatch(line):
            try:
                own.append(normalise(line))
            except SymbolError:
                pass
            break
    for s, e in spans:
        line = text[s:e].strip()
        if not line:
            continue
        if _FURNITURE.match(line):
            blank(s, e)
        elif own and line.replace(" ", "") in own:
            blank(s, e)
    view = _blank_spans(text, blanked)
    # The first occurrence of the own symbol (the header) is kept visible for the reader.
    return view, sup_markers, own


def mask_running_titles(view: str, text: str, title: str | None, header_end: int,
                         spans: list[tuple[int, int]]) -> str:
    """Blank repeated running-title lines (PDF page headers) next to masked furniture. `spans`
    are the view's `line_spans`."""
    if not title:
        return view
    norm_title = squeeze(title).lower()
    out = view
    first = bisect_right(spans, (header_end, -1))  # the first line starting at header_end or after
    for i in range(first, len(spans)):
        s, e = spans[i]
        line = squeeze(view[s:e]).lower()
        if len(line) < 12 or line not in norm_title:
            continue
        near = spans[max(0, i - 4) : i] + spans[i + 1 : i + 5]
        # beside a masked line (a blank line that was not blank in the source) or the page edge;
        # an ordinary blank line is not enough (an annex repeats the title as its heading)
        if any(
            (not view[a:b].strip() and text[a:b].strip()) or "\f" in text[a:b] for a, b in near
        ) or "\f" in text[s:e]:
            out = _blank(out, s, e)
    return out


