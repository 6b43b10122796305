"""Benchmarks of one corpus, in a process of its own (so its peak memory is its own).

Stages, each timed on the same files:

1. **end to end** (the target), what `unkg build` does: `unkg.graph.load.load_files` into a
   fresh on-disk Oxigraph store (parallel parse + build, big JSON Lines files split into record
   ranges, per-file all-or-nothing commits bounded in size, provenance), then `validate_store`
   once over the whole store (the shapes compiled to SPARQL, and the `.rq` checks).
   Peak memory of the process tree is sampled during this stage.
2. **extraction**: the pipeline's worker function (`parse_and_build`: loader → Documents →
   quads → N-Quads) over whole files in a process pool.
3. **loading**: the pipeline's write path (`LoadPipeline._commit`: new graphs bulk-loaded from the
   workers' N-Quads, provenance written last) into a fresh on-disk store, against two
   baselines fed the same N-Quads: pyoxigraph's raw `bulk_load` into a fresh on-disk store, and
   rdflib's in-memory `Dataset.parse`.
4. **queries**: every query of the library with its header's example parameters, on the store
   of stage 1; **network projections**: citations, organisations, mentions.

Run: `python -m benchmarks.run_corpus FILE... --json OUT` (used by `python -m benchmarks`).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import tempfile
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.measure import PeakMemory, dir_size, median_time, timed


def _stage(results: dict[str, Any], name: str, fn: Callable[[], dict[str, Any]]) -> None:
    """Run one stage; a stage that fails is recorded with its error and the others go on."""
    try:
        results[name] = fn()
    except Exception as err:  # a benchmark reports what broke, it does not stop
        results[name] = {"error": f"{type(err).__name__}: {err}"}
        traceback.print_exc()
    gc.collect()


def _extract_one(path: str) -> tuple[str, Any, float]:
    from unkg.graph.worker import parse_and_build
    from unkg.loaders.sources import sha256_file

    seconds, built = timed(lambda: parse_and_build(path, None, sha256_file(Path(path))))
    return path, built, seconds


def end_to_end(files: list[Path], workdir: Path, workers: int) -> dict[str, Any]:
    from unkg.graph.load import load_files
    from unkg.store import OxigraphStore
    from unkg.validate.runner import validate_store

    store_dir = workdir / "e2e-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    with PeakMemory() as memory:
        store = OxigraphStore(store_dir)
        # As `unkg build` does: load without the per-load check, then validate the whole store
        # once (shapes + SPARQL checks).
        load_s, report = timed(lambda: load_files(store, files, workers=workers,
                                                  validate=False))
        validate_s, validation = timed(lambda: validate_store(store, workers=workers))
        store.flush()
    return {
        "files": len(files), "documents": report.documents, "triples": report.triples,
        "failed_files": [f.message() for f in report.failed],
        "warnings": sum(len(f.warnings) for f in report.files),
        "load_s": load_s, "validate_s": validate_s, "total_s": load_s + validate_s,
        "conforms": validation.conforms, "violations": len(validation.violations),
        "violation_shapes": sorted({v.shape for v in validation.violations})[:10],
        "store_bytes": dir_size(store_dir), "store_quads": store.count(),
        "peak_rss": memory.peak, "_store": store,
    }


def extraction(files: list[Path], workers: int) -> tuple[dict[str, Any], list[tuple]]:
    builts: list[tuple[str, Any]] = []
    per_file: dict[str, float] = {}

    def run() -> None:
        if workers <= 1:
            outcomes = map(_extract_one, [str(f) for f in files])
            for path, built, seconds in outcomes:
                builts.append((path, built))
                per_file[path] = seconds
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for path, built, seconds in pool.map(_extract_one, [str(f) for f in files]):
                builts.append((path, built))
                per_file[path] = seconds

    seconds, _ = timed(run)
    docs = sum(b.documents for _, b in builts)
    quads = sum(b.nquads.count(b"\n") for _, b in builts)
    slowest = max(per_file.items(), key=lambda kv: kv[1])
    return {
        "seconds": seconds, "documents": docs, "triples": quads,
        "docs_per_s": docs / seconds, "triples_per_s": quads / seconds,
        "cpu_s": sum(per_file.values()),
        "slowest_file": [Path(slowest[0]).name, slowest[1]],
    }, builts


def loading(builts: list[tuple[str, Any]], workdir: Path, repeat: int,
            rdflib_max: int) -> dict[str, Any]:
    import pyoxigraph as ox

    from unkg.graph.load import COMMIT_EVERY, LoadPipeline
    from unkg.store import OxigraphStore

    nquads = b"".join(b.nquads for _, b in builts)
    quads = nquads.count(b"\n")
    unkg_dir, raw_dir = workdir / "load-unkg", workdir / "load-raw"

    def fresh(path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)
        gc.collect()

    def unkg_load() -> None:
        store = OxigraphStore(unkg_dir)
        loader = LoadPipeline(store)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        reports: dict = {}
        pending = [(path, "0" * 64, built) for path, built in builts]
        for i in range(0, len(pending), COMMIT_EVERY):
            loader._commit(pending[i:i + COMMIT_EVERY], now, reports)
        store.flush()
        store.close()

    def raw_load() -> None:
        store = ox.Store(str(raw_dir))
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store

    unkg_s = median_time(unkg_load, repeat, setup=lambda: fresh(unkg_dir))
    raw_s = median_time(raw_load, repeat, setup=lambda: fresh(raw_dir))
    out = {
        "triples": quads, "unkg_s": unkg_s, "raw_bulk_load_s": raw_s,
        "unkg_triples_per_s": quads / unkg_s, "raw_triples_per_s": quads / raw_s,
        "ratio_vs_raw": unkg_s / raw_s,
        "raw_store_bytes": dir_size(raw_dir),
    }
    if quads <= rdflib_max:
        from rdflib import Dataset

        def rdflib_load() -> None:
            Dataset().parse(data=nquads, format="nquads")

        rdflib_s = median_time(rdflib_load, min(repeat, 2))
        out.update(rdflib_s=rdflib_s, rdflib_triples_per_s=quads / rdflib_s,
                   ratio_rdflib_vs_unkg=rdflib_s / unkg_s)
    else:
        out["rdflib_s"] = None
        out["rdflib_note"] = f"skipped above {rdflib_max:,} triples"
    fresh(unkg_dir)
    fresh(raw_dir)
    return out


def _time_query(store_dir: str, name: str, params: dict[str, str], repeat: int,
                conn: Any) -> None:
    """Child process: median latency of one stored query on a read-only view of the store."""
    from unkg.queries.runner import run
    from unkg.store import OxigraphStore

    try:
        store = OxigraphStore(store_dir, read_only=True)
        rows = len(run(store, name, params))
        ms = 1000 * median_time(lambda: run(store, name, params), repeat)
        conn.send({"median_ms": ms, "rows": rows})
    except Exception as err:
        conn.send({"error": f"{type(err).__name__}: {err}"})


def _most_cited(store_dir: Path) -> str | None:
    """The symbol of the store's most cited document (the `most-cited` query's first row)."""
    from unkg.queries.runner import run
    from unkg.store import OxigraphStore

    store = OxigraphStore(str(store_dir), read_only=True)
    try:
        rows = run(store, "most-cited", limit=1).dicts()
    finally:
        try:
            store.close()
        except RuntimeError:  # a read-only store refuses the flush of close()
            pass
    return str(rows[0]["symbol"]) if rows and rows[0].get("symbol") is not None else None


def queries(store_dir: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """Every library query with its example parameters, each in a child process killed after
    `timeout` seconds (one pathological query must not stall the whole benchmark)."""
    import multiprocessing as mp

    from unkg.queries.runner import library

    # Besides the header's example, a query about one document also runs on the most cited one:
    # its symbol is stated in every graph that cites it, the shape that once made
    # outgoing-citations run past 600 s on the bulk corpus (issue #16).
    hardest = _most_cited(store_dir)
    runs: list[tuple[str, str, dict[str, str]]] = []
    for name, stored in library().items():
        runs.append((name, name, dict(stored.examples)))
        symbol_params = [p.name for p in stored.parameters if p.type == "symbol"]
        if hardest and len(symbol_params) == 1:
            runs.append((f"{name} ({hardest})", name,
                         {**stored.examples, symbol_params[0]: hardest}))
    latencies: dict[str, Any] = {}
    for label, name, params in runs:
        parent, child = mp.Pipe(duplex=False)
        proc = mp.Process(target=_time_query,
                          args=(str(store_dir), name, params, repeat, child))
        proc.start()
        if parent.poll(timeout):
            latencies[label] = parent.recv()
        else:
            latencies[label] = {"error": f"timeout: no answer within {timeout:.0f} s"}
            proc.kill()
        proc.join()
    times = [v["median_ms"] for v in latencies.values() if "median_ms" in v]
    timed_out = [n for n, v in latencies.items() if "timeout" in v.get("error", "")]
    return {"queries": latencies, "timed_out": timed_out,
            "max_median_ms": (float("inf") if timed_out else max(times)) if times else None,
            "median_of_medians_ms": statistics.median(times) if times else None}


def networks(store: Any) -> dict[str, Any]:
    from unkg.network import project

    out: dict[str, Any] = {}
    for kind in ("citations", "organisations", "mentions"):
        seconds, graph = timed(lambda kind=kind: project(store, kind))
        out[kind] = {"seconds": seconds, "nodes": graph.number_of_nodes(),
                     "edges": graph.number_of_edges()}
    return out


def run_all(files: list[Path], *, workers: int, repeat: int, rdflib_max: int,
            workdir: Path, query_timeout: float = 60.0, baselines: bool = True
            ) -> dict[str, Any]:
    results: dict[str, Any] = {"files": [f.name for f in files], "workers": workers,
                               "repeat": repeat}
    _stage(results, "end_to_end", lambda: end_to_end(files, workdir, workers))
    store = results["end_to_end"].pop("_store", None)
    if store is not None:
        _stage(results, "networks", lambda: networks(store))
        store.close()
        del store
        gc.collect()
        # size once the write-ahead log is folded into the tables (reopen + flush)
        from unkg.store import OxigraphStore

        OxigraphStore(workdir / "e2e-store").close()
        results["end_to_end"]["store_bytes_reopened"] = dir_size(workdir / "e2e-store")
        _stage(results, "queries",
               lambda: queries(workdir / "e2e-store", max(repeat, 5), query_timeout))
    if not baselines:  # the scale run: end to end, queries and projections only
        return results
    builts: list = []

    def extract() -> dict[str, Any]:
        stats, found = extraction(files, workers)
        builts.extend(found)
        return stats

    _stage(results, "extraction", extract)
    if builts:
        _stage(results, "loading", lambda: loading(builts, workdir, repeat, rdflib_max))
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Benchmark one corpus (see the module docstring).")
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, required=True, help="write the results here")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rdflib-max", type=int, default=3_000_000)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--query-timeout", type=float, default=60.0)
    ap.add_argument("--no-baselines", action="store_true",
                    help="skip the extraction and loading stages and their baselines")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="unkg-bench-", dir=args.workdir) as tmp:
        results = run_all(args.files, workers=args.workers, repeat=args.repeat,
                          rdflib_max=args.rdflib_max, workdir=Path(tmp),
                          query_timeout=args.query_timeout, baselines=not args.no_baselines)
    args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
