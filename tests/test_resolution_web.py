"""The duplicates page of `dealgraph serve` (/dedupe), in real headless Chromium and over HTTP."""
from __future__ import annotations

import pytest
from helpers import DUPLICATES_DATASET, Recorded, Running, free_port

HOSTILE = "<script>alert('zhen')</script> Fund"


@pytest.fixture(scope="module")
def web(conn, tmp_path_factory):
    from graph.load import load_dataset
    from graph.schema import wipe

    folder = tmp_path_factory.mktemp("dedupe-web")
    (folder / "dup.yaml").write_text(DUPLICATES_DATASET.replace("name: Index Capital,", f"name: Index Capital, aliases: [\"{HOSTILE}\"],"),
                                     encoding="utf-8")
    wipe(conn)
    load_dataset(conn, folder / "dup.yaml")
    running = Running(free_port())
    yield running
    running.stop()


def test_candidates_side_by_side_in_chromium(web, browser):
    tab = Recorded(browser, width=1300)
    tab.page.goto(web.url + "/dedupe")
    first = tab.page.locator("section.candidate").first
    text = first.inner_text()
    assert "ZhenFund" in text and "Zhen Fund Ltd." in text and "真格基金" in text
    assert "legal forms" in text and "shared neighbour" in text and "Alpha AI" in text
    assert "CN" in text and "a1.txt" in text and "a2.txt" in text
    # A name that is markup is shown as text, and nothing ran or was fetched from elsewhere.
    assert HOSTILE in tab.page.locator("section.candidate").nth(1).inner_text()
    assert [m for m in tab.console if m.startswith(("error", "pageerror"))] == []
    assert all(url.startswith(web.url + "/") for url in tab.requests), tab.requests
    assert tab.page.evaluate("window.__alerts") == []
    # Filtering by kind keeps the form's choice.
    tab.page.select_option("select[name=kind]", "Company")
    tab.page.click("button[type=submit]")
    assert tab.page.locator("#nothing").is_visible()


def test_json_twin_and_bad_parameters(web):
    rows = web.get("/dedupe.json", params={"min_score": "0.3"}).json()
    assert {rows[0]["a_id"], rows[0]["b_id"]} == {"zhenfund", "zhen-fund-ltd"}
    assert any({r["a_id"], r["b_id"]} == {"index-ventures", "index-capital"} for r in rows)
    assert web.get("/dedupe.csv").text.splitlines()[0].startswith("score,a_id,a_name")


@pytest.mark.bad_input
@pytest.mark.parametrize("params, needle", [({"min_score": "lots"}, "expected a number"),
                                            ({"min_score": "7"}, "expected a number"),
                                            ({"kind": "Planet"}, "unknown kind")])
def test_bad_parameters_are_a_400_in_one_line(web, params, needle):
    page = web.get("/dedupe", params=params)
    assert page.status_code == 400 and needle in page.text and "Traceback" not in page.text
