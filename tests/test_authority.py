"""The authority lists (Turtle) and the link-type vocabulary."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from unkg.ontology import UNKG, data_file, data_files

U = Namespace(UNKG)
BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def authority() -> Graph:
    graph = Graph()
    for resource in data_files("authority"):
        graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle", publicID=BASE)
    return graph


def _load_make_states(repo_root):
    script = repo_root / "scripts" / "make_states.py"
    spec = importlib.util.spec_from_file_location("make_states", script)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_states"] = module
    spec.loader.exec_module(module)
    return module


def test_states_file_is_up_to_date(repo_root):
    make_states = _load_make_states(repo_root)
    committed = data_file("authority/states.ttl").read_text(encoding="utf-8")
    assert committed == make_states.build(), (
        "states.ttl is out of date: run `python scripts/make_states.py`")


def test_193_member_states_and_two_observers(authority):
    members = set(authority.subjects(RDF.type, U.MemberState))
    observers = set(authority.subjects(RDF.type, U.ObserverState))
    assert len(members) == 193
    assert {str(o) for o in observers} == {BASE + "state/VAT", BASE + "state/PSE"}


def test_un_short_names_override_iso_names(authority):
    def pref(key, lang):
        return {str(o) for o in authority.objects(URIRef(BASE + key), SKOS.prefLabel)
                if o.language == lang}

    assert pref("state/RUS", "fr") == {"Fédération de Russie"}
    assert pref("state/BLR", "fr") == {"Bélarus"}
    assert pref("state/MDA", "fr") == {"République de Moldova"}
    assert pref("state/TUR", "en") == {"Türkiye"}
    assert pref("state/BOL", "en") == {"Bolivia (Plurinational State of)"}
    kgz_alt = set(authority.objects(URIRef(BASE + "state/KGZ"), SKOS.altLabel))
    assert Literal("République kirghize", lang="fr") in kgz_alt
    for lang in ("en", "fr", "es", "ru", "zh", "ar"):
        assert pref("state/KGZ", lang), lang


def test_every_entity_has_english_and_french_names(authority):
    for node in set(authority.subjects(SKOS.prefLabel, None)):
        langs = {o.language for o in authority.objects(node, SKOS.prefLabel)}
        if node == URIRef(BASE + "org/un-spider"):
            continue  # known by its English acronym only
        assert {"en", "fr"} <= langs, node


def test_relative_iris_follow_the_base(authority):
    assert (URIRef(BASE + "org/csto"), U.acronym, Literal("OTSC", lang="fr")) in authority


def test_hierarchy_cted_to_united_nations(authority):
    chain, node = [], URIRef(BASE + "org/cted")
    while (parent := authority.value(node, ORG.subOrganizationOf)) is not None:
        chain.append(str(parent)[len(BASE):])
        node = parent
    assert chain == ["org/ctc", "org/security-council", "org/united-nations"]
    assert authority.value(URIRef(BASE + "post/csto-secretary-general"), ORG.postIn) == URIRef(
        BASE + "org/csto")


def test_link_types_have_shortcuts_and_labels():
    graph = Graph().parse(data=data_file("vocab/link-types.ttl").read_text(encoding="utf-8"),
                          format="turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    names = {str(c).rsplit("/", 1)[1] for c in concepts}
    assert {"memberOf", "observerStatus", "requestedCooperation", "consultation",
            "memorandumOfUnderstanding", "reportRequested", "agendaInclusion", "onBehalfOf",
            "cooperation"} <= names
    for concept in concepts:
        assert graph.value(concept, U.shortcut) is not None, concept
        langs = {o.language for o in graph.objects(concept, SKOS.prefLabel)}
        assert {"en", "fr"} <= langs, concept
    assert graph.value(URIRef("https://w3id.org/unkg/vocab/link-type/requestedCooperation"),
                       U.shortcut) == U.requestedToCooperateWith


def test_former_member_states_are_states_but_not_members(authority):
    sun = URIRef(BASE + "state/SUN")
    assert (sun, RDF.type, U.State) in authority
    assert (sun, RDF.type, U.MemberState) not in authority
    assert Literal("Union of Soviet Socialist Republics", lang="en") in set(
        authority.objects(sun, SKOS.prefLabel))
    # A Member renamed in place keeps one IRI: Zaire is the Democratic Republic of the Congo.
    assert Literal("Zaire", lang="en") in set(authority.objects(URIRef(BASE + "state/COD"),
                                                                SKOS.altLabel))


def test_english_names_compose_titles_and_parent_acronyms():
    from unkg.extract.entities import english_names

    names = english_names("post/oif-secretary-general")
    assert "Secretary-General of the International Organisation of La Francophonie" in names
    assert "Secretary-General of the OIF" in names  # title + acronym of the organisation
    assert "ICC liaison office to United Nations Headquarters" in english_names(
        "org/icc-liaison-office")
    assert english_names("org/no-such-body") == frozenset()
