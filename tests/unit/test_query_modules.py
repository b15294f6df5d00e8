"""Query modules (graph.queries.parse_module and the query path): headers read, mistakes located.

This is the one table of malformed query files; tests/test_query_cli.py runs one of them through
`dealgraph queries` to see the CLI print the same line.
"""
from __future__ import annotations

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
    ("// param type: fact_type = invested_in", Param("type", "fact_type", "INVESTED_IN")),
    ("//param   tight:int=3--no spaces", Param("tight", "int", 3, "no spaces")),
])
def test_a_default_is_read_as_its_type(tmp_path, line, param):
    name = param.name
    (tmp_path / "q.cypher").write_text(f"// name: q\n// description: d\n{line}\nRETURN ${name};\n", encoding="utf-8")
    assert parse_module(tmp_path / "q.cypher")[0].params == (param,)


def test_a_parameter_named_only_in_a_comment_is_unused(tmp_path):
    (tmp_path / "q.cypher").write_text("// name: q\n// description: mentions $a\n// param a: int\n"
                                       "// RETURN $a\nRETURN 1;\n", encoding="utf-8")
    with pytest.raises(InputError, match="declares unused a"):
        parse_module(tmp_path / "q.cypher")


BAD = [  # (file text, line named, field named, part of the message)
    ("// name: Bad-Name\n// description: x\nRETURN 1;\n", 1, "name",
     "query names are lower_case_with_underscores, got 'Bad-Name'"),
    ("// name: no_end\n// description: x\nRETURN 1\n", 1, None, "query 'no_end' does not end with ';'"),
    ("// name: no_description\nRETURN 1;\n", 1, "description", "has no '// description:' line"),
    ("// name: empty_description\n// description:\nRETURN 1;\n", 1, "description", "has no '// description:' line"),
    ("// name: typo\n// description: x\n// param a: entity\nRETURN $b;\n", 1, "param", "uses undeclared $b"),
    ("// name: unused\n// description: x\n// param a: int\nRETURN 1;\n", 1, "param", "declares unused a"),
    ("// name: twice\n// description: x\n// param a: int\n// param a: int\nRETURN $a;\n", 1, "param",
     "declares a parameter twice"),
    ("// name: badtype\n// description: x\n// param a: money\nRETURN $a;\n", 3, "param", "unknown type 'money'"),
    ("// name: badparam\n// description: x\n// param 9a: int\nRETURN 1;\n", 3, "param",
     "expected 'param KEY: TYPE [= DEFAULT] [-- help]', got '9a: int'"),
    ("// name: baddefault\n// description: x\n// param a: int = lots\nRETURN $a;\n", 3, "param",
     "default of a: expected an integer, got 'lots'"),
    ("// name: baddate\n// description: x\n// param a: date = 2023-02-30\nRETURN $a;\n", 3, "param",
     "default of a: expected a date"),
    ("// name: semi\n// description: x\n// one; two\nRETURN 1;\n", 3, None, "';' in a comment"),
    ("// name: fine\n// description: x\nRETURN 1;\n\n// name: second\n// description: y\nRETURN 2\n", 5, None,
     "query 'second' does not end with ';'"),
]


@pytest.mark.bad_input
@pytest.mark.parametrize("text, line, field, message", BAD, ids=[b[3].split(":")[0][:40] for b in BAD])
def test_a_malformed_query_file_is_named_with_its_line(tmp_path, text, line, field, message):
    path = tmp_path / "bad.cypher"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_module(path)
    assert (info.value.file, info.value.line, info.value.field) == (str(path), line, field)
    assert message in info.value.reason


# -- the query path ----------------------------------------------------------------------------------
@pytest.fixture
def query_path(tmp_path, monkeypatch):
    """A folder named by DEALGRAPH_QUERY_PATH, after the bundled modules."""
    folder = tmp_path / "queries"
    folder.mkdir()
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", str(folder))
    return folder


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
    ("investor_of", "unknown query 'investor_of': did you mean investors_of, "),
    ("backers_of_bot", "did you mean backers_of_both"),
    ("who_funds_everyone", "unknown query 'who_funds_everyone': `dealgraph queries` lists them"),
])
def test_an_unknown_query_suggests_close_names(name, message):
    with pytest.raises(DealgraphError) as info:
        get_query(name)
    assert message in str(info.value)
