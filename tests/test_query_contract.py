"""One contract suite: every library query gives the same answer on every backend.

Backends: embedded Oxigraph (the reference), rdflib's in-memory Dataset, and a real
`oxigraph serve --union-default-graph` reached over HTTP with SPARQLWrapper. Data: the bundled
corpus built by the pipeline, and the hand-written fixture (which has institutional links).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from unkg.queries import library, run
from unkg.store import MemoryStore
from unkg.store.remote import RemoteStore, push

QUERIES = sorted(library())
BACKENDS = ("memory", "server")


def _quads_by_graph(store) -> dict[str, list[ox.Quad]]:
    return {g: list(store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            for g in store.named_graphs()}


def _backends(reference, server) -> dict[str, object]:
    memory = MemoryStore()
    memory.replace_graphs(_quads_by_graph(reference))
    remote = RemoteStore(server.query_endpoint, timeout=30)
    push(reference, remote)
    return {"memory": memory, "server": remote}


@pytest.fixture(scope="module")
def corpus_backends(query_corpus_store, oxigraph_server_factory):
    backends = _backends(query_corpus_store, oxigraph_server_factory())
    yield backends
    backends["server"].close()


@pytest.fixture(scope="module")
def fixture_backends(query_fixture_store, oxigraph_server_factory):
    backends = _backends(query_fixture_store, oxigraph_server_factory())
    yield backends
    backends["server"].close()


@pytest.mark.server
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", QUERIES)
def test_same_answer_on_the_corpus(name, backend, query_corpus_store, corpus_backends) -> None:
    params = library()[name].examples
    expected = run(query_corpus_store, name, params)
    got = run(corpus_backends[backend], name, params)
    assert got.variables == expected.variables
    assert got.rows == expected.rows
    assert expected.rows, f"{name}: no rows to compare"


@pytest.mark.server
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", QUERIES)
def test_same_answer_on_the_fixture(name, backend, query_fixture_store, fixture_backends) -> None:
    params = library()[name].examples
    expected = run(query_fixture_store, name, params)
    got = run(fixture_backends[backend], name, params)
    assert (got.variables, got.rows) == (expected.variables, expected.rows)


@pytest.mark.server
@pytest.mark.parametrize("backend", BACKENDS)
def test_same_named_graphs_and_counts(backend, query_corpus_store, corpus_backends) -> None:
    store = corpus_backends[backend]
    assert store.named_graphs() == query_corpus_store.named_graphs()
    g = query_corpus_store.named_graphs()[0]
    assert store.count(g) == query_corpus_store.count(g)


@pytest.mark.server
def test_parameters_bound_on_the_server(corpus_backends) -> None:
    """The VALUES block travels to the server: a symbol with quotes is data, not syntax."""
    remote = corpus_backends["server"]
    rows = run(remote, "search-paragraphs", {"phrase": '" } } DROP ALL { "'}).rows
    assert rows == [] and remote.named_graphs()
