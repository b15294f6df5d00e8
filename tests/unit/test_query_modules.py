"""Query modules (graph.queries.parse_module and the query path): headers read, mistakes located.

This is the one table of malformed query files; tests/test_query_cli.py runs one of them through
`dealgraph queries` to see the CLI print the same line.
"""
from __future__ import annotations

import os

import pytest

from graph.errors import DealgraphError, InputError
from graph.queries import Param, get_query, list_queries, parse_module

MODULE = """\
// A module comment: not a query.

// name: first_query
// description: The first one
// param company: entity          -- any name of the company
// param as_of: date = null       -- optional
// param limit: int = 25
MATCH (c:Entity {id: $company})
WHERE $as_of IS NULL OR c.founded <= $as_of
RETURN c LIMIT $limit;

// name: second_query
// description: No parameters, two lines of Cypher
MATCH (n)
RETURN count(n) AS n;
"""


@pytest.fixture
def module(tmp_path):
    path = tmp_path / "things.cypher"
    path.write_text(MODULE, encoding="utf-8")
    return path


def test_a_module_holds_its_queries_in_order(module):
    first, second = parse_module(module)
    assert (first.name, first.module, first.description, first.file, first.line) == \
        ("first_query", "things", "The first one", str(module), 3)
    assert (second.name, second.line, second.params) == ("second_query", 12, ())
    # The Cypher is the text from the header on, without the final ';' (Browser gets it back).
    assert first.cypher.startswith("// name: first_query\n") and first.cypher.endswith("RETURN c LIMIT $limit")
    assert second.cypher.splitlines()[-2:] == ["MATCH (n)", "RETURN count(n) AS n"]


def test_a_query_ends_at_its_semicolon_whatever_follows(tmp_path):
    """Trailing blanks after ';', and the next query's header on the very next line."""
    (tmp_path / "q.cypher").write_text("// name: a\n// description: d\nRETURN 1;   \n// name: b\n// description: e\n"
                                       "RETURN 2;\t\n", encoding="utf-8")
    a, b = parse_module(tmp_path / "q.cypher")
    assert a.cypher == "// name: a\n// description: d\nRETURN 1"
    assert (b.cypher, b.line) == ("// name: b\n// description: e\nRETURN 2", 4)


def test_parameters_with_types_defaults_and_help(module):
    company, as_of, limit = parse_module(module)[0].params
    assert (company.name, company.type, company.required, company.help) == ("company", "entity", True,
                                                                            "any name of the company")
    assert (as_of.type, as_of.default, as_of.required, as_of.help) == ("date", None, False, "optional")
    assert (limit.type, limit.default, limit.required, limit.help) == ("int", 25, False, "")
    assert [str(p) for p in (company, as_of, limit)] == ["company: entity", "as_of: date = null", "limit: int = 25"]


@pytest.mark.parametrize("line, param", [
    ("// param limit: int = 25", Param("limit", "int", 25)),
    ("// param min: float = 1e8  -- at least this", Param("min", "float", 1e8, "at least this")),
    ("// param on: bool = yes", Param("on", "bool", True)),
    ("// param since: date = '2023-07'", Param("since", "date", "2023-07")),
    ('// param who: string = "O Brien"', Param("who", "string", "O Brien")),
    ("// param who: string = 'Xi X'", Param("who", "string", "Xi X")),
    ("// param type: fact_type = invested_in", Param("type", "fact_type", "INVESTED_IN")),
    ("//param   tight:int=3--no spaces", Param("tight", "int", 3, "no spaces")),
])
def test_a_default_is_read_as_its_type(tmp_path, line, param):
    name = param.name
    (tmp_path / "q.cypher").write_text(f"// name: q\n// description: d\n{line}\nRETURN ${name};\n", encoding="utf-8")
    assert parse_module(tmp_path / "q.cypher")[0].params == (param,)


def test_a_parameter_named_only_in_a_comment_is_unused(tmp_path):
    (tmp_path / "q.cypher").write_text("// name: q\n// description: mentions $a\n// param a: int\n"
                                       "// RETURN $a\n    // RETURN $a, indented\nRETURN 1;\n", encoding="utf-8")
    with pytest.raises(InputError, match="declares unused a"):
        parse_module(tmp_path / "q.cypher")


BAD = [  # (file text, line named, field named, the message)
    ("// name: Bad-Name\n// description: x\nRETURN 1;\n", 1, "name",
     "query names are lower_case_with_underscores, got 'Bad-Name'"),
    ("// name: no_end\n// description: x\nRETURN 1\n", 1, None, "query 'no_end' does not end with ';'"),
    ("// name: first\n// description: x\nRETURN 1\n\n// name: second\n// description: y\nRETURN 2;\n", 1, None,
     "query 'first' does not end with ';'"),
    ("// name: fine\n// description: x\nRETURN 1;\n\n// name: second\n// description: y\nRETURN 2\n", 5, None,
     "query 'second' does not end with ';'"),
    ("// name: no_description\nRETURN 1;\n", 1, "description", "query 'no_description' has no '// description:' line"),
    ("// name: empty_description\n// description:\nRETURN 1;\n", 1, "description",
     "query 'empty_description' has no '// description:' line"),
    ("// name: typo\n// description: x\n// param a: entity\nRETURN $b, $c, $a;\n", 1, "param",
     "query 'typo' uses undeclared $b, $c"),
    ("// name: unused\n// description: x\n// param a: int\n// param b: int\n// param c: int\nRETURN $b;\n", 1, "param",
     "query 'unused' declares unused a, c"),
    ("// name: twice\n// description: x\n// param a: int\n// param a: int\nRETURN $a;\n", 1, "param",
     "query 'twice' declares a parameter twice"),
    ("// name: badtype\n// description: x\n// param a: money\nRETURN $a;\n", 3, "param",
     "unknown type 'money' (types: entity, article, string, int, float, bool, date, fact_type)"),
    ("// name: badparam\n// description: x\n// param 9a: int\nRETURN 1;\n", 3, "param",
     "expected 'param KEY: TYPE [= DEFAULT] [-- help]', got '9a: int'"),
    ("// name: baddefault\n// description: x\n// param a: int = lots\nRETURN $a;\n", 3, "param",
     "default of a: expected an integer, got 'lots'"),
    ("// name: baddate\n// description: x\n// param a: date = 2023-02-30\nRETURN $a;\n", 3, "param",
     "default of a: expected a date like 2023, 2023-07 or 2023-07-15 (no such day), got '2023-02-30'"),
    ("// name: semi\n// description: x\n// one; two\nRETURN 1;\n", 3, None,
     "';' in a comment: Neo4j Browser would end the query there"),
    ("// name: semi\n// description: x\n   // one; two\nRETURN 1;\n", 3, None,
     "';' in a comment: Neo4j Browser would end the query there"),
    ("// name: semi\n// description: x\n   // ends as a query would;\nRETURN 1;\n", 3, None,
     "';' in a comment: Neo4j Browser would end the query there"),
]


@pytest.mark.bad_input
@pytest.mark.parametrize("text, line, field, message", BAD, ids=[f"{b[3][:30]}-{i}" for i, b in enumerate(BAD)])
def test_a_malformed_query_file_is_named_with_its_line(tmp_path, text, line, field, message):
    path = tmp_path / "bad.cypher"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_module(path)
    assert (info.value.file, info.value.line, info.value.field) == (str(path), line, field)
    assert info.value.reason == message


# -- the query path ----------------------------------------------------------------------------------
@pytest.fixture
def query_path(tmp_path, monkeypatch):
    """A folder named by DEALGRAPH_QUERY_PATH, after the bundled modules."""
    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", str(folder))
    return folder


def test_the_query_path_may_name_several_folders(tmp_path, monkeypatch):
    folders = [tmp_path / "one", tmp_path / "two"]
    for i, folder in enumerate(folders):
        folder.mkdir()
        (folder / f"m{i}.cypher").write_text(f"// name: query_{i}\n// description: d\nRETURN {i};\n", encoding="utf-8")
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", os.pathsep.join(map(str, folders)))
    assert (get_query("query_0").module, get_query("query_1").module) == ("m0", "m1")


def test_queries_on_the_path_join_the_bundled_ones(query_path):
    (query_path / "mine.cypher").write_text(MODULE, encoding="utf-8")
    specs = list_queries()
    assert [s.name for s in specs if s.module == "mine"] == ["first_query", "second_query"]
    assert get_query("backers_of_both").module == "coinvestment"
    modules = [s.module for s in specs]
    assert modules == sorted(modules)  # by module, then in file order


@pytest.mark.bad_input
def test_a_name_defined_twice_names_both_places(query_path):
    (query_path / "again.cypher").write_text("\n// name: backers_of_both\n// description: x\nRETURN 1;\n",
                                             encoding="utf-8")
    with pytest.raises(InputError) as info:
        list_queries()
    assert (info.value.file, info.value.line, info.value.field) == (str(query_path / "again.cypher"), 2, "name")
    assert "query 'backers_of_both' is already defined in " in info.value.reason
    assert "coinvestment.cypher:" in info.value.reason


@pytest.mark.bad_input
def test_a_query_path_that_is_not_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", str(tmp_path / "nowhere"))
    with pytest.raises(DealgraphError, match=f"DEALGRAPH_QUERY_PATH: {tmp_path / 'nowhere'} is not a folder"):
        list_queries()


@pytest.mark.bad_input
@pytest.mark.parametrize("name, message", [
    ("investor_of", "unknown query 'investor_of': did you mean investors_of, coinvestors, top_investors?"),
    ("backers_of_bot", "unknown query 'backers_of_bot': did you mean backers_of_both?"),
    ("state", "unknown query 'state': did you mean state_capital, syndicates?"),  # 0.56 and 0.53 alike
    ("who_funds_everyone", "unknown query 'who_funds_everyone': `dealgraph queries` lists them"),
])
def test_an_unknown_query_suggests_close_names(name, message):
    with pytest.raises(DealgraphError) as info:
        get_query(name)
    assert str(info.value).startswith(message)


def test_every_as_of_filter_leaves_out_facts_that_had_ended():
    """Issue 26: each query (and the analysis' read) that filters by `as_of` on a date also drops a
    fact whose `until` is no later than `as_of` (the filter is written out in each query)."""
    import re
    from pathlib import Path

    from graph import analytics

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "cypher").glob("*.cypher"))]
    dated = [(m[1], line) for text in texts + [analytics.NETWORK_QUERY] for line in text.splitlines()
             for m in re.finditer(r"left\((\w+)\.date, size\(\$as_of\)\)", line)]
    assert len(dated) >= 20
    for var, line in dated:
        assert f"coalesce({var}.until + '~' > $as_of + '~', true)" in line, line
