"""Ad-hoc SPARQL on the command line: project prefixes are declared for the user."""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg import KnowledgeGraph
from unkg.cli import main


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    path = tmp_path_factory.mktemp("adhoc") / "store"
    with KnowledgeGraph.open(path) as kg:
        report = kg.load([corpus_dir / "seeds"], workers=1)
    assert not [f for f in report.files if f.status == "failed"]
    return path


def test_adhoc_query_without_prefix_lines_uses_the_project_prefixes(
        seeds_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Which documents cite A/RES/59/50? In the seeds: resolution 69/12 (the letter has no symbol).
    code = main(["query", "--store", str(seeds_store), "--format", "csv", "-e",
                 'SELECT DISTINCT ?s WHERE { ?d unkg:cites ?t . ?t unkg:symbol "A/RES/59/50" . '
                 "?d unkg:symbol ?s }"])
    assert code == 0
    assert capsys.readouterr().out.split() == ["s", "A/RES/69/12"]


def test_adhoc_query_with_its_own_prefixes_is_left_alone(
        seeds_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "--store", str(seeds_store), "--format", "csv", "-e",
                 "PREFIX u: <https://w3id.org/unkg/ontology#> "
                 "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a u:Document ; u:inCorpus true }"])
    assert code == 0
    assert capsys.readouterr().out.split() == ["n", "2"]



def csv_of(store: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["query", "--store", str(store), "--format", "csv", "-e", query]) == 0
    return capsys.readouterr().out.split()


def test_from_makes_the_default_graph_on_the_command_line(
        seeds_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Issue #18: FROM was ignored (the union of all graphs answered).
    graphs = csv_of(seeds_store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", capsys)
    one = next(g for g in graphs[1:] if "/graph/doc/" in g)
    in_one = csv_of(seeds_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{one}> "
                                 "{ ?s ?p ?o } }", capsys)
    union = csv_of(seeds_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", capsys)
    assert int(union[1]) > int(in_one[1])
    assert csv_of(seeds_store, f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}",
                  capsys) == in_one
    assert csv_of(seeds_store, f"SELECT DISTINCT ?g FROM NAMED <{one}> "
                               "WHERE { GRAPH ?g { ?s ?p ?o } }", capsys) == ["g", one]


def test_search_paragraphs_with_a_relative_store(corpus_dir: Path, tmp_path: Path) -> None:
    # Issue #18: the default --store is relative, and the text index's read-only SQLite URI
    # needed an absolute path ("relative path can't be expressed as a file URI").
    import subprocess
    import sys

    unkg = str(Path(sys.executable).parent / "unkg")
    loaded = subprocess.run([unkg, "load", "--store", "rel-store", "--workers", "1",
                             str(corpus_dir / "seeds")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    found = subprocess.run([unkg, "query", "search-paragraphs", "--store", "rel-store",
                            "--format", "csv", "-p", "phrase=statut d'observateur"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stderr
    assert "internal error" not in found.stderr
    assert "statut d'observateur" in found.stdout
