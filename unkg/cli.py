"""The `unkg` command. Thin: each command lives in `unkg.commands.<area>` and calls the library.

This module is the one boundary where `UnkgError`s become one-line messages and exit codes
(0 ok, 1 non-conformant data, 2 usage or input error). No traceback reaches a user.
"""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="unkg",
    help="United Nations documents as a knowledge graph of institutional links.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

@app.callback()
def _main() -> None:
    """United Nations documents as a knowledge graph of institutional links."""
    # A callback keeps `unkg CMD` a command group even while only one command is registered.


# Each module defines `register(app)`; command bodies import the library lazily so --help is fast.
COMMAND_MODULES = ("extract", "graph", "queries", "serve", "network")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"unkg.commands.{name}").register(app)


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `unkg` script."""
    from unkg.errors import UnkgError

    try:
        # with standalone_mode=False click returns a typer.Exit's code instead of raising it
        result = app(args=argv, standalone_mode=False)
        if isinstance(result, int) and result:
            return result
    except UnkgError as err:
        typer.echo(f"unkg: error: {err}", err=True)
        return err.exit_code
    except typer.Exit as err:
        return err.exit_code
    except typer.Abort:
        typer.echo("unkg: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("unkg: interrupted", err=True)
        return 130
    except Exception as err:  # click usage errors and anything unforeseen: one line, no traceback
        import click

        if isinstance(err, click.ClickException):
            err.show()
            return 2
        typer.echo(f"unkg: internal error: {type(err).__name__}: {err}", err=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
