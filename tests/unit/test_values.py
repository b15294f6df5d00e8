"""graph.values: the one rule per kind of value that every reader (seed, Crunchbase, deals) uses."""
import datetime as dt
import re

import pytest

from graph import values


@pytest.mark.parametrize("given, stored", [
    ("2023", "2023"), ("2023-07", "2023-07"), ("2023-07-15", "2023-07-15"), (" 2023-07-15 ", "2023-07-15"),
    (2023, "2023"), ("2019-04-01 00:00:00", "2019-04-01"), ("2019-04-01T08:30:00Z", "2019-04-01"),
    ("2019-04-01T08:30:00+08:00", "2019-04-01"), (dt.datetime(2021, 3, 4, 5, 6), "2021-03-04"),
    (dt.date(2020, 2, 29), "2020-02-29"), ("", None), (None, None), ("  ", None),
])
def test_dates(given, stored):
    assert values.date(given) == stored


@pytest.mark.parametrize("bad", ["2023-02-30", "2023-13", "last spring", "01/03/2024", "2023-7-1", "20230715",
                                 "2019-04-01 noon", True, 3.5, "Aug 8", "Aug 8, 02", "next Aug 2002", "Feb 30, 2020",
                                 "37476", 37476, "2023/07", "Aug 2002 2003", "8/3/21", "2023-00", "13/13/2021"])
def test_bad_dates(bad):
    with pytest.raises(ValueError, match="not a date"):
        values.date(bad)


@pytest.mark.parametrize("given, stored", [
    ("1000000", 1000000), ("1,000,000", 1000000), ("1_000_000", 1000000), ("2.75e9", 2750000000),
    ("12.5", 12.5), (300000000.0, 300000000), (7, 7), ("", None), (None, None),
    # one rule for 0: unknown, never stored (a spreadsheet's 0 is an amount nobody reported)
    ("0", None), (0, None), ("0.0", None),
])
def test_amounts(given, stored):
    got = values.amount(given)
    assert got == stored and type(got) is type(stored)


@pytest.mark.parametrize("bad, problem", [("-5", "not an amount"), (-1, "not an amount"), ("nan", "not an amount"),
                                          ("inf", "not an amount"), ("12 apples", "not a number"),
                                          (True, "not a number"), ("$5", "not a number"),
                                          ("1.500", "could be 1.5 or 1500"), ("-$1.5M", "negative"),
                                          ("($1.5M)", "negative"), ("1,5.00", "not a number")])
def test_bad_amounts(bad, problem):
    with pytest.raises(ValueError, match=problem):
        values.amount(bad)


def test_numbers_keep_zero_and_counts_are_whole():
    assert values.number("0") == 0
    assert values.count("12") == 12 and values.count(3) == 3 and values.count("") is None
    with pytest.raises(ValueError):
        values.count("1.5")


@pytest.mark.parametrize("given, stored", [
    ("true", True), ("TRUE", True), ("Yes", True), ("y", True), ("t", True), ("1", True), (True, True), (1, True),
    ("false", False), ("No", False), ("n", False), ("F", False), ("0", False), (False, False),
    ("on", True), ("OFF", False), (0, False),
    ("", None), (None, None),  # unknown is unknown, not false
])
def test_bools(given, stored):
    assert values.flag(given) is stored


def test_bad_bool():
    with pytest.raises(ValueError, match="not true/false: 'maybe'"):
        values.flag("maybe")


@pytest.mark.parametrize("given, stored", [
    ("CN", "CN"), ("cn", "CN"), ("CHN", "CN"), ("usa", "US"), ("ROM", "RO"), ("", None), ("China", "CN"),
    ("United States", "US"), ("United States of America", "US"), ("U.S.", "US"), ("UK", "GB"), ("U.K.", "GB"),
    ("United Kingdom", "GB"), ("Germany", "DE"), (" germany ", "DE"), ("Viet Nam", "VN"), ("Vietnam", "VN"),
    ("Iran", "IR"), ("Bolivia", "BO"), ("South Korea", "KR"), ("Russia", "RU"), ("Türkiye", "TR"),
    ("Turkey", "TR"), ("The Netherlands", "NL"), ("Taiwan", "TW"), ("Hong Kong", "HK"), ("Czech Republic", "CZ"),
])
def test_countries(given, stored):
    assert values.country(given) == stored


@pytest.mark.parametrize("bad", ["ZZ", "XXX", "Atlantis", "C", "Korea"])  # Korea: north or south?
def test_bad_countries(bad):
    with pytest.raises(ValueError, match=f"^unknown country: {bad!r} \\(expected a name or an ISO 3166 code"):
        values.country(bad)


def test_currencies():
    assert values.currency("usd") == "USD" and values.currency("CNY") == "CNY" and values.currency("") is None
    for bad in ("XYZ", "US", "dollars"):
        with pytest.raises(ValueError, match="unknown ISO 4217 currency code"):
            values.currency(bad)


def test_text_limits_and_control_characters():
    assert values.text("  Acme  ") == "Acme" and values.text("") is None
    assert values.text("a\tb\nc") == "a\tb\nc"
    with pytest.raises(ValueError, match="too long: 2,001 characters"):
        values.text("x" * 2001)
    with pytest.raises(ValueError, match="control character U\\+001B at position 5"):
        values.text("Fund\x1b[2J")


def test_alias_keys_group_spellings_by_resolve_key():
    spellings, keys = values.alias_keys("Acme", " acme ", "ACME Corp", "", None, "Acme")
    assert spellings == ["Acme", "acme", "ACME Corp"]
    assert keys == {"acme": ["Acme", "acme"], "acmecorp": ["ACME Corp"]}
    assert values.alias_keys("!!!") == (["!!!"], {})


# -- found by mutation testing (mutmut on graph/values.py): each kills a mutant that survived ------------
def test_text_of_a_non_string_is_its_text():
    assert values.text(42) == "42" and values.text(2.5) == "2.5"


@pytest.mark.parametrize("given, stored", [("1_000_000", 1000000), (2**62, 2**62)])
def test_numbers_take_underscores_and_stay_exact_while_they_fit_an_integer(given, stored):
    got = values.number(given)
    assert got == stored and type(got) is int


@pytest.mark.parametrize("huge", [2**63, 2**64, "18446744073709551616"])
def test_numbers_beyond_a_64_bit_integer_become_floats(huge):
    assert type(values.number(huge)) is float  # Neo4j stores integers in 64 bits


@pytest.mark.parametrize("bad, shown", [("abc", "'abc'"), ([1], "[1]"), (object, "<class 'object'>")])
def test_a_value_that_is_not_a_number_is_quoted_as_given(bad, shown):
    with pytest.raises(ValueError, match=f"^not a number: {shown}$".replace("[", r"\[").replace("]", r"\]")):
        values.number(bad)


@pytest.mark.parametrize("bad", [1.5, 2.0, "abc", "1e3", True, "-1", -1, "²"])
def test_counts_are_whole_numbers_written_as_digits(bad):
    with pytest.raises(ValueError, match="^not a whole number: "):
        values.count(bad)


def test_a_count_neo4j_cannot_store_is_refused():
    assert values.count(str(2**63 - 1)) == 2**63 - 1 and values.count("١٢") == 12  # Arabic-Indic digits too
    for bad in (str(2**63), 10**20):
        with pytest.raises(ValueError, match="^too large: "):
            values.count(bad)


@pytest.mark.parametrize("bad", [True, False, 3.5, ["2023"]])
def test_a_date_is_text_a_year_number_or_a_date_never_a_bool(bad):
    with pytest.raises(ValueError, match="^not a date: "):
        values.date(bad)


@pytest.mark.parametrize("retired, current", [("ROM", "RO"), ("TAN", "TZ"), ("ZAR", "CD"), ("TMP", "TL")])
def test_retired_country_codes_still_in_use_map_to_todays(retired, current):
    assert values.country(retired) == current


def test_a_blank_or_keyless_name_does_not_end_the_list():
    spellings, keys = values.alias_keys("Acme", "", "!!!", None, "Beta")
    assert spellings == ["Acme", "!!!", "Beta"] and keys == {"acme": ["Acme"], "beta": ["Beta"]}


def test_an_id_past_what_neo4j_can_index_is_cut_and_keeps_a_digest():
    short = "deals:x.csv:zhipuai:2024-01-02:seriesb"
    assert values.bounded_id(short) == short
    long = "deals:x.csv:" + "中" * 1900 + ":2024-01-02:" + "轮" * 1900  # 11 kB of UTF-8
    cut = values.bounded_id(long)
    assert len(cut.encode()) <= values.MAX_ID_BYTES and cut.startswith("deals:x.csv:中中")
    assert values.bounded_id(long) == cut                        # the same text, the same id
    assert values.bounded_id(long[:-1] + "x") != cut             # a difference at the very end still shows
    assert set(values.bounded_id("é" * 3000).rsplit("~", 1)[0]) == {"é"}  # cut between characters


# -- issue 25: one rule for query parameters, --as-of, datasets and files ----------------------------
def test_one_flag_vocabulary_for_query_parameters_forms_and_files():
    """on/off (a web form's checkbox) and y/t/n (spreadsheets) mean the same everywhere."""
    from graph.queries import _convert

    for word in sorted(values.TRUE | values.FALSE) + ["ON", "Off", " Y "]:
        assert _convert("bool", word) is values.flag(word) is (word.strip().lower() in values.TRUE)
    assert {"on", "off", "y", "t", "n", "f"} <= values.TRUE | values.FALSE


def test_one_date_rule_for_as_of_query_parameters_and_files():
    """A timestamp is its day for --as-of and -p as in a CSV; month-name dates too."""
    from graph.analytics import check_as_of
    from graph.queries import _convert

    for given, day in [("2019-04-01 00:00:00", "2019-04-01"), ("Aug 2002", "2002-08"), ("2002/08/08", "2002-08-08")]:
        assert check_as_of(given) == _convert("date", given) == values.date(given) == day


def test_one_count_rule_for_datasets_query_parameters_and_files():
    """2**70 cannot be stored by Neo4j: refused by the seed dataset's check as by values.count."""
    from graph.dataset import _Reader
    from graph.queries import _convert

    problems = []
    _Reader().value("count", 2**70, problems.append)
    assert problems == [f"bad count {2**70!r}: expected a whole number (at most {2**63 - 1:,})"]
    with pytest.raises(ValueError, match="^too large"):
        values.count(2**70)
    with pytest.raises(ValueError, match=r"expected an integer \(at most"):
        _convert("int", 2**70)
    assert _Reader().value("count", 12, problems.append) == 12


# -- issue 26: dates as people write them -------------------------------------------------------------
@pytest.mark.parametrize("given, stored", [
    ("Aug 8, 2002", "2002-08-08"), ("8 August 2002", "2002-08-08"), ("August 8th, 2002", "2002-08-08"),
    ("Aug 2002", "2002-08"), ("August 2002", "2002-08"), ("aug 2002", "2002-08"), ("Sept 3, 2019", "2019-09-03"),
    ("Mon, Aug 8, 2002 10:00 PM", "2002-08-08"), ("8th of August 2002", "2002-08-08"),
    ("2002/08/08", "2002-08-08"), ("2002/8/8", "2002-08-08"), ("2002.08.08", "2002-08-08"),
    ("2019-07-01 0:00", "2019-07-01"), ("2019-07-01 23:59:59.5", "2019-07-01"), ("2019-07-01T08:00Z", "2019-07-01"),
    ("25/07/2019 0:00", "2019-07-25"), ("13.3.2021", "2021-03-13"), ("03/25/2021", "2021-03-25"),
    ("2024-02-29", "2024-02-29"), ("Feb 29, 2024", "2024-02-29"), ("1/2/2021 3:04 PM", None),
])
def test_dates_as_people_write_them(given, stored):
    if stored is None:  # ambiguous without an order
        with pytest.raises(ValueError, match="day or month first"):
            values.date(given)
    else:
        assert values.date(given) == stored


@pytest.mark.parametrize("given, order, stored", [
    ("08/03/2021", "day", "2021-03-08"), ("08/03/2021", "month", "2021-08-03"), ("8.3.2021", "day", "2021-03-08"),
    ("1/07/2019 0:00", "day", "2019-07-01"), ("1-07-2019", "month", "2019-01-07"),
    ("25/03/2021", "day", "2021-03-25"), ("03/25/2021", "month", "2021-03-25"),
    ("Aug 8, 2002", "day", "2002-08-08"), ("2002-08-08", "month", "2002-08-08"),  # order reads numeric dates only
])
def test_numeric_dates_in_the_order_given(given, order, stored):
    assert values.date(given, order) == stored


@pytest.mark.parametrize("given, order", [("25/03/2021", "month"), ("03/25/2021", "day")])
def test_a_date_against_its_columns_order_is_refused(given, order):
    with pytest.raises(ValueError, match=f"^not a date: '{given}' \\(its .* part is over 12, but the column's "
                                         f"dates are {order} first\\)$"):
        values.date(given, order)


def test_a_bare_number_is_never_a_date_but_a_year_is_a_year():
    assert values.date("2002") == values.date(2002) == "2002"
    for bad in ("37476", 37476, "200208", "02", 2):
        with pytest.raises(ValueError, match="a number is a date only as a four-digit year"):
            values.date(bad)


@pytest.mark.parametrize("given, shows", [("08/03/2021", "either"), ("25/03/2021", "day"), ("03/25/2021", "month"),
                                          ("12.12.2020", "either"), ("13-1-2020", "day"), ("2021-03-08", None),
                                          ("Aug 8, 2002", None), (None, None), (44000, None)])
def test_day_month_says_what_a_numeric_date_shows(given, shows):
    assert values.day_month(given) == shows


def test_date_order_of_a_column():
    assert values.date_order([(2, "2021-01-01"), (3, "08/03/2021"), (4, "25/03/2021"), (5, "03/26/2021")]) == \
        ("day", 4, "25/03/2021")  # the first certain value settles it (line 5 then contradicts)
    assert values.date_order([(2, "01/13/2021"), (3, "25/03/2021")]) == ("month", 2, "01/13/2021")
    assert values.date_order([(2, "Aug 2002"), (3, ""), (4, None)]) is None
    with pytest.raises(ValueError, match=r"^every day/month date could be day or month first \(line 3: "
                                         r"'08/03/2021'\): say which with --dayfirst or --monthfirst$"):
        values.date_order([(2, "2021"), (3, "08/03/2021"), (4, "09/03/2021")])


# -- issue 26: amounts as written ----------------------------------------------------------------------
@pytest.mark.parametrize("given, amount, currency", [
    ("1500000", 1500000, None), ("1,500,000", 1500000, None), ("1.5M", 1500000, None), ("$1.5M", 1500000, "USD"),
    ("1.5 million", 1500000, None), ("USD 1.5m", 1500000, "USD"), ("€3.5m", 3500000, "EUR"),
    ("£2bn", 2000000000, "GBP"), ("2.5B", 2500000000, None), ("¥300 million", 300000000, "JPY"),
    ("1.500.000", 1500000, None), ("1.500.000,50", 1500000.5, None), ("3,5 Mio. €", 3500000, "EUR"),
    ("1.5m usd", 1500000, "USD"), ("US$ 2,000", 2000, "USD"), ("CN¥10m", 10000000, "CNY"), ("RMB 1bn", 10**9, "CNY"),
    ("750k", 750000, None), ("2.3M", 2300000, None), ("1 trillion", 10**12, None), ("0", None, None),
    ("$0", None, "USD"), ("", None, None), (2500000, 2500000, None), ("1'000'000", 1000000, None),
])
def test_amounts_as_written(given, amount, currency):
    got = values.money(given)
    assert (got.amount, got.currency) == (amount, currency) and type(got.amount) is type(amount)


def test_a_currency_column_and_the_cells_mark():
    assert values.money("1.5M", given="EUR") == (1500000, "EUR", None)
    assert values.money("$1.5M", given="CAD") == (1500000, "CAD", "$")   # $ is any dollar
    assert values.money("¥300 million", given="CNY") == (300000000, "CNY", "¥")
    assert values.money("USD 5", given="USD") == (5, "USD", "USD")
    for cell, column, problem in [("€3.5m", "USD", "'€3.5m' is in EUR, but its currency column says USD"),
                                  ("£2bn", "EUR", "'£2bn' is in GBP, but its currency column says EUR"),
                                  ("USD 5", "EUR", "'USD 5' is in USD, but its currency column says EUR")]:
        with pytest.raises(ValueError, match=f"^{re.escape(problem)}$"):
            values.money(cell, given=column)
    with pytest.raises(ValueError, match="^two currencies in one amount"):
        values.money("$5 EUR")


@pytest.mark.parametrize("given, style, amount", [
    ("1.500", "eu", 1500), ("1.500", "en", 1.5), ("1,500", "eu", 1.5), ("1,500", None, 1500), ("1,5", None, 1.5),
    ("1500,50", None, 1500.5), ("12.5", None, 12.5), ("1.500.000", "eu", 1500000), ("1,500,000.25", "en", 1500000.25),
])
def test_grouping_in_the_values_or_the_columns_style(given, style, amount):
    assert values.amount(given, style) == amount


@pytest.mark.parametrize("given, style", [("1.500.000", "en"), ("1,500,000.50", "eu"), ("1.5", "eu"),
                                          ("1,50,000", None)])
def test_grouping_against_the_columns_style_is_refused(given, style):
    with pytest.raises(ValueError, match=f"^not a number: '{given}'"):
        values.amount(given, style)


@pytest.mark.parametrize("given, style", [("1,500,000", "en"), ("1.500.000,50", "eu"), ("1500,50", "eu"),
                                          ("1,5", "eu"), ("1,500.5", "en"), ("1.500", None), ("1,500", None),
                                          ("1500", None), ("1.5", None), ("", None)])
def test_number_style(given, style):
    assert values.number_style(given) == style


def test_amount_style_of_a_column():
    assert values.amount_style([(2, "$1.5M"), (3, "€1.500.000,00"), (4, "1,500,000")]) == ("eu", 3, "€1.500.000,00")
    assert values.amount_style([(2, "1.5"), (3, None), (4, "")]) is None


# -- issue 26: placeholders -----------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["Not Published", "Undisclosed", "Unknown", "N/A", "n/a", "NA", "-", "—", "none",
                                  "null", "not disclosed", "  NOT PUBLISHED  ", "Null"])
def test_placeholders(cell):
    assert values.placeholder(cell)


def test_what_is_not_a_placeholder_and_extra_ones():
    for cell in ("Nokia", "Undisclosed Fund", "", None, 0, "n/a/b"):
        assert not values.placeholder(cell)
    assert values.placeholder(" TBC ", frozenset({"tbc"})) and not values.placeholder("TBC")


# -- issue 25: one value-to-text rule for tables and pictures --------------------------------------------
@pytest.mark.parametrize("given, grouped, plain", [
    (None, "", ""), (True, "yes", "yes"), (False, "no", "no"), (2023, "2023", "2023"), (9999, "9999", "9999"),
    (10000, "10,000", "10000"), (-342_000_000, "-342,000,000", "-342000000"), (2.0, "2", "2"),
    (2.75e9, "2,750,000,000", "2750000000"), (2.5, "2.5", "2.5"), (["a", "b"], "a; b", "a; b"),
    ((12000, [True]), "12,000; yes", "12000; yes"),
])
def test_one_rule_for_a_value_as_text(given, grouped, plain):
    assert values.shown(given) == grouped and values.shown(given, grouped=False) == plain


def test_tables_and_pictures_show_values_alike():
    from graph.picture import text
    from graph.tables import display

    for v in (True, 12000, 2023, ["E1", "E2"], 2.75e9):
        assert text(v) == display(v, table=True) == values.shown(v)


def test_integers_and_reals():
    assert values.integer("-3") == -3 and values.integer(" +7 ") == 7 and values.integer(None) is None
    assert values.real("-0.5") == -0.5 and values.real(3) == 3.0 and values.real("1e8") == 1e8
    for bad in ("1.5", "x", True, 1.0):
        with pytest.raises(ValueError, match="^not a whole number"):
            values.integer(bad)
    for bad in ("nan", "inf", True, [1]):
        with pytest.raises(ValueError, match="^not a number"):
            values.real(bad)
    with pytest.raises(ValueError, match="^too large"):
        values.integer(-2**63 - 1)
    assert values.integer(-2**63) == -2**63


# -- found by mutmut over values.py with the unit layer (this session): each kills a surviving mutant ----
@pytest.fixture
def fresh_countries(monkeypatch):
    """The country table built anew (it is cached per process: a test after the first would not build it)."""
    monkeypatch.setattr(values, "_COUNTRIES", None)


@pytest.mark.parametrize("given, stored", [
    ("Korea, Republic of", "KR"), ("Iran, Islamic Republic of", "IR"), ("Bolivia", "BO"), ("Czech Republic", "CZ"),
    ("Taiwan", "TW"), ("United States of America", "US"), ("Viet Nam", "VN"), ("Vietnam", "VN"), ("GBR", "GB"),
    ("gb", "GB"), ("UK", "GB"), ("ROM", "RO"), ("Congo", "CG"), ("Bahamas", "BS"), ("The Gambia", "GM"),
])
def test_countries_from_a_fresh_table(fresh_countries, given, stored):
    assert values.country(given) == stored


def test_an_unknown_country_is_named_with_what_is_expected(fresh_countries):
    with pytest.raises(ValueError) as info:
        values.country("Atlantis")
    assert str(info.value) == ("unknown country: 'Atlantis' (expected a name or an ISO 3166 code such as "
                               "'United States', 'US' or 'USA')")
    with pytest.raises(ValueError):
        values.country("Korea")  # both Koreas' names start with it: neither is meant


@pytest.mark.parametrize("given, problem", [
    (3.5, "not a date: 3.5"), ("2023/02/30", "not a date: '2023/02/30' (no such day)"),
    ("30/02/2023", "not a date: '30/02/2023' (no such day)"), ("Feb 30, 2020", "not a date: 'Feb 30, 2020' (no such day)"),
    ("Aug 2002 Aug", "not a date: 'Aug 2002 Aug' (unreadable)"),
    ("25/03/2021", "not a date: '25/03/2021' (its first part is over 12, but the column's dates are month first)"),
    ("03/25/2021", "not a date: '03/25/2021' (its second part is over 12, but the column's dates are day first)"),
])
def test_date_problems_word_for_word(given, problem):
    order = {"25/03/2021": "month", "03/25/2021": "day"}.get(given)
    with pytest.raises(ValueError) as info:
        values.date(given, order)
    assert str(info.value) == problem


@pytest.mark.parametrize("given, stored", [("2002/8/9", "2002-08-09"), ("2002.12.31", "2002-12-31"),
                                           ("Aug 8 9 2002", None), ("Monday Tuesday Aug 2002", "2002-08")])
def test_dates_read_in_their_parts_order(given, stored):
    if stored is None:  # dateutil would read "9 2002" as 2009 at 20:02
        with pytest.raises(ValueError, match="not a date"):
            values.date(given)
    else:
        assert values.date(given) == stored


@pytest.mark.parametrize("given, style", [("1.000,000.5", "en"), ("1,000.000,5", "eu")])
def test_the_last_separator_is_the_decimal_mark(given, style):
    assert values.number_style(given) == style


@pytest.mark.parametrize("given, money", [
    ("us$ 5", (5, "USD", "us$")), ("rmb 1bn", (10**9, "CNY", "rmb")), ("2.75E9", (2750000000, None, None)),
    ("", (None, "EUR", None)), (2500000, (2500000, "EUR", None)),
])
def test_money_marks_in_any_case_and_a_columns_currency(given, money):
    got = values.money(given, given="EUR" if given in ("", 2500000) else None)
    assert tuple(got) == money


@pytest.mark.parametrize("bad, problem", [("XYZ 5", "not a number: 'XYZ 5'"), ("X5", "not a number: 'X5'"),
                                          ("5)", "not a number: '5)'"), ("-inf", "not an amount: '-inf'"),
                                          ("+inf", "not an amount: '+inf'"), ("Infinity", "not an amount: 'Infinity'")])
def test_money_that_is_not(bad, problem):
    with pytest.raises(ValueError) as info:
        values.money(bad)
    assert str(info.value) == problem


def test_limits_at_their_edge():
    assert values.count("0") == 0 and values.count(0) == 0
    assert values.text("x" * values.MAX_TEXT) == "x" * values.MAX_TEXT
    exact = "a" * values.MAX_ID_BYTES
    assert values.bounded_id(exact) == exact
    cut = values.bounded_id(exact + "b")
    assert len(cut.encode("utf-8")) == values.MAX_ID_BYTES and cut.startswith("a" * 3000)


@pytest.mark.parametrize("given, stored", [("Micronesia", "FM"), ("Saint Helena", "SH"), ("Guinea Bissau", "GW"),
                                           ("Guinea-Bissau", "GW"), ("Laos", "LA"), ("Syria", "SY"),
                                           ("North Korea", "KP"), ("Tanzania", "TZ"), ("Venezuela", "VE")])
def test_countries_by_the_name_before_isos_comma_or_a_short_form(fresh_countries, given, stored):
    assert values.country(given) == stored


@pytest.mark.parametrize("given", ["Aug 8 9 2002", "Aug 123 2002", "Aug 8 2002 2003", "8 9 Aug 2002"])
def test_a_month_name_date_has_a_year_and_at_most_a_day(given):
    with pytest.raises(ValueError) as info:
        values.date(given)
    assert str(info.value) == f"not a date: {given!r} (expected a date such as {values.DATE_FORMS})"


@pytest.mark.parametrize("given", ["Aug 2002 8 pm", "12 am Aug 2002", "Aug 8 2002 am"])
def test_a_day_dateutil_reads_as_an_hour_is_refused(given):
    """dateutil reads 'Aug 2002 8 pm' as 1 August at 20:00: the day written is not the day read."""
    with pytest.raises(ValueError) as info:
        values.date(given)
    assert str(info.value) == f"not a date: {given!r} (unreadable)"
