"""Pictures without a server (graph.viz): gathering nodes and edges, pruning a big graph to its
strongest edges, text tooltips, and the page's escaping of everything that comes from the data.

Kept in one file on purpose: graph.viz is being split into picture-building code and a page
template, and these tests follow the functions (Picture, the Network of a picture, page_html,
write_page) wherever they land.
"""
from __future__ import annotations

import json
import re

import pytest
from neo4j.graph import Node

from graph import picture as pictures
from graph import viz
from graph.errors import DealgraphError

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


def picture_of(edges, nodes=(), pinned=()):
    """A Picture of plain nodes ("a", ...) and edges (start, end, amount_usd or None)."""
    picture = pictures.Picture("test")
    for key in list(nodes) + [end for e in edges for end in e[:2]]:
        picture.nodes.setdefault(key, {"labels": {"Entity", "Company"}, "props": {"name": key, "kind": "Company"}})
    for i, (start, end, usd) in enumerate(edges):
        props = {} if usd is None else {"amount_usd": usd}
        picture.edges[f"e{i}"] = {"type": "INVESTED_IN", "start": start, "end": end, "props": props,
                                  "strength": pictures.number(usd)}
    picture.pinned.update(pinned)
    return picture


def stars(hubs: int, per_hub: int):
    """`hubs` funds, each backing `per_hub` companies of its own; one edge per hub carries money."""
    return [(f"hub{h}", f"co{h}-{c}", h * 1e6 if c == 1 else None)
            for h in range(1, hubs + 1) for c in range(1, per_hub + 1)]


# -- pruning ---------------------------------------------------------------------------------------------
def test_a_picture_within_the_limit_is_left_whole():
    picture = picture_of(stars(3, 4))
    picture.prune(15)
    assert (len(picture.nodes), len(picture.edges), picture.pruned, picture.notes) == (15, 12, False, [])


def test_pruning_keeps_the_ends_of_the_largest_amounts_and_says_so():
    picture = picture_of(stars(3, 4))  # 15 nodes, 12 edges; hub h's one priced edge carries h million
    picture.prune(4)
    assert set(picture.nodes) == {"hub3", "co3-1", "hub2", "co2-1"}
    assert {(e["start"], e["end"]) for e in picture.edges.values()} == {("hub3", "co3-1"), ("hub2", "co2-1")}
    assert picture.pruned
    assert picture.notes == [
        "Pruned: this graph has 15 nodes and 12 relationships, more than a page shows readably; showing the "
        "4 nodes at the ends of the strongest relationships (largest amounts, then best-connected ends) and "
        "the 2 relationships among them."]


def test_without_amounts_the_best_connected_ends_win():
    picture = picture_of([("small", f"s{i}", None) for i in range(2)] + [("big", f"b{i}", None) for i in range(5)])
    picture.prune(3)
    assert "big" in picture.nodes and "small" not in picture.nodes
    assert len(picture.nodes) == 3 and all(e["start"] == "big" for e in picture.edges.values())


def test_an_edge_that_does_not_fit_is_passed_over_for_one_that_does():
    picture = picture_of([("a", "b", 10), ("c", "d", 5), ("a", "e", 1), ("b", "e", None)])
    picture.prune(3)
    assert set(picture.nodes) == {"a", "b", "e"}
    # Every edge among the kept nodes stays, the weak b-e one too.
    assert sorted((e["start"], e["end"]) for e in picture.edges.values()) == [("a", "b"), ("a", "e"), ("b", "e")]


def test_a_pinned_node_survives_pruning():
    picture = picture_of(stars(3, 4), nodes=["centre"], pinned=["centre"])
    picture.prune(3)
    assert set(picture.nodes) == {"centre", "hub3", "co3-1"}


def test_degrees_count_both_ends():
    assert picture_of([("a", "b", 1), ("a", "c", None)], nodes=["alone"]).degrees() == \
        {"a": 2, "b": 1, "c": 1, "alone": 0}


# -- gathering driver values -------------------------------------------------------------------------------
def test_a_relationship_brings_its_end_nodes_and_later_properties_fill_them_in(values):
    alpha, beta = values.node("Entity", "Company", id="alpha", name="Alpha"), values.node("Entity", "Fund", id="beta")
    bare = values.node()  # as a relationship's end node arrives: no labels, no properties
    picture = pictures.Picture("t")
    picture.add_node(alpha)
    picture.add_relationship(values.rel(beta, "INVESTED_IN", alpha, amount_usd=5e6, led=True))
    edge = next(iter(picture.edges.values()))
    assert (edge["type"], edge["start"], edge["end"], edge["strength"]) == \
        ("INVESTED_IN", beta.element_id, alpha.element_id, 5e6)
    assert edge["props"] == {"amount_usd": 5e6, "led": True}
    # A node seen bare first takes the properties of a fuller sighting; never the other way round.
    picture.add_node(bare)
    full = Node(values.graph, bare.element_id, 999, ["Entity"], {"id": "gamma"})
    picture.add_node(full)
    picture.add_node(bare)
    assert picture.nodes[bare.element_id] == {"labels": {"Entity"}, "props": {"id": "gamma"}}


@pytest.mark.parametrize("usd, strength", [(None, 0.0), (True, 0.0), ("5", 0.0), (7, 7.0), (2.5e9, 2.5e9)])
def test_only_a_number_is_a_strength(values, usd, strength):
    a, b = values.node(id="a"), values.node(id="b")
    picture = pictures.Picture("t")
    picture.add_relationship(values.rel(a, "INVESTED_IN", b, **({} if usd is None else {"amount_usd": usd})))
    assert next(iter(picture.edges.values()))["strength"] == strength


def test_values_in_rows_lists_and_maps_are_found(values):
    a, b, c = (values.node("Entity", id=x) for x in "abc")
    picture = pictures.Picture("t")
    assert picture.add_value("a name") is False and picture.add_value(42) is False
    assert picture.add_value(["x", {"deep": [a]}]) is True
    assert picture.add_value(values.path(a, values.rel(a, "COMPETES_WITH", b), values.rel(c, "INVESTED_IN", b)))
    assert picture.add_value({"only": "text", "n": [1, 2]}) is False
    assert {n["props"]["id"] for n in picture.nodes.values()} == {"a", "b", "c"}
    assert sorted(e["type"] for e in picture.edges.values()) == ["COMPETES_WITH", "INVESTED_IN"]


# -- the Network: tooltips as text ---------------------------------------------------------------------------
@pytest.fixture
def hostile_net(values):
    """A Network of two entities whose texts are markup, with a pruning note."""
    evil = values.node("Entity", "Company", id="evil", name=HOSTILE, kind="Company",
                       description="About <b>bold?</b> & <a href=#x>more</a>", aliases=["E1", "E2"],
                       founded="2023", amount_text="1,2 tỷ", sources=["s.txt"])
    fund = values.node("Entity", "Fund", id="fund", name="Fund & Co", kind="Fund")
    picture = pictures.Picture(f"Ego of {HOSTILE}")
    for node in (evil, fund):
        picture.add_node(node)
    picture.add_relationship(values.rel(fund, "INVESTED_IN", evil, note=HOSTILE, amount_usd=12_500_000.0,
                                        commitment=True, source="s.txt"))
    picture.notes.append(f"Note: {HOSTILE}")
    return viz.network(pictures.draw(picture, max_nodes=100, size_by="degree"))


def test_tooltips_are_plain_text_in_a_fixed_order(hostile_net):
    evil = next(n for n in hostile_net.nodes if n["label"].startswith("</script>"))
    lines = evil["title"].split("\n")
    assert lines[0] == f"{HOSTILE} (Company)"
    assert lines[1:] == ["aliases: E1; E2", "founded: 2023", "description: About <b>bold?</b> & <a hre\u200bf=#x>more</a>",
                         "amount_text: 1,2 tỷ", "id: evil", "sources: s.txt"]
    assert "href" not in evil["title"]  # pyvis's own template would switch to an innerHTML popup
    assert evil["label"] == HOSTILE[:31] + "…"  # labels are cut, tooltips keep the whole name
    edge = hostile_net.edges[0]
    assert edge["title"].split("\n")[:3] == ["Fund & Co → " + HOSTILE, "INVESTED_IN", "amount_usd: 12,500,000"]
    assert (edge["dashes"], edge["arrows"]) == (True, "to")


def test_the_page_escapes_every_text_from_the_data(hostile_net):
    html = viz.page_html(hostile_net)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html  # the title and the note, as text
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S)[1]
    assert "<" not in data and ">" not in data
    parsed = json.loads(data)  # the data, escaped for the page, is still exactly the data
    assert {n["label"] for n in parsed["nodes"]} == {HOSTILE[:31] + "…", "Fund & Co"}
    assert HOSTILE in parsed["edges"][0]["title"]


def test_the_page_loads_nothing_from_the_network(hostile_net):
    html = viz.page_html(hostile_net)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "vis.Network" in html or "new vis" in html  # vis-network is inlined


def test_a_page_is_written_whole_or_not_at_all(hostile_net, tmp_path):
    path = viz.write_page(hostile_net, tmp_path / "sub" / "page.html")
    assert path.read_text(encoding="utf-8") == viz.page_html(hostile_net)
    assert [p.name for p in path.parent.iterdir()] == ["page.html"]  # no temporary file left
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DealgraphError, match=f"^cannot write {re.escape(str(blocker / 'page.html'))}: "):
        viz.write_page(hostile_net, blocker / "page.html")


@pytest.mark.bad_input
@pytest.mark.parametrize("max_nodes, size_by, message", [
    (1, "degree", "max-nodes must be a whole number of at least 2, not 1"),
    ("10", "degree", "max-nodes must be a whole number of at least 2, not '10'"),
    (10, "size", "size-by must be 'degree', 'money' or 'pagerank', not 'size'"),
])
def test_bad_picture_options_are_refused(max_nodes, size_by, message):
    with pytest.raises(DealgraphError, match=f"^{re.escape(message)}$"):
        viz.network(pictures.draw(picture_of([("a", "b", 1)]), max_nodes=max_nodes, size_by=size_by))


def test_nodes_are_sized_by_degree_or_by_money():
    edges = [("fund", "a", 1e9), ("fund", "b", None), ("angel", "a", 1e6)]
    by_degree = {n["id"]: n["size"] for n in viz.network(pictures.draw(picture_of(edges), 100, "degree")).nodes}
    assert by_degree["fund"] == by_degree["a"] > by_degree["b"] == by_degree["angel"]  # 2 edges, 1 edge
    by_money = {n["id"]: n["size"] for n in viz.network(pictures.draw(picture_of(edges), 100, "money")).nodes}
    assert by_money["fund"] > by_money["angel"] > by_money["a"] == by_money["b"] == 10  # money invested


def test_an_empty_picture_says_there_is_nothing_to_draw():
    net = viz.network(pictures.draw(pictures.Picture("Ecosystem (countries ZZ)"), 100, "degree"))
    assert net.dealgraph["notes"] == ["Nothing to draw: no entity or relationship matched."]
    assert "Nothing to draw" in viz.page_html(net)
