"""The analytics benchmark: `dealgraph analyze` on the bench graphs (time and peak memory).

    python -m bench.analytics --investments 100000 1000000 [--stop]

For each size: generates the export (bench/generate.py, reused if there), loads it into an emptied
bench server with the real `dealgraph import csv`, then runs the real `dealgraph analyze` in a
subprocess and measures its wall time and peak resident memory (the Python process: the Neo4j
server's own memory is its fixed heap and page cache). It also times the named queries that read
the scores. The figures go into bench/RESULTS.md's section "Co-investment analytics" (the
rest of the file is left as it is; bench/run.py, which writes the loader benchmark's sections,
keeps this one too).

Ports and folder default to a server of its own (Bolt 7724, HTTP 7734, ./.dealgraph-bench-analytics).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import harness

HEADING = "## Co-investment analytics (`dealgraph analyze`)"


def analyze(server) -> dict:
    """The real CLI (harness.run_dealgraph): wall time, peak RSS, and its own table of step timings."""
    result = harness.run_dealgraph(server, "analyze", "--no-progress")
    text = result.pop("output")
    steps = {m[1].strip(): float(m[2]) for m in re.finditer(r"│ ([a-z ]+?)\s+│\s+([\d.]+) │", text)}
    summary = next((line for line in text.splitlines() if "investors," in line), "")
    return {**result, "steps": steps, "summary": summary}


def query_ms(conn, name: str, **params) -> float:
    from graph.queries import get_query, run_spec

    spec = get_query(name)
    run_spec(conn, spec, params)  # warm
    started = time.perf_counter()
    run_spec(conn, spec, params)
    return (time.perf_counter() - started) * 1000


def report(results: list[dict], machine: dict, argv: str) -> str:
    lines = [HEADING, "",
             f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC} with `python -m bench.analytics {argv}` on the "
             f"machine above ({machine['cores']} cores; load average "
             f"{', '.join(f'{x:.1f}' for x in machine['load_before'])} before and "
             f"{', '.join(f'{x:.1f}' for x in machine['load_after'])} after"
             + (", so other work shared the cores and the figures are pessimistic)."
                if max(machine["load_before"][0], machine["load_after"][0]) > machine["cores"] else
                ": the bench alone)."),
             "",
             "`analyze` is the real CLI in a subprocess after `dealgraph import csv` of the bench export: wall time "
             "including start-up, the CPU time of the Python process (user + system: less sensitive to the other "
             "helpers' load than wall time; the server's work is not in it), and its peak memory (RSS). Step "
             "columns are wall seconds. Engine: networkit (one thread).",
             "",
             "| investments | investors in the network | ties | communities | analyze s | CPU s | peak MB | read+project s | "
             "pagerank s | betweenness s | communities s | write scores s | central_investors ms | communities ms |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        s = r["analyze"]["steps"]
        m = re.search(r"([\d,]+) investors, ([\d,]+) co-investment ties; ([\d,]+) communities", r["analyze"]["summary"])
        nodes, edges, communities = m.groups() if m else ("?", "?", "?")
        lines.append(f"| {r['investments']:,} | {nodes} | {edges} | {communities} | {r['analyze']['seconds']:.1f} | "
                     f"{r['analyze']['cpu_s']:.1f} | {r['analyze']['peak_rss_mb']:.0f} | {s.get('read and project', 0):.1f} | "
                     f"{s.get('pagerank', 0):.1f} | {s.get('betweenness', 0):.1f} | {s.get('communities', 0):.1f} | "
                     f"{s.get('write scores', 0):.1f} | {r['central_ms']:.0f} | {r['communities_ms']:.0f} |")
    lines += [""] + [f"- {r['investments']:,} (run {r.get('when', '?')}, load average "
                     f"{r['load_average'][0][0]:.0f} before, {r['load_average'][1][0]:.0f} after): "
                     f"{r['analyze']['summary']}" for r in results] + [""]
    big = max(results, key=lambda r: r["investments"])
    ok = big["analyze"]["seconds"] < 120 and big["analyze"]["peak_rss_mb"] < 2048
    lines += ["| target | figure | met |", "| --- | --- | --- |",
              f"| analyze at {big['investments']:,} investments < 120 s and < 2 GB | "
              f"{big['analyze']['seconds']:.0f} s, {big['analyze']['peak_rss_mb']:.0f} MB | {'yes' if ok else 'no'} |", ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--investments", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    harness.server_options(parser, ".dealgraph-bench-analytics", 7724, 7734)
    parser.add_argument("--reuse", action="store_true",
                        help="analyse the graph the server holds if it has that many investments (no reload)")
    args = parser.parse_args(argv)

    server = harness.start_server(args)
    conn = harness.connect(server)
    machine = {"cores": os.cpu_count(), "load_before": os.getloadavg()}
    results = []
    for n in args.investments:
        folder = harness.dataset(n, args.seed)
        held = conn.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"]
        if args.reuse and held == n:
            loaded = {"seconds": None}
            harness.log(f"reusing the loaded {n:,} investments; analysing")
        else:
            harness.empty(conn)
            harness.log(f"loading {n:,} investments")
            loaded = harness.load_dealgraph(server, folder, args.batch_size)
            harness.log(f"loaded in {loaded['seconds']:.0f} s; analysing")
        result = analyze(server)
        harness.log(f"analyze: {result['seconds']:.1f} s, peak {result['peak_rss_mb']:.0f} MB; {result['summary']}")
        results.append({"investments": n, "analyze": result, "load_s": loaded["seconds"],
                        "central_ms": query_ms(conn, "central_investors"),
                        "communities_ms": query_ms(conn, "communities")})
    machine["load_after"] = os.getloadavg()
    # Sizes measured on earlier runs stay in the table until measured again (bench/ANALYTICS.json).
    store = Path(args.out).with_name("ANALYTICS.json")
    earlier = json.loads(store.read_text()) if store.exists() else {}
    for r in results:
        r["when"] = f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}"
        r["load_average"] = [machine["load_before"], machine["load_after"]]
    merged = {**earlier, **{str(r["investments"]): r for r in results}}
    store.write_text(json.dumps(merged, indent=2))
    results = sorted(merged.values(), key=lambda r: r["investments"])
    section = report(results, machine, " ".join(argv if argv is not None else sys.argv[1:]))
    harness.finish(args, server, conn, HEADING, section)


if __name__ == "__main__":
    main()
