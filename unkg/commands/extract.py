"""`unkg extract PATH... [--format json|table]`: show what the loaders read in source files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: Annotated[list[Path], typer.Argument(help="UN document files (.txt, .md, …).")],
        format: Annotated[str, typer.Option("--format", "-f", help="json or table.")] = "json",
    ) -> None:
        """Print the document model read from each file (JSON: the stable keys of issue #2)."""
        import json
        import sys

        from unkg.errors import UnkgError, UsageError
        from unkg.graph.document_json import document_json
        from unkg.loaders import load_file

        if format not in ("json", "table"):
            raise UsageError(f"unknown format {format!r} (json or table)")
        docs = []
        failed = False
        for path in paths:
            if not path.exists():
                typer.echo(f"unkg: error: {path}:1: no such file", err=True)  # as the loaders say
                failed = True
                continue
            try:
                docs.extend(load_file(path))
            except UnkgError as err:  # one line per bad file; the batch goes on
                where = err
                if err.path and not err.line:
                    where = type(err)(err.reason, path=err.path, line=1)
                typer.echo(f"unkg: error: {where}", err=True)
                failed = True
        if failed and not docs:
            raise typer.Exit(2)  # the errors are the whole answer: no empty `[]` after them
        if format == "json":
            data = [document_json(d) for d in docs]
            out = data[0] if len(data) == 1 else data
            sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        else:
            _table(docs)
        if failed:
            raise typer.Exit(2)


def _table(docs: list) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for doc in docs:
        table = Table(
            title=f"{doc.symbol or doc.content_id} — {doc.type}, {doc.language}, {doc.date}"
        )
        for col in ("target", "function", "paragraph", "footnote", "text"):
            table.add_column(col)
        for c in doc.citations:
            table.add_row(c.target, c.function, c.paragraph, c.footnote or "", c.text)
        console.print(table)
