"""Footnote markers: where each footnote is referred to, tied to the paragraph that carries the
marker (`<sup>2</sup>` in Markdown; in PDF text, digits glued to a word or a year, or spaced).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from itertools import pairwise

from unkg.extract.layout import Block, Structure

_SPACE_LOWER = re.compile(r" [a-z]")


PDF_MARKER = re.compile(  # the lookahead only lets the engine skip to digits
    r"(?=\d| \d)"
    r"(?P<glued>(?<=[A-Za-z\)”’,;:.])(?P<g>\d{1,2})(?=[\s,;.:)]|$))"
    r"|(?P<year>(?<![\d/])(?:19|20)\d\d(?P<y>\d{1,2})(?=[\s,;.:)]|$))"
    r"|(?P<spaced>(?<=[A-Za-z\d\)”’,;:.]) "
    r"(?P<s>\d{1,2})(?=\s*[,;.:)]|\s*\n|\s*$| [a-z]))"
)


_DIGIT_RUN = re.compile(r"\d+")


def pdf_markers(view: str) -> Iterator[re.Match[str]]:
    """The matches `PDF_MARKER.finditer(view)` gives, found faster: a marker starts at the first
    digit of a run of digits or at the space before it (the lookbehinds forbid a digit before it)
    and ends where the run ends, so only those two places of each run are tried."""
    for run in _DIGIT_RUN.finditer(view):
        start = run.start()
        m = None
        if start > 0 and view[start - 1] == " ":
            m = PDF_MARKER.match(view, start - 1)
        if m is None:
            m = PDF_MARKER.match(view, start)
        if m is not None:
            yield m


# Tests on the text before a candidate marker only look at its end: they run on the last _TAIL
# characters (longer than any stop word), not on the whole paragraph before it.
_TAIL = 48
_TRAILING_WORD = re.compile(r"[\w°]+$")
_TRAILING_YEAR = re.compile(r"(?:19|20)\d\d$")
_TRAILING_CODE = re.compile(r"(?:[A-Z]{2,}\+?\d*|\d)[,.]?$")


def _stripped_tail(text: str, end: int) -> str:
    """The last _TAIL characters of text[:end].rstrip() (or all of it when shorter)."""
    window = text[max(0, end - 4 * _TAIL) : end].rstrip()
    if len(window) >= _TAIL or end <= 4 * _TAIL:
        return window[-_TAIL:]
    return text[:end].rstrip()[-_TAIL:]


def owner_finder(content: list[Block]) -> Callable[[int], Block | None]:
    """pos → the first block of `content` one of whose segments holds it. Segments that do not
    overlap (the usual case) are found by bisection; otherwise the blocks are scanned in order."""
    segments = sorted((s, e, k) for k, b in enumerate(content) for s, e in b.segments)
    disjoint = all(a[1] <= b[0] for a, b in pairwise(segments))

    def scan(pos: int) -> Block | None:
        for b in content:
            if any(s <= pos < e for s, e in b.segments):
                return b
        return None

    if not disjoint:
        return scan
    starts = [s for s, _e, _k in segments]

    def bisected(pos: int) -> Block | None:
        i = bisect_right(starts, pos) - 1
        if i >= 0 and pos < segments[i][1]:
            return content[segments[i][2]]
        return None

    return bisected


_MARKER_STOP = re.compile(
    r"(?:article|articles|paragraph|paragraphs|paragraphe|chapter|chap|annex|annexe|resolution|résolution|"
    r"section|sect|item|point|part|partie|page|vol|No|n°|para|rule|règle|principle|goal|target|"
    r"session|phase|protocol|Article|Goal|Target|decision|décision|and|et|to|of|de|du|the|le|la|than|"
    r"over|least|under|about|Committee|Conference|Agenda|Summit|Forum|Fund|Day|Year|Decade|"
    r"Pillar|Group|Resolution|Decision|Protocol|Chapter|Part|Section)$",
    re.IGNORECASE,
)


def tie_markers(structure: Structure, sup_markers: list[tuple[int, str]]) -> None:
    """Tie each footnote to the paragraphs that carry its marker."""
    fn_ids = {b.number: b.id for b in structure.blocks if b.kind == "footnote" and b.number}
    content = [
        b for b in structure.blocks if b.kind in ("preambular", "operative", "body", "header")
    ]

    owner = owner_finder(content)

    markers: list[tuple[int, int, str]] = []
    if sup_markers:
        for pos, num in sup_markers:
            b = owner(pos)
            if b is None or int(num) not in fn_ids:
                continue
            markers.append((pos, pos, fn_ids[int(num)]))
    elif fn_ids:  # no footnote, no marker to look for
        # PDF text: markers are digits glued to a word or year, or after a comma
        next_new = 1
        for b in content:
            if b.kind == "header":
                continue
            bv = structure.block_view(b)
            for m in pdf_markers(bv):
                num_text = m.group("g") or m.group("y") or m.group("s")
                n = int(num_text)
                if n not in fn_ids:
                    continue
                if m.group("year") and n != next_new:
                    continue
                if m.group("spaced"):
                    before = _stripped_tail(bv, m.start("spaced"))
                    word = _TRAILING_WORD.findall(before)
                    if word and _MARKER_STOP.match(word[0]):
                        continue
                    if before[-1:].isdecimal() and not (
                        _TRAILING_YEAR.search(before) and n == next_new
                    ):
                        continue
                    after = bv[m.end("s") : m.end("s") + 3]
                    if _SPACE_LOWER.match(after) and n > next_new:
                        continue
                if m.group("glued"):
                    # the last characters decide: an acronym or a number right before
                    before = bv[max(0, m.start("g") - _TAIL) : m.start("g")]
                    if _TRAILING_CODE.search(before) and not before.endswith(","):
                        continue
                if n > next_new and (m.group("spaced") or n > next_new + 2):
                    continue
                if n >= next_new:
                    next_new = n + 1
                pos = b.start + m.start(
                    num_text and ("g" if m.group("g") else "y" if m.group("y") else "s")
                )
                markers.append((pos, pos + len(num_text), fn_ids[n]))
    for start, _end, fid in markers:
        b = owner(start)
        if b is not None and fid not in b.footnotes:
            b.footnotes.append(fid)
    structure.markers = markers


