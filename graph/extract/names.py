"""Which entities an article names: the graph's alias index as a gazetteer, and guesses for new names.

Every span of a few words (for Chinese, of a few characters) is folded to its name key
(graph.names.name_key) and looked up, all at once, in an index of names: `GraphNames` asks Neo4j's
(:Alias {key}) index in one query, `DatasetNames` uses a dataset's alias keys (no server). The longest
spans that name an entity win. Names the index does not know are guessed from how they are written
(capitalised words, quoted names, a Latin name in brackets after an Arabic one, Chinese names
ending in 公司/集团/基金 ...), and each gets a kind from the words around it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..names import name_key
from .languages import alternation, table

MAX_WORDS = 6
MAX_HAN = 10


class DatasetNames:
    """The alias index of a dataset (graph.dataset.Dataset), without a server."""

    def __init__(self, dataset):
        self.index: dict[str, list[dict]] = {}
        for ent in dataset.entities:
            row = {"id": ent["id"], "name": ent["name"], "kind": ent["kind"]}
            for key in dataset.alias_keys.get(ent["id"], {}):
                self.index.setdefault(key, []).append(row)

    def lookup(self, keys) -> dict[str, list[dict]]:
        return {k: self.index[k] for k in keys if k in self.index}


_LOOKUP = """
UNWIND $keys AS key
MATCH (a:Alias {key: key})-[:ALIAS_OF]->(e:Entity)
USING INDEX SEEK a:Alias(key)
RETURN key, collect({id: e.id, name: e.name, kind: e.kind}) AS entities
"""


class GraphNames:
    """The graph's alias index: one read query for all the spans of an article."""

    def __init__(self, conn):
        self.conn = conn

    def lookup(self, keys) -> dict[str, list[dict]]:
        keys = sorted(set(keys))
        if not keys:
            return {}
        return {r["key"]: sorted(r["entities"], key=lambda e: e["id"]) for r in self.conn.read(_LOOKUP, {"keys": keys})}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str
    entity: dict | None = None       # {id, name, kind} when the index knows the name
    candidates: list = field(default_factory=list)
    latin: str | None = None          # a Latin form given beside it: "ميتوان" (Meituan)

    @property
    def key(self) -> str:
        return self.entity["id"] if self.entity else "new:" + name_key(self.latin or self.text)


_ADJECTIVE = re.compile(r"-(?:based|backed|led|owned|funded|listed|born|founded|controlled|run)\b", re.I)
_WORD = re.compile(r"[\w][\w\-.'’+]*[\w+]|[\w]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_QUOTED = re.compile(r"[\"“”«»「『‘’]([^\"“”«»」』‘’\n]{2,60})[\"“”«»」』‘’]")
_LATIN_IN_BRACKETS = re.compile(r"\(([A-Za-z][A-Za-z0-9 .&\-']{1,60})\)")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def words(text: str) -> list[tuple[int, int]]:
    """Word spans; a word keeps inner hyphens, dots and apostrophes ("GLM-130B", "Qwen2.5")."""
    out = []
    for m in _WORD.finditer(text):
        s, e = m.start(), m.end()
        if any(_is_han(c) for c in text[s:e]):  # Han runs are cut in spans below, not words
            for sub in re.finditer(r"[A-Za-z0-9][A-Za-z0-9\-.]*", text[s:e]):
                out.append((s + sub.start(), s + sub.end()))
            continue
        suffix = _ADJECTIVE.search(text, s, e)
        if suffix and suffix.end() == e and suffix.start() > s:
            e = suffix.start()  # "Google-backed": the name is "Google"
        out.append((s, e))
    return out


def _spans(text: str, lang: str):
    """Candidate spans (start, end) to look up."""
    ws = words(text)
    for i in range(len(ws)):
        for j in range(i, min(i + MAX_WORDS, len(ws))):
            if j > i and re.search(r"[.,;:!?،؛。，\n()\"“”«»]", text[ws[j - 1][1]:ws[j][0]]):
                break
            yield ws[i][0], ws[j][1]
    if lang == "zh" or _HAN.search(text):
        for m in _HAN.finditer(text):
            run = m.group()
            for i in range(len(run)):
                for n in range(2, min(MAX_HAN, len(run) - i) + 1):
                    yield m.start() + i, m.start() + i + n


def _arabic_variants(span: str, lang_table) -> list[tuple[int, str]]:
    """The span, and the span without a leading clitic ("وتنسنت" -> "تنسنت"), with its offset."""
    out = [(0, span)]
    for c in getattr(lang_table, "CLITICS", ()):
        if span.startswith(c) and len(span) - len(c) >= 3:
            out.append((len(c), span[len(c):]))
    return out


def find_mentions(text: str, lang: str, names) -> list[Mention]:
    """Mentions of entities in `text`: known ones (longest first, no overlaps), then guessed new ones."""
    t = table(lang)
    cands: dict[str, list[tuple[int, int]]] = {}
    for s, e in _spans(text, lang):
        for off, variant in _arabic_variants(text[s:e], t) if lang == "ar" else [(0, text[s:e])]:
            key = name_key(variant)
            if len(key) >= 2:
                cands.setdefault(key, []).append((s + off, e))
    found = names.lookup(list(cands)) if names is not None else {}
    hits = []
    for key, ents in found.items():
        for s, e in cands[key]:
            span = text[s:e]
            if not _plausible(span, key, lang):
                continue
            hits.append(Mention(s, e, span, ents[0]["kind"], ents[0] if len(ents) == 1 else None, ents))
    # A country's name is a place ("công nghệ Trung Quốc": Chinese technology), not its government.
    places = _not_names(t)
    hits = [h for h in hits if name_key(h.text) not in places]
    taken = _longest(hits)
    # Ambiguous names: keep the first candidate but remember the others (the checks lower confidence).
    for m in taken:
        if m.entity is None and m.candidates:
            m.entity = m.candidates[0]
    from .money import find_money

    from .dates import find_dates

    money = [Mention(m.start, m.end, m.text, "money") for m in find_money(text, lang)]
    money += [Mention(d.start, d.end, d.text, "date") for d in find_dates(text, lang)]
    new = _new_names(text, lang, t, taken + money)
    return sorted(_longest(taken + new), key=lambda m: m.start)


def _plausible(span: str, key: str, lang: str) -> bool:
    """A known name found as written: Latin names start with a capital or a digit, or hold one
    (so that the word "meta" is not Meta); very short keys must match a whole capitalised word."""
    if any(_is_han(c) for c in span):
        return len(key) >= 2
    if re.search(r"[\u0600-\u06ff]", span):
        return len(key) >= 3
    first = span[0]
    if not (first.isupper() or first.isdigit() or any(c.isupper() or c.isdigit() for c in span[1:])):
        return False
    return len(key) >= 2


def _longest(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in sorted(ms, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= o.start or m.start >= o.end for o in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


# -- names the index does not know --------------------------------------------------------------
_VI_MARKS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _new_names(text: str, lang: str, t, taken: list[Mention]) -> list[Mention]:
    out: list[Mention] = []

    def free(s, e):
        return all(e <= o.start or s >= o.end for o in taken + out)

    def add(s, e, latin=None):
        while e > s and text[e - 1] in " .,'’-":
            e -= 1
        span = text[s:e]
        if len(name_key(span)) < 2 or name_key(span) in _not_names(t) or not free(s, e):
            return
        out.append(Mention(s, e, span, guess_kind(text, s, e, lang), None, [], latin))

    if lang == "ar":
        for m in _QUOTED.finditer(text):
            inner = m.group(1).strip()
            if len(inner.split()) > 5:
                continue
            after = _LATIN_IN_BRACKETS.match(text, m.end() + (1 if text[m.end():m.end() + 1] == " " else 0))
            add(m.start(1), m.end(1), after.group(1).strip() if after else None)
            if after:  # the Latin form is the same entity: not a second one
                taken = taken + [Mention(after.start(1), after.end(1), after.group(1), "Company")]
    if lang == "zh":
        for m in _QUOTED.finditer(text):
            if len(m.group(1)) <= 20:
                add(m.start(1), m.end(1))
        suffixes = [w for kind in ("Company", "Fund", "GovernmentBody") for w in t.KIND_WORDS[kind]]
        for m in re.finditer(rf"[\u4e00-\u9fff]{{2,8}}?(?:{alternation(suffixes)})", text):
            s = m.start()
            chunk = m.group()
            cut = max((chunk.rfind(c, 0, len(chunk) - 2) for c in t.STOP_CHARS), default=-1)
            if cut >= 0:
                s += cut + 1
            if m.end() - s >= 3:
                add(s, m.end())
    # Latin-script names: runs of capitalised words (any language: Arabic and Chinese texts quote them too).
    runs = list(_capitalised_runs(text, lang, t, taken))
    seen = {name_key(text[s:e]) for s, e, first in runs if not first}
    for s, e, first in runs:
        if not first or name_key(text[s:e]) in seen:
            add(s, e)
    return out


# Capitalised words that name no actor, in any language's text: acronyms of trade and currencies.
COMMON = ("Series", "Seed", "Pre-A", "AI", "AGI", "CEO", "CFO", "CTO", "IPO", "GPU", "GPUs", "CPU", "USD", "CNY", "RMB", "EUR", "VND",
          "HKD", "US", "UK", "EU", "LLM", "LLMs", "API", "IT", "PC", "TV", "OK", "Q1", "Q2", "Q3", "Q4")


_COUNTRY_KEYS: set[str] = set()


def _countries() -> set[str]:
    """The English names of every country (pycountry's data): places, not actors."""
    if not _COUNTRY_KEYS:
        import pycountry

        for c in pycountry.countries:
            for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if n:
                    _COUNTRY_KEYS.add(name_key(n))
    return _COUNTRY_KEYS


def _not_names(t) -> set[str]:
    return _countries() | ({name_key(w) for w in t.NOT_NAMES} | {name_key(w) for ws in t.KIND_WORDS.values() for w in ws}
            | {name_key(w) for w in COMMON} | {name_key(w) for w in t.CURRENCIES} | {name_key(w) for w in t.MONTHS})


_CONNECT = {"of", "&", "de"}


def _capitalised_runs(text: str, lang: str, t, taken=()):
    """(start, end, weak) of each run of capitalised words outside `taken` mentions; weak: one plain
    word opening a sentence."""
    ws = [(s, e) for s, e in words(text) if not any(_is_han(c) for c in text[s:e])
          and all(e <= o.start or s >= o.end for o in taken)]
    stop = _not_names(t)
    lang_stop = {name_key(w) for w in t.NOT_NAMES}
    i = 0
    while i < len(ws):
        s, e = ws[i]
        w = text[s:e]
        if not _capital(w, lang):
            i += 1
            continue
        j = i
        while j + 1 < len(ws):
            gap = text[ws[j][1]:ws[j + 1][0]]
            nxt = text[ws[j + 1][0]:ws[j + 1][1]]
            if gap.strip() not in ("", "-", "&") or "\n" in gap or any(ws[j][1] <= o.start < ws[j + 1][0] for o in taken):
                break
            if _capital(nxt, lang) or re.fullmatch(r"\d+(?:\.\d+)*", nxt):  # "Qwen 2.5 Max"
                j += 1
            elif nxt.casefold() in _CONNECT and j + 2 < len(ws) and _capital(text[ws[j + 2][0]:ws[j + 2][1]], lang):
                j += 1
            else:
                break
        # Kind words and acronyms at the edges are not part of the name ("Startup AI Lumora").
        a, b = i, j
        while a < b and name_key(text[ws[a][0]:ws[a][1]]) in stop:
            a += 1
        while b > a and name_key(text[ws[b][0]:ws[b][1]]) in lang_stop:  # "Zhipu AI" keeps its "AI"
            b -= 1
        weak = _sentence_start(text, ws[i][0]) and i == j and not _strong(text[ws[i][0]:ws[i][1]])
        if _ADJECTIVE.match(text, ws[b][1]) and text[ws[b][1]:ws[b][1] + 6].lower() == "-based":
            i = j + 1
            continue  # "San Francisco-based": a place
        if lang == "vi" and _beside_vietnamese_name(text, ws[a][0], ws[b][1]):
            i = j + 1
            continue  # "Trung" of "Trung Quốc", "Kinh" of "Bắc Kinh": part of a Vietnamese name
        if name_key(text[ws[a][0]:ws[a][1]]) not in stop:
            yield ws[a][0], ws[b][1], weak
        i = j + 1


def _beside_vietnamese_name(text: str, s: int, e: int) -> bool:
    """A capitalised Vietnamese word (one with its letters or tone marks) touches the run."""
    before = re.search(r"(\w+)\s$", text[max(0, s - 20):s])
    after = re.match(r"\s(\w+)", text[e:e + 20])
    return any(m and m.group(1)[0].isupper() and any(c in _VI_MARKS for c in m.group(1).casefold())
               for m in (before, after))


def _capital(w: str, lang: str) -> bool:
    if not w or not (w[0].isupper() or (w[0].isdigit() and any(c.isalpha() for c in w))):
        return False
    if not all(ord(c) < 0x250 or c in "’" for c in w):
        return False
    if lang == "vi" and any(c in _VI_MARKS for c in w.casefold()):
        return False  # a Vietnamese word (a place, a person, a sentence's first word), not a foreign name
    return True


def _strong(w: str) -> bool:
    """Written like a name wherever it stands: inner capitals or digits ("OpenAI", "GPT-4", "xAI")."""
    return any(c.isupper() for c in w[1:]) or any(c.isdigit() for c in w)


def _sentence_start(text: str, s: int) -> bool:
    before = text[max(0, s - 3):s].strip()
    return s == 0 or before == "" or before[-1] in ".!?:\n\"“”'‘’-–—(" or text[max(0, s - 1):s] == "\n"


def guess_kind(text: str, s: int, e: int, lang: str) -> str:
    """Company, Fund, GovernmentBody, Model or Person, from the name and the words just before it."""
    t = table(lang)
    name = text[s:e]
    before = text[max(0, s - 30):s].casefold()
    low = name.casefold()
    for kind in ("Fund", "GovernmentBody"):
        if any(low.endswith(" " + w) or low.startswith(w + " ") for w in t.KIND_WORDS[kind]):
            return kind
    if re.search(r"[A-Za-z][A-Za-z.\-]*[ \-]?\d", name) and not name[0].isdigit():  # "GPT-4", "Qwen 2.5", "R1"
        return "Model"
    if lang == "zh":
        for kind in ("Fund", "GovernmentBody", "Company"):
            if any(name.endswith(w) for w in t.KIND_WORDS[kind]):
                return kind
    tail = before.rstrip(' "“«(').split()
    near = " ".join(tail[-4:])
    for kind in ("Model", "Fund", "GovernmentBody", "Person", "Company"):
        if any(re.search(rf"(?:^|\s|[\"“«]){re.escape(w)}$", near) for w in t.KIND_WORDS[kind]):
            return kind
    return "Company"
