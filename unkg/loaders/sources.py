"""Reading source files safely: decoding, checksums, front matter and sidecar hints.

Every refusal is an `InputError` naming the file, the line when there is one, and the reason.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unkg.errors import InputError
from unkg.extract.source_text import HINT_KEYS, front_matter


@dataclass
class Source:
    """A decoded source file."""

    path: Path
    name: str
    text: str
    checksum: str  # sha256 of the bytes as stored
    hints: dict[str, Any]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes as stored, read in chunks (files may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", path=str(path)) from None
    if path.name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise InputError(f"truncated or corrupt gzip data ({err})", path=str(path)) from None
    return data


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM is dropped); refuse empty, binary and non-UTF-8 data with the line."""
    if not data.strip():
        raise InputError("empty file", path=path)
    if b"\x00" in data[:8192]:
        raise InputError("binary file (NUL bytes), not a text", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})",
            path=path,
            line=line,
        ) from None
    controls = sum(
        1 for ch in text[:8192] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 8:
        raise InputError("binary file (control characters), not a text", path=path)
    return text


def sidecar_hints(path: Path) -> dict[str, Any]:
    """Hints from `NAME.meta.json` beside the file (symbol, language, type, date, title)."""
    name = path.name
    for suffix in (".gz",):
        name = name.removesuffix(suffix)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    for candidate in (path.with_name(f"{stem}.meta.json"), path.with_name(f"{name}.meta.json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
                raise InputError(f"unreadable sidecar: {err}", path=str(candidate)) from None
            if not isinstance(data, dict):
                raise InputError("sidecar must hold a JSON object", path=str(candidate))
            return {k: v for k, v in data.items() if k in HINT_KEYS}
    return {}


def read_source(path: Path) -> Source:
    """Read, decode and fingerprint a text file; collect front-matter and sidecar hints."""
    data = read_bytes(path)
    text = decode(data, str(path))
    hints = sidecar_hints(path)
    fm, _ = front_matter(text)
    hints = {**fm, **hints}
    return Source(path=path, name=path.name, text=text, checksum=sha256_bytes(data), hints=hints)
