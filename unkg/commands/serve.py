"""`unkg serve`: publish a built store as Linked Open Data (SPARQL endpoint, IRIs, pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unkg.ontology import DEFAULT_BASE


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        store: Annotated[Path, typer.Option(
            "--store", help="The built store (a directory made by `unkg build`).")
        ] = Path("unkg-data"),
        host: Annotated[str, typer.Option(help="Address to bind (default: this machine).")
                        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        base: Annotated[str, typer.Option(
            "--base", help="Base IRI the store's IRIs were minted under; the server's root "
                           "stands for it.")] = DEFAULT_BASE,
        query_timeout: Annotated[float, typer.Option(
            "--query-timeout", min=0.1, help="Time limit of a SPARQL query, in seconds.")
        ] = 30.0,
        max_results: Annotated[int, typer.Option(
            "--max-results", min=1, help="Largest result (rows or triples) returned.")
        ] = 10_000,
        allow_service: Annotated[bool, typer.Option(
            "--allow-service", help="Allow SERVICE (federated queries to other endpoints).")
        ] = False,
        workers: Annotated[int, typer.Option(
            "--query-workers", min=1, help="Worker processes answering SPARQL queries.")
        ] = 2,
    ) -> None:
        """Serve the graph: SPARQL endpoint at /sparql, dereferenceable IRIs, HTML pages, VoID."""
        import uvicorn

        from unkg.serve.app import ServeSettings, create_app

        _check_port(host, port)
        settings = ServeSettings(store_path=str(store), base=base, query_timeout=query_timeout,
                                 max_results=max_results, allow_service=allow_service,
                                 workers=workers)
        application = create_app(settings)
        typer.echo(f"unkg: serving {store} at http://{host}:{port}/ (base {base})", err=True)
        uvicorn.run(application, host=host, port=port, log_level="warning",
                    proxy_headers=False)


def _check_port(host: str, port: int) -> None:
    """A busy port is a usage error of one line, before anything is printed or started (uvicorn
    would log its own error and exit 3)."""
    import socket

    from unkg.errors import UsageError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as err:
        raise UsageError(f"cannot serve on {host}:{port}: {err.strerror or err}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as err:
            raise UsageError(f"cannot serve on {host}:{port}: {err.strerror or err} "
                             "(give another --port)") from None
