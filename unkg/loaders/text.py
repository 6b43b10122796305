"""Plain-text and Markdown UN documents (`.txt`, `.md`, gzipped too) → `Document`.

Hints (from a sidecar or front matter) may give symbol, language, type, date, title, session and
organ; the shared parser `unkg.extract.document.parse_text` lets them win over what it reads.
"""

from __future__ import annotations

from pathlib import Path

from unkg.extract.document import parse_text
from unkg.loaders.registry import Loader
from unkg.loaders.sources import read_source
from unkg.model import Document


def load_text(path: Path) -> list[Document]:
    src = read_source(Path(path))
    doc = parse_text(src.text, source=src.name, hints=src.hints)
    doc.checksum = src.checksum
    doc.loader = "text"
    return [doc]


LOADER = Loader(name="text", suffixes=(".txt", ".md", ".txt.gz", ".md.gz"), load=load_text)

__all__ = ["LOADER", "load_text"]
