"""Audit entity mentions at scale: the GA resolutions of the bulk corpus, their 50 most frequent
entities, and a fixed-seed random sample of mentions to judge by hand.

    python -m benchmarks.entity_audit [--bulk-dir DIR] [--sample 200] [--seed 14]
                                      [--judged FILE] [--write-sample FILE]

Reads `unga_resolutions_drafts_78-80.en.jsonl.gz` of the bulk folder (default `../shared/bulk`
or `$UNKG_BULK_DIR`, as `python -m benchmarks`), keeps the records whose `doc_type` is
"resolution", and runs the parser on each. Prints the 50 most frequent entities (mentions and
documents), then the sample: `--sample` mentions of States, UN bodies, other organisations and
posts (persons are left out), drawn with `random.Random(seed)` from all mentions in document
order. `--write-sample FILE` writes the sample as a TSV with an empty `verdict` column to judge
by hand (`ok` or `wrong`, and a `note`); `--judged FILE` reads such a file back and prints
precision per kind and overall, checking that each judged row is still the mention the code
finds (a changed extractor needs a new judgement).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.__main__ import default_bulk_dir

GA_FILE = "unga_resolutions_drafts_78-80.en.jsonl.gz"
KINDS = {"state": "State", "body": "UN body", "organization": "organisation", "official": "post"}
COLUMNS = ["n", "symbol", "kind", "entity", "label", "surface", "context", "verdict", "note"]


@dataclass(frozen=True)
class Row:
    symbol: str
    kind: str
    entity: str
    label: str
    surface: str
    context: str


def mentions(bulk_dir: Path) -> tuple[list[Row], int]:
    """Every non-person mention of the bulk GA resolutions, in file and text order, and the
    number of resolutions read."""
    from unkg.extract.document import parse_text
    from unkg.loaders.jsonl import record_hints

    rows: list[Row] = []
    documents = 0
    with gzip.open(bulk_dir / GA_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("doc_type") != "resolution" or not record.get("text"):
                continue
            documents += 1
            doc = parse_text(record["text"], source=record["symbol"],
                             hints=record_hints(record))
            text = doc.text or record["text"]
            for m in doc.mentions:
                if m.kind not in KINDS:
                    continue
                context = " ".join(
                    f"{text[max(0, m.start - 110):m.start]}[[{text[m.start:m.end]}]]"
                    f"{text[m.end:m.end + 70]}".split())
                rows.append(Row(record["symbol"], KINDS[m.kind], m.entity, m.label,
                                " ".join(m.text.split()), context))
    return rows, documents


def top_entities(rows: list[Row], n: int = 50) -> list[tuple[str, str, str, int, int]]:
    """(entity, label, kind, mentions, documents) of the n most mentioned entities."""
    counts = Counter(r.entity for r in rows)
    docs = Counter(e for e, _s in {(r.entity, r.symbol) for r in rows})
    first = {}
    for r in rows:
        first.setdefault(r.entity, r)
    return [(e, first[e].label, first[e].kind, c, docs[e]) for e, c in counts.most_common(n)]


def precision(judged: list[dict[str, str]]) -> dict[str, tuple[int, int]]:
    """kind → (right, judged), and "overall"."""
    out: dict[str, tuple[int, int]] = {}
    for row in judged:
        verdict = row["verdict"].strip().lower()
        if verdict not in ("ok", "wrong"):
            raise SystemExit(f"row {row['n']}: verdict must be ok or wrong, not {verdict!r}")
        for kind in (row["kind"], "overall"):
            right, total = out.get(kind, (0, 0))
            out[kind] = (right + (verdict == "ok"), total + 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.entity_audit",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--bulk-dir", type=Path, default=default_bulk_dir())
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--write-sample", type=Path, help="write the sample to judge (TSV)")
    parser.add_argument("--judged", type=Path, help="a judged sample TSV: print precision")
    args = parser.parse_args(argv)
    if not (args.bulk_dir / GA_FILE).is_file():
        print(f"no {GA_FILE} in {args.bulk_dir} (set --bulk-dir or $UNKG_BULK_DIR)",
              file=sys.stderr)
        return 2
    rows, documents = mentions(args.bulk_dir)
    print(f"{documents} GA resolutions, {len(rows)} mentions of States, UN bodies, "
          f"organisations and posts, {len({r.entity for r in rows})} entities\n")
    print("| # | entity | label | kind | mentions | resolutions |\n|---:|---|---|---|---:|---:|")
    for i, (entity, label, kind, count, docs) in enumerate(top_entities(rows), start=1):
        print(f"| {i} | `{entity}` | {label} | {kind} | {count} | {docs} |")
    print(f"\nmentions per kind: {dict(Counter(r.kind for r in rows))}")
    sample = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    if args.write_sample:
        with args.write_sample.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            writer.writerow(COLUMNS)
            for n, r in enumerate(sample, start=1):
                writer.writerow([n, r.symbol, r.kind, r.entity, r.label, r.surface, r.context,
                                 "", ""])
        print(f"\nsample of {len(sample)} written to {args.write_sample}")
    if args.judged:
        with args.judged.open(encoding="utf-8", newline="") as src:
            judged = list(csv.DictReader(src, delimiter="\t"))
        for row, r in zip(judged, sample, strict=False):
            if (row["symbol"], row["entity"], row["surface"]) != (r.symbol, r.entity, r.surface):
                print(f"row {row['n']} is no longer the sampled mention: judge the sample again",
                      file=sys.stderr)
                return 1
        print("\n| kind | right | judged | precision |\n|---|---:|---:|---:|")
        for kind, (right, total) in sorted(precision(judged).items(),
                                           key=lambda kv: kv[0] == "overall"):
            print(f"| {kind} | {right} | {total} | {right / total:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
