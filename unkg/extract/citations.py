"""Typed citations: which UN documents a text cites, where, and why.

Targets come from explicit symbols (`S/PRST/2013/12`, joint `A/69/228-S/2014/560`, suffix chains
`A/50/141 et Corr.2 et Add.1 à 3`) and from running-text forms (`sa résolution 59/50 du 2 décembre
2004`, `resolutions 1996 (2011), 2046 (2012) and 2206 (2015)`, `Résolution 49/57, annexe.`).
The function comes from the introducing verb or participle, found by matching the labels of the
citation-function vocabulary (`unkg/ontology/vocab/citation-functions.ttl`) — the vocabulary is the
data, there is no second table here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from unkg.errors import SymbolError
from unkg.extract import dates
from unkg.extract.footnotes import owner_finder
from unkg.extract.functions import DEFAULT_FUNCTION, function_at
from unkg.extract.labels import LETTERS, label_body, letter_runs, probe, skip_to, turtle_triples
from unkg.extract.layout import Block, Structure
from unkg.extract.symbols import (
    SYMBOL_IN_TEXT,
    normalise,
    parse,
    resolution_symbol,
)
from unkg.model import Citation
from unkg.ontology import DCTERMS, DEFAULT_BASE

DRAFT_FUNCTION = "adoptedFromDraft"

# --- named instruments (cited without a symbol) ------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    key: str  # authority key, e.g. instrument/global-counter-terrorism-strategy
    target: str  # canonical symbol of the document it is part of (the adopting resolution)
    pattern: re.Pattern[str]  # every title and alternative title, longest first
    # per title, the lower-case words it holds: a text the pattern matches holds all the words of
    # one title as whole words (the pattern is bounded by non-letters), a cheap test before it runs
    probes: tuple[frozenset[str], ...]
    # per title, its longest word: the cheaper test of one paragraph of a document that passed
    longest: tuple[str, ...] = ()


@cache
def instruments() -> tuple[Instrument, ...]:
    """Instruments UN texts cite by name, read from `authority/instruments.ttl`."""
    base = DEFAULT_BASE  # any base: keys and symbols are read relative to it
    titles_of: dict[str, list[str]] = {}
    part_of: set[tuple[str, str]] = set()
    for t in turtle_triples("authority/instruments.ttl", base):
        prop = t.predicate.value
        if prop == DCTERMS + "isPartOf":
            part_of.add((str(t.subject.value), str(t.object.value)))
        elif prop in (DCTERMS + "title", DCTERMS + "alternative"):
            titles_of.setdefault(str(t.subject.value), []).append(str(t.object.value))
    out: list[Instrument] = []
    for node, doc in sorted(part_of):
        if not doc.startswith(base + "doc/"):
            continue
        target = normalise(doc[len(base) + len("doc/") :])
        titles = titles_of.get(node, [])
        bodies = sorted({label_body(t, 10) for t in titles}, key=len, reverse=True)
        pattern = re.compile(rf"{skip_to(*bodies)}(?<![\w])(?:{'|'.join(bodies)})(?![\w])",
                             re.IGNORECASE)
        probes = tuple(sorted({frozenset(letter_runs(t)) for t in titles}, key=sorted))
        longest = tuple(sorted({probe(t) for t in titles}))
        out.append(Instrument(str(node)[len(base) :], target, pattern, probes, longest))
    return tuple(out)


def instruments_in(text: str) -> tuple[Instrument, ...]:
    """The instruments all of whose words of a title `text` holds (a superset of those it names):
    test a document once, then only these in each of its paragraphs."""
    words = _words_of(text)
    return tuple(inst for inst in instruments() if _has_probes(inst, words))


def _words_of(text: str) -> set[str]:
    """The runs of letters of the lower-cased text (what `LETTERS.findall` gives, faster): the
    UTF-8 bytes with every ASCII non-letter made a space split into words; an ASCII word is a run
    as it is, a word holding other characters is split by `LETTERS` (few of them)."""
    words: set[str] = set()
    data = text.lower().encode("utf-8", "surrogatepass")
    for token in set(data.translate(_ASCII_NON_LETTERS_AS_SPACES).split()):
        if token.isascii():
            words.add(token.decode("ascii"))
        else:
            words.update(LETTERS.findall(token.decode("utf-8", "surrogatepass")))
    return words


# bytes.translate table: ASCII letters and the bytes of non-ASCII characters stay, the rest → space
_ASCII_NON_LETTERS_AS_SPACES = bytes(
    c if chr(c).isalpha() or c >= 0x80 else 0x20 for c in range(256))


def _has_probes(inst: Instrument, words: set[str]) -> bool:
    """Some title of `inst` may be in a text of these words: it holds all the title's words."""
    return any(title <= words for title in inst.probes)


_ORGANIZATION_AFTER = re.compile(r"\s+Organi[sz]ation")
_ORGANISATION_BEFORE = re.compile(r"Organisation\s+(?:du|de\s+la|de\s+l['’])\s*$")


def _named_instruments(view: str, offset: int,
                       candidates: tuple[Instrument, ...] | None = None) -> list[Found]:
    out: list[Found] = []
    if candidates is None:
        candidates = instruments()
    if not candidates:
        return out
    lowered = view.lower()
    holds = lowered.__contains__
    words: set[str] | None = None
    for inst in candidates:
        if words is None:
            # The cheap test (a title's longest word is in the text) until the words are known;
            # then `_has_probes` alone decides (it implies that test).
            if not any(map(holds, inst.longest)):
                continue
            words = set(LETTERS.findall(lowered))
        if not _has_probes(inst, words):
            continue  # the paragraph lacks a word of every title
        for m in inst.pattern.finditer(view):
            after = view[m.end() : m.end() + 16]
            before = view[max(0, m.start() - 20) : m.start()]
            if _ORGANIZATION_AFTER.match(after) or _ORGANISATION_BEFORE.search(before):
                continue  # the organisation named after a treaty (CTBTO), not the treaty
            out.append(Found(offset + m.start(), offset + m.end(), inst.target, implicit=True))
    return out


# --- finding cited symbols ---------------------------------------------------------------------

_KEYWORD = re.compile(  # the lookahead only lets the engine skip to candidate letters
    r"(?=[RrDd])(?<![\w])(?P<kw>[Rr][ée]solutions?|RESOLUTIONS?|[Dd][ée]cisions?|[Rr]esoluci(?:ón|ones)|"
    r"[Dd]ecisi(?:ón|ones))(?![\w])"
)
_ITEM = re.compile(
    r"(?P<ses>(?:ES|S)-\d{1,2}|\d{1,4})/(?P<num>\d{1,4})(?![\d/]|\.\d)"
    r"|(?P<num2>\d{1,4})\s?(?P<letter>[A-Z](?:\s?(?:and|et|-)\s?[A-Z])?\s?)?\((?P<roman>[IVXLC]{1,8})\)"
    r"|(?P<num3>\d{1,4})\s?\((?P<year>(?:19|20)\d\d)\)"
)
_DATE_TAIL = re.compile(
    r"\s*,?\s*(?:du|of|en date du|dated|de|del|of "
    r"the)\s+(?:\d{1,2}(?:er)?\s+[A-Za-zÀ-ÿ]+(?:\s+(?:de\s+)?\d{4})?)"
)
_PART_TAIL = re.compile(r"\s*,\s*(?P<part>annexe?s?|anexo)\b", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"\s*(?:,|;)?\s*(?:(?:and|et|y|и|as well as|ainsi que)\s+)?(?:its\s+|sa\s+|ses\s+)?"
)
_SUFFIX_CHAIN = re.compile(
    r"\s*(?:,|et|and|y)\s*(?P<kind>Corr|Add|Rev)\.\s?(?P<n>\d{1,3})(?:\s*(?:à|to|-|–|a)\s*(?P<to>\d{1,3}))?"
)
_SAME_SERIES_NUMBER = re.compile(
    r"\s*(?:et|and|y|,)\s*(?P<n>\d{1,4})\b(?!\s*[/(]|\.\d|\s*[A-Za-z]{2,}\.)"
)
_HRC_CONTEXT = re.compile(
    r"Human Rights Council|Conseil des droits de l['’]homme|Consejo de Derechos Humanos"
)
_NUMBER_SIGN = re.compile(r"\s*(?:n[°o]s?\s*)?")  # "résolutions nos 1267 …"
_OF_THE = re.compile(r"^(?:du |of the |del )")


@dataclass
class Found:
    start: int
    end: int
    target: str
    part: str | None = None
    basis: bool = False
    implicit: bool = False  # named instrument, no symbol written


_SERIES_SLASH = re.compile(r"[A-Z]+/")


def _symbol_matches(view: str) -> Iterator[re.Match[str]]:
    """The matches `SYMBOL_IN_TEXT.finditer(view)` gives, found faster: a symbol starts where a
    run of capitals followed by "/" starts (its lookbehind forbids a letter before it), so only
    those places are tried, not every character."""
    pos = 0
    for candidate in _SERIES_SLASH.finditer(view):
        if candidate.start() < pos:
            continue  # inside the last symbol
        m = SYMBOL_IN_TEXT.match(view, candidate.start())
        if m is not None:
            pos = m.end()
            yield m


def _explicit(view: str, offset: int) -> list[Found]:
    out: list[Found] = []
    for m in _symbol_matches(view):
        try:
            sym = parse(m.group("symbol"))
        except SymbolError:
            continue
        start, end = offset + m.start(), offset + m.end()
        out.append(Found(start, end, str(sym)))
        # suffix chains: "A/50/141 et Corr.2 et Add.1 à 3", "A/61/L.26 et Add.1"
        pos = m.end()
        base = sym.base
        while True:
            cm = _SUFFIX_CHAIN.match(view, pos)
            if not cm:
                break
            first = int(cm.group("n"))
            last = int(cm.group("to") or first)
            for n in range(first, min(last, first + 20) + 1):
                out.append(
                    Found(start, offset + cm.end(), str(base.with_suffix(cm.group("kind"), n)))
                )
            pos = cm.end()
        # "A/61/PV.38 et 39": a second number of the same series
        last_comp = sym.components[-1]
        lm = re.fullmatch(r"([A-Z]{1,3})\.(\d+)", last_comp)
        if lm and lm.group(1) in ("PV", "L", "SR"):
            nm = _SAME_SERIES_NUMBER.match(view, pos)
            if nm:
                comps = (*sym.components[:-1], f"{lm.group(1)}.{int(nm.group('n'))}")
                out.append(Found(start, offset + nm.end(), "/".join(comps)))
    return out


def _running(view: str, offset: int) -> list[Found]:
    out: list[Found] = []
    for km in _KEYWORD.finditer(view):
        kind = "DEC" if km.group("kw")[0] in "Dd" else "RES"
        context = view[max(0, km.start() - 45) : km.start()]
        organ = "HRC" if _HRC_CONTEXT.search(context) else "A"
        pos = km.end()
        items: list[tuple[re.Match[str], int, int]] = []
        while True:
            sm = (_SEPARATOR if items else _NUMBER_SIGN).match(view, pos)
            im = _ITEM.match(view, sm.end() if sm else pos)
            if not im:
                break
            end = im.end()
            dm = _DATE_TAIL.match(view, end)
            if dm:
                end = dm.end()
            items.append((im, im.start(), end))
            pos = end
        if not items:
            continue
        after = view[pos : pos + 60].lstrip(" ,")
        if _HRC_CONTEXT.match(_OF_THE.sub("", after)):
            organ = "HRC"
        for im, s, e in items:
            part = None
            pm = _PART_TAIL.match(view, e)
            if pm:
                part = "annex"
            if im.group("num"):
                ses = im.group("ses")
                target = resolution_symbol(im.group("num"), session=ses, organ=organ, kind=kind)
                if ses.startswith(("ES-", "S-")):
                    target = f"A/{kind}/{ses}/{int(im.group('num'))}"
            elif im.group("roman"):
                target = resolution_symbol(im.group("num2"), roman=im.group("roman"), kind=kind)
            else:
                if kind == "DEC":
                    continue
                target = resolution_symbol(im.group("num3"), year=im.group("year"))
            out.append(Found(offset + s, offset + e, target, part))
    return out


class _Spans:
    """Character spans, asked whether a new span overlaps one of them: a binary search among
    those that start less than the longest span's length earlier, not a scan of all (a long
    paragraph holds thousands of citations)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans = sorted(spans)
        self.longest = max((e - s for s, e in self.spans), default=0)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self.spans, (start, end))
        self.longest = max(self.longest, end - start)

    def overlaps(self, start: int, end: int) -> bool:
        first = bisect.bisect_left(self.spans, (start - self.longest, -1))
        for s, e in self.spans[first:bisect.bisect_left(self.spans, (end, -1))]:
            if s < end and start < e:
                return True
        return False


def find_in_block(structure: Structure, block: Block, *, organ: str | None = None,
                  bview: str | None = None,
                  named: tuple[Instrument, ...] | None = None) -> list[Found]:
    """Cited documents in one paragraph (offsets in the source text). `bview` is the block's view
    if the caller has it; `named` the instruments worth looking for (default: all)."""
    if bview is None:
        bview = structure.block_view(block)
    offset = block.start
    found = _explicit(bview, offset)
    spans = _Spans((f.start, f.end) for f in found)
    for f in _running(bview, offset):
        if not spans.overlaps(f.start, f.end):
            found.append(f)
    spans = _Spans((f.start, f.end) for f in found)
    for f in _named_instruments(bview, offset, named):
        if not spans.overlaps(f.start, f.end):
            found.append(f)
            spans.add(f.start, f.end)
    if block.kind == "footnote":
        head = bview.strip()
        for f in found:
            if f.part is None and re.search(r",\s*annexe?\b", head[:80], re.IGNORECASE):
                f.part = "annex"
    if block.kind == "header" and structure.basis_span:
        bs, be = structure.basis_span
        for f in found:
            if bs <= f.start < be:
                f.basis = True
    own = set(structure.own_symbols)
    return [f for f in found if f.target not in own]


def extract_citations(structure: Structure, text: str, *, own_symbols: list[str]) -> list[Citation]:
    """All citations of a document, with paragraph, footnote, offsets and function."""
    blocks = structure.blocks
    by_id = {b.id: b for b in blocks}
    carriers: dict[str, list[tuple[Block, int]]] = {}
    carrier_at = owner_finder([b for b in blocks if b.kind != "footnote"])
    for start, _end, fid in structure.markers:
        carrier = carrier_at(start)
        if carrier is not None:
            carriers.setdefault(fid, []).append((carrier, start))
    own = set(own_symbols) | set(structure.own_symbols)
    out: list[Citation] = []
    seen: set[tuple[str, str, str | None, int]] = set()
    named = instruments_in(structure.view)  # block views hold only text of the view
    for block in blocks:
        if block.kind == "signature":
            continue
        bview = structure.block_view(block)
        for f in find_in_block(structure, block, bview=bview, named=named):
            if f.target in own:
                continue
            surface = text[f.start : f.end]
            if block.kind == "footnote":
                places = carriers.get(block.id) or [(block, f.start)]
                for carrier, marker in places:
                    if carrier is block:
                        function, verb = DEFAULT_FUNCTION, None
                        pid, fn = block.id, block.id
                    else:
                        cview = structure.block_view(carrier)
                        function, verb = function_at(
                            cview, marker - carrier.start, kind=carrier.kind
                        )
                        pid, fn = carrier.id, block.id
                    key: tuple[str, str, str | None, int] = (f.target, pid, fn, f.start)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(
                        Citation(
                            target=f.target,
                            function=function,
                            paragraph=pid,
                            text=surface,
                            start=f.start,
                            end=f.end,
                            footnote=fn,
                            part=f.part,
                            verb=verb,
                        )
                    )
                continue
            if f.basis:
                function, verb = DRAFT_FUNCTION, None
            else:
                function, verb = function_at(bview, f.start - block.start, kind=block.kind)
            key = (f.target, block.id, None, f.start)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Citation(
                    target=f.target,
                    function=function,
                    paragraph=block.id,
                    text=surface,
                    start=f.start,
                    end=f.end,
                    part=f.part,
                    implicit=f.implicit,
                    verb=verb,
                )
            )
    del by_id
    return _without_implicit_repeats(out)


def _without_implicit_repeats(citations: list[Citation]) -> list[Citation]:
    """A named instrument whose symbol the same paragraph also gives (in the text or a footnote it
    carries) is one citation, the explicit one; a name repeated in a paragraph counts once per
    surface text."""
    explicit = {(c.target, c.paragraph) for c in citations if not c.implicit}
    kept: list[Citation] = []
    seen: set[tuple[str, str, str]] = set()
    for c in citations:
        if c.implicit:
            key = (c.target, c.paragraph, re.sub(r"\s+", " ", c.text).lower())
            if (c.target, c.paragraph) in explicit or key in seen:
                continue
            seen.add(key)
        kept.append(c)
    return kept


__all__ = ["dates", "extract_citations", "function_at"]
