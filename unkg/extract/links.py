"""Institutional links: the relations between organisations, bodies, officials and States that a
paragraph states (link types: `unkg/ontology/vocab/link-types.ttl`).

Each rule reads one sentence of a paragraph together with the entity mentions found in it
(`unkg.extract.entities`), in French and English UN phrasing:
- memberOf: "Les États membres de l'OTSC sont A, B …" / "The member States of X are A, B …";
- observerStatus: "X a le statut d'observateur auprès de l'Assemblée générale", "par laquelle elle
  a octroyé à X le statut d'observateur" (established by the resolution cited just before),
  "granted X observer status", "invite X to participate … in the capacity of observer";
- requestedCooperation: "Invite A, B et C à coopérer … avec X" / "Invites A to cooperate with X";
- consultation: "Invite le Secrétaire général … à tenir des consultations … avec X";
- memorandumOfUnderstanding: "mémorandum d'accord entre A et B" / "memorandum of understanding
  between A and B";
- reportRequested: "Prie le Secrétaire général de lui présenter … un rapport" (object: the organ
  that speaks, unless the text names one);
- agendaInclusion: "Décide d'inscrire à l'ordre du jour … « Coopération entre l'ONU et X »";
- onBehalfOf: "au nom des Représentants permanents de A, B …", "speaking on behalf of X".
Subject and object are entity keys; a phrase that names no entity on either side yields no link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from unkg.extract.entities import fold, gazetteer
from unkg.model import Document, Link, Mention, Paragraph

# Organs and the Organization itself: they grant, request and decide; they are not the subject of
# an observer status or of a request to cooperate stated by themselves.
_SPEAKERS = {"org/general-assembly", "org/security-council", "org/ecosoc", "org/united-nations",
             "org/human-rights-council"}
_UN_FAMILY = _SPEAKERS | {"org/un-system", "org/un-secretariat"}

# Folded (lower case, no accents) trigger patterns.
# Only where a sentence ends is read: a match consumes the punctuation (a first character the
# engine can skip to; a lookbehind would be tried at every character).
_SENTENCE_END = re.compile(r"[.;:]\s+(?=[A-ZÀ-Ý«\"“(0-9])|;\s*")
_REQUEST_VERB = re.compile(
    r"\b(?:invite|invites|invited|inviting|engage|engages|a engage|encourage|encourages|encouraged|"
    r"prie|prient|requests|requested|request|demande|demandes|a demande|calls upon|called upon|"
    r"urges|urged|exhorte|appelle|recommande|recommends)\b")
_COOPERATE = re.compile(
    r"\b(?:cooperer|coopere|collaborer|travailler en (?:etroite )?cooperation|"
    r"renforcer (?:encore )?(?:leur|la|sa) cooperation|developper (?:des contacts|la cooperation)|"
    r"cooperate|collaborate|work (?:closely )?(?:together|in (?:closer )?cooperation)|"
    r"(?:strengthen|enhance|intensify|expand) (?:further )?(?:their |its )?cooperation|"
    r"continue (?:their|its) (?:cooperation|interaction))\b")
_WITH = re.compile(r"\b(?:avec|with)\b")
_CONSULT = re.compile(r"\bconsultations?\b")
_BETWEEN = re.compile(r"\b(?:entre|between)\b")
_AND = re.compile(r"\b(?:et|and)\b")
_MOU = re.compile(r"\b(?:memorandums? d.accord|memorand(?:um|a|ums) of understanding)\b")
_REPORT = re.compile(r"\b(?:rapport|report|rendre compte|faire rapport)\b")
_TO_ORGAN = re.compile(r"\b(?:a l.|au|to the|to)\s*$")
_AGENDA = re.compile(
    r"\b(?:decide|decides|a decide|decided)\b.{0,40}?\b(?:d.inscrire|to include)\b.{0,60}?"
    r"\b(?:ordre du jour|agenda)\b")
_OBSERVER = re.compile(
    r"\b(?:statut d.observateur|qualite d.observateur|observer status|status of observer|"
    r"capacity of (?:an )?observer|capacite d.observateur)\b")
_AUPRES = re.compile(r"\b(?:aupres d|in the|in|with the|dans)\b")
_MEMBERS_OF = re.compile(r"\b(?:etats|pays) membres (?:de|du|des)\b|\bmembres de\b|"
                         r"\b(?:member states|states members|members) of\b")
_ARE = re.compile(r"\b(?:sont|are|comprennent|comprise|include|includes)\b|:")
_BEHALF = re.compile(r"\b(?:au nom (?:de|du|des)|on behalf of)\b")
_THIS_ORG = re.compile(
    r"\b(?:cette organisation|this organization|that organization|ladite organisation)\b")
# Text between two items of a list: ", ", " et ", ", and the ", "de la " …
_LIST_GAP = re.compile(r"^[\s,]*(?:(?:et|and|ainsi que)\s+)?(?:(?:de la|de l|du|des|de|d|the|la|"
                       r"le|l|representants? permanents? de(?: la| l)?)\s*)?\W*$")
_COMPLEMENT = re.compile(r"\b(?:de la|de l|du|des|de|d|of the|of)\W*$")
_GA_RESOLUTION = re.compile(r"\bresolution\s+(\d{1,2})/(\d{1,3})\b")
# Every rule starts from one of these triggers: a sentence with none of them (most) is read once,
# not once per rule.
_ANY_TRIGGER = re.compile("|".join(f"(?:{rx.pattern})" for rx in (
    _MEMBERS_OF, _OBSERVER, _REQUEST_VERB, _CONSULT, _MOU, _AGENDA, _BEHALF)))


@dataclass
class _Sentence:
    paragraph: Paragraph
    start: int  # offsets in the source text
    end: int
    text: str  # as written
    folded: str  # same length as text
    mentions: list[Mention]  # in order; offsets in the source text

    def rel(self, mention: Mention) -> int:
        return mention.start - self.start

    def after(self, pos: int, end: int | None = None) -> list[Mention]:
        limit = len(self.text) if end is None else end
        return [m for m in self.mentions if pos <= self.rel(m) < limit]

    def before(self, pos: int) -> list[Mention]:
        return [m for m in self.mentions if self.rel(m) < pos]

    def is_complement(self, mention: Mention) -> bool:
        """A name governed by "de"/"of" ("les entités de l'ONU") is a complement, not a head."""
        at = self.rel(mention)
        return bool(_COMPLEMENT.search(self.folded[max(0, at - 8):at]))


def _sentences(doc: Document, paragraph: Paragraph, mentions: list[Mention]) -> Iterator[_Sentence]:
    """The sentences of a paragraph that hold at least one of its mentions, in order."""
    if doc.text is not None:
        raw, base = doc.text[paragraph.start:paragraph.end], paragraph.start
    else:
        raw, base = paragraph.text, paragraph.start
    cut = 0
    for boundary in [*(m.end() for m in _SENTENCE_END.finditer(raw)), len(raw)]:
        if boundary <= cut:
            continue
        start, end = base + cut, base + boundary
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        cut = boundary
        if not inside:
            continue  # every rule needs a name in the sentence: nothing to read here
        text = raw[start - base : end - base]
        yield _Sentence(paragraph, start, end, text, fold(text), inside)


def _label(key: str, mentions: list[Mention]) -> str:
    entity = gazetteer().entities.get(key)
    if entity:
        return entity.label
    return next((m.label for m in mentions if m.entity == key), key)


def find_links(doc: Document) -> list[Link]:
    """The institutional links stated by the paragraphs of `doc` (uses `doc.mentions`)."""
    organ = doc.organ or "org/general-assembly"
    by_paragraph: dict[str, list[Mention]] = {}
    for mention in doc.mentions:
        by_paragraph.setdefault(mention.paragraph, []).append(mention)
    links: list[Link] = []
    seen: set[tuple[str, str, str, str]] = set()

    def add(kind: str, subject: str, obj: str, sentence: _Sentence,
            document: str | None = None) -> None:
        if subject == obj or (kind, subject, obj, sentence.paragraph.id) in seen:
            return
        seen.add((kind, subject, obj, sentence.paragraph.id))
        links.append(Link(type=kind, subject=subject, object=obj,
                          subject_label=_label(subject, doc.mentions),
                          object_label=_label(obj, doc.mentions),
                          paragraph=sentence.paragraph.id, text=" ".join(sentence.text.split()),
                          start=sentence.start, end=sentence.end, document=document))

    sender = _letter_sender(doc)
    for paragraph in doc.paragraphs:
        mentions = by_paragraph.get(paragraph.id, [])
        if not mentions:
            continue
        previous: list[Mention] = []
        for sentence in _sentences(doc, paragraph, mentions):
            if not _ANY_TRIGGER.search(sentence.folded):
                previous.extend(sentence.mentions)
                continue
            _membership(sentence, add)
            _observer(doc, sentence, organ, add)
            _cooperation(sentence, previous, add)
            _consultation(sentence, previous, add)
            _memorandum(sentence, add)
            _report(sentence, organ, add)
            _agenda(sentence, organ, add)
            _behalf(doc, sentence, sender, add)
            previous.extend(sentence.mentions)
    return links


def _membership(s: _Sentence, add) -> None:
    for trigger in _MEMBERS_OF.finditer(s.folded):
        heads = [m for m in s.after(trigger.end(), trigger.end() + 12) if m.kind != "state"]
        if not heads:
            continue
        group = heads[0]
        verb = _ARE.search(s.folded, s.rel(group) + group.end - group.start)
        if not verb:
            continue
        for member in _list_from(s, verb.end()):
            if member.kind == "state":
                add("memberOf", member.entity, group.entity, s)


def _list_from(s: _Sentence, pos: int) -> list[Mention]:
    """Mentions forming a list starting at `pos`: "la République d'Arménie, la République du …"."""
    items: list[Mention] = []
    cursor = pos
    for mention in s.after(pos):
        gap = s.folded[cursor:s.rel(mention)]
        if items and not _LIST_GAP.match(gap):
            break
        if not items and len(gap.strip()) > 40:
            break
        items.append(mention)
        cursor = s.rel(mention) + (mention.end - mention.start)
    return items


def _observer(doc: Document, s: _Sentence, organ: str, add) -> None:
    trigger = _OBSERVER.search(s.folded)
    if not trigger:
        return
    candidates = [m for m in s.mentions if m.kind in ("organization", "body")
                  and m.entity not in _UN_FAMILY and not s.is_complement(m)]
    if not candidates:
        return
    subject = min(candidates, key=lambda m: abs(s.rel(m) - trigger.start()))
    target = organ
    tail = s.folded[trigger.end():trigger.end() + 40]
    if _AUPRES.match(tail.strip()) or tail.strip().startswith(("aupres", "in ", "with ", "dans ")):
        organs = [m for m in s.after(trigger.end(), trigger.end() + 60) if m.entity in _SPEAKERS]
        if organs:
            target = organs[0].entity
    add("observerStatus", subject.entity, target, s, _granting_resolution(doc, s, trigger.start()))


def _granting_resolution(doc: Document, s: _Sentence, pos: int) -> str | None:
    """The resolution cited just before the phrase ("sa résolution 59/50 …, par laquelle …")."""
    cited = [c for c in doc.citations
             if c.paragraph == s.paragraph.id and s.start <= c.start < s.start + pos]
    if cited:
        return max(cited, key=lambda c: c.start).target
    found = list(_GA_RESOLUTION.finditer(s.folded[:pos]))
    return f"A/RES/{found[-1].group(1)}/{found[-1].group(2)}" if found else None


def _cooperation(s: _Sentence, previous: list[Mention], add) -> None:
    for verb in _REQUEST_VERB.finditer(s.folded):
        coop = _COOPERATE.search(s.folded, verb.end())
        if not coop:
            continue
        if _REQUEST_VERB.search(s.folded, verb.end(), coop.start()):
            continue  # the next verb is the one that asks for cooperation
        subjects = [m for m in s.after(verb.end(), coop.start()) if not s.is_complement(m)]
        with_ = _WITH.search(s.folded, coop.end())
        objects = _list_from(s, with_.end()) if with_ and with_.start() - coop.end() < 120 else []
        objects = [m for m in objects if not s.is_complement(m)] or objects[:1]
        if not objects and with_:
            this = _THIS_ORG.search(s.folded, with_.end())
            ref = _antecedent(previous + s.before(with_.start()), subjects) if this else None
            objects = [ref] if ref else []
        if subjects and objects:
            for subject in subjects:
                for obj in objects:
                    add("requestedCooperation", subject.entity, obj.entity, s)
        elif len(subjects) >= 2:  # "Engage l'ONU et l'OTSC à continuer de coopérer"
            for other in subjects[1:]:
                add("requestedCooperation", subjects[0].entity, other.entity, s)
        return


def _antecedent(candidates: list[Mention], exclude: list[Mention]) -> Mention | None:
    """"cette organisation": the last organisation named that is not the UN family nor a subject."""
    skip = {m.entity for m in exclude} | _UN_FAMILY
    for mention in reversed(candidates):
        if mention.kind == "organization" and mention.entity not in skip:
            return mention
    return None


def _consultation(s: _Sentence, previous: list[Mention], add) -> None:
    for consult in _CONSULT.finditer(s.folded):
        verb = None
        for v in _REQUEST_VERB.finditer(s.folded[:consult.start()]):
            verb = v
        start = verb.end() if verb else 0
        subjects = [m for m in s.after(start, consult.start()) if not s.is_complement(m)]
        with_ = _WITH.search(s.folded, consult.end())
        if not subjects or not with_ or with_.start() - consult.end() > 120:
            continue
        objects = [m for m in _list_from(s, with_.end()) if not s.is_complement(m)][:1]
        if not objects:
            this = _THIS_ORG.search(s.folded, with_.end(), with_.end() + 30)
            ref = _antecedent(previous + s.before(with_.start()), subjects) if this else None
            objects = [ref] if ref else []
        for obj in objects:
            add("consultation", subjects[0].entity, obj.entity, s)
        return


def _memorandum(s: _Sentence, add) -> None:
    for mou in _MOU.finditer(s.folded):
        between = _BETWEEN.search(s.folded, mou.end(), mou.end() + 120)
        if not between:
            continue
        first = [m for m in s.after(between.end()) if not s.is_complement(m)]
        if not first:
            continue
        and_ = _AND.search(s.folded, s.rel(first[0]) + first[0].end - first[0].start)
        if not and_:
            continue
        second = [m for m in s.after(and_.end(), and_.end() + 30) if not s.is_complement(m)]
        if second:
            add("memorandumOfUnderstanding", first[0].entity, second[0].entity, s)


def _report(s: _Sentence, organ: str, add) -> None:
    for verb in _REQUEST_VERB.finditer(s.folded):
        if not verb.group(0).startswith(("prie", "request", "demande", "a demande")):
            continue
        report = _REPORT.search(s.folded, verb.end())
        if not report:
            continue
        officials = [m for m in s.after(verb.end(), report.start()) if m.kind == "official"]
        if not officials:
            continue
        target = organ
        for m in s.after(s.rel(officials[0]) + officials[0].end - officials[0].start):
            if m.entity in _SPEAKERS and _TO_ORGAN.search(s.folded[:s.rel(m)]):
                target = m.entity
                break
        add("reportRequested", officials[0].entity, target, s)
        return


def _agenda(s: _Sentence, organ: str, add) -> None:
    trigger = _AGENDA.search(s.folded)
    if not trigger:
        return
    topics = [m for m in s.after(trigger.end())
              if m.entity not in _UN_FAMILY and m.kind in ("organization", "body")]
    if topics:
        add("agendaInclusion", organ, topics[-1].entity, s)


def _behalf(doc: Document, s: _Sentence, sender: str | None, add) -> None:
    for trigger in _BEHALF.finditer(s.folded):
        principals = [m for m in _list_from(s, trigger.end())
                      if m.kind in ("state", "organization")]
        if not principals:
            continue
        before = [m for m in s.before(trigger.start()) if m.kind == "state"]
        agent = before[-1].entity if before else sender
        if agent is None:
            continue
        for principal in principals:
            add("onBehalfOf", agent, principal.entity, s)
        if agent == sender:
            for signatory in doc.signatories:
                for principal in principals:
                    if principal.entity not in signatory.on_behalf_of and principal.entity != agent:
                        signatory.on_behalf_of.append(principal.entity)


def _letter_sender(doc: Document) -> str | None:
    """The State whose representative signs the letter ("Représentant permanent de la Fédération
    de Russie"), read from the signatory's post or else from the header and title."""
    from unkg.extract.entities import _match_paragraph  # the gazetteer scan, on a bare string

    texts = [s.post for s in doc.signatories if s.post] + [p.text for p in doc.paragraphs
                                                            if p.kind == "header"]
    for text in texts:
        marker = re.search(r"(?i)repr[ée]sentante? permanente?|permanent representative|"
                           r"chargée? d'affaires", text)
        if not marker:
            continue
        scratch = Paragraph(id="HDR", kind="header", text=text[marker.end():marker.end() + 120],
                            start=0, end=0, line=1)
        states = [m for m in _match_paragraph(gazetteer(), scratch, []) if m.kind == "state"]
        if states:
            return states[0].entity
    return None
