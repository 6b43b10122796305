"""The PDF loader on the real UN PDFs (checked against the manifest's gold) and on broken files."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from benchmarks.evaluate import gold_manifest
from unkg.errors import InputError
from unkg.loaders.pdf import clean_pdf_text, load_pdf
from unkg.loaders.registry import loader_for

GOLD_SYMBOLS = ("A/RES/73/6", "A/RES/73/7", "A/RES/73/8")


@pytest.fixture(scope="module")
def manifest(corpus_dir: Path) -> dict[str, dict]:
    entries = gold_manifest()["documents"]
    return {e["symbol"]: e for e in entries if e.get("file", "").startswith("texts/")}


@pytest.fixture(scope="module")
def pdf_docs(corpus_dir: Path):
    return {s: load_pdf(corpus_dir / "pdf" / f"{s.replace('/', '_')}.pdf")[0]
            for s in GOLD_SYMBOLS}


def test_registry_routes_pdf_files():
    assert loader_for(Path("x/A_RES_73_7.PDF")).name == "pdf"


@pytest.mark.parametrize("symbol", GOLD_SYMBOLS)
def test_symbol_date_and_type_match_the_manifest(pdf_docs, manifest, symbol):
    doc, gold = pdf_docs[symbol], manifest[symbol]
    assert doc.symbol == symbol
    assert doc.date == gold["date"]
    assert doc.type == "resolution"
    assert doc.session == str(gold["session"])
    assert doc.agenda_items == [gold["agenda_item"]]
    assert doc.loader == "pdf" and doc.language == "en" and len(doc.checksum) == 64


@pytest.mark.parametrize("symbol", GOLD_SYMBOLS)
def test_every_gold_citation_is_found(pdf_docs, manifest, symbol):
    gold = {c["symbol"] for c in manifest[symbol]["gold"]["citations"] if c["symbol"]}
    found = {c.target for c in pdf_docs[symbol].citations}
    assert gold, "the manifest has gold citations for this document"
    assert gold <= found, f"missed: {sorted(gold - found)}"


def test_footnotes_are_kept_with_their_markers(pdf_docs):
    # A/RES/73/7: OP1 "Welcomes the report … for 2017/18;4" with footnote 4 "A/73/334." (gold:
    # location OP1/FN4); OP13 carries footnotes 7 and 8 ("Court, 7  and …" in the text layer).
    doc = pdf_docs["A/RES/73/7"]
    paragraphs = {p.id: p for p in doc.paragraphs}
    assert paragraphs["FN4"].text.endswith("A/73/334.")
    assert "FN4" in paragraphs["OP1"].footnotes
    assert {"FN7", "FN8"} <= set(paragraphs["OP13"].footnotes)
    via = {(c.target, c.paragraph, c.footnote) for c in doc.citations}
    assert ("A/73/334", "OP1", "FN4") in via
    assert ("S/PRST/2013/2", "OP21", "FN9") in via
    assert sum(p.kind == "footnote" for p in doc.paragraphs) == 9


def test_page_furniture_is_removed(pdf_docs):
    text = pdf_docs["A/RES/73/7"].text
    for furniture in ("18-18142", "*1818142*", "2/5", "3/5", "021118"):
        assert furniture not in text
    # the running head "A/RES/73/7" of pages 2-5 is gone; the cover keeps the symbol once
    assert text.count("A/RES/73/7") == 1
    # a paragraph cut by a page break reads on: OP6 of 73/7 runs across the page 2/3 break
    assert "prosecute crimes, and in this regard underlines" in text.replace("\n", " ")


def test_hyphenated_compounds_are_rejoined(pdf_docs):
    # "post-" ends a line of PP5 of 73/7 in the PDF; "drug -" / "people -" end lines of 73/3
    assert "post-conflict societies" in pdf_docs["A/RES/73/7"].text


def test_clean_text_repairs_breaks_and_split_words():
    pages = [
        "United Nations  A/RES/79/1\nGeneral Assembly\n24-16433 (E)    230924\n*2416433*\n"
        "a peaceful world and a peacef ul future for the decision -\nmaking of all\n"
        "__________________\n 1 Resolution 70/1.\n",
        "A/RES/79/1 The Pact for the Future\n \n24-16433 2/56\n \ncontinues here with a post-\n"
        "conflict society\n__________________\n 2  Resolution 69/313, annex.\n",
    ]
    text = clean_pdf_text(pages)
    assert "a peaceful future" in text
    assert "decision-making" in text and "post-conflict" in text
    assert "24-16433" not in text and "*2416433*" not in text and "Pact for the Future" not in text
    body, notes = text.split("__________________")
    assert "continues here" in body and "Resolution" not in body
    assert notes.split() == ["1", "Resolution", "70/1.", "2", "Resolution", "69/313,", "annex."]


def test_the_masthead_symbol_is_a_line_of_its_own():
    """pypdf reads the masthead and the symbol as one line; the parser needs the symbol alone
    (A/RES/79/9 has no "79/9." before its title to fall back on)."""
    text = clean_pdf_text(["United Nations  A/RES/79/9 \nGeneral Assembly\nThe General Assembly,\n",
                           "Nations Unies S/RES/2719 (2023)\n"])
    assert text.splitlines()[:3] == ["United Nations", "A/RES/79/9", "General Assembly"]
    assert "Nations Unies S/RES/2719 (2023)" in text  # not on page 1: not a masthead
    assert clean_pdf_text(["Nations Unies A/RES/79/9\n"]).splitlines() == [
        "Nations Unies", "A/RES/79/9"]
    assert clean_pdf_text(["United Nations and regional organizations\n"]).splitlines() == [
        "United Nations and regional organizations"]


def test_a_bulk_pdf_without_a_numbered_title_gets_its_symbol(shared_dir: Path):
    doc = load_pdf(shared_dir / "bulk" / "pdf" / "A_RES_79_9.pdf")[0]
    assert doc.symbols == ["A/RES/79/9"] and doc.warnings == []
    assert doc.type == "resolution" and doc.date == "2024-11-18"
    # The same text with masthead and symbol on one line (another PDF-to-text tool) as a text file.
    from unkg.extract.document import parse_text

    assert doc.text.startswith("United Nations\nA/RES/79/9\n")
    joined = doc.text.replace("United Nations\nA/RES/79/9", "United Nations A/RES/79/9", 1)
    assert parse_text(joined, source="A_RES_79_9.txt").symbols == ["A/RES/79/9"]


def _blank_pdf(pages: int = 2) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_pdf_without_text_layer_is_an_input_error(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_blank_pdf())
    with pytest.raises(InputError, match="without a text layer") as err:
        load_pdf(path)
    assert err.value.path == str(path)


def test_truncated_pdf_is_an_input_error(tmp_path, corpus_dir):
    data = (corpus_dir / "pdf" / "A_RES_73_7.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(InputError, match="truncated"):
        load_pdf(path)


def test_garbage_bytes_are_an_input_error(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputError, match="not a PDF"):
        load_pdf(path)


def test_damaged_pdf_body_is_an_input_error(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage\x01" * 200 + b"\n%%EOF\n")
    with pytest.raises(InputError):
        load_pdf(path)


def test_password_protected_pdf_is_an_input_error(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match=r"encrypted|password"):
        load_pdf(path)


def test_aes_encrypted_pdf_without_a_user_password_is_read(tmp_path, corpus_dir):
    # Issue #18: AES needs `cryptography` (a dependency now); it was an internal error.
    source = corpus_dir / "pdf" / "A_RES_73_3.pdf"
    reader = pypdf.PdfReader(source)
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    path = tmp_path / "aes.pdf"
    path.write_bytes(buf.getvalue())
    assert b"/AESV3" in path.read_bytes()
    [doc] = load_pdf(path)
    [plain] = load_pdf(source)
    assert doc.symbol == plain.symbol == "A/RES/73/3"
    assert [p.text for p in doc.paragraphs] == [p.text for p in plain.paragraphs]
