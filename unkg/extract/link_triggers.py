"""The trigger words of the link types, read from the link-type vocabulary at run time.

`unkg/ontology/vocab/link-types.ttl` gives, per link type and language, the words whose use states
a link (`unkg:linkTrigger`) and the verbs that make a stated cooperation a request
(`unkg:requestTrigger`). They are compiled here into one folded pattern per link type and language:
words joined by any run of spaces or line breaks ("memorandum of\\nunderstanding"), longest first,
so "cooperation meeting" wins over "cooperation" where both start; "…" in a trigger is a gap of
a few words ("to submit … a report").
"""

from __future__ import annotations

import re
from functools import cache

from unkg.extract.entities import fold

_SKOS = "http://www.w3.org/2004/02/skos/core#"


def _phrase(text: str) -> str:
    """Words joined by spaces or line breaks; "…" is a gap of a few words within the clause."""
    pieces = [r"\s+".join(re.escape(t) for t in fold(piece).split()) for piece in text.split("…")]
    return r"\s+(?:[^;:.]{0,120}?\s+)?".join(p for p in pieces if p)


def _pattern(words: list[str]) -> re.Pattern[str]:
    parts = sorted({w.strip() for w in words}, key=len, reverse=True)  # folded piece by piece
    body = "|".join(_phrase(p) for p in parts)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])")


@cache
def _words() -> dict[tuple[str, str, str], list[str]]:
    """(property local name, link type, language) → trigger words as written in the vocabulary."""
    import pyoxigraph

    from unkg.ontology import UNKG, data_file, prefixes

    ns = prefixes()["linktype"]
    raw = data_file("vocab/link-types.ttl").read_bytes()
    out: dict[tuple[str, str, str], list[str]] = {}
    for t in pyoxigraph.parse(raw, pyoxigraph.RdfFormat.TURTLE):
        prop = t.predicate.value
        if not prop.startswith(UNKG) or not isinstance(t.object, pyoxigraph.Literal):
            continue
        name = prop[len(UNKG):]
        if name not in ("linkTrigger", "requestTrigger"):
            continue
        kind = t.subject.value[len(ns):]
        out.setdefault((name, kind, t.object.language or ""), []).append(t.object.value)
    return out


def _languages(language: str | None) -> tuple[str, ...]:
    known = {lang for _, _, lang in _words()}
    return (language,) if language in known else tuple(sorted(known))


@cache
def triggers(kind: str, language: str | None = None) -> re.Pattern[str] | None:
    """The folded pattern of the `unkg:linkTrigger` words of link type `kind` in `language` (every
    language when it is unknown), or None when the vocabulary gives none."""
    words = [w for lang in _languages(language)
             for w in _words().get(("linkTrigger", kind, lang), [])]
    return _pattern(words) if words else None


@cache
def request_verbs(language: str | None = None) -> re.Pattern[str]:
    """The folded pattern of every `unkg:requestTrigger` verb in `language` (or every language)."""
    words = [w for (prop, _, lang), ws in _words().items()
             if prop == "requestTrigger" and lang in _languages(language) for w in ws]
    return _pattern(words)


@cache
def any_trigger(language: str | None = None) -> re.Pattern[str]:
    """Every link trigger and request verb of `language`: a sentence with none is skipped."""
    words = [w for (_, _, lang), ws in _words().items() if lang in _languages(language)
             for w in ws]
    return _pattern(words)
