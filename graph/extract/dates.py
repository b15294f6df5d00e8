"""Dates as articles write them, read against the article's own date where they are relative:
"tháng 9", "hồi đầu năm", "tháng 4/2021", "نوفمبر الماضي", "في عام 2023", "last November", "2023年3月".

`find_dates(text, lang, published)` returns each date phrase with its span and the ISO partial date it
fixes ("2023", "2023-09", "2023-09-05", checked by graph.values.date), or None where the phrase needs
a year that neither it nor the article gives: such a date stays in `date_text` only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import values
from .languages import ARABIC_DIGITS, alternation, table

YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class DateText:
    date: str | None
    text: str
    start: int
    end: int


def _iso(year, month=None, day=None) -> str | None:
    if year is None:
        return None
    parts = [f"{int(year):04d}"] + ([f"{int(month):02d}"] if month else []) + ([f"{int(day):02d}"] if month and day else [])
    try:
        return values.date("-".join(parts))
    except ValueError:
        return None


def _year_of(published: str | None) -> tuple[int | None, int | None]:
    if not published:
        return None, None
    parts = published.split("-")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else None


def _month_year(month: int, published: str | None, strictly_before: bool = False) -> int | None:
    """The year of a month named without one: the latest such month not after the article's date
    (strictly before it for "last November")."""
    year, pub_month = _year_of(published)
    if year is None:
        return None
    if pub_month is None:
        return year
    if month > pub_month or (strictly_before and month == pub_month):
        return year - 1
    return year


@lru_cache(maxsize=None)
def _patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    t = table(lang)
    months = alternation(t.MONTHS) if t.MONTHS else None
    last_year = alternation(t.DATE_WORDS["last_year"])
    this_year = alternation(t.DATE_WORDS["this_year"])
    out = []
    if lang == "vi":
        out += [
            (rf"ngày\s+(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})(?:\s*(?:năm|,|/)\s*(?P<y>{YEAR}))?", "dmy"),
            (rf"(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>{YEAR})", "dmy"),
            (rf"tháng\s+(?P<m>\d{{1,2}})\s*(?:/|năm|,)\s*(?P<y>{YEAR})", "my"),
            (rf"(?:hồi\s+|vào\s+|từ\s+)?tháng\s+(?P<m>\d{{1,2}})(?!\d|/)", "m"),
            (rf"(?:năm|vào năm|trong năm)\s+(?P<y>{YEAR})", "y"),
        ]
    elif lang == "en":
        out += [
            (rf"(?P<mn>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR})", "dmy"),
            (rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn>{months})\.?,?\s+(?P<y>{YEAR})", "dmy"),
            (rf"(?P<mn>{months})\.?,?\s+(?:of\s+)?(?P<y>{YEAR})", "my"),
            (rf"(?:last|this past)\s+(?P<mn>{months})\b", "m_last"),
            (rf"\bin\s+(?P<mn>{months})\b", "m"),
            (rf"(?:in|since|during|by)\s+(?P<y>{YEAR})\b", "y"),
            (rf"\b(?P<y>{YEAR})\b", "y"),
        ]
    elif lang == "ar":
        last = alternation(t.LAST)
        out += [
            (rf"(?P<d>\d{{1,2}})\s+(?P<mn>{months})\s+(?:من\s+)?(?:عام\s+)?(?P<y>{YEAR})", "dmy"),
            (rf"(?P<mn>{months})\s+(?:من\s+)?(?:عام\s+)?(?P<y>{YEAR})", "my"),
            (rf"(?:في\s+)?(?:شهر\s+)?(?P<mn>{months})\s+(?:{last})", "m_last"),
            (rf"(?:في\s+)?(?:شهر\s+)?(?P<mn>{months})(?!\s*\d)", "m"),
            (rf"(?:في\s+)?(?:عام|العام|سنة)\s+(?P<y>{YEAR})", "y"),
        ]
    elif lang == "zh":
        out += [
            (rf"(?P<y>{YEAR})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日", "dmy"),
            (rf"(?P<y>{YEAR})\s*年\s*(?P<m>\d{{1,2}})\s*月", "my"),
            (r"去年\s*(?P<m>\d{1,2})\s*月", "m_lastyear"),
            (r"今年\s*(?P<m>\d{1,2})\s*月", "m_thisyear"),
            (rf"(?P<y>{YEAR})\s*年", "y"),
            (r"(?<![\d年])(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?", "m"),
        ]
    out += [(last_year, "last_year"), (this_year, "this_year")]
    return [(re.compile(p, re.IGNORECASE), kind) for p, kind in out]


def find_dates(text: str, lang: str, published: str | None = None) -> list[DateText]:
    """Date phrases in `text`, first match wins where they overlap; relative ones against `published`."""
    t = table(lang)
    taken: list[tuple[int, int]] = []
    out = []
    year_now, _ = _year_of(published)
    plain = text.translate(ARABIC_DIGITS)  # same length: spans stay valid
    for rx, kind in _patterns(lang):
        for m in rx.finditer(plain):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            g = m.groupdict()
            month = int(g["m"]) if g.get("m") else (t.MONTHS.get(g["mn"].casefold(), t.MONTHS.get(g["mn"]))
                                                     if g.get("mn") else None)
            if month is not None and not 1 <= month <= 12:
                continue
            day = int(g["d"]) if g.get("d") else None
            if kind in ("dmy", "my", "y") and (g.get("y") or kind != "dmy"):
                date = _iso(g["y"], month, day)
            elif kind == "dmy":  # a day and month without a year
                date = _iso(_month_year(month, published), month, day)
            elif kind == "m":
                date = _iso(_month_year(month, published), month, day)
            elif kind == "m_last":
                date = _iso(_month_year(month, published, strictly_before=True), month)
            elif kind == "m_lastyear":
                date = _iso(year_now - 1 if year_now else None, month)
            elif kind == "m_thisyear":
                date = _iso(year_now, month)
            elif kind == "last_year":
                date = _iso(year_now - 1) if year_now else None
            else:  # this_year
                date = _iso(year_now)
            if date is None and kind in ("my", "y"):
                continue
            taken.append((m.start(), m.end()))
            out.append(DateText(date, text[m.start():m.end()].strip(), m.start(), m.end()))
    return sorted(out, key=lambda d: d.start)
