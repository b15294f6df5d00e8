"""Issue 26 against a real Neo4j: deals files as analysts have them (month-name dates, placeholders,
rounds without a named investor, amounts with units, country headers) and `sources` of the
entities a deals import joins. The files are written here (and docs/examples/deals.csv); what they
should give is read from the rows written, never from the importer's code."""
from __future__ import annotations

import json

import pytest
from deals_data import write_rows as write_csv, write_xlsx
from helpers import fingerprint

from graph.web import pages


# One round of Avid Pay (Aug 8, 2002) told in four rows: two named investors, two "Not Published".
ROWS = [
    ["Investor", "Company", "Round", "Announced On", "Money Raised", "Investor Location", "HQ Country"],
    ["Sequoia China", "Avid Pay", "Series B", "Aug 8, 2002", "$1.5M", "China", "United States"],
    ["Not Published", "Avid Pay", "Series B", "Aug 8, 2002", "$1.5M", "", "United States"],
    ["Oak Fund", "Avid Pay", "Series B", "Aug 8, 2002", "$1.5M", "UK", "United States"],
    ["Undisclosed", "Avid Pay", "Series B", "Aug 8, 2002", "$1.5M", "-", "United States"],
    ["Not Published", "Birch Labs", "Seed", "March 2019", "€3.5m", "N/A", "DE"],  # no named investor at all
]


def test_a_spreadsheet_as_analysts_have_it(fresh_seed, cli, tmp_path):
    path = write_csv(tmp_path / "rounds.csv", ROWS)
    result = cli("import", "deals", str(path), "--no-progress")
    assert result.code == 0, result
    assert "investor_country <- Investor Location, company_country <- HQ Country" in result.out
    source = f"deals:{path.name}"
    rounds = fresh_seed.read("MATCH (c:Entity)-[:RAISED]->(r:Round {source: $s}) RETURN c.name AS company, "
                             "r.date AS date, r.amount AS amount, r.currency AS currency, r.amount_usd AS usd, "
                             "r.investor_count AS investors ORDER BY company", {"s": source})
    assert rounds == [
        {"company": "Avid Pay", "date": "2002-08-08", "amount": 1500000, "currency": "USD", "usd": 1500000,
         "investors": 2},
        {"company": "Birch Labs", "date": "2019-03", "amount": 3500000, "currency": "EUR", "usd": None,
         "investors": None},
    ]
    # the named investors only; the placeholders made no entity
    invested = fresh_seed.read("MATCH (i)-[r:INVESTED_IN {source: $s}]->(c) RETURN i.name AS i, c.name AS c "
                               "ORDER BY i", {"s": source})
    assert invested == [{"i": "HongShan", "c": "Avid Pay"}, {"i": "Oak Fund", "c": "Avid Pay"}]
    assert fresh_seed.read("MATCH (e:Entity) WHERE toLower(e.name) IN ['not published', 'undisclosed'] "
                           "RETURN count(e) AS n")[0]["n"] == 0
    countries = {r["name"]: r["country"] for r in fresh_seed.read(
        "MATCH (e:Entity) WHERE e.id STARTS WITH 'deal-' RETURN e.name AS name, e.country AS country")}
    assert countries == {"Avid Pay": "US", "Oak Fund": "GB", "Birch Labs": "DE"}
    # the summary: placeholders per column, the currencies the amounts came in
    assert "Placeholders: Investor 3 (Not Published 2, Undisclosed 1), Investor Location 2 (- 1, N/A 1)" in result.out
    assert "Currencies: USD 4 (4 from '$'), EUR 1 (1 from '€')" in result.out

    # funding_history shows the round without a named investor, with its amount
    history = json.loads(cli("query", "funding_history", "-p", "company=Birch Labs", "--format", "json").out)
    assert [(h["date"], h["investors"]) for h in history] == [("2019-03", [])]
    page = pages.entity(fresh_seed, "deal-birchlabs")  # the web app's entity page lists it
    assert [(r["round"]["name"], r["round"]["amount"]) for r in page["rounds"]] == [("Seed", 3500000)]

    # the same file again changes nothing
    before = fingerprint(fresh_seed)
    assert cli("import", "deals", str(path), "--no-progress").code == 0
    assert fingerprint(fresh_seed) == before


def test_an_entity_a_deals_import_joins_gets_it_in_sources(fresh_seed, cli, tmp_path):
    path = write_csv(tmp_path / "joins.csv", ROWS[:2])
    assert cli("import", "deals", str(path), "--no-progress").code == 0
    sources = fresh_seed.read("MATCH (e:Entity {id: 'hongshan'}) RETURN e.sources AS s")[0]["s"]
    assert f"deals:{path.name}" in sources and len(sources) > 1      # the seed's articles stay
    again = fresh_seed.read("MATCH (e:Entity {id: 'hongshan'}) RETURN e.sources AS s")[0]["s"]
    assert cli("import", "deals", str(path), "--no-progress").code == 0 and again == sources  # once
    # the file no longer names it: the source goes, the articles stay
    write_csv(path, [ROWS[0], ROWS[3]])
    assert cli("import", "deals", str(path), "--no-progress").code == 0
    assert fresh_seed.read("MATCH (e:Entity {id: 'hongshan'}) RETURN e.sources AS s")[0]["s"] == \
        [s for s in sources if not s.startswith("deals:")]


def test_excel_date_cells_and_text_dates_in_one_sheet(fresh_seed, cli, tmp_path):
    import datetime as dt

    path = write_xlsx(tmp_path / "rounds.xlsx", [
        ["Company", "Investor", "Date", "Amount", "Currency"],
        ["Cedar AI", "Oak Fund", dt.datetime(2021, 3, 8), "1.500.000", "EUR"],
        ["Cedar AI", "Pine Fund", "25/03/2021", "2.000.000,50", "EUR"],
        ["Cedar AI", "Elm Fund", "01/04/2021", "750.000", "EUR"],
    ])
    result = cli("import", "deals", str(path), "--no-progress")
    assert result.code == 0, result
    dates = fresh_seed.read("MATCH (:Entity {id: 'deal-cedarai'})-[:RAISED]->(r:Round) "
                            "RETURN r.date AS date, r.amount AS amount ORDER BY date")
    assert dates == [{"date": "2021-03-08", "amount": 1500000}, {"date": "2021-03-25", "amount": 2000000.5},
                     {"date": "2021-04-01", "amount": 750000}]
    assert "Dates in Date of rounds.xlsx: day first (line 3: '25/03/2021' has a day over 12)" in result.out
    assert "Amounts in Amount of rounds.xlsx: grouped like 1.500.000,50 (line 2: '1.500.000')" in result.out


@pytest.mark.bad_input
def test_an_ambiguous_date_column_is_refused_in_one_line_until_told(fresh_seed, cli, tmp_path):
    path = write_csv(tmp_path / "dates.csv", [["Company", "Investor", "Date"], ["Cedar AI", "Oak Fund", "08/03/2021"],
                                              ["Cedar AI", "Pine Fund", "09/03/2021"]])
    result = cli("import", "deals", str(path), "--no-progress")
    assert result.code != 0 and result.err.count("\n") == 1, result
    assert result.err.strip().endswith(f"{path}:2: Date: every day/month date could be day or month first "
                                       "(line 2: '08/03/2021'): say which with --dayfirst or --monthfirst")
    assert fresh_seed.read("MATCH (e:Entity {id: 'deal-cedarai'}) RETURN count(e) AS n")[0]["n"] == 0
    result = cli("import", "deals", str(path), "--no-progress", "--monthfirst")
    assert result.code == 0, result
    assert "Dates in Date of dates.csv: month first (--monthfirst)" in result.out
    assert {r["d"] for r in fresh_seed.read("MATCH (r:Round {source: $s}) RETURN r.date AS d",
                                            {"s": f"deals:{path.name}"})} == {"2021-08-03", "2021-09-03"}


def test_the_example_file_in_the_docs_imports_as_the_docs_say(fresh_seed, cli):
    """docs/examples/deals.csv, imported on the seed graph, prints the summary lines docs/imports.md shows."""
    from helpers import ROOT

    page = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
    shown = page.split("The summary says how the file was read")[1].split("```")[1].strip().splitlines()
    assert len(shown) == 4
    result = cli("import", "deals", str(ROOT / "docs" / "examples" / "deals.csv"), "--no-progress")
    assert result.code == 0, result
    printed = " ".join(result.out.split())
    for line in shown:
        assert " ".join(line.split()) in printed, line
    assert "Rows: 8 read, 8 imported, 0 rejected" in printed
    rounds = fresh_seed.read("MATCH (c:Entity)-[:RAISED]->(r:Round {source: 'deals:deals.csv'}) "
                             "RETURN c.name AS c, r.name AS r, r.date AS d, r.amount AS a, r.currency AS cur "
                             "ORDER BY c, d")
    assert [(r["c"], r["r"], r["d"], r["a"], r["cur"]) for r in rounds] == [
        ("Avid Pay", "Series B", "2002-08-08", 1500000, "USD"), ("Birch Labs", "Seed", "2019-03", 3500000, "EUR"),
        ("Cedar AI", "Series A", "2021-03-25", 2000000, "USD"), ("Cedar AI", "Series B", "2022-11-04", 2 * 10**9, "GBP"),
        ("Dune Robotics", "Seed", "2023-01-15", 300000000, "JPY"),
        ("Dune Robotics", "Series A", "2024-06", 2500000000, "USD")]
