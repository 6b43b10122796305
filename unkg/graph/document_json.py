"""The stable JSON form of a `Document` printed by `unkg extract --format json`, with entity
references as IRIs under the default base."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from unkg.graph.iris import entity_iri
from unkg.model import Document


def document_json(doc: Document) -> dict[str, Any]:
    """The stable JSON form printed by `unkg extract --format json`.

    Keys documented in issue #2 are stable; extra keys may be added, never renamed.
    """
    data: dict[str, Any] = {
        "source": doc.source,
        "symbol": doc.symbol,
        "symbols": list(doc.symbols),
        "type": doc.type,
        "language": doc.language,
        "organ": doc.organ and entity_iri(doc.organ),
        "date": doc.date,
        "distribution_date": doc.distribution_date,
        "original_language": doc.original_language,
        "title": doc.title,
        "session": doc.session,
        "agenda_items": list(doc.agenda_items),
        "requested_agenda_item": doc.requested_agenda_item,
        "meeting": asdict(doc.meeting) if doc.meeting else None,
        "draft": doc.draft,
        "paragraphs": [
            {"id": p.id, "kind": p.kind, "number": p.number, "opening": p.opening,
             "line": p.line, "text": p.text}
            for p in doc.paragraphs
        ],
        "citations": [
            {"target": c.target, "function": c.function, "paragraph": c.paragraph,
             "footnote": c.footnote, "text": c.text, "start": c.start, "end": c.end,
             "part": c.part, "implicit": c.implicit}
            for c in doc.citations
        ],
        "mentions": [
            {"entity": entity_iri(m.entity), "label": m.label, "kind": m.kind,
             "text": m.text, "paragraph": m.paragraph, "start": m.start, "end": m.end}
            for m in doc.mentions
        ],
        "links": [
            {"type": ln.type, "subject": entity_iri(ln.subject),
             "object": entity_iri(ln.object), "subject_label": ln.subject_label,
             "object_label": ln.object_label, "paragraph": ln.paragraph, "text": ln.text,
             "document": ln.document}
            for ln in doc.links
        ],
        "signatories": [
            {"name": s.name, "entity": entity_iri(s.entity), "post": s.post,
             "on_behalf_of": [entity_iri(k) for k in s.on_behalf_of]}
            for s in doc.signatories
        ],
        "relations": [asdict(r) for r in doc.relations],
        "warnings": list(doc.warnings),
    }
    return data
