"""`push` to a real `oxigraph serve`: same answers as embedded; a crash mid-push is a clear
error and a re-run completes it."""

from __future__ import annotations

import pytest

from unkg.errors import StoreError
from unkg.queries import run
from unkg.store.remote import RemoteStore, push

pytestmark = pytest.mark.server


def test_push_then_query_gives_the_embedded_table(query_corpus_store, oxigraph_server_factory):
    server = oxigraph_server_factory()
    remote = RemoteStore(server.query_endpoint, timeout=30)
    seen: list[tuple[int, int]] = []
    report = push(query_corpus_store, remote, batch_size=4,
                  progress=lambda done, total: seen.append((done, total)))
    graphs = len(query_corpus_store.named_graphs())
    assert (report.graphs, report.uploaded, report.skipped) == (graphs, graphs, 0)
    assert report.triples == query_corpus_store.count()
    assert seen[-1] == (graphs, graphs) and len(seen) > 2
    for name, params in (("incoming-citations", {"symbol": "A/RES/59/50"}),
                         ("citation-lineage", {"symbol": "A/RES/75/276"})):
        assert run(remote, name, params).rows == run(query_corpus_store, name, params).rows
    again = push(query_corpus_store, remote)
    assert (again.uploaded, again.skipped) == (0, graphs)
    remote.close()


def test_killed_server_mid_push_then_resume(query_corpus_store, oxigraph_server_factory,
                                            tmp_path):
    location = tmp_path / "data"
    server = oxigraph_server_factory(location)
    remote = RemoteStore(server.query_endpoint, timeout=10)

    def crash_after_first_batch(done: int, total: int) -> None:
        if done >= 3:
            server.kill()

    with pytest.raises(StoreError, match=r"cannot reach .* run the push again") as err:
        push(query_corpus_store, remote, batch_size=3, progress=crash_after_first_batch)
    assert "3 of" in str(err.value)
    remote.close()

    restarted = oxigraph_server_factory(location)  # same data directory, new port
    remote = RemoteStore(restarted.query_endpoint, timeout=30)
    report = push(query_corpus_store, remote, batch_size=3)
    assert report.skipped >= 3 and report.skipped + report.uploaded == report.graphs
    assert remote.graph_counts() == {g: query_corpus_store.count(g)
                                     for g in query_corpus_store.named_graphs()}
    remote.close()


def test_server_down_is_a_clear_error(oxigraph_server_factory, query_fixture_store):
    server = oxigraph_server_factory()
    remote = RemoteStore(server.query_endpoint, timeout=5)
    server.stop()
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint"):
        run(remote, "most-cited")
    with pytest.raises(StoreError, match="cannot reach"):
        push(query_fixture_store, remote)


def test_bad_query_on_the_server_is_a_query_error(oxigraph_server):
    from unkg.errors import QueryError

    remote = RemoteStore(oxigraph_server.query_endpoint, timeout=5)
    with pytest.raises(QueryError, match="rejected the query"):
        remote.query("SELECT ?x WHERE { ?x")
    remote.close()


def test_update_fallback_without_graph_store_endpoint(query_fixture_store, oxigraph_server_factory):
    """A server without a Graph Store endpoint: uploads go through SPARQL Update."""
    server = oxigraph_server_factory()
    remote = RemoteStore(server.query_endpoint, gsp_endpoint=f"{server.url}/no-such-endpoint",
                         timeout=30)
    report = push(query_fixture_store, remote, batch_size=2)
    assert report.uploaded == len(query_fixture_store.named_graphs())
    assert remote.gsp_endpoint is None  # it noticed and switched to Update
    assert run(remote, "observer-status").rows == run(query_fixture_store, "observer-status").rows
    remote.close()


def test_long_queries_are_posted(query_fixture_store, oxigraph_server_factory):
    server = oxigraph_server_factory()
    remote = RemoteStore(server.query_endpoint, timeout=30, post_above=10)
    push(query_fixture_store, remote)
    long_query = "# " + "x" * 9000 + "\n" + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(remote.query(long_query).rows[0][0]) > 0
    remote.close()
