"""The query library: stored `.rq` files with a header, typed parameters, results as tables.

The header of each file is read by `unkg.queries.header` (its format is documented there).

A parameter `NAME` is bound to the query variable `?NAME` as an RDF term, never pasted into the
text as a string: a VALUES block (`unkg.store.sparql.bind_values`) or, when `?NAME` is used only
as an argument of expressions in the query's top-level group (the pattern of a REGEX, the phrase
of a CONTAINS), the term serialised by pyoxigraph written in the variable's place
(`unkg.store.sparql.inline_terms`), so that engines see a constant (Oxigraph compiles a constant
regular expression once, not once per row). Either way the value is an escaped RDF term that
cannot change the query's structure, and the answer is the same.

An optional parameter that is not given stays unbound (the query tests it with `BOUND`).

`# text-index: para contains phrase` declares that `?para` is a node whose `unkg:text` contains
the string parameter `phrase`: on a store with a text index (`unkg.store.text_index`) the runner
restricts `?para` to the index's candidates first; the query's own filter still decides.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from unkg.errors import QueryError, SymbolError
from unkg.graph import iris
from unkg.queries.files import queries_in
from unkg.queries.header import Parameter, StoredQuery
from unkg.store.sparql import inline_terms, restrict_values

if TYPE_CHECKING:
    import pandas as pd

    from unkg.store import QueryResult, Store

FORMATS = ("table", "csv", "tsv", "json")

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_AUTHORITY_KEY = re.compile(r"^[a-z][a-z0-9-]*/\S+$")
_OUTER_LIMIT = re.compile(r"\bLIMIT\s+\d+(\s+OFFSET\s+\d+)?\s*$|\bOFFSET\s+\d+\s*$", re.I)


def library() -> dict[str, StoredQuery]:
    """All stored queries of the library, by name (the file name without `.rq`), sorted."""
    return queries_in("library")


def get_query(name: str) -> StoredQuery:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no stored query named {name!r} (see `unkg queries`)") from None


# --- parameters ------------------------------------------------------------------------------

def _normalise_symbol(value: str, where: str) -> str:
    """Canonical UN symbol (`s/res/1631 (2005)` → `S/RES/1631(2005)`) with the loaders' grammar."""
    from unkg.extract.symbols import normalise

    try:
        return normalise(value)
    except SymbolError:
        raise QueryError(f"{where}: not a UN document symbol: {value!r}") from None


def convert_parameter(param: Parameter, value: Any, *, base: str | None = None) -> Any:
    """A parameter value (usually a string from the command line) → the RDF term to bind."""
    if isinstance(value, URIRef | Literal):
        return value
    text = str(value).strip()
    where = f"parameter {param.name!r} ({param.type})"
    if not text:
        raise QueryError(f"{where}: empty value")
    if param.type == "string":
        return Literal(text)
    if param.type == "symbol":
        return Literal(_normalise_symbol(text, where))
    if param.type == "iri":
        if "://" in text or text.startswith("urn:"):
            if any(c in text for c in ' <>"{}|^`\\'):
                raise QueryError(f"{where}: not an IRI: {text!r}")
            return URIRef(text)
        if _AUTHORITY_KEY.match(text):
            return URIRef(iris.entity_iri(text, base=base))
        raise QueryError(f"{where}: expected an IRI or an authority key such as org/csto, "
                         f"got {text!r}")
    if param.type == "integer":
        if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
            raise QueryError(f"{where}: expected an integer, got {text!r}")
        return Literal(int(text), datatype=XSD.integer)
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise QueryError(f"{where}: expected a date YYYY-MM-DD, got {text!r}") from None
        return Literal(day.isoformat(), datatype=XSD.date)
    if param.type == "language":
        if not _LANGUAGE.match(text):
            raise QueryError(f"{where}: expected a language tag such as fr or en, got {text!r}")
        return Literal(text.lower())
    raise QueryError(f"{where}: unknown parameter type")  # pragma: no cover - checked on load


def bindings_for(query: StoredQuery, params: Mapping[str, Any] | None,
                 *, base: str | None = None) -> dict[str, Any]:
    """Check and convert the given parameters: unknown or missing ones are a `QueryError`."""
    params = dict(params or {})
    declared = {p.name for p in query.parameters}
    unknown = sorted(set(params) - declared)
    if unknown:
        expected = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)} "
                         f"(parameters: {expected})")
    bound: dict[str, Any] = {}
    for p in query.parameters:
        if p.name in params and params[p.name] is not None:
            bound[p.name] = convert_parameter(p, params[p.name], base=base)
        elif not p.optional:
            raise QueryError(f"query {query.name!r} needs the parameter {p.name!r} ({p.type}): "
                             f"{p.description}")
    return bound


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`["symbol=A/RES/59/50", …]` → dict; a pair without `=` is a `QueryError`."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"a parameter must be given as name=value, got {pair!r}")
        out[key.strip()] = value
    return out


# --- running -----------------------------------------------------------------------------------

def with_limit(sparql: str, limit: int | None) -> str:
    """Append `LIMIT n` to a query whose outer level has none (n is an int we format)."""
    if limit is None:
        return sparql
    if limit < 0:
        raise QueryError(f"--limit must be positive, got {limit}")
    body = "\n".join(line.split("#", 1)[0] if line.lstrip().startswith("#") else line
                     for line in sparql.splitlines()).rstrip()
    if _OUTER_LIMIT.search(body):
        return sparql
    return f"{sparql.rstrip()}\nLIMIT {int(limit)}\n"


def run(store: Store, query: str, params: Mapping[str, Any] | None = None, *,
        limit: int | None = None, base: str | None = None, adhoc: bool = False) -> QueryResult:
    """Run a stored query (by name) or SPARQL text on any store; parameters are bound.

    For SPARQL text, `params` are bound as given (rdflib terms or Python values). With `adhoc`
    the text is SPARQL, never a name (a misspelt keyword is then a syntax error).
    """
    if not adhoc and query in library():
        stored = library()[query]
        text, bindings = stored.text, bindings_for(stored, params, base=base)
        text = _narrow_by_text_index(store, stored, text, bindings)
    elif adhoc or _looks_like_sparql(query):
        text, bindings = query, dict(params or {})
    else:
        raise QueryError(f"no stored query named {query!r} (see `unkg queries`)")
    text, bindings = inline_terms(with_limit(text, limit), bindings)
    result = store.query(text, bindings or None)
    if limit is not None and result.kind == "select" and len(result.rows) > limit:
        result.rows = result.rows[:limit]
    return result


def _narrow_by_text_index(store: Store, stored: StoredQuery, text: str,
                          bindings: Mapping[str, Any]) -> str:
    """Restrict the query's text node to the store's text-index candidates for the phrase, when
    the query declares it and the store has an index that can answer (`unkg.store.text_index`).
    The query still tests each candidate itself, so the answer is the same as without."""
    if stored.text_index is None:
        return text
    node, phrase = stored.text_index
    found = store.text_candidates(str(bindings[phrase]))
    return text if found is None else restrict_values(text, node, [URIRef(n) for n in found])


def _looks_like_sparql(text: str) -> bool:
    return bool(re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.I))


def query_frame(store: Store, query: str, params: Mapping[str, Any] | None = None, *,
                limit: int | None = None, base: str | None = None) -> pd.DataFrame:
    """Run a query and return a DataFrame (see `to_frame`)."""
    return to_frame(run(store, query, params, limit=limit, base=base))


# --- results -------------------------------------------------------------------------------------

_PYTHON_DATATYPES = {
    str(XSD.integer), str(XSD.int), str(XSD.long), str(XSD.decimal), str(XSD.double),
    str(XSD.float), str(XSD.boolean), str(XSD.date), str(XSD.nonNegativeInteger),
    str(XSD.positiveInteger),
}


def cell_value(term: Any) -> Any:
    """A result term for a DataFrame cell: numbers, booleans and dates become Python values;
    IRIs stay `URIRef` and strings stay `Literal` (a `str` that keeps its language tag)."""
    if term is None:
        return None
    if isinstance(term, Literal) and term.datatype and str(term.datatype) in _PYTHON_DATATYPES:
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, int | float | bool | dt.date):
            return value
    return term


def to_frame(result: QueryResult) -> pd.DataFrame:
    """SELECT rows → DataFrame with one column per variable (ASK → one `boolean` cell)."""
    import pandas as pd

    if result.kind == "ask":
        return pd.DataFrame({"boolean": [bool(result.boolean)]})
    if result.kind == "graph":
        return pd.DataFrame([list(t) for t in result.triples],
                            columns=["subject", "predicate", "object"], dtype=object)
    frame = pd.DataFrame([[cell_value(t) for t in row] for row in result.rows],
                         columns=list(result.variables), dtype=object)
    return frame


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


def _term_ntriples(term: Any) -> str:
    from unkg.store import to_oxigraph

    return "" if term is None else str(to_oxigraph(term))


def compact(term: Any, *, base: str | None = None) -> str:
    """A short human form of a term for tables: IRIs as prefixed names (instance IRIs relative
    to the base), literals as their text with an `@lang` suffix."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        from unkg.ontology import prefixes

        best = ("", "")
        for prefix, ns in prefixes().items():
            if value.startswith(ns) and len(ns) > len(best[1]):
                best = (prefix, ns)
        if best[1] and re.fullmatch(r"[\w.-]*", value[len(best[1]):]):
            return f"{best[0]}:{value[len(best[1]):]}"
        root = iris._base(base)
        if value.startswith(root + "doc/"):  # a document by its symbol (or content id)
            return value[len(root) + 4:]
        if value.startswith(root):
            return value[len(root):]
        return f"<{value}>"
    if isinstance(term, Literal) and term.language:
        return f"{term} @{term.language}"
    return str(term)


def write_result(result: QueryResult, out: IO[str], fmt: str = "table", *,
                 base: str | None = None, console: Any = None) -> None:
    """Write a result as a table, the W3C SPARQL 1.1 CSV/TSV formats or SPARQL results JSON."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if result.kind == "graph":
        from unkg.store import to_oxigraph

        for s, p, o in result.triples:
            out.write(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} .\n")
        return
    if fmt == "json":
        if result.kind == "ask":
            doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
        else:
            doc = {"head": {"vars": list(result.variables)},
                   "results": {"bindings": [
                       {v: _term_json(t) for v, t in zip(result.variables, row, strict=True)
                        if t is not None} for row in result.rows]}}
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    if result.kind == "ask":
        out.write(("true" if result.boolean else "false") + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else str(t) for t in row])
        return
    if fmt == "tsv":
        out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            out.write("\t".join(_term_ntriples(t) for t in row) + "\n")
        return
    import os

    from rich.console import Console
    from rich.table import Table

    cells = [[compact(t, base=base) for t in row] for row in result.rows]
    table = Table(show_lines=False)
    for i, name in enumerate(result.variables):
        # Values wrap, never cut (a cut key is a wrong key); the first column, the key, keeps
        # its values on one line.
        key = max((len(row[i]) for row in cells), default=0) if i == 0 else 0
        table.add_column(name, overflow="fold", no_wrap=i == 0,
                         min_width=min(max(key, len(name)), 48) if i == 0 else None)
    for cell_row in cells:
        table.add_row(*cell_row)
    # Not a terminal: $COLUMNS when set (rich reads it), else wide enough for most tables.
    width = None if os.environ.get("COLUMNS") else 200
    (console or Console(file=out, width=width)).print(table)
