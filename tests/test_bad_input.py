"""Bad input: a one-line reason naming the file, never a traceback, and the batch goes on."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from unkg.cli import main
from unkg.errors import InputError
from unkg.loaders import load_file, loaders
from unkg.loaders.registry import loader_for


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("latin1.txt", "L'Assemblée générale,\n".encode("latin-1"), "not valid UTF-8"),
        (
            "novel.txt",
            b"It was a dark and stormy night; the rain fell in torrents.\n",
            "not a UN document",
        ),
        ("document.docx", b"PK\x03\x04", "no loader for this kind of file"),
    ],
)
def test_bad_files_raise_input_error(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_file(path)
    assert reason in info.value.reason
    assert name in str(info.value)
    assert "\n" not in str(info.value)


def test_non_utf8_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_bytes("Assemblée générale\n\nLigne deux\n".encode() + b"caf\xe9\n")
    with pytest.raises(InputError) as info:
        load_file(path)
    assert info.value.line == 4


def test_truncated_gzip(tmp_path: Path, corpus_dir: Path) -> None:
    data = gzip.compress((corpus_dir / "texts" / "A_RES_73_8.en.txt").read_bytes())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        load_file(path)
    assert "truncated or corrupt gzip" in info.value.reason
    whole = tmp_path / "whole.txt.gz"
    whole.write_bytes(data)
    assert load_file(whole)[0].symbol == "A/RES/73/8"


def test_cli_reports_each_bad_file_once(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    assert main(["extract", str(empty), str(missing)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"unkg: error: {empty}:1: empty file", f"unkg: error: {missing}:1: no such file"]


def test_registry_dispatch_by_suffix(tmp_path: Path) -> None:
    names = {ld.name for ld in loaders()}
    assert "text" in names
    assert loader_for(Path("x.txt")).name == "text"
    assert loader_for(Path("x.md.gz")).name == "text"
    for ld in loaders():  # every registered loader is complete
        assert ld.suffixes and all(s.startswith(".") for s in ld.suffixes) and callable(ld.load)


def test_sidecar_symbol_hint(tmp_path: Path, corpus_dir: Path) -> None:
    seed = (corpus_dir / "seeds" / "000_d30999ef5195cbdd.txt").read_text(encoding="utf-8")
    path = tmp_path / "letter.txt"
    path.write_text(seed, encoding="utf-8")
    (tmp_path / "letter.meta.json").write_text('{"symbol": "A/64/232"}', encoding="utf-8")
    doc = load_file(path)[0]
    assert doc.symbol == "A/64/232" and doc.content_id is None and not doc.warnings
    front = tmp_path / "front.md"
    front.write_text("---\nsymbol: A/64/232\nlanguage: fr\n---\n" + seed, encoding="utf-8")
    doc = load_file(front)[0]
    assert doc.symbol == "A/64/232"
    # offsets still refer to the whole file, front matter included
    for c in doc.citations:
        assert doc.text[c.start : c.end] == c.text
