"""graph.sources.deals without a server: header mapping, .csv and .xlsx reading, row checks, the rounds rule."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from deals_data import write_rows as write_csv, write_xlsx

from graph.sources.deals import Deal, mapping, plan_rounds, read_deals
from graph.errors import DealgraphError, InputError




@pytest.mark.parametrize("header, expected", [
    (["investor_name", "company_name", "funded_at", "raised_amount_usd", "funding_round_type", "is_lead_investor"],
     {"investor": "investor_name", "company": "company_name", "date": "funded_at", "amount_usd": "raised_amount_usd",
      "round": "funding_round_type", "lead": "is_lead_investor"}),
    (["Organization", " Investor ", "Funded When", "Raised Amount (USD)"],
     {"investor": " Investor ", "company": "Organization", "date": "Funded When", "amount_usd": "Raised Amount (USD)"}),
    (["COMPANY", "INVESTOR", "Announced On", "Amount", "Currency", "Country"],
     {"investor": "INVESTOR", "company": "COMPANY", "date": "Announced On", "amount": "Amount",
      "currency": "Currency", "company_country": "Country"}),
])
def test_common_headers_are_recognised(header, expected):
    assert mapping(header) == expected


def test_column_overrides_and_unknown_headers():
    header = ["Startup", "Backer", "When", "Total"]
    with pytest.raises(InputError, match=r"no column for 'investor' \(found: Startup, Money, When\); "
                                         r"name it with --column investor=HEADER"):
        mapping(["Startup", "Money", "When"], file="x.csv")
    assert mapping(header)["investor"] == "Backer"  # a common name
    got = mapping(header, {"investor": "backer", "date": "When", "amount_usd": "Total"})
    assert got == {"investor": "Backer", "company": "Startup", "date": "When", "amount_usd": "Total"}
    with pytest.raises(InputError, match="--column date=Day: no such column"):
        mapping(header, {"date": "Day"})
    with pytest.raises(DealgraphError, match="unknown field 'when'"):
        mapping(header, {"when": "When"})


def test_csv_with_a_bom_blank_names_and_duplicates(tmp_path):
    path = write_csv(tmp_path / "deals.csv", [
        ["Company Name", "Investor Name", "Funded At", "Raised Amount USD", "Is Lead Investor"],
        ["Acme", "Fund One", "2024-01-05", "1,000,000", "yes"],
        ["Acme", "Fund One", "2024-01-05", "1,000,000", "yes"],   # exact duplicate
        ["Acme", "", "", "1,000,000", ""],                        # blank investor, and no date to make a round
        ["Acme", "Fund Two", "2024-01-05 00:00:00", "1000000", ""],
    ], bom=True)
    read = read_deals([path], skip_invalid=True)
    assert read.mappings[str(path)]["company"] == "Company Name"   # the BOM is not part of the header
    assert read.rows == 4 and read.duplicates == 1
    assert [(d.line, d.investor, d.date, d.amount_usd, d.lead) for d in read.deals] == [
        (2, "Fund One", "2024-01-05", 1000000, True), (5, "Fund Two", "2024-01-05", 1000000, None)]
    assert list(read.problems.rejected) == [(str(path), 4)]
    out = read.problems.write_rejects(tmp_path / "rejects.csv")
    with open(out, newline="", encoding="utf-8") as f:
        rejected = list(csv.DictReader(f))
    assert [(r["line"], r["field"], r["problem"], r["Company Name"]) for r in rejected] == [
        ("4", "Investor Name", "missing investor name (a row without one is a round: give its round or date)",
         "Acme")]


def test_without_skip_the_first_problem_is_raised(tmp_path):
    path = write_csv(tmp_path / "deals.csv", [
        ["company", "investor", "date", "amount", "currency"],
        ["Acme", "Fund One", "2024-02-30", "5", "USD"],
        ["Acme", "Fund Two", "2024-02-01", "5", "EURO"],
    ])
    read = read_deals([path])
    with pytest.raises(InputError) as info:
        read.problems.raise_if_any()
    assert str(info.value) == (f"{path}:2: date: not a date: '2024-02-30' (no such day) (and 1 more problem; nothing was imported)")


def test_amount_needs_a_currency_and_investor_kind_words(tmp_path):
    path = write_csv(tmp_path / "d.csv", [
        ["company", "investor", "amount", "investor_type"],
        ["Acme", "Fund One", "5000", "VC"],
        ["Acme", "Jane Doe", "", "Angel"],
        ["Acme", "Who", "", "alien"],
    ])
    read = read_deals([path], skip_invalid=True)
    assert [d.investor_kind for d in read.deals] == ["Person"]
    problems = {line: err.reason for (_, line), (err, _) in read.problems.rejected.items()}
    assert problems[2].startswith("amount 5000 needs a currency")
    assert problems[4].startswith("unknown investor kind 'alien'")


def test_xlsx_dates_and_numbers(tmp_path):
    path = write_xlsx(tmp_path / "deals.xlsx", [
        [None, None],
        ["Investor", "Company", "Date", "Amount USD", "Round"],
        ["Fund One", "Acme", dt.datetime(2023, 7, 1), 300000000, "Series B"],
        ["Fund Two", "Acme", dt.date(2023, 7, 1), 300000000.0, "Series B"],
    ])
    read = read_deals([path])
    read.problems.raise_if_any()
    assert [(d.line, d.investor, d.date, d.amount_usd, d.round) for d in read.deals] == [
        (3, "Fund One", "2023-07-01", 300000000, "Series B"), (4, "Fund Two", "2023-07-01", 300000000, "Series B")]


def test_not_a_spreadsheet(tmp_path):
    (tmp_path / "deals.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a .csv or .xlsx file"):
        read_deals([tmp_path / "deals.txt"])
    (tmp_path / "bad.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read as .xlsx"):
        read_deals([tmp_path / "bad.xlsx"])


def _deal(investor, company="Acme", date="2024-01-02", usd=None, rnd=None):
    return Deal(file="f", line=0, investor=investor, company=company, date=date, amount_usd=usd, round=rnd)


def test_rounds_rule():
    rounds, split = plan_rounds([
        _deal("A", usd=10), _deal("B", usd=10), _deal("C"),                # one round of 10, amount given twice
        _deal("D", company="Beta", usd=5), _deal("E", company="Beta", usd=7),  # same day, two amounts: split
        _deal("F", company="Beta"),                                         # ... and one without an amount
        _deal("G", company="Gamma", rnd="Seed", usd=1), _deal("H", company="Gamma", rnd="Series A", usd=9),
        _deal("I", company="acme", date="2024-01-03", usd=10),              # another day: another round
    ])
    got = sorted(((r.company, r.date, r.name, r.amount_usd, sorted(d.investor for d in r.deals)) for r in rounds),
                 key=lambda r: (r[0], r[1], r[2] or "", r[3] or 0))
    assert got == [
        ("acme", "2024-01-02", None, 10, ["A", "B", "C"]),
        ("acme", "2024-01-03", None, 10, ["I"]),
        ("beta", "2024-01-02", None, None, ["F"]),
        ("beta", "2024-01-02", None, 5, ["D"]),
        ("beta", "2024-01-02", None, 7, ["E"]),
        ("gamma", "2024-01-02", "Seed", 1, ["G"]),
        ("gamma", "2024-01-02", "Series A", 9, ["H"]),
    ]
    assert split == 2
    # Round totals are counted once per round, never once per investor row.
    assert sum(r.amount_usd or 0 for r in rounds if r.company == "acme") == 20
