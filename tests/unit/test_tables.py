"""How an answer is printed (graph.tables): cells as text, paths as routes, table/CSV/JSON.

The nodes, relationships and paths are the driver's own classes, built as it builds them
(conftest.GraphValues); nothing here talks to a server.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from neo4j import Record

from graph.tables import display, route, write_answer


@pytest.mark.parametrize("value, text, table_text", [
    (None, "", ""),
    (True, "yes", "yes"),                             # one rule with pictures (graph.values.shown)
    (False, "no", "no"),
    (0, "0", "0"),
    (9999, "9999", "9999"),
    (10000, "10000", "10,000"),                       # amounts read better with separators in a table
    (-342_000_000, "-342000000", "-342,000,000"),
    (2.0, "2", "2"),                                  # a whole float is shown as an integer
    (2.75e9, "2750000000", "2,750,000,000"),
    (2.5, "2.5", "2.5"),
    ("Zhipu AI", "Zhipu AI", "Zhipu AI"),
    (["a.txt", "b.txt"], "a.txt; b.txt", "a.txt; b.txt"),
    ([1, [2, 3]], "1; 2; 3", "1; 2; 3"),
    ((12000, None), "12000; ", "12,000; "),
    ({"name": "Ωmega", "n": 1}, '{"name": "Ωmega", "n": 1}', '{"name": "Ωmega", "n": 1}'),
])
def test_a_plain_value_as_a_cell(value, text, table_text):
    assert display(value) == text
    assert display(value, table=True) == table_text


@pytest.mark.parametrize("props, shown", [
    ({"name": "Zhipu AI", "title": "t", "id": "zhipu-ai"}, "Zhipu AI"),
    ({"title": "An article", "id": "a1.txt"}, "An article"),
    ({"id": "zhipu-ai"}, "zhipu-ai"),
    ({"name": "", "id": "zhipu-ai"}, "zhipu-ai"),
])
def test_a_node_is_shown_by_its_name_else_title_else_id(values, props, shown):
    assert display(values.node("Entity", **props)) == shown


def test_a_node_without_a_name_is_shown_by_its_element_id(values):
    node = values.node("Alias", key="zhipu")
    assert display(node) == node.element_id


def test_a_relationship_is_shown_by_its_type(values):
    a, b = values.node(name="A"), values.node(name="B")
    assert display(values.rel(a, "INVESTED_IN", b, amount=5)) == "INVESTED_IN"
    assert display([values.rel(a, "INVESTED_IN", b), values.rel(b, "COMPETES_WITH", a)]) == \
        "INVESTED_IN; COMPETES_WITH"


def test_a_route_points_each_arrow_the_way_it_is_stored(values):
    huafa, zhipu, moonshot = (values.node("Entity", name=n) for n in ("Huafa Group", "Zhipu AI", "Moonshot AI"))
    path = values.path(huafa, values.rel(huafa, "INVESTED_IN", zhipu), values.rel(moonshot, "COMPETES_WITH", zhipu))
    assert route(path) == "Huafa Group -INVESTED_IN-> Zhipu AI <-COMPETES_WITH- Moonshot AI"
    assert display(path) == route(path)
    assert route(values.path(zhipu)) == "Zhipu AI"  # a path of one node


def _answer(fmt: str, keys, rows) -> str:
    out = io.StringIO()
    write_answer(keys, [Record(zip(keys, row)) for row in rows], fmt, out)
    return out.getvalue()


@pytest.fixture
def answer(values):
    """Two rows with a node, a list of nodes, a path, an amount and a missing value."""
    alibaba, tencent, zhipu = (values.node("Entity", "Company", id=i, name=n) for i, n in
                               (("alibaba", "Alibaba Group"), ("tencent", "Tencent"), ("zhipu-ai", "Zhipu AI")))
    path = values.path(alibaba, values.rel(alibaba, "INVESTED_IN", zhipu, round="r1"))
    keys = ["investor", "with", "path", "amount_usd", "note"]
    return keys, [[alibaba, [tencent, zhipu], path, 342_000_000.0, None], [tencent, [], None, 12, "a, \"quoted\" note"]]


def test_csv_has_the_keys_as_header_and_cells_as_text(answer):
    rows = list(csv.reader(io.StringIO(_answer("csv", *answer))))
    assert rows == [["investor", "with", "path", "amount_usd", "note"],
                    ["Alibaba Group", "Tencent; Zhipu AI", "Alibaba Group -INVESTED_IN-> Zhipu AI", "342000000", ""],
                    ["Tencent", "", "", "12", 'a, "quoted" note']]


def test_json_keeps_nodes_relationships_and_paths_as_objects(answer):
    rows = json.loads(_answer("json", *answer))
    assert [list(row) for row in rows] == [answer[0]] * 2
    first = rows[0]
    assert first["investor"] == {"id": "alibaba", "name": "Alibaba Group", "_labels": ["Company", "Entity"]}
    assert [n["id"] for n in first["with"]] == ["tencent", "zhipu-ai"]
    assert first["path"]["relationships"] == [{"round": "r1", "_type": "INVESTED_IN", "_start": "alibaba",
                                               "_end": "zhipu-ai"}]
    assert [n["id"] for n in first["path"]["nodes"]] == ["alibaba", "zhipu-ai"]
    assert (first["amount_usd"], first["note"], rows[1]["path"]) == (342_000_000, None, None)


def test_json_writes_text_as_it_is():
    out = _answer("json", ["name"], [["علي بابا"]])
    assert "علي بابا" in out and json.loads(out) == [{"name": "علي بابا"}]


def test_a_table_has_a_header_the_cells_and_a_row_count(answer):
    text = _answer("table", *answer)
    assert text.endswith("\n2 rows\n")
    lines = text.splitlines()
    assert all(key in lines[1] for key in answer[0])
    assert "342,000,000" in text and "Tencent; Zhipu AI" in text and "Alibaba Group -INVESTED_IN-> Zhipu AI" in text


@pytest.mark.parametrize("rows, count", [([], "0 rows"), ([["x"]], "1 row"), ([["x"], ["y"], ["z"]], "3 rows")])
def test_the_row_count_agrees_in_number(rows, count):
    assert _answer("table", ["name"], rows).splitlines()[-1] == count


def test_a_table_shows_markup_as_text():
    """Names are data: rich's [bold] markup in a name is printed as typed, not interpreted."""
    text = _answer("table", ["name"], [["[bold red]Evil[/] Corp"]])
    assert "[bold red]Evil[/] Corp" in text


def test_plain_values_for_json_at_any_depth(values):
    from neo4j.time import Date, DateTime

    from graph.queries import plain

    node = values.node("Entity", "Fund", id="f", name="F")
    assert plain({"who": node, "many": [node, {"deep": node}]}) == {
        "who": {"id": "f", "name": "F", "_labels": ["Entity", "Fund"]},
        "many": [{"id": "f", "name": "F", "_labels": ["Entity", "Fund"]},
                 {"deep": {"id": "f", "name": "F", "_labels": ["Entity", "Fund"]}}]}
    unbound = values.rel(None, "INVESTED_IN", None, amount=5)  # a relationship returned without its ends
    assert plain(unbound) == {"amount": 5, "_type": "INVESTED_IN", "_start": None, "_end": None}
    assert plain(Date(2023, 7, 15)) == "2023-07-15"
    assert plain(DateTime(2023, 7, 15, 10, 30)) == DateTime(2023, 7, 15, 10, 30).iso_format()
    assert plain((1, "a", None)) == [1, "a", None]
