"""The built-in extractor: trigger words, the alias index as a gazetteer, and where names stand.

Per sentence: an investment word ("đầu tư", "invested", "استثمر", "投资") with names around it gives
INVESTED_IN (the name after a target word such as "vào"/"in"/"في"/"对" or before "nhận được"/"raised"
receives; the others give) and, with an amount, a round; a rivalry word ("cạnh tranh", "rival",
"منافس", "竞争") pairs the names on each side of it (or, with names on one side only, the names
with one another, or with the previous sentence's names when the sentence points back at them:
"these models"); "X của Y", "Y's X", "Y的X" give DEVELOPS when X is a model; and a short heading
about competition pairs the companies of the paragraph under it. Nothing here names an entity:
the names come from the graph and from how the article writes them.
"""
from __future__ import annotations

import itertools
import re

from .checks import Proposal
from .dates import find_dates
from .languages import alternation, table
from .money import find_money
from .names import Mention, find_mentions
from .text import sentences

ORG = ("Company", "Fund", "GovernmentBody", "Person")
AUX = {"vi": ("đã", "vừa", "mới", "cũng", "đang", "sẽ"), "en": ("has", "have", "had", "just", "also", "recently"),
       "ar": ("قد", "التي", "الذي"), "zh": ("已", "已经", "刚刚", "近日", "日前", "也")}


def _rx(words, lang):
    alt = alternation(words)
    return re.compile(rf"(?<![\w]){alt}(?![\w])" if lang in ("vi", "en") else alt, re.IGNORECASE)


class RulesExtractor:
    """Offline rules: no network, no model; the same checks as any other extractor follow."""

    name = "rules"

    def where(self) -> str | None:
        return None

    def propose(self, text: str, lang: str, names, published: str | None) -> list[Proposal]:
        t = table(lang)
        mentions = find_mentions(text, lang, names)
        sents = sentences(text)
        rx = {k: _rx(getattr(t, k), lang) for k in ("INVEST", "COMPETE", "LEAD", "HEDGES", "ANAPHORA",
                                                      "VALUATION", "DEVELOP")}
        out: list[Proposal] = []
        prev_group: list[Mention] = []
        for i, s in enumerate(sents):
            body = text[s.start:s.end]
            ms = [m for m in mentions if s.start <= m.start and m.end <= s.end]
            sources = {id(m) for m in ms if _right_after(text, s.start, m, rx["HEDGES"])}
            owners = _possessors(text, ms, t, lang)
            actors = [m for m in ms if id(m) not in sources and id(m) not in owners]
            out += self._develops(text, ms, owners, lang)
            if s.heading and rx["COMPETE"].search(body) and len(actors) < 2:
                out += self._heading(text, sents, i, mentions, rx, t, lang)
                continue
            if rx["INVEST"].search(body):
                out += self._invest(text, s, actors, rx, t, lang, published)
            c = rx["COMPETE"].search(body)
            if c:
                out += self._compete(text, s, c.start() + s.start, c.end() + s.start, actors, prev_group, rx, t, lang)
            if actors:
                prev_group = actors
        return out

    # -- investments ------------------------------------------------------------------------------
    def _invest(self, text, s, actors, rx, t, lang, published):
        orgs = [m for m in actors if m.kind in ORG]
        if not orgs:
            return []
        body = text[s.start:s.end]
        before_rx = _rx(t.TARGET_BEFORE, lang)
        after_rx = _rx(t.TARGET_AFTER, lang)
        inv_rx = _rx(t.INVESTOR_BEFORE, lang)
        first_after = [m for m in orgs if _raises(text, s, m, orgs, after_rx)]
        targets = [m for m in orgs if m.kind in ("Company", "Fund") and (
            (_nearest(text, s.start, m, before_rx, inv_rx) == "target") or _before(text, s.end, m, after_rx, lang)
            or m in first_after[:1])]
        conf = 0.7
        if not targets:
            trig = rx["INVEST"].search(body)
            right = [m for m in orgs if m.start >= s.start + trig.end() and m.kind in ("Company", "Fund")]
            left = [m for m in orgs if m.end <= s.start + trig.start()]
            if right and left:
                targets, conf = right[:1], 0.5
            else:
                return []
        target = targets[0]
        investors = [m for m in orgs if m.key != target.key and m not in targets[1:]]
        out: list[Proposal] = []
        money = [m for m in find_money(body, lang)
                 if not rx["VALUATION"].search(body[max(0, m.start - 30):m.start])]
        valuation = [m for m in find_money(body, lang) if rx["VALUATION"].search(body[max(0, m.start - 30):m.start])]
        dates = find_dates(body, lang, published)
        date_text = dates[0].text if dates else None
        round_key = None
        if money:
            m = money[0]
            round_key = f"r{s.index}"
            ev = _evidence(text, s, [target.start, target.end, s.start + m.start, s.start + m.end])
            out.append(Proposal("ROUND", target, ev, amount_text=m.text, date_text=date_text, key=round_key,
                                valuation_text=valuation[0].text if valuation else None, confidence=conf))
        lead_rx = rx["LEAD"]
        by_key: dict[str, list] = {}
        for inv in investors:
            by_key.setdefault(inv.key, []).append(inv)
        for group in by_key.values():
            inv = group[0]
            led = any(_after(text, s.start, x, lead_rx, 14) or _before(text, s.end, x, lead_rx, lang, 14) for x in group)
            ev = _evidence(text, s, [inv.start, inv.end, target.start, target.end])
            out.append(Proposal("INVESTED_IN", target, ev, frm=inv, led=led, round=round_key,
                                date_text=date_text, confidence=conf,
                                amount_text=None if round_key else (money[0].text if money else None)))
        return out

    # -- rivalry ------------------------------------------------------------------------------------
    def _compete(self, text, s, ts, te, actors, prev_group, rx, t, lang):
        left = [m for m in actors if m.end <= ts]
        right = [m for m in actors if m.start >= te]
        lg = _group(text, left[::-1], t, lang)[::-1] if left else []
        rg = _group(text, right, t, lang) if right else []
        conf = 0.7
        if lg and rg:
            pairs = list(itertools.product(lg, rg))
        else:
            group = lg or rg
            side = left or right
            if len(group) >= 2:
                pairs = list(itertools.combinations(group, 2))
            elif len(side) >= 2:  # "تنافس X شركة Y": the first competes with the others
                pairs = [(side[0], m) for m in _group(text, side[1:], t, lang)]
            elif group and prev_group and rx["ANAPHORA"].search(text[s.start:ts]):
                pairs, conf = [(p, group[0]) for p in prev_group if p.kind == group[0].kind or True], 0.5
            else:
                return []
        out = []
        for a, b in pairs:
            if a.key == b.key:
                continue
            ev = _evidence(text, s, [a.start, a.end, b.start, b.end, ts, te]
                           if s.start <= a.start else [b.start, b.end, ts, te])
            out.append(Proposal("COMPETES_WITH", b, ev, frm=a, confidence=conf))
        return out

    def _heading(self, text, sents, i, mentions, rx, t, lang):
        """A heading about competition: the companies of the paragraph below it, pairwise."""
        s = sents[i]
        nxt = [x for x in sents[i + 1:] if not x.heading]
        if not nxt:
            return []
        para = nxt[0].paragraph
        ms = [m for m in mentions if any(x.paragraph == para and x.start <= m.start < x.end for x in nxt)
              and m.kind == "Company"]
        uniq = list({m.key: m for m in ms}.values())
        if not 2 <= len(uniq) <= 8:
            return []
        ev = text[s.start:s.end]
        caveat = "Rests on a heading about competition: no sentence says these two compete."
        return [Proposal("COMPETES_WITH", b, ev, frm=a, confidence=0.35, caveat=caveat)
                for a, b in itertools.combinations(uniq, 2)]

    # -- models -------------------------------------------------------------------------------------
    def _develops(self, text, ms, owners, lang):
        out = []
        for owned, owner in _owned_by(text, ms, table(lang), lang):
            if owned.kind == "Model" and owner.kind in ORG:
                ev = text[min(owned.start, owner.start):max(owned.end, owner.end)]
                out.append(Proposal("DEVELOPS", owned, ev, frm=owner, confidence=0.6))
        return out


def _right_after(text, floor, m, rx):
    """`rx` ends right before mention `m` ("Theo Reuters", "according to Bloomberg", "据彭博社")."""
    window = text[max(floor, m.start - 30):m.start]
    return any(not window[x.end():].strip(' "“«(\'') for x in rx.finditer(window))


def _after(text, floor, m, rx, width):
    """`rx` ends within `width` characters before mention `m` (and after `floor`)."""
    window = text[max(floor, m.start - width):m.start]
    if any("\u3400" <= c <= "\u9fff" for c in window):  # Chinese: no spaces, so characters count
        return any(len(window) - x.end() <= 2 and not re.search(r"[，,、。；]", window[x.end():])
                   for x in rx.finditer(window))
    return any(x.end() >= len(window.rstrip(' "“«(\'')) - 1 or len(window[x.end():].split()) <= 3
               for x in rx.finditer(window))


def _nearest(text, floor, m, target_rx, investor_rx, width=24):
    """Which marker stands nearest before mention `m`: "target" ("vào", "in", "في"), "investor"
    ("từ", "led by", "من") or None."""
    window = text[max(floor, m.start - width):m.start]
    best = None
    for role, rx in (("target", target_rx), ("investor", investor_rx)):
        for x in rx.finditer(window):
            if len(window[x.end():].split()) <= 3 and (best is None or x.end() > best[0] or
                                                       (x.end() == best[0] and x.end() - x.start() > best[2])):
                best = (x.end(), role, x.end() - x.start())
    return best[1] if best else None


def _raises(text, s, m, orgs, after_rx) -> bool:
    """`m` is the subject of a raising verb later in the sentence, with no other name before the verb
    ("Northwind Labs, a startup in Hanoi, said it has raised ...")."""
    nxt = min((o.start for o in orgs if o.start > m.end), default=s.end)
    return bool(after_rx.search(text[m.end:nxt])) and m is min(orgs, key=lambda o: o.start)


def _before(text, ceiling, m, rx, lang, width=30):
    """`rx` starts within a few words after mention `m` (auxiliaries skipped)."""
    window = text[m.end:min(ceiling, m.end + width)]
    aux = AUX.get(lang, ())
    rest = window.lstrip(' "”»)')
    for _ in range(2):
        for a in aux:
            if rest.casefold().startswith(a + " ") or (lang in ("ar", "zh") and rest.startswith(a)):
                rest = rest[len(a):].lstrip()
    x = rx.match(rest)
    return x is not None


def _possessors(text, ms, t, lang) -> set[int]:
    return {id(owner) for _, owner in _owned_by(text, ms, t, lang)}


def _owned_by(text, ms, t, lang):
    """(owned, owner) pairs: "X của Y", "Y's X", "Y的X", "X التابعة لY"."""
    pairs = []
    for a, b in zip(ms, ms[1:]):
        gap = text[a.end:b.start]
        g = gap.strip(' "“”«»()')
        if lang == "en":
            if gap in ("'s ", "’s "):
                pairs.append((b, a))
            elif g.casefold() in ("of", "from"):
                pairs.append((a, b))
        elif lang == "vi" and g.casefold() == "của":
            pairs.append((a, b))
        elif lang == "zh" and g == "的":
            pairs.append((b, a))
        elif lang == "ar" and g in ("التابعة ل", "التابع ل", "من"):
            pairs.append((a, b))
    return pairs


def _group(text, ordered, t, lang):
    """The first mention of `ordered` and those joined to it by "and" words or commas."""
    joiners = {w.casefold() for w in t.AND} | {",", "、", "،", "-", "–"} | {
        w.casefold() for ws in t.KIND_WORDS.values() for w in ws if " " not in w}
    group = [ordered[0]]
    for prev, m in zip(ordered, ordered[1:]):
        a, b = sorted((prev, m), key=lambda x: x.start)
        gap = text[a.end:b.start].strip(' "“”«»()').casefold()
        parts = [p for p in re.split(r"\s+", gap.replace(",", " , ").replace("،", " ، ")) if p]
        if parts and all(p in joiners for p in parts) or not gap or (lang == "ar" and gap in ("و",)):
            group.append(m)
        elif lang == "ar" and gap.startswith("و") and len(gap) <= 6:
            group.append(m)
        else:
            break
    return group


def _evidence(text, s, points) -> str:
    """The shortest verbatim span of sentence `s` covering `points`, grown to whole words and at
    most evidence.MAX_WORDS words (for Chinese, about 60 characters)."""
    lo, hi = max(s.start, min(points)), min(s.end, max(points))
    while lo > s.start and not text[lo - 1].isspace() and text[lo - 1] not in "\"“«(":
        lo -= 1
    while hi < s.end and not text[hi].isspace() and text[hi] not in ".,;:!?،؛。，\"”»)":
        hi += 1
    span = text[lo:hi]
    # Widen a short span to the sentence when the sentence is short enough to quote whole.
    whole = text[s.start:s.end]
    if len(whole.split()) <= 25 and (len(whole) <= 160 or len(whole.split()) > 1):
        if not any(ord(c) > 0x3000 for c in whole) or len(whole) <= 60:
            return whole.strip()
    words = span.split()
    if len(words) > 25:
        span = " ".join(words[:25])
    return span.strip()
