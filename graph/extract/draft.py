"""A draft: the checked proposals for one article as a dataset in the seed's own format."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import values
from ..errors import DealgraphError, InputError
from .checks import Checker
from .languages import LANGUAGES, detect


@dataclass
class Draft:
    """One article's draft: `dataset` is the mapping a dataset file holds (articles, entities, rounds,
    facts, source); `extractor` says which extractor proposed it, `dropped` what the checks refused."""

    dataset: dict
    extractor: str
    language: str
    dropped: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def facts(self) -> list[dict]:
        return self.dataset.get("facts", [])

    @property
    def rounds(self) -> list[dict]:
        return self.dataset.get("rounds", [])

    @property
    def entities(self) -> list[dict]:
        return self.dataset.get("entities", [])

    def summary(self) -> str:
        """One line: what the draft holds and what the checks dropped."""
        new = sum(1 for e in self.entities if not e.get("linked"))
        line = (f"Draft of {self.dataset['source']} ({self.language}, {self.extractor} extractor): "
                f"{len(self.facts)} facts, {len(self.rounds)} rounds, {len(self.entities) - new} known and "
                f"{new} new entities")
        if self.dropped:
            line += "; dropped " + ", ".join(f"{n} ({why})" for why, n in sorted(self.dropped.items()))
        return line

    def to_json(self) -> str:
        return json.dumps({**self.dataset, "draft": {"extractor": self.extractor, "language": self.language,
                                                     "dropped": self.dropped}},
                          ensure_ascii=False, indent=2)

    def to_yaml(self) -> str:
        import yaml

        head = (f"# {self.summary()}.\n# Every record is a proposal (draft: true) to review before loading; "
                "`linked: true` entities are already in the graph.\n")
        return head + yaml.safe_dump(self.dataset, allow_unicode=True, sort_keys=False, width=110)


def _slug(text: str) -> str:
    from anyascii import anyascii

    s = re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")
    return s[:60].strip("-") or "entity"


def choose_extractor(which: str = "auto"):
    """rules: the built-in extractor; llm: the chat endpoint of DEALGRAPH_LLM_URL (an error if unset);
    auto: llm when DEALGRAPH_LLM_URL is set, else rules."""
    import os

    if which == "llm" or (which == "auto" and os.environ.get("DEALGRAPH_LLM_URL")):
        from .llm import LLMExtractor

        return LLMExtractor.from_env()
    from .rules import RulesExtractor

    return RulesExtractor()


def draft_article(text: str, *, lang: str = "auto", title: str | None = None, outlet: str | None = None,
                  date: str | None = None, names=None, source: str = "article.txt", extractor=None) -> Draft:
    """Draft the facts of one article (UTF-8 text). `names` is an alias index (GraphNames(conn),
    DatasetNames(dataset); None: the bundled seed's); `extractor` defaults to the built-in rules."""
    started = time.perf_counter()
    if not isinstance(text, str) or not text.strip():
        raise InputError("the article is empty", file=source)
    try:
        values.text(text, limit=200_000)
        published = values.date(date) if date else None
    except ValueError as exc:
        raise InputError(str(exc), file=source, field="date" if date else None) from None
    lang = detect(text) if lang in (None, "auto") else lang
    if lang not in LANGUAGES:
        raise DealgraphError(f"unknown language {lang!r}: expected auto, {', '.join(LANGUAGES)}")
    if names is None:
        from ..dataset import read_dataset
        from .names import DatasetNames

        names = DatasetNames(read_dataset())
    if extractor is None:
        from .rules import RulesExtractor

        extractor = RulesExtractor()
    proposals = extractor.propose(text, lang, names, published)
    checker = Checker(text, lang, names, published)
    for p in proposals:
        checker.add(p)
    out = checker.out
    dataset = _assemble(out, text, lang, title, outlet, published, source, extractor.name)
    return Draft(dataset, extractor.name, lang, dict(out.dropped), list(out.problems),
                 time.perf_counter() - started)


def _assemble(out, text, lang, title, outlet, published, source, extractor_name) -> dict:
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source).stem.lower()).strip("-") or "article"
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), source)
    article = {"id": source, "title": (title or first_line)[:300], "language": lang}
    if outlet:
        article["outlet"] = outlet
    if published:
        article["published"] = published
    article["note"] = f"Drafted by dealgraph draft ({extractor_name} extractor): every fact is a proposal to review."

    # Entities: ids for new ones from their names; the article's spellings become aliases.
    used_ids: set[str] = {rec["id"] for rec in out.entities.values() if not rec["new"]}
    ids: dict[str, str] = {}
    entities = []
    referenced = {f["from"] for f in out.facts} | {f["to"] for f in out.facts} | {r["company"] for r in out.rounds}
    for key, rec in out.entities.items():
        if key not in referenced:
            continue
        if rec["new"]:
            base = _slug(rec["name"])
            eid, n = base, 2
            while eid in used_ids:
                eid, n = f"{base}-{n}", n + 1
            used_ids.add(eid)
            aliases = [s for s in rec["spellings"] if s != rec["name"]]
            entities.append({"id": eid, "kind": rec["kind"], "name": rec["name"],
                             **({"aliases": aliases} if aliases else {}), "draft": True})
        else:
            eid = rec["id"]
            aliases = [s for s in rec["spellings"] if s != rec["name"]]
            entities.append({"id": eid, "kind": rec["kind"], "name": rec["name"],
                             **({"aliases": aliases} if aliases else {}), "linked": True})
        ids[key] = eid

    rounds, round_ids, same = [], {}, {}
    for r in out.rounds:  # one round per company and amount: the headline repeats the story
        sig = (r["company"], r.get("amount"), r.get("currency"))
        if sig in same:
            round_ids[r["key"]] = same[sig]["id"]
            for k in ("date", "date_text", "valuation", "valuation_currency", "valuation_text", "valuation_qualifier"):
                if k in r and k not in same[sig]:
                    same[sig][k] = r[k]
            continue
        rid = f"{ids[r['company']]}-{stem}-round-{len(rounds) + 1}"[:120]
        round_ids[r["key"]] = rid
        rec = {"id": rid, "company": ids[r["company"]]}
        rec.update({k: v for k, v in r.items() if k not in ("company", "key")})
        rounds.append(rec)
        same[sig] = rec

    facts, seen = [], {}
    for f in out.facts:
        a, b = ids[f["from"]], ids[f["to"]]
        rnd = round_ids.get(f.get("round")) if f.get("round") else None
        pair = tuple(sorted((a, b))) if f["type"] in ("COMPETES_WITH", "PARTNERS_WITH") else (a, b)
        sig = (f["type"], pair, rnd)
        rec = {"type": f["type"], "from": a, "to": b}
        if rnd:
            rec["round"] = rnd
        rec.update({k: v for k, v in f.items() if k not in ("type", "from", "to", "round")})
        if sig in seen:
            old = seen[sig]
            if rec["confidence"] > old["confidence"]:
                facts[facts.index(old)] = rec
                seen[sig] = rec
            continue
        seen[sig] = rec
        facts.append(rec)
    # Two facts of one type between one pair (two rounds): each gets its own id.
    counts: dict[tuple, int] = {}
    for rec in facts:
        k = (rec["type"], rec["from"], rec["to"])
        counts[k] = counts.get(k, 0) + 1
        if counts[k] > 1:
            rec["id"] = f"{rec['from']}-{rec['type'].lower().replace('_', '-')}-{rec['to']}-{stem}-{counts[k]}"
    out_ds = {"source": source, "articles": [article], "entities": entities}
    if rounds:
        out_ds["rounds"] = rounds
    out_ds["facts"] = facts
    return out_ds


def write_draft(draft: Draft, output: str | Path | None = None, fmt: str = "yaml", data: str | Path | None = None) -> Path | None:
    """Write the draft to `output` (a file), or into the dataset folder `data` (as
    `<article>.yaml`; the folder is created), or return None for the caller to print it.
    The file is written whole or not at all."""
    body = draft.to_json() if fmt == "json" else draft.to_yaml()
    if data is not None:
        folder = Path(data)
        if folder.exists() and not folder.is_dir():
            raise InputError("not a folder (--data names the dataset folder the draft is added to)", file=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / (Path(draft.dataset["source"]).stem + (".json" if fmt == "json" else ".yaml"))
    if output is None:
        return None
    path = Path(output)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(body + ("\n" if not body.endswith("\n") else ""), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    return path
