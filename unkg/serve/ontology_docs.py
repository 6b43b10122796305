"""HTML documentation of the unkg ontology, generated from `unkg.ttl` (and the vocabularies).

pyLODE would do this too, but it is one more dependency for a page we can draw from the same
triples the server already holds; this view model feeds `templates/ontology.html`, which gives
each term an anchor (`/page/ontology#Document`) so the ontology's hash IRIs resolve for people.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from unkg.ontology import DCTERMS, OWL, RDF_TYPE, RDFS, SKOS, UNKG
from unkg.serve.resources import Site

SECTIONS = (
    ("Classes", (f"{OWL}Class", f"{RDFS}Class")),
    ("Object properties", (f"{OWL}ObjectProperty",)),
    ("Datatype properties", (f"{OWL}DatatypeProperty",)),
    ("Annotation properties", (f"{OWL}AnnotationProperty",)),
)


def ontology_view(triples: list[ox.Triple], site: Site) -> dict[str, Any]:
    """Sections of terms (own namespace only) and the vocabularies' concept schemes."""
    about: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            about[t.subject.value][t.predicate.value].append(t.object)

    def texts(iri: str, predicate: str) -> list[dict[str, str | None]]:
        values = [o for o in about[iri][predicate] if isinstance(o, ox.Literal)]
        order = {"en": 0, "fr": 1}
        return [{"text": v.value, "lang": v.language}
                for v in sorted(values, key=lambda v: (order.get(v.language or "", 2), v.value))]

    def links(iri: str, predicate: str) -> list[Any]:
        return [site.link(o.value, "en") for o in about[iri][predicate]
                if isinstance(o, ox.NamedNode)]

    sections: list[dict[str, Any]] = []
    for title, classes in SECTIONS:
        terms: list[dict[str, Any]] = []
        for iri, props in about.items():
            types = {o.value for o in props.get(RDF_TYPE, []) if isinstance(o, ox.NamedNode)}
            if not iri.startswith(UNKG) or not types & set(classes):
                continue
            terms.append({
                "iri": iri, "name": iri[len(UNKG):],
                "labels": texts(iri, f"{RDFS}label"), "comments": texts(iri, f"{RDFS}comment"),
                "super": links(iri, f"{RDFS}subClassOf") + links(iri, f"{RDFS}subPropertyOf"),
                "domain": links(iri, f"{RDFS}domain"), "range": links(iri, f"{RDFS}range"),
                "equivalent": links(iri, f"{OWL}equivalentClass")
                + links(iri, f"{OWL}equivalentProperty"),
            })
        if terms:
            sections.append({"title": title, "terms": sorted(terms, key=lambda t: t["name"])})
    ontology = UNKG.rstrip("#")
    schemes = []
    for iri, props in about.items():
        types = {o.value for o in props.get(RDF_TYPE, []) if isinstance(o, ox.NamedNode)}
        if f"{SKOS}ConceptScheme" in types:
            concepts = [site.link(s, "en") for s, p in about.items()
                        if any(isinstance(o, ox.NamedNode) and o.value == iri
                               for o in p.get(f"{SKOS}inScheme", []))]
            schemes.append({"link": site.link(iri, "en"),
                            "concepts": sorted(concepts, key=lambda c: c.label.lower())})
    return {
        "iri": ontology,
        "titles": texts(ontology, f"{DCTERMS}title"),
        "descriptions": texts(ontology, f"{DCTERMS}description"),
        "version": [o.value for o in about[ontology].get(f"{OWL}versionInfo", [])],
        "sections": sections,
        "schemes": sorted(schemes, key=lambda s: s["link"].label.lower()),
    }
