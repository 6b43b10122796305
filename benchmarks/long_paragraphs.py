"""`python -m benchmarks.long_paragraphs`: extraction time of one huge paragraph (issue #18).

A hostile or broken source can hold a whole document in one paragraph (no line breaks: an OCR
dump, a JSON record without newlines). Extraction must stay about linear in its length. Each
row is one synthetic single-paragraph text, parsed by `parse_text` in a fresh process (so one
slow row cannot hide behind a cache), with the time of each extraction stage:

    python -m benchmarks.long_paragraphs                 # 1 MB and 10 MB, resolution and body
    python -m benchmarks.long_paragraphs --sizes 0.1 1   # smaller, to see the growth

Shapes: `operative` (one operative paragraph of a resolution: citations after a verb, clauses
joined by `;`, one citation every ~70 bytes), `body` (running text of a letter: sentences,
citations anywhere, as dense), `prose` (ordinary running text: one citation every ~1 KB).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

# One sentence of each shape, repeated; every one holds citations, trigger verbs and entities.
SENTENCES = {
    "operative": ("recalls its resolution {n}/{m} of 2 December 2004 and welcomes decision "
                  "{m}/{n}, requests the Secretary-General to cooperate with the African Union "
                  "and the Security Council, and takes note of document A/{n}/{m}; "),
    "body": ("The General Assembly recalled resolution {n}/{m} and the Security Council "
             "welcomed resolution {m}{n} ({y}), while the Secretary-General of the United "
             "Nations, in cooperation with the European Union, took note of A/{n}/{m}. "),
    # ordinary running text: one citation every ~1 KB, a few names
    "prose": ("The delegations discussed the financing of the programme at length and agreed "
              "that the secretariat would circulate a revised draft before the next session. "
              "Several speakers stressed that the budget lines for travel, interpretation and "
              "documentation should be presented separately, and that the figures for the "
              "previous biennium should be given for comparison. Others asked for more time to "
              "consult their capitals on the proposals, which they had received late. The "
              "chair noted these views and said that consultations would continue. The "
              "committee then turned to the report on the implementation of resolution "
              "{n}/{m}, on which the Secretary-General had been asked to report. "),
}
HEADS = {
    "operative": "General Assembly\n\n69/12. Cooperation\n\nThe General Assembly,\n\n1. ",
    "body": "Letter dated 2 December 2014 from the Secretary-General\n\n",
    "prose": "Summary record of the 12th meeting\n\n",
}
# Stages reported: (module, function) whose time is taken around each call.
STAGES = {
    "structure": ("unkg.extract.document", "analyse"),
    "citations": ("unkg.extract.citations", "extract_citations"),
    "entities+links": ("unkg.extract.document", "_entities_and_links"),
}


def make_text(shape: str, size: int) -> str:
    parts = [HEADS[shape]]
    total = len(parts[0])
    i = 0
    while total < size:
        s = SENTENCES[shape].format(n=10 + i % 60, m=1 + i % 300, y=1990 + i % 30)
        parts.append(s)
        total += len(s)
        i += 1
    return "".join(parts)[:size].rstrip() + ".\n"


def _timed(stages: dict[str, float], stage: str, function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            stages[stage] = stages.get(stage, 0.0) + time.perf_counter() - started
    return wrapper


def _child(shape: str, size: int) -> None:
    """In a fresh process: parse once, timing the whole and each stage (by wrapping the stage
    functions where `parse_text` looks them up; a profiler would distort the times)."""
    import importlib

    from unkg.extract import document as text_module

    stages: dict[str, float] = {}
    for stage, (module, function) in STAGES.items():
        owner = importlib.import_module(module)
        setattr(owner, function, _timed(stages, stage, getattr(owner, function)))
    text = make_text(shape, size)
    text_module.parse_text("General Assembly\n\n1. Recalls resolution 1/2.\n", source="warm")
    stages.clear()  # vocabularies and patterns are loaded once, before the clock runs
    started = time.perf_counter()
    doc = text_module.parse_text(text, source=f"{shape}.txt")
    wall = time.perf_counter() - started
    row = {"shape": shape, "bytes": len(text.encode()), "seconds": wall,
           "paragraphs": len(doc.paragraphs), "citations": len(doc.citations),
           "mentions": len(doc.mentions), "links": len(doc.links), "stages": stages}
    print(json.dumps(row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10],
                        help="text sizes in MB (default: 1 10)")
    parser.add_argument("--shapes", nargs="+", default=list(SENTENCES), choices=list(SENTENCES))
    parser.add_argument("--timeout", type=float, default=600, help="seconds per row")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return 0
    print("| shape | size | seconds | MB/s | citations | mentions | links | "
          + " | ".join(f"{s} s" for s in STAGES) + " |")
    print("|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(STAGES))
    for size_mb in args.sizes:
        for shape in args.shapes:
            size = int(size_mb * 1_000_000)
            command = [sys.executable, "-m", "benchmarks.long_paragraphs", "--child", shape,
                       str(size)]
            try:
                out = subprocess.run(command, capture_output=True, text=True, check=True,
                                     timeout=args.timeout).stdout
            except subprocess.TimeoutExpired:
                print(f"| {shape} | {size_mb:g} MB | > {args.timeout:g} | | | | |"
                      + " |" * len(STAGES))
                continue
            row = json.loads(out.strip().splitlines()[-1])
            stages = " | ".join(f"{row['stages'].get(s, 0):.2f}" for s in STAGES)
            print(f"| {shape} | {size_mb:g} MB | {row['seconds']:.2f} | "
                  f"{row['bytes'] / 1e6 / row['seconds']:.2f} | {row['citations']} | "
                  f"{row['mentions']} | {row['links']} | {stages} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
