"""unkg's own vocabulary as a closed rdflib namespace: `UNKG.Document`, `UNKG.cites`…

A typo is an error (`_fail = True`), not a new IRI. The term list between the markers is generated
from `unkg.ttl`; after editing the ontology run

    python -m unkg.ontology.namespace --write

(`tests/test_ontology.py` fails while the two disagree). The same command writes `context.jsonld`
from `prefixes.ttl`. Other vocabularies come from
`rdflib.namespace` (DCTERMS, PROV, SKOS…) or `Namespace(prefixes()[...])`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

NAMESPACE_IRI = "https://w3id.org/unkg/ontology#"
# Marker lines of the generated block (split so that these definitions do not match themselves).
_BEGIN = "    # --- generated from unkg.ttl" + ": begin"
_END = "    # --- generated from unkg.ttl" + ": end"


class UNKG(DefinedNamespace):
    """Classes and properties of `unkg.ttl`."""

    _NS = Namespace(NAMESPACE_IRI)
    _fail = True

    # --- generated from unkg.ttl: begin
    AgendaItem: URIRef
    BodyParagraph: URIRef
    Citation: URIRef
    Document: URIRef
    Footnote: URIRef
    HeaderBlock: URIRef
    InstitutionalLink: URIRef
    LanguageVersion: URIRef
    Meeting: URIRef
    MemberState: URIRef
    Mention: URIRef
    ObserverState: URIRef
    OperativeParagraph: URIRef
    Organization: URIRef
    Paragraph: URIRef
    Person: URIRef
    Post: URIRef
    PreambularParagraph: URIRef
    RegionalOrganization: URIRef
    Session: URIRef
    Signature: URIRef
    SignatureBlock: URIRef
    State: URIRef
    UNBody: URIRef
    acronym: URIRef
    actsOnBehalfOf: URIRef
    adoptedAt: URIRef
    adoptedFromDraft: URIRef
    agendaItem: URIRef
    aknWork: URIRef
    annex: URIRef
    basisText: URIRef
    carriesFootnote: URIRef
    checksum: URIRef
    citationFunction: URIRef
    citedDocument: URIRef
    citedPart: URIRef
    cites: URIRef
    citesDocument: URIRef
    citingDocument: URIRef
    cooperatesWith: URIRef
    distribution: URIRef
    distributionDate: URIRef
    documentType: URIRef
    endOffset: URIRef
    establishedBy: URIRef
    hasAgendaItemOn: URIRef
    hasDraft: URIRef
    hasLanguageVersion: URIRef
    hasMeetingRecord: URIRef
    hasMemorandumOfUnderstandingWith: URIRef
    hasObserverStatusIn: URIRef
    hasParagraph: URIRef
    hasPart: URIRef
    hasReport: URIRef
    holdsConsultationsWith: URIRef
    implicit: URIRef
    inCorpus: URIRef
    inParagraph: URIRef
    inSession: URIRef
    introducingVerb: URIRef
    iso3: URIRef
    itemNumber: URIRef
    labelAfterParent: URIRef
    linkObject: URIRef
    linkSubject: URIRef
    linkTrigger: URIRef
    linkType: URIRef
    loader: URIRef
    loaderVersion: URIRef
    lookalikeName: URIRef
    meetingKind: URIRef
    meetingNumber: URIRef
    memberOf: URIRef
    mentionedEntity: URIRef
    mentions: URIRef
    number: URIRef
    onBehalfOf: URIRef
    opening: URIRef
    order: URIRef
    organ: URIRef
    originalLanguage: URIRef
    paragraphId: URIRef
    paragraphKind: URIRef
    post: URIRef
    relatedDocument: URIRef
    reportsTo: URIRef
    requestTrigger: URIRef
    requestedToCooperateWith: URIRef
    requestsAgendaItem: URIRef
    resultsIn: URIRef
    session: URIRef
    sessionNumber: URIRef
    shortcut: URIRef
    signatory: URIRef
    signature: URIRef
    sourceFile: URIRef
    sourcePath: URIRef
    startOffset: URIRef
    statedIn: URIRef
    statedInDocument: URIRef
    subjectHeading: URIRef
    subsidiaryOf: URIRef
    surfaceText: URIRef
    symbol: URIRef
    text: URIRef
    titleInParent: URIRef
    tripleCount: URIRef
    versionOf: URIRef
    viaFootnote: URIRef
    # --- generated from unkg.ttl: end


def ontology_terms() -> list[str]:
    """Local names of the classes and properties declared in `unkg.ttl`, sorted (classes first)."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    from unkg.ontology import data_file

    graph = Graph(bind_namespaces="none")
    graph.parse(data=data_file("unkg.ttl").read_text(encoding="utf-8"), format="turtle")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    names = {str(s)[len(NAMESPACE_IRI):] for kind in kinds for s in graph.subjects(RDF.type, kind)
             if str(s).startswith(NAMESPACE_IRI)}
    # Classes (capitalised) first, then properties; each group alphabetical.
    return sorted(names, key=lambda n: (not n[0].isupper(), n))


def generated_block() -> str:
    return "\n".join([_BEGIN, *(f"    {name}: URIRef" for name in ontology_terms()), _END])


def jsonld_context() -> str:
    """`context.jsonld`: the JSON-LD context made from prefixes.ttl (one prefix map everywhere)."""
    import json

    from unkg.ontology import prefixes

    return json.dumps({"@context": dict(sorted(prefixes().items()))}, indent=2,
                      ensure_ascii=False) + "\n"


def _write_context(path: Path) -> bool:
    text = jsonld_context()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def _write(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    start, end = source.index(_BEGIN), source.index(_END) + len(_END)
    updated = source[:start] + generated_block() + source[end:]
    if updated == source:
        return False
    path.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        print(generated_block())
        print("(run with --write to update unkg/ontology/namespace.py)", file=sys.stderr)
    else:
        here = Path(__file__)
        changed = _write(here)
        print("namespace.py updated" if changed else "namespace.py already up to date")
        changed = _write_context(here.with_name("context.jsonld"))
        print("context.jsonld updated" if changed else "context.jsonld already up to date")
