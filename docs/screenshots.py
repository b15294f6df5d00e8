"""Make the docs' pictures (docs/img/): the pages `dealgraph viz` writes, photographed in headless Chromium.

    dealgraph load                       # the seed graph, on its own
    dealgraph analyze                    # scores and communities, for the coinvest picture
    python docs/screenshots.py           # writes out/*.html and docs/img/{ecosystem,ego,coinvest}.png,
                                         # and docs/img/web-{entity,query}.png from `dealgraph serve`
    python docs/screenshots.py coinvest  # only some of them

It talks to the Neo4j of the usual settings (NEO4J_URI, ...) and drives Debian's chromium
(/usr/bin/chromium) with Playwright; no browser is downloaded. The web app runs in this process
on DEALGRAPH_SCREENSHOT_PORT (default 8106) while its pages are photographed.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from graph import viz
from graph.connection import connect

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PICTURES = {  # picture name -> how to draw it (the same as the CLI command in the comment)
    "ecosystem": lambda conn: viz.ecosystem(conn),           # dealgraph viz ecosystem
    "ego": lambda conn: viz.ego(conn, "Zhipu", depth=1),      # dealgraph viz ego Zhipu --depth 1
    # dealgraph viz coinvest (after dealgraph analyze: colour by community, size by PageRank)
    "coinvest": lambda conn: viz.coinvest(conn, color_by="community", size_by="pagerank"),
}

WEB_PAGES = {  # screenshot name -> (page of `dealgraph serve`, height of the picture)
    "web-entity": ("/entity/zhipu-ai", 1500),
    "web-query": ("/queries/backers_of_both?a=Zhipu&b=Baichuan", 1250),
}


def web_app(port: int):
    """`dealgraph serve`'s app in a thread of this process; returns the uvicorn server."""
    import threading
    import time

    import uvicorn

    from graph.web import create_app, listen

    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, kwargs={"sockets": [listen("127.0.0.1", port)]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def main() -> None:
    from playwright.sync_api import sync_playwright

    (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
    with connect() as conn, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, draw in PICTURES.items():
            if sys.argv[1:] and name not in sys.argv[1:]:
                continue
            page_path = viz.write_page(draw(conn), ROOT / "out" / f"{name}.html")
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=180_000)
            png = ROOT / "docs" / "img" / f"{name}.png"
            page.screenshot(path=str(png))
            print(f"{png.relative_to(ROOT)} from {page_path.relative_to(ROOT)}", file=sys.stderr)
        port = int(os.environ.get("DEALGRAPH_SCREENSHOT_PORT", "8106"))
        server = web_app(port)
        for name, (path, height) in WEB_PAGES.items():
            page = browser.new_page(viewport={"width": 1280, "height": height})
            page.goto(f"http://127.0.0.1:{port}{path}")
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=180_000)
            png = ROOT / "docs" / "img" / f"{name}.png"
            page.screenshot(path=str(png))
            print(f"{png.relative_to(ROOT)} from {path}", file=sys.stderr)
        server.should_exit = True
        browser.close()


if __name__ == "__main__":
    main()
