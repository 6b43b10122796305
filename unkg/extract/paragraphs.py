"""The paragraphs of a UN text after its header: preambular (`PP3`), operative (`OP3`), body
(`P2`), footnotes (`FN1`), signatures (`SIG`), annexes (`ANNEX2/PP1`) and the meeting line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unkg.extract import dates
from unkg.extract.layout import FORMULA, SEPARATOR, Block, Structure, squeeze
from unkg.extract.openings import is_pp_start, opening, opening_head

_MD_FOOTNOTE = re.compile(r"\s*<sup>\s*(\d{1,3})\s*</sup>")  # "<sup>2</sup> Résolution 49/57"
_ANNEX = re.compile(r"^(?:Annexe|Annex|ANNEXE|ANNEX|Anexo)(?:\s+([IVXLC]+|\d+))?\s*$")
_SIGNATURE = re.compile(r"^\((?:Signé|Signée|Signed|Firmado)\)\s+(?P<name>[^\n]+?)\s*$")
_MEETING = re.compile(
    r"^(?P<n>\d{1,5})\s*(?:e|er|ème|st|nd|rd|th|ª|a)?\s+(?P<kind>séance plénière|plenary meeting|"
    r"sesión plenaria|meeting|séance)\b",
    re.IGNORECASE,
)
_OP_LINE = re.compile(r"^(?P<n>\d{1,3})\.(?:\s+(?P<rest>\S.*)|\s*)$")
_FN_LINE = re.compile(r"^(?P<n>\d{1,3})(?:\s+(?P<rest>\S.*))?$")
# Tests of the paragraph loop of `analyse` (compiled once, not looked up per line)
_UNFINISHED_NOTE = re.compile(r"[,(]$|\b(?:of|de|du|des|and|et|the|la|le)$")
_FINISHED_NOTE = re.compile(r"[.;]$")
_YEAR_START = re.compile(r"^\d{4}\b")
_CLAUSE_END = re.compile(r"[,;:]\s*(?:\d{1,2}\s*)?$")
_OP_NUMBER_ALONE = re.compile(r"\d{1,3}\.")
_LINE_END = re.compile(r"[.:;)]$")
# A line that titles an annex: short, capitalised, without the punctuation that ends a sentence
# or a list item, and not numbered.
_ANNEX_TITLE = re.compile(r"[*_]*[^\W\d_][^\n]{0,78}?(?<![.;:,])[*_]*")


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=False):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total




class _BodyReader:
    """The paragraphs after the header, read line by line: each line is tried by the phases of
    `_read_line` in order (separator, formula, annex, signature, meeting, Markdown footnote,
    PDF footnote zone, content) and the first that takes it ends its turn."""

    def __init__(self, structure: Structure, text: str, spans: list[tuple[int, int]],
                 language: str | None) -> None:
        self.st = structure
        self.text = text
        self.view = structure.view
        self.spans = spans
        self.language = language
        self.blocks: list[Block] = []
        self.annex: int | None = None
        self.pp = self.op = self.body = 0
        self.in_resolution = False
        self.current: Block | None = None  # last content paragraph (for continuations)
        self.fn_mode = False  # inside a PDF footnote zone (after a ____ separator)
        self.fn_pending_numbers: list[str] = []
        self.fn_pending_texts: list[Block] = []
        self.fn_last: Block | None = None
        self.md_fn: Block | None = None
        self.after_blank = True
        self.closing = False
        self.last_footnote: list[Block] = []

    # --- helpers -----------------------------------------------------------------------------

    def prefix(self, pid: str) -> str:
        return f"ANNEX{self.annex}/{pid}" if self.annex else pid

    def new_block(self, kind: str, pid: str, s: int, e: int, line_no: int,
                  number: int | None = None) -> Block:
        blk = Block(id=self.prefix(pid), kind=kind, segments=[(s, e)], line=line_no,
                    annex=self.annex, number=number)
        self.blocks.append(blk)
        return blk

    def new_body(self, ln: _Line) -> Block:
        self.body += 1
        return self.new_block("body", f"P{self.body}", ln.ls, ln.le, ln.no, number=self.body)

    def flush_footnotes(self) -> None:
        blocks, last_footnote = self.blocks, self.last_footnote
        if self.fn_pending_texts and not self.fn_pending_numbers and last_footnote:
            # text without a number at the top of a footnote zone: the previous footnote goes on
            for blk in self.fn_pending_texts:
                last_footnote[-1].segments.extend(blk.segments)
                blocks.remove(blk)
            self.fn_pending_texts = []
        for num, blk in zip(self.fn_pending_numbers, self.fn_pending_texts, strict=False):
            blk.id = self.prefix(f"FN{num}")
            blk.number = int(num)
        for blk in self.fn_pending_texts[len(self.fn_pending_numbers) :]:
            blocks.remove(blk)
        numbered = [b for b in blocks if b.kind == "footnote" and b.number and b.segments]
        if numbered:
            last_footnote[:] = [max(numbered, key=lambda b: b.number or 0)]
        self.fn_pending_numbers, self.fn_pending_texts = [], []

    def ends_footnote_zone(self, line: str) -> bool:
        opm = _OP_LINE.match(line)
        return bool(
            (is_pp_start(line, self.language) and self.in_resolution)
            or (opm and self.in_resolution and int(opm.group("n")) == self.op + 1)
            or line[:1].islower()
        )

    def next_text(self, i: int, stop: int | None = None) -> str:
        """The first non-blank line after line i (before line `stop`), stripped; "" if none."""
        view = self.view
        return next((view[a:b].strip() for a, b in self.spans[i + 1 : stop] if view[a:b].strip()),
                    "")

    # --- the loop ----------------------------------------------------------------------------

    def read(self, header_end: int) -> list[Block]:
        view = self.view
        if header_end > 0 and view[:header_end].strip():
            self.blocks.append(Block(id="HDR", kind="header", segments=[(0, header_end)], line=1))
        spans = self.spans
        first = next((i for i, (s, _e) in enumerate(spans) if s >= header_end), len(spans))
        for i in range(first, len(spans)):
            s, e = spans[i]
            raw = view[s:e]
            line = raw.strip()
            if not line:
                self.after_blank = True
                continue
            ln = _Line(i, s, e, line, i + 1, s + (len(raw) - len(raw.lstrip())),
                       s + len(raw.rstrip()), self.after_blank)
            self.after_blank = False
            self._read_line(ln)
        self.flush_footnotes()
        return self.blocks

    def _read_line(self, ln: _Line) -> None:
        for phase in (self._separator, self._formula, self._annex, self._signature,
                      self._meeting, self._markdown_footnote, self._footnote_zone):
            if phase(ln):
                return
        self._content(ln)

    # --- the phases: each returns True when it took the line -------------------------------------

    def _separator(self, ln: _Line) -> bool:
        if not SEPARATOR.match(ln.line):
            return False
        self.fn_mode = True
        self.fn_last = None
        return True

    def _formula(self, ln: _Line) -> bool:
        if not FORMULA.match(ln.line):
            return False
        self.in_resolution, self.pp, self.op = True, 0, 0
        self.flush_footnotes()
        self.fn_mode = False
        self.current = None
        # "L'Assemblée générale," heads the resolution: it joins the (annex) header so the
        # organ it names is inside a paragraph like every other word of the text
        part_header = next((b for b in self.blocks if b.id == self.prefix("HDR")), None)
        if part_header is None:
            self.new_block("header", "HDR", ln.ls, ln.le, ln.no)
        elif all(b.kind == "header" for b in self.blocks if b.annex == self.annex):
            part_header.segments.append((ln.ls, ln.le))
        else:
            self.new_body(ln)
        return True

    def _annex(self, ln: _Line) -> bool:
        m = _ANNEX.match(ln.line)
        if not m:
            return False
        self.flush_footnotes()
        self.fn_mode = False
        roman = m.group(1) or "1"
        self.annex = int(roman) if roman.isdigit() else _roman(roman)
        self.pp = self.op = self.body = 0
        self.in_resolution = False
        self.current = None
        return True

    def _signature(self, ln: _Line) -> bool:
        m = _SIGNATURE.match(ln.line)
        if not m:
            return False
        self.st.signatures.append((squeeze(m.group("name")), None))
        self.blocks.append(
            Block(
                id=self.prefix("SIG") if self.annex else "SIG",
                kind="signature",
                segments=[(ln.ls, ln.le)],
                line=ln.no,
                annex=self.annex,
            )
        )
        self.current = None
        return True

    def _meeting(self, ln: _Line) -> bool:
        line = ln.line
        m = _MEETING.match(line)
        if m and self.in_resolution and len(line) < 60:
            nxt = self.next_text(ln.i, ln.i + 4)
            iso = dates.parse_date(squeeze(nxt)) or dates.parse_date(line)
            # plenary when it says so; otherwise the organ decides (text.py: council for the SC)
            kind = "plenary" if re.search(r"pl[ée]n", m.group("kind"), re.I) else None
            as_written = squeeze(re.sub(r"</?sup>|[*]", "", self.text[ln.s:ln.e]))
            self.st.meeting = (int(m.group("n")), kind, iso, as_written)
            self.closing = True
            self.current = None
            return True
        # the date line under the meeting line
        return bool(self.closing and dates.parse_date(line) and len(line) < 30)

    def _markdown_footnote(self, ln: _Line) -> bool:
        """Markdown footnote definition: "<sup>2</sup> Résolution 49/57, annexe."."""
        text, s, e = self.text, ln.s, ln.e
        md = _MD_FOOTNOTE.match(text, s, e) if "<sup>" in text[s:e] else None
        if md:
            self.md_fn = self.new_block(
                "footnote", f"FN{md.group(1)}", ln.ls, ln.le, ln.no, number=int(md.group(1))
            )
            return True
        if self.md_fn is not None and not ln.was_blank:
            self.md_fn.segments.append((ln.ls, ln.le))
            return True
        self.md_fn = None
        return False

    def _footnote_zone(self, ln: _Line) -> bool:
        """A line of a PDF footnote zone: a numbered note, a number alone, or a note going on.
        A line that ends the zone is left to the content phase."""
        if not self.fn_mode:
            return False
        if not self._ends_zone(ln):
            self._footnote_line(ln)
            return True
        self.fn_mode = False
        self.flush_footnotes()
        self.fn_last = None
        return False

    def _ends_zone(self, ln: _Line) -> bool:
        line, view, fn_last = ln.line, self.view, self.fn_last
        ends_zone = self.ends_footnote_zone(line)
        if line.startswith("*") or self.text[ln.s:ln.e].strip().startswith("*"):
            ends_zone = False
        if (
            ends_zone
            and line[:1].islower()
            and fn_last is not None
            and fn_last.segments
            and _UNFINISHED_NOTE.search(view[fn_last.start : fn_last.end].rstrip())
        ):
            ends_zone = False  # "…Supplement No. 8 (E/2009/28)," / "chap. I, sect. C."
        if (
            not ends_zone
            and ln.was_blank
            and not self.fn_pending_numbers
            and fn_last is not None
            and fn_last.segments
            and _FINISHED_NOTE.search(view[fn_last.start : fn_last.end].rstrip())
            and not _FN_LINE.match(line)
            and not line.startswith("*")
        ):
            # a finished note, a blank line, then text that is not a note: the body goes on
            # ("(See A/71/590, para. 4 …)" and section "B" of a decision after its notes)
            ends_zone = True
        return ends_zone

    def _footnote_line(self, ln: _Line) -> None:
        line, view = ln.line, self.view
        fm = _FN_LINE.match(line)
        if fm and int(fm.group("n")) <= 300 and not _YEAR_START.match(line):
            num, rest = fm.group("n"), fm.group("rest")
            if rest:
                self.flush_footnotes()
                self.fn_last = self.new_block(
                    "footnote", f"FN{num}", ln.ls, ln.le, ln.no, number=int(num)
                )
            else:
                # a number alone: pair it with the following text, or with orphan texts
                nxt = self.next_text(ln.i)
                nm = _FN_LINE.match(nxt)
                alone = nm is not None and not nm.group("rest")
                if alone or not nxt or self.ends_footnote_zone(nxt) or self.fn_pending_numbers:
                    self.fn_pending_numbers.append(num)
                    self.fn_last = None
                else:
                    self.fn_last = self.new_block(
                        "footnote", f"FN{num}", -1, -1, ln.no, number=int(num)
                    )
                    self.fn_last.segments = []
            return
        fn_last = self.fn_last
        if fn_last is not None and (
            not fn_last.segments
            or not _FINISHED_NOTE.search(view[fn_last.start : fn_last.end].rstrip())
            or not fn_last.segments
        ):
            fn_last.segments.append((ln.ls, ln.le))
            if fn_last.segments and fn_last.segments[0][0] == -1:
                fn_last.segments.pop(0)
            return
        orphan = self.new_block("footnote", "FN0", ln.ls, ln.le, ln.no)
        self.fn_pending_texts.append(orphan)
        self.fn_last = orphan

    def _content(self, ln: _Line) -> None:
        """A line of the text itself: a new operative, preambular or body paragraph, or the
        continuation of the current one."""
        line, view, current, was_blank = ln.line, self.view, self.current, ln.was_blank
        ls, le = ln.ls, ln.le
        opm = _OP_LINE.match(line)
        if (
            self.in_resolution
            and opm
            and int(opm.group("n")) in (self.op + 1,)
            and (self.op > 0 or int(opm.group("n")) == 1)
        ):
            self.op += 1
            rest_start = ls + (line.index(opm.group("rest")) if opm.group("rest") else len(line))
            self.current = self.new_block("operative", f"OP{self.op}", ls, le, ln.no,
                                          number=self.op)
            self.current.opening = None
            self.current.text_start = rest_start
            return
        if (
            self.in_resolution
            and self.op == 0
            and is_pp_start(line, self.language)
            and (
                was_blank
                or current is None
                or _CLAUSE_END.search(  # "…Court, 2" ends with a footnote marker after the comma
                    self.st.view[current.start : current.end].rstrip() or ","
                )
                or current.kind != "preambular"
            )
        ):
            self.pp += 1
            self.current = self.new_block("preambular", f"PP{self.pp}", ls, le, ln.no,
                                          number=self.pp)
            self.current.opening = opening(line)
            return
        if (
            current is not None
            and current.kind == "operative"
            and len(current.segments) == 1
            and _OP_NUMBER_ALONE.fullmatch(view[current.start : current.end].strip())
        ):
            current.segments.append((ls, le))  # "1." alone: the paragraph starts on the next line
            current.text_start = ls
            return
        if (
            current is not None
            and current.kind == "body"
            and not was_blank
            and line[:1].isupper()
            and _LINE_END.search(view[current.end - 2 : current.end].strip() or "x")
            and len(line) >= 60
            and not self.in_resolution
        ):
            # one paragraph per line (web pages keep no blank line between paragraphs)
            self.current = self.new_body(ln)
            return
        if current is not None and (
            not was_blank or line[0].islower() or (line[0].isdigit() and not opm)
        ):
            current.segments.append((ls, le))
            return
        if (
            current is not None
            and was_blank
            and current.kind == "operative"
            and not _OP_LINE.match(line)
            and view[current.start : current.end].strip().endswith(".") is False
            and current.opening is None
        ):
            current.segments.append((ls, le))
            return
        if self.annex and self.body == 0 and _ANNEX_TITLE.fullmatch(line) and not any(
                b.id == self.prefix("HDR") for b in self.blocks):
            # The title of an annex ("Mémoire explicatif") is its header, not paragraph 1:
            # its numbered paragraphs keep their printed numbers (ANNEX1/P2 is "2. …").
            self.new_block("header", "HDR", ls, le, ln.no)
            self.current = None
            return
        self.current = self.new_body(ln)


@dataclass(frozen=True)
class _Line:
    """One non-blank line of the body: its index and span in the text, its stripped text, its
    1-based number, the span of its words, and whether a blank line came before it."""

    i: int
    s: int
    e: int
    line: str
    no: int
    ls: int
    le: int
    was_blank: bool


def read_paragraphs(structure: Structure, text: str, spans: list[tuple[int, int]],
                    language: str | None) -> list[Block]:
    """The blocks after the header (and the header block itself), in reading order; empty
    blocks and duplicate footnotes are left out, operative openings are set."""
    blocks = _BodyReader(structure, text, spans, language).read(structure.header_end)
    _set_openings(structure, blocks)
    return _without_duplicates(blocks)


def _set_openings(structure: Structure, blocks: list[Block]) -> None:
    """Openings of operative paragraphs (the text may start on the next line: "1. \nWe,")."""
    for blk in blocks:
        if blk.kind == "operative":
            rest = blk.text_start if blk.text_start is not None else blk.start
            blk.opening = opening(opening_head(structure.block_view(blk), rest - blk.start))


def _without_duplicates(blocks: list[Block]) -> list[Block]:
    """Drop duplicate footnote ids (keep the first definition) and empty blocks."""
    seen: set[str] = set()
    final: list[Block] = []
    for blk in blocks:
        if not blk.segments or (
            blk.kind == "footnote" and (blk.id in seen or blk.id.endswith("FN0"))
        ):
            continue
        seen.add(blk.id)
        final.append(blk)
    return final
