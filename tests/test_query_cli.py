"""The query runner and `dealgraph queries` / `dealgraph query`: errors, formats, Browser, read-only.

Answers to the questions themselves are checked in test_queries.py; here the seed graph is only
something real to run against.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, assert_one_line_error, fingerprint

# One real set of parameters per named query: a query without an entry here fails
# test_every_query_has_an_example, so every query is run and its JSON checked.
EXAMPLES = {
    "investors_of": ["-p", "company=Zhipu"],
    "portfolio": ["-p", "investor=NVIDIA"],
    "coinvestors": ["-p", "investor=علي بابا"],
    "backers_of_both": ["-p", "a=Zhipu", "-p", "b=Baichuan"],
    "coinvestor_pairs": ["-p", "min_shared=1"],
    "syndicates": [],
    "rivals": ["-p", "company=Dipsic"],
    "rivals_sharing_investor": [],
    "shortest_path": ["-p", "a=Tập đoàn Huafa", "-p", "b=Moonshot"],
    "state_capital": [],
    "sanction_exposure": ["-p", "as_of=2025"],
    "top_investors": ["-p", "limit=5"],
    "cross_border": [],
    "models": ["-p", "company=Alibaba"],
    "article_claims": ["-p", "article=003"],
    "caveats": ["-p", "source=004"],
    "conflicting_claims": [],
    "missing_amount_or_date": ["-p", "type=invested_in"],
    "central_investors": ["-p", "by=betweenness", "-p", "limit=3"],
    "communities": [],
    "community_of": ["-p", "entity=Tencent"],
    "funding_history": ["-p", "company=Zhipu", "-p", "as_of=2023"],
}


@pytest.fixture(scope="module")
def seeded(seed_graph):
    from graph.analytics import analyze

    analyze(seed_graph, show_progress=False)  # the scores the analytics queries read
    return seed_graph


def test_every_query_has_an_example():
    from graph.queries import list_queries

    assert sorted(EXAMPLES) == sorted(q.name for q in list_queries())


def test_queries_lists_names_descriptions_and_parameters(cli):
    result = cli("queries")
    assert result.code == 0, result
    for name in EXAMPLES:
        assert re.search(rf"^  {name}\s+\S", result.out, re.M), name
    assert "-p a=ENTITY -p b=ENTITY [-p as_of=DATE]" in result.out
    assert "[-p min_shared=INT, default 2]" in result.out
    one = cli("queries", "backers_of_both")
    assert one.code == 0 and "MATCH" in one.out and "$a" in one.out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_json_is_an_array_of_row_objects(cli, seeded, name):
    result = cli("query", name, *EXAMPLES[name], "--format", "json")
    assert result.code == 0, result
    rows = json.loads(result.out)
    assert isinstance(rows, list) and rows, f"{name} answered nothing on the seed"
    assert all(isinstance(row, dict) for row in rows)
    keys = {tuple(row) for row in rows}
    assert len(keys) == 1  # every row has the same columns


def test_json_renders_nodes_as_properties_and_labels(cli, seeded):
    rows = json.loads(cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "-f", "json").out)
    investor = rows[0]["investor"]
    assert investor["_labels"] == ["Company", "Entity"]
    assert investor["id"] == "alibaba" and "Alibaba" in investor["aliases"]
    path = json.loads(cli("query", "shortest_path", "-p", "a=Tập đoàn Huafa", "-p", "b=Moonshot", "-f", "json").out)[0]["path"]
    assert [n["id"] for n in path["nodes"]][0] == "huafa-group"
    assert {r["_type"] for r in path["relationships"]} <= {"INVESTED_IN", "COMPETES_WITH"}


def test_table_and_csv(cli, seeded):
    table = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan")
    assert table.code == 0, table
    assert "Alibaba Group" in table.out and "Tencent" in table.out and "2 rows" in table.out
    csv_out = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--format", "csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_out.out)))
    assert sorted(r["investor"] for r in rows) == ["Alibaba Group", "Tencent"]
    assert {r["kind"] for r in rows} == {"Company"}


@pytest.mark.parametrize("args, needles", [
    (["query", "backers_of_bot"], ["unknown query 'backers_of_bot'", "backers_of_both"]),
    (["query", "backers_of_both", "-p", "a=Zhipu"], ["needs parameter b"]),
    (["query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "-p", "c=1"], ["no parameter c"]),
    (["query", "coinvestor_pairs", "-p", "min_shared=two"], ["min_shared", "integer", "'two'"]),
    (["query", "investors_of", "-p", "company=Zhipu", "-p", "as_of=2023-02-30"], ["as_of", "date"]),
    (["query", "investors_of", "-p", "company=Zhipu", "-p", "as_of=last year"], ["as_of", "date"]),
    (["query", "missing_amount_or_date", "-p", "type=LOVES"], ["type", "INVESTED_IN", "'LOVES'"]),
    (["query", "investors_of", "-p", "company"], ["expected KEY=VALUE"]),
    (["query", "investors_of", "-p", "company=Zhipu", "-p", "company=Baichuan"], ["given twice"]),
    (["query", "investors_of", "-p", "company=Zhpu"], ["no entity is named 'Zhpu'", "Zhipu AI"]),
    (["query", "models", "-p", "company=Ernie"], ["ambiguous", "ernie-4-5", "ernie-x1"]),
    (["query", "article_claims", "-p", "article=999"], ["unknown article '999'"]),
    (["query", "backers_of_both", "-p", "a=Zhpu", "-p", "b=Baichuan", "--browser"], ["no entity is named"]),
])
def test_bad_input_is_one_clear_line(cli, seeded, tally, args, needles):
    assert_one_line_error(cli(*args), *needles)
    tally("bad inputs tried")


def test_browser_script_runs_unchanged_through_the_driver(cli, seeded):
    """The printed `:param` command, evaluated by the server as Browser does, then the query text."""
    for name, args in [("backers_of_both", ["-p", "a=Zhipu", "-p", "b=بايتشوان"]),
                       ("investors_of", ["-p", "company=Zhipu", "-p", "as_of=2023-06"]),
                       ("coinvestor_pairs", ["-p", "min_shared=1", "-p", "limit=3"])]:
        script = cli("query", name, *args, "--browser")
        assert script.code == 0, script
        params, body = {}, []
        for line in script.out.splitlines():
            match = re.match(r"^:param \[\{[\w, ]+\}\] => \{ (RETURN .*) \}$", line)
            if match:  # Browser runs the RETURN and sets each column as a parameter
                params.update(seeded.read(match[1])[0])
            else:
                body.append(line)
        text = "\n".join(body).strip()
        assert text.endswith(";") and text.count(";") == 1
        from_browser = seeded.read(text[:-1], params)
        from_cli = json.loads(cli("query", name, *args, "-f", "json").out)
        assert len(from_browser) == len(from_cli) > 0
        first = next(iter(from_cli[0]))
        names = lambda v: v["name"] if isinstance(v, dict) else v  # noqa: E731
        assert [names(r[first]) for r in from_browser] == [names(r[first]) for r in from_cli]


def test_as_of_browser_param_is_a_date_string(cli, seeded):
    out = cli("query", "investors_of", "-p", "company=Zhipu", "-p", "as_of=2023-06", "--browser").out
    assert ":param [{company, as_of}] => { RETURN 'zhipu-ai' AS `company`, '2023-06' AS `as_of` }" in out


WRITER = """// name: sneaky_write
// description: tries to write
// param name: string
CREATE (n:Entity {id: 'written-by-a-query', name: $name}) RETURN n;
"""


def test_a_query_that_writes_is_refused_by_the_server(cli, seeded, tmp_path, tally):
    (tmp_path / "sneaky.cypher").write_text(WRITER, encoding="utf-8")
    before = fingerprint(seeded)
    result = cli("query", "sneaky_write", "-p", "name=x", env={"DEALGRAPH_QUERY_PATH": str(tmp_path)})
    assert_one_line_error(result, "Neo4j said", "AccessMode")  # the server's refusal, not ours
    from graph.errors import DealgraphError
    from graph.queries import parse_module, run_spec

    with pytest.raises(DealgraphError, match="AccessMode"):
        run_spec(seeded, parse_module(tmp_path / "sneaky.cypher")[0], {"name": "x"})
    assert fingerprint(seeded) == before
    tally("bad inputs tried", 2)


@pytest.mark.parametrize("text, needles", [
    ("// name: Bad-Name\n// description: x\nRETURN 1;\n", ["bad.cypher:1:", "name"]),
    ("// name: no_end\n// description: x\nRETURN 1\n", ["does not end with ';'"]),
    ("// name: no_description\nRETURN 1;\n", ["no '// description:' line"]),
    ("// name: typo\n// description: x\n// param a: entity\nRETURN $b;\n", ["undeclared $b"]),
    ("// name: unused\n// description: x\n// param a: int\nRETURN 1;\n", ["unused a"]),
    ("// name: badtype\n// description: x\n// param a: money\nRETURN $a;\n", ["bad.cypher:3:", "unknown type 'money'"]),
    ("// name: baddefault\n// description: x\n// param a: int = lots\nRETURN $a;\n", ["default of a"]),
    ("// name: backers_of_both\n// description: x\nRETURN 1;\n", ["already defined"]),
    ("// name: semi\n// description: x\n// one; two\nRETURN 1;\n", ["bad.cypher:3:", "';' in a comment"]),
])
def test_a_malformed_query_file_is_named_with_its_line(cli, tmp_path, tally, text, needles):
    (tmp_path / "bad.cypher").write_text(text, encoding="utf-8")
    assert_one_line_error(cli("queries", env={"DEALGRAPH_QUERY_PATH": str(tmp_path)}), *needles)
    tally("bad inputs tried")


def test_python_api(seeded):
    import graph

    specs = graph.list_queries()
    spec = next(s for s in specs if s.name == "backers_of_both")
    assert spec.module == "coinvestment" and [p.name for p in spec.params] == ["a", "b", "as_of"]
    assert [p.required for p in spec.params] == [True, True, False]
    df = graph.run_query("backers_of_both", conn=seeded, a="Zhipu", b="Baichuan")
    assert list(df.columns) == ["investor", "kind", "sources"]
    assert sorted(d["name"] for d in df["investor"]) == ["Alibaba Group", "Tencent"]
    df = graph.run_query("coinvestor_pairs", conn=seeded, min_shared=2, limit=1)
    assert len(df) == 1
    from graph.errors import DealgraphError

    with pytest.raises(DealgraphError, match="min_shared: expected an integer"):
        graph.run_query("coinvestor_pairs", conn=seeded, min_shared=True)


def test_run_records_keeps_driver_objects(seeded):
    from neo4j.graph import Node, Path as NeoPath

    from graph.queries import run_records

    keys, records = run_records(seeded, "shortest_path", a="Huafa Group", b="Moonshot")
    assert keys[0] == "path" and isinstance(records[0]["path"], NeoPath)
    keys, records = run_records(seeded, "portfolio", investor="Nvidia")
    assert all(isinstance(r["company"], Node) for r in records)


def test_grass_colours_match_the_html_palette():
    from graph.style import KIND_STYLE, REL_COLOURS

    text = (ROOT / "cypher" / "dealgraph.grass").read_text(encoding="utf-8")
    rules = {m[1]: dict(re.findall(r"([\w-]+):\s*([^;]+);", m[2]))
             for m in re.finditer(r"([\w.]+)\s*\{([^}]*)\}", text)}
    for kind, (fill, border, _shape) in KIND_STYLE.items():
        assert rules[f"node.{kind}"]["color"].upper() == fill.upper(), kind
        assert rules[f"node.{kind}"]["border-color"].upper() == border.upper(), kind
    for rel, colour in REL_COLOURS.items():
        assert rules[f"relationship.{rel}"]["color"].upper() == colour.upper(), rel


def test_readme_questions_show_their_real_output(cli, seeded):
    """The console examples under "Questions you can ask" are what the CLI prints today."""
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Questions you can ask", 1)[1].split("\n## ", 1)[0]
    block = section.split("```console\n", 1)[1].split("```", 1)[0]
    examples = re.findall(r"^\$ (dealgraph .+)\n((?:(?!\$ ).*\n)*)", block, re.M)
    assert len(examples) >= 3
    for command, shown in examples:
        result = cli(*shlex.split(command)[1:])
        assert result.code == 0, result
        assert result.out.strip() == shown.strip(), command
