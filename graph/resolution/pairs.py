"""Duplicate candidates: pairs of entities that may be one, scored 0..1 with the reasons in words.

1. Blocking: every name and alias of every entity gives a few keys (graph.resolution.fingerprints
   .block_keys); only entities sharing a key are compared, so the work grows with the number of
   names, not its square. A key shared by more than MAX_BLOCK entities (a generic word) is skipped.
2. Scoring: the closest pair of names (fingerprints.name_score), then the evidence around them:
   the same kind or not, the same country or not, how common the name is (many entities called
   "Wei Zhang" are not one person), and shared neighbours (backing the same companies, sharing a
   round).
3. Pairs already judged (the judgements file or the graph's (:Judgement) nodes) are not offered.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ..schema import FACT_TYPES, check_label
from . import judgements as jfile
from .fingerprints import best_name_score, block_keys, fingerprint

MAX_BLOCK = 60
MAX_NAMES = 12  # names of one entity compared (its name first, then its aliases)


@dataclass
class Result:
    candidates: list[dict]
    entities: int
    compared: int
    skipped_blocks: int
    seconds: dict = field(default_factory=dict)


def _entities(conn, kind: str | None) -> list[dict]:
    where = f"WHERE e:{check_label(kind)} " if kind else ""
    return conn.read(f"MATCH (e:Entity) {where}RETURN e.id AS id, e.name AS name, coalesce(e.aliases, []) AS aliases, "
                     "e.kind AS kind, e.country AS country, coalesce(e.sources, []) AS sources ORDER BY e.id")


def _neighbours(conn, ids: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 5000):
        for row in conn.read("""
                UNWIND $ids AS id
                MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id)
                OPTIONAL MATCH (e)-[r]-(x:Entity) WHERE type(r) IN $types
                RETURN id, collect(DISTINCT [x.id, x.name]) AS near, collect(DISTINCT r.round) AS rounds""",
                             {"ids": ids[i:i + 5000], "types": list(FACT_TYPES)}):
            out[row["id"]] = {"near": {x[0]: x[1] for x in row["near"] if x[0]}, "rounds": set(row["rounds"])}
    return out


def judged_pairs(conn, data=None) -> set[str]:
    """The pair keys of every judged pair (file and graph), ids mapped to the entities they are now."""
    pairs = {j.pair for j in jfile.read(jfile.path_of(data))}
    pairs |= {r["pair"] for r in conn.read("MATCH (n:Judgement) RETURN n.pair AS pair")}
    now = {m: r["id"] for r in conn.read("MATCH (e:Entity) WHERE e.merged IS NOT NULL RETURN e.id AS id, e.merged AS merged")
           for m in r["merged"]}
    out = set(pairs)
    for pair in pairs:
        a, b = pair.split("\x1f")
        out.add(jfile.pair_key(now.get(a, a), now.get(b, b)))
    return out


def score_pair(a: dict, b: dict, common: int = 1, near_a=None, near_b=None) -> tuple[float, list[str]]:
    """The score of two entity rows (id, name, aliases, kind, country) and its reasons."""
    names_a = list(dict.fromkeys([a["name"], *a["aliases"]]))[:MAX_NAMES]
    names_b = list(dict.fromkeys([b["name"], *b["aliases"]]))[:MAX_NAMES]
    score, why, na, nb = best_name_score(names_a, names_b)
    if score <= 0:
        return 0.0, [why]
    reasons = [f"{why}: {na!r} / {nb!r}" if na != nb else f"{why}: {na!r}"]
    if a["kind"] != b["kind"]:
        score -= 0.2
        reasons.append(f"different kinds ({a['kind']} / {b['kind']})")
    if a.get("country") and b.get("country"):
        if a["country"] == b["country"]:
            score += 0.05
            reasons.append(f"same country ({a['country']})")
        else:
            score -= 0.25
            reasons.append(f"different countries ({a['country']} / {b['country']})")
    if common > 2:
        score -= min(0.3, 0.05 * (common - 2))
        reasons.append(f"a common name: {common} entities have it")
    if near_a and near_b:
        shared = sorted(set(near_a["near"]) & set(near_b["near"]) - {a["id"], b["id"]})
        if shared:
            score += min(0.2, 0.07 * len(shared))
            named = ", ".join(near_a["near"][s] or s for s in shared[:3])
            reasons.append(f"{len(shared)} shared neighbour{'s' if len(shared) > 1 else ''} ({named}"
                           f"{', ...' if len(shared) > 3 else ''})")
        rounds = (near_a["rounds"] & near_b["rounds"]) - {None}
        if rounds:
            score += 0.1
            reasons.append(f"in the same round ({len(rounds)})")
    return round(max(0.0, min(1.0, score)), 3), reasons


def candidates(conn, kind: str | None = None, min_score: float = 0.5, limit: int | None = 100,
               data=None) -> Result:
    """Candidate pairs, best first: dicts {score, a, b, reasons, shared} (a, b: entity rows)."""
    t0 = time.perf_counter()
    rows = _entities(conn, kind)
    t1 = time.perf_counter()
    blocks: dict[str, list[int]] = defaultdict(list)
    legal_count: dict[str, int] = defaultdict(int)
    for i, row in enumerate(rows):
        keys: set[str] = set()
        for name in list(dict.fromkeys([row["name"], *row["aliases"]]))[:MAX_NAMES]:
            if name:
                keys |= block_keys(name)
        for key in keys:
            blocks[key].append(i)
        legal_count[fingerprint(row["name"] or "").legal_key] += 1
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for key, members in blocks.items():
        if len(members) > MAX_BLOCK:
            skipped += 1
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    judged = judged_pairs(conn, data)
    scored = []
    for i, j in pairs:
        a, b = rows[i], rows[j]
        if jfile.pair_key(a["id"], b["id"]) in judged:
            continue
        common = max(legal_count[fingerprint(a["name"] or "").legal_key], legal_count[fingerprint(b["name"] or "").legal_key])
        score, _ = score_pair(a, b, common)
        if score + 0.3 >= min_score:  # shared neighbours can add up to 0.3
            scored.append((i, j, common))
    t2 = time.perf_counter()
    near = _neighbours(conn, sorted({rows[k]["id"] for i, j, _ in scored for k in (i, j)}))
    out = []
    for i, j, common in scored:
        a, b = rows[i], rows[j]
        na, nb = near.get(a["id"]), near.get(b["id"])
        score, reasons = score_pair(a, b, common, na, nb)
        if score < min_score:
            continue
        if nb and na and len(nb["near"]) > len(na["near"]):  # the better-connected one first: kept by a merge
            a, b, na, nb = b, a, nb, na
        shared = sorted(set(na["near"]) & set(nb["near"]) - {a["id"], b["id"]}) if na and nb else []
        out.append({"score": score, "a": a, "b": b, "reasons": reasons,
                    "shared": [{"id": s, "name": na["near"][s]} for s in shared]})
    out.sort(key=lambda c: (-c["score"], c["a"]["id"], c["b"]["id"]))
    t3 = time.perf_counter()
    return Result(out[:limit] if limit else out, len(rows), len(pairs), skipped,
                  {"read": t1 - t0, "block and score": t2 - t1, "neighbours and rank": t3 - t2})


def flat(c: dict) -> dict:
    """One candidate as a flat row (csv, json, the table)."""
    return {"score": c["score"], "a_id": c["a"]["id"], "a_name": c["a"]["name"], "a_kind": c["a"]["kind"],
            "a_country": c["a"].get("country"), "b_id": c["b"]["id"], "b_name": c["b"]["name"],
            "b_kind": c["b"]["kind"], "b_country": c["b"].get("country"), "reasons": "; ".join(c["reasons"])}
