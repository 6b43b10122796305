"""What a raw text says before any analysis: its front matter hints and its content id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.DOTALL)
HINT_KEYS = ("symbol", "symbols", "language", "type", "date", "title")


def content_id(text: str) -> str:
    """Stable id of a text without a symbol: `sha256-` + 16 hex of its normalised text."""
    norm = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return "sha256-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def front_matter(text: str) -> tuple[dict[str, Any], int]:
    """`---` front matter with `key: value` lines → (hints, length of the front matter)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    hints: dict[str, Any] = {}
    for line in m.group("body").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in HINT_KEYS:
            hints[key.strip()] = value.strip().strip("\"'")
    return hints, m.end()
