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


# --- sessions, agenda items and headers (issue #2 follow-ups) -----------------------------------


def test_session_from_ordinal_words_when_no_symbol(letter: Document) -> None:
    # "Soixante-quatrième session" in the header; the letter has no symbol to give it
    assert letter.symbol is None
    assert letter.session == "64"


@pytest.mark.parametrize(
    ("name", "session"),
    [("GA_12474.en.txt", "77"), ("GA_10283.en.txt", "59")],  # "Seventy-seventh Session,",
)  # "Fifty-Ninth General Assembly": press releases whose symbols carry no session
def test_press_release_sessions(corpus_dir: Path, name: str, session: str) -> None:
    assert load_file(corpus_dir / "texts" / name)[0].session == session


def test_agenda_item_and_its_title(resolution: Document, corpus_dir: Path) -> None:
    assert resolution.agenda_items == ["123g"]  # "Point 123, g, de l'ordre du jour"
    assert resolution.agenda_item_titles == {}  # a blank line follows: no item title printed
    doc = load_file(corpus_dir / "texts" / "A_RES_75_276.en.txt")[0]
    assert doc.agenda_items == ["130t"]
    assert doc.agenda_item_titles == {
        "130t": "Cooperation between the United Nations and regional and other organizations: "
        "cooperation between the United Nations and the Collective Security Treaty Organization"
    }


def test_requested_agenda_item_title(letter: Document) -> None:
    assert letter.requested_agenda_item == (
        "Coopération entre l'Organisation des Nations Unies et l'Organisation "
        "du Traité de sécurité collective"
    )
    assert letter.agenda_item_titles == {}


def test_opening_formula_is_inside_a_paragraph(corpus_dir: Path) -> None:
    doc = load_file(corpus_dir / "texts" / "A_RES_52_19.fr.txt")[0]
    at = doc.text.index("L'Assemblée générale,")
    holders = [p.id for p in doc.paragraphs if p.start <= at < p.end]
    assert holders == ["HDR"]
    assert doc.paragraphs[0].text.endswith("Rapport: A/52/L.20/Rev.1\nL'Assemblée générale,")
    letter = load_file(corpus_dir / "seeds" / "000_d30999ef5195cbdd.txt")[0]
    annex_hdr = next(p for p in letter.paragraphs if p.id == "ANNEX2/HDR")
    assert annex_hdr.text == "L'Assemblée générale,"
    # the annex heading repeats the letter's title: it is a paragraph, not a running title
    assert any(p.id == "ANNEX2/P1" and p.text.startswith("Coopération entre") for p in
               letter.paragraphs)


def test_header_fields_stay_on_their_own_lines(corpus_dir: Path) -> None:
    doc = load_file(corpus_dir / "texts" / "A_RES_73_6.en.txt")[0]
    header = doc.paragraphs[0].text.split("\n")
    assert header[:4] == ["United Nations", "General Assembly", "Distr.: General",
                          "31 October 2018"]
    # a title wrapped over lines is one line again
    assert ("Fiftieth anniversary of the first United Nations Conference on the Exploration and "
            "Peaceful Uses of Outer Space: space as a driver of sustainable development") in header


def test_preambular_paragraph_after_a_footnote_marker(corpus_dir: Path) -> None:
    # "…the International Criminal Court, 2" / "Acknowledging the Relationship Agreement …"
    doc = load_file(corpus_dir / "texts" / "A_RES_73_7.en.txt")[0]
    pp = {p.id: p for p in doc.paragraphs}
    assert pp["PP9"].text.startswith("Expressing its appreciation")
    assert pp["PP9"].text.endswith("International Criminal Court, 2")
    assert pp["PP10"].text.startswith("Acknowledging the Relationship Agreement")
    assert pp["PP9"].footnotes == ["FN2"]


def test_footnote_continued_on_a_lowercase_line(corpus_dir: Path) -> None:
    # FN6 "… Supplement No. 8 (E/2009/28)," goes on with "chap. I, sect. C."; FN7 follows
    doc = load_file(corpus_dir / "texts" / "A_RES_75_276.en.txt")[0]
    pp = {p.id: p for p in doc.paragraphs}
    assert pp["FN6"].text.endswith("(E/2009/28), chap. I, sect. C.")
    assert pp["FN7"].text == "7 Resolution S-30/1, annex."
    assert "Resolution S-30/1" not in pp["PP13"].text
    welcoming = [c for c in doc.citations if c.target == "A/RES/S-30/1"]
    assert [(c.paragraph, c.footnote, c.function) for c in welcoming] == [
        ("PP11", "FN7", "welcomes")
    ]



def test_body_goes_on_after_a_finished_note_and_a_blank_line(shared_dir) -> None:
    # GA decision 71/406 (bulk corpus): notes under a rule, then the "(See …)" line and section
    # B, which used to be swallowed by the note zone (and their citations lost).
    import gzip
    import json

    from unkg.extract.document import parse_text

    path = shared_dir / "bulk" / "unga_decisions_71-80.en.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        record = next(r for r in map(json.loads, lines) if r["symbol"] == "A/DEC/71/406")
    doc = parse_text(record["text"], source="decision.txt", hints={"symbol": record["symbol"]})
    targets = {c.target for c in doc.citations}
    assert {"A/71/590", "A/71/PV.45", "A/71/590/Add.2", "A/71/590/Add.3"} <= targets
    assert any("81st plenary meeting" in p.text for p in doc.paragraphs if p.kind != "footnote")


@pytest.mark.parametrize("view", [
    # glued after a word, after a year, spaced before punctuation, before a lowercase word; digits
    # that are no marker: a symbol, a page number, a long number, a year and a date
    "Recalling its resolution 70/1,2 of 25 September 2015,3 and the Agenda 20304 (A/70/L.1) 5\n",
    "the Conference 1 and its report 12 on page 345, adopted in 19956; see 2 and the 1990s 7.",
    "",
    "1 2 3 4 5",
])
def test_pdf_marker_candidates_are_those_of_the_plain_regex(view: str) -> None:
    # `pdf_markers` only tries the places a marker can start: it must find what a scan of
    # every character finds, with the same groups
    from unkg.extract.footnotes import PDF_MARKER, pdf_markers

    def spans(matches):
        return [(m.span(), m.groupdict()) for m in matches]

    assert spans(pdf_markers(view)) == spans(PDF_MARKER.finditer(view))


def test_page_furniture_lines_are_blanked_and_prose_kept() -> None:
    from unkg.extract.layout import make_view

    text = ("A/RES/78/1\nGeneral Assembly\n19-12817 (E)    020819\n*1912817*\n3/12\n-----\n"
            "123456\nThe 2030 Agenda, 3/12 of it.\n")
    view, _markers, own = make_view(text)
    assert own == ["A/RES/78/1"]
    assert len(view) == len(text) and view.count("\n") == text.count("\n")
    kept = [line for line in view.split("\n") if line.strip()]
    # the symbol line is masked too (it repeats as a page header); prose keeps "3/12" and "2030"
    assert kept == ["General Assembly", "The 2030 Agenda, 3/12 of it."]


def test_an_annex_title_is_its_header_and_numbered_paragraphs_keep_their_numbers() -> None:
    """Issue #16: the seed memo's "2. Les États membres …" is ANNEX1/P2 (as printed, and as the
    links gold locates it), its title "Mémoire explicatif" the annex header."""
    from importlib import resources

    from unkg.loaders import load_file

    seed = resources.files("unkg.data").joinpath("corpus/seeds/000_d30999ef5195cbdd.txt")
    letter = load_file(Path(str(seed)))[0]
    annex = {p.id: p for p in letter.paragraphs if p.id.startswith("ANNEX1/")}
    assert (annex["ANNEX1/HDR"].kind, annex["ANNEX1/HDR"].text) == ("header", "Mémoire explicatif")
    numbered = [pid for pid, p in annex.items() if p.kind == "body"]
    assert numbered == [f"ANNEX1/P{n}" for n in range(1, 7)]
    for n in range(1, 7):
        assert annex[f"ANNEX1/P{n}"].text.startswith(f"{n}. ")
