"""The reference data every store holds beside the documents: the ontology and the SKOS
vocabularies (`{base}graph/ontology`) and the authority lists (`{base}graph/authority`), parsed
from the package's Turtle files, and the checksum that says when they changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox

from unkg.errors import InputError
from unkg.graph import iris
from unkg.ontology import data_files, ontology_files


def _parse_into(files: Iterable, graph: str, *, base: str | None = None) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    quads: dict[ox.Quad, None] = {}
    for f in files:
        try:
            for q in ox.parse(f.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=base):
                quads[ox.Quad(q.subject, q.predicate, q.object, name)] = None
        except SyntaxError as err:
            raise InputError(f"bad Turtle: {err}", path=f"unkg/ontology/{f.name}") from err
    return list(quads)


def ontology_quads(*, base: str | None = None) -> list[ox.Quad]:
    """unkg.ttl, its UNDO alignment and the SKOS vocabularies, in `{base}graph/ontology`."""
    return _parse_into(ontology_files(), iris.graph_iri("ontology", base=base))


@cache
def _authority_cached(base: str) -> tuple[ox.Quad, ...]:
    return tuple(_parse_into(data_files("authority"), iris.graph_iri("authority", base=base),
                             base=base))


def authority_quads(*, base: str | None = None) -> list[ox.Quad]:
    """The authority lists (relative IRIs such as `<org/csto>` resolved against the base)."""
    return list(_authority_cached(iris._base(base)))


def reference_checksum() -> str:
    """sha256 of the ontology, vocabulary and authority files (reloaded when it changes)."""
    digest = hashlib.sha256()
    for f in [*ontology_files(), *data_files("authority")]:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()
