"""The duplicates benchmark: `dealgraph dedupe` on a generated export with planted duplicates.

    python -m bench.dedupe --investments 100000 --plant 300 [--stop]

Generates the export with planted duplicates (bench.generate --plant; the truth beside it),
imports it into an emptied bench server with the real `dealgraph import csv`, then runs the real
`dealgraph dedupe --limit 0 --format json` in a subprocess (wall time and peak memory) and scores
its answer against the truth: recall (planted pairs found among all candidates), precision of the
top 200 (candidates that are planted pairs), and the recall per kind of variant. The figures go
into bench/RESULTS.md's section "Duplicates (`dealgraph dedupe`)" (other sections stay).

Ports and folder default to a server of its own (Bolt 7726, HTTP 7736, ./.dealgraph-bench-dedupe).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from bench import harness
from bench.generate import generate

HEADING = "## Duplicates (`dealgraph dedupe`)"
TOP = 200


def dataset(investments: int, seed: int, plant: int) -> tuple[Path, Path]:
    folder = harness.BENCH / "data" / f"inv-{investments}-seed-{seed}-plant-{plant}"
    truth = folder.parent / f"{folder.name}.planted.csv"
    if not (folder / ".complete").exists() or not truth.exists():
        harness.log(f"generating {investments:,} investments with {plant} planted duplicates into {folder}")
        counts = generate(folder, investments=investments, seed=seed, plant=plant)
        (folder / ".complete").write_text(json.dumps(counts))
    return folder, truth


def dedupe(server, min_score: float) -> dict:
    """The real `dealgraph dedupe` (harness.run_dealgraph) with no judgements: every pair offered."""
    result = harness.run_dealgraph(server, "dedupe", "--limit", "0", "--min-score", min_score, "--format", "json",
                                   env={"DEALGRAPH_DATA": tempfile.mkdtemp(prefix="dedupe-bench-")})
    return {**result, "rows": json.loads(result.pop("output"))}


def score(rows: list[dict], truth: Path) -> dict:
    planted = {}
    with open(truth, encoding="utf-8") as f:
        for t in csv.DictReader(f):
            planted[frozenset(("cb-" + t["original_uuid"], "cb-" + t["duplicate_uuid"]))] = t["variant"]
    found = {frozenset((r["a_id"], r["b_id"])) for r in rows}
    top = [frozenset((r["a_id"], r["b_id"])) for r in rows[:TOP]]
    by_variant = Counter(planted.values())
    hit_variant = Counter(v for pair, v in planted.items() if pair in found)
    misses = [(sorted(pair), v) for pair, v in planted.items() if pair not in found][:10]
    wrong = [r for r in rows[:TOP] if frozenset((r["a_id"], r["b_id"])) not in planted][:5]
    return {"planted": len(planted), "candidates": len(rows), "recall": sum(p in found for p in planted) / len(planted),
            "precision_top": sum(p in planted for p in top) / max(1, len(top)), "top": len(top),
            "by_variant": {v: (hit_variant[v], n) for v, n in sorted(by_variant.items())},
            "misses": misses, "wrong": [(r["score"], r["a_name"], r["b_name"], r["reasons"]) for r in wrong]}


def heading(plant: int) -> str:
    return f"{HEADING}: {plant} planted"


def report(r: dict, argv: str) -> str:
    m, s = r["machine"], r["score"]
    variants = ", ".join(f"{v} {hit}/{n}" for v, (hit, n) in s["by_variant"].items())
    lines = [heading(s["planted"]), "",
             f"Run {r['when']} with `python -m bench.dedupe {argv}` ({m['cores']} cores shared with the other helpers' "
             f"test runs today: load average {m['load_before']:.1f} before, {m['load_after']:.1f} after, so the times "
             "are pessimistic).", "",
             f"The export: {r['investments']:,} investments from bench.generate (seed {r['seed']}) with "
             f"{s['planted']} planted duplicates (an investor a second time under another uuid, with a legal suffix, "
             "other case, accents, a typo, its name in Chinese or Arabic script; same country, every other of its "
             "investments, one of its rounds in a company the original backs), imported with `dealgraph import csv`. `dealgraph dedupe --limit 0 --min-score "
             f"{r['min_score']}` then ran as a subprocess: wall time including start-up, its CPU time and peak memory. What is "
             "not its CPU time is Neo4j reading the entities and the neighbours of the candidate pairs (and waiting "
             "for the shared cores). Precision depends on how many pairs are planted: the generator also makes "
             "distinct investors with one name, the same kind and country (its names repeat), which only shared "
             "neighbours tell apart.",
             "",
             "| entities | candidates | dedupe s | CPU s | peak MB | recall of planted pairs | precision of the top 200 |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
             f"| {r['entities']:,} | {s['candidates']:,} | {r['dedupe']['seconds']:.1f} | {r['dedupe']['cpu_s']:.1f} | "
             f"{r['dedupe']['peak_rss_mb']:.0f} | {s['recall']:.1%} | {s['precision_top']:.1%} |", "",
             f"Recall by variant (found/planted): {variants}.", "",
             "| target | figure | met |", "| --- | --- | --- |",
             f"| recall >= 95% | {s['recall']:.1%} | {'yes' if s['recall'] >= 0.95 else 'no'} |",
             f"| precision of the top 200 >= 90% | {s['precision_top']:.1%} | {'yes' if s['precision_top'] >= 0.9 else 'no'} |",
             f"| dedupe on this graph < 30 s | {r['dedupe']['seconds']:.1f} s | {'yes' if r['dedupe']['seconds'] < 30 else 'no'} |",
             ""]
    if s["wrong"]:
        lines += ["Top-200 candidates that are not planted pairs (the generator also makes distinct investors with "
                  "one name, which a reviewer has to tell apart), for example:", ""]
        lines += [f"- {score:.2f} {a!r} / {b!r}: {why}" for score, a, b, why in s["wrong"]] + [""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--investments", type=int, default=100_000)
    parser.add_argument("--plant", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-score", type=float, default=0.3,
                        help="the candidates a reviewer pages through (recall is counted among them)")
    harness.server_options(parser, ".dealgraph-bench-dedupe", 7726, 7736, heap="2g", pagecache="1g")
    parser.add_argument("--reuse", action="store_true", help="keep the graph the server holds (no reload)")
    args = parser.parse_args(argv)

    folder, truth = dataset(args.investments, args.seed, args.plant)
    server = harness.start_server(args)
    conn = harness.connect(server)
    load_before = os.getloadavg()[0]
    if not args.reuse:
        harness.empty(conn)
        harness.log(f"importing {folder.name}")
        loaded = harness.load_dealgraph(server, folder, args.batch_size)
        harness.log(f"imported in {loaded['seconds']:.0f} s")
    entities = conn.read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    harness.log(f"dedupe on {entities:,} entities")
    result = dedupe(server, args.min_score)
    rows = result.pop("rows")
    scored = score(rows, truth)
    harness.log(f"dedupe {result['seconds']:.1f} s: {len(rows):,} candidates, recall {scored['recall']:.1%}, "
                f"precision@{TOP} {scored['precision_top']:.1%}; by variant {scored['by_variant']}")
    for miss in scored["misses"]:
        harness.log(f"missed {miss}")
    for wrong in scored["wrong"]:
        harness.log(f"not planted, in the top {TOP}: {wrong}")
    r = {"when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}", "investments": args.investments, "seed": args.seed,
         "min_score": args.min_score, "entities": entities, "dedupe": result, "score": scored,
         "machine": {"cores": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()[0]}}
    harness.finish(args, server, conn, heading(scored["planted"]), report(r, " ".join(argv if argv is not None else sys.argv[1:])))


if __name__ == "__main__":
    main()
