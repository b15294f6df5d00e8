"""Faults: the loader killed, the server stopped, two loads at once, a transient error.

A seed-format load is one transaction: whatever happens, the graph afterwards is as before or
fully loaded. A CSV import commits a batch at a time: cut short, it leaves part of its data, and
the graph must then say so (its :Import is not 'complete', and commands warn) until the same
import, run again, finishes the job. Every test leaves the server running, whatever happens.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PASSWORD, assert_one_line_error, fingerprint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

EXE = Path(sys.executable).with_name("dealgraph")
BIG = 15_000  # companies (and facts) in the big seed-format dataset: its one transaction takes seconds


def big_dataset(path: Path, n: int = BIG) -> dict:
    """A dataset in the seed format with n companies, n/10 funds and n investments; returns its counts."""
    funds = max(n // 10, 1)
    out = ["articles:", "  - id: big.txt", "    title: Big", "    language: en", "entities:"]
    for i in range(n):
        out += [f"  - id: co-{i}", "    kind: Company", f"    name: Company {i}", f"    aliases: [Co {i}]"]
    for i in range(funds):
        out += [f"  - id: fund-{i}", "    kind: Fund", f"    name: Fund {i}"]
    out += ["facts:"]
    for i in range(n):
        out += ["  - type: INVESTED_IN", f"    from: fund-{i % funds}", f"    to: co-{i}", "    source: big.txt"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return {"Company": n, "Fund": funds, "INVESTED_IN": n}


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
    row = conn.read("RETURN COUNT { (c:Company) WHERE c.id STARTS WITH 'co-' } AS companies, "
                    "COUNT { (f:Fund) WHERE f.id STARTS WITH 'fund-' } AS funds, "
                    "COUNT { ()-[r:INVESTED_IN {source: 'big.txt'}]->() } AS facts")[0]
    return {"Company": row["companies"], "Fund": row["funds"], "INVESTED_IN": row["facts"]}


def content(conn) -> tuple:
    """Every node but :Import and every relationship, keyed on ids (not on element ids)."""
    nodes = conn.read("MATCH (n) WHERE NOT n:Import RETURN labels(n) AS l, properties(n) AS p")
    rels = conn.read("MATCH (a)-[r]->(b) RETURN coalesce(a.id, a.key) AS a, type(r) AS t, properties(r) AS p, "
                     "coalesce(b.id, b.key) AS b")
    return tuple(sorted(map(repr, (sorted(r.items(), key=str) for r in nodes)))), \
        tuple(sorted(map(repr, (sorted(r.items(), key=str) for r in rels))))


def import_status(conn, source: str):
    rows = conn.read("MATCH (i:Import {source: $s}) RETURN i.status AS status", {"s": source})
    return rows[0]["status"] if rows else None


def gone(conn) -> bool:
    return not load_transaction(conn)


@pytest.fixture
def seeded(clean_db):
    from graph.load import load_dataset

    load_dataset(clean_db)
    return clean_db


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    return path, big_dataset(path)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faults") / "export"
    generate(folder, investments=6000, seed=3)
    return folder


@pytest.fixture
def running(server):
    """The server, started again after the test whatever the test did to it."""
    yield server
    server.start(PASSWORD)


# -- SIGKILL -------------------------------------------------------------------------------------
def test_seed_load_killed_mid_transaction_leaves_the_graph_as_before(seeded, big, cli, tally):
    path, expected = big
    before = fingerprint(seeded)
    proc = start("load", path)
    try:
        wait_until(lambda: load_transaction(seeded), "the load's transaction runs", proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    wait_until(lambda: gone(seeded), "the server rolls the dead client's transaction back", timeout=60)
    assert fingerprint(seeded) == before
    assert big_counts(seeded) == {"Company": 0, "Fund": 0, "INVESTED_IN": 0}

    result = cli("load", path)
    assert result.code == 0, result
    assert big_counts(seeded) == expected
    tally("faults survived")


def test_csv_import_killed_after_some_batches_says_incomplete_until_rerun(clean_db, export, cli, tally):
    source = "crunchbase:" + export.name
    proc = start("import", "csv", export, "--batch-size", "100", "--no-progress")
    try:
        wait_until(lambda: clean_db.read("MATCH (e:Entity) RETURN count(e) > 0 AS yes")[0]["yes"],
                   "a batch is committed", proc=proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert import_status(clean_db, source) == "running"
    investments = clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"]
    assert investments < 6000  # a partial graph ...
    for args in (["query", "top_investors"], ["neo4j", "status"]):  # ... and users are told
        result = cli(*args)
        assert result.code == 0 and "incomplete import ('crunchbase:export'" in result.err, result

    result = cli("import", "csv", export, "--batch-size", "100")
    assert result.code == 0, result
    assert import_status(clean_db, source) == "complete"
    assert "incomplete" not in cli("query", "top_investors").err
    finished = content(clean_db)

    from graph.schema import wipe

    wipe(clean_db)
    assert cli("import", "csv", export).code == 0
    assert content(clean_db) == finished  # killed + re-run is the same graph as one clean import
    tally("faults survived")


# -- the server stops --------------------------------------------------------------------------
def test_server_stopped_during_seed_load(seeded, big, running, cli, tally):
    path, expected = big
    before = fingerprint(seeded)
    proc = start("load", path)
    try:
        wait_until(lambda: load_transaction(seeded), "the load's transaction runs", proc=proc)
        running.stop()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        running.start(PASSWORD)
    # Neo4j lets a running transaction finish for a while on shutdown: either it committed whole
    # (and the command says so) or it never happened (and the command fails in one line).
    if proc.returncode == 0:
        assert big_counts(seeded) == expected
    else:
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "Neo4j" in err, err
        assert fingerprint(seeded) == before
    result = cli("load", path)
    assert result.code == 0, result
    assert big_counts(seeded) == expected
    tally("faults survived")


def test_server_stopped_during_csv_import(clean_db, export, running, cli, tally):
    source = "crunchbase:" + export.name
    proc = start("import", "csv", export, "--batch-size", "100", "--no-progress")
    try:
        wait_until(lambda: clean_db.read("MATCH (e:Entity) RETURN count(e) > 0 AS yes")[0]["yes"],
                   "a batch is committed", proc=proc)
        running.stop()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        running.start(PASSWORD)
    assert proc.returncode != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert import_status(clean_db, source) == "running"
    assert "incomplete import" in cli("query", "top_investors").err

    result = cli("import", "csv", export, "--batch-size", "500")
    assert result.code == 0, result
    assert import_status(clean_db, source) == "complete"
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"] == 6000
    tally("faults survived")


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


def test_two_seed_loads_at_once_leave_no_duplicates(clean_db, tmp_path, tally):
    path = tmp_path / "mid.yaml"
    expected = big_dataset(path, 3000)
    procs = [start("load", path) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert big_counts(clean_db) == expected
    assert duplicates(clean_db) == []
    assert clean_db.read("MATCH (:Alias)-[r:ALIAS_OF]->() RETURN count(r) AS n")[0]["n"] == 3000 * 2 + 300  # "Co 1" folds to co-1's own key; "Fund 1" to fund-1's
    tally("faults survived")


def test_two_csv_imports_at_once_leave_no_duplicates(clean_db, export, cli, tally):
    procs = [start("import", "csv", export, "--batch-size", "500", "--no-progress") for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert duplicates(clean_db) == []
    together = content(clean_db)

    from graph.schema import wipe

    wipe(clean_db)
    assert cli("import", "csv", export).code == 0
    assert content(clean_db) == together
    tally("faults survived")


# -- transient errors ----------------------------------------------------------------------------
def test_a_deadlocked_write_is_retried_by_the_managed_transaction(seeded, tally):
    """Another transaction holds `alibaba` and waits for `tencent`, which our write holds when it
    asks for `alibaba`: the server fails our write with a transient DeadlockDetected, and the
    managed transaction runs it again, to success, once the other one is done."""
    holding, attempts, errors = threading.Event(), [], []

    def other():
        with seeded.session() as session, session.begin_transaction() as tx:
            tx.run("MATCH (e:Entity {id: 'alibaba'}) SET e.locked_by = 'other'").consume()
            holding.set()
            while not attempts:
                time.sleep(0.01)
            time.sleep(0.5)  # our write holds tencent by now
            try:
                tx.run("MATCH (e:Entity {id: 'tencent'}) SET e.locked_by = 'other'").consume()
                time.sleep(0.5)
                tx.rollback()
            except Exception as exc:  # noqa: BLE001 - recorded: the test fails if this one was the victim
                errors.append(exc)

    def work(tx):
        attempts.append(1)
        tx.run("MATCH (e:Entity {id: 'tencent'}) SET e.touched = true").consume()
        if len(attempts) == 1:
            wait_until(lambda: blocked(seeded), "the other transaction waits for tencent", timeout=30)
        tx.run("MATCH (e:Entity {id: 'alibaba'}) SET e.touched = true").consume()
        return len(attempts)

    thread = threading.Thread(target=other)
    thread.start()
    holding.wait(30)
    try:
        done = seeded.execute_write(work)
    finally:
        thread.join(60)
    assert errors == [] and done == 2, (errors, attempts)
    assert seeded.read("MATCH (e:Entity) WHERE e.id IN ['alibaba', 'tencent'] "
                       "RETURN collect(e.touched) AS t, collect(e.locked_by) AS l")[0] == {"t": [True, True], "l": []}
    tally("faults survived")


def blocked(conn) -> bool:
    return bool(conn.read("SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' "
                          "RETURN count(*) AS n")[0]["n"])
