"""The WebGL pages (graph/webgl), opened in real headless Chromium: sigma.js drawing every node.

Each page is written by the real `dealgraph viz ... --engine webgl` from a real Neo4j, must load
from its file alone (no request for anything else, no console error, nothing popping up), hold
exactly the entities and facts Neo4j holds (the page exposes its counts), find an entity by an
alias in another script, hide a kind from its legend, and show hostile names as text.
"""
from __future__ import annotations

import re

import pytest
from helpers import Opened, Recorded, Running, assert_one_line_error, free_port

from graph.pipeline import import_csv
from graph.schema import FACT_TYPES

FACTS = list(FACT_TYPES)
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_ALIAS = "</script><script>alert(2)</script>"


def entity_count(conn) -> int:
    return conn.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]


def fact_count(conn) -> int:
    return conn.read("MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types RETURN count(r) AS n",
                     {"types": FACTS})[0]["n"]


def webgl_page(cli, tmp_path, name, *args) -> tuple:
    path = tmp_path / f"{name}.html"
    result = cli("viz", *args, "-o", path)
    assert result.code == 0, result
    return path, result


def opened(browser, path, shot) -> Opened:
    page = Opened(browser, path, shot)
    page.assert_clean()
    return page


def counts(page) -> tuple:
    body = page.js("[document.body.dataset.nodes, document.body.dataset.edges]")
    return int(body[0]), int(body[1]), page.js("[dealgraph.graph.order, dealgraph.graph.size]"), page.js("dealgraph.visible()")


@pytest.fixture(scope="module")
def seed_page(seed_graph, cli, tmp_path_factory, browser):
    path, _ = webgl_page(cli, tmp_path_factory.mktemp("webgl"), "seed", "ecosystem", "--engine", "webgl")
    return opened(browser, path, "webgl-seed")


def test_the_seed_page_holds_every_entity_and_fact_and_loads_nothing(seed_graph, seed_page):
    nodes, edges = entity_count(seed_graph), fact_count(seed_graph)
    assert counts(seed_page) == (nodes, edges, [nodes, edges], {"nodes": nodes, "edges": edges})
    # The scripts and their licences are inlined from the locked npm tarballs.
    assert seed_page.js("typeof Sigma === 'function' && typeof graphology === 'function'")
    licences = seed_page.page.inner_text("#licences")
    assert "sigma 3.0.3" in licences and "graphology 0.26.0" in licences


def test_search_finds_an_entity_by_an_alias_in_another_script(seed_graph, seed_page):
    # Every entity that has an alias in Han or Arabic script, found by that alias.
    rows = seed_graph.read("MATCH (n:Entity) UNWIND n.aliases AS alias WITH n, alias "
                           "WHERE alias =~ '.*[\\\\x{4e00}-\\\\x{9fff}\\\\x{0600}-\\\\x{06ff}].*' "
                           "RETURN n.name AS name, alias ORDER BY name, alias")
    assert len(rows) > 5
    page = seed_page.page
    for row in rows:
        page.fill("#search-box", row["alias"])
        shown = page.locator("#results button").all_inner_texts()
        assert any(text.startswith(row["name"]) for text in shown), (row, shown)
    page.fill("#search-box", rows[0]["alias"])
    page.locator("#results button", has_text=rows[0]["name"]).first.click()
    assert seed_page.js("dealgraph.selected()") == rows[0]["name"]
    assert page.inner_text("#details-name") == rows[0]["name"]
    assert page.locator("#details-rels li").count() == seed_graph.read(
        "MATCH (n:Entity {name: $name})-[r]-(:Entity) WHERE type(r) IN $types RETURN count(r) AS n",
        {"name": rows[0]["name"], "types": FACTS})[0]["n"]


def test_the_legend_hides_a_kind_and_a_relationship_type(seed_graph, seed_page):
    people = seed_graph.read("MATCH (n:Person) RETURN count(n) AS n")[0]["n"]
    touching = seed_graph.read("MATCH (:Person)-[r]-(:Entity) WHERE type(r) IN $types "
                               "RETURN count(DISTINCT r) AS n", {"types": FACTS})[0]["n"]
    nodes, edges = entity_count(seed_graph), fact_count(seed_graph)
    assert people > 0 and touching > 0
    page = seed_page.page
    page.uncheck("input[data-kind='Person']")
    assert seed_page.js("dealgraph.visible()") == {"nodes": nodes - people, "edges": edges - touching}
    hidden = seed_page.js("dealgraph.graph.filterNodes(function (n, a) { return dealgraph.data.kinds[a.kind].kind "
                          "=== 'Person'; }).every(function (n) { return dealgraph.renderer.getNodeDisplayData(n).hidden; })")
    assert hidden
    page.check("input[data-kind='Person']")
    invested = seed_graph.read("MATCH (:Entity)-[r:INVESTED_IN]->(:Entity) RETURN count(r) AS n")[0]["n"]
    page.uncheck("input[data-type='INVESTED_IN']")
    assert seed_page.js("dealgraph.visible()") == {"nodes": nodes, "edges": edges - invested}
    page.check("input[data-type='INVESTED_IN']")
    assert seed_page.js("dealgraph.visible()") == {"nodes": nodes, "edges": edges}


def test_ego_query_and_coinvest_pages_with_webgl(seed_graph, cli, browser, tmp_path):
    ego = seed_graph.read("MATCH (n:Entity {id: 'zhipu-ai'})-[r]-(m:Entity) WHERE type(r) IN $types "
                          "RETURN count(DISTINCT m) + 1 AS n", {"types": FACTS})[0]["n"]
    path, _ = webgl_page(cli, tmp_path, "ego", "ego", "Zhipu", "--engine", "webgl")
    assert counts(opened(browser, path, "webgl-ego"))[0] == ego
    path, _ = webgl_page(cli, tmp_path, "query", "query", "shortest_path", "-p", "a=Zhipu", "-p", "b=Baichuan",
                         "--engine", "webgl")
    assert counts(opened(browser, path, "webgl-query"))[0] >= 2
    investors = seed_graph.read("MATCH (a:Entity)-[:INVESTED_IN]->(:Entity)<-[:INVESTED_IN]-(b:Entity) "
                                "WHERE a <> b RETURN count(DISTINCT a) AS n")[0]["n"]
    path, _ = webgl_page(cli, tmp_path, "coinvest", "coinvest", "--engine", "webgl", "--color-by", "kind",
                         "--size-by", "degree")
    assert counts(opened(browser, path, "webgl-coinvest"))[0] == investors


def test_the_whole_network_page_of_serve_links_nodes_to_entity_pages(seed_graph, browser):
    running = Running(free_port())
    try:
        tab = Recorded(browser)
        tab.page.goto(running.url + "/network")
        tab.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
        nodes, edges = entity_count(seed_graph), fact_count(seed_graph)
        assert tab.page.evaluate("[dealgraph.graph.order, dealgraph.graph.size]") == [nodes, edges]
        name, entity_id = "Zhipu AI", "zhipu-ai"
        tab.page.fill("#search-box", name)
        tab.page.locator("#results button", has_text=name).first.click()
        assert tab.page.get_attribute("#details-href", "href") == f"/entity/{entity_id}"
        tab.page.click("#details-href")
        tab.page.wait_for_url(running.url + f"/entity/{entity_id}")
        # Scripts only from the app's own files (its policy refuses inline ones): no error, no other host.
        assert [m for m in tab.console if m.startswith(("error", "pageerror"))] == [], tab.console
        assert all(url.startswith(running.url + "/") for url in tab.requests), tab.requests
        assert any(url.endswith("/static/webgl/sigma.js") for url in tab.requests)
    finally:
        running.stop()


def test_hostile_names_stay_text(clean_db, cli, browser, tmp_path):
    clean_db.write("CREATE (a:Entity:Company {id: 'xss', kind: 'Company', name: $name, aliases: [$name, $alias], "
                   "description: $alias, sources: ['a1.txt']}) "
                   "CREATE (b:Entity:Fund {id: 'fund', kind: 'Fund', name: 'Fund & <b>Partners</b>', aliases: []}) "
                   "CREATE (b)-[:INVESTED_IN {id: 'f1', source: $alias, note: $alias}]->(a)",
                   {"name": HOSTILE, "alias": HOSTILE_ALIAS})
    path, _ = webgl_page(cli, tmp_path, "hostile", "ecosystem", "--engine", "webgl")
    html = path.read_text(encoding="utf-8")
    assert HOSTILE not in html and HOSTILE_ALIAS not in html and "<b>Partners" not in html
    page = opened(browser, path, "webgl-hostile")
    page.page.fill("#search-box", "script>alert")
    page.page.locator("#results button").first.click()
    assert page.page.inner_text("#details-name") == HOSTILE
    assert HOSTILE_ALIAS in page.page.inner_text("#details-props")
    assert HOSTILE_ALIAS in page.page.inner_text("#details-rels")
    page.page.fill("#search-box", "Partners")
    assert page.page.locator("#results button").first.inner_text().startswith("Fund & <b>Partners</b>")
    # Nothing of the names became an element, and nothing ran.
    assert page.js("document.querySelectorAll('img, b, main script').length") == 0
    assert page.js("window.__alerts") == [] and page.dialogs == []


def test_a_generated_graph_past_max_nodes_is_drawn_whole_with_webgl(clean_db, small_export, cli, browser, tmp_path):
    import_csv(clean_db, small_export, show_progress=False)
    nodes, edges = entity_count(clean_db), fact_count(clean_db)
    assert nodes > 150
    path, result = webgl_page(cli, tmp_path, "generated", "ecosystem", "--max-nodes", "100")
    assert f"{nodes:,} nodes is more than --max-nodes 100: drawing every one with the WebGL engine" in result.err
    assert re.search(rf"Wrote .*: {nodes:,} nodes, {edges:,} relationships, WebGL", result.out), result
    page = opened(browser, path, "webgl-generated")
    assert counts(page) == (nodes, edges, [nodes, edges], {"nodes": nodes, "edges": edges})
    # Every node was placed, apart from the others: no two on one point, all on screen.
    positions = page.js("dealgraph.graph.mapNodes(function (n, a) { return [a.x, a.y]; })")
    assert len({(round(x, 3), round(y, 3)) for x, y in positions}) == nodes
    # A name from the export, found through the search box.
    name = clean_db.read("MATCH (n:Entity) WHERE size(n.aliases) > 1 RETURN n.name AS name, "
                         "[a IN n.aliases WHERE a <> n.name][0] AS alias ORDER BY n.id LIMIT 1")
    if name:
        assert any(r["name"] == name[0]["name"] for r in page.js("q => dealgraph.search(q)", name[0]["alias"]))
    # With pyvis it is pruned to 100 nodes instead.
    pyvis, result = webgl_page(cli, tmp_path, "pruned", "ecosystem", "--max-nodes", "100", "--engine", "pyvis")
    assert "WebGL" not in result.out and "pruned" in result.out


@pytest.mark.bad_input
def test_a_bad_max_nodes_is_one_line(seed_graph, cli, tmp_path):
    result = cli("viz", "ecosystem", "--engine", "webgl", "--max-nodes", "-3", "-o", tmp_path / "x.html")
    assert_one_line_error(result, "max-nodes")
    assert not (tmp_path / "x.html").exists()
