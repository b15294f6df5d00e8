"""The loader benchmark, one command: the same rows, the same MERGE semantics, the same server.

    python -m bench.run --investments 100000 [--big 1000000]

1. starts (or reuses) a bench Neo4j of its own (./.dealgraph-bench, Bolt 7695, HTTP 7485,
   DEALGRAPH_HEAP/DEALGRAPH_PAGECACHE default 4g/2g), never the demo or test server;
2. generates a Crunchbase-shaped export with bench.generate into bench/data/ (git-ignored);
3. loads it three ways, each into an empty database with the same constraints and indexes, first
   `--cold` times on a newly started server with its store deleted (a user's first import: a new
   database, a JVM that has not run the statements yet), then `--repeat` times into the emptied
   database of a running server (warm), alternating the loaders:
   - dealgraph: the real `dealgraph import csv` in a subprocess (its peak RSS is measured);
   - py2neo: py2neo.bulk.merge_nodes / merge_relationships with the same rows and batch size,
     `db.prepareForReplanning()` before each step (its statements cannot carry hints);
   - LOAD CSV: the files copied into the server's import/ folder, `CALL { ... } IN TRANSACTIONS`,
     each MATCH on a key with its `USING INDEX` hint, as dealgraph's writer has;
   and checks that the three graphs have the same counts. Every run is reported; targets are judged
   on each loader's median, and a cold run must be within 1.3x of it. The bench server has a
   server-side transaction timeout (`--tx-timeout`), and no statement is ever retried, so a slow
   statement is never running twice at once;
4. with --big, loads that many investments with dealgraph (peak memory) and times the named
   queries coinvestors, investors_of (backers) and shortest_path on that graph (p50/p95);
5. times `dealgraph --help`, and writes the figures and the machine to bench/RESULTS.md.

py2neo is installed only for this (`pip install -e .[bench]`): it is end-of-life.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.harness import (PASSWORD, SOURCE, cold_start, connect, data_rows, dataset, empty,
                           graph_counts, help_time, load_dealgraph, log, server_options, start_server)


NOTES = [
    "py2neo's bulk API is not a slow client: `merge_nodes`/`merge_relationships` send the same "
    "`UNWIND $data ... MERGE` statements, a batch per transaction, so the server does the same work and "
    "that work dominates. No client can be 5× faster than another doing the same MERGEs on the same server; "
    "dealgraph's reasons to skip py2neo are that it is end-of-life, not speed.",
    "LOAD CSV needs no network or client at all; dealgraph also checks every row before writing (all or "
    "nothing) and starts a Python process, which LOAD CSV's figure does not include. dealgraph sends two "
    "node batches at once (the server uses both cores) and investment batches one at a time (concurrent "
    "relationship inserts on the busiest investors deadlock and retry).",
    "dealgraph's peak memory is the Python process: about 100 MB of libraries, the keys of every entity "
    "and round (for the reference checks, ~150 bytes each) and the batches in flight; it does not grow "
    "with the number of investment rows.",
    "LOAD CSV's alias keys are computed in Cypher (lower case, accents stripped, letters and digits kept): "
    "the same work per name as graph.names.name_key, without its Arabic letter folding.",
    "py2neo 2021.2.4 talks to Neo4j 5.26 over Bolt without changes.",
]


def summarise(results: list[dict], rows: int) -> dict:
    """Every run of one loader, its median (what targets are judged on), spread, and cold vs median."""
    seconds = [r["seconds"] for r in results]
    median = statistics.median(seconds)
    cold = [r["seconds"] for r in results if r["cold"]]
    warm = [r["seconds"] for r in results if not r["cold"]]
    return {"runs": results, "median_s": median, "rows_per_s": rows / median,
            "spread": max(seconds) / min(seconds), "worst_cold_vs_median": max(cold) / median if cold else None,
            "cold_spread": max(cold) / min(cold) if cold else None,
            "cold_vs_warm": statistics.median(cold) / statistics.median(warm) if cold and warm else None,
            "peak_rss_mb": max((r.get("peak_rss_mb") or 0) for r in results) or None}


# -- the three loaders ---------------------------------------------------------------------------
def load_py2neo(server, folder: Path, batch_size: int) -> dict:
    """py2neo's bulk API, fed the rows dealgraph's own mapping produces, one transaction a batch."""
    from py2neo import Graph
    from py2neo.bulk import merge_nodes, merge_relationships

    from graph.batch import batches
    from graph.sources.crunchbase import V4Export

    started = time.perf_counter()
    g = Graph(server.bolt_uri, auth=("neo4j", PASSWORD))
    export = V4Export(folder, SOURCE)
    export.check()
    for name, _, _, rows in export.steps():
        # py2neo's statements take no hints: the same fairness as the others' `USING INDEX`, fresh
        # statistics and plans before each step (a step planned on an empty database may scan)
        g.run("CALL db.prepareForReplanning()")
        for batch in batches(rows, batch_size):
            tx = g.begin()
            if name == "funding_rounds.csv":
                merge_nodes(tx, [{**_present(r["props"]), "id": r["id"]} for r in batch], ("Round", "id"))
                merge_relationships(tx, [(r["company"], {}, r["id"]) for r in batch], ("RAISED",),
                                    start_node_key=("Entity", "id"), end_node_key=("Round", "id"))
            elif name == "investments.csv":
                data = [(r["from"], _present({**r["props"], "id": r["id"]}), r["to"]) for r in batch]
                merge_relationships(tx, data, ("INVESTED_IN", "id"), start_node_key=("Entity", "id"),
                                    end_node_key=("Entity", "id"))
            else:
                kinds: dict[str, list] = {}
                for r in batch:
                    kinds.setdefault(r["kind"], []).append(
                        {**_present(r["props"]), "id": r["id"], "sources": [SOURCE]})
                for kind, data in kinds.items():
                    merge_nodes(tx, data, ("Entity", "id"), labels={kind})
                keys = {k["key"] for r in batch for k in r["keys"]}
                merge_nodes(tx, [{"key": k} for k in keys], ("Alias", "key"))
                merge_relationships(tx, [(k["key"], {"names": k["names"]}, r["id"]) for r in batch for k in r["keys"]],
                                    ("ALIAS_OF",), start_node_key=("Alias", "key"), end_node_key=("Entity", "id"))
            g.commit(tx)
    return {"seconds": time.perf_counter() - started}


def _present(props: dict) -> dict:
    return {k: v for k, v in props.items() if v is not None}


# Name keys in Cypher: lower case, accents stripped (NFKD), only letters and digits kept. The same
# work per name as graph.names.name_key (which also folds Arabic letter variants).
_KEY = ("reduce(k = '', c IN split(normalize(toLower(nm), NFKD), '') | "
        "CASE WHEN c =~ '[\\\\p{L}\\\\p{N}]' THEN k + c ELSE k END)")
_ALIASES = f"""
  WITH e, row, [nm IN names WHERE nm IS NOT NULL | {{name: nm, key: {_KEY}}}] AS spelled
  UNWIND [s IN spelled WHERE s.key <> ''] AS s
  WITH e, s.key AS key, collect(s.name) AS names
  MERGE (a:Alias {{key: key}})
  MERGE (a)-[r:ALIAS_OF]->(e)
  SET r.names = names
"""
LOAD_CSV = [
    ("organizations.csv", f"""
LOAD CSV WITH HEADERS FROM $url AS row
CALL {{
  WITH row
  WITH row, CASE row.primary_role WHEN 'investor' THEN 'Fund' ELSE 'Company' END AS kind,
       reduce(s = [], nm IN [row.name, row.alias1, row.alias2, row.alias3] |
              CASE WHEN nm IS NULL OR trim(nm) = '' OR trim(nm) IN s THEN s ELSE s + trim(nm) END) AS names
  MERGE (e:Entity {{id: 'cb-' + row.uuid}})
  SET e:$(kind), e.kind = kind, e.name = trim(row.name), e.aliases = names, e.country = $countries[row.country_code],
      e.city = row.city, e.founded = row.founded_on, e.description = row.short_description, e.sources = [$source]
  {_ALIASES}
}} IN TRANSACTIONS OF $batch ROWS
"""),
    ("investors.csv", """
LOAD CSV WITH HEADERS FROM $url AS row
WITH row WHERE row.investor_types CONTAINS 'government_office'
CALL {
  WITH row
  MATCH (e:Entity {id: 'cb-' + row.uuid}) USING INDEX SEEK e:Entity(id)
  REMOVE e:Fund:Company
  SET e:GovernmentBody, e.kind = 'GovernmentBody', e.state_backed = true
} IN TRANSACTIONS OF $batch ROWS
"""),
    ("people.csv", f"""
LOAD CSV WITH HEADERS FROM $url AS row
CALL {{
  WITH row
  WITH row, [trim(row.name)] AS names
  MERGE (e:Entity {{id: 'cb-' + row.uuid}})
  SET e:Person, e.kind = 'Person', e.name = trim(row.name), e.aliases = names,
      e.country = $countries[row.country_code], e.city = row.city, e.sources = [$source]
  {_ALIASES}
}} IN TRANSACTIONS OF $batch ROWS
"""),
    ("funding_rounds.csv", """
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MERGE (r:Round {id: 'cb-' + row.uuid})
  SET r.name = row.name, r.date = row.announced_on, r.amount = toFloat(row.raised_amount),
      r.currency = CASE WHEN row.raised_amount IS NULL THEN null ELSE row.raised_amount_currency_code END,
      r.amount_usd = toFloat(row.raised_amount_usd), r.valuation = toFloat(row.post_money_valuation),
      r.valuation_currency = CASE WHEN row.post_money_valuation IS NULL THEN null
                             ELSE row.post_money_valuation_currency_code END,
      r.valuation_usd = toFloat(row.post_money_valuation_usd), r.investor_count = toInteger(row.investor_count),
      r.source = $source
  WITH r, row
  MATCH (o:Entity {id: 'cb-' + row.org_uuid}) USING INDEX SEEK o:Entity(id)
  MERGE (o)-[:RAISED]->(r)
} IN TRANSACTIONS OF $batch ROWS
"""),
    ("investments.csv", """
LOAD CSV WITH HEADERS FROM $url AS row
CALL {
  WITH row
  MATCH (rd:Round {id: 'cb-' + row.funding_round_uuid})<-[:RAISED]-(c:Entity) USING INDEX SEEK rd:Round(id)
  MATCH (i:Entity {id: 'cb-' + row.investor_uuid}) USING INDEX SEEK i:Entity(id)
  MERGE (i)-[r:INVESTED_IN {id: 'cb-' + row.uuid}]->(c)
  SET r.round = rd.id, r.led = toLower(row.is_lead_investor) = 'true', r.date = rd.date, r.source = $source
} IN TRANSACTIONS OF $batch ROWS
"""),
]


def load_csv_in_server(server, conn, folder: Path, batch_size: int) -> dict:
    """LOAD CSV inside Neo4j (files copied into its import/ folder first, not timed)."""
    import pycountry

    countries = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    target = server.home / "import"
    target.mkdir(parents=True, exist_ok=True)
    for name, _ in LOAD_CSV:
        shutil.copy(folder / name, target / name)
    started = time.perf_counter()
    # session.run is an auto-commit transaction: the driver never retries it, and the server's
    # db.transaction.timeout ends a statement that runs too long (the run then fails, loudly).
    with conn.session() as session:
        for name, cypher in LOAD_CSV:
            # The server's conf sets no import folder, so file URLs are absolute paths.
            session.run(cypher, url=(target / name).as_uri(), batch=batch_size, source=SOURCE,
                        countries=countries).consume()
    return {"seconds": time.perf_counter() - started}


# -- queries ---------------------------------------------------------------------------------------
def time_queries(conn, samples: int, seed: int) -> dict:
    """p50/p95 (ms) of the named queries, run by id on randomly chosen investors and companies."""
    import neo4j

    from graph.queries import check_params, get_query

    rng = random.Random(seed)
    investors = [r["id"] for r in conn.read("MATCH (i:Entity) WHERE (i)-[:INVESTED_IN]->() RETURN i.id AS id")]
    companies = [r["id"] for r in conn.read("MATCH (c:Entity) WHERE (c)-[:RAISED]->() RETURN c.id AS id")]
    top = conn.read("MATCH (i:Entity)-[r:INVESTED_IN]->() WITH i, count(r) AS deals ORDER BY deals DESC LIMIT 1 "
                    "RETURN i.id AS id, deals")[0]
    plans = {
        "coinvestors": ("investor", lambda: {"investor": rng.choice(investors)}),
        "investors_of": ("company", lambda: {"company": rng.choice(companies)}),
        "shortest_path": ("a, b", lambda: {"a": rng.choice(companies), "b": rng.choice(companies)}),
    }
    out = {}
    for name, (_, pick) in plans.items():
        spec = get_query(name)

        @neo4j.unit_of_work(timeout=30)
        def run(tx, params, cypher=spec.cypher):
            return list(tx.run(cypher, params))
        timings, rows, timeouts = [], [], 0
        n = samples if name != "shortest_path" else max(20, samples // 4)
        for _ in range(5):  # warm the plan cache and page cache a little
            conn.execute_read(run, check_params(spec, pick()))
        for _ in range(n):
            params = check_params(spec, pick())  # the query's defaults for the other parameters
            t = time.perf_counter()
            try:
                got = conn.execute_read(run, params)
            except Exception:  # noqa: BLE001 - a query over its 30 s timeout
                timeouts += 1
                continue
            timings.append((time.perf_counter() - t) * 1000)
            rows.append(len(got))
        out[name] = {"n": len(timings), "p50": _pct(timings, 50), "p95": _pct(timings, 95),
                     "max": max(timings) if timings else None, "rows_p50": _pct(rows, 50), "timeouts": timeouts}
    spec = get_query("coinvestors")
    t = time.perf_counter()
    params = check_params(spec, {"investor": top["id"]})
    got = conn.execute_read(lambda tx: list(tx.run(spec.cypher, params)))
    out["coinvestors of the busiest investor"] = {"deals": top["deals"], "rows": len(got),
                                                  "ms": (time.perf_counter() - t) * 1000}
    return out


def _pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- the machine ---------------------------------------------------------------------------------
def machine(conn) -> dict:
    from importlib.metadata import version

    mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    info = conn.server_info()
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(int(mem.split()[1]) / 1024 / 1024, 1),
        "os": platform.platform(), "python": platform.python_version(), "java": java,
        "neo4j": f"{info['version']} {info['edition']}", "driver": version("neo4j"),
        "py2neo": _version("py2neo"), "load_at_start": os.getloadavg(),
    }


def _version(package):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


# -- report ----------------------------------------------------------------------------------------
def write_report(path: Path, r: dict) -> None:
    m = r["machine"]
    lines = [
        "# Loader benchmark",
        "",
        f"Run {r['when']} with `python -m bench.run {r['argv']}` (batch size {r['batch_size']}).",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; RAM {m['ram_gb']} GB; {m['os']}",
        f"- Neo4j {m['neo4j']} (heap {r['heap']}, page cache {r['pagecache']}), {m['java']}",
        f"- Python {m['python']}, neo4j driver {m['driver']}, py2neo {m['py2neo']}",
        f"- Load average when the run started: {', '.join(f'{x:.2f}' for x in m['load_at_start'])} "
        "(the 2 cores are shared with other engineers' test runs, so figures are noisy)",
        "",
    ]
    if r.get("compare"):
        c = r["compare"]
        dg = c["loaders"]["dealgraph"]["rows_per_s"]
        lines += [
            f"## Same rows, three loaders ({c['investments']:,} investments; {c['rows']:,} rows loaded)",
            "",
            "Rows = organisations + people + funding rounds + investments. Each loader starts from an empty",
            "database with the same constraints and indexes and MERGEs on the same keys: entities with their",
            "kind label, alias nodes and ALIAS_OF edges, rounds and RAISED, INVESTED_IN with round, led, date,",
            "source. dealgraph's time includes its checking pass over every row and the CLI's start-up;",
            "py2neo's includes the same checking and mapping (it is fed dealgraph's rows); LOAD CSV's",
            "is only the server's work (copying files into import/ is not timed).",
            "",
            f"Each loader ran {r['cold']} times cold (a newly started server whose store was deleted: a user's",
            f"first import) and {r['repeat']} times warm (the emptied database of a running server), the loaders",
            "alternating. Every run is listed (cold runs marked *); targets are judged on the median, and the",
            "slowest cold run must be within 1.3× of its loader's median. The median of all runs is a cold",
            "one when cold runs are the majority, so the table also gives the cold runs' spread among",
            "themselves and the median cold run against the median warm one (what a first import costs more).",
            "",
            "| loader | runs (s; * cold) | median (s) | rows/s (median) | spread (max/min) | slowest cold / median "
            "| cold spread (max/min) | cold / warm (medians) | dealgraph / this |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        ratio = lambda x: "-" if x is None else f"{x:.2f}×"
        for name, v in c["loaders"].items():
            all_runs = ", ".join(f"{x['seconds']:.1f}{'*' if x['cold'] else ''}" for x in v["runs"])
            lines.append(f"| {name} | {all_runs} | {v['median_s']:.1f} | {v['rows_per_s']:,.0f} | {v['spread']:.2f}× | "
                         f"{ratio(v['worst_cold_vs_median'])} | {ratio(v.get('cold_spread'))} | "
                         f"{ratio(v.get('cold_vs_warm'))} | {dg / v['rows_per_s']:.2f}× |")
        lines += ["", f"dealgraph's peak memory (RSS) on this load: {c['loaders']['dealgraph']['peak_rss_mb']:.0f} MB.",
                  "", "Graph built by each (must agree; LOAD CSV's name keys lack the Arabic letter folding):", "",
                  "| | " + " | ".join(c["counts"]) + " |",
                  "| --- | " + " | ".join("---:" for _ in c["counts"]) + " |"]
        keys = list(next(iter(c["counts"].values())))
        for k in keys:
            lines.append(f"| {k} | " + " | ".join(f"{c['counts'][n][k]:,}" for n in c["counts"]) + " |")
        lines.append("")
    if r.get("big"):
        b = r["big"]
        lines += [
            f"## {b['investments']:,} investments with dealgraph",
            "",
            f"- {b['rows']:,} rows in {b['seconds']:.0f} s: {b['rows_per_s']:,.0f} rows/s",
            f"- peak loader memory (RSS): {b['peak_rss_mb']:.0f} MB",
            "",
        ]
    if r.get("queries"):
        q = r["queries"]
        lines += [
            f"## Named queries on the {r['queries_graph']} graph",
            "",
            "The named queries' own Cypher (cypher/*.cypher) in a read transaction, by entity id (name",
            "resolution is one more index seek), investors and companies drawn at random; milliseconds,",
            "measured at the client including fetching every row.",
            "",
            "| query | runs | p50 ms | p95 ms | max ms | rows (p50) | timeouts (30 s) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, v in q.items():
            if "p50" in v:
                lines.append(f"| {name} | {v['n']} | {_ms(v['p50'])} | {_ms(v['p95'])} | {_ms(v['max'])} | "
                             f"{v['rows_p50']} | {v['timeouts']} |")
        top = q["coinvestors of the busiest investor"]
        lines += ["", f"coinvestors of the busiest investor ({top['deals']:,} deals, {top['rows']:,} co-investors): "
                  f"{top['ms']:.0f} ms.", ""]
    lines += ["## CLI start-up", "", f"`dealgraph --help`: {r['help_s'] * 1000:.0f} ms (median of 7).", ""]
    lines += ["## Targets", "", "| target | figure | met |", "| --- | --- | --- |"]
    if r.get("compare"):
        loaders = r["compare"]["loaders"]
        dg = loaders.get("dealgraph", {}).get("rows_per_s")
        for name, want in (("py2neo", 5.0), ("load_csv", 0.9)):
            if dg and name in loaders:
                ratio = dg / loaders[name]["rows_per_s"]
                lines.append(f"| loader ≥ {want:g}× {name} rows/s (medians) | {ratio:.2f}× | "
                             f"{'yes' if ratio >= want else 'no'} |")
        for name, v in loaders.items():
            if v["worst_cold_vs_median"] is not None:
                lines.append(f"| {name}: slowest cold run ≤ 1.3× its median | {v['worst_cold_vs_median']:.2f}× | "
                             f"{'yes' if v['worst_cold_vs_median'] <= 1.3 else 'no'} |")
            if v.get("cold_spread") is not None:
                lines.append(f"| {name}: cold runs within 1.3× of each other | {v['cold_spread']:.2f}× | "
                             f"{'yes' if v['cold_spread'] <= 1.3 else 'no'} |")
    if r.get("big"):
        b = r["big"]
        lines.append(f"| {b['investments']:,} investments with peak loader memory < 500 MB | "
                     f"{b['peak_rss_mb']:.0f} MB | {'yes' if b['peak_rss_mb'] < 500 else 'no'} |")
    if r.get("queries"):
        p50 = r["queries"]["coinvestors"]["p50"]
        lines.append(f"| co-investor query p50 < 50 ms ({r['queries_graph']} graph) | {p50:.1f} ms | "
                     f"{'yes' if p50 < 50 else 'no'} |")
    lines.append(f"| `dealgraph --help` < 0.5 s | {r['help_s']:.2f} s | {'yes' if r['help_s'] < 0.5 else 'no'} |")
    lines.append("")
    if r.get("notes"):
        lines += ["## Notes", ""] + [f"- {n}" for n in r["notes"]] + [""]
    path.write_text("\n".join(lines + kept_sections(path, lines)))


def kept_sections(path: Path, lines: list[str]) -> list[str]:
    """The sections of the existing results that this run does not write (bench/analytics.py's,
    serve.py's, bulk.py's, and notes added by hand under their own heading), kept after its own."""
    if not path.exists():
        return []
    ours = tuple(line for line in lines if line.startswith("## "))
    kept, keep = [], False
    for line in path.read_text().splitlines():
        if line.startswith("## "):
            keep = not (line in ours or line.startswith(OWN_HEADINGS) or line.endswith(OWN_ENDINGS))
        if keep:
            kept.append(line)
    return kept + [""] if kept else []


# The headings write_report makes, whatever the sizes in them.
OWN_HEADINGS = ("## Machine", "## Same rows, three loaders", "## Named queries on the", "## CLI start-up",
                "## Targets", "## Notes")
OWN_ENDINGS = " investments with dealgraph"


def _ms(v):
    return "-" if v is None else f"{v:.1f}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--investments", type=int, default=100_000, help="size of the three-way comparison")
    parser.add_argument("--big", type=int, default=0, help="also load this many investments with dealgraph")
    parser.add_argument("--loaders", default="dealgraph,py2neo,load_csv")
    parser.add_argument("--samples", type=int, default=200, help="runs of each query")
    parser.add_argument("--cold", type=int, default=3,
                        help="cold loads per loader (server restarted, store deleted before each)")
    parser.add_argument("--repeat", type=int, default=2, help="warm loads per loader (database emptied before each)")
    parser.add_argument("--tx-timeout", type=int, default=900,
                        help="the bench server's db.transaction.timeout in seconds (a runaway statement ends)")
    parser.add_argument("--conf", action="append", default=[], metavar="SETTING=VALUE",
                        help="one more neo4j.conf line for the bench server (JVM options: DEALGRAPH_JAVA_OPTS)")
    parser.add_argument("--seed", type=int, default=7)
    server_options(parser, os.environ.get("DEALGRAPH_BENCH_HOME", ".dealgraph-bench"), 7695, 7485)
    args = parser.parse_args(argv)

    server = start_server(args)
    conn = connect(server)
    report = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "argv": " ".join(argv if argv is not None else sys.argv[1:]), "batch_size": args.batch_size,
              "heap": args.heap, "pagecache": args.pagecache, "machine": machine(conn), "notes": NOTES,
              "cold": args.cold, "repeat": args.repeat}
    loaders = [x.strip() for x in args.loaders.split(",") if x.strip()]
    if args.investments and loaders:
        folder = dataset(args.investments, args.seed)
        rows = data_rows(folder)
        compare = {"investments": args.investments, "rows": rows, "loaders": {}, "counts": {}}
        runs: dict[str, list] = {name: [] for name in loaders}
        for rep in range(args.cold + args.repeat):  # alternate the loaders: none always has the warmest server
            cold = rep < args.cold
            for name in loaders:
                if cold:
                    conn = cold_start(server, conn)
                else:
                    empty(conn)
                log(f"{name} (run {rep + 1}, {'cold' if cold else 'warm'}): loading {rows:,} rows")
                if name == "dealgraph":
                    res = load_dealgraph(server, folder, args.batch_size)
                elif name == "py2neo":
                    res = load_py2neo(server, folder, args.batch_size)
                elif name == "load_csv":
                    res = load_csv_in_server(server, conn, folder, args.batch_size)
                else:
                    raise SystemExit(f"unknown loader {name!r}")
                res.pop("output", None)
                runs[name].append({**res, "cold": cold})
                compare["counts"][name] = graph_counts(conn)
                log(f"{name}: {res['seconds']:.1f} s, {rows / res['seconds']:,.0f} rows/s")
        for name, results in runs.items():
            compare["loaders"][name] = summarise(results, rows)
        report["compare"] = compare
        report["queries_graph"] = f"{args.investments:,}-investment"
    if args.big:
        folder = dataset(args.big, args.seed)
        rows = data_rows(folder)
        empty(conn)
        log(f"dealgraph: loading {rows:,} rows ({args.big:,} investments)")
        res = load_dealgraph(server, folder, args.batch_size)
        res.pop("output", None)
        report["big"] = {"investments": args.big, "rows": rows, **res, "rows_per_s": rows / res["seconds"]}
        report["big"]["counts"] = graph_counts(conn)
        report["queries_graph"] = f"{args.big:,}-investment"
        log(f"dealgraph: {res['seconds']:.0f} s, peak {res['peak_rss_mb']:.0f} MB")
    log("timing queries")
    report["queries"] = time_queries(conn, args.samples, args.seed)
    report["help_s"] = help_time()
    out = Path(args.out)
    (out.with_suffix(".json")).write_text(json.dumps(report, indent=2, default=str))
    write_report(out, report)
    log(f"wrote {out}")
    conn.close()
    if args.stop:
        server.stop()


if __name__ == "__main__":
    main()
