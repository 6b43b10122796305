"""How a paragraph opens: whether a line starts a preambular paragraph (a participle: "Recalling",
"Rappelant", "Recordando"), and the opening verb or participle as written ("Takes note with
appreciation"), which the citation functions are read from.
"""

from __future__ import annotations

import re

from unkg.extract.layout import squeeze

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
_ES_PARTICIPLE = re.compile(r"^[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:ando|iendo|endo|ada|ado|osa)\b")


def is_pp_start(line: str, language: str | None) -> bool:
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


def opening_head(text: str, start: int) -> str:
    """text[start:], or a prefix of it that has the same first six words (all `opening` reads)."""
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


def opening(text: str) -> str | None:
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




