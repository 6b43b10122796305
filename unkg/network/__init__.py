"""The knowledge graph as networks: networkx projections (`projections`), analysis tables
(`analysis`) and Gephi-ready files and plots (`export`)."""

from unkg.network.analysis import (
    citation_backbone,
    communities,
    compare_periods,
    edge_table,
    ego_network,
    evidence,
    neighbours,
    node_table,
    rankings,
    resolve_node,
    slice_graph,
    time_slices,
    with_time_spells,
)
from unkg.network.export import export, plot, read_gexf, read_graphml
from unkg.network.projections import (
    CO_MENTION,
    EXPORT_FORMATS,
    NETWORK_KINDS,
    citation_network,
    local_name,
    mention_network,
    network_query,
    organisation_network,
    project,
)

__all__ = [
    "CO_MENTION", "EXPORT_FORMATS", "NETWORK_KINDS", "citation_backbone", "citation_network",
    "communities", "compare_periods", "edge_table", "ego_network", "evidence", "export",
    "local_name", "mention_network", "neighbours", "network_query", "node_table",
    "organisation_network", "plot", "project", "rankings", "read_gexf", "read_graphml",
    "resolve_node", "slice_graph", "time_slices", "with_time_spells",
]
