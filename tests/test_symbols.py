"""UN symbol grammar: parsing, canonical form, joint symbols, running-text forms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unkg.extract.symbols import (
    Symbol,
    SymbolError,
    format_symbol,
    normalise,
    parse,
    parse_joint,
    resolution_symbol,
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("A/RES/69/12", "A/RES/69/12"),
        ("A/69/L.13", "A/69/L.13"),
        ("A/C.6/80/L.2", "A/C.6/80/L.2"),
        ("S/RES/1631 (2005)", "S/RES/1631(2005)"),
        ("S/RES/1631(2005)", "S/RES/1631(2005)"),
        ("S/PRST/2013/12", "S/PRST/2013/12"),
        ("E/2009/28", "E/2009/28"),
        ("A/50/141/corr.2", "A/50/141/Corr.2"),
        ("A/58/874/Add. 1", "A/58/874/Add.1"),
        ("a/res/es-10/1", "A/RES/ES-10/1"),
        ("A/RES/S-26/2", "A/RES/S-26/2"),
        ("A/RES/217 (III)", "A/RES/217(III)"),
        ("A / 69 / 228", "A/69/228"),
    ],
)
def test_normalise(written: str, canonical: str) -> None:
    assert normalise(written) == canonical


@pytest.mark.parametrize("bad", ["", "hello", "A/", "A/RES/x y", "12/34", "and/or"])
def test_not_a_symbol(bad: str) -> None:
    with pytest.raises(SymbolError):
        parse(bad)


@pytest.mark.parametrize(
    ("written", "symbols"),
    [
        ("A/69/228-S/2014/560", ["A/69/228", "S/2014/560"]),
        ("A/73/328–S/2018/592", ["A/73/328", "S/2018/592"]),  # en dash
        ("A/67/828 S/2013/210", ["A/67/828", "S/2013/210"]),  # lost separator
        ("A/RES/ES-10/1", ["A/RES/ES-10/1"]),  # a hyphen inside a component is no joint
    ],
)
def test_joint_symbols(written: str, symbols: list[str]) -> None:
    assert [str(s) for s in parse_joint(written)] == symbols


def test_suffix_chain_base() -> None:
    sym = parse("A/50/141/Add.1/Corr.2")
    assert str(sym.base) == "A/50/141"
    assert sym.suffixes == ("Add.1", "Corr.2")
    assert str(sym.base.with_suffix("Rev", 1)) == "A/50/141/Rev.1"


@pytest.mark.parametrize(
    ("kwargs", "symbol"),
    [
        ({"number": "50", "session": "59"}, "A/RES/59/50"),
        ({"number": "1631", "year": "2005"}, "S/RES/1631(2005)"),
        ({"number": "217", "roman": "III"}, "A/RES/217(III)"),
        ({"number": "28", "session": "2009"}, "E/RES/2009/28"),
        ({"number": "556", "session": "71", "kind": "DEC"}, "A/DEC/71/556"),
        ({"number": "1", "session": "5", "organ": "HRC"}, "A/HRC/RES/5/1"),
    ],
)
def test_resolution_symbol_from_running_text(kwargs: dict, symbol: str) -> None:
    assert resolution_symbol(**kwargs) == symbol


_number = st.integers(min_value=0, max_value=9999).map(str)
_component = st.one_of(
    _number,
    st.sampled_from(["RES", "PRST", "DEC", "INF", "C.6", "AC.105", "ES-10", "S-26", "HRC"]),
    st.builds(
        lambda k, n: f"{k}.{n}",
        st.sampled_from(["L", "PV", "Add", "Corr", "Rev"]),
        st.integers(1, 999),
    ),
    st.builds(lambda n, y: f"{n}({y})", st.integers(1, 2999), st.integers(1946, 2099)),
    st.builds(
        lambda n, r: f"{n}({r})", st.integers(1, 3500), st.sampled_from(["I", "III", "XXIII"])
    ),
)
symbols = st.builds(
    lambda series, comps, last: Symbol((series, *comps, last)),
    st.sampled_from(["A", "S", "E", "ST", "CS", "GA", "FCCC"]),
    st.lists(_component, max_size=4),
    _number,
)


@given(symbols)
def test_parse_format_identity(sym: Symbol) -> None:
    assert parse(format_symbol(sym)) == sym


@given(symbols, st.sampled_from([" / ", "/"]), st.booleans())
def test_normalise_idempotent(sym: Symbol, slash: str, lower_suffixes: bool) -> None:
    messy = slash.join(sym.components)
    if lower_suffixes:
        messy = messy.replace("Add.", "add.").replace("Corr.", "corr. ")
    once = normalise(messy)
    assert once == format_symbol(sym)
    assert normalise(once) == once
