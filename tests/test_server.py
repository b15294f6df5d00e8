"""The foundation: a real local Neo4j started from Maven jars (connection failures: test_connection_failures.py)."""
from __future__ import annotations


from helpers import assert_one_line_error, free_port



def test_status_running(cli):
    result = cli("neo4j", "status")
    assert result.code == 0, result
    assert "running: Neo4j 5.26." in result.out


def test_start_is_a_noop_when_running(cli, server):
    result = cli("neo4j", "start")
    assert result.code == 0, result
    assert "Already running" in result.out and server.bolt_uri in result.out


def test_start_stop_status_cycle_twice(cli, tmp_path):
    """A second server in its own home, on other ports: start, status, stop, twice in a row."""
    bolt, http = free_port(), free_port()  # spare ports: other test runs on this machine may use fixed ones
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


def test_status_verbose_says_which_java_and_where_the_jars_are(cli, server):
    from graph.jars import LOCK, cache_dir, read_lock
    from graph.java import find_java

    result = cli("neo4j", "status", "--verbose")
    assert result.code == 0, result
    lines = dict(line.split(":", 1) for line in result.out.splitlines() if not line.startswith("running"))
    java, jars = find_java(), read_lock()
    assert java.major in (17, 21)
    assert lines["Java"].strip() == f"Java {java.version} from {java.source} ({java.executable})"
    neo4j_version = next(jar.version for jar in jars if jar.coords.startswith("org.neo4j:neo4j:"))
    assert lines["Jars"].strip() == (f"{len(jars)} of Neo4j {neo4j_version} (lock {LOCK}) in {cache_dir()}: "
                                     "all present and checked")
    assert lines["Home"].strip() == str(server.home)
    assert "running: Neo4j 5.26." in result.out
