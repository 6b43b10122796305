"""Fuzzing the loaders and the graph builder with hostile inputs (issue #18).

Hypothesis generates texts, JSON Lines, MARCXML and PDFs built from UN wording, numbers, symbols,
control characters, deep nesting, bad dates and language tags, XML entities and damaged PDF bytes.
For each input, loading it (and building the graph of what loads) must:
- raise nothing but `InputError` (no other exception escapes);
- finish within `CALL_SECONDS`, with the process's peak memory under `PEAK_BYTES`;
- give no ill-typed date literal and no invalid language tag;
- leave the store unchanged when the file is refused (JSON Lines and MARCXML through a store).

Two profiles: the test suite's short one (a few seconds), and `make fuzz`'s long one
(`UNKG_FUZZ=long`: fresh random runs of every target until `UNKG_FUZZ_SECONDS`, default 600 s
in all, are spent).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unkg.errors import InputError
from unkg.graph.build import build_document
from unkg.graph.load import load_files
from unkg.loaders.registry import load_file
from unkg.store.oxigraph import OxigraphStore

LONG = os.environ.get("UNKG_FUZZ") == "long"
TARGETS = 5
SECONDS_PER_TARGET = float(os.environ.get("UNKG_FUZZ_SECONDS", "600")) / TARGETS if LONG else 0
EXAMPLES = 200 if LONG else 10
CALL_SECONDS = 20.0
PEAK_BYTES = 2 * 1024 ** 3
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_LANGUAGE = "http://www.w3.org/2001/XMLSchema#language"


def fuzz(strategy: st.SearchStrategy[Any], check: Callable[[Any], None]) -> None:
    """Run `check` on examples of `strategy`: one Hypothesis run (short profile), or fresh runs
    until this target's share of the long profile's time is spent."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not LONG,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        started = time.monotonic()
        check(value)
        elapsed = time.monotonic() - started
        assert elapsed < CALL_SECONDS, f"one call took {elapsed:.1f} s"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        assert peak < PEAK_BYTES, f"peak memory {peak / 2**20:.0f} MiB"

    deadline = time.monotonic() + SECONDS_PER_TARGET
    run()
    while time.monotonic() < deadline:
        run()


# --- strategies ------------------------------------------------------------------------------

WORDS = ["Recalling", "Rappelant", "Welcoming", "Se félicitant", "Takes note of", "Prend acte",
         "Requests", "Prie", "Decides", "resolution", "résolution", "resolutions", "decision",
         "décision", "A/RES/", "S/RES/", "A/", "E/", "/Add.1", "/Rev.2", "PV.", "L.", "Corr.1",
         "General Assembly", "Assemblée générale", "Security Council", "Conseil de sécurité",
         "Secretary-General", "African Union", "Union africaine", "United Nations", "ONU",
         "observer status", "statut d'observateur", "cooperation", "coopération", "annex",
         "annexe", "of", "du", "and", "et", ";", ",", ".", ":", "(", ")", "[", "]", "«", "»",
         "1.", "2.", "(a)", "*", "_____", "\n", "\n\n", "  ", "\t", "Letter dated", "session",
         "agenda item", "meeting", "séance", "---\n", "symbol: ", "language: ", "date: "]
ODD = ["\x00", "\x01", "\x7f", "\u202e", "\u200b", "\ufeff", "\r", "\x0c", "\u2028", "\U0001f600",
       "\u0301", "\ufffd", "ǅ", "İ", "ß", "\u00ad"]


@st.composite
def numbers(draw: st.DrawFn) -> str:
    a, b = draw(st.integers(0, 99999)), draw(st.integers(0, 9999))
    year = draw(st.integers(1900, 2100))
    return draw(st.sampled_from([f"{a}/{b}", f"{a} ({year})", f"{a}/{b}/{year}",
                                 f"{b} {draw(st.sampled_from(['A', 'B', 'XV']))} ({a})",
                                 f"{a} December {year}", f"{a}.{b}", str(a)]))


fragments = st.one_of(st.sampled_from(WORDS), numbers(), st.sampled_from(ODD),
                      st.text(max_size=20))
texts = st.lists(fragments, max_size=120).map(" ".join)


@st.composite
def long_texts(draw: st.DrawFn) -> str:
    """A text, sometimes with one fragment repeated many times (long runs, one huge line)."""
    text = draw(texts)
    if draw(st.booleans()):
        text += draw(st.sampled_from(WORDS)) * draw(st.integers(100, 20_000))
    return text


dates = st.one_of(st.dates().map(date.isoformat), st.text(max_size=12),
                  st.sampled_from(["2020-13-45", "not-a-date", "0000-00-00", "2020-02-30",
                                   "2014-12-02T10:00:00", "+2014-12-02", "２０１４-１２-０２"]))
languages = st.one_of(st.sampled_from(["en", "fr", "es", "ru", "zh", "ar", "und", "en-GB",
                                       "en fr", "EN", "x", "", "fr\n", "e\u0301n", "zh-Hant-TW"]),
                      st.text(max_size=10))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=10)


@st.composite
def records(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        depth = draw(st.integers(1, 200_000))
        return b"[" * depth + b"]" * draw(st.integers(0, depth))
    if kind == 1:
        return draw(st.binary(max_size=200))
    if kind == 2:
        return json.dumps(draw(json_values)).encode()
    record: dict[str, Any] = {"text": draw(long_texts())}
    for key, strategy in (("symbol", st.one_of(numbers().map(lambda n: "A/RES/" + n),
                                                 st.text(max_size=30))),
                          ("date", dates), ("language", languages),
                          ("title", st.text(max_size=50)),
                          ("doc_type", st.sampled_from(["resolution", "decision", "letter",
                                                        "report", "x", ""])),
                          ("session", json_values),
                          ("body", st.sampled_from(["General Assembly", "Security Council",
                                                    "", "x"]))):
        if draw(st.booleans()):
            record[key] = draw(strategy)
    return json.dumps(record, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@st.composite
def jsonl_files(draw: st.DrawFn) -> tuple[str, bytes]:
    lines = draw(st.lists(records(), min_size=1, max_size=6))
    data = b"\n".join(lines) + draw(st.sampled_from([b"", b"\n", b"\r\n", b"\n\n\n"]))
    if draw(st.booleans()):
        return "fuzz.jsonl.gz", gzip.compress(data, compresslevel=1)
    return "fuzz.jsonl", data


MARC = 'xmlns="http://www.loc.gov/MARC21/slim"'
TAGS = ["191", "245", "269", "991", "993", "710", "650", "610", "089", "239", "999"]


@st.composite
def marc_files(draw: st.DrawFn) -> tuple[str, bytes]:
    recs = []
    for _ in range(draw(st.integers(0, 4))):
        fields = []
        for _ in range(draw(st.integers(0, 8))):
            tag = draw(st.sampled_from(TAGS))
            subs = "".join(
                f'<subfield code="{draw(st.sampled_from("abcdez9"))}">'
                f"{escape(draw(st.one_of(texts, numbers(), dates)))}</subfield>"
                for _ in range(draw(st.integers(0, 4))))
            ind = draw(st.sampled_from([" ", "0", "1", "2", "3", "9"]))
            fields.append(f'<datafield tag="{tag}" ind1="{ind}" ind2=" ">{subs}</datafield>')
        recs.append("<record>" + "".join(fields) + "</record>")
    body = f"<collection {MARC}>" + "".join(recs) + "</collection>"
    hostile = draw(st.integers(0, 5))
    if hostile == 0:  # an entity expansion bomb: must be refused, never expanded
        doctype = ('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa">'
                   '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
        body = doctype + body.replace("</record>", "&b;</record>", 1)
    elif hostile == 1:
        body = body[: draw(st.integers(0, len(body)))]
    data = body.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        return "fuzz.xml.gz", gzip.compress(data, compresslevel=1)
    return "fuzz.xml", data


def _pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose content stream shows `text` (Latin-1, escaped for a PDF string)."""
    shown = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(") \
        .replace(b")", b"\\)")
    lines = b"".join(b"(" + line + b") Tj T* " for line in shown.split(b"\n")[:200])
    stream = b"BT /F1 10 Tf 12 TL 40 800 Td " + lines + b"ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>stream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _corpus_pdf() -> bytes:
    """The first two pages of the smallest PDF of the bundled corpus (a real UN PDF, small
    enough to parse in a fraction of a second)."""
    import pypdf

    folder = resources.files("unkg.data").joinpath("corpus/pdf")
    pdfs = [p for p in folder.iterdir() if p.name.endswith(".pdf")]
    smallest = min(pdfs, key=lambda p: len(p.read_bytes()))
    reader = pypdf.PdfReader(io.BytesIO(smallest.read_bytes()))
    writer = pypdf.PdfWriter()
    for page in reader.pages[:2]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CORPUS_PDF = _corpus_pdf()


@st.composite
def pdf_files(draw: st.DrawFn) -> tuple[str, bytes]:
    if draw(st.booleans()):
        return "fuzz.pdf", _pdf_with_text(draw(long_texts()))
    data = bytearray(CORPUS_PDF)  # a real UN PDF, damaged
    for _ in range(draw(st.integers(1, 20))):
        at = draw(st.integers(0, len(data) - 1))
        data[at:at + 1] = draw(st.binary(min_size=0, max_size=8))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))] + b"\n%%EOF\n"
    return "fuzz.pdf", bytes(data)


text_files = st.tuples(st.sampled_from(["fuzz.txt", "fuzz.md", "fuzz.txt.gz"]),
                       st.one_of(long_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
                                 st.binary(max_size=300),
                                 texts.map(lambda t: t.encode("utf-16"))))


# --- checks ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="unkg-fuzz-") as name:
        yield Path(name)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    if name.endswith(".gz") and not data.startswith(b"\x1f\x8b"):
        data = gzip.compress(data, compresslevel=1)
    path.write_bytes(data)
    return path


def assert_well_typed(quads: list[ox.Quad]) -> None:
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal):
            if o.datatype.value == XSD_DATE:
                date.fromisoformat(o.value)
            if o.datatype.value == XSD_LANGUAGE:
                assert o.value and " " not in o.value, o.value


def load_and_build(path: Path) -> None:
    """Load a file with its loader and build every document's graph: only InputError may
    escape, and what is built is well typed."""
    try:
        docs = load_file(path)
    except InputError:
        return
    for doc in docs:
        try:
            built = build_document(doc)
        except InputError:
            continue
        assert_well_typed(built.quads)


def test_fuzz_text_files(folder: Path) -> None:
    fuzz(text_files, lambda f: load_and_build(write(folder, *f)))


def test_fuzz_pdf_files(folder: Path) -> None:
    fuzz(pdf_files(), lambda f: load_and_build(write(folder, *f)))


def snapshot(store: OxigraphStore) -> str:
    digest = hashlib.sha256()
    for line in sorted(str(q) for q in store.quads()):
        digest.update(line.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def store(folder: Path) -> Iterator[OxigraphStore]:
    s = OxigraphStore(folder / "store")
    # the reference graphs (ontology, authority) are written by the first load, refused or not
    good = folder / "good.jsonl"
    good.write_text(json.dumps({"symbol": "A/RES/69/12", "language": "en", "text":
                                "General Assembly\n\n69/12. Cooperation\n\n"
                                "1. Recalls its resolution 59/50.\n"}) + "\n")
    assert load_files(s, [good], workers=1, validate=False).ok
    yield s
    s.close()


def load_into(store: OxigraphStore, folder: Path, name: str, data: bytes) -> None:
    path = write(folder, name, data)
    before = snapshot(store)
    report = load_files(store, [path], workers=1, validate=False, force=True)
    [file_report] = report.files
    if file_report.status == "failed":
        assert file_report.error and "internal error" not in file_report.error, \
            file_report.error
        assert snapshot(store) == before, "a refused file changed the store"
    else:
        assert_well_typed([q for g in file_report.graphs for q in store.quads(g)])
    path.unlink()


def test_fuzz_jsonl_files_through_a_store(store: OxigraphStore, folder: Path) -> None:
    fuzz(jsonl_files(), lambda f: load_into(store, folder, *f))


def test_fuzz_marcxml_files_through_a_store(store: OxigraphStore, folder: Path) -> None:
    fuzz(marc_files(), lambda f: load_into(store, folder, *f))


def test_fuzz_jsonl_records_without_a_store(folder: Path) -> None:
    fuzz(jsonl_files(), lambda f: load_and_build(write(folder, *f)))
