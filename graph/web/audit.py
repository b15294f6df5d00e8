"""Every write of the web app, recorded; and no lost update when two people save the same thing.

Each thing the app writes has a key ("article:003_x.txt", "pair:a|b") and a version, kept in
Neo4j as (:Record {key, version, by, at}); each write is a (:Change {key, version, at, by, action,
summary}) (LittleSis's edit history, Linkurious's audit trail). A form carries the version it
was opened at. A save (`change`) first claims the next version: of two saves opened at the same
version, the second is refused with `Conflict` (a 409 page: reload; its input is shown again,
never dropped). A save that fails gives its claim back and records nothing.

    with change(conn, "article:x.txt", expected=form_version, by=label, action="save") as done:
        ...write files, load them...
        done["summary"] = "3 facts accepted, 1 rejected"
"""
from __future__ import annotations

from contextlib import contextmanager

from ..errors import DealgraphError
from ..schema import ensure_schema


class Conflict(DealgraphError):
    """Someone saved since the form was opened (a 409 page)."""


def version(conn, key: str) -> int:
    """The key's version now (0: never saved)."""
    rows = conn.read("MATCH (r:Record {key: $key}) RETURN r.version AS v", {"key": key})
    return rows[0]["v"] if rows else 0


def history(conn, key: str, limit: int = 200) -> list[dict]:
    """The key's changes, the latest first: version, at (ISO text, UTC), by, action, summary."""
    return conn.read("MATCH (c:Change {key: $key}) RETURN c.version AS version, toString(c.at) AS at, c.by AS by, "
                     "c.action AS action, c.summary AS summary ORDER BY c.version DESC LIMIT $limit",
                     {"key": key, "limit": limit})


@contextmanager
def change(conn, key: str, expected: int, by: str, action: str):
    """Run the body as the key's next version, or raise Conflict if it is not at `expected`.

    The version is claimed first, in one transaction that locks the Record before it compares
    (so of two saves opened at one version, exactly one claims it, in any number of processes);
    the body then runs; its Change is recorded after it. Yields a dict whose "summary" the body
    may set. If the body raises, the claim is given back and nothing is recorded."""
    if not getattr(conn, "audited", False):  # the Record key's constraint: one Record per key
        ensure_schema(conn)
        conn.audited = True
    done = {"summary": ""}
    claimed = conn.write("MERGE (r:Record {key: $key}) ON CREATE SET r.version = 0 "
                   "SET r.claims = coalesce(r.claims, 0) + 1 "  # the write lock, before the comparison
                   "WITH r WHERE r.version = $expected SET r.version = $expected + 1, r.by = $by, r.at = datetime() "
                         "RETURN r.version AS v", {"key": key, "expected": expected, "by": by})
    if not claimed:
        last = conn.read("MATCH (r:Record {key: $key}) RETURN r.version AS v, r.by AS by, toString(r.at) AS at",
                         {"key": key})[0]
        now = last["v"]
        who = f" by {last['by']} at {last['at'][:19].replace('T', ' ')} UTC" if last["by"] else ""
        raise Conflict(f"{key.partition(':')[2] or key} was saved{who} (version {now}) after you opened it "
                       f"(version {expected}): reload it and apply your changes again; they are not saved, "
                       "and are shown below")
    try:
        yield done
    except BaseException:
        conn.write("MATCH (r:Record {key: $key}) WHERE r.version = $expected + 1 SET r.version = $expected "
                   "WITH r WHERE r.version = 0 DELETE r",  # never saved: no Record left behind
                   {"key": key, "expected": expected})
        raise
    conn.write("CREATE (:Change {key: $key, version: $v, at: datetime(), by: $by, action: $action, summary: $summary})",
               {"key": key, "v": expected + 1, "by": by, "action": action, "summary": str(done["summary"])[:2000]})

