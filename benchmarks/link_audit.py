"""Draw the link audit sample from the bulk GA resolutions (the same sample on every run).

    python -m benchmarks.link_audit [--bulk DIR] [--size 200] [--per-type 15] [--seed 13]

Extracts the links of every General Assembly *resolution* (not drafts) of
`unga_resolutions_drafts_78-80.en.jsonl.gz` in the bulk folder (`../shared/bulk` or
`$UNKG_BULK_DIR`), prints how many links of each type of the vocabulary were found, and a random
sample (fixed seed): up to `--per-type` links of each type first, the rest drawn from all links.
Each sampled link is printed with its paragraph's text, to be judged by hand against LINKS.md;
`benchmarks/link-audit.md` holds the verdicts.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from benchmarks.__main__ import default_bulk_dir

FILE = "unga_resolutions_drafts_78-80.en.jsonl.gz"


def bulk_links(bulk_dir: Path) -> list[tuple[object, object]]:
    """(document, link) for every link of every resolution of the bulk file, in file order."""
    from unkg.loaders import load_file

    out = []
    for doc in load_file(bulk_dir / FILE):
        if doc.type != "resolution":
            continue
        out.extend((doc, link) for link in doc.links)
    return out


def draw(links: list, size: int, per_type: int, seed: int) -> list:
    """Up to `per_type` links of each type, then random links to reach `size` (one RNG)."""
    rng = random.Random(seed)
    by_type: dict[str, list[int]] = {}
    for i, (_, link) in enumerate(links):
        by_type.setdefault(link.type, []).append(i)
    chosen: list[int] = []
    for kind in sorted(by_type):
        pool = by_type[kind]
        chosen += rng.sample(pool, min(per_type, len(pool)))
    rest = sorted(set(range(len(links))) - set(chosen))
    chosen += rng.sample(rest, max(0, min(size - len(chosen), len(rest))))
    return [links[i] for i in sorted(chosen)]


def _vocabulary_types() -> list[str]:
    from unkg.ontology import data_file

    text = data_file("vocab/link-types.ttl").read_text(encoding="utf-8")
    import re

    return sorted(set(re.findall(r"^linktype:(\w+) a skos:Concept", text, re.M)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.link_audit")
    parser.add_argument("--bulk", type=Path, default=default_bulk_dir())
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--per-type", type=int, default=15)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if not (args.bulk / FILE).exists():
        print(f"no {FILE} in {args.bulk}", file=sys.stderr)
        return 2
    links = bulk_links(args.bulk)
    counts = Counter(link.type for _, link in links)
    print(f"{len(links)} links in {len({d.symbol for d, _ in links})} resolutions")
    for kind in _vocabulary_types():
        print(f"  {kind:<28} {counts.get(kind, 0):6d}")
    print()
    for n, (doc, link) in enumerate(draw(links, args.size, args.per_type, args.seed), start=1):
        paragraph = next(p for p in doc.paragraphs if p.id == link.paragraph)
        print(f"## {n}. {link.type}: {link.subject} -> {link.object}  [{doc.symbol} {link.paragraph}]"
              + (f" granted_by {link.document}" if link.document else ""))
        print(f"fragment: {link.text}")
        print(f"paragraph: {' '.join(paragraph.text.split())[:900]}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
