"""What the benchmarks share: a bench Neo4j of their own, generated exports, the real `dealgraph`
CLI run and measured in a subprocess, and RESULTS.md written one section at a time.

bench/run.py (loaders), analytics.py, bulk.py and serve.py import it as `bench.harness`; run them
from the repository's root as `python -m bench.run` (and so on).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.generate import generate
from graph.connection import Settings
from graph.connection import connect as dg_connect
from graph.schema import ensure_schema, wipe
from graph.server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PASSWORD = "dealgraph-bench"
SOURCE = "crunchbase:bench"
LOADED_FILES = ("organizations.csv", "people.csv", "funding_rounds.csv", "investments.csv")
DEALGRAPH = Path(sys.executable).with_name("dealgraph")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


# -- data and server ---------------------------------------------------------------------------
def dataset(investments: int, seed: int) -> Path:
    """The generated export for this size and seed (made once, then reused)."""
    folder = BENCH / "data" / f"inv-{investments}-seed-{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        log(f"generating {investments:,} investments into {folder}")
        shutil.rmtree(folder, ignore_errors=True)
        counts = generate(folder, investments=investments, seed=seed)
        marker.write_text(json.dumps(counts))
    return folder


def data_rows(folder: Path) -> int:
    """The rows every loader loads: organisations, people, rounds and investments."""
    counts = json.loads((folder / ".complete").read_text())
    return sum(counts[name] for name in LOADED_FILES)


def server_options(parser: argparse.ArgumentParser, home: str, bolt_port: int, http_port: int,
                   heap: str = "4g", pagecache: str = "2g") -> None:
    """The options of a script with a bench server of its own (its folder, ports and memory; the
    import's batch size; the results file; whether to stop the server at the end)."""
    parser.add_argument("--home", default=str(ROOT / home))
    parser.add_argument("--bolt-port", type=int, default=bolt_port)
    parser.add_argument("--http-port", type=int, default=http_port)
    parser.add_argument("--heap", default=os.environ.get("DEALGRAPH_HEAP", heap))
    parser.add_argument("--pagecache", default=os.environ.get("DEALGRAPH_PAGECACHE", pagecache))
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--stop", action="store_true", help="stop the bench server at the end")


def start_server(args):
    """The bench server of `args` (home, ports, heap, page cache), started if it is not running."""
    server = LocalServer(home=Path(args.home).resolve(), bolt_port=args.bolt_port, http_port=args.http_port,
                         heap=args.heap, pagecache=args.pagecache,
                         extra_conf=(f"db.transaction.timeout={getattr(args, 'tx_timeout', 900)}s",
                                     *getattr(args, "conf", ())))  # bench/analytics.py's args have neither
    server.start(PASSWORD, echo=log)
    return server


def cold_start(server, conn):
    """A newly started server with a new, empty database (its store deleted): a user's first import."""
    conn.close()
    server.stop()
    for folder in ("databases", "transactions"):
        shutil.rmtree(server.home / "data" / folder / "neo4j", ignore_errors=True)
    server.start(PASSWORD, echo=log)
    conn = connect(server)
    ensure_schema(conn)
    return conn


def connect(server):
    return dg_connect(Settings(uri=server.bolt_uri, username="neo4j", password=PASSWORD, timeout=60))


def empty(conn) -> None:
    wipe(conn)
    ensure_schema(conn)


def graph_counts(conn) -> dict:
    """Nodes per label and relationships per type: equal across loaders means the same graph shape."""
    out = {}
    for label in ("Entity", "Company", "Fund", "GovernmentBody", "Person", "Round", "Alias"):
        out[label] = conn.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
    for rel in ("RAISED", "INVESTED_IN", "ALIAS_OF"):
        out[rel] = conn.read(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n")[0]["n"]
    out["led"] = conn.read("MATCH ()-[r:INVESTED_IN]->() WHERE r.led RETURN count(r) AS n")[0]["n"]
    return out


# -- the real CLI, measured --------------------------------------------------------------------
def run_dealgraph(server, *args, env: dict | None = None) -> dict:
    """The real CLI in a subprocess against `server`: wall time, CPU time, the process's peak
    resident memory (its own rusage) and what it printed; a failure ends the benchmark."""
    env = {**os.environ, "NEO4J_URI": server.bolt_uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": PASSWORD,
           **(env or {})}
    env.pop("NEO4J_DATABASE", None)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(DEALGRAPH), *map(str, args)], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage: its peak RSS
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"dealgraph {' '.join(map(str, args))} failed: {err.read().strip()[-500:]}")
        out.seek(0)
        return {"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
                "output": out.read()}


def load_dealgraph(server, folder: Path, batch_size: int) -> dict:
    """`dealgraph import csv` of a generated export, measured by run_dealgraph."""
    return run_dealgraph(server, "import", "csv", folder, "--batch-size", batch_size, "--name", SOURCE,
                         "--no-progress")


def help_time(runs: int = 7) -> float:
    """`dealgraph --help`'s wall time, median of `runs`."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(DEALGRAPH), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# -- the results file ----------------------------------------------------------------------------
def write_section(path: Path, heading: str, section: str) -> None:
    """Put `section` (it starts with `heading`) into the results file in place of the section of that
    heading, or at the end: every other section stays (bench/analytics.py, serve.py, bulk.py)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        end = text.find("\n## ", start + len(heading))
        rest = text[end + 1:] if end >= 0 else ""
        text = text[:start].rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    path.write_text(text, encoding="utf-8")


def finish(args, server, conn, heading: str, section: str) -> None:
    """A script's end: its section of the results file (args.out) written, the connection closed,
    the bench server stopped when --stop asks."""
    write_section(Path(args.out), heading, section)
    log(f"wrote {args.out}")
    conn.close()
    if args.stop:
        server.stop()
