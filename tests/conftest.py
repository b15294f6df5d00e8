"""Fixtures: a real Neo4j 5.26 server that the test run starts itself (never a mock).

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


# -- inputs: a small dataset in the seed format, and generated Crunchbase exports ---------------------
# Valid as it stands (tests/unit/test_dataset.py checks so); each bad-input case changes one thing
# in it, so that its failure can only come from that one thing.
SMALL_DATASET = """\
articles:
  - id: a1.txt
    title: An article
    language: vi
  - id: a2.txt
    title: Another article
    language: en
    published: "2024-03-01"
entities:
  - id: alpha
    kind: Company
    name: Alpha AI
    aliases: [Alpha, ALPHA AI Corp]
    country: VN
  - id: fund-one
    kind: Fund
    name: Fund One
  - id: alpha-1
    kind: Model
    name: Alpha-1
  - id: regulator
    kind: GovernmentBody
    name: Trade Regulator
rounds:
  - id: alpha-a
    company: alpha
    source: a1.txt
    date: "2023-05"
    amount: 1000000
    currency: USD
facts:
  - type: INVESTED_IN
    from: fund-one
    to: alpha
    source: a1.txt
    round: alpha-a
    amount: 5000
    currency: EUR
    date: "2023-05-10"
  - type: DEVELOPS
    from: alpha
    to: alpha-1
    source: a1.txt
  - type: FINED
    from: regulator
    to: alpha
    amount: 2.5e6
    currency: USD
    source: a2.txt
"""


def small_dataset(*changes: tuple[str, str]) -> str:
    """SMALL_DATASET with each (old, new) applied; `old` must occur exactly once."""
    text = SMALL_DATASET
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} is not one line of the small dataset"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The 1-based line where `needle` (which may span lines) first starts in `text`."""
    return text[: text.index(needle)].count("\n") + 1


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


# -- driver values without a driver: what tables and pictures are made of -----------------------------
class GraphValues:
    """Nodes, relationships and paths built as the driver builds them from Bolt (neo4j.graph),
    for unit tests of the code that renders them; no connection is involved."""

    def __init__(self):
        from neo4j.graph import Graph

        self.graph, self.count = Graph(), 0

    def node(self, *labels: str, **props):
        from neo4j.graph import Node

        self.count += 1
        return Node(self.graph, f"4:test:{self.count}", self.count, labels, props)

    def rel(self, start, rel_type: str, end, **props):
        self.count += 1
        rel = self.graph.relationship_type(rel_type)(self.graph, f"5:test:{self.count}", self.count, props)
        rel._start_node, rel._end_node = start, end  # as neo4j's Bolt hydrator does
        return rel

    def path(self, start, *rels):
        from neo4j.graph import Path as NeoPath

        return NeoPath(start, *rels)


@pytest.fixture
def values():
    return GraphValues()


# -- Chromium: pages opened in a real browser ------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


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


class Recorded:
    """A Chromium tab that records what its pages logged, requested and tried to pop up."""

    def __init__(self, browser, width: int = 1400, height: int = 900):
        self.console, self.requests, self.dialogs = [], [], []
        self.page = page = browser.new_page(viewport={"width": width, "height": height})
        page.add_init_script("window.__alerts = []; ['alert', 'confirm', 'prompt'].forEach("
                             "function (f) { window[f] = function (m) { window.__alerts.push(String(m)); }; });")
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))


class Opened(Recorded):
    """A page file loaded in Chromium, with everything it logged, requested and tried to pop up."""

    def __init__(self, browser, path: Path, shot: str):
        super().__init__(browser)
        self.path, page = path, self.page
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=180_000)
        ARTIFACTS.mkdir(exist_ok=True)
        self.screenshot = ARTIFACTS / f"{shot}.png"
        page.screenshot(path=str(self.screenshot))

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def counts(self) -> tuple[int, int]:
        """How many nodes and edges the vis network itself holds."""
        return tuple(self.js("[network.body.data.nodes.length, network.body.data.edges.length]"))

    def assert_clean(self) -> None:
        """Loaded without errors, from the file alone, and nothing tried to pop up."""
        assert [m for m in self.console if m.startswith(("error", "pageerror"))] == [], self.console
        assert set(self.requests) == {self.path.resolve().as_uri()}, self.requests
        assert self.dialogs == [] and self.js("window.__alerts") == [], (self.dialogs, self.js("window.__alerts"))
        assert self.screenshot.stat().st_size > 10_000

    def hover_node(self, node_id: str) -> str:
        """Move the mouse onto a node and return the tooltip text vis-network shows."""
        x, y = self.js("""id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                                  const r = document.getElementById('graph').getBoundingClientRect();
                                  return [r.left + p.x, r.top + p.y]; }""", node_id)
        self.page.mouse.move(x - 3, y - 3)
        self.page.mouse.move(x, y)
        tooltip = self.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
        return tooltip.inner_text()


def page_of(net, tmp_path, name: str) -> Path:
    """A pyvis Network of graph.viz written as its page in tmp_path."""
    from graph import viz

    return viz.write_page(net, tmp_path / f"{name}.html")
