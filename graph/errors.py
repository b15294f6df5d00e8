"""The one exception type the CLI turns into a single clear line.

Every failure a user can cause (bad input, unreachable server, wrong password, unknown query)
is raised as a DealgraphError whose message is already the line to print: the CLI shows it
without a traceback and exits non-zero.
"""
from __future__ import annotations


class DealgraphError(Exception):
    """A failure explained in one line; `exit_code` is what the CLI exits with."""

    exit_code = 1


class InputError(DealgraphError):
    """Bad input, located as precisely as we can: ``file:line: field: message``."""

    def __init__(self, message: str, *, file=None, line: int | None = None, field: str | None = None):
        self.file, self.line, self.field, self.reason = file, line, field, message
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        if field:
            where += f"{field}: "
        super().__init__(where + message)


class Unavailable(DealgraphError):
    """Neo4j cannot be reached (down, restarting, refusing our credentials): try again later.

    The web app answers 503 for it, and serves again once Neo4j is back."""
