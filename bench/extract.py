"""The drafting benchmark: leave-one-out on the seed's five articles with `dealgraph draft`'s rules.

    python -m bench.extract ARTICLES_DIR [--bolt-port 7746 --http-port 7756 --home DIR --password ...]

For each article of the seed (its text read from ARTICLES_DIR/<id>; the project holds no article):
load the seed into the bench server without that article's rounds and facts and without the
entities only it names, draft the article through the graph's alias index
(graph.extract.draft_article with GraphNames), and compare with the curated facts: a drafted fact
matches a curated one when its type and both entities match (COMPETES_WITH either way round; a
new entity of the draft is the curated entity whose names share a name key with it). Reported per
article and overall for INVESTED_IN and COMPETES_WITH: recall, precision, amounts exact on the
matched rounds, quotes found verbatim, seconds per article; and every miss and false fact.
The figures go into bench/RESULTS.md's section "Drafting articles (`dealgraph draft`)".
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from bench import harness
from bench.harness import ROOT
from graph.connection import Settings, connect
from graph.dataset import AS_WRITTEN, read_dataset
from graph.evidence import occurs
from graph.extract import GraphNames, draft_article
from graph.load import load_dataset
from graph.names import name_key
from graph.server import LocalServer

HEADING = "## Drafting articles (`dealgraph draft`)"
TYPES = ("INVESTED_IN", "COMPETES_WITH")


def without(ds, article: str):
    """The seed without `article`'s rounds and facts and without the entities only it names."""
    facts = [f for f in ds.facts if f["props"]["source"] != article]
    rounds = [r for r in ds.rounds if r["source"] != article]
    keep = {e["id"] for e in ds.entities if set(e["sources"]) - {article}}
    entities = [{**e, "sources": [s for s in e["sources"] if s != article]} for e in ds.entities if e["id"] in keep]
    return replace(ds, articles=[a for a in ds.articles if a["id"] != article], entities=entities, rounds=rounds,
                   facts=facts, alias_keys={k: v for k, v in ds.alias_keys.items() if k in keep}), keep


def curated_id(draft_entity: dict, by_key: dict[str, str]) -> str:
    """The seed's id for a drafted entity: its own when linked, else the entity sharing a name key."""
    if draft_entity.get("linked"):
        return draft_entity["id"]
    for name in [draft_entity["name"], *draft_entity.get("aliases", [])]:
        if name_key(name) in by_key:
            return by_key[name_key(name)]
    return "new:" + draft_entity["id"]


def triple(kind, a, b):
    return (kind, *sorted((a, b))) if kind == "COMPETES_WITH" else (kind, a, b)


def score_article(ds, article: dict, text: str, draft, names: dict) -> dict:
    src = article["id"]
    by_key = {k: eid for eid, keys in ds.alias_keys.items() for k in keys}
    ids = {e["id"]: curated_id(e, by_key) for e in draft.entities}
    curated = {triple(f["type"], f["from"], f["to"]) for f in ds.facts if f["props"]["source"] == src and f["type"] in TYPES}
    drafted = {}
    for f in draft.facts:
        if f["type"] in TYPES:
            drafted.setdefault(triple(f["type"], ids[f["from"]], ids[f["to"]]), f)
    out = {"article": src, "language": article["language"], "seconds": draft.seconds}
    for kind in TYPES:
        c = {t for t in curated if t[0] == kind}
        d = {t for t in drafted if t[0] == kind}
        out[kind] = {"curated": len(c), "drafted": len(d), "matched": len(c & d),
                     "misses": sorted(c - d), "false": sorted(d - c),
                     "evidence": {t: drafted[t]["evidence"] for t in d - c}}
    # Amounts on matched rounds: a curated round with an amount whose company the draft gave a round.
    rounds = [r for r in ds.rounds if r["source"] == src and r.get("amount")]
    drafted_rounds = [r for r in draft.rounds]
    pairs = []
    for r in rounds:
        same = [d for d in drafted_rounds if ids[d["company"]] == r["company"]]
        if same:
            exact = any(d.get("amount") == r["amount"] and d.get("currency") == r["currency"] for d in same)
            pairs.append((r["id"], exact, [(d.get("amount"), d.get("currency")) for d in same], r["amount"]))
    out["rounds"] = pairs
    quotes = [(rec.get(k)) for rec in draft.facts + draft.rounds for k in AS_WRITTEN if rec.get(k)]
    out["quotes"] = (sum(occurs(q, text) for q in quotes), len(quotes))
    out["names"] = names
    return out


def pct(a, b):
    return f"{a / b:.0%}" if b else "-"


def report(results: list[dict], argv: str, when: str, load: tuple) -> str:
    lines = [HEADING, "",
             f"Run {when} with `python -m bench.extract {argv}` (load average {load[0]:.1f} before, {load[1]:.1f} after; "
             "2 cores shared with the other helpers' test runs). Leave-one-out: for each seed article, the seed "
             "without that article's rounds and facts and without the entities only it names is loaded, the article "
             "is drafted by the built-in rules through the graph's alias index, and the draft is compared with the "
             "curated facts (type and both entities; a new entity counts as the curated one it shares a name key "
             "with). The rules hold no name or sentence of these articles.", "",
             "| article | lang | INVESTED_IN recall | precision | COMPETES_WITH recall | precision | rounds: amount exact | "
             "quotes verbatim | seconds |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    tot = {k: {"curated": 0, "drafted": 0, "matched": 0} for k in TYPES}
    rounds_exact = rounds_all = q_ok = q_all = 0
    for r in results:
        cells = []
        for k in TYPES:
            x = r[k]
            for f in ("curated", "drafted", "matched"):
                tot[k][f] += x[f]
            cells += [f"{pct(x['matched'], x['curated'])} ({x['matched']}/{x['curated']})",
                      f"{pct(x['matched'], x['drafted'])} ({x['matched']}/{x['drafted']})"]
        ex = sum(p[1] for p in r["rounds"])
        rounds_exact += ex
        rounds_all += len(r["rounds"])
        q_ok += r["quotes"][0]
        q_all += r["quotes"][1]
        lines.append(f"| {r['article']} | {r['language']} | " + " | ".join(cells) +
                     f" | {ex}/{len(r['rounds'])} | {r['quotes'][0]}/{r['quotes'][1]} | {r['seconds']:.2f} |")
    cells = []
    for k in TYPES:
        x = tot[k]
        cells += [f"**{pct(x['matched'], x['curated'])}** ({x['matched']}/{x['curated']})",
                  f"**{pct(x['matched'], x['drafted'])}** ({x['matched']}/{x['drafted']})"]
    worst = max(r["seconds"] for r in results)
    lines.append("| all | | " + " | ".join(cells) + f" | {rounds_exact}/{rounds_all} | {q_ok}/{q_all} | max {worst:.2f} |")
    lines += ["", "| target | figure | met |", "| --- | --- | --- |"]
    for k in TYPES:
        x = tot[k]
        rec, prec = x["matched"] / max(1, x["curated"]), x["matched"] / max(1, x["drafted"])
        lines.append(f"| {k} recall >= 70% | {rec:.0%} | {'yes' if rec >= 0.7 else 'no'} |")
        lines.append(f"| {k} precision >= 60% | {prec:.0%} | {'yes' if prec >= 0.6 else 'no'} |")
    ar = rounds_exact / max(1, rounds_all)
    lines.append(f"| amounts exact on matched rounds >= 90% | {ar:.0%} ({rounds_exact}/{rounds_all}) | {'yes' if ar >= 0.9 else 'no'} |")
    lines.append(f"| evidence verbatim 100% | {pct(q_ok, q_all)} ({q_ok}/{q_all}) | {'yes' if q_ok == q_all else 'no'} |")
    lines.append(f"| under 5 s per article | max {worst:.2f} s | {'yes' if worst < 5 else 'no'} |")
    lines += ["", "What limits the time: reading the article's spans' name keys and one alias-index query per "
              "article; the rules themselves are regular expressions over a few thousand characters.", "",
              "Every miss and false fact (ids of the seed; `new:` a name the draft found that the seed does not have):", ""]
    for r in results:
        for k in TYPES:
            for t in r[k]["misses"]:
                lines.append(f"- {r['article']} missed {t[0]} {t[1]} - {t[2]}")
            for t in r[k]["false"]:
                quote = r[k]["evidence"][t]
                quote = quote if len(quote) <= 90 else quote[:87] + "..."
                lines.append(f"- {r['article']} false {t[0]} {t[1]} - {t[2]}, from \"{quote}\"")
        for rid, exact, got, want in r["rounds"]:
            if not exact:
                lines.append(f"- {r['article']} round {rid}: amount {want} curated, drafted {got}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", help="the folder holding the seed articles' text files")
    parser.add_argument("--home", default=str(ROOT / ".dealgraph-bench-extract"))
    parser.add_argument("--bolt-port", type=int, default=7746)
    parser.add_argument("--http-port", type=int, default=7756)
    parser.add_argument("--password", default=harness.PASSWORD)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--only", help="one article id")
    parser.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = parser.parse_args(argv)

    folder = Path(args.articles)
    server = LocalServer(home=Path(args.home).resolve(), bolt_port=args.bolt_port, http_port=args.http_port)
    server.start(args.password, echo=harness.log)
    conn = connect(Settings(uri=server.bolt_uri, username="neo4j", password=args.password, timeout=60))
    load_before = os.getloadavg()[0]
    seed = read_dataset()
    results = []
    for article in seed.articles:
        if args.only and article["id"] != args.only:
            continue
        text = (folder / article["id"]).read_text(encoding="utf-8-sig")
        reduced, kept = without(seed, article["id"])
        load_dataset(conn, reduced, reset=True)
        started = time.perf_counter()
        draft = draft_article(text, lang="auto", title=article.get("title"), outlet=article.get("outlet"),
                              date=article.get("published"), names=GraphNames(conn), source=article["id"])
        draft.seconds = time.perf_counter() - started
        r = score_article(seed, article, text, draft, {})
        harness.log(f"{article['id']}: " + ", ".join(f"{k} {r[k]['matched']}/{r[k]['curated']} curated, "
                                                     f"{r[k]['drafted']} drafted" for k in TYPES)
                    + f", {draft.seconds:.2f} s; {draft.summary()}")
        results.append(r)
    when = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}"
    text = report(results, " ".join(argv if argv is not None else sys.argv[1:]), when,
                  (load_before, os.getloadavg()[0]))
    if args.no_write:
        print(text)
    else:
        harness.write_section(Path(args.out), HEADING, text)
        harness.log(f"wrote {args.out}")
    conn.close()


if __name__ == "__main__":
    main()
