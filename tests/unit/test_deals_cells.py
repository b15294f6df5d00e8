"""Issue 26 in the deals reader, without a server: dates, placeholders, rounds without a named
investor, amounts as written and country headers, in .csv and .xlsx files the tests write."""
from __future__ import annotations

import datetime as dt

import pytest
from deals_data import write_rows as write_csv, write_xlsx

from graph.sources.deals import mapping, plan_rounds, read_deals, read_notes
from graph.errors import InputError


def dates(read):
    return [d.date for d in read.deals]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_every_date_form_in_one_column_row_by_row(tmp_path, suffix):
    forms = ["Aug 8, 2002", "8 August 2002", "August 8th, 2002", "Aug 2002", "August 2002", "2002/08/08",
             "2019-07-01 0:00", "25/07/2019 0:00", "1/07/2019 0:00", "2002", "2002-08-08"]
    rows = [["Company", "Investor", "Date"]] + [["Acme", f"Fund {i}", f] for i, f in enumerate(forms)]
    if suffix == "xlsx":
        rows.append(["Acme", "Fund X", dt.datetime(2021, 3, 4, 15, 30)])  # an Excel date cell keeps its day
    path = (write_csv if suffix == "csv" else write_xlsx)(tmp_path / f"d.{suffix}", rows)
    read = read_deals([path])
    read.problems.raise_if_any()
    assert dates(read) == ["2002-08-08", "2002-08-08", "2002-08-08", "2002-08", "2002-08", "2002-08-08",
                           "2019-07-01", "2019-07-25", "2019-07-01", "2002", "2002-08-08"] + \
        (["2021-03-04"] if suffix == "xlsx" else [])
    assert read.notes == [f"Dates in Date of d.{suffix}: day first (line 9: '25/07/2019 0:00' has a day over 12)"]


@pytest.mark.parametrize("decisive, order, expected", [("25/03/2021", "day", ["2021-03-08", "2021-03-25"]),
                                                       ("03/25/2021", "month", ["2021-08-03", "2021-03-25"])])
def test_the_column_settles_day_or_month_first(tmp_path, decisive, order, expected):
    path = write_csv(tmp_path / "d.csv", [["Company", "Investor", "Date"], ["Acme", "A", "08/03/2021"],
                                          ["Acme", "B", decisive]])
    read = read_deals([path])
    read.problems.raise_if_any()
    assert dates(read) == expected
    assert read.notes == [f"Dates in Date of d.csv: {order} first (line 3: {decisive!r} has a day over 12)"]


@pytest.mark.bad_input
def test_an_ambiguous_column_is_refused_in_one_line_until_told(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["Company", "Investor", "Date"], ["Acme", "A", "2021"],
                                          ["Acme", "B", "08/03/2021"], ["Acme", "C", "8.4.2021"]])
    with pytest.raises(InputError) as info:
        read_deals([path])
    assert str(info.value) == (f"{path}:3: Date: every day/month date could be day or month first (line 3: "
                               "'08/03/2021'): say which with --dayfirst or --monthfirst")
    for order, expected in (("day", ["2021", "2021-03-08", "2021-04-08"]), ("month", ["2021", "2021-08-03",
                                                                                      "2021-08-04"])):
        read = read_deals([path], order=order)
        assert dates(read) == expected and read.notes == [f"Dates in Date of d.csv: {order} first (--{order}first)"]


@pytest.mark.bad_input
def test_a_column_mixing_both_orders_is_refused_at_the_line_that_contradicts(tmp_path):
    path = write_csv(tmp_path / "d.csv", [["Company", "Investor", "Date"], ["Acme", "A", "25/03/2021"],
                                          ["Acme", "B", "08/03/2021"], ["Acme", "C", "03/26/2021"]])
    read = read_deals([path], skip_invalid=True)
    assert [(e.line, e.field, e.reason) for e, _ in read.problems.rejected.values()] == [
        (4, "Date", "not a date: '03/26/2021' (its second part is over 12, but the column's dates are day first)")]
    assert dates(read) == ["2021-03-25", "2021-03-08"]
    with pytest.raises(InputError, match=":2: Date: .* the column's dates are month first"):  # told month first
        read_deals([path], order="month").problems.raise_if_any()


@pytest.mark.bad_input
@pytest.mark.parametrize("bad, problem", [("Feb 30, 2020", "no such day"), ("37476", "four-digit year"),
                                          ("Aug 8", "expected a date such as")])
def test_impossible_dates_and_bare_numbers_are_refused_at_their_line(tmp_path, bad, problem):
    path = write_csv(tmp_path / "d.csv", [["Company", "Investor", "Date"], ["Acme", "A", "2021"], ["Acme", "B", bad]])
    with pytest.raises(InputError, match=f"^{path}:3: Date: not a date: {bad!r} .*{problem}"):
        read_deals([path]).problems.raise_if_any()


@pytest.mark.bad_input
def test_an_excel_number_is_not_a_date(tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", [["Company", "Investor", "Date"], ["Acme", "A", 37476]])
    with pytest.raises(InputError, match=r":2: Date: not a date: 37476 \(a number is a date only as a four-digit"):
        read_deals([path]).problems.raise_if_any()


PLACEHOLDERS = ["Not Published", "Undisclosed", "Unknown", "N/A", "n/a", "NA", "-", "—", "none", "null",
                "not disclosed", " NOT PUBLISHED "]


def test_every_placeholder_is_an_empty_cell_counted_per_column(tmp_path):
    rows = [["Company", "Investor", "Round", "Amount", "Currency", "Lead"]]
    rows += [["Acme", p, "Seed", "5", "USD", p] for p in PLACEHOLDERS]
    rows += [["Acme", "Fund One", "Seed", "5", "USD", "TBC"], ["Acme", "tbc", "Seed", "n/a", "USD", "yes"]]
    read = read_deals([write_csv(tmp_path / "p.csv", rows)], nulls=["TBC"])
    read.problems.raise_if_any()
    assert [d.investor for d in read.deals] == [None, "Fund One", None]  # the placeholder rows: one round row
    assert read.duplicates == len(PLACEHOLDERS) - 1
    assert [d.lead for d in read.deals] == [None, None, True]
    notes = read_notes(read)
    assert notes[0].startswith("Placeholders: Investor 13 (- 1, N/A 1, NA 1, NOT PUBLISHED 1, Not Published 1, ")
    assert "tbc 1" in notes[0] and "Lead 13 (" in notes[0] and "Amount 1 (n/a 1)" in notes[0]
    with pytest.raises(InputError, match=r"p.csv:14: Lead: not true/false: 'TBC'"):
        read_deals([tmp_path / "p.csv"]).problems.raise_if_any()


def test_rows_without_a_named_investor_are_rounds_and_join_named_rows(tmp_path):
    path = write_csv(tmp_path / "r.csv", [
        ["Company", "Investor", "Round", "Date", "Amount"],
        ["Acme", "Fund One", "Series A", "2021-05", "$2M"],
        ["Acme", "Not Published", "Series A", "2021-05", "$2M"],
        ["Acme", "", "Seed", "2020", "$500k"],
        ["Beta", "Undisclosed", "", "", "$1M"],      # no round and no date: nothing to call a round
    ])
    read = read_deals([path], skip_invalid=True)
    assert [(e.line, e.field, e.reason) for e, _ in read.problems.rejected.values()] == [
        (5, "Investor", "missing investor name (a row without one is a round: give its round or date)")]
    rounds, _ = plan_rounds(read.deals)
    assert sorted((r.name, r.amount, sorted(d.investor or "-" for d in r.deals)) for r in rounds) == [
        ("Seed", 500000, ["-"]), ("Series A", 2000000, ["-", "Fund One"])]


@pytest.mark.parametrize("cell, amount, currency", [
    ("1500000", 1500000, "USD"), ("1,500,000", 1500000, "USD"), ("1.5M", 1500000, "USD"), ("$1.5M", 1500000, "USD"),
    ("1.5 million", 1500000, "USD"), ("USD 1.5m", 1500000, "USD"), ("€3.5m", 3500000, "EUR"),
    ("£2bn", 2000000000, "GBP"), ("2.5B", 2500000000, "USD"), ("¥300 million", 300000000, "JPY"),
])
def test_every_amount_form(tmp_path, cell, amount, currency):
    given = "" if any(m in cell for m in "$€£¥U") else "USD"
    path = write_csv(tmp_path / "a.csv", [["Company", "Investor", "Amount", "Currency"], ["Acme", "A", cell, given]])
    read = read_deals([path])
    read.problems.raise_if_any()
    (deal,) = read.deals
    assert (deal.amount, deal.currency) == (amount, currency) and type(deal.amount) is int
    assert deal.amount_usd == (amount if currency == "USD" else None)


def test_european_grouping_where_the_column_shows_it(tmp_path):
    path = write_csv(tmp_path / "e.csv", [["Company", "Investor", "Amount", "Currency"], ["A", "X", "1.500", "EUR"],
                                          ["B", "X", "1.500.000,50", "EUR"], ["C", "X", "2,5", "EUR"]])
    read = read_deals([path])
    read.problems.raise_if_any()
    assert [d.amount for d in read.deals] == [1500, 1500000.5, 2.5]
    assert read.notes == ["Amounts in Amount of e.csv: grouped like 1.500.000,50 (line 3: '1.500.000,50')"]


@pytest.mark.bad_input
@pytest.mark.parametrize("cells, line, problem", [
    (["1.500"], 2, "not a number: '1.500' could be 1.5 or 1500 (the column shows no other grouping)"),
    (["1,500,000", "1.500.000"], 3, "not a number: '1.500.000' is grouped like 1.500.000,50, the column like "
                                    "1,500,000.50"),
    (["-5"], 2, "not an amount: '-5' (negative)"),
    (["€3.5m"], 2, "'€3.5m' is in EUR, but its currency column says USD"),
])
def test_bad_amounts_are_refused_at_their_line(tmp_path, cells, line, problem):
    path = write_csv(tmp_path / "a.csv", [["Company", "Investor", "Amount", "Currency"]] +
                     [[f"C{i}", "X", c, "USD"] for i, c in enumerate(cells)])
    with pytest.raises(InputError) as info:
        read_deals([path]).problems.raise_if_any()
    assert str(info.value).startswith(f"{path}:{line}: Amount: {problem}")


def test_the_summary_says_which_currency_each_amount_came_in(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Company", "Investor", "Amount", "Currency"], ["A", "X", "$1M", ""],
                                          ["B", "X", "2000000", "USD"], ["C", "X", "€3m", ""], ["D", "X", "$4M", ""]])
    assert read_notes(read_deals([path]))[-1] == "Currencies: USD 3 (2 from '$', 1 from its column), EUR 1 (1 from '€')"


@pytest.mark.parametrize("header, fld", [("Investor Location", "investor_country"), ("Investor Country", "investor_country"),
                                         ("Company Country", "company_country"), ("HQ Country", "company_country"),
                                         ("Country", "company_country"), ("Company Location", "company_country"),
                                         ("Headquarters", "company_country")])
def test_country_headers(header, fld):
    assert mapping(["Company", "Investor", header])[fld] == header


def test_countries_by_name_code_or_short_form(tmp_path):
    path = write_csv(tmp_path / "c.csv", [["Company", "Investor", "Investor Location", "HQ Country"],
                                          ["A", "X", "United States", "UK"], ["B", "Y", "USA", "Viet Nam"],
                                          ["C", "Z", "de", "GBR"]])
    read = read_deals([path])
    read.problems.raise_if_any()
    assert [(d.investor_country, d.company_country) for d in read.deals] == [("US", "GB"), ("US", "VN"), ("DE", "GB")]


@pytest.mark.bad_input
def test_an_amount_whose_currency_is_a_placeholder_needs_one(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Company", "Investor", "Amount", "Currency"], ["Acme", "A", "5M", "N/A"]])
    with pytest.raises(InputError, match=r"a.csv:2: Amount: amount 5000000 needs a currency"):
        read_deals([path]).problems.raise_if_any()
