"""The web app's writes, against the real Neo4j over real HTTP: the token printed at start, CSRF
tokens, same-site only, every save recorded and shown, no lost update, bad articles refused.

Each test saves its own article text into its own dataset folder (tmp_path), so that what one
writes cannot be what another one finds.
"""
from __future__ import annotations

import re
import threading
from html import unescape

import httpx
import pytest

from graph.web import Background, Tokens

ALICE, BOB = "alice-secret-0123456789", "bob-secret-9876543210"


@pytest.fixture
def app(fresh_seed, tmp_path):
    running = Background(tokens=Tokens.parse([f"alice={ALICE}", f"bob={BOB}"]), data=tmp_path / "data")
    running.conn = fresh_seed
    running.data = tmp_path / "data"
    yield running
    running.stop()


def client(app, secret: str | None = None) -> httpx.Client:
    """A browser-like client; with `secret`, signed in as a user who opened the printed URL."""
    c = httpx.Client(base_url=app.url, timeout=120, follow_redirects=False)
    if secret:
        opened = c.get(f"/add?token={secret}")
        assert opened.status_code == 303 and opened.headers["location"] == "/add", opened
    return c


def csrf_of(c: httpx.Client, path: str = "/add") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(path).text).group(1)


def article(text: str, **fields) -> dict:
    """The fields of the review page's save form: an article and the review of its draft (none
    of its facts accepted unless `review` says otherwise)."""
    return {"title": "Alpha raises money", "outlet": "The Test Times", "published": "2024-05-06",
            "language": "en", "text": text, "version": "0", "review": '{"facts": []}', **fields}


def error(response: httpx.Response) -> str:
    found = re.search(r'id="error">([^<]*)<', response.text)
    return unescape(found.group(1)) if found else ""


def written(app) -> list[str]:
    """Files in the dataset folder, and Records and Changes in the graph: what writes leave."""
    files = sorted(str(p.relative_to(app.data)) for p in app.data.rglob("*") if p.is_file()) if app.data.exists() else []
    nodes = app.conn.read("MATCH (n) WHERE n:Record OR n:Change OR (n:Article AND n.id STARTS WITH 'web_') "
                          "RETURN labels(n)[0] + ':' + coalesce(n.key, n.id) AS n")
    return files + [r["n"] for r in nodes]


# -- refusals: 4xx, and nothing written ----------------------------------------------------------------
@pytest.mark.bad_input
def test_writes_without_token_csrf_or_from_another_site_are_refused(app):
    text = "Alpha raised ten million dollars from Beta Capital in May."
    anonymous, alice = client(app), client(app, ALICE)
    good = csrf_of(alice)
    bob = client(app, BOB)
    cases = {
        "no token": (anonymous.post("/save", data=article(text, csrf=good)), 401, "no token"),
        "a wrong token": (httpx.post(f"{app.url}/save", data=article(text, csrf=good),
                                     cookies={"dealgraph_token": "not-the-secret-at-all"}), 403, "wrong token"),
        "a wrong token in the URL": (anonymous.get("/add?token=not-the-secret-at-all"), 403, "wrong token"),
        "no CSRF token": (alice.post("/save", data=article(text)), 403, "CSRF"),
        "another token's CSRF token": (bob.post("/save", data=article(text, csrf=good)), 403, "CSRF"),
        "a cross-site form": (alice.post("/save", data=article(text, csrf=good),
                                         headers={"origin": "http://evil.example"}), 403, "another site"),
        "a cross-site fetch": (alice.post("/save", data=article(text, csrf=good),
                                          headers={"sec-fetch-site": "cross-site"}), 403, "another site"),
    }
    for what, (response, status, needle) in cases.items():
        assert response.status_code == status, (what, response.status_code)
        assert needle in error(response), (what, error(response))
        assert "Traceback" not in response.text
    assert written(app) == []
    assert alice.post("/save", data=article(text, csrf=good)).status_code == 303  # the same form, allowed


def test_the_form_needs_the_token_first(app):
    """Without the token the form says how to get it, and carries no CSRF token to reuse."""
    page = client(app).get("/add")
    assert page.status_code == 200 and 'id="sign-in"' in page.text
    assert re.search(r'name="csrf" value=""', page.text)
    assert 'name="csrf" value="' + csrf_of(client(app, ALICE)) not in page.text


# -- a save: files, graph, history ------------------------------------------------------------------
def test_a_save_writes_the_dataset_loads_it_and_is_in_the_history(app):
    text = "Gamma Robotics said on Monday it had raised money.\nIts investors were not named."
    alice = client(app, ALICE)
    saved = alice.post("/save", data=article(text, csrf=csrf_of(alice)))
    assert saved.status_code == 303, error(saved)
    url = saved.headers["location"]
    article_id = url.rsplit("/", 1)[1]
    assert (app.data / "texts" / article_id).read_text(encoding="utf-8") == text
    assert (app.data / article_id.replace(".txt", ".yaml")).exists()
    stored = app.conn.read("MATCH (a:Article {id: $id}) RETURN a.title AS title, a.outlet AS outlet, "
                           "a.published AS published", {"id": article_id})
    assert stored == [{"title": "Alpha raises money", "outlet": "The Test Times", "published": "2024-05-06"}]
    page = alice.get(url)
    history = re.search(r'<table class="props" id="history">(.*?)</table>', page.text, re.S).group(1)
    assert "<td>1</td>" in history and "<td>alice</td>" in history and "save: 0 facts saved, 0 rejected" in history
    assert article_id in client(app).get("/").text  # listed among the articles on the home page
    from graph.dataset import read_dataset

    assert [a["id"] for a in read_dataset(app.data).articles] == [article_id]


def test_two_people_save_the_same_version_the_second_is_told_to_reload(app):
    """Both opened the form at version 0; they send at the same moment: one save is kept, the other
    is a 409 that names who saved and gives the sender's text back. Nothing lost, nothing doubled."""
    text = "Delta AI and Epsilon Labs announced a partnership on Tuesday."
    alice, bob = client(app, ALICE), client(app, BOB)
    forms = {"alice": (alice, csrf_of(alice)), "bob": (bob, csrf_of(bob))}
    answers, start = {}, threading.Barrier(2)

    def send(who):
        c, csrf = forms[who]
        start.wait()
        answers[who] = c.post("/save", data=article(text, csrf=csrf, title=f"Saved by {who}"))

    threads = [threading.Thread(target=send, args=(who,)) for who in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in answers.values())
    assert statuses == [303, 409], {k: (r.status_code, error(r)) for k, r in answers.items()}
    winner = next(who for who, r in answers.items() if r.status_code == 303)
    loser = answers["bob" if winner == "alice" else "alice"]
    assert f"saved by {winner}" in error(loser) and "reload" in error(loser)
    assert text in unescape(loser.text)  # the sender's input is shown again, not dropped
    history = app.conn.read("MATCH (c:Change) WHERE c.key STARTS WITH 'article:' RETURN c.by AS by, c.version AS v")
    assert history == [{"by": winner, "v": 1}]
    assert app.conn.read("MATCH (a:Article) WHERE a.id STARTS WITH 'web_' RETURN a.title AS t") == [
        {"t": f"Saved by {winner}"}]


# -- bad articles: a clear line, nothing written ------------------------------------------------------
BAD_TEXTS = {
    "not UTF-8": ("café au lait, ¥100".encode("latin-1"), "not UTF-8"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "empty": (b"  \n\t\n", "empty"),
    "over 1 MB": (("a" * 1023 + "\n").encode() * 1025, "more than the 1,048,576"),
    "a script": (b"Alpha raised money.<script>alert(1)</script>", "HTML in the text"),
    "HTML": (b"<p>Alpha raised <b>money</b>.</p>", "HTML in the text"),
}


@pytest.mark.bad_input
@pytest.mark.parametrize("case", list(BAD_TEXTS))
def test_a_bad_article_file_is_refused_and_nothing_written(app, case):
    data, needle = BAD_TEXTS[case]
    alice = client(app, ALICE)
    fields = {k: v for k, v in article("", csrf=csrf_of(alice)).items()}
    response = alice.post("/add", data=fields, files={"file": ("story.txt", data, "text/plain")})
    assert response.status_code == 400, (case, response.status_code, error(response))
    assert error(response).startswith("story.txt: ") and needle in error(response), error(response)
    assert written(app) == []


@pytest.mark.bad_input
def test_bad_fields_are_refused_and_nothing_written(app):
    alice = client(app, ALICE)
    text = "Zeta Motors raised money from Eta Partners."
    for fields, needle in (({"title": " "}, "title"), ({"published": "2024-13-45"}, "date"),
                           ({"language": "English"}, "language")):
        response = alice.post("/save", data=article(text, csrf=csrf_of(alice), **fields))
        assert response.status_code == 400 and needle in error(response), (fields, error(response))
    assert written(app) == []


@pytest.mark.bad_input
def test_a_review_with_a_bad_fact_is_refused_and_nothing_written(app):
    """A quote edited so it is no longer in the article, an amount that is no number, an entity the
    graph does not have, a review that is not JSON: the review page again with one line (the
    decisions as sent kept in it), nothing written."""
    import json

    text = "Theta Bank invested in Zhipu AI, the article says."
    alice = client(app, ALICE)
    good = {"type": "INVESTED_IN", "from": "alibaba", "to": "zhipu-ai", "status": "accepted",
            "evidence": "invested in Zhipu AI"}
    cases = [({**good, "evidence": "invested heavily in Zhipu AI"}, "is not in the article"),
             ({**good, "amount": "lots"}, "amount"),
             ({**good, "from": "no-such-entity"}, "not in the graph")]
    for fact, needle in cases:
        review = json.dumps({"facts": [fact], "entities": [], "rounds": []})
        response = alice.post("/save", data=article(text, csrf=csrf_of(alice), review=review))
        assert response.status_code == 400 and needle in error(response), (fact, error(response))
        assert "invested" in unescape(response.text) and 'id="draft-data"' in response.text
        assert written(app) == []
    response = alice.post("/save", data=article(text, csrf=csrf_of(alice), review="{not json"))
    assert response.status_code == 400 and "could not be read" in error(response)
    assert written(app) == []


@pytest.mark.bad_input
def test_the_page_names_where_the_text_goes_before_it_is_sent(app, monkeypatch):
    """No DEALGRAPH_LLM_URL: drafted here, sent nowhere. With one, the form names the endpoint before
    anything is sent; one that does not answer (a closed port here) is a 400 line, nothing written."""
    from helpers import free_port

    alice = client(app, ALICE)
    assert "the text is sent nowhere" in alice.get("/add").text
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setenv("DEALGRAPH_LLM_URL", url)
    page = alice.get("/add").text
    assert re.search(r"Drafting sends the article's text to <strong>" + re.escape(url) + "/chat/completions", page)
    fields = article("Iota Capital invested in Zhipu AI in 2024.", csrf=csrf_of(alice))
    response = alice.post("/add", data=fields)
    assert response.status_code == 400 and "127.0.0.1" in error(response), error(response)
    assert written(app) == []


def test_two_articles_reporting_the_same_deal_are_both_saved(app):
    """The same fact (type, ends) in two articles: two sourced facts, each with its own id."""
    import json

    alice = client(app, ALICE)
    fact = {"type": "INVESTED_IN", "from": "alibaba", "to": "zhipu-ai", "status": "accepted",
            "evidence": "Alibaba Group invested in Zhipu AI"}
    review = json.dumps({"facts": [fact]})
    for text in ("Alibaba Group invested in Zhipu AI, one paper says.", "Alibaba Group invested in Zhipu AI, says another."):
        saved = alice.post("/save", data=article(text, csrf=csrf_of(alice), review=review))
        assert saved.status_code == 303, error(saved)
    rows = app.conn.read("MATCH (:Entity {id: 'alibaba'})-[r:INVESTED_IN]->(:Entity {id: 'zhipu-ai'}) "
                         "WHERE r.source STARTS WITH 'web_' RETURN r.id AS id, r.source AS source")
    assert len(rows) == 2 and len({r["id"] for r in rows}) == 2 and len({r["source"] for r in rows}) == 2


def test_with_cache_pages_are_kept_until_the_graph_changes(fresh_seed, tmp_path):
    """`serve --cache`: the second read of a page is the kept one; a save moves the graph's stamp,
    and the next read is made afresh and shows the new article. Pages with a form (the token
    cookie) are never kept."""
    import json

    running = Background(tokens=Tokens.parse([f"alice={ALICE}"]), data=tmp_path / "data", cache=True)
    try:
        reader = httpx.Client(base_url=running.url, timeout=120)
        first, second = reader.get("/entity/zhipu-ai"), reader.get("/entity/zhipu-ai")
        assert (first.headers["x-dealgraph-cache"], second.headers["x-dealgraph-cache"]) == ("miss", "hit")
        assert second.text == first.text and second.headers["content-type"] == first.headers["content-type"]
        assert reader.get("/entity/zhipu-ai.json").headers["x-dealgraph-cache"] == "miss"  # its own key
        alice = client(running, ALICE)
        assert "x-dealgraph-cache" not in alice.get("/entity/zhipu-ai").headers  # signed in: never kept
        fact = {"type": "INVESTED_IN", "from": "alibaba", "to": "zhipu-ai", "status": "accepted",
                "evidence": "Alibaba Group invested in Zhipu AI"}
        saved = alice.post("/save", data=article("Alibaba Group invested in Zhipu AI again.", csrf=csrf_of(alice),
                                                 review=json.dumps({"facts": [fact]})))
        assert saved.status_code == 303, error(saved)
        after = reader.get("/entity/zhipu-ai")
        article_id = saved.headers["location"].rsplit("/", 1)[1]
        assert after.headers["x-dealgraph-cache"] == "miss" and article_id in after.text
        assert reader.get("/entity/zhipu-ai").headers["x-dealgraph-cache"] == "hit"
    finally:
        running.stop()


def test_serve_with_two_workers_reads_and_saves(fresh_seed, tmp_path):
    """`serve --workers 2`: two processes on one socket, with the same secrets and CSRF key (a form
    one of them served is accepted by either): every read answers, every save is kept once."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from helpers import free_port

    port = free_port()
    exe = Path(sys.executable).with_name("dealgraph")
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--workers", "2", "--data", str(tmp_path)],
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "DEALGRAPH_TOKEN": f"alice={ALICE}"})
    try:
        assert server.stderr.readline().startswith(f"Serving http://127.0.0.1:{port}/")
        base, cookies = f"http://127.0.0.1:{port}", {"dealgraph_token": ALICE}
        fact = {"type": "INVESTED_IN", "from": "alibaba", "to": "zhipu-ai", "status": "accepted",
                "evidence": "Alibaba Group invested in Zhipu AI"}
        for n in range(6):  # a new connection each time: either worker may answer either request
            page = httpx.get(f"{base}/add", cookies=cookies, timeout=120)
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            text = f"Alibaba Group invested in Zhipu AI, report {n} says."
            saved = httpx.post(f"{base}/save", cookies=cookies, timeout=120,
                               data=article(text, csrf=csrf, review=json.dumps({"facts": [fact]})))
            assert saved.status_code == 303, error(saved)
            assert httpx.get(base + saved.headers["location"], timeout=120).status_code == 200
        assert fresh_seed.read("MATCH (c:Change) RETURN count(c) AS n") == [{"n": 6}]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert "Traceback" not in server.stderr.read()
