"""`dealgraph analyze` against a real Neo4j: the scores written back are those networkx computes on
the same co-investment edges, re-runs agree, stale analyses are announced, and the seed answers."""
from __future__ import annotations

import json
import random

import networkx as nx
import pytest
from helpers import assert_one_line_error

from bench.generate import generate

SCORES = ("degree", "weighted_degree", "pagerank", "betweenness", "community")


def generated(seed=5, investors=40, companies=70):
    """Investments at random: (investor id, company id, date or None)."""
    rng = random.Random(seed)
    rows = []
    for c in range(companies):
        for i in rng.sample(range(investors), rng.randint(1, 5)):
            date = None if rng.random() < 0.2 else f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}"
            rows.append((f"inv-{i:02d}", f"co-{c:02d}", date))
    return rows


def write_graph(conn, rows):
    investors = sorted({r[0] for r in rows})
    companies = sorted({r[1] for r in rows})
    conn.write("UNWIND $ids AS id CREATE (:Entity:Fund {id: id, name: 'Investor ' + id, kind: 'Fund'})",
               {"ids": investors})
    conn.write("UNWIND $ids AS id CREATE (:Entity:Company {id: id, name: 'Company ' + id, kind: 'Company'})",
               {"ids": companies})
    conn.write("UNWIND $rows AS row MATCH (i:Entity {id: row[0]}), (c:Entity {id: row[1]}) "
               "CREATE (i)-[:INVESTED_IN {id: row[0] + '>' + row[1] + coalesce(row[2], ''), date: row[2]}]->(c)",
               {"rows": [list(r) for r in rows]})


def networkx_graph(rows, as_of=None, min_shared=1) -> nx.Graph:
    """The co-investment network computed independently of graph.analytics."""
    backers: dict[str, set] = {}
    for investor, company, date in rows:
        if as_of is None or date is None or date[:len(as_of)] <= as_of:
            backers.setdefault(company, set()).add(investor)
    g = nx.Graph()
    for investors in backers.values():
        for a in investors:
            for b in investors:
                if a < b:
                    g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    g.remove_edges_from([(a, b) for a, b, w in g.edges(data="weight") if w < min_shared])
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return g


def written(conn) -> dict:
    rows = conn.read("MATCH (e:Entity) WHERE any(k IN keys(e) WHERE k IN $scores) "
                     "RETURN e.id AS id, [k IN $scores | e[k]] AS scores", {"scores": list(SCORES)})
    return {r["id"]: dict(zip(SCORES, r["scores"])) for r in rows}


def partition(scores: dict) -> list[set]:
    groups: dict[int, set] = {}
    for node, s in scores.items():
        groups.setdefault(s["community"], set()).add(node)
    return list(groups.values())


@pytest.fixture
def network(clean_db):
    rows = generated()
    write_graph(clean_db, rows)
    return clean_db, rows


@pytest.mark.parametrize("as_of, min_shared", [(None, 1), ("2019-06", 1), (None, 2)])
def test_written_scores_equal_networkx_on_the_same_edges(network, as_of, min_shared):
    from graph.analytics import analyze

    conn, rows = network
    result = analyze(conn, as_of=as_of, min_shared=min_shared, show_progress=False)
    g = networkx_graph(rows, as_of, min_shared)
    got = written(conn)
    assert set(got) == set(g) and result.nodes == g.number_of_nodes() and result.edges == g.number_of_edges()
    pagerank = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    betweenness = nx.betweenness_centrality(g, normalized=True)
    for node in g:
        assert got[node]["degree"] == g.degree(node)
        assert got[node]["weighted_degree"] == g.degree(node, weight="weight")
        assert got[node]["pagerank"] == pytest.approx(pagerank[node], rel=1e-6)
        assert got[node]["betweenness"] == pytest.approx(betweenness[node], abs=1e-12)
        assert isinstance(got[node]["community"], int)
    record = conn.read("MATCH (a:Analysis) RETURN properties(a) AS a")[0]["a"]
    assert record["modularity"] == pytest.approx(
        nx.community.modularity(g, partition(got), weight="weight"), abs=1e-9)
    assert (record["status"], record.get("as_of"), record["min_shared"], record["nodes"], record["edges"]) == (
        "complete", as_of, min_shared, g.number_of_nodes(), g.number_of_edges())
    assert json.loads(record["parameters"])["betweenness"]["exact"] is True


def test_a_rerun_gives_the_same_communities_and_clears_investors_that_left(network):
    from graph.analytics import analyze

    conn, rows = network
    analyze(conn, show_progress=False)
    first = written(conn)
    analyze(conn, show_progress=False)
    assert written(conn) == first
    assert len(partition(first)) > 1
    # A stricter network: investors without a tie of two companies lose every score.
    result = analyze(conn, min_shared=2, show_progress=False)
    strict = networkx_graph(rows, min_shared=2)
    assert set(written(conn)) == set(strict) and result.cleared == len(set(first) - set(strict)) > 0
    assert conn.read("MATCH (a:Analysis) RETURN count(a) AS n")[0]["n"] == 3


def test_the_analysis_warns_once_the_graph_changed(network, cli):
    conn, _ = network
    assert cli("analyze").code == 0
    fresh = cli("query", "central_investors")
    assert fresh.code == 0 and "stale" not in fresh.err, fresh
    # A new investment (by any writer) changes the count the analysis recorded.
    conn.write("MATCH (i:Entity {id: 'inv-00'}), (c:Entity {id: 'co-69'}) MERGE (i)-[:INVESTED_IN {id: 'late'}]->(c)")
    stale = cli("query", "central_investors")
    assert stale.code == 0 and "analysis" in stale.err and "stale" in stale.err and "+1 investments" in stale.err
    assert cli("analyze").code == 0
    assert "stale" not in cli("query", "central_investors").err
    # A load that changes the graph records itself (an :Import of kind 'load'), even without new investments.
    assert cli("load").code == 0
    after_load = cli("query", "central_investors")
    assert "stale" in after_load.err and "load:" in after_load.err, after_load
    assert "stale" in cli("neo4j", "status").err
    # An analysis cut short says so too.
    assert cli("analyze").code == 0
    conn.write("MATCH (a:Analysis) WITH a ORDER BY a.ran_at DESC LIMIT 1 SET a.status = 'running'")
    assert "did not finish" in cli("query", "central_investors").err


def test_importing_what_is_already_there_does_not_make_the_analysis_stale(clean_db, cli, tmp_path):
    generate(tmp_path / "export", investments=400, seed=3)
    assert cli("import", "csv", tmp_path / "export").code == 0
    assert cli("analyze").code == 0
    assert cli("import", "csv", tmp_path / "export").code == 0     # nothing changes (and scores stay)
    assert "stale" not in cli("query", "central_investors").err
    # An entity rewritten by a load loses its scores: that is announced too.
    clean_db.write("MATCH (e:Entity) WHERE e.community IS NOT NULL WITH e LIMIT 2 SET e = {id: e.id, name: e.name}")
    assert "2 of its" in cli("query", "central_investors").err


@pytest.mark.bad_input
def test_bad_options_are_one_line(cli):
    assert_one_line_error(cli("analyze", "--as-of", "2023-13"), "as-of", "2023-13")
    assert_one_line_error(cli("analyze", "--min-shared", "0"), "min-shared")
    assert_one_line_error(cli("query", "central_investors", "-p", "by=fame"),
                          "by", "pagerank, degree, weighted_degree, betweenness", "fame")


# -- the seed graph -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analysed_seed(seed_graph):
    from graph.analytics import analyze

    analyze(seed_graph, show_progress=False)
    return seed_graph


def test_alibaba_is_among_the_most_central_investors_of_the_seed(analysed_seed):
    from graph.queries import run_query

    top = run_query("central_investors", conn=analysed_seed, limit=3)
    assert "Alibaba Group" in list(top["name"])
    by_weight = run_query("central_investors", conn=analysed_seed, by="weighted_degree", limit=1)
    assert list(by_weight["name"]) == ["Alibaba Group"]             # the most companies shared


def test_communities_and_community_of_on_the_seed(analysed_seed):
    from graph.queries import run_query

    table = run_query("communities", conn=analysed_seed)
    assert list(table["size"]) == sorted(table["size"], reverse=True) and table["community"][0] == 0
    chinese = next(row for _, row in table.iterrows() if "Alibaba Group" in row["most_central"])
    assert {"Tencent", "Meituan"} <= set(chinese["most_central"])
    assert any(c.startswith("Zhipu AI (") for c in chinese["most_backed"])
    members = run_query("community_of", conn=analysed_seed, entity="Tencent")
    assert set(members["community"]) == {chinese["community"]} and len(members) == chinese["size"]
    assert list(members["pagerank"]) == sorted(members["pagerank"], reverse=True)
    assert list(members[members["is_investor"]]["name"]) == ["Tencent"]


def test_the_coinvest_picture_colours_communities_and_sizes_by_pagerank(analysed_seed, cli, tmp_path):
    page = tmp_path / "coinvest.html"
    result = cli("viz", "coinvest", "-o", page)
    assert result.code == 0, result
    html = page.read_text(encoding="utf-8")
    data = json.loads(html.split('<script id="graph-data" type="application/json">')[1].split("</script>")[0])
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["Alibaba Group"]["kind"] == nodes["Tencent"]["kind"] != nodes["Nvidia"]["kind"]
    assert nodes["Alibaba Group"]["kind"].startswith("community ")
    assert 'data-kind="community 0"' in html and 'data-kind="community 1"' in html    # the legend
    assert nodes["Alibaba Group"]["color"]["background"] != nodes["Nvidia"]["color"]["background"]
    ranks = {r["n"]: r["p"] for r in analysed_seed.read(
        "MATCH (e:Entity) WHERE e.pagerank IS NOT NULL RETURN e.name AS n, e.pagerank AS p")}
    assert set(nodes) == set(ranks)
    for a in nodes:                                                # a higher PageRank is never drawn smaller
        for b in nodes:
            if ranks[a] > ranks[b]:
                assert nodes[a]["size"] >= nodes[b]["size"], (a, b)
    assert max(nodes, key=lambda n: nodes[n]["size"]) == max(ranks, key=ranks.get)
    assert "PageRank" in html
    plain = tmp_path / "kinds.html"
    assert cli("viz", "coinvest", "--color-by", "kind", "--size-by", "money", "-o", plain).code == 0
    assert 'data-kind="Company"' in plain.read_text(encoding="utf-8")


def test_the_coinvest_picture_needs_an_analysis_for_communities(seed_graph, cli, tmp_path):
    seed_graph.write("MATCH (a:Analysis) DETACH DELETE a")
    seed_graph.write("MATCH (e:Entity) REMOVE e.degree, e.weighted_degree, e.pagerank, e.betweenness, e.community")
    assert cli("viz", "coinvest", "-o", tmp_path / "plain.html").code == 0      # by kind and degree
    assert_one_line_error(cli("viz", "coinvest", "--color-by", "community", "-o", tmp_path / "x.html"),
                          "dealgraph analyze")
    assert not (tmp_path / "x.html").exists()
