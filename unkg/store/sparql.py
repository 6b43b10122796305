"""Binding query parameters without pasting them into query text.

Every backend (embedded Oxigraph, rdflib, any remote SPARQL 1.1 server) gets the same mechanism: a
`VALUES` block holding the bound terms is placed at the start of the query's top-level group
pattern. Each value is serialised by pyoxigraph as an RDF term (escaped N-Triples syntax), so a
value can never change the query's structure: it is data, not text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pyoxigraph as ox

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
    from unkg.store import to_oxigraph  # local: avoids a cycle at import time

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


def restrict_values(query: str, name: str, values: Sequence[Any]) -> str:
    """Return `query` with `?name` restricted to `values` by a one-variable VALUES block at the
    start of its top-level group (no values: no solutions)."""
    from unkg.store import to_oxigraph  # local: avoids a cycle at import time

    name = name.lstrip("?$")
    if not _VAR_NAME.match(name):
        raise QueryError(f"not a SPARQL variable name: {name!r}")
    terms = " ".join(str(to_oxigraph(v)) for v in values)
    at = _top_group_start(query) + 1
    return f"{query[:at]} VALUES ?{name} {{ {terms} }} {query[at:]}"


# --- terms written in place of expression variables ----------------------------------------------

# One token of SPARQL text; strings, IRIs and comments are whole tokens, so nothing inside them is
# ever taken for a variable or a bracket.
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_][\w-]*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
# Inside these calls a variable cannot be replaced by a term (BOUND needs a variable, VALUES
# lists variables).
_VARIABLE_ONLY = frozenset({"BOUND", "VALUES"})


def _expression_variables(query: str) -> tuple[dict[str, list[tuple[int, int]]], set[str]]:
    """Occurrences of variables that are arguments of expressions in the query's top level
    (name → spans), and the names that also occur anywhere else."""
    spans: dict[str, list[tuple[int, int]]] = {}
    elsewhere: set[str] = set()
    # one entry per open bracket: [bracket, word before it, opens a subquery]
    stack: list[list[Any]] = []
    last_word = previous = ""
    star_select = False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        text = m.group()
        if kind == "word":
            word = text.upper()
            if word == "SELECT" and stack:
                stack[-1][2] = True  # a nested SELECT: its group has its own scope
            last_word = word
        elif kind == "open":
            stack.append([text, last_word if previous == last_word else "", False])
        elif kind == "close":
            if stack:
                stack.pop()
        elif kind == "other" and text == "*" and previous in ("SELECT", "DISTINCT", "REDUCED") \
                and not stack:
            star_select = True  # SELECT * projects every variable: keep them all variables
        elif kind == "var":
            name = text[1:]
            in_expression = (bool(stack) and stack[-1][0] == "(" and previous != "AS"
                             and stack[-1][1] not in _VARIABLE_ONLY
                             and not any(entry[2] for entry in stack))
            if in_expression:
                spans.setdefault(name, []).append(m.span())
            else:
                elsewhere.add(name)
        previous = text.upper() if kind == "word" else text
    if star_select:
        elsewhere.update(spans)
    return spans, elsewhere


def inline_terms(query: str, bindings: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """Write bound terms in place of variables used only as expression arguments.

    A parameter whose variable occurs only inside function calls and operators of the query's
    top-level group (e.g. the pattern of `REGEX(?title, ?pattern, "i")`) is replaced there by
    its RDF term, serialised by pyoxigraph exactly as in a VALUES block (an escaped N-Triples
    term is a SPARQL term, so the value cannot change the query's structure). The answer is the
    one the VALUES block gives, but engines see a constant: Oxigraph, for instance, compiles a
    constant regular expression once instead of once per row. Every other binding (a variable
    also used in a triple pattern, projected, in `BOUND` or in a subquery; a blank node) is
    returned for `bind_values`.
    """
    if not bindings:
        return query, {}
    from unkg.store import to_oxigraph  # local: avoids a cycle at import time

    spans, elsewhere = _expression_variables(query)
    remaining: dict[str, Any] = {}
    replacements: list[tuple[int, int, str]] = []
    for key, value in bindings.items():
        name = key.lstrip("?$")
        if not _VAR_NAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        term = to_oxigraph(value)
        if name not in spans or name in elsewhere or isinstance(term, ox.BlankNode):
            remaining[key] = value
            continue
        # spaces: a term never fuses with its neighbours (`<` + IRI would read as `<<`)
        replacements.extend((start, end, f" {term} ") for start, end in spans[name])
    for start, end, text in sorted(replacements, reverse=True):
        query = query[:start] + text + query[end:]
    return query, remaining


# --- what a query asks for, from its parse tree ------------------------------------------------

@dataclass(frozen=True)
class QueryShape:
    """What a query reaches beyond its pattern matching, read from rdflib's parse of it (not
    from its text: keywords may be in any case, after comments, or written with `\\u` escapes,
    and IRIs may be prefixed names)."""

    services: tuple[str | None, ...] = ()  # SERVICE endpoints (None: a variable)
    from_graphs: tuple[str, ...] = ()  # FROM
    from_named: tuple[str, ...] = ()  # FROM NAMED

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)


def query_shape(query: str, base_iri: str | None = None) -> QueryShape | None:
    """The SERVICE endpoints and the FROM / FROM NAMED graphs of a SPARQL query or update; None
    when rdflib's parser cannot read it (pyoxigraph accepts a few extensions rdflib does not)."""
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    parsed: Any
    try:
        try:
            parsed = parseQuery(query)
            prologue = translatePrologue(parsed[0], base_iri)
        except Exception:  # maybe an update; anything unreadable is None below
            parsed = parseUpdate(query)
            declarations = parsed.prologue[0] if parsed.prologue else cast(Any, [])
            prologue = translatePrologue(declarations, base_iri)
    except Exception:  # pyparsing errors, RecursionError on deep nesting
        return None

    def iri(term: object) -> str | None:
        if isinstance(term, CompValue) and term.name == "pname":
            # dict.get: CompValue.get answers the key itself for a missing key
            return str(prologue.resolvePName(dict.get(term, "prefix") or "",
                                             dict.get(term, "localname") or ""))
        if isinstance(term, URIRef):
            return str(prologue.absolutize(term))
        if isinstance(term, Variable):
            return None
        raise ValueError(f"unexpected term {term!r}")

    services: list[str | None] = []
    from_graphs: list[str] = []
    from_named: list[str] = []
    stack: list[object] = [parsed]
    try:
        while stack:  # iterative: a deeply nested query must not exhaust the Python stack
            node = stack.pop()
            if isinstance(node, CompValue):
                if node.name == "ServiceGraphPattern":
                    services.append(iri(dict.get(node, "term")))
                elif node.name == "DatasetClause":
                    if dict.get(node, "default") is not None:
                        from_graphs.append(iri(dict.get(node, "default")) or "")
                    if dict.get(node, "named") is not None:
                        from_named.append(iri(dict.get(node, "named")) or "")
                stack.extend(node.values())
            elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
                stack.extend(node)  # type: ignore[arg-type]
    except Exception:  # an unknown prefix: the engine reports the syntax error
        return None
    return QueryShape(tuple(services), tuple(from_graphs), tuple(from_named))


def may_have_dataset(query: str) -> bool:
    """False when the query certainly has no FROM / FROM NAMED clause: no FROM keyword outside
    strings, IRIs and comments, and no `\\u` escape that could spell one. A cheap test, so that
    the many queries without one are not parsed again (rdflib's parser takes tens of ms)."""
    if "\\u" in query or "\\U" in query:
        return True
    return any(m.lastgroup == "word" and m.group().upper() == "FROM"
               for m in _TOKEN.finditer(query))
