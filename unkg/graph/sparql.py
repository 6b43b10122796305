"""Binding query parameters without pasting them into query text.

Every backend (embedded Oxigraph, rdflib, any remote SPARQL 1.1 server) gets the same mechanism: a
`VALUES` block holding the bound terms is placed at the start of the query's top-level group
pattern. Each value is serialised by pyoxigraph as an RDF term (escaped N-Triples syntax), so a
value can never change the query's structure: it is data, not text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from unkg.errors import QueryError

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _top_group_start(query: str) -> int:
    """Index of the `{` that opens the query's WHERE group (strings, IRIs, comments skipped)."""
    form = None
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            long_quote = query[i:i + 3] in ('"""', "'''")
            quote = query[i:i + 3] if long_quote else c
            j = i + len(quote)
            while j < n:
                if query[j] == "\\":
                    j += 2
                    continue
                if query.startswith(quote, j):
                    break
                j += 1
            i = j + len(quote)
            continue
        if c == "<":
            m = _IRI.match(query, i)
            if m:
                i = m.end()
                continue
        if form is None:
            m = _FORM.match(query, i)
            if m and (i == 0 or not (query[i - 1].isalnum() or query[i - 1] in "?$_")):
                form = m.group(1).upper()
                i = m.end()
                continue
        if c == "{":
            if form == "CONSTRUCT":
                # skip the template; the group pattern follows WHERE
                m = _WHERE.search(query, i)
                if not m:
                    raise QueryError("cannot bind parameters: CONSTRUCT without WHERE")
                i = m.end()
                form = "CONSTRUCT-WHERE"
                continue
            return i
        i += 1
    raise QueryError("cannot bind parameters: no group pattern found in the query")


def bind_values(query: str, bindings: Mapping[str, Any] | None) -> str:
    """Return `query` with `bindings` bound by a VALUES block (unchanged when there are none).

    Values are rdflib terms, pyoxigraph terms or plain Python values (str → plain literal,
    int/float/bool → typed literal).
    """
    if not bindings:
        return query
    from unkg.graph.store import to_oxigraph  # local: avoids a cycle at import time

    names, terms = [], []
    for name, value in bindings.items():
        name = name.lstrip("?$")
        if not _VAR_NAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        names.append(f"?{name}")
        terms.append(str(to_oxigraph(value)))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    at = _top_group_start(query) + 1
    return query[:at] + block + query[at:]
