"""Names to entities: "Dipsic", "علي بابا" or "Sequoia China" to the one entity they stand for.

A name is folded to its key (graph.names.name_key: case, accents, Arabic letter variants,
punctuation) and looked up in the unique ``:Alias(key)`` index, so lookups cost one index seek
whatever the graph's size. A key linked to several entities is ambiguous and says so; an unknown
name gets the closest known names as suggestions.
"""
from __future__ import annotations

from .errors import DealgraphError
from .names import name_key

# The hint keeps the plan a seek on the alias-key index whatever the planner's statistics say
# (one test run, after many wipes, got a plan without that seek).
_LOOKUP = """
MATCH (a:Alias {key: $key})-[r:ALIAS_OF]->(e:Entity)
USING INDEX a:Alias(key)
RETURN e.id AS id, e.name AS name, e.kind AS kind, [l IN labels(e) WHERE l <> 'Entity'] AS labels,
       e.country AS country, r.names AS names
ORDER BY e.id
"""


class UnknownName(DealgraphError):
    """No entity has this name; `suggestions` holds the closest ones (dicts with id and name)."""

    def __init__(self, message: str, suggestions: list[dict]):
        super().__init__(message)
        self.suggestions = suggestions


class AmbiguousName(DealgraphError):
    """Several entities have this name; `candidates` lists them."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


def candidates(conn, text: str) -> list[dict]:
    """Every entity that has `text` as a name or alias (any case, accent or script), by id."""
    key = name_key(text or "")
    if not key:
        return []
    rows = conn.read(_LOOKUP, {"key": key})
    for row in rows:
        names = row.pop("names") or []
        row["matched"] = text if text in names else (names[0] if names else text)
    return rows


def resolve(conn, text: str) -> dict:
    """The one entity named `text`: {id, name, kind, labels, country, matched}, or a DealgraphError."""
    if not name_key(text or ""):
        raise DealgraphError(f"{text!r} has no letters or digits to look up")
    found = candidates(conn, text)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{c['name']} ({c['id']})" for c in found)
        raise AmbiguousName(f"{text!r} is ambiguous: it may mean {listed}; give one of those ids instead",
                            found)
    suggestions = suggest(conn, text)
    hint = "; did you mean " + ", ".join(f"{s['name']} ({s['id']})" for s in suggestions) + "?" \
        if suggestions else "; load a dataset that names it, or try another spelling"
    raise UnknownName(f"no entity is named {text!r}{hint}", suggestions)


def suggest(conn, text: str, limit: int = 5) -> list[dict]:
    """The entities whose names are closest to `text` (for "did you mean ...?")."""
    import difflib

    key = name_key(text or "")
    rows = conn.read("MATCH (a:Alias)-[:ALIAS_OF]->(e:Entity) RETURN a.key AS key, e.id AS id, e.name AS name")
    by_key: dict[str, list[dict]] = {}
    for row in rows:
        by_key.setdefault(row["key"], []).append({"id": row["id"], "name": row["name"]})
    out: list[dict] = []
    for close in difflib.get_close_matches(key, list(by_key), n=limit * 2, cutoff=0.6):
        for entity in by_key[close]:
            if entity not in out:
                out.append(entity)
    return out[:limit]
