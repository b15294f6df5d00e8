"""The picture as data (graph.picture) and the page it becomes (graph.viz.drawing_html): pure code.

Nodes and relationships here are small stand-ins shaped like the driver's (element_id, labels,
items(); type, start_node, end_node), which is all graph.picture relies on.
"""
from __future__ import annotations

import json
import re

import pytest

from graph.errors import DealgraphError
from graph.picture import COINVEST, Picture, draw, legend, ordered_props

XSS = "<img src=x onerror=alert(1)>"
CLOSE = "</script><script>alert(2)</script>"


class Node:
    def __init__(self, key, labels, **props):
        self.element_id, self.labels, self._props = key, set(labels), props

    def items(self):
        return self._props.items()

    def __len__(self):
        return len(self._props)


class Rel:
    def __init__(self, key, type_, start, end, **props):
        self.element_id, self.type, self.start_node, self.end_node, self._props = key, type_, start, end, props

    def items(self):
        return self._props.items()


class Path:
    def __init__(self, nodes, relationships):
        self.nodes, self.relationships = nodes, relationships
        self.start_node = nodes[0]


def entity(key, kind, name, **props):
    return Node(key, {"Entity", kind}, id=key, kind=kind, name=name, **props)


FUND = entity("fund", "Fund", "Fund One", country="VN", sources=["a.txt"])
ALPHA = entity("alpha", "Company", "Alpha AI")
HOSTILE = entity("xss", "Company", XSS, description=CLOSE)


def small_picture() -> Picture:
    picture = Picture("Small")
    picture.add_relationship(Rel("r1", "INVESTED_IN", FUND, ALPHA, amount_usd=50_000_000, source="a.txt",
                                 evidence="Fund One rót 50 triệu USD", status="former"))
    picture.add_relationship(Rel("r2", "COMPETES_WITH", ALPHA, HOSTILE))
    return picture


def test_values_of_any_shape_are_gathered():
    picture = Picture("t")
    assert picture.add_value([{"x": FUND}, 3]) is True
    assert picture.add_value(Path([FUND, ALPHA], [Rel("r", "INVESTED_IN", FUND, ALPHA)])) is True
    assert picture.add_value({"name": "text", "n": 1}) is False
    assert set(picture.nodes) == {"fund", "alpha"} and set(picture.edges) == {"r"}
    # a relationship's bare end (no properties) is filled in when the node itself comes along
    bare = Node("alpha", set())
    other = Picture("t")
    other.add_relationship(Rel("r", "INVESTED_IN", FUND, bare))
    assert other.nodes["alpha"]["props"] == {}
    other.add_node(ALPHA)
    assert other.nodes["alpha"]["props"]["name"] == "Alpha AI"


def test_draw_styles_sizes_and_links_entities():
    drawing = draw(small_picture())
    nodes = {n["id"]: n for n in drawing.nodes}
    assert nodes["fund"]["shape"] == "diamond" and nodes["alpha"]["shape"] == "dot"
    assert nodes["alpha"]["size"] > nodes["fund"]["size"]  # two relationships against one
    assert {n["entity_id"] for n in drawing.nodes} == {"fund", "alpha", "xss"}
    edges = {e["id"]: e for e in drawing.edges}
    assert (edges["r1"]["from"], edges["r1"]["to"], edges["r1"]["arrows"]) == ("fund", "alpha", "to")
    assert edges["r2"]["arrows"] == ""  # rivals: no arrow
    assert edges["r1"]["width"] > edges["r2"]["width"]  # money makes it wider
    kinds, types = drawing.legend()
    assert [(k["kind"], k["count"]) for k in kinds] == [("Company", 2), ("Fund", 1)]
    assert [(t["type"], t["count"]) for t in types] == [("COMPETES_WITH", 1), ("INVESTED_IN", 1)]


def test_tooltips_are_text_with_every_property_sources_last():
    drawing = draw(small_picture())
    fund = next(n for n in drawing.nodes if n["id"] == "fund")["title"].splitlines()
    assert fund[0] == "Fund One (Fund)" and fund[-1] == "sources: a.txt"
    edge = next(e for e in drawing.edges if e["id"] == "r1")["title"].splitlines()
    # what a reader must see first: whether the fact has ended (status), then the money, the words
    assert edge[:4] == ["Fund One → Alpha AI", "INVESTED_IN", "status: former", "amount_usd: 50,000,000"]
    assert edge.index("evidence: Fund One rót 50 triệu USD") > edge.index("amount_usd: 50,000,000")
    assert edge[-1] == "source: a.txt"
    hostile = next(n for n in drawing.nodes if n["id"] == "xss")
    assert hostile["title"].startswith(f"{XSS} (Company)")  # as text: the page shows it as text
    assert [k for k, _ in ordered_props({"z": 1, "source": "s", "amount_usd": 2, "note": None})] == \
        ["amount_usd", "z", "source"]


def test_pruning_keeps_the_strongest_and_the_pinned():
    picture = Picture("big")
    hub = entity("hub", "Fund", "Hub")
    for i in range(10):
        picture.add_relationship(Rel(f"r{i}", "INVESTED_IN", hub, entity(f"c{i}", "Company", f"C{i}"),
                                     amount_usd=i * 1e6))
    picture.add_node(entity("centre", "Company", "Centre"))
    picture.pinned.add("centre")
    drawing = draw(picture, max_nodes=4)
    assert {n["id"] for n in drawing.nodes} == {"centre", "hub", "c9", "c8"}
    assert {e["id"] for e in drawing.edges} == {"r9", "r8"}
    assert drawing.pruned and "Pruned" in drawing.notes[0] and "12 nodes" in drawing.notes[0]
    with pytest.raises(DealgraphError, match="max-nodes"):
        draw(Picture("x"), max_nodes=1)
    with pytest.raises(DealgraphError, match="size-by"):
        draw(Picture("x"), size_by="colour")
    assert draw(Picture("empty")).notes == ["Nothing to draw: no entity or relationship matched."]


def test_coinvest_edges_in_the_legend():
    kinds, types = legend([{"kind": "Fund"}], [{"rel_type": COINVEST}])
    assert types[0]["label"].startswith("co-investment")


def test_page_escapes_every_text_and_loads_nothing(tmp_path):
    from graph.viz import drawing_html

    drawing = draw(small_picture())
    drawing.title = f"Title {XSS}"
    drawing.notes.append(f"note {CLOSE}")
    html = drawing_html(drawing)
    assert XSS not in html and CLOSE not in html  # never raw: escaped in HTML, \u003c in the JSON
    assert "Title &lt;img src=x onerror=alert(1)&gt;" in html and "note &lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    parsed = json.loads(data)
    assert {n["label"] for n in parsed["nodes"]} == {XSS, "Fund One", "Alpha AI"}
    assert any(CLOSE in n["title"] for n in parsed["nodes"])  # the data is intact once parsed
    assert '<div id="graph">' in html  # a file on disk links nowhere (no data-entity-href)
