"""The text index beside an on-disk store: it narrows a phrase search and never changes its answer,
it follows every write (loads, reloads, failures, crashes), and it is used only when it is known
to match the store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from unkg.errors import QueryError, StoreError
from unkg.graph.load import load_files
from unkg.queries.header import parse_query_file
from unkg.queries.runner import run
from unkg.store import OxigraphStore
from unkg.store.text_index import INDEX_FILE

# Phrases of the bundled corpus: English and French, accents, mixed case, none at all.
PHRASES = ["observer status", "Observer STATUS", "statut d'observateur", "SÉCURITÉ collective",
           "outer space", "Recalling", "xyzzy-not-there"]
TEXT = "texts/A_RES_73_6.en.txt"
ONLY_IN_TEXT = "UNISPACE+50"  # in A/RES/73/6 only


def rows(store: OxigraphStore, phrase: str, language: str | None = None) -> list[tuple[str, ...]]:
    params = {"phrase": phrase} | ({"language": language} if language else {})
    return [tuple(map(str, row)) for row in run(store, "search-paragraphs", params).rows]


def scanned(store: OxigraphStore, phrase: str, language: str | None = None) \
        -> list[tuple[str, ...]]:
    """The answer without the index: the query's own scan of every text."""
    index, store.text_index = store.text_index, None
    try:
        return rows(store, phrase, language)
    finally:
        store.text_index = index


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> OxigraphStore:
    store = OxigraphStore(tmp_path_factory.mktemp("text-index") / "store")
    report = load_files(store, [corpus_dir / "seeds", corpus_dir / "texts"], workers=1)
    assert not [f for f in report.files if f.status == "failed"]
    return store


@pytest.fixture
def small_store(tmp_path: Path, corpus_dir: Path) -> tuple[OxigraphStore, Path]:
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(corpus_dir / TEXT, folder / Path(TEXT).name)
    shutil.copy(corpus_dir / "texts/A_RES_73_331.en.txt", folder / "A_RES_73_331.en.txt")
    store = OxigraphStore(tmp_path / "store")
    load_files(store, [folder], workers=1)
    return store, folder


def test_the_index_gives_the_answer_of_the_scan(corpus_store: OxigraphStore) -> None:
    assert corpus_store.text_index is not None and corpus_store.text_index.is_ready()
    found = 0
    for phrase in PHRASES:
        assert corpus_store.text_candidates(phrase) is not None, phrase  # the index answers
        assert rows(corpus_store, phrase) == scanned(corpus_store, phrase), phrase
        found += bool(rows(corpus_store, phrase))
    assert rows(corpus_store, "observer status", "en") == scanned(corpus_store, "observer status",
                                                                  "en")
    assert found >= 5  # not a comparison of empty answers


def test_candidates_are_the_nodes_whose_text_contains_the_phrase(
        corpus_store: OxigraphStore) -> None:
    import pyoxigraph as ox

    from unkg.store.text_index import TEXT as TEXT_PREDICATE

    for phrase in ("SÉCURITÉ collective", "outer space"):
        expected = sorted({q.subject.value for q in corpus_store.quads()
                           if q.predicate == TEXT_PREDICATE and isinstance(q.object, ox.Literal)
                           and phrase.lower() in q.object.value.lower()})
        assert expected and corpus_store.text_candidates(phrase) == expected


def test_the_search_is_narrowed_by_the_index(small_store: tuple[OxigraphStore, Path]) -> None:
    """Remove a paragraph from the index behind the store's back: the search no longer finds
    it, so the answer really goes through the index (and the scan still finds it)."""
    store, _ = small_store
    before = rows(store, ONLY_IN_TEXT)
    assert before and before == scanned(store, ONLY_IN_TEXT)
    node = store.text_candidates(ONLY_IN_TEXT)[0]  # type: ignore[index]
    with sqlite3.connect(store.path / INDEX_FILE) as db:  # type: ignore[operator]
        db.execute("DELETE FROM texts WHERE node = ?", (node,))
    assert len(rows(store, ONLY_IN_TEXT)) < len(before)
    assert scanned(store, ONLY_IN_TEXT) == before


def test_a_reload_replaces_the_texts_of_its_graphs(small_store: tuple[OxigraphStore, Path]) -> None:
    store, folder = small_store
    source = folder / Path(TEXT).name
    source.write_text(source.read_text(encoding="utf-8").replace(ONLY_IN_TEXT, "ZANZIBAR+51"),
                      encoding="utf-8")
    load_files(store, [folder], workers=1)
    assert store.text_candidates(ONLY_IN_TEXT) == []
    assert rows(store, "zanzibar+51") == scanned(store, "zanzibar+51") != []


def test_an_unfinished_write_is_not_trusted_then_rebuilt(
        small_store: tuple[OxigraphStore, Path]) -> None:
    store, _ = small_store
    path = store.path
    expected = store.text_candidates(ONLY_IN_TEXT)
    assert expected
    store.text_index.begin()  # type: ignore[union-attr]  # as if the process died mid-write
    with sqlite3.connect(path / INDEX_FILE) as db:  # type: ignore[operator]
        db.execute("DELETE FROM texts")  # and the index lost its rows
    store.close()
    reader = OxigraphStore(path, read_only=True)
    assert reader.text_candidates(ONLY_IN_TEXT) is None  # not trusted: the query scans
    assert rows(reader, ONLY_IN_TEXT) == scanned(reader, ONLY_IN_TEXT) != []
    reader.close()
    writer = OxigraphStore(path)  # opening for writing rebuilds it
    assert writer.text_index.is_ready()  # type: ignore[union-attr]
    assert writer.text_candidates(ONLY_IN_TEXT) == expected


def test_a_store_without_an_index_gets_one_when_opened_for_writing(
        small_store: tuple[OxigraphStore, Path]) -> None:
    store, _ = small_store
    path = store.path
    expected = store.text_candidates(ONLY_IN_TEXT)
    store.close()
    (path / INDEX_FILE).unlink()  # type: ignore[operator]  # a store made before the index
    reader = OxigraphStore(path, read_only=True)
    assert reader.text_candidates(ONLY_IN_TEXT) is None
    assert not (path / INDEX_FILE).exists()  # type: ignore[operator]  # a reader writes nothing
    reader.close()
    assert OxigraphStore(path).text_candidates(ONLY_IN_TEXT) == expected


def test_a_failed_write_leaves_the_index_as_it_was(small_store: tuple[OxigraphStore, Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = small_store
    expected = store.text_candidates(ONLY_IN_TEXT)
    graph = next(g for g in store.named_graphs() if "A/RES/73/6/" in g)

    def fail(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full")

    monkeypatch.setattr(OxigraphStore, "_replace", fail)
    with pytest.raises(StoreError):
        store.replace_graphs({graph: []})
    assert store.text_index.is_ready()  # type: ignore[union-attr]
    assert store.text_candidates(ONLY_IN_TEXT) == expected
    monkeypatch.undo()
    store.replace_graphs({graph: []})  # and a write that succeeds drops its texts
    assert store.text_candidates(ONLY_IN_TEXT) == []


def test_a_crash_after_the_bulk_load_leaves_no_texts_behind(
        tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> None:
    """The graphs of an unfinished bulk load are dropped when the store opens; so are their
    texts in the index."""
    path = tmp_path / "store"
    store = OxigraphStore(path)
    load_files(store, [corpus_dir / "texts/A_RES_73_331.en.txt"], workers=1)
    graphs = store.named_graphs()
    died = request.getfixturevalue("die_on_provenance_write")  # patched from here on
    with pytest.raises(died):
        load_files(store, [corpus_dir / TEXT], workers=1)
    assert store.text_candidates(ONLY_IN_TEXT)  # the bulk load indexed its texts
    store.close()
    monkeypatch.undo()
    reopened = OxigraphStore(path)
    assert reopened.named_graphs() == graphs
    assert reopened.text_candidates(ONLY_IN_TEXT) == []
    assert rows(reopened, "observer status") == scanned(reopened, "observer status") != []


def test_memory_stores_have_no_index_and_scan(corpus_dir: Path) -> None:
    store = OxigraphStore()
    load_files(store, [corpus_dir / TEXT], workers=1)
    assert store.text_index is None and store.text_candidates(ONLY_IN_TEXT) is None
    assert rows(store, ONLY_IN_TEXT)


@pytest.mark.parametrize("spec", ["para contains nothing", "para contains language",
                                  "missing contains phrase", "para includes phrase"])
def test_a_malformed_text_index_header_names_the_file(spec: str) -> None:
    text = ("# title: t\n# description: d\n# param: phrase (string) — p\n"
            "# param: language (language, optional) — l\n"
            f"# text-index: {spec}\nSELECT ?para WHERE {{ ?para ?p ?phrase }}\n")
    with pytest.raises(QueryError) as err:
        parse_query_file("broken", text)
    assert "broken.rq" in str(err.value)


def test_a_well_formed_text_index_header_is_read() -> None:
    text = ("# title: t\n# description: d\n# param: phrase (string) — p\n"
            "# text-index: para contains phrase\nSELECT ?para WHERE { ?para ?p ?phrase }\n")
    assert parse_query_file("ok", text).text_index == ("para", "phrase")


def test_a_search_in_another_process_does_not_block_a_load(
        small_store: tuple[OxigraphStore, Path]) -> None:
    """A reader in the middle of a read (another process searching) while a load commits: the
    commit lands (it once failed with "database is locked" after the lock timeout)."""
    store, folder = small_store
    reader = sqlite3.connect(f"{(store.path / INDEX_FILE).as_uri()}?mode=ro",  # type: ignore[operator]
                             uri=True)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM texts").fetchone()[0] > 0  # read lock held
    source = folder / Path(TEXT).name
    source.write_text(source.read_text(encoding="utf-8").replace(ONLY_IN_TEXT, "ZANZIBAR+51"),
                      encoding="utf-8")
    report = load_files(store, [folder], workers=1)
    reader.rollback()
    reader.close()
    assert [f.status for f in report.files if f.path.endswith(Path(TEXT).name)] == ["loaded"]
    assert store.text_candidates("zanzibar+51")
