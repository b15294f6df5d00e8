"""Fixtures: a real Neo4j 5.26 server that the test run starts itself (never a mock).

What the tests share that is not a fixture (inputs, checks, harnesses) is in helpers.py.

The test server lives in ./.dealgraph-test on Bolt 7688 / HTTP 7475, apart from the demo server,
so running the tests never touches a user's graph. DEALGRAPH_TEST_HOME / _BOLT_PORT / _HTTP_PORT
move it; DEALGRAPH_TEST_KEEP=1 leaves it running after the session (faster reruns).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, CliResult, GraphValues

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


UNIT = Path(__file__).resolve().parent / "unit"


def pytest_collection_modifyitems(items):
    """Everything under tests/unit/ is the unit layer: pure code, no driver, no server."""
    for item in items:
        if UNIT in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.unit)


def pytest_ignore_collect(collection_path, config):
    """With `-m unit`, the modules outside tests/unit/ (none of whose tests is a unit test) are not
    even imported: the unit layer then needs none of their imports and starts in a moment."""
    if config.getoption("markexpr", "") == "unit" and collection_path.name.startswith("test_") \
            and collection_path.suffix == ".py" and UNIT not in collection_path.resolve().parents:
        return True
    return None


@pytest.fixture(autouse=True)
def _unit_tests_open_no_connection(request, monkeypatch):
    """A unit test that reaches for a server (a driver, a socket) fails at once, whatever runs."""
    if request.node.get_closest_marker("unit"):
        def refuse(sock, address, *args):
            raise AssertionError(f"a unit test tried to connect to {address!r}: it belongs outside tests/unit/")
        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)


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


def _seed(conn):
    from graph.load import load_dataset
    from graph.schema import wipe

    wipe(conn)
    load_dataset(conn)
    return conn


@pytest.fixture(scope="module")
def seed_graph(conn):
    """The bundled seed dataset, loaded once per module: tests using it must only read."""
    return _seed(conn)


@pytest.fixture
def fresh_seed(conn):
    """The bundled seed dataset, loaded for one test that may change it."""
    return _seed(conn)


@pytest.fixture(scope="session")
def small_export(tmp_path_factory) -> Path:
    """A generated Crunchbase export (400 investments): read-only, copy it before spoiling it."""
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("export") / "tiny"
    generate(folder, investments=400, seed=11)
    return folder


@pytest.fixture(scope="session")
def large_export(tmp_path_factory) -> Path:
    """A generated Crunchbase export big enough (6,000 investments) to stop half-way through."""
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("large-export") / "export"
    generate(folder, investments=6000, seed=3)
    return folder


@pytest.fixture(scope="session")
def cli(server):
    """Run the real `dealgraph` executable: exit code, stdout and stderr, as a user sees them."""
    exe = Path(sys.executable).with_name("dealgraph")

    def run(*args, input=None, env=None, timeout=300) -> CliResult:
        return CliResult(subprocess.run([str(exe), *map(str, args)], input=input, capture_output=True,
                                        text=True, timeout=timeout, env={**os.environ, **(env or {})}))

    return run


# -- the reliability line: printed at the end of every run ------------------------------------------
# What it counts is what passed: a test marked `bad_input` asserts that a bad input was refused
# cleanly, one marked `fault` that dealgraph survived a fault; it counts once it has passed.
RELIABILITY = {"bad_input": "bad inputs refused", "fault": "faults survived"}
_PASSED = dict.fromkeys(RELIABILITY, 0)
_CALL_PASSED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_PASSED] = report.passed
    elif report.when == "teardown" and report.passed and item.stash.get(_CALL_PASSED, False):
        for marker in RELIABILITY:
            if item.get_closest_marker(marker):
                _PASSED[marker] += 1
    return report


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        "reliability: " + ", ".join(f"{_PASSED[m]} {what}" for m, what in RELIABILITY.items()))


@pytest.fixture
def values():
    return GraphValues()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (its pages are not closed before then)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `./dev test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


