"""Bad rows of a spreadsheet import: all or nothing by default, or skipped and written to a rejects file.

Every reader of rows (Crunchbase exports, deals spreadsheets) reports each problem here as an
InputError naming file, line and field. By default the import then stops before writing anything,
naming the first problem and counting the others. With `skip` (`--skip-invalid`), each row with a
problem is left out instead, and `write_rejects` writes them, one line each with its file, line
number, field and reason (and the row's own values), so they can be fixed and imported again.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .errors import InputError


class Problems:
    """The problems found in rows; the first one is what the user is told."""

    def __init__(self, skip: bool = False):
        self.skip = skip
        self.first: InputError | None = None
        self.count = 0
        self.rejected: dict[tuple[str, int], tuple[InputError, dict | None]] = {}  # (file, line) -> first problem
        self.row: dict | None = None  # the row being checked, kept with its problem for the rejects file

    def add(self, error: InputError, row: dict | None = None) -> None:
        self.count += 1
        if self.first is None:
            self.first = error
        key = (str(error.file), error.line)
        if error.line is not None and key not in self.rejected:
            self.rejected[key] = (error, row if row is not None else self.row)

    def check(self, path: str, line: int, column: str, parse, value, row: dict | None = None):
        """`parse(value)`, or None with the problem recorded."""
        try:
            return parse(value)
        except ValueError as exc:
            self.add(InputError(str(exc), file=path, line=line, field=column), row)
            return None

    def bad(self, path: str, line: int) -> bool:
        return (str(path), line) in self.rejected

    def raise_if_any(self) -> None:
        """Without `skip`, the first problem as one line (and how many more): nothing is written."""
        if self.first is not None and not self.skip:
            more = f" (and {self.count - 1} more problem{'s' if self.count > 2 else ''}; nothing was imported)" \
                if self.count > 1 else " (nothing was imported)"
            first = self.first
            raise InputError(first.reason + more, file=first.file, line=first.line, field=first.field)

    def write_rejects(self, path) -> Path | None:
        """The rejected rows as CSV (file, line, field, problem, then the row's columns); None if none."""
        if not self.rejected:
            return None
        path = Path(path)
        columns: list[str] = []
        for _, row in self.rejected.values():
            for key in row or {}:
                if key not in columns:
                    columns.append(key)
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["file", "line", "field", "problem", *columns])
            for (file, line), (error, row) in sorted(self.rejected.items(), key=lambda kv: (kv[0][0], kv[0][1])):
                out.writerow([file, line, error.field or "", error.reason,
                              *[_cell((row or {}).get(c)) for c in columns]])
        return path


def _cell(value) -> str:
    return "" if value is None else str(value)


def clear_rejects(path) -> bool:
    """Remove an earlier rejects file at `path` after an import that rejected nothing, so no stale
    list of rejected rows outlives the import that fixed them. Only a file of ours (its header
    says so) is removed; True if one was."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            ours = f.readline().startswith("file,line,field,problem")
    except OSError:
        return False
    if ours:
        path.unlink()
    return ours


def default_rejects_path(path) -> Path:
    """`<stem>.rejects.csv` beside the input file (or beside the input folder)."""
    path = Path(path)
    return path.with_name(f"{path.stem if path.is_file() else path.name}.rejects.csv")
