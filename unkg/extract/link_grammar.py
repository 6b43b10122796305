"""A small clause grammar of UN paragraphs for the cooperation family of links.

A clause states a link when it holds an *action* (a trigger word of `cooperation`, `consultation` or
`memorandumOfUnderstanding` in the link-type vocabulary: cooperate/cooperation, partnership,
relations, consultations, meetings, memorandum, agreement …) and its *partner* structure names two
parties:
- "between A and B[, C …]" (also "among", "entre"): A with each of the others;
- "with B[, C …]": the other side is the clause's addressees under a request verb ("Invites A and
  B … to cooperate with C"), or else the party named just before the action ("the commitment of A
  to deepen its cooperation with C");
- "their/leur cooperation" with no partner: the first two addressees (or the two parties just
  named), first → second ("Encourages both organizations to continue their cooperation").
The *mood* follows from the verb that governs the action: a request verb of the vocabulary
(`unkg:requestTrigger`: invites, encourages, calls upon, urges, requests …) makes a cooperation
`requestedCooperation`; a statement (welcomes, notes, commends, stresses the importance of …) keeps
it `cooperation`. Consultations and agreements keep their own type under either mood (an agreement
only under a statement: one that is merely asked for is not in force).
A trigger that names a topic ("its resolutions on cooperation between …", a title in quotation
marks), an idiom ("in consultation with"), or the action of a relative clause ("those who cooperate
with …") states nothing; no parties are ever paired that the text does not relate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from unkg.extract.link_triggers import request_verbs, triggers
from unkg.model import Mention

# Function words of the grammar (content words are in the vocabulary).
_BETWEEN = re.compile(r"\b(?:between|among|amongst|entre|parmi)\b")
_OF_PAIR = re.compile(r"\s*(?:of|de|du|des|d')\b")  # used with .match(text, pos)
_WITH = re.compile(r"\b(?:with|avec|aupres d)\b")
_AND = re.compile(r"^\s*(?:,\s*)?(?:and|et|as well as|ainsi qu)\b")
_THEIR = re.compile(r"\b(?:their|leur|leurs|mutual|mutuelle|both|two|deux)\b")
# Between two items of a list: ", ", " and the ", ", including ", ", in particular " …
_LIST_GAP = re.compile(
    r"^(?:\d{0,2}[\s,;:()]*){1,2}(?:(?:and|et|or|ou|as well as|ainsi que|ainsi qu|including|"
    r"in particular|notably|such as|especially|y compris|notamment|en particulier|avec|with|"
    r"its|their|the|la|le|l|les|du|des|de|d|other|relevant|autres|sa|son|ses|leur|leurs)\b\W*)*"
    r"(?:(?:(?:other|relevant|regional|subregional|international)\s+)*(?:organizations|"
    r"organisations|agencies|entities|partners)\b[\s,]*(?:(?:including|in particular|such as|"
    r"notably|especially|notamment|y compris|en particulier)\b\W*)+(?:the\s+|la\s+|le\s+|"
    r"l'|les\s+)?)?$")
# "between the secretariat of A and the secretariat of (the United Nations) B": the authority
# lacks B's secretariat, so B stands for it
_ORGAN_OF_GAP = re.compile(r"^\s*(?:,\s*)?(?:and|et)\s+(?:the\s+|le\s+|la\s+|celui\s+|celle\s+)?"
                           r"(?:secretariats?|secretariat general)?\s*(?:of|de|du|des)\s+"
                           r"(?:the\s+|la\s+|l')?(?:united nations\s+|nations unies\s+)?$")
_FIRST_GAP = re.compile(r"^[^;:.]{0,80}$")
# After "between": a determiner, or a head whose complement the party is ("between the peace
# and security structures of the United Nations and of the African Union")
_DETERMINERS = re.compile(r"^\W*(?i:(?:the|la|le|les|l|des|du|de|d|its|their|sa|son|ses|leur|"
                          r"leurs)\b\W*)?"
                          # "the United Nations Economic and Social Commission …": a prefix
                          r"(?i:(?:united nations|nations unies)\s+)?$"
                          r"|^[^;:.A-Z]{0,60}\b(?:of|de|du|des|d)\W*(?:the\W*|la\W*|l\W*)?$")
_COMPLEMENT_GAP = re.compile(r"^\W*(?:of|de|du|des|d|of the|de la|de l|within|in)\W*(?:the\s+)?$")
# A trigger that names a topic or a title, an idiom, or a relative clause's action.
_TOPIC = re.compile(
    r"\b(?:entitled|titled|intitulee?s?)\W*$"
    r"|\b(?:on|sur|concerning|regarding|relating to|relatives? a|relatifs? a|consacree? a)\s+"
    r"(?:the\s+|la\s+|l'|les\s+)?(?:[a-z-]+\s+)?$")
_IDIOM = re.compile(r"\b(?:in|en)\s+"
                    r"(?:(?!the\b|a\b|an\b|its\b|their\b|la\b|le\b|les\b|l\b)[a-z]+\s+)?$")
_WORK_IN = re.compile(r"\b(?:work|working|travailler)\s+(?:\w+\s+)?$")
_RELATIVE = re.compile(r"\b(?:who|whom|qui)\s+(?:\w+\s+){0,2}$")
# The infinitive that carries a request's action: the addressees come before it.
_INFINITIVE = {
    "en": re.compile(r"\bto\s+(?!the\b|a\b|an\b|its\b|their\b|all\b|this\b|that\b|these\b|"
                     r"those\b|member\b|states\b)[a-z]+\b"),
    "fr": re.compile(r"\b(?:a|de)\s+[a-z]+(?:er|ir|re)\b|\bd'[a-z]+(?:er|ir|re)\b"),
}
_GOVERNED = re.compile(r"\b(?:of|de|du|des|d)\W*(?:the|la|le|l)?\W*$")
UN_SYSTEM = "org/un-system"
# The organs that speak and the Organization itself: no partner of a request they make
_CONTINUE = re.compile(r"(?:to|a|de)\s+(?:continue|continuer|poursuivre)\s+(?:to|a|de)?\s*"
                       r"(?:further\s+)?(?=support|assist|help|soutenir|appuyer|aider)")
_PRONOUN_BEFORE = re.compile(r"\b(?:les|leur)\s+$")  # "et les encourage à …"
_PRONOUN_AFTER = re.compile(r"\s+them\s+to\b")  # "encourages them to …"
_UN_SIDE = {"org/united-nations", UN_SYSTEM, "org/un-secretariat"}
_OWN_ORGANS = {"org/general-assembly", "org/security-council", "org/ecosoc",
               "org/united-nations", "org/human-rights-council"}
_SUBJECT_MATTER = re.compile(r"^\s+(?:on|of|concerning|regarding|for|de|sur|relatif a)\s+"
                             r"(?:the\s+|la\s+|l')?(?:[a-z-]+\s+)?$")
# After "with": determiners and the words of a generic group ("with other regional
# organizations, including …"), not another noun ("with interpretation into …", "with the
# participation of …")
_WITH_GAP = re.compile(
    r"^\W*(?i:(?:the|its|their|all|other|relevant|regional|subregional|international|"
    r"intergovernmental|organi[sz]ations?|agencies|bodies|entities|partners|institutions|and|"
    r"including|in particular|such as|notably|especially|la|le|les|l|des|du|de|d|sa|son|ses|"
    r"leur|leurs|autres|organisations|notamment|y compris|en particulier|ainsi qu'avec)\b\W*)*$"
    r"|^(?!.*\b(?:that|which|who|qui)\b)\W*(?:the\s+|les\s+|la\s+|l'|their\s+|its\s+)?"
    r"(?!(?:interpretation|participation|"
    r"regard|respect|reference|view|support|assistance|a view)\b)(?:[a-z-]+\s+){0,6}"
    r"(?:of|de|du|des|within|in|au sein d)\s*(?:the\s+|la\s+|l'|u\s+)?$")
# Between the action and "with": a new infinitive clause or a relative clause ends the action
_CLAUSE_BREAK = re.compile(r",\s*to\s+[a-z]+|\b(?:that|which|who|whom|whose|qui|dont)\b")
_AND_ONLY = re.compile(r"^\s+(?:and|et)\s+$")
_MAX_PARTNER_GAP = 140  # characters from the action to "between"/"with"
_NOT_PARTNER = re.compile(r"\b(?:accordance|line|conformity|keeping|conformement|together)\s*$")


@dataclass
class Clause:
    """A sentence of a paragraph: its cleaned text, folded, and the mentions in it (offsets local
    to `text`, coreference mentions included)."""

    text: str
    folded: str
    mentions: list[Mention]
    language: str | None = None


@dataclass
class Found:
    type: str
    subject: Mention
    object: Mention
    start: int  # the stating fragment, local to the clause
    end: int


def _in_quotes(folded: str, pos: int) -> bool:
    """Inside a quoted title ("“Cooperation between the United Nations and …”")."""
    before = folded[:pos]
    opened = sum(before.count(q) for q in "“«") - sum(before.count(q) for q in "”»")
    return opened > 0 or before.count('"') % 2 == 1


def _heads(clause: Clause, mentions: list[Mention]) -> list[Mention]:
    """Drop complements: a name right after another name and "of" ("the Department of Political
    Affairs of the United Nations Secretariat") qualifies it; it is not a party."""
    out: list[Mention] = []
    previous_end = -100
    for m in mentions:
        gap = clause.folded[previous_end:m.start] if previous_end >= 0 else ""
        if previous_end >= 0 and _COMPLEMENT_GAP.match(gap) and out and m.start != out[-1].start:
            previous_end = m.end
            continue
        out.append(m)
        previous_end = m.end
    return out


def party_list(clause: Clause, pos: int, limit: int | None = None,
               first_gap: re.Pattern[str] = _FIRST_GAP) -> list[Mention]:
    """The coordinated list of parties starting at `pos`: "the A, the B and its C, in particular
    D …" (names that qualify a listed name are skipped, not listed)."""
    items: list[Mention] = []
    cursor = pos
    for m in clause.mentions:
        if m.start < pos or (limit is not None and m.start >= limit):
            continue
        gap = clause.folded[cursor:m.start]
        if items and m.start == items[-1].start:  # a pair from one coreference ("both")
            items.append(m)
            continue
        if items and _COMPLEMENT_GAP.match(gap):
            cursor = max(cursor, m.end)
            continue
        if items and not _LIST_GAP.match(gap) and not _ORGAN_OF_GAP.match(gap):
            break
        if not items and not first_gap.match(clause.text[cursor:m.start]):
            break
        items.append(m)
        cursor = m.end
    return items


def _request_verb(clause: Clause, pos: int) -> re.Match[str] | None:
    found = None
    for verb in request_verbs(clause.language).finditer(clause.folded, 0, pos):
        if re.search(r"\b(?:the|a|its|their|this|that|la|sa|leur)\s+$",
                     clause.folded[max(0, verb.start() - 8):verb.start()]) \
                and not re.match(r"\s+to\b", clause.folded[verb.end():verb.end() + 4]):
            continue  # "the request of X for …" is a noun; "the request to X to …" asks X
        found = verb
    return found


def _actions(clause: Clause) -> Iterator[tuple[str, re.Match[str]]]:
    """(family type, match) for every action trigger of the clause, in text order; where two
    overlap the longer wins ("cooperation meeting" is a meeting)."""
    found: list[tuple[str, re.Match[str]]] = []
    for kind in ("cooperation", "consultation", "memorandumOfUnderstanding",
                 "requestedCooperation"):
        pattern = triggers(kind, clause.language)
        if pattern:
            found.extend((kind, m) for m in pattern.finditer(clause.folded))
    # a trigger inside a name ("Shanghai Cooperation Organization") is part of the name
    names = [(m.start, m.end) for m in clause.mentions]
    found = [(k, m) for k, m in found
             if not any(a < m.end() and m.start() < b for a, b in names)]
    found.sort(key=lambda km: (km[1].start(), -len(km[1].group(0))))
    end = -1
    last_absorbed = False
    for kind, m in found:
        if m.start() < end:
            continue
        # "the Agreement of Cooperation", "a memorandum of understanding on cooperation": the
        # second word names the first's subject matter, it is not an action of its own
        gap = clause.folded[end:m.start()]
        absorbed = end >= 0 and (_SUBJECT_MATTER.match(gap)
                                 or (last_absorbed and _AND_ONLY.match(gap)))
        last_absorbed = bool(absorbed)
        end = m.end()
        if not absorbed:
            yield kind, m


def _blocked(clause: Clause, m: re.Match[str]) -> bool:
    before = clause.folded[max(0, m.start() - 60):m.start()]
    if _TOPIC.search(before) or _in_quotes(clause.folded, m.start()):
        return True
    if _RELATIVE.search(before[-30:]):
        return True
    idiom = re.search(r"\b(?:in|en)\s+(?:close\s+|etroite\s+)?[a-z]+\s+(?:and|et)\s+$", before)
    return bool(_IDIOM.search(before[-12:]) or idiom) and not _WORK_IN.search(before[-40:])


def clause_links(clause: Clause, emit: Callable[[Found], None]) -> None:
    """Every cooperation-family link the clause states, passed to `emit`."""
    actions = list(_actions(clause))
    linked: dict[frozenset[str], int] = {}  # pair → end of the last mention that named it
    if actions and not clause.folded[:actions[0][1].start()].strip(" *0123456789.(") \
            and not re.search(r"[.;,:]\W*$", clause.folded):
        actions = actions[1:]  # a heading or title ("Cooperation between A and B") states nothing
    for i, (family, action) in enumerate(actions):
        if _blocked(clause, action):
            continue
        nxt = actions[i + 1][1].start() if i + 1 < len(actions) else len(clause.folded)
        verb = _request_verb(clause, action.start())
        if verb and _reported(clause, verb.end(), action.start()):
            continue  # "to report on the state of cooperation between …": the report's topic
        request = verb is not None and not _statement_between(clause, verb.end(), action.start())
        kind = _type(family, request)
        if kind is None:
            continue
        if family == "requestedCooperation" and verb is not None \
                and not _WITH.match(clause.folded, action.end() + 1):
            pairs = _supported(clause, action, verb, nxt)
        else:
            pairs = _pairs(clause, action, verb if request else None, nxt, verb)
        for subject, obj in pairs:
            pair = frozenset((subject.entity, obj.entity))
            if pair in linked and not _named_partner(clause, action, nxt) \
                    and min(subject.start, obj.start) < linked[pair]:
                # "the MoU between A and B to develop cooperation": said once; but the
                # parties named anew ("the Agreement between A and B, in which the parties
                # agree to strengthen their cooperation") state a second link
                continue
            linked[pair] = max(linked.get(pair, 0), subject.end, obj.end)
            start = min(subject.start, verb.start() if request and verb else action.start())
            emit(Found(kind, subject, obj, start, max(obj.end, subject.end, action.end())))


def _reported(clause: Clause, start: int, end: int) -> bool:
    pattern = triggers("reportRequested", clause.language)
    return bool(pattern and pattern.search(clause.folded, start, end))


def _named_partner(clause: Clause, action: re.Match[str], next_action: int) -> bool:
    window = clause.folded[action.end():min(next_action, action.end() + _MAX_PARTNER_GAP)]
    return bool(_BETWEEN.search(window) or _WITH.search(window))


def _statement_between(clause: Clause, start: int, end: int) -> bool:
    """A statement after the request verb governs the action ("Requests … and welcomes the
    cooperation", "… taking into account the importance of the cooperation between …"): it
    ends the request's scope."""
    return bool(re.search(r"\band\s+(?:[a-z ]{0,20},\s*)?(?:also\s+)?(?:welcomes|notes|takes note|"
                          r"commends|recognizes|"
                          r"stresses|acknowledges)\b|\bet\s+(?:se felicite|note|salue)\b"
                          r"|\bimportance\b|\bprogress\b|\bprogres\b|,\s*(?:commending|"
                          r"welcoming|noting|recognizing|acknowledging|stressing|emphasizing|"
                          r"recalling|reaffirming|which)\b",
                          clause.folded[start:end]))


def _type(family: str, request: bool) -> str | None:
    if family == "requestedCooperation":
        return family if request else None  # "to support X" states a link only when asked
    if family == "cooperation":
        return "requestedCooperation" if request else "cooperation"
    if family == "memorandumOfUnderstanding" and request:
        return None  # an agreement asked for is not in force
    return family


def _pairs(clause: Clause, action: re.Match[str], verb: re.Match[str] | None,
           next_action: int, addressed: re.Match[str] | None = None
           ) -> list[tuple[Mention, Mention]]:
    """The (subject, object) pairs of one action; `verb` is the request verb when the action is
    requested, `addressed` a request verb whose scope a statement ended."""
    folded = clause.folded
    window_end = min(len(folded), action.end() + _MAX_PARTNER_GAP)
    between = _BETWEEN.search(folded, action.end(), window_end)
    with_ = next((w for w in _WITH.finditer(folded, action.end(), window_end)
                  if not _NOT_PARTNER.search(folded, 0, w.start())
                  and not _CLAUSE_BREAK.search(folded, action.end(), w.start())
                  and party_list(clause, w.end(), first_gap=_WITH_GAP)), None)
    if between and between.start() < next_action and (not with_ or between.start() < with_.start()):
        parties = party_list(clause, between.end(), first_gap=_DETERMINERS)
        if len(parties) >= 2 and _coordinated(clause, parties[0], parties[1]):
            if _BETWEEN.match(folded, between.start()) and between.group(0) in ("among", "amongst",
                                                                                 "parmi"):
                return [(a, b) for k, a in enumerate(parties) for b in parties[k + 1:]]
            # "between the United Nations and other organizations of the United Nations system
            # and X": the Organization and its system are one side
            return [(parties[0], b) for b in parties[1:]
                    if not (parties[0].entity in _UN_SIDE and b.entity in _UN_SIDE)]
    if with_ and with_.start() < next_action:
        objects = party_list(clause, with_.end(), first_gap=_WITH_GAP)
        subjects = _addressees(clause, verb, action) if verb else _actor(clause, action)
        if verb is None and addressed is not None and _THEIR.search(
                folded, max(0, action.start() - 25), action.start()):
            subjects = _addressees(clause, addressed, action)  # "… of the progress of their …"
        return [(s, o) for s in subjects for o in objects if s.entity != o.entity]
    # no partner named: two coordinated parties act together ("A and B to work in closer
    # cooperation", "both organizations … their cooperation"): one link, first → second
    # (a statement needs "their" or one phrase naming both: "A and B … international
    # cooperation" names no relation between A and B)
    stop = min(next_action, window_end)
    of = _OF_PAIR.match(folded, action.end())
    # "the further cooperation of A and B": first → second; but "the support and cooperation of
    # A and B" is what both give to a third party
    if of and verb is None and not re.search(r"\b(?:and|et)\s+(?:the\s+|la\s+)?$|,\s*$",
                                             folded[max(0, action.start() - 30):action.start()]):
        parties = party_list(clause, of.end(), first_gap=_DETERMINERS)
        if len(parties) == 2 and _coordinated(clause, parties[0], parties[1]) \
                and parties[0].entity != parties[1].entity:
            return [(parties[0], parties[1])]
    if _BETWEEN.search(folded, action.end(), stop) or _WITH.search(folded, action.end(), stop) \
            or of:
        return []  # a partner is named ("with", "between", "the cooperation of"), unknown: no guess
    both = _addressees(clause, verb, action) if verb else _actor(clause, action, 2)
    their = _THEIR.search(folded, max(0, action.start() - 25), action.start())
    if len(both) >= 2 and _coordinated(clause, both[0], both[1]) \
            and not {both[0].entity, both[1].entity} <= _UN_SIDE and (
            both[0].start == both[1].start or their
            or (verb is not None and len(both) == 2 and family_of(action) == "cooperation"
                and _near_infinitive(clause, action))):
        return [(both[0], both[1])]
    return []


def _supported(clause: Clause, action: re.Match[str], verb: re.Match[str], next_action: int
               ) -> list[tuple[Mention, Mention]]:
    """"Requests A to support (the capacities of personnel within the structures of) B": A → B.
    B is the first organisation or body the action governs, in the same phrase (no comma,
    semicolon or new infinitive between); States asked or supported are no institutional
    partners of such a request, nor the organs that speak."""
    stop = min(next_action, action.end() + _MAX_PARTNER_GAP)
    objects = [m for m in clause.mentions if action.end() <= m.start < stop
               and m.kind in ("organization", "body")]
    if not objects:
        return []
    partner = objects[0]
    gap = clause.folded[action.end():partner.start]
    if re.search(r"[,;:]|\bto\s+(?!the\b)[a-z]+\b|\b(?:a|de|d')\s*[a-z]+(?:er|ir|re)\b"
                 r"|\b(?:across|throughout|dans l'ensemble)\b", gap) \
            or partner.entity in _OWN_ORGANS:
        return []
    # the addressees' own action, not that of a name in between ("Requests the Secretary-General
    # to strengthen the capacity of the Treaty Section to support …")
    first = _first_infinitive(clause, verb.end(), action.end())
    if first is not None and first.start() < action.start() and not _CONTINUE.match(
            clause.folded, first.start()):
        return []
    subjects = [m for m in _addressees(clause, verb, action) if m.kind != "state"]
    return [(s, partner) for s in subjects if s.entity != partner.entity]



def family_of(action: re.Match[str]) -> str:
    """The link family whose trigger pattern produced `action`."""
    return next((kind for kind in ("consultation", "memorandumOfUnderstanding")
                 if action.re is triggers(kind, None) or _same_pattern(action.re, kind)),
                "cooperation")


def _same_pattern(pattern: re.Pattern[str], kind: str) -> bool:
    return any(pattern is triggers(kind, lang) for lang in ("en", "fr"))


def _near_infinitive(clause: Clause, action: re.Match[str]) -> bool:
    """The action is what the addressees are asked to do ("A and B to work in closer
    cooperation"), not a word of a longer clause ("to provide … including the promotion of
    cooperation between …")."""
    for lang, pattern in _INFINITIVE.items():
        if clause.language in (lang, None):
            last = None
            for found in pattern.finditer(clause.folded, max(0, action.start() - 40),
                                          action.end()):
                last = found
            if last is not None and not pattern.search(clause.folded, last.end(),
                                                       action.start()):
                return True
    return False


def _first_infinitive(clause: Clause, start: int, end: int) -> re.Match[str] | None:
    first = None
    for lang, pattern in _INFINITIVE.items():
        if clause.language in (lang, None):
            found = pattern.search(clause.folded, start, end)
            first = found if first is None or (found and found.start() < first.start()) else first
    return first


def _coordinated(clause: Clause, a: Mention, b: Mention) -> bool:
    """Two parties joined by "and" (or one coreference naming both)."""
    return a.start == b.start or bool(_AND.match(clause.folded[a.end:b.start])) \
        or bool(_AND.match(clause.folded[a.end:b.end]))  # a name that starts with "and other …"


def _addressees(clause: Clause, verb: re.Match[str], action: re.Match[str]) -> list[Mention]:
    """The parties a request addresses: the names between its verb and the action, but not a
    name governed by "of" ("the specialized entities of the United Nations, such as A, B" are
    A and B), except the United Nations system, which names such groups itself."""
    if verb.group(0).endswith((" for", " pour")):
        return []  # "Calls for enhanced cooperation …" asks for an action, addresses nobody
    to = None
    for lang, pattern in _INFINITIVE.items():
        if clause.language in (lang, None):
            found = pattern.search(clause.folded, verb.end(), action.start())
            to = found if to is None or (found and found.start() < to.start()) else to
    stop = to.start() if to else action.start()
    inside = [m for m in clause.mentions if verb.end() <= m.start and m.end <= stop
              and (m.entity == UN_SYSTEM or not _GOVERNED.search(clause.folded, 0, m.start))]
    if not inside and (_PRONOUN_BEFORE.search(clause.folded, 0, verb.start())
                       or _PRONOUN_AFTER.match(clause.folded, verb.end())):
        # "A et B mènent … et les encourage à poursuivre leur collaboration": the pronoun
        # stands for the two parties the clause coordinated last
        named = _heads(clause, [m for m in clause.mentions if m.end <= verb.start()])
        if len(named) >= 2 and _coordinated(clause, named[-2], named[-1]):
            return named[-2:]
    return _heads(clause, inside)


def _actor(clause: Clause, action: re.Match[str], count: int = 1) -> list[Mention]:
    """The party named last before the action, within its stretch of the clause ("the efforts of
    A to promote cooperation with …", "Le secrétariat de A a noué des relations avec …")."""
    start = max(0, action.start() - 120)
    cut = max(clause.folded.rfind(";", 0, action.start()), start)
    before = _heads(clause, [m for m in clause.mentions
                             if cut <= m.start and m.end <= action.start()])
    if not before:
        return []
    if count == 1:
        last = before[-1]
        return [m for m in before if m.start == last.start]
    return before[-count:]
