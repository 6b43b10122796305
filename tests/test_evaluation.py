"""The evaluation script on the bundled corpus (all manifest entries)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks.evaluate import Score, evaluate, format_table


def test_score_arithmetic() -> None:
    s = Score()
    s.add({"a", "b", "c"}, {"b", "c", "d", "e"})
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert s.precision == 2 / 3 and s.recall == 0.5
    assert abs(s.f1 - 4 / 7) < 1e-9


def test_citation_f1_on_the_bundled_corpus(corpus_dir: Path) -> None:
    ev = evaluate(corpus_dir)
    assert len(ev.documents) == 18
    assert not [r.error for r in ev.documents if r.error]
    assert ev.citations.f1 >= 0.97, format_table(ev)
    assert ev.function_accuracy >= 0.8, format_table(ev)
    table = format_table(ev)
    assert "overall" in table and "seeds/001_88a3ec35e753d387.txt" in table


@pytest.mark.slow
def test_parser_survives_a_sample_of_the_bulk_corpus(shared_dir: Path) -> None:
    """Every 25th record of each bulk JSON Lines file parses without an exception."""
    from unkg.loaders.text import parse_text

    files = sorted((shared_dir / "bulk").glob("*.jsonl.gz"))
    assert files
    parsed = 0
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n % 25:
                    continue
                record = json.loads(line)
                doc = parse_text(
                    record["text"],
                    source=f"{path.name}#{n + 1}",
                    hints={"symbol": record.get("symbol"), "language": "en"},
                )
                for c in doc.citations:
                    assert doc.text[c.start : c.end] == c.text
                parsed += 1
    assert parsed > 100
