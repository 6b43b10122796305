"""Locate unkg's data files (ontology, shapes, vocabularies, authority lists) inside the package."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.abc import Traversable

_PREFIX_LINE = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]+)>\s*\.")


def data_file(name: str) -> Traversable:
    """A file under `unkg/ontology/`, e.g. `data_file("unkg.ttl")` or `data_file("vocab/x.ttl")`."""
    return resources.files(__package__).joinpath(name)


def data_files(folder: str) -> list[Traversable]:
    """All Turtle files of a folder under `unkg/ontology/` (vocab, authority), sorted by name."""
    root = resources.files(__package__).joinpath(folder)
    return sorted((f for f in root.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


@cache
def prefixes() -> dict[str, str]:
    """The project's prefix map, read from `prefixes.ttl` (the one place prefixes are declared)."""
    text = data_file("prefixes.ttl").read_text(encoding="utf-8")
    return {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}


# The IRIs the code names, once. `prefixes.ttl` declares the same namespaces for rdflib, JSON-LD
# and SHACL (tests/test_ontology.py checks that the two agree).
DEFAULT_BASE = "https://w3id.org/unkg/"  # the base of instance IRIs, unless configured
UNKG = "https://w3id.org/unkg/ontology#"
SHAPES = "https://w3id.org/unkg/shapes#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = RDF + "type"


def ontology_files() -> list[Traversable]:
    """What is published as the ontology (the store's ontology graph, `/ontology`): unkg.ttl,
    its alignment with UNDO, and the SKOS vocabularies."""
    return [data_file("unkg.ttl"), data_file("undo-alignment.ttl"), *data_files("vocab")]
