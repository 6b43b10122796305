"""The ontology parses, every term is labelled and commented in English and French, and the
closed Python namespace and the JSON-LD context agree with the Turtle files."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from unkg.ontology import data_file, data_files, prefixes
from unkg.ontology.namespace import NAMESPACE_IRI, UNKG, generated_block, jsonld_context

REGENERATE = "python -m unkg.ontology.namespace --write"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph(bind_namespaces="none")
    g.parse(data=data_file("unkg.ttl").read_text(encoding="utf-8"), format="turtle")
    return g


def terms(g: Graph) -> list[URIRef]:
    return sorted({s for k in KINDS for s in g.subjects(RDF.type, k)
                   if str(s).startswith(NAMESPACE_IRI)})


def test_ontology_declares_the_contract_terms(ontology: Graph) -> None:
    names = {str(t)[len(NAMESPACE_IRI):] for t in terms(ontology)}
    # A sample of docs/graph-model.md's table, one per row of the table.
    for name in ("Document", "LanguageVersion", "PreambularParagraph", "Citation", "cites",
                 "citesDocument", "Mention", "InstitutionalLink", "Signature", "Session",
                 "AgendaItem", "Meeting", "hasDraft", "UNBody", "MemberState", "iso3"):
        assert name in names
    assert len(names) > 80


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment])
def test_every_term_has_english_and_french(ontology: Graph, prop: URIRef) -> None:
    missing = []
    for term in terms(ontology):
        langs = {o.language for o in ontology.objects(term, prop)}
        if not {"en", "fr"} <= langs:
            missing.append(f"{term} {prop}: {sorted(filter(None, langs))}")
    assert not missing, "\n".join(missing)


def test_classes_and_properties_are_aligned(ontology: Graph) -> None:
    parents = set(ontology.objects(UNKG.Document, RDFS.subClassOf))
    assert URIRef("http://purl.org/spar/fabio/Work") in parents
    assert URIRef("http://data.europa.eu/eli/ontology#LegalResource") in parents
    assert (UNKG.cites, RDFS.subPropertyOf, URIRef("http://purl.org/spar/cito/cites")) in ontology
    assert (UNKG.memberOf, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#memberOf")) \
        in ontology


def test_namespace_agrees_with_the_turtle() -> None:
    source = (data_file("../ontology/namespace.py")).read_text(encoding="utf-8")
    assert generated_block() in source, f"namespace.py is stale: run `{REGENERATE}`"


def test_namespace_is_closed() -> None:
    assert UNKG.Citation == URIRef(NAMESPACE_IRI + "Citation")
    with pytest.raises(AttributeError):
        UNKG.Citaton  # noqa: B018 — a typo must fail


def test_namespace_constants_agree_with_the_prefixes() -> None:
    """The IRIs the code names (`unkg.ontology`) are the namespaces `prefixes.ttl` declares."""
    import unkg.ontology as o

    declared = o.prefixes()
    for name in ("UNKG", "RDF", "RDFS", "XSD", "OWL", "SKOS", "DCTERMS", "FOAF", "ORG", "SH",
                 "VOID"):
        assert getattr(o, name) == declared[name.lower()], name
    assert o.SHAPES in o.data_file("shapes.ttl").read_text("utf-8")
    assert o.UNKG.startswith(o.DEFAULT_BASE) and o.RDF_TYPE == declared["rdf"] + "type"


def test_context_agrees_with_prefixes() -> None:
    on_disk = data_file("context.jsonld").read_text(encoding="utf-8")
    assert on_disk == jsonld_context(), f"context.jsonld is stale: run `{REGENERATE}`"
    assert json.loads(on_disk)["@context"]["unkg"] == prefixes()["unkg"]


def test_vocabularies_parse_and_relation_types_have_shortcuts() -> None:
    g = Graph(bind_namespaces="none")
    for f in data_files("vocab"):
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    reltype = prefixes()["reltype"]
    for name in ("hasDraft", "resultsIn", "hasReport", "hasMeetingRecord", "relatedDocument"):
        assert g.value(URIRef(reltype + name), UNKG.shortcut) == UNKG[name]


def test_every_unkg_term_used_in_data_files_is_defined(ontology: Graph) -> None:
    """A typo in a vocabulary, authority list, shape or query is an error, not a new IRI."""
    import re
    from importlib import resources

    defined = {str(s) for s in ontology.subjects() if str(s).startswith(NAMESPACE_IRI)}
    root = resources.files("unkg")
    undefined: dict[str, set[str]] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith((".ttl", ".rq")) and entry.name != "unkg.ttl":
                text = entry.read_text(encoding="utf-8")
                for name in re.findall(r"\bunkg:([A-Za-z_][\w-]*)", text):
                    if NAMESPACE_IRI + name not in defined:
                        undefined.setdefault(name, set()).add(entry.name)
    assert not undefined, f"unkg: terms used but not defined in unkg.ttl: {undefined}"


def test_undo_alignment_only_narrows_and_points_at_undo_or_allot() -> None:
    """The alignment says subclass/subproperty/closeMatch of unkg terms that unkg.ttl defines,
    towards UNDO or ALLOT; never equivalence (unkg's classes are narrower)."""
    from unkg.ontology import ontology_files

    assert "undo-alignment.ttl" in {f.name for f in ontology_files()}
    own = Graph(bind_namespaces="none").parse(
        data=data_file("unkg.ttl").read_text(encoding="utf-8"), format="turtle")
    vocab = Graph(bind_namespaces="none")
    for f in data_files("vocab"):
        vocab.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    g = Graph(bind_namespaces="none").parse(
        data=data_file("undo-alignment.ttl").read_text(encoding="utf-8"), format="turtle")
    allowed = {"http://www.w3.org/2000/01/rdf-schema#subClassOf",
               "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
               "http://www.w3.org/2004/02/skos/core#closeMatch"}
    axioms = [(s, p, o) for s, p, o in g if str(s).startswith("https://w3id.org/unkg/")
              and not str(s).endswith("undo-alignment")]
    assert len(axioms) >= 12
    for s, p, o in axioms:
        assert str(p) in allowed, (s, p)
        assert str(o).startswith(("https://w3id.org/un/ontology/undo/",
                                  "https://w3id.org/akn/ontology/allot/")), o
        assert (s, None, None) in own or (s, None, None) in vocab, f"{s} is not defined"
    undo = "https://w3id.org/un/ontology/undo/"
    assert (UNKG.Document, RDFS.subClassOf, URIRef(undo + "Document")) in g
    assert (UNKG.LanguageVersion, RDFS.subClassOf, URIRef(undo + "DocumentVersion")) in g
