"""Citation functions: why a UN text cites a document, read from the verb or participle that
introduces the citation by matching the labels of the citation-function vocabulary
(`unkg/ontology/vocab/citation-functions.ttl`): the vocabulary is the data, there is no second
table here.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from unkg.extract.labels import LETTERS, label_body, probe, skip_to, turtle_triples
from unkg.ontology import SKOS

DEFAULT_FUNCTION = "cites"


@dataclass(frozen=True)
class FunctionLabel:
    concept: str  # local name, e.g. "recalls"
    label: str
    pattern: re.Pattern[str]
    words: int
    probe: str  # a lower-case word the label contains: a cheap test before the regex




@cache
def function_labels() -> tuple[FunctionLabel, ...]:
    """Every label of every citation function, compiled; read from the Turtle vocabulary."""
    from unkg.ontology import prefixes

    triples = list(turtle_triples("vocab/citation-functions.ttl"))
    ns = prefixes()["citfn"]
    out: list[FunctionLabel] = []
    for prop in (SKOS + "prefLabel", SKOS + "altLabel"):  # in the file's order
        for concept, label in ((t.subject, t.object) for t in triples if t.predicate.value == prop):
            name = str(concept.value)[len(ns) :]
            if not name:
                continue
            text = str(label.value).strip()
            body = label_body(text, 25)
            pattern = re.compile(rf"{skip_to(body)}(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)
            out.append(FunctionLabel(name, text, pattern, len(text.split()), probe(text)))
    return tuple(out)


_CONJUNCTION = re.compile(
    r"(?:[;:]|\band\b|\bet\b|\bwhile\b|\balso\b|\bfurther\b|"
    r"\bregard\b|\bcontexte\b|\by\b|\btout en\b)"
    r"\s*$",
    re.IGNORECASE,
)


_SENTENCE_END = re.compile(r"[.!?]\s+(?=[«“\"(]?\s*[A-ZÀ-ÖØ-Þ])")


_AFTER_SENTENCE_END = re.compile(r"[«“\"(]?\s*[A-ZÀ-ÖØ-Þ]")
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]|\bNo|\bsect|\bchap|\bpara|\bvol|\bart|\bCorr|\bAdd|\bRev)\.$")


@lru_cache(maxsize=16)
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    """The sentence ends of a text, once per text: (where the capital that proves each end
    stands, where the next sentence starts), both ascending."""
    proofs: list[int] = []
    starts: list[int] = []
    for m in _SENTENCE_END.finditer(text):
        before = text[max(0, m.start() - 6) : m.start() + 1]
        if _ABBREVIATION_END.search(before):
            continue  # an abbreviation ("No. 8", "sect. C", "A/50/141/Add.1"), not a sentence end
        after = _AFTER_SENTENCE_END.match(text, m.end())
        proofs.append(after.end() - 1 if after else m.end())
        starts.append(m.end())
    return proofs, starts


def _sentence_start(text: str, position: int) -> int:
    """Start of the sentence holding `position` (body text: web pages, letters, press releases):
    the last sentence end proved (by its next capital) before `position`. A binary search in
    the text's sentence ends, found once: linear in the text, not in text × citations."""
    proofs, starts = _sentence_ends(text)
    i = bisect.bisect_left(proofs, max(position, 0))
    return starts[i - 1] if i else 0


@lru_cache(maxsize=64)
def _labels_in(text: str) -> tuple[FunctionLabel, ...]:
    """The labels whose probe is a word of a paragraph, in vocabulary order. A label's probe is a
    whole run of letters of it, and its pattern is bounded by non-letters, so any text the label
    matches holds the probe as a whole word: one set lookup per word instead of a scan per label."""
    words = set(LETTERS.findall(text.lower()))
    by_probe, always = _labels_by_probe()
    found = [i for word in words & by_probe.keys() for i in by_probe[word]]
    labels = function_labels()
    return tuple(labels[i] for i in sorted(found + always))


@cache
def _labels_by_probe() -> tuple[dict[str, list[int]], list[int]]:
    """probe → indexes of the labels with that probe; and labels with no probe (always tried)."""
    by_probe: dict[str, list[int]] = {}
    always: list[int] = []
    for i, fl in enumerate(function_labels()):
        if fl.probe:
            by_probe.setdefault(fl.probe, []).append(i)
        else:
            always.append(i)
    return by_probe, always


_OP_NUMBER = re.compile(r"\s*\d{1,3}\.\s*")
_WHITESPACE = re.compile(r"\s+")


_RESOLUTION_KINDS = ("preambular", "operative", "footnote")


@dataclass(frozen=True)
class _LabelIndex:
    """Every match of every function label in one paragraph text, found once (citations of a
    long paragraph each look up their verb here instead of rescanning the paragraph)."""

    by_start: dict[int, list[tuple[int, int, str, str]]]  # start → (start, length, concept, text)
    # matches allowed away from the paragraph's lead: after a conjunction, in lower case (for
    # resolution paragraphs); of two words or more (body text); sorted by (start, length)
    clause: list[tuple[int, int, str, str]]
    phrase: list[tuple[int, int, str, str]]
    clause_starts: list[int]
    phrase_starts: list[int]


@lru_cache(maxsize=16)
def _label_index(text: str) -> _LabelIndex:
    by_start: dict[int, list[tuple[int, int, str, str]]] = {}
    clause: list[tuple[int, int, str, str]] = []
    phrase: list[tuple[int, int, str, str]] = []
    for fl in _labels_in(text):
        for m in fl.pattern.finditer(text):
            start, surface = m.start(), m.group(0)
            match = (start, len(surface), fl.concept, surface)
            by_start.setdefault(start, []).append(match)
            if _CONJUNCTION.search(text[max(0, start - 25) : start]) and surface[0].islower():
                clause.append(match)
            if fl.words >= 2:
                phrase.append(match)
    clause.sort(key=lambda t: t[:2])
    phrase.sort(key=lambda t: t[:2])
    return _LabelIndex(by_start, clause, phrase, [t[0] for t in clause], [t[0] for t in phrase])


def function_at(text: str, position: int, *, kind: str) -> tuple[str, str | None]:
    """The citation function for a citation at `position` of a paragraph text (and the verb).

    In resolutions the verb opens the paragraph (or a clause after `;`/`and`); in body text
    (agenda annotations, letters, press releases) it is any verb phrase of the label vocabulary
    earlier in the same sentence: "…l'Assemblée générale l'a examinée … (résolutions 35/36 …)".
    The chosen label is the last one (then the longest) that ends by the citation.
    """
    lead = len(text) - len(text.lstrip())
    m = _OP_NUMBER.match(text)
    if m:
        lead = m.end()
    floor = 0
    if kind not in _RESOLUTION_KINDS:
        floor = _sentence_start(text, position)
        lead = max(lead, floor)
    position = max(position, 0)
    index = _label_index(text)
    # a label may start at the citation itself only when the citation is at the lead
    last_start = position - 1 if position > lead else position
    best: tuple[int, int, str, str] | None = None
    for match in index.by_start.get(lead, ()):
        if floor <= lead <= last_start and lead + match[1] <= position + 1 \
                and (best is None or match[:2] > best[:2]):
            best = match
    if kind in _RESOLUTION_KINDS:
        matches, starts = index.clause, index.clause_starts
    else:
        matches, starts = index.phrase, index.phrase_starts
    i = bisect.bisect_right(starts, last_start) - 1
    while i >= 0 and starts[i] >= floor:
        start, length, _concept, _surface = matches[i]
        if best is not None and start < best[0]:
            break
        if start + length <= position + 1:  # ends by the citation
            if best is None or (start, length) > best[:2]:
                best = matches[i]
            break
        i -= 1
    if best is None:
        return DEFAULT_FUNCTION, None
    return best[2], _WHITESPACE.sub(" ", best[3])
