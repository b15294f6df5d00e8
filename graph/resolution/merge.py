"""Merging two entities into one, and splitting them again, in the graph.

A merge of `other` into `kept` (one write transaction):
  - every fact, round and mention of `other` moves to `kept` (marked `merged_from: other`); a fact
    both had (same type, other end, round and date) becomes one: `kept`'s, with both sources in
    `sources` (the folded one is kept in the record below);
  - every alias key of `other`, and its id, now leads to `kept`; `kept` gets every name of both as
    `aliases`, both `sources`, the chosen name, and `other` in `merged`;
  - `other` is deleted; what is needed to bring it back is kept as JSON on the (:Judgement) node.
Loads and imports recreate `other` when they write it again: `apply` (graph.resolution.apply)
merges it again, and when only `kept` was rewritten, `absorb` restores what the merge gave it.
"""
from __future__ import annotations

import json

from ..errors import DealgraphError
from ..names import name_key
from ..schema import FACT_TYPES, check_label, check_type

_ENTITY = "MATCH (e:Entity {id: $id}) USING INDEX SEEK e:Entity(id) RETURN properties(e) AS p, labels(e) AS l"
_INVESTING = ("INVESTED_IN", "FINANCES")


def _entity(tx, ident: str) -> dict | None:
    row = tx.run(_ENTITY, id=ident).single()
    return {"props": dict(row["p"]), "labels": [l for l in row["l"] if l != "Entity"]} if row else None


def _facts(tx, ident: str) -> list[dict]:
    return [r.data() for r in tx.run("""
        MATCH (e:Entity {id: $id}) USING INDEX SEEK e:Entity(id)
        MATCH (e)-[r]-(x)
        WHERE type(r) IN $types
        RETURN type(r) AS type, startNode(r) = e AS out, x.id AS x, properties(r) AS props,
               elementId(r) AS eid, x = e AS loop""", id=ident, types=list(FACT_TYPES))]


def _delete(tx, eids: list[str]) -> None:
    tx.run("UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r", eids=eids).consume()


def _same_fact(f: dict) -> tuple:
    p = f["props"]
    return f["type"], f["out"], f["x"], p.get("round"), p.get("date")


def check_merge(tx, kept: str, other: str, force: bool = False) -> tuple[dict, dict]:
    """Both entities, or one line saying why they cannot be merged (unless `force`)."""
    if kept == other:
        raise DealgraphError(f"{kept} and {other} are one entity already: nothing to merge")
    a, b = _entity(tx, kept), _entity(tx, other)
    for ident, ent in ((kept, a), (other, b)):
        if ent is None:
            raise DealgraphError(f"no entity has the id {ident!r}")
    if force:
        return a, b
    if a["props"].get("kind") != b["props"].get("kind"):
        raise DealgraphError(f"{a['props'].get('name')} ({kept}) is a {a['props'].get('kind')} and "
                             f"{b['props'].get('name')} ({other}) a {b['props'].get('kind')}: entities of different "
                             "kinds are not merged (--force merges them all the same)")
    between = tx.run("""
        MATCH (a:Entity {id: $a})-[r]-(b:Entity {id: $b}) USING INDEX SEEK a:Entity(id)
        WHERE type(r) IN $types RETURN type(r) AS t, r.source AS source LIMIT 1""",
                     a=kept, b=other, types=list(FACT_TYPES)).single()
    if between:
        what = "invest in itself" if between["t"] in _INVESTING else f"have a {between['t']} fact with itself"
        raise DealgraphError(f"{a['props'].get('name')} ({kept}) and {b['props'].get('name')} ({other}) are linked by "
                             f"{between['t']} (source {between['source']}): merged, the entity would {what} "
                             "(--force merges them all the same)")
    return a, b


def merge(tx, kept: str, other: str, name: str = "", force: bool = False) -> dict:
    """Merge entity `other` into `kept` in `tx`; returns the record that `split` and `absorb` use."""
    a, b = check_merge(tx, kept, other, force)
    names = [n for n in [a["props"].get("name"), *(a["props"].get("aliases") or []),
                         b["props"].get("name"), *(b["props"].get("aliases") or [])] if n]
    if name and name not in names:
        raise DealgraphError(f"--name {name!r} is not a name of either entity: choose one of {', '.join(dict.fromkeys(names))}")
    ours = {_same_fact(f): f for f in _facts(tx, kept)}
    moved, folded = [], []
    for f in _facts(tx, other):
        f["x"] = kept if f["loop"] else f["x"]
        twin = ours.get(_same_fact({**f, "x": kept if f["x"] == other else f["x"]}))
        if twin is not None and "id" in twin["props"]:
            folded.append({"type": f["type"], "out": f["out"], "x": f["x"], "props": f["props"],
                           "into": twin["props"]["id"], "eid": f["eid"]})
        else:
            moved.append(f)
    for rel_type in sorted({f["type"] for f in moved}):
        t = check_type(rel_type)
        for out in (True, False):
            rows = [{"eid": f["eid"], "x": f["x"], "props": f["props"]} for f in moved if f["type"] == rel_type
                    and f["out"] == out]
            if not rows:
                continue
            arrow = f"(k)-[n:{t}]->(x)" if out else f"(x)-[n:{t}]->(k)"
            _delete(tx, [r["eid"] for r in rows])  # first: the facts keep their ids, which are unique
            tx.run(f"""
                MATCH (k:Entity {{id: $kept}}) USING INDEX SEEK k:Entity(id)
                UNWIND $rows AS row
                MATCH (x:Entity {{id: row.x}}) USING INDEX SEEK x:Entity(id)
                CREATE {arrow}
                SET n = row.props, n.merged_from = $other""", kept=kept, other=other, rows=rows).consume()
    for f in folded:
        _delete(tx, [f.pop("eid")])
        tx.run(f"""
            MATCH ()-[q:{check_type(f['type'])} {{id: $into}}]->()
            SET q.sources = [s IN coalesce(q.sources, [q.source]) WHERE s IS NOT NULL] +
                            [s IN coalesce($p.sources, [$p.source]) WHERE s IS NOT NULL AND NOT s IN coalesce(q.sources, [q.source])],
                q.merged_facts = [i IN coalesce(q.merged_facts, []) WHERE i <> $p.id] + [$p.id]""",
               into=f["into"], p=f["props"]).consume()
    # Rounds raised and articles: moved, marked so that a split moves them back.
    tx.run("""
        MATCH (o:Entity {id: $other})-[r:RAISED]->(n:Round) USING INDEX SEEK o:Entity(id)
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        DELETE r MERGE (k)-[m:RAISED]->(n) ON CREATE SET m.merged_from = $other""", kept=kept, other=other).consume()
    tx.run("""
        MATCH (o:Entity {id: $other})-[r:MENTIONED_IN]->(n:Article) USING INDEX SEEK o:Entity(id)
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        DELETE r MERGE (k)-[m:MENTIONED_IN]->(n) ON CREATE SET m.merged_from = $other""", kept=kept, other=other).consume()
    aliases = [r.data() for r in tx.run("""
        MATCH (a:Alias)-[r:ALIAS_OF]->(o:Entity {id: $other}) RETURN a.key AS key, r.names AS names ORDER BY key""",
                                        other=other)]
    record = {"entity": b, "aliases": aliases, "folded": folded,
              "before": {k: a["props"].get(k) for k in ("name", "aliases", "sources", "country", "merged")},
              "name": name}
    tx.run("MATCH (o:Entity {id: $other}) USING INDEX SEEK o:Entity(id) DETACH DELETE o", other=other).consume()
    absorb(tx, kept, other, record)
    return record


def absorb(tx, kept: str, other: str, record: dict) -> None:
    """Give `kept` what merging `other` gave it (names, alias keys, sources, name, country, folded
    facts' sources); writing it twice changes nothing. A load that rewrote `kept` calls this again."""
    b = record["entity"]["props"]
    b_names = [n for n in [b.get("name"), *(b.get("aliases") or [])] if n]
    keys = list(record["aliases"])
    id_key = name_key(other)
    if id_key and id_key not in {k["key"] for k in keys}:
        keys.append({"key": id_key, "names": [other]})
    tx.run("""
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        UNWIND $keys AS key
        MERGE (a:Alias {key: key.key})
        MERGE (a)-[r:ALIAS_OF]->(k)
        SET r.names = coalesce(r.names, []) + [n IN key.names WHERE NOT n IN coalesce(r.names, [])]""",
           kept=kept, keys=keys).consume()
    tx.run("""
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        WITH k, coalesce(k.aliases, []) AS had, [k.name] + $names AS names
        SET k.aliases = had + [n IN names WHERE NOT n IN had],
            k.sources = coalesce(k.sources, []) + [s IN $sources WHERE NOT s IN coalesce(k.sources, [])],
            k.merged = coalesce(k.merged, []) + [i IN $merged WHERE NOT i IN coalesce(k.merged, [])],
            k.country = coalesce(k.country, $country),
            k.name = CASE WHEN $name = '' THEN k.name ELSE $name END""",
           kept=kept, names=b_names, sources=b.get("sources") or [], merged=[other, *(b.get("merged") or [])],
           country=b.get("country"), name=record.get("name") or "").consume()
    for f in record["folded"]:
        tx.run(f"""
            MATCH ()-[q:{check_type(f['type'])} {{id: $into}}]->()
            SET q.sources = [s IN coalesce(q.sources, [q.source]) WHERE s IS NOT NULL] +
                            [s IN coalesce($p.sources, [$p.source]) WHERE s IS NOT NULL AND NOT s IN coalesce(q.sources, [q.source])],
                q.merged_facts = [i IN coalesce(q.merged_facts, []) WHERE i <> $p.id] + [$p.id]""",
               into=f["into"], p=f["props"]).consume()


def split(tx, kept: str, other: str, record: dict) -> None:
    """Undo the merge of `other` into `kept` that `record` describes: `other` is back with its own
    names, facts, rounds and mentions; `kept` is left with its own."""
    b = record["entity"]
    if _entity(tx, other) is not None:
        raise DealgraphError(f"{other} is an entity of its own already: nothing to split")
    labels = [check_label(l) for l in b["labels"]]
    tx.run("CREATE (o:Entity {id: $id}) SET o = $props SET o:$($labels)",
           id=other, props=b["props"], labels=labels).consume()
    for t in list(FACT_TYPES) + ["RAISED", "MENTIONED_IN"]:
        t = check_type(t)
        for pattern, again in ((f"(k)-[r:{t}]->(x)", f"(o)-[n:{t}]->(x)"), (f"(x)-[r:{t}]->(k)", f"(x)-[n:{t}]->(o)")):
            if t in ("RAISED", "MENTIONED_IN") and pattern.startswith("(x)"):
                continue
            rows = [r.data() for r in tx.run(f"""
                MATCH (k:Entity {{id: $kept}}) USING INDEX SEEK k:Entity(id)
                MATCH {pattern} WHERE r.merged_from = $other
                RETURN elementId(r) AS eid, CASE WHEN x = k THEN $other ELSE x.id END AS x, properties(r) AS p""",
                                             kept=kept, other=other)]
            if not rows:
                continue
            _delete(tx, [r["eid"] for r in rows])
            tx.run(f"""
                MATCH (o:Entity {{id: $other}}) USING INDEX SEEK o:Entity(id)
                UNWIND $rows AS row
                MATCH (x:Entity {{id: row.x}}) USING INDEX SEEK x:Entity(id)
                CREATE {again}
                SET n = row.p REMOVE n.merged_from""", other=other, rows=rows).consume()
    for f in record["folded"]:
        t = check_type(f["type"])
        arrow = f"(o)-[n:{t}]->(x)" if f["out"] else f"(x)-[n:{t}]->(o)"
        tx.run(f"""
            MATCH (o:Entity {{id: $other}}) USING INDEX SEEK o:Entity(id)
            MATCH (x:Entity {{id: $x}}) USING INDEX SEEK x:Entity(id)
            CREATE {arrow} SET n = $p""", other=other, x=f["x"], p=f["props"]).consume()
        tx.run(f"""
            MATCH ()-[q:{t} {{id: $into}}]->()
            WITH q, [i IN coalesce(q.merged_facts, []) WHERE i <> $p.id] AS rest,
                 [s IN coalesce(q.sources, []) WHERE s = q.source OR NOT s IN coalesce($p.sources, [$p.source])] AS sources
            SET q.merged_facts = CASE WHEN rest = [] THEN null ELSE rest END,
                q.sources = CASE WHEN size(sources) <= 1 THEN null ELSE sources END""",
               into=f["into"], p=f["props"]).consume()
    tx.run("""MATCH (o:Entity {id: $other}) USING INDEX SEEK o:Entity(id)
              MATCH (a:Article) WHERE a.id IN coalesce(o.sources, []) MERGE (o)-[:MENTIONED_IN]->(a)""",
           other=other).consume()
    # Names: the other's keys lead to it again; the kept one keeps only its own spellings.
    before = record["before"]
    own_names = set(before.get("aliases") or []) | {before.get("name")}
    id_key = name_key(other)
    keys = list(record["aliases"])
    tx.run("""
        MATCH (o:Entity {id: $other}) USING INDEX SEEK o:Entity(id)
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        UNWIND $keys AS key
        MERGE (a:Alias {key: key.key})
        MERGE (a)-[r:ALIAS_OF]->(o) SET r.names = key.names
        WITH a, k, key
        OPTIONAL MATCH (a)-[q:ALIAS_OF]->(k)
        WITH q, [n IN coalesce(q.names, []) WHERE n IN $own OR NOT n IN key.names] AS left
        FOREACH (_ IN CASE WHEN q IS NOT NULL AND left = [] THEN [1] ELSE [] END | DELETE q)
        FOREACH (_ IN CASE WHEN q IS NOT NULL AND left <> [] THEN [1] ELSE [] END | SET q.names = left)""",
           other=other, kept=kept, keys=keys, own=sorted(n for n in own_names if n)).consume()
    if id_key and id_key not in {k["key"] for k in keys}:
        tx.run("""MATCH (a:Alias {key: $key})-[q:ALIAS_OF]->(k:Entity {id: $kept})
                  WITH a, q, [n IN q.names WHERE n <> $other] AS left
                  FOREACH (_ IN CASE WHEN left = [] THEN [1] ELSE [] END | DELETE q)
                  FOREACH (_ IN CASE WHEN left <> [] THEN [1] ELSE [] END | SET q.names = left)""",
               key=id_key, kept=kept, other=other).consume()
        tx.run("MATCH (a:Alias {key: $key}) WHERE NOT (a)-[:ALIAS_OF]->() DELETE a", key=id_key).consume()
    props = b["props"]
    other_names = ({n for n in [props.get("name"), *(props.get("aliases") or [])] if n} | {before.get("name")}) \
        - set(before.get("aliases") or [])
    tx.run("""
        MATCH (k:Entity {id: $kept}) USING INDEX SEEK k:Entity(id)
        SET k.name = coalesce($before.name, k.name),
            k.aliases = [n IN k.aliases WHERE NOT n IN $names],
            k.sources = [s IN coalesce(k.sources, []) WHERE s IN coalesce($before.sources, []) OR NOT s IN $sources],
            k.country = $before.country,
            k.merged = [i IN coalesce(k.merged, []) WHERE NOT i IN $merged]""",
           kept=kept, before=before, names=sorted(other_names), sources=props.get("sources") or [],
           merged=[other, *(props.get("merged") or [])]).consume()
    tx.run("MATCH (k:Entity {id: $kept}) WHERE k.merged = [] REMOVE k.merged", kept=kept).consume()


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)


def loads(text: str) -> dict:
    return json.loads(text)
