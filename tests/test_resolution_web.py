"""The duplicates page of `dealgraph serve` (/dedupe), in real headless Chromium and over HTTP."""
from __future__ import annotations

import re

import httpx
import pytest
from helpers import DUPLICATES_DATASET, Recorded, Running, free_port

from graph.web import Background, Tokens

ALICE, BOB = "alice-secret-0123456789", "bob-secret-9876543210"

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
    tab.page.goto(web.url + "/dedupe?min_score=0.3")
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


# -- the decisions: the app's writes ---------------------------------------------------------------------
@pytest.fixture
def writable(clean_db, tmp_path):
    from graph.load import load_dataset

    (tmp_path / "dup.yaml").write_text(DUPLICATES_DATASET, encoding="utf-8")
    load_dataset(clean_db, tmp_path / "dup.yaml")
    running = Background(tokens=Tokens.parse([f"alice={ALICE}", f"bob={BOB}"]), data=tmp_path / "data")
    running.conn, running.data = clean_db, tmp_path / "data"
    yield running
    running.stop()


def _judgements(app) -> list[list[str]]:
    path = app.data / "judgements.tsv"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [line.split("\t") for line in lines if not line.startswith("#")]


def test_same_different_unsure_in_chromium(writable, browser):
    tab = Recorded(browser, width=1300)
    tab.page.goto(f"{writable.url}/dedupe?token={ALICE}")  # the URL `serve` prints: the token becomes a cookie
    tab.page.goto(f"{writable.url}/dedupe?min_score=0.3")
    assert tab.page.locator("#sign-in").count() == 0 and "alice" in tab.page.inner_text("main, body")
    first = tab.page.locator("section.candidate").first
    assert "ZhenFund" in first.inner_text()
    first.locator("button[value=same]").click()
    tab.page.wait_for_load_state()
    assert tab.page.locator("#done").count(), tab.page.inner_text("body")[:800]
    assert "merged" in tab.page.inner_text("#done")
    ids = {r["id"] for r in writable.conn.read("MATCH (e:Entity) RETURN e.id AS id")}
    assert len({"zhenfund", "zhen-fund-ltd"} & ids) == 1  # one entity now
    assert [(j[0], j[5]) for j in _judgements(writable)] == [("same", "alice")]
    # The merged pair is gone from the page; the next one is Index Ventures / Index Capital.
    tab.page.goto(f"{writable.url}/dedupe?min_score=0.3")
    first = tab.page.locator("section.candidate").first
    assert "Index" in first.inner_text() and "ZhenFund" not in tab.page.inner_text("body")
    first.locator("button[value=different]").click()
    tab.page.wait_for_selector("#done")
    assert [j[0] for j in _judgements(writable)] == ["same", "different"]
    assert tab.page.locator("section.candidate").count() == 0 or "Index" not in tab.page.inner_text("body")
    # Unsure, on a pair the page did not offer at this score but a form can post: Fund X / Index Capital.
    csrf = re.search(r'name="csrf" value="([^"]+)"', tab.page.goto(f"{writable.url}/add").text()).group(1)  # one per token
    tab.page.evaluate("""([csrf]) => { const f = document.createElement('form'); f.method = 'post';
        f.action = '/dedupe/decide'; for (const [k, v] of Object.entries({csrf, version: '0', a: 'fund-x',
        b: 'index-capital', judgement: 'unsure'})) { const i = document.createElement('input'); i.name = k;
        i.value = v; f.appendChild(i); } document.body.appendChild(f); f.submit(); }""", [csrf])
    tab.page.wait_for_selector("#done")
    assert [j[0] for j in _judgements(writable)] == ["same", "different", "unsure"]
    # Who decided what, and when: the audit trail.
    changes = writable.conn.read("MATCH (c:Change) WHERE c.key STARTS WITH 'pair:' RETURN c.by AS by, c.action AS action, "
                                 "c.at IS NOT NULL AS dated ORDER BY c.at")
    assert [(c["by"], c["action"], c["dated"]) for c in changes] == [("alice", "same", True), ("alice", "different", True),
                                                                      ("alice", "unsure", True)]
    assert [m for m in tab.console if m.startswith(("error", "pageerror"))] == []


@pytest.mark.bad_input
def test_decisions_without_token_or_csrf_are_refused_and_change_nothing(writable):
    from helpers import fingerprint

    alice = httpx.Client(base_url=writable.url, timeout=120, follow_redirects=False)
    assert alice.get(f"/dedupe?token={ALICE}").status_code == 303
    page = alice.get("/dedupe")
    good = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    bob = httpx.Client(base_url=writable.url, timeout=120, follow_redirects=False)
    bob.get(f"/dedupe?token={BOB}")
    form = {"a": "zhenfund", "b": "zhen-fund-ltd", "judgement": "same", "version": "0"}
    before = fingerprint(writable.conn)
    anonymous = httpx.Client(base_url=writable.url, timeout=120, follow_redirects=False)
    cases = {
        "no token": (anonymous.post("/dedupe/decide", data={**form, "csrf": good}), 401, "no token"),
        "a wrong token": (httpx.post(f"{writable.url}/dedupe/decide", data={**form, "csrf": good},
                                     cookies={"dealgraph_token": "not-the-secret-at-all"}), 403, "wrong token"),
        "no CSRF token": (alice.post("/dedupe/decide", data=form), 403, "CSRF"),
        "another token's CSRF token": (bob.post("/dedupe/decide", data={**form, "csrf": good}), 403, "CSRF"),
        "from another site": (alice.post("/dedupe/decide", data={**form, "csrf": good},
                                         headers={"origin": "http://evil.example"}), 403, "another site"),
        "a judgement that is none": (alice.post("/dedupe/decide", data={**form, "csrf": good, "judgement": "merge"}),
                                     400, "expected same, different or unsure"),
        "an unknown entity": (alice.post("/dedupe/decide", data={**form, "csrf": good, "b": "nobody"}), 400,
                              "no entity is named"),
    }
    for what, (response, status, needle) in cases.items():
        assert response.status_code == status and needle in response.text, (what, response.status_code, response.text[:300])
    assert fingerprint(writable.conn) == before and _judgements(writable) == []
    # The same form sent twice (two people saving the same pair): the second is refused, nothing lost.
    assert alice.post("/dedupe/decide", data={**form, "csrf": good, "judgement": "unsure"}).status_code == 303
    second = alice.post("/dedupe/decide", data={**form, "csrf": good, "judgement": "different"})
    assert second.status_code == 409 and [j[0] for j in _judgements(writable)] == ["unsure"]
