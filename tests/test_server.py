"""The foundation: a real local Neo4j started from Maven jars (connection failures: test_connection_failures.py)."""
from __future__ import annotations

import os

from conftest import assert_one_line_error


def test_status_running(cli):
    result = cli("neo4j", "status")
    assert result.code == 0, result
    assert "running: Neo4j 5.26." in result.out


def test_start_is_a_noop_when_running(cli, server):
    result = cli("neo4j", "start")
    assert result.code == 0, result
    assert "Already running" in result.out and server.bolt_uri in result.out


def test_start_stop_status_cycle_twice(cli, tmp_path):
    """A second server in its own home, on the ports after the test server's: start, status, stop, twice."""
    bolt, http = int(os.environ["DEALGRAPH_BOLT_PORT"]) + 1, int(os.environ["DEALGRAPH_HTTP_PORT"]) + 1
    env = {"DEALGRAPH_HOME": str(tmp_path / "home"), "DEALGRAPH_BOLT_PORT": str(bolt),
           "DEALGRAPH_HTTP_PORT": str(http), "NEO4J_URI": f"bolt://127.0.0.1:{bolt}", "DEALGRAPH_HEAP": "512m"}
    for _ in range(2):
        started = cli("neo4j", "start", env=env)
        assert started.code == 0 and "Started" in started.out and f"bolt://127.0.0.1:{bolt}" in started.out, started
        status = cli("neo4j", "status", env=env)
        assert status.code == 0 and "5.26." in status.out, status
        stopped = cli("neo4j", "stop", env=env)
        assert stopped.code == 0 and "Stopped" in stopped.out, stopped
        after = cli("neo4j", "status", env=env)
        assert_one_line_error(after, "cannot reach Neo4j")
