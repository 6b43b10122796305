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
        allow_service: Annotated[list[str] | None, typer.Option(
            "--allow-service", metavar="URL",
            help="A SPARQL endpoint that queries may call with SERVICE (repeat the option for "
                 "several). Without it, SERVICE is refused and the query workers cannot reach "
                 "the network.")
        ] = None,
        workers: Annotated[int, typer.Option(
            "--query-workers", min=1, help="Worker processes answering SPARQL queries.")
        ] = 2,
        max_response_bytes: Annotated[int, typer.Option(
            "--max-response-bytes", min=1, help="Largest SPARQL result returned, in bytes.")
        ] = 50 * 1024 * 1024,
        max_request_bytes: Annotated[int, typer.Option(
            "--max-request-bytes", min=1, help="Largest request body (a POSTed query), in bytes.")
        ] = 1024 * 1024,
        page_timeout: Annotated[float, typer.Option(
            "--page-timeout", min=0.001,
            help="Time limit of an HTML page (or data or resource URL), in seconds.")
        ] = 10.0,
    ) -> None:
        """Serve the graph: SPARQL endpoint at /sparql, dereferenceable IRIs, HTML pages, VoID."""
        import uvicorn

        from unkg.serve.app import ServeSettings, create_app

        _check_port(host, port)
        settings = ServeSettings(store_path=str(store), base=base, query_timeout=query_timeout,
                                 max_results=max_results,
                                 allow_service=tuple(allow_service or ()),
                                 workers=workers, max_response_bytes=max_response_bytes,
                                 max_request_bytes=max_request_bytes,
                                 page_timeout=page_timeout)
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
