"""Amounts of money as articles write them, in every language of tables: "342 triệu USD", "2,75 tỷ USD",
"500 triệu nhân dân tệ", "مليار دولار", "300 مليون دولار", "$1.2bn", "300亿元".

`find_money(text, lang)` returns every amount in `text` with its span (so the words as written can be
quoted), the number in units, the ISO 4217 currency (checked by graph.values.currency) and the
qualifier the seed format uses (approx: "about", min: "more than").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import values
from .languages import ARABIC_DIGITS, alternation, table

NUMBER = r"\d+(?:[.,٫٬]\d{3})*(?:[.,٫]\d+)?|[٠-٩]+(?:[.,٫٬][٠-٩]+)*"


@dataclass(frozen=True)
class Money:
    amount: float | int
    currency: str
    text: str              # as written, a span of the article
    start: int
    end: int
    qualifier: str | None = None


def parse_number(raw: str, decimal: str) -> float:
    """A number as written in a language whose decimal mark is `decimal` ("2,75" in vi, "2.75" in en)."""
    s = raw.translate(ARABIC_DIGITS).replace("٫", ".").replace("٬", ",").replace(" ", "")
    if "," in s and "." in s:  # both: the last one is the decimal mark
        dec = "," if s.rfind(",") > s.rfind(".") else "."
    elif s.count(",") + s.count(".") == 1:
        sep = "," if "," in s else "."
        tail = s.split(sep)[1]
        # One mark followed by three digits is a thousands mark unless it is the language's decimal mark.
        dec = sep if (sep == decimal or len(tail) != 3) else None
    else:
        dec = None
    if dec is None:
        return float(s.replace(",", "").replace(".", ""))
    thousands = "." if dec == "," else ","
    return float(s.replace(thousands, "").replace(dec, "."))


@lru_cache(maxsize=None)
def _pattern(lang: str) -> re.Pattern:
    t = table(lang)
    scales = dict(t.SCALES, **getattr(t, "DUALS", {}))
    cur, scale, qual = alternation(t.CURRENCIES), alternation(scales), alternation(t.QUALIFIERS)
    sp = r"\s*" if lang == "zh" else r"[ \u00a0]*"
    # Latin scale letters ("bn", "m") must end a word: "$3 meters" is not money.
    scale_end = r"(?![A-Za-z])" if lang == "en" else ""
    prefix = r"(?:[وب]|بـ|لـ|ل)?" if lang == "ar" else ""
    cur_end = "" if lang == "zh" else r"(?![A-Za-z])"  # "元B轮": Chinese runs into Latin letters
    return re.compile(
        rf"(?:(?P<qual>{qual}){sp})?"
        rf"(?:(?P<cur1>{cur}){sp})?"
        rf"(?:(?P<num>{NUMBER}){sp}(?:(?P<scale>{scale}){scale_end}{sp})?|{prefix}(?P<bare>{scale}){sp})"
        rf"(?:(?P<cur2>{cur}){cur_end})?",
        re.IGNORECASE)


def find_money(text: str, lang: str) -> list[Money]:
    """Every amount of money in `text` (a number or a scale word, with a currency before or after)."""
    t = table(lang)
    duals = getattr(t, "DUALS", {})
    out = []
    for m in _pattern(lang).finditer(text):
        cur = m.group("cur1") or m.group("cur2")
        if not cur or not (m.group("num") or m.group("bare")):
            continue
        if m.group("num") and not m.group("scale") and not m.group("cur1") and not m.group("cur2"):
            continue
        before = text[max(0, m.start() - 12):m.start()].casefold().split()
        if before and any(before[-1].endswith(v) for v in t.VAGUE) and not m.group("num"):
            continue
        if lang == "vi" and before and before[-1] in t.VAGUE:
            continue  # "hàng tỷ USD": billions, not a figure
        if m.group("num"):
            n = parse_number(m.group("num").strip(), t.DECIMAL)
            scale = m.group("scale")
            mult = _scale(t, scale)
        else:
            bare = m.group("bare")
            n, mult = (1, _scale(t, bare)) if bare.casefold() not in duals else (duals[bare], 1)
        code = t.CURRENCIES[_lookup_key(t.CURRENCIES, cur)]
        try:
            code = values.currency(code)
        except ValueError:
            continue
        amount = values.amount(round(n * mult, 2))
        if amount is None:
            continue
        start = m.start("qual") if m.group("qual") else m.start("cur1") if m.group("cur1") else \
            m.start("num") if m.group("num") else m.start("bare")
        q = m.group("qual")
        qualifier = t.QUALIFIERS[_lookup_key(t.QUALIFIERS, q)] if q else None
        if q is None:  # a qualifier right before "$": "more than $1bn"
            qm = re.search(rf"(?:{alternation(t.QUALIFIERS)})\s*$", text[max(0, m.start() - 16):m.start()], re.I)
            if qm:
                qualifier = t.QUALIFIERS[_lookup_key(t.QUALIFIERS, qm.group().strip())]
                start = m.start() - (len(text[max(0, m.start() - 16):m.start()]) - qm.start())
        end = m.end()
        span = text[start:end].rstrip()
        out.append(Money(amount, code, span, start, start + len(span), qualifier))
    return out


def _scale(t, word) -> float:
    if not word:
        return 1
    if word in getattr(t, "DUALS", {}):
        return t.DUALS[word]
    return t.SCALES[_lookup_key(t.SCALES, word)]


def _lookup_key(d: dict, word: str) -> str:
    if word in d:
        return word
    folded = word.casefold()
    for k in d:
        if k.casefold() == folded:
            return k
    return word
