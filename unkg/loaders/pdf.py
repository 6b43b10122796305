"""Official UN PDFs → `Document` (pypdf text layer, cleaned, then the shared text parser).

What the text layer of a UN PDF holds besides the document, and what this module does with it:

- the cover page's job number and barcode ("24-21660 (E)    191124", "*2421660*") → removed;
- the masthead read as one line with the symbol ("United Nations A/RES/79/9") → two lines, the
  symbol on its own as in the typeset page;
- running heads on every later page ("A/RES/79/150 / Observance of … / 24-24138 / 2/8", in either
  order on odd and even pages) → removed;
- footnotes at the foot of each page after a "_____" rule → kept, with their numbers, and moved
  after the body (one rule, then all footnotes in order) so that a paragraph broken by a page
  break reads as one paragraph again; the markers in the body stay where they are;
- compound words hyphenated across lines ("post-\\nconflict", "drug -\\nresistant") → joined with
  their hyphen (UN documents are set without word-division hyphens); soft hyphens dropped;
- words split by the extraction ("peacef ul") → joined when the joined word occurs elsewhere in
  the same document and the fragments do not.

A file that is not a readable PDF (truncated, garbage, encrypted with a password, no text layer)
raises an `InputError` naming the file; nothing of it is returned.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections import Counter
from pathlib import Path

from unkg.errors import InputError
from unkg.extract.layout import split_masthead
from unkg.loaders.registry import Loader
from unkg.loaders.sources import read_bytes
from unkg.model import Document

FOOTNOTE_RULE = "__________________"
_RULE = re.compile(r"^\s*_{5,}\s*$")
_JOB = r"\d{2}-\d{5}"
_JOB_LINE = re.compile(rf"^\s*{_JOB}\s*\([A-Z]\)(?:\s+\d{{6}})?\s*$")  # 18-18142 (E)    021118
_BARCODE = re.compile(r"^\s*\*\d{7,}\*\s*$")  # *1818142*
_PAGE_LINE = re.compile(rf"^\s*(?:{_JOB}\s+\d+/\d+|\d+/\d+\s+{_JOB})\s*$")  # 18-18142 2/5
_DATE_STAMP = re.compile(r"^\s*\d{6}\s*$")  # 021118 (date stamp split from the job number)
_HEAD_LINES = 8  # a running head never takes more lines than this at the top of a page
_HYPHEN_BREAK = re.compile(r"(\w) ?-[ \t]*\n[ \t]*(?=\w)")
_SPLIT_WORD = re.compile(r"\b([a-z]{2,}) ([a-z]{1,3})\b")
_WORD = re.compile(r"[A-Za-z]+")
_MIN_TEXT_CHARS_PER_PAGE = 20
_SPACES = re.compile(r"[ \t\u00a0]{2,}")

logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns on every odd xref; we report


def _read_pages(path: Path, data: bytes) -> list[str]:
    import pypdf
    from pypdf.errors import (
        DependencyError,
        FileNotDecryptedError,
        PdfReadError,
        PdfStreamError,
    )

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise InputError("not a PDF file (no %PDF header)", path=str(path))
    if b"%%EOF" not in data[-2048:]:
        # pypdf would try to rebuild a truncated file and return part of it: refuse instead.
        raise InputError("truncated PDF (no %%EOF marker at the end)", path=str(path))
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise InputError("encrypted PDF: a password is needed", path=str(path))
            except (NotImplementedError, FileNotDecryptedError) as err:
                raise InputError(f"encrypted PDF cannot be read: {err}", path=str(path)) from None
        return [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except DependencyError as err:
        raise InputError(f"this PDF needs a missing library: {err}", path=str(path)) from None
    except (PdfReadError, PdfStreamError, FileNotDecryptedError, ValueError, KeyError,
            TypeError, AttributeError, IndexError, RecursionError) as err:
        # pypdf signals damaged structure with a variety of exceptions; all mean "unreadable".
        raise InputError(f"damaged PDF: {type(err).__name__}: {err}", path=str(path)) from None
    except Exception as err:  # anything else pypdf raises on a hostile file: still unreadable
        raise InputError(f"damaged PDF: {type(err).__name__}: {err}", path=str(path)) from None


def _strip_running_head(lines: list[str]) -> list[str]:
    """Drop the running head at the top of a page (it ends with the job/page-number line)."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        if _PAGE_LINE.match(line):
            return lines[i + 1:]
    return lines


def _is_furniture(line: str) -> bool:
    return bool(_JOB_LINE.match(line) or _BARCODE.match(line) or _PAGE_LINE.match(line))


def _split_page(text: str, first: bool) -> tuple[list[str], list[str]]:
    """(body lines, footnote lines) of one page, furniture removed."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
    if not first:
        lines = _strip_running_head(lines)
    body: list[str] = []
    notes: list[str] = []
    target = body
    for line in lines:
        if _RULE.match(line):
            target = notes
            continue
        if _is_furniture(line) or (first and _DATE_STAMP.match(line)):
            continue
        # pypdf pads footnote markers and justified gaps with runs of spaces ("Court, 7  and").
        line = _SPACES.sub(" ", line.strip())
        masthead = split_masthead(line) if first and len(body) < _HEAD_LINES else None
        if masthead:
            target += masthead
            continue
        target.append(line)
    if not first:
        while body and not body[0]:
            body.pop(0)
    while body and not body[-1]:
        body.pop()
    return body, [n for n in notes if n]


def _repair_split_words(text: str) -> str:
    """Join "peacef ul" when "peaceful" is a word of the document and the fragments are not."""
    words = Counter(w.lower() for w in _WORD.findall(text))

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        joined = left + right
        if words.get(joined, 0) and (not words.get(left) or words[left] <= 1) \
                and words.get(right, 0) <= 1:
            return joined
        return m.group(0)

    return _SPLIT_WORD.sub(join, text)


def clean_pdf_text(pages: list[str]) -> str:
    """The document text of a UN PDF from its pages' text layers (see the module docstring)."""
    body_lines: list[str] = []
    footnotes: list[str] = []
    for n, page in enumerate(pages):
        body, notes = _split_page(page, first=(n == 0))
        body_lines += body  # a page break is no paragraph break: pages simply continue
        footnotes += notes
    text = "\n".join(body_lines)
    if footnotes:
        text += "\n\n" + FOOTNOTE_RULE + "\n" + "\n".join(footnotes)
    text = text.replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub(r"\1-", text)
    text = _repair_split_words(text)
    return text.strip() + "\n"


def load_pdf(path: Path) -> list[Document]:
    """One UN PDF → one `Document` (raises `InputError` for unreadable or image-only files)."""
    from unkg.extract.document import parse_text

    path = Path(path)
    data = read_bytes(path, text=False)  # bounded; refuses what is not a regular file
    pages = _read_pages(path, data)
    if not pages:
        raise InputError("PDF without pages", path=str(path))
    chars = sum(len(p.strip()) for p in pages)
    if chars < _MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise InputError("PDF without a text layer (a scanned image?); OCR it first",
                         path=str(path))
    text = clean_pdf_text(pages)
    doc = parse_text(text, source=path.name, hints=None)
    doc.loader = "pdf"
    doc.checksum = hashlib.sha256(data).hexdigest()
    return [doc]


LOADER = Loader(name="pdf", suffixes=(".pdf",), load=load_pdf)
