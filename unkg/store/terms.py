"""RDF terms and serialisations between pyoxigraph (storage) and rdflib (what notebooks and
pandas users handle)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from unkg.errors import QueryError, StoreError
from unkg.ontology import XSD

RdfTerm = URIRef | Literal | BNode
# A term of a pyoxigraph quad (a quoted triple only in RDF-star data, which unkg never writes).
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


_XSD_STRING = XSD + "string"


def _string_literal(value: str, language: str | None) -> Literal:
    """`Literal(value, lang=language)` without the constructor's lexical round trip (a string's
    Python value is itself): the slots the constructor sets, ~10x faster. Used only if it gives
    exactly what the constructor gives (checked once below, and in the tests)."""
    literal = str.__new__(Literal, value)
    literal._language = language
    literal._datatype = None
    literal._value = value
    literal._ill_typed = None
    return literal


def _string_literal_is_exact() -> bool:
    for value, language in (("A/RES/59/50", None), ("Résolution", "fr")):
        fast, slow = _string_literal(value, language), Literal(value, lang=language)
        slots = ("_language", "_datatype", "_value", "_ill_typed")
        if not (fast == slow and all(getattr(fast, a) == getattr(slow, a) for a in slots)
                and set(Literal.__slots__) == set(slots)):
            return False
    return True


if not _string_literal_is_exact():  # pragma: no cover - another rdflib: use its constructor
    def _string_literal(value: str, language: str | None) -> Literal:
        return Literal(value, lang=language)


@lru_cache(maxsize=1 << 16)
def _cached_term(term: ox.NamedNode | ox.Literal) -> URIRef | Literal:
    """IRIs and typed literals repeat across rows (documents, counts, dates) and cost most to
    build (a typed literal's lexical form is parsed): build each once."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


_OX_XSD_STRING = ox.NamedNode(_XSD_STRING)


def to_rdflib(term: Any) -> RdfTerm | None:
    """pyoxigraph term → rdflib term (a query result cell); the same terms rdflib's own
    constructors give, made faster for the hundreds of thousands of cells of a big result."""
    # pyoxigraph's classes cannot be subclassed: an exact type test is the cheapest dispatch,
    # and comparing the datatype node skips building its IRI string (~15% of a conversion)
    kind = type(term)
    if kind is ox.Literal:
        if term.datatype == _OX_XSD_STRING:
            return _string_literal(term.value, None)
        language = term.language
        if language:
            return _string_literal(term.value, language)
        return _cached_term(term)
    if kind is ox.NamedNode:
        return _cached_term(term)
    if term is None:
        return None
    if kind is ox.BlankNode:
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def term_value(term: OxTerm) -> str:
    """The IRI, blank node id or lexical form of a pyoxigraph term."""
    if isinstance(term, ox.Triple):
        raise StoreError(f"unexpected RDF-star quoted triple {term}")
    return term.value


def to_rdflib_triple(triple: ox.Triple) -> tuple[RdfTerm, RdfTerm, RdfTerm]:
    """A CONSTRUCT result triple as rdflib terms."""
    s, p, o = (to_rdflib(t) for t in (triple.subject, triple.predicate, triple.object))
    if s is None or p is None or o is None:  # pragma: no cover - a triple has all three
        raise StoreError(f"incomplete triple {triple}")
    return s, p, o


def to_oxigraph(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term or plain Python value → pyoxigraph term (for bound query parameters)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, bool | int | float | str):
        return to_oxigraph(Literal(term))
    raise QueryError(f"cannot bind a value of type {type(term).__name__}: {term!r}")


_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG, "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML,
}


def to_oxigraph_triple(s: Any, p: Any, o: Any) -> ox.Triple:
    """rdflib (or Python) subject, predicate and object → a pyoxigraph triple."""
    subject, predicate, obj = to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise StoreError(f"not an RDF triple: {s} {p} {o}")
    return ox.Triple(subject, predicate, obj)


def rdf_format(name: str) -> ox.RdfFormat:
    try:
        return _FORMATS[name.lower()]
    except KeyError:
        raise StoreError(f"unknown RDF format {name!r} (one of {', '.join(sorted(_FORMATS))})") \
            from None


def quads_to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    buf = io.BytesIO()
    ox.serialize(quads, buf, format=ox.RdfFormat.N_QUADS)
    return buf.getvalue()


def bind_prefixes(graph: Any) -> Any:
    """Give an rdflib graph our prefixes (from prefixes.ttl) and none of rdflib's defaults."""
    from rdflib.namespace import NamespaceManager

    from unkg.ontology import prefixes

    graph.namespace_manager = NamespaceManager(graph, bind_namespaces="none")
    for prefix, ns in prefixes().items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def new_rdflib_graph(*, dataset: bool = False) -> Any:
    """An empty rdflib `Graph` (or union `Dataset`) with our prefixes only."""
    from rdflib import Dataset, Graph

    return bind_prefixes(Dataset(default_union=True) if dataset else Graph())


def ox_to_rdflib_quad(q: ox.Quad) -> tuple[Node, Node, Node, URIRef | None]:
    g = q.graph_name
    s, p, o = to_rdflib_triple(ox.Triple(q.subject, q.predicate, q.object))
    return s, p, o, URIRef(g.value) if isinstance(g, ox.NamedNode) else None

