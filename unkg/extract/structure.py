"""Document structure of UN texts (Markdown renderings and the text layer of official PDFs).

`analyse(text)` returns a `Structure`: a *view* of the text in which layout noise (Markdown markup,
PDF page headers, footers, job numbers, barcodes, page counters) is replaced by spaces — so every
offset in the view is an offset in the source text — and the paragraphs with their ids (`HDR`,
`PP3`, `OP3`, `FN1`, `P2`, `SIG`, `ANNEX2/PP1`), footnote markers tied to the paragraph carrying
them, the adoption note and draft, the meeting line, the signature block and the header fields.

Its phases live beside it, one job each: `layout` (lines, masking, the `Block` and `Structure`
types), `header` (the header zone and its fields), `paragraphs` (the body, line by line) and
`footnotes` (markers tied to paragraphs).
"""

from __future__ import annotations

from unkg.extract.footnotes import tie_markers
from unkg.extract.header import header_end, read_header
from unkg.extract.layout import Structure, line_spans, make_view, mask_running_titles
from unkg.extract.paragraphs import read_paragraphs


def analyse(text: str, *, language: str | None = None) -> Structure:
    """Split a UN text into header, paragraphs, footnotes and closing parts."""
    # Masking turns characters into spaces but keeps every line break: the text, its view and
    # the view with running titles masked have the same line spans.
    spans = line_spans(text)
    view, sup_markers, own = make_view(text, spans)
    end = header_end(view, spans)
    structure = Structure(view=view, blocks=[], markers=[], header_end=end, own_symbols=own)
    read_header(structure, view[:end], language)
    structure.view = mask_running_titles(view, text, structure.title, end, spans)
    structure.blocks = read_paragraphs(structure, text, spans, language)
    tie_markers(structure, sup_markers)
    return structure
