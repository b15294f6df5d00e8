"""The web app's benchmark: p50/p95 of an entity page, a query page and a search, over real HTTP.

    python -m bench.serve --seed                     # the seed graph (wipes the database, loads the seed)
    python -m bench.serve --investments 100000       # a generated graph (bench/generate.py), imported
    python -m bench.serve                            # whatever the graph holds now
    python -m bench.serve --seed --clients 50 --seconds 60 --savers 2   # under load, two clients saving

It talks to the Neo4j of the usual settings (NEO4J_URI, NEO4J_PASSWORD, ...; it wipes that
database when asked to load), starts `dealgraph serve` in a subprocess on --port, warms it up,
then times --requests GETs of each page, one at a time, and writes the figures under the heading
"Web app (dealgraph serve)" in bench/RESULTS.md (the rest of the file is left as it is).

On a generated graph it picks the pages a user would find slowest: the entity with the most
facts (a hub investor), backers_of_both on the two companies with the most investors in common,
and a search for a misspelt name.

With --clients, it measures the app under load instead (issue 29): that many clients at once for
--seconds, --savers of them saving reviewed articles (each a new article with one accepted fact,
through the token, the CSRF token and /save) while the others read the mix of pages above plus
the home page and a JSON twin. It checks that no request failed and that every save the app
answered 303 is in the graph once, with its one Change (no lost or doubled save), and writes the
figures under "Web app under load" in bench/RESULTS.md.
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
LOAD_HEADING = "## Web app under load (dealgraph serve)"
TOKEN = "bench-secret-0123456789abcdef"
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
        from graph.pipeline import import_csv

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


def under_load(base: str, urls: dict, clients: int, seconds: float, savers: int, pair: tuple) -> dict:
    """Reads and saves at once for `seconds`: every read's time and status, every save's."""
    import json
    import threading
    import uuid

    import httpx

    paths = list(urls.values()) + ["/", next(iter(urls.values())).split("?")[0] + ".json"]
    reads, failures, saves = [], [], []
    start = threading.Barrier(clients)
    stop = [0.0]

    def reader(i: int) -> None:
        with httpx.Client(base_url=base, timeout=300, follow_redirects=False) as client:
            start.wait()
            k = i
            while time.monotonic() < stop[0]:
                path = paths[k % len(paths)]
                k += 1
                began = time.perf_counter()
                response = client.get(path)
                reads.append((time.perf_counter() - began) * 1000)
                if response.status_code not in (200, 302):
                    failures.append(f"GET {path}: {response.status_code}")

    def saver(i: int) -> None:
        (a_id, a_name), (b_id, b_name) = pair
        with httpx.Client(base_url=base, timeout=300, follow_redirects=False) as client:
            client.get(f"/add?token={TOKEN}")
            start.wait()
            while time.monotonic() < stop[0]:
                csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/add").text).group(1)
                quote_ = f"{a_name} invested in {b_name}"
                text = f"Bench article {uuid.uuid4().hex}.\n{quote_}, a saver of the benchmark says.\n"
                review = {"facts": [{"type": "INVESTED_IN", "from": a_id, "to": b_id, "status": "accepted",
                                     "evidence": quote_}]}
                began = time.perf_counter()
                response = client.post("/save", data={
                    "csrf": csrf, "version": "0", "title": f"Bench save {i}", "language": "en", "text": text,
                    "review": json.dumps(review)})
                saves.append(((time.perf_counter() - began) * 1000, response.status_code,
                              response.headers.get("location", "").rsplit("/", 1)[-1]))
                if response.status_code != 303:
                    said = re.search(r'id="error">([^<]*)<', response.text)
                    failures.append(f"POST /save: {response.status_code}: {said.group(1) if said else response.text[:200]}")

    threads = [threading.Thread(target=saver if i < savers else reader, args=(i,)) for i in range(clients)]
    stop[0] = time.monotonic() + seconds + 5  # the barrier holds them until all are connected
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"reads": reads, "failures": failures, "saves": saves, "seconds": time.monotonic() - began}


def check_saves(conn, saves) -> str:
    """Every save answered 303 is one Article with one Change; none other appeared."""
    saved = sorted(s[2] for s in saves if s[1] == 303)
    rows = conn.read("MATCH (c:Change) WHERE c.key STARTS WITH 'article:web_' "
                     "RETURN substring(c.key, 8) AS id, count(*) AS n")
    articles = {r["id"] for r in conn.read("MATCH (a:Article) WHERE a.id STARTS WITH 'web_' RETURN a.id AS id")}
    changes = {r["id"]: r["n"] for r in rows}
    lost = [s for s in saved if s not in articles or changes.get(s) != 1]
    extra = sorted(set(changes) - set(saved))
    if lost or extra or len(set(saved)) != len(saved):
        return f"FAILED: {len(lost)} saves lost or doubled, {len(extra)} unexpected"
    return f"all {len(saved)} saves in the graph once, each with its one Change"


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
    parser.add_argument("--clients", type=int, help="measure under load: this many clients at once")
    parser.add_argument("--seconds", type=float, default=60, help="with --clients: for how long")
    parser.add_argument("--savers", type=int, default=2, help="with --clients: how many of them save articles")
    parser.add_argument("--cache", action="store_true", help="`dealgraph serve --cache`: pages kept until the graph changes")
    parser.add_argument("--workers", type=int, default=1, help="`dealgraph serve --workers`: processes")
    args = parser.parse_args()

    from graph.connection import connect

    with connect() as conn:
        graph = prepare(conn, args.seed, args.investments)
        urls = pages(conn)
        version = conn.server_info()["version"]
    kind = "seed" if "zhipu-ai" in "".join(urls.values()) else "generated"
    exe = Path(sys.executable).with_name("dealgraph")
    import tempfile

    data = tempfile.mkdtemp(prefix="dealgraph-bench-data-")
    server = subprocess.Popen([str(exe), "serve", "--port", str(args.port), "--data", data]
                              + (["--cache"] if args.cache else [])
                              + (["--workers", str(args.workers)] if args.workers > 1 else []),
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "DEALGRAPH_TOKEN": TOKEN})
    try:
        line = server.stderr.readline()
        if not line.startswith("Serving"):
            raise SystemExit(f"dealgraph serve did not start: {line}")
        base = f"http://127.0.0.1:{args.port}"
        if args.clients:
            for path in urls.values():  # warm up
                measure(base, path, 2, warm=1)
            with connect() as conn:
                pair = [(r["id"], r["name"]) for r in conn.read(
                    "MATCH (i:Entity)-[:INVESTED_IN]->(c:Entity) WITH i, c ORDER BY i.id, c.id LIMIT 1 "
                    "UNWIND [i, c] AS e RETURN e.id AS id, e.name AS name")]
            loaded = under_load(base, urls, args.clients, args.seconds, args.savers, tuple(pair))
    finally:
        server.terminate()
        server.wait(timeout=60)
    if args.clients:
        with connect() as conn:
            checked = check_saves(conn, loaded["saves"])
        write_load(args, graph, version, loaded, checked, Path(args.out))
        return
    with subprocess.Popen([str(exe), "serve", "--port", str(args.port)], stderr=subprocess.PIPE, text=True) as server:
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


def write_load(args, graph: str, version: str, r: dict, checked: str, out: Path) -> None:
    reads, saves = sorted(r["reads"]), sorted(s[0] for s in r["saves"])
    q = statistics.quantiles(reads, n=100, method="inclusive") if len(reads) > 1 else [reads[0]] * 99
    sq = statistics.quantiles(saves, n=100, method="inclusive") if len(saves) > 1 else (saves * 99 or [0] * 99)
    load = os.getloadavg()
    body = (f"### {graph}: {args.clients} clients for {args.seconds:.0f} s, {args.savers} saving, "
            f"{'pages cached' if args.cache else 'no cache'}{f', {args.workers} workers' if args.workers > 1 else ''}\n\n"
            f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC: `python -m bench.serve "
            f"{'--seed ' if args.seed else f'--investments {args.investments} ' if args.investments else ''}"
            f"--clients {args.clients} --seconds {args.seconds:.0f} --savers {args.savers}"
            f"{' --cache' if args.cache else ''}{f' --workers {args.workers}' if args.workers > 1 else ''}` (Neo4j {version}, Python "
            f"{platform.python_version()}); load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} after it, "
            f"on {os.cpu_count()} cores shared with other work (the machine ran other helpers' tests and Neo4j "
            "servers at the same time), so the figures are noisy and say more about this machine than the app.\n\n"
            "| | requests | per second | p50 ms | p95 ms | max ms | failed |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            f"| reads | {len(reads):,} | {len(reads) / r['seconds']:.1f} | {statistics.median(reads):.0f} | {q[94]:.0f} | "
            f"{reads[-1]:.0f} | {sum(1 for f in r['failures'] if f.startswith('GET'))} |\n"
            f"| saves | {len(saves):,} | {len(saves) / r['seconds']:.2f} | {statistics.median(saves) if saves else 0:.0f} | "
            f"{sq[94]:.0f} | {saves[-1] if saves else 0:.0f} | {sum(1 for f in r['failures'] if f.startswith('POST'))} |\n\n"
            f"Saves checked in the graph: {checked}.\n")
    if r["failures"]:
        body += "\nFirst failures: " + "; ".join(r["failures"][:3]) + "\n"
    print(body)
    current = out.read_text(encoding="utf-8") if out.exists() else ""
    section = ""
    if LOAD_HEADING in current:
        found = re.search(re.escape(LOAD_HEADING) + r"\n.*?(?=^## |\Z)", current, re.S | re.M).group(0)
        section = re.sub(r"^" + re.escape(LOAD_HEADING) + r"\n+", "", found, flags=re.M).rstrip()
        first = body.splitlines()[0]
        section = re.sub(r"^" + re.escape(first) + r"\n.*?(?=^### |\Z)", "", section, flags=re.S | re.M).rstrip()
    intro = ("`python -m bench.serve --clients N` runs N clients at once against a `dealgraph serve` subprocess: "
             "all but --savers read the entity, query, search, home and JSON pages in turn; the savers save "
             "reviewed articles through the token, CSRF and /save. Every save is then checked in the graph.")
    write_section(out, LOAD_HEADING, f"{LOAD_HEADING}\n\n{intro}\n\n" + (section.split(intro)[-1].strip() + "\n\n"
                  if section.strip() else "") + body)


if __name__ == "__main__":
    main()
