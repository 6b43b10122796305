"""The UN Digital Library MARCXML loader on the real export, and on hostile or broken files."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from unkg.errors import InputError
from unkg.loaders.marcxml import load_marcxml

EXPORT = "bulk/undl_marcxml_A_C.3_78_drafts.xml.gz"
MARC = 'xmlns="http://www.loc.gov/MARC21/slim"'


@pytest.fixture(scope="module")
def export_path(shared_dir: Path) -> Path:
    return shared_dir / EXPORT


@pytest.fixture(scope="module")
def records(export_path: Path):
    return load_marcxml(export_path)


@pytest.fixture(scope="module")
def raw_xml(export_path: Path) -> str:
    return gzip.open(export_path, "rt", encoding="utf-8").read()


def by_symbol(records, symbol):
    return next(d for d in records if d.symbol == symbol)


def test_one_document_per_record(records, raw_xml):
    # the export announces 94 results and holds 94 <record> elements (README of the bulk corpus)
    assert len(records) == 94 == raw_xml.count("<ns0:record")
    assert len({d.symbol for d in records}) == 94
    assert all(d.loader == "marcxml" and d.text is None and not d.paragraphs for d in records)
    assert records[0].source.endswith("#1") and records[-1].source.endswith("#94")


def test_related_documents_typed_by_indicator(records, raw_xml):
    resolutions = len(re.findall(r'tag="993" ind1="1"', raw_xml))
    reports = len(re.findall(r'tag="993" ind1="3"', raw_xml))
    relations = [r for d in records for r in d.relations]
    assert sum(r.type == "resultsIn" for r in relations) == resolutions == 63
    assert sum(r.type == "hasReport" for r in relations) == reports == 69
    # ind1=1 points at resolutions (and one decision), ind1=3 at committee reports
    assert all(re.fullmatch(r"A/(RES|DEC)/78/\d+", r.target) for r in relations
               if r.type == "resultsIn")
    odd = [r.target for r in relations if r.type == "hasReport"
           and not re.fullmatch(r"A/78/\d+(/Add\.\d+)?", r.target)]
    assert odd == ["AA/78/481/Add.2"]  # a cataloguing typo in the export, kept as written


def test_a_record_fields(records):
    # the first record of the export, read by eye in the XML
    doc = by_symbol(records, "A/C.3/78/L.49/Rev.1")
    assert doc.title == ("Promotion and protection of human rights in the context of digital "
                         "technologies")
    assert doc.type == "draftResolution"  # 245 $b "revised draft resolution /"
    assert doc.date == "2023-11-08"
    assert doc.session == "78" and doc.organ == "org/general-assembly"
    assert doc.agenda_items == ["71b"]
    assert doc.agenda_item_titles["71b"].startswith("Human rights questions, including")
    assert {"HUMAN RIGHTS", "DIGITAL DIVIDE", "DISINFORMATION"} <= set(doc.subjects)
    assert [(r.type, r.target) for r in doc.relations] == [
        ("resultsIn", "A/RES/78/213"), ("hasReport", "A/78/481/Add.2")]


def test_sponsors_are_state_mentions(records):
    doc = by_symbol(records, "A/C.3/78/L.49/Rev.1")
    sponsors = {m.text: m.entity for m in doc.mentions}
    assert sponsors["Argentina"] == "state/ARG"
    assert sponsors["Republic of Moldova"] == "state/MDA"
    assert all(m.kind == "state" for m in doc.mentions)
    # 24 sponsoring States in the 710 fields of this record (as listed in its 245 $c)
    assert len(doc.mentions) + sum(w.count(",") + 1 for w in doc.warnings
                                   if "sponsors not in the authority" in w) == 24


def test_every_sponsor_is_a_state_or_reported(records, raw_xml):
    fields = re.findall(r'<ns0:datafield tag="710"', raw_xml)
    unknown = [name for d in records for w in d.warnings if "sponsors not in the authority" in w
               for name in w.split(": ", 2)[2].split(", ")]
    assert sum(len(d.mentions) for d in records) + len(unknown) == len(fields) == 1447
    # what is left are groups and UN organs, not States ("Group of 77", "UN. Secretariat" …)
    assert unknown and all(n.startswith(("UN.", "Group of")) for n in unknown)


def test_double_encoded_names_are_repaired(records):
    names = {m.text for d in records for m in d.mentions}
    assert "Côte d'Ivoire" in names
    assert not any("Ã" in n for n in names)


def test_part_letter_of_a_resolution_symbol_is_dropped(records):
    doc = by_symbol(records, "A/C.3/78/L.26")  # 993 $a "A/RES/78/183 A"
    assert ("resultsIn", "A/RES/78/183") in [(r.type, r.target) for r in doc.relations]


def test_plain_xml_file_loads_too(tmp_path, raw_xml):
    path = tmp_path / "export.xml"
    path.write_text(raw_xml, encoding="utf-8")
    assert len(load_marcxml(path)) == 94


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


RECORD = ('<record><datafield tag="191" ind1=" " ind2=" "><subfield code="a">{}</subfield>'
          "</datafield></record>")


def test_malformed_xml_is_an_input_error_with_line(tmp_path):
    good = RECORD.format("A/C.3/78/L.1")
    path = _write(tmp_path, "bad.xml",
                  f"<collection {MARC}>\n{good}\n{good}\n<record><datafield tag='191'>\n"
                  "</collection>")
    with pytest.raises(InputError, match="malformed XML") as err:
        load_marcxml(path)
    assert err.value.path == str(path) and err.value.line == 5


def test_billion_laughs_is_refused(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    path = _write(tmp_path, "bomb.xml",
                  f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n'
                  f"<collection {MARC}>{RECORD.format('&lol9;')}</collection>")
    with pytest.raises(InputError, match="unsafe XML"):
        load_marcxml(path)


def test_external_entity_is_refused(tmp_path):
    secret = _write(tmp_path, "secret.txt", "A/SECRET/1")
    path = _write(tmp_path, "xxe.xml",
                  f'<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                  f"\n<collection {MARC}>{RECORD.format('&xxe;')}</collection>")
    with pytest.raises(InputError, match="unsafe XML"):
        load_marcxml(path)


def test_truncated_gzip_is_an_input_error(tmp_path, export_path):
    data = export_path.read_bytes()
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError):
        load_marcxml(path)


def test_record_without_symbol_is_skipped_not_the_file(tmp_path):
    # Issue #18: one bad record is skipped with file#record: reason; the others load.
    path = _write(tmp_path, "nosym.xml",
                  f"<collection {MARC}>{RECORD.format('A/C.3/78/L.1')}"
                  '<record><datafield tag="245" ind1="1" ind2="0"><subfield code="a">T</subfield>'
                  "</datafield></record></collection>")
    docs = load_marcxml(path)
    assert [d.symbol for d in docs] == ["A/C.3/78/L.1"]
    assert any(w.startswith("nosym.xml#2: ") and "191" in w and "skipped" in w
               for w in docs[0].warnings)
    only_bad = _write(tmp_path, "onlybad.xml",
                      f"<collection {MARC}><record><datafield tag=\"245\" ind1=\"1\" "
                      'ind2="0"><subfield code="a">T</subfield></datafield></record></collection>')
    with pytest.raises(InputError, match="191"):
        load_marcxml(only_bad)


def test_not_marc_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no MARC21"):
        load_marcxml(_write(tmp_path, "other.xml", "<html><body>hi</body></html>"))
