"""The dataset's description for catalogues: VoID (statistics, partitions, endpoint, dumps) and DCAT
(licence, distributions, data service), as RDF computed from the store.

The fixed statements live in `dataset.ttl` (relative IRIs, resolved against the base IRI); the
counts come from the `dataset-*.rq` queries run over the union of named graphs.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import pyoxigraph as ox

from unkg import ontology
from unkg.graph.iris import _base
from unkg.ontology import DCTERMS, VOID, XSD
from unkg.queries.files import read_query
from unkg.store.oxigraph import select_union

RDF_TYPE = ox.NamedNode(ontology.RDF_TYPE)


@cache
def _data(name: str) -> str:
    return resources.files("unkg.serve").joinpath(name).read_text("utf-8")


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(f"{XSD}integer"))


def _select(store: ox.Store, name: str) -> list[ox.QuerySolution]:
    return list(select_union(store, read_query("serve", name).text))


def dataset_iri(base: str | None = None) -> str:
    return f"{_base(base)}dataset"


def describe_dataset(store: ox.Store, *, base: str | None = None,
                     modified: date | None = None) -> list[ox.Triple]:
    """VoID + DCAT description of the data in `store`, with IRIs under `base`."""
    base = _base(base)
    triples = list(ox.parse(_data("dataset.ttl"), format=ox.RdfFormat.TURTLE, base_iri=base))
    ds = ox.NamedNode(dataset_iri(base))

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
            ) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    counts = _select(store, "dataset-counts")[0]
    for var, prop in (("triples", "triples"), ("subjects", "distinctSubjects"),
                      ("objects", "distinctObjects"), ("properties", "properties")):
        add(ds, f"{VOID}{prop}", _int(int(counts[var].value)))
    classes = _select(store, "dataset-classes")
    add(ds, f"{VOID}classes", _int(len(classes)))
    entities = 0
    for row in classes:
        part = ox.BlankNode()
        add(ds, f"{VOID}classPartition", part)
        add(part, f"{VOID}class", row["class"])
        add(part, f"{VOID}entities", _int(int(row["entities"].value)))
        entities += int(row["entities"].value)
    add(ds, f"{VOID}entities", _int(entities))
    for row in _select(store, "dataset-properties"):
        part = ox.BlankNode()
        add(ds, f"{VOID}propertyPartition", part)
        add(part, f"{VOID}property", row["property"])
        add(part, f"{VOID}triples", _int(int(row["triples"].value)))
    for row in _select(store, "dataset-examples"):
        add(ds, f"{VOID}exampleResource", row["resource"])
    add(ds, f"{VOID}uriSpace", ox.Literal(base))
    today = (modified or date.today()).isoformat()
    add(ds, f"{DCTERMS}modified", ox.Literal(today, datatype=ox.NamedNode(f"{XSD}date")))
    return triples
