"""`dealgraph import csv`: a generated Crunchbase export, imported through the real CLI.

Expected answers are computed here from the CSV files with the csv module, never from the
importer's code; bad files must be refused with `file:line: field` and leave the graph as it was.
"""
from __future__ import annotations

import csv
import json
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from helpers import assert_one_line_error, fingerprint

from graph.values import DATE_FORMS

SOURCE = "crunchbase:tiny"


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def imported(conn, cli, small_export):
    """The export imported once into an empty graph (tests using it only read)."""
    from graph.schema import wipe

    wipe(conn)
    result = cli("import", "csv", small_export, "--batch-size", "97")
    assert result.code == 0, result
    return conn, result


def test_counts_match_the_files(imported, small_export):
    conn, result = imported
    orgs, people = rows(small_export, "organizations.csv"), rows(small_export, "people.csv")
    rounds, investments = rows(small_export, "funding_rounds.csv"), rows(small_export, "investments.csv")
    government = {r["uuid"] for r in rows(small_export, "investors.csv") if "government_office" in r["investor_types"]}

    def count(cypher, **params):
        return conn.read(cypher, params)[0]["n"]

    assert count("MATCH (e:Entity) RETURN count(e) AS n") == len(orgs) + len(people)
    assert count("MATCH (e:Person) RETURN count(e) AS n") == len(people)
    assert count("MATCH (e:GovernmentBody) RETURN count(e) AS n") == len(government) > 0
    funds = [o for o in orgs if o["primary_role"] == "investor" and o["uuid"] not in government]
    assert count("MATCH (e:Fund) RETURN count(e) AS n") == len(funds) > 0
    assert count("MATCH (r:Round) RETURN count(r) AS n") == len(rounds)
    assert count("MATCH (:Entity)-[r:RAISED]->(:Round) RETURN count(r) AS n") == len(rounds)
    assert count("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n") == len(investments)
    assert count("MATCH ()-[r:INVESTED_IN {source: $s}]->() RETURN count(r) AS n", s=SOURCE) == len(investments)
    led = sum(r["is_lead_investor"] == "true" for r in investments)
    assert count("MATCH ()-[r:INVESTED_IN {led: true}]->() RETURN count(r) AS n") == led
    # The summary on stdout names each file with its row count.
    for name, n in (("organizations.csv", len(orgs)), ("investments.csv", len(investments))):
        assert any(name in line and f"{n:,}" in line for line in result.out.splitlines()), result.out
    # ... and the checking pass comes first, so the total's seconds are the import's, not the writing's.
    lines = [line for line in result.out.splitlines() if "│" in line]
    assert "checking every row" in lines[0] and "organizations.csv" in lines[1], result.out


def test_properties_are_mapped(imported, small_export):
    conn, _ = imported
    org = next(o for o in rows(small_export, "organizations.csv") if o["country_code"] == "CHN" and o["founded_on"])
    got = conn.read("MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.country AS country, "
                    "e.founded AS founded, e.sources AS sources", {"id": "cb-" + org["uuid"]})
    assert got == [{"name": org["name"], "country": "CN", "founded": org["founded_on"], "sources": [SOURCE]}]
    rnd = next(r for r in rows(small_export, "funding_rounds.csv") if r["raised_amount_usd"])
    got = conn.read("MATCH (o:Entity)-[:RAISED]->(r:Round {id: $id}) RETURN o.id AS org, r.date AS date, "
                    "r.amount_usd AS usd, r.currency AS currency", {"id": "cb-" + rnd["uuid"]})
    assert got == [{"org": "cb-" + rnd["org_uuid"], "date": rnd["announced_on"],
                    "usd": float(rnd["raised_amount_usd"]), "currency": rnd["raised_amount_currency_code"]}]


def _unique_names(export) -> dict[str, str]:
    """uuid -> name for the organisations and people whose name no other row shares (in any case)."""
    from graph.names import name_key

    everyone = rows(export, "organizations.csv") + rows(export, "people.csv")
    keys = Counter(name_key(r["name"]) for r in everyone)
    for r in rows(export, "organizations.csv"):
        for alias in ("alias1", "alias2", "alias3"):
            if r[alias]:
                keys[name_key(r[alias])] += 1
    return {r["uuid"]: r["name"] for r in everyone if keys[name_key(r["name"])] == 1}


def test_named_queries_answer_on_imported_data(imported, small_export, cli):
    investments = rows(small_export, "investments.csv")
    round_org = {r["uuid"]: r["org_uuid"] for r in rows(small_export, "funding_rounds.csv")}
    backers = defaultdict(set)
    for inv in investments:
        backers[round_org[inv["funding_round_uuid"]]].add(inv["investor_uuid"])
    unique = _unique_names(small_export)
    company = max((u for u in backers if u in unique and all(b in unique for b in backers[u])),
                  key=lambda u: len(backers[u]))
    assert len(backers[company]) >= 3
    result = cli("query", "investors_of", "-p", f"company={unique[company]}", "--format", "json")
    assert result.code == 0, result
    got = {row["investor"]["name"] for row in json.loads(result.out)}
    assert got == {unique[b] for b in backers[company]}

    # Co-investors of the busiest investor, counted from the files: companies shared with each.
    from graph.queries import run_records

    conn, _ = imported
    activity = Counter(inv["investor_uuid"] for inv in investments)
    investor = next(u for u, _ in activity.most_common() if u in unique)
    mine = {c for c, bs in backers.items() if investor in bs}
    shared = Counter(b for c in mine for b in backers[c] if b != investor)
    _, records = run_records(conn, "coinvestors", investor=unique[investor])
    assert {r["coinvestor"]["id"]: r["shared"] for r in records} == {"cb-" + u: n for u, n in shared.items()}


def test_reimport_changes_nothing(imported, small_export, cli):
    conn, _ = imported
    before = fingerprint(conn)
    result = cli("import", "csv", small_export, "--batch-size", "1000")
    assert result.code == 0, result
    assert fingerprint(conn) == before


# -- bad files (the table of spoilt exports is tests/test_bad_inputs.py's) ------------------------------
def _edit(folder: Path, name: str, line: int, **changes) -> None:
    """Change fields of the row on `line` (1 = header) of a generated file, written back as CSV."""
    path = folder / name
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    header = table[0]
    for column, value in changes.items():
        table[line - 1][header.index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)


@pytest.mark.bad_input
def test_several_problems_are_counted_and_the_first_is_named(small_export, clean_db, cli, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(small_export, folder)
    _edit(folder, "investments.csv", 30, is_lead_investor="perhaps")
    _edit(folder, "funding_rounds.csv", 4, announced_on="soon")
    result = cli("import", "csv", folder)
    assert_one_line_error(result, "funding_rounds.csv:4: announced_on", "1 more problem", "nothing was imported")
    assert clean_db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


def test_a_byte_order_mark_is_accepted(small_export, clean_db, cli, tmp_path):
    """Excel writes UTF-8 with a BOM; the first column must still be found as `uuid`."""
    folder = tmp_path / "bom"
    shutil.copytree(small_export, folder)
    for name in ("organizations.csv", "investments.csv"):
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = cli("import", "csv", folder, "--name", SOURCE)
    assert result.code == 0, result
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"] == \
        len(rows(small_export, "investments.csv"))


@pytest.mark.bad_input
def test_not_a_folder(cli, tmp_path):
    assert_one_line_error(cli("import", "csv", tmp_path / "nowhere"), "nowhere")


# -- the older flat export (2015): one investments.csv, keyed on permalinks -------------------------
FLAT = """company_permalink,company_name,company_category_list,company_country_code,company_state_code,company_region,company_city,investor_permalink,investor_name,investor_country_code,investor_state_code,investor_region,investor_city,funding_round_permalink,funding_round_type,funding_round_code,funded_at,raised_amount_usd
/organization/zhipu-ai,Zhipu AI,|AI|,CHN,,Beijing,Beijing,/organization/hillhouse,Hillhouse Capital,CHN,,Beijing,Beijing,/funding-round/r1,venture,B,2023-07-01,300000000
/organization/zhipu-ai,Zhipu AI,|AI|,CHN,,Beijing,Beijing,/organization/alibaba,Alibaba Group,CHN,,Hangzhou,Hangzhou,/funding-round/r1,venture,B,2023-07-01,300000000
/organization/alibaba,Alibaba Group,|E-Commerce|,CHN,,Hangzhou,Hangzhou,/person/jack-ma,Jack Ma,CHN,,,,/funding-round/r2,seed,,1999-10-01,
/organization/moonshot,Moonshot AI,|AI|,CHN,,Beijing,Beijing,/organization/hillhouse,Hillhouse Capital,CHN,,Beijing,Beijing,/funding-round/r3,venture,A,2024-02-01,1000000000
"""


def test_flat_2015_export(clean_db, cli, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "investments.csv").write_text(FLAT, encoding="utf-8")
    result = cli("import", "csv", folder)
    assert result.code == 0, result
    kinds = {r["id"]: r["labels"] for r in clean_db.read(
        "MATCH (e:Entity) RETURN e.id AS id, [l IN labels(e) WHERE l <> 'Entity'] AS labels")}
    assert kinds == {"cb-organization/zhipu-ai": ["Company"], "cb-organization/alibaba": ["Company"],
                     "cb-organization/moonshot": ["Company"], "cb-organization/hillhouse": ["Fund"],
                     "cb-person/jack-ma": ["Person"]}
    assert clean_db.read("MATCH (r:Round) RETURN count(r) AS n")[0]["n"] == 3
    backers = cli("query", "backers_of_both", "-p", "a=Zhipu AI", "-p", "b=Moonshot AI", "--format", "json")
    assert backers.code == 0, backers
    assert [row["investor"]["name"] for row in json.loads(backers.out)] == ["Hillhouse Capital"]
    # The file says nothing about leads: unknown, shown blank, not false.
    investors = cli("query", "investors_of", "-p", "company=Zhipu AI", "--format", "json")
    assert [row["led"] for row in json.loads(investors.out)] == [None, None]
    before = fingerprint(clean_db)
    assert cli("import", "csv", folder).code == 0
    assert fingerprint(clean_db) == before


@pytest.mark.bad_input
def test_flat_export_bad_row(clean_db, cli, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "investments.csv").write_text(FLAT.replace("2024-02-01", "early 2024"), encoding="utf-8")
    assert_one_line_error(cli("import", "csv", folder), "investments.csv:5: funded_at: not a date")
    assert clean_db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0


@pytest.mark.bad_input
def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(small_export, clean_db, cli, tmp_path):
    folder = tmp_path / "bad"
    shutil.copytree(small_export, folder)
    _edit(folder, "investments.csv", 12, investor_uuid="")
    bad_round = rows(folder, "funding_rounds.csv")[2]  # line 4
    _edit(folder, "funding_rounds.csv", 4, announced_on="soon")
    in_bad_round = [i for i, r in enumerate(rows(folder, "investments.csv"), 2)
                    if r["funding_round_uuid"] == bad_round["uuid"] and i != 12]
    result = cli("import", "csv", folder, "--skip-invalid", "--name", SOURCE)
    assert result.code == 0, result
    rejects = tmp_path / "bad.rejects.csv"
    with open(rejects, newline="", encoding="utf-8") as f:
        got = [(Path(r["file"]).name, int(r["line"]), r["field"], r["problem"]) for r in csv.DictReader(f)]
    assert got[0] == ("funding_rounds.csv", 4, "announced_on",
                      f"not a date: 'soon' (expected a date such as {DATE_FORMS})")
    assert sorted(g[1] for g in got[1:]) == sorted([12] + in_bad_round)
    assert ("investments.csv", 12, "investor_uuid", "missing value") in got
    assert f"Rejected {len(got)} rows" in result.out
    expected = len(rows(small_export, "investments.csv")) - 1 - len(in_bad_round)
    assert clean_db.read("MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS n")[0]["n"] == expected
    assert clean_db.read("MATCH (r:Round {id: $id}) RETURN count(r) AS n", {"id": "cb-" + bad_round["uuid"]}) == [
        {"n": 0}]


def test_reimport_of_a_changed_export_leaves_no_stale_label_or_alias(clean_db, cli, tmp_path):
    """Hillhouse now also raises money (Fund -> Company) and Zhipu is renamed: old label and name go."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "investments.csv").write_text(FLAT, encoding="utf-8")
    assert cli("import", "csv", folder).code == 0
    changed = FLAT.replace("Zhipu AI", "Zhipu Huazhang") + \
        FLAT.splitlines()[4].replace("/organization/moonshot,Moonshot AI", "/organization/hillhouse,Hillhouse Capital") \
        .replace("/organization/hillhouse,Hillhouse Capital,CHN,,Beijing,Beijing,/funding-round/r3",
                 "/person/jack-ma,Jack Ma,CHN,,,,/funding-round/r4") + "\n"
    (folder / "investments.csv").write_text(changed, encoding="utf-8")
    result = cli("import", "csv", folder)
    assert result.code == 0, result
    assert clean_db.read("MATCH (e:Entity {id: 'cb-organization/hillhouse'}) "
                         "RETURN [l IN labels(e) WHERE l <> 'Entity'] AS l") == [{"l": ["Company"]}]
    from graph.resolve import candidates

    assert candidates(clean_db, "Zhipu AI") == []
    assert [c["id"] for c in candidates(clean_db, "Zhipu Huazhang")] == ["cb-organization/zhipu-ai"]
