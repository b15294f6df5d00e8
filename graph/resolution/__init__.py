"""One entity per real-world investor: duplicate candidates, decisions that stay, merges that undo.

The Python API behind `dealgraph dedupe / merge / distinct / unsure / split / judgements`:

    candidates(conn, kind=None, min_score=0.5, limit=100)  scored pairs, with reasons (.candidates)
    decide(conn, "same" | "different" | "unsure", a, b)    a decision, in the graph and the file
    split(conn, name)                                      undo the merges into an entity
    listing(conn)                                          the decisions of the file, with names
    apply(conn)                                            every decision again (after a load/import)

Decisions live in the user's judgements file (graph.resolution.judgements) and as (:Judgement)
nodes; merges are made in the graph by graph.resolution.merge. Names are resolved as everywhere
(graph.resolve: any alias, any script, or an id).
"""
from __future__ import annotations

from ..errors import DealgraphError, InputError
from . import judgements as jfile
from . import merge as gmerge
from .judgements import Judgement

__all__ = ["candidates", "decide", "split", "listing", "apply", "Judgement"]


def candidates(conn, **kwargs):
    from .pairs import candidates as find

    return find(conn, **kwargs)


def _known_ids(conn) -> set[str]:
    rows = conn.read("MATCH (e:Entity) RETURN e.id AS id, coalesce(e.merged, []) AS merged")
    return {r["id"] for r in rows} | {m for r in rows for m in r["merged"]}


def _checked_file(conn, data) -> tuple:
    path = jfile.path_of(data)
    found = jfile.read(path)
    jfile.check_ids(path, found, _known_ids(conn))
    return path, found


def _save_node(tx, j: Judgement, record: str | None = None) -> None:
    tx.run("MERGE (n:Judgement {pair: $pair}) SET n.judgement = $j, n.a = $a, n.b = $b, n.name = $name, "
           "n.at = $at, n.by = $by" + (", n.record = $record" if record is not None else ""),
           pair=j.pair, j=j.judgement, a=j.a, b=j.b, name=j.name, at=j.at, by=j.by, record=record).consume()


def entity_of(conn, text: str) -> dict:
    """The entity whose id is `text`, else the one `text` names (graph.resolve: any alias, any script)."""
    from ..resolve import resolve

    found = conn.read("MATCH (e:Entity {id: $id}) RETURN e.id AS id, e.name AS name", {"id": text or ""})
    return found[0] if found else resolve(conn, text)


def decide(conn, judgement: str, a: str, b: str, data=None, name: str = "", force: bool = False,
           by: str = "cli") -> Judgement:
    """Record that entities named `a` and `b` are the same (b is merged into a, which takes `name`
    if given), different or unsure: in the graph and in the judgements file, or nothing at all."""
    if judgement not in jfile.JUDGEMENTS:
        raise DealgraphError(f"unknown judgement {judgement!r}: expected same, different or unsure")
    ea, eb = entity_of(conn, a), entity_of(conn, b)
    if ea["id"] == eb["id"]:
        raise DealgraphError(f"{a!r} and {b!r} are one entity ({ea['name']}, {ea['id']}): nothing to judge")
    path = jfile.path_of(data)
    with jfile.lock(path):
        _, found = _checked_file(conn, data)
        j = Judgement(judgement, ea["id"], eb["id"], name if judgement == "same" else "", jfile.now(), by)
        earlier = next((x for x in found if x.pair == j.pair), None)
        if earlier is not None and earlier.judgement in ("same", "different"):
            raise DealgraphError(f"{ea['name']} ({ea['id']}) and {eb['name']} ({eb['id']}) were judged "
                                 f"{earlier.judgement} already ({path}:{earlier.line}); remove that line first")
        kept = [x for x in found if x.pair != j.pair] + [j]
        if judgement == "same":
            jfile._check_chains(kept, path)

        def work(tx):
            record = gmerge.dumps(gmerge.merge(tx, j.a, j.b, j.name, force)) if judgement == "same" else None
            _save_node(tx, j, record)
            jfile.write(path, kept)  # last: a failure here rolls the graph back too

        conn.execute_write(work)
    return j


def split(conn, text: str, other: str | None = None, data=None) -> list[str]:
    """Undo the merges into the entity named `text` (only that of `other`, if given): the ids
    brought back. Their `same` lines leave the judgements file."""
    from ..resolve import resolve

    ent = resolve(conn, text)
    path = jfile.path_of(data)
    with jfile.lock(path):
        _, found = _checked_file(conn, data)
        undo = [j for j in found if j.judgement == "same" and j.a == ent["id"]
                and (other is None or other in (j.b,) or _named(conn, j, other))]
        if not undo:
            raise DealgraphError(f"{ent['name']} ({ent['id']}) has no merge to split" +
                                 (f" with {other!r}" if other else ""))
        rows = {r["pair"]: r["record"] for r in conn.read(
            "MATCH (n:Judgement) WHERE n.pair IN $pairs RETURN n.pair AS pair, n.record AS record",
            {"pairs": [j.pair for j in undo]})}

        def work(tx):
            for j in reversed(undo):  # the latest merge first
                if not rows.get(j.pair):
                    raise DealgraphError(f"the graph has no record of merging {j.b} into {j.a} "
                                         f"({path}:{j.line}): load the data that holds {j.b} again")
                gmerge.split(tx, j.a, j.b, gmerge.loads(rows[j.pair]))
                tx.run("MATCH (n:Judgement {pair: $pair}) DELETE n", pair=j.pair).consume()
            jfile.write(path, [x for x in found if x not in undo])

        conn.execute_write(work)
    return [j.b for j in undo]


def _named(conn, j: Judgement, text: str) -> bool:
    from ..names import name_key

    record = conn.read("MATCH (n:Judgement {pair: $pair}) RETURN n.record AS record", {"pair": j.pair})
    if not record or not record[0]["record"]:
        return False
    props = gmerge.loads(record[0]["record"])["entity"]["props"]
    return name_key(text) in {name_key(n) for n in [props.get("name"), *(props.get("aliases") or [])] if n}


def listing(conn, data=None) -> list[dict]:
    """The decisions of the judgements file, with the entities' current names."""
    path, found = _checked_file(conn, data)
    ids = sorted({i for j in found for i in (j.a, j.b)})
    names = {}
    for row in conn.read("MATCH (e:Entity) WHERE e.id IN $ids OR any(m IN coalesce(e.merged, []) WHERE m IN $ids) "
                         "RETURN e.id AS id, e.name AS name, coalesce(e.merged, []) AS merged", {"ids": ids}):
        names[row["id"]] = row["name"]
        for m in row["merged"]:
            names.setdefault(m, f"(merged into {row['name']})")
    return [{"judgement": j.judgement, "a": j.a, "a_name": names.get(j.a, ""), "b": j.b, "b_name": names.get(j.b, ""),
             "name": j.name, "at": j.at, "by": j.by, "line": f"{path}:{j.line}"} for j in found]


def apply(conn, data=None) -> list[str]:
    """Every decision of the judgements file (or, with no file, of the graph) applied to the graph
    again: what a load or an import calls when it has written, so that merges survive it. Returns
    notes for the user (decisions whose entities are not in the graph). Applying twice changes
    nothing."""
    path = jfile.path_of(data)
    try:
        found = jfile.read(path)
    except InputError as exc:
        raise InputError(f"{exc.reason}; what was loaded stays, but no decision was applied: fix the line, then run "
                         "`dealgraph judgements --apply`", file=exc.file, line=exc.line, field=exc.field) from None
    if not path.exists():
        found = [Judgement(r["j"], r["a"], r["b"], r["name"] or "", r["at"] or "", r["by"] or "")
                 for r in conn.read("MATCH (n:Judgement) RETURN n.judgement AS j, n.a AS a, n.b AS b, n.name AS name, "
                                    "n.at AS at, n.by AS by ORDER BY n.at, n.pair")]
    notes: list[str] = []
    for j in found:
        notes += conn.execute_write(_apply_one, j, str(path))
    return notes


def _apply_one(tx, j: Judgement, path: str) -> list[str]:
    if j.judgement != "same":
        _save_node(tx, j)
        return []
    has_a, has_b = gmerge._entity(tx, j.a) is not None, gmerge._entity(tx, j.b) is not None
    if has_a and has_b:
        _save_node(tx, j, gmerge.dumps(gmerge.merge(tx, j.a, j.b, j.name, force=True)))
        return []
    row = tx.run("MATCH (n:Judgement {pair: $pair}) RETURN n.record AS record", pair=j.pair).single()
    if has_a and row and row["record"]:
        _save_node(tx, j)
        gmerge.absorb(tx, j.a, j.b, gmerge.loads(row["record"]))
        return []
    where = f"{path}:{j.line}: " if j.line else ""
    missing = " and ".join(i for i, has in ((j.a, has_a), (j.b, has_b)) if not has)
    return [f"{where}same {j.a} {j.b}: not applied yet ({missing} not in the graph)"]
