"""`dealgraph export gexf|graphml|ftm` against a real Neo4j, read back by networkx and followthemoney.

Each export must hold every entity and every fact of the graph (counts), with their properties
(analysis scores included) and, in GEXF, the facts' dates as spells; --as-of leaves out what
the named queries' as_of leaves out. The expected values are read from Neo4j itself.
"""
from __future__ import annotations

import json

import networkx as nx
import pytest
from helpers import assert_one_line_error

from graph.analytics import analyze
from graph.pipeline import import_csv
from graph.exports.gexf import LIST_SEPARATOR, day
from graph.schema import FACT_TYPES

FACTS = list(FACT_TYPES)


@pytest.fixture(scope="module")
def analysed_seed(seed_graph):
    analyze(seed_graph, show_progress=False)
    return seed_graph


def graph_entities(conn) -> dict:
    return {row["p"]["id"]: row["p"] for row in conn.read("MATCH (n:Entity) RETURN properties(n) AS p")}


def graph_facts(conn, as_of=None) -> dict:
    return {row["p"]["id"]: row for row in conn.read(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) IN $types "
        "AND ($as_of IS NULL OR r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) "
        "RETURN a.id AS a, b.id AS b, type(r) AS type, properties(r) AS p", {"types": FACTS, "as_of": as_of})}


def flat(value):
    """A property as GEXF and GraphML hold it (lists joined, numbers as numbers)."""
    return LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value


def same(read_back, value) -> bool:
    value = flat(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(read_back) == pytest.approx(float(value), rel=1e-12)
    return read_back == value


def export(cli, tmp_path, fmt, *args):
    path = tmp_path / f"graph.{fmt}"
    result = cli("export", fmt, "-o", path, *args)
    assert result.code == 0, result
    return path, result


def check_networkx(graph, entities: dict, facts: dict) -> None:
    assert graph.number_of_nodes() == len(entities)
    assert graph.number_of_edges() == len(facts)
    for node_id, props in entities.items():
        data = graph.nodes[node_id]  # the entity's id is the node's own
        for key, value in props.items():
            assert key == "id" or same(data[key], value), (node_id, key, data.get(key), value)
    for a, b, key, data in graph.edges(keys=True, data=True):
        fact = facts[data["id"]]
        assert (a, b, data["label"]) == (fact["a"], fact["b"], fact["type"])
        for name, value in fact["p"].items():
            assert same(data[name], value), (key, name, data.get(name), value)


def test_gexf_holds_every_entity_fact_score_and_date_as_a_spell(analysed_seed, cli, tmp_path):
    path, result = export(cli, tmp_path, "gexf")
    entities, facts = graph_entities(analysed_seed), graph_facts(analysed_seed)
    assert f"{len(entities):,} entities, {len(facts):,} facts" in result.out
    graph = nx.read_gexf(path)
    check_networkx(graph, entities, facts)
    scored = {k: p for k, p in entities.items() if "pagerank" in p}
    assert scored and all(graph.nodes[k]["pagerank"] == pytest.approx(p["pagerank"]) and
                          graph.nodes[k]["community"] == p["community"] for k, p in scored.items())
    dated = 0
    for _, _, data in graph.edges(data=True):
        fact = facts[data["id"]]["p"]
        if fact.get("date"):
            dated += 1
            # networkx's reader gives an open spell's missing end as the text 'None'
            spells = [(start, None if end == "None" else end) for start, end in data["spells"]]
            assert spells == [(day(fact["date"]), day(fact.get("until")))], (data["id"], spells)
        else:
            assert "spells" not in data
    assert dated == sum(1 for fact in facts.values() if fact["p"].get("date")) > 5
    assert any("spells" in data for _, data in graph.nodes(data=True))  # founded


def test_graphml_holds_every_entity_and_fact(analysed_seed, cli, tmp_path):
    path, _ = export(cli, tmp_path, "graphml")
    check_networkx(nx.read_graphml(path, force_multigraph=True), graph_entities(analysed_seed),
                   graph_facts(analysed_seed))


def test_ftm_entities_round_trip_through_followthemoney(analysed_seed, cli, tmp_path):
    from followthemoney import model

    path, _ = export(cli, tmp_path, "ftm")
    proxies = [model.get_proxy(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
    by_id = {p.id: p for p in proxies}
    assert len(by_id) == len(proxies)
    entities, facts = graph_entities(analysed_seed), graph_facts(analysed_seed)
    kinds = {"Company": "Company", "Fund": "Company", "GovernmentBody": "PublicBody", "Person": "Person",
             "Model": "Asset"}
    for entity_id, props in entities.items():
        proxy = by_id[entity_id]
        assert proxy.schema.name == kinds[props["kind"]]
        assert proxy.get("name") == [props["name"]]
        assert set(proxy.get("alias")) == set(props.get("aliases") or ()) - {props["name"]}
    articles = {p.get("fileName")[0]: p for p in proxies if p.schema.name == "Article"}
    assert articles
    for fact_id, fact in facts.items():
        proxy = by_id[fact_id]
        if fact["type"] == "INVESTED_IN":
            assert proxy.schema.name == "Ownership"
            assert (proxy.get("owner"), proxy.get("asset")) == ([fact["a"]], [fact["b"]])
            if fact["p"].get("amount") is not None:
                assert float(proxy.get("sharesValue")[0]) == pytest.approx(float(fact["p"]["amount"]))
        elif fact["type"] == "LEADS":
            assert (proxy.schema.name, proxy.get("director"), proxy.get("organization")) == (
                "Directorship", [fact["a"]], [fact["b"]])
        elif fact["type"] == "FINED":
            assert (proxy.schema.name, proxy.get("payer"), proxy.get("beneficiary")) == (
                "Payment", [fact["b"]], [fact["a"]])
        elif fact["type"] == "SUBSIDIARY_OF":
            assert (proxy.get("owner"), proxy.get("asset")) == ([fact["b"]], [fact["a"]])
        else:
            assert (proxy.schema.name, proxy.get("subject"), proxy.get("object"), proxy.get("role")) == (
                "UnknownLink", [fact["a"]], [fact["b"]], [fact["type"]])
        assert proxy.get("startDate") == ([fact["p"]["date"]] if fact["p"].get("date") else [])
        # Its source: the publisher, and the Article entity as proof where it is an article.
        assert proxy.get("publisher") == [fact["p"]["source"]]
        if fact["p"]["source"] in articles:
            assert proxy.get("proof") == [articles[fact["p"]["source"]].id]
    kinds_written = len(entities) + len(facts) + len(articles)
    assert len(proxies) == kinds_written


def test_as_of_leaves_out_later_facts_as_the_queries_do(analysed_seed, cli, tmp_path):
    dates = sorted(f["p"]["date"] for f in graph_facts(analysed_seed).values() if f["p"].get("date"))
    as_of = dates[0][:4]  # the year of the earliest dated fact: later ones are left out
    path, result = export(cli, tmp_path, "gexf", "--as-of", as_of)
    facts = graph_facts(analysed_seed, as_of)
    assert len(facts) < len(graph_facts(analysed_seed))
    check_networkx(nx.read_gexf(path), graph_entities(analysed_seed), facts)
    assert f"(as of {as_of})" in result.out


def test_a_generated_graph_exports_whole(clean_db, small_export, cli, tmp_path):
    import_csv(clean_db, small_export, show_progress=False)
    entities, facts = graph_entities(clean_db), graph_facts(clean_db)
    path, _ = export(cli, tmp_path, "gexf")
    check_networkx(nx.read_gexf(path), entities, facts)
    path, _ = export(cli, tmp_path, "ftm")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(entities) + len(facts)


@pytest.mark.bad_input
@pytest.mark.parametrize("args, needle", [(("gexf", "--as-of", "2023-13"), "as-of"),
                                          (("pdf",), "'pdf' is not one of")])
def test_bad_export_arguments_are_one_line(cli, tmp_path, args, needle):
    result = cli("export", *args, "-o", tmp_path / "x")
    assert_one_line_error(result, needle)
    assert not (tmp_path / "x").exists()
