"""Write a validated dataset into Neo4j: one transaction, MERGE on ids, nothing half-written.

The dataset is read and checked in full first (graph.dataset); only then does one write
transaction (optionally emptying the database first) merge every node and relationship on its
id and set its properties to exactly what the dataset says. Loading the same dataset twice
changes nothing. Nodes and relationships the dataset does not mention are left alone, except the
alias and mention links of the dataset's own entities, which are made to match it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .dataset import Dataset, read_dataset
from .schema import ENTITY_KINDS, FACT_TYPES, LINK_TYPES, check_label, check_type, ensure_schema

NODE_LABELS = ("Article",) + ENTITY_KINDS + ("Alias", "Round")


@dataclass
class LoadSummary:
    """What a load did, per node label and relationship type."""

    dataset: str
    total: Counter = field(default_factory=Counter)    # how many the dataset holds
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)  # existed, properties changed
    deleted: Counter = field(default_factory=Counter)  # "nodes"/"relationships": reset and stale links
    reset: bool = False

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(label or type, in dataset, created, updated, unchanged) for everything the load touched."""
        out = []
        for name in NODE_LABELS + FACT_TYPES + LINK_TYPES:
            total, created, updated = self.total[name], self.created[name], self.updated[name]
            if total or created or updated:
                out.append((name, total, created, updated, max(total - created - updated, 0)))
        return out


def _run(tx, cypher: str, **params):
    result = tx.run(cypher, params)
    rows = [r.data() for r in result]
    return rows, result.consume().counters


def load_dataset(conn, path=None, reset: bool = False, articles=None) -> LoadSummary:
    """Validate `path` (None: the bundled seed; or a Dataset already read), then write it in one transaction.

    With `articles` (a folder of the articles' texts), every quote is first checked against its
    article (graph.evidence.check_evidence) and nothing is written unless all are found."""
    ds = path if isinstance(path, Dataset) else read_dataset(path)
    if articles is not None:
        from .evidence import check_evidence

        check_evidence(ds, articles)
    ensure_schema(conn)
    return conn.execute_write(_write, ds, reset)


def _write(tx, ds: Dataset, reset: bool) -> LoadSummary:
    summary = LoadSummary(dataset=str(ds.path), reset=reset)
    summary.total.update(ds.counts())
    if reset:
        _, c = _run(tx, "MATCH (n) DETACH DELETE n")
        summary.deleted.update(nodes=c.nodes_deleted, relationships=c.relationships_deleted)

    def merge_nodes(name: str, label: str, rows: list[dict], extra: str = "") -> None:
        label = check_label(label)
        out, c = _run(tx, f"""
            UNWIND $rows AS row
            OPTIONAL MATCH (old:{label} {{id: row.props.id}})
            WITH row, properties(old) AS before
            MERGE (n:{label} {{id: row.props.id}})
            SET n = row.props {extra}
            RETURN count(CASE WHEN before IS NOT NULL AND before <> properties(n) THEN 1 END) AS updated
            """, rows=rows)
        summary.created[name] += c.nodes_created
        summary.updated[name] += out[0]["updated"]

    merge_nodes("Article", "Article", [{"props": a} for a in ds.articles])

    kind_labels = ":".join(check_label(k) for k in ENTITY_KINDS)
    for kind in ENTITY_KINDS:
        rows = [{"props": e} for e in ds.entities if e["kind"] == kind]
        if rows:
            merge_nodes(kind, "Entity", rows, f"REMOVE n:{kind_labels} SET n:{check_label(kind)}")

    # Names: one Alias node per key, linked to every entity that has it; stale links of our entities go.
    alias_rows = [{"id": eid, "keys": [{"key": k, "names": names} for k, names in keys.items()]}
                  for eid, keys in ds.alias_keys.items()]
    out, c = _run(tx, """
        UNWIND $rows AS row
        MATCH (e:Entity {id: row.id})
        UNWIND row.keys AS k
        MERGE (a:Alias {key: k.key})
        WITH e, a, k
        OPTIONAL MATCH (a)-[old:ALIAS_OF]->(e)
        WITH e, a, k, properties(old) AS before
        MERGE (a)-[r:ALIAS_OF]->(e)
        SET r.names = k.names
        RETURN count(CASE WHEN before IS NOT NULL AND before <> properties(r) THEN 1 END) AS updated
        """, rows=alias_rows)
    summary.created.update(Alias=c.nodes_created, ALIAS_OF=c.relationships_created)
    summary.updated["ALIAS_OF"] += out[0]["updated"]
    summary.total["ALIAS_OF"] = sum(len(keys) for keys in ds.alias_keys.values())
    _, c = _run(tx, """
        UNWIND $rows AS row
        MATCH (a:Alias)-[r:ALIAS_OF]->(:Entity {id: row.id})
        WHERE NOT a.key IN [k IN row.keys | k.key]
        DELETE r
        WITH DISTINCT a
        WHERE NOT (a)-[:ALIAS_OF]->()
        DELETE a
        """, rows=alias_rows)
    summary.deleted.update(nodes=c.nodes_deleted, relationships=c.relationships_deleted)

    # Which articles mention each entity (only links to this dataset's articles are managed).
    mention_rows = [{"id": e["id"], "sources": e["sources"]} for e in ds.entities]
    _, c = _run(tx, """
        UNWIND $rows AS row
        MATCH (e:Entity {id: row.id})
        OPTIONAL MATCH (e)-[r:MENTIONED_IN]->(a:Article)
        WHERE a.id IN $articles AND NOT a.id IN row.sources
        DELETE r
        WITH DISTINCT row, e
        UNWIND row.sources AS source
        MATCH (a:Article {id: source})
        MERGE (e)-[:MENTIONED_IN]->(a)
        """, rows=mention_rows, articles=[a["id"] for a in ds.articles])
    summary.created["MENTIONED_IN"] += c.relationships_created
    summary.deleted.update(relationships=c.relationships_deleted)
    summary.total["MENTIONED_IN"] = sum(len(e["sources"]) for e in ds.entities)

    # Rounds: who raised them and which article reports them.
    round_rows = [{"props": {k: v for k, v in r.items() if k != "company"}, "company": r["company"]}
                  for r in ds.rounds]
    merge_nodes("Round", "Round", round_rows)
    for rel, pattern, other, key in (("RAISED", "(n)<-[r:RAISED]-(x)", "Entity", "row.company"),
                                     ("REPORTED_IN", "(n)-[r:REPORTED_IN]->(x)", "Article", "row.props.source")):
        _, c = _run(tx, f"""
            UNWIND $rows AS row
            MATCH (n:Round {{id: row.props.id}})
            OPTIONAL MATCH {pattern} WHERE x.id <> {key}
            DELETE r
            WITH DISTINCT row, n
            MATCH (x:{other} {{id: {key}}})
            MERGE {pattern}
            """, rows=round_rows)
        summary.created[rel] += c.relationships_created
        summary.deleted.update(relationships=c.relationships_deleted)
        summary.total[rel] = len(ds.rounds)

    # Facts, one relationship type at a time (types cannot be parameters; they are checked).
    for rel_type in FACT_TYPES:
        rows = [f for f in ds.facts if f["type"] == rel_type]
        if not rows:
            continue
        t = check_type(rel_type)
        _, c = _run(tx, f"""
            UNWIND $rows AS row
            MATCH (a)-[r:{t} {{id: row.id}}]->(b)
            WHERE a.id <> row.from OR b.id <> row.to
            DELETE r
            """, rows=rows)
        summary.deleted.update(relationships=c.relationships_deleted)
        out, c = _run(tx, f"""
            UNWIND $rows AS row
            MATCH (a:Entity {{id: row.from}}), (b:Entity {{id: row.to}})
            OPTIONAL MATCH (a)-[old:{t} {{id: row.id}}]->(b)
            WITH row, a, b, properties(old) AS before
            MERGE (a)-[r:{t} {{id: row.id}}]->(b)
            SET r = row.props
            RETURN count(CASE WHEN before IS NOT NULL AND before <> properties(r) THEN 1 END) AS updated
            """, rows=rows)
        summary.created[rel_type] += c.relationships_created
        summary.updated[rel_type] += out[0]["updated"]
    return summary

