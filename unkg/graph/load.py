"""The loading pipeline: files → `unkg.loaders.load_file` → `unkg.graph.build` → store.

- All-or-nothing per file: a file's graphs are written with one `replace_graphs` call, together
  with the provenance graph that records them; a file that fails (bad input, or a crash while
  building it) is reported with path, line and reason and leaves nothing behind.
- Reloading a file replaces the graphs previously built from it (the provenance graph maps each
  named graph to its source path and checksum), so loads are idempotent.
- Incremental: a file whose sha256 is unchanged is skipped unless `force`.
- Parsing and building run in worker processes, a bounded number of files in flight.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from unkg.errors import InputError, UnkgError
from unkg.graph import build as graph_build
from unkg.graph import iris

Progress = Callable[[int, int, str], None]  # (files done, files in total, path just finished)
# Files committed per store transaction: each commit rewrites the (small) provenance graph.
COMMIT_EVERY = 64


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
        return sum(f.documents for f in self.files)

    @property
    def triples(self) -> int:
        return sum(f.triples for f in self.files)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Built:
    """What a worker sends back for one file: N-Quads bytes (compact and picklable)."""

    documents: int
    nquads: bytes
    graphs: dict[str, tuple[str, str, str | None]]  # graph → (source, loader, checksum)
    warnings: list[str]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and under directories every file a loader accepts (sorted, no hidden)."""
    from unkg.loaders.registry import loader_for

    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if not f.is_file() or any(p.startswith(".") for p in f.relative_to(path).parts):
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


def parse_and_build(path: str, base: str | None, checksum: str) -> _Built:
    """Worker: load one file and build its graphs. Raises UnkgError (or anything) on failure."""
    from unkg.loaders import load_file

    docs = load_file(path)
    graphs: dict[str, dict[ox.Quad, None]] = {}
    meta: dict[str, tuple[str, str, str | None]] = {}
    warnings: list[str] = []
    for doc in docs:
        doc.checksum = doc.checksum or checksum
        built = graph_build.build_document(doc, base=base)
        graphs.setdefault(built.graph, {}).update(dict.fromkeys(built.quads))
        meta[built.graph] = (built.source, built.loader, checksum)
        warnings += doc.warnings
    quads = [q for g in graphs.values() for q in g]
    return _Built(len(docs), _nquads(quads), meta, warnings)


def _nquads(quads: Iterable[ox.Quad]) -> bytes:
    from unkg.graph.store import quads_to_nquads

    return quads_to_nquads(quads)


def _group(nquads: bytes) -> dict[str, list[ox.Quad]]:
    grouped: dict[str, list[ox.Quad]] = {}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        grouped.setdefault(q.graph_name.value, []).append(q)  # type: ignore[union-attr]
    return grouped


class Loader:
    """Loads files into a store; one instance per load call (holds the provenance view)."""

    def __init__(self, store: object, *, base: str | None = None) -> None:
        self.store = store
        self.base = iris._base(base)
        self.provenance_graph = iris.graph_iri("provenance", base=self.base)

    # --- provenance bookkeeping ----------------------------------------------------------------

    def _provenance(self) -> list[ox.Quad]:
        quads = getattr(self.store, "quads", None)
        if quads is not None:
            return list(quads(self.provenance_graph))
        # Any backend: a CONSTRUCT over the provenance graph.
        from unkg.graph.store import to_oxigraph

        res = self.store.query(  # type: ignore[attr-defined]
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            {"g": ox.NamedNode(self.provenance_graph)})
        g = ox.NamedNode(self.provenance_graph)
        return [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g)  # type: ignore
                for s, p, o in res.triples]

    @staticmethod
    def _index(prov: Sequence[ox.Quad]) -> tuple[dict[str, set[str]], dict[str, str]]:
        """source path → graphs built from it; graph → checksum."""
        from unkg.ontology.namespace import UNKG

        by_path: dict[str, set[str]] = {}
        checksums: dict[str, str] = {}
        for q in prov:
            if q.predicate.value == str(UNKG.sourcePath):
                by_path.setdefault(q.object.value, set()).add(q.subject.value)
            elif q.predicate.value == str(UNKG.checksum):
                checksums[q.subject.value] = q.object.value
        return by_path, checksums

    def ensure_reference_graphs(self, prov: list[ox.Quad], now: str) -> list[ox.Quad]:
        """(Re)load the ontology, vocabularies and authority when their files changed."""
        checksum = graph_build.reference_checksum()
        ontology = iris.graph_iri("ontology", base=self.base)
        authority = iris.graph_iri("authority", base=self.base)
        _, checksums = self._index(prov)
        if checksums.get(ontology) == checksum and checksums.get(authority) == checksum:
            return prov
        graphs = {ontology: graph_build.ontology_quads(base=self.base),
                  authority: graph_build.authority_quads(base=self.base)}
        prov = [q for q in prov if q.subject.value not in graphs]
        for g, quads in graphs.items():
            prov += graph_build.provenance_quads(
                g, source="unkg/ontology", loader="unkg.ontology", checksum=checksum,
                generated_at=now, triples=len(quads), base=self.base)
        self.store.replace_graphs({**graphs, self.provenance_graph: prov})  # type: ignore
        return prov

    # --- the load ------------------------------------------------------------------------------

    def load(self, paths: Iterable[str | Path], *, force: bool = False,
             workers: int | None = None, progress: Progress | None = None) -> LoadReport:
        files = expand_paths(paths)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        prov = self.ensure_reference_graphs(self._provenance(), now)
        by_path, checksums = self._index(prov)
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
            previous = by_path.get(key, set())
            if (not force and previous
                    and all(checksums.get(g) == checksum for g in previous)):
                reports[key] = FileReport(key, "skipped", graphs=sorted(previous))
                continue
            todo.append((key, checksum))

        done = len(reports)
        if progress:
            progress(done, len(files), "")
        pending: list[tuple[str, str, _Built]] = []
        for key, checksum, outcome in self._run(todo, workers):
            done += 1
            if isinstance(outcome, _Built):
                pending.append((key, checksum, outcome))
            else:
                reports[key] = _failure(key, outcome)
            if len(pending) >= COMMIT_EVERY:
                prov = self._commit(pending, prov, now, reports)
                pending = []
            if progress:
                progress(done, len(files), key)
        if pending:
            self._commit(pending, prov, now, reports)
        report.files = [reports[str(f)] for f in files if str(f) in reports]
        return report

    def _run(self, todo: list[tuple[str, str]], workers: int | None
             ) -> Iterator[tuple[str, str, _Built | BaseException]]:
        workers = workers or min(os.cpu_count() or 1, 4)
        if workers <= 1 or len(todo) < 2:  # perf: 3 big files still deserve 2 workers
            for key, checksum in todo:
                try:
                    yield key, checksum, parse_and_build(key, self.base, checksum)
                except Exception as err:  # one bad file is reported, the rest lands
                    yield key, checksum, err
            return
        # Results are yielded in the order of `todo` (deterministic: when two files claim the
        # same graph, the first one listed wins), with at most 2 × workers files in flight.
        queue = list(reversed(todo))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            in_flight: deque[tuple[str, str, Future[_Built]]] = deque()
            while queue or in_flight:
                while queue and len(in_flight) < 2 * workers:
                    key, checksum = queue.pop()
                    in_flight.append((key, checksum,
                                      pool.submit(parse_and_build, key, self.base, checksum)))
                key, checksum, fut = in_flight.popleft()
                err = fut.exception()
                yield key, checksum, (err if err is not None else fut.result())

    def _commit(self, pending: list[tuple[str, str, _Built]], prov: list[ox.Quad], now: str,
                reports: dict[str, FileReport]) -> list[ox.Quad]:
        """Write the graphs of several files and the updated provenance in one transaction."""
        by_path, _ = self._index(prov)
        graphs: dict[str, list[ox.Quad]] = {}
        owner: dict[str, str] = {g: p for p, gs in by_path.items() for g in gs}
        remove: set[str] = set()
        accepted: list[tuple[str, str, _Built, dict[str, list[ox.Quad]]]] = []
        for key, checksum, built in pending:
            grouped = _group(built.nquads)
            clash = next((g for g in grouped
                          if owner.get(g, key) != key and owner[g] not in by_path.get(key, ())),
                         None)
            if clash is not None:
                # The same language version from another file (a PDF and its text): the file
                # loaded first keeps it; this one is reported, not loaded.
                reports[key] = FileReport(
                    key, "duplicate", documents=built.documents, graphs=[clash],
                    warnings=[f"{Path(key).name}: same language version as "
                              f"{Path(owner[clash]).name} (graph {clash}); not loaded"])
                continue
            for g in grouped:
                owner[g] = key
            remove |= by_path.get(key, set()) - set(grouped)
            graphs.update(grouped)
            accepted.append((key, checksum, built, grouped))
        changed = {g for *_, grouped in accepted for g in grouped} | remove
        prov = [q for q in prov if q.subject.value not in changed]
        for key, checksum, built, grouped in accepted:
            for g, quads in grouped.items():
                source, loader, _ = built.graphs.get(g, (Path(key).name, "?", checksum))
                prov += graph_build.provenance_quads(
                    g, source=source, source_path=key, loader=loader, checksum=checksum,
                    generated_at=now, triples=len(quads), base=self.base)
        # Performance (benchmarks/README.md): graphs that do not exist yet go in with one plain
        # transactional insert; only the graphs being replaced (and the small provenance graph)
        # take the store's stage-and-MOVE path, which costs minutes and GBs at 10^5 quads. If
        # the second write fails, the fresh graphs are dropped again.
        existing = set(self.store.named_graphs())  # type: ignore[attr-defined]
        fresh = {g: q for g, q in graphs.items() if g not in existing}
        replaced = {g: q for g, q in graphs.items() if g in existing}
        try:
            if fresh:
                self.store.replace_graphs(fresh)  # type: ignore[attr-defined]
            try:
                self.store.replace_graphs(  # type: ignore[attr-defined]
                    {**replaced, self.provenance_graph: prov}, remove=sorted(remove))
            except UnkgError:
                if fresh:
                    self.store.replace_graphs({}, remove=sorted(fresh))  # type: ignore
                raise
        except UnkgError as err:
            for key, *_ in accepted:
                reports[key] = FileReport(key, "failed", error=str(err))
            return self._provenance()
        for key, _checksum, built, grouped in accepted:
            reports[key] = FileReport(
                key, "loaded", documents=built.documents,
                triples=sum(len(q) for q in grouped.values()), graphs=sorted(grouped),
                warnings=built.warnings)
        return prov


def _failure(key: str, err: BaseException) -> FileReport:
    if isinstance(err, UnkgError):
        return FileReport(key, "failed", error=err.reason, line=err.line)
    # A crash inside a loader or the builder: still one line, the rest of the batch lands.
    return FileReport(key, "failed", error=f"internal error: {type(err).__name__}: {err}")


def load_files(store: object, paths: Iterable[str | Path], *, base: str | None = None,
               force: bool = False, workers: int | None = None,
               progress: Progress | None = None) -> LoadReport:
    """Load files into `store` (see the module docstring)."""
    return Loader(store, base=base).load(paths, force=force, workers=workers, progress=progress)
