"""Runner mechanics on small graphs made here: entity ids as parameters and the as_of rule."""
from __future__ import annotations

import pytest

GRAPH = """
CREATE (c:Entity:Company {id: 'cb-0001', name: 'Acme Robotics', kind: 'Company'})
WITH c
UNWIND $deals AS deal
CREATE (i:Entity:Fund {id: deal.id, name: deal.name, kind: 'Fund'})
CREATE (i)-[:INVESTED_IN {id: deal.id + '-deal', source: 'test', date: deal.date}]->(c)
"""
DEALS = [
    {"id": "f-undated", "name": "Undated Fund", "date": None},
    {"id": "f-2023", "name": "Year Fund", "date": "2023"},
    {"id": "f-2023-07", "name": "July Fund", "date": "2023-07"},
    {"id": "f-2023-07-15", "name": "Mid July Fund", "date": "2023-07-15"},
    {"id": "f-2024-01-02", "name": "New Year Fund", "date": "2024-01-02"},
]


@pytest.fixture
def dated_deals(clean_db):
    """One company and five funds' investments in it, dated to the year, month, day or not at all."""
    clean_db.write(GRAPH, {"deals": DEALS})
    return clean_db


def investors(conn, **params) -> set[str]:
    from graph.queries import run_query

    df = run_query("investors_of", conn=conn, company="cb-0001", **params)
    return {d["id"] for d in df["investor"]}


@pytest.mark.parametrize("as_of, expected", [
    (None, {"f-undated", "f-2023", "f-2023-07", "f-2023-07-15", "f-2024-01-02"}),
    ("2022", {"f-undated"}),
    ("2023-06", {"f-undated", "f-2023"}),                      # "2023" may be any day of 2023
    ("2023-07", {"f-undated", "f-2023", "f-2023-07", "f-2023-07-15"}),  # the end of July
    ("2023-07-14", {"f-undated", "f-2023", "f-2023-07"}),
    ("2023", {"f-undated", "f-2023", "f-2023-07", "f-2023-07-15"}),
    ("2024-01-02", {"f-undated", "f-2023", "f-2023-07", "f-2023-07-15", "f-2024-01-02"}),
])
def test_as_of_keeps_facts_known_by_the_end_of_that_date(dated_deals, as_of, expected):
    assert investors(dated_deals, as_of=as_of) == expected


def test_an_entity_id_is_accepted_as_it_is(dated_deals, cli):
    """Imported entities (ids like cb-0001) need no alias to be named by id."""
    assert len(investors(dated_deals)) == 5
    result = cli("query", "investors_of", "-p", "company=cb-0001", "-f", "csv")
    assert result.code == 0, result
    assert result.out.splitlines()[0].startswith("investor,") and len(result.out.splitlines()) == 6
