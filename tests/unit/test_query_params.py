"""Query parameters: `-p KEY=VALUE` pairs, values checked against the declared types, and the
literals of Neo4j Browser's `:param` lines (graph.cli._params, graph.queries).

This is the one table of bad query parameters; tests/test_bad_inputs.py runs a few through the CLI.
"""
from __future__ import annotations

import datetime as dt

import pytest

from graph.cli import _params
from graph.errors import DealgraphError
from graph.queries import _REQUIRED, Param, QuerySpec, _convert, _cypher_literal, check_params
from graph.schema import FACT_TYPES


@pytest.mark.parametrize("ptype, given, expected", [
    ("entity", "  Zhipu AI ", "Zhipu AI"),         # names are trimmed
    ("article", " 003 ", "003"),
    ("string", "  as typed ", "  as typed "),      # free text is not
    ("int", "42", 42),
    ("int", "-3", -3),
    ("int", " 7 ", 7),
    ("int", 7, 7),
    ("float", "1e8", 1e8),
    ("float", "2.5", 2.5),
    ("float", 3, 3.0),
    ("float", "-0.5", -0.5),
    ("bool", "true", True),
    ("bool", " Yes ", True),
    ("bool", "1", True),
    ("bool", "ON", True),
    ("bool", "false", False),
    ("bool", "no", False),
    ("bool", "0", False),
    ("bool", "off", False),
    ("bool", True, True),
    ("bool", False, False),
    ("date", "2023", "2023"),
    ("date", "2023-07", "2023-07"),
    ("date", "2024-02-29", "2024-02-29"),        # a leap day
    ("date", " 2023-07-15 ", "2023-07-15"),
    ("date", dt.date(2023, 7, 15), "2023-07-15"),
    ("date", dt.datetime(2023, 7, 15, 23, 59), "2023-07-15"),
    # graph.values' one rule (query parameters, --as-of, forms and files alike)
    ("bool", 1, True),
    ("bool", "y", True),
    ("bool", "t", True),
    ("bool", "n", False),
    ("date", 2023, "2023"),
    ("date", "2023-07-15T10:00", "2023-07-15"),
    ("date", "2019-04-01 00:00:00", "2019-04-01"),
    ("date", "Aug 2002", "2002-08"),
    ("date", "25/03/2021", "2021-03-25"),
    ("fact_type", "invested_in", "INVESTED_IN"),
    ("fact_type", " Sanctioned ", "SANCTIONED"),
    ("fact_type", "raised", "RAISED"),           # a round, not a fact, but a type to ask about
])
def test_a_value_of_the_declared_type(ptype, given, expected):
    value = _convert(ptype, given)
    assert value == expected and type(value) is type(expected)


BAD_VALUES = [  # (declared type, value given, the error)
    ("entity", "", "expected a non-empty name, got ''"),
    ("entity", "   ", "expected a non-empty name, got '   '"),
    ("entity", 5, "expected a non-empty name, got 5"),
    ("article", "", "expected a non-empty text, got ''"),
    ("string", None, "expected a non-empty text, got None"),
    ("int", "lots", "expected an integer, got 'lots'"),
    ("int", "1.5", "expected an integer, got '1.5'"),
    ("int", 1.5, "expected an integer, got 1.5"),
    ("int", True, "expected an integer, got True"),
    ("int", "", "expected an integer, got ''"),
    ("float", "abc", "expected a number, got 'abc'"),
    ("float", "nan", "expected a number, got 'nan'"),
    ("float", "inf", "expected a number, got 'inf'"),
    ("float", "-inf", "expected a number, got '-inf'"),
    ("float", float("nan"), "expected a number, got nan"),
    ("float", False, "expected a number, got False"),
    ("float", [1], "expected a number, got [1]"),
    ("bool", "maybe", "expected true or false, got 'maybe'"),
    ("bool", "", "expected true or false, got ''"),
    ("date", "2023-02-30", "expected a date like 2023, 2023-07 or 2023-07-15 (no such day), got '2023-02-30'"),
    ("date", "08/03/2021", "(day or month first? write it as YYYY-MM-DD), got '08/03/2021'"),
    ("int", str(2**63), f"(at most {2**63 - 1:,}), got '{2**63}'"),
    ("date", "2023-13", "got '2023-13'"),
    ("date", "2023-00", "got '2023-00'"),
    ("date", "2023-7", "got '2023-7'"),
    ("date", "23", "got '23'"),
    ("date", "2023/07", "got '2023/07'"),
    ("date", "last year", "got 'last year'"),
    ("bool", 2, "expected true or false, got 2"),
    ("fact_type", "OWNS", "expected one of " + ", ".join(FACT_TYPES + ("RAISED",)) + ", got 'OWNS'"),
    ("fact_type", "", "got ''"),
    ("fact_type", 3, "got 3"),
    ("money", "5", "unknown type 'money'"),
]


@pytest.mark.bad_input
@pytest.mark.parametrize("ptype, given, message", BAD_VALUES)
def test_a_value_that_is_not_of_the_declared_type(ptype, given, message):
    with pytest.raises(ValueError) as info:
        _convert(ptype, given)
    assert str(info.value).endswith(message)


# -- a query's parameters together ---------------------------------------------------------------------
SPEC = QuerySpec(name="backers", module="m", description="d", file="m.cypher", line=1, cypher="RETURN 1",
                 params=(Param("a", "entity"), Param("min_shared", "int", 2), Param("as_of", "date", None)))


def test_checked_values_and_defaults():
    assert check_params(SPEC, {"a": " Zhipu ", "min_shared": "3", "as_of": "2023-07"}) == \
        {"a": "Zhipu", "min_shared": 3, "as_of": "2023-07"}
    assert check_params(SPEC, {"a": "Zhipu"}) == {"a": "Zhipu", "min_shared": 2, "as_of": None}
    assert check_params(SPEC, {"a": "Zhipu", "min_shared": None}) == {"a": "Zhipu", "min_shared": 2, "as_of": None}


@pytest.mark.bad_input
@pytest.mark.parametrize("params, message", [
    ({}, "query backers needs parameter a (entity): add -p a=VALUE"),
    ({"a": None}, "query backers needs parameter a (entity): add -p a=VALUE"),
    ({"a": "x", "colour": "red"}, "query backers has no parameter colour (its parameters: a, min_shared, as_of)"),
    ({"a": "x", "z": 1, "b": 2}, "query backers has no parameter b, z (its parameters: a, min_shared, as_of)"),
    ({"a": "x", "min_shared": "two"}, "query backers: parameter min_shared: expected an integer, got 'two'"),
    ({"a": "x", "as_of": "2023-02-30"}, "query backers: parameter as_of: expected a date like 2023"),
    ({"a": "   "}, "query backers: parameter a: expected a non-empty name, got '   '"),
])
def test_parameters_that_do_not_fit_the_query(params, message):
    with pytest.raises(DealgraphError) as info:
        check_params(SPEC, params)
    assert str(info.value).startswith(message)


@pytest.mark.bad_input
def test_a_query_without_parameters_says_so():
    bare = QuerySpec("syndicates", "m", "d", (), "RETURN 1", "m.cypher", 1)
    assert check_params(bare, {}) == {}
    with pytest.raises(DealgraphError, match=r"^query syndicates has no parameter x \(its parameters: none\)$"):
        check_params(bare, {"x": "1"})


# -- the command line's -p KEY=VALUE ---------------------------------------------------------------------
@pytest.mark.parametrize("pairs, expected", [
    ((), {}),
    (("a=Zhipu",), {"a": "Zhipu"}),
    ((" a =Zhipu AI",), {"a": "Zhipu AI"}),               # the key is trimmed, the value left to its type
    (("expr=x=y",), {"expr": "x=y"}),                     # the first '=' splits
    (("a=",), {"a": ""}),
    (("a=Zhipu", "b=Baichuan"), {"a": "Zhipu", "b": "Baichuan"}),
])
def test_pairs_become_parameters(pairs, expected):
    assert _params(pairs) == expected


@pytest.mark.bad_input
@pytest.mark.parametrize("pairs, message", [
    (("limit",), "-p 'limit': expected KEY=VALUE"),
    (("=5",), "-p '=5': expected KEY=VALUE"),
    ((" =5",), "-p ' =5': expected KEY=VALUE"),
    (("limit=1", "limit=2"), "-p limit is given twice"),
    (("limit=1", " limit =2"), "-p limit is given twice"),
])
def test_pairs_that_are_not_parameters(pairs, message):
    with pytest.raises(DealgraphError) as info:
        _params(pairs)
    assert str(info.value) == message


# -- Neo4j Browser's :param literals ------------------------------------------------------------------
@pytest.mark.parametrize("value, literal", [
    (None, "null"),
    (_REQUIRED, "null"),
    (True, "true"),
    (False, "false"),
    (25, "25"),
    (0, "0"),
    (1e8, "100000000.0"),
    (2.5, "2.5"),
    ("zhipu-ai", "'zhipu-ai'"),
    ("O'Brien", "'O\\'Brien'"),
    ("back\\slash", "'back\\\\slash'"),
    ("\\'", "'\\\\\\''"),          # a backslash before a quote cannot end the string early
    ("2023-07", "'2023-07'"),
])
def test_browser_literals(value, literal):
    assert _cypher_literal(value) == literal
