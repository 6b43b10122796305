"""Minting IRIs. Every IRI the graph uses for instance data is made here, from canonical symbols
and authority keys, under a configurable base (default `https://w3id.org/unkg/`).

Shapes (see DESIGN.md, "Identifiers"):
  document        {base}doc/A/RES/69/12          (a content id: {base}doc/-/sha256-…)
  language version {base}doc/A/RES/69/12/fr
  paragraph       …/fr/pp/3  …/fr/op/3  …/fr/fn/1  …/fr/p/2  …/fr/hdr  …/fr/annex/2/pp/1
  parts           …/fr/citation/1  …/fr/mention/4  …/fr/link/2  …/fr/signature/1
  entity          {base}org/csto  {base}state/RUS  {base}person/vitaly-churkin  {base}post/…
  session         {base}session/A/69     agenda item {base}agenda/A/69/123g
  meeting         {base}meeting/A/69/PV.48   (Security Council: {base}meeting/S/PV.5282)
  named graph     {base}graph/doc/A/RES/69/12/fr, {base}graph/catalogue/A/C.3/78/L.4,
                  {base}graph/authority, {base}graph/ontology, {base}graph/provenance
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from unkg.ontology import DEFAULT_BASE

# Characters kept as they are in IRI paths; symbols use / ( ) . - and digits/letters only.
_SAFE = "/()-.,_~!$&'*+;=:@"
_PARA_ID = re.compile(r"^(?:ANNEX(\d+)/)?(PP|OP|FN|P)(\d+)$|^(?:ANNEX(\d+)/)?(HDR|SIG|TITLE)$")
_ORGAN_CODES = {
    "org/general-assembly": "A",
    "org/security-council": "S",
    "org/ecosoc": "E",
}


def _base(base: str | None) -> str:
    base = base or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


# Documents and entities are named again and again (every citation, mention and link of every
# document): their IRIs are kept, not quoted each time.
@lru_cache(maxsize=65536)
def doc_iri(symbol: str, *, base: str | None = None) -> str:
    """IRI of a document (the work) from its canonical symbol."""
    return f"{_base(base)}doc/{quote(symbol, safe=_SAFE)}"


def content_doc_iri(content_id: str, *, base: str | None = None) -> str:
    """IRI of a document whose symbol is unknown, from its content id (`sha256-…`)."""
    return f"{_base(base)}doc/-/{quote(content_id, safe=_SAFE)}"


def expression_iri(document_iri: str, language: str) -> str:
    """IRI of a language version of a document."""
    return f"{document_iri}/{language}"


@lru_cache(maxsize=4096)  # the same few ids (PP1, OP3, FN2 …) in every document
def paragraph_path(paragraph_id: str) -> str:
    """`PP3` → `pp/3`, `ANNEX2/OP1` → `annex/2/op/1`, `HDR` → `hdr`."""
    m = _PARA_ID.match(paragraph_id)
    if not m:
        raise ValueError(f"not a paragraph id: {paragraph_id!r}")
    if m.group(2):
        annex, kind, number = m.group(1), m.group(2), m.group(3)
        tail = f"{kind.lower()}/{int(number)}"
    else:
        annex, tail = m.group(4), m.group(5).lower()
    return f"annex/{int(annex)}/{tail}" if annex else tail


def paragraph_iri(expression: str, paragraph_id: str, *, section: int | None = None) -> str:
    """`…/fr/pp/3`; the n-th repeat of an id (lettered parts restart numbering):
    `…/fr/section/2/pp/3`."""
    if section is not None:
        return f"{expression}/section/{int(section)}/{paragraph_path(paragraph_id)}"
    return f"{expression}/{paragraph_path(paragraph_id)}"


def part_iri(expression: str, kind: str, number: int) -> str:
    """Citation, mention, link or signature node of a language version: …/fr/citation/1."""
    return f"{expression}/{kind}/{number}"


@lru_cache(maxsize=65536)
def entity_iri(key: str, *, base: str | None = None) -> str:
    """IRI of an authority entity from its key: `org/csto`, `state/RUS`, `person/…`, `post/…`.

    A key that is already an absolute IRI is returned unchanged.
    """
    if "://" in key:
        return key
    return f"{_base(base)}{quote(key, safe=_SAFE)}"


def organ_code(organ_key: str | None) -> str | None:
    """Symbol series letter of a principal organ: org/general-assembly → A."""
    return _ORGAN_CODES.get(organ_key or "")


def session_iri(organ: str, session: str, *, base: str | None = None) -> str:
    """`session_iri("A", "69")` → {base}session/A/69."""
    return f"{_base(base)}session/{organ}/{quote(session, safe=_SAFE)}"


def agenda_item_iri(organ: str, session: str, item: str, *, base: str | None = None) -> str:
    """`agenda_item_iri("A", "69", "123g")` → {base}agenda/A/69/123g."""
    return f"{_base(base)}agenda/{organ}/{quote(session, safe=_SAFE)}/{quote(item, safe=_SAFE)}"


def meeting_iri(organ: str, session: str | None, number: int, *, base: str | None = None) -> str:
    """GA plenary: {base}meeting/A/69/PV.48; Security Council: {base}meeting/S/PV.5282."""
    middle = f"{quote(session, safe=_SAFE)}/" if session else ""
    return f"{_base(base)}meeting/{organ}/{middle}PV.{number}"


def graph_iri(kind: str, key: str = "", *, base: str | None = None) -> str:
    """Named graph IRI: `graph_iri("doc", "A/RES/69/12/fr")`, `graph_iri("authority")`."""
    tail = f"/{quote(key, safe=_SAFE)}" if key else ""
    return f"{_base(base)}graph/{kind}{tail}"


# --- Akoma Ntoso (AKN4UN) names --------------------------------------------------------------
# AKN4UN names a document by its FRBR Work IRI: /akn/un/{type}/{author}/{date}/{number}, e.g.
# /akn/un/statement/deliberation/un-ga/2014-11-20/69-12 (see docs/akn.md for the sources).
# These IRIs are relative by convention (a resolver supplies the host), so the graph keeps them
# as xsd:anyURI literals.
_AKN_AUTHORS = {"A": "un-ga", "S": "un-sc", "E": "un-ecosoc"}
_AKN_STATEMENTS = frozenset({"resolution", "decision"})
_AKN_NUMBERED = re.compile(r"^[ASE]/(?:RES|DEC)/(.+)$")
_SYMBOL_YEAR = re.compile(r"(?:\((\d{4})\)|/(\d{4})/)")


def akn_work_iri(symbol: str | None, doc_type: str | None, organ: str | None,
                 date: str | None, *, content_id: str | None = None) -> str:
    """The AKN4UN FRBR Work IRI of a document.

    Resolutions and decisions are `statement/deliberation`, other documents `doc/{type}`; the
    author is the principal organ (`un-ga`, `un-sc`, `un-ecosoc`, else `un`); the date is the
    document's date (else the year its symbol carries, else `nd`); the number is the symbol
    without the series a resolution's type and author already say (`A/RES/69/12` → `69-12`),
    with `/` and brackets as `-` (`S/RES/1631(2005)` → `1631-2005`), or the content id.
    """
    series = organ_code(organ) or (symbol.split("/", 1)[0] if symbol else None)
    author = _AKN_AUTHORS.get(series or "", "un")
    kind = "statement/deliberation" if doc_type in _AKN_STATEMENTS else f"doc/{doc_type or 'other'}"
    if symbol:
        m = _AKN_NUMBERED.match(symbol)
        number = m.group(1) if m and doc_type in _AKN_STATEMENTS else symbol
        number = re.sub(r"[/(]+", "-", number).replace(")", "").replace(" ", "")
    else:
        number = content_id or "nn"
    if not date and symbol:
        year = _SYMBOL_YEAR.search(symbol)
        date = (year.group(1) or year.group(2)) if year else None
    return f"/akn/un/{kind}/{author}/{date or 'nd'}/{quote(number, safe=_SAFE)}"


def akn_expression_iri(work: str, language: str | None) -> str:
    """`{work}/fra@`: the original version of a language expression (AKN naming convention)."""
    return f"{work}/{language or 'und'}@"
