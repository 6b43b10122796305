"""`unkg build / load / validate / describe / export / stats` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unkg.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    store = tmp_path_factory.mktemp("cli") / "store"
    code = main(["build", "--store", str(store), "--workers", "1"])
    return store, code


def test_build_on_the_bundled_corpus_conforms(built: tuple[Path, int],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    store, code = built
    assert code == 0
    assert main(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    for row in ("documents (loaded)", "citations", "entities mentioned", "triples"):
        assert row in out


def test_describe_a_res_69_12(built: tuple[Path, int], capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = built
    monkeypatch.setenv("COLUMNS", "250")  # rich wraps table cells to the terminal width
    assert main(["describe", "A/RES/69/12", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    citations = int(out.split("cites (", 1)[1].split(" citations", 1)[0])
    assert citations >= 10
    # Functions and targets from the gold annotation of the seed
    # (benchmarks/gold/corpus-manifest.json).
    for text in ("A/RES/59/50", "S/RES/1631(2005)", "S/PRST/2013/12", "recalls", "welcomes",
                 "Collective Security Treaty Organization", "Security Council"):
        assert text in out


def test_validate_formats(built: tuple[Path, int], capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = built
    assert main(["validate", "--store", str(store), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["conforms"] is True
    assert main(["validate", "--store", str(store), "--format", "xml"]) == 2


def test_validate_engines_agree(built: tuple[Path, int],
                                capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = built
    results = {}
    for engine in ("sparql", "pyshacl"):
        assert main(["validate", "--store", str(store), "--engine", engine, "-f", "json"]) == 0
        results[engine] = json.loads(capsys.readouterr().out)
    assert results["sparql"]["conforms"] and results["pyshacl"]["conforms"]
    assert results["sparql"]["graphs"] == results["pyshacl"]["graphs"] >= 20
    assert main(["validate", "--store", str(store), "--engine", "jena"]) == 2


def test_export(built: tuple[Path, int], tmp_path: Path) -> None:
    store, _ = built
    out = tmp_path / "g.ttl.gz"
    assert main(["export", "--store", str(store), "-f", "ttl", "--gzip", "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"\x1f\x8b"


def test_bad_input_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing"
    assert main(["describe", "A/RES/69/12", "--store", str(missing)]) == 2
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["load", str(bad), "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert f"{bad.resolve()}: empty file" in err and "Traceback" not in err
    assert main(["load", str(tmp_path / "no-such-file.txt"), "--store",
                 str(tmp_path / "s")]) == 2


def test_describe_unknown_symbol(built: tuple[Path, int], capsys: pytest.CaptureFixture[str]
                                 ) -> None:
    store, _ = built
    assert main(["describe", "A/RES/1/999", "--store", str(store)]) == 2
    assert "no document with symbol" in capsys.readouterr().err


def test_load_says_which_documents_of_a_file_were_left_out(
        tmp_path: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON Lines file repeating a document that a text file holds: the summary counts only
    what was written, and a warning names the file, the count and where the document is."""
    import shutil

    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(corpus_dir / "texts" / "A_RES_73_6.en.txt", folder)
    record = {"symbol": "A/RES/73/6", "language": "en", "date": "2018-10-26",
              "title": "Cooperation between the United Nations and the Council of Europe",
              "text": "The General Assembly,\n\n1. Welcomes the cooperation.\n"}
    other = dict(record, symbol="A/RES/73/99", title="Another resolution")
    (folder / "more.en.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in (record, other)), encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["load", str(folder), "--store", str(tmp_path / "store"), "--workers", "1",
                 "--report", str(report)]) == 0
    captured = capsys.readouterr()
    assert "2 files loaded (2 documents," in captured.out
    assert "0 duplicate, 0 failed" in captured.out
    assert ("more.en.jsonl: 1 document left out, already loaded from another file (graph "
            "https://w3id.org/unkg/graph/doc/A/RES/73/6/en from A_RES_73_6.en.txt)"
            ) in captured.err
    rows = {Path(r["file"]).name: r for r in json.loads(report.read_text(encoding="utf-8"))}
    assert rows["more.en.jsonl"]["status"] == "loaded" and rows["more.en.jsonl"]["documents"] == 1
    assert rows["more.en.jsonl"]["left_out"] == [
        {"graph": "https://w3id.org/unkg/graph/doc/A/RES/73/6/en", "held_by": "A_RES_73_6.en.txt"}]
    assert rows["A_RES_73_6.en.txt"]["documents"] == 1 and rows["A_RES_73_6.en.txt"]["triples"] > 0


def test_load_report_as_csv_lists_failures_with_their_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    folder = tmp_path / "src"
    folder.mkdir()
    good = {"symbol": "A/RES/73/99", "language": "en", "date": "2018-10-26", "title": "A title",
            "text": "The General Assembly,\n\n1. Welcomes the cooperation.\n"}
    (folder / "a.en.jsonl").write_text(json.dumps(good) + "\n{broken\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    report = tmp_path / "report.csv"
    code = main(["load", str(folder), "--store", str(tmp_path / "store"), "--workers", "1",
                 "--report", str(report)])
    assert code == 2  # a file failed
    with report.open(encoding="utf-8", newline="") as fh:
        rows = {Path(r["file"]).name: r for r in csv.DictReader(fh)}
    assert rows["a.en.jsonl"]["status"] == "loaded" and rows["a.en.jsonl"]["documents"] == "1"
    assert "a.en.jsonl:2" in rows["a.en.jsonl"]["warnings"]  # the broken line, skipped
    assert rows["b.txt"]["status"] == "failed" and rows["b.txt"]["error"].startswith(
        str((folder / "b.txt").resolve()))
    # An unusable report path is refused before anything is loaded.
    assert main(["load", str(folder), "--store", str(tmp_path / "other"),
                 "--report", str(tmp_path / "report.txt")]) == 2
    assert "must end in .json or .csv" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()
