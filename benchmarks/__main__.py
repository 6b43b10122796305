"""`python -m benchmarks` (= `make bench`): benchmark unkg on the bulk corpus and a synthetic one.

Each corpus runs in its own process (`benchmarks.run_corpus`), so peak memory is per corpus. The
tables (Markdown) print medians and the targets of issue #7, marked met or not met.

    python -m benchmarks                       # bulk corpus (3,045 docs) + 10,000 synthetic
    python -m benchmarks --quick               # a fifth of the bulk corpus + 2,000 synthetic
    python -m benchmarks --synthetic 100000 --no-bulk --no-baselines   # the scale run (memory)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BULK_FILES = ("unsc_resolutions_gold_1946-1994.en.jsonl.gz",
              "unga_resolutions_drafts_78-80.en.jsonl.gz",
              "unga_decisions_71-80.en.jsonl.gz")
GiB = 1024 ** 3


def default_bulk_dir() -> Path:
    return Path(os.environ.get("UNKG_BULK_DIR", REPO.parent / "shared" / "bulk"))


def sample_bulk(bulk_dir: Path, out_dir: Path, every: int) -> list[Path]:
    """Every `every`-th record of each bulk file (the quick run's corpus)."""
    out = []
    for name in BULK_FILES:
        target = out_dir / name
        with gzip.open(bulk_dir / name, "rt", encoding="utf-8") as src, \
                gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as dst:
            for i, line in enumerate(src):
                if i % every == 0:
                    dst.write(line)
        out.append(target)
    return out


def run_corpus(files: list[Path], out_json: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.run_corpus", *map(str, files), "--json",
           str(out_json), "--workers", str(args.workers), "--repeat", str(args.repeat),
           "--rdflib-max", str(args.rdflib_max), "--query-timeout", str(args.query_timeout)]
    if args.no_baselines:
        cmd.append("--no-baselines")
    subprocess.run(cmd, check=True, cwd=REPO)
    return json.loads(out_json.read_text(encoding="utf-8"))


def environment() -> dict[str, str]:
    import psutil

    versions = {}
    for pkg in ("unkg", "pyoxigraph", "rdflib", "pyshacl", "pypdf", "networkx"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "?"
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{psutil.virtual_memory().total / GiB:.0f} GiB RAM",
        "cpu": platform.processor() or _cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        **versions,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


# --- the tables -----------------------------------------------------------------------------------

def _get(results: dict[str, Any], *keys: str) -> Any:
    cur: Any = results
    for key in keys:
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _num(value: Any, fmt: str = "{:,.0f}") -> str:
    if value is None:
        return "—"
    return fmt.format(value)


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "NOT met")


def summary_table(corpora: dict[str, dict[str, Any]]) -> str:
    names = list(corpora)
    rows: list[tuple[str, list[str], str, str]] = []

    def row(label: str, keys: tuple[str, ...], fmt: str = "{:,.0f}", scale: float = 1.0,
            target: str = "", check: Any = None) -> None:
        cells = []
        for n in names:
            v = _get(corpora[n], *keys)
            if isinstance(v, bool):
                cells.append("yes" if v else "no")
                continue
            cells.append(_num(v * scale if isinstance(v, int | float) else v, fmt)
                         if not isinstance(v, str) else v)
        rows.append((label, cells, target, check or ""))

    bulk = corpora.get("bulk", {})
    synth = next((v for k, v in corpora.items() if k.startswith("synthetic")), {})
    # the bulk targets are about the whole corpus (3,045 documents), not a --quick sample
    whole_bulk = (_get(bulk, "end_to_end", "documents") or 0) >= 3000
    if not whole_bulk:
        bulk = {}
    e2e_s = _get(bulk, "end_to_end", "total_s")
    ratio = _get(bulk or corpora.get("bulk", {}), "loading", "ratio_vs_raw")
    val_s = _get(bulk, "end_to_end", "validate_s")
    qmax = _get(bulk, "queries", "max_median_ms")
    peak = _get(synth, "end_to_end", "peak_rss")
    n_synth = _get(synth, "end_to_end", "documents")

    row("documents loaded", ("end_to_end", "documents"))
    row("triples (quads) in the store", ("end_to_end", "store_quads"))
    row("end to end: load + validate (s)", ("end_to_end", "total_s"), "{:,.1f}",
        target="bulk < 60 s",
        check=_verdict(e2e_s < 60 if e2e_s is not None else None))
    row("  of which load_files (s)", ("end_to_end", "load_s"), "{:,.1f}")
    row("  of which SHACL + checks (s)", ("end_to_end", "validate_s"), "{:,.1f}",
        target="bulk < 30 s", check=_verdict(val_s < 30 if val_s is not None else None))
    row("  conforms", ("end_to_end", "conforms"), "{}")
    row("extraction: documents/s", ("extraction", "docs_per_s"), "{:,.1f}")
    row("extraction: triples/s", ("extraction", "triples_per_s"))
    row("loading (unkg write path): triples/s", ("loading", "unkg_triples_per_s"))
    row("baseline pyoxigraph bulk_load: triples/s", ("loading", "raw_triples_per_s"))
    row("loading time / raw bulk_load time", ("loading", "ratio_vs_raw"), "{:.2f}×",
        target="≤ 2×", check=_verdict(ratio <= 2 if ratio is not None else None))
    row("baseline rdflib Dataset.parse: triples/s", ("loading", "rdflib_triples_per_s"))
    row("rdflib time / unkg loading time", ("loading", "ratio_rdflib_vs_unkg"), "{:.1f}×")
    row("store size on disk after load (MiB)", ("end_to_end", "store_bytes"), "{:,.1f}",
        1 / 2**20)
    row("store size on disk, reopened (MiB)", ("end_to_end", "store_bytes_reopened"),
        "{:,.1f}", 1 / 2**20)
    row("peak memory, load + validate (MiB)", ("end_to_end", "peak_rss"), "{:,.0f}", 1 / 2**20,
        target="100k synthetic < 4 GiB",
        check=_verdict(peak < 4 * GiB if peak is not None and n_synth and n_synth >= 100_000
                       else None))
    row("slowest library query, median (ms)", ("queries", "max_median_ms"), "{:,.1f}",
        target="bulk < 100 ms", check=_verdict(qmax < 100 if qmax is not None else None))
    row("median library query, median (ms)", ("queries", "median_of_medians_ms"), "{:,.1f}")
    for kind in ("citations", "organisations", "mentions"):
        row(f"network projection: {kind} (s)", ("networks", kind, "seconds"), "{:,.2f}")

    header = "| metric | " + " | ".join(names) + " | target | verdict |"
    sep = "|---|" + "---:|" * len(names) + "---|---|"
    lines = [header, sep]
    for label, cells, target, check in rows:
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} | {check} |")
    return "\n".join(lines)


def query_table(corpora: dict[str, dict[str, Any]]) -> str:
    names = list(corpora)
    queries = sorted({q for c in corpora.values() for q in (_get(c, "queries", "queries") or {})})
    lines = ["| query | " + " | ".join(f"{n} median ms (rows)" for n in names) + " |",
             "|---|" + "---:|" * len(names)]
    for q in queries:
        cells = []
        for n in names:
            entry = _get(corpora[n], "queries", "queries", q) or {}
            cells.append(f"{entry['median_ms']:.1f} ({entry['rows']})" if "median_ms" in entry
                         else entry.get("error", "—")[:60])
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def problems(corpora: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for name, res in corpora.items():
        for stage, value in res.items():
            if isinstance(value, dict) and "error" in value:
                out.append(f"{name}: stage {stage} failed: {value['error']}")
        for msg in _get(res, "end_to_end", "failed_files") or []:
            out.append(f"{name}: file failed: {msg}")
        shapes = _get(res, "end_to_end", "violation_shapes")
        if shapes:
            out.append(f"{name}: {_get(res, 'end_to_end', 'violations')} SHACL violations, "
                       f"shapes: {', '.join(shapes)}")
        slow = _get(res, "extraction", "slowest_file")
        if slow:
            out.append(f"{name}: slowest file to extract: {slow[0]} ({slow[1]:.1f} s of "
                       f"{_get(res, 'extraction', 'cpu_s'):.1f} s CPU in workers)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="a fifth of the bulk corpus and 2,000 synthetic documents")
    ap.add_argument("--synthetic", type=int, default=None,
                    help="synthetic documents (default 10,000; 2,000 with --quick; 0 = none)")
    ap.add_argument("--no-bulk", action="store_true", help="skip the bulk corpus")
    ap.add_argument("--bulk-dir", type=Path, default=None,
                    help="folder of the bulk corpus (default ../shared/bulk or $UNKG_BULK_DIR)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=3, help="runs per timed stage (median)")
    ap.add_argument("--rdflib-max", type=int, default=3_000_000,
                    help="skip the rdflib baseline above this many triples")
    ap.add_argument("--query-timeout", type=float, default=60.0,
                    help="give up a library query after this many seconds")
    ap.add_argument("--no-baselines", action="store_true",
                    help="end to end, queries and projections only (the 100,000-document run)")
    ap.add_argument("--results", type=Path, default=None, help="also write all results as JSON")
    args = ap.parse_args(argv)
    n_synth = args.synthetic if args.synthetic is not None else (2000 if args.quick else 10_000)

    corpora: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="unkg-bench-") as tmp:
        work = Path(tmp)
        if not args.no_bulk:
            bulk_dir = args.bulk_dir or default_bulk_dir()
            if not (bulk_dir / BULK_FILES[0]).is_file():
                print(f"bulk corpus not found in {bulk_dir} (use --bulk-dir)", file=sys.stderr)
                return 2
            if args.quick:
                (work / "bulk").mkdir()
                files = sample_bulk(bulk_dir, work / "bulk", every=5)
            else:
                files = [bulk_dir / name for name in BULK_FILES]
            print(f"# bulk corpus: {', '.join(f.name for f in files)}", file=sys.stderr)
            corpora["bulk"] = run_corpus(files, work / "bulk.json", args)
        if n_synth:
            from benchmarks.synthetic import generate

            print(f"# synthetic corpus: {n_synth:,} documents", file=sys.stderr)
            files = generate(n_synth, work / "synthetic", per_file=1000)
            corpora[f"synthetic {n_synth:,}"] = run_corpus(files, work / "synthetic.json", args)

    env = environment()
    print("\n## Environment\n")
    for key, value in env.items():
        print(f"- {key}: {value}")
    print(f"- workers: {args.workers}; repeat: {args.repeat} (medians)\n")
    print("## Summary\n")
    print(summary_table(corpora))
    print("\n## Library queries\n")
    print(query_table(corpora))
    notes = problems(corpora)
    if notes:
        print("\n## Notes\n")
        for note in notes:
            print(f"- {note}")
    if args.results:
        args.results.write_text(json.dumps({"environment": env, "corpora": corpora}, indent=1,
                                           default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
