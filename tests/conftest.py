"""Shared fixtures: where the bundled and shared corpora are."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from needs import shared_path

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled sample corpus (`unkg/data/corpus`: seeds, texts, pdf)."""
    return Path(str(resources.files("unkg.data").joinpath("corpus")))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared_path()


# --- real SPARQL servers and stores for the query library (issue #4) --------------------------
# Added by the query-library work; tests/servers.py holds the reusable process helpers.

@pytest.fixture(scope="session")
def oxigraph_server_factory(tmp_path_factory: pytest.TempPathFactory):
    """Start real `oxigraph serve` processes (127.0.0.1, free port, union default graph,
    temporary location); all are stopped at the end of the session."""
    from servers import OxigraphServer

    started: list[OxigraphServer] = []

    def start(location: Path | None = None) -> OxigraphServer:
        server = OxigraphServer(location or tmp_path_factory.mktemp("oxigraph"))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(oxigraph_server_factory):
    """One empty `oxigraph serve` for the session (tests must not assume it is empty)."""
    return oxigraph_server_factory()


@pytest.fixture(scope="session")
def query_fixture_store():
    """Embedded Oxigraph holding tests/data/query-fixture.trig (hand-written, see its header)."""
    import pyoxigraph as ox

    from unkg.store import OxigraphStore

    store = OxigraphStore()
    store.oxigraph.load(path=str(REPO_ROOT / "tests" / "data" / "query-fixture.trig"),
                        format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="session")
def query_corpus_store(corpus_dir: Path):
    """Embedded Oxigraph with the bundled corpus (seeds/ and texts/) built by the pipeline."""
    from unkg.graph.load import load_files
    from unkg.store import OxigraphStore

    store = OxigraphStore()
    report = load_files(store, [corpus_dir / "seeds", corpus_dir / "texts"], workers=1)
    failed = [f for f in report.files if f.status == "failed"]
    assert not failed, failed
    return store


class Died(BaseException):
    """A simulated crash: not an UnkgError, so nothing gets to clean up, as when a process dies."""


@pytest.fixture
def die_on_provenance_write(monkeypatch: pytest.MonkeyPatch) -> type[Died]:
    """From now on, the store write that records provenance (the one that completes a load)
    raises `Died`; `monkeypatch.undo()` brings the real writes back."""
    from unkg.store import OxigraphStore

    real = OxigraphStore.replace_graphs

    def die_on_provenance(self, graphs, remove=(), *, patch=None):  # type: ignore[no-untyped-def]
        if any("provenance" in g for g in [*graphs, *(patch or {})]):
            raise Died
        return real(self, graphs, remove, patch=patch)

    monkeypatch.setattr(OxigraphStore, "replace_graphs", die_on_provenance)
    return Died
