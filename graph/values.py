"""Value checks for every source and every reader: one rule per kind of value, whoever reads it.

The seed YAML, the Crunchbase exports, any deals spreadsheet, query parameters (`-p`, web forms)
and `--as-of` all pass their values through these functions, so that a date, an amount, a flag
or a country means the same thing wherever it was written. Each function takes what was given
(text from a CSV cell or a command line, a number or a date from YAML or Excel) and returns the
stored value, None for "not given", or raises ValueError whose message is the problem as a user
should read it (callers add file, line and field). docs/values.md lists what each accepts.

The rules:
  dates      ISO partial dates "YYYY", "YYYY-MM", "YYYY-MM-DD" (a real day); "2002/08/08"; English
             month names ("Aug 8, 2002", "8 August 2002", "August 8th, 2002", "Aug 2002": a partial
             date keeps its precision); numeric day/month dates ("08/03/2021", "8.3.2021") in the
             order given (`order`: "day" or "month"; a value whose first part is over 12 is day
             first by itself); a time after a date is dropped; Excel date cells keep their day.
             A bare number other than a four-digit year is never a date; a year has four digits.
  amounts    a finite number >= 0 in units: "1,000,000", "1_000_000", "2.75e9", "1.5M", "2bn",
             "1.5 million"; 0 means "unknown" (not stored). Grouping "1.500.000,50" where the value
             or its column (`style`) shows it; "1.500" alone is refused (1.5 or 1500?).
  money      an amount with its currency mark: "$1.5M", "USD 1.5m", "€3.5m", "£2bn", "¥300 million".
  counts     whole numbers Neo4j can store (64 bits); a count is >= 0.
  currencies ISO 4217 codes, upper case.
  countries  names ("Germany", "United States", "Viet Nam"), ISO 3166 alpha-2 or alpha-3 and common
             short forms (UK, U.S., Russia), stored as alpha-2.
  flags      true/false, yes/no, y/n, t/f, on/off, 1/0 in any case; blank is unknown (None).
  blanks     a cell saying "Not Published", "Undisclosed", "N/A", "-", ... is empty (placeholder).
  text       at most MAX_TEXT characters and no control characters but tab and line breaks.
  ids        made of several texts (a deals round: source, company, date, round name), an id past
             MAX_ID_BYTES is cut and ends in a digest of the whole (bounded_id).
  shown      one rule for a value as text in tables and pictures (shown).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from .names import name_key

# Longer text is refused: 4 bytes a character still fits Neo4j's index key limit (8 kB).
MAX_TEXT = 2000
# An id made of several such texts could pass that limit (Neo4j then refuses the write half-way
# through an import): past this many bytes it is cut and ends in a digest (bounded_id).
MAX_ID_BYTES = 4000
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but tab and newlines
INT64 = 2**63
TRUE = frozenset({"true", "t", "yes", "y", "1", "on"})
FALSE = frozenset({"false", "f", "no", "n", "0", "off"})
# What spreadsheets write for "not given" (compared case-folded, spaces around ignored).
PLACEHOLDERS = frozenset({"not published", "undisclosed", "unknown", "n/a", "na", "-", "—", "–", "none", "null",
                          "not disclosed"})


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


def placeholder(v, extra=frozenset()) -> bool:
    """A cell that says nothing is given ("Not Published", "N/A", "-", ... or one of `extra`)."""
    return isinstance(v, str) and v.strip().casefold() in (PLACEHOLDERS | extra)


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


# -- dates -----------------------------------------------------------------------------------------
DATE_FORMS = "2002-08-08, 2002-08, 2002, 2002/08/08, Aug 8, 2002, 8 August 2002, Aug 2002 or 08/03/2021"
_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_YMD = re.compile(r"(\d{4})(?:-(\d{2})-(\d{2})|[/.](\d{1,2})[/.](\d{1,2}))" + _TIME, re.I)
_DM = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _TIME, re.I)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The words a date written with a month name may hold besides the month (dateutil reads the rest).
_DATE_WORDS = frozenset({m[:3] for m in _MONTHS} | {"sept"} | set(_MONTHS) | {d[:3] for d in _WEEKDAYS}
                        | set(_WEEKDAYS) | {"st", "nd", "rd", "th", "of", "at", "am", "pm", "a", "p", "m", "t",
                                            "z", "utc", "gmt"})
_MONTH_NAMES = frozenset({m[:3] for m in _MONTHS} | set(_MONTHS) | {"sept"})


def day_month(v) -> str | None:
    """How a numeric day/month date ("08/03/2021", "8.3.2021") can be read: "day" (its first part
    is over 12), "month" (its second part is), "either", or None when `v` is not such a date."""
    m = _DM.fullmatch(v.strip()) if isinstance(v, str) else None
    if not m:
        return None
    return "day" if int(m[1]) > 12 else "month" if int(m[3]) > 12 else "either"


def date(v, order: str | None = None) -> str | None:
    """An ISO partial date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') from any form the rules list.

    `order` ("day" or "month") reads numeric day/month dates; without it only a value that shows
    its own order (a part over 12) is read, and "08/03/2021" is refused as ambiguous."""
    if blank(v):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise ValueError(f"not a date: {v!r}")
    s = str(v).strip()
    if s.isdigit() and len(s) != 4:
        raise ValueError(f"not a date: {v!r} (a number is a date only as a four-digit year)")
    for read in (_iso_date, _ymd_date, _dm_date, _worded_date):
        got = read(s, order)
        if got:
            return got
    raise ValueError(f"not a date: {v!r} (expected a date such as {DATE_FORMS})")


def _day(v: str, year: int, month: int, day: int | None = None) -> str:
    """'YYYY-MM-DD' (or 'YYYY-MM' without a day) of a day that exists; ValueError otherwise."""
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        raise ValueError(f"not a date: {v!r} (no such day)") from None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _iso_date(s: str, order) -> str | None:
    m = _ISO.fullmatch(s)
    if not m:
        return None
    if m[2] is None:
        return s
    return _day(s, int(m[1]), int(m[2]), int(m[3]) if m[3] else None)


def _ymd_date(s: str, order) -> str | None:
    m = _YMD.fullmatch(s)
    if not m:
        return None
    return _day(s, int(m[1]), int(m[2] or m[4]), int(m[3] or m[5]))


def _dm_date(s: str, order) -> str | None:
    m = _DM.fullmatch(s)
    if not m:
        return None
    shows = day_month(s)
    if shows == "either" and order is None:
        raise ValueError(f"not a date: {s!r} (day or month first? write it as YYYY-MM-DD)")
    if shows != "either" and order not in (None, shows):
        raise ValueError(f"not a date: {s!r} (its {('first', 'second')[shows == 'month']} part is over 12, "
                         f"but the column's dates are {order} first)")
    first, second = int(m[1]), int(m[3])
    day, month = (first, second) if (order or shows) == "day" else (second, first)
    return _day(s, int(m[4]), month, day)


def _worded_date(s: str, order) -> str | None:
    """'Aug 8, 2002', '8 August 2002', 'Aug 2002': a month name and a four-digit year, read by dateutil."""
    words = set(re.findall(r"[a-z]+", s.lower()))
    if not words & _MONTH_NAMES:
        return None
    numbers = re.findall(r"(?<![\d:.])\d+(?![\d:])", s)  # a time's digits aside
    years, days = [n for n in numbers if len(n) == 4], [n for n in numbers if len(n) <= 2]
    if words - _DATE_WORDS or len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        raise ValueError(f"not a date: {s!r} (expected a date such as {DATE_FORMS})")
    from dateutil import parser

    try:
        got = parser.parse(s, default=dt.datetime(int(years[0]), 1, 1))
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"not a date: {s!r} ({'no such day' if 'range' in str(exc) else 'unreadable'})") from None
    if got.year != int(years[0]) or days and got.day != int(days[0]):  # dateutil read a number otherwise
        raise ValueError(f"not a date: {s!r} (unreadable)")
    return got.date().isoformat() if days else got.date().isoformat()[:7]


class ColumnError(ValueError):
    """A column refused as a whole; `line` is the first line that shows why."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def date_order(cells) -> tuple[str, int, str] | None:
    """The day/month order a column of (line, value) pairs shows: (order, line, value) of the first
    value whose order is certain, None when no value is a numeric day/month date.

    Raises ColumnError when every such value is ambiguous (both parts 12 or less)."""
    ambiguous = None
    for line, v in cells:
        shows = day_month(v)
        if shows in ("day", "month"):
            return shows, line, v.strip()
        if shows and ambiguous is None:
            ambiguous = (line, v.strip())
    if ambiguous:
        raise ColumnError(f"every day/month date could be day or month first (line {ambiguous[0]}: "
                          f"{ambiguous[1]!r}): say which with --dayfirst or --monthfirst", ambiguous[0])
    return None


# -- numbers ---------------------------------------------------------------------------------------
# (thousands separator, decimal mark) of each grouping style
STYLES = {"en": (",", "."), "eu": (".", ",")}
STYLE_NAMES = {"en": "like 1,500,000.50", "eu": "like 1.500.000,50"}
_GROUPED = {style: re.compile(rf"\d{{1,3}}(?:{re.escape(g)}\d{{3}})+(?:{re.escape(d)}\d+)?|\d+(?:{re.escape(d)}\d+)?")
            for style, (g, d) in STYLES.items()}
_EXPONENT = re.compile(r"\d+(?:\.\d+)?e[+-]?\d+", re.I)
_AMBIGUOUS = re.compile(r"\d{1,3}\.\d{3}")  # 1.500: 1.5, or 1500 grouped European style?
_UNITS = {"k": 3, "thousand": 3, "m": 6, "mm": 6, "mn": 6, "mio": 6, "million": 6, "millions": 6,
          "b": 9, "bn": 9, "bln": 9, "billion": 9, "billions": 9, "tn": 12, "trillion": 12}


def number_style(s) -> str | None:
    """The grouping a written number shows by itself: "en" (1,500,000.50), "eu" (1.500.000,50 or
    1500,50), or None (no separator, one dot, or one comma before three digits)."""
    if not isinstance(s, str):
        return None
    s = s.strip()
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        return "en" if s.rfind(".") > s.rfind(",") else "eu"
    if commas > 1 or (commas == 1 and re.search(r"\d,\d{3}(?!\d)", s)):
        return "en" if commas > 1 else None
    return "eu" if dots > 1 or commas == 1 else None


def _decimal(s: str, style: str | None) -> Decimal:
    """The number written in `s` (digits with grouping in the value's or the column's style)."""
    s = re.sub(r"(?<=\d)[_'\u00a0\u202f](?=\d)", "", s)
    if _EXPONENT.fullmatch(s):
        return Decimal(s)
    shown = number_style(s)
    if style and shown and shown != style:
        raise ValueError(f"not a number: {s!r} is grouped {STYLE_NAMES[shown]}, the column {STYLE_NAMES[style]}")
    style = style or shown
    if style is None and _AMBIGUOUS.fullmatch(s):
        raise ValueError(f"not a number: {s!r} could be {Decimal(s).normalize()} or {s.replace('.', '')} (the column "
                         "shows no other grouping)")
    group, mark = STYLES[style or "en"]
    if not _GROUPED[style or "en"].fullmatch(s):
        raise ValueError(f"not a number: {s!r}")
    return Decimal(s.replace(group, "").replace(mark, "."))



def _plain(n: Decimal) -> int | float:
    """int when whole and within 64 bits, else float (Neo4j stores integers in 64 bits)."""
    if n == n.to_integral_value() and abs(n) < INT64:
        return int(n)
    return float(n)


def number(v, style: str | None = None) -> int | float | None:
    """A finite number >= 0 (int when whole), None when blank; grouping and units allowed."""
    if blank(v):
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise ValueError(f"not a number: {v!r}")
    if isinstance(v, str):
        n, marks = _written(v, style)
        if marks:
            raise ValueError(f"not a number: {v!r} (a currency goes in its own column)")
    elif not math.isfinite(v) or v < 0:
        raise ValueError(f"not an amount: {v!r}")
    else:
        n = Decimal(v)
    return _plain(n)


def _written(v: str, style: str | None) -> tuple[Decimal, list[str]]:
    """(number, currency marks) of an amount as written: sign, marks, digits, unit."""
    m = re.fullmatch(r"(?P<before>\D*?)(?P<num>\d[\d.,_'\u00a0\u202f]*(?:e[+-]?\d+)?)(?P<after>\D*)", v.strip(), re.I)
    if not m:
        if v.strip().lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
            raise ValueError(f"not an amount: {v!r}")
        raise ValueError(f"not a number: {v!r}")
    if re.search(r"[-−(]", m["before"]):
        raise ValueError(f"not an amount: {v!r} (negative)")
    marks, scale = [], 0
    for where in ("before", "after"):
        for token in _MARK.findall(m[where]):
            low = token.lower().rstrip(".")
            if where == "after" and low in _UNITS and not scale:
                scale = _UNITS[low]
            elif token in SYMBOLS or token.upper() in SYMBOLS or _is_currency(token):
                marks.append(token)
            else:
                raise ValueError(f"not a number: {v!r}")
    return _decimal(m["num"], style) * (10 ** scale), marks


def amount(v, style: str | None = None) -> int | float | None:
    """An amount: like `number`, and 0 is unknown (None)."""
    n = number(v, style)
    return n if n else None


class Money(NamedTuple):
    amount: int | float | None
    currency: str | None
    mark: str | None       # the symbol or code written in the cell ('$', 'EUR'), None if none


# currency symbols and the codes each may stand for (the first when nothing else says)
SYMBOLS = {"$": ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD"), "US$": ("USD",), "A$": ("AUD",),
           "AU$": ("AUD",), "C$": ("CAD",), "CA$": ("CAD",), "HK$": ("HKD",), "S$": ("SGD",), "NZ$": ("NZD",),
           "NT$": ("TWD",), "R$": ("BRL",), "€": ("EUR",), "£": ("GBP",), "¥": ("JPY", "CNY"), "JP¥": ("JPY",),
           "CN¥": ("CNY",), "RMB": ("CNY",), "₹": ("INR",), "₩": ("KRW",), "₫": ("VND",), "₪": ("ILS",),
           "₺": ("TRY",), "₽": ("RUB",), "₦": ("NGN",), "₱": ("PHP",), "฿": ("THB",)}
_MARK = re.compile("|".join(re.escape(s) for s in sorted(SYMBOLS, key=len, reverse=True)) + r"|[A-Za-z]+\.?|\S",
                   re.I)


def _is_currency(token: str) -> bool:
    try:
        return currency(token) is not None
    except ValueError:
        return False


def money(v, style: str | None = None, given: str | None = None) -> Money:
    """An amount with the currency its cell writes ("$1.5M", "EUR 3,5 Mio") or `given` (a currency
    column's code). A mark that disagrees with `given` is refused; 0 is unknown (None)."""
    if blank(v):
        return Money(None, given, None)
    if not isinstance(v, str):
        return Money(amount(v), given, None)
    n, marks = _written(v, style)
    codes = {SYMBOLS.get(m, SYMBOLS.get(m.upper(), (m.upper(),))) for m in marks}
    if len(codes) > 1:
        raise ValueError(f"two currencies in one amount: {v!r}")
    if not codes:
        return Money(_plain(n) or None, given, None)
    (choices,) = codes
    if given and given not in choices:
        raise ValueError(f"{v!r} is in {choices[0]}, but its currency column says {given}")
    return Money(_plain(n) or None, given or choices[0], marks[0])


def amount_style(cells) -> tuple[str, int, str] | None:
    """The grouping a column of (line, value) pairs shows: (style, line, value) of the first value
    that shows one, None when none does."""
    for line, v in cells:
        num = re.search(r"\d[\d.,]*", v) if isinstance(v, str) else None
        shows = number_style(num.group()) if num else None
        if shows:
            return shows, line, v.strip()
    return None


def integer(v) -> int | None:
    """A whole number Neo4j can store (a 64-bit integer: the driver cannot send a larger one, and an
    import would stop on it half-way); digits with an optional sign, or an int."""
    if blank(v):
        return None
    if isinstance(v, bool) or not (isinstance(v, int) or isinstance(v, str) and re.fullmatch(r"[+-]?\d+", v.strip())):
        raise ValueError(f"not a whole number: {v!r}")
    n = int(v)
    if not -INT64 <= n < INT64:
        raise ValueError(f"too large: {v!r} (at most {INT64 - 1:,})")
    return n


def count(v) -> int | None:
    """A whole number >= 0 that Neo4j can store (integer)."""
    n = integer(v)
    if n is not None and (n < 0 or isinstance(v, str) and not v.strip().isdecimal()):
        raise ValueError(f"not a whole number: {v!r}")
    return n


def real(v) -> float | None:
    """A finite number of any sign (a query's float parameter): digits, a point, an exponent."""
    if blank(v):
        return None
    try:
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ValueError
        n = float(v)
    except ValueError:
        raise ValueError(f"not a number: {v!r}") from None
    if not math.isfinite(n):
        raise ValueError(f"not a number: {v!r}")
    return n


def flag(v) -> bool | None:
    """True or False from the one vocabulary (true/false, yes/no, y/n, t/f, on/off, 1/0); blank is None."""
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


# -- countries -------------------------------------------------------------------------------------
# Short forms in common use that ISO's names do not give (keys as `_country_key` writes them).
COUNTRY_FORMS = {"uk": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
                 "wales": "GB", "northern ireland": "GB", "america": "US", "south korea": "KR",
                 "north korea": "KP", "russia": "RU", "vietnam": "VN", "laos": "LA", "syria": "SY",
                 "turkey": "TR", "czech republic": "CZ", "uae": "AE", "holland": "NL", "ivory coast": "CI",
                 "macau": "MO", "mainland china": "CN", "prc": "CN", "burma": "MM", "swaziland": "SZ",
                 "cape verde": "CV", "east timor": "TL", "palestine": "PS", "vatican": "VA",
                 # retired ISO codes still in use (Crunchbase)
                 "rom": "RO", "tan": "TZ", "zar": "CD", "tmp": "TL", "ant": "AN"}
_COUNTRIES: dict[str, str] | None = None


def _country_key(v: str) -> str:
    """A country as compared: accents, dots and case dropped, other punctuation as spaces, no 'the'."""
    s = unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode().casefold().replace(".", "")
    s = " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())
    return s[4:] if s.startswith("the ") else s


def _country_table() -> dict[str, str]:
    global _COUNTRIES
    if _COUNTRIES is None:
        import pycountry

        table, short = {}, {}
        for c in pycountry.countries:
            for name in (getattr(c, "official_name", None), c.name):  # common names: the short forms below
                if name:
                    table[_country_key(name)] = c.alpha_2
            short.setdefault(_country_key(c.name.split(",")[0]), set()).add(c.alpha_2)  # "Iran, Islamic ..."
        table.update({k: next(iter(v)) for k, v in short.items() if len(v) == 1 and k not in table})
        table.update(COUNTRY_FORMS)
        for c in pycountry.countries:
            table[c.alpha_3.lower()] = table[c.alpha_2.lower()] = c.alpha_2
        _COUNTRIES = table
    return _COUNTRIES


def country(v) -> str | None:
    """ISO 3166 alpha-2 for a country's name, its alpha-2 or alpha-3 code or a common short form."""
    if blank(v):
        return None
    try:
        return _country_table()[_country_key(str(v))]
    except KeyError:
        raise ValueError(f"unknown country: {v!r} (expected a name or an ISO 3166 code such as "
                         "'United States', 'US' or 'USA')") from None


# -- values as text --------------------------------------------------------------------------------
def shown(v, grouped: bool = True) -> str:
    """One rule for a value as text in tables, pages and pictures: nothing for None, yes/no, lists
    joined with '; ', whole floats as integers, and (`grouped`) thousands separated from 10,000 on
    (342,000,000; a year such as 2023 stays as it is). CSV for programs passes grouped=False."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (list, tuple)):
        return "; ".join(shown(x, grouped) for x in v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and grouped and abs(v) >= 10000:
        return f"{v:,}"
    return str(v)


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
