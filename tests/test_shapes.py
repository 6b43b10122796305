"""The SHACL shapes: one deliberately broken graph per shape is rejected by that shape; the
hand-built seed documents and the bundled corpus conform."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from graph_docs import letter_2009, resolution_69_12

from unkg.graph import build as graph_build
from unkg.graph import reference
from unkg.ontology import data_file, prefixes
from unkg.validate.runner import validate_ntriples, validate_quads

U = prefixes()["unkg"]
DCT = prefixes()["dcterms"]
FOAF = prefixes()["foaf"]
SKOS = prefixes()["skos"]
DOC = "https://w3id.org/unkg/doc/A/RES/69/12"
LETTER = "https://w3id.org/unkg/doc/-/sha256-d30999ef5195cbdd"
Quads = list[ox.Quad]


@pytest.fixture(scope="module")
def seed_quads(corpus_dir: Path) -> Quads:
    quads = graph_build.build_document(resolution_69_12(corpus_dir)).quads
    return quads + graph_build.build_document(letter_2009(corpus_dir)).quads


def drop(subject: str, predicate: str) -> Callable[[Quads], Quads]:
    return lambda qs: [q for q in qs if not (q.subject.value == subject
                                             and q.predicate.value == predicate)]


def put(subject: str, predicate: str, value: ox.Literal | ox.NamedNode
        ) -> Callable[[Quads], Quads]:
    def change(qs: Quads) -> Quads:
        out = drop(subject, predicate)(qs)
        return [*out, ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), value,
                              qs[0].graph_name)]
    return change


BROKEN_DOCUMENT_GRAPHS = {
    "DocumentShape": put(DOC, U + "symbol", ox.Literal("a/res/69/12")),
    "LoadedDocumentShape": drop(DOC, U + "documentType"),
    "LanguageVersionShape": drop(DOC + "/fr", DCT + "language"),
    "ParagraphShape": put(DOC + "/fr/pp/3", U + "text", ox.Literal("untagged text")),
    "PreambularParagraphShape": put(DOC + "/fr/pp/3", U + "paragraphKind",
                                    ox.NamedNode(prefixes()["parakind"] + "body")),
    "OperativeParagraphShape": drop(DOC + "/fr/op/1", U + "number"),
    "FootnoteShape": put(DOC + "/fr/fn/1", U + "paragraphId", ox.Literal("PP9")),
    "CitationShape": drop(DOC + "/fr/citation/1", U + "citedDocument"),
    "MentionShape": drop(DOC + "/fr/mention/1", U + "mentionedEntity"),
    "InstitutionalLinkShape": drop(DOC + "/fr/link/1", U + "linkSubject"),
    "SignatureShape": drop(LETTER + "/fr/signature/1", U + "signatory"),
    "PersonShape": drop("https://w3id.org/unkg/person/vitaly-churkin", FOAF + "name"),
    "SessionShape": put("https://w3id.org/unkg/session/A/69", U + "sessionNumber",
                        ox.Literal("sixty-ninth")),
    "AgendaItemShape": drop("https://w3id.org/unkg/agenda/A/69/123g", U + "itemNumber"),
    "MeetingShape": put("https://w3id.org/unkg/meeting/A/69/PV.48", U + "meetingKind",
                        ox.Literal("banquet")),
}


def shapes_hit(quads: Quads) -> set[str]:
    return {v.shape for v in validate_quads({"urn:test": quads}).violations}


def test_hand_built_seed_documents_conform(seed_quads: Quads) -> None:
    assert shapes_hit(seed_quads) == set()


@pytest.mark.parametrize("shape", sorted(BROKEN_DOCUMENT_GRAPHS))
def test_broken_document_graph_is_rejected(seed_quads: Quads, shape: str) -> None:
    broken = BROKEN_DOCUMENT_GRAPHS[shape](seed_quads)
    assert broken != seed_quads, "the mutation must change something"
    assert shape in shapes_hit(broken)


def _nt(quads: Quads) -> bytes:
    buf = io.BytesIO()
    ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), buf,
                 format=ox.RdfFormat.N_TRIPLES)
    return buf.getvalue()


def test_authority_conforms_and_broken_entities_are_rejected() -> None:
    authority = reference.authority_quads()
    assert validate_ntriples([("authority", _nt(authority))]) == []
    csto = "https://w3id.org/unkg/org/csto"
    rus = "https://w3id.org/unkg/state/RUS"
    broken = put(rus, U + "iso3", ox.Literal("RU"))(authority)
    broken.append(ox.Quad(ox.NamedNode(csto), ox.NamedNode(SKOS + "prefLabel"),
                          ox.Literal("Another name", language="en"), authority[0].graph_name))
    shapes = {v.shape for v in validate_ntriples([("authority", _nt(broken))])}
    assert shapes == {"StateShape", "OrganizationShape"}


def test_vocabularies_conform_and_a_concept_without_label_is_rejected() -> None:
    ontology = reference.ontology_quads()
    assert validate_ntriples([("ontology", _nt(ontology))], with_support=False) == []
    recalls = prefixes()["citfn"] + "recalls"
    broken = drop(recalls, SKOS + "prefLabel")(ontology)
    shapes = {v.shape for v in validate_ntriples([("o", _nt(broken))], with_support=False)}
    assert shapes == {"ConceptShape"}


def test_provenance_shape() -> None:
    good = graph_build.provenance_quads(
        "https://w3id.org/unkg/graph/doc/A/RES/69/12/fr", source="x.txt", loader="text",
        checksum="0" * 64, generated_at="2025-01-01T00:00:00+00:00", triples=3)
    assert validate_ntriples([("p", _nt(good))], with_support=False) == []
    broken = put(good[0].subject.value, U + "checksum", ox.Literal("abc"))(good)
    shapes = {v.shape for v in validate_ntriples([("p", _nt(broken))], with_support=False)}
    assert shapes == {"ProvenanceShape"}


def test_shapes_declare_the_project_prefixes() -> None:
    from rdflib import Graph, URIRef

    g = Graph(bind_namespaces="none")
    g.parse(data=data_file("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    declared = {str(g.value(d, URIRef(sh + "prefix"))): str(g.value(d, URIRef(sh + "namespace")))
                for d in g.objects(None, URIRef(sh + "declare"))}
    assert declared == {p: ns for p, ns in prefixes().items() if p}


def test_bundled_corpus_conforms(corpus_dir: Path) -> None:
    from unkg.api import KnowledgeGraph

    kg = KnowledgeGraph.open()
    report = kg.load([corpus_dir / "seeds", corpus_dir / "texts"], workers=1)
    assert report.ok and report.loaded >= 18
    assert all(f.violations == 0 for f in report.files)
    validation = kg.validate(workers=1)
    assert validation.conforms, validation.to_text()
    assert validation.graphs >= 20 and validation.checks >= 5


XSD_ANYURI = "http://www.w3.org/2001/XMLSchema#anyURI"


@pytest.mark.parametrize("change", [
    drop(DOC, U + "aknWork"),
    put(DOC, U + "aknWork", ox.Literal("/akn/un/statement/deliberation/un-ga/2014-11-11/69-12")),
    put(DOC, U + "aknWork", ox.Literal("https://w3id.org/unkg/doc/A/RES/69/12",
                                       datatype=ox.NamedNode(XSD_ANYURI))),
], ids=["missing", "not-anyURI", "not-an-AKN-IRI"])
def test_a_loaded_document_needs_its_akn_work_iri(
        seed_quads: Quads, change: Callable[[Quads], Quads]) -> None:
    broken = change(seed_quads)
    assert broken != seed_quads
    assert "LoadedDocumentShape" in shapes_hit(broken)

