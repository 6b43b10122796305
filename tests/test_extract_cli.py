"""`unkg extract`: the JSON the other tools read, batches, and one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from unkg.cli import main

STABLE_KEYS = {
    "symbol",
    "symbols",
    "type",
    "language",
    "date",
    "title",
    "citations",
    "mentions",
    "links",
}


def test_extract_one_document_is_an_object(corpus_dir: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["extract", str(corpus_dir / "seeds" / "001_88a3ec35e753d387.txt")])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert STABLE_KEYS <= set(out)
    assert out["symbol"] == "A/RES/69/12"
    assert out["draft"] == "A/69/L.13"
    cit = out["citations"][0]
    assert {"target", "function", "paragraph", "text"} <= set(cit)
    targets = {c["target"] for c in out["citations"]}
    assert {"A/RES/59/50", "S/RES/1631(2005)", "S/2014/560", "E/2009/28"} <= targets
    for m in out["mentions"]:
        assert {"entity", "label", "text", "paragraph"} <= set(m)
        assert m["entity"].startswith("https://")
    for ln in out["links"]:
        assert {
            "type",
            "subject",
            "object",
            "subject_label",
            "object_label",
            "paragraph",
            "text",
        } <= set(ln)


def test_extract_batch_goes_on_past_a_bad_file(
    corpus_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"R\xe9solution sans UTF-8\n")
    good = tmp_path / "A_80_L.20.en.txt"
    shutil.copy(corpus_dir / "texts" / "A_80_L.20.en.txt", good)
    code = main(["extract", str(bad), str(good), str(corpus_dir / "texts" / "A_RES_52_19.fr.txt")])
    captured = capsys.readouterr()
    assert code == 2
    errors = captured.err.strip().splitlines()
    assert errors == [f"unkg: error: {bad}:1: not valid UTF-8 (byte 0xe9 at offset 1)"]
    docs = json.loads(captured.out)
    assert [d["symbol"] for d in docs] == ["A/80/L.20", "A/RES/52/19"]
    assert docs[0]["citations"][0]["target"] == "A/80/L.18"
    assert docs[0]["citations"][0]["function"] == "amends"


def test_extract_table_and_bad_format(corpus_dir: Path, capsys: pytest.CaptureFixture) -> None:
    path = str(corpus_dir / "texts" / "A_80_L.20.en.txt")
    assert main(["extract", path, "--format", "table"]) == 0
    assert "A/80/L.18" in capsys.readouterr().out
    assert main(["extract", path, "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("unkg: error: unknown format") and "Traceback" not in err
