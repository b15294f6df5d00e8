"""Make the docs' Neo4j Browser picture (docs/browser.md): a named query drawn by the real Browser, from the guide.

    dealgraph neo4j start && dealgraph load    # the local server and the seed graph
    python docs/browser_screenshot.py          # writes docs/img/browser.png

It serves the guide (the web app in a thread, graph.web.Background), opens the Browser that the local server serves
(DEALGRAPH_* settings), connects with the usual NEO4J_* settings, plays the guide, clicks the
style sheet's block, then the two blocks of one query, as a reader would. Debian's chromium,
driven by Playwright.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from screenshots import CHROMIUM_ARGS

from graph.connection import Settings
from graph.server import LocalServer
from graph.web import Background

ROOT = Path(__file__).resolve().parent.parent
QUERY = "sanction_exposure"


def run(page, text: str):
    page.get_by_test_id("activeEditor").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.get_by_test_id("editor-Run").click()
    time.sleep(3)
    return page.get_by_test_id("frame").first


def go_to(guide, selector: str):
    guide.locator('li[aria-label="1"]').click()  # the first slide, then onwards
    for _ in range(20):
        if guide.locator(selector).count():
            return guide.locator(selector)
        guide.get_by_test_id("nextSlide").click()
    raise SystemExit(f"the guide has no {selector}")


def main() -> None:
    from playwright.sync_api import sync_playwright

    server, settings = LocalServer.from_env(), Settings.from_env()
    app = Background(settings)
    url = f"{app.url}/browser-guide"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.set_default_timeout(90_000)
        page.goto(f"{server.browser_url}?dbms=bolt://{settings.username}@{server.host}:{server.bolt_port}"
                  "&preselectAuthMethod=basic")
        page.get_by_test_id("authenticationMethod").select_option("NO_AUTH")
        page.get_by_test_id("authenticationMethod").select_option("NATIVE")
        page.get_by_test_id("password").fill(settings.password)
        page.get_by_test_id("connect").click()
        page.get_by_text("You are connected as user").first.wait_for()
        time.sleep(5)  # Browser reads the server's allowlist just after connecting
        run(page, ":clear")
        for _ in range(10):
            guide = run(page, f":play {url}")
            if "Not found" not in guide.inner_text():
                break
        guide.get_by_test_id("carousel").wait_for()
        guide = page.get_by_test_id("frame").filter(has=page.get_by_test_id("carousel")).first  # stays put
        go_to(guide, "pre.style").locator("i.fa-play-circle-o").click()
        time.sleep(2)
        go_to(guide, f"#query-{QUERY}").locator("pre.params i.fa-play-circle-o").click()
        time.sleep(3)
        page.locator(f"#query-{QUERY} pre.query i.fa-play-circle-o").click()
        time.sleep(2)
        frame = page.get_by_test_id("frame").first
        frame.get_by_text("Displaying").first.wait_for()
        time.sleep(8)  # the force layout settles
        png = ROOT / "docs" / "img" / "browser.png"
        frame.screenshot(path=str(png))
        browser.close()
    app.stop()
    print(f"{png.relative_to(ROOT)}: {QUERY} drawn by Neo4j Browser from the guide", file=sys.stderr)


if __name__ == "__main__":
    main()
