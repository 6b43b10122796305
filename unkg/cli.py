"""The `unkg` command. Thin: each command lives in `unkg.commands.<area>` and calls the library.

This module is the one boundary where `UnkgError`s become one-line messages and exit codes
(0 ok, 1 non-conformant data, 2 usage or input error). No traceback reaches a user.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated

import typer

app = typer.Typer(
    name="unkg",
    help="United Nations documents as a knowledge graph of institutional links.",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from unkg import __version__

        typer.echo(f"unkg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """United Nations documents as a knowledge graph of institutional links."""
    # A callback keeps `unkg CMD` a command group even while only one command is registered.


# Each module defines `register(app)`; command bodies import the library lazily so --help is fast.
COMMAND_MODULES = ("extract", "graph", "queries", "serve", "network")


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"unkg.commands.{name}").register(app)


_register_all()


# Commands that must run in the main thread: uvicorn installs its own signal handlers.
MAIN_THREAD_COMMANDS = frozenset({"serve"})


def _usage_error(err: Exception) -> str | None:
    """The one line of a command-line usage error (unknown command or option, missing
    argument…), or None. Duck-typed: typer vendors its own click, whose classes are not
    `click.ClickException`."""
    if getattr(err, "exit_code", None) != 2 or not hasattr(err, "format_message"):
        return None
    ctx = getattr(err, "ctx", None)
    path = getattr(ctx, "command_path", None) or "unkg"
    message = " ".join(str(err.format_message()).split())
    return f"{message} (see `{path} --help`)"


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `unkg` script (with `argv` None) and of in-process tests.

    As a script, a command still running in a worker thread after an interrupt or a time limit
    (native code cannot be stopped) is left behind: the process ends at once with the code.
    """
    from unkg.commands.limits import runaway

    code = _main_code(argv)
    if argv is None and runaway():
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _invoke(argv: list[str]) -> object:
    # with standalone_mode=False click returns a typer.Exit's code instead of raising it
    def command() -> object:
        return app(args=argv, prog_name="unkg", standalone_mode=False)

    first = next((a for a in argv if not a.startswith("-")), None)
    if first in MAIN_THREAD_COMMANDS:
        return command()
    from unkg.commands.limits import interruptible

    return interruptible(command)


def _main_code(argv: list[str] | None) -> int:
    from unkg.errors import UnkgError

    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        typer.echo("unkg: error: no command given (see `unkg --help`)", err=True)
        return 2
    try:
        result = _invoke(args)
        if isinstance(result, int) and result:
            return result
    except UnkgError as err:
        typer.echo(f"unkg: error: {err}", err=True)
        return err.exit_code
    except typer.Exit as err:
        return err.exit_code
    except typer.Abort:
        typer.echo("unkg: interrupted", err=True)
        return 130
    except KeyboardInterrupt:
        typer.echo("unkg: interrupted", err=True)
        return 130
    except Exception as err:  # usage errors and anything unforeseen: one line, no traceback
        line = _usage_error(err)
        if line is not None:
            typer.echo(f"unkg: error: {line}", err=True)
            return 2
        typer.echo(f"unkg: internal error: {type(err).__name__}: {err}", err=True)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
