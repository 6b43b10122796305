"""Typed citations: targets, places and functions (functions read from the vocabulary)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SKOS

from unkg.loaders import load_file
from unkg.loaders.citations import function_for_verb, function_labels
from unkg.loaders.text import parse_text
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
    assert function_for_verb("Rappelant") == "recalls"
    assert function_for_verb("Se félicitant") == "welcomes"
    assert function_for_verb("takes note with appreciation") == "takesNoteOf"
    assert function_for_verb("adopted_on_basis_of") == "adoptedFromDraft"
    assert function_for_verb("referring further") == "refersTo"
    assert function_for_verb("Ayant examiné") == "havingConsidered"


def test_requests_report_gap_label() -> None:
    text = (
        "The General Assembly,\n\n1. Requests the Secretary-General to submit to it at its "
        "seventy-fifth session a report on the implementation of resolution 73/331;\n"
    )
    doc = parse_text(text, source="t.txt", hints={"language": "en"})
    assert [(c.target, c.function) for c in doc.citations] == [("A/RES/73/331", "requestsReport")]
