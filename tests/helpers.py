"""What the tests share that is not a fixture: constants, inputs, checks and small harnesses.

Test modules import these from here (`from helpers import ...`); the fixtures built on them are in
conftest.py. Nothing here starts a server or opens a connection by itself.
"""
from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import httpx
from neo4j.graph import Graph, Node
from neo4j.graph import Path as NeoPath

from graph.names import name_key

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "dealgraph-test"  # the test server's password (conftest.py points every dealgraph call at it)


def free_port() -> int:
    """A TCP port nobody listens on now (for a second server or app that the test starts itself)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def assert_one_line_error(result: CliResult, *needles: str) -> None:
    """A user error: non-zero exit, one line on stderr, no traceback, naming what it should."""
    assert result.code != 0, result
    assert "Traceback" not in result.err + result.out, result
    lines = [l for l in result.err.splitlines() if l.strip()]
    assert len(lines) == 1, result
    for needle in needles:
        assert needle in lines[0], (needle, result)


# -- the seed graph: its five articles and the facts they report -----------------------------------
SEEDS = ["000_31e833b6f579db1f.txt", "001_bd7e311f5da202fa.txt", "002_600afdb87e9a5ab0.txt",
         "003_c0d1f047a211b548.txt", "004_44423b5e27721ef9.txt"]
A0, A1, A2, A3, A4 = SEEDS


def fact(conn, rel_type: str, a: str, b: str, source: str) -> list[dict]:
    """The `rel_type` relationships from entity a to entity b that `source` reports."""
    return conn.read(f"MATCH (:Entity {{id: $a}})-[r:{rel_type}]->(:Entity {{id: $b}}) WHERE r.source = $s "
                     "RETURN properties(r) AS p ORDER BY r.id", {"a": a, "b": b, "s": source})


def one(conn, rel_type, a, b, source) -> dict:
    rows = fact(conn, rel_type, a, b, source)
    assert len(rows) == 1, (rel_type, a, b, source, rows)
    return rows[0]["p"]


# -- duplicates: one investor under two names (tests/test_resolution.py tells the story) -------------
DUPLICATES_DATASET = """\
articles:
  - {id: a1.txt, title: One, language: en}
  - {id: a2.txt, title: Two, language: en}
entities:
  - {id: zhenfund, kind: Fund, name: ZhenFund, country: CN}
  - {id: zhen-fund-ltd, kind: Fund, name: Zhen Fund Ltd., aliases: [真格基金], country: CN}
  - {id: fund-x, kind: Fund, name: Fund X, country: US}
  - {id: index-ventures, kind: Fund, name: Index Ventures, country: GB}
  - {id: index-capital, kind: Fund, name: Index Capital, country: GB}
  - {id: alpha, kind: Company, name: Alpha AI, country: CN}
  - {id: beta, kind: Company, name: Beta Robotics, country: CN}
rounds:
  - {id: alpha-a, company: alpha, source: a1.txt, date: "2023-05"}
facts:
  - {type: INVESTED_IN, from: zhenfund, to: alpha, source: a1.txt, round: alpha-a, date: "2023-05"}
  - {type: INVESTED_IN, from: zhen-fund-ltd, to: alpha, source: a2.txt, round: alpha-a, date: "2023-05"}
  - {type: INVESTED_IN, from: zhen-fund-ltd, to: beta, source: a2.txt, date: "2024-01"}
  - {type: INVESTED_IN, from: fund-x, to: alpha, source: a1.txt, round: alpha-a, date: "2023-05"}
  - {type: INVESTED_IN, from: fund-x, to: beta, source: a2.txt, date: "2024-01"}
  - {type: INVESTED_IN, from: index-ventures, to: beta, source: a2.txt, date: "2024-01"}
"""


# -- the web app, running in a thread of the test process ------------------------------------------
WEB_PORT = int(os.environ.get("DEALGRAPH_TEST_WEB_PORT", "8101"))
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
HOSTILE_NOTE = "</script><script>alert(3)</script>"
ARTICLE = "003_c0d1f047a211b548.txt"


class Running:
    """The app in a thread (graph.web.Background) and an HTTP client for it."""

    def __init__(self, port: int, settings=None):
        from graph.web import Background  # Starlette, uvicorn and Jinja2: only for the tests that serve

        self.background = Background(settings, port=port)
        self.url, self.app = self.background.url, self.background.app
        self.client = httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def stop(self) -> None:
        self.client.close()
        self.background.stop()


def add_hostile(conn) -> None:
    """An entity whose name is an attack, with an alias entry, invested in Zhipu AI by a fact
    whose note tries to close a script element."""
    conn.write("CREATE (e:Entity:Company {id: 'xss-co', kind: 'Company', name: $name, aliases: [$name], "
               "country: 'VN', description: $note, sources: [$article]}) "
               "MERGE (k:Alias {key: $key}) CREATE (k)-[:ALIAS_OF {names: [$name]}]->(e) "
               "WITH e MATCH (z:Entity {id: 'zhipu-ai'}), (a:Article {id: $article}) "
               "CREATE (e)-[:INVESTED_IN {id: 'xss-fact', source: $article, note: $note, amount_text: $name}]->(z), "
               "(e)-[:MENTIONED_IN]->(a)",
               {"name": HOSTILE, "key": name_key(HOSTILE), "note": HOSTILE_NOTE, "article": ARTICLE})
    conn.execute_write(lambda tx: tx.run("CALL db.awaitIndexes(60)").consume())


# -- driver values without a driver: what tables and pictures are made of -----------------------------
class GraphValues:
    """Nodes, relationships and paths built as the driver builds them from Bolt (neo4j.graph),
    for unit tests of the code that renders them; no connection is involved."""

    def __init__(self):
        self.graph, self.count = Graph(), 0

    def node(self, *labels: str, **props):
        self.count += 1
        return Node(self.graph, f"4:test:{self.count}", self.count, labels, props)

    def rel(self, start, rel_type: str, end, **props):
        self.count += 1
        rel = self.graph.relationship_type(rel_type)(self.graph, f"5:test:{self.count}", self.count, props)
        rel._start_node, rel._end_node = start, end  # as neo4j's Bolt hydrator does
        return rel

    def path(self, start, *rels):
        return NeoPath(start, *rels)


# -- Chromium: pages opened in a real browser ------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


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
    from graph import viz  # pyvis: only for the tests that draw

    return viz.write_page(net, tmp_path / f"{name}.html")
