"""Labels from the package's Turtle data compiled into fast regular expressions: a label's body
("…" a gap of words, any apostrophe, any dash), a one-letter lookahead to skip to candidates, and
a probe word to test before the regex. Shared by the citation functions and the named instruments.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


def turtle_triples(name: str, base: str | None = None) -> Iterator[Any]:
    """The triples of a Turtle data file of the package (pyoxigraph: fast, no graph built)."""
    import pyoxigraph

    from unkg.ontology import data_file

    return pyoxigraph.parse(data_file(name).read_bytes(), pyoxigraph.RdfFormat.TURTLE,
                            base_iri=base)


LETTERS = re.compile(r"[^\W\d_]+")


def skip_to(*bodies: str) -> str:
    """A lookahead for the first letters of regex bodies (when each starts with a letter): a
    one-character test that fails fast at most characters, before the costlier lookbehind. Under
    the pattern's own flags it takes exactly what the bodies' first letters take."""
    firsts = {body[:1] for body in bodies}
    if not firsts or not all(c.isalpha() for c in firsts):
        return ""
    return f"(?=[{''.join(sorted(firsts))}])"


def letter_runs(text: str) -> list[str]:
    """The runs of letters of a label, lower case (no apostrophe, hyphen or space): every text
    the label's pattern matches holds each of them."""
    return LETTERS.findall(text.lower())


def probe(text: str) -> str:
    """The longest run of letters of a label, lower case."""
    runs = letter_runs(text)
    return max(runs, key=len) if runs else ""


def label_body(text: str, gap_words: int) -> str:
    """Regex body of a label: "…" is a gap of up to `gap_words` words, any whitespace between
    words, either apostrophe, any hyphen or dash."""
    parts = [re.escape(p.strip()).replace(r"\ ", r"\s+") for p in text.split("…")]
    body = rf"(?:\s+\S+){{0,{gap_words}}}?\s+".join(p for p in parts if p)
    body = re.sub(r"['’]", "['’]", body)  # either apostrophe, in one pass
    return re.sub(r"\\-|–", "[-‐‑–—]", body)
