"""The query library: stored `.rq` files with a header, typed parameters, results as tables.

Header format (comment lines at the top of each `.rq` file, one field per line; a line starting
with `#` and at least two spaces continues the previous field):

    # title: What a document cites
    # description: Every citation made by a document …
    #   … continued on the next line.
    # param: symbol (symbol) — UN symbol of the citing document
    # param: language (language, optional) — only paragraphs in this language
    # example: symbol=A/RES/69/12

A parameter `NAME` is bound to the query variable `?NAME` as an RDF term, never pasted into the
text as a string: a VALUES block (`unkg.store.sparql.bind_values`) or, when `?NAME` is used only
as an argument of expressions in the query's top-level group (the pattern of a REGEX, the phrase
of a CONTAINS), the term serialised by pyoxigraph written in the variable's place
(`unkg.store.sparql.inline_terms`), so that engines see a constant (Oxigraph compiles a constant
regular expression once, not once per row). Either way the value is an escaped RDF term that
cannot change the query's structure, and the answer is the same. Parameter types:

    string    plain literal                     symbol    a UN symbol, normalised, plain literal
    iri       IRI or authority key (org/csto)   integer   xsd:integer
    date      xsd:date (YYYY-MM-DD)             language  a BCP 47 tag (plain literal, lower case)

An optional parameter that is not given stays unbound (the query tests it with `BOUND`).

`# text-index: para contains phrase` declares that `?para` is a node whose `unkg:text` contains
the string parameter `phrase`: on a store with a text index (`unkg.store.text_index`) the runner
restricts `?para` to the index's candidates first; the query's own filter still decides.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from unkg.errors import QueryError
from unkg.graph import iris
from unkg.queries.files import query_folder
from unkg.store.sparql import inline_terms, restrict_values

if TYPE_CHECKING:
    import pandas as pd

    from unkg.store import QueryResult, Store

PARAMETER_TYPES = ("string", "symbol", "iri", "integer", "date", "language")
FORMATS = ("table", "csv", "tsv", "json")

_FIELD = re.compile(r"^#\s*(title|description|param|example|text-index)\s*:\s*(.*)$")
_TEXT_INDEX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+contains\s+([A-Za-z_][A-Za-z0-9_]*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)(?P<optional>\s*,\s*optional)?\)"
    r"\s*(?:[—–-]+\s*(?P<description>.*))?$"
)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_AUTHORITY_KEY = re.compile(r"^[a-z][a-z0-9-]*/\S+$")
_OUTER_LIMIT = re.compile(r"\bLIMIT\s+\d+(\s+OFFSET\s+\d+)?\s*$|\bOFFSET\s+\d+\s*$", re.I)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    example: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class StoredQuery:
    """One query of the library, as read from `unkg/queries/NAME.rq`."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    examples: Mapping[str, str] = field(default_factory=dict)
    # (node variable, phrase parameter): `?node` may be narrowed by a store's text index
    text_index: tuple[str, str] | None = None

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def parse_query_file(name: str, text: str) -> StoredQuery:
    """Parse a stored query's header; a missing title or description or a malformed parameter
    line is a `QueryError` naming the file and line."""
    path = f"{name}.rq"
    fields: dict[str, list[str]] = {"title": [], "description": [], "param": [], "example": [],
                                    "text-index": []}
    last: tuple[str, int] | None = None  # (field, index) a continuation line extends
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _FIELD.match(stripped)
        if m:
            key, value = m.group(1), m.group(2).strip()
            fields[key].append(value)
            last = (key, len(fields[key]) - 1)
            continue
        c = _CONTINUATION.match(line.rstrip())
        if c and last:
            key, i = last
            fields[key][i] = f"{fields[key][i]} {c.group(1).strip()}"
            continue
        raise QueryError(f"header line not understood: {stripped!r}", path=path, line=number)
    for required in ("title", "description"):
        if len(fields[required]) != 1 or not fields[required][0]:
            raise QueryError(f"the header needs exactly one '# {required}:' line", path=path)
    examples: dict[str, str] = {}
    for ex in fields["example"]:
        key, sep, value = ex.partition("=")
        if not sep:
            raise QueryError(f"example must be 'name=value': {ex!r}", path=path)
        examples[key.strip()] = value.strip()
    params = []
    for spec in fields["param"]:
        m = _PARAM.match(spec)
        if not m:
            raise QueryError(f"param must be 'name (type[, optional]) — description': {spec!r}",
                             path=path)
        if m.group("type") not in PARAMETER_TYPES:
            raise QueryError(f"unknown parameter type {m.group('type')!r} "
                             f"(one of {', '.join(PARAMETER_TYPES)})", path=path)
        params.append(Parameter(name=m.group("name"), type=m.group("type"),
                                description=(m.group("description") or "").strip(),
                                example=examples.get(m.group("name")),
                                optional=bool(m.group("optional"))))
    unknown = set(examples) - {p.name for p in params}
    if unknown:
        raise QueryError(f"example for an undeclared parameter: {', '.join(sorted(unknown))}",
                         path=path)
    text_index = None
    for spec in fields["text-index"]:
        m = _TEXT_INDEX.match(spec)
        phrase = next((p for p in params if m and p.name == m.group(2)), None)
        if not m or len(fields["text-index"]) > 1 or phrase is None or phrase.optional \
                or phrase.type != "string" or f"?{m.group(1)}" not in text:
            raise QueryError("text-index must be 'NODE contains PHRASE' (once), NODE a variable "
                             f"of the query, PHRASE a required string parameter: {spec!r}",
                             path=path)
        text_index = (m.group(1), m.group(2))
    return StoredQuery(name=name, title=fields["title"][0], description=fields["description"][0],
                       parameters=tuple(params), text=text, examples=examples,
                       text_index=text_index)


@cache
def library() -> dict[str, StoredQuery]:
    """All stored queries, by name (the file name without `.rq`), sorted by name."""
    root = query_folder("library")
    found = {}
    for f in sorted(root.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name[:-3]
            found[name] = parse_query_file(name, f.read_text(encoding="utf-8"))
    return found


def get_query(name: str) -> StoredQuery:
    try:
        return library()[name]
    except KeyError:
        raise QueryError(f"no stored query named {name!r} (see `unkg queries`)") from None


# --- parameters ------------------------------------------------------------------------------

def _normalise_symbol(value: str, where: str) -> str:
    """Canonical UN symbol (`s/res/1631 (2005)` → `S/RES/1631(2005)`) with the loaders' grammar."""
    try:
        from unkg.extract.symbols import SymbolError, normalise
    except ImportError:  # pragma: no cover - the loaders ship with the package
        return value.strip()
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
        limit: int | None = None, base: str | None = None) -> QueryResult:
    """Run a stored query (by name) or SPARQL text on any store; parameters are bound.

    For SPARQL text, `params` are bound as given (rdflib terms or Python values).
    """
    if query in library():
        stored = library()[query]
        text, bindings = stored.text, bindings_for(stored, params, base=base)
        text = _narrow_by_text_index(store, stored, text, bindings)
    elif _looks_like_sparql(query):
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
    candidates = getattr(store, "text_candidates", None)
    if stored.text_index is None or candidates is None:
        return text
    node, phrase = stored.text_index
    found = candidates(str(bindings[phrase]))
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
        if value.startswith(root):
            return value[len(root):]
        return f"<{value}>"
    if isinstance(term, Literal) and term.language:
        return f"{term} @{term.language}"
    return str(term)


def write_result(result: QueryResult, out: io.TextIOBase | Any, fmt: str = "table", *,
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
    from rich.console import Console
    from rich.table import Table

    table = Table(*result.variables, show_lines=False)
    for row in result.rows:
        table.add_row(*(compact(t, base=base) for t in row))
    (console or Console(file=out, width=200)).print(table)
