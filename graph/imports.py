"""A record in the graph of every batched import, so that one cut short never looks complete.

A batched import (`dealgraph import csv`) commits one transaction per batch: killed, or with the
server gone, half-way, it leaves part of its data behind. So before its first batch it MERGEs
(:Import {source}) with status 'running' and the rows it is about to write, and only after its
last batch sets status 'complete'. `started` and `finished` are when the source was first started
and first complete, so that importing the same data again leaves the graph exactly as it was. An Import that is not 'complete' therefore
means "this graph holds part of that import": `incomplete(conn)` lists them, the CLI warns about
them, and running the same import again (MERGE changes nothing that is already there) finishes it.
A `dealgraph load` that changed the graph records itself the same way (kind 'load', complete, with
`changed`: when it last changed the graph); these times are how graph.analytics knows an analysis
is stale.
"""
from __future__ import annotations

from . import values
from .errors import DealgraphError

RUNNING, COMPLETE = "running", "complete"


def check_source(source: str) -> str:
    """An import's name (`--name`) as text Neo4j can index and a terminal can show (graph.values.text),
    else one line: it keys the (:Import) record and is the `source` of all the import writes."""
    try:
        checked = values.text(source)
    except ValueError as exc:
        raise DealgraphError(f"--name {source[:40]!r}: {exc}") from None
    if checked is None:
        raise DealgraphError("--name: an import's name cannot be blank")
    return checked


def begin(conn, source: str, kind: str, rows: int) -> None:
    """Mark `source` as being imported (before the first batch is written)."""
    conn.write("MERGE (i:Import {source: $source}) ON CREATE SET i.started = datetime() "
               "SET i.status = $status, i.kind = $kind, i.rows = $rows",
               {"source": source, "status": RUNNING, "kind": kind, "rows": rows})


def finish(conn, source: str) -> None:
    """Mark `source` as complete (after the last batch committed)."""
    conn.write("MATCH (i:Import {source: $source}) SET i.status = $status, i.finished = coalesce(i.finished, datetime())",
               {"source": source, "status": COMPLETE})


def record_load(tx, source: str) -> None:
    """Mark, inside a load's own transaction, that `source` changed the graph just now.

    Only loads that changed something call it (loading twice leaves the graph as it was), so that
    an analysis of the graph (graph.analytics) can tell it has become stale.
    """
    tx.run("MERGE (i:Import {source: $source}) ON CREATE SET i.started = datetime() "
           "SET i.kind = 'load', i.status = $status, i.finished = coalesce(i.finished, datetime()), "
           "i.changed = datetime()", source=source, status=COMPLETE).consume()


def incomplete(conn) -> list[dict]:
    """The imports that started and never finished: {source, kind, status, started}."""
    return conn.read("MATCH (i:Import) WHERE i.status <> $complete "
                     "RETURN i.source AS source, i.kind AS kind, i.status AS status, toString(i.started) AS started "
                     "ORDER BY source", {"complete": COMPLETE})


def warning(conn) -> str | None:
    """One line telling a user the graph holds incomplete imports, or None."""
    rows = incomplete(conn)
    if not rows:
        return None
    names = ", ".join(repr(r["source"]) for r in rows)
    return (f"warning: the graph holds an incomplete import ({names}, started {rows[0]['started'][:19]}): "
            "answers may miss data; run the same `dealgraph import` again to finish it")
