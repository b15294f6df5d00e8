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
        rx = {k: _rx(getattr(t, k), lang) for k in ("INVEST", "COMPETE", "LEAD", "HEDGES", "VALUATION", "LIST",
                                                      "OWN_RIVAL", "ROUND", "ASIDE", "DEAL")}
        rx["REFER"] = {kind: _rx(words, lang) for kind, words in t.REFER.items()}
        rx["SOURCE"] = _rx(tuple(t.HEDGES) + tuple(getattr(t, "HEDGES_LEAD", ())) + tuple(t.ASIDE), lang)
        out: list[Proposal] = []
        history: list[list[Mention]] = []   # the actors of the sentences read so far
        self.focus = None                   # the company the last funding sentence was about
        for i, s in enumerate(sents):
            body = text[s.start:s.end]
            ms = [m for m in mentions if s.start <= m.start and m.end <= s.end]
            sources = {id(m) for m in ms if _right_after(text, s.start, m, rx["SOURCE"])}
            owned = _owned_by(text, ms, t, lang)
            owners = {id(o) for _, o in owned}
            actors = [m for m in ms if id(m) not in sources and id(m) not in owners]
            ctx = _Sentence(text, s, actors, [o for _, o in owned], t, lang, rx, history)
            out += self._develops(text, owned)
            if s.heading and rx["COMPETE"].search(body) and len(actors) < 2:
                out += self._heading(text, sents, i, mentions, t, lang)
                continue
            if rx["INVEST"].search(body):
                out += self._invest(ctx, published)
            if rx["COMPETE"].search(body):
                out += self._compete(ctx)
            if actors:
                history.append(actors)
        return out

    # -- investments ------------------------------------------------------------------------------
    def _invest(self, c, published):
        text, s, t, lang, rx = c.text, c.s, c.t, c.lang, c.rx
        body = text[s.start:s.end]
        last_invest = max(x.end() for x in rx["INVEST"].finditer(body)) + s.start
        rival = [x.start() for x in rx["COMPETE"].finditer(text, last_invest, s.end)]
        cut = rival[0] if rival else s.end
        orgs = [m for m in c.actors if m.kind in ORG and m.end <= cut]
        before_rx, after_rx, inv_rx = _rx(t.TARGET_BEFORE, lang), _rx(t.TARGET_AFTER, lang), _rx(t.INVESTOR_BEFORE, lang)
        role: dict[int, str] = {}
        for m in orgs:
            near = _nearest(text, s.start, m, {"target": before_rx, "investor": inv_rx, "list": rx["LIST"]})
            if near == "target" and m.kind in ("Company", "Fund"):
                role[id(m)] = "target"
            elif near == "investor" or _after(text, s.start, m, rx["LEAD"], 14) or _before(text, s.end, m, rx["LEAD"], lang, 14):
                role[id(m)] = "investor"
            elif _before(text, s.end, m, after_rx, lang) and m.kind in ("Company", "Fund"):
                role[id(m)] = "target"
            elif near == "list":
                role[id(m)] = "list"
        if not orgs:
            return []
        if not any(r == "target" for r in role.values()):
            first = min(orgs, key=lambda o: o.start)
            if _raises(text, s, first, orgs, after_rx) and first.kind in ("Company", "Fund"):
                role[id(first)] = "target"
        # A list takes the role the sentence still lacks ("các khoản đầu tư của X bao gồm A, B").
        has = set(role.values())
        for m in orgs:
            if role.get(id(m)) == "list":
                role[id(m)] = "target" if "investor" in has and "target" not in has else "investor"
        # Names joined to a name by "and" or commas share its role.
        for group in c.groups(orgs):
            known = next((role[id(m)] for m in group if id(m) in role), None)
            for m in group:
                if known and id(m) not in role and (known != "target" or m.kind in ("Company", "Fund")):
                    role[id(m)] = known
        conf = 0.7
        targets = [m for m in orgs if role.get(id(m)) == "target"]
        if not targets:
            trig = rx["INVEST"].search(body)
            right = [m for m in orgs if m.start >= s.start + trig.end() and m.kind in ("Company", "Fund")]
            left = [m for m in orgs if m.end <= s.start + trig.start()]
            refers_first = c.refers_before(min(m.start for m in orgs), [])[0] == "Company"
            if right and (left or refers_first):
                targets, conf = right[:1], 0.5
            elif self.focus and rx["ROUND"].search(body) and any(role.get(id(m)) == "investor" for m in orgs):
                targets, conf = [self.focus], 0.45  # "the round led by X" of the company in focus
            else:
                if right and not left and len(right) == 1:
                    self.focus = right[0]  # "this investment raised X's valuation": X is in focus
                return []
        self.focus = targets[0]
        target_keys = {m.key for m in targets}
        investors = [m for m in orgs if m.key not in target_keys and role.get(id(m)) != "target"]
        # "The company also invested in X", "قادت المجموعة ...": the company named before.
        first_name = min(m.start for m in orgs)
        refer_kind, _ = c.refers_before(first_name, [])
        if refer_kind == "Company" or not investors:
            referent = c.refer(s.start, "Company", exclude=target_keys) if refer_kind == "Company" or not investors else []
            if referent and (refer_kind == "Company" or rx["ROUND"].search(body) is None):
                investors, conf = referent[:1] + investors, min(conf, 0.55)
        if not investors:
            return []
        out: list[Proposal] = []
        found = find_money(body, lang)
        valuation = [m for m in found if _valuation(body, m, rx)]
        money = [m for m in found if m not in valuation]
        dates = find_dates(body, lang, published)
        date_text = dates[0].text if dates else None
        by_target = list({m.key: m for m in targets}.values())
        for target in by_target:
            round_key = None
            if money and len(by_target) == 1:
                m = money[0]
                round_key = f"r{s.index}"
                ev = _evidence(text, s, [target.start, target.end, s.start + m.start, s.start + m.end])
                out.append(Proposal("ROUND", target, ev, amount_text=m.text, date_text=date_text, key=round_key,
                                    valuation_text=valuation[0].text if valuation else None, confidence=conf))
            by_key: dict[str, list] = {}
            for inv in investors:
                by_key.setdefault(inv.key, []).append(inv)
            for group in by_key.values():
                inv = group[0]
                led = any(_after(text, s.start, x, rx["LEAD"], 14) or _before(text, s.end, x, rx["LEAD"], lang, 14)
                          for x in group if x.start >= s.start)
                points = [target.start, target.end] + ([inv.start, inv.end] if inv.start >= s.start else [])
                ev = _evidence(text, s, points)
                out.append(Proposal("INVESTED_IN", target, ev, frm=inv, led=led, round=round_key,
                                    date_text=date_text, confidence=conf))
        return out

    # -- rivalry ------------------------------------------------------------------------------------
    def _compete(self, c):
        """The sentence's rivals: the subject (the names before the first rivalry word, or what a
        phrase such as "these models" stands for) against the names after each rivalry word."""
        text, s, rx = c.text, c.s, c.rx
        trigs = list(rx["COMPETE"].finditer(text, s.start, s.end))
        first = trigs[0]
        left = [m for m in c.actors if m.end <= first.start() and not c.in_clause(m)]
        conf = 0.7
        own = rx["OWN_RIVAL"].search(text, s.start, s.end)
        refer_kind, refer_at = c.refers_before(first.start(), left)
        if own and left:  # "منافستها": its rival: the subject's
            subject = [min(left, key=lambda m: m.start)]
        elif refer_kind:
            subject, conf = c.refer(s.start, refer_kind), 0.55
        elif left:
            subject = c.group_near(left[::-1])
        else:
            subject = []
        pairs = []
        for k, trig in enumerate(trigs):
            stop = trigs[k + 1].start() if k + 1 < len(trigs) else s.end
            right = [m for m in c.actors if trig.end() <= m.start and m.end <= stop]
            if not right:
                continue
            objects = c.group_near(right)
            if subject:
                pairs += [(a, b) for a in subject for b in objects]
            elif len(objects) >= 2:  # "تنافس X شركة Y" / "rivals X and Y": with one another
                pairs += list(itertools.combinations(objects, 2)) if len(objects) == len(c.group_near(right)) else []
        if not pairs and len(subject) >= 2 and not refer_kind:  # "A và B cạnh tranh gay gắt"
            pairs = list(itertools.combinations(subject, 2))
        out, seen = [], set()
        for a, b in pairs:
            if a.key == b.key or frozenset((a.key, b.key)) in seen:
                continue
            seen.add(frozenset((a.key, b.key)))
            points = [p for m in (a, b) if m.start >= s.start for p in (m.start, m.end)] + [first.start(), first.end()]
            out.append(Proposal("COMPETES_WITH", b, _evidence(text, s, points), frm=a, confidence=conf))
        return out

    def _heading(self, text, sents, i, mentions, t, lang):
        """A heading about competition: the companies listed together in the paragraph below it."""
        s = sents[i]
        nxt = [x for x in sents[i + 1:] if not x.heading]
        if not nxt:
            return []
        para = [x for x in nxt if x.paragraph == nxt[0].paragraph]
        best: list[Mention] = []
        for x in para:
            ms = [m for m in mentions if x.start <= m.start and m.end <= x.end and m.kind == "Company"]
            ctx = _Sentence(text, x, ms, [], t, lang, {}, [])
            for g in ctx.groups(ms):
                uniq = list({m.key: m for m in g}.values())
                if len(uniq) > len(best):
                    best = uniq
        if len(best) < 3:
            return []
        ev = text[s.start:s.end]
        caveat = "Rests on a heading about competition over a list of companies: no sentence says these two compete."
        return [Proposal("COMPETES_WITH", b, ev, frm=a, confidence=0.35, caveat=caveat)
                for a, b in itertools.combinations(best, 2)]

    # -- models -------------------------------------------------------------------------------------
    def _develops(self, text, owned):
        out = []
        for model, owner in owned:
            if model.kind == "Model" and owner.kind in ORG:
                ev = text[min(model.start, owner.start):max(model.end, owner.end)]
                out.append(Proposal("DEVELOPS", model, ev, frm=owner, confidence=0.6))
        return out


class _Sentence:
    """One sentence's actors, with the article's earlier sentences for what "it" and "these" mean."""

    def __init__(self, text, s, actors, owners, t, lang, rx, history):
        self.text, self.s, self.actors, self.owners = text, s, actors, owners
        self.t, self.lang, self.rx, self.history = t, lang, rx, history
        self.joiners = {w.casefold() for w in t.AND} | {",", "、", "،", "-", "–", "—"} | {
            w.casefold() for ws in t.KIND_WORDS.values() for w in ws if " " not in w}

    def in_clause(self, m) -> bool:
        """`m` stands inside a relative clause (", which is backed by X,") of the sentence."""
        for opener in self.t.RELATIVE:
            at = self.text.find(opener, self.s.start, m.start)
            while at >= 0:
                close = self.text.find(",", at + len(opener), self.s.end)
                if close < 0 or m.end <= close:
                    return True
                at = self.text.find(opener, at + 1, m.start)
        return False

    def joined(self, a, b) -> bool:
        """Only "and" words, commas, kind words and owners ("GPT-4 của OpenAI, Llama") between a and b."""
        a, b = sorted((a, b), key=lambda m: m.start)
        gap = self.text[a.end:b.start]
        for o in sorted(self.owners, key=lambda m: -m.start):
            if a.end <= o.start and o.end <= b.start:
                gap = gap[:o.start - a.end] + " " + gap[o.end - a.end:]
        for w in self.t.POSSESSIVE:
            gap = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", " ", gap) if self.lang in ("vi", "en") else gap.replace(w, " ")
        gap = gap.strip(' "“”«»()‘’\'').casefold()
        if not gap:
            return True
        parts = [p for p in re.split(r"\s+", gap.replace(",", " , ").replace("،", " ، ").replace("、", " 、 ")) if p]
        if all(p in self.joiners for p in parts):
            return True
        return self.lang == "ar" and all(p in self.joiners or (p.startswith("و") and p[1:] in self.joiners)
                                         for p in parts)

    def group_near(self, ordered):
        """The first mention of `ordered` and those joined to it, in order."""
        group = [ordered[0]]
        for prev, m in zip(ordered, ordered[1:]):
            if not self.joined(prev, m):
                break
            group.append(m)
        return sorted(group, key=lambda m: m.start)

    def groups(self, ms):
        ms = sorted(ms, key=lambda m: m.start)
        out = []
        for m in ms:
            if out and self.joined(out[-1][-1], m):
                out[-1].append(m)
            else:
                out.append([m])
        return out

    def refers_before(self, pos, left):
        """The kind a referring phrase ("these models", "الشركة") stands for, when one stands
        between the last name and `pos`."""
        floor = max([m.end for m in left] + [self.s.start])
        for kind, rx in self.rx["REFER"].items():
            m = rx.search(self.text, floor, pos)
            if m:
                return kind, m.start()
        return None, None

    def refer(self, pos, kind, exclude=()):
        """What a phrase of `kind` stands for: the names of that kind in the last sentence that has one
        (for companies, that sentence's first company)."""
        for actors in reversed(self.history[-3:]):
            of_kind = [m for m in actors if m.kind == kind and m.key not in exclude]
            if of_kind:
                return of_kind[:1] if kind == "Company" else of_kind
        return []


def _valuation(body, money, rx) -> bool:
    """`money` is a valuation: a valuation word just before it, itself not right after a deal noun
    ("trị giá 69 triệu USD" is; "thương vụ trị giá 2,75 tỷ USD" is the deal's size)."""
    window = body[max(0, money.start - 30):money.start]
    v = None
    for v in rx["VALUATION"].finditer(window):
        pass
    if v is None:
        return False
    before = body[max(0, money.start - 30 - 25):max(0, money.start - 30) + v.start()]
    return not rx["DEAL"].search(before[-20:])


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


def _nearest(text, floor, m, markers: dict, width=40):
    """Which kind of marker stands nearest before mention `m` (within five words): a key of `markers`."""
    window = text[max(floor, m.start - width):m.start]
    best = None
    for role, rx in markers.items():
        for x in rx.finditer(window):
            if len(window[x.end():].split()) <= 5 and (best is None or x.end() > best[0] or
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
