"""The JSON Lines loader on samples of the real bulk corpus, and on broken lines and files."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from unkg.errors import InputError
from unkg.loaders.jsonl import load_jsonl, load_jsonl_records
from unkg.loaders.registry import loader_for

BULK_FILES = (
    "unsc_resolutions_gold_1946-1994.en.jsonl.gz",
    "unga_resolutions_drafts_78-80.en.jsonl.gz",
    "unga_decisions_71-80.en.jsonl.gz",
)


def read_records(path: Path, *, every: int = 1, limit: int | None = None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        lines = itertools.islice(fh, 0, None, every)
        return [json.loads(line) for line in itertools.islice(lines, limit)]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    return path


@pytest.fixture(scope="module")
def sample_records(shared_dir: Path) -> list[dict]:
    """The first 8 records of each bulk file: SC resolutions, GA resolutions, GA decisions."""
    return [r for name in BULK_FILES for r in read_records(shared_dir / "bulk" / name, limit=8)]


def test_registry_routes_json_lines():
    assert loader_for(Path("corpus/x.jsonl.gz")).name == "jsonl"
    assert loader_for(Path("corpus/x.JSONL")).name == "jsonl"


def test_one_document_per_record_with_the_record_fields(tmp_path, sample_records):
    path = write_jsonl(tmp_path / "sample.jsonl.gz",
                       [json.dumps(r, ensure_ascii=False) for r in sample_records])
    docs = load_jsonl(path)
    assert len(docs) == len(sample_records) == 24
    for lineno, (doc, rec) in enumerate(zip(docs, sample_records, strict=True), 1):
        assert doc.source == f"sample.jsonl.gz#{lineno}"
        assert doc.symbol == rec["symbol"]
        assert doc.date == rec["date"]
        assert doc.title == rec["title"]
        assert doc.language == "en" and doc.loader == "jsonl"
        assert doc.text == rec["text"]
        assert doc.warnings == []
    types = {d.symbol: d.type for d in docs}
    assert types["S/RES/1(1946)"] == "resolution"
    assert types["A/DEC/71/401"] == "decision"
    assert {d.organ for d in docs} == {"org/security-council", "org/general-assembly"}
    assert len({d.checksum for d in docs}) == 1  # the file's sha256


def test_text_is_parsed_for_citations(tmp_path, shared_dir):
    # GA resolutions cite earlier resolutions in their preambles
    with gzip.open(shared_dir / "bulk" / BULK_FILES[1], "rt", encoding="utf-8") as fh:
        records = (json.loads(line) for line in fh)
        resolutions = list(itertools.islice(
            (r for r in records if r["symbol"].startswith("A/RES/") and len(r["text"]) < 20000),
            6))
    path = write_jsonl(tmp_path / "ga.jsonl", [json.dumps(r) for r in resolutions])
    docs = load_jsonl(path)
    assert sum(len(d.citations) for d in docs) > len(docs)
    assert any(c.target.startswith("A/RES/") for d in docs for c in d.citations)
    assert all(any(p.kind == "operative" for p in d.paragraphs) for d in docs)


def test_bad_lines_are_skipped_and_reported_with_file_and_line(tmp_path, sample_records):
    good = [json.dumps(r) for r in sample_records[:3]]
    lines = [good[0], '{"symbol": "A/RES/1/1", "text": ', good[1], "[1, 2]",
             json.dumps({"symbol": "A/RES/2/2", "text": "  "}), "", good[2]]
    path = write_jsonl(tmp_path / "mixed.jsonl", lines)
    docs, problems = load_jsonl_records(path)
    assert [d.symbol for d in docs] == [r["symbol"] for r in sample_records[:3]]
    assert [p.split(":")[:2] for p in problems] == [
        ["mixed.jsonl", "2"], ["mixed.jsonl", "4"], ["mixed.jsonl", "5"]]
    assert "not a JSON line" in problems[0]
    assert "JSON object" in problems[1] and "no text" in problems[2]
    # through the registry's loader the same messages ride on the file's first document
    loaded = load_jsonl(path)
    assert loaded[0].warnings == problems and len(loaded) == 3


def test_a_file_without_any_loadable_line_is_an_input_error(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", ["not json", "{}"])
    with pytest.raises(InputError, match="nothing loadable") as err:
        load_jsonl(path)
    assert err.value.path == str(path)


def test_truncated_gzip_is_an_input_error(tmp_path, sample_records):
    whole = write_jsonl(tmp_path / "whole.jsonl.gz", [json.dumps(r) for r in sample_records])
    data = whole.read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cannot read"):
        load_jsonl(path)


def test_repeated_symbol_is_flagged(tmp_path, sample_records):
    line = json.dumps(sample_records[0])
    docs = load_jsonl(write_jsonl(tmp_path / "twice.jsonl", [line, line]))
    assert any("also on line 1" in w for w in docs[1].warnings)


@pytest.mark.slow
def test_bulk_corpus_sample_extracts_without_error(tmp_path, shared_dir):
    """Every 10th record of each bulk file (≈ 305 documents) through the loader: no exception,
    no skipped line, every document identified by its record's symbol.

    The whole corpus takes about 90 s on one core, so a stride sample keeps this test bounded;
    `python -m benchmarks` runs all 3,045 documents."""
    for name in BULK_FILES:
        records = read_records(shared_dir / "bulk" / name, every=10)
        path = write_jsonl(tmp_path / name, [json.dumps(r, ensure_ascii=False) for r in records])
        docs, problems = load_jsonl_records(path)
        assert problems == []
        assert [d.symbol for d in docs] == [r["symbol"] for r in records]


def test_a_big_file_split_into_ranges_loads_as_the_whole_file(
        sample_records: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ranges of records go to different workers and commit together: the store ends up with
    exactly what a one-piece load gives; a record repeated in a later range loads once."""
    from unkg.graph import load as graph_load
    from unkg.graph import worker
    from unkg.store import OxigraphStore

    records = sample_records[8:14]  # six GA resolutions
    lines = [json.dumps(r) for r in records] + [json.dumps(records[0])]  # line 7 repeats line 1
    path = write_jsonl(tmp_path / "ga.jsonl.gz", lines)

    def snapshot(store: OxigraphStore) -> set[str]:
        return {str(q) for q in store.quads() if "generatedAtTime" not in str(q.predicate)}

    whole = OxigraphStore(tmp_path / "whole")
    one = graph_load.load_files(whole, [path], workers=1)
    monkeypatch.setattr(worker, "RANGE_RECORDS", 2)
    assert worker.record_ranges(str(path)) == [(1, 3), (3, 5), (5, 7), (7, 8)]
    split = OxigraphStore(tmp_path / "split")
    parts = graph_load.load_files(split, [path], workers=2)
    assert one.ok and parts.ok
    assert parts.documents == one.documents == 6
    assert any("not loaded" in w for w in parts.files[0].warnings)
    assert snapshot(split) == snapshot(whole)
