"""The clause grammar of links on the sentences quoted by issue #13 (each is a real UN phrasing),
plus the link's fragment, offsets, date and granting resolution."""

from __future__ import annotations

import pytest

from unkg.extract.entities import find_mentions
from unkg.extract.links import find_links
from unkg.model import Document, Link, Paragraph


def _doc(text: str, *, title: str | None = None, kind: str = "operative",
         source: str | None = None, start: int = 0, date: str | None = None) -> Document:
    doc = Document(source="t", loader="test", language="en", text=source or text, title=title,
                   date=date, paragraphs=[Paragraph(id="OP1", kind=kind, text=text, start=start,
                                                    end=start + len((source or text)[start:]),
                                                    line=1)])
    doc.mentions = find_mentions(doc)
    return doc


def _found(text: str, **kw) -> set[tuple[str, str, str]]:
    return {(ln.type, ln.subject, ln.object) for ln in find_links(_doc(text, **kw))}


@pytest.mark.parametrize(("text", "expected"), [
    ("Welcomes the strengthened cooperation between the Office of the United Nations High "
     "Commissioner for Human Rights and the International Organization of la Francophonie;",
     {("cooperation", "org/ohchr", "org/oif")}),
    ("Commends the ongoing cooperation between the Office for Disarmament Affairs of the "
     "Secretariat and the African Union Commission;",
     {("cooperation", "org/oda", "org/au-commission")}),
    ("Encourages cooperation between the United Nations and the Association of Southeast Asian "
     "Nations in the area of disaster management;",
     {("requestedCooperation", "org/united-nations", "org/asean")}),
    ("Calls for enhanced cooperation between the Council of Europe and UN-Habitat;",
     {("requestedCooperation", "org/coe", "org/un-habitat")}),
])
def test_statements_and_requests_of_cooperation(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("action", [
    "to continue cooperation with", "to develop their cooperation with",
    "to continue strengthening their cooperation with", "to continue collaborating with",
    "to work closely with"])
def test_verb_forms_of_the_action(action):
    text = f"Invites the United Nations Office on Drugs and Crime {action} the African Union;"
    assert _found(text) == {("requestedCooperation", "org/unodc", "org/au")}


def test_a_line_break_inside_a_trigger():
    text = ("Welcomes the signing of the memorandum of\nunderstanding between the Shanghai "
            "Cooperation Organization and the World Health Organization;")
    assert _found(text) == {("memorandumOfUnderstanding", "org/sco", "org/who")}


@pytest.mark.parametrize("agreement", [
    "memorandum of cooperation", "protocol on cooperation", "framework agreement",
    "joint declaration", "Agreement of Cooperation"])
def test_agreements_other_than_memoranda(agreement):
    text = (f"Welcomes the {agreement} between the League of Arab States and the United Nations "
            "Educational, Scientific and Cultural Organization;")
    assert _found(text) == {("memorandumOfUnderstanding", "org/arab-league", "org/unesco")}


def test_the_mou_between_these_two_entities():
    text = ("Noting the cooperation between the Regional Anti-Terrorist Structure of the Shanghai "
            "Cooperation Organization and the Counter-Terrorism Committee Executive Directorate "
            "and the Memorandum of Understanding on cooperation between these two entities,")
    assert ("memorandumOfUnderstanding", "org/sco-rats", "org/cted") in _found(text)


def test_observer_and_member_status_in_other_words():
    assert _found("Decides to extend to the Caribbean Community a standing invitation to "
                  "participate as an observer in the sessions and the work of the General "
                  "Assembly;") == {("observerStatus", "org/caricom", "org/general-assembly")}
    assert _found("Welcoming the decision to grant Belarus the status of a State member of the "
                  "Shanghai Cooperation Organization,") == {("memberOf", "state/BLR", "org/sco")}
    assert _found("Notes the admission of Paraguay as a new associate observer,",
                  title="Cooperation between the United Nations and the Community of "
                        "Portuguese-speaking Countries") == {
        ("observerStatus", "state/PRY", "org/cplp")}


@pytest.mark.parametrize(("text", "expected"), [
    ("Welcomes the cooperation between the United Nations and the Community;",
     {("cooperation", "org/united-nations", "org/caricom")}),
    ("Encourages both organizations to continue their cooperation;",
     {("requestedCooperation", "org/united-nations", "org/caricom")}),
])
def test_coreference(text, expected):
    assert _found(text, title="Cooperation between the United Nations and the Caribbean "
                              "Community") == expected


def test_the_two_secretariats():
    assert _found("Notes that the two secretariats have strengthened their cooperation;",
                  title="Cooperation between the United Nations and the League of Arab "
                        "States") == {
        ("cooperation", "org/un-secretariat", "org/arab-league-secretariat")}


def test_the_organization_named_in_the_title():
    text = "Invites the World Health Organization to cooperate with the Organization;"
    eco = "Cooperation between the United Nations and the Economic Cooperation Organization"
    assert _found(text, title=eco) == {("requestedCooperation", "org/who", "org/eco")}
    assert _found(text) == {("requestedCooperation", "org/who", "org/united-nations")}


def test_no_guessed_partners():
    text = ("Urges the specialized agencies of the United Nations system, in particular the Food "
            "and Agriculture Organization of the United Nations and the World Health "
            "Organization, to strengthen their cooperation with the Latin American and "
            "Caribbean Economic System;")
    assert _found(text) == {("requestedCooperation", s, "org/sela")
                            for s in ("org/un-system", "org/fao", "org/who")}
    assert _found("Urges the Human Rights Council to prevent reprisals against those who "
                  "cooperate with the United Nations;") == set()
    assert _found("Requests the Secretary-General to include the information in his next report "
                  "to the Sixth Committee;") == {
        ("reportRequested", "post/un-secretary-general", "org/sixth-committee")}


def test_titles_and_topics_state_no_link():
    assert _found("Recalling its resolutions on cooperation between the United Nations and the "
                  "Caribbean Community,") == set()
    assert _found("Cooperation between the United Nations and the Caribbean Community",
                  kind="body") == set()


def test_a_link_carries_its_fragment_offsets_date_and_granting_resolution():
    source = ("Recalling its resolution 59/50 of 2 December 2004, in which it\ngranted the "
              "Collective Security Treaty Organization observer status in the General "
              "Assembly,<sup>5</sup>")
    doc = _doc(source, date="2024-11-18")
    [link] = [ln for ln in find_links(doc) if ln.type == "observerStatus"]
    assert isinstance(link, Link) and link.document == "A/RES/59/50"
    assert link.date == "2024-11-18"
    assert "\n" not in link.text and "<sup>" not in link.text
    assert "observer status" in link.text
    assert source[link.start:link.end].split() == link.text.split()


def test_the_fragment_leaves_page_furniture_out():
    clean = ("Welcomes the cooperation between the United Nations and the Caribbean "
             "Community;")
    # the source has a page footer and job number inside the paragraph; the paragraph text
    # the structure reader gives is clean
    source = ("Welcomes the cooperation between the United Nations and the\n24-21670\n2/5\n"
              "Caribbean Community;")
    doc = Document(source="t", loader="test", language="en", text=source,
                   paragraphs=[Paragraph(id="OP1", kind="operative", text=clean, start=0,
                                         end=len(source), line=1)])
    doc.mentions = find_mentions(doc)
    [link] = find_links(doc)
    assert "24-21670" not in link.text and "2/5" not in link.text
    assert link.text.endswith("Caribbean Community")
    assert source[link.start:link.end].startswith("cooperation between")
    assert source[link.start:link.end].endswith("Caribbean Community")


@pytest.mark.parametrize(("text", "expected"), [
    # "the Organization" right after another Organization is that one, not the UN
    ("Recognizes the leading role of the United Nations Educational, Scientific and Cultural "
     "Organization, and encourages the Organization to strengthen cooperation with the "
     "International Criminal Police Organization;",
     {("requestedCooperation", "org/unesco", "org/interpol")}),
    # "with" + an action noun names no partner
    ("Requests the United Nations Office on Drugs and Crime to convene a meeting of experts, "
     "with interpretation into all official languages of the United Nations;", set()),
    # an idiom with an adjective: "in full consultation with"
    ("Reiterates the need to work in full consultation with all relevant United Nations "
     "agencies;", set()),
    # "calls for" addresses nobody: the World Trade Organization is not asked to cooperate
    ("Calls for enhancing the capacity of the multilateral trading system, with the World Trade "
     "Organization at its core, including through partnership with the United Nations "
     "Conference on Trade and Development;", set()),
    # the cooperation of someone the authority lacks: no pair of addressees is guessed
    ("Requests the Department of Global Communications and the Department of Political and "
     "Peacebuilding Affairs to seek the full cooperation of the administering Powers;", set()),
    # a report's title is no request to report
    ("Invites Member States to consider the recommendations of the United Nations Office on "
     "Drugs and Crime Global Report on Corruption in Sport;", set()),
])
def test_bulk_audit_readings(text, expected):
    assert _found(text) == expected


# Second round (#13): readings found on the dev documents, each on its real sentence.
def test_an_agreement_and_the_cooperation_its_parties_agree_on():
    """A/RES/79/13 PP2: the parties named anew state a cooperation besides the agreement."""
    text = ("Bearing in mind the Agreement between the United Nations and the Latin American and "
            "Caribbean Economic System, in which the parties agree to strengthen and expand "
            "their cooperation in matters that are of common concern in the fields of their "
            "respective competence pursuant to their constitutional instruments,")
    assert _found(text, kind="preambular") == {
        ("memorandumOfUnderstanding", "org/united-nations", "org/sela"),
        ("cooperation", "org/united-nations", "org/sela")}


def test_an_agreement_between_two_secretariats():
    """A/RES/79/332 PP21: the second secretariat's own name is unknown; its organisation stands."""
    text = ("Noting the signing of the Memorandum of Understanding between the secretariat of the "
            "Shanghai Cooperation Organization and the secretariat of the United Nations Economic "
            "and Social Commission for Asia and the Pacific in September 2022 aimed at enhancing "
            "cooperation in trade, transport, energy, and information and communications "
            "technology connectivity,")
    assert _found(text, kind="preambular") == {
        ("memorandumOfUnderstanding", "org/sco-secretariat", "org/escap")}


@pytest.mark.parametrize(("text", "expected"), [
    # A/RES/79/12 OP3
    ("Requests the United Nations Secretariat to support and enhance the capacities of personnel "
     "within the structures and bodies of the League of Arab States dealing with peacekeeping, "
     "peacebuilding and sustaining peace, as well as national capacity-building in the "
     "post-conflict phase;",
     {("requestedCooperation", "org/un-secretariat", "org/arab-league")}),
    # A/RES/79/295 OP3: lettered sub-paragraphs share the request
    ("Requests the United Nations Secretariat, within existing resources and, where appropriate, "
     "through voluntary contributions: (a) To support capacity-building initiatives within the "
     "conflict prevention and resolution mechanisms of the Gulf Cooperation Council; (b) To "
     "provide technical assistance in developing early warning systems and preventive diplomacy "
     "capabilities;",
     {("requestedCooperation", "org/un-secretariat", "org/gcc")}),
    # the action of a name in between is not the addressee's (bulk GA resolution)
    ("Requests the Secretary-General to strengthen the capacity of the Treaty Section to support "
     "the regular thematic debate in the Sixth Committee;", set()),
    # a party the action does not govern ("across …")
    ("Calls upon UN-Women to continue to support gender mainstreaming across the United Nations "
     "system;", set()),
    # a statement of support is no request
    ("Notes that the United Nations Secretariat continues to support the League of Arab States;",
     set()),
])
def test_a_request_to_support_a_party(text, expected):
    assert _found(text) == expected


def test_a_request_to_support_a_party_in_french():
    """A/63/100 (United Nations and regional organisations): « engagé … à soutenir »."""
    doc = _doc("elle a engagé les organismes des Nations Unies à soutenir l’Union africaine et ses "
               "États membres dans les efforts qu’ils déploient;")
    doc.language = "fr"
    doc.mentions = find_mentions(doc)
    assert {(ln.type, ln.subject, ln.object) for ln in find_links(doc)} == {
        ("requestedCooperation", "org/un-system", "org/au")}


def test_a_footnote_mark_inside_a_list_of_partners():
    """A/RES/79/332 PP26: "…,8 as well as with the ICRC" continues the list."""
    text = ("Recognizing the efforts of the Shanghai Cooperation Organization to promote "
            "cooperation with other regional organizations, including the Eurasian Economic "
            "Union7 and the League of Arab States,8 as well as with the International Committee "
            "of the Red Cross,")
    assert _found(text, kind="preambular") == {
        ("cooperation", "org/sco", "org/eaeu"), ("cooperation", "org/sco", "org/arab-league"),
        ("cooperation", "org/sco", "org/icrc")}


def test_the_organization_and_its_system_are_one_side():
    """A/RES/79/332 PP28."""
    text = ("Convinced that strengthening cooperation between the United Nations and other "
            "organizations of the United Nations system and the Shanghai Cooperation Organization "
            "helps to promote the goals and objectives of the United Nations,")
    assert _found(text, kind="preambular") == {
        ("cooperation", "org/united-nations", "org/sco")}


def test_the_office_named_before_and_the_cooperation_of_a_and_b():
    """A/RES/79/332 PP17: "the Office" is the Office this paragraph named; "the further
    cooperation of A and B" relates A and B."""
    text = ("Recalling the signing of the Memorandum of Understanding between the secretariat of "
            "the Shanghai Cooperation Organization and the United Nations Office on Drugs and "
            "Crime in June 2011 with a view to effectively addressing, in cooperation with "
            "relevant international and regional actors, the production of and trade and "
            "trafficking in drugs, and welcoming the further cooperation of the Shanghai "
            "Cooperation Organization and the Office,")
    assert _found(text, kind="preambular") == {
        ("memorandumOfUnderstanding", "org/sco-secretariat", "org/unodc"),
        ("cooperation", "org/sco", "org/unodc")}


@pytest.mark.parametrize("text", [
    # what both give to a third party (A/RES/78/97 OP7)
    "Acknowledges the ongoing and consistent commitment of New Zealand to meeting the social and "
    "economic requirements of the people of Tokelau, as well as the support and cooperation of "
    "the United Nations Development Programme and the World Health Organization;",
    # the Organization and its system asked together are no pair (A/RES/79/*, OIC)
    "Invites the United Nations and other organizations of the United Nations system, especially "
    "the lead agencies, to consider providing increased technical and other forms of assistance "
    "to the Organization of Islamic Cooperation and its subsidiary organs;",
])
def test_parties_that_act_together_for_a_third(text):
    assert _found(text) == set()


def test_a_possessive_head_is_no_partner():
    """A/RES/79/330 OP26: "with the Commission's Regional Road Map" names a plan, not a partner."""
    text = ("Notes with appreciation the ongoing cooperation between the Economic and Social "
            "Commission for Asia and the Pacific and the Economic Cooperation Organization, as "
            "well as the dialogue between the Commission and the secretariat of the Economic "
            "Cooperation Organization to align the Economic Cooperation Organization Regional "
            "Electricity Market with the Commission’s Regional Road Map on Power System "
            "Connectivity;")
    assert ("cooperation", "org/eco-secretariat", "org/escap") not in _found(text)


def test_a_party_named_with_its_united_nations_prefix():
    """A/RES/79/330 OP26 (seen in the bulk review): "between the United Nations Economic and
    Social Commission for Asia and the Pacific and …"."""
    text = ("Notes with appreciation the ongoing cooperation between the United Nations Economic "
            "and Social Commission for Asia and the Pacific and the Economic Cooperation "
            "Organization aimed at promoting cross-border electricity connectivity;")
    assert _found(text) == {("cooperation", "org/escap", "org/eco")}


def test_engagement_with_a_party():
    """A/RES/79/295 OP6: lettered sub-paragraphs, "their engagement with" the partner."""
    text = ("Requests relevant specialized United Nations agencies, programmes and institutions, "
            "within existing resources and, where appropriate, through voluntary contributions, "
            "in accordance with their mandates: (a) To strengthen their engagement with the Gulf "
            "Cooperation Council secretariat; (b) To provide technical support for "
            "capacity-building in conflict prevention and resolution;")
    assert _found(text) == {("requestedCooperation", "org/un-system", "org/gcc-secretariat")}


def test_a_pronoun_for_the_parties_just_named():
    """The seed letter (A/63/…, CSTO), OP3: « les encourage à poursuivre leur collaboration »."""
    doc = _doc("Apprécie l'action que le Secrétariat de l'Organisation des Nations Unies et celui "
               "de l'Organisation du Traité de sécurité collective mènent pour améliorer la "
               "coordination et la coopération dans les domaines d'intérêt commun et pour en "
               "définir précisément les modalités, et les encourage à poursuivre leur "
               "collaboration, notamment à continuer d'échanger des informations ;")
    doc.language = "fr"
    doc.mentions = find_mentions(doc)
    assert ("requestedCooperation", "org/un-secretariat", "org/csto-secretariat") in {
        (ln.type, ln.subject, ln.object) for ln in find_links(doc)}


def test_the_hosts_own_organ_is_not_its_observer():
    """A/RES/79/265 OP12: admitted "during the … Conference of Heads of State and Government of
    the Community of Portuguese-speaking Countries" (the host's organ)."""
    found = _found("Notes the admission of Paraguay as a new associate observer and the admission "
                   "as new consultative observers of the Portuguese Football Federation and the "
                   "Brazilian Society of Public Administration during the fourteenth Conference of "
                   "Heads of State and Government of the Community of Portuguese-speaking "
                   "Countries;",
                   title="Cooperation between the United Nations and the Community of "
                         "Portuguese-speaking Countries")
    assert ("observerStatus", "state/PRY", "org/cplp") in found
    assert not any(s == "org/cplp-conference-of-heads-of-state-and-government" for _, s, _ in found)


@pytest.mark.parametrize("text", [
    # engagement is a link only when asked for: a noted engagement of a name governed by "of"
    # gave the wrong subject (bulk GA resolution on Iran)
    "Takes note of the report of the Committee on the Elimination of Racial Discrimination in "
    "August 2024, notes the continued engagement of the Government of the Islamic Republic of "
    "Iran with the Office of the United Nations High Commissioner for Human Rights;",
    # the addressees' action is "to devote", not the engagement (bulk, landlocked countries)
    "invite the General Assembly and the Economic and Social Council, as well as the high-level "
    "political forum on sustainable development, to devote adequate time to discussion of the "
    "sustainable development challenges facing the landlocked developing countries in order to "
    "enhance engagement;",
])
def test_engagement_not_asked_for(text):
    assert _found(text) == set()
