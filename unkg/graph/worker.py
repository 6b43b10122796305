"""The work of one worker process of the load pipeline (`unkg.graph.load`): a file (or a range of
records of a big JSON Lines file) → `Document`s → quads, sent back as N-Quads bytes (compact and
picklable), with the graphs' texts for the store's text index.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from unkg.errors import InputError, UnkgError
from unkg.graph import build as graph_build
from unkg.loaders.sources import InputLimits
from unkg.store.text_index import texts_of_graphs


@dataclass
class Built:
    """What a worker sends back for one file: N-Quads bytes (compact and picklable)."""

    documents: int
    nquads: bytes
    graphs: dict[str, tuple[str, str, str | None]]  # graph → (source, loader, checksum)
    warnings: list[str]
    counts: dict[str, int] = field(default_factory=dict)  # graph → quads
    # graph → [(node, folded text)] for the store's text index, extracted here, in the worker
    texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def drop(self, graphs: Iterable[str]) -> None:
        """Leave these graphs (one document's language version each) out of what is loaded."""
        gone = set(graphs) & set(self.counts)
        if not gone:
            return
        # N-Quads is one quad per line with the graph name last: the lines are filtered as
        # bytes, not parsed (a big JSON Lines file holds millions of quads).
        ends = tuple(f"{ox.NamedNode(g)} .\n".encode() for g in gone)
        self.nquads = b"".join(line for line in self.nquads.splitlines(keepends=True)
                               if not line.endswith(ends))
        self.documents -= len(gone)
        for g in gone:
            del self.counts[g]
            self.graphs.pop(g, None)
            self.texts.pop(g, None)


# Files that describe a folder rather than being one of its documents (the bulk corpus has a
# README.md, which the text loader would take for a document): skipped when a directory is
# walked, loaded only when named.
FOLDER_NOTES = frozenset({"readme", "license", "licence", "changelog", "contributing", "notice",
                          "copying", "authors"})


def expand_paths(paths: Iterable[str | Path],
                 unreadable: list[tuple[str, str]] | None = None) -> list[Path]:
    """Files as given, and under directories every file a loader accepts (sorted; hidden files
    and a folder's README, LICENSE and the like are skipped). A sub-folder that cannot be read
    is added to `unreadable` as (path, reason) when a list is given; a path that exists but is
    no regular file (a socket, a device) is kept, for its load to fail with the reason."""
    from unkg.loaders.registry import loader_for

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            def failed(err: OSError, path: Path = path) -> None:
                if unreadable is not None:
                    unreadable.append((str(Path(err.filename or path).resolve()),
                                       f"cannot read the folder: {err.strerror or err}"))

            files: list[Path] = []
            for folder, dirs, names in os.walk(path, onerror=failed):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                files += [Path(folder) / n for n in names if not n.startswith(".")]
            for f in sorted(files):
                if not f.is_file() or f.name.split(".", 1)[0].lower() in FOLDER_NOTES:
                    continue
                try:
                    loader_for(f)
                except InputError:
                    continue
                found.append(f)
        elif path.is_file() or (path.exists() and not path.is_dir()):
            found.append(path)
        else:
            raise InputError("no such file or directory", path=str(path))
    return list(dict.fromkeys(p.resolve() for p in found))


class _OverTime(BaseException):  # not swallowed by a per-record `except Exception`
    pass


def parse_and_build(path: str, base: str | None, checksum: str,
                    lines: tuple[int, int] | None = None) -> Built:
    """Worker: load one file (or the records on `lines` of a JSON Lines file) and build its
    graphs, within the per-file time limit (`InputLimits.file_time_limit`). Raises UnkgError
    (or anything) on failure."""
    seconds = InputLimits.current().file_time_limit
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        return _parse_and_build(path, base, checksum, lines)  # signals need the main thread

    def overtime(signum: int, frame: object) -> None:
        raise _OverTime()

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return _parse_and_build(path, base, checksum, lines)
    except _OverTime:
        part = f" (lines {lines[0]}-{lines[1] - 1})" if lines else ""
        raise InputError(f"took longer than the per-file time limit of {seconds:g} s{part} "
                         "(UNKG_FILE_TIME_LIMIT); not loaded", path=path) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _parse_and_build(path: str, base: str | None, checksum: str,
                     lines: tuple[int, int] | None = None) -> Built:
    from unkg.loaders import load_file

    if lines is not None:
        from unkg.loaders.jsonl import load_jsonl_records

        docs, problems = load_jsonl_records(Path(path), lines)
        for doc in docs:
            doc.loader = "jsonl"
        if docs:
            docs[0].warnings.extend(problems)
    else:
        docs = load_file(path)
    graphs: dict[str, list[ox.Quad]] = {}
    meta: dict[str, tuple[str, str, str | None]] = {}
    warnings: list[str] = []
    loaded = 0
    for doc in docs:
        doc.checksum = doc.checksum or checksum
        try:
            built = graph_build.build_document(doc, base=base)
        except Exception as err:
            if len(docs) == 1:
                raise
            # One document of a many-record file that cannot be built is left out, with its
            # reason; the file's other documents still load.
            reason = err.reason if isinstance(err, UnkgError) else \
                f"internal error: {type(err).__name__}: {err}"
            warnings += doc.warnings
            warnings.append(f"{doc.source}: {reason}; record skipped")
            continue
        warnings += doc.warnings
        if built.graph in graphs:
            # Two records of one file for the same language version (the bulk decisions hold
            # A/DEC/78/528 twice): merging them would double every paragraph's values; the
            # first record wins, as between files.
            warnings.append(f"{doc.source}: same language version as {meta[built.graph][0]} "
                            f"(graph {built.graph}); not loaded")
            continue
        loaded += 1
        graphs[built.graph] = built.quads
        meta[built.graph] = (built.source, built.loader, checksum)
    if docs and not loaded and lines is None:
        reason = next((w for w in warnings if w.endswith("record skipped")), "nothing built")
        raise InputError(f"nothing loadable: {reason}", path=path)
    quads = [q for g in graphs.values() for q in g]
    counts = {g: len(q) for g, q in graphs.items()}
    return Built(loaded, _nquads(quads), meta, warnings, counts, texts_of_graphs(graphs))


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    from unkg.store import quads_to_nquads

    return quads_to_nquads(quads)


def group_nquads(nquads: bytes) -> dict[str, list[ox.Quad]]:
    grouped: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        grouped.setdefault(q.graph_name.value, []).append(q)
    return grouped


RANGE_RECORDS = 100


def record_ranges(path: str) -> list[tuple[int, int] | None]:
    """Line ranges `(first, last)` of a big JSON Lines file; `[None]` (whole file) otherwise."""
    if not path.endswith((".jsonl", ".jsonl.gz")):
        return [None]
    from unkg.loaders.jsonl import count_lines

    try:
        total = count_lines(Path(path))
    except UnkgError:
        return [None]  # the worker reports the error with the file's own loader
    if total <= RANGE_RECORDS:
        return [None]
    return [(first, min(first + RANGE_RECORDS, total + 1))
            for first in range(1, total + 1, RANGE_RECORDS)]


def merge_parts(path: str, parts: list[Built | BaseException]) -> Built | BaseException:
    """One file's result from its parts: the first failure, or the parts joined in order."""
    failed = next((p for p in parts if isinstance(p, BaseException)), None)
    if failed is not None:
        return failed
    built = [p for p in parts if isinstance(p, Built)]
    if len(built) == 1:
        return built[0]
    if not any(p.documents for p in built):
        reason = next((w for p in built for w in p.warnings), "no record in the file")
        return InputError(f"nothing loadable: {reason}", path=path)
    merged = Built(0, b"", {}, [])
    chunks: list[bytes] = []
    for part in built:
        again = [g for g in part.counts if g in merged.counts]
        if again:
            # The same language version in two ranges: the first record wins, as in one range.
            merged.warnings += [f"{Path(path).name}: a second record for graph {g}; not loaded"
                                for g in again]
            part.drop(again)
        chunks.append(part.nquads)
        merged.documents += part.documents
        merged.counts.update(part.counts)
        merged.graphs.update({g: m for g, m in part.graphs.items() if g in part.counts})
        merged.texts.update({g: t for g, t in part.texts.items() if g in part.counts})
        merged.warnings += part.warnings
    merged.nquads = b"".join(chunks)
    return merged
