"""Value checks for every source: one rule per kind of value, whoever reads it.

The seed YAML, the Crunchbase exports and any deals spreadsheet all pass their values through
these functions, so that a date, an amount or a country means the same thing whichever file it
came from. Each function takes what the source gave (text from a CSV cell, a number or a date
from YAML or Excel) and returns the stored value, None for "not given", or raises ValueError
whose message is the problem as a user should read it (callers add file, line and field).

The rules:
  dates      ISO partial dates "YYYY", "YYYY-MM", "YYYY-MM-DD" (a real day); a timestamp
             ("2019-04-01 00:00:00", "2019-04-01T08:00:00Z") or an Excel date keeps its day.
  amounts    a finite number in units; "1,000,000" and "1_000_000" are read as 1000000. 0 means
             "unknown" (spreadsheets write 0 for an amount nobody reported): it is not stored.
             Negative numbers are refused. Whole numbers are stored as int.
  currencies ISO 4217 codes, upper case.
  countries  ISO 3166 alpha-2 or alpha-3 (and the few retired codes Crunchbase still uses),
             stored as alpha-2.
  bools      true/false, yes/no, y/n, t/f, 1/0 in any case; blank is unknown (None), not false.
  text       at most MAX_TEXT characters and no control characters but tab and line breaks.
  ids        made of several texts (a deals round: source, company, date, round name), an id past
             MAX_ID_BYTES is cut and ends in a digest of the whole (bounded_id).
"""
from __future__ import annotations

import datetime as dt
import math
import re

from .names import name_key

# Longer text is refused: 4 bytes a character still fits Neo4j's index key limit (8 kB).
MAX_TEXT = 2000
# An id made of several such texts could pass that limit (Neo4j then refuses the write half-way
# through an import): past this many bytes it is cut and ends in a digest (bounded_id).
MAX_ID_BYTES = 4000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but tab and newlines
PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
TRUE = frozenset({"true", "t", "yes", "y", "1"})
FALSE = frozenset({"false", "f", "no", "n", "0"})


def bounded_id(text: str) -> str:
    """An id Neo4j can index: `text` itself when it fits MAX_ID_BYTES of UTF-8 (nearly always);
    else its first characters, "~" and a SHA-256 digest of the whole, so that the same text always
    gives the same id (imports stay idempotent) and two texts that differ anywhere do not share one."""
    data = text.encode("utf-8")
    if len(data) <= MAX_ID_BYTES:
        return text
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    return data[:MAX_ID_BYTES - len(digest) - 1].decode("utf-8", errors="ignore") + "~" + digest


def blank(v) -> bool:
    """Nothing given: None, or text with nothing but spaces."""
    return v is None or (isinstance(v, str) and not v.strip())


def text(v, limit: int = MAX_TEXT) -> str | None:
    """Text Neo4j can index and a terminal or page can show: stripped, not huge, no control characters."""
    if blank(v):
        return None
    if not isinstance(v, str):
        v = str(v)
    if len(v) > limit:
        raise ValueError(f"too long: {len(v):,} characters (at most {limit:,})")
    bad = CONTROL.search(v)
    if bad:
        raise ValueError(f"control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
    return v.strip()


def date(v) -> str | None:
    """An ISO partial date: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (a timestamp keeps its day)."""
    if blank(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        raise ValueError(f"not a date: {v!r}")
    s = v.strip()
    stamp = _TIMESTAMP.match(s)
    if stamp:
        s = stamp.group(1)
    if not PARTIAL_DATE.match(s):
        raise ValueError(f"not a date: {v!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in s.split("-")] + [1, 1]
    try:
        dt.date(*parts[:3])
    except ValueError:
        raise ValueError(f"not a date: {v!r}") from None
    return s


def number(v) -> int | float | None:
    """A finite number >= 0 (int when whole), None when blank; thousands separators allowed."""
    if blank(v):
        return None
    if isinstance(v, bool):
        raise ValueError(f"not a number: {v!r}")
    given = v
    if isinstance(v, str):
        try:
            v = float(v.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(f"not a number: {given!r}") from None
    if not isinstance(v, (int, float)):
        raise ValueError(f"not a number: {given!r}")
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"not an amount: {given!r}")
    return int(v) if float(v).is_integer() and abs(v) < 2**63 else float(v)


def amount(v) -> int | float | None:
    """An amount of money: like `number`, and 0 is unknown (None)."""
    n = number(v)
    return n if n else None


def count(v) -> int | None:
    """A whole number >= 0 that Neo4j can store (a 64-bit integer: the driver cannot send a larger
    one, and an import would stop on it half-way)."""
    if blank(v):
        return None
    if isinstance(v, bool) or not (isinstance(v, int) and v >= 0 or (isinstance(v, str) and v.strip().isdecimal())):
        raise ValueError(f"not a whole number: {v!r}")
    n = int(v)
    if n >= 2**63:
        raise ValueError(f"too large: {v!r} (at most {2**63 - 1:,})")
    return n


def flag(v) -> bool | None:
    """True or False from the one vocabulary (true/false, yes/no, y/n, t/f, 1/0); blank is None."""
    if isinstance(v, bool) or blank(v):
        return v if isinstance(v, bool) else None
    s = str(v).strip().lower()
    if s in TRUE:
        return True
    if s in FALSE:
        return False
    raise ValueError(f"not true/false: {v!r}")


def currency(v) -> str | None:
    """An ISO 4217 currency code, upper case."""
    if blank(v):
        return None
    import pycountry

    s = str(v).strip().upper()
    if len(s) != 3 or pycountry.currencies.get(alpha_3=s) is None:
        raise ValueError(f"unknown ISO 4217 currency code: {v!r}")
    return s


_COUNTRIES: dict[str, str] | None = None


def country(v) -> str | None:
    """ISO 3166 alpha-2 for an alpha-2 or alpha-3 code (Crunchbase writes alpha-3)."""
    global _COUNTRIES
    if blank(v):
        return None
    if _COUNTRIES is None:
        import pycountry

        table = {}
        for c in pycountry.countries:
            table[c.alpha_3] = table[c.alpha_2] = c.alpha_2
        table.update({"ROM": "RO", "TAN": "TZ", "ZAR": "CD", "TMP": "TL", "ANT": "AN"})  # retired codes still in use
        _COUNTRIES = table
    try:
        return _COUNTRIES[str(v).strip().upper()]
    except KeyError:
        raise ValueError(f"unknown ISO 3166 country code: {v!r}") from None


def alias_keys(*names) -> tuple[list[str], dict[str, list[str]]]:
    """The distinct spellings among `names`, and per name key the spellings that fold to it.

    This is what becomes an entity's `aliases` and its (:Alias {key})-[:ALIAS_OF {names}] links,
    with the same key `dealgraph resolve` looks up (graph.names.name_key).
    """
    spellings: list[str] = []
    keys: dict[str, list[str]] = {}
    for name in names:
        name = (name or "").strip()
        if not name:
            continue
        if name not in spellings:
            spellings.append(name)
        key = name_key(name)
        if key and name not in keys.setdefault(key, []):
            keys[key].append(name)
    return spellings, keys
