"""Name fingerprints: what is left of a name once case, accents, punctuation, script and legal
suffixes are set aside, and how close two names are, with the reason in words.

Built on graph.names (the alias keys `dealgraph resolve` looks up): a word is folded there first,
then written in Latin letters by anyascii (Chinese as pinyin syllables, Arabic as its consonants,
Vietnamese without its marks), so "腾讯投资" and "Tengxun Touzi", or "Đầu tư Việt" and "Dau tu
Viet", come out the same. Three levels per name:

  full    every word                                   "jafco co ltd"  -> jafco co ltd
  legal   legal-form words aside (Ltd, GmbH, Co., ...)                 -> jafco
  core    generic words aside too (Capital, Ventures, ...)   "Jafco Ventures" -> jafco

`legal` equal is strong evidence; `core` equal is weaker (`Index Ventures` is not `Index
Capital`), and `name_score` says which it was.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from ..names import name_words

# Words that say what legal form an organisation has, in the languages of the data (folded, in
# Latin letters): they carry nothing about who it is.
LEGAL_WORDS = frozenset("""
ltd limited inc incorporated llc llp lp plc corp corporation co company companies gmbh ag kg sa sas sarl
srl spa bv nv oy ab as asa kk pte pty jsc ojsc pjsc tnhh cp cophan congty cong ty the
holding holdings group gongsi youxian jituan konggu gufen shrkh shrkt sharikat
""".split())
# Words that say what kind of investor it is: dropped only at the `core` level.
GENERIC_WORDS = frozenset("""
capital ventures venture partners partner investments investment invest investors fund funds management
asset assets equity advisors advisers growth labs technologies technology tech systems global international
ai robotics bio biotech health healthcare energy software solutions digital data
touzi ziben chuangtou jijin quy dau tu quydau dautu
""".split())
# Consonant skeletons (Arabic script writes no short vowels): letters that sound alike are one.
_SKELETON = str.maketrans({"v": "f", "p": "b", "c": "k", "q": "k", "x": "ks", **dict.fromkeys("aeiouyw")})


# Chinese writes no spaces: these endings of a name in pinyin are split off as words of their own
# ("腾讯投资" -> "tengxun touzi"), longest first.
_PINYIN_ENDINGS = ("youxiangongsi", "gufen", "gongsi", "jituan", "konggu", "touzi", "ziben", "chuangtou",
                   "jijin", "keji")
# ... and what they mean, so that "恒达投资" and "Hengda Investment" are one name.
_PINYIN_MEANING = {"touzi": "investment", "ziben": "capital", "jijin": "fund", "konggu": "holdings",
                   "jituan": "group", "keji": "technology", "chuangtou": "ventures", "youxiangongsi": "ltd",
                   "gongsi": "company"}


def _latin_words(word: str) -> list[str]:
    """One word of a name in Latin letters, lower case (a Chinese word in pinyin, its generic and
    legal endings split off)."""
    words = [w for w in re.split(r"[^a-z0-9]+", anyascii(word).lower()) if w]
    if words and script_of(word) == "han":
        rest, tail = "".join(words), []
        while True:
            end = next((e for e in _PINYIN_ENDINGS if rest.endswith(e) and len(rest) > len(e)), None)
            if not end:
                break
            rest = rest[:-len(end)]
            tail.insert(0, end)
        words = [rest, *tail]
    return words


def script_of(text: str) -> str:
    """'latin', 'han', 'arabic', ... : the script of the first letter that is not Latin, else 'latin'."""
    for ch in text:
        if ch.isalpha() and ord(ch) > 0x24F:
            name = unicodedata.name(ch, "")
            return (name.split(" ")[0] or "other").lower().replace("cjk", "han")
    return "latin"


@dataclass(frozen=True)
class Fingerprint:
    name: str
    script: str
    full: tuple[str, ...]
    legal: tuple[str, ...]
    core: tuple[str, ...]

    @property
    def legal_key(self) -> str:
        return "".join(self.legal)

    @property
    def core_key(self) -> str:
        return "".join(self.core)

    @property
    def generic(self) -> frozenset[str]:
        return frozenset(w for w in self.legal if w in GENERIC_WORDS)

    @property
    def skeletons(self) -> frozenset[str]:
        """The consonants of the name (Arabic script writes no short vowels), with and without its
        legal forms, with and without a last h (ة): "Mubadala" -> {"mbdl", "mbdl"}."""
        out = set()
        for key in (self.legal_key, "".join(self.full)):
            key = key.replace("gh", "g").translate(_SKELETON)
            out |= {key, key[:-1] if key.endswith("h") else key}
        return frozenset(k for k in out if len(k) >= 2)


@lru_cache(maxsize=200_000)
def fingerprint(name: str) -> Fingerprint:
    """The fingerprint of one name (any script)."""
    full: list[str] = []
    letters = False  # the last word is made of single letters: "S.A.", "B.V." are one word
    for word in name_words(name, fold=False):
        for w in _latin_words(word):
            if len(w) == 1 and w.isalpha():
                if letters:
                    full[-1] += w
                else:
                    full.append(w)
                letters = True
            else:
                full.append(_PINYIN_MEANING.get(w, w))
                letters = False
    legal = [w for w in full if w not in LEGAL_WORDS] or full
    core = [w for w in legal if w not in GENERIC_WORDS] or legal
    return Fingerprint(name, script_of(name), tuple(full), tuple(legal), tuple(core))


def block_keys(name: str) -> set[str]:
    """The blocking keys of a name: names that share none are never compared. The legal and core
    keys, the skeleton ("s:", for comparisons across scripts only), and every one-letter deletion
    of the legal and full keys (names one typo apart share one: "zenlo" and "zenio" give "zeno")."""
    fp = fingerprint(name)
    keys = {"l:" + fp.legal_key, "c:" + fp.core_key} | {"s:" + k for k in fp.skeletons}
    for key in {fp.legal_key, "".join(fp.full)}:
        if 5 <= len(key) <= 30:
            keys.update("d:" + key[:i] + key[i + 1:] for i in range(len(key)))
    return {k for k in keys if len(k) > 2}


def name_score(a: str, b: str) -> tuple[float, str]:
    """How likely names `a` and `b` are one organisation's or person's (0..1), and why, in words."""
    fa, fb = fingerprint(a), fingerprint(b)
    across = fa.script != fb.script
    how = f" ({fa.script} and {fb.script} script)" if across else ""
    if not fa.legal_key or not fb.legal_key:
        return 0.0, "no name to compare"
    if fa.full == fb.full:
        return (0.97, f"same name written in another script{how}") if across else \
            (1.0, "same name once case, accents and punctuation are set aside")
    if fa.legal_key == fb.legal_key:
        return 0.95, ("same name once legal forms (Ltd, Inc, GmbH, ...) are set aside" + how)
    if fa.core_key == fb.core_key:
        ga, gb = fa.generic, fb.generic
        if ga and gb and ga != gb:
            return 0.5, f"same core name, different generic words ({', '.join(sorted(ga ^ gb))})"
        return 0.8, "same name once generic words (Capital, Ventures, ...) are set aside" + how
    if (across or fa.script == "arabic" or fb.script == "arabic") and \
            any(len(k) >= 3 for k in fa.skeletons & fb.skeletons):
        return 0.85, f"same consonants across scripts{how}"
    for ka, kb in ((fa.legal_key, fb.legal_key), ("".join(fa.full), "".join(fb.full))):  # "Holdings" / "Holdngs"
        if min(len(ka), len(kb)) >= 6 and Levenshtein.distance(ka, kb) == 1:
            short = min(len(fa.core_key), len(fb.core_key)) < 5  # "Dolo" / "Dilo": short words, likelier two names
            return (0.7 if short else 0.85), f"one letter apart ({ka} / {kb})"
    if min(len(fa.core_key), len(fb.core_key)) >= 5:
        distance = Levenshtein.distance(fa.core_key, fb.core_key)
        if distance == 1:
            same_rest = fa.generic == fb.generic
            return (0.85 if same_rest else 0.5), f"one letter apart ({fa.core_key} / {fb.core_key})"
        similarity = 1 - distance / max(len(fa.legal_key), len(fb.legal_key))
        if similarity >= 0.8:
            return round(0.9 * similarity, 3), f"similar spelling ({similarity:.0%})"
    return 0.0, "names differ"


def best_name_score(names_a, names_b) -> tuple[float, str, str, str]:
    """The closest pair of names between two entities: (score, reason, name of a, name of b)."""
    best = (0.0, "names differ", "", "")
    for a in names_a:
        for b in names_b:
            score, why = name_score(a, b)
            if score > best[0]:
                best = (score, why, a, b)
                if score >= 1.0:
                    return best
    return best
