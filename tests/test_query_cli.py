"""The query runner and `dealgraph queries` / `dealgraph query`: errors, formats, Browser, read-only.

Answers to the questions themselves are checked in test_queries.py; here the seed graph is only
something real to run against.
"""
from __future__ import annotations

import json
import re

import pytest

from helpers import ROOT, assert_one_line_error, fingerprint

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
def analysed_seed(seed_graph):
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
def test_json_is_an_array_of_row_objects(cli, analysed_seed, name):
    result = cli("query", name, *EXAMPLES[name], "--format", "json")
    assert result.code == 0, result
    rows = json.loads(result.out)
    assert isinstance(rows, list) and rows, f"{name} answered nothing on the seed"
    leaked = [text for text in _strings(rows) if text.startswith(("<Node", "<Relationship", "<Path", "<neo4j"))]
    assert leaked == [], f"driver objects printed as their repr, not as plain JSON: {leaked[:3]}"


def _strings(value):
    """Every string in a JSON value, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_json_renders_nodes_as_properties_and_labels(cli, seed_graph):
    rows = json.loads(cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "-f", "json").out)
    investor = rows[0]["investor"]
    assert investor["_labels"] == ["Company", "Entity"]
    assert investor["id"] == "alibaba" and "Alibaba" in investor["aliases"]
    path = json.loads(cli("query", "shortest_path", "-p", "a=Tập đoàn Huafa", "-p", "b=Moonshot", "-f", "json").out)[0]["path"]
    assert [n["id"] for n in path["nodes"]][0] == "huafa-group"
    assert {r["_type"] for r in path["relationships"]} <= {"INVESTED_IN", "COMPETES_WITH"}


def test_table_and_csv(cli, seed_graph):
    table = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan")
    assert table.code == 0, table
    assert "Alibaba Group" in table.out and "Tencent" in table.out and "2 rows" in table.out
    csv_out = cli("query", "backers_of_both", "-p", "a=Zhipu", "-p", "b=Baichuan", "--format", "csv")
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_out.out)))
    assert sorted(r["investor"] for r in rows) == ["Alibaba Group", "Tencent"]
    assert {r["kind"] for r in rows} == {"Company"}


def test_browser_script_runs_unchanged_through_the_driver(cli, analysed_seed):
    """The printed `:param` lines, evaluated by the server as Browser does, then the query text."""
    for name, args in [("backers_of_both", ["-p", "a=Zhipu", "-p", "b=بايتشوان"]),
                       ("investors_of", ["-p", "company=Zhipu", "-p", "as_of=2023-06"]),
                       ("coinvestor_pairs", ["-p", "min_shared=1", "-p", "limit=3"])]:
        script = cli("query", name, *args, "--browser")
        assert script.code == 0, script
        params, body = {}, []
        for line in script.out.splitlines():
            match = re.match(r"^:param \[\{[\w, ]+\}\] => \{ (RETURN .*) \}$", line)
            if match:  # Browser runs the RETURN and sets each column as a parameter
                params.update(analysed_seed.read(match[1])[0])
            else:
                body.append(line)
        text = "\n".join(body).strip()
        assert text.endswith(";") and text.count(";") == 1
        from_browser = analysed_seed.read(text[:-1], params)
        from_cli = json.loads(cli("query", name, *args, "-f", "json").out)
        assert len(from_browser) == len(from_cli) > 0
        first = next(iter(from_cli[0]))
        names = lambda v: v["name"] if isinstance(v, dict) else v  # noqa: E731
        assert [names(r[first]) for r in from_browser] == [names(r[first]) for r in from_cli]


def test_as_of_browser_param_is_a_date_string(cli, seed_graph):
    out = cli("query", "investors_of", "-p", "company=Zhipu", "-p", "as_of=2023-06", "--browser").out
    assert ":param [{company, as_of}] => { RETURN 'zhipu-ai' AS `company`, '2023-06' AS `as_of` }" in out


WRITER = """// name: sneaky_write
// description: tries to write
// param name: string
CREATE (n:Entity {id: 'written-by-a-query', name: $name}) RETURN n;
"""


@pytest.mark.bad_input
def test_a_query_that_writes_is_refused_by_the_server(cli, seed_graph, tmp_path):
    (tmp_path / "sneaky.cypher").write_text(WRITER, encoding="utf-8")
    before = fingerprint(seed_graph)
    result = cli("query", "sneaky_write", "-p", "name=x", env={"DEALGRAPH_QUERY_PATH": str(tmp_path)})
    assert_one_line_error(result, "Neo4j said", "AccessMode")  # the server's refusal, not ours
    from graph.errors import DealgraphError
    from graph.queries import parse_module, run_spec

    with pytest.raises(DealgraphError, match="AccessMode"):
        run_spec(seed_graph, parse_module(tmp_path / "sneaky.cypher")[0], {"name": "x"})
    assert fingerprint(seed_graph) == before


@pytest.mark.bad_input
def test_a_malformed_query_file_is_one_line_naming_its_line(cli, tmp_path):
    """The header checks themselves are tests/unit/test_query_modules.py's; here the CLI prints one."""
    (tmp_path / "bad.cypher").write_text("// name: typo\n// description: x\n// param a: money\nRETURN $a;\n",
                                         encoding="utf-8")
    result = cli("queries", env={"DEALGRAPH_QUERY_PATH": str(tmp_path)})
    assert_one_line_error(result, f"Error: {tmp_path / 'bad.cypher'}:3: param: unknown type 'money'")


def test_python_api(seed_graph):
    import graph

    specs = graph.list_queries()
    spec = next(s for s in specs if s.name == "backers_of_both")
    assert spec.module == "coinvestment" and [p.name for p in spec.params] == ["a", "b", "as_of"]
    assert [p.required for p in spec.params] == [True, True, False]
    df = graph.run_query("backers_of_both", conn=seed_graph, a="Zhipu", b="Baichuan")
    assert list(df.columns) == ["investor", "kind", "sources"]
    assert sorted(d["name"] for d in df["investor"]) == ["Alibaba Group", "Tencent"]
    df = graph.run_query("coinvestor_pairs", conn=seed_graph, min_shared=2, limit=1)
    assert len(df) == 1
    from graph.errors import DealgraphError

    with pytest.raises(DealgraphError, match="min_shared: expected an integer"):
        graph.run_query("coinvestor_pairs", conn=seed_graph, min_shared=True)


def test_run_records_keeps_driver_objects(seed_graph):
    from neo4j.graph import Node, Path as NeoPath

    from graph.queries import run_records

    keys, records = run_records(seed_graph, "shortest_path", a="Huafa Group", b="Moonshot")
    assert keys[0] == "path" and isinstance(records[0]["path"], NeoPath)
    keys, records = run_records(seed_graph, "portfolio", investor="Nvidia")
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
