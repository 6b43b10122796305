"""The loading pipeline: all-or-nothing per file, idempotent reloads, incremental skips, bad
files reported with path and line while the rest lands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from unkg.graph import build as graph_build
from unkg.graph.load import load_files
from unkg.store import OxigraphStore

SEED_RES = "seeds/001_88a3ec35e753d387.txt"
SEED_LETTER = "seeds/000_d30999ef5195cbdd.txt"
TEXT = "texts/A_RES_73_6.en.txt"
RES_GRAPH = "https://w3id.org/unkg/graph/doc/A/RES/69/12/fr"


@pytest.fixture
def sources(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for name in (SEED_RES, SEED_LETTER, TEXT):
        shutil.copy(corpus_dir / name, folder / Path(name).name)
    return folder


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "store")


def snapshot(store: OxigraphStore) -> set[str]:
    """Every quad except provenance times (the only value that changes between loads)."""
    return {str(q) for q in store.quads() if "generatedAtTime" not in str(q.predicate)}


def test_load_then_reload_is_idempotent(store: OxigraphStore, sources: Path) -> None:
    report = load_files(store, [sources], workers=1)
    assert report.ok and report.loaded == 3 and report.documents == 3
    assert RES_GRAPH in store.named_graphs()
    before = snapshot(store)
    again = load_files(store, [sources], force=True, workers=1)
    assert again.loaded == 3
    assert snapshot(store) == before


def test_unchanged_files_are_skipped(store: OxigraphStore, sources: Path) -> None:
    load_files(store, [sources], workers=1)
    report = load_files(store, [sources], workers=1)
    assert report.skipped == 3 and report.loaded == 0
    # Editing one file reloads it and replaces what was built from it.
    seed = sources / Path(SEED_RES).name
    seed.write_text(seed.read_text(encoding="utf-8").replace("59/50", "59/51"),
                    encoding="utf-8")
    report = load_files(store, [sources], workers=1)
    assert report.loaded == 1 and report.skipped == 2
    cited = store.query("SELECT ?s WHERE { <https://w3id.org/unkg/doc/A/RES/69/12> "
                        "<https://w3id.org/unkg/ontology#cites>/<https://w3id.org/unkg/ontology#"
                        "symbol> ?s }")
    symbols = {str(r[0]) for r in cited}
    assert "A/RES/59/51" in symbols and "A/RES/59/50" not in symbols


def test_a_bad_file_is_reported_and_the_rest_lands(store: OxigraphStore, sources: Path,
                                                   tmp_path: Path) -> None:
    bad = sources / "broken.txt"
    bad.write_bytes(b"\xc8 not UTF-8 text")
    report = load_files(store, [sources], workers=2)
    assert report.loaded == 3
    [failed] = report.failed
    assert failed.path == str(bad.resolve()) and failed.line == 1
    assert "UTF-8" in failed.error  # type: ignore[operator]
    assert failed.message().startswith(f"{bad.resolve()}:1: ")


def test_a_failing_file_leaves_the_store_as_it_was(store: OxigraphStore, sources: Path) -> None:
    load_files(store, [sources], workers=1)
    before = snapshot(store)
    seed = sources / Path(SEED_RES).name
    seed.write_bytes(b"")  # now empty: the loader refuses it
    report = load_files(store, [seed], workers=1)
    assert [f.status for f in report.files] == ["failed"]
    assert snapshot(store) == before


def test_a_crash_inside_build_leaves_the_store_as_it_was(
        store: OxigraphStore, sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_files(store, [sources], workers=1)
    before = snapshot(store)
    real = graph_build.build_document

    def crash_on_the_resolution(doc, **kw):  # type: ignore[no-untyped-def]
        if doc.symbol == "A/RES/69/12":
            raise RuntimeError("boom")
        return real(doc, **kw)

    monkeypatch.setattr(graph_build, "build_document", crash_on_the_resolution)
    report = load_files(store, [sources], force=True, workers=1)
    assert [f.status for f in report.files].count("failed") == 1
    assert "RuntimeError: boom" in report.failed[0].error  # type: ignore[operator]
    assert report.loaded == 2
    assert snapshot(store) == before


def test_provenance_records_each_graph(store: OxigraphStore, sources: Path) -> None:
    load_files(store, [sources], workers=1)
    res = store.query(
        "PREFIX unkg: <https://w3id.org/unkg/ontology#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?file ?sum ?loader ?t WHERE { GRAPH <https://w3id.org/unkg/graph/provenance> { "
        "?g unkg:sourceFile ?file ; unkg:checksum ?sum ; unkg:loader ?loader ; "
        "prov:generatedAtTime ?t } }", {"g": __import__("rdflib").URIRef(RES_GRAPH)})
    [(file, checksum, loader, _time)] = list(res)
    assert str(file) == "001_88a3ec35e753d387.txt" and str(loader) == "text"
    import hashlib

    assert str(checksum) == hashlib.sha256(
        (sources / Path(SEED_RES).name).read_bytes()).hexdigest()
    assert {graph_build.iris.graph_iri("ontology"), graph_build.iris.graph_iri("authority")} \
        <= set(store.named_graphs())


def test_a_crash_after_the_bulk_load_is_undone_when_the_store_opens(
        tmp_path: Path, sources: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """New graphs go in with pyoxigraph's non-transactional bulk loader; the provenance write
    that completes them comes last. Simulate the process dying in between: the next open drops
    what the bulk load wrote, and the store is as it was."""
    path = tmp_path / "crash-store"
    store = OxigraphStore(path)
    load_files(store, [sources / Path(SEED_LETTER).name], workers=1)
    before = snapshot(store)
    died = request.getfixturevalue("die_on_provenance_write")  # patched from here on
    with pytest.raises(died):
        load_files(store, [sources / Path(SEED_RES).name], workers=1)
    assert RES_GRAPH in store.named_graphs()  # half-written: graph there, no provenance
    store.close()
    monkeypatch.undo()
    reopened = OxigraphStore(path)
    assert RES_GRAPH not in reopened.named_graphs()
    assert snapshot(reopened) == before
    report = load_files(reopened, [sources], workers=1)  # and loading again just works
    assert report.loaded == 2 and report.skipped == 1 and RES_GRAPH in reopened.named_graphs()


def test_load_validates_the_graphs_it_wrote_in_the_store(store: OxigraphStore,
                                                         sources: Path) -> None:
    import pyoxigraph as ox

    from unkg.graph.load import LoadPipeline
    from unkg.validate.runner import validate_store

    report = load_files(store, [sources], workers=1)
    assert report.ok and all(f.violations == 0 for f in report.files)
    assert validate_store(store).conforms
    # Break the resolution's graph in the store: the paragraph loses its text.
    para = ox.NamedNode("https://w3id.org/unkg/doc/A/RES/69/12/fr/op/1")
    text = ox.NamedNode("https://w3id.org/unkg/ontology#text")
    kept = [q for q in store.quads(RES_GRAPH) if not (q.subject == para and q.predicate == text)]
    store.replace_graphs({RES_GRAPH: kept})
    found = validate_store(store, graphs=[RES_GRAPH], checks=False)
    assert [(v.focus, v.path, v.component, v.graph) for v in found.violations] == [
        (para.value, "unkg:text", "MinCountConstraintComponent", RES_GRAPH)]
    # Scoped to another graph, the resolution's paragraph is not a focus node.
    others = [g for g in store.named_graphs() if "A/RES/69/12" not in g]
    assert validate_store(store, graphs=others, checks=False).violations == []
    # What a load reports for the files it wrote: the file holding the graph counts one result.
    files = [f for f in report.files if f.status == "loaded"]
    for f in files:
        f.violations = 0
    LoadPipeline(store)._validate_written(files)
    assert sorted(f.violations for f in files) == [0] * (len(files) - 1) + [1]
    assert next(f for f in files if RES_GRAPH in f.graphs).violations == 1


def _provenance_of(store: OxigraphStore, graph: str) -> list[tuple[str, str]]:
    res = store.query("SELECT ?p ?o WHERE { GRAPH <https://w3id.org/unkg/graph/provenance> "
                      "{ ?g ?p ?o } }", {"g": __import__("rdflib").URIRef(graph)})
    return sorted((str(p), str(o)) for p, o in res)


def test_a_reload_replaces_the_provenance_of_its_graphs_only(store: OxigraphStore,
                                                            sources: Path) -> None:
    """Commits patch the provenance graph (they do not rewrite it): the reloaded file's graph
    has exactly one record, with the new checksum; the others keep theirs."""
    import hashlib

    load_files(store, [sources], workers=1)
    others = {g: _provenance_of(store, g) for g in store.named_graphs()
              if "/graph/doc/" in g and g != RES_GRAPH}
    seed = sources / Path(SEED_RES).name
    seed.write_text(seed.read_text(encoding="utf-8").replace("59/50", "59/51"), encoding="utf-8")
    load_files(store, [sources], workers=1)
    record = _provenance_of(store, RES_GRAPH)
    checksums = [o for p, o in record if p.endswith("#checksum")]
    assert checksums == [hashlib.sha256(seed.read_bytes()).hexdigest()]
    assert len([o for p, o in record if p.endswith("#sourceFile")]) == 1
    assert {g: _provenance_of(store, g) for g in others} == others


def test_small_commits_give_the_same_store_as_one(tmp_path: Path, sources: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory is bounded by committing every COMMIT_BYTES of N-Quads; committing after every
    file must give exactly the store one big commit gives."""
    from unkg.graph import load as load_module

    one = OxigraphStore(tmp_path / "one")
    load_files(one, [sources], workers=1)
    commits: list[int] = []
    real = load_module.LoadPipeline._commit

    def counted(self, pending, *args, **kwargs):  # type: ignore[no-untyped-def]
        commits.append(len(pending))
        return real(self, pending, *args, **kwargs)

    monkeypatch.setattr(load_module.LoadPipeline, "_commit", counted)
    monkeypatch.setattr(load_module, "COMMIT_BYTES", 1)
    many = OxigraphStore(tmp_path / "many")
    report = load_files(many, [sources], workers=1)
    assert report.loaded == 3
    assert commits == [1, 1, 1]  # the byte bound cut the load into one commit per file
    assert snapshot(many) == snapshot(one)


def _drafts_records(shared_dir: Path, symbols: set[str]) -> list[str]:
    """Lines of the real bulk GA file for these symbols, in file order."""
    import gzip
    import json

    path = shared_dir / "bulk" / "unga_resolutions_drafts_78-80.en.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh if json.loads(line)["symbol"] in symbols]


def test_documents_another_file_loaded_are_left_out_the_rest_of_the_file_loads(
        tmp_path: Path, corpus_dir: Path, shared_dir: Path) -> None:
    """The bulk GA file holds A/RES/79/11, whose text (or PDF) is also its own file: that file
    keeps the document, and only that record of the big file is left out, not the whole file."""
    folder = tmp_path / "src"
    folder.mkdir()
    text = folder / "A_RES_79_11.en.txt"
    shutil.copy(corpus_dir / "texts" / "A_RES_79_11.en.txt", text)
    lines = _drafts_records(shared_dir, {"A/RES/79/11", "A/RES/79/12", "A/80/L.1"})
    assert len(lines) == 3
    bulk = folder / "ga.en.jsonl"
    bulk.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graph = "https://w3id.org/unkg/graph/doc/A/RES/79/11/en"

    alone = OxigraphStore(tmp_path / "alone")
    load_files(alone, [text], workers=1)
    store = OxigraphStore(tmp_path / "store")
    report = load_files(store, [folder], workers=2)  # the text sorts first: it keeps the graph
    by_name = {Path(f.path).name: f for f in report.files}
    assert [f.status for f in report.files] == ["loaded", "loaded"]
    assert by_name["ga.en.jsonl"].left_out == {graph: text.name}
    assert by_name["ga.en.jsonl"].documents == 2 and report.documents == 3
    assert graph not in by_name["ga.en.jsonl"].graphs
    assert {"https://w3id.org/unkg/graph/doc/A/RES/79/12/en",
            "https://w3id.org/unkg/graph/doc/A/80/L.1/en"} <= set(by_name["ga.en.jsonl"].graphs)
    # The document's graph is exactly the text file's, recorded as coming from it.
    assert {str(q) for q in store.quads(graph)} == {str(q) for q in alone.quads(graph)}
    assert [o for p, o in _provenance_of(store, graph) if p.endswith("#sourceFile")] == [
        text.name]
    assert report.triples == sum(store.count(g) for f in report.files for g in f.graphs)
    # Loading again changes nothing; the record is still left out.
    before = snapshot(store)
    again = load_files(store, [folder], force=True, workers=1)
    assert snapshot(store) == before
    assert next(f for f in again.files if f.path == str(bulk)).left_out == {graph: text.name}


def test_a_file_whose_every_document_is_loaded_from_another_is_a_duplicate(
        store: OxigraphStore, sources: Path) -> None:
    twin = sources / "zz-copy-of-A_RES_73_6.txt"
    shutil.copy(sources / Path(TEXT).name, twin)
    report = load_files(store, [sources], workers=1)
    dup = next(f for f in report.files if f.path == str(twin))
    assert dup.status == "duplicate" and dup.left_out
    assert report.loaded == 3 and report.documents == 3
    assert [o for p, o in _provenance_of(store, dup.graphs[0]) if p.endswith("#sourceFile")] == [
        Path(TEXT).name]


def test_a_folders_readme_is_not_taken_for_a_document(store: OxigraphStore,
                                                      sources: Path) -> None:
    from unkg.graph.worker import expand_paths

    (sources / "README.md").write_text("# Sources\n\nThree UN documents.\n", encoding="utf-8")
    (sources / "LICENSE.txt").write_text("CC0\n", encoding="utf-8")
    assert [p.name for p in expand_paths([sources])] == sorted(
        Path(n).name for n in (SEED_RES, SEED_LETTER, TEXT))
    # Named on its own, a file is loaded whatever its name.
    assert expand_paths([sources / "README.md"]) == [(sources / "README.md").resolve()]


def test_source_paths_are_recorded_relative_to_the_store(tmp_path: Path, sources: Path) -> None:
    """A project folder (store and sources) moved elsewhere: its files are still the same files
    (unchanged ones skipped, nothing loaded twice)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.move(sources, project / "src")
    store = OxigraphStore(project / "store")
    assert load_files(store, [project / "src"], workers=1).loaded == 3
    paths = {o for _, o in _provenance_of(store, RES_GRAPH) if not o.startswith(("http", "sha"))}
    assert str(Path("..") / "src" / Path(SEED_RES).name) in paths
    before = snapshot(store)
    store.close()

    moved = shutil.move(project, tmp_path / "elsewhere")
    store = OxigraphStore(Path(moved) / "store")
    report = load_files(store, [Path(moved) / "src"], workers=1)
    assert (report.loaded, report.skipped) == (0, 3)
    assert snapshot(store) == before


def test_absolute_source_paths_of_older_stores_are_still_understood(store: OxigraphStore,
                                                                    sources: Path) -> None:
    import pyoxigraph as ox

    from unkg.graph.load import LoadPipeline

    load_files(store, [sources], workers=1)
    loader = LoadPipeline(store)
    source_path = "https://w3id.org/unkg/ontology#sourcePath"
    older = [ox.Quad(q.subject, q.predicate,
                     ox.Literal(loader.source_path(q.object.value)), q.graph_name)
             if q.predicate.value == source_path else q for q in loader._provenance()]
    assert any(q.predicate.value == source_path and Path(q.object.value).is_absolute()
               for q in older)
    store.replace_graphs({loader.provenance_graph: older})
    report = load_files(store, [sources], workers=1)
    assert (report.loaded, report.skipped) == (0, 3)


def test_an_interrupted_load_keeps_the_files_it_finished(
        tmp_path: Path, sources: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """Issue #16: commits come every COMMIT_SECONDS too, so a load stopped part-way keeps what
    it had finished (the bulk folder reached neither the file nor the byte bound before its
    end, and an interrupt after 45 s kept nothing)."""
    from unkg.graph import load as load_module

    monkeypatch.setattr(load_module, "COMMIT_SECONDS", 0.0)  # commit after each file
    store = OxigraphStore(tmp_path / "interrupted")
    real = OxigraphStore.replace_graphs
    commits: list[int] = []

    def interrupt_on_the_second_commit(self, graphs, remove=(), *, patch=None):  # type: ignore[no-untyped-def]
        if any("provenance" in g for g in [*graphs, *(patch or {})]):
            commits.append(1)
            if len(commits) == 3:  # the reference graphs, the first file, then the second
                raise KeyboardInterrupt
        return real(self, graphs, remove, patch=patch)

    monkeypatch.setattr(OxigraphStore, "replace_graphs", interrupt_on_the_second_commit)
    with pytest.raises(KeyboardInterrupt):
        load_files(store, [sources], workers=1)
    monkeypatch.undo()
    again = load_files(store, [sources], workers=1)
    assert (again.skipped, again.loaded) == (1, 2)  # the first file was kept
