"""Loaders: one module per source format (each defines `LOADER`), plus the shared parsers
(symbols, dates, paragraphs, citations). `load_file(path)` picks the loader by suffix."""

from __future__ import annotations

from unkg.loaders.registry import Loader, load_file, loaders

__all__ = ["Loader", "load_file", "loaders"]
