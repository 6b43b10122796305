"""The loading pipeline: files → `unkg.loaders.load_file` → `unkg.graph.build` → store.

- All-or-nothing per file: a file's graphs are written with one `replace_graphs` call, together
  with the provenance graph that records them; a file that fails (bad input, or a crash while
  building it) is reported with path, line and reason and leaves nothing behind.
- Reloading a file replaces the graphs previously built from it (the provenance graph maps each
  named graph to its source path and checksum), so loads are idempotent.
- Incremental: a file whose sha256 is unchanged is skipped unless `force`.
- Parsing and building run in worker processes, a bounded number of tasks in flight; a big JSON
  Lines file is split into record ranges whose results are merged before the file commits.
- Validation: after the files are committed, the shapes compiled to SPARQL check the focus nodes
  of the graphs this load wrote, in the store (against everything else in it: seconds for the
  bulk corpus). A non-conformant file still lands; its report counts the results.
- Writing: new graphs go through pyoxigraph's bulk loader (not transactional: they are listed in
  a marker graph first, and the provenance written last in one transaction clears it; a crash in
  between is undone when the store is next opened); replaced graphs are swapped transactionally.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from unkg.errors import UnkgError
from unkg.graph import build as graph_build
from unkg.graph import iris, reference
from unkg.graph.worker import (
    Built,
    expand_paths,
    group_nquads,
    merge_parts,
    parse_and_build,
    record_ranges,
)
from unkg.loaders.sources import sha256_file
from unkg.sandbox import die_with_parent, remove_stale_temporaries
from unkg.store.base import BulkLoadingStore, Store
from unkg.store.terms import term_value

Progress = Callable[[int, int, str], None]  # (files done, files in total, path just finished)
# A commit (one store transaction, plus a bulk load of the new graphs) takes at most this many
# files, or this many bytes of N-Quads: what the loader holds in memory is bounded.
COMMIT_EVERY = 64
COMMIT_BYTES = 128 * 1024 * 1024
# ... or every few seconds: an interrupted load keeps the files it had finished (the bulk folder
# is 41 files and 20 MB of N-Quads: neither bound above is reached before its end).
COMMIT_SECONDS = 5.0


@dataclass
class FileReport:
    path: str
    status: str  # loaded | skipped (unchanged) | duplicate (version already loaded) | failed
    documents: int = 0
    triples: int = 0
    graphs: list[str] = field(default_factory=list)
    error: str | None = None  # one line: reason
    line: int | None = None
    warnings: list[str] = field(default_factory=list)
    violations: int = 0  # SHACL results found while loading (see `unkg validate`)
    # graph → name of the file that holds it: documents of this file that another file had
    # already loaded (the same language version), left out
    left_out: dict[str, str] = field(default_factory=dict)

    def message(self) -> str:
        """`path:line: reason` for a failed file."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.error}"


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def loaded(self) -> int:
        return self._count("loaded")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def duplicates(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "duplicate"]

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def documents(self) -> int:
        """Documents (language versions) this load wrote."""
        return sum(f.documents for f in self.files if f.status == "loaded")

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files if f.status == "loaded")

    @property
    def ok(self) -> bool:
        return not self.failed

    def rows(self) -> list[dict[str, object]]:
        """One record per source file: what was extracted, what was left out or skipped, and
        why (the `--report` of `unkg load` and `unkg build`)."""
        return [{"file": f.path, "status": f.status, "documents": f.documents,
                 "triples": f.triples, "graphs": len(f.graphs), "violations": f.violations,
                 "error": f.message() if f.status == "failed" else None,
                 "left_out": [{"graph": g, "held_by": h} for g, h in sorted(f.left_out.items())],
                 "warnings": list(f.warnings)} for f in self.files]


class LoadPipeline:
    """Loads files into a store; one instance per load call (not to be confused with a source
    format's `unkg.loaders.registry.Loader`). It reads the provenance graph once and keeps its
    index (graph → source path and checksum) up to date as it commits, so a commit costs what it
    writes, not what the store already holds."""

    def __init__(self, store: Store, *, base: str | None = None) -> None:
        self.store = store
        self.base = iris._base(base)
        self.provenance_graph = iris.graph_iri("provenance", base=self.base)
        self.by_path: dict[str, set[str]] = {}  # source path → graphs built from it
        self.owner: dict[str, str] = {}  # graph → source path
        self.checksums: dict[str, str] = {}  # graph → sha256 of its source
        # The provenance records source paths relative to the store's folder: they still name
        # the files when store and sources move together, and what `unkg serve` publishes holds
        # no home directory. A store without a folder (in memory) records absolute paths.
        folder = store.path
        self.anchor = str(Path(folder).resolve()) if isinstance(folder, Path) else None

    def recorded_path(self, path: str) -> str:
        """A source path (absolute, resolved) as the provenance records it."""
        if self.anchor is None:
            return path
        try:
            return os.path.relpath(path, self.anchor)
        except ValueError:  # another drive (Windows): no relative path
            return path

    def source_path(self, recorded: str) -> str:
        """The absolute path of a source as the provenance records it (relative or not)."""
        if self.anchor is None or os.path.isabs(recorded):
            return recorded
        # Both ends were resolved (no symbolic links), so ".." can be folded textually.
        return os.path.normpath(os.path.join(self.anchor, recorded))

    # --- provenance bookkeeping ----------------------------------------------------------------

    def _provenance(self) -> list[ox.Quad]:
        return list(self.store.quads(self.provenance_graph))

    def read_provenance(self) -> None:
        """(Re)build the index from the provenance graph in the store."""
        from unkg.ontology.namespace import UNKG

        source_path, checksum = str(UNKG.sourcePath), str(UNKG.checksum)
        self.by_path, self.owner, self.checksums = {}, {}, {}
        for q in self._provenance():
            if q.predicate.value == source_path:
                path = self.source_path(term_value(q.object))
                self.by_path.setdefault(path, set()).add(term_value(q.subject))
                self.owner[term_value(q.subject)] = path
            elif q.predicate.value == checksum:
                self.checksums[term_value(q.subject)] = term_value(q.object)

    def _forget(self, graphs: Iterable[str]) -> None:
        for g in graphs:
            path = self.owner.pop(g, None)
            self.checksums.pop(g, None)
            if path is not None and path in self.by_path:
                self.by_path[path].discard(g)
                if not self.by_path[path]:
                    del self.by_path[path]

    def _exists(self, graph: str) -> bool:
        return self.store.has_graph(graph)

    def ensure_reference_graphs(self, now: str) -> None:
        """(Re)load the ontology, vocabularies and authority when their files changed."""
        from unkg.store import GraphPatch

        checksum = reference.reference_checksum()
        ontology = iris.graph_iri("ontology", base=self.base)
        authority = iris.graph_iri("authority", base=self.base)
        if self.checksums.get(ontology) == checksum and self.checksums.get(authority) == checksum:
            return
        graphs = {ontology: reference.ontology_quads(base=self.base),
                  authority: reference.authority_quads(base=self.base)}
        prov: list[ox.Quad] = []
        for g, quads in graphs.items():
            prov += graph_build.provenance_quads(
                g, source="unkg/ontology", loader="unkg.ontology", checksum=checksum,
                generated_at=now, triples=len(quads), base=self.base)
        self.store.replace_graphs(
            graphs, patch={self.provenance_graph: GraphPatch(sorted(graphs), prov)})
        for g in graphs:
            self.checksums[g] = checksum

    # --- the load ------------------------------------------------------------------------------

    def load(self, paths: Iterable[str | Path], *, force: bool = False,
             workers: int | None = None, progress: Progress | None = None,
             validate: bool = True) -> LoadReport:
        remove_stale_temporaries("bulk")  # left by a load that was killed
        unreadable: list[tuple[str, str]] = []
        files = expand_paths(paths, unreadable)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.read_provenance()
        self.ensure_reference_graphs(now)
        report = LoadReport()
        reports: dict[str, FileReport] = {}
        todo: list[tuple[str, str]] = []
        for f in files:
            key = str(f)
            try:
                if not f.is_file():  # a pipe would block the read, a socket cannot be read
                    raise OSError(0, "not a regular file")
                checksum = sha256_file(f)
            except OSError as err:
                reports[key] = FileReport(key, "failed", error=f"cannot read: {err.strerror}")
                continue
            previous = self.by_path.get(key, set())
            if (not force and previous
                    and all(self.checksums.get(g) == checksum for g in previous)):
                reports[key] = FileReport(key, "skipped", graphs=sorted(previous))
                continue
            todo.append((key, checksum))

        done = len(reports)
        if progress:
            progress(done, len(files), "")
        pending: list[tuple[str, str, Built]] = []
        pending_bytes = 0
        last_commit = time.monotonic()

        def part_done(key: str, part: int, parts: int) -> None:
            if progress:  # a big file split into parts: say how far it has got
                progress(done, len(files), f"{key} (part {part}/{parts})")

        for key, checksum, outcome in self._run(todo, workers, part_done):
            done += 1
            if isinstance(outcome, Built):
                pending.append((key, checksum, outcome))
                pending_bytes += len(outcome.nquads)
            else:
                reports[key] = _failure(key, outcome)
            # Bounded memory: what waits for a commit is at most COMMIT_EVERY files or
            # COMMIT_BYTES of N-Quads (plus the one file that crossed the line).
            if (len(pending) >= COMMIT_EVERY or pending_bytes >= COMMIT_BYTES
                    or (pending and time.monotonic() - last_commit >= COMMIT_SECONDS)):
                self._commit(pending, now, reports)
                pending, pending_bytes = [], 0
                last_commit = time.monotonic()
            if progress:
                progress(done, len(files), key)
        if pending:
            self._commit(pending, now, reports)
        report.files = [reports[str(f)] for f in files if str(f) in reports]
        report.files += [FileReport(folder, "failed", error=reason)
                         for folder, reason in unreadable]
        if validate:
            self._validate_written(report.files)
        return report

    def _validate_written(self, files: list[FileReport]) -> None:
        """Check the graphs this load wrote, in the store; count the results per file."""
        from unkg.validate.runner import sparql_violations

        by_graph = {g: f for f in files if f.status == "loaded" for g in f.graphs}
        if not by_graph:
            return
        for v in sparql_violations(self.store, by_graph):
            if v.graph in by_graph:
                by_graph[v.graph].violations += 1

    def _run(self, todo: list[tuple[str, str]], workers: int | None,
             part_done: Callable[[str, int, int], None] | None = None,
             ) -> Iterator[tuple[str, str, Built | BaseException]]:
        workers = workers or min(os.cpu_count() or 1, 4)
        # In-process parsing only where the per-file time limit (a SIGALRM) can fire: on the
        # main thread. The CLI runs commands on a worker thread (so Ctrl-C answers at once), so
        # there one worker process parses, and a file over the limit still stops.
        if workers <= 1 and threading.current_thread() is threading.main_thread():
            for key, checksum in todo:
                try:
                    yield key, checksum, parse_and_build(key, self.base, checksum)
                except Exception as err:  # one bad file is reported, the rest lands
                    yield key, checksum, err
            return
        # A big JSON Lines file (the bulk GA resolutions: 85 % of the text) is split into record
        # ranges parsed by different workers; its parts are merged before the file commits, so
        # it is still all or nothing. Results are yielded in the order of `todo` (deterministic:
        # when two files claim the same graph, the first one listed wins), with at most
        # 2 × workers tasks in flight.
        tasks: list[tuple[str, str, tuple[int, int] | None, bool]] = []  # …, last part of file
        n_parts: dict[str, int] = {}
        for key, checksum in todo:
            ranges = record_ranges(key)
            n_parts[key] = len(ranges)
            for i, lines in enumerate(ranges):
                tasks.append((key, checksum, lines, i == len(ranges) - 1))
        queue = list(reversed(tasks))
        parts: list[Built | BaseException] = []
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
            in_flight: deque[tuple[str, str, bool, Future[Built]]] = deque()
            while queue or in_flight:
                while queue and len(in_flight) < 2 * workers:
                    key, checksum, lines, last = queue.pop()
                    in_flight.append((key, checksum, last, pool.submit(
                        parse_and_build, key, self.base, checksum, lines)))
                key, checksum, last, fut = in_flight.popleft()
                failure = fut.exception()
                parts.append(failure if failure is not None else fut.result())
                if part_done is not None and not (last and len(parts) == 1):
                    part_done(key, len(parts), n_parts[key])
                if last:
                    yield key, checksum, merge_parts(key, parts)
                    parts = []

    def _commit(self, pending: list[tuple[str, str, Built]], now: str,
                reports: dict[str, FileReport]) -> None:
        """Write the graphs of several files and their provenance, all or nothing."""
        batch = self._plan(pending, reports)
        changed = sorted({g for *_, built in batch.accepted for g in built.counts} | batch.remove)
        prov: list[ox.Quad] = []
        for key, checksum, built in batch.accepted:
            for g, count in built.counts.items():
                source, loader, _ = built.graphs.get(g, (Path(key).name, "?", checksum))
                prov += graph_build.provenance_quads(
                    g, source=source, source_path=self.recorded_path(key), loader=loader,
                    checksum=checksum, generated_at=now, triples=count, base=self.base)
        try:
            self._write(batch, changed, prov)
        except UnkgError as err:
            for key, *_ in batch.accepted:
                reports[key] = FileReport(key, "failed", error=str(err))
            self.read_provenance()
            return
        self._forget(changed)
        for key, checksum, built in batch.accepted:
            for g in built.counts:
                self.owner[g] = key
                self.checksums[g] = checksum
                self.by_path.setdefault(key, set()).add(g)
            reports[key] = FileReport(
                key, "loaded", documents=built.documents, triples=sum(built.counts.values()),
                graphs=sorted(built.counts), warnings=built.warnings,
                left_out=batch.left_out.get(key, {}))

    def _plan(self, pending: list[tuple[str, str, Built]],
              reports: dict[str, FileReport]) -> _Batch:
        """Sort the graphs of a commit: a file whose every graph another file holds is a
        duplicate (reported, not loaded), graphs held elsewhere are left out, and the rest are
        new (bulk-loaded when the store can) or replace graphs that exist."""
        batch = _Batch(bulk=self.store if isinstance(self.store, BulkLoadingStore) else None)
        owner = batch.owner
        for key, checksum, built in pending:
            names = list(built.counts) or list(group_nquads(built.nquads))
            mine = self.by_path.get(key, set())

            def holder(graph: str, key: str = key) -> str:
                return owner.get(graph) or self.owner.get(graph, key)

            clashes = {g: Path(holder(g)).name for g in names if holder(g) != key}
            if clashes and len(clashes) == len(names):
                # The same language version from another file (a PDF and its text): the file
                # loaded first keeps it; this one is reported, not loaded.
                clash, other = next(iter(clashes.items()))
                reports[key] = FileReport(
                    key, "duplicate", documents=built.documents, graphs=[clash],
                    warnings=[f"{Path(key).name}: same language version as {other} "
                              f"(graph {clash}); not loaded"], left_out=clashes)
                continue
            if clashes:
                # A file of many documents (JSON Lines, a catalogue) holding some that another
                # file already loaded: those are left out, the rest of the file loads.
                built.drop(clashes)
                names = [g for g in names if g not in clashes]
                batch.left_out[key] = clashes
            for g in names:
                owner[g] = key
            batch.remove |= mine - set(names)
            exists = {g for g in names if g in self.owner or self._exists(g)}
            if batch.bulk and built.counts and not exists:
                # Performance: no Python Quad objects at all, the worker's bytes go straight
                # to pyoxigraph's bulk loader (benchmarks/README.md, stage "loading").
                batch.fresh_nquads.append(built.nquads)
                batch.fresh_names += names
                batch.fresh_texts.update(built.texts)
            else:
                grouped = group_nquads(built.nquads)
                built.counts = {g: len(q) for g, q in grouped.items()}
                for g, quads in grouped.items():
                    (batch.replaced if g in exists else batch.fresh)[g] = quads
            batch.accepted.append((key, checksum, built))
        return batch

    def _write(self, batch: _Batch, changed: list[str], prov: list[ox.Quad]) -> None:
        """New graphs go in first (bulk, or one plain insert); the graphs being replaced and the
        provenance (the record that the new graphs are complete) take the store's
        transactional stage-and-MOVE path last. If that fails, the new graphs are dropped."""
        from unkg.store import LOADING_GRAPH, GraphPatch

        new = sorted(batch.fresh) + batch.fresh_names
        if batch.fresh_nquads:
            parts = batch.fresh_nquads
            data = parts[0] if len(parts) == 1 else b"".join(parts)
            parts.clear()
            assert batch.bulk is not None  # fresh_nquads are only gathered for a bulk store
            batch.bulk.bulk_load_fresh(data, batch.fresh_names, texts=batch.fresh_texts)
            del data
        if batch.fresh:
            self.store.replace_graphs(batch.fresh)
        try:
            self.store.replace_graphs(
                batch.replaced,
                remove=sorted(batch.remove) + ([LOADING_GRAPH] if batch.fresh_names else []),
                patch={self.provenance_graph: GraphPatch(changed, prov)})
        except UnkgError:
            if new:
                self.store.replace_graphs({}, remove=new)
            raise


@dataclass
class _Batch:
    """The graphs of one commit, sorted by how they are written."""

    bulk: BulkLoadingStore | None
    owner: dict[str, str] = field(default_factory=dict)  # graph → path, graphs written here
    remove: set[str] = field(default_factory=set)
    replaced: dict[str, list[ox.Quad]] = field(default_factory=dict)  # exist: transactional swap
    fresh: dict[str, list[ox.Quad]] = field(default_factory=dict)  # new, no bulk path
    fresh_nquads: list[bytes] = field(default_factory=list)  # new, bulk-loaded as written
    fresh_names: list[str] = field(default_factory=list)
    fresh_texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    accepted: list[tuple[str, str, Built]] = field(default_factory=list)
    left_out: dict[str, dict[str, str]] = field(default_factory=dict)  # path → {graph: holder}


def _failure(key: str, err: BaseException) -> FileReport:
    if isinstance(err, UnkgError):
        return FileReport(key, "failed", error=err.reason, line=err.line)
    # A crash inside a loader or the builder: still one line, the rest of the batch lands.
    return FileReport(key, "failed", error=f"internal error: {type(err).__name__}: {err}")


def load_files(store: Store, paths: Iterable[str | Path], *, base: str | None = None,
               force: bool = False, workers: int | None = None,
               progress: Progress | None = None, validate: bool = True) -> LoadReport:
    """Load files into `store` (see the module docstring)."""
    return LoadPipeline(store, base=base).load(paths, force=force, workers=workers,
                                               progress=progress, validate=validate)
