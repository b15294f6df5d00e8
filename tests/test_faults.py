"""Faults: the loader killed, the server stopped, two loads at once, a transient error.

A seed-format load is one transaction: whatever happens, the graph afterwards is as before or
fully loaded. A CSV import commits a batch at a time: cut short, it leaves part of its data, and
the graph must then say so (its :Import is not 'complete', and commands warn) until the same
import, run again, finishes the job. Every test leaves the server running, whatever happens.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import PASSWORD, fingerprint

from graph.names import name_key

pytestmark = pytest.mark.fault

EXE = Path(sys.executable).with_name("dealgraph")
BIG = 15_000  # companies (and facts) in the big seed-format dataset: its one transaction takes seconds


def big_dataset(path: Path, n: int = BIG) -> dict:
    """A dataset in the seed format with n companies, n/10 funds and n investments; returns its counts
    and, under "ALIAS_OF", how many name keys its ids, names and aliases make."""
    funds = max(n // 10, 1)
    companies = [(f"co-{i}", f"Company {i}", [f"Co {i}"]) for i in range(n)]
    backers = [(f"fund-{i}", f"Fund {i}", []) for i in range(funds)]
    out = ["articles:", "  - id: big.txt", "    title: Big", "    language: en", "entities:"]
    for id_, name, aliases in companies:
        out += [f"  - id: {id_}", "    kind: Company", f"    name: {name}", f"    aliases: [{', '.join(aliases)}]"]
    for id_, name, _ in backers:
        out += [f"  - id: {id_}", "    kind: Fund", f"    name: {name}"]
    out += ["facts:"]
    for i in range(n):
        out += ["  - type: INVESTED_IN", f"    from: fund-{i % funds}", f"    to: co-{i}", "    source: big.txt"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    keys = sum(len({name_key(x) for x in (id_, name, *aliases)}) for id_, name, aliases in companies + backers)
    return {"Company": n, "Fund": funds, "INVESTED_IN": n, "ALIAS_OF": keys}


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([str(EXE), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition, what: str, timeout: float = 120, proc: subprocess.Popen | None = None):
    """Poll `condition()` until it is truthy; fail if `proc` ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the command ended (code {proc.returncode}) before {what}: {proc.stderr.read()[-500:]}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def load_transaction(conn) -> bool:
    """True while the server runs a transaction of `dealgraph load` (its MERGE statements)."""
    return bool(conn.read("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $needle "
                          "RETURN count(*) AS n", {"needle": "UNWIND $rows AS row"})[0]["n"])


def big_counts(conn) -> dict:
    """What of big_dataset's is in the graph (the seed has no ids starting co- or fund-)."""
    row = conn.read("RETURN COUNT { (c:Company) WHERE c.id STARTS WITH 'co-' } AS companies, "
                    "COUNT { (f:Fund) WHERE f.id STARTS WITH 'fund-' } AS funds, "
                    "COUNT { ()-[r:INVESTED_IN {source: 'big.txt'}]->() } AS facts, "
                    "COUNT { (:Alias)-[:ALIAS_OF]->(e:Entity) WHERE e.id STARTS WITH 'co-' "
                    "OR e.id STARTS WITH 'fund-' } AS aliases")[0]
    return {"Company": row["companies"], "Fund": row["funds"], "INVESTED_IN": row["facts"], "ALIAS_OF": row["aliases"]}


def some_entity(conn) -> bool:
    """True once an import has committed its first batch."""
    return conn.read("MATCH (e:Entity) RETURN count(e) > 0 AS yes")[0]["yes"]


def kill_during(proc: subprocess.Popen, at_work, what: str) -> None:
    """SIGKILL the command once `at_work()` is true."""
    try:
        wait_until(at_work, what, proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def stop_server_during(proc: subprocess.Popen, server, at_work, what: str) -> str:
    """Stop the server under the command once `at_work()` is true, then start it again whatever
    happens; the command's stderr."""
    try:
        wait_until(at_work, what, proc=proc)
        server.stop()
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        server.start(PASSWORD)
    return err


def import_status(conn, source: str):
    rows = conn.read("MATCH (i:Import {source: $s}) RETURN i.status AS status", {"s": source})
    return rows[0]["status"] if rows else None


def gone(conn) -> bool:
    return not load_transaction(conn)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    return path, big_dataset(path)


@pytest.fixture
def running(server):
    """The server, started again after the test whatever the test did to it."""
    yield server
    server.start(PASSWORD)


# -- SIGKILL -------------------------------------------------------------------------------------
def test_seed_load_killed_mid_transaction_leaves_the_graph_as_before(fresh_seed, big, cli):
    path, expected = big
    before = fingerprint(fresh_seed)
    proc = start("load", path)
    kill_during(proc, lambda: load_transaction(fresh_seed), "the load's transaction runs")
    assert proc.returncode == -signal.SIGKILL
    wait_until(lambda: gone(fresh_seed), "the server rolls the dead client's transaction back", timeout=60)
    assert fingerprint(fresh_seed) == before
    assert big_counts(fresh_seed) == {"Company": 0, "Fund": 0, "INVESTED_IN": 0, "ALIAS_OF": 0}

    result = cli("load", path)
    assert result.code == 0, result
    assert big_counts(fresh_seed) == expected


def test_csv_import_killed_after_some_batches_says_incomplete_until_rerun(clean_db, large_export, cli):
    source = "crunchbase:" + large_export.name
    proc = start("import", "csv", large_export, "--batch-size", "100", "--no-progress")
    kill_during(proc, lambda: some_entity(clean_db), "a batch is committed")
    assert import_status(clean_db, source) == "running"
    investments = clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"]
    assert investments < 6000  # a partial graph ...
    for args in (["query", "top_investors"], ["neo4j", "status"]):  # ... and users are told
        result = cli(*args)
        assert result.code == 0 and "incomplete import ('crunchbase:export'" in result.err, result

    result = cli("import", "csv", large_export, "--batch-size", "100")
    assert result.code == 0, result
    assert import_status(clean_db, source) == "complete"
    assert "incomplete" not in cli("query", "top_investors").err
    finished = fingerprint(clean_db, by_key=True)

    from graph.schema import wipe

    wipe(clean_db)
    assert cli("import", "csv", large_export).code == 0
    assert fingerprint(clean_db, by_key=True) == finished  # killed + re-run is the same graph as one clean import


# -- the server stops --------------------------------------------------------------------------
def test_server_stopped_during_seed_load(fresh_seed, big, running, cli):
    path, expected = big
    before = fingerprint(fresh_seed)
    proc = start("load", path)
    err = stop_server_during(proc, running, lambda: load_transaction(fresh_seed), "the load's transaction runs")
    # Neo4j lets a running transaction finish for a while on shutdown: either it committed whole
    # (and the command says so) or it never happened (and the command fails in one line).
    if proc.returncode == 0:
        assert big_counts(fresh_seed) == expected
    else:
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "Neo4j" in err, err
        assert fingerprint(fresh_seed) == before
    result = cli("load", path)
    assert result.code == 0, result
    assert big_counts(fresh_seed) == expected


def test_server_stopped_during_csv_import(clean_db, large_export, running, cli):
    source = "crunchbase:" + large_export.name
    proc = start("import", "csv", large_export, "--batch-size", "100", "--no-progress")
    err = stop_server_during(proc, running, lambda: some_entity(clean_db), "a batch is committed")
    assert proc.returncode != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert import_status(clean_db, source) == "running"
    assert "incomplete import" in cli("query", "top_investors").err

    result = cli("import", "csv", large_export, "--batch-size", "500")
    assert result.code == 0, result
    assert import_status(clean_db, source) == "complete"
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"] == 6000


# -- two at once -------------------------------------------------------------------------------
def duplicates(conn) -> list:
    """Nodes sharing a key, and relationships repeated between the same two nodes."""
    return conn.read("""
        CALL { MATCH (n) WITH labels(n) AS l, coalesce(n.id, n.key, n.source) AS k, count(*) AS c WHERE c > 1
               RETURN l + [k] AS what
               UNION ALL
               MATCH (a)-[r]->(b) WITH a, b, type(r) AS t, r.id AS id, count(*) AS c WHERE c > 1
               RETURN [t, a.id, b.id, id] AS what }
        RETURN what LIMIT 5""")


def test_two_seed_loads_at_once_leave_no_duplicates(clean_db, tmp_path):
    path = tmp_path / "mid.yaml"
    expected = big_dataset(path, 3000)
    procs = [start("load", path) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert big_counts(clean_db) == expected
    assert duplicates(clean_db) == []


def test_two_csv_imports_at_once_leave_no_duplicates(clean_db, large_export, cli):
    procs = [start("import", "csv", large_export, "--batch-size", "500", "--no-progress") for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert duplicates(clean_db) == []
    together = fingerprint(clean_db, by_key=True)

    from graph.schema import wipe

    wipe(clean_db)
    assert cli("import", "csv", large_export).code == 0
    assert fingerprint(clean_db, by_key=True) == together
