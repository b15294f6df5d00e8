"""The one reader of tabular files: rows of a .csv or .xlsx file, with their line numbers.

Every source that reads rows (Crunchbase exports, deals spreadsheets) reads them here, so a file
is refused the same way whichever command reads it: bytes that are not UTF-8 and control
characters name their line, a row with more or fewer fields than the header names its line, and
a missing required column names the columns found. A UTF-8 BOM (Excel's "CSV UTF-8") is dropped.

  read_rows(path, required)   (line, {header: text}) for each data row of a CSV file, streaming
  header(path)                a CSV file's header, as read_rows reads it
  read_table(path)            (header, rows) of a .csv or .xlsx file (the first sheet)
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError
from ..values import CONTROL


def _lines(f, path: str) -> Iterator[str]:
    """Decoded lines of a binary file (a UTF-8 BOM is dropped); bad bytes and control characters name their line."""
    for number, raw in enumerate(f, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8",
                             file=path, line=number) from None
        bad = CONTROL.search(text)
        if bad:
            raise InputError(f"control character U+{ord(bad.group()):04X} at column {bad.start() + 1}",
                             file=path, line=number)
        yield text


# Bytes that are never part of a control character graph.values.CONTROL refuses: deleting them
# from a chunk leaves the C0 controls (and DEL) it holds; the C1 controls are 0xC2 0x80-0x9F in UTF-8.
_PLAIN_BYTES = bytes(b for b in range(256) if not (b < 0x20 and b not in b"\t\n\r") and b != 0x7F)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _no_control_bytes(f) -> bool:
    """Whether an open binary file holds no control character, by a fast scan of its bytes (C
    code, no decoding), and back at its start. The rare file that does is read line by line by
    _lines, which names the line."""
    try:
        while chunk := f.read(1 << 22):
            if chunk.endswith(b"\xc2"):
                chunk += f.read(1)
            if chunk.translate(None, _PLAIN_BYTES) or (b"\xc2" in chunk and _C1.search(chunk)):
                return False
        return True
    finally:
        f.seek(0)


def read_rows(path: str, required: tuple[str, ...] = (), on_bytes: Callable[[int], None] | None = None
              ) -> Iterator[tuple[int, dict]]:
    """(line number, row dict) for each data row of a CSV file, streaming, with its header checked.

    `on_bytes(n)` hears how many bytes of the file have been read. Files without control
    characters (nearly all) are decoded and split by C code (io and csv); a bad byte found on the
    way is then looked up by _lines, which names its line."""
    with open(path, "rb") as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="") if _no_control_bytes(f) else _lines(f, path)
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError("empty file: expected a header line", file=path, line=1)
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"missing column {missing[0]!r} (found: {', '.join(header[:8])}"
                                 f"{', ...' if len(header) > 8 else ''})", file=path, line=1, field="header")
            width = len(header)
            start = reader.line_num + 1
            seen = 0
            for record in reader:
                if record:
                    if len(record) != width:
                        raise InputError(f"{len(record)} fields where the header has {width}",
                                         file=path, line=start)
                    yield start, dict(zip(header, record))
                start = reader.line_num + 1
                if on_bytes and reader.line_num - seen >= 4096:
                    on_bytes(f.tell())
                    seen = reader.line_num
            if on_bytes:
                on_bytes(f.tell())
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=path, line=reader.line_num) from None
        except UnicodeDecodeError:  # only the C path gets here: find the line as _lines would
            f.seek(0)
            for _ in _lines(f, path):
                pass
            raise


def header(path: str) -> list[str]:
    """The header of a CSV file (its first line, checked as read_rows checks it)."""
    with open(path, "rb") as f:
        first = next(_lines(f, path), "")
    return [h.strip() for h in next(csv.reader([first]), [])]


def read_table(path: Path) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """(header, iterator of (line, row dict)) of a .csv or .xlsx file; line = the row's number in the file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return header(str(path)), read_rows(str(path))
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    raise InputError("not a .csv or .xlsx file", file=str(path))


def _xlsx(path: Path):
    """The first sheet: its first non-empty row is the header; empty rows are skipped."""
    import zipfile

    from openpyxl import load_workbook  # heavy: only when a spreadsheet is read

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"cannot read as .xlsx: {exc}", file=str(path)) from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header, start = None, 0
    for number, cells in enumerate(lines, 1):
        if any(c not in (None, "") for c in cells):
            header, start = [("" if c is None else str(c)).strip() for c in cells], number
            break
    if header is None:
        book.close()
        raise InputError("empty sheet: expected a header row", file=str(path), line=1)

    def rows():
        try:
            for number, cells in enumerate(lines, start + 1):
                if all(c in (None, "") for c in cells):
                    continue
                yield number, {h: c for h, c in zip(header, cells) if h}
        finally:
            book.close()

    return header, rows()
