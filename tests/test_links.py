"""Institutional links stated by the seeds and by hand-built paragraphs in English and French."""

from __future__ import annotations

import pytest

from unkg.extract.document import parse_text
from unkg.extract.entities import find_mentions
from unkg.extract.links import find_links
from unkg.model import Document, Paragraph, Signatory


def _load(corpus_dir, name):
    path = next(corpus_dir.glob(f"*/{name}"))
    return parse_text(path.read_text(encoding="utf-8"), source=path.name)


def _links(text: str, **extra) -> set[tuple[str, str, str]]:
    doc = Document(source="t", loader="test", language="en", text=text,
                   paragraphs=[Paragraph(id="OP1", kind="operative", text=text, start=0,
                                         end=len(text), line=1)], **extra)
    doc.mentions = find_mentions(doc)
    return {(ln.type, ln.subject, ln.object) for ln in find_links(doc)}


@pytest.fixture(scope="module")
def letter(corpus_dir):
    return _load(corpus_dir, "000_d30999ef5195cbdd.txt")


def _typed(doc, kind):
    return {(ln.subject, ln.object, ln.paragraph) for ln in doc.links if ln.type == kind}


def test_draft_resolution_requests_cooperation(letter):
    assert _typed(letter, "requestedCooperation") == {
        (body, "org/csto", "ANNEX2/OP3")
        for body in ("org/dpa", "org/unodc", "org/ctc", "org/cted")}


def test_memorandum_states_membership_and_observer_status(letter):
    members = {s for s, o, p in _typed(letter, "memberOf") if o == "org/csto" and p == "ANNEX1/P2"}
    assert members == {"state/ARM", "state/BLR", "state/KAZ", "state/KGZ", "state/UZB", "state/TJK"}
    assert ("org/csto", "org/general-assembly", "ANNEX1/P3") in _typed(letter, "observerStatus")
    granted = next(ln for ln in letter.links
                   if ln.type == "observerStatus" and ln.paragraph == "ANNEX2/PP1")
    assert granted.document == "A/RES/59/50"
    assert granted.subject_label == "Collective Security Treaty Organization"


def test_letter_is_sent_on_behalf_of_six_states(letter):
    behalf = _typed(letter, "onBehalfOf")
    assert {o for s, o, _ in behalf if s == "state/RUS"} == {
        "state/ARM", "state/BLR", "state/KAZ", "state/KGZ", "state/UZB", "state/TJK"}
    assert set(letter.signatories[0].on_behalf_of) == {o for _, o, _ in behalf}


def test_report_and_agenda(letter):
    assert ("post/un-secretary-general", "org/general-assembly", "ANNEX2/OP4") in _typed(
        letter, "reportRequested")
    assert ("org/general-assembly", "org/csto", "ANNEX2/OP5") in _typed(letter, "agendaInclusion")


def test_resolution_consultation_and_memorandum(corpus_dir):
    doc = _load(corpus_dir, "001_88a3ec35e753d387.txt")
    assert ("post/un-secretary-general", "post/csto-secretary-general", "OP4") in _typed(
        doc, "consultation")
    assert ("org/csto-secretariat", "org/dpko", "PP11") in _typed(doc, "memorandumOfUnderstanding")
    for link in doc.links:  # every link is tied to a span of its paragraph
        assert doc.text[link.start:link.end].strip()


def test_english_phrasing():
    assert _links("The member States of the Shanghai Cooperation Organization are China, "
                  "Kazakhstan and India.") == {
        ("memberOf", f"state/{c}", "org/sco") for c in ("CHN", "KAZ", "IND")}
    assert _links("Invites the United Nations Office on Drugs and Crime and the World Health "
                  "Organization to cooperate with the African Union.") == {
        ("requestedCooperation", "org/unodc", "org/au"),
        ("requestedCooperation", "org/who", "org/au")}
    assert _links("Decides to invite the Caribbean Community to participate in the sessions "
                  "and the work of the General Assembly in the capacity of observer;") == {
        ("observerStatus", "org/caricom", "org/general-assembly")}
    assert _links("The representative of Czechia, speaking on behalf of the European Union, "
                  "said so.") == {("onBehalfOf", "state/CZE", "org/eu")}


def test_sender_from_signatory_post():
    text = "I have the honour, on behalf of Armenia and Belarus, to request the inclusion."
    signatory = Signatory(name="A B", entity="person/a-b",
                          post="Permanent Representative of the Russian Federation")
    assert _links(text, signatories=[signatory]) == {
        ("onBehalfOf", "state/RUS", "state/ARM"), ("onBehalfOf", "state/RUS", "state/BLR")}


def test_no_entity_no_link():
    assert _links("Invites all relevant entities to cooperate with each other.") == set()
