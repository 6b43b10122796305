"""JSON Lines corpora (`.jsonl`, `.jsonl.gz`) → one `Document` per record.

The format is the bulk corpus's (`shared/bulk/README.md`): one JSON object per line with at least
`text`, and usually `symbol`, `date`, `title`, `doc_type`, `language`, `session`, `body`. The text
goes through the shared text parser (`unkg.extract.document.parse_text`); the record's fields are
passed as hints, which win over what the parser reads in the text (the record says which document
it is; the text may be OCR-damaged).

Per-record errors: a line that is not a JSON object, is nested too deeply, is longer than the line
limit (`InputLimits`), has no text, or fails to parse is skipped; the other lines still load. The
file is streamed with bounded memory and a bounded decompressed size (`unkg.loaders.sources`).
Each skipped line is reported as a warning naming the file and line
(`file.jsonl.gz:17: reason; line skipped`) on the file's first loaded document, so a pipeline that
reports warnings per source file shows it; `load_jsonl_records` returns the same messages as a
separate list for callers that want them structured. A file with no loadable line at all raises
`InputError`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from unkg.errors import InputError, UnkgError
from unkg.loaders.registry import Loader
from unkg.loaders.sources import InputLimits, count_lines_of, iter_lines
from unkg.model import Document

# The bulk corpus's `doc_type` values → vocabulary document types.
DOC_TYPES = {
    "resolution": "resolution",
    "decision": "decision",
    "draft resolution": "draftResolution",
    "draft decision": "draftDecision",
    "draft amendment": "draftAmendment",
    "draft (l. document)": "document",
    "report": "report",
    "letter": "letter",
    "meeting record": "meetingRecord",
    "presidential statement": "presidentialStatement",
}
ORGANS = {
    "general assembly": "org/general-assembly",
    "security council": "org/security-council",
    "economic and social council": "org/ecosoc",
}


def record_hints(record: dict[str, Any]) -> dict[str, Any]:
    """The parser hints a bulk record gives: symbol, date, title, type, language, session, organ."""
    hints: dict[str, Any] = {}
    for key in ("symbol", "date", "title", "language"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            hints[key] = value.strip()
    doc_type = record.get("doc_type")
    if isinstance(doc_type, str) and doc_type.lower() in DOC_TYPES:
        hints["type"] = DOC_TYPES[doc_type.lower()]
    if record.get("session") is not None:
        hints["session"] = str(record["session"])
    body = record.get("body")
    if isinstance(body, str) and body.lower() in ORGANS:
        hints["organ"] = ORGANS[body.lower()]
    return hints


def _record_document(record: Any, *, source: str) -> Document:
    from unkg.extract.document import parse_text

    if not isinstance(record, dict):
        raise InputError(f"a record is a JSON object, not {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("the record has no text")
    return parse_text(text, source=source, hints=record_hints(record))


def count_lines(path: Path) -> int:
    """Number of lines (records) of a JSON Lines file, to split it into ranges."""
    return count_lines_of(Path(path))


def load_jsonl_records(path: Path, lines: tuple[int, int] | None = None
                       ) -> tuple[list[Document], list[str]]:
    """(documents, messages about skipped lines) of a JSON Lines file, or of its lines
    `first <= n < last` when `lines=(first, last)` is given (1-based; a big file is split into
    ranges parsed by different workers; the documents then carry no checksum: the caller has
    the whole file's)."""
    path = Path(path)
    limits = InputLimits.current()
    # The whole file's checksum is of every byte read; a range's documents carry none.
    digest = hashlib.sha256() if lines is None else None
    documents: list[Document] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    first, last = lines or (1, None)
    for lineno, raw in iter_lines(path, limits=limits, digest=digest):
        if lineno < first:
            continue
        if last is not None and lineno >= last:
            break
        where = f"{path.name}:{lineno}"
        if raw is None:
            problems.append(f"{where}: line longer than the limit of {limits.max_line_bytes} "
                            "bytes (UNKG_MAX_LINE_BYTES); line skipped")
            continue
        try:
            record = json.loads(raw)
            doc = _record_document(record, source=f"{path.name}#{lineno}")
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            problems.append(f"{where}: not a JSON line ({err}); line skipped")
            continue
        except RecursionError:
            problems.append(f"{where}: JSON nested too deeply; line skipped")
            continue
        except UnkgError as err:
            problems.append(f"{where}: {err.reason}; line skipped")
            continue
        except Exception as err:  # a record the parser cannot handle: the others still load
            problems.append(f"{where}: internal error: {type(err).__name__}: {err}; "
                            "line skipped")
            continue
        doc.loader = "jsonl"
        if doc.symbol:
            if doc.symbol in seen:
                doc.warnings.append(f"{where}: symbol {doc.symbol} also on line "
                                    f"{seen[doc.symbol]} of the same file")
            seen.setdefault(doc.symbol, lineno)
        documents.append(doc)
    checksum = digest.hexdigest() if digest is not None else None
    for doc in documents:
        doc.checksum = checksum
    return documents, problems


def load_jsonl(path: Path) -> list[Document]:
    """All loadable records; skipped lines are warnings on the first document (see above)."""
    documents, problems = load_jsonl_records(path)
    if not documents:
        reason = problems[0] if problems else "no record in the file"
        raise InputError(f"nothing loadable: {reason}", path=str(path))
    documents[0].warnings.extend(problems)
    return documents


LOADER = Loader(name="jsonl", suffixes=(".jsonl", ".jsonl.gz"), load=load_jsonl)
