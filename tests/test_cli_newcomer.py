"""A newcomer's first hour (issue #16), through the real `unkg` script in a subprocess: usage
errors are one line and exit 2, nothing hangs (a time limit, Ctrl-C), output goes where it says.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from servers import VENV_BIN

from unkg.cli import main

UNKG = str(VENV_BIN / "unkg")
# A query no store answers quickly: the cross product of every triple with itself, twice.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def unkg(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    # a wide "terminal": rich wraps what it prints to $COLUMNS (80 when unset)
    return subprocess.run([UNKG, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("newcomer") / "store"
    assert main(["load", "--store", str(path), "--workers", "1",
                 str(Path(__file__).parents[1] / "unkg" / "data" / "corpus" / "seeds")]) == 0
    return path


@pytest.mark.parametrize(("args", "message"), [
    ((), "unkg: error: no command given (see `unkg --help`)"),
    (("frobnicate",), "unkg: error: No such command 'frobnicate'. (see `unkg --help`)"),
    (("query", "--bogus"), "unkg: error: No such option: --bogus (see `unkg query --help`)"),
    (("describe",), "unkg: error: Missing argument 'symbol'. (see `unkg describe --help`)"),
])
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    done = unkg(*args)
    assert (done.returncode, done.stderr, done.stdout) == (2, message + "\n", "")


def test_version() -> None:
    from unkg import __version__

    done = unkg("--version")
    assert (done.returncode, done.stdout) == (0, f"unkg {__version__}\n")


def test_a_query_past_its_time_limit_stops_with_a_message(store: Path) -> None:
    started = time.monotonic()
    done = unkg("query", "-e", ENDLESS, "--store", str(store), "--timeout", "1")
    assert done.returncode == 2, done.stderr
    assert done.stderr == "unkg: error: the query did not finish within 1 s (--timeout)\n"
    assert time.monotonic() - started < 30  # not the query's own (hours-long) end


def test_ctrl_c_stops_a_running_query_within_a_second(store: Path) -> None:
    proc = subprocess.Popen([UNKG, "query", "-e", ENDLESS, "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Interrupt once the query runs: after Python's start-up, the process keeps a core busy.
        watched = psutil.Process(proc.pid)
        deadline = time.monotonic() + 60
        while watched.cpu_times().user < 2.0:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=10)
        assert time.monotonic() - sent < 1.0
    finally:
        proc.kill()
        proc.wait()
    assert (proc.returncode, out, err) == (130, "", "unkg: interrupted\n")


def test_an_ad_hoc_syntax_error_is_at_the_users_own_line_and_column(store: Path) -> None:
    done = unkg("query", "-e", "SELECT ?x\nWHERE { ?x ?y }", "--store", str(store))
    assert done.returncode == 2
    first, quoted, caret = done.stderr.splitlines()
    # line 2 of what the user typed, not line 2 + the PREFIX lines the CLI prepends
    assert first.startswith("unkg: error: SPARQL syntax error in the query at line 2, column ")
    assert quoted == "  WHERE { ?x ?y }"
    assert caret.strip() == "^"


def test_a_misspelt_keyword_is_a_syntax_error_not_an_unknown_query_name(store: Path) -> None:
    done = unkg("query", "-e", "SELEC ?x WHERE { ?x ?y ?z }", "--store", str(store))
    assert done.returncode == 2
    assert done.stderr.startswith("unkg: error: SPARQL syntax error in the query at line 1,")
    assert "no stored query" not in done.stderr and "PREFIX" not in done.stderr


def test_extract_of_a_missing_file_prints_only_the_error(tmp_path: Path) -> None:
    done = unkg("extract", str(tmp_path / "nonexistent"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"unkg: error: {tmp_path / 'nonexistent'}:1: no such file\n"


@pytest.mark.parametrize(("args", "name"), [
    (("--format", "ttl"), "unkg.ttl"), (("--format", "nt", "--gzip"), "unkg.nt.gz"),
    ((), "unkg.nq"),
])
def test_export_default_file_name_follows_the_format(store: Path, tmp_path: Path,
                                                     args: tuple[str, ...], name: str) -> None:
    done = unkg("export", *args, "--store", str(store), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert done.stdout.startswith(f"wrote {name} (")


def test_export_dash_writes_to_standard_output(store: Path, tmp_path: Path) -> None:
    done = unkg("export", "--format", "nt", "-o", "-", "--store", str(store), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
    lines = done.stdout.splitlines()
    assert lines and all(line.endswith(" .") for line in lines)
    assert done.stderr.startswith(f"wrote {len(done.stdout.encode())} bytes to standard output")


def test_serve_on_a_busy_port_is_one_line_and_exit_2(store: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = unkg("serve", "--store", str(store), "--port", str(port), timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"unkg: error: cannot serve on 127.0.0.1:{port}: Address already in "
                           "use (give another --port)\n")


def test_tables_fit_80_columns_and_keep_the_key_whole(store: Path) -> None:
    done = subprocess.run([UNKG, "query", "incoming-citations", "-p", "symbol=A/RES/59/50", "-f",
                           "table", "--store", str(store)], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "80"}, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "…" not in done.stdout
    keys = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert "A/RES/69/12" in keys  # the document, whole, on one line


# --- a document without a symbol is addressable (the seed letter, seeds/000_…) ---

LETTER = "letter 2009-07-14 from Russian Federation"


def test_describe_a_document_without_a_symbol_by_its_handle_content_id_and_iri(
        store: Path) -> None:
    from unkg.api import KnowledgeGraph

    with KnowledgeGraph.open(store, read_only=True) as kg:
        iri = kg.describe(LETTER).iri
    assert iri is not None and "/doc/-/sha256-" in iri
    content_id = iri.rsplit("/", 1)[1]
    for key in (LETTER, content_id, iri, f"<{iri}>"):
        done = unkg("describe", key, "--store", str(store))
        assert done.returncode == 0, (key, done.stderr)
        assert done.stdout.splitlines()[0] == f"{LETTER}  <{iri}>"
        assert "date: 2009-07-14" in done.stdout


def test_describe_of_an_unknown_key_is_one_line_exit_2(store: Path) -> None:
    for key in ("letter 1999-01-01", "sha256-0000000000000000", "https://example.org/x"):
        done = unkg("describe", key, "--store", str(store))
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == (f"unkg: error: no document with symbol, handle, content id or "
                               f"IRI {key!r} in the store\n")


def test_rows_about_the_letter_carry_its_iri_and_handle(store: Path) -> None:
    import csv
    import io

    done = unkg("query", "cooperation-requests", "-p", "organization=org/csto", "-f", "csv",
                "--store", str(store))
    assert done.returncode == 0, done.stderr
    got = list(csv.DictReader(io.StringIO(done.stdout)))
    letter = [r for r in got if r["symbol"] == LETTER]
    assert letter and all("/doc/-/sha256-" in r["document"] for r in letter)
    assert all(r["document"] and r["symbol"] for r in got)


def test_describe_labels_in_the_language_asked(store: Path) -> None:
    english = unkg("describe", "A/RES/69/12", "--store", str(store))
    french = unkg("describe", "A/RES/69/12", "--store", str(store), "--lang", "fr")
    assert english.returncode == french.returncode == 0, french.stderr
    assert "  type: resolution\n  organ: General Assembly\n" in english.stdout
    assert "  type: résolution\n  organ: Assemblée générale\n" in french.stdout
    assert " recalls " in english.stdout and " rappelle " in french.stdout
    assert "Organisation du Traité de sécurité collective" in french.stdout
    bad = unkg("describe", "A/RES/69/12", "--store", str(store), "--lang", "fr;DROP")
    assert (bad.returncode, bad.stderr) == (
        2, "unkg: error: --lang 'fr;DROP': expected a language tag such as en or fr\n")
