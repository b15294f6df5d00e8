"""The review page's two steps on the server: draft an article, then turn the reviewed draft into
the dataset records that graph.web.articles saves.

The page (templates/review.html, static/review.js) receives the draft as JSON (graph.extract's
`Draft.to_json`: article, entities, rounds, facts, each fact with its evidence) and sends back
every fact with a status (accepted, rejected, pending) and the user's edits. Only accepted facts
are saved; what they need comes with them: the rounds they name, the new entities they link, and
for entities the graph already has, a `linked` record (id, kind, name) that adds nothing but the
link. Field values are checked by the dataset reader when the saved file is loaded, quotes by
graph.evidence against the article's text: a bad one refuses the whole save.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..dataset import FACT_COMMON, FACT_FIELDS, ROUND_FIELDS
from ..errors import DealgraphError
from ..evidence import occurs
from ..extract import GraphNames, draft_article
from ..extract.draft import choose_extractor
from ..extract.languages import detect
from ..schema import FACT_TYPES
from . import articles, pages

REVIEW_LIMIT = 5000  # facts in one review
NOT_SAVED = ("draft", "confidence", "status", "linked")  # review marks, not data


def destination() -> str | None:
    """Where drafting sends an article's text: the language model's endpoint when DEALGRAPH_LLM_URL
    configures one (the page says so before anything is sent), else None (drafted on this machine)."""
    extractor = choose_extractor("auto")
    return extractor.where() if hasattr(extractor, "where") else None


def draft(conn, text: str, title, outlet, published, language) -> tuple[dict, dict]:
    """(article record, draft JSON as a dict) for the review page: nothing is written. The
    extractor is the built-in one unless DEALGRAPH_LLM_URL names a language model."""
    language = (language or "").strip() or detect(text)
    record = articles.record(text, title, outlet, published, language)
    drafted = draft_article(text, lang=record["language"], title=record["title"], outlet=record["outlet"],
                            date=record["published"], names=GraphNames(conn), source=record["id"],
                            extractor=choose_extractor("auto"))
    data = json.loads(drafted.to_json())
    for fact in data.get("facts", []):
        fact["status"] = "pending"
    return record, data


def parse(raw) -> dict:
    """The page's review JSON, or one line saying what is wrong with it."""
    try:
        review = json.loads(raw or "")
    except (TypeError, ValueError):
        raise DealgraphError("the review could not be read: reload the page") from None
    if not isinstance(review, dict) or not isinstance(review.get("facts"), list) \
            or len(review["facts"]) > REVIEW_LIMIT or not all(isinstance(f, dict) for f in review["facts"]):
        raise DealgraphError("the review could not be read: reload the page")
    for key in ("entities", "rounds"):
        if not isinstance(review.get(key, []), list) or not all(isinstance(r, dict) for r in review.get(key, [])):
            raise DealgraphError("the review could not be read: reload the page")
    return review


def records(conn, text: str, review: dict, article_id: str) -> tuple[list, list, list]:
    """(entities, rounds, facts) to save: the accepted facts, checked against the article and the
    graph, with the rounds and entities they need. Each fact gets an id of its own article's (two
    articles that report the same deal are two sourced facts, not one id twice)."""
    facts, needed_rounds, needed_entities = [], [], []
    rounds = {r.get("id"): r for r in review.get("rounds", [])}
    new = {e.get("id"): e for e in review.get("entities", []) if not e.get("linked")}
    for n, fact in enumerate(review["facts"], 1):
        if fact.get("status") != "accepted":
            continue
        kind = fact.get("type")
        if kind not in FACT_TYPES:
            raise DealgraphError(f"fact {n}: unknown type {kind!r}")
        allowed = set(FACT_COMMON) | set(FACT_FIELDS.get(kind, {}))
        out = {k: v for k, v in fact.items() if k in allowed and k not in NOT_SAVED and v not in (None, "")}
        out.pop("source", None)  # the file's: this article
        quote = out.get("evidence")
        if not isinstance(quote, str) or not quote.strip():
            raise DealgraphError(f"fact {n} ({kind} {fact.get('from')} -> {fact.get('to')}): no quote: select the "
                                 "words of the article that say it")
        if not occurs(quote, text):
            raise DealgraphError(f"fact {n} ({kind} {fact.get('from')} -> {fact.get('to')}): the quote "
                                 f"{quote[:80]!r} is not in the article: quote its words as they are")
        if not out.get("id"):
            base = f"{out.get('from')}-{kind.lower().replace('_', '-')}-{out.get('to')}-{Path(article_id).stem}"
            out["id"], k = base, 2
            while any(f.get("id") == out["id"] for f in facts):
                out["id"], k = f"{base}-{k}", k + 1
        facts.append(out)
        for end in (out.get("from"), out.get("to")):
            if end not in needed_entities:
                needed_entities.append(end)
        if out.get("round") and out["round"] not in needed_rounds:
            if out["round"] not in rounds:
                raise DealgraphError(f"fact {n}: unknown round {out['round']!r}")
            needed_rounds.append(out["round"])
    saved_rounds = []
    for rid in needed_rounds:
        rnd = {k: v for k, v in rounds[rid].items() if k in ROUND_FIELDS and k not in NOT_SAVED and v not in (None, "")}
        rnd.pop("source", None)
        if rnd.get("company") not in needed_entities:
            needed_entities.append(rnd.get("company"))
        saved_rounds.append(rnd)
    entities = []
    known = pages.entities(conn, [e for e in needed_entities if isinstance(e, str)])
    for eid in needed_entities:
        if eid in known:
            entities.append({"id": eid, "kind": known[eid]["kind"], "name": known[eid]["name"], "linked": True})
        elif eid in new:
            entities.append({k: v for k, v in new[eid].items() if k in ("id", "kind", "name", "aliases", "country")
                             and v not in (None, "", [])})
        else:
            raise DealgraphError(f"entity {eid!r}: not in the graph: choose one from the suggestions, or add it as "
                                 "a new entity")
    return entities, saved_rounds, facts

