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
    # Functions and targets from the gold annotation of the seed (manifest.json).
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
