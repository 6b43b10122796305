"""Content negotiation: which representation of a resource or a result an `Accept` header asks for.

The server offers a fixed list of media types (in its order of preference); `best_match` applies
the usual rules of RFC 9110 §12.5.1 — quality values, then specificity (`text/turtle` beats
`text/*` beats `*/*`), then the server's order. A missing `Accept` means `*/*`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class RdfRepresentation:
    """One RDF serialisation the server offers for resources and graph results."""

    media_type: str
    extension: str  # of the data URL: /data/doc/A/RES/69/12.ttl
    rdf_format: ox.RdfFormat
    aliases: tuple[str, ...] = ()


RDF_REPRESENTATIONS = (
    RdfRepresentation("text/turtle", "ttl", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    RdfRepresentation("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, ("text/plain",)),
    RdfRepresentation("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD,
                      ("application/json",)),
    RdfRepresentation("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
)
RDF_BY_EXTENSION = {r.extension: r for r in RDF_REPRESENTATIONS}
HTML = "text/html"

# SPARQL result formats (SELECT and ASK), in the server's order of preference.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    # Widely sent by generic clients; answered with the standard formats above.
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """`Accept` header → [(media range, q)], parameters other than q dropped."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else f"{media}/*"
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _match_quality(offer: str, ranges: list[tuple[str, float]]) -> tuple[float, int]:
    """(q, specificity) of the most specific range matching `offer`; (0, -1) if none."""
    best = (0.0, -1)
    main, _, _ = offer.partition("/")
    for media, q in ranges:
        r_main, _, r_sub = media.partition("/")
        if media == offer:
            spec = 2
        elif r_main == main and r_sub == "*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if spec > best[1]:
            best = (q, spec)
    return best


def best_match(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most, or None when it accepts none of them."""
    ranges = parse_accept(accept)
    scored = []
    for position, offer in enumerate(offers):
        q, spec = _match_quality(offer, ranges)
        if q > 0:
            scored.append((-q, -spec, position, offer))
    return min(scored)[3] if scored else None


def rdf_offers(*, html: bool) -> list[str]:
    """Media types a resource is offered in: RDF first (`*/*` clients get Turtle), then HTML,
    then the aliases that map to an RDF format."""
    offers = [r.media_type for r in RDF_REPRESENTATIONS[:1]]
    if html:
        offers.append(HTML)
    offers += [r.media_type for r in RDF_REPRESENTATIONS[1:]]
    offers += [a for r in RDF_REPRESENTATIONS for a in r.aliases]
    return offers


def rdf_representation(media_type: str) -> RdfRepresentation | None:
    for r in RDF_REPRESENTATIONS:
        if media_type == r.media_type or media_type in r.aliases:
            return r
    return None
