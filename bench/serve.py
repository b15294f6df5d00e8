"""The web app's benchmark: p50/p95 of an entity page, a query page and a search, over real HTTP.

    python -m bench.serve --seed                     # the seed graph (wipes the database, loads the seed)
    python -m bench.serve --investments 100000       # a generated graph (bench/generate.py), imported
    python -m bench.serve                            # whatever the graph holds now

It talks to the Neo4j of the usual settings (NEO4J_URI, NEO4J_PASSWORD, ...; it wipes that
database when asked to load), starts `dealgraph serve` in a subprocess on --port, warms it up,
then times --requests GETs of each page, one at a time, and writes the figures under the heading
"Web app (dealgraph serve)" in bench/RESULTS.md (the rest of the file is left as it is).

On a generated graph it picks the pages a user would find slowest: the entity with the most
facts (a hub investor), backers_of_both on the two companies with the most investors in common,
and a search for a misspelt name.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from bench.generate import generate
from bench.harness import BENCH, write_section

HEADING = "## Web app (dealgraph serve)"
TARGETS = {"seed": 150, "generated": 500}  # p95 targets in ms (issue 12)


def prepare(conn, seed: bool, investments: int | None) -> str:
    """Load what was asked; say what the graph is."""
    from graph.load import load_dataset
    from graph.schema import ensure_schema, wipe

    ensure_schema(conn)
    if seed:
        wipe(conn)
        load_dataset(conn)
    elif investments:
        from graph.csv_import import import_csv

        folder = BENCH / "data" / f"web-{investments}"
        if not (folder / "investments.csv").exists():
            generate(folder, investments=investments)
        wipe(conn)
        import_csv(conn, folder, show_progress=False)
    conn.execute_write(lambda tx: tx.run("CALL db.awaitIndexes(600)").consume())
    counts = conn.read("MATCH (e:Entity) WITH count(e) AS e MATCH ()-[r:INVESTED_IN]->() RETURN e, count(r) AS r")[0]
    return f"{counts['e']:,} entities, {counts['r']:,} investments"


def pages(conn) -> dict[str, str]:
    """The URLs to time: the seed's own examples, or the heaviest of a generated graph."""
    if conn.read("MATCH (e:Entity {id: 'zhipu-ai'}) RETURN e.id AS id"):
        return {"entity page (Zhipu AI)": "/entity/zhipu-ai",
                "query page (backers_of_both Zhipu, Baichuan)": "/queries/backers_of_both?a=Zhipu&b=Baichuan",
                "search (Dipseek: no such name, closest names)": "/search?q=Dipseek",
                "search (Dipsic: an alias, redirect)": "/search?q=Dipsic"}
    hub = conn.read("MATCH (e:Entity) WITH e ORDER BY COUNT { (e)--() } DESC LIMIT 1 "
                    "RETURN e.id AS id, e.name AS name, COUNT { (e)--() } AS n")[0]
    pair = conn.read(
        "MATCH (c:Entity)<-[:INVESTED_IN]-(i:Entity) WITH c, count(i) AS n ORDER BY n DESC LIMIT 20 "
        "WITH collect(c) AS top UNWIND top AS a UNWIND top AS b WITH a, b WHERE a.id < b.id "
        "MATCH (a)<-[:INVESTED_IN]-(i)-[:INVESTED_IN]->(b) "
        "RETURN a.id AS a, b.id AS b, count(DISTINCT i) AS shared ORDER BY shared DESC LIMIT 1")[0]
    name = conn.read("MATCH (e:Entity:Company) WHERE size(e.name) > 8 RETURN e.name AS name ORDER BY e.id LIMIT 1")[0]["name"]
    typo = name[:3] + name[4:]  # a letter left out
    return {f"entity page (the biggest hub: {hub['n']:,} relationships)": f"/entity/{quote(hub['id'], safe='')}",
            f"query page (backers_of_both, {pair['shared']} shared investors)":
                f"/queries/backers_of_both?a={quote(pair['a'])}&b={quote(pair['b'])}",
            f"search ({typo!r}: misspelt)": f"/search?q={quote(typo)}"}


def measure(base: str, path: str, n: int, warm: int = 5) -> dict:
    import httpx

    times = []
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as client:
        for i in range(warm + n):
            start = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code not in (200, 302):
                raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
            if i >= warm:
                times.append(elapsed)
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": statistics.median(times), "p95": q[94], "max": max(times), "n": n,
            "bytes": len(response.content)}


def write_results(section: str, out: Path) -> None:
    """Replace this benchmark's section of RESULTS.md (or add it at the end)."""
    write_section(out, HEADING, section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", action="store_true", help="wipe the database and load the seed first")
    parser.add_argument("--investments", type=int, help="wipe and import a generated graph of this size first")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--append", action="store_true", help="add to this run's section instead of replacing it")
    args = parser.parse_args()

    from graph.connection import connect

    with connect() as conn:
        graph = prepare(conn, args.seed, args.investments)
        urls = pages(conn)
        version = conn.server_info()["version"]
    kind = "seed" if "zhipu-ai" in "".join(urls.values()) else "generated"
    exe = Path(sys.executable).with_name("dealgraph")
    server = subprocess.Popen([str(exe), "serve", "--port", str(args.port)], stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        if not line.startswith("Serving"):
            raise SystemExit(f"dealgraph serve did not start: {line}")
        base = f"http://127.0.0.1:{args.port}"
        results = {label: measure(base, path, args.requests) for label, path in urls.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    load = os.getloadavg()
    rows = [f"### {kind.capitalize()} graph: {graph}",
            "",
            f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: `python -m bench.serve "
            f"{'--seed ' if args.seed else f'--investments {args.investments} ' if args.investments else ''}"
            f"--requests {args.requests}`{'' if args.seed or args.investments else ' (on the graph already loaded)'}; "
            f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on "
            f"{os.cpu_count()} cores{' shared with other work, so the figures are noisy' if load[0] > os.cpu_count() else ''}. "
            "Target: p95 under "
            f"{TARGETS[kind]} ms.",
            "",
            "| page | p50 ms | p95 ms | max ms | requests | bytes |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, r in results.items():
        rows.append(f"| {label} | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | {r['n']} | {r['bytes']:,} |")
    body = "\n".join(rows) + "\n"
    print(body)
    out = Path(args.out)
    intro = (f"{HEADING}\n\n`python -m bench.serve` times GETs of the app (a `dealgraph serve` subprocess, "
             f"Neo4j {version}, Python {platform.python_version()}) over HTTP from one client, one request at a "
             "time after 5 warm-up requests; a page's time is the whole response, HTML and graph data included.\n\n")
    if args.append and out.exists() and HEADING in out.read_text(encoding="utf-8"):
        current = out.read_text(encoding="utf-8")
        section = re.search(re.escape(HEADING) + r".*?(?=^## (?!Web app)|\Z)", current, re.S | re.M).group(0)
        section = re.sub(r"### " + re.escape(kind.capitalize()) + r" graph.*?(?=^### |\Z)", "", section, flags=re.S | re.M)
        write_results(section.rstrip() + "\n\n" + body, out)
    else:
        write_results(intro + body, out)


if __name__ == "__main__":
    main()
