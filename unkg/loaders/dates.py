"""Dates as UN documents write them, in French and English (Spanish and Russian too).

`11 novembre 2014`, `1er août 2009`, `2 December 2004`, `December 2, 2004`, `17/10/2005`,
`2 de marzo de 2010`, `11 ноября 2014 года` → ISO `2014-11-11`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january janvier enero января январь",
        "february fevrier febrero февраля февраль",
        "march mars marzo марта март",
        "april avril abril апреля апрель",
        "may mai mayo мая май",
        "june juin junio июня июнь",
        "july juillet julio июля июль",
        "august aout agosto августа август",
        "september septembre septiembre setiembre сентября сентябрь",
        "october octobre octubre октября октябрь",
        "november novembre noviembre ноября ноябрь",
        "december decembre diciembre декабря декабрь",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number


def _fold(word: str) -> str:
    """Lower case without accents (`décembre` → `decembre`; Cyrillic is kept)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn" or ch == "\u0306")


_MONTH_WORD = r"[A-Za-zÀ-ÿА-Яа-яёЁ]+"
# 11 novembre 2014 · 1er août 2009 · 1st August · 2 de marzo de 2010 · 11 ноября 2014 года
DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:er|re|st|nd|rd|th|<sup>er</sup>)?\s+(?:de\s+)?(?P<month>{_MONTH_WORD})"
    rf"\s+(?:de\s+|del\s+)?(?P<year>\d{{4}})(?!\d{{2}})"
)
# December 2, 2004
MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_WORD})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b"
)
NUMERIC = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b")
ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def month_number(word: str) -> int | None:
    return _MONTHS.get(_fold(word))


def _make(year: str, month: int | None, day: str) -> str | None:
    if month is None:
        return None
    try:
        return date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first date in `text` as an ISO string, or None."""
    found = find_dates(text)
    return found[0][2] if found else None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All dates in `text` as (start, end, iso), in order of position."""
    out: list[tuple[int, int, str]] = []
    for m in DAY_MONTH_YEAR.finditer(text):
        iso = _make(m["year"], month_number(m["month"]), m["day"])
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in MONTH_DAY_YEAR.finditer(text):
        iso = _make(m["year"], month_number(m["month"]), m["day"])
        if iso:
            out.append((m.start(), m.end(), iso))
    for rx in (NUMERIC, ISO):
        for m in rx.finditer(text):
            iso = _make(m["year"], int(m["month"]), m["day"])
            if iso:
                out.append((m.start(), m.end(), iso))
    out.sort()
    # drop overlaps (keep the first, longest-starting match)
    kept: list[tuple[int, int, str]] = []
    for item in out:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept
