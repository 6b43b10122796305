"""The query library: named, documented SPARQL queries (`*.rq` files) and their runner."""

from unkg.queries.header import PARAMETER_TYPES, Parameter, StoredQuery, parse_query_file
from unkg.queries.runner import (
    FORMATS,
    get_query,
    library,
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
