"""Names to entities: "Dipsic", "علي بابا" or "Sequoia China" to the one entity they stand for.

A name is folded to its key (graph.names.name_key: case, accents, Arabic letter variants,
punctuation) and looked up in the unique ``:Alias(key)`` index, so lookups cost one index seek
whatever the graph's size. A key linked to several entities is ambiguous and says so; an unknown
name gets the closest known names as suggestions, found through a full-text index with fuzzy
matching (`search`), never by reading every alias.
"""
from __future__ import annotations

from .errors import DealgraphError
from .names import name_key, name_words
from .schema import NAME_INDEX

# The hint keeps the plan a seek on the alias-key index whatever the planner's statistics say
# (one test run, after many wipes, got a plan without that seek).
_LOOKUP = """
MATCH (a:Alias {key: $key})-[r:ALIAS_OF]->(e:Entity)
USING INDEX SEEK a:Alias(key)
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


def by_id(conn, entity_id: str) -> dict | None:
    """{"id", "name"} of the entity with this id (one index seek), or None."""
    rows = conn.read("MATCH (e:Entity {id: $id}) RETURN e.id AS id, e.name AS name", {"id": entity_id})
    return rows[0] if rows else None


def find(conn, text: str) -> dict:
    """The entity whose id is `text`, else the one it names (`resolve`): {"id", "name", ...}."""
    return by_id(conn, text) or resolve(conn, text)


def search(conn, text: str, limit: int = 10) -> list[dict]:
    """Entities whose names or aliases come close to `text`, closest first (fuzzy, any script).

    Neo4j's full-text index (graph.schema.NAME_INDEX) finds candidates by word, exactly, by
    prefix and within one or two typos; the few it returns are then ranked by how close their
    nearest name is to the whole of `text` once both are folded (graph.names.name_key). Nothing
    reads every alias, so the cost does not grow with the graph. Each hit is {id, name, kind,
    country, matched (the name that came closest), closeness (0..1)}.
    """
    import difflib

    key = name_key(text or "")
    if not key:
        return []
    query = _lucene_query(text)
    try:
        rows = conn.read(_SEARCH, {"index": NAME_INDEX, "query": query, "limit": max(limit * 4, 20)})
    except DealgraphError as exc:
        if NAME_INDEX in str(exc):
            raise DealgraphError(f"the graph has no full-text name index ({NAME_INDEX}) yet: run "
                                 "`dealgraph load` (or an import) once to create it") from None
        raise
    hits = []
    for row in rows:
        names = [row["name"], *(row.pop("aliases") or [])]
        closeness, matched = max((difflib.SequenceMatcher(None, key, name_key(str(n))).ratio(), str(n))
                                 for n in names if n)
        hits.append({**row, "matched": matched, "closeness": round(closeness, 3)})
    hits.sort(key=lambda h: (-h["closeness"], -h.pop("score"), h["id"]))
    return hits[:limit]


_SEARCH = """
CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
RETURN node.id AS id, node.name AS name, node.kind AS kind, node.country AS country,
       node.aliases AS aliases, score
"""


def _lucene_query(text: str, max_words: int = 8, max_length: int = 40) -> str:
    """A Lucene query for the words of `text`: each exactly (boosted), by prefix and fuzzily.

    Words hold only letters, marks and digits (graph.names.name_words), so no Lucene syntax can
    get in. Fuzzy and prefix terms skip the analyzer, so they use the folded word; exact terms
    go through it (which splits Han characters), in both the written and the folded form. Words
    are cut to `max_length` characters: Lucene refuses fuzzy terms of a thousand.
    """
    parts: list[str] = []
    for raw, folded in zip(name_words(text, fold=False)[:max_words], name_words(text)[:max_words]):
        raw, folded = raw[:max_length], folded[:max_length]
        parts += [f"{raw}^4"] + ([f"{folded}^4"] if folded != raw else [])
        if len(folded) >= 3:
            parts += [f"{folded}~{1 if len(folded) <= 5 else 2}", f"{folded}*"]
    return " ".join(parts)


def suggest(conn, text: str, limit: int = 5, cutoff: float = 0.6) -> list[dict]:
    """The entities whose names are closest to `text` (for "did you mean ...?"): {id, name}.

    Through the full-text index (see `search`); without that index (a graph loaded by an older
    version), no suggestions rather than a failure.
    """
    try:
        hits = search(conn, text, limit=limit)
    except DealgraphError as exc:
        if NAME_INDEX in str(exc):
            return []
        raise
    return [{"id": h["id"], "name": h["name"]} for h in hits if h["closeness"] >= cutoff]


_KEYS_LOOKUP = """
UNWIND $keys AS key
MATCH (a:Alias {key: key})-[:ALIAS_OF]->(e:Entity) USING INDEX SEEK a:Alias(key)
RETURN key, collect({id: e.id, name: e.name, sources: coalesce(e.sources, [])}) AS found
"""


def alias_lookup(conn, keys: list[str]) -> dict[str, list[dict]]:
    """name key -> the entities holding it in the alias index, by id ({id, name, sources}); read only.
    What an import hands a source that joins names to the graph (graph.sources.deals)."""
    out: dict[str, list[dict]] = {}
    keys = sorted(keys)
    for i in range(0, len(keys), 5000):
        for row in conn.read(_KEYS_LOOKUP, {"keys": keys[i:i + 5000]}):
            out[row["key"]] = sorted(row["found"], key=lambda e: e["id"])
    return out
