"""The one meta-test of every `.rq` file (library, checks, internal, network, serve): each has the
one header (title, description, parameters, example), parses with rdflib and Oxigraph, and runs on
the bundled corpus with its example parameters: a check returns no row, every other query rows."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

from unkg.errors import QueryError
from unkg.queries.files import FOLDERS, queries_in, read_query
from unkg.queries.header import parse_query_file
from unkg.queries.runner import bindings_for

ALL = [(folder, name) for folder in FOLDERS for name in queries_in(folder)]
IDS = [f"{folder}/{name}" for folder, name in ALL]


def test_every_rq_file_is_in_a_query_folder() -> None:
    package = Path(str(resources.files("unkg")))
    found = {p.relative_to(package / "queries").as_posix().removesuffix(".rq")
             for p in package.rglob("*.rq")}
    assert found == set(IDS)
    assert all(folder in {f for f, _ in ALL} for folder in FOLDERS)


@pytest.mark.parametrize(("folder", "name"), ALL, ids=IDS)
def test_query_is_documented(folder: str, name: str) -> None:
    q = read_query(folder, name)
    assert q.title and q.description and len(q.description) > 40
    for p in q.parameters:
        assert p.description, f"{name}: parameter {p.name} has no description"
        assert re.search(rf"\?{p.name}\b", q.text), f"{name}: ?{p.name} unused"
        if not p.optional:
            assert p.example, f"{name}: required parameter {p.name} has no example"


@pytest.mark.parametrize(("folder", "name"), ALL, ids=IDS)
def test_query_parses_with_rdflib_and_oxigraph(folder: str, name: str) -> None:
    text = read_query(folder, name).text
    prepareQuery(text)
    ox.Store().query(text)  # parses and runs on an empty dataset


@pytest.mark.parametrize(("folder", "name"), ALL, ids=IDS)
def test_query_runs_on_the_corpus(folder: str, name: str, query_corpus_store) -> None:
    q = read_query(folder, name)
    result = query_corpus_store.query(q.text, bindings_for(q, q.examples) or None)
    if folder == "checks":
        assert not result.rows, f"{folder}/{name} finds violations in the bundled corpus"
    else:
        assert result.rows, f"{folder}/{name} returns no row on the bundled corpus"


def test_a_header_in_another_dialect_is_an_error() -> None:
    with pytest.raises(QueryError, match=r"network/x\.rq:3: header line not understood"):
        parse_query_file("x", "# title: t\n# description: d\n# parameters: none\nSELECT * {}",
                         folder="network")
