"""Typed citations: targets, places and functions (functions read from the vocabulary)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SKOS

from unkg.extract.document import parse_text
from unkg.extract.functions import function_labels
from unkg.loaders import load_file
from unkg.model import Document
from unkg.ontology import data_file, prefixes


@pytest.fixture(scope="module")
def resolution(corpus_dir: Path) -> Document:
    return load_file(corpus_dir / "seeds" / "001_88a3ec35e753d387.txt")[0]


def _cits(doc: Document, target: str) -> list:
    return [c for c in doc.citations if c.target == target]


@pytest.mark.parametrize(
    ("target", "function", "paragraph", "footnote"),
    [
        ("A/RES/59/50", "recalls", "PP3", None),
        ("A/RES/64/256", "recalls", "PP4", None),
        ("A/RES/65/122", "recalls", "PP4", None),
        ("A/RES/67/6", "recalls", "PP4", None),
        ("A/RES/49/57", "recalls", "PP4", "FN2"),
        ("S/RES/1631(2005)", "recalls", "PP5", None),
        ("S/PRST/2010/1", "recalls", "PP5", "FN3"),
        ("S/PRST/2013/12", "recalls", "PP5", "FN4"),
        ("A/RES/60/288", "welcomes", "PP8", "FN5"),
        ("A/RES/60/288", "callsUpon", "OP5", "FN5"),
        ("E/2009/28", "welcomes", "PP10", "FN6"),
        ("A/69/228", "havingConsidered", "PP1", "FN1"),
        ("S/2014/560", "havingConsidered", "PP1", "FN1"),
        ("A/69/228", "welcomes", "OP1", "FN1"),
        ("A/69/L.13", "adoptedFromDraft", "HDR", None),
    ],
)
def test_seed_resolution_citations(
    resolution: Document, target: str, function: str, paragraph: str, footnote: str | None
) -> None:
    found = {(c.function, c.paragraph, c.footnote) for c in _cits(resolution, target)}
    assert (function, paragraph, footnote) in found


def test_seed_citation_details(resolution: Document) -> None:
    annex = _cits(resolution, "A/RES/49/57")[0]
    assert annex.part == "annex"
    for c in resolution.citations:
        assert resolution.text[c.start : c.end] == c.text
    assert "A/RES/69/12" not in {c.target for c in resolution.citations}  # never cites itself
    assert _cits(resolution, "S/RES/1631(2005)")[0].text == "1631 (2005) du 17 octobre 2005"


def test_seed_letter_citations(corpus_dir: Path) -> None:
    doc = load_file(corpus_dir / "seeds" / "000_d30999ef5195cbdd.txt")[0]
    found = {(c.target, c.function, c.paragraph) for c in doc.citations}
    assert ("A/RES/59/50", "refersTo", "ANNEX2/PP1") in found
    assert ("S/RES/1631(2005)", "refersTo", "ANNEX2/PP4") in found


@pytest.mark.parametrize(
    ("sentence", "targets"),
    [
        (
            "Recalling its resolutions 1996 (2011), 2046 (2012) and 2206 (2015),",
            ["S/RES/1996(2011)", "S/RES/2046(2012)", "S/RES/2206(2015)"],
        ),
        (
            "Rappelant ses résolutions 64/256 du 2 mars "
            "2010, 65/122 du 13 décembre 2010 et 67/6 du "
            "19 novembre 2012,",
            ["A/RES/64/256", "A/RES/65/122", "A/RES/67/6"],
        ),
        (
            "Recalling its resolutions 2453 A (XXIII) of 20 "
            "December 1968 and 37/90 of 10 December 1982 "
            "and its decision 71/556 of 8 September 2017,",
            ["A/RES/2453(XXIII)", "A/RES/37/90", "A/DEC/71/556"],
        ),
        ("Recalling Human Rights Council resolution 5/1 of 18 June 2007,", ["A/HRC/RES/5/1"]),
        ("Recalling its resolutions ES-10/1 and S-26/2,", ["A/RES/ES-10/1", "A/RES/S-26/2"]),
        (
            "Notes the report (A/50/141 et Corr.2 et Add.1 à 3),",
            ["A/50/141", "A/50/141/Corr.2", "A/50/141/Add.1", "A/50/141/Add.2", "A/50/141/Add.3"],
        ),
        ("Séances plénières A/61/PV.38 et 39.", ["A/61/PV.38", "A/61/PV.39"]),
        ("Welcoming the report,1 and article 3 of the decision 1/CP.21,", []),
    ],
)
def test_running_text_forms(sentence: str, targets: list[str]) -> None:
    text = f"The General Assembly,\n\n{sentence}\n"
    doc = parse_text(
        text, source="t.txt", hints={"language": "en" if "Recall" in sentence else "fr"}
    )
    assert sorted({c.target for c in doc.citations}) == sorted(targets)


def test_function_is_read_from_the_vocabulary() -> None:
    graph = rdflib.Graph().parse(
        data=data_file("vocab/citation-functions.ttl").read_text("utf-8"), format="turtle"
    )
    ns = prefixes()["citfn"]
    concepts = {str(c)[len(ns) :] for c in graph.subjects(SKOS.inScheme, rdflib.URIRef(ns))}
    assert {fl.concept for fl in function_labels()} == concepts
    for concept in concepts:  # every concept is labelled in English and French
        langs = {lbl.language for lbl in graph.objects(rdflib.URIRef(ns + concept), SKOS.prefLabel)}
        assert {"en", "fr"} <= langs


def test_requests_report_gap_label() -> None:
    text = (
        "The General Assembly,\n\n1. Requests the Secretary-General to submit to it at its "
        "seventy-fifth session a report on the implementation of resolution 73/331;\n"
    )
    doc = parse_text(text, source="t.txt", hints={"language": "en"})
    assert [(c.target, c.function) for c in doc.citations] == [("A/RES/73/331", "requestsReport")]


# --- named instruments (implicit citations) -----------------------------------------------------


def test_declaration_cited_by_date_and_name(corpus_dir: Path) -> None:
    # "…et à la Déclaration du 9 décembre 1994 de l'Assemblée générale sur le renforcement de la
    # coopération entre l'Organisation des Nations Unies et les accords ou organismes régionaux"
    doc = load_file(corpus_dir / "seeds" / "000_d30999ef5195cbdd.txt")[0]
    cits = _cits(doc, "A/RES/49/57")
    assert [(c.paragraph, c.function, c.implicit) for c in cits] == [
        ("ANNEX2/PP4", "refersTo", True)
    ]
    assert cits[0].text.startswith("Déclaration du 9 décembre 1994 de l'Assemblée générale sur")
    assert doc.text[cits[0].start : cits[0].end] == cits[0].text


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("Invites them to implement the United Nations Global Counter-Terrorism Strategy,",
         "A/RES/60/288"),
        ("Invite à appliquer la Stratégie antiterroriste mondiale des Nations Unies,",
         "A/RES/60/288"),
        ("Recalling the Universal Declaration of Human Rights,", "A/RES/217(III)"),
        ("Rappelant la Déclaration universelle des droits de l'homme,", "A/RES/217(III)"),
        ("Reaffirming the 2030 Agenda for Sustainable Development,", "A/RES/70/1"),
        ("Recalling the United Nations Global Counter‑Terrorism Strategy,", "A/RES/60/288"),
    ],
)
def test_named_instruments(sentence: str, target: str) -> None:
    text = f"The General Assembly,\n\n{sentence}\n"
    doc = parse_text(text, source="t", hints={"symbol": "A/RES/1/1"})
    assert [(c.target, c.implicit) for c in doc.citations] == [(target, True)]
    assert doc.citations[0].function != "cites"  # the introducing verb still gives the function


def test_instrument_symbol_matches_the_symbol_grammar() -> None:
    from unkg.extract.citations import instruments
    from unkg.extract.symbols import resolution_symbol

    found = {i.key: i.target for i in instruments()}
    assert 20 <= len(found) <= 40
    # 217 A (III) written in running text gives the same canonical symbol as the data file
    assert found["instrument/udhr"] == resolution_symbol("217", roman="III") == "A/RES/217(III)"
    assert found["instrument/global-counter-terrorism-strategy"] == "A/RES/60/288"


def test_every_instrument_has_english_and_french_titles() -> None:
    import rdflib
    from rdflib.namespace import DCTERMS

    from unkg.ontology import data_file

    graph = rdflib.Graph().parse(
        data=data_file("authority/instruments.ttl").read_text(encoding="utf-8"), format="turtle",
        publicID="https://w3id.org/unkg/",
    )
    nodes = set(graph.subjects(DCTERMS.isPartOf, None))
    assert nodes
    for node in nodes:
        langs = {t.language for t in graph.objects(node, DCTERMS.title)}
        assert {"en", "fr"} <= langs, node


def test_footnoted_instrument_is_one_explicit_citation(resolution: Document) -> None:
    # seed 001: "…la Stratégie antiterroriste mondiale des Nations Unies<sup>5</sup>", FN5 gives
    # resolution 60/288: one citation per paragraph, the explicit one
    cits = _cits(resolution, "A/RES/60/288")
    assert cits and all(not c.implicit and c.footnote == "FN5" for c in cits)
    assert len({c.paragraph for c in cits}) == len(cits)


def test_treaty_organisation_is_not_the_treaty() -> None:
    text = ("The General Assembly,\n\nWelcoming the work of the Preparatory Commission for the "
            "Comprehensive Nuclear-Test-Ban Treaty Organization,\n")
    doc = parse_text(text, source="t", hints={"symbol": "A/RES/1/1"})
    assert doc.citations == []


# --- functions in body text (web pages, press releases) -----------------------------------------


def test_agenda_annotation_functions(corpus_dir: Path) -> None:
    doc = load_file(corpus_dir / "texts" / "A_63_100__i_islamic_conference.fr.txt")[0]
    functions = {c.target: c.function for c in doc.citations}
    assert functions["A/35/192"] == "requestedBy"  # "à la demande du Pakistan (A/35/192)"
    assert functions["A/RES/35/36"] == "consideredIn"  # "L'Assemblée générale l'a examinée …"
    assert functions["A/RES/59/8"] == "consideredIn"
    doc = load_file(corpus_dir / "texts" / "A_63_100__i_francophonie.fr.txt")[0]
    functions = {c.target: c.function for c in doc.citations}
    assert functions["A/33/242"] == "requestedBy"
    # the next sentence ("Le statut d'observateur … a été octroyé … (résolution 33/18)") does not
    # inherit "à la demande de"
    assert functions["A/RES/33/18"] == "cites"


def test_participle_inside_a_press_release_sentence(corpus_dir: Path) -> None:
    # "Adoptée à l'unanimité, au cours d'une réunion …, la résolution 1631 (2005) vise …"
    doc = load_file(corpus_dir / "texts" / "CS_8526.fr.txt")[0]
    assert _cits(doc, "S/RES/1631(2005)")[0].function == "reportsAdoption"


def test_apostrophe_labels_match_either_apostrophe() -> None:
    from unkg.extract.functions import function_at

    for text in ("Ayant à l'esprit la résolution 1/1,", "Ayant à l’esprit la résolution 1/1,"):
        assert function_at(text, text.index("résolution"), kind="preambular")[0] == "bearsInMind"


def test_letter_runs_of_a_paragraph_are_the_regex_runs():
    """The quick word split used to choose which labels and instruments to try takes exactly the
    runs of letters the regex class [^\\W\\d_] takes (digits, "_", "²" and punctuation split)."""
    from unkg.extract.citations import _words_of
    from unkg.extract.labels import LETTERS

    for text in ("Rappelant sa résolution 59/50, annexe", "x_y²½ é9a Ⅻ ǅ ß İstanbul ﬁn",
                 "the 2030 Agenda for Sustainable Development", ""):
        assert _words_of(text) == set(LETTERS.findall(text.lower()))


def test_named_instrument_found_in_a_paragraph_of_many_lines():
    """A title broken over lines is still found (instruments.ttl: the ICCPR is part of
    A/RES/2200(XXI), the CRC of A/RES/44/25), with the paragraph's function."""
    text = ("United Nations\nA/RES/70/999\n\nThe General Assembly,\n\n"
            "Recalling the International Covenant on\nCivil and Political Rights and the\n"
            "Convention on the Rights of the Child,\n")
    doc = parse_text(text, source="inst.txt")
    implicit = {(c.target, c.function) for c in doc.citations if c.implicit}
    assert implicit == {("A/RES/2200(XXI)", "recalls"), ("A/RES/44/25", "recalls")}


@pytest.mark.parametrize("view", [
    "Recalling A/RES/78/1 and S/RES/2719 (2023), A/69/228-S/2014/560 and document A/C.3/80/L.10,",
    "xA/RES/1, UNDP/UNFPA/2024/1, ABCDEFGH/1, www.un.org/A/RES/5 and (A/50/141/Add.1).",
    "",
])
def test_symbol_candidates_are_those_of_the_plain_regex(view: str) -> None:
    # `_symbol_matches` only tries where a run of capitals before "/" starts: it must find what
    # SYMBOL_IN_TEXT.finditer finds scanning every character
    from unkg.extract.citations import _symbol_matches
    from unkg.extract.symbols import SYMBOL_IN_TEXT

    def spans(matches):
        return [(m.span(), m.group("symbol")) for m in matches]

    assert spans(_symbol_matches(view)) == spans(SYMBOL_IN_TEXT.finditer(view))
    assert spans(SYMBOL_IN_TEXT.finditer(view)) or not view.strip()
