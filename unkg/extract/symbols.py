"""UN document symbols: grammar, parsing, formatting, normalisation, running-text forms.

Canonical form = the UN Digital Library catalogue form without spaces: `A/RES/69/12`,
`S/RES/1631(2005)`, `A/69/L.13/Add.1`, `A/RES/217(III)`, `A/RES/ES-10/1`, `A/RES/S-26/2`.
A symbol is a sequence of slash-separated components; `parse(format(s)) == s` for every valid
`Symbol`, and `normalise` is idempotent (both property-tested).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unkg.errors import SymbolError

# One component of a symbol. Order matters (longest alternatives first).
#   ES-10, S-26 (special / emergency special sessions), AC.105, C.6, L.13, PV.48, Corr.1, Add.1,
#   Rev.1, 1631(2005), 217(III), RES, PRST, 2014, 560, CP.21 …
_COMPONENT = (
    r"(?:(?:ES|S)-\d{1,2}|[A-Za-z]{1,8}\.\d{1,5}|"
    r"\d{1,5}\((?:\d{4}|[IVXLC]{1,8})\)|[A-Z]{1,10}|\d{1,5})"
)
_COMPONENT_RE = re.compile(rf"^{_COMPONENT}$")
# A series prefix: the first component, capital letters (A, S, E, ST, CS, GA, FCCC, UNEP…).
_SERIES = r"[A-Z]{1,6}"
# A symbol as it appears in text, tolerant of spaces in `1631 (2005)` and `Corr. 1`.
_LOOSE_COMPONENT = (
    r"(?:(?:ES|S)-\d{1,2}|[A-Za-z]{1,8}\.\s?\d{1,5}"
    r"|\d{1,5}\s?\((?:\d{4}|[IVXLC]{1,8})\)|[A-Z]{1,10}|\d{1,5})"
)
# (The leading lookahead repeats what a symbol starts with: the regex engine then skips ahead to
# such places instead of trying the lookbehind at every character.)
SYMBOL_IN_TEXT = re.compile(
    rf"(?=[A-Z]{{1,6}}/)(?<![\w/.])(?P<symbol>{_SERIES}(?:/{_LOOSE_COMPONENT})+)(?![\w/]|\.\d)"
)
# Separators of a joint symbol: hyphen, en/em dash, or a lost separator (a space).
_JOINT_SPLIT = re.compile(rf"\s*[-–—]\s*(?={_SERIES}/)")

_SUFFIX_KINDS = ("Corr", "Add", "Rev", "Amend", "Summary")
_SUFFIX_CASE = {k.lower(): k for k in _SUFFIX_KINDS}


@dataclass(frozen=True, order=True)
class Symbol:
    """A parsed UN document symbol: its slash-separated components, canonical spelling."""

    components: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.components) < 2:
            raise SymbolError("a symbol has a series and at least one more component")
        if not re.fullmatch(_SERIES, self.components[0]):
            raise SymbolError(f"not a symbol series: {self.components[0]!r}")
        for comp in self.components[1:]:
            if not _COMPONENT_RE.match(comp):
                raise SymbolError(f"not a symbol component: {comp!r}")
        if not any(ch.isdigit() for comp in self.components for ch in comp):
            raise SymbolError("a symbol has a number in it")

    @property
    def series(self) -> str:
        return self.components[0]

    @property
    def base(self) -> Symbol:
        """The symbol without its Corr./Add./Rev. chain: A/50/141/Add.1 → A/50/141."""
        comps = list(self.components)
        while len(comps) > 2 and comps[-1].split(".")[0] in _SUFFIX_KINDS:
            comps.pop()
        return Symbol(tuple(comps))

    @property
    def suffixes(self) -> tuple[str, ...]:
        return self.components[len(self.base.components) :]

    def with_suffix(self, kind: str, number: int) -> Symbol:
        return Symbol((*self.components, f"{kind}.{number}"))

    def __str__(self) -> str:
        return format_symbol(self)


def format_symbol(symbol: Symbol) -> str:
    """The canonical spelling of a symbol."""
    return "/".join(symbol.components)


def _canonical_component(comp: str) -> str:
    comp = re.sub(r"\s+", "", comp)
    m = re.fullmatch(r"([A-Za-z]+)\.(\d+)", comp)
    if m and m.group(1).lower() in _SUFFIX_CASE:
        return f"{_SUFFIX_CASE[m.group(1).lower()]}.{int(m.group(2))}"
    if m:  # L.13, C.6, AC.105, PV.48: upper-case letters
        return f"{m.group(1).upper()}.{m.group(2)}"
    return comp.upper()  # RES, ES-10, 217(III)


def parse(text: str) -> Symbol:
    """Parse one symbol, tolerating spaces and case: `S/RES/1631 (2005)` → S/RES/1631(2005)."""
    raw = text.strip().rstrip(".,;")
    raw = re.sub(r"\s*/\s*", "/", raw)
    if not raw or "/" not in raw:
        raise SymbolError(f"not a UN document symbol: {text!r}")
    parts = raw.split("/")
    comps = [parts[0].upper(), *(_canonical_component(p) for p in parts[1:])]
    return Symbol(tuple(comps))


def parse_joint(text: str) -> list[Symbol]:
    """A joint symbol `A/69/228-S/2014/560` (or en dash, or a lost separator) → its symbols."""
    pieces = [p for p in _JOINT_SPLIT.split(text.strip()) if p]
    out: list[Symbol] = []
    for piece in pieces:
        for sub in piece.split():
            out.append(parse(sub) if "/" in sub else _fail(text))
    return out


def _fail(text: str) -> Symbol:
    raise SymbolError(f"not a UN document symbol: {text!r}")


def normalise(text: str) -> str:
    """Canonical spelling of a symbol given in any tolerated spelling (idempotent)."""
    return format_symbol(parse(text))


# --- running-text forms ------------------------------------------------------------------------

def resolution_symbol(
    number: str,
    *,
    session: str | None = None,
    year: str | None = None,
    roman: str | None = None,
    organ: str = "A",
    kind: str = "RES",
) -> str:
    """Symbol of a resolution or decision cited by number.

    `59/50` (session/number) → A/RES/59/50; `1631 (2005)` → S/RES/1631(2005);
    `217 A (III)` → A/RES/217(III); `2009/28` (ECOSOC: year/number) → E/RES/2009/28;
    `S-30/1` → A/RES/S-30/1; decisions: `71/556` → A/DEC/71/556.
    """
    if year is not None:
        return f"S/RES/{int(number)}({year})"
    if roman is not None:
        return f"A/{kind}/{int(number)}({roman})"
    assert session is not None
    if organ == "HRC":
        return f"A/HRC/{kind}/{session}/{int(number)}"
    if re.fullmatch(r"\d{4}", session) and int(session) >= 1946:
        return f"E/{kind}/{session}/{int(number)}"  # ECOSOC numbers resolutions by year
    return f"{organ}/{kind}/{session}/{int(number)}"
