"""Name keys: how "Dipsic", "DEEPSEEK", "Đeepseek" and "علي بابا" become comparable.

A key is the name folded for case, compatibility forms, accents and (for Arabic) letter
variants and diacritics, with spaces, punctuation and symbols removed. Two spellings that a
reader would call the same string get the same key; keys are what the alias index stores.
"""
from __future__ import annotations

import unicodedata

# Arabic letters with several written forms that readers treat as one.
_ARABIC_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
    "ـ": None,  # tatweel
})
# Letters that NFKD does not decompose but that are accented forms all the same.
_LATIN_FOLD = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def name_key(text: str) -> str:
    """The normalised key of a name (empty if the name has no letters or digits)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_LATIN_FOLD)
    folded = folded.translate(_ARABIC_FOLD)
    out = []
    for ch in unicodedata.normalize("NFKD", folded):
        cat = unicodedata.category(ch)
        if cat[0] in "LN":  # letters and digits survive; marks, spaces, punctuation do not
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))
