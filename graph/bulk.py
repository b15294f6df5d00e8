"""A first import at the speed of the machine: the writer's records as CSV files for `neo4j-admin
database import full`, run on the local server's empty database.

The transactional writer (graph.write) MERGEs batch after batch, about 14,000 rows/s whatever the
machine. Neo4j's offline importer writes the store files directly, many times faster, but only
into a database that is stopped, and it replaces that database. So `--bulk` is for one case: the
local server (graph.server.LocalServer, this machine's $DEALGRAPH_HOME) with an EMPTY database.
Anything else is refused in one line, before anything is read, and again (the graph still
untouched) before the server is stopped.

Same graph either way: the readers are the transactional import's (every row checked as
today), and `Tables` takes their records (the shapes graph.write's docstring defines) and applies
graph.write's rules for a graph that starts empty: an entity gets `Entity` and its kind label,
its non-None properties, `id`, `kind` and `sources`; one Alias per name key, ALIAS_OF with
`names`; MENTIONED_IN for sources that are articles of the same import; a round its properties,
RAISED from its company and REPORTED_IN to its article when those were written before it; a fact
its properties and `id` when both ends were written before it; and the (:Import) record, marked
complete, with `started` and `finished` as datetimes. A record whose id comes twice (which the
transactional path would merge) is refused rather than merged differently: run without --bulk.

Typed columns: a property's type is that of its Python value (bool -> boolean, int -> long,
float -> double, str -> string, lists -> arrays). Records are written to CSV as they come, in one
pass; each data file's header is a file of its own, written last, once the types of its columns
are known (a property that is an int in one record and a float in another goes to two files, as
the transactional path stores a long and a double: see _Group). Values are written by `_cell`
rather than the csv module: Python 3.11's csv cannot tell None (no property: an empty unquoted
field) from "" (an empty string: a quoted field).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

from .batch import StepResult, Summary
from .errors import DealgraphError
from .imports import COMPLETE
from .java import find_java
from .schema import FACT_TYPES, check_label, check_type, ensure_schema
from .server import LocalServer
from .sources import ARTICLES, ENTITIES, FACTS, ROUNDS

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: the readers refuse control characters in values
LONG_MIN, LONG_MAX = -(2 ** 63), 2 ** 63 - 1
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


# -- the target: refused unless it is the local server with an empty database ---------------------
def local_target(conn, server=None):
    """The LocalServer `conn` talks to, if it is this machine's configured server with an empty
    database; else DealgraphError in one line saying why and what to run instead."""
    server = server or LocalServer.from_env()
    instead = "run the same command without --bulk (the transactional import)"
    if not is_local(conn.settings.uri, server.bolt_port):
        raise DealgraphError(f"--bulk writes the store files of the local server ({server.bolt_uri}, "
                             f"DEALGRAPH_HOME={server.home}), not {conn.settings.uri}: {instead}")
    if not server.pid():
        raise DealgraphError(f"--bulk needs the local server under {server.home} running (dealgraph neo4j start); "
                             f"{conn.settings.uri} is not it: {instead}")
    if conn.database not in (None, "neo4j"):
        raise DealgraphError(f"--bulk imports into the default database 'neo4j', not {conn.database!r}: {instead}")
    if conn.read("MATCH (n) RETURN count(n) > 0 AS any LIMIT 1")[0]["any"]:
        raise DealgraphError(f"--bulk replaces the whole database and {conn.settings.uri} is not empty: {instead} "
                             "(it merges), or empty it first with `dealgraph load --reset`")
    return server


def is_local(uri: str, bolt_port: int) -> bool:
    """Whether a Bolt URI names this machine's server on `bolt_port`."""
    parsed = urlparse(uri)
    return parsed.hostname in LOCAL_HOSTS and (parsed.port or 7687) == bolt_port


# -- CSV cells ------------------------------------------------------------------------------------
_TYPES = {bool: "boolean", float: "double", str: "string"}  # exact types whose header type needs no check
_SCALAR_TYPES = frozenset((*_TYPES, int, type(None)))  # a row of only these has one file per shape (_Group.add)


def value_type(value, prop: str = "") -> str:
    """The importer's header type of a property value (None: no property)."""
    kind = _TYPES.get(type(value))  # the common case, once per value of every record
    if kind is not None:
        return kind
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        if not LONG_MIN <= value <= LONG_MAX:
            raise DealgraphError(f"property {prop!r}: {value} does not fit a 64-bit integer")
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        kinds = {value_type(v, prop) for v in value} or {"string"}  # [] fits any array type
        if len(kinds) != 1:
            raise DealgraphError(f"property {prop!r}: a list of mixed types "
                                 f"cannot be bulk-imported exactly ({value!r:.60}): run without --bulk")
        return kinds.pop() + "[]"
    raise DealgraphError(f"property {prop!r}: a {type(value).__name__} cannot be bulk-imported: run without --bulk")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        if not LONG_MIN <= value <= LONG_MAX:
            raise DealgraphError(f"{value} does not fit a 64-bit integer: run without --bulk")
        return str(value)
    return _text(value)


def _text(value: str) -> str:
    if ARRAY_DELIMITER in value:
        raise DealgraphError(f"value {value[:60]!r} holds the control character U+001F: run without --bulk")
    return value


def _cell(value) -> str:
    """One CSV field: None is empty (no property), text is always quoted (so "" is an empty string)."""
    if type(value) is str:  # the common case first, without _scalar's checks of other types
        return '"' + _text(value).replace('"', '""') + '"'
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        text = ARRAY_DELIMITER.join(_scalar(v) for v in value)
    else:
        text = _scalar(value)
    if isinstance(value, (str, list, tuple)):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells) -> str:
    return ",".join(_cell(c) for c in cells) + "\n"


# -- CSV files, written as the records come -------------------------------------------------------
@dataclass
class _File:
    """One CSV data file of a group: its columns, and the type each column has taken so far
    (None until a row gives the column a value). Its header goes in a file of its own, written
    last, when every column's type is known."""

    path: Path
    columns: tuple
    tags: list
    out: object
    index: dict = field(init=False)  # column -> position

    def __post_init__(self):
        self.index = {k: i for i, k in enumerate(self.columns)}


@dataclass
class _Group:
    """The records of one node label set or relationship type, written straight to CSV.

    A property's type is that of its Python value. A row goes to the first file of the group
    whose columns hold all its properties and whose types agree with its values (None agrees
    with anything); else a new file is started. So a property that is an int in one record and a
    float in another lands in two files, as the transactional path stores a long and a double.
    """

    name: str            # file name stem
    labels: str          # "Entity:Company" for nodes, the type for relationships
    head: list[str]      # the leading id columns ("id:ID(Entity)" or ":START_ID(..)", ":END_ID(..)")
    folder: Path
    columns: dict = field(default_factory=dict)  # every property seen, in order of first sight
    files: list = field(default_factory=list)
    rows: int = 0
    multiline: bool = False  # a value spans lines (the importer must then be told: it is slower)
    _placed: dict = field(default_factory=dict)  # (keys, value types) -> the file such rows go to

    def add(self, ids: tuple, props: dict) -> None:
        # Rows of one reader share their keys and, mostly, their value types: the file such a row
        # went to is remembered by (keys, types). Files only gain tags (None -> a type) and are
        # only appended, so the remembered file is the one the search below would find again.
        # Lists are searched every time (their header type is that of their items).
        shape = (tuple(props), tuple(map(type, props.values())))
        f = self._placed.get(shape)
        if f is None:
            f = self._place(props)
            if _SCALAR_TYPES.issuperset(shape[1]):
                self._placed[shape] = f
        line = ",".join([*map(_cell, ids), *map(_cell, map(props.get, f.columns))])
        if not self.multiline and ("\n" in line or "\r" in line):
            self.multiline = True
        f.out.write(line + "\n")
        self.rows += 1

    def _place(self, props: dict) -> "_File":
        """The first file whose columns hold the row's properties and whose types agree, else a new one."""
        columns, tags = self.columns, []
        for k, v in props.items():
            if k not in columns:  # None too: a reader's records name the same keys, so one file takes them
                columns[k] = None
            if v is not None:
                tags.append((k, value_type(v, k)))
        for f in self.files:
            index, known = f.index, f.tags
            for k, tag in tags:
                i = index.get(k)
                if i is None or known[i] not in (None, tag):
                    break
            else:
                break
        else:
            f = self._new_file()
        for k, tag in tags:
            f.tags[f.index[k]] = tag
        return f

    def _new_file(self) -> "_File":
        columns = tuple(self.columns)
        path = self.folder / f"{self.name}-{len(self.files)}.csv"
        f = _File(path, columns, [None] * len(columns), open(path, "w", encoding="utf-8", newline=""))
        self.files.append(f)
        return f

    def close(self) -> list[str]:
        """Close the data files and write their headers: the importer's `header,data` file lists."""
        out = []
        for f in self.files:
            f.out.close()
            header = f.path.with_name(f.path.stem + "-header.csv")
            header.write_text(",".join([*self.head, *(f"{k}:{t or 'string'}" for k, t in zip(f.columns, f.tags))])
                              + "\n", encoding="utf-8")
            out.append(f"{header},{f.path}")
        return out


def _blank(value) -> bool:
    """[] or [""]: a list the importer reads as no property."""
    return type(value) in (list, tuple) and len(value) <= 1 and (not value or value[0] == "")


class Tables:
    """The writer's records (graph.write) as the node and relationship files of one full import.

    Feed it `articles`, `entities`, `rounds` and `facts` in the order the transactional import
    writes them; `files()` then writes the CSV files and returns the importer's --nodes and
    --relationships arguments. Counts per step are what the import will create.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.groups: dict[tuple, _Group] = {}
        self.articles: set = set()
        self.entities: set = set()
        self.aliases: set = set()
        self.rounds: set = set()
        self.facts: dict[str, set] = {}
        self.fixups: list[tuple] = []  # (label or type, key property, key, {property: list}) set after the import
        self.nodes = self.relationships = 0

    def _group(self, node: bool, labels: str, head: list[str]) -> _Group:
        key = (node, labels)
        group = self.groups.get(key)
        if group is None:
            name = ("nodes-" if node else "rels-") + labels.replace(":", "-")
            group = self.groups[key] = _Group(name, labels, head, self.folder)
        return group

    @property
    def multiline(self) -> bool:
        return any(g.multiline for g in self.groups.values())

    def _blank_lists(self, props: dict, where: tuple) -> dict:
        """Lists the importer cannot write ([] and [""] read as no property) are set after it, by Cypher."""
        blank = {k: v for k, v in props.items() if _blank(v)}
        if blank:
            self.fixups.append((*where, blank))
            props = {k: v for k, v in props.items() if k not in blank}
        return props

    def _node(self, labels: str, space: str, key: str, key_value: str, props: dict) -> None:
        props = self._blank_lists(props, (space, key, key_value))
        self._group(True, labels, [f"{key}:ID({space})"]).add((key_value,), props)
        self.nodes += 1

    def _rel(self, rel_type: str, start: str, end: str, a: str, b: str, props: dict) -> None:
        if "id" in props:
            props = self._blank_lists(props, (rel_type, "id", props["id"]))
        elif any(map(_blank, props.values())):
            raise DealgraphError(f"a {rel_type} relationship with an empty list cannot be bulk-imported: "
                                 "run without --bulk")
        self._group(False, rel_type, [f":START_ID({start})", f":END_ID({end})"]).add((a, b), props)
        self.relationships += 1

    def _once(self, seen: set, what: str, record_id: str) -> None:
        if record_id in seen:
            raise DealgraphError(f"{what} {record_id!r} comes twice in the input: --bulk does not merge records; "
                                 "run without --bulk")
        seen.add(record_id)

    # -- the records, as graph.write writes them into an empty graph ------------------------------
    def article(self, row: dict) -> None:
        self._once(self.articles, "article", row["id"])
        self._node("Article", "Article", "id", row["id"], {k: v for k, v in row["props"].items() if k != "id"})

    def entity(self, row: dict) -> None:
        self._once(self.entities, "entity", row["id"])
        kind = check_label(row["kind"])
        props = {k: v for k, v in row["props"].items() if k != "id"}
        props.update(kind=row["kind"], sources=list(row["sources"]))
        self._node(f"Entity:{kind}", "Entity", "id", row["id"], props)
        for k in row["keys"]:
            if k["key"] not in self.aliases:
                self.aliases.add(k["key"])
                self._node("Alias", "Alias", "key", k["key"], {})
            self._rel("ALIAS_OF", "Alias", "Entity", k["key"], row["id"], {"names": list(k["names"])})
        for source in dict.fromkeys(row["sources"]):
            if source in self.articles:
                self._rel("MENTIONED_IN", "Entity", "Article", row["id"], source, {})

    def round(self, row: dict) -> None:
        self._once(self.rounds, "round", row["id"])
        props = {k: v for k, v in row["props"].items() if k != "id"}
        self._node("Round", "Round", "id", row["id"], props)
        if row["company"] in self.entities:
            self._rel("RAISED", "Entity", "Round", row["company"], row["id"], {})
        if row["props"].get("source") in self.articles:
            self._rel("REPORTED_IN", "Round", "Article", row["id"], row["props"]["source"], {})

    def fact(self, row: dict) -> None:
        rel_type = check_type(row["type"])
        self._once(self.facts.setdefault(rel_type, set()), f"{rel_type} fact", row["id"])
        if row["from"] in self.entities and row["to"] in self.entities:
            self._rel(rel_type, "Entity", "Entity", row["from"], row["to"], {**row["props"], "id": row["id"]})

    def add(self, what: str, row: dict) -> None:
        {ARTICLES: self.article, ENTITIES: self.entity, ROUNDS: self.round, FACTS: self.fact}[what](row)

    def import_record(self, source: str, kind: str, rows: int, started: datetime, finished: datetime) -> Path:
        """The (:Import) record, complete (graph.imports), with datetime-typed `started` and `finished`."""
        path = self.folder / "nodes-Import.csv"
        stamp = lambda t: t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: E731
        path.write_text("source:ID(Import),kind:string,status:string,rows:long,started:datetime,finished:datetime\n"
                        + csv_line([source, kind, COMPLETE, rows]).rstrip("\n")
                        + f",{stamp(started)},{stamp(finished)}\n", encoding="utf-8")
        self.nodes += 1
        return path

    def apply_fixups(self, conn) -> None:
        """Set the lists the importer could not write ([] and [""]), by their node's key or fact's id."""
        by_target: dict[tuple, list] = {}
        for target, key, value, props in self.fixups:
            by_target.setdefault((target, key), []).append({"key": value, "props": props})
        for (target, key), rows in by_target.items():
            pattern = (f"()-[x:{check_type(target)} {{id: row.key}}]->()" if target in FACT_TYPES
                       else f"(x:{check_label(target)} {{{'key' if key == 'key' else 'id'}: row.key}})")
            for i in range(0, len(rows), 5000):
                conn.write(f"UNWIND $rows AS row MATCH {pattern} SET x += row.props", {"rows": rows[i:i + 5000]})

    def files(self) -> list[str]:
        """Finish the CSV files; the importer's --nodes=... and --relationships=... arguments."""
        args = []
        for (node, labels), group in self.groups.items():
            for files in group.close():
                args.append(f"--{'nodes' if node else 'relationships'}={labels}={files}")
        return args


# -- the import -----------------------------------------------------------------------------------
def write_steps(conn, steps, *, source: str, kind: str, bar, server=None) -> Summary:
    """Like graph.pipeline.write_steps, through neo4j-admin: the steps (graph.sources.Step) of a source.

    The database must be the local server's and empty (checked again here, just before the server
    stops). The records (already checked by the reader's first pass) need no database: they become
    CSV files under $DEALGRAPH_HOME/import while the server shuts down beside them. Then the
    importer replaces the empty database, the server starts again and the schema is created. A
    failure says what happened in one line and leaves the server running.
    """
    import threading


    server = local_target(conn, server)
    steps = list(steps)
    started = datetime.now(timezone.utc)
    folder = server.home / "import" / f"bulk-{os.getpid()}-{int(time.time())}"
    tables = Tables(folder)
    summary = Summary()
    stopping = threading.Thread(target=server.stop, name="dealgraph-bulk-stop", daemon=True)
    stopping.start()
    handed_over = False  # once import_full has it, the server is started again there
    try:
        for name, expected, what, rows in steps:
            task = bar.add_task(name, total=expected)
            step, t0 = StepResult(name), time.perf_counter()
            nodes, rels = tables.nodes, tables.relationships
            for row in rows:
                tables.add(what, row)
                step.rows += 1
                if step.rows % 2000 == 0:
                    bar.update(task, completed=step.rows)
            bar.update(task, completed=step.rows)
            step.nodes_created, step.relationships_created = tables.nodes - nodes, tables.relationships - rels
            step.seconds = time.perf_counter() - t0
            summary.steps.append(step)
        t0 = time.perf_counter()
        step = StepResult("CSV files")
        args = tables.files()
        step.seconds = time.perf_counter() - t0
        summary.steps.append(step)
        total = sum(expected for _, expected, _, _ in steps)
        # `finished` is when the data is in; the importer only copies what it is given.
        args.append(f"--nodes=Import={tables.import_record(source, kind, total, started, datetime.now(timezone.utc))}")
        step = StepResult("neo4j-admin import")
        task = bar.add_task("neo4j-admin import", total=None)
        t0 = time.perf_counter()
        stopping.join()
        handed_over = True
        step.nodes_created, step.relationships_created, step.seconds = import_full(
            server, conn.settings.password, args, multiline=tables.multiline, database=conn.database or "neo4j")
        bar.update(task, total=1, completed=1)
        made = step
        summary.steps.append(step)
        # The rest of that time is the server's: waiting for it to stop, then starting it again.
        summary.steps.append(StepResult("server stop and start", seconds=time.perf_counter() - t0 - step.seconds))
        t0 = time.perf_counter()
        step = StepResult("indexes")
        ensure_schema(conn)
        tables.apply_fixups(conn)
        step.seconds = time.perf_counter() - t0
        summary.steps.append(step)
    except BaseException:
        if not handed_over:  # refused while writing the files (or interrupted): the database is still empty
            stopping.join()
            server.start(conn.settings.password, timeout=_start_timeout())
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The steps above counted what they put in the files; the importer says what it made of them.
    summary.notes.append(f"Bulk import (neo4j-admin database import full) into the empty database of "
                         f"{server.bolt_uri}: {made.nodes_created:,} nodes, {made.relationships_created:,} "
                         "relationships")
    made.nodes_created = made.relationships_created = 0  # counted once, in the steps above
    return summary


def _start_timeout() -> float:
    return float(os.environ.get("DEALGRAPH_START_TIMEOUT", "900"))


def admin(server, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run `neo4j-admin` with the local server's own jars, Java and configuration."""
    server.ensure_jars()  # checked against graph/neo4j.lock; writes the classpath file the server uses
    run_env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.conf)}
    return subprocess.run([str(find_java().executable), f"-Xmx{server.heap}", f"@{server.classpath_file}",
                           "org.neo4j.cli.AdminTool", *args],
                          capture_output=True, text=True, env=run_env, timeout=timeout, cwd=server.home)


def import_full(server, password: str, args: list[str], *, multiline: bool,
                database: str = "neo4j") -> tuple[int, int, float]:
    """Stop the server (if it still runs), import the files into `database` (replacing it), start it
    again: (nodes, relationships, seconds the importer took).

    The server runs again afterwards whatever happened; a failure raises DealgraphError in one line.
    """
    import re

    memory = os.environ.get("DEALGRAPH_BULK_MEMORY", "1g")
    cmd = ["database", "import", "full", database, "--overwrite-destination=true", "--bad-tolerance=0",
           "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--array-delimiter=U+001F",
           f"--multiline-fields={'true' if multiline else 'false'}", f"--max-off-heap-memory={memory}",
           f"--report-file={server.home / 'logs' / 'import.report'}", *args]
    server.stop()
    started = time.perf_counter()
    try:
        done = admin(server, *cmd)
    except Exception as exc:  # noqa: BLE001 - e.g. no java: say it, after the server is back
        done, failure = None, f"{type(exc).__name__}: {exc}"
    finally:
        seconds = time.perf_counter() - started
        server.start(password, timeout=_start_timeout())
    if done is None or done.returncode != 0:
        if done is not None:
            lines = [l.strip() for l in (done.stderr + "\n" + done.stdout).splitlines() if l.strip()]
            errors = [l for l in lines if "rror" in l or "xception" in l or "failed" in l.lower()] or lines
            failure = (errors or ["no output"])[-1]
        raise DealgraphError(f"neo4j-admin database import failed, the server runs again with the database as the "
                             f"importer left it: {failure[:400]}")
    out = done.stdout + done.stderr
    nodes = re.search(r"([\d,.']+) nodes", out)
    rels = re.search(r"([\d,.']+) relationships", out)
    number = lambda m: int(re.sub(r"\D", "", m.group(1))) if m else 0  # noqa: E731
    return number(nodes), number(rels), seconds
