"""The graph pages of the bundled seed graph, in headless Chromium: counts equal Neo4j's answers."""
from __future__ import annotations

from helpers import Opened, page_of

from graph import viz
from graph.resolve import resolve
from graph.schema import FACT_TYPES

FACTS = list(FACT_TYPES)


def entity_counts(conn, ids: list[str]) -> tuple[int, int]:
    edges = conn.read("MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $facts "
                      "RETURN count(r) AS r", {"ids": ids, "facts": FACTS})[0]["r"]
    return len(ids), edges


def test_seed_ecosystem_page(seed_graph, browser, tmp_path):
    ids = [r["id"] for r in seed_graph.read("MATCH (n:Entity) RETURN n.id AS id")]
    opened = Opened(browser, page_of(viz.ecosystem(seed_graph), tmp_path, "seed-ecosystem"), "seed-ecosystem")
    opened.assert_clean()
    assert opened.counts() == entity_counts(seed_graph, ids)


def test_seed_ego_by_any_alias(seed_graph, browser, tmp_path):
    zhipu = resolve(seed_graph, "Zhipu")["id"]
    aliases = seed_graph.read("MATCH (n:Entity {id: $id}) RETURN n.aliases AS a", {"id": zhipu})[0]["a"]
    arabic = next(a for a in aliases if "\u0600" <= a[0] <= "\u06ff")
    ids = [r["id"] for r in seed_graph.read(
        "MATCH (c:Entity {id: $id})-[rs*0..1]-(n:Entity) WHERE all(r IN rs WHERE type(r) IN $facts) "
        "RETURN DISTINCT n.id AS id", {"facts": FACTS, "id": zhipu})]
    net = viz.ego(seed_graph, arabic, depth=1)
    opened = Opened(browser, page_of(net, tmp_path, "seed-ego"), "seed-ego-zhipu")
    opened.assert_clean()
    assert opened.counts() == entity_counts(seed_graph, ids)
    assert opened.js("document.getElementById('title').textContent").startswith("Zhipu AI and its neighbourhood")


def test_seed_named_queries_as_pictures(seed_graph, browser, tmp_path):
    # coinvestors: a node per row plus a list of nodes per row
    expected = seed_graph.read(
        "MATCH (i:Entity {id: $id})-[:INVESTED_IN]->(c:Entity)<-[:INVESTED_IN]-(o:Entity) WHERE o <> i "
        "RETURN count(DISTINCT o) + count(DISTINCT c) AS n", {"id": resolve(seed_graph, "Alibaba")["id"]})[0]["n"]
    opened = Opened(browser, page_of(viz.from_query(seed_graph, "coinvestors", investor="Alibaba"), tmp_path, "coinv"),
                    "seed-query-coinvestors")
    opened.assert_clean()
    assert opened.counts() == (expected, 0) and expected > 2

    # shortest_path: paths, so nodes and relationships
    paths = seed_graph.read(
        "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) "
        f"MATCH p = allShortestPaths((a)-[:{'|'.join(FACTS)}*..8]-(b)) "
        "UNWIND nodes(p) AS n UNWIND relationships(p) AS r "
        "RETURN count(DISTINCT n) AS n, count(DISTINCT r) AS r",
        {"a": resolve(seed_graph, "Zhipu")["id"], "b": resolve(seed_graph, "Baichuan")["id"]})[0]
    net = viz.from_query(seed_graph, "shortest_path", a="Zhipu", b="Baichuan")
    opened = Opened(browser, page_of(net, tmp_path, "path"), "seed-query-shortest-path")
    opened.assert_clean()
    assert opened.counts() == (paths["n"], paths["r"]) and paths["r"] >= 1


def test_seed_coinvest_cli(seed_graph, cli, tmp_path):
    pairs = {(r["a"], r["b"]) for r in seed_graph.read(
        "MATCH (a:Entity)-[:INVESTED_IN]->(c)<-[:INVESTED_IN]-(b:Entity) WHERE a.id < b.id "
        "RETURN a.id AS a, b.id AS b")}
    investors = {x for pair in pairs for x in pair}
    out = tmp_path / "co.html"
    result = cli("viz", "coinvest", "-o", out)
    assert result.code == 0, result
    assert result.out.strip() == f"Wrote {out}: {len(investors)} nodes, {len(pairs)} relationships"
    assert len(pairs) > 5
