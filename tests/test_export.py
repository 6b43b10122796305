"""Exports round-trip through rdflib in every format and are byte-stable (gzip too)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from graph_docs import letter_2009, resolution_69_12
from rdflib import Dataset, Graph

from unkg.graph import build as graph_build
from unkg.graph.export import FORMATS, export_store
from unkg.store import OxigraphStore

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def store(corpus_dir: Path) -> OxigraphStore:
    s = OxigraphStore(None)
    s.replace_graphs(graph_build.build([resolution_69_12(corpus_dir), letter_2009(corpus_dir)]))
    return s


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_and_byte_stable(store: OxigraphStore, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export_store(store, first, fmt)
    export_store(store, second, fmt)
    assert first.read_bytes() == second.read_bytes()
    if fmt in ("nq", "trig", "jsonld"):
        ds = Dataset()
        ds.parse(first, format=RDFLIB_FORMAT[fmt])
        assert sum(1 for _ in ds.quads()) == store.count()
        assert {str(g.identifier) for g in ds.graphs() if len(g)} == set(store.named_graphs())
    else:
        g = Graph(bind_namespaces="none").parse(first, format=RDFLIB_FORMAT[fmt])
        union = {(q.subject, q.predicate, q.object) for q in store.quads()}
        assert len(g) == len(union)


def test_turtle_uses_project_prefixes(store: OxigraphStore, tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    export_store(store, out, "ttl")
    text = out.read_text(encoding="utf-8")
    assert "@prefix unkg: <https://w3id.org/unkg/ontology#> ." in text
    assert "unkg:citesDocument" in text


def test_gzip_is_stable(store: OxigraphStore, tmp_path: Path) -> None:
    a, b = tmp_path / "a.nq.gz", tmp_path / "b.nq.gz"
    export_store(store, a, "nq", gzipped=True)
    export_store(store, b, "nq", gzipped=True)
    assert a.read_bytes() == b.read_bytes()
    plain = tmp_path / "p.nq"
    export_store(store, plain, "nq")
    assert gzip.decompress(a.read_bytes()) == plain.read_bytes()


def test_a_dump_does_not_publish_the_loaders_file_paths(tmp_path: Path, corpus_dir: Path) -> None:
    """The provenance keeps each source's path for incremental reloads; a dump keeps only the
    file name, checksum and loader."""
    import shutil

    from unkg.graph.load import load_files

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(corpus_dir / "texts" / "A_RES_73_6.en.txt", src)
    store = OxigraphStore(tmp_path / "store")
    load_files(store, [src], workers=1)
    recorded = store.query("SELECT ?p WHERE { ?g <https://w3id.org/unkg/ontology#sourcePath> ?p }")
    # Relative to the store's folder: what `unkg serve` publishes names no home directory.
    assert [str(r[0]) for r in recorded] == [str(Path("..") / "src" / "A_RES_73_6.en.txt")]
    out = tmp_path / "dump.nq"
    export_store(store, out, "nq")
    dump = out.read_text(encoding="utf-8")
    assert str(tmp_path) not in dump, [ln for ln in dump.splitlines() if str(tmp_path) in ln][:3]
    assert '"A_RES_73_6.en.txt"' in dump
