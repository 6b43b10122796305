"""One contract suite for the embedded stores (Oxigraph on disk, Oxigraph in memory, rdflib
memory): all-or-nothing graph replacement, bound parameters, counts, dumps, the rdflib view."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import XSD, Literal, URIRef

from unkg.errors import QueryError, StoreError
from unkg.store import MemoryStore, OxigraphStore, open_store

G1, G2 = "https://w3id.org/unkg/graph/doc/A/1/en", "https://w3id.org/unkg/graph/doc/A/2/en"
SYM = ox.NamedNode("https://w3id.org/unkg/ontology#symbol")
SELECT_SYMBOLS = ("SELECT ?s ?sym WHERE { ?s <https://w3id.org/unkg/ontology#symbol> ?sym } "
                  "ORDER BY ?sym")


def quad(subject: str, value: str | ox.Literal, graph: str) -> ox.Quad:
    obj = value if isinstance(value, ox.Literal) else ox.Literal(value)
    return ox.Quad(ox.NamedNode(subject), SYM, obj, ox.NamedNode(graph))


@pytest.fixture(params=["oxigraph-disk", "oxigraph-memory", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    if request.param == "oxigraph-disk":
        s = open_store(tmp_path / "store")
    elif request.param == "oxigraph-memory":
        s = open_store(None)
    else:
        s = open_store(None, backend="memory")
    yield s
    s.close()


def symbols(store: object) -> list[str]:
    return [str(r[1]) for r in store.query(SELECT_SYMBOLS)]  # type: ignore[attr-defined]


def test_replace_graphs_replaces_and_removes(store: object) -> None:
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1)],  # type: ignore[attr-defined]
                          G2: [quad("http://x/b", "A/2", G2)]})
    assert symbols(store) == ["A/1", "A/2"]
    store.replace_graphs({G1: [quad("http://x/a", "A/1/Rev.1", G1)]})  # type: ignore
    assert symbols(store) == ["A/1/Rev.1", "A/2"]
    store.replace_graphs({}, remove=[G2])  # type: ignore[attr-defined]
    assert symbols(store) == ["A/1/Rev.1"]
    assert store.named_graphs() == [G1]  # type: ignore[attr-defined]
    assert store.count() == 1 and store.count(G1) == 1  # type: ignore[attr-defined]


def test_a_failed_replacement_leaves_the_store_as_it_was(store: object) -> None:
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1)]})  # type: ignore[attr-defined]

    class Broken(list):
        """A graph whose quads fail half-way through being read by the store."""

        def __iter__(self) -> Iterator[ox.Quad]:
            yield quad("http://x/a", "A/1/new", G1)
            raise RuntimeError("crash while writing")

    with pytest.raises(RuntimeError):
        store.replace_graphs({G2: [quad("http://x/b", "A/2", G2)],  # type: ignore
                              G1: Broken([None])})
    assert symbols(store) == ["A/1"]


def test_parameters_are_bound_not_pasted(store: object) -> None:
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1),  # type: ignore[attr-defined]
                               quad("http://x/b", ox.Literal("A/2", language="fr"), G1)]})
    res = store.query(SELECT_SYMBOLS, {"sym": "A/1"})  # type: ignore[attr-defined]
    assert [r[0] for r in res] == [URIRef("http://x/a")]
    hostile = '" } } DROP ALL #'
    assert len(store.query(SELECT_SYMBOLS, {"sym": hostile})) == 0  # type: ignore
    res = store.query(SELECT_SYMBOLS, {"sym": Literal("A/2", lang="fr")})  # type: ignore
    assert [r[1].language for r in res] == ["fr"]
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")  # type: ignore[attr-defined]


def test_dump_round_trips(store: object) -> None:
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1)]})  # type: ignore[attr-defined]
    buf = io.BytesIO()
    store.dump(buf, "nq")  # type: ignore[attr-defined]
    assert list(ox.parse(buf.getvalue(), format=ox.RdfFormat.N_QUADS)) == \
        [quad("http://x/a", "A/1", G1)]


def test_rdflib_view(store: object) -> None:
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1)]})  # type: ignore[attr-defined]
    ds = store.rdflib()  # type: ignore[attr-defined]
    rows = list(ds.query(SELECT_SYMBOLS))
    assert [str(r[1]) for r in rows] == ["A/1"]
    assert dict(ds.namespaces())["unkg"] == URIRef("https://w3id.org/unkg/ontology#")
    assert "brick" not in dict(ds.namespaces())  # no rdflib default prefixes



def test_select_rows_follow_the_projection(store: object) -> None:
    """Cells come in the order of the SELECT clause (not of the pattern), an unbound one as None,
    each the term rdflib's constructors give."""
    store.replace_graphs({G1: [quad("http://x/a", "A/1", G1),  # type: ignore[attr-defined]
                               quad("http://x/b", ox.Literal("B", language="fr"), G1)]})
    res = store.query(  # type: ignore[attr-defined]
        "SELECT ?sym ?none ?n ?s WHERE { ?s <https://w3id.org/unkg/ontology#symbol> ?sym "
        "OPTIONAL { ?s <http://x/none> ?none } BIND(STRLEN(?sym) AS ?n) } ORDER BY ?sym")
    assert res.variables == ["sym", "none", "n", "s"]
    assert res.rows == [(Literal("A/1"), None, Literal(3), URIRef("http://x/a")),
                        (Literal("B", lang="fr"), None, Literal(1), URIRef("http://x/b"))]
    assert [type(c) for c in res.rows[1]] == [Literal, type(None), Literal, URIRef]
    assert res.rows[1][0].language == "fr" and res.rows[0][2].datatype == XSD.integer

def test_disk_store_persists_and_opens_read_only(tmp_path: Path) -> None:
    s = OxigraphStore(tmp_path / "s")
    s.replace_graphs({G1: [quad("http://x/a", "A/1", G1)]})
    s.close()
    ro = OxigraphStore(tmp_path / "s", read_only=True)
    assert symbols(ro) == ["A/1"]
    ro.close()


def test_open_store_rejects_bad_backends(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(tmp_path, backend="memory")
    with pytest.raises(StoreError):
        open_store(None, backend="cassandra")
    assert isinstance(open_store(None, backend="memory"), MemoryStore)


@pytest.mark.parametrize("backend", ["OxigraphStore", "MemoryStore", "RemoteStore"])
def test_every_backend_implements_the_whole_store_protocol(backend: str) -> None:
    """What callers use of a store is the `Store` protocol; each backend has all of it (mypy
    checks the signatures), so no caller needs to probe a store with getattr."""
    import unkg.store as stores
    from unkg.store.base import BulkLoadingStore, Store
    from unkg.store.remote import RemoteStore

    cls = RemoteStore if backend == "RemoteStore" else getattr(stores, backend)
    store = cls("http://127.0.0.1:9/query") if cls is RemoteStore else cls()
    def protocol_members(proto: type) -> set[str]:
        return {n for n in (*vars(proto), *proto.__annotations__) if not n.startswith("_")}

    members = sorted(protocol_members(Store))
    assert {"query", "replace_graphs", "quads", "has_graph", "text_candidates"} <= set(members)
    missing = [m for m in members if not hasattr(store, m)]
    store.close()
    assert not missing, f"{backend} lacks {missing}"
    assert hasattr(cls, "bulk_load_fresh") == (backend == "OxigraphStore")
    assert protocol_members(BulkLoadingStore) == {"bulk_load_fresh"}
