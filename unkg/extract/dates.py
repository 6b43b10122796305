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


# --- ordinal numbers written in words (session numbers) -----------------------------------------
# "Soixante-quatrième", "soixante et onzième", "Sixty-ninth", "sexagésimo noveno",
# "шестьдесят четвертая" → 64, 71, 69, 69, 64. Each word is a cardinal or an ordinal; the values
# add up, except "quatre-vingt(s)" (4 × 20). Word stems, not a table per number.
_NUMBER_WORDS: dict[str, int] = {}
for _value, _words in {
    1: "premier première unième un une first one primer primero primera первый первая первой перв",
    2: "deuxième second seconde deux second two segundo segunda втор два",
    3: "troisième trois third three tercer tercero tercera трет три",
    4: "quatrième quatre fourth four cuarto cuarta четверт четвёрт четыре",
    5: "cinquième cinq fifth five quinto quinta пят пять",
    6: "sixième six sixth six sexto sexta шест шесть",
    7: "septième sept seventh seven séptimo séptima седьм семь",
    8: "huitième huit eighth eight octavo octava восьм восемь",
    9: "neuvième neuf ninth nine noveno novena девят девять",
    10: "dixième dix tenth ten décimo décima десят десять",
    11: "onzième onze eleventh eleven undécimo undécima одиннадцат",
    12: "douzième douze twelfth twelve duodécimo duodécima двенадцат",
    13: "treizième treize thirteenth thirteen тринадцат",
    14: "quatorzième quatorze fourteenth fourteen четырнадцат",
    15: "quinzième quinze fifteenth fifteen пятнадцат",
    16: "seizième seize sixteenth sixteen шестнадцат",
    17: "seventeenth seventeen семнадцат",
    18: "eighteenth eighteen восемнадцат",
    19: "nineteenth nineteen девятнадцат",
    20: "vingtième vingt vingts twentieth twenty vigésimo vigésima двадцат",
    30: "trentième trente thirtieth thirty trigésimo trigésima тридцат",
    40: "quarantième quarante fortieth forty cuadragésimo cuadragésima сорок сороков",
    50: "cinquantième cinquante fiftieth fifty quincuagésimo quincuagésima пятьдесят пятидесят",
    60: "soixantième soixante sixtieth sixty sexagésimo sexagésima шестьдесят шестидесят",
    70: "seventieth seventy septuagésimo septuagésima семьдесят семидесят",
    80: "eightieth eighty octogésimo octogésima восемьдесят восьмидесят",
    90: "ninetieth ninety nonagésimo nonagésima девяносто девяност",
    100: "centième cent hundredth hundred centésimo centésima сот",
}.items():
    for _word in _words.split():
        _NUMBER_WORDS.setdefault(_fold(_word), _value)
_RU_STEMS = sorted((w for w in _NUMBER_WORDS if re.match(r"[а-я]", w)), key=len, reverse=True)

ORDINAL_WORDS = r"[A-Za-zÀ-ÿА-Яа-яёЁ]+(?:(?:[-\s]+(?:et[-\s]+)?|\s+y\s+)[A-Za-zÀ-ÿА-Яа-яёЁ]+){0,4}"


def _number_word(word: str) -> int | None:
    folded = _fold(word)
    if folded in _NUMBER_WORDS:
        return _NUMBER_WORDS[folded]
    if re.match(r"[а-я]", folded):  # Russian: inflected endings after a known stem
        for stem in _RU_STEMS:
            if folded.startswith(stem) and len(folded) - len(stem) <= 4:
                return _NUMBER_WORDS[stem]
    return None


def ordinal_value(words: str) -> int | None:
    """The number an ordinal written in words stands for, or None: `soixante et onzième` → 71.

    Every word must be a number word and the last one an ordinal (`-ième`, `-th`, `first`…).
    """
    tokens = [t for t in re.split(r"[-\s]+", words.strip()) if t and _fold(t) not in ("et", "y")]
    if not tokens:
        return None
    last = unicodedata.normalize("NFC", _fold(tokens[-1]))
    if not re.search(r"(?:ieme|th|first|second|third|premier|premiere|primer|tercer|o|a|"
                     r"[ыиоа]й|[ыо]е|ая|ой|ого|ом)$",
                     last):
        return None
    total = 0
    previous: int | None = None
    for token in tokens:
        value = _number_word(token)
        if value is None:
            return None
        if value == 20 and previous == 4:  # quatre-vingt(s)
            total += 4 * 20 - 4
        elif value == 100 and previous is not None and previous < 10:
            total += previous * 100 - previous
        else:
            total += value
        previous = value
    return total or None
