"""Draw the link audit sample from the bulk GA resolutions (the same sample on every run).

    python -m benchmarks.link_audit [--bulk DIR] [--size 200] [--per-type 15] [--seed 13]

Extracts the links of every General Assembly *resolution* (not drafts) of
`unga_resolutions_drafts_78-80.en.jsonl.gz` in the bulk folder (`../shared/bulk` or
`$UNKG_BULK_DIR`), prints how many links of each type of the vocabulary were found, and a random
sample (fixed seed): up to `--per-type` links of each type first, the rest drawn from all links.
Each sampled link is printed with its paragraph's text, to be judged by hand against LINKS.md.
The hand verdicts live in `benchmarks/data/link-audit-verdicts.tsv` (keyed by symbol, paragraph,
type, subject and object); `--write benchmarks/link-audit.md` writes the sample with its verdicts
and the precision per type (a sampled link without a verdict is listed as "unjudged").
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

from benchmarks.__main__ import default_bulk_dir

FILE = "unga_resolutions_drafts_78-80.en.jsonl.gz"
VERDICTS = Path(__file__).parent / "data" / "link-audit-verdicts.tsv"


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
    """Up to `per_type` links of each type, then others to reach `size`, each time those whose
    SHA-256 of (seed, symbol, paragraph, type, subject, object) is lowest: a link's place in the
    sample does not depend on the other links, so a small change of the extractor changes the
    sample by as little."""
    def rank(item: tuple) -> str:
        doc, link = item
        key = "|".join(map(str, (seed, doc.symbol, link.paragraph, link.type, link.subject,
                                 link.object)))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    ordered = sorted(range(len(links)), key=lambda i: rank(links[i]))
    chosen: list[int] = []
    taken: Counter = Counter()
    for i in ordered:
        kind = links[i][1].type
        if taken[kind] < per_type:
            taken[kind] += 1
            chosen.append(i)
    rest = [i for i in ordered if i not in set(chosen)]
    chosen += rest[:max(0, size - len(chosen))]
    return [links[i] for i in sorted(chosen)]


def _vocabulary_types() -> list[str]:
    from unkg.ontology import data_file

    text = data_file("vocab/link-types.ttl").read_text(encoding="utf-8")
    import re

    return sorted(set(re.findall(r"^linktype:(\w+) a skos:Concept", text, re.M)))


def _verdicts() -> dict[tuple[str, ...], tuple[str, str]]:
    if not VERDICTS.exists():
        return {}
    lines = VERDICTS.read_text(encoding="utf-8").splitlines()[1:]
    return {tuple(f[:5]): (f[5], f[6]) for f in (line.split("\t") for line in lines) if len(f) >= 7}


def write_report(path: Path, sample: list, counts: Counter, args: argparse.Namespace) -> None:
    """The sample with its verdicts and the precision per type, as Markdown."""
    verdicts = _verdicts()
    per_type: dict[str, Counter] = {}
    rows = []
    for n, (doc, link) in enumerate(sample, start=1):
        key = (doc.symbol, link.paragraph, link.type, link.subject, link.object)
        verdict, reason = verdicts.get(key, ("unjudged", ""))
        per_type.setdefault(link.type, Counter())[verdict] += 1
        text = link.text if len(link.text) <= 180 else link.text[:177] + "…"
        rows.append(f"| {n} | {link.type} | {link.subject} → {link.object} | {doc.symbol} "
                    f"{link.paragraph} | {text.replace('|', '/')} | {verdict} | {reason} |")
    lines = [
        "# Link audit: a hand-judged sample of the links in the bulk GA resolutions",
        "",
        f"`python -m benchmarks.link_audit --write benchmarks/link-audit.md` (seed {args.seed}, "
        f"{args.size} links, up to {args.per_type} per type, then random). Links found in the "
        f"resolutions of `{FILE}`: {sum(counts.values())}.",
        "Each link was judged by reading its paragraph against `LINKS.md` (and the links-dev "
        "conventions): *right*, *wrong* (with the reason) or *uncertain* (a reading the gold "
        "would mark uncertain; not counted).",
        "",
        "| type | found in bulk | sampled | right | wrong | uncertain | precision |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in _vocabulary_types():
        c = per_type.get(kind, Counter())
        judged = c["right"] + c["wrong"]
        precision = f"{c['right'] / judged:.2f}" if judged else "—"
        lines.append(f"| {kind} | {counts.get(kind, 0)} | {sum(c.values())} | {c['right']} | "
                     f"{c['wrong']} | {c['uncertain']} | {precision} |")
    total = sum(per_type.values(), Counter())
    judged = total["right"] + total["wrong"]
    lines.append(f"| **all** | {sum(counts.values())} | {sum(total.values())} | {total['right']} | "
                 f"{total['wrong']} | {total['uncertain']} | "
                 f"{total['right'] / judged if judged else 0:.2f} |")
    agenda = per_type.get("agendaInclusion", Counter())
    reports = sum(1 for row in rows if "| agendaInclusion |" in row and "'Report of X'" in row)
    strict = (agenda["right"] - reports) / max(1, agenda["right"] + agenda["wrong"])
    lines += ["", f"{reports} of the {sum(agenda.values())} agendaInclusion links are items named "
              "'Report of X' (or '…: report of X'), counted right as items on X; counted wrong, "
              f"agendaInclusion precision would be {strict:.2f}. onBehalfOf is stated by no GA "
              "resolution of the file (the Security Council resolutions of the bulk folder give "
              "10, the seed letter 6).",
              "", "## The sample", "",
              "| # | type | subject → object | where | fragment | verdict | reason |",
              "|---:|---|---|---|---|---|---|", *rows, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.link_audit")
    parser.add_argument("--bulk", type=Path, default=default_bulk_dir())
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--per-type", type=int, default=15)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--write", type=Path, help="write the judged sample as Markdown here")
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
    sample = draw(links, args.size, args.per_type, args.seed)
    if args.write:
        write_report(args.write, sample, counts, args)
    for n, (doc, link) in enumerate(sample, start=1):
        paragraph = next(p for p in doc.paragraphs if p.id == link.paragraph)
        where = f"[{doc.symbol} {link.paragraph}]"
        print(f"## {n}. {link.type}: {link.subject} -> {link.object}  {where}"
              + (f" granted_by {link.document}" if link.document else ""))
        print(f"fragment: {link.text}")
        print(f"paragraph: {' '.join(paragraph.text.split())[:900]}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
