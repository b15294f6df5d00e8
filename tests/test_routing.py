"""Routing URIs (neo4j://, what Aura and clusters use) through every kind of command, once.

The local server answers neo4j:// as a one-member cluster: the driver asks it for a routing table
and sends reads and writes where the table says. Each path that writes (load, import seed, import
csv) must build the same graph through neo4j:// as through bolt://, and the reading paths (query,
resolve, viz, status, the Python API) must answer as they do over bolt://.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import assert_one_line_error, fingerprint

from bench.generate import generate


@pytest.fixture(scope="module")
def routing(server):
    """The environment that points every command at the local server through neo4j://."""
    return {"NEO4J_URI": f"neo4j://{server.host}:{server.bolt_port}"}


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("routing") / "export"
    generate(folder, investments=300, seed=5)
    return folder


def graph_after(conn, cli, *args, env=None):
    from graph.schema import wipe

    wipe(conn)
    result = cli(*args, env=env)
    assert result.code == 0, result
    return fingerprint(conn, by_key=True)


def test_load_and_import_seed_through_neo4j_build_the_graph_bolt_builds(conn, cli, routing):
    over_bolt = graph_after(conn, cli, "load")
    assert over_bolt[0] and over_bolt[1]
    assert graph_after(conn, cli, "load", env=routing) == over_bolt
    assert graph_after(conn, cli, "import", "seed", "--batch-size", "7", env=routing) == over_bolt


def test_csv_import_through_neo4j_builds_the_graph_bolt_builds(conn, cli, routing, export):
    over_bolt = graph_after(conn, cli, "import", "csv", export, "--batch-size", "50")
    assert graph_after(conn, cli, "import", "csv", export, "--batch-size", "50", env=routing) == over_bolt
    assert conn.read("MATCH (i:Import {status: 'complete'}) RETURN count(i) AS n")[0]["n"] == 1


@pytest.fixture(scope="module")
def seeded_over_neo4j(conn, cli, routing):
    from graph.schema import wipe

    wipe(conn)
    assert cli("load", env=routing).code == 0
    return routing


def test_named_queries_answer_through_neo4j(seeded_over_neo4j, cli):
    result = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--format", "json",
                 env=seeded_over_neo4j)
    assert result.code == 0, result
    assert [row["investor"]["name"] for row in json.loads(result.out)] == ["Alibaba Group", "Tencent"]


def test_resolve_viz_and_status_through_neo4j(seeded_over_neo4j, cli, server, tmp_path):
    resolved = cli("resolve", "Dipsic", "--json", env=seeded_over_neo4j)
    assert resolved.code == 0 and json.loads(resolved.out)["id"] == "deepseek", resolved
    page = tmp_path / "ecosystem.html"
    drawn = cli("viz", "ecosystem", "-o", page, env=seeded_over_neo4j)
    assert drawn.code == 0 and "Zhipu AI" in page.read_text(), drawn
    status = cli("neo4j", "status", env=seeded_over_neo4j)
    assert status.code == 0, status
    assert status.out.startswith("running: Neo4j 5.26.") and f"at neo4j://{server.host}:{server.bolt_port}" in status.out


def test_the_python_api_through_neo4j(seeded_over_neo4j):
    from graph import connect, run_query

    with connect(uri=seeded_over_neo4j["NEO4J_URI"]) as conn:
        assert conn.driver.__class__.__name__ == "Neo4jDriver"  # the routing driver, not a direct one
        frame = run_query("investors_of", conn=conn, company="Zhipu")
        assert {"Alibaba Group", "Tencent"} <= {investor["name"] for investor in frame["investor"]}


def test_neo4j_s_to_a_server_without_tls_is_one_line(cli, server):
    result = cli("query", "top_investors", env={"NEO4J_URI": f"neo4j+s://{server.host}:{server.bolt_port}",
                                                "DEALGRAPH_TIMEOUT": "5"})
    assert_one_line_error(result, f"cannot reach Neo4j at neo4j+s://{server.host}:{server.bolt_port} over TLS")
