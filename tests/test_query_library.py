"""The query library: every stored query is documented, parses, runs, and answers correctly.

Expected answers on the bundled corpus are derived from the gold manifest and the source texts
(never copied from the queries' own output).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from benchmarks.evaluate import gold_manifest
from unkg.errors import QueryError
from unkg.queries import library, parse_query_file, query_frame, run
from unkg.queries.runner import bindings_for, convert_parameter, parse_assignments, with_limit

BASE = "https://w3id.org/unkg/"
CITFN = "https://w3id.org/unkg/vocab/citation-function/"
QUERIES = sorted(library())
CHECKED: set[str] = set()  # queries with an expected-answer test below (meta-tested)


def checks(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    CHECKED.add(name)
    return lambda fn: fn


def rows(store, name: str, **params: Any) -> list[dict[str, Any]]:
    result = run(store, name, params)
    return [{k: (None if v is None else v.toPython() if isinstance(v, Literal) else str(v))
             for k, v in d.items()} for d in result.dicts()]


@pytest.fixture(scope="module")
def manifest(corpus_dir: Path) -> list[dict[str, Any]]:
    docs = gold_manifest()["documents"]
    return [d for d in docs if d.get("file")]


def gold(manifest, symbol: str | None, file: str | None = None) -> dict[str, Any]:
    return next(d for d in manifest if (file and d["file"] == file)
                or (symbol and d["symbol"] == symbol))


def gold_symbols(doc: dict[str, Any]) -> set[str]:
    return {c["symbol"] for c in doc["gold"]["citations"] if c.get("symbol")}


SEED_LETTER = "seeds/000_d30999ef5195cbdd.txt"
SEED_RES = "seeds/001_88a3ec35e753d387.txt"
# Gold verbs (normalised English, manifest) → citation-function concepts of the vocabulary.
VERB_FUNCTION = {"recalling": "recalls", "welcoming": "welcomes", "welcomes": "welcomes",
                 "having considered": "havingConsidered", "calls upon": "callsUpon",
                 "adopted on the basis of": "adoptedFromDraft"}


# --- the library as data -------------------------------------------------------------------------

def test_library_has_at_least_15_queries() -> None:
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("name", QUERIES)
def test_query_is_deterministic(name: str) -> None:
    """ORDER BY names every projected column, and rows are sets: Oxigraph's union default graph
    repeats a triple once per named graph holding it, rdflib's does not, so a query needs
    DISTINCT (or COUNT(DISTINCT …)) to give the same answer everywhere."""
    text = library()[name].text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    select = re.search(r"SELECT\s+(DISTINCT\s+)?(.*?)\s+WHERE", body, re.S)
    assert select, name
    projected = re.findall(r"\?(\w+)\)?(?=\s|$)", re.sub(r"\(COUNT[^)]*\)", "", select.group(2)))
    aliases = set(re.findall(r"AS \?(\w+)", select.group(2)))
    order = re.search(r"ORDER BY(.*)", body, re.S)
    assert order, f"{name}: no ORDER BY"
    # in a grouped query the group keys determine the aggregates: ordering by the keys suffices
    for var in set(projected) - aliases:
        assert re.search(rf"\?{var}\b", order.group(1)), f"{name}: ?{var} not in ORDER BY"
    counts = re.findall(r"COUNT\((\w*)", body)
    assert select.group(1) or counts, f"{name}: neither DISTINCT nor an aggregate"
    assert all(c == "DISTINCT" for c in re.findall(r"COUNT\(\s*(\w+)", body)), name


def test_every_query_has_a_checked_answer() -> None:
    assert set(QUERIES) <= CHECKED, sorted(set(QUERIES) - CHECKED)


# --- header parsing and parameters ---------------------------------------------------------

def test_header_parsing() -> None:
    q = parse_query_file("x", "# title: T\n# description: one\n#   two\n"
                              "# param: when (date, optional) — a day\n# example: when=2014-11-11\n"
                              "SELECT ?when WHERE { } ORDER BY ?when\n")
    assert (q.title, q.description) == ("T", "one two")
    assert q.parameters[0].type == "date" and q.parameters[0].optional
    assert q.parameters[0].example == "2014-11-11"


@pytest.mark.parametrize("text, message", [
    ("# description: d\nSELECT * {}", "title"),
    ("# title: t\nSELECT * {}", "description"),
    ("# title: t\n# description: d\n# param: x (colour) — c\nSELECT * {}",
     "unknown parameter type"),
    ("# title: t\n# description: d\n# param: x string\nSELECT * {}", "param must be"),
    ("# title: t\n# description: d\n# example: y=1\nSELECT * {}", "undeclared"),
    ("# title: t\n# description: d\n#bogus\nSELECT * {}", "not understood"),
])
def test_bad_headers_are_errors(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as err:
        parse_query_file("bad", text)
    assert err.value.path == "bad.rq"


def test_parameter_conversion() -> None:
    q = parse_query_file("x", "# title: t\n# description: d\n# param: s (symbol) — s\n"
                              "# param: e (iri) — e\n# param: n (integer, optional) — n\n"
                              "# param: d (date, optional) — d\n"
                              "# param: l (language, optional) — l\n"
                              "SELECT * {}")
    bound = bindings_for(q, {"s": "s/res/1631 (2005)", "e": "org/csto", "n": "3",
                             "d": "2014-11-11", "l": "FR"})
    assert bound["s"] == Literal("S/RES/1631(2005)")
    assert bound["e"] == URIRef(BASE + "org/csto")
    assert bound["n"].datatype.endswith("#integer") and bound["n"].toPython() == 3
    assert str(bound["d"]) == "2014-11-11" and bound["d"].datatype.endswith("#date")
    assert bound["l"] == Literal("fr")
    assert bindings_for(q, {"s": "A/RES/59/50", "e": "https://example.org/x"})["e"] == \
        URIRef("https://example.org/x")


@pytest.mark.parametrize("ptype, value", [
    ("integer", "two"), ("integer", "1.5"), ("date", "11/11/2014"), ("language", "french!"),
    ("iri", "not an iri"), ("symbol", "59/50x"), ("string", "  "),
])
def test_wrong_parameter_values_are_clear_errors(ptype: str, value: str) -> None:
    q = parse_query_file("x", f"# title: t\n# description: d\n# param: v ({ptype}) — v\n"
                              "SELECT * {}")
    with pytest.raises(QueryError, match=rf"parameter 'v' \({ptype}\)"):
        convert_parameter(q.parameters[0], value)


def test_unknown_and_missing_parameters(query_fixture_store) -> None:
    with pytest.raises(QueryError, match="has no parameter colour"):
        run(query_fixture_store, "outgoing-citations", {"symbol": "A/RES/69/12", "colour": "red"})
    with pytest.raises(QueryError, match="needs the parameter 'symbol'"):
        run(query_fixture_store, "outgoing-citations", {})
    with pytest.raises(QueryError, match="no stored query named"):
        run(query_fixture_store, "no-such-query", {})
    with pytest.raises(QueryError, match="name=value"):
        parse_assignments(["symbol"])


def test_parameters_are_bound_not_pasted(query_fixture_store) -> None:
    """A value that would break out of a pasted string literal is just a value."""
    evil = '" } } ; DROP ALL ; SELECT * { "'
    assert run(query_fixture_store, "search-paragraphs", {"phrase": evil}).rows == []
    assert len(query_fixture_store.named_graphs()) == 7


def test_limit(query_corpus_store) -> None:
    full = run(query_corpus_store, "cited-not-in-corpus")
    limited = run(query_corpus_store, "cited-not-in-corpus", limit=3)
    assert len(full.rows) > 3 and limited.rows == full.rows[:3]
    assert with_limit("SELECT * {} LIMIT 5", 2).endswith("LIMIT 5")


def test_dataframe_keeps_language_tags_and_datatypes(query_corpus_store) -> None:
    frame = query_frame(query_corpus_store, "entity-labels", {"entity": "org/csto"})
    labels = {(str(v), v.language) for v in frame["label"]}
    assert ("Organisation du Traité de sécurité collective", "fr") in labels
    counts = query_frame(query_corpus_store, "cited-not-in-corpus")
    assert isinstance(counts["cited_by"][0], int)
    dates = query_frame(query_corpus_store, "incoming-citations", {"symbol": "A/RES/59/50"})
    assert {d.isoformat() for d in dates["date"]} >= {"2014-11-11", "2009-07-14"}


# --- expected answers on the bundled corpus (from the gold manifest and the texts) ----------------

@checks("outgoing-citations")
def test_outgoing_citations(query_corpus_store, manifest) -> None:
    doc = gold(manifest, "A/RES/69/12")
    expected = set()
    for c in doc["gold"]["citations"]:
        para, _, footnote = c["location"].partition("/")
        expected.add((para, c["symbol"], footnote or None, CITFN + VERB_FUNCTION[c["verb"]]))
    got = {(r["paragraph"], r["cited_symbol"], r["footnote"], r["function"])
           for r in rows(query_corpus_store, "outgoing-citations", symbol="A/RES/69/12")}
    assert got == expected


@checks("incoming-citations")
def test_incoming_citations(query_corpus_store, manifest) -> None:
    expected = {(d["symbol"], c["location"]) for d in manifest for c in d["gold"]["citations"]
                if c.get("symbol") == "A/RES/59/50"}
    got = {(r["citing_symbol"], r["paragraph"])
           for r in rows(query_corpus_store, "incoming-citations", symbol="A/RES/59/50")}
    assert got == expected
    assert {r["language"] for r in rows(query_corpus_store, "incoming-citations",
                                        symbol="resolution A/RES/59/50".split()[-1])} == \
        {"fr", "en"}


def _gold_closure(manifest, start: str) -> tuple[set[str], set[str]]:
    """Direct and transitive citations from the gold annotations of loaded documents."""
    loaded = {d["symbol"]: d for d in manifest if d["symbol"] and "/" in d["symbol"]}
    direct = gold_symbols(loaded[start])
    seen, todo = set(direct), list(direct)
    while todo:
        s = todo.pop()
        if s in loaded:
            for t in gold_symbols(loaded[s]) - seen:
                seen.add(t)
                todo.append(t)
    return direct, seen - {start}


@checks("citation-lineage")
def test_citation_lineage(query_corpus_store, manifest) -> None:
    direct, everything = _gold_closure(manifest, "A/RES/75/276")
    got = rows(query_corpus_store, "citation-lineage", symbol="A/RES/75/276")
    assert {r["ancestor_symbol"] for r in got if r["direct"]} == direct
    assert {r["ancestor_symbol"] for r in got} == everything
    assert {r["ancestor_symbol"] for r in got if r["in_corpus"]} == {"A/RES/69/12",
                                                                     "A/RES/73/331"}


@checks("citation-descendants")
def test_citation_descendants(query_corpus_store, manifest) -> None:
    citing = {d["symbol"] for d in manifest if "A/RES/59/50" in gold_symbols(d)}
    got = rows(query_corpus_store, "citation-descendants", symbol="A/RES/59/50")
    # the seed letter has no symbol: it appears by its IRI, with the date of the letter
    assert {r["descendant_symbol"] for r in got} == citing
    assert {r["date"].isoformat() for r in got} == {gold(manifest, s, SEED_LETTER)["date"]
                                                    if s is None else gold(manifest, s)["date"]
                                                    for s in citing}


@checks("agenda-item-series")
def test_agenda_item_series(query_corpus_store, manifest) -> None:
    expected = {(str(d["session"]), re.sub(r"[\s()]", "", d["agenda_item"]), d["symbol"])
                for d in manifest if re.search("Collective Security Treaty|sécurité collective",
                                               d["title"] or "", re.I) and d.get("agenda_item")}
    got = rows(query_corpus_store, "agenda-item-series",
               pattern="Collective Security Treaty|sécurité collective")
    assert {(r["session_number"], r["item_number"], r["symbol"]) for r in got} == expected
    assert [r["session_number"] for r in got] == ["69", "73", "75"]  # ordered by date


@checks("cooperation-requests")
def test_cooperation_requests_on_the_fixture(query_fixture_store) -> None:
    # 69/12 OP5 "Engage l'ONU et l'OTSC à continuer de coopérer"; 73/331 OP3 (both secretariats)
    got = rows(query_fixture_store, "cooperation-requests", organization="org/csto")
    assert [(r["partner"], r["symbol"], r["paragraph"]) for r in got] == [
        (BASE + "org/united-nations", "A/RES/69/12", "OP5"),
        (BASE + "org/un-secretariat", "A/RES/73/331", "OP3")]


def test_cooperation_requests_on_the_corpus(query_corpus_store, corpus_dir: Path) -> None:
    # The letter's draft, annex II OP3: "Invite les entités spécialisées de l'ONU, telles que le
    # Département des affaires politiques, l'Office des Nations Unies contre la drogue et le crime,
    # le Comité contre le terrorisme et sa Direction exécutive, à coopérer … avec l'OTSC"
    letter = (corpus_dir / SEED_LETTER).read_text(encoding="utf-8")
    assert "à coopérer et développer des contacts directs avec l'Organisation du Traité" in letter
    got = rows(query_corpus_store, "cooperation-requests", organization="org/csto")
    # the letter has no symbol: its rows carry its IRI and its handle (issue #16)
    letter = [r for r in got if r["document"].startswith(BASE + "doc/-/sha256-")]
    assert {r["partner"] for r in letter} == {
        BASE + k for k in ("org/dpa", "org/unodc", "org/ctc", "org/cted")}
    assert {r["symbol"] for r in letter} == {"letter 2009-07-14 from Russian Federation"}
    assert all(r["document"] == BASE + "doc/" + r["symbol"] for r in got if r not in letter)
    # 69/12 OP5 "Engage l'ONU et l'OTSC à continuer de coopérer"; 73/331 and 75/276 repeat it
    assert {(r["symbol"], r["partner"]) for r in got if r["symbol"]} >= {
        ("A/RES/69/12", BASE + "org/united-nations")}


@checks("observer-status")
def test_observer_status_on_the_fixture(query_fixture_store) -> None:
    got = rows(query_fixture_store, "observer-status")
    assert [(r["observer"], r["body_label"], r["granted_by"], r["stated_in"]) for r in got] == [
        (BASE + "org/abacc", "General Assembly", None, "A/C.6/80/L.2"),
        (BASE + "org/csto", "General Assembly", "A/RES/59/50", "A/RES/69/12")]


def test_observer_status_on_the_corpus(query_corpus_store) -> None:
    # 69/12 PP3 "sa résolution 59/50 …, dans laquelle elle a octroyé le statut d'observateur à
    # l'OTSC", repeated by 73/331 and 75/276 PP3 and the letter's draft (annex II PP1)
    got = rows(query_corpus_store, "observer-status")
    granted = {(r["observer"], r["granted_by"], r["stated_in"]) for r in got if r["granted_by"]}
    assert {(BASE + "org/csto", "A/RES/59/50", s)
            for s in ("A/RES/69/12", "A/RES/73/331", "A/RES/75/276",
                      "letter 2009-07-14 from Russian Federation")} <= granted
    assert all(r["document"].startswith(BASE + "doc/") for r in got)
    # A/C.6/80/L.2 OP1: "Decides to invite the Brazilian Argentine Agency … observer"
    assert (BASE + "org/abacc", "A/C.6/80/L.2", "OP1") in {
        (r["observer"], r["stated_in"], r["paragraph"]) for r in got}


@checks("co-mentions")
def test_co_mentions(query_corpus_store, manifest) -> None:
    with_csto = [d for d in manifest
                 if any(e["name"] == "Collective Security Treaty Organization"
                        for e in d["gold"]["entities"])]
    gold_names = {e["name"] for d in with_csto for e in d["gold"]["entities"]}
    got = rows(query_corpus_store, "co-mentions", entity="org/csto")
    assert got[0]["other_label"] == "United Nations"  # named with the CSTO in most paragraphs
    for name in ("General Assembly", "Afghanistan", "Department of Peacekeeping Operations"):
        assert name in {r["other_label"] for r in got} and name in gold_names
    assert all(r["documents"] <= len(with_csto) for r in got)


@checks("entity-timeline")
def test_entity_timeline(query_corpus_store, manifest) -> None:
    expected = {d["symbol"] for d in manifest
                if any(e["name"] == "Collective Security Treaty Organization"
                       for e in d["gold"]["entities"])}
    got = rows(query_corpus_store, "entity-timeline", entity="org/csto")
    assert {r["symbol"] for r in got} == expected
    for r in got:
        if r["symbol"] and "/RES/" in r["symbol"]:
            assert r["date"].isoformat() == gold(manifest, r["symbol"])["date"]


@checks("documents-by-session")
def test_documents_by_session(query_corpus_store, manifest) -> None:
    expected: dict[tuple[str, str], int] = {}
    for d in manifest:
        if d["symbol"] and d["symbol"].startswith("A/") and d.get("agenda_item"):
            key = (str(d["session"]), re.sub(r"[\s()]", "", d["agenda_item"]))
            expected[key] = expected.get(key, 0) + 1
    got = rows(query_corpus_store, "documents-by-session")
    assert {(r["session_number"], r["item_number"]): r["documents"] for r in got
            if r["item_number"]} == expected
    assert {r["organ_label"] for r in got} == {"General Assembly"}


@checks("citation-functions-by-year")
def test_citation_functions_by_year(query_corpus_store, manifest) -> None:
    # 2014: resolution 69/12 is the only dated document of that year in the corpus
    expected: dict[str, int] = {}
    for c in gold(manifest, "A/RES/69/12")["gold"]["citations"]:
        fn = CITFN + VERB_FUNCTION[c["verb"]]
        expected[fn] = expected.get(fn, 0) + 1
    got = rows(query_corpus_store, "citation-functions-by-year")
    assert {r["function"]: r["citations"] for r in got if r["year"] == 2014} == expected
    assert [r["year"] for r in got] == sorted(r["year"] for r in got)


@checks("cited-not-in-corpus")
def test_cited_not_in_corpus(query_corpus_store, manifest) -> None:
    loaded = {d["symbol"] for d in manifest if d["symbol"]}
    got = rows(query_corpus_store, "cited-not-in-corpus")
    assert not {r["symbol"] for r in got} & loaded
    by_symbol = {r["symbol"]: r["cited_by"] for r in got}
    for symbol in ("S/RES/1631(2005)", "A/RES/59/50"):
        assert by_symbol[symbol] == sum(symbol in gold_symbols(d) for d in manifest)
    assert got[0]["symbol"] == "S/RES/1631(2005)"


@checks("most-cited")
def test_most_cited(query_corpus_store, manifest) -> None:
    got = rows(query_corpus_store, "most-cited", minimum=2)
    assert got and all(r["cited_by"] >= 2 for r in got)
    assert (got[0]["symbol"], got[0]["cited_by"]) == (
        "S/RES/1631(2005)", sum("S/RES/1631(2005)" in gold_symbols(d) for d in manifest))
    # 69/12 is loaded and cited by 73/331 and 75/276 (gold)
    assert {"symbol": "A/RES/69/12", "in_corpus": True, "cited_by": 2} in got
    assert len(rows(query_corpus_store, "most-cited")) > len(got)


@checks("signatories")
def test_signatories(query_corpus_store, manifest, corpus_dir: Path) -> None:
    letter = gold(manifest, None, SEED_LETTER)
    text = (corpus_dir / SEED_LETTER).read_text(encoding="utf-8")
    # "au nom des Représentants permanents de la République d'Arménie, de la République du
    # Bélarus, de la République du Kazakhstan, de la République kirghize, de la République
    # d'Ouzbékistan et de la République du Tadjikistan"
    for french in ("Arménie", "Bélarus", "Kazakhstan", "kirghize", "Ouzbékistan", "Tadjikistan"):
        assert french in text
    got = rows(query_corpus_store, "signatories")
    assert {(r["name"], r["date"].isoformat()) for r in got} == {
        (letter["signatory"]["name"], letter["date"])}
    assert {r["state_label"] for r in got} == {
        "Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Uzbekistan", "Tajikistan"}
    assert "Représentant permanent de la Fédération de Russie" in got[0]["post"]


@checks("search-paragraphs")
def test_search_paragraphs(query_corpus_store, manifest, corpus_dir: Path) -> None:
    expected = set()
    for d in manifest:
        text = " ".join((corpus_dir / d["file"]).read_text(encoding="utf-8").split())
        if "observer status" in text.lower():
            expected.add(d["symbol"])
    got = rows(query_corpus_store, "search-paragraphs", phrase="Observer Status")
    assert {r["symbol"] for r in got} == expected
    assert all("observer status" in " ".join(r["text"].split()).lower() for r in got)
    assert rows(query_corpus_store, "search-paragraphs", phrase="observer status",
                language="fr") == []
    french = rows(query_corpus_store, "search-paragraphs", phrase="statut d'observateur",
                  language="fr")
    assert "A/RES/69/12" in {r["symbol"] for r in french}


@checks("entity-labels")
def test_entity_labels(query_corpus_store, corpus_dir: Path) -> None:
    got = {(r["property"].rsplit("#", 1)[-1], r["language"], r["label"])
           for r in rows(query_corpus_store, "entity-labels", entity="org/csto")}
    assert ("prefLabel", "en", "Collective Security Treaty Organization") in got
    french = "Organisation du Traité de sécurité collective"
    assert ("prefLabel", "fr", french) in got
    assert french in (corpus_dir / SEED_RES).read_text(encoding="utf-8")


@checks("shared-citations")
def test_shared_citations(query_corpus_store, manifest) -> None:
    expected = gold_symbols(gold(manifest, "A/RES/69/12")) & \
        gold_symbols(gold(manifest, "A/RES/73/331"))
    got = rows(query_corpus_store, "shared-citations", first="A/RES/69/12", second="A/RES/73/331")
    assert {r["cited_symbol"] for r in got} == expected


@checks("document-overview")
def test_document_overview(query_corpus_store, manifest) -> None:
    doc = gold(manifest, "A/RES/69/12")
    (row,) = rows(query_corpus_store, "document-overview", symbol="A/RES/69/12")
    assert row["date"].isoformat() == doc["date"]
    assert row["session_number"] == str(doc["session"])
    assert row["item_number"] == re.sub(r"[\s(),]", "", doc["agenda_item"])
    assert row["meeting_number"] == int(re.match(r"\d+", doc["adoption"]["meeting"]).group())
    assert row["draft"] == doc["adoption"]["basis"]
    assert (row["language"], row["title"]) == (doc["language"], doc["title"])
    assert row["document_type"].endswith("/resolution")
