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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from unkg.errors import InputError, UnkgError
from unkg.graph import build as graph_build
from unkg.graph import iris, reference
from unkg.loaders.sources import sha256_file
from unkg.store.base import BulkLoadingStore, Store
from unkg.store.terms import term_value
from unkg.store.text_index import texts_of_graphs

Progress = Callable[[int, int, str], None]  # (files done, files in total, path just finished)
# A commit (one store transaction, plus a bulk load of the new graphs) takes at most this many
# files, or this many bytes of N-Quads: what the loader holds in memory is bounded.
COMMIT_EVERY = 64
COMMIT_BYTES = 128 * 1024 * 1024


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


@dataclass
class _Built:
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


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and under directories every file a loader accepts (sorted; hidden files
    and a folder's README, LICENSE and the like are skipped)."""
    from unkg.loaders.registry import loader_for

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if not f.is_file() or any(p.startswith(".") for p in f.relative_to(path).parts):
                    continue
                if f.name.split(".", 1)[0].lower() in FOLDER_NOTES:
                    continue
                try:
                    loader_for(f)
                except InputError:
                    continue
                found.append(f)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such file or directory", path=str(path))
    return list(dict.fromkeys(p.resolve() for p in found))


def parse_and_build(path: str, base: str | None, checksum: str,
                    lines: tuple[int, int] | None = None) -> _Built:
    """Worker: load one file (or the records on `lines` of a JSON Lines file) and build its
    graphs. Raises UnkgError (or anything) on failure."""
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
        built = graph_build.build_document(doc, base=base)
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
    quads = [q for g in graphs.values() for q in g]
    counts = {g: len(q) for g, q in graphs.items()}
    return _Built(loaded, _nquads(quads), meta, warnings, counts, texts_of_graphs(graphs))


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    from unkg.store import quads_to_nquads

    return quads_to_nquads(quads)


def _group(nquads: bytes) -> dict[str, list[ox.Quad]]:
    grouped: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        grouped.setdefault(q.graph_name.value, []).append(q)
    return grouped


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
        files = expand_paths(paths)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.read_provenance()
        self.ensure_reference_graphs(now)
        report = LoadReport()
        reports: dict[str, FileReport] = {}
        todo: list[tuple[str, str]] = []
        for f in files:
            key = str(f)
            try:
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
        pending: list[tuple[str, str, _Built]] = []
        pending_bytes = 0
        for key, checksum, outcome in self._run(todo, workers):
            done += 1
            if isinstance(outcome, _Built):
                pending.append((key, checksum, outcome))
                pending_bytes += len(outcome.nquads)
            else:
                reports[key] = _failure(key, outcome)
            # Bounded memory: what waits for a commit is at most COMMIT_EVERY files or
            # COMMIT_BYTES of N-Quads (plus the one file that crossed the line).
            if len(pending) >= COMMIT_EVERY or pending_bytes >= COMMIT_BYTES:
                self._commit(pending, now, reports)
                pending, pending_bytes = [], 0
            if progress:
                progress(done, len(files), key)
        if pending:
            self._commit(pending, now, reports)
        report.files = [reports[str(f)] for f in files if str(f) in reports]
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

    def _run(self, todo: list[tuple[str, str]], workers: int | None
             ) -> Iterator[tuple[str, str, _Built | BaseException]]:
        workers = workers or min(os.cpu_count() or 1, 4)
        if workers <= 1:
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
        for key, checksum in todo:
            ranges = _record_ranges(key)
            for i, lines in enumerate(ranges):
                tasks.append((key, checksum, lines, i == len(ranges) - 1))
        queue = list(reversed(tasks))
        parts: list[_Built | BaseException] = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            in_flight: deque[tuple[str, str, bool, Future[_Built]]] = deque()
            while queue or in_flight:
                while queue and len(in_flight) < 2 * workers:
                    key, checksum, lines, last = queue.pop()
                    in_flight.append((key, checksum, last, pool.submit(
                        parse_and_build, key, self.base, checksum, lines)))
                key, checksum, last, fut = in_flight.popleft()
                failure = fut.exception()
                parts.append(failure if failure is not None else fut.result())
                if last:
                    yield key, checksum, _merge(key, parts)
                    parts = []

    def _commit(self, pending: list[tuple[str, str, _Built]], now: str,
                reports: dict[str, FileReport]) -> None:
        """Write the graphs of several files and their provenance, all or nothing."""
        from unkg.store import LOADING_GRAPH, GraphPatch

        bulk = self.store if isinstance(self.store, BulkLoadingStore) else None
        owner: dict[str, str] = {}  # graph → path, for the graphs this commit writes
        remove: set[str] = set()
        replaced: dict[str, list[ox.Quad]] = {}  # graphs that exist: transactional swap
        fresh: dict[str, list[ox.Quad]] = {}  # new graphs, stores without a bulk path
        fresh_nquads: list[bytes] = []  # new graphs, bulk-loaded as the worker wrote them
        fresh_names: list[str] = []
        fresh_texts: dict[str, list[tuple[str, str]]] = {}
        accepted: list[tuple[str, str, _Built]] = []
        left_out: dict[str, dict[str, str]] = {}  # path → {graph: file that holds it}
        for key, checksum, built in pending:
            names = list(built.counts) or list(_group(built.nquads))
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
                left_out[key] = clashes
            for g in names:
                owner[g] = key
            remove |= mine - set(names)
            exists = {g for g in names if g in self.owner or self._exists(g)}
            if bulk and built.counts and not exists:
                # Performance: no Python Quad objects at all, the worker's bytes go straight
                # to pyoxigraph's bulk loader (benchmarks/README.md, stage "loading").
                fresh_nquads.append(built.nquads)
                fresh_names += names
                fresh_texts.update(built.texts)
            else:
                grouped = _group(built.nquads)
                built.counts = {g: len(q) for g, q in grouped.items()}
                for g, quads in grouped.items():
                    (replaced if g in exists else fresh)[g] = quads
            accepted.append((key, checksum, built))
        changed = sorted({g for *_, built in accepted for g in built.counts} | remove)
        prov: list[ox.Quad] = []
        for key, checksum, built in accepted:
            for g, count in built.counts.items():
                source, loader, _ = built.graphs.get(g, (Path(key).name, "?", checksum))
                prov += graph_build.provenance_quads(
                    g, source=source, source_path=self.recorded_path(key), loader=loader,
                    checksum=checksum, generated_at=now, triples=count, base=self.base)
        # New graphs go in first (bulk, or one plain insert); the graphs being replaced and the
        # provenance (the record that the new graphs are complete) take the store's
        # transactional stage-and-MOVE path last. If that fails, the new graphs are dropped.
        new = sorted(fresh) + fresh_names
        try:
            if fresh_nquads:
                data = fresh_nquads[0] if len(fresh_nquads) == 1 else b"".join(fresh_nquads)
                fresh_nquads.clear()
                assert bulk is not None  # fresh_nquads are only gathered for a bulk store
                bulk.bulk_load_fresh(data, fresh_names, texts=fresh_texts)
                del data
            if fresh:
                self.store.replace_graphs(fresh)
            try:
                self.store.replace_graphs(
                    replaced, remove=sorted(remove) + ([LOADING_GRAPH] if fresh_names else []),
                    patch={self.provenance_graph: GraphPatch(changed, prov)})
            except UnkgError:
                if new:
                    self.store.replace_graphs({}, remove=new)
                raise
        except UnkgError as err:
            for key, *_ in accepted:
                reports[key] = FileReport(key, "failed", error=str(err))
            self.read_provenance()
            return
        self._forget(changed)
        for key, checksum, built in accepted:
            for g in built.counts:
                self.owner[g] = key
                self.checksums[g] = checksum
                self.by_path.setdefault(key, set()).add(g)
            reports[key] = FileReport(
                key, "loaded", documents=built.documents, triples=sum(built.counts.values()),
                graphs=sorted(built.counts), warnings=built.warnings,
                left_out=left_out.get(key, {}))


# JSON Lines files with more records than this are split into ranges of RANGE_RECORDS records.
RANGE_RECORDS = 100


def _record_ranges(path: str) -> list[tuple[int, int] | None]:
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


def _merge(path: str, parts: list[_Built | BaseException]) -> _Built | BaseException:
    """One file's result from its parts: the first failure, or the parts joined in order."""
    failed = next((p for p in parts if isinstance(p, BaseException)), None)
    if failed is not None:
        return failed
    built = [p for p in parts if isinstance(p, _Built)]
    if len(built) == 1:
        return built[0]
    if not any(p.documents for p in built):
        reason = next((w for p in built for w in p.warnings), "no record in the file")
        return InputError(f"nothing loadable: {reason}", path=path)
    merged = _Built(0, b"", {}, [])
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
