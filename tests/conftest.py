"""Fixtures: a real Neo4j 5.26 server that the test run starts itself (never a mock).

The test server lives in ./.dealgraph-test on Bolt 7688 / HTTP 7475, apart from the demo server,
so running the tests never touches a user's graph. DEALGRAPH_TEST_HOME / _BOLT_PORT / _HTTP_PORT
move it; DEALGRAPH_TEST_KEEP=1 leaves it running after the session (faster reruns).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "dealgraph-test"

# Every dealgraph call in this process and in the CLI subprocesses talks to the test server.
_home = Path(os.environ.get("DEALGRAPH_TEST_HOME", ROOT / ".dealgraph-test")).resolve()
_bolt = int(os.environ.get("DEALGRAPH_TEST_BOLT_PORT", "7688"))
_http = int(os.environ.get("DEALGRAPH_TEST_HTTP_PORT", "7475"))
os.environ.update({
    "DEALGRAPH_HOME": str(_home), "DEALGRAPH_BOLT_PORT": str(_bolt), "DEALGRAPH_HTTP_PORT": str(_http),
    "NEO4J_URI": f"bolt://127.0.0.1:{_bolt}", "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": PASSWORD,
    "DEALGRAPH_HEAP": os.environ.get("DEALGRAPH_TEST_HEAP", "1g"),
})
os.environ.pop("NEO4J_DATABASE", None)


def pytest_collection_modifyitems(items):
    """Everything under tests/unit/ is the unit layer: pure code, no driver, no server."""
    unit = Path(__file__).resolve().parent / "unit"
    for item in items:
        if unit in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def server():
    """The running test server (started here if it is not already up)."""
    from graph.server import LocalServer

    local = LocalServer.from_env()
    started = local.start(PASSWORD)
    yield local
    if started and os.environ.get("DEALGRAPH_TEST_KEEP") != "1":
        local.stop()


@pytest.fixture(scope="session")
def conn(server):
    from graph.connection import connect
    from graph.schema import ensure_schema

    with connect() as c:
        ensure_schema(c)
        yield c


@pytest.fixture
def clean_db(conn):
    """An empty graph (constraints and indexes kept), for tests that write."""
    from graph.schema import wipe

    wipe(conn)
    return conn


@pytest.fixture(scope="module")
def seed_graph(conn):
    """The bundled seed dataset, loaded once per module: tests using it must only read."""
    from graph.load import load_dataset
    from graph.schema import wipe

    wipe(conn)
    load_dataset(conn)
    return conn


def fingerprint(conn, by_key: bool = False, imports: bool = False) -> tuple:
    """Every node and relationship with labels/type and properties: equal means unchanged.

    `by_key` names relationship ends by their id/key instead of element id and leaves out the
    `:Import` records, so the graphs of two different loads can be compared; with `imports` as
    well, the Import records are kept with their times replaced by their types (two loads run at
    different times). Properties are compared in name order (the order a store keeps them in is
    not part of the graph)."""
    skip = "WHERE NOT n:Import " if by_key and not imports else ""
    end = (lambda v: f"coalesce({v}.id, {v}.key)") if by_key else (lambda v: f"elementId({v})")
    nodes = conn.read(f"MATCH (n) {skip}RETURN labels(n) AS l, properties(n) AS p")
    if by_key and imports:
        for row in nodes:
            if "Import" in row["l"]:
                row["p"] = {k: (f"<{type(v).__name__} {v.tzinfo}>" if k in ("started", "finished") else v)
                            for k, v in row["p"].items()}
    rels = conn.read(f"MATCH (a)-[r]->(b) RETURN {end('a')} AS a, type(r) AS t, properties(r) AS p, "
                     f"{end('b')} AS b")
    canon = lambda rows: sorted(repr(sorted({**r, "p": sorted(r["p"].items())}.items(), key=str))  # noqa: E731
                                for r in rows)
    return tuple(canon(nodes)), tuple(canon(rels))


class CliResult:
    def __init__(self, done: subprocess.CompletedProcess):
        self.code, self.out, self.err = done.returncode, done.stdout, done.stderr

    def __repr__(self):
        return f"CliResult(code={self.code}, out={self.out[-500:]!r}, err={self.err[-500:]!r})"


@pytest.fixture(scope="session")
def cli(server):
    """Run the real `dealgraph` executable: exit code, stdout and stderr, as a user sees them."""
    exe = Path(sys.executable).with_name("dealgraph")

    def run(*args, input=None, env=None, timeout=300) -> CliResult:
        return CliResult(subprocess.run([str(exe), *map(str, args)], input=input, capture_output=True,
                                        text=True, timeout=timeout, env={**os.environ, **(env or {})}))

    return run


def assert_one_line_error(result: CliResult, *needles: str) -> None:
    """A user error: non-zero exit, one line on stderr, no traceback, naming what it should."""
    assert result.code != 0, result
    assert "Traceback" not in result.err + result.out, result
    lines = [l for l in result.err.splitlines() if l.strip()]
    assert len(lines) == 1, result
    for needle in needles:
        assert needle in lines[0], (needle, result)


# -- the reliability tally: printed at the end of every run ----------------------------------------
TALLY = {"bad inputs tried": 0, "faults survived": 0}


@pytest.fixture
def tally():
    """Count a bad input (`tally("bad inputs tried")`) or a fault once its test has checked it."""
    def add(kind: str, n: int = 1) -> None:
        TALLY[kind] += n
    return add


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"reliability: {TALLY['bad inputs tried']} bad inputs tried, {TALLY['faults survived']} faults survived")
