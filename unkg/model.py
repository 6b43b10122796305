"""The Document model: the seam between parsing (loaders) and graph building.

Plain dataclasses, no RDF. Loaders return `Document` objects; `unkg.graph.build` turns them into
triples. Vocabulary values (document types, paragraph kinds, citation functions, link types) are
the local names of SKOS concepts in `unkg/ontology/vocab/*.ttl` (lowerCamelCase). Entity references
are authority keys relative to the base IRI (`org/csto`, `state/RUS`, `person/vitaly-churkin`), so
the model does not depend on the configured base.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as _date

from anyascii import anyascii


@dataclass
class Paragraph:
    """One paragraph (or footnote, or header block) of a language version.

    `id` is the local paragraph identifier used everywhere else in the model and in the gold
    annotations: `PP3` (preambular 3), `OP3` (operative 3), `FN1` (footnote 1), `P2` (body
    paragraph 2 of a letter, memorandum or web page), `HDR` (document header), `SIG` (signature
    block); inside an annex it is prefixed: `ANNEX2/PP1`.
    """

    id: str
    kind: str  # vocab paragraph-kind: preambular | operative | footnote | body | header | signature
    text: str
    start: int  # character offsets of `text` in the source text (after decoding)
    end: int
    line: int  # 1-based line of the paragraph's first character in the source file
    number: int | None = None
    annex: int | None = None  # annex number when the paragraph sits in an annex
    opening: str | None = None  # introducing participle or verb as written ("Rappelant également")
    footnotes: list[str] = field(default_factory=list)  # footnote ids whose markers it carries


@dataclass
class Citation:
    """A reference from this document to another UN document."""

    target: str  # canonical symbol of the cited document (`S/RES/1631(2005)`)
    function: str  # vocab citation-function, e.g. recalls, welcomes, takesNoteOf
    paragraph: str  # id of the paragraph that makes the citation (the carrier, for footnotes)
    text: str  # surface text as written
    start: int  # offsets of `text` in the source text
    end: int
    footnote: str | None = None  # footnote id when the symbol is given in a footnote
    part: str | None = None  # cited part, e.g. "annex"
    implicit: bool = False  # cited without its symbol (by title or date)
    verb: str | None = None  # introducing verb as written


@dataclass
class Mention:
    """A mention of an organisation, body, official, state or person."""

    entity: str  # authority key relative to the base IRI: org/csto, state/KGZ, person/…
    label: str  # the entity's English name
    kind: str  # organization | body | official | state | person
    text: str  # surface text
    paragraph: str
    start: int
    end: int


@dataclass
class Link:
    """An institutional relation stated by a paragraph (subject and object are entity keys)."""

    type: str  # vocab link-type: memberOf, observerStatus, requestedCooperation, …
    subject: str
    object: str
    subject_label: str
    object_label: str
    paragraph: str
    text: str
    start: int
    end: int
    document: str | None = None  # a document the link is established by (e.g. granting resolution)
    date: str | None = None  # ISO date of the stating document


@dataclass
class Signatory:
    name: str
    entity: str  # person key, person/vitaly-churkin
    post: str | None = None  # as written, in the document's language
    on_behalf_of: list[str] = field(default_factory=list)  # entity keys (states)
    paragraph: str = "SIG"


@dataclass
class Meeting:
    number: int
    kind: str | None = "plenary"  # plenary | committee | council; None when the text is silent
    date: str | None = None  # ISO date
    text: str | None = None  # as written: "48e séance plénière"


@dataclass
class Relation:
    """A typed link between this document and another one, from a catalogue record."""

    type: str  # vocab relation: hasDraft, resultsIn, hasReport, hasMeetingRecord, hasPart …
    target: str  # canonical symbol


@dataclass
class Document:
    source: str  # file name (and `#n` for a record inside a multi-record file)
    loader: str  # name of the loader that produced it
    language: str | None  # BCP 47 language tag of the text: fr, en, es, ru, zh, ar
    symbols: list[str] = field(default_factory=list)  # canonical symbols; first is primary
    type: str = "other"  # vocab document-type
    organ: str | None = None  # entity key of the issuing organ, e.g. org/general-assembly
    title: str | None = None
    date: str | None = None  # ISO date: adoption date, letter date, issue date
    distribution_date: str | None = None
    distribution: str | None = None  # general | limited | restricted
    original_language: str | None = None
    session: str | None = None  # "69", "ES-10", "S-26"; with organ gives the session
    agenda_items: list[str] = field(default_factory=list)  # as normalised item numbers: "123g"
    agenda_item_titles: dict[str, str] = field(default_factory=dict)
    requested_agenda_item: str | None = None  # title of a new item a letter asks to include
    meeting: Meeting | None = None
    draft: str | None = None  # canonical symbol of the draft it was adopted from
    basis_text: str | None = None  # "[sans renvoi à une grande commission (A/69/L.13)]"
    paragraphs: list[Paragraph] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # catalogue subject headings
    content_id: str | None = None  # stable id from the text when no symbol is known
    checksum: str | None = None  # sha256 of the source bytes
    text: str | None = None  # the decoded source text the offsets refer to
    warnings: list[str] = field(default_factory=list)

    @property
    def symbol(self) -> str | None:
        return self.symbols[0] if self.symbols else None


def slug(text: str) -> str:
    """ASCII slug for person and organisation keys: "Vitaly Churkin" → "vitaly-churkin"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


# A name written only with Latin letters and single spaces or hyphens: its slug gives it back
# (but for case and the choice of space or hyphen), so the slug alone is the key.
_PLAIN_NAME = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")


def person_key(name: str) -> str:
    """`person/{slug}` for a person's name, one key per name (case, runs of white space, and a
    space for a hyphen aside): "Vitaly Churkin" → person/vitaly-churkin. Any other name (accents,
    another script, apostrophes) is transliterated to ASCII (anyascii) and gets "--" and 8 hex
    digits of the SHA-256 of its normalised form: "Сергей Лавров" → person/sergey-lavrov--…;
    a plain slug never holds "--", so the two kinds of key never meet."""
    canonical = " ".join(unicodedata.normalize("NFC", name).split())
    if _PLAIN_NAME.fullmatch(canonical):
        return f"person/{slug(canonical)}"
    digest = hashlib.sha256(canonical.casefold().encode("utf-8")).hexdigest()[:8]
    return f"person/{slug(anyascii(canonical))}--{digest}"


# --- the model boundary: values that would make ill-typed literals or bad IRIs ------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A well-formed BCP 47 language tag (RFC 5646, section 2.1; grandfathered tags aside), as RDF
# literals need: language, script, region, variants, extensions, private use.
_AN = "[A-Za-z0-9]"
_LANGUAGE_TAG = re.compile(
    r"(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language (+ extlang)
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_AN}{{5,8}}|[0-9]{_AN}{{3}}))*"  # variants
    rf"(?:-[0-9A-WY-Za-wy-z](?:-{_AN}{{2,8}})+)*"  # extensions
    rf"(?:-[xX](?:-{_AN}{{1,8}})+)?"  # private use
    rf"|[xX](?:-{_AN}{{1,8}})+)")


def is_iso_date(value: object) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2020-13-45 is not one)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        _date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and bool(_LANGUAGE_TAG.fullmatch(value))


def check_document(doc: Document) -> Document:
    """Drop (with a warning naming the source) every date that is not an ISO calendar date and
    every language tag that is not a BCP 47 tag, so that no ill-typed literal or invalid IRI is
    ever built from them. Idempotent; returns `doc`."""
    for name in ("date", "distribution_date"):
        value = getattr(doc, name)
        if value is not None and not is_iso_date(value):
            doc.warnings.append(f"{doc.source}: {name.replace('_', ' ')} {value!r} is not an "
                                "ISO date (YYYY-MM-DD); left out")
            setattr(doc, name, None)
    if doc.meeting is not None and doc.meeting.date is not None \
            and not is_iso_date(doc.meeting.date):
        doc.warnings.append(f"{doc.source}: meeting date {doc.meeting.date!r} is not an ISO "
                            "date (YYYY-MM-DD); left out")
        doc.meeting.date = None
    bad_link_dates = {ln.date for ln in doc.links if ln.date is not None
                      and not is_iso_date(ln.date)}
    for ln in doc.links:
        if ln.date in bad_link_dates:
            ln.date = None
    if bad_link_dates:
        doc.warnings.append(f"{doc.source}: link dates {sorted(bad_link_dates)!r} are not ISO "
                            "dates (YYYY-MM-DD); left out")
    for name in ("language", "original_language"):
        value = getattr(doc, name)
        if value is not None and not is_language_tag(value):
            doc.warnings.append(f"{doc.source}: {name.replace('_', ' ')} {value!r} is not a "
                                "language tag; left out")
            setattr(doc, name, None)
    return doc
