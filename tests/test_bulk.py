"""`dealgraph import ... --bulk`: the same graph as the transactional import, through neo4j-admin.

Two fresh local servers (their own DEALGRAPH_HOMEs under tmp_path, on spare ports; the jars are
the test server's, linked): one generated Crunchbase export imported transactionally into one
and with --bulk into the other must give the same fingerprint of every node and relationship,
Import records included (their times compared by type). --bulk into a database that is not
empty, or into a server that is not the configured local one, is refused in one line and
changes nothing. Slow (each --bulk stops and starts a server): kept to one export of 1,000
investments.
"""
from __future__ import annotations


import pytest

from helpers import PASSWORD, assert_one_line_error, fingerprint

from bench.generate import generate


PORTS = {"tx": (7728, 7738), "bulk": (7748, 7758)}


@pytest.fixture(scope="module")
def two_servers(server, tmp_path_factory):
    """Two fresh, empty local servers: {"tx": LocalServer, "bulk": LocalServer}, stopped at the end."""
    from graph.server import LocalServer

    made = {}
    try:
        for name, (bolt, http) in PORTS.items():
            home = tmp_path_factory.mktemp(f"home-{name}")
            made[name] = LocalServer(home=home, bolt_port=bolt, http_port=http, heap="1g", pagecache="128m")
            made[name].start(PASSWORD)
        yield made
    finally:
        for local in made.values():
            local.stop()


def _env(local) -> dict:
    return {"DEALGRAPH_HOME": str(local.home), "DEALGRAPH_BOLT_PORT": str(local.bolt_port),
            "DEALGRAPH_HTTP_PORT": str(local.http_port), "NEO4J_URI": local.bolt_uri,
            "DEALGRAPH_PAGECACHE": "128m"}


def _connect(local):
    from graph.connection import Settings, connect

    return connect(Settings.from_env(uri=local.bolt_uri, password=PASSWORD))


def test_bulk_and_transactional_import_build_the_same_graph(cli, two_servers, tmp_path):
    folder = tmp_path / "export"
    generate(folder, investments=1000, seed=3)
    tx = cli("import", "csv", folder, "--no-progress", env=_env(two_servers["tx"]), timeout=900)
    assert tx.code == 0, tx
    bulk = cli("import", "csv", folder, "--no-progress", "--bulk", env=_env(two_servers["bulk"]), timeout=900)
    assert bulk.code == 0, bulk
    assert "neo4j-admin import" in bulk.out and "server stop and start" in bulk.out and "Bulk import" in bulk.out, bulk
    with _connect(two_servers["tx"]) as a, _connect(two_servers["bulk"]) as b:
        before, after = fingerprint(a, by_key=True, imports=True), fingerprint(b, by_key=True, imports=True)
        assert len(after[0]) > 1000 and len(after[1]) > 1000
        assert before == after
        # the schema is there too: constraints and indexes, online
        names = lambda c: sorted(r["name"] for r in c.read("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE'"))  # noqa: E731
        assert names(a) == names(b)
        # and MERGE still finds what the importer wrote: importing again transactionally changes nothing
    again = cli("import", "csv", folder, "--no-progress", env=_env(two_servers["bulk"]), timeout=900)
    assert again.code == 0, again
    with _connect(two_servers["bulk"]) as b:
        assert fingerprint(b, by_key=True, imports=True) == after


@pytest.mark.bad_input
def test_bulk_is_refused_for_a_database_that_is_not_empty(cli, seed_graph, tmp_path):
    folder = tmp_path / "export"
    generate(folder, investments=20, seed=4)
    before = fingerprint(seed_graph)
    result = cli("import", "csv", folder, "--bulk", "--no-progress")
    assert_one_line_error(result, "--bulk", "not empty", "without --bulk")
    assert fingerprint(seed_graph) == before
    result = cli("import", "seed", "--bulk", "--no-progress")
    assert_one_line_error(result, "not empty")
    assert fingerprint(seed_graph) == before


@pytest.mark.bad_input
def test_bulk_is_refused_for_a_server_that_is_not_the_local_one(cli, seed_graph, tmp_path):
    """The URI reaches a server, but not the one DEALGRAPH_HOME/_BOLT_PORT configure: refused, untouched."""
    folder = tmp_path / "export"
    generate(folder, investments=20, seed=4)
    before = fingerprint(seed_graph)
    elsewhere = {"DEALGRAPH_HOME": str(tmp_path / "other-home"), "DEALGRAPH_BOLT_PORT": "7748"}
    result = cli("import", "csv", folder, "--bulk", "--no-progress", env=elsewhere)
    assert_one_line_error(result, "--bulk writes the store files of the local server", "without --bulk")
    assert fingerprint(seed_graph) == before


def _both_ways(cli, two_servers, *args):
    """Empty both servers, import `args` transactionally into one and with --bulk into the other:
    the two fingerprints (Import records included, their times by type)."""
    from graph.schema import wipe

    for local in two_servers.values():
        with _connect(local) as conn:
            wipe(conn)
    tx = cli(*args, "--no-progress", env=_env(two_servers["tx"]), timeout=900)
    assert tx.code == 0, tx
    bulk = cli(*args, "--no-progress", "--bulk", env=_env(two_servers["bulk"]), timeout=900)
    assert bulk.code == 0, bulk
    assert "Bulk import" in bulk.out, bulk
    with _connect(two_servers["tx"]) as a, _connect(two_servers["bulk"]) as b:
        return fingerprint(a, by_key=True, imports=True), fingerprint(b, by_key=True, imports=True)


def test_a_deals_spreadsheet_and_the_seed_build_the_same_graph_with_bulk(cli, two_servers, tmp_path):
    """The other two --bulk importers: deals (rounds rule, split rounds, leads) and the seed
    (articles, MENTIONED_IN, REPORTED_IN, evidence lists, caveats, former facts)."""
    from deals_data import generate_rounds, rows_of, write_csv

    deals = write_csv(tmp_path / "deals.csv", rows_of(generate_rounds(seed=11)))
    before, after = _both_ways(cli, two_servers, "import", "deals", deals)
    assert sum("INVESTED_IN" in r for r in after[1]) > 20 and sum("Round" in n for n in after[0]) > 10
    assert before == after
    before, after = _both_ways(cli, two_servers, "import", "seed")
    assert sum("'Article'" in n for n in after[0]) == 5 and sum("REPORTED_IN" in r for r in after[1]) > 0
    assert before == after


@pytest.mark.bad_input
def test_a_record_bulk_cannot_take_is_refused_and_the_server_runs_again(cli, two_servers, tmp_path):
    """A flat export that gives one investment twice (the same round and investor): one fact twice,
    which the transactional path merges and --bulk refuses while writing its files, after the
    server began to stop. The server runs again, its database still empty."""
    from graph.schema import wipe

    folder = tmp_path / "export"
    folder.mkdir()
    row = "/organization/a,A,/organization/f,F,/funding-round/r1,2023-07-01\n"
    (folder / "investments.csv").write_text(
        "company_permalink,company_name,investor_permalink,investor_name,funding_round_permalink,funded_at\n"
        + row + "/organization/a,A,/organization/g,G,/funding-round/r1,2023-07-01\n" + row, encoding="utf-8")
    with _connect(two_servers["bulk"]) as conn:
        wipe(conn)
    result = cli("import", "csv", folder, "--no-progress", "--bulk", env=_env(two_servers["bulk"]), timeout=900)
    assert_one_line_error(result, "cb-funding-round/r1/organization/f", "comes twice", "without --bulk")
    assert two_servers["bulk"].pid()
    with _connect(two_servers["bulk"]) as conn:
        assert conn.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
