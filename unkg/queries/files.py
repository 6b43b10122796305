"""The one home of every `.rq` file: `unkg/queries/{folder}/{name}.rq`.

Folders by audience: `library` (researchers' stored queries, run by name), `checks` (constraint
checks that must return no row), `internal` (the commands' own queries), `network` (network
projections), `serve` (pages and the dataset description of `unkg serve`).
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable

FOLDERS = ("library", "checks", "internal", "network", "serve")


def query_folder(folder: str) -> Traversable:
    """The folder of one audience's `.rq` files."""
    if folder not in FOLDERS:
        raise ValueError(f"no query folder {folder!r}; expected one of {', '.join(FOLDERS)}")
    return resources.files("unkg.queries").joinpath(folder)


def query_text(folder: str, name: str) -> str:
    """Text of `unkg/queries/{folder}/{name}.rq`."""
    return query_folder(folder).joinpath(f"{name}.rq").read_text(encoding="utf-8")
