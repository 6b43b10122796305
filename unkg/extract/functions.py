"""Citation functions: why a UN text cites a document, read from the verb or participle that
introduces the citation by matching the labels of the citation-function vocabulary
(`unkg/ontology/vocab/citation-functions.ttl`): the vocabulary is the data, there is no second
table here.
"""

from __future__ import annotations

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


def _sentence_start(text: str, position: int) -> int:
    """Start of the sentence holding `position` (body text: web pages, letters, press releases)."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, max(position, 0)):
        before = text[max(0, m.start() - 6) : m.start() + 1]
        if re.search(r"(?:\b[A-Z]|\bNo|\bsect|\bchap|\bpara|\bvol|\bart|\bCorr|\bAdd|\bRev)\.$",
                     before):
            continue  # an abbreviation ("No. 8", "sect. C", "A/50/141/Add.1"), not a sentence end
        start = m.end()
    return start


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


def function_at(text: str, position: int, *, kind: str) -> tuple[str, str | None]:
    """The citation function for a citation at `position` of a paragraph text (and the verb).

    In resolutions the verb opens the paragraph (or a clause after `;`/`and`); in body text
    (agenda annotations, letters, press releases) it is any verb phrase of the label vocabulary
    earlier in the same sentence: "…l'Assemblée générale l'a examinée … (résolutions 35/36 …)".
    """
    lead = len(text) - len(text.lstrip())
    m = _OP_NUMBER.match(text)
    if m:
        lead = m.end()
    floor = 0
    if kind not in ("preambular", "operative", "footnote"):
        floor = _sentence_start(text, position)
        lead = max(lead, floor)
    best: tuple[int, int, str, str] | None = None
    lowered = text[: max(position, 0) + 1].lower()
    for fl in _labels_in(text):
        if fl.probe not in lowered:
            continue
        for m in fl.pattern.finditer(text, floor, max(position, 0) + 1):
            start = m.start()
            if start >= position and position > lead:
                continue
            allowed = start == lead
            if not allowed and kind in ("preambular", "operative", "footnote"):
                allowed = (
                    bool(_CONJUNCTION.search(text[max(0, start - 25) : start]))
                    and m.group(0)[0].islower()
                )
            elif not allowed:
                allowed = fl.words >= 2
            if not allowed:
                continue
            key = (start, len(m.group(0)))
            if best is None or key > best[:2]:
                best = (start, len(m.group(0)), fl.concept, m.group(0))
    if best is None:
        return DEFAULT_FUNCTION, None
    return best[2], _WHITESPACE.sub(" ", best[3])
