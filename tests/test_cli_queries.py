"""`unkg queries`, `unkg query` (stored, -e, --file, --endpoint) and `unkg push`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from unkg.cli import main


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, corpus_dir):
    from unkg.graph.load import load_files
    from unkg.store import OxigraphStore

    path = tmp_path_factory.mktemp("cli") / "unkg-data"
    store = OxigraphStore(path)
    load_files(store, [corpus_dir / "seeds", corpus_dir / "texts"], workers=1)
    store.close()
    return path


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_queries_lists_the_library(capsys) -> None:
    code, out, _ = cli(capsys, "queries", "--format", "json")
    assert code == 0
    listed = {q["name"]: q for q in json.loads(out)}
    assert len(listed) >= 15
    assert listed["incoming-citations"]["parameters"][0]["name"] == "symbol"
    code, out, _ = cli(capsys, "queries")
    assert code == 0 and "outgoing-citations" in out


def test_stored_query_as_csv(capsys, store_dir) -> None:
    code, out, _ = cli(capsys, "query", "incoming-citations", "--param", "symbol=A/RES/59/50",
                       "--store", str(store_dir), "--format", "csv")
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    # gold: the seed letter, 69/12, 73/331 and 75/276 cite resolution 59/50
    assert {r["citing_symbol"] for r in table} == {"", "A/RES/69/12", "A/RES/73/331",
                                                   "A/RES/75/276"}


def test_ad_hoc_query_which_documents_cite(capsys, store_dir, tmp_path) -> None:
    text = ("PREFIX unkg: <https://w3id.org/unkg/ontology#> SELECT DISTINCT ?symbol WHERE { "
            "?d unkg:cites/unkg:symbol \"A/RES/59/50\" ; unkg:symbol ?symbol } ORDER BY ?symbol")
    code, out, _ = cli(capsys, "query", "-e", text, "--store", str(store_dir), "-f", "tsv")
    assert code == 0
    assert out.splitlines() == ["?symbol", '"A/RES/69/12"', '"A/RES/73/331"', '"A/RES/75/276"']
    query_file = tmp_path / "q.rq"
    query_file.write_text(text, encoding="utf-8")
    code, out2, _ = cli(capsys, "query", "--file", str(query_file), "--store", str(store_dir),
                        "-f", "tsv")
    assert (code, out2) == (0, out)


def test_json_and_table_and_limit(capsys, store_dir) -> None:
    code, out, _ = cli(capsys, "query", "entity-labels", "-p", "entity=org/csto",
                       "--store", str(store_dir), "-f", "json")
    assert code == 0
    bindings = json.loads(out)["results"]["bindings"]
    assert {"type": "literal", "value": "Organisation du Traité de sécurité collective",
            "xml:lang": "fr"} in [b["label"] for b in bindings]
    code, out, _ = cli(capsys, "query", "cited-not-in-corpus", "--limit", "2",
                       "--store", str(store_dir), "-f", "table")
    assert code == 0 and "S/RES/1631(2005)" in out and out.count("│ A/") + \
        out.count("│ S/") == 2


@pytest.mark.parametrize("args, message", [
    (["query", "most-cited", "-p", "minimum=two"], "expected an integer"),
    (["query", "most-cited", "-p", "colour=red"], "has no parameter colour"),
    (["query", "incoming-citations"], "needs the parameter 'symbol'"),
    (["query", "no-such-query"], "no stored query named"),
    (["query", "-e", "SELECT ?x WHERE {"], "SPARQL syntax error"),
    (["query", "most-cited", "-f", "xml"], "unknown format"),
    (["query"], "exactly one of"),
])
def test_errors_are_one_line_and_exit_2(capsys, store_dir, args, message) -> None:
    code, _out, err = cli(capsys, *args, "--store", str(store_dir))
    assert code == 2 and message in err and "Traceback" not in err
    assert err.count("\n") == 1 or message == "SPARQL syntax error"


def test_missing_store_is_a_clear_error(capsys, tmp_path) -> None:
    code, _, err = cli(capsys, "query", "most-cited", "--store", str(tmp_path / "none"))
    assert code == 2 and "run `unkg build` first" in err


@pytest.mark.server
def test_push_then_query_on_the_server(capsys, store_dir, oxigraph_server_factory) -> None:
    server = oxigraph_server_factory()
    code, out, err = cli(capsys, "push", "--endpoint", server.query_endpoint,
                         "--store", str(store_dir), "--batch-size", "5")
    assert code == 0, err
    assert "already on the server" in out
    local = cli(capsys, "query", "citation-lineage", "-p", "symbol=A/RES/75/276",
                "--store", str(store_dir), "-f", "csv")
    remote = cli(capsys, "query", "citation-lineage", "-p", "symbol=A/RES/75/276",
                 "--endpoint", server.query_endpoint, "-f", "csv")
    assert remote == local and local[0] == 0
    server.stop()
    code, _, err = cli(capsys, "query", "most-cited", "--endpoint", server.query_endpoint)
    assert code == 2 and "cannot reach the SPARQL endpoint" in err
