"""`unkg network`: a projection of the graph as a network file (Gephi, networkx, CSV, pictures)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

KINDS_HELP = "citations | organisations | mentions"
FORMATS_HELP = "graphml | gexf | csv | json | png | svg (default: from --out's extension)"


def register(app: typer.Typer) -> None:
    @app.command()
    def network(
        kind: Annotated[str, typer.Argument(help=f"Which network: {KINDS_HELP}.")],
        out: Annotated[Path, typer.Option(
            "--out", "-o",
            help="File to write (csv writes <stem>-nodes.csv and <stem>-edges.csv).")],
        fmt: Annotated[str | None, typer.Option("--format", "-f", help=FORMATS_HELP)] = None,
        store: Annotated[Path, typer.Option(
            "--store", help="The built store (a directory made by `unkg build`).")
        ] = Path("unkg-data"),
        endpoint: Annotated[str | None, typer.Option(
            "--endpoint", help="Read a remote SPARQL 1.1 endpoint instead of --store.")] = None,
        since: Annotated[str | None, typer.Option(
            "--since", help="Keep evidence dated on or after (YYYY or YYYY-MM-DD).")] = None,
        until: Annotated[str | None, typer.Option(
            "--until", help="Keep evidence dated on or before (YYYY or YYYY-MM-DD).")] = None,
    ) -> None:
        """Write the citation, organisation or document–entity network of the graph."""
        from unkg import network as net
        from unkg.errors import UsageError

        if kind not in (*net.NETWORK_KINDS, "organizations"):
            raise UsageError(f"unknown network {kind!r} (one of {KINDS_HELP})")
        from unkg.store.base import Store

        source: Store
        if endpoint:
            from unkg.store.remote import RemoteStore

            source = RemoteStore(endpoint)
        else:
            if not store.is_dir():
                raise UsageError("no store here (build one with `unkg build`, or give --store)",
                                 path=str(store))
            from unkg.store import OxigraphStore

            source = OxigraphStore(store, read_only=True)
        try:
            graph = net.project(source, kind, since=since, until=until)
            written = net.export(graph, out, fmt)
        finally:
            source.close()
        typer.echo(f"unkg: {kind} network: {graph.number_of_nodes()} nodes, "
                   f"{graph.number_of_edges()} edges → {', '.join(str(p) for p in written)}",
                   err=True)
