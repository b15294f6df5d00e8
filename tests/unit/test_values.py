"""graph.values: the one rule per kind of value that every reader (seed, Crunchbase, deals) uses."""
import datetime as dt

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
                                 "2019-04-01 noon", True, 3.5])
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
                                          ("inf", "not an amount"), ("12 million", "not a number"),
                                          (True, "not a number"), ("$5", "not a number")])
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
    ("", None), (None, None),  # unknown is unknown, not false
])
def test_bools(given, stored):
    assert values.flag(given) is stored


def test_bad_bool():
    with pytest.raises(ValueError, match="not true/false: 'maybe'"):
        values.flag("maybe")


@pytest.mark.parametrize("given, stored", [("CN", "CN"), ("cn", "CN"), ("CHN", "CN"), ("usa", "US"),
                                           ("ROM", "RO"), ("", None)])
def test_countries(given, stored):
    assert values.country(given) == stored


@pytest.mark.parametrize("bad", ["ZZ", "XXX", "China", "C"])
def test_bad_countries(bad):
    with pytest.raises(ValueError, match="unknown ISO 3166 country code"):
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
