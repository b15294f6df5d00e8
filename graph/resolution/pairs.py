"""Duplicate candidates: pairs of entities that may be one, scored 0..1 with the reasons in words.

1. Blocking: every name and alias of every entity gives a few keys (graph.resolution.fingerprints
   .block_keys); only entities sharing a key are compared, so the work grows with the number of
   names, not its square. A key shared by more entities than its limit (a common name, a generic
   word) is skipped: such pairs would score low for their commonness anyway.
2. Scoring: the closest pair of names (fingerprints.name_score), then the evidence around them:
   the same kind or not, the same country or not, how common the name is (many entities called
   "Wei Zhang" are not one person), and shared neighbours (backing the same companies, sharing a
   round).
3. Pairs already judged (the judgements file or the graph's (:Judgement) nodes) are not offered.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ..schema import FACT_TYPES, check_label
from . import judgements as jfile
from .fingerprints import best_name_score, block_keys, fingerprint

MAX_BLOCK = 25  # entities sharing a name key ("l:") compared at most; fewer for weaker keys:
BLOCK_LIMITS = {"c": 8, "d": 24}  # a core (generic words aside) or a one-letter deletion
# A pair's score: NAME_WEIGHT x how close the names are (fingerprints.name_score), + 0.05 for the same
# kind, + 0.05 for the same country, + 0.25 for a shared neighbour (0.3 for more) and 0.03 for a
# shared round; minus 0.2 for different kinds, 0.25 for different countries, and up to 0.25 for a
# common name; at most 1. A shared neighbour outweighs a common name: two investors backing the
# same company by chance are far rarer than two investors with one common name.
NAME_WEIGHT = 0.6
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
                     "e.kind AS kind, e.country AS country, coalesce(e.sources, []) AS sources")


def _neighbours(conn, ids: list[str]) -> dict[str, dict]:
    """Per entity: the ids of the entities it has facts with, and the rounds of its investments."""
    out: dict[str, dict] = {}
    for i in range(0, len(ids), 10_000):
        for row in conn.read("""
                UNWIND $ids AS id
                MATCH (e:Entity {id: id}) USING INDEX SEEK e:Entity(id)
                OPTIONAL MATCH (e)-[r:{FACTS}]-(x:Entity)
                RETURN id, collect(DISTINCT x.id) AS near, collect(DISTINCT r.round) AS rounds""".replace(
                "{FACTS}", "|".join(FACT_TYPES)), {"ids": ids[i:i + 10_000]}):
            out[row["id"]] = {"near": set(row["near"]), "rounds": set(row["rounds"]) - {None}}
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


def _names(row: dict) -> list[str]:
    return [n for n in dict.fromkeys([row["name"], *row["aliases"]]) if n][:MAX_NAMES]


def commonness(n: int) -> float:
    """What a name shared by `n` entities loses: nothing for two, 0.08 for four, 0.16 for eight, ..."""
    return 0.0 if n <= 2 else min(0.25, 0.08 * math.log2(n / 2))


def score_pair(a: dict, b: dict, counts: dict | None = None) -> tuple[float, list[str]]:
    """The score of two entity rows (id, name, aliases, kind, country) from their names, kinds and
    countries, and its reasons. `counts`: how many entities have each legal and core key (a common
    name, or a name whose distinctive part is common, is weaker evidence)."""
    named, why, na, nb = best_name_score(_names(a), _names(b))
    if named <= 0:
        return 0.0, [why]
    score = NAME_WEIGHT * named
    reasons = [f"{why}: {na!r} / {nb!r}" if na != nb else f"{why}: {na!r}"]
    if a["kind"] != b["kind"]:
        score -= 0.2
        reasons.append(f"different kinds ({a['kind']} / {b['kind']})")
    else:
        score += 0.05
    if a.get("country") and b.get("country"):
        if a["country"] == b["country"]:
            score += 0.05
            reasons.append(f"same country ({a['country']})")
        else:
            score -= 0.25
            reasons.append(f"different countries ({a['country']} / {b['country']})")
    if counts:
        fa, fb = fingerprint(na), fingerprint(nb)
        same = max(counts.get("l:" + fa.legal_key, 0), counts.get("l:" + fb.legal_key, 0))
        core = max(counts.get("c:" + fa.core_key, 0), counts.get("c:" + fb.core_key, 0))
        if commonness(same) >= commonness(core) and same > 2:
            score -= commonness(same)
            reasons.append(f"a common name: {same} entities have it")
        elif core > 2:
            score -= commonness(core)
            reasons.append(f"a common core: {core} entities have {fa.core_key!r} in a name")
    return score, reasons


def neighbour_bonus(a_id: str, b_id: str, near_a: dict | None, near_b: dict | None) -> tuple[float, list[str], list[str]]:
    """What shared neighbours (the same companies backed, the same rounds) add: (bonus, reasons, shared ids)."""
    if not near_a or not near_b:
        return 0.0, [], []
    shared = sorted((near_a["near"] & near_b["near"]) - {a_id, b_id})
    bonus, reasons = 0.0, []
    if shared:
        bonus += 0.25 if len(shared) == 1 else 0.3
        reasons.append(f"{len(shared)} shared neighbour{'s' if len(shared) > 1 else ''}")
    rounds = near_a["rounds"] & near_b["rounds"]
    if rounds:
        bonus += 0.03
        reasons.append(f"in the same round ({len(rounds)})")
    return bonus, reasons, shared


def _pairs(rows: list[dict]) -> tuple[set[tuple[int, int]], dict[str, int], int]:
    """Blocking: the index pairs that share a key, how many entities have each key, blocks skipped."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        keys: set[str] = set()
        for name in _names(row):
            keys |= block_keys(name)
        for key in keys:
            blocks[key].append(i)
    counts = {k: len(v) for k, v in blocks.items() if k[0] in "lc"}
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for key, members in blocks.items():
        if len(members) < 2:
            continue
        if key.startswith("s:"):  # consonants alone: only across scripts (an Arabic name and a Latin one)
            other = [i for i in members if any(fingerprint(n).script != "latin" for n in _names(rows[i]))]
            if not other:
                continue
            if len(other) * len(members) > MAX_BLOCK * MAX_BLOCK:
                skipped += 1
                continue
            pairs.update((min(i, j), max(i, j)) for i in other for j in members if i != j)
            continue
        if len(members) > BLOCK_LIMITS.get(key[0], MAX_BLOCK):
            skipped += 1
            continue
        pairs.update((members[x], members[y]) for x in range(len(members)) for y in range(x + 1, len(members)))
    return pairs, counts, skipped


def candidates(conn, kind: str | None = None, min_score: float = 0.5, limit: int | None = 100,
               data=None) -> Result:
    """Candidate pairs, best first: dicts {score, a, b, reasons, shared} (a, b: entity rows)."""
    t0 = time.perf_counter()
    judged = judged_pairs(conn, data)
    rows = _entities(conn, kind)
    t1 = time.perf_counter()
    pairs, counts, skipped = _pairs(rows)
    scored = []
    for i, j in pairs:
        a, b = rows[i], rows[j]
        score, reasons = score_pair(a, b, counts)
        if score + 0.33 >= min_score and jfile.pair_key(a["id"], b["id"]) not in judged:  # neighbours add <= 0.33
            scored.append((score, reasons, a, b))
    t2 = time.perf_counter()
    near = _neighbours(conn, sorted({r["id"] for _, _, a, b in scored for r in (a, b)}))
    out = []
    for score, reasons, a, b in scored:
        na, nb = near.get(a["id"]), near.get(b["id"])
        bonus, more, shared = neighbour_bonus(a["id"], b["id"], na, nb)
        score = round(max(0.0, min(1.0, score + bonus)), 3)
        if score < min_score:
            continue
        if nb and na and len(nb["near"]) > len(na["near"]):  # the better-connected one first: kept by a merge
            a, b = b, a
        out.append({"score": score, "a": a, "b": b, "reasons": reasons + more, "shared": shared})
    out.sort(key=lambda c: (-c["score"], c["a"]["id"], c["b"]["id"]))
    out = out[:limit] if limit else out
    named = {r["id"]: r["name"] for r in conn.read("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, e.name AS name",
                                                   {"ids": sorted({s for c in out for s in c["shared"][:20]})})}
    for c in out:
        c["shared"] = [{"id": s, "name": named.get(s)} for s in c["shared"]]
        if c["shared"]:
            shown = ", ".join(str(s["name"] or s["id"]) for s in c["shared"][:3])
            c["reasons"] = [r + f" ({shown}{', ...' if len(c['shared']) > 3 else ''})" if r.endswith(("neighbour", "neighbours"))
                            else r for r in c["reasons"]]
    t3 = time.perf_counter()
    return Result(out, len(rows), len(pairs), skipped,
                  {"read": t1 - t0, "block and score": t2 - t1, "neighbours and rank": t3 - t2})


def flat(c: dict) -> dict:
    """One candidate as a flat row (csv, json, the table)."""
    return {"score": c["score"], "a_id": c["a"]["id"], "a_name": c["a"]["name"], "a_kind": c["a"]["kind"],
            "a_country": c["a"].get("country"), "b_id": c["b"]["id"], "b_name": c["b"]["name"],
            "b_kind": c["b"]["kind"], "b_country": c["b"].get("country"), "reasons": "; ".join(c["reasons"])}
