"""`unkg serve` against a hostile client (issue #18): no request forgery through SERVICE, no
script links, a strict Content-Security-Policy, CORS for reads only, byte limits, FROM honoured.

A real server on 127.0.0.1 (free port) serves the fixture store; a canary HTTP server on another
free port records every request it receives: the endpoint must never reach it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from servers import VENV_BIN, ServerProcess, free_port

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "data" / "serve" / "fixture.trig"
BASE = "https://w3id.org/unkg/"
AUTHORITY = f"{BASE}graph/authority"
GRAPH_70_5 = f"{BASE}graph/doc/A/RES/70/5/en"
MAX_RESPONSE_BYTES = 200_000
MAX_REQUEST_BYTES = 20_000


class Canary:
    """An HTTP server that answers every request with an empty SPARQL result and records it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.requests.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def fixture_triples(graphs: list[str] | None = None) -> set[ox.Triple]:
    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads
            if graphs is None or q.graph_name.value in graphs}


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    c = Canary()
    # The canary itself answers (so a request that reached it would be seen, not lost).
    assert httpx.get(c.url + "/check").status_code == 200
    c.requests.clear()
    yield c
    c.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve-hardening") / "store"
    store = ox.Store(str(path))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return path


def start_server(store_path: Path, *extra: str) -> tuple[ServerProcess, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = ServerProcess(
        [str(VENV_BIN / "unkg"), "serve", "--store", str(store_path), "--port", str(port),
         "--query-timeout", "10", "--query-workers", "1", *extra],
        ready_url=f"{url}/sparql?query=ASK%7B%7D")
    process.wait_until_ready(is_ready=lambda r: r.status_code == 200)
    return process, url


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    process, url = start_server(store_path, "--max-response-bytes", str(MAX_RESPONSE_BYTES),
                                "--max-request-bytes", str(MAX_REQUEST_BYTES))
    try:
        yield url
    finally:
        process.stop()


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30, follow_redirects=False) as c:
        yield c


# --- 1. no request forgery ---------------------------------------------------------------------

def service_spellings(target: str) -> list[str]:
    """Every way of writing a SERVICE clause to `target` that we could find."""
    host = target.removeprefix("http://")
    return [
        f"SELECT * WHERE {{ SERVICE <{target}/a> {{ ?s ?p ?o }} }}",
        # the dot right before the keyword (the regex filter's blind spot)
        f"SELECT ?x WHERE {{ ?s ?p ?o .SERVICE <{target}/internal/admin> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{target}/b> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ # a comment\nSERVICE <{target}/c> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ #SERVICE\n#\nSERVICE\n<{target}/d> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{target}/e> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE <{target}/f> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}/g> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{target}/h> {{ }} }}",
        f"PREFIX c: <{target}/> SELECT * WHERE {{ SERVICE c:i {{ ?s ?p ?o }} }}",
        f"PREFIX : <{target}/j> SELECT * WHERE {{ SERVICE : {{ ?s ?p ?o }} }}",
        f"BASE <{target}/> SELECT * WHERE {{ SERVICE <k> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{target}/l> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{target}/m> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{target}/n> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ MINUS {{ SERVICE <{target}/o> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{target}/p> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{target}/q> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ BIND(<{target}/r> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{target}/s> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE <{target}/t> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}/u> {{ ?s ?p ?o }} }}",
        f"DESCRIBE ?s WHERE {{ SERVICE <{target}/v> {{ ?s ?p ?o }} }}",
        # \u escapes are expanded before SPARQL is parsed
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}/w> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://{host}/x\\u0079> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{target}/z> {{ SERVICE <{target}/zz> {{ }} }} }}",
        # SPARQL 1.2 syntax rdflib cannot parse: only the worker's network ban stops it
        f"SELECT * WHERE {{ SERVICE <{target}/sparql12> {{ }} "
        f"OPTIONAL {{ ?s ?p <<( ?a ?b ?c )>> }} }}",
    ]


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_no_spelling_of_service_reaches_the_network(client: httpx.Client, canary: Canary,
                                                   method: str) -> None:
    for query in service_spellings(canary.url):
        if method == "GET":
            response = client.get("/sparql", params={"query": query})
        elif method == "POST-form":
            response = client.post("/sparql", data={"query": query})
        else:
            response = client.post("/sparql", content=query.encode(),
                                   headers={"Content-Type": "application/sparql-query"})
        assert response.status_code in (400, 403), (query, response.status_code, response.text)
        assert canary.requests == [], query


def test_the_worker_cannot_open_an_ip_socket() -> None:
    code = ("import socket, sys\n"
            "from unkg.sandbox import deny_network\n"
            "assert deny_network()\n"
            "try:\n"
            "    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
            "except PermissionError:\n"
            "    a, b = socket.socketpair()\n"  # local pipes still work
            "    a.send(b'x'); assert b.recv(1) == b'x'\n"
            "    sys.exit(0)\n"
            "sys.exit(5)\n")
    if not sys.platform.startswith("linux"):
        pytest.skip("the network ban is Linux-only (seccomp)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_allowed_service_endpoints_only(store_path: Path, canary: Canary) -> None:
    allowed = f"{canary.url}/allowed"
    process, url = start_server(store_path, "--allow-service", allowed)
    try:
        ok = httpx.get(f"{url}/sparql", params={
            "query": f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}"}, timeout=30)
        assert ok.status_code == 200, ok.text
        assert canary.requests
        assert all(r.split(" ")[1].startswith("/allowed") for r in canary.requests)
        canary.requests.clear()
        for query in service_spellings(canary.url):
            response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)
            assert response.status_code in (400, 403), (query, response.text)
        assert canary.requests == []
        description = httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"}).text
        assert "BasicFederatedQuery" in description
    finally:
        process.stop()
        canary.requests.clear()


# --- 2. script links, CSP, CORS ----------------------------------------------------------------

@pytest.mark.parametrize("iri", ["javascript:alert(document.domain)",
                                 "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                                 "JavaScript:alert(1)", "vbscript:x", "file:///etc/passwd"])
def test_results_link_only_web_iris(client: httpx.Client, iri: str) -> None:
    query = f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}'
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    scheme = iri.split(":", 1)[0]
    assert f'href="{scheme}' not in html
    assert 'href="http://example.org/x"' in client.get("/sparql", params={
        "query": 'SELECT ?x WHERE { BIND(IRI("http://example.org/x") AS ?x) }'},
        headers={"Accept": "text/html"}).text


@pytest.mark.parametrize("path", ["/", "/sparql", "/page/doc/A/RES/69/12", "/page/ontology",
                                  "/page/nothing-here", "/data/doc/A/RES/69/12.ttl",
                                  "/static/style.css"])
def test_every_page_has_a_strict_content_security_policy(client: httpx.Client,
                                                         path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    policy = response.headers.get("content-security-policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'none'", policy
    assert "script-src" not in directives or "'unsafe-inline'" not in directives["script-src"]
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'"
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_cors_only_for_get_reads(client: httpx.Client) -> None:
    origin = {"Origin": "https://evil.example"}
    get = client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert get.headers.get("access-control-allow-origin") == "*"
    preflight = client.options("/sparql", headers={
        **origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert "POST" not in preflight.headers.get("access-control-allow-methods", "")
    assert preflight.headers.get("access-control-allow-origin") is None \
        or preflight.status_code >= 400
    post = client.post("/sparql", data={"query": "ASK {}"}, headers=origin)
    assert post.status_code == 200  # same-origin and non-browser clients may still POST
    assert "access-control-allow-origin" not in post.headers


# --- 7. byte limits ----------------------------------------------------------------------------

def test_response_size_is_limited_in_bytes(client: httpx.Client) -> None:
    # 10 rows of a string doubled 16 times (~65 KB each): few rows, many bytes
    doubling = "".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1}) " for i in range(16))
    query = (f'SELECT ?s16 WHERE {{ VALUES ?n {{ 1 2 3 4 5 6 7 8 9 10 }} '
             f'BIND(CONCAT("x", STR(?n)) AS ?s0) {doubling}}}')
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 422, response.status_code
    assert str(MAX_RESPONSE_BYTES) in response.text
    one_row = query.replace("1 2 3 4 5 6 7 8 9 10", "1")
    small = client.get("/sparql", params={"query": one_row})
    assert small.status_code == 200  # one row of ~65 KB is under the limit


def test_request_body_is_limited_in_bytes(client: httpx.Client) -> None:
    padding = "#" + "x" * (MAX_REQUEST_BYTES + 10) + "\nASK {}"
    direct = client.post("/sparql", content=padding.encode(),
                         headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 413
    form = client.post("/sparql", data={"query": padding})
    assert form.status_code == 413
    assert client.post("/sparql", content=b"ASK {}",
                       headers={"Content-Type": "application/sparql-query"}).status_code == 200


# --- 8. FROM and FROM NAMED --------------------------------------------------------------------

def count_of(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_from_makes_the_default_graph(client: httpx.Client) -> None:
    query = (f"SELECT (COUNT(*) AS ?n) FROM <{AUTHORITY}> "
             "WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert count_of(client.get("/sparql", params={"query": query})) == len(
        fixture_triples([AUTHORITY]))
    two = query.replace(f"FROM <{AUTHORITY}>", f"FROM <{AUTHORITY}> from <{GRAPH_70_5}>")
    assert count_of(client.get("/sparql", params={"query": two})) == len(
        fixture_triples([AUTHORITY, GRAPH_70_5]))
    # the protocol's default-graph-uri wins over FROM
    protocol = client.get("/sparql", params={"query": query, "default-graph-uri": GRAPH_70_5})
    assert count_of(protocol) == len(fixture_triples([GRAPH_70_5]))


def test_from_named_limits_the_named_graphs(client: httpx.Client) -> None:
    query = (f"SELECT DISTINCT ?g FROM NAMED <{AUTHORITY}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    assert graphs == [AUTHORITY]
    # with FROM NAMED only, the default graph is empty (SPARQL 1.1, 13.2)
    empty = client.get("/sparql", params={
        "query": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{AUTHORITY}> WHERE {{ ?s ?p ?o }}"})
    assert count_of(empty) == 0



# --- 6. leftovers: workers die with the server, stale temporary files are removed ----------------

def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    delay = 0.05
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(delay)  # polling with a short back-off
        delay = min(delay * 2, 0.5)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and prctl are Linux")
def test_query_workers_die_with_the_server_and_stale_dumps_go(store_path: Path) -> None:
    stale = Path(tempfile.gettempdir()) / f"unkg-serve-dump-{dead_pid()}-test"
    stale.mkdir()
    (stale / "unkg.nq.gz").write_bytes(b"old")
    process, url = start_server(store_path, "--query-timeout", "120")
    try:
        assert not stale.exists(), "a dump folder of a dead server was left"
        expensive = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                     "?j ?k ?l . ?m ?n ?o }")
        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server is killed meanwhile
                httpx.get(f"{url}/sparql", params={"query": expensive}, timeout=5)

        thread = threading.Thread(target=ask, daemon=True)
        thread.start()  # the worker that runs the query is a child process of the server
        # a worker is busy with the query when it has computed for a while (its start-up, the
        # imports, take about a second)
        assert wait_for(lambda: any(cpu_seconds(c) > 3 for c in children_of(
            process.process.pid)), 60)
        workers = children_of(process.process.pid)
        os.kill(process.process.pid, 9)
        process.process.wait(10)
        assert wait_for(lambda: not any(alive(w) for w in workers), 20), \
            f"query workers still alive after the server was killed: {workers}"
    finally:
        process.stop()
        shutil.rmtree(stale, ignore_errors=True)


def test_pages_have_a_time_limit_and_do_not_starve_the_endpoint(store_path: Path) -> None:
    # A 1 ms page limit: a document page (several store lookups) overruns it and is a 503;
    # meanwhile a crowd of such requests leaves the SPARQL endpoint answering.
    process, url = start_server(store_path, "--page-timeout", "0.001")
    try:
        with httpx.Client(base_url=url, timeout=30) as c:
            # A small page on an idle machine can beat even 1 ms now and then (the smallest
            # limit): the limit must answer 503 within a few tries.
            statuses = []
            for _ in range(10):
                response = c.get("/page/doc/A/RES/69/12", headers={"Accept": "text/html"})
                statuses.append(response.status_code)
                if response.status_code == 503:
                    break
            assert statuses[-1] == 503, statuses
            assert "time limit" in response.text
            crowd = [threading.Thread(target=lambda: c.get("/page/org/csto"), daemon=True)
                     for _ in range(30)]
            for t in crowd:
                t.start()
            started = time.monotonic()
            ask = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert ask.status_code == 200 and ask.json()["boolean"] is True
            assert time.monotonic() - started < 10
            for t in crowd:
                t.join(30)
    finally:
        process.stop()
