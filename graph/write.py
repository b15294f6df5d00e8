"""The one writer: records from any reader into Neo4j, with the same MERGE rules for every source.

`dealgraph load` (one transaction), `import seed`, `import csv` and `import deals` (a batch per
transaction) all write through these functions. Each takes an open transaction and a list of
records, and returns what the server did (Counts). Records are plain dicts, the same for every
source, and hold everything a writer needs (ids of both ends, labels, properties), so a bulk
writer (CSV files for `neo4j-admin database import`) could take the same stream:

  article  {"id", "props"}                                   -> (:Article)
  entity   {"id", "kind", "props", "keys": [{"key", "names"}], "sources": [...]}
                                                             -> (:Entity:<kind>), (:Alias)-[:ALIAS_OF]->
  round    {"id", "company", "props"}                        -> (:Round), (company)-[:RAISED]->(round),
                                                                (round)-[:REPORTED_IN]->(article props.source)
  fact     {"id", "type", "from", "to", "props"}             -> (from)-[:<type> {id}]->(to)

Every MATCH on an indexed key carries a seek hint (`USING INDEX SEEK`): a first import plans its
statements while the statistics still describe an empty or half-loaded database, and then the
planner may pick a scan that it runs for every row of the import (seen: a scan of the whole Round
index per investment, a hundred times slower; a plain `USING INDEX` hint allows that scan).

The rules (all MERGE on constrained keys, so writing the same records twice changes nothing):
  - An entity gets exactly its record's kind label (an old kind label is removed), its record's
    properties (a property given as None is removed; properties no source field names, such
    as analysis scores, are kept), exactly its record's alias keys (stale ALIAS_OF links go, and
    an Alias left with none; a record with `keep_names`, a draft's linked entity, only adds), and in `sources` the record's sources in place of the entries the
    writing source manages (`managed`): other sources' entries stay.
  - A round and a fact are owned by one source: their properties become exactly the record's, and
    a link that moved (a round now raised by another company, a fact between other ends) is
    re-pointed, never doubled.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .schema import ENTITY_KINDS, check_label, check_type
from .sources import ARTICLES, ENTITIES, FACTS, ROUNDS



@dataclass
class Counts:
    """What the server did: per label or type, created and updated; deleted nodes and relationships."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)  # "nodes" / "relationships"
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0

    def add(self, other: "Counts") -> "Counts":
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.deleted.update(other.deleted)
        self.nodes_created += other.nodes_created
        self.relationships_created += other.relationships_created
        self.properties_set += other.properties_set
        return self

    def _server(self, c) -> None:
        self.nodes_created += c.nodes_created
        self.relationships_created += c.relationships_created
        self.properties_set += c.properties_set
        self.deleted.update(nodes=c.nodes_deleted, relationships=c.relationships_deleted)


def _run(tx, counts: Counts, cypher: str, **params) -> list[dict]:
    result = tx.run(cypher, params)
    rows = [r.data() for r in result]
    counts._server(result.consume().counters)
    return rows


def _updated(track: bool, after: str) -> str:
    """The RETURN that counts changed records (`before` vs `after`), or nothing when not tracking."""
    return f"WITH before, {after} AS after RETURN {_UPDATED}" if track else ""


def _with_id(rows: list[dict]) -> list[dict]:
    """Records whose `props` hold their id too (what `SET x = row.props` writes)."""
    return [r if r["props"].get("id") == r["id"] else {**r, "props": {**r["props"], "id": r["id"]}} for r in rows]


_UPDATED = "count(CASE WHEN before IS NOT NULL AND before <> after THEN 1 END) AS updated"


def articles(tx, rows: list[dict]) -> Counts:
    counts = Counts()
    if rows:
        out = _run(tx, counts, f"""
            UNWIND $rows AS row
            OPTIONAL MATCH (old:Article {{id: row.id}}) USING INDEX SEEK old:Article(id)
            WITH row, properties(old) AS before
            MERGE (n:Article {{id: row.id}})
            SET n = row.props
            WITH before, properties(n) AS after
            RETURN {_UPDATED}""", rows=_with_id(rows))
        counts.created["Article"] += counts.nodes_created
        counts.updated["Article"] += out[0]["updated"]
    return counts


def entities(tx, rows: list[dict], managed: list[str], track: bool = True) -> Counts:
    """Entities with their kind label, properties, alias keys and (managed) sources.

    `track`: count the entities and alias links whose properties changed (`updated`); a batched
    import, which reports only what it created, skips that work.
    """
    counts = Counts()
    if not rows:
        return counts
    for row in rows:
        check_label(row["kind"])
    for kind in ENTITY_KINDS:
        of_kind = [r for r in rows if r["kind"] == kind]
        if not of_kind:
            continue
        made = counts.nodes_created
        before = ("OPTIONAL MATCH (old:Entity {id: row.id}) USING INDEX SEEK old:Entity(id) WITH row, CASE WHEN old IS NULL THEN NULL "
                  "ELSE [properties(old), [l IN labels(old) WHERE l <> 'Entity']] END AS before") if track \
            else "WITH row, null AS before"
        out = _run(tx, counts, f"""
            UNWIND $rows AS row
            {before}
            MERGE (n:Entity {{id: row.id}})
            WITH n, row, before, [l IN labels(n) WHERE l IN $kinds AND l <> row.kind] AS stale
            REMOVE n:$(stale)
            SET n:{check_label(kind)}, n += row.props, n.id = row.id, n.kind = row.kind,
                n.sources = [s IN coalesce(n.sources, []) WHERE NOT s IN $managed AND NOT s IN row.sources]
                            + row.sources
            {_updated(track, "[properties(n), [l IN labels(n) WHERE l <> 'Entity']]")}""",
                   rows=of_kind, managed=list(managed), kinds=list(ENTITY_KINDS))
        counts.created[kind] += counts.nodes_created - made
        counts.updated[kind] += out[0]["updated"] if track else 0

    # Names: one Alias node per key, linked to every entity that has it; stale links of these entities go.
    keyed = [{"id": r["id"], "keys": r["keys"], "keep": r.get("keep_names", False)} for r in rows]
    made, linked = counts.nodes_created, counts.relationships_created
    before = ("OPTIONAL MATCH (a)-[old:ALIAS_OF]->(e) WITH e, a, k, properties(old) AS before" if track else "")
    out = _run(tx, counts, f"""
        UNWIND $rows AS row
        MATCH (e:Entity {{id: row.id}}) USING INDEX SEEK e:Entity(id)
        UNWIND row.keys AS k
        MERGE (a:Alias {{key: k.key}})
        WITH e, a, k
        {before}
        MERGE (a)-[r:ALIAS_OF]->(e)
        SET r.names = k.names
        {_updated(track, "properties(r)")}""", rows=keyed)
    counts.created.update(Alias=counts.nodes_created - made, ALIAS_OF=counts.relationships_created - linked)
    counts.updated["ALIAS_OF"] += out[0]["updated"] if track else 0
    _run(tx, counts, """
        UNWIND $rows AS row
        MATCH (a:Alias)-[r:ALIAS_OF]->(e:Entity {id: row.id}) USING INDEX SEEK e:Entity(id)
        WHERE NOT row.keep AND NOT a.key IN [k IN row.keys | k.key]
        DELETE r
        WITH DISTINCT a
        WHERE NOT (a)-[:ALIAS_OF]->()
        DELETE a
        """, rows=keyed)
    return counts


def mentions(tx, rows: list[dict], articles_managed: list[str]) -> Counts:
    """(:Entity)-[:MENTIONED_IN]->(:Article) for each entity's `sources` that are articles written here."""
    counts = Counts()
    if rows:
        _run(tx, counts, """
            UNWIND $rows AS row
            MATCH (e:Entity {id: row.id}) USING INDEX SEEK e:Entity(id)
            OPTIONAL MATCH (e)-[r:MENTIONED_IN]->(a:Article)
            WHERE a.id IN $articles AND NOT a.id IN row.sources
            DELETE r
            WITH DISTINCT row, e
            UNWIND row.sources AS source
            MATCH (a:Article {id: source}) USING INDEX SEEK a:Article(id)
            MERGE (e)-[:MENTIONED_IN]->(a)
            """, rows=[{"id": r["id"], "sources": r["sources"]} for r in rows], articles=list(articles_managed))
        counts.created["MENTIONED_IN"] += counts.relationships_created
    return counts


def rounds(tx, rows: list[dict], track: bool = True, articles: bool = True) -> Counts:
    """Rounds, who raised each (re-pointed if it changed) and, with `articles`, the article reporting it."""
    counts = Counts()
    if not rows:
        return counts
    before = "OPTIONAL MATCH (old:Round {id: row.id}) USING INDEX SEEK old:Round(id) WITH row, properties(old) AS before" if track else ""
    out = _run(tx, counts, f"""
        UNWIND $rows AS row
        {before}
        MERGE (n:Round {{id: row.id}})
        SET n = row.props
        {_updated(track, "properties(n)")}""", rows=_with_id(rows))
    counts.created["Round"] += counts.nodes_created
    counts.updated["Round"] += out[0]["updated"] if track else 0
    links = [("RAISED", "(n)<-[r:RAISED]-(x)", "Entity", "row.company")]
    if articles:
        links.append(("REPORTED_IN", "(n)-[r:REPORTED_IN]->(x)", "Article", "row.props.source"))
    for rel, pattern, other, key in links:
        linked = counts.relationships_created
        _run(tx, counts, f"""
            UNWIND $rows AS row
            MATCH (n:Round {{id: row.id}}) USING INDEX SEEK n:Round(id)
            OPTIONAL MATCH {pattern} WHERE x.id <> {key}
            DELETE r
            WITH DISTINCT row, n
            MATCH (x:{other} {{id: {key}}}) USING INDEX SEEK x:{other}(id)
            MERGE {pattern}
            """, rows=rows)
        counts.created[rel] += counts.relationships_created - linked
    return counts


def facts(tx, rows: list[dict], track: bool = True) -> Counts:
    """Facts, one relationship type at a time (types cannot be parameters; they are checked)."""
    counts = Counts()
    for rel_type in sorted({r["type"] for r in rows}):
        of_type = [r for r in rows if r["type"] == rel_type]
        t = check_type(rel_type)
        _run(tx, counts, f"""
            UNWIND $rows AS row
            MATCH (a)-[r:{t} {{id: row.id}}]->(b) USING INDEX SEEK r:{t}(id)
            WHERE a.id <> row.from OR b.id <> row.to
            DELETE r
            """, rows=of_type)
        linked = counts.relationships_created
        before = (f"OPTIONAL MATCH (a)-[old:{t} {{id: row.id}}]->(b) USING INDEX SEEK old:{t}(id) WITH row, a, b, properties(old) AS before"
                  if track else "")
        out = _run(tx, counts, f"""
            UNWIND $rows AS row
            MATCH (a:Entity {{id: row.from}}), (b:Entity {{id: row.to}}) USING INDEX SEEK a:Entity(id) USING INDEX SEEK b:Entity(id)
            {before}
            MERGE (a)-[r:{t} {{id: row.id}}]->(b)
            SET r = row.props
            {_updated(track, "properties(r)")}""", rows=_with_id(of_type))
        counts.created[rel_type] += counts.relationships_created - linked
        counts.updated[rel_type] += out[0]["updated"] if track else 0
    return counts


def records(tx, what: str, rows: list[dict], *, managed: list[str], article_ids: list[str] = (),
            track: bool = True) -> Counts:
    """Write `rows`, records of one kind (`what`: graph.sources' ARTICLES, ENTITIES, ROUNDS or FACTS),
    as every source is written: `dealgraph load` in one transaction, the imports a batch at a time.

    `managed`: the entries of entities' `sources` the writing source manages. `article_ids`: the
    articles the source writes, whose MENTIONED_IN links (from entities' `sources`) and REPORTED_IN
    links (from rounds' `source`) are kept to match; a source without articles has neither.
    `track`: count what was updated too (a batched import reports only what it created).
    """
    if what == ARTICLES:
        return articles(tx, rows)
    if what == ENTITIES:
        done = entities(tx, rows, managed, track=track)
        return done.add(mentions(tx, rows, article_ids)) if article_ids else done
    if what == ROUNDS:
        return rounds(tx, rows, track=track, articles=bool(article_ids))
    if what == FACTS:
        return facts(tx, rows, track=track)
    raise ValueError(f"not a kind of record: {what!r}")


def sweep(tx, source: str, round_ids: list[str], fact_ids: list[str], fact_type: str = "INVESTED_IN") -> Counts:
    """Remove what `source` wrote before and no longer holds: rounds and facts of that source not in the lists.

    For sources that are rewritten whole (a deals file): a corrected date or a removed row leaves
    no stale round or investment behind.
    """
    counts = Counts()
    _run(tx, counts, "MATCH (n:Round {source: $source}) USING INDEX SEEK n:Round(source) WHERE NOT n.id IN $ids DETACH DELETE n",
         source=source, ids=round_ids)
    _run(tx, counts, f"MATCH ()-[r:{check_type(fact_type)} {{source: $source}}]->() WHERE NOT r.id IN $ids DELETE r",
         source=source, ids=fact_ids)
    return counts


def joined(tx, source: str, ids: list[str], used: list[str]) -> Counts:
    """`source` in the `sources` of the entities it joined (`ids`: entities other sources wrote),
    and out of those that other sources hold too and it no longer speaks of (not in `used`)."""
    counts = Counts()
    _run(tx, counts, "UNWIND $ids AS id MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id) "
                     "WHERE NOT $source IN coalesce(e.sources, []) SET e.sources = coalesce(e.sources, []) + $source",
         source=source, ids=ids)
    _run(tx, counts, "MATCH (e:Entity) WHERE $source IN e.sources AND size(e.sources) > 1 AND NOT e.id IN $used "
                     "SET e.sources = [s IN e.sources WHERE s <> $source]", source=source, used=used)
    return counts
