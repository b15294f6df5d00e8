"""Which language an article is in, and the word tables of each (vi.py, ar.py, en.py, zh.py)."""
from __future__ import annotations

import re
import unicodedata

from ..errors import DealgraphError
from . import ar, en, vi, zh

TABLES = {"vi": vi, "ar": ar, "en": en, "zh": zh}
LANGUAGES = tuple(TABLES)
# Letters only Vietnamese writes among the Latin scripts (plus its tone marks on vowels).
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
_VI_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def detect(text: str) -> str:
    """'ar', 'zh', 'vi' or 'en', from the scripts and letters the text is written in."""
    arabic = han = latin = vi_marks = 0
    for ch in text[:20000]:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            arabic += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            han += 1
        elif ch.isalpha() and o < 0x0250 or 0x1E00 <= o <= 0x1EFF:
            latin += 1
            if ch in _VI_LETTERS or any(m in _VI_TONES for m in unicodedata.normalize("NFD", ch)[1:]):
                vi_marks += 1
    if arabic >= max(han, latin * 0.5, 1):
        return "ar"
    if han >= max(latin * 0.3, 1):
        return "zh"
    if latin and vi_marks / latin > 0.03:
        return "vi"
    return "en"


def table(lang: str):
    if lang not in TABLES:
        raise DealgraphError(f"unknown language {lang!r}: expected auto, {', '.join(LANGUAGES)}")
    return TABLES[lang]


def alternation(words) -> str:
    """A regex alternation of `words`, longest first, each escaped."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
