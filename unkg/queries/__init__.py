"""The query library: named, documented SPARQL queries (`*.rq` files) and their runner."""

from unkg.queries.runner import (
    FORMATS,
    PARAMETER_TYPES,
    Parameter,
    StoredQuery,
    get_query,
    library,
    parse_query_file,
    query_frame,
    run,
    to_frame,
    write_result,
)

__all__ = [
    "FORMATS",
    "PARAMETER_TYPES",
    "Parameter",
    "StoredQuery",
    "get_query",
    "library",
    "parse_query_file",
    "query_frame",
    "run",
    "to_frame",
    "write_result",
]
