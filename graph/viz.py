"""Pictures: graph answers as interactive pyvis pages that work offline.

Each builder reads Neo4j in read transactions and returns a `pyvis.network.Network`, so a
notebook can show or tweak it; `write_page` turns one into a standalone HTML file:

    net = ecosystem(conn, countries=["VN"])        # the whole graph, filtered
    net = ego(conn, "Zhipu", depth=2)               # an entity's neighbourhood, by any alias
    net = from_query(conn, "backers_of_both", a="Zhipu", b="Baichuan")   # a named query
    net = coinvest(conn, min_shared=2)              # investors joined by companies backed together
    write_page(net, "out/zhipu.html")

The page is ours, not pyvis's template: that one loads Bootstrap from a CDN, puts the heading in
unescaped, and swaps vis-network's text tooltips for an innerHTML popup as soon as any tooltip
contains "href". Here the vis-network script and CSS that pyvis ships are inlined (no network
requests), every text from the data is escaped (HTML by Jinja's autoescape, the graph data as JSON
that cannot close its <script>), and tooltips are plain text, which vis-network shows as text.
"""
from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from .errors import DealgraphError
from .schema import ENTITY_KINDS, FACT_TYPES, check_label, check_type
from .style import DEFAULT_REL_COLOUR, KIND_STYLE, REL_COLOURS, community_colour

MAX_NODES = 2500  # beyond this a page is pruned to the strongest edges (and says so)
MAX_DEPTH = 4
COINVEST = "CO_INVESTS"  # the edge type of `coinvest` pictures; not stored in the graph
# Facts read both ways are drawn without an arrow.
UNDIRECTED = {"COMPETES_WITH", "PARTNERS_WITH", COINVEST}
# Glyphs for the legend, one per pyvis shape (the colours come from graph.style).
_GLYPHS = {"dot": "●", "diamond": "◆", "square": "■", "triangle": "▲", "star": "★",
           "box": "▬", "hexagon": "⬢", "ellipse": "⬬"}
# Properties shown first in tooltips, in this order; the rest follow alphabetically.
_FIRST = ("kind", "country", "city", "aliases", "founded", "state_backed", "description",
          "status", "until", "caveat", "amount_text", "amount_qualifier", "cumulative", "amount_usd",
          "currency", "valuation_text", "valuation_qualifier", "round", "led", "stake", "commitment",
          "date", "date_text", "measure", "reason", "role", "evidence", "note")
_SOURCES = ("sources", "source")


# -- reading the graph ------------------------------------------------------------------------
class Picture:
    """Nodes and relationships gathered from Neo4j before they become a pyvis Network.

    Nodes are keyed by element id: {"labels", "props"}; edges by element id (or a made-up key):
    {"type", "start", "end", "props", "strength"}. `strength` orders edges when pruning.
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
                                      "strength": _number(props.get("amount_usd"))}

    def add_value(self, value) -> bool:
        """Any value of a result row; True if it held a node, relationship or path."""
        from neo4j.graph import Node, Path, Relationship

        if isinstance(value, Node):
            self.add_node(value)
            return True
        if isinstance(value, Relationship):
            self.add_relationship(value)
            return True
        if isinstance(value, Path):
            for node in value.nodes:
                self.add_node(node)
            for rel in value.relationships:
                self.add_relationship(rel)
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
        keep = set(self.pinned)
        for edge in ranked:
            ends = {edge["start"], edge["end"]} - keep
            if len(keep) + len(ends) <= max_nodes:
                keep |= ends
            if len(keep) >= max_nodes:
                break
        self.nodes = {k: v for k, v in self.nodes.items() if k in keep}
        self.edges = {k: e for k, e in self.edges.items() if e["start"] in keep and e["end"] in keep}
        self.notes.append(
            f"Pruned: this graph has {total_nodes:,} nodes and {total_edges:,} relationships, more than "
            f"a page shows readably; showing the {len(self.nodes):,} nodes at the ends of the strongest "
            f"relationships (largest amounts, then best-connected ends) and the {len(self.edges):,} "
            "relationships among them.")
        self.pruned = True


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _kinds(kinds) -> list[str] | None:
    """Kinds from user input, checked against the schema (None: every kind)."""
    return [check_label(k) for k in kinds or () if k] or None


def _rel_types(rel_types) -> list[str]:
    """Relationship types from user input, checked against the schema (default: every fact)."""
    return [check_type(t) for t in rel_types or () if t] or list(FACT_TYPES)


# -- the four pictures -------------------------------------------------------------------------
def ecosystem(conn, countries=None, kinds=None, rel_types=None, max_nodes: int = MAX_NODES,
              size_by: str = "degree"):
    """The whole graph of entities and facts, optionally narrowed.

    `kinds` keeps entities of those kinds (both ends of every fact); `rel_types` keeps those facts
    (and then only entities that take part in one); `countries` (ISO codes) keeps entities of those
    countries and every fact that touches one of them, with the entity at its other end.
    """
    kinds, types = _kinds(kinds), _rel_types(rel_types)
    countries = [c.strip().upper() for c in countries or () if c.strip()] or None
    params = {"kinds": kinds, "types": types, "countries": countries}

    def work(tx):
        picture = Picture(_ecosystem_title(countries, kinds, rel_types and types))
        if not rel_types:
            for row in tx.run("MATCH (n:Entity) WHERE ($kinds IS NULL OR any(k IN $kinds WHERE k IN labels(n))) "
                              "AND ($countries IS NULL OR n.country IN $countries) RETURN n", params):
                picture.add_node(row["n"])
        for row in tx.run(
                "MATCH (a:Entity)-[r]->(b:Entity) WHERE type(r) IN $types "
                "AND ($kinds IS NULL OR (any(k IN $kinds WHERE k IN labels(a)) "
                "AND any(k IN $kinds WHERE k IN labels(b)))) "
                "AND ($countries IS NULL OR a.country IN $countries OR b.country IN $countries) "
                "RETURN a, r, b", params):
            picture.add_node(row["a"]), picture.add_node(row["b"])
            picture.add_relationship(row["r"])
        return picture

    return _network(conn.execute_read(work), max_nodes, size_by)


def _ecosystem_title(countries, kinds, types) -> str:
    parts = [f"countries {', '.join(countries)}" if countries else "",
             f"kinds {', '.join(kinds)}" if kinds else "",
             f"relationships {', '.join(types)}" if types else ""]
    narrowed = "; ".join(p for p in parts if p)
    return "Ecosystem" + (f" ({narrowed})" if narrowed else "")


def ego(conn, name: str, depth: int = 1, max_nodes: int = MAX_NODES, size_by: str = "degree"):
    """An entity and everything within `depth` facts of it, with the facts among them.

    `name` is an entity id or any alias (resolved by graph.resolve, which explains unknown and
    ambiguous names).
    """
    if not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise DealgraphError(f"depth must be a whole number from 1 to {MAX_DEPTH}, not {depth!r}")
    centre = _resolve(conn, name)
    params = {"types": list(FACT_TYPES)}

    def work(tx):
        seen, frontier = {centre["id"]}, [centre["id"]]
        for _ in range(depth):
            rows = tx.run("MATCH (a:Entity) WHERE a.id IN $frontier MATCH (a)-[r]-(b:Entity) "
                          "WHERE type(r) IN $types RETURN DISTINCT b.id AS id", frontier=frontier, **params)
            frontier = [row["id"] for row in rows if row["id"] not in seen]
            seen.update(frontier)
        picture = Picture(f"{centre['name']} and its neighbourhood (depth {depth})")
        for row in tx.run("MATCH (n:Entity) WHERE n.id IN $ids RETURN n", ids=list(seen)):
            key = picture.add_node(row["n"])
            if row["n"]["id"] == centre["id"]:
                picture.pinned.add(key)
        for row in tx.run("MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids "
                          "AND type(r) IN $types RETURN r", ids=list(seen), **params):
            picture.add_relationship(row["r"])
        return picture

    return _network(conn.execute_read(work), max_nodes, size_by)


def _resolve(conn, name: str) -> dict:
    """{"id", "name"} of the entity with this id, else of the one graph.resolve finds by name."""
    rows = conn.read("MATCH (n:Entity {id: $id}) RETURN n.id AS id, n.name AS name", {"id": name})
    if rows:
        return rows[0]
    from .resolve import resolve

    return resolve(conn, name)


def from_query(conn, name: str, max_nodes: int = MAX_NODES, size_by: str = "degree", **params):
    """The nodes, relationships and paths in the rows of a named query (graph.queries).

    Relationships bring their end nodes (fetched if the query did not return them). A query whose
    rows hold only values, a table, is refused with a pointer to `dealgraph query`.
    """
    from .queries import run_records

    keys, records = run_records(conn, name, **params)
    picture = Picture(f"Query {name}" + "".join(f", {k}={v}" for k, v in params.items()))
    graphy = [picture.add_value(value) for record in records for value in record.values()]
    if records and not any(graphy):
        raise DealgraphError(f"query {name!r} returns a table ({', '.join(keys)}), not nodes, relationships "
                             f"or paths: run `dealgraph query {name}` to read it")
    bare = [k for k, v in picture.nodes.items() if not v["props"]]
    if bare:
        fetch = lambda tx: [row["n"] for row in tx.run("MATCH (n) WHERE elementId(n) IN $ids RETURN n", ids=bare)]
        for node in conn.execute_read(fetch):
            picture.add_node(node)
    return _network(picture, max_nodes, size_by)


def coinvest(conn, min_shared: int = 1, max_nodes: int = MAX_NODES, color_by: str | None = None,
             size_by: str | None = None):
    """Investors joined when they back the same companies; edge width by how many.

    Once `dealgraph analyze` has run (graph.analytics), nodes are coloured by community and sized
    by PageRank by default; otherwise by kind and by the number of co-investors on the page.
    """
    if not isinstance(min_shared, int) or min_shared < 1:
        raise DealgraphError(f"min-shared must be a whole number of at least 1, not {min_shared!r}")
    if color_by not in (None, "kind", "community") or size_by not in (None, "pagerank", "degree", "money"):
        raise DealgraphError(f"color-by must be community or kind and size-by pagerank, degree or money, "
                             f"not {color_by!r} and {size_by!r}")

    def work(tx):
        picture = Picture("Co-investment" + (f" (at least {min_shared} companies in common)"
                                             if min_shared > 1 else ""))
        for row in tx.run(
                "MATCH (a:Entity)-[:INVESTED_IN]->(c:Entity)<-[:INVESTED_IN]-(b:Entity) WHERE a.id < b.id "
                "WITH a, b, c ORDER BY c.name WITH a, b, collect(DISTINCT c.name) AS companies "
                "WHERE size(companies) >= $min_shared RETURN a, b, companies", min_shared=min_shared):
            a, b, companies = picture.add_node(row["a"]), picture.add_node(row["b"]), row["companies"]
            picture.edges[f"{a}|{b}"] = {"type": COINVEST, "start": a, "end": b, "strength": len(companies),
                                         "props": {"companies in common": len(companies),
                                                   "companies": companies}}
        return picture

    picture = conn.execute_read(work)
    analysed = any(n["props"].get("community") is not None for n in picture.nodes.values())
    picture.color_by, size_by = color_by or ("community" if analysed else "kind"), size_by or (
        "pagerank" if analysed else "degree")
    if not analysed and picture.nodes and (picture.color_by == "community" or size_by == "pagerank"):
        raise DealgraphError("no co-investment analysis yet: run `dealgraph analyze` first "
                             "(or use --color-by kind and --size-by degree or money)")
    if size_by == "money":
        picture.invested = {row["key"]: row["usd"] for row in conn.read(
            "MATCH (i:Entity)-[r:INVESTED_IN]->() WHERE elementId(i) IN $keys "
            "RETURN elementId(i) AS key, sum(coalesce(r.amount_usd, 0.0)) AS usd", {"keys": list(picture.nodes)})}
    return _network(picture, max_nodes, size_by)


# -- from a picture to a pyvis Network ---------------------------------------------------------
def _network(picture: Picture, max_nodes: int, size_by: str):
    """The pyvis Network of a picture: styled, sized, with text tooltips and settling physics."""
    from pyvis.network import Network

    if not isinstance(max_nodes, int) or max_nodes < 2:
        raise DealgraphError(f"max-nodes must be a whole number of at least 2, not {max_nodes!r}")
    if size_by not in ("degree", "money", "pagerank"):
        raise DealgraphError(f"size-by must be 'degree', 'money' or 'pagerank', not {size_by!r}")
    picture.prune(max_nodes)
    if not picture.nodes:
        picture.notes.append("Nothing to draw: no entity or relationship matched.")
    degree = picture.degrees()
    invested = {key: float(picture.invested.get(key, 0.0)) for key in picture.nodes}
    top_rank = max((_number(n["props"].get("pagerank")) for n in picture.nodes.values()), default=0.0) or 1.0
    for edge in picture.edges.values():
        if edge["type"] == "INVESTED_IN":
            invested[edge["start"]] += _number(edge["props"].get("amount_usd"))

    net = Network(height="100%", width="100%", directed=True)
    for key, node in picture.nodes.items():
        kind = _kind_of(node)
        fill, border, shape = KIND_STYLE.get(kind, (DEFAULT_REL_COLOUR, DEFAULT_REL_COLOUR, "ellipse"))
        group = kind
        if picture.color_by == "community":  # colour: community (shape still says the kind)
            community = node["props"].get("community")
            fill = border = community_colour(community)
            group = f"community {community}" if fill != DEFAULT_REL_COLOUR else "smaller communities"
        if size_by == "money":
            size = 10 + 5 * math.log10(1 + invested[key] / 1e6)
        elif size_by == "pagerank":
            size = 10 + 40 * math.sqrt(_number(node["props"].get("pagerank")) / top_rank)
        else:
            size = 10 + 5 * math.sqrt(degree[key])
        pinned = key in picture.pinned
        net.add_node(key, label=_short(_name_of(node)), shape=shape, title=_node_tooltip(node, kind),
                     size=round(min(size, 60) * (1.4 if pinned else 1), 1), kind=group,
                     borderWidth=4 if pinned else 2,
                     color={"background": fill, "border": border,
                            "highlight": {"background": fill, "border": "#222222"},
                            "hover": {"background": fill, "border": "#222222"}})
    for key, edge in picture.edges.items():
        rel_type, usd = edge["type"], _number(edge["props"].get("amount_usd"))
        colour = REL_COLOURS.get("INVESTED_IN" if rel_type == COINVEST else rel_type, DEFAULT_REL_COLOUR)
        if rel_type == COINVEST:
            width, label = min(1.5 + 2.5 * (edge["strength"] - 1), 16), str(int(edge["strength"]))
        else:
            width, label = (2 + 1.5 * math.log10(1 + usd / 1e6)) if usd else 1.5, None
        options = {"id": key, "rel_type": rel_type, "width": round(width, 2), "color": colour,
                   "title": _edge_tooltip(picture, edge),
                   "arrows": "" if rel_type in UNDIRECTED else "to",
                   "dashes": bool(edge["props"].get("commitment"))}
        if label:
            options["label"] = label
        net.add_edge(edge["start"], edge["end"], **options)
    net.options = _options(len(picture.nodes))
    net.dealgraph = {"title": picture.title, "notes": list(picture.notes), "pruned": picture.pruned,
                     "size_by": size_by}
    return net


def _kind_of(node: dict) -> str:
    kind = node["props"].get("kind")
    if kind in ENTITY_KINDS:
        return kind
    labels = node["labels"] - {"Entity"}
    return next((k for k in ENTITY_KINDS if k in labels), min(labels) if labels else "Node")


def _name_of(node: dict) -> str:
    props = node["props"]
    for field in ("name", "title", "key", "id"):
        if props.get(field) not in (None, ""):
            return str(props[field])
    return "?"


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value, limit: int = 400) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = f"{value:,.0f}"
    elif isinstance(value, int) and abs(value) >= 1000:
        value = f"{value:,}"
    return _short(str(value), limit)


def _props_text(props: dict, skip=()) -> list[str]:
    keys = [k for k in _FIRST if k in props] + sorted(k for k in props if k not in _FIRST + _SOURCES)
    lines = [f"{k}: {_text(props[k])}" for k in keys if k not in skip and props[k] not in (None, "", [])]
    lines += [f"{k}: {_text(props[k])}" for k in _SOURCES if props.get(k) not in (None, "", [])]
    return lines


def _plain(lines: list[str]) -> str:
    """A tooltip: plain text that vis-network shows as text.

    pyvis's own template (net.show() in a notebook) switches to an innerHTML popup when a tooltip
    contains "href"; a zero-width space keeps the word readable and that path shut.
    """
    return "\n".join(lines).replace("href", "hre\u200bf")


def _node_tooltip(node: dict, kind: str) -> str:
    return _plain([f"{_name_of(node)} ({kind})"] + _props_text(node["props"], skip=("name", "kind")))


def _edge_tooltip(picture: Picture, edge: dict) -> str:
    start, end = (_name_of(picture.nodes[edge[k]]) for k in ("start", "end"))
    if edge["type"] == COINVEST:
        return _plain([f"{start} and {end} back {int(edge['strength'])} of the same companies",
                       "companies: " + _text(edge["props"]["companies"], 1000)])
    arrow = " — " if edge["type"] in UNDIRECTED else " → "
    return _plain([f"{start}{arrow}{end}", edge["type"]] + _props_text(edge["props"]))


def _options(n: int) -> dict:
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


# -- the page ------------------------------------------------------------------------------------
def page_html(net, title: str | None = None, notes=None) -> str:
    """The standalone HTML page of a Network: vis-network inlined, every data text escaped."""
    import jinja2
    import pyvis

    info = getattr(net, "dealgraph", {})
    title = title or info.get("title") or "dealgraph"
    notes = list(info.get("notes", [])) + list(notes or [])
    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    nodes, edges, _, _, _, options = net.get_network_data()
    kinds, types, colours = {}, {}, {}
    for node in nodes:
        kinds[node.get("kind", "Node")] = kinds.get(node.get("kind", "Node"), 0) + 1
        colours.setdefault(node.get("kind", "Node"), node.get("color", {}).get("background"))
    for edge in edges:
        types[edge.get("rel_type", "")] = types.get(edge.get("rel_type", ""), 0) + 1
    legend_kinds = [{"kind": k, "count": c, "colour": colours.get(k) or DEFAULT_REL_COLOUR,
                     "glyph": _GLYPHS.get(KIND_STYLE.get(k, ("", "", "dot"))[2], "●")}
                    for k, c in sorted(kinds.items(), key=lambda kc: re.sub(r"\d+", lambda m: m[0].zfill(9), kc[0]))]
    legend_types = [{"type": t, "count": c, "label": "co-investment (width: companies in common)"
                     if t == COINVEST else t,
                     "colour": REL_COLOURS.get("INVESTED_IN" if t == COINVEST else t, DEFAULT_REL_COLOUR)}
                    for t, c in sorted(types.items())]
    size_by = info.get("size_by", "degree")
    return env.get_template("viz.html").render(
        title=title, notes=notes, node_count=len(nodes), edge_count=len(edges),
        legend_kinds=legend_kinds, legend_types=legend_types,
        size_note={"money": "money invested (USD)", "pagerank": "PageRank in the co-investment network"}.get(
            size_by, "number of relationships"),
        data={"nodes": nodes, "edges": edges, "options": json.loads(options)},
        vis_js=(lib / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(lib / "vis-network.css").read_text(encoding="utf-8"))


def write_page(net, path, title: str | None = None, notes=None) -> Path:
    """Write the page (utf-8) to `path`, creating its folder; all or nothing."""
    path = Path(path)
    html = page_html(net, title=title, notes=notes)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise DealgraphError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
