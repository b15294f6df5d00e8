"""The one set of checks every extractor's proposals go through before they become a draft.

An extractor (the built-in rules, or a language model) proposes facts and rounds: names as the article
writes them, a quote, and the amount and date phrases as written. Here, whatever proposed them:
  - a quote that is not in the article word for word (graph.evidence.occurs), or is longer than
    graph.evidence.MAX_WORDS words, is dropped and counted;
  - names are looked up in the alias index; a name the index does not know must be in the article,
    and becomes a new entity with a kind guessed from its context;
  - amounts and dates are parsed again from the quoted words (graph.extract.money, .dates), never
    taken from the proposer's own numbers;
  - hedges in the quote's sentence ("according to", "Theo Reuters", "بحسب") become a caveat, and words
    of the past ("trước đây", "سابقاً", "formerly") `status: former`;
  - each end must be of a kind the fact type allows (graph.dataset.FACT_ENDS).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dataset import FACT_ENDS
from ..evidence import MAX_WORDS, normalise, occurs
from ..names import name_key
from ..schema import FACT_TYPES
from .dates import find_dates
from .languages import alternation, table
from .money import find_money
from .names import Mention, guess_kind


@dataclass
class Proposal:
    """A fact (type in FACT_TYPES) or a round (type "ROUND": `to` is the company) as proposed."""

    type: str
    to: str | Mention
    evidence: str
    frm: str | Mention | None = None
    amount_text: str | None = None
    date_text: str | None = None
    valuation_text: str | None = None
    led: bool = False
    round: str | None = None      # INVESTED_IN: the key of the ROUND proposal it belongs to
    key: str | None = None        # ROUND: its key
    confidence: float = 0.5
    caveat: str | None = None
    note: str | None = None
    status: str | None = None


@dataclass
class Checked:
    facts: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    entities: dict[str, dict] = field(default_factory=dict)   # key -> {id?, name, kind, spellings, new}
    dropped: dict[str, int] = field(default_factory=dict)      # reason -> count
    problems: list[str] = field(default_factory=list)

    def drop(self, reason: str, detail: str | None = None) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1
        if detail and len(self.problems) < 50:
            self.problems.append(f"{reason}: {detail}")


def _contains(text: str, words, lang: str):
    """The first of `words` in `text` as a word (Latin scripts) or as a substring (Arabic, Chinese)."""
    if not words:
        return None
    rx = rf"(?<![\w]){alternation(words)}(?![\w])" if lang in ("vi", "en") else alternation(words)
    m = re.search(rx, text, re.IGNORECASE)
    return m.group() if m else None


def sentence_of(text: str, quote: str) -> str:
    """The sentence of the article that holds `quote` (for hedges and tense), or the quote itself."""
    from .text import sentences

    q = normalise(quote)
    for s in sentences(text):
        if q in normalise(text[s.start:s.end]):
            return text[s.start:s.end]
    return quote


def hedge_caveat(context: str, lang: str) -> str | None:
    t = table(lang)
    word = _contains(context, t.HEDGES, lang)
    lead = _contains(" ".join(context.split()[:2]), getattr(t, "HEDGES_LEAD", ()), lang)
    word = word or lead
    if word is None:
        return None
    return f"Hedged in the article ('{word}'): attributed or uncertain, not stated as fact."


def is_former(context: str, lang: str) -> bool:
    return _contains(context, table(lang).FORMER, lang) is not None


class Checker:
    """Checks proposals against one article and an alias index, building the draft's records."""

    def __init__(self, text: str, lang: str, names, published: str | None):
        self.text, self.lang, self.names, self.published = text, lang, names, published
        self.out = Checked()
        self.round_ids: dict[str, str] = {}

    # entities -------------------------------------------------------------------------------------
    def entity(self, ref) -> dict | None:
        """The entity record a proposal's end stands for, or None (the name is not in the article)."""
        if isinstance(ref, Mention):
            name, mention = ref.text, ref
        else:
            name, mention = (ref or "").strip(), None
            if not name_key(name):
                return None
            found = self.names.lookup([name_key(name)]) if self.names is not None else {}
            ents = found.get(name_key(name))
            if ents:
                mention = Mention(0, 0, name, ents[0]["kind"], ents[0], ents)
            elif not occurs(name, self.text):
                return None
            else:
                at = normalise(self.text).find(normalise(name))
                mention = Mention(0, 0, name, guess_kind(self.text, max(at, 0), max(at, 0) + len(name), self.lang))
        key = mention.key
        rec = self.out.entities.get(key)
        if rec is None:
            if mention.entity:
                rec = {"id": mention.entity["id"], "name": mention.entity["name"], "kind": mention.entity["kind"],
                       "spellings": [], "new": False, "ambiguous": len(mention.candidates) > 1}
            else:
                rec = {"name": mention.latin or mention.text, "kind": mention.kind, "spellings": [], "new": True}
            self.out.entities[key] = rec
        for spelling in (mention.text, mention.latin):
            if spelling and spelling not in rec["spellings"]:
                rec["spellings"].append(spelling)
        rec["key"] = key
        return rec

    # proposals ------------------------------------------------------------------------------------
    def quote_ok(self, p: Proposal) -> bool:
        if not p.evidence or not occurs(p.evidence, self.text):
            self.out.drop("quote not in the article", repr((p.evidence or "")[:80]))
            return False
        if len(p.evidence.split()) > MAX_WORDS:
            self.out.drop("quote too long", f"{len(p.evidence.split())} words")
            return False
        return True

    def as_written(self, phrase: str | None, within: str) -> str | None:
        """A phrase as written, kept only if the article has it."""
        if phrase and occurs(phrase, self.text):
            return phrase.strip()
        return None

    def add(self, p: Proposal) -> None:
        if p.type != "ROUND" and p.type not in FACT_TYPES:
            self.out.drop("unknown fact type", p.type)
            return
        if not self.quote_ok(p):
            return
        to = self.entity(p.to)
        frm = self.entity(p.frm) if p.type != "ROUND" else None
        if to is None or (p.type != "ROUND" and frm is None):
            self.out.drop("name not in the article", repr(p.frm if to else p.to))
            return
        if frm is not None and frm["key"] == to["key"]:
            self.out.drop("links an entity to itself")
            return
        allowed = FACT_ENDS.get("INVESTED_IN" if p.type == "ROUND" else p.type, (None, None))
        for end, rec in (("from", frm), ("to", to)):
            ok = allowed[0 if end == "from" else 1]
            if rec is None or not ok or rec["kind"] in ok:
                continue
            if rec["new"] and ok:  # a guess: take the kind the fact needs
                rec["kind"] = ok[0]
            else:
                self.out.drop("wrong kind of entity", f"{p.type} {end} {rec['name']} ({rec['kind']})")
                return
        context = sentence_of(self.text, p.evidence)
        rec = {"evidence": p.evidence.strip(), "confidence": round(p.confidence, 2), "draft": True}
        # Amounts and dates are read again from the words as written.
        money_src = self.as_written(p.amount_text, context) or (p.evidence if p.type in ("ROUND", "FINED") else None)
        if money_src and p.type in ("ROUND", "FINED", "INVESTED_IN"):
            found = [m for m in find_money(money_src, self.lang)]
            if found:
                m = found[0]
                rec.update(amount=m.amount, currency=m.currency, amount_text=m.text)
                if m.qualifier:
                    rec["amount_qualifier"] = m.qualifier
        if p.type == "ROUND" and p.valuation_text and self.as_written(p.valuation_text, context):
            found = find_money(p.valuation_text, self.lang)
            if found:
                v = found[0]
                rec.update(valuation=v.amount, valuation_currency=v.currency, valuation_text=v.text)
                if v.qualifier:
                    rec["valuation_qualifier"] = v.qualifier
        date_src = self.as_written(p.date_text, context)
        if date_src:
            found = find_dates(date_src, self.lang, self.published)
            if found:
                rec["date_text"] = found[0].text
                if found[0].date:
                    rec["date"] = found[0].date
        caveats = [c for c in (p.caveat, hedge_caveat(context, self.lang)) if c]
        if to.get("ambiguous") or (frm and frm.get("ambiguous")):
            caveats.append("A name here belongs to several entities in the graph; the first was taken.")
            rec["confidence"] = round(rec["confidence"] * 0.7, 2)
        if caveats:
            rec["caveat"] = " ".join(dict.fromkeys(caveats))
        if p.status == "former" or is_former(context, self.lang):
            rec["status"] = "former"
        if p.note:
            rec["note"] = p.note
        if p.type == "ROUND":
            if "amount" not in rec:
                self.out.drop("round without an amount")
                return
            rec["company"] = to["key"]
            rec["key"] = p.key
            self.out.rounds.append(rec)
            return
        if p.type == "INVESTED_IN":
            if p.led:
                rec["led"] = True
            if p.round:
                rec["round"] = p.round
                for k in ("amount", "currency", "amount_text", "amount_qualifier"):
                    rec.pop(k, None)  # totals live on the round
        rec.update(type=p.type, **{"from": frm["key"], "to": to["key"]})
        self.out.facts.append(rec)
