"""graph.sources.crunchbase's readers without a server: records, unknown leads, and --skip-invalid's cascade."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.generate import generate
from graph.sources.crunchbase import FlatExport, V4Export
from graph.errors import InputError


def _edit(path: Path, line: int, **changes) -> dict:
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    for column, value in changes.items():
        table[line - 1][table[0].index(column)] = value
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    return dict(zip(table[0], table[line - 1]))


def test_v4_records_and_skip_invalid_leaves_out_what_refers_to_a_bad_row(tmp_path):
    folder = tmp_path / "x"
    generate(folder, investments=60, seed=3)
    export = V4Export(folder, "cb:x")
    export.check()
    steps = {name: list(rows) for name, _, _, rows in export.steps()}
    fact = steps["investments.csv"][0]
    assert set(fact) == {"id", "type", "from", "to", "props"} and fact["type"] == "INVESTED_IN"
    assert fact["props"]["led"] in (True, False, None)
    rnd = next(r for r in steps["funding_rounds.csv"] if r["id"] == fact["props"]["round"])
    assert rnd["company"] == fact["to"] and rnd["props"]["date"] == fact["props"]["date"]

    # A bad round: with skip_invalid, it and every investment in it are rejected, the rest kept.
    bad = _edit(folder / "funding_rounds.csv", 2, announced_on="soon")
    with open(folder / "investments.csv", newline="", encoding="utf-8") as f:
        in_it = [i for i, r in enumerate(csv.DictReader(f), 2) if r["funding_round_uuid"] == bad["uuid"]]
    skipping = V4Export(folder, "cb:x", skip_invalid=True)
    skipping.check()
    rejected = sorted((Path(f).name, line) for f, line in skipping.problems.rejected)
    assert rejected == [("funding_rounds.csv", 2)] + [("investments.csv", line) for line in in_it]
    kept = {name: list(rows) for name, _, _, rows in skipping.steps()}
    assert len(kept["funding_rounds.csv"]) == len(steps["funding_rounds.csv"]) - 1
    assert len(kept["investments.csv"]) == len(steps["investments.csv"]) - len(in_it)
    assert all(f["props"]["round"] != "cb-" + bad["uuid"] for f in kept["investments.csv"])


def test_flat_export_leaves_led_unknown(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "investments.csv").write_text(
        "company_permalink,company_name,investor_permalink,investor_name,funding_round_permalink,funded_at,"
        "raised_amount_usd\n/organization/a,A,/organization/f,F,/funding-round/r1,2023-07-01,0\n", encoding="utf-8")
    export = FlatExport(folder, "cb:old")
    export.check()
    steps = {name: list(rows) for name, _, _, rows in export.steps()}
    assert steps["investments"][0]["props"]["led"] is None      # the file says nothing about leads
    assert steps["rounds"][0]["props"]["amount_usd"] is None    # 0 is an amount nobody reported


@pytest.mark.bad_input
def test_an_investment_uuid_given_twice_is_refused_at_the_later_line(tmp_path):
    """Two investments with one uuid would be two facts with one id: refused when checking (the
    writer used to stop on the server's constraint half-way through). Skipped, the later row goes."""
    folder = tmp_path / "x"
    generate(folder, investments=60, seed=3)
    path = folder / "investments.csv"
    with open(path, newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    first = table[2]
    table.append([v if h != "investor_uuid" else table[5][i] for i, (h, v) in enumerate(zip(table[0], first))])
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    with pytest.raises(InputError, match=rf"investments\.csv:{len(table)}: uuid: duplicate uuid .* \(also on line 3\)"):
        V4Export(folder, "cb:x").check()
    skipping = V4Export(folder, "cb:x", skip_invalid=True)
    checked = skipping.check()
    assert [line for f, line in skipping.problems.rejected] == [len(table)]
    assert checked.rows["investments.csv"] == len(table) - 2  # the header and the repeat
    facts = [f for _, _, what, rows in skipping.steps() if what == "facts" for f in rows]
    assert len(facts) == len(table) - 2 and len({f["id"] for f in facts}) == len(facts)


@pytest.mark.bad_input
def test_flat_export_refuses_a_round_of_two_companies(tmp_path):
    """One round, two companies: the same investor in it would be two facts with one id (the
    writer stopped on the server's constraint half-way through). Skipped, the later row goes."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "investments.csv").write_text(
        "company_permalink,company_name,investor_permalink,investor_name,funding_round_permalink,funded_at\n"
        "/organization/a,A,/organization/f,F,/funding-round/r1,2023-07-01\n"
        "/organization/a,A,/organization/g,G,/funding-round/r1,2023-07-01\n"
        "/organization/b,B,/organization/f,F,/funding-round/r1,2023-07-01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"investments\.csv:4: company_permalink: round '/funding-round/r1' is "
                                         r"'/organization/a''s on line 2, not '/organization/b'"):
        FlatExport(folder, "cb:old").check()
    skipping = FlatExport(folder, "cb:old", skip_invalid=True)
    skipping.check()
    assert [line for _, line in skipping.problems.rejected] == [4]
    facts = [f for _, _, what, rows in skipping.steps() if what == "facts" for f in rows]
    assert [(f["from"], f["to"]) for f in facts] == [("cb-organization/f", "cb-organization/a"),
                                                     ("cb-organization/g", "cb-organization/a")]


@pytest.mark.bad_input
def test_a_person_with_an_organisations_uuid_is_left_out_and_the_organisation_kept(tmp_path):
    """Skipped, the person goes and the organisation it collided with stays, with its rounds."""
    folder = tmp_path / "x"
    generate(folder, investments=60, seed=3)
    with open(folder / "organizations.csv", newline="", encoding="utf-8") as f:
        org = next(csv.DictReader(f))["uuid"]
    _edit(folder / "people.csv", 2, uuid=org)
    with pytest.raises(InputError, match=r"people\.csv:2: uuid: .* is an organisation's"):
        V4Export(folder, "cb:x").check()
    skipping = V4Export(folder, "cb:x", skip_invalid=True)
    checked = skipping.check()
    assert [(Path(f).name, line) for f, line in skipping.problems.rejected] == [("people.csv", 2)]
    assert org in checked.orgs and org not in checked.people
    records = {name: list(rows) for name, _, _, rows in skipping.steps()}
    assert [e["kind"] for e in records["organizations.csv"] if e["id"] == "cb-" + org] != []
    assert all(e["id"] != "cb-" + org for e in records["people.csv"])


def test_flat_export_fact_ids_stay_within_what_neo4j_can_index(tmp_path):
    """A fact's id joins two permalinks of up to 2,000 characters each: cut, with a digest, past 4 kB."""
    folder = tmp_path / "old"
    folder.mkdir()
    rnd, investor = "/funding-round/" + "轮" * 1500, "/organization/" + "投" * 1500
    (folder / "investments.csv").write_text(
        "company_permalink,company_name,investor_permalink,investor_name,funding_round_permalink,funded_at\n"
        f"/organization/a,A,{investor},F,{rnd},2023-07-01\n", encoding="utf-8")
    export = FlatExport(folder, "cb:old")
    export.check()
    [fact] = [f for _, _, what, rows in export.steps() if what == "facts" for f in rows]
    assert len(fact["id"].encode()) <= 4000 and fact["id"].startswith("cb-funding-round/轮")
    assert fact["props"]["round"] == "cb-funding-round/" + "轮" * 1500  # the round's own id is whole
