"""`unkg queries`, `unkg query` and `unkg push`: the query library, ad-hoc SPARQL, remote stores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from unkg.store import Store

DEFAULT_STORE = Path("unkg-data")

StoreOption = Annotated[Path, typer.Option("--store", help="Embedded store directory.")]
EndpointOption = Annotated[str | None, typer.Option(
    "--endpoint", help="SPARQL query endpoint of a server (its default graph must be the union "
                       "of the named graphs, e.g. `oxigraph serve --union-default-graph`).")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", help="Seconds a query may take (on the store or a server) before it is given up.")]


def open_for_query(store: Path, endpoint: str | None, timeout: float) -> Store:
    """The remote endpoint when one is given, else the embedded store (read-only)."""
    from unkg.errors import StoreError

    if endpoint:
        from unkg.store.remote import RemoteStore

        return RemoteStore(endpoint, timeout=timeout)
    if not store.is_dir():
        raise StoreError("no store here: run `unkg build` first, or give --store or --endpoint",
                         path=str(store))
    from unkg.store import OxigraphStore

    return OxigraphStore(store, read_only=True)


def user_position(err: Exception, user_text: str, sent: str, where: str) -> Exception:
    """A syntax error of ad-hoc SPARQL at the user's own line and column (the PREFIX lines we
    prepend shift the parser's), with that line quoted and a caret under the column."""
    import re

    from unkg.errors import QueryError

    message = str(err)
    found = re.search(r"error at (\d+):(\d+):?\s*", message)
    if not found:
        return err
    shift = sent[: len(sent) - len(user_text)].count("\n") if sent.endswith(user_text) else 0
    line, column = int(found.group(1)) - shift, int(found.group(2))
    lines = user_text.splitlines() or [""]
    reason = message[found.end():].strip() or "syntax error"
    quoted = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (max(column, 1) - 1) + "^"
    return QueryError(f"SPARQL syntax error in {where} at line {line}, column {column}: "
                      f"{reason}\n  {quoted}\n  {caret}")


def close_quietly(store: Store) -> None:
    """Close a store; a read-only embedded store refuses the flush that `close` tries
    (pyoxigraph raises RuntimeError), which is harmless here."""
    try:
        store.close()
    except RuntimeError:
        pass


def register(app: typer.Typer) -> None:
    @app.command("queries")
    def list_queries(
        format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    ) -> None:
        """List the stored queries: name, title and parameters."""
        import json
        import sys

        from unkg.errors import UsageError
        from unkg.queries import library

        if format not in ("table", "json"):
            raise UsageError(f"unknown format {format!r} (table or json)")
        if format == "json":
            data = [{"name": q.name, "title": q.title, "description": q.description,
                     "parameters": [{"name": p.name, "type": p.type, "optional": p.optional,
                                     "example": p.example, "description": p.description}
                                    for p in q.parameters]}
                    for q in library().values()]
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
            return
        from rich.console import Console
        from rich.table import Table

        table = Table("name", "title", "parameters")
        for q in library().values():
            params = ", ".join(
                f"{p.name} ({p.type}{', optional' if p.optional else ''})"
                + (f" e.g. {p.example}" if p.example else "") for p in q.parameters)
            table.add_row(q.name, q.title, params)
        Console(width=None if sys.stdout.isatty() else 160).print(table)

    @app.command("query")
    def query(
        name: Annotated[str | None, typer.Argument(help="Name of a stored query.")] = None,
        param: Annotated[list[str] | None, typer.Option(
            "--param", "-p", help="A parameter as name=value (repeat for several).")] = None,
        expression: Annotated[str | None, typer.Option(
            "--expression", "-e", help="Ad-hoc SPARQL query text.")] = None,
        file: Annotated[Path | None, typer.Option("--file", help="Ad-hoc SPARQL file.")] = None,
        format: Annotated[str | None, typer.Option(
            "--format", "-f", help="table, csv, tsv or json (SPARQL results JSON); "
                                   "default: table on a terminal, csv otherwise.")] = None,
        limit: Annotated[int | None, typer.Option("--limit", help="At most N rows.")] = None,
        endpoint: EndpointOption = None,
        store: StoreOption = DEFAULT_STORE,
        timeout: TimeoutOption = 60.0,
    ) -> None:
        """Run a stored query (`unkg query incoming-citations -p symbol=A/RES/59/50`) or ad-hoc
        SPARQL (`-e TEXT`, `--file F`) on the embedded store or a remote endpoint."""
        import sys

        from unkg.errors import InputError, UsageError
        from unkg.queries import FORMATS, run, write_result
        from unkg.queries.runner import parse_assignments

        sources = [s for s in (name, expression, file) if s is not None]
        if len(sources) != 1:
            raise UsageError("give exactly one of: a stored query NAME, -e TEXT or --file F")
        fmt = format or ("table" if sys.stdout.isatty() else "csv")
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
        params = parse_assignments(param or [])
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise InputError(f"cannot read the query: {err}", path=str(file)) from None
        elif expression is not None:
            text = expression
        else:
            from unkg.queries import get_query

            text = get_query(name or "").name
        if params and name is None:
            raise UsageError("--param works with stored queries; ad-hoc SPARQL has no parameters")
        user_text = text
        if name is None:
            from unkg.api import with_prefixes

            text = with_prefixes(text)  # ad-hoc text without PREFIX lines gets the project's
        from unkg.commands.limits import within
        from unkg.errors import QueryError

        backend = open_for_query(store, endpoint, timeout)
        try:
            result = within(timeout, lambda: run(backend, text, params, limit=limit,
                                                 adhoc=name is None))
        except QueryError as err:
            if name is None:
                raise user_position(err, user_text, text,
                                    str(file) if file else "the query") from None
            raise
        finally:
            close_quietly(backend)
        console = None
        if fmt == "table" and sys.stdout.isatty():
            from rich.console import Console

            console = Console()
        write_result(result, sys.stdout, fmt, console=console)

    @app.command("push")
    def push_command(
        endpoint: Annotated[str, typer.Option(
            "--endpoint", help="SPARQL query endpoint of the server (e.g. http://host:7878/query).")],
        store: StoreOption = DEFAULT_STORE,
        update_endpoint: Annotated[str | None, typer.Option(
            "--update-endpoint", help="SPARQL Update endpoint (default: derived).")] = None,
        gsp_endpoint: Annotated[str | None, typer.Option(
            "--gsp-endpoint", help="Graph Store Protocol endpoint (default: derived).")] = None,
        batch_size: Annotated[int, typer.Option(
            "--batch-size", help="Named graphs per batch.")] = 50,
        timeout: TimeoutOption = 120.0,
    ) -> None:
        """Upload the store's named graphs to a SPARQL 1.1 server: resumable (graphs already
        complete there are skipped), triple counts verified afterwards."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from unkg.errors import StoreError
        from unkg.store import OxigraphStore
        from unkg.store.remote import RemoteStore, push

        if not store.is_dir():
            raise StoreError("no store here: run `unkg build` first, or give --store",
                             path=str(store))
        local = OxigraphStore(store, read_only=True)
        remote = RemoteStore(endpoint, update_endpoint=update_endpoint,
                             gsp_endpoint=gsp_endpoint, timeout=timeout)
        try:
            with Progress(TextColumn("pushing graphs"), BarColumn(), MofNCompleteColumn(),
                          transient=True) as bar:
                task = bar.add_task("push", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = push(local, remote, batch_size=batch_size, progress=progress)
        finally:
            remote.close()
            close_quietly(local)
        typer.echo(f"pushed {report.uploaded} graph(s) ({report.triples} triples), "
                   f"{report.skipped} already on the server; {report.graphs} graph(s) verified")
