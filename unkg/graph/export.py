"""Dumps of the store in ttl, nt, nq, trig and jsonld — byte-stable.

Stability comes from sorting, not from rdflib: quads are serialised to N-Quads by pyoxigraph,
sorted (by graph, then line), and the sorted stream is written by pyoxigraph's serialisers (which
only group consecutive statements), so two exports of the same data are byte-identical. gzip output
gets a fixed mtime and no file name, so it is stable too. JSON-LD carries `context.jsonld` inline.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyoxigraph as ox

from unkg.errors import UsageError
from unkg.ontology import prefixes

if TYPE_CHECKING:
    from unkg.store.base import Store

FORMATS = ("ttl", "nt", "nq", "trig", "jsonld")
_DATASET_FORMATS = {"nq", "trig", "jsonld"}


# Local bookkeeping that a published dump must not carry: the loader's file-system path of each
# source (the provenance keeps the file name, checksum and loader).
LOCAL_PREDICATES = frozenset({prefixes()["unkg"] + "sourcePath"})


def _store_quads(store: Store, graph: str | None) -> Iterator[ox.Quad]:
    return (q for q in store.quads(graph) if q.predicate.value not in LOCAL_PREDICATES)


def sorted_quads(quads: Iterable[ox.Quad], *,
                 triples: bool = False) -> list[ox.Quad] | list[ox.Triple]:
    """Quads sorted by (graph, subject, predicate, object) as N-Quads text; as triples (deduped
    union of all graphs) when `triples`."""
    if triples:
        keyed = {str(ox.Triple(q.subject, q.predicate, q.object)):
                 ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        return [keyed[k] for k in sorted(keyed)]
    keyed_q = {(str(q.graph_name), str(ox.Triple(q.subject, q.predicate, q.object))): q
               for q in quads}
    return [keyed_q[k] for k in sorted(keyed_q)]


def _context_prefixes() -> dict[str, str]:
    return {p: ns for p, ns in sorted(prefixes().items()) if p}


def write(out: IO[bytes], quads: Iterable[ox.Quad], fmt: str) -> None:
    """Serialise `quads` to `out` in one of FORMATS, sorted."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    items = sorted_quads(quads, triples=fmt not in _DATASET_FORMATS)
    if fmt == "nt":
        ox.serialize(items, out, format=ox.RdfFormat.N_TRIPLES)
    elif fmt == "nq":
        ox.serialize(items, out, format=ox.RdfFormat.N_QUADS)
    elif fmt == "ttl":
        ox.serialize(items, out, format=ox.RdfFormat.TURTLE, prefixes=_context_prefixes())
    elif fmt == "trig":
        ox.serialize(items, out, format=ox.RdfFormat.TRIG, prefixes=_context_prefixes())
    else:
        out.write(jsonld(items).encode("utf-8"))


def jsonld(items: list[Any]) -> str:
    """JSON-LD with our context inline: property names and types as prefixed names."""
    buf = io.BytesIO()
    ox.serialize(items, buf, format=ox.RdfFormat.JSON_LD)
    expanded = json.loads(buf.getvalue() or b"[]")
    table = sorted(_context_prefixes().items(), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in table:
            if iri.startswith(ns) and len(iri) > len(ns) and ":" not in iri[len(ns):]:
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        result = {}
        for key, value in node.items():
            if key == "@type":
                value = [compact(t) for t in value] if isinstance(value, list) else compact(value)
                result[key] = value
            elif key.startswith("@"):
                result[key] = walk(value)
            else:
                result[compact(key)] = walk(value)
        return result

    document = {"@context": dict(_context_prefixes()), "@graph": walk(expanded)}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def export_store(store: Store, path: str | Path | None, fmt: str, *, graph: str | None = None,
                 gzipped: bool = False, out: IO[bytes] | None = None) -> int:
    """Export a store (or one named graph) to `path` (or `out`); returns bytes written."""
    buf = io.BytesIO()
    write(buf, _store_quads(store, graph), fmt)
    data = buf.getvalue()
    if gzipped:
        packed = io.BytesIO()
        # mtime=0 and no file name inside: the same data gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0) as gz:
            gz.write(data)
        data = packed.getvalue()
    if out is not None:
        out.write(data)
    elif path is not None:
        Path(path).write_bytes(data)
    else:
        raise UsageError("export needs an output file")
    return len(data)
