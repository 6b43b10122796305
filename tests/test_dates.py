"""Dates in French and English (and Spanish, Russian)."""

from __future__ import annotations

import pytest

from unkg.extract import dates
from unkg.extract.dates import find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("le 11 novembre 2014", "2014-11-11"),
        ("du 2 décembre 2004", "2004-12-02"),
        ("1er août 2009", "2009-08-01"),
        ("on 29 October 2018", "2018-10-29"),
        ("December 2, 2004", "2004-12-02"),
        ("17/10/2005", "2005-10-17"),
        ("2 de marzo de 2010", "2010-03-02"),
        ("11 ноября 2014 года", "2014-11-11"),
        ("13 decembre 2010", "2010-12-13"),  # French page with a damaged accent
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31 février 2010", "no date here", "12 Foo 2010"])
def test_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_in_an_enumeration() -> None:
    text = (
        "ses résolutions 64/256 du 2 mars 2010, 65/122 "
        "du 13 décembre 2010 et 67/6 du 19 novembre 2012"
    )
    assert [iso for _s, _e, iso in find_dates(text)] == ["2010-03-02", "2010-12-13", "2012-11-19"]
    start, end, _ = find_dates(text)[0]
    assert text[start:end] == "2 mars 2010"


@pytest.mark.parametrize(
    ("words", "number"),
    [
        ("Soixante-quatrième", 64),  # seed 000 header
        ("Soixante-neuvième", 69),  # seed 001 header
        ("soixante et onzième", 71),  # seed 001, OP9
        ("Sixty-ninth", 69),
        ("Seventy-third", 73),
        ("Eightieth", 80),
        ("vingt et unième", 21),
        ("soixante-dix-septième", 77),
        ("quatre-vingtième", 80),
        ("quatre-vingt-unième", 81),
        ("quatre-vingt-dix-neuvième", 99),
        ("Ninety-ninth", 99),
        ("sexagésimo noveno", 69),
        ("septuagésimo primer", 71),
        ("шестьдесят четвертая", 64),
        ("шестьдесят девятой", 69),
    ],
)
def test_ordinal_words(words: str, number: int) -> None:
    assert dates.ordinal_value(words) == number


@pytest.mark.parametrize("words", ["soixante", "Sixty", "United", "de la", "sixty-four", ""])
def test_not_an_ordinal(words: str) -> None:
    assert dates.ordinal_value(words) is None
