"""The dealgraph guide in the real Neo4j Browser that the test server serves, driven from Chromium.

The web app (graph.web.Background, in a thread) serves the guide with its CORS headers on
127.0.0.1 (allow-listed by graph.server's config line); the tests connect Browser to the seed
graph, `:play` the guide, click the play icons of a query's two blocks, and read the answer from
the result frame's table view. Playwright's request interception is not used: it would answer
Browser's CORS preflight itself and hide a missing header.
"""
from __future__ import annotations

import os
import time
from urllib.parse import urlsplit

import pytest
from helpers import ARTIFACTS, PASSWORD

from graph.queries import bind, get_query, list_queries, run_query, run_spec
from graph.web import Background


def test_every_example_is_ids_and_answers_on_the_seed(seed_graph):
    """Browser receives the example's values as they are: they must already be ids, and answer."""
    from graph.analytics import analyze

    analyze(seed_graph, show_progress=False)  # the analytics queries read its scores, as the guide says
    for spec in list_queries():
        values = spec.example_values
        assert bind(seed_graph, spec, values) == values, spec.name
        _, records = run_spec(seed_graph, spec, values)
        assert records, f"{spec.name}: its example answers nothing on the seed"


# -- serving the guide ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def guide_url(seed_graph):
    """The guide as `dealgraph serve` serves it (with its CORS headers), from a thread."""
    app = Background(port=int(os.environ.get("DEALGRAPH_TEST_GUIDE_PORT", "0")))  # 0: any free port
    yield f"{app.url}/browser-guide"
    app.stop()


# -- Neo4j Browser -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser_page(browser, seed_graph, server):
    """Neo4j Browser, connected to the test server as `neo4j`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda request: REQUESTS.append(request.url))
    page.on("requestfailed", lambda request: BLOCKED.append(request.url)
            if (request.failure or "").lower() in ("csp", "net::err_blocked_by_csp") else None)
    page.set_default_timeout(120_000)  # conditions, not timings: the machine may be busy
    page.set_default_navigation_timeout(120_000)
    page.goto(f"{server.browser_url}?dbms=bolt://neo4j@{server.host}:{server.bolt_port}&preselectAuthMethod=basic")
    auth = page.get_by_test_id("authenticationMethod")
    auth.select_option("NO_AUTH")  # the password field appears once the method is chosen
    auth.select_option("NATIVE")
    page.get_by_test_id("password").fill(PASSWORD)
    page.get_by_test_id("connect").click()
    page.get_by_text("You are connected as user").first.wait_for()
    yield page
    page.close()


REQUESTS: list[str] = []  # every URL Browser's page asked for
BLOCKED: list[str] = []  # those its Content-Security-Policy stopped before they left


def test_nothing_leaves_the_machine_unasked(browser_page, seed_graph):
    """The local server reports no usage and tells Browser to collect no product analytics: no
    consent banner, and every request Browser made while connecting went to this machine."""
    config = {r["name"]: r["value"] for r in seed_graph.read("CALL dbms.clientConfig() YIELD name, value "
                                                             "RETURN name, value")}
    assert config["client.allow_telemetry"] == "false", config
    assert seed_graph.read("CALL dbms.listConfig('dbms.usage_report.enabled') YIELD value RETURN value") == [
        {"value": "false"}]
    browser_page.get_by_test_id("main").wait_for()
    assert "we collect information on product usage" not in browser_page.inner_text("body")
    sent = [url for url in REQUESTS if url not in BLOCKED and urlsplit(url).scheme in ("http", "https", "ws", "wss")]
    assert sent and {urlsplit(url).hostname for url in sent} <= {"127.0.0.1", "localhost"}, (sent, BLOCKED)


def run_in_editor(page, text: str):
    """Type `text` into Browser's editor and run it: the frame it makes (the newest, at the top)."""
    top = top_frame(page)
    page.get_by_test_id("activeEditor").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    page.get_by_test_id("editor-Run").click()
    return newest_frame(page, top)


def top_frame(page):
    """The newest result frame's element now (None if there is none), to tell the next one from."""
    frames = page.get_by_test_id("frame")
    return frames.first.element_handle() if frames.count() else None


def newest_frame(page, top):
    """The frame that appears on top of `top`. (Not a count of frames: Browser keeps a fixed
    number, so past it a new frame pushes the oldest out and the count stays.)"""
    page.wait_for_function("old => { const f = document.querySelector('[data-testid=frame]'); return f && f !== old; }",
                           arg=top)
    return page.get_by_test_id("frame").first


def play_guide(page, url: str):
    """`:play` the guide; Browser reads the server's allowlist just after connecting, so a play
    that came too early says 'Not found': play again, for up to two minutes."""
    deadline = time.monotonic() + 120
    while True:
        frame = run_in_editor(page, f":play {url}")
        carousel = frame.get_by_test_id("carousel")
        for _ in range(50):
            if carousel.count() and "dealgraph" in carousel.inner_text():
                return frame
            if "Not found" in frame.inner_text():
                break
            time.sleep(0.2)
        if time.monotonic() > deadline:
            raise AssertionError(f"Browser did not play {url}: {frame.inner_text()[:500]}")
        time.sleep(1)


def run_from_guide(page, guide, name: str):
    """Go to the query's slide, click ▶ on its parameter block, then on its query: the result frame."""
    query = guide.locator(f"#query-{name}")
    for _ in range(20):
        if query.count():
            break
        guide.get_by_test_id("nextSlide").click()
    params = query.locator("pre.params")
    if params.count():
        top = top_frame(page)
        params.locator("i.fa-play-circle-o").click()
        newest_frame(page, top).get_by_text("Successfully set your parameters").wait_for()
    top = top_frame(page)
    page.locator(f"#query-{name} pre.query i.fa-play-circle-o").click()
    return newest_frame(page, top)


def table_text(frame) -> str:
    """The result frame in its table view (every row's values, nodes as their properties)."""
    frame.get_by_text("Table", exact=True).click()
    frame.get_by_text("Started streaming").first.wait_for()  # the table view's status line
    return frame.inner_text()


def names_in(rows, column: str) -> set[str]:
    return {v["name"] for v in rows[column] if isinstance(v, dict)} | {v for v in rows[column] if isinstance(v, str)}


@pytest.mark.parametrize("name, column", [
    ("backers_of_both", "investor"),   # co-investment
    ("rivals", "rival"),               # ecosystem
    ("article_claims", "subject"),     # provenance
])
def test_a_query_from_the_guide_answers_in_browser(browser_page, guide_url, seed_graph, name, column):
    spec = get_query(name)
    expected = names_in(run_query(name, conn=seed_graph, **spec.example_values), column)
    assert expected
    guide = play_guide(browser_page, guide_url)
    frame = run_from_guide(browser_page, guide, name)
    text = table_text(frame)
    ARTIFACTS.mkdir(exist_ok=True)
    browser_page.screenshot(path=str(ARTIFACTS / f"browser-guide-{name}.png"))
    missing = [n for n in expected if n not in text]
    assert not missing, (missing, text[:1000])
    if name == "backers_of_both":
        assert expected == {"Alibaba Group", "Tencent"}


def test_style_slide_applies_the_style_sheet_and_browser_still_draws(browser_page, guide_url):
    """One click on the style block applies cypher/dealgraph.grass; a graph drawn after it shows.
    (Typed into the editor instead, the same `:style` text leaves an empty rule that makes
    Browser 5.24 fail with 'Something went wrong' at the next drawing: so the guide's click.)"""
    guide = play_guide(browser_page, guide_url)
    for _ in range(20):
        if guide.locator("pre.style").count():
            break
        guide.get_by_test_id("nextSlide").click()
    top = top_frame(browser_page)
    guide.locator("pre.style i.fa-play-circle-o").click()
    newest_frame(browser_page, top)
    # Browser keeps the style in use in localStorage, written a moment after the frame appears
    browser_page.wait_for_function("() => (localStorage.getItem('neo4j.grass') || '').includes('#2E7D32')")
    stored = browser_page.evaluate("() => localStorage.getItem('neo4j.grass')") or ""
    assert '"relationship.INVESTED_IN":{"color":"#2E7D32"' in stored and '"node.GovernmentBody"' in stored
    assert '"":' not in stored  # the empty rule that breaks drawing
    drawn = run_in_editor(browser_page, "MATCH (a:Entity {id: 'zhipu-ai'})<-[r:INVESTED_IN]-(b) RETURN a, r, b")
    drawn.get_by_text("Graph", exact=True).click()  # Browser opens a frame in the last view chosen (Table, above)
    drawn.get_by_text("Displaying").first.wait_for()
    assert "INVESTED_IN" in drawn.inner_text()
    assert not browser_page.get_by_text("Something went wrong").count()
    run_in_editor(browser_page, ":style reset")


def test_browser_script_in_two_steps_draws_the_answer(browser_page, cli):
    """`dealgraph query ... --browser`, run as it says: its `:param` line, then the query."""
    script = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=بايتشوان", "--browser")
    assert script.code == 0, script
    lines = script.out.splitlines()
    param_line = next(line for line in lines if line.startswith(":param "))
    step_two = "\n".join(lines[lines.index(param_line) + 1:]).strip()
    frame = run_in_editor(browser_page, param_line)
    frame.get_by_text("Successfully set your parameters").wait_for()
    text = table_text(run_in_editor(browser_page, step_two))
    assert "Alibaba Group" in text and "Tencent" in text
