"""Entity mentions against the real corpus texts (expected items checked against the texts)."""

from __future__ import annotations

import re
import time

import pytest

from benchmarks.evaluate import gold_manifest
from unkg.extract.document import parse_text
from unkg.extract.entities import find_mentions
from unkg.model import Document, Paragraph


def _load(corpus_dir, name):
    path = next(corpus_dir.glob(f"*/{name}"))
    return parse_text(path.read_text(encoding="utf-8"), source=path.name)


def _doc(text: str, language: str = "fr") -> Document:
    """One-paragraph document built by hand."""
    return Document(source="t", loader="test", language=language, text=text,
                    paragraphs=[Paragraph(id="P1", kind="body", text=text, start=0,
                                          end=len(text), line=1)])


@pytest.fixture(scope="module")
def letter(corpus_dir):
    return _load(corpus_dir, "000_d30999ef5195cbdd.txt")


def test_letter_entities(letter):
    labels = {m.label for m in letter.mentions}
    assert {"Collective Security Treaty Organization", "Kyrgyzstan", "Russian Federation",
            "Department of Political Affairs", "United Nations Office on Drugs and Crime",
            "Counter-Terrorism Committee", "Counter-Terrorism Committee Executive Directorate",
            "Collective Security Council", "Secretary-General of the United Nations",
            "Vitaly Churkin"} <= labels
    kgz = next(m for m in letter.mentions if m.entity == "state/KGZ")
    assert kgz.text == "République kirghize"
    assert any(m.text == "OTSC" and m.entity == "org/csto" for m in letter.mentions)


def test_collective_security_council_is_not_the_security_council(letter):
    # "réunion du Conseil de sécurité collective" in annex I, paragraph 4.
    p4 = [m for m in letter.mentions if m.paragraph == "ANNEX1/P4"]
    assert [m.entity for m in p4 if "Conseil" in m.text] == ["org/csto-collective-security-council"]


def test_offsets_point_at_the_surface(letter):
    for m in letter.mentions:
        assert " ".join(letter.text[m.start:m.end].split()) == m.text


def test_bare_executive_directorate_needs_its_parent():
    assert [m.entity for m in find_mentions(_doc("Le Comité contre le terrorisme et sa Direction "
                                                 "exécutive."))] == ["org/ctc", "org/cted"]
    assert find_mentions(_doc("La Direction exécutive du programme a été renouvelée.")) == []


def test_secretary_general_of_csto_vs_un(corpus_dir):
    doc = _load(corpus_dir, "001_88a3ec35e753d387.txt")
    op4 = [m.entity for m in doc.mentions if m.paragraph == "OP4" and m.kind == "official"]
    assert op4 == ["post/un-secretary-general", "post/csto-secretary-general"]


def test_acronyms_only_as_capital_words():
    doc = _doc("Un rapport de l'ONU et un autre de l'OTSC; l'otsc en minuscules ne compte pas.")
    assert [(m.entity, m.text) for m in find_mentions(doc)] == [
        ("org/united-nations", "ONU"), ("org/csto", "OTSC")]


def test_damaged_accents_and_broken_words():
    doc = _doc("Rapport du Secrtaire gnral sur la Cour pénale Internati onale.")
    assert [m.entity for m in find_mentions(doc)] == ["post/un-secretary-general", "org/icc"]


def test_elision_and_typographic_apostrophe():
    doc = _doc("entre l’Organisation des Nations Unies et l'Organisation de l’unité africaine")
    assert [m.entity for m in find_mentions(doc)] == ["org/united-nations", "org/oau"]


def test_titled_person():
    doc = _doc("Mr. Kofi Annan spoke after the President of the General Assembly.", "en")
    assert [(m.entity, m.kind) for m in find_mentions(doc)] == [
        ("person/kofi-annan", "person"),
        ("post/president-of-the-general-assembly", "official")]


def _names(entities):
    # A gold name "Czech Republic (Czechia)" is compared without its parenthesis.
    return {re.sub(r"\s*\(.*?\)\s*$", "", e).strip().lower() for e in entities}


def test_entity_f1_over_the_corpus(corpus_dir):
    manifest = gold_manifest()
    tp = fp = fn = 0
    for item in manifest["documents"]:
        path = corpus_dir / item["file"]
        if not path.exists():
            continue
        doc = parse_text(path.read_text(encoding="utf-8"), source=path.name)
        gold = _names(e["name"] for e in item["gold"].get("entities", []))
        got = _names(m.label for m in doc.mentions)
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.90, (precision, recall, f1)


def test_fast_enough(letter):
    start = time.perf_counter()
    for _ in range(20):
        find_mentions(letter)
    assert (time.perf_counter() - start) / 20 < 0.05  # 3,045 documents well under a minute


def test_title_of_an_anaphor_is_the_post_of_the_body_named_before():
    doc = _doc("Welcoming the cooperation of the International Criminal Court, the Prosecutor of "
               "the Court and the Registrar of the Court reported.", "en")
    assert [m.entity for m in find_mentions(doc)] == [
        "org/icc", "post/icc-prosecutor", "post/icc-registrar"]
    # With the General Assembly as antecedent, "the President of the Assembly" is its President.
    doc = _doc("The General Assembly heard the President of the Assembly.", "en")
    assert [m.entity for m in find_mentions(doc)] == [
        "org/general-assembly", "post/president-of-the-general-assembly"]


def test_title_of_an_anaphor_needs_a_matching_antecedent():
    # No court named before: "the Prosecutor of the Court" names no authority post.
    doc = _doc("The General Assembly thanks the Prosecutor of the Court.", "en")
    assert [m.entity for m in find_mentions(doc)] == ["org/general-assembly"]


def test_longest_name_wins_over_the_names_inside_it():
    # A/RES/73/7 OP22: one office, not the Court plus Headquarters.
    doc = _doc("the work undertaken by the International Criminal Court liaison office to "
               "United Nations Headquarters", "en")
    assert [m.entity for m in find_mentions(doc)] == ["org/icc-liaison-office"]


def test_former_member_states_and_former_names():
    doc = _doc("with 3 abstentions (Czechoslovakia, France, Union of Soviet Socialist Republics); "
               "the USSR and Zaire voted in favour.", "en")
    assert [m.entity for m in find_mentions(doc)] == [
        "state/CSK", "state/FRA", "state/SUN", "state/SUN", "state/COD"]


def test_acronym_inside_a_document_symbol_is_not_a_mention():
    doc = _doc("Recalls decision Assembly/AU/Dec.729(XXXII) of the African Union (AU).", "en")
    assert [(m.entity, m.text) for m in find_mentions(doc)] == [
        ("org/au", "African Union"), ("org/au", "AU")]


def test_header_lines_are_separate_names_but_wrapped_body_lines_are_not() -> None:
    # Regression: the header fields "United Nations" / "General Assembly" were read as one name.
    text = ("United Nations\nGeneral Assembly\nDistr.: General\n\nSixty-ninth session\n\n"
            "The General Assembly,\n\nRecalling the work of the United Nations\n"
            "General Assembly and the Security Council,\n")
    doc = parse_text(text, source="header.txt")
    header = [m.text for m in doc.mentions if m.paragraph == "HDR"]
    assert header[:2] == ["United Nations", "General Assembly"]
    body = [(m.text, m.label) for m in doc.mentions if m.paragraph == "PP1"]
    assert ("United Nations General Assembly", "General Assembly") in body


def test_gazetteer_is_the_same_in_every_process():
    """Two entities share a label ("United Nations High Commissioner for Refugees": the post's
    name, an alternative name of UNHCR); which one a bare mention gets must not depend on the
    hash seed of the process (it did while entities were read from a set)."""
    import os
    import subprocess
    import sys

    script = ("from unkg.extract import entities as E\n"
              "n = E.gazetteer().trie\n"
              "for t in E._tokens('United Nations High Commissioner for Refugees'): n = n[t]\n"
              "print([e.key for e in n['']])")
    orders = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "4", "7")
    }
    assert len(orders) == 1
    assert "org/unhcr" in orders.pop()


def test_word_offsets_match_the_regex():
    from unkg.extract.entities import _WORD, _words_and_spans, fold

    text = fold("L’Organisation du Traité — OTSC, 2e session: Internati onal\n  Cour_pénale ½ ")
    words, spans = _words_and_spans(text)
    assert words == _WORD.findall(text)
    assert spans == [m.span() for m in _WORD.finditer(text)]


def test_fold_of_ascii_text_is_the_translate_table():
    # fold() lower-cases ASCII text directly: it must give what the accent-folding table gives
    from unkg.extract.entities import _FOLD, fold

    ascii_text = "".join(map(chr, range(128))) + " The UNITED Nations, OTSC/CSTO_2024"
    assert fold(ascii_text) == ascii_text.translate(_FOLD)
    assert fold("Assemblée GÉNÉRALE") == "assemblee generale"


def test_a_first_token_alone_starts_nothing_but_a_longer_name_still_matches():
    # "the" starts "the Democratic Republic of the Congo" only: followed by anything else the
    # scan skips it; a name cut by PDF extraction at its first or second word is still found
    doc = _doc("the General Assembly and the Democratic Republic of the Congo, the Internati onal "
               "Criminal Court and the International Crimi nal Court.")
    assert [m.entity for m in find_mentions(doc)] == [
        "org/general-assembly", "state/COD", "org/icc", "org/icc"]


def test_a_lookalike_name_mentions_nothing_and_the_entity_is_still_found():
    """"Commonwealth of the Northern Mariana Islands" (a United States territory, 6 times in the
    bulk GA resolutions) is not the Commonwealth: the authority lists it as a lookalike name."""
    text = ("Welcomes the cooperation of the Commonwealth of the Northern Mariana Islands and of "
            "the Commonwealth of Puerto Rico with the Commonwealth and the Commonwealth of "
            "Independent States.")
    mentions = find_mentions(_doc(text, "en"))
    found = [(m.entity, m.text) for m in mentions]
    assert ("org/commonwealth", "Commonwealth") in found
    assert [m.start for m in mentions if m.entity == "org/commonwealth"] == [
        text.index("Commonwealth and")]
    assert "org/cis" in {m.entity for m in mentions}
