"""`dealgraph load` as a writer: what a load writes, the summary it prints, --reset and its
confirmation, reloads of an edited dataset (updates counted, stale names dropped), and other data
left alone. The dataset is conftest's small one (its reading is tests/unit/test_dataset.py's)."""
from __future__ import annotations

import re

import pytest
from helpers import fingerprint, small_dataset

from graph.load import load_dataset
from graph.resolve import candidates


@pytest.fixture
def write_dataset(tmp_path):
    """Write the small dataset, with changes, to tmp_path/data.yaml (again on each call)."""
    def write(*changes) -> str:
        path = tmp_path / "data.yaml"
        path.write_text(small_dataset(*changes), encoding="utf-8")
        return str(path)
    return write


def _table(out: str) -> dict[str, list[int]]:
    """The summary table's rows: name -> [in dataset, created, updated, unchanged]."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]
        if len(cells) == 5 and cells[1].isdigit():
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_a_load_writes_the_values_it_read(clean_db, cli, write_dataset):
    result = cli("load", write_dataset())
    assert result.code == 0, result
    rows = clean_db.read("MATCH (f:Entity)-[r:INVESTED_IN]->(c:Entity) "
                         "RETURN f.id AS f, c.id AS c, r.amount AS amount, r.currency AS cur, r.round AS round, "
                         "r.amount_usd AS usd")
    assert rows == [{"f": "fund-one", "c": "alpha", "amount": 5000, "cur": "EUR", "round": "alpha-a", "usd": None}]
    fined = clean_db.read("MATCH (:Entity {id: 'regulator'})-[r:FINED]->(:Entity {id: 'alpha'}) "
                          "RETURN r.amount AS amount, r.amount_usd AS usd, r.source AS source")
    assert fined == [{"amount": 2500000, "usd": 2500000, "source": "a2.txt"}]
    raised = clean_db.read("MATCH (:Entity {id: 'alpha'})-[:RAISED]->(r:Round)-[:REPORTED_IN]->(a:Article) "
                           "RETURN r.id AS id, r.amount_usd AS usd, a.id AS article")
    assert raised == [{"id": "alpha-a", "usd": 1000000, "article": "a1.txt"}]


def test_first_load_reports_what_it_created(clean_db, cli, write_dataset):
    result = cli("load", write_dataset())
    assert result.code == 0, result
    table = _table(result.out)
    assert table["Company"] == [1, 1, 0, 0]
    assert table["INVESTED_IN"] == [1, 1, 0, 0]
    assert table["FINED"] == [1, 1, 0, 0]
    assert table["Round"] == [1, 1, 0, 0]
    # alpha: its id, its name and two aliases, "Alpha" sharing the id's key -> 3 keys
    assert clean_db.read("MATCH (:Alias)-[:ALIAS_OF]->(:Entity {id: 'alpha'}) RETURN count(*) AS n")[0]["n"] == 3
    again = cli("load", write_dataset())
    assert _table(again.out)["INVESTED_IN"] == [1, 0, 0, 1] and "Nothing changed" in again.out


def test_reload_of_an_edited_dataset_updates_in_place(clean_db, cli, write_dataset):
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    assert cli("load", write_dataset()).code == 0
    edited = write_dataset(("    amount: 5000", "    amount: 7500"),
                     ("aliases: [Alpha, ALPHA AI Corp]", "aliases: [Alpha, Alpha Robotics Inc]"))
    result = cli("load", edited)
    assert result.code == 0, result
    table = _table(result.out)
    assert table["INVESTED_IN"] == [1, 0, 1, 0]
    assert table["Company"] == [1, 0, 1, 0]
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN collect(r.amount) AS a")[0]["a"] == [7500]
    assert candidates(clean_db, "ALPHA AI Corp") == []           # the dropped alias no longer resolves
    assert [c["id"] for c in candidates(clean_db, "alpha robotics inc")] == ["alpha"]
    assert clean_db.read("MATCH (n:Alias {key: 'alphaaicorp'}) RETURN n") == []
    # Data the dataset does not mention is left alone without --reset.
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n.name AS name") == [{"name": "Bystander"}]


def test_reset_asks_first_and_aborts_on_no(clean_db, cli, write_dataset):
    load_dataset(clean_db, write_dataset())
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    before = fingerprint(clean_db)
    result = cli("load", "--reset", write_dataset(), input="n\n")
    assert result.code != 0 and "Traceback" not in result.err
    assert "deletes every node and relationship" in result.err and "Aborted" in result.err
    assert fingerprint(clean_db) == before
    # No answer at all (stdin closed) is a no too.
    assert cli("load", "--reset", write_dataset(), input="").code != 0
    assert fingerprint(clean_db) == before


def test_reset_on_yes_empties_the_database_first(clean_db, cli, write_dataset):
    load_dataset(clean_db, write_dataset())
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    result = cli("load", "--reset", write_dataset(), input="y\n")
    assert result.code == 0, result
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n") == []
    assert _table(result.out)["INVESTED_IN"] == [1, 1, 0, 0]   # recreated from nothing
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    result = cli("load", "--reset", "--yes", write_dataset(), input="")
    assert result.code == 0, result
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n") == []


@pytest.mark.bad_input
def test_a_bad_dataset_is_refused_before_the_reset_question(clean_db, cli, write_dataset):
    load_dataset(clean_db, write_dataset())
    before = fingerprint(clean_db)
    result = cli("load", "--reset", "--yes", write_dataset(("    currency: EUR", "    currency: EURO")))
    assert result.code != 0 and "unknown currency 'EURO'" in result.err
    assert fingerprint(clean_db) == before


def test_reset_of_a_big_graph_deletes_in_batches_and_says_so(clean_db, cli, write_dataset):
    """Above DEALGRAPH_RESET_IN_ONE_UP_TO nodes, --reset empties the graph batch by batch first (and says
    it is then not all-or-nothing); below it, the reset stays inside the load's one transaction."""
    load_dataset(clean_db, write_dataset())
    fresh = fingerprint(clean_db)
    clean_db.write("UNWIND range(1, 120) AS i CREATE (:Entity:Company {id: 'by-' + i, name: 'B', kind: 'Company'})"
                   "-[:COMPETES_WITH {id: 'c-' + i}]->(:Entity:Company {id: 'other-' + i, name: 'O', kind: 'Company'})")
    result = cli("load", "--reset", "--yes", write_dataset(), env={"DEALGRAPH_RESET_IN_ONE_UP_TO": "50"})
    assert result.code == 0, result
    assert "emptied in batches of 10,000 nodes" in result.out and "not all-or-nothing" in result.out, result
    assert re.search(r"2\d\d nodes and 1\d\d relationships deleted \(--reset\)", result.out), result
    assert clean_db.read("MATCH (n:Entity) WHERE n.id STARTS WITH 'by-' RETURN n") == []
    after = fingerprint(clean_db, by_key=True)
    load_dataset(clean_db, write_dataset(), reset=True)
    assert fingerprint(clean_db, by_key=True) == after
    small = cli("load", "--reset", "--yes", write_dataset())
    assert small.code == 0 and "in batches" not in small.out, small
    assert len(fingerprint(clean_db)[0]) == len(fresh[0])
