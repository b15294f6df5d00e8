"""What each page of the web app reads from Neo4j: plain data for the templates.

Every read is one managed read transaction with user values as parameters. Pages that have a
`.json` / `.csv` twin return (keys, records) too, so the twin is written by graph.tables exactly
as `dealgraph query --format json|csv` writes an answer.
"""
from __future__ import annotations

from ..errors import DealgraphError
from ..imports import warning
from ..picture import UNDIRECTED, Drawing, draw
from ..pictures import ego_picture, records_picture
from ..queries import get_query, run_spec
from ..schema import ENTITY_KINDS, FACT_TYPES

FACT_LIMIT = 100  # facts listed per group on an entity page (a hub of a big import has thousands);
                  # counts stay exact and the .json/.csv twins hold every fact
GRAPH_NODES = 150  # nodes drawn in a page's graph view (the strongest relationships first)
ANALYSIS = ("degree", "weighted_degree", "pagerank", "betweenness", "community")  # issue 13's scores
# How a group of facts is headed on an entity page: (type, outgoing) -> heading.
HEADINGS = {("INVESTED_IN", True): "Portfolio (invested in)", ("INVESTED_IN", False): "Investors",
            ("COMPETES_WITH", True): "Rivals", ("COMPETES_WITH", False): "Rivals",
            ("DEVELOPS", True): "Models", ("DEVELOPS", False): "Developed by",
            ("SANCTIONED", False): "Sanctioned by", ("FINED", False): "Fined by",
            ("SUBSIDIARY_OF", True): "Parent", ("SUBSIDIARY_OF", False): "Subsidiaries",
            ("MANAGES", False): "Managed by", ("FINANCES", False): "Financed by",
            ("FOUNDED_BY", True): "Founders", ("LEADS", False): "Leaders"}


class NotFound(DealgraphError):
    """Nothing has this id (a 404 page)."""


def overview(conn) -> dict:
    """What the graph holds: counts by kind and relationship type, articles, imports, warnings.

    Counts are per label and per type, which Neo4j answers from its count store (no scan)."""
    def work(tx):
        kinds = {k: tx.run(f"MATCH (n:{k}) RETURN count(n) AS n").single()["n"] for k in ENTITY_KINDS}
        types = {t: tx.run(f"MATCH ()-[r:{t}]->() RETURN count(r) AS n").single()["n"] for t in FACT_TYPES}
        other = {label: tx.run(f"MATCH (n:{label}) RETURN count(n) AS n").single()["n"]
                 for label in ("Article", "Round", "Alias")}
        articles = [r.data() for r in tx.run(
            "MATCH (a:Article) OPTIONAL MATCH (a)<-[:MENTIONED_IN]-(e:Entity) "
            "WITH a, count(e) AS entities ORDER BY a.id LIMIT 200 "
            "RETURN a.id AS id, a.title AS title, a.title_en AS title_en, a.outlet AS outlet, "
            "a.published AS published, a.language AS language, entities")]
        imports = [r.data() for r in tx.run(
            "MATCH (i:Import) RETURN i.source AS source, i.kind AS kind, i.status AS status, i.rows AS rows, "
            "toString(i.started) AS started, toString(i.finished) AS finished ORDER BY source LIMIT 200")]
        return kinds, types, other, articles, imports

    kinds, types, other, articles, imports = conn.execute_read(work)
    return {"kinds": kinds, "types": types, "other": other, "articles": articles, "imports": imports,
            "entities": sum(kinds.values()), "facts": sum(types.values()), "warning": warning(conn)}


# -- an entity ------------------------------------------------------------------------------------
_FACTS = """
MATCH (e:Entity {id: $id})-[r]-(other:Entity)
WHERE type(r) IN $types
WITH e, r, other ORDER BY type(r), startNode(r) = e DESC, coalesce(r.date, '') DESC, other.name
WITH e, type(r) AS type, startNode(r) = e AS out, collect([r, other]) AS facts
UNWIND (CASE WHEN $per_group IS NULL THEN facts ELSE facts[..$per_group] END) AS fact
WITH e, fact[0] AS r, fact[1] AS other
OPTIONAL MATCH (article:Article {id: r.source})
OPTIONAL MATCH (round:Round {id: r.round})
RETURN CASE WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction, type(r) AS type,
       other, r AS fact, round, article
"""


def entity_facts(conn, entity_id: str, per_group: int | None = None):
    """(keys, records): the entity's facts, one row each, with the other end, round and article,
    by type and direction, the latest first; at most `per_group` of each type and direction.

    The rows of the entity page's `.json` and `.csv` twins (all of them)."""
    return conn.execute_read(_facts, entity_id, per_group)


def _facts(tx, entity_id: str, per_group: int | None):
    result = tx.run(_FACTS, {"id": entity_id, "types": list(FACT_TYPES), "per_group": per_group})
    return list(result.keys()), list(result)


def entity(conn, entity_id: str) -> dict:
    """Everything the entity page shows except its graph: properties, names, facts by group,
    rounds raised, articles that mention it, fact counts, analysis scores where present."""
    def work(tx):
        row = tx.run("MATCH (e:Entity {id: $id}) RETURN e", id=entity_id).single()
        if row is None:
            return None
        counts = [r.data() for r in tx.run(
            "MATCH (e:Entity {id: $id})-[r]-(:Entity) WHERE type(r) IN $types "
            "RETURN type(r) AS type, startNode(r) = e AS outgoing, count(r) AS n",
            id=entity_id, types=list(FACT_TYPES))]
        rounds = [r.data() for r in tx.run(
            "MATCH (:Entity {id: $id})-[:RAISED]->(round:Round) "
            "OPTIONAL MATCH (round)-[:REPORTED_IN]->(article:Article) "
            "WITH round, collect(article {.id, .title, .outlet, .published}) AS articles "
            "RETURN round {.*} AS round, articles ORDER BY coalesce(round.date, '') DESC, round.id LIMIT $limit",
            id=entity_id, limit=FACT_LIMIT)]
        articles = [r.data() for r in tx.run(
            "MATCH (:Entity {id: $id})-[:MENTIONED_IN]->(a:Article) "
            "RETURN a.id AS id, a.title AS title, a.outlet AS outlet, a.published AS published ORDER BY a.id",
            id=entity_id)]
        return row["e"], counts, rounds, articles, _facts(tx, entity_id, FACT_LIMIT)[1]

    found = conn.execute_read(work)  # one transaction: one consistent view of the entity
    if found is None:
        raise NotFound(f"no entity has id {entity_id!r}")
    node, counts, rounds, articles, records = found
    def group_key(rel_type: str, outgoing: bool) -> tuple[str, bool]:
        return rel_type, outgoing or rel_type in UNDIRECTED  # rivals are rivals both ways: one group

    groups: dict[tuple[str, bool], dict] = {}
    for c in sorted(counts, key=lambda c: (FACT_TYPES.index(c["type"]), not c["outgoing"])):
        key = group_key(c["type"], c["outgoing"])
        if key in groups:
            groups[key]["count"] += c["n"]
            continue
        groups[key] = {"type": c["type"], "outgoing": key[1], "undirected": c["type"] in UNDIRECTED,
                       "count": c["n"], "facts": [],
                       "heading": HEADINGS.get(key) or (f"{c['type']} →" if c["outgoing"] else f"← {c['type']}")}
    for record in records:
        key = group_key(record["type"], record["direction"] == "out")
        if key in groups:  # plain dicts: a template reading node.id would get Neo4j's internal id
            groups[key]["facts"].append({k: dict(v) if v is not None and k in ("other", "fact", "round", "article")
                                         else v for k, v in record.items()})
    props = dict(node.items())
    return {"id": entity_id, "props": props, "labels": sorted(set(node.labels) - {"Entity"}),
            "name": props.get("name") or entity_id, "aliases": props.get("aliases") or [],
            "scores": {k: props[k] for k in ANALYSIS if props.get(k) is not None},
            "groups": list(groups.values()), "shown": len(records), "total": sum(c["n"] for c in counts),
            "rounds": rounds, "articles": articles}


def neighbourhood(conn, entity_id: str):
    """The entity's neighbourhood as a Drawing: depth 1, at most GRAPH_NODES neighbours (chosen in
    Cypher: the largest amounts first, then the most relationships with the entity)."""
    return draw(ego_picture(conn, entity_id, depth=1, max_neighbours=GRAPH_NODES - 1), max_nodes=GRAPH_NODES)


# -- an article -----------------------------------------------------------------------------------
def article(conn, article_id: str) -> dict:
    """The article's properties, the entities it mentions, and what it claims (article_claims)."""
    row = conn.read("MATCH (a:Article {id: $id}) RETURN properties(a) AS props", {"id": article_id})
    if not row:
        raise NotFound(f"no article has id {article_id!r}")
    mentions = conn.read("MATCH (e:Entity)-[:MENTIONED_IN]->(:Article {id: $id}) "
                         "RETURN e.id AS id, e.name AS name, e.kind AS kind, e.country AS country "
                         "ORDER BY e.name", {"id": article_id})
    keys, records = run_spec(conn, get_query("article_claims"), {"article": article_id})
    facts = conn.execute_read(lambda tx: [r["r"] for r in tx.run(
        "MATCH (a:Article {id: $id})<-[:MENTIONED_IN]-(:Entity)-[r]->(:Entity) WHERE r.source = a.id "
        "AND type(r) IN $types RETURN r", id=article_id, types=list(FACT_TYPES))])
    picture = records_picture(conn, f"What {article_id} claims", [{"r": f} for f in facts])
    return {"id": article_id, "props": row[0]["props"], "mentions": mentions, "keys": keys,
            "records": records, "drawing": draw(picture, max_nodes=GRAPH_NODES)}


def drawing(conn, title: str, records) -> Drawing | None:
    """The nodes, relationships and paths of query records as a Drawing (None for a table)."""
    picture = records_picture(conn, title, records) if records else None
    return draw(picture, max_nodes=GRAPH_NODES) if picture is not None and picture.nodes else None


def entities(conn, ids: list[str]) -> dict[str, dict]:
    """{id: {id, kind, name}} of the entities among `ids` that the graph has."""
    rows = conn.read("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, e.kind AS kind, e.name AS name",
                     {"ids": list(ids)})
    return {r["id"]: r for r in rows}
