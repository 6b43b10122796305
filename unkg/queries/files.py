"""The one home of every `.rq` file, `unkg/queries/{folder}/{name}.rq`, and its one reader.

Folders by audience: `library` (researchers' stored queries, run by name), `checks` (constraint
checks that must return no row), `internal` (the commands' own queries), `network` (network
projections), `serve` (pages and the dataset description of `unkg serve`). Every file has the
header of `unkg.queries.header`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.abc import Traversable

from unkg.queries.header import StoredQuery, parse_query_file

FOLDERS = ("library", "checks", "internal", "network", "serve")


def query_folder(folder: str) -> Traversable:
    """The folder of one audience's `.rq` files."""
    if folder not in FOLDERS:
        raise ValueError(f"no query folder {folder!r}; expected one of {', '.join(FOLDERS)}")
    return resources.files("unkg.queries").joinpath(folder)


@cache
def queries_in(folder: str) -> dict[str, StoredQuery]:
    """Every query of one folder, by name (the file name without `.rq`), sorted by name."""
    found = {}
    for f in sorted(query_folder(folder).iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name.removesuffix(".rq")
            found[name] = parse_query_file(name, f.read_text(encoding="utf-8"),
                                           folder=folder)
    return found


def read_query(folder: str, name: str) -> StoredQuery:
    """`unkg/queries/{folder}/{name}.rq`, its header parsed."""
    try:
        return queries_in(folder)[name]
    except KeyError:
        raise ValueError(f"no query {folder}/{name}.rq") from None
