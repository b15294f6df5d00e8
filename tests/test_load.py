"""`dealgraph load` as a writer: the summary it prints, --reset and its confirmation, reloads
of an edited dataset (updates counted, stale names dropped), and other data left alone."""
from __future__ import annotations

import re

from conftest import fingerprint
from test_dataset import FACTS, ENTITIES, write

from graph.load import load_dataset
from graph.resolve import candidates


def _table(out: str) -> dict[str, list[int]]:
    """The summary table's rows: name -> [in dataset, created, updated, unchanged]."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]
        if len(cells) == 5 and cells[1].isdigit():
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_first_load_reports_what_it_created(clean_db, cli, tmp_path):
    result = cli("load", write(tmp_path))
    assert result.code == 0, result
    table = _table(result.out)
    assert table["Company"] == [1, 1, 0, 0]
    assert table["INVESTED_IN"] == [1, 1, 0, 0]
    assert table["FINED"] == [1, 1, 0, 0]
    assert table["Round"] == [1, 1, 0, 0]
    # acme: id, name and two aliases, "Acme" and "acme" sharing a key -> 3 keys
    assert clean_db.read("MATCH (:Alias)-[:ALIAS_OF]->(:Entity {id: 'acme'}) RETURN count(*) AS n")[0]["n"] == 3
    again = cli("load", write(tmp_path))
    assert _table(again.out)["INVESTED_IN"] == [1, 0, 0, 1] and "Nothing changed" in again.out


def test_reload_of_an_edited_dataset_updates_in_place(clean_db, cli, tmp_path):
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    assert cli("load", write(tmp_path)).code == 0
    edited = write(tmp_path,
                   facts__a1_yaml=FACTS.replace("amount: 1000000", "amount: 1500000"),
                   entities_yaml=ENTITIES.replace("aliases: [Acme, ACME Corp]", "aliases: [Acme, Acme Robotics Inc]"))
    result = cli("load", edited)
    assert result.code == 0, result
    table = _table(result.out)
    assert table["INVESTED_IN"] == [1, 0, 1, 0]
    assert table["Company"] == [1, 0, 1, 0]
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN collect(r.amount) AS a")[0]["a"] == [1500000]
    assert candidates(clean_db, "ACME Corp") == []           # the dropped alias no longer resolves
    assert [c["id"] for c in candidates(clean_db, "acme robotics inc")] == ["acme"]
    assert clean_db.read("MATCH (n:Alias {key: 'acmecorp'}) RETURN n") == []
    # Data the dataset does not mention is left alone without --reset.
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n.name AS name") == [{"name": "Bystander"}]


def test_reset_asks_first_and_aborts_on_no(clean_db, cli, tmp_path):
    load_dataset(clean_db, write(tmp_path))
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    before = fingerprint(clean_db)
    result = cli("load", "--reset", write(tmp_path), input="n\n")
    assert result.code != 0 and "Traceback" not in result.err
    assert "deletes every node and relationship" in result.err and "Aborted" in result.err
    assert fingerprint(clean_db) == before
    # No answer at all (stdin closed) is a no too.
    assert cli("load", "--reset", write(tmp_path), input="").code != 0
    assert fingerprint(clean_db) == before


def test_reset_on_yes_empties_the_database_first(clean_db, cli, tmp_path):
    load_dataset(clean_db, write(tmp_path))
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    result = cli("load", "--reset", write(tmp_path), input="y\n")
    assert result.code == 0, result
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n") == []
    assert _table(result.out)["INVESTED_IN"] == [1, 1, 0, 0]   # recreated from nothing
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    result = cli("load", "--reset", "--yes", write(tmp_path), input="")
    assert result.code == 0, result
    assert clean_db.read("MATCH (n:Entity {id: 'bystander'}) RETURN n") == []


def test_a_bad_dataset_is_refused_before_the_reset_question(clean_db, cli, tmp_path):
    load_dataset(clean_db, write(tmp_path))
    before = fingerprint(clean_db)
    bad = write(tmp_path, facts__a1_yaml=FACTS.replace("currency: EUR", "currency: EURO"))
    result = cli("load", "--reset", "--yes", bad)
    assert result.code != 0 and "unknown currency 'EURO'" in result.err
    assert fingerprint(clean_db) == before


def test_reset_of_a_big_graph_deletes_in_batches_and_says_so(clean_db, cli, tmp_path):
    """Above DEALGRAPH_RESET_IN_ONE_UP_TO nodes, --reset empties the graph batch by batch first (and says
    it is then not all-or-nothing); below it, the reset stays inside the load's one transaction."""
    load_dataset(clean_db, write(tmp_path))
    fresh = fingerprint(clean_db)
    clean_db.write("UNWIND range(1, 120) AS i CREATE (:Entity:Company {id: 'by-' + i, name: 'B', kind: 'Company'})"
                   "-[:COMPETES_WITH {id: 'c-' + i}]->(:Entity:Company {id: 'other-' + i, name: 'O', kind: 'Company'})")
    result = cli("load", "--reset", "--yes", write(tmp_path), env={"DEALGRAPH_RESET_IN_ONE_UP_TO": "50"})
    assert result.code == 0, result
    assert "emptied in batches of 10,000 nodes" in result.out and "not all-or-nothing" in result.out, result
    assert re.search(r"2\d\d nodes and 1\d\d relationships deleted \(--reset\)", result.out), result
    assert clean_db.read("MATCH (n:Entity) WHERE n.id STARTS WITH 'by-' RETURN n") == []
    after = fingerprint(clean_db, by_key=True)
    load_dataset(clean_db, write(tmp_path), reset=True)
    assert fingerprint(clean_db, by_key=True) == after
    small = cli("load", "--reset", "--yes", write(tmp_path))
    assert small.code == 0 and "in batches" not in small.out, small
    assert len(fingerprint(clean_db)[0]) == len(fresh[0])
