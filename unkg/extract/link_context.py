"""What the link grammar reads: each paragraph's cleaned text with its mentions in local offsets,
plus the parties that per-document coreference names.

Coreference, inside one document:
- the organisation of the title ("Cooperation between the United Nations and the X"): "both
  organizations", "the two organizations", "les deux organisations" name the United Nations and X;
  "the two secretariats" / "les deux secrétariats" their secretariats (where the authority knows
  X's secretariat);
- a defined short form: "(hereinafter 'the Community')", "(ci-après dénommée « la Communauté »)";
- "the Organization" / "l'Organisation" alone: X when X's own name is an "Organization" (the
  resolutions on cooperation with such an organisation call it so), else the United Nations;
- "the Community", "the League", "the Commonwealth", "the Union" alone: X when its name holds
  that word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from unkg.extract.entities import _match_paragraph, _scoped_entity, fold, gazetteer
from unkg.model import Document, Mention, Paragraph

UN = "org/united-nations"
UN_SECRETARIAT = "org/un-secretariat"
UN_SYSTEM = "org/un-system"
_BOTH = re.compile(r"\b(?:both organi[sz]ations|the two organi[sz]ations|les deux organisations|"
                   r"the parties|ces deux organisations)\b")
_SECRETARIATS_OF = re.compile(r"\b(?:secretariats of|secretariats des?|secretariats de l')")
# "United Nations" used as a modifier ("United Nations designated officials", "United Nations
# cooperation with"): followed by a word that is no verb, preposition or conjunction
_UN_MODIFIER = re.compile(
    r"\s+(?!(?:and|or|to|in|at|for|with|on|of|has|have|is|are|was|were|will|shall|should|may|"
    r"can|could|would|must|as|by|from|through|under|since|that|which|who|itself|et|a|au|aux|de|du|"
    r"des|en|pour|avec|sur|dans|est|sont|a|ont|qui|que)\b)([a-z][a-z-]+(?:\s+system)?)")
_THIS_ORGANIZATION = re.compile(r"\b(?:this|that|the said|cette|ladite) organi[sz]ation\b")
_THAT_OF = re.compile(r"\b(?:that of|celui de|celle de)\s*(?:the\s+|l'|la\s+)?"
                      r"|\b(?:celui|celle) du\s+")
_THESE_TWO = re.compile(r"\b(?:these two|both|ces deux) (?:entities|bodies|entites|organes)\b")
# Groups of United Nations system entities ("the specialized agencies, funds and programmes of the
# United Nations system", "United Nations specialized agencies and other entities", "organismes
# des Nations Unies") name the entity United Nations system (LINKS.md).
_GROUP_NOUN = (r"(?:specialized |specialisees |relevant |competents |other |autres |and |et |"
               r",\s*)*(?:agencies|institutions|organizations|funds|programmes|bodies|organismes|"
               r"fonds|entities|organes)")
_GROUP_HEAD = (r"(?:specialized |relevant )?(?:agencies|institutions|funds|programmes|bodies|"
               r"entities|organs)")
_UN_GROUP = re.compile(
    rf"\b(?:the |les |relevant )*(?:specialized )?united nations {_GROUP_HEAD}"
    rf"(?:(?:,\s*|\s+){_GROUP_NOUN})*"
    rf"|\b{_GROUP_NOUN.replace('|entities', '')}(?:(?:,\s*|\s+){_GROUP_NOUN})*\s+"
    r"(?:of the|des|du systeme des)\s+(?:united nations(?: system)?|nations unies)\b")
_SECRETARIATS = re.compile(r"\b(?:both secretariats|the two secretariats|les deux secretariats|"
                           r"their (?:respective )?secretariats)\b")
_DEFINED = re.compile(r"\((?:hereinafter|ci-apres)[^)\"“«']{0,30}[\"“«']\s*(?:the |la |le |l')?"
                      r"([^\"”»']{2,40}?)\s*[\"”»']\s*\)")
_ORGANIZATION = re.compile(r"(?<![\w])(?:the|l')\s*organi[sz]ation(?!\s+(?:of|for|des|du|de)\b)"
                           r"(?![\w-])", re.IGNORECASE)
# "the Office", "the Commission" alone, capitalised: the body of that head this paragraph last named
# ("… the United Nations Office on Drugs and Crime …, the cooperation of the SCO and the Office")
_HEAD_ALONE = re.compile(
    r"(?<![\w])(?:[Tt]he\s+|[Ll]'|[Ll]a\s+|[Ll]e\s+)(Office|Commission|Department|Programme|Fund|"
    r"Agency|Centre|Institute|Département|Fonds|Agence|Centre|Institut)"
    r"(?!\s+(?:of|for|on|to|in|des|du|de|d'|pour|sur|chargée?)\b)(?![\w'’-])")  # not "the Office's"
_SHORT_HEADS = ("community", "league", "commonwealth", "union", "communaute", "ligue")
_MARKUP = re.compile(r"<[^>]{1,20}>|\*")


@dataclass
class ParagraphView:
    paragraph: Paragraph
    text: str  # the paragraph's cleaned text
    mentions: list[Mention]  # local offsets into `text`, coreference included, in order
    _local: list[int] = field(default_factory=list)  # token starts in `text`
    _source: list[int] = field(default_factory=list)  # the same tokens in the source text

    def to_source(self, local: int) -> int:
        """The source-text offset of local offset `local` (via the token that holds it)."""
        if not self._local:
            return self.paragraph.start + local
        i = max(0, bisect_right(self._local, local) - 1)
        return self._source[i] + (local - self._local[i])


def clean_fragment(text: str) -> str:
    """A stating fragment as a reader quotes it: markup (`*`, `<sup>5</sup>`) dropped, spaces
    joined (the paragraph text is already free of page headers, footers and job numbers)."""
    return " ".join(_MARKUP.sub("", re.sub(r"<sup>[^<]{0,6}</sup>", "", text)).split())


def _align(view: ParagraphView, source: str | None) -> None:
    p = view.paragraph
    if source is None or source[p.start:p.end] == view.text:
        return
    raw = source[p.start:p.end]
    cursor = 0
    for token in re.finditer(r"\S+", view.text):
        at = raw.find(token.group(0), cursor)
        if at < 0:
            continue
        view._local.append(token.start())
        view._source.append(p.start + at)
        cursor = at + len(token.group(0))


def _find_word(text: str, word: str, cursor: int) -> int:
    found = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)").search(text, cursor)
    return found.start() if found else -1


def _local_mentions(view: ParagraphView, mentions: list[Mention], source: str | None) -> None:
    """Copies of the paragraph's mentions with offsets local to the cleaned text."""
    p, text = view.paragraph, view.text
    same = source is None or source[p.start:p.end] == text
    cursor = 0
    for m in mentions:
        if same:
            start = m.start - p.start
        else:  # the cleaned text lost page furniture: find the name again, as a whole word
            start = _find_word(text, m.text, cursor)
            if start < 0:
                start = _find_word(text, m.text.split()[0], cursor) if m.text.split() else -1
                if start < 0:
                    continue
        end = start + len(m.text) if not same else m.end - p.start
        view.mentions.append(Mention(m.entity, m.label, m.kind, m.text, m.paragraph, start, end))
        cursor = end


def title_organization(doc: Document) -> str | None:
    """The organisation a title "Cooperation between the United Nations and the X" is about;
    for a text without a title (a web page, a press release), the organisation it names most
    (at least twice)."""
    title = doc.title or ""
    if not title:
        counts: dict[str, int] = {}
        for m in doc.mentions:
            if m.kind == "organization" and m.entity not in (UN, UN_SYSTEM, UN_SECRETARIAT):
                counts[m.entity] = counts.get(m.entity, 0) + 1
        best = max(counts, key=lambda k: counts[k], default=None)
        return best if best and counts[best] >= 2 else None
    if not re.search(r"(?i)cooperation|coopération", title):
        return None
    scratch = Paragraph(id="TITLE", kind="header", text=title, start=0, end=len(title), line=1)
    found = [m for m in _match_paragraph(gazetteer(), scratch, [])
             if m.kind == "organization" and m.entity != UN]
    return found[-1].entity if found else None


def _secretariat_of(key: str) -> str | None:
    """The secretariat of organisation `key`: the one the authority lists, else the organ entity
    recognition makes for "secretariat of X" (`vocab/org-titles.ttl`)."""
    gaz = gazetteer()
    parent = gaz.entities.get(key)
    titles = gaz.titles.get("secretariat", {}).get("", [])
    made = _scoped_entity(gaz, parent, titles) if parent and titles else None
    return made.key if made else None


def _synthetic(key: str, text: str, paragraph: str, start: int, end: int) -> Mention:
    entity = gazetteer().entities.get(key)
    label = entity.label if entity else key
    kind = entity.kind if entity else "organization"
    return Mention(key, label, kind, text, paragraph, start, end)


def _name_prefixes(view: ParagraphView) -> None:
    """"the secretariat of the United Nations Economic and Social Commission for Asia …": a name
    that runs straight into another name is the start of that name, not a party."""
    kept: list[Mention] = []
    if not view.mentions:
        return
    for m, nxt in zip(view.mentions, [*view.mentions[1:], None], strict=True):
        if nxt is not None and nxt.start > m.start and not view.text[m.end:nxt.start].strip() \
                and view.text[nxt.start:nxt.start + 1].isupper():
            continue
        if m.entity == UN and re.match(r" [A-Z][a-z]", view.text[m.end:m.end + 3]):
            continue  # "United Nations Liaison Office to …": a name the authority lacks
        if re.search(r"\b(?:of the|of|de|de la|du|des)\s*$|\bl'$", fold(m.text)):
            continue  # "secretariat of the" + a name the authority lacks
        modifier = _UN_MODIFIER.match(view.text, m.end)
        if m.entity == UN and modifier:
            if modifier.group(1).lower().startswith("development system"):
                kept.append(_synthetic(UN_SYSTEM, view.text[m.start:modifier.end()], m.paragraph,
                                       m.start, modifier.end()))
            continue  # "United Nations designated officials": the UN qualifies a noun
        kept.append(m)
    view.mentions = kept


def _groups(view: ParagraphView, folded: str) -> None:
    """A group of UN system entities becomes one mention of the United Nations system."""
    for m in _UN_GROUP.finditer(folded):
        inside = [x for x in view.mentions if m.start() <= x.start and x.end <= m.end()]
        if any(x.entity not in (UN, UN_SYSTEM) for x in inside):
            continue
        view.mentions = [x for x in view.mentions if x not in inside]
        view.mentions.append(_synthetic(UN_SYSTEM, view.text[m.start():m.end()],
                                        view.paragraph.id, m.start(), m.end()))
    view.mentions.sort(key=lambda x: (x.start, -x.end))


def _secretariats_of(view: ParagraphView, folded: str) -> None:
    """"the secretariats of the United Nations and the X": the secretariat of each (where the
    authority knows it), in place of the organisations."""
    for m in _SECRETARIATS_OF.finditer(folded):
        after = [x for x in view.mentions if x.start >= m.end()][:2]
        if len(after) < 2 or not re.fullmatch(r"\s*(?:the\s*)?", folded[m.end():after[0].start]) \
                or not re.fullmatch(r"\s*(?:and|et)\s+(?:the\s+|de\s+l'|du\s+|de la\s+)?",
                                    folded[after[0].end:after[1].start]):
            continue
        found = [UN_SECRETARIAT if x.entity == UN else _secretariat_of(x.entity) for x in after]
        keys = [k for k in found if k is not None]
        if len(keys) != len(found):
            continue
        first = _synthetic(keys[0], view.text[m.start():after[0].end], view.paragraph.id,
                           m.start(), after[0].end)  # "secretariats of the United Nations"
        second = _synthetic(keys[1], after[1].text, view.paragraph.id, after[1].start,
                            after[1].end)
        view.mentions = [x for x in view.mentions if x not in after] + [first, second]
    view.mentions.sort(key=lambda x: (x.start, -x.end))


def _that_of(view: ParagraphView, folded: str) -> list[Mention]:
    """"the Secretariat of A and that of B" / "celui de B": B's secretariat, when the authority
    knows it."""
    out: list[Mention] = []
    for m in _THAT_OF.finditer(folded):
        before = [x for x in view.mentions if x.end <= m.start()]
        after = [x for x in view.mentions if x.start >= m.end()]
        if not before or not after or after[0].start - m.end() > 2:
            continue
        if before[-1].entity not in (UN_SECRETARIAT,) and "secretariat" not in before[-1].entity:
            continue
        key = _secretariat_of(after[0].entity)
        if key:
            view.mentions.remove(after[0])
            out.append(_synthetic(key, folded[m.start():after[0].end], view.paragraph.id,
                                  m.start(), after[0].end))
    return out


def _these_two(view: ParagraphView, folded: str) -> list[Mention]:
    """"these two entities": the last two parties named before, in order."""
    out: list[Mention] = []
    for m in _THESE_TWO.finditer(folded):
        before: list[Mention] = []
        for x in reversed([x for x in view.mentions if x.end <= m.start()]):
            if all(x.entity != y.entity for y in before):
                before.insert(0, x)
            if len(before) == 2:
                break
        if len(before) == 2:
            out += [_synthetic(x.entity, m.group(0), view.paragraph.id, *m.span()) for x in before]
    return out


def _coreference(view: ParagraphView, partner: str | None, defined: dict[str, str]) -> None:
    folded = fold(view.text)
    pid = view.paragraph.id
    _name_prefixes(view)
    _groups(view, folded)
    _secretariats_of(view, folded)
    added: list[Mention] = _these_two(view, folded) + _that_of(view, folded)
    taken = [(m.start, m.end) for m in view.mentions]

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    for m in _THIS_ORGANIZATION.finditer(folded):
        before = [x for x in view.mentions if x.end <= m.start() and x.kind == "organization"
                  and x.entity not in (UN, UN_SYSTEM, UN_SECRETARIAT)]
        key = before[-1].entity if before else partner
        if key and free(*m.span()):
            added.append(_synthetic(key, m.group(0), pid, *m.span()))
    for m in _HEAD_ALONE.finditer(view.text):
        head = fold(m.group(1))
        bodies = [x for x in view.mentions if x.end <= m.start() and x.kind in ("body",
                  "organization") and re.search(rf"\b{head}\b", _english_label(x.entity)
                                                + " " + fold(x.text))]
        if bodies and free(*m.span()):
            added.append(_synthetic(bodies[-1].entity, m.group(0), pid, *m.span()))
    for m in _BOTH.finditer(folded):
        if not free(*m.span()):
            continue
        if partner:
            added += [_synthetic(k, m.group(0), pid, *m.span()) for k in (UN, partner)]
            continue
        named: list[str] = []  # no title: the last two organisations this paragraph named
        for x in reversed([x for x in view.mentions if x.end <= m.start()]):
            if x.kind == "organization" and x.entity not in named:
                named.insert(0, x.entity)
        if len(named) >= 2:
            added += [_synthetic(k, m.group(0), pid, *m.span()) for k in named[-2:]]
    if partner:
        secretariat = _secretariat_of(partner)
        for m in _SECRETARIATS.finditer(folded):
            if secretariat and free(*m.span()):
                added += [_synthetic(k, m.group(0), pid, *m.span())
                          for k in (UN_SECRETARIAT, secretariat)]
        name = fold(gazetteer().entities[partner].label) if partner in gazetteer().entities else ""
        for head in _SHORT_HEADS:
            if re.search(rf"\b{head}\b", name):
                defined.setdefault(head, partner)
    organization = partner if partner and "organization" in _english_label(partner) else UN
    for m in _ORGANIZATION.finditer(view.text):
        if free(*m.span()) and view.text[m.end() - 12] == "O":
            # "the leading role of UNESCO …, and encourages the Organization to …": an
            # Organization the paragraph just named, else the text's own, else the UN
            partner_slot = re.search(r"\b(?:with|avec|and|et|between|entre)\s*$",
                                     folded[:m.start()])  # "A to cooperate with the Organization"
            named = [] if partner_slot else [
                x.entity for x in view.mentions if x.end <= m.start()
                and _english_label(x.entity).endswith(("organization", "organisation"))]
            key = named[-1] if named else defined.get("organization", organization)
            added.append(_synthetic(key, m.group(0), pid, *m.span()))
    if partner:
        _short_form_owner(view, partner)
    for short, key in defined.items():
        if short == "organization":
            continue
        for m in re.finditer(rf"(?<![\w])(?:the|la|le|l')\s*{re.escape(short)}(?![\w])", folded):
            if free(*m.span()) and view.text[m.end() - len(short)].isupper():
                added.append(_synthetic(key, m.group(0), pid, *m.span()))
    view.mentions = sorted(view.mentions + added, key=lambda m: (m.start, -m.end))


def _short_form_owner(view: ParagraphView, partner: str) -> None:
    """"the Secretary-General of the Commonwealth" in a text about the Commonwealth of Independent
    States is the CIS's Secretary-General: a name ending in a head word of the partner's name
    ("Commonwealth", "Community", "League", "Union") belongs to the partner."""
    name = _english_label(partner)
    gaz = gazetteer()
    for i, m in enumerate(view.mentions):
        head = fold(m.text).split()[-1] if m.text.split() else ""
        entity = gaz.entities.get(m.entity)
        if head not in _SHORT_HEADS or not re.search(rf"\b{head}\b", name) or entity is None \
                or m.entity == partner or entity.parent == partner:
            continue
        title = fold(m.text).split(" of ")[0].split(" de ")[0]
        owner = next((e.key for e in gaz.entities.values() if e.parent == partner
                      and e.kind == entity.kind and fold(e.label).startswith(title)), None)
        if owner is None and entity.parent is None:
            owner = partner
        if owner:
            view.mentions[i] = _synthetic(owner, m.text, m.paragraph, m.start, m.end)


def _english_label(key: str) -> str:
    entity = gazetteer().entities.get(key)
    return fold(entity.label) if entity else ""


def _definitions(view: ParagraphView, defined: dict[str, str]) -> None:
    """"X (hereinafter 'the Community')": the short form names the mention just before it."""
    for m in _DEFINED.finditer(fold(view.text)):
        before = [x for x in view.mentions if x.end <= m.start()]
        if before:
            defined[m.group(1).strip()] = before[-1].entity


def paragraph_views(doc: Document) -> Iterator[ParagraphView]:
    """Each paragraph with its local mentions and the parties coreference names in it."""
    by_paragraph: dict[str, list[Mention]] = {}
    for mention in doc.mentions:
        by_paragraph.setdefault(mention.paragraph, []).append(mention)
    partner = title_organization(doc)
    defined: dict[str, str] = {}
    for paragraph in doc.paragraphs:
        view = ParagraphView(paragraph, paragraph.text, [])
        _align(view, doc.text)
        _local_mentions(view, by_paragraph.get(paragraph.id, []), doc.text)
        _definitions(view, defined)
        _coreference(view, partner, defined)
        yield view
