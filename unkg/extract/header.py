"""The header of a UN text: where it ends, and what it says (organ, type, dates, distribution,
original language, session, agenda items and their titles, the adoption note and draft, the
resolution number and title).
"""

from __future__ import annotations

import re

from unkg.extract import dates
from unkg.extract.layout import FORMULA, SEPARATOR, Structure, squeeze
from unkg.extract.symbols import SYMBOL_IN_TEXT

_RES_NUMBER_TITLE = re.compile(r"^(?P<num>(?:ES-|S-)?\d{1,4}/\d{1,4})\.?(?:\s+(?P<title>\S.*))?$")
_BASIS = re.compile(
    r"\[(?P<basis>[^\[\]]*?(?:sans renvoi à une grande "
    r"commission|without reference to a Main Committee|"
    r"on the report of|sur (?:la base du )?rapport|sin remisión a una Comisión Principal|"
    r"sobre la base del informe)[^\[\]]*)\]|^Rapport\s*:\s*(?P<report>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_ADOPTED = re.compile(
    r"(?:Résolution adoptée par|Resolution adopted by|"
    r"Resolución aprobada por)\s+(?:l['’]|the |la |el )?"
    r"(?P<organ>[^\n]*?)\s+(?:le|on|el)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+(?:de\s+)?\d{4})",
    re.IGNORECASE,
)
_DISTR = re.compile(
    r"Distr\.?\s*:?\s*(?P<kind>générale|general|limitée|limited|restreinte|restricted|"
    r"general|limitada|reservada)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+\d{4})",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(r"Original\s*:\s*(?P<lang>\w+)", re.IGNORECASE)
_AGENDA = re.compile(
    r"(?:Point|Points|Agenda items?|Tema)\s+(?P<items>\d{1,3}(?:\s*,?\s*\(?[a-z]{1,2}\)?)?"
    r"(?:\s*(?:,|and|et|y)\s*\d{1,3}(?:\s*\(?[a-z]\)?)?)*)(?:,?\s*(?:de "
    r"l['’]ordre du jour|del programa))?",
)
# "Soixante-quatrième session", "Sixty-ninth session", "Tenth emergency special session",
# "vingt-sixième session extraordinaire", "sexagésimo noveno período de sesiones",
# "шестьдесят четвертая сессия", "Fifty-Ninth General Assembly" (press releases)
_SESSION = re.compile(
    # only at the start of a word: tried inside a long run of letters, the ordinal words
    # backtracked through the whole run from each of its letters (quadratic; found by fuzzing)
    rf"(?<![A-Za-zÀ-ÿА-Яа-яёЁ])(?P<ord>{dates.ORDINAL_WORDS})\s+(?:"
    r"(?P<en_es>emergency\s+)?(?P<en_s>special\s+)?session\b"
    r"|session(?P<fr_s>\s+extraordinaire)?(?P<fr_es>\s+d['’]urgence)?\b"
    r"|período\s+(?P<es_s>extraordinario\s+)?de\s+sesiones(?P<es_es>\s+de\s+emergencia)?"
    r"|(?P<ru_es>чрезвычайн\w+\s+)?(?P<ru_s>специальн\w+\s+)?сесси[яиюей]"
    r"|General Assembly\b)",
    re.IGNORECASE,
)
_REQUESTED_ITEM = re.compile(
    r"Demande d['’]inscription d['’]une question|Request for the inclusion of an? "
    r"(?:supplementary |additional )?item|Solicitud de inclusión de un tema",
    re.IGNORECASE,
)
_AGENDA_TITLE_STOP = re.compile(
    r"^(?:Résolution adoptée|Resolution adopted|Resolución aprobada|\[|\d+/\d+\.|Distr|"
    r"Original|Date\b|Lettre|Letter|Note verbale|Demande|Request)"
    r"|:\s*(?:\*\s*)?(?:revised )?(?:draft|projet|proyecto)\b",
    re.IGNORECASE,
)
_LETTER_TITLE = re.compile(
    r"\b(?:Lettre|Letter|Note verbale|Carta|Lettre identique|Identical letters)\b.{0,80}?"
    r"(?:datée?s? du|dated|de fecha)\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+\d{4})",
    re.IGNORECASE,
)
_POST = re.compile(
    r"\b(?:par|from|por)\s+(?:le |la |the |el )?(?P<post>(?:Représentante?|Chargée? d['’]affaires|"
    r"Permanent Representative|Deputy Permanent Representative|Chargé d'affaires|Minister|Ministre|"
    r"Représentant permanent adjoint|Representante "
    r"Permanente?)[^\n]*?)\s*(?:,?\s*addressed\b|\*\*|$)",
    re.IGNORECASE,
)
_LANGUAGE_NAMES = {
    "russe": "ru",
    "russian": "ru",
    "anglais": "en",
    "english": "en",
    "français": "fr",
    "french": "fr",
    "espagnol": "es",
    "spanish": "es",
    "arabe": "ar",
    "arabic": "ar",
    "chinois": "zh",
    "chinese": "zh",
    "ruso": "ru",
    "inglés": "en",
    "francés": "fr",
}
_ORGANS = (
    (re.compile(r"Assemblée générale|General Assembly|Asamblea General"), "org/general-assembly"),
    (
        re.compile(r"Conseil de sécurité|Security Council|Consejo de Seguridad"),
        "org/security-council",
    ),
    (re.compile(r"Conseil économique et social|Economic and Social Council"), "org/ecosoc"),
)




def header_end(view: str, spans: list[tuple[int, int]]) -> int:
    """Where the header zone ends: at the opening formula ("The General Assembly,"), or at the
    first block of prose of 150 characters or more (letters, press releases, web pages)."""
    end = len(view)
    formula_line: int | None = None
    for i, (s, e) in enumerate(spans):
        if FORMULA.match(view[s:e].strip()):
            formula_line = i
            end = s
            break
    block_start, acc = None, []
    for s, e in [*spans, (len(view), len(view))]:
        line = view[s:e].strip()
        if formula_line is not None and s >= spans[formula_line][0]:
            line = ""  # a block never runs into the opening formula
        if line and not SEPARATOR.match(line):
            if block_start is None:
                block_start = s
            acc.append(line)
            if (
                len(line) >= 120
                and re.search(r"[.;:]$", line)
                and len(acc) > 1
                and not any(
                    FORMULA.match(view[a:b].strip()) for a, b in spans[: formula_line or 0]
                )
            ):
                end = min(end, s)
                break
            continue
        if block_start is not None:
            joined = " ".join(acc)
            is_heading = joined.startswith(("Lettre", "Letter", "Note verbale"))
            if len(joined) >= 150 and not is_heading and re.search(r"[.;:,»”]$", joined):
                end = min(end, block_start)
                break
        block_start, acc = None, []
    return end


def read_header(st: Structure, header: str, language: str | None) -> None:
    """Fill `st` from the header zone: organ, distribution, original language, agenda items and
    session, the adoption note, the resolution number and title, the document type and date."""
    flat = squeeze(header)
    _read_issue(st, header, flat)
    _read_agenda(st, header, flat)
    _read_adoption(st, header, flat)
    _read_resolution_title(st, header, flat)
    m = re.search(r"^Date\s*:\s*(.+)$", header, re.MULTILINE)
    if m and st.date is None:
        st.date = dates.parse_date(m.group(1))
    _read_letter(st, flat)
    _read_draft_type(st, flat)
    if st.title is None:
        st.title = _guess_title(header, st)
    if st.type == "letter" and st.title and not st.agenda_items and _REQUESTED_ITEM.search(flat):
        # a request for a new agenda item: its heading is the title of the item requested
        st.requested_agenda_item = st.title
    if st.date is None:
        st.date = st.distribution_date or dates.parse_date(flat)


def _read_issue(st: Structure, header: str, flat: str) -> None:
    """The issuing organ, the distribution (general, limited, restricted) and its date, and the
    original language."""
    for rx, key in _ORGANS:
        m = rx.search(header[:400])
        if m:
            st.organ = key
            break
    m = _DISTR.search(flat)
    if m:
        kind = m.group("kind").lower()
        st.distribution = (
            "general"
            if kind.startswith(("gén", "gen"))
            else "limited"
            if kind.startswith("limit")
            else "restricted"
        )
        st.distribution_date = dates.parse_date(m.group("date"))
    m = _ORIGINAL.search(flat)
    if m:
        st.original_language = _LANGUAGE_NAMES.get(m.group("lang").lower())


def _read_agenda(st: Structure, header: str, flat: str) -> None:
    """Agenda items ("Point 123 g)"), the session, and the title of a lone agenda item."""
    m = _AGENDA.search(flat)
    if m:
        for item in re.split(r"\s*(?:,|and|et|y)\s*(?=\d)", m.group("items")):
            norm = re.sub(r"[\s,()]", "", item)
            if norm:
                st.agenda_items.append(norm)
    st.session = _header_session(header)
    if len(st.agenda_items) == 1:
        item_title = _agenda_item_title(header)
        if item_title:
            st.agenda_item_titles[st.agenda_items[0]] = item_title


def _read_adoption(st: Structure, header: str, flat: str) -> None:
    """The adoption note ("[sans renvoi à une grande commission (A/69/L.13)]", "Rapport:
    A/52/L.20/Rev.1") and "Resolution adopted by … on <date>"."""
    m = _BASIS.search(header)
    if m:
        st.basis_span = (m.start(), m.end())
        st.basis_text = squeeze(m.group(0))
    m = _ADOPTED.search(flat)
    if m:
        st.type = "resolution"
        st.date = dates.parse_date(m.group("date"))


def _read_resolution_title(st: Structure, header: str, flat: str) -> None:
    """Resolution number and title: "69/12. Coopération …" (possibly on its own line)."""
    lines = [squeeze(x) for x in header.split("\n")]
    for idx, line in enumerate(lines):
        mm = _RES_NUMBER_TITLE.match(line)
        if mm and (st.type == "resolution" or re.search(r"Date\s*:", flat) or st.basis_text):
            st.resolution_number = mm.group("num")
            title_lines = [mm.group("title")] if mm.group("title") else []
            for nxt in lines[idx + 1 :]:
                if not nxt:
                    if title_lines:
                        break
                    continue
                if re.match(r"^(?:Date|Adoptée|Adopted|Séance|Rapport|Vote)\b", nxt):
                    break
                title_lines.append(nxt)
            st.title = squeeze(" ".join(title_lines)) or None
            if st.type == "other":
                st.type = "resolution"
            break


def _read_letter(st: Structure, flat: str) -> None:
    """Letters: "Lettre datée du 14 juillet 2009, adressée au … par le Représentant permanent
    …": the type, the date and the post of the signatory."""
    m = _LETTER_TITLE.search(flat)
    if m and st.type == "other":
        st.type = "letter"
        st.date = dates.parse_date(m.group("date"))
        letter = flat[m.start() :]
        pm = _POST.search(letter.split("**")[0])
        if pm:
            st.signatures.append(("", squeeze(pm.group("post")).rstrip(".,")))


def _read_draft_type(st: Structure, flat: str) -> None:
    """Drafts and amendments: "Argentina and Brazil: draft resolution", "…: amendment to draft
    resolution"."""
    if st.type != "other":
        return
    if re.search(r":\s*(?:amendments? to draft|amendements? au projet)", flat, re.I):
        st.type = "draftAmendment"
    elif re.search(r":\s*(?:revised )?(?:draft resolution|projet de résolution)", flat, re.I):
        st.type = "draftResolution"
    elif re.search(r":\s*(?:draft decision|projet de décision)", flat, re.I):
        st.type = "draftDecision"


def _session_number(match: re.Match[str]) -> str | None:
    """The session a `_SESSION` match names ("64", "ES-10", "S-26"), trying shorter word runs
    (the pattern may have taken "de la" before "soixante-quatrième")."""
    words = match.group("ord").split()
    for i in range(len(words)):
        value = dates.ordinal_value(" ".join(words[i:]))
        if value and value < 200:
            break
    else:
        return None
    groups = match.groupdict()
    if any(groups.get(k) for k in ("en_es", "fr_es", "es_es", "ru_es")):
        return f"ES-{value}"
    if any(groups.get(k) for k in ("en_s", "fr_s", "es_s", "ru_s")):
        return f"S-{value}"
    return str(value)


def _header_session(header: str) -> str | None:
    """Session number from the header: a line of its own first ("Sixty-ninth session"), else the
    first ordinal session the header names."""
    lines = [squeeze(x) for x in header.split("\n")]
    for line in lines:
        m = _SESSION.match(line)
        if m and m.end() >= len(line.rstrip(",. ")):
            number = _session_number(m)
            if number:
                return number
    for m in _SESSION.finditer(squeeze(header)):
        number = _session_number(m)
        if number:
            return number
    return None


def _agenda_item_title(header: str) -> str | None:
    """The title printed under "Agenda item 130 (t)" (lines up to the next blank line)."""
    lines = header.split("\n")
    for idx, raw in enumerate(lines):
        if not _AGENDA.match(squeeze(raw)):
            continue
        title: list[str] = []
        for nxt in lines[idx + 1 :]:
            line = squeeze(nxt)
            if not line or _AGENDA_TITLE_STOP.search(line) or SYMBOL_IN_TEXT.fullmatch(line):
                break
            title.append(line)
        return squeeze(" ".join(title)) or None
    return None


def _guess_title(header: str, st: Structure) -> str | None:
    """Title of a text without a resolution number: after a draft line, or the first heading."""
    blocks = [squeeze(b) for b in re.split(r"\n\s*\n", header) if squeeze(b)]
    for idx, blk in enumerate(blocks):
        if re.search(
            r":\s*(?:revised )?(?:draft resolution|draft decision|amendments? to|projet de)",
            blk,
            re.I,
        ):
            for nxt in blocks[idx + 1 :]:
                if not re.match(r"^\*", nxt):
                    return nxt
    noise = re.compile(
        r"^(?:United Nations|Nations Unies|General Assembly|Assemblée générale|Security Council|"
        r"Conseil de sécurité|Distr|Original|Français|English|Anglais|Haut de page|Date|"
        r"Agenda item|Point|\d|[A-Z]{1,6}/|[IVX]+\.|Soixante|Seventy|Eightieth|Sixtieth|Fiftieth|"
        r"Demande d)",
        re.I,
    )
    for blk in blocks:
        if noise.match(blk) or len(blk) < 12 or re.match(r"^(?:Lettre|Letter)", blk):
            continue
        if re.search(r"\b(?:session|Meetings?|Meeting)\b", blk) and len(blk) < 60:
            continue
        return blk
    return None
