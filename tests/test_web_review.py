"""The review page end to end in Chromium, on the real extractor (graph.extract) and Neo4j: add an
article, accept two drafted facts, edit one (an entity picked from the resolver's suggestions,
amount, currency, date, caveat), reject one, add one by selecting words, save; then the queries
answer with them, the article is in Sources and on its entities' pages, its history shows the
save, and the saved YAML loads into an empty graph to the same facts.
"""
from __future__ import annotations

import re

import httpx
import pytest

from graph.dataset import read_dataset
from graph.load import load_dataset
from graph.schema import wipe
from graph.web import Background, Tokens

SECRET = "alice-secret-0123456789"
TEXT = ("Alibaba Group led a 300 million USD funding round in Zhipu AI on 2024-03-05, with Tencent also investing.\n"
        "Baichuan competes with Zhipu AI.\n"
        "Moonshot AI raised 1 billion USD from Sequoia China.\n"
        "Moonshot AI counts Meituan among its backers.\n")
ADDED = "Moonshot AI counts Meituan among its backers"
CAVEAT = "The article gives no date; February 2024 per other reporting"


@pytest.fixture
def app(fresh_seed, tmp_path):
    running = Background(tokens=Tokens.parse([f"alice={SECRET}"]), data=tmp_path / "data")
    running.data = tmp_path / "data"
    yield running
    running.stop()


def pick(page, li, end: str, typed: str, entity_id: str):
    """Type a name into the fact's From or To field and click the suggestion of `entity_id`."""
    li.locator(f".f-{end}-name").fill(typed)
    li.locator(f".f-{end}-suggestions button.suggestion", has_text=f"({entity_id},").click()
    assert li.locator(f".f-{end}-id").inner_text().strip() == entity_id


def select_words(page, words: str):
    """Select `words` in the article as a mouse would (a DOM range over its text)."""
    page.evaluate("""words => {
        const pre = document.getElementById('article-text');
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent.indexOf(words);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const sel = window.getSelection();
                sel.removeAllRanges();
                sel.addRange(range);
                return;
            }
        }
        throw new Error('not in the article: ' + words);
    }""", words)


def facts_of(conn, article_id: str) -> dict:
    rows = conn.read("MATCH (a:Entity)-[r]->(b:Entity) WHERE r.source = $id RETURN type(r) AS type, a.id AS a, "
                     "b.id AS b, properties(r) AS props", {"id": article_id})
    return {(r["type"], r["a"], r["b"]): r["props"] for r in rows}


def test_review_an_article_in_chromium_and_save_it(app, browser, fresh_seed):
    conn = fresh_seed
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)  # conditions, not timings: the machine may be busy
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{app.url}/add?token={SECRET}")
    page.fill("input[name=title]", "Moonshot and Zhipu raise money")
    page.fill("input[name=outlet]", "The Test Times")
    page.fill("input[name=published]", "2024-03-06")
    page.fill("textarea[name=text]", TEXT)
    with page.expect_navigation():
        page.click("#add button[type=submit]")
    page.wait_for_selector("body[data-ready='1']", state="attached")

    # The draft: every quote highlighted; a fact shows its words, words show their facts. Which facts
    # the extractor drafts is its own business (graph.extract has its tests): the review works on
    # whatever it proposes, picked here by the sentence they quote.
    cards = page.locator("li.fact")
    quotes = cards.locator(".fact-quote").all_inner_texts()
    assert len(quotes) >= 4, quotes
    assert page.locator("#article-text mark").count() >= 3
    first = [i for i, q in enumerate(quotes) if q.startswith("Alibaba Group led")]
    moonshot = [i for i, q in enumerate(quotes) if q.startswith("Moonshot AI raised")]
    rival = [i for i, q in enumerate(quotes) if q.startswith("Baichuan competes")]
    assert len(first) >= 2 and moonshot and rival, quotes
    cards.nth(rival[0]).locator(".fact-quote").click()
    assert page.locator("#article-text mark.focus").inner_text() == "Baichuan competes with Zhipu AI."
    page.locator("#article-text mark", has_text="Moonshot AI raised 1 billion USD").click()
    focused = [int(i) for i in page.locator("li.fact.focus").evaluate_all("els => els.map(e => e.dataset.index)")]
    assert focused == moonshot

    # Accept two, reject one, edit one (its ends picked from the resolver's suggestions).
    accepted = []
    for i in first[:2]:
        accepted.append((cards.nth(i).locator(".fact-type").inner_text(), cards.nth(i).locator(".fact-ends").inner_text()))
        cards.nth(i).locator("button.accept").click()
    cards.nth(rival[0]).locator("button.reject").click()
    edited = cards.nth(moonshot[0])
    edited.locator("button.edit").click()
    edited.locator(".f-type").select_option("INVESTED_IN")
    pick(page, edited, "from", "Sequoia Capital China", "hongshan")
    pick(page, edited, "to", "Moonshot", "moonshot-ai")
    edited.locator(".f-amount").fill("1,000,000,000")
    edited.locator(".f-currency").fill("usd")
    edited.locator(".f-date").fill("2024-02")
    edited.locator(".f-caveat").fill(CAVEAT)
    edited.locator("button.done").click()
    for i in range(len(quotes)):  # anything else drafted: rejected too
        if i not in first[:2] + moonshot[:1] + rival[:1]:
            cards.nth(i).locator("button.reject").click()

    # Add one by selecting words.
    assert page.locator("#add-fact").is_disabled()
    select_words(page, ADDED)
    page.locator("#add-fact:not([disabled])").click()
    added = page.locator("li.fact").last
    assert added.locator(".f-evidence").input_value() == ADDED
    pick(page, added, "from", "Meituan", "meituan")
    pick(page, added, "to", "Moonshot", "moonshot-ai")
    added.locator("button.done").click()
    rejected = len(quotes) - 3
    assert page.inner_text("#fact-counts") == f"(4 accepted, {rejected} rejected, 0 to decide)"

    with page.expect_navigation():
        page.click("#save-button")
    assert "/article/web_" in page.url, page.locator("#error").all_inner_texts()
    article_id = page.url.rsplit("/", 1)[1]
    assert errors == []

    # What was saved, in the graph.
    facts = facts_of(conn, article_id)
    names = {r["id"]: r["name"] for r in conn.read("MATCH (e:Entity) RETURN e.id AS id, e.name AS name")}
    assert sorted((t, f"{names[a]} → {names[b]}") for t, a, b in facts) == sorted(
        accepted + [("INVESTED_IN", "HongShan → Moonshot AI"), ("INVESTED_IN", "Meituan → Moonshot AI")])
    edit = facts[("INVESTED_IN", "hongshan", "moonshot-ai")]
    assert (edit["amount"], edit["currency"], edit["date"], edit["caveat"]) == (1_000_000_000, "USD", "2024-02", CAVEAT)
    assert facts[("INVESTED_IN", "meituan", "moonshot-ai")]["evidence"] == ADDED
    assert not any(p.get("draft") for p in facts.values())

    # The queries answer with it; it is in Sources and on the entities' pages; its history shows the save.
    web = httpx.Client(base_url=app.url, timeout=120)
    investors = web.get("/queries/investors_of.json", params={"company": "Moonshot"}).json()
    by_investor = {row["investor"]["id"]: row["sources"] for row in investors}
    assert article_id in by_investor["meituan"] and article_id in by_investor["hongshan"]
    assert f'href="/article/{article_id}"' in web.get("/").text
    assert f'href="/article/{article_id}"' in web.get("/entity/meituan").text
    history = re.search(r'id="history">(.*?)</table>', page.content(), re.S).group(1)
    assert "<td>alice</td>" in history and f"4 facts saved, {rejected} rejected, 0 new entities" in history

    # The saved YAML, loaded into an empty graph, gives the same facts.
    saved = read_dataset(app.data)
    wipe(conn)
    load_dataset(conn, saved, articles=app.data / "texts")
    again = facts_of(conn, article_id)
    assert again == facts
    page.close()
