"""The loader registry: one module per source format, discovered with `pkgutil`.

A loader module in `unkg.loaders` defines `LOADER = Loader(name=..., suffixes=(...), load=fn)` with
`load(path) -> list[Document]`. Adding a format means adding a module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from unkg.errors import InputError
from unkg.model import Document, check_document


@dataclass(frozen=True)
class Loader:
    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot; may be double: ".jsonl.gz"
    load: Callable[[Path], list[Document]]


@cache
def loaders() -> tuple[Loader, ...]:
    """Every loader defined in a module of `unkg.loaders`, sorted by name."""
    import unkg.loaders as package

    found: dict[str, Loader] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_") or info.name == "registry":
            continue
        module = importlib.import_module(f"unkg.loaders.{info.name}")
        loader = getattr(module, "LOADER", None)
        if isinstance(loader, Loader):
            found[loader.name] = loader
    return tuple(sorted(found.values(), key=lambda ld: ld.name))


def loader_for(path: Path) -> Loader:
    """The loader whose suffix ends the file name (longest suffix wins: `.jsonl.gz` over `.gz`)."""
    name = Path(path).name.lower()
    best: tuple[int, Loader] | None = None
    for loader in loaders():
        for suffix in loader.suffixes:
            if name.endswith(suffix.lower()) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), loader)
    if best is None:
        known = ", ".join(sorted({s for ld in loaders() for s in ld.suffixes}))
        raise InputError(f"no loader for this kind of file (known: {known})", path=str(path))
    return best[1]


def load_file(path: Path | str) -> list[Document]:
    """Load one source file with the loader its suffix selects."""
    path = Path(path)
    return [check_document(doc) for doc in loader_for(path).load(path)]
