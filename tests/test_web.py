"""`dealgraph serve` against the real Neo4j: every route and format on the seed graph, bad input,
hostile names, the safety rules, and Neo4j going away and coming back.

The app runs in uvicorn in a thread of the test process (ports 8101-8109 by default, moved by
DEALGRAPH_TEST_WEB_PORT), talking to the test server; requests go over real HTTP (httpx).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import threading
from html import unescape

import httpx
import pytest
from helpers import (ARTICLE, HOSTILE, HOSTILE_NOTE, PASSWORD, WEB_PORT, Running, add_hostile,
                     assert_one_line_error)

from graph.queries import get_query, list_queries, run_spec
from graph.schema import FACT_TYPES
from graph.tables import write_answer

# A value for each parameter a query needs (entity parameters by an alias, as a user types them).
EXAMPLES = {"company": "Zhipu", "investor": "Alibaba", "a": "Zhipu", "b": "Baichuan", "article": "003"}


@pytest.fixture(scope="module")
def graph(seed_graph):
    add_hostile(seed_graph)
    return seed_graph


@pytest.fixture(scope="module")
def web(graph):
    running = Running(WEB_PORT)
    yield running
    running.stop()


def answer(conn, name: str, fmt: str, **params) -> str:
    keys, records = run_spec(conn, get_query(name), params)
    out = io.StringIO()
    write_answer(keys, records, fmt, out)
    return out.getvalue()


def required_params(spec) -> dict:
    """A value for each required parameter: a name to resolve where we have one, else the query's example."""
    return {p.name: EXAMPLES.get(p.name, spec.example_values[p.name]) for p in spec.params if p.required}


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def assert_clean(response: httpx.Response) -> None:
    """No traceback, no password, no remote asset, and the safety headers."""
    body = response.text
    assert "Traceback" not in body and PASSWORD not in body, body[:2000]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", body), "a page refers to a remote file"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"


# -- pages and formats ---------------------------------------------------------------------------------
def test_home_says_what_the_graph_holds(web, graph):
    response = web.get("/")
    assert response.status_code == 200
    assert_clean(response)
    page = text_of(response.text)
    for kind in ("Company", "Fund", "Person", "Model"):
        n = graph.read(f"MATCH (n:{kind}) RETURN count(n) AS n")[0]["n"]
        assert re.search(rf"{kind}\s+{n:,}\b", page), kind
    invested = graph.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"]
    assert re.search(rf"INVESTED_IN\s+{invested}\b", page)
    for row in graph.read("MATCH (a:Article) RETURN a.id AS id"):
        assert f'href="/article/{row["id"]}"' in response.text
    for spec in list_queries():
        assert f'href="/queries/{spec.name}"' in response.text


def test_every_query_in_every_format(web, graph):
    from graph.pictures import records_picture

    drawn = set()
    for spec in list_queries():
        params = required_params(spec)
        keys, records = run_spec(graph, spec, params)
        html = web.get(f"/queries/{spec.name}", params=params)
        assert html.status_code == 200, (spec.name, html.text[:500])
        assert_clean(html)
        body = html.text.split('<table class="answer">', 1)[1].split("</table>", 1)[0]
        assert body.count("<tr>") == len(records) + 1, spec.name  # the header and one row each
        assert ":param " in html.text or not spec.params  # the Neo4j Browser script
        picture = records_picture(graph, spec.name, records) if records else None
        if picture is not None and picture.nodes:  # nodes, relationships or paths: drawn too
            data = json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>',
                                        html.text, re.S).group(1))
            assert (len(data["nodes"]), len(data["edges"])) == (len(picture.nodes), len(picture.edges)), spec.name
            drawn.add(spec.name)
        else:
            assert 'id="graph-data"' not in html.text, spec.name
        js = web.get(f"/queries/{spec.name}.json", params=params)
        assert js.status_code == 200 and js.headers["content-type"].startswith("application/json")
        assert js.text == answer(graph, spec.name, "json", **params), spec.name
        assert len(js.json()) == len(records)
        table = web.get(f"/queries/{spec.name}.csv", params=params)
        assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
        assert table.text == answer(graph, spec.name, "csv", **params), spec.name
    assert {"backers_of_both", "shortest_path", "coinvestors"} <= drawn


def test_query_json_is_what_the_cli_prints(web, graph, cli):
    printed = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--format", "json")
    assert printed.code == 0, printed
    served = web.get("/queries/backers_of_both.json", params={"a": "Zhipu", "b": "Baichuan"})
    assert served.text == printed.out
    assert [row["investor"]["name"] for row in served.json()] == ["Alibaba Group", "Tencent"]
    script = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--browser").out.strip()
    page = web.get("/queries/backers_of_both", params={"a": "Zhipu", "b": "Baichuan", "as_of": ""})
    assert unescape(page.text.split('<pre id="browser-script">')[1].split("</pre>")[0]).strip() == script


def test_query_form_comes_from_the_parameters(web):
    page = web.get("/queries/backers_of_both")
    assert page.status_code == 200 and "<table" not in page.text  # required parameters: the form first
    names = re.findall(r'<(?:input|select) name="([^"]+)"', page.text)
    assert names == [p.name for p in get_query("backers_of_both").params]
    assert re.search(r'<input name="a"[^>]*required', page.text) and not re.search(r'<input name="as_of"[^>]*required', page.text)
    missing = web.get("/queries/missing_amount_or_date")  # no required parameter: answered at once
    assert "<table" in missing.text and '<option>RAISED</option>' in missing.text


def test_entity_page_facts_sources_and_graph(web, graph):
    page = web.get("/entity/zhipu-ai")
    assert page.status_code == 200
    assert_clean(page)
    html = page.text
    node = graph.read("MATCH (e:Entity {id: 'zhipu-ai'}) RETURN e")[0]["e"]
    assert f'<h1 id="name">{node["name"]}</h1>' in html
    for alias in node["aliases"]:
        assert f'<span class="alias" dir="auto">{alias}</span>' in html
    facts = graph.read("MATCH (:Entity {id: 'zhipu-ai'})-[r]-(o:Entity) WHERE type(r) IN $types "
                       "RETURN type(r) AS type, o.id AS other, r.source AS source", {"types": list(FACT_TYPES)})
    sections = re.findall(r'<section class="facts".*?</section>', html, re.S)
    assert sum(s.count("<tr>") - 1 for s in sections) == len(facts)  # every fact, once
    investors = next(s for s in sections if 'data-type="INVESTED_IN" data-direction="in"' in s)
    assert "<h3>Investors" in investors and 'href="/entity/alibaba"' in investors
    assert f'href="/article/{ARTICLE}"' in investors  # a source, linked to its article
    title = graph.read("MATCH (a:Article {id: $id}) RETURN a.title AS t", {"id": ARTICLE})[0]["t"]
    assert title in unescape(investors)
    # the neighbourhood graph: Neo4j's depth-1 neighbourhood, clickable
    data = json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    neighbours = {r["id"] for r in graph.read("MATCH (:Entity {id: 'zhipu-ai'})-[r]-(o:Entity) WHERE type(r) IN $types "
                                             "RETURN DISTINCT o.id AS id", {"types": list(FACT_TYPES)})}
    assert {n["entity_id"] for n in data["nodes"]} == neighbours | {"zhipu-ai"}
    assert 'data-entity-href="/entity/"' in html


def test_entity_twins_and_names_for_ids(web, graph):
    facts = graph.read("MATCH (:Entity {id: 'deepseek'})-[r]-(o:Entity) WHERE type(r) IN $types RETURN count(r) AS n",
                       {"types": list(FACT_TYPES)})[0]["n"]
    rows = web.get("/entity/deepseek.json").json()
    assert len(rows) == facts and set(rows[0]) == {"direction", "type", "other", "fact", "round", "article"}
    assert all(r["fact"]["_type"] == r["type"] for r in rows)
    table = list(csv.reader(io.StringIO(web.get("/entity/deepseek.csv").text)))
    assert table[0] == ["direction", "type", "other", "fact", "round", "article"] and len(table) == facts + 1
    moved = web.get("/entity/Dipsic")  # a name instead of an id: its entity's page
    assert moved.status_code == 302 and moved.headers["location"] == "/entity/deepseek"
    assert web.get("/entity/Ernie").headers["location"] == "/search?q=Ernie"  # ambiguous: the choices
    missing = web.get("/entity/Tencentt")
    assert missing.status_code == 404
    assert "no entity is named &#39;Tencentt&#39;; did you mean Tencent (tencent)?" in missing.text
    assert web.get("/entity/nobody.json").json() == {"error": "no entity has id 'nobody'"}


def test_analysis_scores_show_where_present(web, graph):
    assert "Network scores" not in web.get("/entity/tencent").text
    graph.write("MATCH (e:Entity {id: 'tencent'}) SET e.pagerank = 0.0123456, e.community = 3, e.degree = 9")
    try:
        page = web.get("/entity/tencent").text
        scores = page.split('id="scores"')[1].split("</table>")[0]
        assert re.findall(r"<th>(\w+)</th><td>([^<]+)</td>", scores) == [("degree", "9"), ("pagerank", "0.01235"),
                                                                        ("community", "3")]
    finally:
        graph.write("MATCH (e:Entity {id: 'tencent'}) REMOVE e.pagerank, e.community, e.degree")


def test_article_page_claims_and_mentions(web, graph):
    page = web.get("/article/003")  # an unknown id is a 404 ...
    assert page.status_code == 404 and "no article has id" in page.text
    page = web.get(f"/article/{ARTICLE}")
    assert page.status_code == 200
    assert_clean(page)
    keys, claims = run_spec(graph, get_query("article_claims"), {"article": ARTICLE})
    table = page.text.split('<table class="answer">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == len(claims) + 1 and len(claims) > 5
    mentions = graph.read("MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: $id}) RETURN e.id AS id", {"id": ARTICLE})
    listed = re.findall(r'<li><a href="/entity/([^"]+)"', page.text.split('id="mentions"')[1])
    assert sorted(listed) == sorted(r["id"] for r in mentions)
    assert web.get(f"/article/{ARTICLE}.json").text == answer(graph, "article_claims", "json", article=ARTICLE)
    assert web.get(f"/article/{ARTICLE}.csv").text == answer(graph, "article_claims", "csv", article=ARTICLE)


def test_search(web, graph):
    one = web.get("/search", params={"q": "Dipsic"})
    assert one.status_code == 302 and one.headers["location"] == "/entity/deepseek"
    assert web.get("/search", params={"q": "علي بابا"}).headers["location"] == "/entity/alibaba"
    assert web.get("/search", params={"q": "zhipu-ai"}).headers["location"] == "/entity/zhipu-ai"  # an id
    several = web.get("/search", params={"q": "ERNIE"})
    assert several.status_code == 200
    exact = re.findall(r'href="/entity/([^"]+)"', several.text.split('id="exact"')[1].split("</ul>")[0])
    assert exact == ["ernie-4-5", "ernie-x1"]
    close = web.get("/search", params={"q": "Dipseek"})  # no such name: the closest, closest first
    hits = re.findall(r'href="/entity/([^"]+)"', close.text.split('id="hits"')[1].split("</ul>")[0])
    assert hits[0] == "deepseek" and len(hits) > 1
    assert [h["id"] for h in web.get("/search.json", params={"q": "Dipseek"}).json()] == hits
    nothing = web.get("/search", params={"q": "Qqqqzzzz"})
    assert nothing.status_code == 200 and "No entity is named" in nothing.text
    assert_clean(nothing)


# -- bad input -------------------------------------------------------------------------------------------
@pytest.mark.bad_input
def test_bad_parameters_are_the_clis_one_line(web, graph, cli):
    cases = [  # (URL params, the CLI's -p arguments)
        ({"a": "Qqqqzzzz", "b": "Baichuan"}, ["-p", "a=Qqqqzzzz", "-p", "b=Baichuan"]),
        ({"a": "Ernie", "b": "Baichuan"}, ["-p", "a=Ernie", "-p", "b=Baichuan"]),
        ({"a": "Zhipu", "b": "Baichuan", "as_of": "June"}, ["-p", "a=Zhipu", "-p", "b=Baichuan", "-p", "as_of=June"]),
        ({"a": "Zhipu", "b": "Baichuan", "colour": "red"}, ["-p", "a=Zhipu", "-p", "b=Baichuan", "-p", "colour=red"]),
        ({"a": "Zhipu"}, ["-p", "a=Zhipu"]),
    ]
    for params, args in cases:
        printed = cli("query", "backers_of_both", *args)
        assert_one_line_error(printed)
        line = printed.err.strip().removeprefix("Error: ")
        page = web.get("/queries/backers_of_both", params=params)
        assert page.status_code == 400, params
        assert_clean(page)
        shown = unescape(re.search(r'<p class="error" id="error">(.*?)</p>', page.text, re.S).group(1))
        assert shown == line, (shown, line)
        assert "<form" in page.text  # the form stays, to fix the value
        data = web.get("/queries/backers_of_both.json", params=params)
        assert data.status_code == 400 and data.json() == {"error": line}
        assert web.get("/queries/backers_of_both.csv", params=params).text == line + "\n"
    assert web.get("/queries/top_investors", params={"limit": "lots"}).status_code == 400
    twice = web.get("/queries/top_investors?limit=1&limit=2")
    assert twice.status_code == 400 and "given twice" in twice.text
    unknown = web.get("/queries/backers_of_bath")
    assert unknown.status_code == 404 and "unknown query &#39;backers_of_bath&#39;: did you mean backers_of_both?" in unknown.text
    assert web.get("/queries/backers_of_bath.json").json()["error"].startswith("unknown query 'backers_of_bath'")
    assert web.get("/no/such/page").status_code == 404


def test_hostile_names_are_text(web, graph):
    page = web.get("/entity/xss-co")
    assert page.status_code == 200
    assert_clean(page)
    assert "<script>alert" not in page.text and "<img src=x" not in page.text and HOSTILE_NOTE not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;&#39;&amp;" in page.text
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page.text, re.S).group(1)
    assert any(n["title"].startswith(HOSTILE) for n in json.loads(data)["nodes"])  # intact once parsed
    for path in ("/entity/zhipu-ai", f"/article/{ARTICLE}", "/queries/investors_of?company=Zhipu",
                 "/search?q=" + HOSTILE, "/search?q=script%20alert"):
        response = web.get(path)
        assert response.status_code in (200, 302), path
        assert "<script>alert" not in response.text and "<img src=x" not in response.text, path
    assert web.get("/search", params={"q": HOSTILE}).headers["location"] == "/entity/xss-co"
    assert web.get("/entity/xss-co.json").json()[0]["fact"]["note"] == HOSTILE_NOTE


# -- safety ------------------------------------------------------------------------------------------------
def test_only_get_and_only_our_host(web):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        response = web.client.request(method, "/queries/backers_of_both", data={"a": "x"})
        assert response.status_code == 405, method
        assert "pages are read with GET" in response.text
    assert web.client.post("/static/graph.js").status_code == 405
    assert web.get("/").status_code == 200
    for host in ("evil.example", "127.0.0.1.evil.example", "attacker.test:8101"):
        refused = web.get("/", headers={"host": host})
        assert refused.status_code == 400 and "Invalid host header" in refused.text, host
    assert web.get("/", headers={"host": f"localhost:{WEB_PORT}"}).status_code == 200


def test_the_browser_guide_is_served_for_neo4j_browser(web):
    """Browser `:play`s it from another origin: a CORS preflight, then the guide with every query."""
    from graph.queries import list_queries

    preflight = web.client.options("/browser-guide", headers={"Origin": "http://127.0.0.1:7474",
                                                               "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    guide = web.get("/browser-guide")
    assert guide.status_code == 200 and guide.headers["access-control-allow-origin"] == "*"
    assert all(spec.name in guide.text for spec in list_queries())


def test_assets_are_served_here(web):
    page = web.get("/entity/zhipu-ai").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static/vis/vis-network.min.js", "/static/graph.js", "/static/app.js"]
    assert not re.search(r"<script>", page)  # no inline script at all
    for path in scripts + ["/static/vis/vis-network.css", "/static/graph.css", "/static/app.css"]:
        response = web.get(path)
        assert response.status_code == 200 and len(response.content) > 500, path
        assert "content-security-policy" in response.headers
    assert web.get("/static/../web/app.py").status_code == 404


# -- Neo4j away, and back ------------------------------------------------------------------------------
class Proxy:
    """A TCP relay to the test Neo4j that can be cut and restored: Neo4j 'going away'."""

    def __init__(self, port: int, target: int):
        self.port, self.target, self.conns, self.listener = port, target, [], None

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(): nothing more gets in
        except OSError:
            pass
        self.listener.close()
        for s in self.conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.conns = []


@pytest.mark.fault
def test_neo4j_away_is_a_503_and_the_app_recovers(graph, server):
    from graph.connection import Settings

    proxy = Proxy(WEB_PORT + 8, server.bolt_port)
    settings = Settings.from_env(uri=f"bolt://127.0.0.1:{proxy.port}", retry_time=1.0, timeout=3.0)
    running = Running(WEB_PORT + 1, settings)
    try:
        for _ in range(2):  # never up yet; then up, away, and back
            away = running.get("/entity/zhipu-ai")
            assert away.status_code == 503 and away.headers["retry-after"] == "5"
            assert_clean(away)
            message = re.search(r'<p class="error" id="error">(.*?)</p>', away.text).group(1)
            assert f"cannot reach Neo4j at bolt://127.0.0.1:{proxy.port}: is it running?" in unescape(message)
            assert "reload once Neo4j is back" in message
            data = running.get("/queries/backers_of_both.json", params={"a": "Zhipu", "b": "Baichuan"})
            assert data.status_code == 503 and "cannot reach Neo4j" in data.json()["error"]
            proxy.start()
            assert running.get("/entity/zhipu-ai").status_code == 200
            assert running.get("/queries/backers_of_both.json", params={"a": "Zhipu", "b": "Baichuan"}).status_code == 200
            proxy.stop()
    finally:
        running.stop()
        if proxy.listener and proxy.listener.fileno() != -1:
            proxy.stop()


# -- the command -----------------------------------------------------------------------------------------
def test_the_socket_listens_before_serving_is_said():
    """`listen` returns a socket that already accepts connections (queued until uvicorn takes
    them), so the `Serving http://...` line printed after it is true at once, however busy the
    machine (a bound socket that did not listen refused them: the race of issue 29)."""
    from graph.web import listen

    sock = listen("127.0.0.1", 0)
    try:
        socket.create_connection(sock.getsockname()[:2], timeout=30).close()
    finally:
        sock.close()


def test_cli_serve_starts_and_refuses_a_taken_port(graph, cli, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    port = WEB_PORT + 2
    exe = Path(sys.executable).with_name("dealgraph")
    process = subprocess.Popen([str(exe), "serve", "--port", str(port), "--data", str(tmp_path)], stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "DEALGRAPH_TOKEN": "desk=a-secret-of-the-news-desk"})
    try:
        line = process.stderr.readline()
        assert line.strip() == f"Serving http://127.0.0.1:{port}/ (Neo4j at {os.environ['NEO4J_URI']}); Ctrl+C stops it"
        assert process.stderr.readline().strip() == (f"To save articles, open http://127.0.0.1:{port}/?token="
                                                     f"a-secret-of-the-news-desk (desk; saves go into {tmp_path})")
        assert httpx.get(f"http://127.0.0.1:{port}/entity/deepseek").status_code == 200
        assert_one_line_error(cli("serve", "--port", port), f"cannot listen on 127.0.0.1:{port}", "in use")
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in process.stderr.read()
    assert_one_line_error(cli("serve", "--port", "0x"), "--port")


def test_a_query_page_binds_its_parameters_once(web, monkeypatch):
    """Each entity parameter is resolved once per page: the answer and the Browser script use the
    same bound values (resolutions counted on the real graph.resolve.find, as graph.queries calls it)."""
    import graph.queries

    calls = []
    real = graph.queries.find
    monkeypatch.setattr(graph.queries, "find", lambda conn, text: calls.append(text) or real(conn, text))
    page = web.get("/queries/backers_of_both", params={"a": "Zhipu", "b": "Baichuan"})
    assert page.status_code == 200 and "RETURN 'zhipu-ai' AS `a`, 'baichuan' AS `b`" in unescape(page.text)
    assert sorted(calls) == ["Baichuan", "Zhipu"]


def test_hubs_stay_light_facts_per_group_and_strongest_neighbours(graph):
    from graph.pictures import ego_picture
    from graph.web import pages

    _, every = pages.entity_facts(graph, "zhipu-ai")
    _, one_each = pages.entity_facts(graph, "zhipu-ai", per_group=1)
    groups = {(r["type"], r["direction"]) for r in every}
    assert len(every) > len(one_each) == len(groups) > 3
    assert {(r["type"], r["direction"]) for r in one_each} == groups
    picture = ego_picture(graph, "zhipu-ai", depth=1, max_neighbours=2)
    strongest = graph.read(
        "MATCH (:Entity {id: 'zhipu-ai'})-[r]-(b:Entity) WHERE type(r) IN $types "
        "WITH b, max(coalesce(r.amount_usd, 0)) AS usd, count(r) AS n RETURN b.id AS id "
        "ORDER BY usd DESC, n DESC, id LIMIT 2", {"types": list(FACT_TYPES)})
    assert {n["props"]["id"] for n in picture.nodes.values()} == {"zhipu-ai"} | {r["id"] for r in strongest}
    assert "more are left out" in picture.notes[0]
