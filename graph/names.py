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


def name_words(text: str, fold: bool = True) -> list[str]:
    """The words of a name, each folded as `name_key` folds a name: "Tập đoàn Huafa" ->
    ["tap", "doan", "huafa"] (with `fold=False` only lower-cased: ["tập", "đoàn", "huafa"]).
    Words end at spaces, punctuation and symbols; what is left of each is letters, marks and
    digits only, so it can go into a full-text (Lucene) query without escaping."""
    words, word = [], []
    for ch in unicodedata.normalize("NFKC", text):
        if unicodedata.category(ch)[0] in "LNM":
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    words.append("".join(word))
    if not fold:
        return [w.casefold() for w in words if any(unicodedata.category(c)[0] in "LN" for c in w)]
    return [key for key in map(name_key, words) if key]
