"""Institutional links: the relations between organisations, bodies, officials and States that
a paragraph states (link types and their trigger words: `unkg/ontology/vocab/link-types.ttl`).

Each paragraph is read on its cleaned text (`unkg.extract.link_context`: local mentions plus the
parties per-document coreference names), one sentence at a time:
- the cooperation family (cooperation, requestedCooperation, consultation,
  memorandumOfUnderstanding) by the clause grammar of `unkg.extract.link_grammar`;
- memberOf: "Les États membres de l'OTSC sont A, B …" / "The member States of X are A, B …";
- observerStatus: "X a le statut d'observateur auprès de l'Assemblée générale", "granted X observer
  status" (`document` = the granting resolution cited just before), "invite X to participate … in
  the capacity of observer", an organisation's own "associate observers";
- reportRequested: "Requests the Secretary-General to submit … a report" (object: the organ named
  after "to", else the organ that speaks);
- agendaInclusion: "Decides to include in the provisional agenda … 'Cooperation between … X'";
- onBehalfOf: "au nom des Représentants permanents de A, B …", "speaking on behalf of X".
Subject and object are entity keys; a phrase that names no entity on either side yields no link.
Every link carries its paragraph, the source offsets and cleaned text of its stating fragment, and
the date of the stating document.
"""


from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from unkg.extract.entities import fold, gazetteer
from unkg.extract.link_context import ParagraphView, clean_fragment, paragraph_views
from unkg.extract.link_grammar import Clause, Found, clause_links
from unkg.extract.link_triggers import any_trigger, triggers
from unkg.model import Document, Link, Mention, Paragraph

# Organs and the Organization itself: they grant, request and decide; they are not the subject of
# an observer status or of a request to cooperate stated by themselves.
_SPEAKERS = {"org/general-assembly", "org/security-council", "org/ecosoc", "org/united-nations",
             "org/human-rights-council"}
_UN = "org/united-nations"
_UN_FAMILY = _SPEAKERS | {"org/un-system", "org/un-secretariat"}

# Function words of the rules below (their content words are the vocabulary's triggers).
_SENTENCE_END = re.compile(r"[.;:]\s+(?=[A-ZÀ-Ý«\"“(0-9*])|;\s*")
# A name governed by a common noun of the item's title ("the advisory opinion of the Court",
# "conflicts in the GUAM area") is not what the item is about; "Report of X", "Cooperation
# between … and X" are.
_OTHER_HEAD = re.compile(
    r"\b(?!report\b|rapport\b|cooperation\b)[a-z]+\s+(?:of|in|on)\s+(?:the\s+)?$")
_GRANTER = re.compile(r"\s*(?:to grant|decided to grant|granted|grants)\b")
_LETTERED = re.compile(r"(?:by|:)\s*\(a\)\s")
_REQUEST = re.compile(r"\b(?:requests?|requested|prie|a prie|demande|a demande|invites?|invited)\b")
_TO_ORGAN = re.compile(r"\b(?:a l.|au|to the|to)\s*$")
_DECIDES = re.compile(r"\b(?:decide|decides|a decide|decided|decidee?)\b|\ba ete inscrite\b|"
                      r"\bwas included\b|\bstanding item\b|\bl.inscription\b")
_AUPRES = re.compile(r"^\W*(?:aupres d|in the|in|with the|dans|of the|of)\b")
_OWN_OBSERVERS = re.compile(r"\b(?:associate|consultative|associes?|consultatifs?)\b")
_ARE = re.compile(r"\b(?:sont|are|comprennent|comprise|include|includes)\b|:")
_LIST_GAP = re.compile(r"^[\s,]*(?:(?:et|and|ainsi que)\s+)?(?:(?:de la|de l|du|des|de|d|the|la|"
                       r"le|l|representants? permanents? de(?: la| l)?)\s*)?\W*$")
_COMPLEMENT = re.compile(r"\b(?:de la|de l|du|des|de|d|of the|of)\W*$")
_GA_RESOLUTION = re.compile(r"\bresolution\s+(\d{1,2})/(\d{1,3})\b")
_SENDER = re.compile(r"(?i)repr[ée]sentante? permanente?|permanent representative|"
                     r"chargée? d'affaires")


@dataclass
class _Sentence:
    view: ParagraphView
    start: int  # local offsets in the paragraph's cleaned text
    end: int
    text: str
    folded: str
    mentions: list[Mention]  # local offsets
    language: str | None

    @property
    def paragraph(self) -> Paragraph:
        return self.view.paragraph

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

    def clause(self) -> Clause:
        shifted = [Mention(m.entity, m.label, m.kind, m.text, m.paragraph, m.start - self.start,
                           m.end - self.start) for m in self.mentions]
        return Clause(self.text, self.folded, shifted, self.language)


def _sentences(view: ParagraphView, language: str | None) -> list[_Sentence]:
    """The sentences of a paragraph that hold at least one of its mentions, in order."""
    raw = view.text
    out: list[_Sentence] = []
    cut = 0
    # lettered sub-paragraphs ("calls upon X: (a) to …; (b) …") share the opening verb: one clause
    ends = [] if _LETTERED.search(raw) else [m.end() for m in _SENTENCE_END.finditer(raw)]
    for boundary in [*ends, len(raw)]:
        if boundary <= cut:
            continue
        inside = [m for m in view.mentions if cut <= m.start and m.end <= boundary]
        if inside:
            text = raw[cut:boundary]
            out.append(_Sentence(view, cut, boundary, text, fold(text), inside, language))
        cut = boundary
    return out


def _label(key: str, mentions: list[Mention]) -> str:
    entity = gazetteer().entities.get(key)
    if entity:
        return entity.label
    return next((m.label for m in mentions if m.entity == key), key)


Add = Callable[..., None]


def find_links(doc: Document) -> list[Link]:
    """The institutional links stated by the paragraphs of `doc` (uses `doc.mentions`)."""
    organ = doc.organ or "org/general-assembly"
    links: list[Link] = []
    seen: set[tuple[str, str, str, str]] = set()

    def add(kind: str, subject: str, obj: str, sentence: _Sentence, document: str | None = None,
            span: tuple[int, int] | None = None) -> None:
        if subject == obj or (kind, subject, obj, sentence.paragraph.id) in seen:
            return
        seen.add((kind, subject, obj, sentence.paragraph.id))
        start, end = span or (0, len(sentence.text))
        view = sentence.view
        links.append(Link(type=kind, subject=subject, object=obj,
                          subject_label=_label(subject, doc.mentions),
                          object_label=_label(obj, doc.mentions),
                          paragraph=sentence.paragraph.id,
                          text=clean_fragment(sentence.text[start:end]),
                          start=view.to_source(sentence.start + start),
                          end=view.to_source(sentence.start + end - 1) + 1,
                          document=document, date=doc.date))

    sender = _letter_sender(doc)
    language = doc.language if doc.language in ("en", "fr") else None
    gate = any_trigger(language)
    for view in paragraph_views(doc):
        if not view.mentions or view.paragraph.kind == "header":  # titles state no link
            continue
        for sentence in _sentences(view, language):
            if not gate.search(sentence.folded):
                continue
            _read_sentence(doc, sentence, organ, sender, add)
    return links


def _read_sentence(doc: Document, s: _Sentence, organ: str, sender: str | None, add: Add) -> None:
    def emit(found: Found) -> None:
        add(found.type, found.subject.entity, found.object.entity, s,
            span=(found.start, found.end))

    clause_links(s.clause(), emit)
    _membership(s, add)
    _observer_status(doc, s, organ, add)
    _report(s, organ, add)
    _agenda(doc, s, organ, add)
    _behalf(doc, s, sender, add)


def _membership(s: _Sentence, add: Add) -> None:
    trigger_words = triggers("memberOf", s.language)
    if trigger_words is None:
        return
    for trigger in trigger_words.finditer(s.folded):
        heads = [m for m in s.after(trigger.end(), trigger.end() + 12) if m.kind != "state"]
        if not heads:
            continue
        group = heads[0]
        verb = _ARE.search(s.folded, s.rel(group) + group.end - group.start)
        if verb and verb.start() - (s.rel(group) + group.end - group.start) <= 30:
            members = [m for m in _list_from(s, verb.end()) if m.kind == "state"]
        elif "status" in trigger.group(0) or "statut" in trigger.group(0):
            # "to grant Belarus the status of a State member of X"
            members = [m for m in s.before(trigger.start()) if m.kind == "state"
                       and trigger.start() - s.rel(m) - len(m.text) < 12][-1:]
        else:
            continue
        for member in members:
            ends = (trigger.start(), trigger.end(), s.rel(member), s.rel(member) + len(member.text),
                    s.rel(group) + len(group.text))
            add("memberOf", member.entity, group.entity, s, span=(min(ends), max(ends)))


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


def _observer_status(doc: Document, s: _Sentence, organ: str, add: Add) -> None:
    pattern = triggers("observerStatus", s.language)
    trigger = pattern.search(s.folded) if pattern else None
    if not trigger:
        return
    if _OWN_OBSERVERS.search(trigger.group(0)):
        _own_observers(doc, s, trigger, add)
        return
    subject = _observer(s, trigger)
    if subject is None:
        return
    target = organ
    granter = [m for m in s.before(trigger.start()) if m.kind == "body"
               and _GRANTER.match(s.folded, s.rel(m) + len(m.text))]
    if granter:  # "the decision of the Committee to grant the status of observer to X"
        target = granter[-1].entity
    elif _AUPRES.match(s.folded[trigger.end():trigger.end() + 20]):
        organs = [m for m in s.after(trigger.end(), trigger.end() + 60) if m.entity in _SPEAKERS]
        if organs:
            target = organs[0].entity
    span = (min(s.rel(subject), trigger.start()),
            max(s.rel(subject) + len(subject.text), trigger.end()))
    add("observerStatus", subject.entity, target, s,
        _granting_resolution(doc, s, trigger.start()), span=span)


def _observer(s: _Sentence, trigger: re.Match[str]) -> Mention | None:
    """Who has the status: the name right after "status of observer to", else the nearest name
    before the phrase in its stretch of the sentence ("granted X observer status", "invited X to
    participate … in the capacity of observer")."""
    def party(m: Mention) -> bool:
        return m.kind in ("organization", "body", "state") and m.entity not in _UN_FAMILY

    if re.match(r"\s+(?:to|a|à)\s", s.text[trigger.end():trigger.end() + 4]):
        after = [m for m in s.after(trigger.end(), trigger.end() + 12) if party(m)]
        return after[0] if after else None
    before = [m for m in s.before(trigger.start()) if party(m) and not s.is_complement(m)
              and trigger.start() - s.rel(m) < 160]
    if before:
        return before[-1]
    after = [m for m in s.after(trigger.end(), trigger.end() + 40) if party(m)
             and not s.is_complement(m)]  # "observer status to the Community …"
    return after[0] if after else None


def _own_observers(doc: Document, s: _Sentence, trigger: re.Match[str], add: Add) -> None:
    """"the admission of A as a new associate observer and of B, C as consultative observers":
    each is an observer of the organisation the resolution is about."""
    from unkg.extract.link_context import title_organization

    host = title_organization(doc)
    if host is None:
        return
    for m in s.mentions:
        # a State in a longer unknown name ("Portuguese Football …", "… in Portugal") is no party
        modifier = re.match(r"\s+[A-Z]", s.text[s.rel(m) + len(m.text):]) or re.search(
            r"(?:\b(?:from|in|en)\s+(?:the\s+)?|[A-Z]\w+\s+(?:of|de|du)\s+(?:the\s+)?|[A-Z]\w+\s+"
            r"|\(\w+(?:\s+\w+)*\s+)$",
            s.text[:s.rel(m)])
        during = re.search(r"\b(?:meeting|session|summit|conference)\s+of\s+(?:the\s+)?$",
                           s.folded[:s.rel(m)])  # "during the meeting of the Council of …"
        organ = gazetteer().entities.get(m.entity)
        if organ is not None and organ.parent == host:
            continue  # the host's own organ ("during the Conference of Heads of State of X")
        if m.entity not in _UN_FAMILY and m.entity != host and not during \
                and not (m.kind == "state" and modifier):
            add("observerStatus", m.entity, host, s, span=(0, s.rel(m) + len(m.text)))


def _granting_resolution(doc: Document, s: _Sentence, pos: int) -> str | None:
    """The resolution cited just before the phrase ("sa résolution 59/50 …, par laquelle …")."""
    lo, hi = s.view.to_source(s.start), s.view.to_source(s.start + pos)
    cited = [c for c in doc.citations if c.paragraph == s.paragraph.id and lo <= c.start < hi]
    if cited:
        return max(cited, key=lambda c: c.start).target
    found = list(_GA_RESOLUTION.finditer(s.folded[:pos]))
    return f"A/RES/{found[-1].group(1)}/{found[-1].group(2)}" if found else None


def _report(s: _Sentence, organ: str, add: Add) -> None:
    report_words = triggers("reportRequested", s.language)
    if report_words is None:
        return
    for verb in _REQUEST.finditer(s.folded):
        if re.search(r"\bas\s+$", s.folded[max(0, verb.start() - 4):verb.start()]) or \
                s.folded.startswith(" by", verb.end()):
            continue  # "as requested by the Council, X will submit …": reported, not asked here
        report = report_words.search(s.folded, verb.end())
        if not report:
            continue
        reporters = [m for m in s.after(verb.end(), report.start())
                     if m.kind in ("official", "body", "organization") and m.entity not in _SPEAKERS
                     and not s.is_complement(m)]
        reporters = [m for m in reporters if m.kind == "official"] or reporters[:1]
        if not reporters:
            continue
        target = _report_target(s, reporters[0], organ)
        end = report.end()
        add("reportRequested", reporters[0].entity, target, s, span=(verb.start(), end))
        return


def _report_target(s: _Sentence, reporter: Mention, organ: str) -> str:
    """The organ named after "to": "to the Security Council" is the Council, "to the Sixth
    Committee" the Committee (not the General Assembly); none named: the organ that speaks."""
    after = s.rel(reporter) + len(reporter.text)
    for m in s.after(after):
        if _TO_ORGAN.search(s.folded[:s.rel(m)]):
            if m.entity in _SPEAKERS or m.kind == "body":
                return m.entity
    return organ


def _agenda(doc: Document, s: _Sentence, organ: str, add: Add) -> None:
    """"Decides to include in the provisional agenda … the sub-item entitled 'Cooperation between
    the United Nations and X'": the organ's agenda gets an item on X, the last organisation the
    quoted title names (a name running on, "African Union-United Nations Hybrid Operation", is
    another name). "Cette question a été inscrite …": the item the text is about."""
    pattern = triggers("agendaInclusion", s.language)
    trigger = pattern.search(s.folded) if pattern else None
    if not trigger or not _DECIDES.search(s.folded, 0, trigger.end() + 20):
        return
    host = next((m.entity for m in s.before(trigger.start()) if m.entity in _SPEAKERS), organ)
    if "standing item" in trigger.group(0):  # the Security Council's standing items
        host = next((m.entity for m in s.mentions if m.entity == "org/security-council"), "")
    title = _quoted(s.folded, trigger.end())
    topics = [m for m in s.after(*title) if m.entity not in _UN_FAMILY
              and m.kind in ("organization", "body") and not s.text[s.rel(m) + len(m.text):]
              .startswith(("-", "\u2011", "\u2013"))
              and not _OTHER_HEAD.search(s.text, 0, s.rel(m))] if title else []
    if not title and re.search(r"\b(?:question|item|point)\b", s.folded):
        from unkg.extract.link_context import title_organization

        partner = title_organization(doc)  # "this item": the one the text is about
        topics = [Mention(partner, partner, "organization", "", s.paragraph.id, s.start,
                          s.start)] if partner else []
    if topics and host:
        add("agendaInclusion", host, topics[-1].entity, s,
            span=(trigger.start(), max(trigger.end(), s.rel(topics[-1]) + len(topics[-1].text))))


def _quoted(folded: str, pos: int) -> tuple[int, int] | None:
    """The quoted title of the item after `pos`: the sub-item's where there is one ("under the
    item entitled 'A', the sub-item entitled 'B'" → B)."""
    sub = re.compile(r"sub-item|subsidiaire").search(folded, pos)
    start = sub.start() if sub else pos
    quote = re.compile(r"[“«\"]([^”»\"]{3,400})[”»\"]?")
    found = quote.search(folded, start)
    if found is None:  # "La question intitulée « … » a été inscrite": the title came first
        found = next(reversed(list(quote.finditer(folded, 0, pos))), None)
    return found.span(1) if found else None


def _behalf(doc: Document, s: _Sentence, sender: str | None, add: Add) -> None:
    pattern = triggers("onBehalfOf", s.language)
    for trigger in pattern.finditer(s.folded) if pattern else ():
        principals = [m for m in _list_from(s, trigger.end())
                      if m.kind in ("state", "organization")]
        if not principals:
            continue
        # the acting State is named right before ("The representative of Czechia, speaking on
        # behalf of …"); another name there is the agent ("UNHCR, on behalf of the UN"): no link
        near = [m for m in s.before(trigger.start())
                if trigger.start() - s.rel(m) - len(m.text) <= 3]
        if near and near[-1].kind != "state":
            continue
        before = [m for m in s.before(trigger.start()) if m.kind == "state"]
        agent = before[-1].entity if before else sender
        if agent is None:
            continue
        for principal in principals:
            add("onBehalfOf", agent, principal.entity, s,
                span=(trigger.start(), s.rel(principal) + len(principal.text)))
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
        marker = _SENDER.search(text)
        if not marker:
            continue
        scratch = Paragraph(id="HDR", kind="header", text=text[marker.end():marker.end() + 120],
                            start=0, end=0, line=1)
        states = [m for m in _match_paragraph(gazetteer(), scratch, []) if m.kind == "state"]
        if states:
            return states[0].entity
    return None
