"""`unkg serve`: the graph as Linked Open Data — a SPARQL 1.1 Protocol endpoint, dereferenceable
IRIs with content negotiation, HTML pages for people, and the dataset's VoID/DCAT description.

URL scheme (the server's root stands for the base IRI, default https://w3id.org/unkg/; a proxy
maps the public base onto it):

  /{path}                the resource {base}{path} (doc/A/RES/69/12, org/csto, …), following the
                         Cool URIs "303 See Other" pattern: it answers 303 with `Vary: Accept`
                         and a Location chosen by the Accept header —
  /page/{path}             HTML for people (text/html)
  /data/{path}.ttl         Turtle           /data/{path}.nt      N-Triples
  /data/{path}.jsonld      JSON-LD          /data/{path}.rdf     RDF/XML
                         — and 404 when the store has no triple about the IRI. `*/*` gets Turtle.
  /ontology              the ontology (https://w3id.org/unkg/ontology and its `#terms`), same
                         303 pattern; /page/ontology is its HTML documentation
  /sparql                SPARQL 1.1 Protocol (query only); a bare GET gives the Service
                         Description (or a query form, for browsers)
  /.well-known/void      VoID + DCAT description of the dataset (content-negotiated, 200)
  /dumps/unkg.nq.gz      the whole store as gzipped N-Quads
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import re
import tempfile
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import parse_qsl, quote

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unkg.errors import QueryError, StoreError
from unkg.graph.iris import DEFAULT_BASE, _base
from unkg.ontology import UNKG, VOID, ontology_files, prefixes
from unkg.sandbox import remove_stale_temporaries, temporary_prefix
from unkg.serve import negotiation as neg
from unkg.serve.engine import (
    QueryEngine,
    QueryRefused,
    QueryRequest,
    QueryTimeout,
    ResultTooLarge,
)
from unkg.serve.resources import Site, ontology_graph_name, web_href
from unkg.store.terms import term_value

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
T = TypeVar("T")
# Characters left as they are when a request path becomes an IRI path (as `unkg.graph.iris`).
_IRI_PATH_SAFE = "/()-.,_~!$&'*+;=:@"
ONTOLOGY_IRI = UNKG.rstrip("#")


@dataclass
class ServeSettings:
    store_path: str
    base: str = DEFAULT_BASE
    query_timeout: float = 30.0
    max_results: int = 10_000
    # SERVICE endpoints queries may call (exact IRIs); none: no SERVICE, and the query workers
    # cannot reach the network at all
    allow_service: tuple[str, ...] = ()
    workers: int = 2
    max_response_bytes: int = 50 * 1024 * 1024
    max_request_bytes: int = 1024 * 1024
    page_timeout: float = 10.0  # HTML pages, data and resource URLs
    page_workers: int = 4


@cache
def templates() -> Environment:
    # Autoescape everything: every value from the graph is data, never markup.
    env = Environment(loader=PackageLoader("unkg.serve", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    # Only web addresses become links (an IRI such as javascript:… is shown as text).
    env.tests["web_iri"] = lambda iri: isinstance(iri, str) and web_href(iri) is not None
    return env


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = templates().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept"})


def plain(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


class PageTimeout(Exception):
    """A page took longer than the page time limit."""


class Server:
    """State shared by the request handlers: the store, the site model and the query engine."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.base = _base(settings.base)
        path = Path(settings.store_path)
        if not path.is_dir():
            raise StoreError("no store here (build one with `unkg build`)", path=str(path))
        try:
            self.store = ox.Store.read_only(str(path))
        except OSError as err:
            raise StoreError(f"cannot open the store: {err}", path=str(path)) from err
        self.static = ox.Store()
        self._load_static()
        self.site = Site(self.store, self.static, base=self.base)
        self.engine = QueryEngine(str(path), timeout=settings.query_timeout,
                                  max_results=settings.max_results,
                                  max_bytes=settings.max_response_bytes,
                                  allowed_services=tuple(settings.allow_service),
                                  workers=settings.workers)
        self._dump_dir: tempfile.TemporaryDirectory[str] | None = None
        self.page_pool = ThreadPoolExecutor(max_workers=settings.page_workers,
                                            thread_name_prefix="unkg-page")
        remove_stale_temporaries("serve-dump")  # dumps of servers that were killed
        self._dump_lock = asyncio.Lock()

    def _load_static(self) -> None:
        """The ontology and vocabularies (for /ontology and vocabulary IRIs) and the dataset
        description, beside the store."""
        from unkg.serve.dataset import describe_dataset

        graph = ox.NamedNode(ontology_graph_name())
        for f in ontology_files():
            if f.is_file():
                self.static.load(f.read_bytes(), format=ox.RdfFormat.TURTLE, to_graph=graph)
        description = describe_dataset(self.store, base=self.base)
        self.dataset_description = description
        self.static.extend(ox.Quad(t.subject, t.predicate, t.object,
                                   ox.NamedNode("urn:unkg:serve:dataset")) for t in description)

    # --- IRIs ------------------------------------------------------------------------------------

    def iri_of(self, path: str) -> str:
        """Request path (without the leading slash) → the IRI it stands for."""
        return self.base + quote(path, safe=_IRI_PATH_SAFE)

    # --- dumps -----------------------------------------------------------------------------------

    async def dump_file(self) -> Path:
        async with self._dump_lock:
            if self._dump_dir is None:
                self._dump_dir = tempfile.TemporaryDirectory(
                    prefix=temporary_prefix("serve-dump"))
            target = Path(self._dump_dir.name) / "unkg.nq.gz"
            if not target.exists():
                await asyncio.to_thread(self._write_dump, target)
            return target

    def _write_dump(self, target: Path) -> None:
        partial = target.with_suffix(".partial")
        with gzip.open(partial, "wb") as out:
            # a GzipFile is a binary file; typeshed does not call it IO[bytes]
            self.store.dump(cast(IO[bytes], out), format=ox.RdfFormat.N_QUADS)
        partial.replace(target)

    async def in_page_thread(self, function: Callable[..., T], *args: Any) -> T:
        """Run the store lookups of a page (or a data or resource URL) in the page pool, apart
        from the SPARQL workers' threads, under the page time limit: a crowd of page requests
        gets 503s, and never starves the endpoint."""
        future = self.page_pool.submit(function, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future),
                                          self.settings.page_timeout)
        except TimeoutError:
            future.cancel()  # still queued: never run; running: its thread finishes alone
            raise PageTimeout(f"the page took longer than the time limit of "
                              f"{self.settings.page_timeout:g} s; try again later") from None

    def close(self) -> None:
        self.page_pool.shutdown(wait=False, cancel_futures=True)
        if self._dump_dir is not None:
            self._dump_dir.cleanup()


# --- RDF responses -----------------------------------------------------------------------------

def rdf_response(triples: list[ox.Triple], representation: neg.RdfRepresentation,
                 *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if representation.extension == "jsonld":  # compacted with the project's @context
        from unkg.graph.export import jsonld

        body: bytes | None = jsonld(sorted(triples, key=str)).encode("utf-8")
    else:
        body = ox.serialize(triples, format=representation.rdf_format,
                            prefixes=dict(prefixes()) if representation.extension == "ttl"
                            else None)
    media_type = representation.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def split_data_path(path: str) -> tuple[str, neg.RdfRepresentation] | None:
    """`doc/A/RES/69/12.ttl` → (`doc/A/RES/69/12`, Turtle)."""
    stem, dot, extension = path.rpartition(".")
    if not dot or extension not in neg.RDF_BY_EXTENSION:
        return None
    return stem, neg.RDF_BY_EXTENSION[extension]


# --- handlers ----------------------------------------------------------------------------------

def server_of(request: Request) -> Server:
    return request.app.state.server


async def home(request: Request) -> Response:
    server = server_of(request)
    stats = {}
    for t in server.dataset_description:
        if term_value(t.subject) == server.base + "dataset" and t.predicate.value.startswith(
                VOID) and isinstance(t.object, ox.Literal) \
                and t.object.datatype.value.endswith("integer"):
            stats[t.predicate.value.rsplit("#", 1)[1]] = int(t.object.value)
    examples = [server.site.link(term_value(t.object)) for t in server.dataset_description
                if t.predicate.value == f"{VOID}exampleResource"]
    phrase = " ".join(request.query_params.get("q", "").split()) or None
    try:
        documents = await server.in_page_thread(server.site.document_list, phrase)
    except PageTimeout as err:
        return render("error.html", status=503, title="Busy", message=str(err))
    return render("home.html", stats=stats, examples=examples, base=server.base,
                  documents=documents, phrase=phrase)


async def resource(request: Request) -> Response:
    """/{path}: 303 to the page or data URL the client prefers, or 404."""
    server = server_of(request)
    path = request.path_params["path"]
    try:
        exists = path == "ontology" or await server.in_page_thread(server.site.exists,
                                                                   server.iri_of(path))
    except PageTimeout as err:
        return plain(503, str(err))
    if not exists:
        return not_found(request, server.iri_of(path))
    choice = neg.best_match(request.headers.get("accept"), neg.rdf_offers(html=True))
    if choice is None:
        return plain(406, "not acceptable: this resource is available as text/html, "
                          "text/turtle, application/n-triples, application/ld+json and "
                          "application/rdf+xml")
    raw = quote(path, safe=_IRI_PATH_SAFE)
    if choice == neg.HTML:
        location = f"/page/{raw}"
    else:
        representation = neg.rdf_representation(choice)
        assert representation is not None
        location = f"/data/{raw}.{representation.extension}"
    return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})


def not_found(request: Request, iri: str) -> Response:
    message = f"nothing is known about {iri}"
    if neg.best_match(request.headers.get("accept"), ["text/plain", neg.HTML]) == neg.HTML:
        return render("error.html", status=404, title="Not found", message=message)
    return plain(404, message)


async def data(request: Request) -> Response:
    """/data/{path}.{ext}: the description of {base}{path} in one RDF format."""
    server = server_of(request)
    split = split_data_path(request.path_params["path"])
    if split is None:
        return plain(404, "unknown data URL: expected /data/{path}.ttl|.nt|.jsonld|.rdf")
    path, representation = split
    if path == "ontology":
        triples = server.site.ontology_triples()
    else:
        try:
            triples = await server.in_page_thread(server.site.description,
                                                  server.iri_of(path))
        except PageTimeout as err:
            return plain(503, str(err))
    if not triples:
        return not_found(request, server.iri_of(path))
    return rdf_response(triples, representation,
                        headers={"Link": f'</page/{path}>; rel="alternate"; type="text/html"'})


async def page(request: Request) -> Response:
    """/page/{path}: the HTML page of {base}{path}."""
    server = server_of(request)
    path = request.path_params["path"]
    if path == "ontology":
        return ontology_page(server)
    # ?lang=en|fr|…: labels in that language (default: the document's own language)
    labels = request.query_params.get("lang")
    if labels is not None and not _LANGUAGE_TAG.fullmatch(labels):
        return plain(400, f"lang={labels!r}: expected a language tag such as en or fr")
    try:
        name, status, context = await server.in_page_thread(page_view, server, path, labels)
    except PageTimeout as err:
        return render("error.html", status=503, title="Busy", message=str(err))
    return render(name, status=status, **context)


def page_view(server: Server, path: str, labels: str | None = None
              ) -> tuple[str, int, dict[str, Any]]:
    """(template, status, context) of a page: all the store lookups of one page, in one thread
    of the page pool, under the page time limit. `labels`: the language of a document page's
    labels (default: the document's own language)."""
    iri = server.iri_of(path)
    site = server.site
    if not site.exists(iri):
        return "error.html", 404, {"title": "Not found",
                                   "message": f"nothing is known about {iri}"}
    kind = site.kind(iri)
    alternates = [(r.media_type, f"/data/{quote(path, safe=_IRI_PATH_SAFE)}."
                   f"{r.extension}") for r in neg.RDF_REPRESENTATIONS]
    common: dict[str, Any] = {"iri": iri, "alternates": alternates}
    if kind in ("document", "version"):
        if kind == "version":
            docs = site.objects(iri, f"{UNKG}versionOf")
            view = site.document_view(docs[0].value, iri, labels=labels)
        else:
            view = site.document_view(iri, labels=labels)
        return "document.html", 200, {"doc": view, "lang": view["lang"] or "en", **common}
    if kind == "entity":
        return "entity.html", 200, {"entity": site.entity_view(iri), "lang": "en", **common}
    label, label_lang = site.label(iri)
    return "resource.html", 200, {
        "label": label, "label_lang": label_lang, "lang": "en",
        "types": [site.link(t) for t in sorted(site.types(iri))],
        "properties": site.properties(iri, "en"), "incoming": site.incoming(iri, "en"),
        **common}


def ontology_page(server: Server) -> Response:
    from unkg.serve.ontology_docs import ontology_view

    view = ontology_view(server.site.ontology_triples(), server.site)
    return render("ontology.html", onto=view, lang="en", iri=ONTOLOGY_IRI,
                  alternates=[(r.media_type, f"/data/ontology.{r.extension}")
                              for r in neg.RDF_REPRESENTATIONS])


async def void(request: Request) -> Response:
    server = server_of(request)
    choice = neg.best_match(request.headers.get("accept"), neg.rdf_offers(html=False))
    representation = neg.rdf_representation(choice or "text/turtle")
    assert representation is not None
    response = rdf_response(server.dataset_description, representation)
    response.headers["Vary"] = "Accept"
    return response


async def dump(request: Request) -> Response:
    target = await server_of(request).dump_file()
    return FileResponse(target, media_type="application/gzip", filename="unkg.nq.gz")


# --- SPARQL protocol -----------------------------------------------------------------------------

READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"
# The first keyword of a SPARQL Update operation (after its prologue).
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY",
                              "MOVE", "ADD", "WITH"})


def looks_like_update(text: str) -> bool:
    """True when `text` is a SPARQL Update rather than a query (the first keyword after the
    PREFIX/BASE prologue), so that an update sent as `query=` is refused as read-only (403)
    rather than reported as a query syntax error."""
    import re

    body = re.sub(r"<[^<>\s]*>", "<>", text)  # IRIs may hold '#'
    body = re.sub(r"#[^\n]*", " ", body)  # comments
    body = re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<>|BASE\s*<>)\s*)*", "", body)
    first = re.match(r"\s*([A-Za-z]+)", body)
    return first is not None and first.group(1).upper() in _UPDATE_KEYWORDS


@cache
def declared_prefixes() -> str:
    """The project's PREFIX declarations on one line of their own, put before every query: a
    query may use `unkg:`, `dcterms:` … without declaring them (its own declarations come later
    and win). The line break matters: rdflib's parser, which reads SERVICE clauses for the
    worker's refusal, fails on `PREFIX … SELECT … SERVICE` written on one line, and a query it
    cannot read would not be refused. Error positions are shifted back by `user_position`."""
    return " ".join(f"PREFIX {p}: <{ns}>" for p, ns in sorted(prefixes().items()) if p) + "\n"


_ERROR_AT = re.compile(r"error at (\d+):(\d+)")


def user_position(message: str) -> str:
    """A syntax error's line as the user wrote it (one line of declared prefixes comes first)."""
    return _ERROR_AT.sub(lambda m: f"error at {int(m.group(1)) - 1}:{m.group(2)}", message)




async def _protocol_parameters(request: Request
                               ) -> tuple[list[str], list[str], list[str]] | Response:
    """(queries, default graph IRIs, named graph IRIs) of a SPARQL protocol request (GET, or
    POST as a form or as a query), or the response that ends it (an update is refused, a GET
    without a query gets the service description, a bad body an error)."""
    if request.method in ("GET", "HEAD"):
        params = request.query_params
        if "update" in params:
            return plain(403, READ_ONLY)
        queries = params.getlist("query")
        default_graphs = params.getlist("default-graph-uri")
        named_graphs = params.getlist("named-graph-uri")
        if not queries:
            return service_description(request)
    else:
        content_type = request.headers.get("content-type", "")
        media, _, parameters = content_type.partition(";")
        media = media.strip().lower()
        limit = server_of(request).settings.max_request_bytes
        body = b""
        if media in ("application/x-www-form-urlencoded", "application/sparql-query"):
            read = await read_body(request, limit)
            if read is None:
                return plain(413, f"the request body is larger than the limit of {limit} bytes")
            body = read
        if media == "application/x-www-form-urlencoded":
            try:
                form = parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                 strict_parsing=False)
            except UnicodeDecodeError:
                return plain(400, "the form is not valid UTF-8")
            if any(name == "update" for name, _ in form):
                return plain(403, READ_ONLY)
            queries = [v for name, v in form if name == "query"]
            default_graphs = [v for name, v in form if name == "default-graph-uri"]
            named_graphs = [v for name, v in form if name == "named-graph-uri"]
        elif media == "application/sparql-query":
            charset = "utf-8"
            for parameter in parameters.split(";"):
                name, _, value = parameter.partition("=")
                if name.strip().lower() == "charset":
                    charset = value.strip().strip('"').lower()
            if charset not in ("utf-8", "utf8"):
                return plain(400, f"the query must be UTF-8, not {charset}")
            try:
                queries = [body.decode("utf-8")]
            except UnicodeDecodeError:
                return plain(400, "the query is not valid UTF-8")
            default_graphs = request.query_params.getlist("default-graph-uri")
            named_graphs = request.query_params.getlist("named-graph-uri")
        elif media == "application/sparql-update":
            return plain(403, READ_ONLY)
        elif not media:
            return plain(400, "a POST needs a Content-Type: application/x-www-form-urlencoded "
                              "or application/sparql-query")
        else:
            return plain(415, f"unsupported Content-Type {media!r}: use "
                              "application/x-www-form-urlencoded or application/sparql-query")
    return queries, default_graphs, named_graphs


async def sparql(request: Request) -> Response:
    server = server_of(request)
    parsed = await _protocol_parameters(request)
    if isinstance(parsed, Response):
        return parsed
    queries, default_graphs, named_graphs = parsed
    if len(queries) != 1:
        return plain(400, "give exactly one query" if queries else "no query given")
    query = queries[0]
    if looks_like_update(query):
        return plain(403, READ_ONLY)
    accept = request.headers.get("accept")
    # HTML (a results table) only for clients that prefer it: `*/*` gets SPARQL JSON.
    wants_html = neg.best_match(accept, [*neg.RESULT_FORMATS, *neg.rdf_offers(html=False),
                                         neg.HTML]) == neg.HTML
    result_type = neg.best_match(accept, list(neg.RESULT_FORMATS))
    graph_type = neg.best_match(accept, neg.rdf_offers(html=False))
    if wants_html:
        result_type, graph_type = "application/sparql-results+json", "text/turtle"
    req = QueryRequest(query=declared_prefixes() + query, default_graphs=default_graphs,
                       named_graphs=named_graphs,
                       base_iri=server.base,
                       result_media_type=result_type or "application/sparql-results+json",
                       graph_media_type=graph_type or "text/turtle")
    try:
        answer = await server.engine.run(req)
    except QueryError as err:
        return sparql_error(request, 400, user_position(str(err)), query, wants_html)
    except QueryRefused as err:
        return sparql_error(request, 403, str(err), query, wants_html)
    except ResultTooLarge as err:
        return sparql_error(request, 422, str(err), query, wants_html)
    except QueryTimeout as err:
        return sparql_error(request, 503, str(err), query, wants_html)
    if wants_html:
        return sparql_html(query, answer.kind, answer.body)
    media_type = answer.media_type
    if media_type.startswith("text/") or media_type.endswith(("+xml", "/xml")):
        media_type += "; charset=utf-8"
    return Response(answer.body, media_type=media_type, headers={"Vary": "Accept"})


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is longer than `limit` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def sparql_error(request: Request, status: int, message: str, query: str,
                 wants_html: bool) -> Response:
    if wants_html:
        return render("sparql.html", status=status, query=query, error=message, lang="en")
    return plain(status, message)


def sparql_html(query: str, kind: str, body: bytes) -> Response:
    if kind == "graph":
        return render("sparql.html", query=query, turtle=body.decode("utf-8"), lang="en")
    results = json.loads(body)
    if kind == "ask":
        return render("sparql.html", query=query, boolean=results["boolean"], lang="en")
    return render("sparql.html", query=query, variables=results["head"]["vars"],
                  rows=results["results"]["bindings"], lang="en")


def service_description(request: Request) -> Response:
    server = server_of(request)
    offers = [*neg.rdf_offers(html=False)]
    offers.insert(1, neg.HTML)
    choice = neg.best_match(request.headers.get("accept"), offers)
    if choice == neg.HTML:
        return render("sparql.html", query=EXAMPLE_QUERY, lang="en")
    representation = neg.rdf_representation(choice or "text/turtle")
    assert representation is not None
    endpoint = str(request.url.replace(query=""))
    triples = list(ox.parse(service_description_text(), format=ox.RdfFormat.TURTLE,
                            base_iri=endpoint))
    triples.extend(prefix_declarations(ox.NamedNode(endpoint)))
    if server.settings.allow_service:
        sd = "http://www.w3.org/ns/sparql-service-description#"
        triples.append(ox.Triple(ox.NamedNode(endpoint), ox.NamedNode(f"{sd}feature"),
                                 ox.NamedNode(f"{sd}BasicFederatedQuery")))
    response = rdf_response(triples, representation)
    response.headers["Vary"] = "Accept"
    return response


def prefix_declarations(endpoint: ox.NamedNode) -> list[ox.Triple]:
    """The predeclared prefixes in the service description, as SHACL prefix declarations
    (`sh:declare [ sh:prefix "unkg" ; sh:namespace "…"^^xsd:anyURI ]`, one prefix map)."""
    sh = "http://www.w3.org/ns/shacl#"
    any_uri = ox.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
    triples = []
    for prefix, ns in sorted(prefixes().items()):
        if not prefix:
            continue
        node = ox.BlankNode()
        triples += [ox.Triple(endpoint, ox.NamedNode(f"{sh}declare"), node),
                    ox.Triple(node, ox.NamedNode(f"{sh}prefix"), ox.Literal(prefix)),
                    ox.Triple(node, ox.NamedNode(f"{sh}namespace"),
                              ox.Literal(ns, datatype=any_uri))]
    return triples


@cache
def service_description_text() -> str:
    return resources.files("unkg.serve").joinpath("service-description.ttl").read_text("utf-8")


EXAMPLE_QUERY = """PREFIX unkg: <https://w3id.org/unkg/ontology#>
SELECT ?citing ?cited WHERE { ?citing unkg:cites ?cited } LIMIT 20"""


# --- the application ---------------------------------------------------------------------------

# Pages hold no script, no inline style and no frame; forms post only here.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (and friends) on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class ReadOnlyCORS:
    """CORS for reads only: any origin may GET (everything served is public), but a page of
    another origin gets no CORS answer for a POST, and a preflight for anything but GET fails."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                                   allow_headers=["Accept"], expose_headers=["Location", "Vary"],
                                   max_age=86400)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(settings: ServeSettings) -> Starlette:
    """The ASGI application serving the store at `settings.store_path`."""
    server = Server(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await server.engine.start()
        try:
            yield
        finally:
            await server.engine.close()
            server.close()

    static_dir = str(resources.files("unkg.serve").joinpath("static"))
    routes = [
        Route("/", home, methods=["GET"]),
        Route("/search", home, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/dumps/unkg.nq.gz", dump, methods=["GET"]),
        Mount("/static", StaticFiles(directory=static_dir), name="static"),
        Route("/page/{path:path}", page, methods=["GET"]),
        Route("/data/{path:path}", data, methods=["GET"]),
        Route("/{path:path}", resource, methods=["GET"]),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(ReadOnlyCORS)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.server = server
    return app
