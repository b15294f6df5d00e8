"""Pictures: graph answers as interactive pages that work offline.

Each builder reads Neo4j in read transactions and returns a `pyvis.network.Network`, so a
notebook can show or tweak it; `write_page` turns one into a standalone HTML file:

    net = ecosystem(conn, countries=["VN"])        # the whole graph, filtered
    net = ego(conn, "Zhipu", depth=2)               # an entity's neighbourhood, by any alias
    net = from_query(conn, "backers_of_both", a="Zhipu", b="Baichuan")   # a named query
    net = coinvest(conn, min_shared=2)              # investors joined by companies backed together
    write_page(net, "out/zhipu.html")

This module only reads Neo4j into a `graph.picture.Picture` (the `*_picture` functions, which
the web app uses too) and adapts the pure `graph.picture.Drawing` to pyvis. What is drawn is
built in graph.picture; how it is drawn is one template and one script shared with the web app
(graph/templates/graph.html, graph/static/graph.js).

The page is ours, not pyvis's template: that one loads Bootstrap from a CDN, puts the heading in
unescaped, and swaps vis-network's text tooltips for an innerHTML popup as soon as any tooltip
contains "href". Here the vis-network script and CSS that pyvis ships are inlined (no network
requests), every text from the data is escaped (HTML by Jinja's autoescape, the graph data as JSON
that cannot close its <script>), and tooltips are plain text, which vis-network shows as text.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import DealgraphError
from .paths import write_whole
from .picture import COINVEST, Drawing, MAX_NODES, Picture, UNDIRECTED, check_max_nodes, draw  # noqa: F401 - the API
from .pictures import MAX_DEPTH, ego_picture, records_picture  # noqa: F401 - the API
from .queries import run_records
from .schema import FACT_TYPES, check_label, check_type

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"  # graph.js and graph.css, inlined here and served by the web app


def vis_assets() -> Path:
    """The folder of the vis-network script and CSS that pyvis ships (our only use of its files)."""
    import pyvis

    return Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"


def _kinds(kinds) -> list[str] | None:
    """Kinds from user input, checked against the schema (None: every kind)."""
    return [check_label(k) for k in kinds or () if k] or None


def _rel_types(rel_types) -> list[str]:
    """Relationship types from user input, checked against the schema (default: every fact)."""
    return [check_type(t) for t in rel_types or () if t] or list(FACT_TYPES)


# -- the four pictures -------------------------------------------------------------------------
def ecosystem(conn, countries=None, kinds=None, rel_types=None, max_nodes: int = MAX_NODES,
              size_by: str = "degree"):
    """The whole graph of entities and facts, optionally narrowed (see `ecosystem_picture`)."""
    picture = ecosystem_picture(conn, countries, kinds, rel_types, check_max_nodes(max_nodes))
    return network(draw(picture, max_nodes, size_by))


def ecosystem_picture(conn, countries=None, kinds=None, rel_types=None, max_nodes: int | None = None) -> Picture:
    """The whole graph of entities and facts, optionally narrowed.

    `kinds` keeps entities of those kinds (both ends of every fact); `rel_types` keeps those facts
    (and then only entities that take part in one); `countries` (ISO codes) keeps entities of those
    countries and every fact that touches one of them, with the entity at its other end.

    With `max_nodes`, a bigger graph is narrowed by the server, so a graph of millions of facts
    never comes into Python whole: Neo4j ranks the facts (largest amount in USD first, then the
    ends with most facts of the types shown) and only the ends of the strongest, up to
    `max_nodes`, and the facts among them are read. The picture says it was pruned, as
    `Picture.prune` does for the other pictures.
    """
    kinds, types = _kinds(kinds), _rel_types(rel_types)
    countries = [c.strip().upper() for c in countries or () if c.strip()] or None
    params = {"kinds": kinds, "countries": countries}
    facts = "|".join(types)  # checked against the schema by _rel_types: relationship types, not values
    wanted = ("($kinds IS NULL OR (any(k IN $kinds WHERE k IN labels(a)) AND any(k IN $kinds WHERE k IN labels(b)))) "
              "AND ($countries IS NULL OR a.country IN $countries OR b.country IN $countries) ")
    match = f"MATCH (a:Entity)-[r:{facts}]->(b:Entity) WHERE {wanted}"
    entities = ("MATCH (n:Entity) WHERE ($kinds IS NULL OR any(k IN $kinds WHERE k IN labels(n))) "
                "AND ($countries IS NULL OR n.country IN $countries) ")

    def ranked(tx):
        """(start, end) element ids of the facts, strongest first, a page at a time."""
        page, skip = max_nodes * 10, 0
        while True:
            rows = list(tx.run(
                f"{match} WITH a, b, r, coalesce(toFloatOrNull(r.amount_usd), 0.0) AS usd, "
                f"COUNT {{ (a)-[:{facts}]-() }} + COUNT {{ (b)-[:{facts}]-() }} AS ends "
                "RETURN elementId(a) AS a, elementId(b) AS b ORDER BY usd DESC, ends DESC, elementId(r) "
                "SKIP $skip LIMIT $page", params, skip=skip, page=page))
            yield from ((row["a"], row["b"]) for row in rows)
            if len(rows) < page:
                return
            skip += page

    def work(tx):
        picture = Picture(_ecosystem_title(countries, kinds, rel_types and types))
        if max_nodes is not None:
            whole = not (kinds or countries or rel_types)
            if whole:  # every entity, every fact: the store's counts, not a pass over the graph
                nodes = tx.run("MATCH (n:Entity) RETURN count(n) AS n").single()["n"]
            else:
                nodes = tx.run("CALL { " + ("" if rel_types else f"{entities} RETURN n UNION ")
                               + f"{match} UNWIND [a, b] AS n RETURN n }} RETURN count(DISTINCT n) AS n", params).single()["n"]
            if nodes > max_nodes:
                # Facts join entities (graph.write matches both ends as :Entity), so per type the
                # store's count of (:Entity)-[r]->() is the count of `match`.
                edges = (sum(tx.run(f"MATCH (:Entity)-[r:{t}]->() RETURN count(r) AS n").single()["n"] for t in types)
                         if whole else tx.run(f"{match} RETURN count(r) AS n", params).single()["n"])
                keep = list(picture.keep_ends(ranked(tx), max_nodes))
                # From the kept nodes (a seek each), not a pass over every fact.
                for row in tx.run("MATCH (a:Entity) WHERE elementId(a) IN $keep "
                                  f"MATCH (a)-[r:{facts}]->(b:Entity) WHERE elementId(b) IN $keep AND {wanted}"
                                  "RETURN a, r, b", params, keep=keep):
                    picture.add_node(row["a"]), picture.add_node(row["b"])
                    picture.add_relationship(row["r"])
                picture.say_pruned(nodes, edges)
                return picture
        if not rel_types:
            for row in tx.run(f"{entities} RETURN n", params):
                picture.add_node(row["n"])
        for row in tx.run(f"{match} RETURN a, r, b", params):
            picture.add_node(row["a"]), picture.add_node(row["b"])
            picture.add_relationship(row["r"])
        return picture

    return conn.execute_read(work)


def _ecosystem_title(countries, kinds, types) -> str:
    parts = [f"countries {', '.join(countries)}" if countries else "",
             f"kinds {', '.join(kinds)}" if kinds else "",
             f"relationships {', '.join(types)}" if types else ""]
    narrowed = "; ".join(p for p in parts if p)
    return "Ecosystem" + (f" ({narrowed})" if narrowed else "")


def ego(conn, name: str, depth: int = 1, max_nodes: int = MAX_NODES, size_by: str = "degree"):
    """An entity and everything within `depth` facts of it (see `ego_picture`)."""
    return network(draw(ego_picture(conn, name, depth), max_nodes, size_by))


def from_query(conn, name: str, max_nodes: int = MAX_NODES, size_by: str = "degree", **params):
    """The nodes, relationships and paths in the rows of a named query (graph.queries).

    Relationships bring their end nodes (fetched if the query did not return them). A query whose
    rows hold only values, a table, is refused with a pointer to `dealgraph query`.
    """
    return network(draw(query_picture(conn, name, **params), max_nodes, size_by))


def query_picture(conn, name: str, **params) -> Picture:
    """The picture of a named query's rows (see `from_query`); a table is refused."""
    keys, records = run_records(conn, name, **params)
    picture = records_picture(conn, f"Query {name}" + "".join(f", {k}={v}" for k, v in params.items()), records)
    if picture is None:
        raise DealgraphError(f"query {name!r} returns a table ({', '.join(keys)}), not nodes, relationships "
                             f"or paths: run `dealgraph query {name}` to read it")
    return picture


def coinvest(conn, min_shared: int = 1, max_nodes: int = MAX_NODES, color_by: str | None = None,
             size_by: str | None = None):
    """Investors joined when they back the same companies (see `coinvest_picture`).

    Once `dealgraph analyze` has run (graph.analytics), nodes are coloured by community and sized
    by PageRank by default; otherwise by kind and by the number of co-investors on the page.
    """
    picture, size_by = coinvest_styled(conn, min_shared, color_by, size_by)
    return network(draw(picture, max_nodes, size_by))


def coinvest_styled(conn, min_shared: int = 1, color_by: str | None = None, size_by: str | None = None):
    """(picture, size_by) of `coinvest`: the colour and size asked for, or the defaults (community
    and PageRank once analysed), checked; money invested read when sized by it."""
    if color_by not in (None, "kind", "community") or size_by not in (None, "pagerank", "degree", "money"):
        raise DealgraphError(f"color-by must be community or kind and size-by pagerank, degree or money, "
                             f"not {color_by!r} and {size_by!r}")
    picture = coinvest_picture(conn, min_shared)
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
    return picture, size_by


def coinvest_picture(conn, min_shared: int = 1) -> Picture:
    """Investors joined when they back the same companies; edge width by how many.

    The investors' properties come along (analysis scores included), for colour and size.
    """
    if not isinstance(min_shared, int) or min_shared < 1:
        raise DealgraphError(f"min-shared must be a whole number of at least 1, not {min_shared!r}")

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

    return conn.execute_read(work)


# -- pyvis: the Network a notebook gets --------------------------------------------------------------
def network(drawing: Drawing):
    """The pyvis Network of a Drawing (the thin adapter: pyvis holds the same dicts)."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=True)
    for node in drawing.nodes:
        options = dict(node)
        net.add_node(options.pop("id"), **options)
    for edge in drawing.edges:
        options = dict(edge)
        net.add_edge(options.pop("from"), options.pop("to"), **options)
    net.options = drawing.options
    net.dealgraph = {"title": drawing.title, "notes": list(drawing.notes), "pruned": drawing.pruned,
                     "size_by": drawing.size_by}
    return net


def drawing_of(net) -> Drawing:
    """The Drawing a Network holds now (with any changes a notebook made to it)."""
    import json

    info = getattr(net, "dealgraph", {})
    nodes, edges, _, _, _, options = net.get_network_data()
    return Drawing(title=info.get("title") or "dealgraph", nodes=nodes, edges=edges, options=json.loads(options),
                   notes=list(info.get("notes", [])), pruned=info.get("pruned", False),
                   size_by=info.get("size_by", "degree"))


# -- the page ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def templates():
    """The Jinja environment of graph/templates (autoescape on): the page and the graph view."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)


def drawing_html(drawing: Drawing) -> str:
    """The standalone HTML page of a Drawing: vis-network and the graph script inlined."""
    lib = vis_assets()
    return templates().get_template("viz.html").render(
        g=drawing,
        vis_js=(lib / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(lib / "vis-network.css").read_text(encoding="utf-8"),
        graph_js=(STATIC / "graph.js").read_text(encoding="utf-8"),
        graph_css=(STATIC / "graph.css").read_text(encoding="utf-8"))


def page_html(net, title: str | None = None, notes=None) -> str:
    """The standalone HTML page of a Network: vis-network inlined, every data text escaped."""
    drawing = drawing_of(net)
    drawing.title = title or drawing.title
    drawing.notes += list(notes or [])
    return drawing_html(drawing)


def write_page(net, path, title: str | None = None, notes=None) -> Path:
    """Write the page (utf-8) to `path`, creating its folder; all or nothing."""
    return write_whole(path, page_html(net, title=title, notes=notes))
