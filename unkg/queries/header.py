"""The one header dialect of every `.rq` file, and its one parser.

Header format (comment lines at the top of each `.rq` file, one field per line; a line starting
with `#` and at least two spaces continues the previous field):

    # title: What a document cites
    # description: Every citation made by a document …
    #   … continued on the next line.
    # param: symbol (symbol) — UN symbol of the citing document
    # param: language (language, optional) — only paragraphs in this language
    # example: symbol=A/RES/69/12

A query without parameters has no `# param:` line. Parameter types:

    string    plain literal                     symbol    a UN symbol, normalised, plain literal
    iri       IRI or authority key (org/csto)   integer   xsd:integer
    date      xsd:date (YYYY-MM-DD)             language  a BCP 47 tag (plain literal, lower case)

`# text-index: para contains phrase` declares that `?para` is a node whose `unkg:text` contains
the string parameter `phrase` (see `unkg.queries.runner`). The header ends at the first line that
is not a comment; comments after it are the query's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from unkg.errors import QueryError

PARAMETER_TYPES = ("string", "symbol", "iri", "integer", "date", "language")

_FIELD = re.compile(r"^#\s*(title|description|param|example|text-index)\s*:\s*(.*)$")
_TEXT_INDEX = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+contains\s+([A-Za-z_][A-Za-z0-9_]*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)(?P<optional>\s*,\s*optional)?\)"
    r"\s*(?:[—–-]+\s*(?P<description>.*))?$"
)

@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    description: str = ""
    example: str | None = None
    optional: bool = False


@dataclass(frozen=True)
class StoredQuery:
    """One `.rq` file, as read from `unkg/queries/{folder}/{name}.rq`."""

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


def parse_query_file(name: str, text: str, *, folder: str | None = None) -> StoredQuery:
    """Parse a query file's header; a missing title or description or a malformed parameter
    line is a `QueryError` naming the file (`{folder}/{name}.rq`) and line."""
    path = f"{folder}/{name}.rq" if folder else f"{name}.rq"
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
