"""One exception tree. The CLI is the only place that turns these into messages and exit codes."""

from __future__ import annotations


class UnkgError(Exception):
    """Base of unkg's errors. `str(err)` is one line a person can read."""

    exit_code = 2

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.reason}"


class InputError(UnkgError):
    """A source file that cannot be read as a UN document (empty, binary, malformed…)."""


class SymbolError(InputError, ValueError):
    """Text that is not a UN document symbol (a `ValueError` too, as for any bad value)."""


class UsageError(UnkgError):
    """A wrong option, parameter or argument."""


class StoreError(UnkgError):
    """The store cannot be opened, read or written (or a remote endpoint failed)."""


class QueryError(UnkgError):
    """A SPARQL query that does not parse, or a parameter of the wrong type."""


class NonConformantError(UnkgError):
    """The data does not conform to the SHACL shapes (exit code 1, like pyshacl)."""

    exit_code = 1
