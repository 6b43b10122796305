"""Organisation-scoped names, longest match and look-alikes (issue 14): each test is a real
sentence of the GA resolutions of sessions 78-80 (the bulk corpus) that was read wrong before."""

from __future__ import annotations

import pytest

from unkg.extract.entities import english_names, find_mentions
from unkg.model import Document, Paragraph


def _mentions(text: str, language: str = "en") -> list[tuple[str, str]]:
    doc = Document(source="t", loader="test", language=language, text=text,
                   paragraphs=[Paragraph(id="P1", kind="body", text=text, start=0,
                                         end=len(text), line=1)])
    return [(m.entity, m.text) for m in find_mentions(doc)]


@pytest.mark.parametrize(("sentence", "expected", "wrong"), [
    # A/RES/79/332: "secretariat of the <X>" was always the CSTO's secretariat
    ("Recalling the signing of the Memorandum of Understanding between the secretariat of the "
     "Shanghai Cooperation Organization and the United Nations Office on Drugs and Crime",
     ("org/sco-secretariat", "secretariat of the Shanghai Cooperation Organization"),
     "org/csto-secretariat"),
    # A/RES/79/284
    ("the joint declaration on the reinforcement of cooperation between the secretariat of the "
     "Council of Europe and the Office of the United Nations High Commissioner for Human Rights",
     ("org/coe-secretariat", "secretariat of the Council of Europe"), "org/csto-secretariat"),
    # A/RES/79/12: the Council of the League of Arab States was the Security Council
    ("article 3 of the Charter of the League of Arab States, 1 which entrusts the Council of the "
     "League of Arab States with the function of identifying the means",
     ("org/arab-league-council", "Council of the League of Arab States"), "org/security-council"),
    # A/C.1/80/L.54 and A/80/L.15: the AU Peace and Security Council was the Security Council
    ("Welcoming the decision taken by the Peace and Security Council of the African Union on "
     "30 April 2025", ("org/au-psc", "Peace and Security Council of the African Union"),
     "org/security-council"),
    ("encourages the Commission to further enhance its strategic partnership with the African "
     "Union Peace and Security Council and to create a mechanism",
     ("org/au-psc", "African Union Peace and Security Council"), "org/security-council"),
    # A/RES/79/329: the Deputy Chairperson was the Chairperson
    ("high-level strategic dialogue on sustainable development between the Deputy Chairperson "
     "of the African Union Commission and the Deputy Secretary-General of the United Nations",
     ("post/au-commission-deputy-chairperson",
      "Deputy Chairperson of the African Union Commission"), "post/au-commission-chairperson"),
    # A/RES/79/331: the Secretary-General of la Francophonie was the UN's
    ("the reform of the International Organization of la Francophonie undertaken by the "
     "Secretary-General of la Francophonie to make it more flexible and efficient",
     ("post/oif-secretary-general", "Secretary-General of la Francophonie"),
     "post/un-secretary-general"),
    # A/RES/79/332: a footnote number glued to the name hid it
    ("the Economic Cooperation Organization, the Eurasian Economic Union7 and the League of Arab "
     "States,8 as well as", ("org/eaeu", "Eurasian Economic Union"), None),
    # the ASEAN commission was the UN Commission on Human Rights
    ("takes note of the convening of the first Association of Southeast Asian Nations "
     "Intergovernmental Commission on Human Rights–United Nations Dialogue on Human Rights",
     ("org/aichr", "Association of Southeast Asian Nations Intergovernmental Commission on "
      "Human Rights"), "org/commission-on-human-rights"),
    # A/C.4/80/L.18: a longer name holding "United Nations" is one name
    ("in consultation with the United Nations Conciliation Commission for Palestine, for the "
     "protection of Arab property", ("org/unccp",
                                     "United Nations Conciliation Commission for Palestine"),
     "org/united-nations"),
])
def test_a_name_scoped_by_its_organisation(sentence, expected, wrong):
    found = _mentions(sentence)
    assert expected in found
    assert wrong not in {key for key, _ in found}


def test_secretary_general_of_the_commonwealth_of_independent_states():
    """A/RES/79/326 names the CIS in full, then "the Commonwealth": its Secretary-General is the
    CIS's, not the Commonwealth's (nor the UN's)."""
    text = ("Cooperation between the United Nations and the Commonwealth of Independent States. "
            "Requests the Secretary-General to hold for that purpose regular consultations with "
            "the Secretary-General of the Commonwealth , making use of appropriate inter-agency "
            "forums. Welcoming the Secretary-General of the Commonwealth of Independent States.")
    found = _mentions(text)
    keys = [key for key, _ in found]
    assert keys.count("post/cis-secretary-general") == 2
    assert "post/commonwealth-secretary-general" not in keys
    assert ("post/un-secretary-general", "Secretary-General") in found


def test_a_made_post_has_its_organisations_names():
    found = dict(_mentions("the secretariat of the League of Arab States"))
    assert "org/arab-league-secretariat" in found
    names = english_names("org/arab-league-secretariat")
    assert {"Secretariat of the League of Arab States", "Arab League Secretariat"} <= names


def test_united_states_dollars_mention_no_state():
    """A/80/L.23 (154 such mentions in 102 bulk GA resolutions)."""
    text = ("Emphasizing the call by the Secretary-General to achieve an annual funding level of "
            "1 billion United States dollars, and welcoming the contribution of the United "
            "States of America")
    found = _mentions(text)
    assert [t for key, t in found if key == "state/USA"] == ["United States of America"]


@pytest.mark.parametrize(("sentence", "president"), [
    # A/C.3/80/L.1: after the Human Rights Council
    ("allocating the item entitled \u201cReport of the Human Rights Council\u201d to the plenary "
     "of the Assembly and to the Third Committee, with the understanding that the President of "
     "the Council will present the report", "post/human-rights-council-president"),
    # A/RES/79/199: after the Economic and Social Council
    ("Invites the President of the Economic and Social Council to take into consideration the "
     "summary by the President of the Council of the 2024 forum on financing for development",
     "post/president-of-ecosoc"),
    # A/RES/79/138: after the Security Council
    ("Recalling Security Council resolution 2730 (2024) of 24 May 2024, and relevant statements "
     "by the President of the Council,", "post/president-of-the-security-council"),
])
def test_president_of_the_council_is_the_president_of_the_council_named_last(sentence, president):
    found = _mentions(sentence)
    assert (president, "President of the Council") in found
    others = {"post/president-of-the-security-council", "post/president-of-ecosoc",
              "post/human-rights-council-president"} - {president}
    assert not others & {key for key, _ in found}


def test_french_scoped_names():
    found = _mentions("Le Secrétaire général de l'OTSC, le secrétariat de la Ligue des États "
                      "arabes et le Secrétaire général de la Communauté d'États indépendants.",
                      "fr")
    keys = {key for key, _ in found}
    assert {"post/csto-secretary-general", "org/arab-league-secretariat",
            "post/cis-secretary-general"} <= keys
    assert "post/un-secretary-general" not in keys


def test_a_title_named_with_the_united_nations_is_no_new_entity():
    keys = {key for key, _ in _mentions("the Secretary-General of the United Nations and the "
                                        "Council of the United Nations")}
    assert "post/un-secretary-general" in keys
    assert not any(key.startswith("org/united-nations-") for key in keys)


def test_names_of_organisations_the_authority_does_not_list():
    """A/RES/79/265 (observers of the CPLP) and A/RES/79/330 (organs of the ECO): a capitalised
    name holding a head noun of vocab/org-titles.ttl names an organisation; a State inside it is
    part of the name; after an organisation's name it is one of its organs."""
    found = _mentions(
        "the Portuguese Football Federation, the Forum on Higher Education Management in "
        "Portuguese-speaking Countries and Regions, the National Council for Ethics in Life "
        "Sciences of Portugal and the Brazilian Institute of Family Law; Appreciates regular "
        "contacts among the Economic Cooperation Organization Trade and Development Bank, the "
        "Islamic Development Bank and the World Summit on the Information Society")
    assert ("org/named/portuguese-football-federation", "Portuguese Football Federation") in found
    assert ("org/named/brazilian-institute-of-family-law",
            "Brazilian Institute of Family Law") in found
    assert ("org/named/national-council-for-ethics-in-life-sciences-of-portugal",
            "National Council for Ethics in Life Sciences of Portugal") in found
    assert "state/PRT" not in {key for key, _ in found}
    assert ("org/eco-trade-and-development-bank",
            "Economic Cooperation Organization Trade and Development Bank") in found
    assert "ECO Trade and Development Bank" in english_names("org/eco-trade-and-development-bank")
    assert ("org/isdb", "Islamic Development Bank") in found
    assert not any("Society" in text for _, text in found)


@pytest.mark.parametrize("sentence", [
    "the draft resolution was adopted without reference to a Main Committee",
    "with 3 abstentions (Czechoslovakia, France, Union of Soviet Socialist Republics)",
    "the Association of South-East Nations (ASEAN); the Organization",
])
def test_no_organisation_name_where_none_is(sentence):
    assert not any(key.startswith("org/named/") for key, _ in _mentions(sentence))


@pytest.mark.parametrize(("sentence", "wrong"), [
    # bulk GA resolutions (audit sample): a name that is only the first words of a longer one
    ("a conference on an international legally binding instrument under the United Nations "
     "Convention on the Law of the Sea on the conservation",
     ("org/united-nations", "United Nations")),
    ("6,808,700 dollars for the United Nations Logistics Base at Brindisi, Italy",
     ("org/united-nations", "United Nations")),
    ("Encourages UN-Energy to support coherence and coordination", ("org/united-nations", "UN")),
    ("the work of the Quadripartite Joint Secretariat on Antimicrobial Resistance",
     ("org/un-secretariat", "Secretariat")),
    ("Recalling the advisory opinion of the International Court of Justice, and the crimes tried "
     "in national justice systems, including the Court of Bosnia and Herzegovina",
     ("org/icj", "Court")),
    ("Welcoming the work of the Committee on World Food Security, notes that the Committee on "
     "Fisheries of the Food and Agriculture Organization of the United Nations",
     ("org/cfs", "Committee")),
])
def test_a_piece_of_a_longer_name_mentions_nothing(sentence, wrong):
    assert wrong not in _mentions(sentence)


@pytest.mark.parametrize(("sentence", "expected"), [
    # bodies of authority/organs-and-offices.ttl, each on a sentence of the bulk GA resolutions
    # that named none of them before
    ("Commends the Codification Division of the Office of Legal Affairs of the Secretariat for "
     "the cost-saving measures", ("org/codification-division", "Codification Division of the "
                                  "Office of Legal Affairs of the Secretariat")),
    ("emergency humanitarian assistance of the United Nations 1 and on the Central Emergency "
     "Response Fund,2 Reaffirming the principles of humanity",
     ("org/cerf", "Central Emergency Response Fund")),
    ("Recalling also the fifteenth meeting of the Conference of the Parties to the Convention on "
     "Biological Diversity, and welcoming the Kunming-Montreal Global Biodiversity Framework",
     ("org/cbd-cop", "Conference of the Parties to the Convention on Biological Diversity")),
    ("the convening of the Internet Governance Forum, should continue to follow the provisions",
     ("org/igf", "Internet Governance Forum")),
    ("ministerial meetings of the United Nations Standing Advisory Committee on Security Questions "
     "in Central Africa, in Libreville",
     ("org/unsac", "United Nations Standing Advisory Committee on Security Questions in Central "
                   "Africa")),
    ("the Pacific Islands Forum and the agencies of the Council of Regional Organizations in the "
     "Pacific, Recalling the statement", ("org/crop",
                                          "Council of Regional Organizations in the Pacific")),
    # A/RES/79/330
    ("at the twenty-ninth session of the Conference of the Parties to the United Nations Framework "
     "Convention on Climate Change in Baku",
     ("org/unfccc-cop", "Conference of the Parties to the United Nations Framework Convention on "
                        "Climate Change")),
])
def test_organs_and_offices_the_authority_lacked(sentence, expected):
    assert expected in _mentions(sentence)


@pytest.mark.parametrize(("sentence", "expected"), [
    # A/RES/75/276: the secretariats were the organisations
    ("Welcomes the efforts of the secretariats of the United Nations and the Collective Security "
     "Treaty Organization to enhance coordination",
     [("org/un-secretariat", "secretariats of the United Nations"),
      ("org/csto-secretariat", "Collective Security Treaty Organization")]),
    # A/RES/79/330: a listed "secretariat of <convention>" for each convention of the list
    ("the Intergovernmental Panel on Climate Change and the secretariats of the United Nations "
     "Framework Convention on Climate Change, the United Nations Convention to Combat "
     "Desertification and the Convention on Biological Diversity;",
     [("org/unfccc-secretariat",
       "secretariats of the United Nations Framework Convention on Climate Change"),
      ("org/unccd-secretariat", "United Nations Convention to Combat Desertification"),
      ("org/cbd-secretariat", "Convention on Biological Diversity")]),
])
def test_a_plural_title_is_the_title_in_each_organisation_of_the_list(sentence, expected):
    found = _mentions(sentence)
    assert all(item in found for item in expected)
    assert not {"org/united-nations", "org/csto"} & {key for key, _ in found}


def test_an_unlisted_organ_named_with_of_and_its_organisation():
    # A/RES/78/136: the committee was no entity, the OECD the only one
    found = _mentions("as well as the safeguards of the Development Assistance Committee of the "
                      "Organisation for Economic Co-operation and Development in its statistical "
                      "system")
    assert found == [("org/oecd-development-assistance-committee",
                      "Development Assistance Committee of the Organisation for Economic "
                      "Co-operation and Development")]
    assert "OECD Development Assistance Committee" in english_names(found[0][0])


def test_a_list_of_organs_ending_with_their_organisation():
    # A/RES/79/330: each organ of the list belongs to the organisation named at its end
    found = _mentions("Notes with appreciation the activities of the Cultural Institute, the "
                      "Science Foundation and the Educational Institute of the Economic "
                      "Cooperation Organization as specialized agencies of the Organization")
    keys = [key for key, _ in found]
    assert keys[:3] == ["org/eco-cultural-institute", "org/eco-science-foundation",
                        "org/eco-educational-institute"]
    assert "ECO Science Foundation" in english_names("org/eco-science-foundation")
    assert "org/eco" not in keys


def test_a_bare_title_is_that_of_the_organisation_named_last():
    # A/RES/78/29: the OPCW's organs, named without it after it was named
    found = _mentions(
        "Re-emphasizing its unequivocal support for the decision of the Director General of the "
        "Organisation for the Prohibition of Chemical Weapons to continue the mission. Recalls "
        "decision C-26/DEC.10 of the Conference of the States Parties, entitled “Understanding”. "
        "Expresses grave concern that, despite the verified destruction of all 27 chemical weapons "
        "production facilities declared by the Syrian Arab Republic, the Technical Secretariat, "
        "as recently reported by the Director General in his report of 25 September 2023")
    keys = [key for key, _ in found]
    assert keys == ["post/opcw-director-general", "org/opcw-conference-of-states-parties",
                    "state/SYR", "org/opcw-technical-secretariat", "post/opcw-director-general"]


def test_a_bare_title_followed_by_its_own_treaty_is_not_the_last_organisation():
    # A/RES/78/140: this conference belongs to the convention named after it, not to INTERPOL
    found = _mentions("in cooperation with the International Criminal Police Organization. "
                      "Recognizing the work carried out by the Conference of the States Parties "
                      "to the United Nations Convention against Corruption")
    assert not any("interpol-" in key for key, _ in found)
