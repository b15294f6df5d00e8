"""The writer's statements keep index-backed plans on a new, empty database (issue 19).

A user's first import runs against an empty database, where the planner's statistics say every
label is empty. Every statement graph.write sends is captured here as it runs on such a database,
then EXPLAINed with its own parameters: each must find nodes and relationships by a seek on their
constrained key (never a scan of a label, of every node or of an index). A statement plans no
Eager (which holds the whole batch between operators) unless it must: setting a whole property map
(`= row.props`: the planner cannot know the map leaves the key alone), deleting, or comparing a
record before and after (`before`: what `dealgraph load` counts as updated; batched imports skip it).
"""
from __future__ import annotations

import re

import pytest

from graph import write

ARTICLES = [{"id": "a.txt", "props": {"title": "An article", "language": "en"}}]
ENTITIES = [
    {"id": "alpha", "kind": "Company", "props": {"name": "Alpha"}, "keys": [{"key": "alpha", "names": ["Alpha"]}],
     "sources": ["a.txt"]},
    {"id": "fund", "kind": "Fund", "props": {"name": "Fund"}, "keys": [{"key": "fund", "names": ["Fund"]}],
     "sources": ["a.txt"]},
]
ROUNDS = [{"id": "alpha-a", "company": "alpha", "props": {"source": "a.txt", "date": "2024"}}]
FACTS = [
    {"id": "f1", "type": "INVESTED_IN", "from": "fund", "to": "alpha", "props": {"source": "a.txt", "round": "alpha-a"}},
    {"id": "f2", "type": "COMPETES_WITH", "from": "alpha", "to": "fund", "props": {"source": "a.txt"}},
]
# Keys with a uniqueness constraint (graph.schema): a pattern on one of them must be a unique seek.
NODE_KEY = re.compile(r"\(\w+:(Entity|Round|Article|Alias) \{(id|key):")
REL_KEY = re.compile(r"\[\w+:[A-Z_]+ \{id:")


class Recorder:
    """A transaction that remembers every statement (and its parameters) run through it."""

    def __init__(self, tx):
        self.tx, self.statements = tx, []

    def run(self, cypher, parameters=None, **kwargs):
        self.statements.append((cypher, {**(parameters or {}), **kwargs}))
        return self.tx.run(cypher, parameters, **kwargs)


class _RollBack(Exception):
    def __init__(self, plans):
        self.plans = plans


def _operators(plan) -> list[str]:
    ops = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        ops += _operators(child)
    return ops


def written_plans(conn, track: bool) -> list[tuple[str, list[str]]]:
    """(statement, operators of its plan) for every statement of a full write, on an empty database."""
    def work(tx):
        rec = Recorder(tx)
        write.articles(rec, ARTICLES)
        write.entities(rec, ENTITIES, managed=["a.txt"], track=track)
        write.mentions(rec, ENTITIES, ["a.txt"])
        write.rounds(rec, ROUNDS, track=track)
        write.facts(rec, FACTS, track=track)
        write.sweep(rec, "a.txt", ["alpha-a"], ["f1"])
        raise _RollBack([(cypher, _operators(tx.run("EXPLAIN " + cypher, params).consume().plan))
                         for cypher, params in rec.statements])

    with pytest.raises(_RollBack) as rolled_back:  # nothing the capture wrote is kept
        conn.execute_write(work)
    return rolled_back.value.plans


@pytest.mark.parametrize("track", [True, False], ids=["load (counts updates)", "batched import"])
def test_every_write_statement_seeks_its_constrained_key_on_an_empty_database(clean_db, track):
    plans = written_plans(clean_db, track)
    assert len(plans) >= 12  # articles, entities of two kinds, aliases, mentions, rounds, facts, sweep
    for cypher, ops in plans:
        shown = " ".join(cypher.split())[:120]
        assert not [op for op in ops if "Scan" in op], (shown, ops)
        if NODE_KEY.search(cypher):
            assert any(op.startswith("NodeUniqueIndexSeek") for op in ops), (shown, ops)
        if REL_KEY.search(cypher):
            assert any("RelationshipUniqueIndexSeek" in op for op in ops), (shown, ops)
        if not re.search(r"\+?= row\.props|DELETE|AS before", cypher):
            assert "Eager" not in ops, (shown, ops)
    assert clean_db.read("MATCH (n) RETURN count(n) AS n") == [{"n": 0}]


# A MATCH (or OPTIONAL MATCH) clause, up to the next clause: its patterns and any hints.
MATCH_CLAUSE = re.compile(r"\b(?:OPTIONAL )?MATCH\b(.*?)(?=\b(?:WITH|WHERE|UNWIND|MERGE|DELETE|SET|RETURN|OPTIONAL|"
                          r"MATCH|DETACH)\b|$)", re.S)
KEYED = re.compile(r"\((\w+):(\{?\w+\}?) \{+(\w+):|\[(\w+):(\{?\w+\}?) \{+(id):")  # {other}, {t}: checked names


def test_every_match_on_a_key_carries_its_index_hint():
    """The plan of a first import cannot depend on statistics gathered on an empty or half-loaded
    database (a cold run once scanned every Round per investment): every MATCH of the writer on an
    indexed key says `USING INDEX SEEK` for it, so the planner must seek (a plain `USING INDEX` is
    also met by a scan of that index, which is what the planner chose). Checked on the statements
    as written (the plans are checked above)."""
    import inspect

    from graph import resolve

    checked = 0
    # and the alias lookup an import of deals makes (graph.resolve.alias_lookup)
    for source in (inspect.getsource(write), resolve._KEYS_LOOKUP):
        for clause in MATCH_CLAUSE.findall(source):
            for found in KEYED.finditer(clause):
                var, label, key = [g for g in found.groups() if g is not None]
                assert f"USING INDEX SEEK {var}:{label}({key})" in clause, clause
                checked += 1
    assert checked >= 15


def test_sweeping_a_source_seeks_its_rounds_by_source(clean_db):
    """Re-importing a deals file removes the rounds it no longer holds: found through an index."""
    sweep = [ops for cypher, ops in written_plans(clean_db, track=False) if cypher.startswith("MATCH (n:Round {source")]
    assert sweep and any(op.startswith("NodeIndexSeek") for op in sweep[0]), sweep
