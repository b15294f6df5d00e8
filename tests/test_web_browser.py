"""`dealgraph serve` in real headless Chromium (Playwright): what a reporter does, click by click.

Every page visited must log no error (a Content-Security-Policy violation is one), request
nothing from another host, and pop nothing up.
"""
from __future__ import annotations

import pytest
from helpers import ARTIFACTS, HOSTILE, WEB_PORT, Recorded, Running, add_hostile


@pytest.fixture(scope="module")
def web(seed_graph):
    add_hostile(seed_graph)
    running = Running(WEB_PORT + 3)
    yield running
    running.stop()


class Tab(Recorded):
    """A browser tab on the app that records console messages, requests and dialogs."""

    def __init__(self, browser, base: str):
        super().__init__(browser, width=1300)
        self.base = base

    def open(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def graph_ready(self) -> None:
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)

    def path(self) -> str:
        return self.page.url.removeprefix(self.base)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert [m for m in self.console if m.startswith(("error", "pageerror"))] == [], self.console
        assert all(url.startswith(self.base + "/") for url in self.requests), self.requests
        assert self.dialogs == [] and self.page.evaluate("window.__alerts") == []

    def click_node(self, entity_id: str) -> None:
        """Click the graph node of an entity where vis-network drew it."""
        self.page.evaluate("document.getElementById('graph').scrollIntoView({block: 'center'})")
        x, y = self.page.evaluate("""id => {
            const key = nodes.get({filter: n => n.entity_id === id})[0].id;
            const p = network.canvasToDOM(network.getPositions([key])[key]);
            const r = document.getElementById('graph').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }""", entity_id)
        self.page.mouse.click(x, y)


def test_type_a_misspelt_name_and_land_on_its_page(web, browser):
    tab = Tab(browser, web.url)
    page = tab.open("/")
    page.fill("header input[name=q]", "Dipsic")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(web.url + "/entity/deepseek")
    assert page.inner_text("h1") == "DeepSeek"
    tab.graph_ready()
    tab.shot("web-entity-deepseek")
    assert page.evaluate("nodes.length") > 3
    tab.assert_clean()


def test_run_backers_of_both_through_its_form(web, browser):
    tab = Tab(browser, web.url)
    page = tab.open("/queries/backers_of_both")
    page.fill("#p-a", "Zhipu")
    page.fill("#p-b", "Baichuan")
    page.click("#run")
    page.wait_for_selector("table.answer")
    rows = page.eval_on_selector_all("table.answer tbody tr", "rows => rows.map(r => r.cells[0].innerText)")
    assert rows == ["Alibaba Group", "Tencent"]
    tab.graph_ready()
    tab.shot("web-query-backers-of-both")
    labels = page.evaluate("nodes.get().map(n => n.label).sort()")
    assert labels == ["Alibaba Group", "Tencent"]
    script = page.inner_text("#browser-script")  # as `dealgraph query --browser` prints it: one :param line first
    param_line = next(line for line in script.splitlines() if line.startswith(":param "))
    assert "'zhipu-ai' AS `a`" in param_line and "'baichuan' AS `b`" in param_line
    # a node of the graph is a way to its entity page
    tab.click_node("tencent")
    page.wait_for_url(web.url + "/entity/tencent")
    assert page.inner_text("h1") == "Tencent"
    tab.assert_clean()


def test_click_a_neighbour_in_an_entity_graph(web, browser):
    tab = Tab(browser, web.url)
    page = tab.open("/entity/zhipu-ai")
    tab.graph_ready()
    tab.click_node("alibaba")
    page.wait_for_url(web.url + "/entity/alibaba")
    assert page.inner_text("h1") == "Alibaba Group"
    tab.assert_clean()


def test_a_hostile_entity_runs_no_script(web, browser):
    tab = Tab(browser, web.url)
    page = tab.open("/search?q=" + "script alert onerror")
    page = tab.open("/entity/xss-co")
    tab.graph_ready()
    assert page.inner_text("h1") == HOSTILE
    assert page.evaluate("document.querySelectorAll('main img, main script:not(#graph-data)').length") == 0
    # its tooltip in the graph is text too
    assert page.evaluate("nodes.get({filter: n => n.entity_id === 'xss-co'})[0].title").startswith(HOSTILE)
    page = tab.open("/entity/zhipu-ai")  # where it shows up as an investor
    tab.graph_ready()
    page.wait_for_timeout(300)  # give an onerror handler every chance to fire
    assert HOSTILE in page.inner_text("section.facts[data-type='INVESTED_IN'][data-direction='in']")
    tab.shot("web-hostile")
    tab.assert_clean()
