"""Opening a store by backend name."""

from __future__ import annotations

from pathlib import Path

from unkg.errors import StoreError
from unkg.store.memory import MemoryStore
from unkg.store.oxigraph import OxigraphStore

BACKENDS = ("oxigraph", "memory")


def open_store(path: str | Path | None = None, *, backend: str = "oxigraph",
               read_only: bool = False) -> OxigraphStore | MemoryStore:
    """Open a store: embedded Oxigraph on disk at `path` (in memory when None), or rdflib memory."""
    if backend == "oxigraph":
        return OxigraphStore(path, read_only=read_only)
    if backend == "memory":
        if path is not None:
            raise StoreError("the memory backend keeps nothing on disk: give no path",
                             path=str(path))
        return MemoryStore()
    raise StoreError(f"unknown store backend {backend!r} (one of {', '.join(BACKENDS)})")

