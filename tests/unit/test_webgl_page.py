"""The WebGL page's pure parts: its data, its layout, the JSON that carries names, and the exports'
date and value handling (graph.webgl, graph.exports.gexf)."""
from __future__ import annotations

import json

import numpy as np

from graph.exports import after
from graph.exports.gexf import _uniform, day
from graph.picture import Picture
from graph.webgl import page_data, script_json
from graph.webgl.layout import layout


def test_script_json_cannot_end_its_script_element_or_start_markup():
    name = "</script><script>alert(1)</script>&<!-- \u2028"
    text = script_json({"name": name})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": name}


def test_layout_places_every_node_apart_and_the_same_each_time():
    rng = np.random.default_rng(3)
    sources, targets = rng.integers(0, 300, 900), rng.integers(0, 300, 900)
    x, y = layout(320, sources, targets)  # 20 nodes alone
    assert np.isfinite(x).all() and np.isfinite(y).all()
    assert len({(round(a, 6), round(b, 6)) for a, b in zip(x, y)}) == 320
    x2, y2 = layout(320, sources, targets)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


def test_page_data_holds_every_node_and_edge(values):
    picture = Picture("t")
    a, b, c = (values.node("Entity", "Company", id=i, name=i.upper(), kind="Company", aliases=[i.upper(), "别名" + i])
               for i in ("a", "b", "c"))
    picture.add_relationship(values.rel(a, "INVESTED_IN", b, id="f1", amount_usd=5e6, source="s.txt"))
    picture.add_relationship(values.rel(b, "COMPETES_WITH", c, id="f2"))
    data = page_data(picture, size_by="money")
    assert [n[1] for n in data["nodes"]] == ["A", "B", "C"]
    assert [n[8] for n in data["nodes"]] == [["别名a"], ["别名b"], ["别名c"]]
    assert [(e[0], e[1], data["types"][e[2]]["type"]) for e in data["edges"]] == [
        (0, 1, "INVESTED_IN"), (1, 2, "COMPETES_WITH")]
    assert ["source", "s.txt"] in data["edges"][0][4]
    assert data["nodes"][0][5] > data["nodes"][1][5]  # the investor, sized by money


def test_dates_for_spells_and_as_of():
    assert [day(d) for d in ("2023", "2023-07", "2023-07-15", None, "")] == [
        "2023-01-01", "2023-07-01", "2023-07-15", None, None]
    assert after("2023-07", "2023-06") and not after("2023-06-30", "2023-06") and not after(None, "2023")
    assert after("2024", "2023-12") and not after("2023", "2023-06")


def test_attributes_get_one_type_across_elements():
    convert = _uniform([{"a": 1, "b": "x", "c": [1, 2], "d": True}, {"a": 2.5, "b": 3, "d": None}])
    assert (convert("a", 1), type(convert("a", 1))) == (1.0, float)
    assert convert("b", 3) == "3" and convert("c", [1, 2]) == "1; 2" and convert("d", True) is True
