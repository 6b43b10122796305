"""Document structure of UN texts (Markdown renderings and the text layer of official PDFs).

`analyse(text)` returns a `Structure`: a *view* of the text in which layout noise (Markdown markup,
PDF page headers, footers, job numbers, barcodes, page counters) is replaced by spaces — so every
offset in the view is an offset in the source text — and the paragraphs with their ids (`HDR`,
`PP3`, `OP3`, `FN1`, `P2`, `SIG`, `ANNEX2/PP1`), footnote markers tied to the paragraph carrying
them, the adoption note and draft, the meeting line, the signature block and the header fields.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from operator import add

from unkg.errors import SymbolError
from unkg.extract import dates
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
_MD_FOOTNOTE = re.compile(r"\s*<sup>\s*(\d{1,3})\s*</sup>")  # "<sup>2</sup> Résolution 49/57"
_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\d{6})?$")  # 19-12817 (E)    020819
_BARCODE = re.compile(r"^\*\d{7,}\*$")
_SIX_DIGITS = re.compile(r"^\d{6}$")
_PAGE_COUNTER = re.compile(r"^\d{1,3}/\d{1,3}$")
_SEPARATOR = re.compile(r"^_{5,}\s*$")
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
_FORMULA = re.compile(
    r"^(?:The|L['’])\s*(?:General Assembly|Security Council|Economic and Social Council|"
    r"Human Rights Council|Assemblée générale|Conseil de sécurité|Conseil économique et social|"
    r"Conseil des droits de l['’]homme)\s*,\s*$|^(?:El|"
    r"La)\s+(?:Asamblea General|Consejo de Seguridad)\s*,\s*$"
    r"|^Le Conseil de sécurité\s*,\s*$",
)
_ANNEX = re.compile(r"^(?:Annexe|Annex|ANNEXE|ANNEX|Anexo)(?:\s+([IVXLC]+|\d+))?\s*$")
_SIGNATURE = re.compile(r"^\((?:Signé|Signée|Signed|Firmado)\)\s+(?P<name>[^\n]+?)\s*$")
_MEETING = re.compile(
    r"^(?P<n>\d{1,5})\s*(?:e|er|ème|st|nd|rd|th|ª|a)?\s+(?P<kind>séance plénière|plenary meeting|"
    r"sesión plenaria|meeting|séance)\b",
    re.IGNORECASE,
)
_OP_LINE = re.compile(r"^(?P<n>\d{1,3})\.(?:\s+(?P<rest>\S.*)|\s*)$")
_FN_LINE = re.compile(r"^(?P<n>\d{1,3})(?:\s+(?P<rest>\S.*))?$")
_EN_PARTICIPLE = re.compile(
    r"^(?:(?:Deeply|Seriously|Gravely|Strongly|Further|Also|Fully|Firmly|Profoundly)\s+)?"
    r"(?:[A-Z][a-z]+ing|Mindful|Aware|Conscious|Convinced|Concerned|Determined|Desirous|Cognizant|"
    r"Alarmed|Guided|Noting|Encouraged|Reaffirming|Emphasizing|Appreciative|Expressing|Gratified|"
    r"Disturbed|Dismayed|Acknowledging|Deploring)\b"
)
_FR_PARTICIPLE = re.compile(
    r"^(?:(?:Se|S['’]|Ayant|Étant|Profondément|Vivement|Gravement|Sérieusement)\s*"
    r"[a-zéèêëàâçîïôû]+(?:ant|ée?s?|ue|ues|u|ente|ents?)\b"
    r"|[A-ZÉÈÀ][a-zéèêëàâçîïôû]+(?:ant|ée?s?|ue|ues|u|ente|ents?)\b)"
)
# Tests of the paragraph loop of `analyse` (compiled once, not looked up per line)
_UNFINISHED_NOTE = re.compile(r"[,(]$|\b(?:of|de|du|des|and|et|the|la|le)$")
_FINISHED_NOTE = re.compile(r"[.;]$")
_YEAR_START = re.compile(r"^\d{4}\b")
_CLAUSE_END = re.compile(r"[,;:]\s*(?:\d{1,2}\s*)?$")
_OP_NUMBER_ALONE = re.compile(r"\d{1,3}\.")
_LINE_END = re.compile(r"[.:;)]$")
_SPACE_LOWER = re.compile(r" [a-z]")
_ES_PARTICIPLE = re.compile(r"^[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:ando|iendo|endo|ada|ado|osa)\b")
_RES_NUMBER_TITLE = re.compile(r"^(?P<num>(?:ES-|S-)?\d{1,4}/\d{1,4})\.?(?:\s+(?P<title>\S.*))?$")
_BASIS = re.compile(
    r"\[(?P<basis>[^\[\]]*?(?:sans renvoi à une grande "
    r"commission|without reference to a Main Committee|"
    r"on the report of|sur (?:la base du )?rapport|sin remisión a una Comisión Principal|"
    r"sobre la base del informe)[^\[\]]*)\]|^Rapport\s*:\s*(?P<report>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_ADOPTED = re.compile(
    r"(?:Résolution adoptée par|Resolution adopted by|"
    r"Resolución aprobada por)\s+(?:l['’]|the |la |el )?"
    r"(?P<organ>[^\n]*?)\s+(?:le|on|el)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+(?:de\s+)?\d{4})",
    re.IGNORECASE,
)
_DISTR = re.compile(
    r"Distr\.?\s*:?\s*(?P<kind>générale|general|limitée|limited|restreinte|restricted|"
    r"general|limitada|reservada)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+\d{4})",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(r"Original\s*:\s*(?P<lang>\w+)", re.IGNORECASE)
_AGENDA = re.compile(
    r"(?:Point|Points|Agenda items?|Tema)\s+(?P<items>\d{1,3}(?:\s*,?\s*\(?[a-z]{1,2}\)?)?"
    r"(?:\s*(?:,|and|et|y)\s*\d{1,3}(?:\s*\(?[a-z]\)?)?)*)(?:,?\s*(?:de "
    r"l['’]ordre du jour|del programa))?",
)
# "Soixante-quatrième session", "Sixty-ninth session", "Tenth emergency special session",
# "vingt-sixième session extraordinaire", "sexagésimo noveno período de sesiones",
# "шестьдесят четвертая сессия", "Fifty-Ninth General Assembly" (press releases)
_SESSION = re.compile(
    rf"(?P<ord>{dates.ORDINAL_WORDS})\s+(?:"
    r"(?P<en_es>emergency\s+)?(?P<en_s>special\s+)?session\b"
    r"|session(?P<fr_s>\s+extraordinaire)?(?P<fr_es>\s+d['’]urgence)?\b"
    r"|período\s+(?P<es_s>extraordinario\s+)?de\s+sesiones(?P<es_es>\s+de\s+emergencia)?"
    r"|(?P<ru_es>чрезвычайн\w+\s+)?(?P<ru_s>специальн\w+\s+)?сесси[яиюей]"
    r"|General Assembly\b)",
    re.IGNORECASE,
)
_REQUESTED_ITEM = re.compile(
    r"Demande d['’]inscription d['’]une question|Request for the inclusion of an? "
    r"(?:supplementary |additional )?item|Solicitud de inclusión de un tema",
    re.IGNORECASE,
)
_AGENDA_TITLE_STOP = re.compile(
    r"^(?:Résolution adoptée|Resolution adopted|Resolución aprobada|\[|\d+/\d+\.|Distr|"
    r"Original|Date\b|Lettre|Letter|Note verbale|Demande|Request)"
    r"|:\s*(?:\*\s*)?(?:revised )?(?:draft|projet|proyecto)\b",
    re.IGNORECASE,
)
_LETTER_TITLE = re.compile(
    r"\b(?:Lettre|Letter|Note verbale|Carta|Lettre identique|Identical letters)\b.{0,80}?"
    r"(?:datée?s? du|dated|de fecha)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+\d{4})",
    re.IGNORECASE,
)
_POST = re.compile(
    r"\b(?:par|from|por)\s+(?:le |la |the |el )?(?P<post>(?:Représentante?|Chargée? d['’]affaires|"
    r"Permanent Representative|Deputy Permanent Representative|Chargé d'affaires|Minister|Ministre|"
    r"Représentant permanent adjoint|Representante "
    r"Permanente?)[^\n]*?)\s*(?:,?\s*addressed\b|\*\*|$)",
    re.IGNORECASE,
)
_LANGUAGE_NAMES = {
    "russe": "ru",
    "russian": "ru",
    "anglais": "en",
    "english": "en",
    "français": "fr",
    "french": "fr",
    "espagnol": "es",
    "spanish": "es",
    "arabe": "ar",
    "arabic": "ar",
    "chinois": "zh",
    "chinese": "zh",
    "ruso": "ru",
    "inglés": "en",
    "francés": "fr",
}
_ORGANS = (
    (re.compile(r"Assemblée générale|General Assembly|Asamblea General"), "org/general-assembly"),
    (
        re.compile(r"Conseil de sécurité|Security Council|Consejo de Seguridad"),
        "org/security-council",
    ),
    (re.compile(r"Conseil économique et social|Economic and Social Council"), "org/ecosoc"),
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


def _lines(text: str) -> list[tuple[int, int]]:
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
    `spans` are the text's `_lines` when the caller has them."""
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
        spans = _lines(text)
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


def _mask_running_titles(view: str, text: str, title: str | None, header_end: int,
                         spans: list[tuple[int, int]]) -> str:
    """Blank repeated running-title lines (PDF page headers) next to masked furniture. `spans`
    are the view's `_lines`."""
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


def _is_pp_start(line: str, language: str | None) -> bool:
    if language == "fr":
        return bool(_FR_PARTICIPLE.match(line)) and not line.startswith(("Les ", "Le ", "La "))
    if language == "es":
        return bool(_ES_PARTICIPLE.match(line))
    return bool(_EN_PARTICIPLE.match(line))


_PREFIX_WORDS = {
    "Se",
    "S'",
    "S’",
    "Ayant",
    "Having",
    "Taking",
    "Bearing",
    "Prenant",
    "Étant",
    "Deeply",
    "Seriously",
    "Gravely",
    "Strongly",
    "Calls",
    "Takes",
    "Also",
    "Further",
    "Profondément",
    "Vivement",
    "Gravement",
}


def _head(text: str, start: int) -> str:
    """text[start:], or a prefix of it that has the same first six words (all `_opening` reads)."""
    prefix = text[start : start + 400]
    if len(prefix) < 400 or len(prefix.split(maxsplit=7)) > 7:
        return prefix
    return text[start:]


# Lowercase function words that end an opening ("Recalling *the* …", "Prenant *acte de* …").
_OPENING_STOPS = frozenset(
    "the le la les l that que qu its sa ses son à of de des du to all a an un une in "
    "dans by par for pour on sur et and d aux au en his her their leur leurs this "
    "these ce cette ces"
    .split()
)
_NOT_WORD_CHAR = re.compile(r"[^\wÀ-ÿ'’]")
_APOSTROPHE = re.compile(r"['’]")


def _opening(text: str) -> str | None:
    """Opening participle or verb as written: the words before the first lowercase function word."""
    words = squeeze(text).split(" ")
    out: list[str] = []
    for w in words[:6]:
        bare = _NOT_WORD_CHAR.sub("", w)
        if not bare:
            break
        if len(out) == 1 and out[0] in _PREFIX_WORDS:
            out.append(bare)
            continue
        head = _APOSTROPHE.split(bare)[0].lower()
        if out and (head in _OPENING_STOPS or bare.lower() in _OPENING_STOPS):
            break
        if (
            bare.lower() in {"with", "avec", "also", "également", "further", "en", "outre"}
            or not out
        ):
            out.append(bare)
            continue
        if (
            out
            and bare[0].islower()
            and bare.lower()
            not in {
                "satisfaction",
                "appreciation",
                "note",
                "acte",
                "mind",
                "concerned",
                "upon",
                "welcome",
                "its",
            }
        ):
            break
        out.append(bare)
    return " ".join(out) or None


def analyse(text: str, *, language: str | None = None) -> Structure:
    """Split a UN text into header, paragraphs, footnotes and closing parts."""
    # Masking turns characters into spaces but keeps every line break: the text, its view and
    # the view with running titles masked have the same line spans.
    spans = _lines(text)
    view, sup_markers, own = make_view(text, spans)

    # --- header zone: up to the opening formula, or the first long prose block --------------
    header_end = len(view)
    formula_line: int | None = None
    for i, (s, e) in enumerate(spans):
        if _FORMULA.match(view[s:e].strip()):
            formula_line = i
            header_end = s
            break
    if True:
        # first block of prose ≥ 150 characters (letters, press releases, web pages)
        block_start, acc = None, []
        for s, e in [*spans, (len(view), len(view))]:
            line = view[s:e].strip()
            if formula_line is not None and s >= spans[formula_line][0]:
                line = ""  # a block never runs into the opening formula
            if line and not _SEPARATOR.match(line):
                if block_start is None:
                    block_start = s
                acc.append(line)
                if (
                    len(line) >= 120
                    and re.search(r"[.;:]$", line)
                    and len(acc) > 1
                    and not any(
                        _FORMULA.match(view[a:b].strip()) for a, b in spans[: formula_line or 0]
                    )
                ):
                    header_end = min(header_end, s)
                    break
                continue
            if block_start is not None:
                joined = " ".join(acc)
                is_heading = joined.startswith(("Lettre", "Letter", "Note verbale"))
                if len(joined) >= 150 and not is_heading and re.search(r"[.;:,»”]$", joined):
                    header_end = min(header_end, block_start)
                    break
            block_start, acc = None, []
    header = view[:header_end]
    structure = Structure(view=view, blocks=[], markers=[], header_end=header_end, own_symbols=own)
    _read_header(structure, header, language)
    view = _mask_running_titles(view, text, structure.title, header_end, spans)
    structure.view = view

    blocks: list[Block] = []
    if header_end > 0 and view[:header_end].strip():
        hdr = Block(id="HDR", kind="header", segments=[(0, header_end)], line=1)
        blocks.append(hdr)

    annex: int | None = None
    pp = op = body = 0
    in_resolution = False
    current: Block | None = None  # last content paragraph (for continuations)
    fn_mode = False  # inside a PDF footnote zone (after a ____ separator)
    fn_pending_numbers: list[str] = []
    fn_pending_texts: list[Block] = []
    fn_last: Block | None = None
    md_fn: Block | None = None
    signature_next_sig = False
    after_blank = True
    closing = False

    def prefix(pid: str) -> str:
        return f"ANNEX{annex}/{pid}" if annex else pid

    def new_block(kind: str, pid: str, s: int, e: int, line_no: int,
                  number: int | None = None) -> Block:
        blk = Block(id=prefix(pid), kind=kind, segments=[(s, e)], line=line_no, annex=annex,
                    number=number)
        blocks.append(blk)
        return blk

    last_footnote: list[Block] = []

    def flush_footnotes() -> None:
        nonlocal fn_pending_numbers, fn_pending_texts
        if fn_pending_texts and not fn_pending_numbers and last_footnote:
            # text without a number at the top of a footnote zone: the previous footnote goes on
            for blk in fn_pending_texts:
                last_footnote[-1].segments.extend(blk.segments)
                blocks.remove(blk)
            fn_pending_texts = []
        for num, blk in zip(fn_pending_numbers, fn_pending_texts, strict=False):
            blk.id = prefix(f"FN{num}")
            blk.number = int(num)
        for blk in fn_pending_texts[len(fn_pending_numbers) :]:
            blocks.remove(blk)
        numbered = [b for b in blocks if b.kind == "footnote" and b.number and b.segments]
        if numbered:
            last_footnote[:] = [max(numbered, key=lambda b: b.number or 0)]
        fn_pending_numbers, fn_pending_texts = [], []

    def ends_footnote_zone(line: str) -> bool:
        opm = _OP_LINE.match(line)
        return bool(
            (_is_pp_start(line, language) and in_resolution)
            or (opm and in_resolution and int(opm.group("n")) == op + 1)
            or line[:1].islower()
        )

    first_content_line = next((i for i, (s, _e) in enumerate(spans) if s >= header_end), len(spans))
    for i in range(first_content_line, len(spans)):
        s, e = spans[i]
        raw = view[s:e]
        line = raw.strip()
        line_no = i + 1
        if not line:
            after_blank = True
            continue
        ls = s + (len(raw) - len(raw.lstrip()))
        le = s + len(raw.rstrip())
        was_blank = after_blank
        after_blank = False

        if _SEPARATOR.match(line):
            fn_mode = True
            fn_last = None
            continue
        if _FORMULA.match(line):
            in_resolution, pp, op = True, 0, 0
            flush_footnotes()
            fn_mode = False
            current = None
            # "L'Assemblée générale," heads the resolution: it joins the (annex) header so the
            # organ it names is inside a paragraph like every other word of the text
            part_header = next((b for b in blocks if b.id == prefix("HDR")), None)
            if part_header is None:
                new_block("header", "HDR", ls, le, line_no)
            elif all(b.kind == "header" for b in blocks if b.annex == annex):
                part_header.segments.append((ls, le))
            else:
                body += 1
                new_block("body", f"P{body}", ls, le, line_no, number=body)
            continue
        m = _ANNEX.match(line)
        if m:
            flush_footnotes()
            fn_mode = False
            roman = m.group(1) or "1"
            annex = int(roman) if roman.isdigit() else _roman(roman)
            pp = op = body = 0
            in_resolution = False
            current = None
            continue
        m = _SIGNATURE.match(line)
        if m:
            structure.signatures.append((squeeze(m.group("name")), None))
            blocks.append(
                Block(
                    id=prefix("SIG") if annex else "SIG",
                    kind="signature",
                    segments=[(ls, le)],
                    line=line_no,
                    annex=annex,
                )
            )
            current = None
            signature_next_sig = True
            continue
        m = _MEETING.match(line)
        if m and in_resolution and len(line) < 60:
            iso = None
            nxt = next(
                (view[a:b].strip() for a, b in spans[i + 1 : i + 4] if view[a:b].strip()), ""
            )
            iso = dates.parse_date(squeeze(nxt)) or dates.parse_date(line)
            # plenary when it says so; otherwise the organ decides (text.py: council for the SC)
            kind = "plenary" if re.search(r"pl[ée]n", m.group("kind"), re.I) else None
            as_written = squeeze(re.sub(r"</?sup>|[*]", "", text[s:e]))
            structure.meeting = (int(m.group("n")), kind, iso, as_written)
            closing = True
            current = None
            continue
        if closing and dates.parse_date(line) and len(line) < 30:
            continue

        # Markdown footnote definition: "<sup>2</sup> Résolution 49/57, annexe."
        md = _MD_FOOTNOTE.match(text, s, e) if "<sup>" in text[s:e] else None
        if md:
            md_fn = new_block(
                "footnote", f"FN{md.group(1)}", ls, le, line_no, number=int(md.group(1))
            )
            continue
        if md_fn is not None and not was_blank:
            md_fn.segments.append((ls, le))
            continue
        md_fn = None

        if fn_mode:
            ends_zone = ends_footnote_zone(line)
            if line.startswith("*") or text[s:e].strip().startswith("*"):
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
                and was_blank
                and not fn_pending_numbers
                and fn_last is not None
                and fn_last.segments
                and _FINISHED_NOTE.search(view[fn_last.start : fn_last.end].rstrip())
                and not _FN_LINE.match(line)
                and not line.startswith("*")
            ):
                # a finished note, a blank line, then text that is not a note: the body goes on
                # ("(See A/71/590, para. 4 …)" and section "B" of a decision after its notes)
                ends_zone = True
            if not ends_zone:
                fm = _FN_LINE.match(line)
                if fm and int(fm.group("n")) <= 300 and not _YEAR_START.match(line):
                    num, rest = fm.group("n"), fm.group("rest")
                    if rest:
                        flush_footnotes()
                        fn_last = new_block(
                            "footnote", f"FN{num}", ls, le, line_no, number=int(num)
                        )
                    else:
                        # a number alone: pair it with the following text, or with orphan texts
                        nxt = next(
                            (view[a:b].strip() for a, b in spans[i + 1 :] if view[a:b].strip()), ""
                        )
                        nm = _FN_LINE.match(nxt)
                        alone = nm is not None and not nm.group("rest")
                        if alone or not nxt or ends_footnote_zone(nxt) or fn_pending_numbers:
                            fn_pending_numbers.append(num)
                            fn_last = None
                        else:
                            fn_last = new_block(
                                "footnote", f"FN{num}", -1, -1, line_no, number=int(num)
                            )
                            fn_last.segments = []
                    continue
                if fn_last is not None and (
                    not fn_last.segments
                    or not _FINISHED_NOTE.search(view[fn_last.start : fn_last.end].rstrip())
                    or not fn_last.segments
                ):
                    fn_last.segments.append((ls, le))
                    if fn_last.segments and fn_last.segments[0][0] == -1:
                        fn_last.segments.pop(0)
                    continue
                orphan = new_block("footnote", "FN0", ls, le, line_no)
                fn_pending_texts.append(orphan)
                fn_last = orphan
                continue
            fn_mode = False
            flush_footnotes()
            fn_last = None

        # --- content lines -----------------------------------------------------------------
        opm = _OP_LINE.match(line)
        if (
            in_resolution
            and opm
            and int(opm.group("n")) in (op + 1,)
            and (op > 0 or int(opm.group("n")) == 1)
        ):
            op += 1
            rest_start = ls + (line.index(opm.group("rest")) if opm.group("rest") else len(line))
            current = new_block("operative", f"OP{op}", ls, le, line_no, number=op)
            current.opening = None
            current.text_start = rest_start
            continue
        if (
            in_resolution
            and op == 0
            and _is_pp_start(line, language)
            and (
                was_blank
                or current is None
                or _CLAUSE_END.search(  # "…Court, 2" ends with a footnote marker after the comma
                    structure.view[current.start : current.end].rstrip() or ","
                )
                or current.kind != "preambular"
            )
        ):
            pp += 1
            current = new_block("preambular", f"PP{pp}", ls, le, line_no, number=pp)
            current.opening = _opening(line)
            continue
        if (
            current is not None
            and current.kind == "operative"
            and len(current.segments) == 1
            and _OP_NUMBER_ALONE.fullmatch(view[current.start : current.end].strip())
        ):
            current.segments.append((ls, le))  # "1." alone: the paragraph starts on the next line
            current.text_start = ls
            continue
        if (
            current is not None
            and current.kind == "body"
            and not was_blank
            and line[:1].isupper()
            and _LINE_END.search(view[current.end - 2 : current.end].strip() or "x")
            and len(line) >= 60
            and not in_resolution
        ):
            body += 1  # one paragraph per line (web pages keep no blank line between paragraphs)
            current = new_block("body", f"P{body}", ls, le, line_no, number=body)
            continue
        if current is not None and (
            not was_blank or line[0].islower() or (line[0].isdigit() and not opm)
        ):
            current.segments.append((ls, le))
            continue
        if (
            current is not None
            and was_blank
            and current.kind == "operative"
            and not _OP_LINE.match(line)
            and view[current.start : current.end].strip().endswith(".") is False
            and current.opening is None
        ):
            current.segments.append((ls, le))
            continue
        body += 1
        current = new_block("body", f"P{body}", ls, le, line_no, number=body)
        signature_next_sig = False
    flush_footnotes()
    del signature_next_sig

    # openings of operative paragraphs (the text may start on the next line: "1. \nWe,")
    for blk in blocks:
        if blk.kind == "operative":
            rest = blk.text_start if blk.text_start is not None else blk.start
            blk.opening = _opening(_head(structure.block_view(blk), rest - blk.start))
    # drop duplicate footnote ids (keep the first definition); remove empty blocks
    seen: set[str] = set()
    final: list[Block] = []
    for blk in blocks:
        if not blk.segments or (
            blk.kind == "footnote" and (blk.id in seen or blk.id.endswith("FN0"))
        ):
            continue
        seen.add(blk.id)
        final.append(blk)
    structure.blocks = final
    _tie_markers(structure, sup_markers)
    return structure


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(text, text[1:] + " ", strict=False):
        va, vb = values[a], values.get(b, 0)
        total += -va if va < vb else va
    return total


_PDF_MARKER = re.compile(  # the lookahead only lets the engine skip to digits
    r"(?=\d| \d)"
    r"(?P<glued>(?<=[A-Za-z\)”’,;:.])(?P<g>\d{1,2})(?=[\s,;.:)]|$))"
    r"|(?P<year>(?<![\d/])(?:19|20)\d\d(?P<y>\d{1,2})(?=[\s,;.:)]|$))"
    r"|(?P<spaced>(?<=[A-Za-z\d\)”’,;:.]) "
    r"(?P<s>\d{1,2})(?=\s*[,;.:)]|\s*\n|\s*$| [a-z]))"
)


_DIGIT_RUN = re.compile(r"\d+")


def _pdf_markers(view: str) -> Iterator[re.Match[str]]:
    """The matches `_PDF_MARKER.finditer(view)` gives, found faster: a marker starts at the first
    digit of a run of digits or at the space before it (the lookbehinds forbid a digit before it)
    and ends where the run ends, so only those two places of each run are tried."""
    for run in _DIGIT_RUN.finditer(view):
        start = run.start()
        m = None
        if start > 0 and view[start - 1] == " ":
            m = _PDF_MARKER.match(view, start - 1)
        if m is None:
            m = _PDF_MARKER.match(view, start)
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


def _tie_markers(structure: Structure, sup_markers: list[tuple[int, str]]) -> None:
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
            for m in _pdf_markers(bv):
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


def _read_header(st: Structure, header: str, language: str | None) -> None:
    flat = squeeze(header)
    for rx, key in _ORGANS:
        m = rx.search(header[:400])
        if m:
            st.organ = key
            break
    m = _DISTR.search(flat)
    if m:
        kind = m.group("kind").lower()
        st.distribution = (
            "general"
            if kind.startswith(("gén", "gen"))
            else "limited"
            if kind.startswith("limit")
            else "restricted"
        )
        st.distribution_date = dates.parse_date(m.group("date"))
    m = _ORIGINAL.search(flat)
    if m:
        st.original_language = _LANGUAGE_NAMES.get(m.group("lang").lower())
    m = _AGENDA.search(flat)
    if m:
        for item in re.split(r"\s*(?:,|and|et|y)\s*(?=\d)", m.group("items")):
            norm = re.sub(r"[\s,()]", "", item)
            if norm:
                st.agenda_items.append(norm)
    st.session = _header_session(header)
    if len(st.agenda_items) == 1:
        item_title = _agenda_item_title(header)
        if item_title:
            st.agenda_item_titles[st.agenda_items[0]] = item_title
    # adoption note: [sans renvoi à une grande commission (A/69/L.13)] or "Rapport: A/52/L.20/Rev.1"
    m = _BASIS.search(header)
    if m:
        st.basis_span = (m.start(), m.end())
        st.basis_text = squeeze(m.group(0))
    m = _ADOPTED.search(flat)
    if m:
        st.type = "resolution"
        st.date = dates.parse_date(m.group("date"))
    # resolution number and title: "69/12. Coopération …" (possibly on its own line)
    lines = [squeeze(x) for x in header.split("\n")]
    for idx, line in enumerate(lines):
        mm = _RES_NUMBER_TITLE.match(line)
        if mm and (st.type == "resolution" or re.search(r"Date\s*:", flat) or st.basis_text):
            st.resolution_number = mm.group("num")
            title_lines = [mm.group("title")] if mm.group("title") else []
            for nxt in lines[idx + 1 :]:
                if not nxt:
                    if title_lines:
                        break
                    continue
                if re.match(r"^(?:Date|Adoptée|Adopted|Séance|Rapport|Vote)\b", nxt):
                    break
                title_lines.append(nxt)
            st.title = squeeze(" ".join(title_lines)) or None
            if st.type == "other":
                st.type = "resolution"
            break
    m = re.search(r"^Date\s*:\s*(.+)$", header, re.MULTILINE)
    if m and st.date is None:
        st.date = dates.parse_date(m.group(1))
    # letters: "Lettre datée du 14 juillet 2009, adressée au … par le Représentant permanent …"
    m = _LETTER_TITLE.search(flat)
    if m and st.type == "other":
        st.type = "letter"
        st.date = dates.parse_date(m.group("date"))
        letter = flat[m.start() :]
        pm = _POST.search(letter.split("**")[0])
        if pm:
            st.signatures.append(("", squeeze(pm.group("post")).rstrip(".,")))
    # drafts and amendments: "Argentina and Brazil: draft resolution", "…: amendment
    # to draft resolution"
    if st.type == "other":
        if re.search(r":\s*(?:amendments? to draft|amendements? au projet)", flat, re.I):
            st.type = "draftAmendment"
        elif re.search(r":\s*(?:revised )?(?:draft resolution|projet de résolution)", flat, re.I):
            st.type = "draftResolution"
        elif re.search(r":\s*(?:draft decision|projet de décision)", flat, re.I):
            st.type = "draftDecision"
    if st.title is None:
        st.title = _guess_title(header, st)
    if st.type == "letter" and st.title and not st.agenda_items and _REQUESTED_ITEM.search(flat):
        # a request for a new agenda item: its heading is the title of the item requested
        st.requested_agenda_item = st.title
    if st.date is None:
        st.date = st.distribution_date or dates.parse_date(flat)


def _session_number(match: re.Match[str]) -> str | None:
    """The session a `_SESSION` match names ("64", "ES-10", "S-26"), trying shorter word runs
    (the pattern may have taken "de la" before "soixante-quatrième")."""
    words = match.group("ord").split()
    for i in range(len(words)):
        value = dates.ordinal_value(" ".join(words[i:]))
        if value and value < 200:
            break
    else:
        return None
    groups = match.groupdict()
    if any(groups.get(k) for k in ("en_es", "fr_es", "es_es", "ru_es")):
        return f"ES-{value}"
    if any(groups.get(k) for k in ("en_s", "fr_s", "es_s", "ru_s")):
        return f"S-{value}"
    return str(value)


def _header_session(header: str) -> str | None:
    """Session number from the header: a line of its own first ("Sixty-ninth session"), else the
    first ordinal session the header names."""
    lines = [squeeze(x) for x in header.split("\n")]
    for line in lines:
        m = _SESSION.match(line)
        if m and m.end() >= len(line.rstrip(",. ")):
            number = _session_number(m)
            if number:
                return number
    for m in _SESSION.finditer(squeeze(header)):
        number = _session_number(m)
        if number:
            return number
    return None


def _agenda_item_title(header: str) -> str | None:
    """The title printed under "Agenda item 130 (t)" (lines up to the next blank line)."""
    lines = header.split("\n")
    for idx, raw in enumerate(lines):
        if not _AGENDA.match(squeeze(raw)):
            continue
        title: list[str] = []
        for nxt in lines[idx + 1 :]:
            line = squeeze(nxt)
            if not line or _AGENDA_TITLE_STOP.search(line) or SYMBOL_IN_TEXT.fullmatch(line):
                break
            title.append(line)
        return squeeze(" ".join(title)) or None
    return None


def _guess_title(header: str, st: Structure) -> str | None:
    """Title of a text without a resolution number: after a draft line, or the first heading."""
    blocks = [squeeze(b) for b in re.split(r"\n\s*\n", header) if squeeze(b)]
    for idx, blk in enumerate(blocks):
        if re.search(
            r":\s*(?:revised )?(?:draft resolution|draft decision|amendments? to|projet de)",
            blk,
            re.I,
        ):
            for nxt in blocks[idx + 1 :]:
                if not re.match(r"^\*", nxt):
                    return nxt
    noise = re.compile(
        r"^(?:United Nations|Nations Unies|General Assembly|Assemblée générale|Security Council|"
        r"Conseil de sécurité|Distr|Original|Français|English|Anglais|Haut de page|Date|"
        r"Agenda item|Point|\d|[A-Z]{1,6}/|[IVX]+\.|Soixante|Seventy|Eightieth|Sixtieth|Fiftieth|"
        r"Demande d)",
        re.I,
    )
    for blk in blocks:
        if noise.match(blk) or len(blk) < 12 or re.match(r"^(?:Lettre|Letter)", blk):
            continue
        if re.search(r"\b(?:session|Meetings?|Meeting)\b", blk) and len(blk) < 60:
            continue
        return blk
    return None
