"""The graph pages, opened in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Each page must load from its file alone (no console errors, no request for anything else), hold
as many vis nodes and edges as Neo4j says the same question has, show hostile names as text, and
leave a PNG screenshot in tests/artifacts/ for a human to look at.
"""
from __future__ import annotations

import re

import pytest
from helpers import ARTIFACTS, Opened, assert_one_line_error, page_of

from graph import viz
from graph.errors import DealgraphError
from graph.schema import FACT_TYPES

XSS = "<img src=x onerror=alert(1)>"
FACTS = list(FACT_TYPES)

# -- graphs the tests build themselves ---------------------------------------------------------
ENTITIES = [  # id, kind, name, country
    ("alpha", "Company", "Alpha AI", "VN"),
    ("beta", "Company", "Beta Labs", "CN"),
    ("gamma", "Company", "Gamma Cloud", "US"),
    ("fund-one", "Fund", "Fund One", "VN"),
    ("fund-two", "Fund", "Fund Two", "SG"),
    ("ministry", "GovernmentBody", "Ministry of Trade", "US"),
    ("founder", "Person", "Nguyen Van A", "VN"),
    ("beta-model", "Model", "Beta-1", "CN"),
    ("xss", "Company", XSS, "VN"),
    ("loner", "Company", "Loner Ltd", "JP"),
]
FACT_ROWS = [  # id, type, from, to, properties
    ("f1", "INVESTED_IN", "fund-one", "alpha", {"amount_usd": 50_000_000, "amount_text": "50 triệu USD"}),
    ("f2", "INVESTED_IN", "fund-one", "beta", {"amount_usd": 1_000_000_000}),
    ("f3", "INVESTED_IN", "fund-two", "alpha", {}),
    ("f4", "INVESTED_IN", "fund-two", "beta", {"commitment": True}),
    ("f5", "INVESTED_IN", "xss", "gamma", {"note": "</script><script>alert(2)</script> <a href=javascript:alert(3)>x</a>"}),
    ("f6", "INVESTED_IN", "fund-one", "gamma", {}),
    ("f7", "COMPETES_WITH", "alpha", "beta", {}),
    ("f8", "SANCTIONED", "ministry", "beta", {"measure": "entity list"}),
    ("f9", "DEVELOPS", "beta", "beta-model", {}),
    ("f10", "FOUNDED_BY", "alpha", "founder", {}),
    ("f11", "PARTNERS_WITH", "gamma", "alpha", {"kind": "cloud"}),
]


def build_small(conn) -> None:
    """Ten entities (one named like an XSS attack, one alone), eleven facts, and an article and
    aliases that pictures of entities must leave out."""
    for id_, kind, name, country in ENTITIES:
        conn.write(f"CREATE (n:Entity:{kind} {{id: $id, kind: $kind, name: $name, country: $country, "
                   "aliases: [$name], sources: ['a1.txt'], description: $description})",
                   {"id": id_, "kind": kind, "name": name, "country": country,
                    "description": f"About {name}: <b>bold?</b> & <a href=#x>more</a>"})
    for id_, type_, a, b, props in FACT_ROWS:
        conn.write(f"MATCH (a:Entity {{id: $a}}), (b:Entity {{id: $b}}) "
                   f"CREATE (a)-[r:{type_}]->(b) SET r = $props, r.id = $id, r.source = 'a1.txt'",
                   {"a": a, "b": b, "id": id_, "props": props})
    conn.write("CREATE (:Article {id: 'a1.txt', title: 'An article'})")
    conn.write("MATCH (n:Entity), (a:Article) CREATE (n)-[:MENTIONED_IN]->(a) "
               "MERGE (k:Alias {key: n.id}) CREATE (k)-[:ALIAS_OF]->(n)")


def build_big(conn, hubs: int, per_hub: int) -> None:
    """`hubs` funds, each backing `per_hub` companies of its own; one edge per hub carries money."""
    conn.write("UNWIND range(1, $hubs) AS h "
               "CREATE (f:Entity:Fund {id: 'hub-' + h, kind: 'Fund', name: 'Hub ' + h}) "
               "WITH f, h UNWIND range(1, $per) AS c "
               "CREATE (f)-[:INVESTED_IN {id: 'e-' + h + '-' + c, source: 'gen', "
               "amount_usd: CASE c WHEN 1 THEN h * 1000000 ELSE null END}]->"
               "(:Entity:Company {id: 'co-' + h + '-' + c, kind: 'Company', name: 'Co ' + h + '-' + c})",
               {"hubs": hubs, "per": per_hub})


@pytest.fixture
def small(clean_db):
    """The small graph, on its own (cheap to build, so every test gets a fresh one)."""
    build_small(clean_db)
    return clean_db


def node_id(net, entity_id: str) -> str:
    return next(n["id"] for n in net.nodes if f"\nid: {entity_id}\n" in n["title"] + "\n")


def neo4j_facts(conn) -> list[tuple[str, str]]:
    return [(r["a"], r["b"]) for r in conn.read(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) IN $facts RETURN a.id AS a, b.id AS b", {"facts": FACTS})]


# -- the pages -----------------------------------------------------------------------------------
def test_ecosystem_page_holds_every_entity_and_fact_offline(small, browser, tmp_path):
    path = page_of(viz.ecosystem(small), tmp_path, "ecosystem")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the page refers to a remote file"
    opened = Opened(browser, path, "small-ecosystem")
    opened.assert_clean()
    entities = small.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    assert opened.counts() == (entities, len(neo4j_facts(small))) == (10, 11)
    legend = opened.js("[...document.querySelectorAll('#legend label')].map(l => l.innerText.replace(/\\s+/g, ' ').trim())")
    assert "● Company 5" in legend and "INVESTED_IN 6" in legend and "Article" not in " ".join(legend)


def test_ecosystem_filters_match_neo4j(small, browser, tmp_path):
    facts = neo4j_facts(small)
    home = {r["id"] for r in small.read("MATCH (n:Entity) WHERE n.country = 'VN' RETURN n.id AS id")}
    touching = [(a, b) for a, b in facts if a in home or b in home]
    net = viz.ecosystem(small, countries=["vn"])
    opened = Opened(browser, page_of(net, tmp_path, "vn"), "small-ecosystem-vn")
    opened.assert_clean()
    assert opened.counts() == (len(home | {x for pair in touching for x in pair}), len(touching))

    kinds = small.read("MATCH (a)-[r:INVESTED_IN]->(b) WHERE (a:Fund OR a:Company) AND (b:Fund OR b:Company) "
                       "WITH collect(a) + collect(b) AS ends, count(r) AS r "
                       "UNWIND ends AS n RETURN count(DISTINCT n) AS n, r")[0]
    net = viz.ecosystem(small, kinds=["Fund", "Company"], rel_types=["INVESTED_IN"])
    assert (net.num_nodes(), net.num_edges()) == (kinds["n"], kinds["r"])

    opened = Opened(browser, page_of(viz.ecosystem(small, countries=["ZZ"]), tmp_path, "none"), "small-nothing")
    opened.assert_clean()
    assert opened.counts() == (0, 0) and "Nothing to draw" in opened.js("document.querySelector('.note').textContent")


def test_legend_hides_and_shows_a_kind(small, browser, tmp_path):
    opened = Opened(browser, page_of(viz.ecosystem(small), tmp_path, "legend"), "small-legend")
    visible = "[nodes.get({filter: n => !n.hidden}).length, edges.get({filter: e => !e.hidden}).length]"
    opened.page.click("#legend input[data-kind='Company']")
    companies = small.read("MATCH (n:Company) RETURN count(n) AS n")[0]["n"]
    company_ids = {r["id"] for r in small.read("MATCH (n:Company) RETURN n.id AS id")}
    others = [f for f in neo4j_facts(small) if not set(f) & company_ids]
    assert opened.js(visible) == [10 - companies, len(others)]
    opened.page.click("#legend input[data-kind='Company']")
    opened.page.click("#legend input[data-type='INVESTED_IN']")
    assert opened.js(visible) == [10, 11 - 6]
    opened.assert_clean()


def test_ego_page_is_the_neighbourhood_neo4j_finds(small, browser, tmp_path):
    net = viz.ego(small, "alpha", depth=2)
    opened = Opened(browser, page_of(net, tmp_path, "ego"), "small-ego")
    opened.assert_clean()
    ids = [r["id"] for r in small.read(
        "MATCH (c:Entity {id: 'alpha'})-[rs*0..2]-(n:Entity) WHERE all(r IN rs WHERE type(r) IN $facts) "
        "RETURN DISTINCT n.id AS id", {"facts": FACTS})]
    edges = [f for f in neo4j_facts(small) if f[0] in ids and f[1] in ids]
    assert opened.counts() == (len(ids), len(edges))
    assert "xss" in ids and "loner" not in ids  # alpha - gamma <- xss: two hops; loner: none
    assert opened.js("document.getElementById('title').textContent") == "Alpha AI and its neighbourhood (depth 2)"


def test_hostile_names_show_as_text_and_never_run(small, browser, tmp_path):
    net = viz.ego(small, "xss", depth=1)
    opened = Opened(browser, page_of(net, tmp_path, "xss"), "small-xss")
    assert opened.js("document.getElementById('title').textContent") == f"{XSS} and its neighbourhood (depth 1)"
    assert opened.js("document.querySelectorAll('img, a').length") == 0
    tooltip = opened.hover_node(node_id(net, "xss"))
    opened.page.screenshot(path=str(ARTIFACTS / "small-xss-tooltip.png"))
    assert tooltip.startswith(f"{XSS} (Company)") and "About <img src=x onerror=alert(1)>: <b>bold?</b>" in tooltip
    assert opened.js("[...document.querySelector('div.vis-tooltip').children].every(c => c.tagName === 'BR')")
    opened.page.wait_for_timeout(300)  # give an onerror handler every chance to fire
    opened.assert_clean()


def test_notebook_network_keeps_pyvis_text_tooltips(small):
    """The returned Network also renders with pyvis's own template (a notebook's net.show()):
    "href" in the data must not switch it to its innerHTML popup."""
    from pyvis.network import Network

    net = viz.ecosystem(small)
    assert isinstance(net, Network)
    assert all("<a hre" in n["title"] for n in net.nodes)
    assert "popup.innerHTML" not in net.generate_html()


def test_coinvest_page_joins_investors_by_companies_shared(small, browser, tmp_path):
    pairs = small.read("MATCH (a:Entity)-[:INVESTED_IN]->(c)<-[:INVESTED_IN]-(b:Entity) WHERE a.id < b.id "
                       "RETURN a.id AS a, b.id AS b, count(DISTINCT c) AS shared")
    net = viz.coinvest(small)
    opened = Opened(browser, page_of(net, tmp_path, "coinvest"), "small-coinvest")
    opened.assert_clean()
    assert opened.counts() == (len({p["a"] for p in pairs} | {p["b"] for p in pairs}), len(pairs))
    by_shared = {p["shared"]: (node_id(net, p["a"]), node_id(net, p["b"])) for p in pairs}
    width = opened.js("([a, b]) => edges.get({filter: e => e.from === a && e.to === b})[0].width", by_shared[2])
    assert width > opened.js("([a, b]) => edges.get({filter: e => e.from === a && e.to === b})[0].width", by_shared[1])
    assert (viz.coinvest(small, min_shared=2).num_edges(), viz.coinvest(small, min_shared=3).num_edges()) == (1, 0)


def test_query_page_draws_nodes_relationships_and_paths(small, browser, tmp_path, monkeypatch):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "viztest.cypher").write_text(
        "// name: viz_test_paths\n// description: priced investments as paths\n"
        "// param min_usd: float = 0\n"
        "MATCH p = (:Entity)-[r:INVESTED_IN]->(:Entity) WHERE r.amount_usd >= $min_usd RETURN p;\n\n"
        "// name: viz_test_rels\n// description: rivalries, as bare relationships\n"
        "MATCH ()-[r:COMPETES_WITH]->() RETURN r;\n\n"
        "// name: viz_test_lists\n// description: funds with lists of companies\n"
        "MATCH (f:Fund)-[:INVESTED_IN]->(c) RETURN f.name AS fund, collect(c) AS companies;\n\n"
        "// name: viz_test_table\n// description: names only\n"
        "MATCH (n:Entity) RETURN n.name AS name, n.country AS country;\n", encoding="utf-8")
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", str(folder))
    priced = small.read("MATCH (a)-[r:INVESTED_IN]->(b) WHERE r.amount_usd >= 1e8 "
                        "RETURN count(DISTINCT a) + count(DISTINCT b) AS n, count(r) AS r")[0]
    net = viz.from_query(small, "viz_test_paths", min_usd="1e8")
    opened = Opened(browser, page_of(net, tmp_path, "query"), "small-query")
    opened.assert_clean()
    assert opened.counts() == (priced["n"], priced["r"]) == (2, 1)
    rivals = viz.from_query(small, "viz_test_rels")  # the end nodes come along, with their names
    assert (rivals.num_nodes(), rivals.num_edges()) == (2, 1)
    assert sorted(n["label"] for n in rivals.nodes) == ["Alpha AI", "Beta Labs"]
    lists = viz.from_query(small, "viz_test_lists")  # nodes inside lists count too
    backed = small.read("MATCH (:Fund)-[:INVESTED_IN]->(c) RETURN count(DISTINCT c) AS n")[0]["n"]
    assert (lists.num_nodes(), lists.num_edges()) == (backed, 0)
    with pytest.raises(DealgraphError, match="returns a table .*name, country.*dealgraph query viz_test_table"):
        viz.from_query(small, "viz_test_table")


def test_big_graph_is_pruned_to_the_strongest_edges_and_says_so(clean_db, browser, tmp_path):
    build_big(clean_db, hubs=30, per_hub=40)  # 1,230 nodes
    net = viz.ecosystem(clean_db)
    opened = Opened(browser, page_of(net, tmp_path, "big"), "big-ecosystem")
    opened.assert_clean()
    assert opened.counts() == (1230, 1200)
    assert opened.js("document.querySelectorAll('.note').length") == 0

    net = viz.ecosystem(clean_db, max_nodes=200)
    opened = Opened(browser, page_of(net, tmp_path, "pruned"), "big-ecosystem-pruned")
    opened.assert_clean()
    nodes, edges = opened.counts()
    assert nodes <= 200 and edges == nodes - len({e["from"] for e in net.edges})  # stars: one edge per company
    note = opened.js("document.querySelector('.note').textContent")
    assert "Pruned" in note and "1,230 nodes" in note and f"{nodes:,} nodes" in note
    priced = {r["id"] for r in clean_db.read("MATCH ()-[r:INVESTED_IN]->() WHERE r.amount_usd > 0 RETURN r.id AS id")}
    shown = {line[4:] for e in net.edges for line in e["title"].splitlines() if line.startswith("id: ")}
    assert len(priced) == 30 and priced <= shown  # every edge with money survived


def test_a_big_ecosystem_is_chosen_by_the_server_not_read_whole(clean_db):
    """Past max_nodes the server ranks the facts and only the ends of the strongest come into
    Python (a graph of millions of facts never does): the same choice as pruning the whole picture."""
    build_big(clean_db, hubs=30, per_hub=40)
    whole = viz.ecosystem_picture(clean_db)
    assert (len(whole.nodes), len(whole.edges), whole.pruned) == (1230, 1200, False)
    chosen = viz.ecosystem_picture(clean_db, max_nodes=200)
    whole.prune(200)
    assert chosen.pruned and (len(chosen.nodes), len(chosen.edges)) == (len(whole.nodes), len(whole.edges)) == (200, 170)
    assert chosen.notes == whole.notes and "1,230 nodes and 1,200 relationships" in chosen.notes[0]
    priced = lambda picture: {e["props"]["id"] for e in picture.edges.values() if e["props"].get("amount_usd")}
    assert len(priced(chosen)) == 30 and priced(chosen) == priced(whole)
    hubs = {n["props"]["id"] for n in chosen.nodes.values() if "Fund" in n["labels"]}
    assert len(hubs) == 30 and all(n["props"].get("name") for n in chosen.nodes.values())
    narrowed = viz.ecosystem_picture(clean_db, kinds=["Fund"], max_nodes=200)  # no fact among funds
    assert (len(narrowed.nodes), len(narrowed.edges), narrowed.pruned) == (30, 0, False)
    # narrowed and pruned: counted by passes over the graph, not the store's counts
    typed = viz.ecosystem_picture(clean_db, rel_types=["INVESTED_IN"], kinds=["Company", "Fund"], max_nodes=100)
    whole = viz.ecosystem_picture(clean_db, rel_types=["INVESTED_IN"], kinds=["Company", "Fund"])
    whole.prune(100)
    assert typed.pruned and typed.notes == whole.notes and "1,230 nodes and 1,200 relationships" in typed.notes[0]
    assert (len(typed.nodes), len(typed.edges)) == (len(whole.nodes), len(whole.edges)) == (100, 70)
    assert len(priced(typed)) == 30 and priced(typed) == priced(whole)


# -- the command line ------------------------------------------------------------------------------
def test_cli_writes_pages_and_reports_counts(small, cli, tmp_path):
    out = tmp_path / "eco.html"
    result = cli("viz", "ecosystem", "--kind", "Company", "--kind", "Fund", "-o", out)
    assert result.code == 0, result
    expected = small.read("MATCH (n:Entity) WHERE n:Company OR n:Fund RETURN count(n) AS n")[0]["n"]
    edges = small.read("MATCH (a)-[r]->(b) WHERE (a:Company OR a:Fund) AND (b:Company OR b:Fund) "
                       "AND type(r) IN $facts RETURN count(r) AS r", {"facts": FACTS})[0]["r"]
    assert result.out.strip() == f"Wrote {out}: {expected} nodes, {edges} relationships"
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")

    result = cli("viz", "ego", "alpha", "--depth", "1", "-o", tmp_path / "ego.html")
    assert result.code == 0 and "Wrote" in result.out, result
    result = cli("viz", "coinvest", "--min-shared", "2", "-o", tmp_path / "co.html")
    assert result.code == 0 and result.out.strip().endswith(": 2 nodes, 1 relationships"), result
    result = cli("viz", "ecosystem", "--max-nodes", "3", "--engine", "pyvis", "-o", tmp_path / "tiny.html")
    assert result.code == 0 and "pruned" in result.out, result


@pytest.mark.bad_input
def test_cli_refuses_a_table_and_an_unwritable_page_in_one_line(small, cli, tmp_path):
    """Bad names, kinds and types are in test_bad_inputs.py's table; these two need a file made here."""
    out = tmp_path / "bad.html"
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "t.cypher").write_text("// name: viz_cli_table\n// description: a table\n"
                                     "MATCH (n:Entity) RETURN n.name AS name;\n", encoding="utf-8")
    assert_one_line_error(cli("viz", "query", "viz_cli_table", "-o", out, env={"DEALGRAPH_QUERY_PATH": str(folder)}),
                          "viz_cli_table", "table")
    assert not out.exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_one_line_error(cli("viz", "coinvest", "-o", blocker / "page.html"), "cannot write")
