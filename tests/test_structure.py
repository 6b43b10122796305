"""Document structure read from the seeds and from PDF-extracted texts of the bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg.loaders import load_file
from unkg.model import Document


@pytest.fixture(scope="module")
def resolution(corpus_dir: Path) -> Document:
    return load_file(corpus_dir / "seeds" / "001_88a3ec35e753d387.txt")[0]


@pytest.fixture(scope="module")
def letter(corpus_dir: Path) -> Document:
    return load_file(corpus_dir / "seeds" / "000_d30999ef5195cbdd.txt")[0]


def test_resolution_header(resolution: Document) -> None:
    assert resolution.symbol == "A/RES/69/12"
    assert resolution.type == "resolution"
    assert resolution.language == "fr"
    assert resolution.organ == "org/general-assembly"
    assert resolution.date == "2014-11-11"  # "adoptée … le 11 novembre 2014"
    assert resolution.distribution_date == "2014-11-26"
    assert resolution.distribution == "general"
    assert resolution.session == "69"
    assert resolution.agenda_items == ["123g"]  # "Point 123, g, de l'ordre du jour"
    assert resolution.title.startswith("Coopération entre l'Organisation des Nations Unies")
    assert resolution.draft == "A/69/L.13"
    assert resolution.basis_text == "[sans renvoi à une grande commission (A/69/L.13)]"


def test_resolution_paragraphs(resolution: Document) -> None:
    ids = [p.id for p in resolution.paragraphs]
    # 13 preambular paragraphs (counted in the text) and 9 numbered operative paragraphs
    assert [i for i in ids if i.startswith("PP")] == [f"PP{n}" for n in range(1, 14)]
    assert [i for i in ids if i.startswith("OP")] == [f"OP{n}" for n in range(1, 10)]
    assert sorted(i for i in ids if i.startswith("FN")) == [f"FN{n}" for n in range(1, 7)]
    by_id = {p.id: p for p in resolution.paragraphs}
    assert by_id["PP3"].opening == "Rappelant également"
    assert by_id["PP10"].opening == "Se félicitant"
    assert by_id["OP8"].opening == "Prie"
    assert by_id["OP1"].opening == "Accueille avec satisfaction"
    # the paragraph cut by the footnotes continues after them ("capable … d'apporter des réponses")
    assert "capable d'apporter des réponses appropriées" in by_id["PP6"].text
    # footnotes are tied to the paragraphs carrying their markers
    assert by_id["PP4"].footnotes == ["FN2"]
    assert by_id["PP5"].footnotes == ["FN3", "FN4"]
    assert by_id["OP1"].footnotes == ["FN1"]
    assert by_id["FN2"].text == "Résolution 49/57, annexe."


def test_offsets_point_into_the_source(resolution: Document) -> None:
    text = resolution.text
    for p in resolution.paragraphs:
        assert 0 <= p.start < p.end <= len(text)
    pp3 = next(p for p in resolution.paragraphs if p.id == "PP3")
    assert text[pp3.start : pp3.end].startswith("Rappelant également* sa résolution 59/50")
    assert text.count("\n", 0, pp3.start) + 1 == pp3.line


def test_meeting_line(resolution: Document) -> None:
    assert resolution.meeting is not None
    assert resolution.meeting.number == 48
    assert resolution.meeting.kind == "plenary"
    assert resolution.meeting.date == "2014-11-11"


def test_letter_parts(letter: Document) -> None:
    assert letter.symbol is None
    assert letter.content_id and letter.content_id.startswith("sha256-")
    assert len(letter.content_id) == len("sha256-") + 16
    assert any("no symbol" in w for w in letter.warnings)
    assert letter.type == "letter"
    assert letter.date == "2009-07-14"  # "Lettre datée du 14 juillet 2009"
    assert letter.original_language == "ru"
    ids = [p.id for p in letter.paragraphs]
    assert ids[:5] == ["HDR", "P1", "P2", "P3", "SIG"]
    assert "ANNEX2/PP1" in ids and "ANNEX2/OP5" in ids and "ANNEX1/P2" in ids
    assert [s.name for s in letter.signatories] == ["Vitaly Churkin"]
    sig = letter.signatories[0]
    assert sig.entity == "person/vitaly-churkin"
    assert sig.post == (
        "Représentant permanent de la Fédération de Russie auprès de "
        "l'Organisation des Nations Unies"
    )


def test_pdf_text_page_furniture_is_ignored(corpus_dir: Path) -> None:
    doc = load_file(corpus_dir / "texts" / "A_RES_73_331.en.txt")[0]
    assert doc.symbol == "A/RES/73/331"
    assert doc.date == "2019-07-25"
    assert doc.meeting and doc.meeting.number == 101
    body = [p for p in doc.paragraphs if p.kind != "header"]
    for p in body:  # job numbers, barcodes, page counters and running headers are not text
        assert "19-12817" not in p.text and "*1912817*" not in p.text
        assert "2/3" not in p.text.split()
    by_id = {p.id: p for p in doc.paragraphs}
    # "… those of 13 January 20103 and 6 August 2013,4": markers glued to the year
    assert by_id["PP5"].footnotes == ["FN3", "FN4"]
    assert by_id["FN2"].text.endswith("Resolution 49/57, annex.")
    # the operative paragraph that starts after "1." alone on its line (A/RES/73/7)
    doc7 = load_file(corpus_dir / "texts" / "A_RES_73_7.en.txt")[0]
    op1 = next(p for p in doc7.paragraphs if p.id == "OP1")
    assert op1.opening == "Welcomes"
    assert doc7.title == "Report of the International Criminal Court"
