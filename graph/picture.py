"""Pictures as data: what a graph page draws, built by pure code (no driver, no HTML, no pyvis).

A `Picture` gathers nodes and relationships (from Neo4j values or anything shaped like them);
`draw()` prunes it, styles and sizes it, writes its plain-text tooltips and returns a `Drawing`:
plain dicts in vis-network's own format, ready for JSON. Two things draw a Drawing, through the
same template (graph/templates/graph.html) and script (graph/static/graph.js): `dealgraph viz`
pages (graph.viz, also as a pyvis Network for notebooks) and the web app's graph view
(graph.web). Keeping this part pure means it is tested directly (tests/unit/test_picture.py) and
the dependence on pyvis stays a thin adapter in graph.viz.

Tooltips are plain text, which vis-network shows as text (never HTML), so a name like
`<img onerror=...>` is shown, not run.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from . import values
from .errors import DealgraphError
from .schema import ENTITY_KINDS
from .style import DEFAULT_REL_COLOUR, KIND_STYLE, REL_COLOURS, community_colour

MAX_NODES = 2500  # beyond this a page is pruned to the strongest edges (and says so)
COINVEST = "CO_INVESTS"  # the edge type of `coinvest` pictures; not stored in the graph
# Facts read both ways are drawn without an arrow.
UNDIRECTED = {"COMPETES_WITH", "PARTNERS_WITH", COINVEST}
# Glyphs for the legend, one per vis-network shape (the colours come from graph.style).
GLYPHS = {"dot": "●", "diamond": "◆", "square": "■", "triangle": "▲", "star": "★",
          "box": "▬", "hexagon": "⬢", "ellipse": "⬬"}
# Properties shown first in tooltips, in this order; the rest follow alphabetically.
_FIRST = ("kind", "country", "city", "aliases", "founded", "state_backed", "description",
          "status", "until", "caveat", "amount_text", "amount_qualifier", "cumulative", "amount_usd",
          "currency", "valuation_text", "valuation_qualifier", "round", "led", "stake", "commitment",
          "date", "date_text", "measure", "reason", "role", "evidence", "note")
_SOURCES = ("sources", "source")


class Picture:
    """Nodes and relationships gathered before they are drawn.

    Nodes are keyed by element id: {"labels", "props"}; edges by element id (or a made-up key):
    {"type", "start", "end", "props", "strength"}. `strength` orders edges when pruning.
    Values are duck-typed like the driver's (a node has element_id, labels and items(); a
    relationship also has type, start_node and end_node; a path has nodes and relationships),
    so this module never imports the driver.
    """

    def __init__(self, title: str):
        self.title, self.notes = title, []
        self.nodes: dict[str, dict] = {}
        self.edges: dict[str, dict] = {}
        self.pinned: set[str] = set()  # nodes pruning must keep (the centre of an ego picture)
        self.pruned = False
        self.invested: dict[str, float] = {}  # USD per node, when not from INVESTED_IN edges (coinvest)
        self.color_by = "kind"  # or "community": the `community` property of graph.analytics

    def add_node(self, node) -> str:
        """A neo4j Node (or anything with element_id, labels and items())."""
        key = node.element_id
        if key not in self.nodes or (not self.nodes[key]["props"] and len(node)):
            self.nodes[key] = {"labels": set(node.labels), "props": dict(node.items())}
        return key

    def add_relationship(self, rel) -> None:
        """A neo4j Relationship; its end nodes are added too (their properties may be missing)."""
        start, end = self.add_node(rel.start_node), self.add_node(rel.end_node)
        props = dict(rel.items())
        self.edges[rel.element_id] = {"type": rel.type, "start": start, "end": end, "props": props,
                                      "strength": number(props.get("amount_usd"))}

    def add_value(self, value) -> bool:
        """Any value of a result row; True if it held a node, relationship or path."""
        if _is_path(value):
            for node in value.nodes:
                self.add_node(node)
            for rel in value.relationships:
                self.add_relationship(rel)
            return True
        if _is_relationship(value):
            self.add_relationship(value)
            return True
        if _is_node(value):
            self.add_node(value)
            return True
        if isinstance(value, (list, tuple)):
            return any([self.add_value(v) for v in value])
        if isinstance(value, dict):
            return any([self.add_value(v) for v in value.values()])
        return False

    def degrees(self) -> dict[str, int]:
        degree = dict.fromkeys(self.nodes, 0)
        for edge in self.edges.values():
            degree[edge["start"]] += 1
            degree[edge["end"]] += 1
        return degree

    def prune(self, max_nodes: int) -> None:
        """Keep at most `max_nodes` nodes: the ends of the strongest edges first.

        Strength is the amount in USD where known (the number of companies for co-investment),
        then the degree of the two ends: the big deals and the hubs survive. Edges among kept
        nodes all stay; nodes that only weak edges reached are dropped, and the page says so.
        """
        total_nodes, total_edges = len(self.nodes), len(self.edges)
        if total_nodes <= max_nodes:
            return
        degree = self.degrees()
        ranked = sorted(self.edges.values(), reverse=True,
                        key=lambda e: (e["strength"], degree[e["start"]] + degree[e["end"]]))
        keep = self.keep_ends(((e["start"], e["end"]) for e in ranked), max_nodes)
        self.nodes = {k: v for k, v in self.nodes.items() if k in keep}
        self.edges = {k: e for k, e in self.edges.items() if e["start"] in keep and e["end"] in keep}
        self.say_pruned(total_nodes, total_edges)

    def say_pruned(self, total_nodes: int, total_edges: int) -> None:
        """Note that only the ends of the strongest relationships are shown (by `prune`, or by a
        reader that chose them in Cypher, graph.viz's ecosystem)."""
        self.notes.append(
            f"Pruned: this graph has {total_nodes:,} nodes and {total_edges:,} relationships, more than "
            f"a page shows readably; showing the {len(self.nodes):,} nodes at the ends of the strongest "
            f"relationships (largest amounts, then best-connected ends) and the {len(self.edges):,} "
            "relationships among them.")
        self.pruned = True

    def keep_ends(self, ranked, max_nodes: int) -> set[str]:
        """The node keys to keep: ends of `ranked` (start, end) pairs, strongest first, pinned
        nodes included, until `max_nodes` (an edge is taken only if both its ends fit)."""
        keep = set(self.pinned)
        for start, end in ranked:
            ends = {start, end} - keep
            if len(keep) + len(ends) <= max_nodes:
                keep |= ends
            if len(keep) >= max_nodes:
                break
        return keep


def _is_node(value) -> bool:
    return hasattr(value, "element_id") and hasattr(value, "labels") and hasattr(value, "items")


def _is_relationship(value) -> bool:
    return hasattr(value, "element_id") and hasattr(value, "start_node") and hasattr(value, "type")


def _is_path(value) -> bool:
    return hasattr(value, "nodes") and hasattr(value, "relationships") and hasattr(value, "start_node")


def number(value) -> float:
    """A property as a number for sizing (0 when it is not a number)."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


# -- from a picture to what vis-network draws ---------------------------------------------------
@dataclass
class Drawing:
    """A picture ready to draw: vis-network node and edge dicts, its options, title and notes."""

    title: str
    nodes: list[dict]
    edges: list[dict]
    options: dict
    notes: list[str] = field(default_factory=list)
    pruned: bool = False
    size_by: str = "degree"

    def legend(self) -> tuple[list[dict], list[dict]]:
        """(kinds, types) for the legend: each with its count, colour and glyph or label."""
        return legend(self.nodes, self.edges)

    def data(self) -> dict:
        """What the page's script reads (as JSON): nodes, edges and options."""
        return {"nodes": self.nodes, "edges": self.edges, "options": self.options}


def check_max_nodes(max_nodes) -> int:
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 2:
        raise DealgraphError(f"max-nodes must be a whole number of at least 2, not {max_nodes!r}")
    return max_nodes


def draw(picture: Picture, max_nodes: int = MAX_NODES, size_by: str = "degree") -> Drawing:
    """The Drawing of a picture: pruned, styled, sized, with text tooltips and settling physics."""
    check_max_nodes(max_nodes)
    if size_by not in ("degree", "money", "pagerank"):
        raise DealgraphError(f"size-by must be 'degree', 'money' or 'pagerank', not {size_by!r}")
    picture.prune(max_nodes)
    if not picture.nodes:
        picture.notes.append("Nothing to draw: no entity or relationship matched.")
    degree = picture.degrees()
    invested = {key: float(picture.invested.get(key, 0.0)) for key in picture.nodes}
    top_rank = max((number(n["props"].get("pagerank")) for n in picture.nodes.values()), default=0.0) or 1.0
    for edge in picture.edges.values():
        if edge["type"] == "INVESTED_IN":
            invested[edge["start"]] += number(edge["props"].get("amount_usd"))

    nodes = []
    for key, node in picture.nodes.items():
        kind = kind_of(node)
        fill, border, shape = KIND_STYLE.get(kind, (DEFAULT_REL_COLOUR, DEFAULT_REL_COLOUR, "ellipse"))
        group = kind
        if picture.color_by == "community":  # colour: community (shape still says the kind)
            community = node["props"].get("community")
            fill = border = community_colour(community)
            group = f"community {community}" if fill != DEFAULT_REL_COLOUR else "smaller communities"
        if size_by == "money":
            size = 10 + 5 * math.log10(1 + invested[key] / 1e6)
        elif size_by == "pagerank":
            size = 10 + 40 * math.sqrt(number(node["props"].get("pagerank")) / top_rank)
        else:
            size = 10 + 5 * math.sqrt(degree[key])
        pinned = key in picture.pinned
        vis = {"id": key, "label": short(name_of(node)), "shape": shape, "title": node_tooltip(node, kind),
               "size": round(min(size, 60) * (1.4 if pinned else 1), 1), "kind": group,
               "borderWidth": 4 if pinned else 2,
               "color": {"background": fill, "border": border,
                         "highlight": {"background": fill, "border": "#222222"},
                         "hover": {"background": fill, "border": "#222222"}}}
        if "Entity" in node["labels"] and isinstance(node["props"].get("id"), str):
            vis["entity_id"] = node["props"]["id"]  # the web app opens its page on a click
        nodes.append(vis)
    edges = []
    for key, edge in picture.edges.items():
        rel_type, usd = edge["type"], number(edge["props"].get("amount_usd"))
        colour = REL_COLOURS.get("INVESTED_IN" if rel_type == COINVEST else rel_type, DEFAULT_REL_COLOUR)
        if rel_type == COINVEST:
            width, label = min(1.5 + 2.5 * (edge["strength"] - 1), 16), str(int(edge["strength"]))
        else:
            width, label = (2 + 1.5 * math.log10(1 + usd / 1e6)) if usd else 1.5, None
        vis = {"from": edge["start"], "to": edge["end"], "id": key, "rel_type": rel_type,
               "width": round(width, 2), "color": colour, "title": edge_tooltip(picture, edge),
               "arrows": "" if rel_type in UNDIRECTED else "to",
               "dashes": bool(edge["props"].get("commitment"))}
        if label:
            vis["label"] = label
        edges.append(vis)
    return Drawing(title=picture.title, nodes=nodes, edges=edges, options=options(len(nodes)),
                   notes=list(picture.notes), pruned=picture.pruned, size_by=size_by)


def legend(nodes: list[dict], edges: list[dict]) -> tuple[list[dict], list[dict]]:
    """The legend of vis node and edge dicts: kinds and relationship types with their counts."""
    kinds: dict[str, int] = {}
    types: dict[str, int] = {}
    colours: dict[str, str] = {}  # a group's colour is its nodes' (a kind's, or a community's)
    for node in nodes:
        kinds[node.get("kind", "Node")] = kinds.get(node.get("kind", "Node"), 0) + 1
        colours.setdefault(node.get("kind", "Node"), (node.get("color") or {}).get("background"))
    for edge in edges:
        types[edge.get("rel_type", "")] = types.get(edge.get("rel_type", ""), 0) + 1
    legend_kinds = [{"kind": k, "count": c, "colour": colours.get(k) or DEFAULT_REL_COLOUR,
                     "glyph": GLYPHS.get(KIND_STYLE.get(k, ("", "", "dot"))[2], "●")}
                    for k, c in sorted(kinds.items(), key=lambda kc: re.sub(r"\d+", lambda m: m[0].zfill(9), kc[0]))]
    legend_types = [{"type": t, "count": c,
                     "label": "co-investment (width: companies in common)" if t == COINVEST else t,
                     "colour": REL_COLOURS.get("INVESTED_IN" if t == COINVEST else t, DEFAULT_REL_COLOUR)}
                    for t, c in sorted(types.items())]
    return legend_kinds, legend_types


def kind_of(node: dict) -> str:
    kind = node["props"].get("kind")
    if kind in ENTITY_KINDS:
        return kind
    labels = node["labels"] - {"Entity"}
    return next((k for k in ENTITY_KINDS if k in labels), min(labels) if labels else "Node")


def name_of(node: dict) -> str:
    props = node["props"]
    for key in ("name", "title", "key", "id"):
        if props.get(key) not in (None, ""):
            return str(props[key])
    return "?"


def short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(value, limit: int = 400) -> str:
    """A property value as short readable text (graph.values.shown, the rule tables use too)."""
    return short(values.shown(value), limit)


def ordered_props(props: dict, skip=()) -> list[tuple[str, object]]:
    """(key, value) pairs worth showing, in reading order: the usual ones first, then any other
    property alphabetically (so properties added later show up without code here), sources last."""
    keys = [k for k in _FIRST if k in props] + sorted(k for k in props if k not in _FIRST + _SOURCES)
    keys += [k for k in _SOURCES if k in props]
    return [(k, props[k]) for k in keys if k not in skip and props[k] not in (None, "", [])]


def props_text(props: dict, skip=()) -> list[str]:
    return [f"{k}: {text(v)}" for k, v in ordered_props(props, skip)]


def plain(lines: list[str]) -> str:
    """A tooltip: plain text that vis-network shows as text.

    pyvis's own template (net.show() in a notebook) switches to an innerHTML popup when a tooltip
    contains "href"; a zero-width space keeps the word readable and that path shut.
    """
    return "\n".join(lines).replace("href", "hre\u200bf")


def node_tooltip(node: dict, kind: str) -> str:
    return plain([f"{name_of(node)} ({kind})"] + props_text(node["props"], skip=("name", "kind")))


def edge_tooltip(picture: Picture, edge: dict) -> str:
    start, end = (name_of(picture.nodes[edge[k]]) for k in ("start", "end"))
    if edge["type"] == COINVEST:
        return plain([f"{start} and {end} back {int(edge['strength'])} of the same companies",
                      "companies: " + text(edge["props"]["companies"], 1000)])
    arrow = " — " if edge["type"] in UNDIRECTED else " → "
    return plain([f"{start}{arrow}{end}", edge["type"]] + props_text(edge["props"]))


def options(n: int) -> dict:
    """vis-network options: physics that settles, then stops; lighter settings for big graphs."""
    big = n > 300
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n <= 150, "randomSeed": 7},
        "nodes": {"font": {"size": 26 if 30 < n <= 300 else 16, "face": "system-ui, sans-serif", "strokeWidth": 4,
                           "strokeColor": "#ffffff"}},
        "edges": {"smooth": False if big else {"type": "continuous"},
                  "arrows": {"to": {"scaleFactor": 0.6}},
                  "font": {"size": 12, "align": "middle", "strokeWidth": 3},
                  "selectionWidth": 2, "hoverWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False},
        "physics": {
            "enabled": True,
            "solver": "barnesHut" if big else "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -150, "centralGravity": 0.012,
                                 "springLength": 130, "springConstant": 0.05, "avoidOverlap": 0.8},
            "barnesHut": {"gravitationalConstant": -20000, "centralGravity": 0.1, "springLength": 80,
                          "springConstant": 0.05, "avoidOverlap": 0.1},
            "minVelocity": 1.5, "maxVelocity": 60,
            "stabilization": {"enabled": True, "iterations": 250 if big else 400,
                              "updateInterval": 25, "fit": True},
        },
    }
