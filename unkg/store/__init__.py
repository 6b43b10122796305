"""Stores: where the graph lives. One interface, several backends.

- `OxigraphStore` (`oxigraph.py`): embedded pyoxigraph, on disk (the default) or in memory.
- `MemoryStore` (`memory.py`): rdflib's in-memory Dataset (the fallback, and the reference in
  contract tests).
- `RemoteStore` (`remote.py`): any SPARQL 1.1 server (SPARQLWrapper + Graph Store Protocol).

Data goes in as pyoxigraph `Quad`s grouped by named graph (what `unkg.graph.build` produces) and
results come out as rdflib terms (`terms.py`). Writing is per unit of work: `replace_graphs` swaps a
set of named graphs all-or-nothing, so reloading a file is idempotent and a failure leaves the store
as it was. Queries see the union of all named graphs as their default graph unless they say
`GRAPH`. `sparql.py` binds parameters into query text; `text_index.py` keeps the paragraph index.
"""

from unkg.store.base import BulkLoadingStore, GraphPatch, QueryResult, Store
from unkg.store.memory import MemoryStore
from unkg.store.open import BACKENDS, open_store
from unkg.store.oxigraph import LOADING_GRAPH, STAGING_PREFIX, OxigraphStore, rdflib_dataset
from unkg.store.terms import (
    RdfTerm,
    bind_prefixes,
    new_rdflib_graph,
    ox_to_rdflib_quad,
    quads_to_nquads,
    rdf_format,
    to_oxigraph,
    to_rdflib,
)

__all__ = [
    "BACKENDS", "LOADING_GRAPH", "STAGING_PREFIX", "BulkLoadingStore", "GraphPatch", "MemoryStore",
    "OxigraphStore", "QueryResult", "RdfTerm", "Store", "bind_prefixes", "new_rdflib_graph",
    "open_store", "ox_to_rdflib_quad", "quads_to_nquads", "rdf_format", "rdflib_dataset",
    "to_oxigraph", "to_rdflib",
]
