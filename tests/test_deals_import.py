"""`dealgraph import deals`: generated messy spreadsheets, imported through the real CLI into a real Neo4j.

The spreadsheets are generated here from a list of rounds (company, date, amount, round name,
investors); expected answers come from that list, never from the importer's code.
"""
from __future__ import annotations

import csv
import json

import pytest

from helpers import assert_one_line_error, fingerprint
from deals_data import HEADER, generate_rounds, rows_of, write_csv


@pytest.fixture(scope="module")
def rounds():
    return generate_rounds()


def count(conn, cypher, **params):
    return conn.read(cypher, params)[0]["n"]


def test_messy_csv_imports_with_the_rounds_rule(fresh_seed, cli, tmp_path, rounds):
    rows = rows_of(rounds)
    rows += [rows[0], rows[5], rows[5]]  # exact duplicates count once
    path = write_csv(tmp_path / "deals.csv", rows)
    before = {"entities": count(fresh_seed, "MATCH (e:Entity) RETURN count(e) AS n")}
    result = cli("import", "deals", path, "--no-progress")
    assert result.code == 0, result
    # The mapping is printed before anything is written.
    assert ("investor <- Investor, company <- Organization Name, date <- Announced On, amount_usd <- Raised Amount "
            "(USD), round <- Funding Round Type, lead <- Is Lead Investor") in result.out
    source = f"deals:{path.name}"
    assert count(fresh_seed, "MATCH (r:Round {source: $s}) RETURN count(r) AS n", s=source) == len(rounds)
    pairs = {(r.company, r.date, r.amount, inv) for r in rounds for inv in r.investors}
    assert count(fresh_seed, "MATCH ()-[r:INVESTED_IN {source: $s}]->() RETURN count(r) AS n", s=source) == len(pairs)
    assert "Rounds: %d (2 of them split" % len(rounds) in result.out
    assert f"{len(rows_of(rounds)) + 3:,} read, {len(rows_of(rounds)):,} imported, 0 rejected, 3 exact" in result.out

    # Names: the seed's entities are joined, the others are new (companies and funds counted once).
    companies = {r.company for r in rounds}
    funds = {i for r in rounds for i in r.investors}
    joined = {"Sequoia China", "Alibaba"} & funds
    assert f"Names: {len(joined)} joined existing entities, {len(companies | funds) - len(joined)} new" in result.out
    assert count(fresh_seed, "MATCH (e:Entity) RETURN count(e) AS n") == \
        before["entities"] + len(companies | funds) - len(joined)
    assert count(fresh_seed, "MATCH (:Entity {id: 'hongshan'})-[r:INVESTED_IN {source: $s}]->() RETURN count(r) AS n",
                 s=source) == sum("Sequoia China" in r.investors for r in rounds)
    kinds = {r["name"]: r["labels"] for r in fresh_seed.read(
        "MATCH (e:Entity) WHERE e.id STARTS WITH 'deal-' RETURN e.name AS name, "
        "[l IN labels(e) WHERE l <> 'Entity'] AS labels")}
    assert kinds["Amber Capital"] == ["Company"] and kinds["Birch Capital"] == ["Fund"]
    assert all(kinds[c] == ["Company"] for c in companies)

    # funding_history: each round once, its amount the round's (never multiplied by its investors).
    for company in ("Sable 99 Robotics", rounds[0].company):
        got = json.loads(cli("query", "funding_history", "-p", f"company={company}", "--format", "json").out)
        mine = sorted((r for r in rounds if r.company == company), key=lambda r: r.date)
        assert sorted(row["date"] for row in got) == [r.date for r in mine]
        assert sum(row["amount_usd"] or 0 for row in got) == sum(r.amount or 0 for r in mine)
        assert sorted(sorted(i["name"] for i in row["investors"]) for row in got) == \
            sorted(sorted("HongShan" if i == "Sequoia China" else "Alibaba Group" if i == "Alibaba" else i
                          for i in r.investors) for r in mine)
    # Leads: named where the file says so; unknown stays unset (not false).
    led = count(fresh_seed, "MATCH ()-[r:INVESTED_IN {source: $s, led: true}]->() RETURN count(r) AS n", s=source)
    assert led == sum(r.lead is not None for r in rounds)
    unknown = count(fresh_seed, "MATCH ()-[r:INVESTED_IN {source: $s}]->() WHERE r.led IS NULL RETURN count(r) AS n",
                    s=source)
    assert unknown == sum(len(r.investors) for r in rounds if r.lead is None)
    # investors_of shows the round's amount where no per-investor amount exists.
    got = json.loads(cli("query", "investors_of", "-p", "company=Sable 99 Robotics", "--format", "json").out)
    assert {row["investor"]["name"]: row["amount_usd"] for row in got} == \
        {"Amber Capital": 20_000_000, "Birch Capital": 20_000_000, "Harbor Capital": 5_000_000}

    # Importing the same file again changes nothing.
    again = fingerprint(fresh_seed)
    assert cli("import", "deals", path, "--no-progress").code == 0
    assert fingerprint(fresh_seed) == again


@pytest.mark.bad_input
def test_bad_rows_all_or_nothing_or_skipped_to_a_rejects_file(fresh_seed, cli, tmp_path, rounds):
    rows = rows_of(rounds)
    rows.insert(3, ["Quill 1 Robotics", "", "", "5", "", ""])    # line 5: blank investor, no date or round
    rows.insert(8, ["", "Amber Capital", "2020-01-01", "5", "", ""])             # line 10: blank company
    rows.insert(12, ["Rift 2 Robotics", "Birch Capital", "2020-02-30", "", "", ""])  # line 14: no such day
    path = write_csv(tmp_path / "messy.csv", rows)
    before = fingerprint(fresh_seed)
    result = cli("import", "deals", path)
    assert_one_line_error(result, f"{path}:5: Investor: missing investor name", "2 more problems",
                          "nothing was imported")
    assert fingerprint(fresh_seed) == before
    assert not (tmp_path / "messy.rejects.csv").exists()

    result = cli("import", "deals", path, "--skip-invalid", "--no-progress")
    assert result.code == 0, result
    rejects = tmp_path / "messy.rejects.csv"
    assert f"Rejected 3 rows: see {rejects}" in " ".join(result.out.split())
    with open(rejects, newline="", encoding="utf-8") as f:
        got = [(r["line"], r["field"], r["problem"]) for r in csv.DictReader(f)]
    assert got == [("5", "Investor", "missing investor name (a row without one is a round: give its round or date)"),
                   ("10", "Organization Name", "missing company name"),
                   ("14", "Announced On", "not a date: '2020-02-30' (no such day)")]
    assert count(fresh_seed, "MATCH (r:Round {source: $s}) RETURN count(r) AS n", s=f"deals:{path.name}") == len(rounds)

    other = tmp_path / "elsewhere.csv"
    assert cli("import", "deals", path, "--skip-invalid", "--rejects", other, "--no-progress").code == 0
    assert other.read_text(encoding="utf-8") == rejects.read_text(encoding="utf-8")

    write_csv(path, rows_of(rounds))  # the file fixed: its old list of rejected rows must not stay behind
    result = cli("import", "deals", path, "--skip-invalid", "--no-progress")
    assert result.code == 0 and "removed the earlier" in " ".join(result.out.split()), result
    assert not rejects.exists() and other.exists()  # only the default file of this input is cleared


def test_xlsx_with_other_headers_and_column_flags(clean_db, cli, tmp_path):
    from openpyxl import Workbook
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["Startup", "Money From", "Deal Day", "Size", "Ccy", "Stage", "Backer Type"])
    sheet.append(["Acme AI", "Oak Partners", dt.datetime(2023, 7, 1), 10_000_000, "EUR", "Series A", "vc"])
    sheet.append(["Acme AI", "Jane Roe", dt.datetime(2023, 7, 1), 10_000_000, "EUR", "Series A", "angel"])
    sheet.append(["Acme AI", "Oak Partners", dt.datetime(2024, 1, 1), None, None, "Series B", "vc"])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    result = cli("import", "deals", path, "--no-progress")
    assert_one_line_error(result, f"{path}:1: no column for 'investor' (found: Startup, Money From, Deal Day, Size, "
                          "Ccy, Stage, Backer Type); name it with --column investor=HEADER")
    assert count(clean_db, "MATCH (n) RETURN count(n) AS n") == 0
    result = cli("import", "deals", path, "--column", "investor=Money From", "--column", "date=Deal Day", "--column", "amount=size",
                 "--column", "currency=Ccy", "--column", "investor_kind=Backer Type", "--no-progress")
    assert result.code == 0, result
    assert "date <- Deal Day" in result.out and "amount <- Size" in result.out
    got = clean_db.read("MATCH (c:Entity)-[:RAISED]->(r:Round) RETURN c.name AS c, r.name AS name, r.date AS date, "
                        "r.amount AS amount, r.currency AS cur, r.amount_usd AS usd ORDER BY date")
    assert got == [{"c": "Acme AI", "name": "Series A", "date": "2023-07-01", "amount": 10_000_000, "cur": "EUR",
                    "usd": None},
                   {"c": "Acme AI", "name": "Series B", "date": "2024-01-01", "amount": None, "cur": None, "usd": None}]
    kinds = {r["name"]: r["labels"] for r in clean_db.read(
        "MATCH (e:Entity) RETURN e.name AS name, [l IN labels(e) WHERE l <> 'Entity'] AS labels")}
    assert kinds == {"Acme AI": ["Company"], "Oak Partners": ["Fund"], "Jane Roe": ["Person"]}


def test_reimport_of_a_changed_file_leaves_nothing_stale(clean_db, cli, tmp_path):
    first = [["Acme", "Oak", "2023-01-01", "1,000,000", "Seed", ""],
             ["Acme", "Elm", "2023-01-01", "1,000,000", "Seed", ""],
             ["Beta", "Oak", "2023-05-01", "", "", ""]]
    path = write_csv(tmp_path / "d.csv", first)
    header = HEADER + ["Investor Type"]
    path = write_csv(tmp_path / "d.csv", [r + ["fund"] for r in first], header)
    assert cli("import", "deals", path, "--no-progress").code == 0
    # Oak becomes a company, Elm leaves, the seed round moves to another day, Beta's round to Gamma.
    changed = [["Acme", "Oak", "2023-01-02", "1,000,000", "Seed", "", "company"],
               ["Gamma", "Oak", "2023-05-01", "", "", "", "company"],
               ["Acme", "OAK", "2023-01-02", "1,000,000", "Seed", "", "company"]]
    write_csv(path, changed, header)
    result = cli("import", "deals", path, "--no-progress")
    assert result.code == 0, result
    assert clean_db.read("MATCH (e:Entity {id: 'deal-oak'}) RETURN [l IN labels(e) WHERE l <> 'Entity'] AS l, "
                         "e.aliases AS aliases") == [{"l": ["Company"], "aliases": ["Oak", "OAK"]}]
    rounds = clean_db.read("MATCH (c:Entity)-[:RAISED]->(r:Round) RETURN c.name AS c, r.date AS date ORDER BY date")
    assert rounds == [{"c": "Acme", "date": "2023-01-02"}, {"c": "Gamma", "date": "2023-05-01"}]
    investments = clean_db.read("MATCH (i)-[r:INVESTED_IN]->(c) RETURN i.name AS i, c.name AS c, r.date AS date "
                                "ORDER BY date")
    assert investments == [{"i": "Oak", "c": "Acme", "date": "2023-01-02"},
                           {"i": "Oak", "c": "Gamma", "date": "2023-05-01"}]
    # And the same changed file again: nothing moves.
    before = fingerprint(clean_db)
    assert cli("import", "deals", path, "--no-progress").code == 0
    assert fingerprint(clean_db) == before


def test_an_ambiguous_name_is_a_row_problem(clean_db, cli, tmp_path):
    clean_db.write("CREATE (:Entity:Fund {id: 'f1', name: 'Twin'}), (:Entity:Fund {id: 'f2', name: 'Twin'}) "
                   "WITH 1 AS x MATCH (e:Entity) MERGE (a:Alias {key: 'twin'}) MERGE (a)-[:ALIAS_OF]->(e)")
    path = write_csv(tmp_path / "d.csv", [["Acme", "Twin", "2023-01-01", "", "", ""]])
    before = fingerprint(clean_db)
    assert_one_line_error(cli("import", "deals", path), f"{path}:2: Investor: investor name 'Twin' is ambiguous",
                          "Twin (f1), Twin (f2)")
    assert fingerprint(clean_db) == before


def test_names_long_enough_to_pass_an_index_key_still_import(clean_db, cli, tmp_path):
    """A round's id joins the source, the company's and the round's names: with long CJK names it
    passed what Neo4j can index (11 kB), and the import stopped half-way on the server's error. Such
    an id is now cut and ends in a digest: the import goes through, and again changes nothing."""
    company, round_name = "中" * 1900, "轮" * 1900
    path = tmp_path / "long.csv"
    path.write_text(f"investor,company,date,round,amount_usd\nAcme Capital,{company},2024-01-02,{round_name},1000000\n"
                    f"Birch Fund,{company},2024-01-02,{round_name},1000000\n", encoding="utf-8")
    result = cli("import", "deals", path, "--no-progress")
    assert result.code == 0, result
    rows = clean_db.read("MATCH (i:Entity)-[r:INVESTED_IN]->(c:Entity)-[:RAISED]->(:Round) RETURN i.name AS investor, "
                         "c.name AS company, r.round AS round, r.id AS id ORDER BY investor")
    assert [(r["investor"], r["company"]) for r in rows] == [("Acme Capital", company), ("Birch Fund", company)]
    assert all(len(r["round"].encode()) <= 4000 and len(r["id"].encode()) <= 4000 for r in rows)
    assert clean_db.read("MATCH (r:Round) RETURN r.name AS name")[0]["name"] == round_name  # the name is whole
    before = fingerprint(clean_db)
    assert cli("import", "deals", path, "--no-progress").code == 0
    assert fingerprint(clean_db) == before
