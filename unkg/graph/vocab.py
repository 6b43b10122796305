"""The terms `unkg.graph.build` writes with: pyoxigraph nodes made once (our vocabulary, Dublin
Core, FOAF, PROV, RDFS, SKOS, the SKOS concepts of our schemes), typed literals, and the classes a
paragraph or an unknown entity gets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

import pyoxigraph as ox

from unkg import ontology
from unkg.ontology import XSD, prefixes
from unkg.ontology.namespace import UNKG

RDF_TYPE = ox.NamedNode(ontology.RDF_TYPE)


@lru_cache(maxsize=16384)
def iri_node(value: str) -> ox.NamedNode:
    """A pyoxigraph IRI node, made once: the builder names the same nodes and predicates many
    times per document, and building a node parses the IRI (the hot path of `build_document`)."""
    return ox.NamedNode(value)


class _Terms:
    """Nodes of one vocabulary by attribute (`U.cites`), each made on first use and then kept as
    a plain attribute (no `DefinedNamespace.__getattr__` on the hot path)."""

    def __init__(self, iri_of: Callable[[str], str]) -> None:
        self._iri_of = iri_of

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = ox.NamedNode(str(self._iri_of(name)))  # UNKG[...] fails on a term not in unkg.ttl
        setattr(self, name, node)
        return node


U = _Terms(lambda name: UNKG[name])
DCT = _Terms(lambda name: namespace("dcterms") + name)
FOAF = _Terms(lambda name: namespace("foaf") + name)
PROV = _Terms(lambda name: namespace("prov") + name)
RDFS = _Terms(lambda name: namespace("rdfs") + name)
SKOS = _Terms(lambda name: namespace("skos") + name)


def namespace(prefix: str) -> str:
    return prefixes()[prefix]


# Principal organs by symbol series (a cited document that is not loaded gets its organ from this).
SERIES_ORGANS = {"A": "org/general-assembly", "S": "org/security-council", "E": "org/ecosoc"}
ORGAN_NAMES = {"A": "General Assembly", "S": "Security Council", "E": "Economic and Social Council"}

PARAGRAPH_CLASSES = {
    "preambular": U.PreambularParagraph, "operative": U.OperativeParagraph,
    "footnote": U.Footnote, "body": U.BodyParagraph, "header": U.HeaderBlock,
    "signature": U.SignatureBlock,
}
# Entities named by a document but absent from the authority lists are typed from the mention.
MENTION_CLASSES = {
    "organization": (U.Organization,), "body": (U.UNBody,), "official": (U.Post,),
    "state": (U.State,), "person": (U.Person, FOAF.Person),
}


@cache
def concept(scheme: str, local: str) -> ox.NamedNode:
    """A vocabulary concept (`doctype:resolution`)."""
    return iri_node(namespace(scheme) + local)


@cache
def _datatype(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def xsd_literal(value: object, datatype: str) -> ox.Literal:
    """A literal of an XSD datatype (`"integer"`, `"date"` …); booleans as true/false."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return ox.Literal(str(value), datatype=_datatype(datatype))


_XSD_INTEGER = ox.NamedNode(XSD + "integer")


def integer_literal(value: int) -> ox.Literal:
    """`xsd_literal(value, "integer")` for an int (offsets, numbers: the most frequent literals)."""
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def text_literal(value: str, language: str | None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def organ_of_symbol(symbol: str) -> str | None:
    """Authority key of the principal organ from a symbol's series (A/… → GA, S/… → SC)."""
    return SERIES_ORGANS.get(symbol.split("/", 1)[0])
