"""The WebGL page benchmark: the whole ecosystem of a real-sized graph as one page, and the exports.

    python -m bench.webgl [--investments 80000] [--reuse] [--stop]

Generates the export (bench/generate.py; 80,000 investments give about as many entities as the
real 80,245-investment file's 37,988), loads it into an emptied bench server with the real
`dealgraph import csv`, then measures with the real CLI in subprocesses (wall time and peak
resident memory): `dealgraph viz ecosystem --engine webgl` and `dealgraph export gexf|graphml|ftm`.
The page is opened in headless Chromium (Debian's, software WebGL as in the tests): the time to its
first drawn frame (from navigation start to the end of sigma's first render, as the page records
it), its size, every request it makes, and the time per pan and zoom frame measured in the page
(`dealgraph.frames`: 120 camera moves, one per animation frame; sigma's render of each, with every
edge drawn, and the interval between frames). Figures go into bench/RESULTS.md's section "WebGL
pages". Ports and folder default to a server of its own (Bolt 7726, HTTP 7736,
./.dealgraph-bench-webgl).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import harness

HEADING = "## WebGL pages (`viz --engine webgl`) and exports"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def open_page(path: Path, frames: int = 120) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        started = time.perf_counter()
        page.goto(path.resolve().as_uri(), timeout=300_000)
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=300_000)
        wall = time.perf_counter() - started
        first_frame_ms = float(page.evaluate("document.body.dataset.firstFrameMs"))
        counts = page.evaluate("[dealgraph.graph.order, dealgraph.graph.size]")
        timing = page.evaluate(f"dealgraph.frames({frames})")
        page.screenshot(path=str(path.with_suffix(".png")))
        browser.close()
    render, frame = sorted(timing["render"]), sorted(timing["frame"])
    pct = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]  # noqa: E731
    return {"wall_s": wall, "first_frame_s": first_frame_ms / 1000, "nodes": counts[0], "edges": counts[1],
            "requests": requests, "errors": errors,
            "render_ms": {"p50": statistics.median(render), "p95": pct(render, 0.95), "max": render[-1]},
            "frame_ms": {"p50": statistics.median(frame), "p95": pct(frame, 0.95), "max": frame[-1]}}


def report(r: dict, machine: dict, argv: str) -> str:
    page, eco = r["page"], r["viz"]
    other = [u for u in page["requests"] if u != r["page_uri"]]
    lines = [
        HEADING, "",
        f"`python -m bench.webgl {argv}` on {r['when']}: {r['investments']:,} generated investments "
        f"({r['entities']:,} entities, {r['facts']:,} facts). Machine: {machine['cores']} cores, shared with other "
        f"sessions' work today (load average {machine['load_before'][0]:.1f} before, "
        f"{machine['load_after'][0]:.1f} after): every time below is longer than on a quiet machine.", "",
        "| what | figure | target |", "| --- | --- | --- |",
        f"| page written by `dealgraph viz ecosystem --engine webgl` (whole CLI run: Neo4j read, layout, page) | "
        f"{eco['seconds']:.1f} s, peak {eco['peak_rss_mb']:.0f} MB resident | reported |",
        f"| page size | {r['page_mb']:.1f} MB | under 25 MB |",
        f"| nodes and edges in the page | {page['nodes']:,} and {page['edges']:,} (every entity and fact) | all |",
        f"| first drawn frame in headless Chromium (from navigation start) | {page['first_frame_s']:.1f} s "
        f"(ready to use after {page['wall_s']:.1f} s wall) | under 5 s |",
        f"| requests besides the file itself | {len(other)} | none |",
        f"| pan and zoom: sigma's render of a frame, every edge drawn (p50 / p95 / max) | "
        f"{page['render_ms']['p50']:.1f} / {page['render_ms']['p95']:.1f} / {page['render_ms']['max']:.1f} ms "
        "| under 50 ms |",
        f"| pan and zoom: interval between animation frames (p50 / p95 / max) | "
        f"{page['frame_ms']['p50']:.1f} / {page['frame_ms']['p95']:.1f} / {page['frame_ms']['max']:.1f} ms | "
        "under 50 ms |",
    ]
    for fmt, run in r["exports"].items():
        lines.append(f"| `dealgraph export {fmt}` (whole CLI run) | {run['seconds']:.1f} s, peak "
                     f"{run['peak_rss_mb']:.0f} MB resident, {run['mb']:.1f} MB written | reported |")
    lines += ["", "What limits them: Chromium here has no GPU (`--disable-gpu`: WebGL runs in SwiftShader, on the "
              "CPU), so a frame costs what drawing every edge in software costs; on a desktop GPU it is a fraction "
              "of that, and while a user drags, edges are hidden (`hideEdgesOnMove`). Writing the page is mostly "
              "reading every entity and fact from Neo4j (the ecosystem reader ships each fact's two nodes with "
              "it) and the layout (networkit's Pivot MDS, seconds); the exports' memory is networkx's graph and its "
              "XML tree, built whole before writing.", ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--investments", type=int, default=80_000)
    parser.add_argument("--seed", type=int, default=7)
    harness.server_options(parser, ".dealgraph-bench-webgl", 7726, 7736, heap="1g", pagecache="1g")
    parser.add_argument("--reuse", action="store_true", help="use the graph the server holds if it has that many "
                        "investments (no reload)")
    args = parser.parse_args(argv)
    server = harness.start_server(args)
    conn = harness.connect(server)
    machine = {"cores": os.cpu_count(), "load_before": os.getloadavg()}
    folder = harness.dataset(args.investments, args.seed)
    held = conn.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"]
    if not (args.reuse and held == args.investments):
        harness.empty(conn)
        harness.log(f"loading {args.investments:,} investments")
        harness.load_dealgraph(server, folder, args.batch_size)
    entities = conn.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    facts = conn.read("MATCH (:Entity)-[r]->(:Entity) WHERE NOT type(r) IN ['MENTIONED_IN'] "
                      "RETURN count(r) AS n")[0]["n"]
    out = harness.BENCH / "data" / "webgl"
    out.mkdir(parents=True, exist_ok=True)
    page_path = out / f"ecosystem-{args.investments}.html"
    harness.log("writing the WebGL page")
    viz = harness.run_dealgraph(server, "viz", "ecosystem", "--engine", "webgl", "-o", page_path)
    viz.pop("output")
    harness.log(f"page: {viz['seconds']:.1f} s; opening it in Chromium")
    page = open_page(page_path)
    exports = {}
    for fmt in ("gexf", "graphml", "ftm"):
        target = out / f"dealgraph-{args.investments}.{fmt}"
        harness.log(f"export {fmt}")
        run = harness.run_dealgraph(server, "export", fmt, "-o", target)
        run.pop("output")
        exports[fmt] = {**run, "mb": target.stat().st_size / 1e6}
    machine["load_after"] = os.getloadavg()
    result = {"investments": args.investments, "entities": entities, "facts": facts, "viz": viz, "page": page,
              "page_mb": page_path.stat().st_size / 1e6, "page_uri": page_path.resolve().as_uri(),
              "exports": exports, "when": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}"}
    harness.log(f"first frame {page['first_frame_s']:.1f} s, {result['page_mb']:.1f} MB, "
                f"render p95 {page['render_ms']['p95']:.1f} ms, frame p95 {page['frame_ms']['p95']:.1f} ms")
    section = report(result, machine, " ".join(argv if argv is not None else sys.argv[1:]))
    harness.finish(args, server, conn, HEADING, section)


if __name__ == "__main__":
    main()
