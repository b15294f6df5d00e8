"""The WebGL page engine: whole graphs of tens of thousands of nodes as one offline HTML file.

The pyvis pages (graph.viz) draw with vis-network on a canvas, which stays readable and fast up
to a few thousand nodes; past `--max-nodes` they keep the strongest relationships only. This
engine draws every node and relationship with sigma.js (WebGL) over a graphology graph:

    from graph import viz, webgl
    picture = viz.ecosystem_picture(conn)                      # any graph.picture.Picture
    webgl.write_page(picture, "out/whole.html", size_by="pagerank", color_by="community")

- the layout is computed here, before the page is written (graph.webgl.layout), so the page
  opens drawn;
- colours by kind, or by community once `dealgraph analyze` has run; sizes by degree, PageRank or
  money invested; labels for the largest nodes and on hover; a search box over names and
  aliases; hover or click shows a node's properties, sources and relationships (each with its
  properties and source); a legend that hides kinds and relationship types;
- the JavaScript (sigma.js, graphology) is inlined from the npm tarballs pinned in graph/js.lock
  (graph.webgl.assets), with their licences; the page loads nothing from the network;
- every text from the data travels as JSON in a non-executed script element (with <, >, & and
  the JavaScript line separators escaped) and reaches the page only through textContent and
  sigma's canvas labels: a name is data, never markup.

The page exposes what it holds for tests and benchmarks: body[data-nodes], body[data-edges],
body[data-ready="1"] once drawn, body[data-first-frame-ms], and `window.dealgraph` (the graphology
graph, the sigma renderer, visible(), search(), select()).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from ..errors import DealgraphError
from ..picture import COINVEST, UNDIRECTED, Picture, kind_of, name_of, number, ordered_props, text
from ..style import DEFAULT_REL_COLOUR, KIND_STYLE, REL_COLOURS, community_colour
from .assets import bundles

HERE = Path(__file__).resolve().parent
MAX_NODES = 50_000     # past this, even this engine's pages get too heavy (~25 MB per 40,000 nodes):
                       # graph.viz's ecosystem then keeps the strongest relationships, and says so
LABELLED = 40          # nodes labelled at every zoom: the largest
BIG = 5_000            # edges past which edges are plain lines, lighter, and hidden while moving
SIZES = ("degree", "money", "pagerank")
COLOURS = ("kind", "community")


def check_style(size_by: str, color_by: str) -> None:
    if size_by not in SIZES or color_by not in COLOURS:
        raise DealgraphError(f"size-by must be one of {', '.join(SIZES)} and color-by one of {', '.join(COLOURS)}, "
                             f"not {size_by!r} and {color_by!r}")


def page_data(picture: Picture, size_by: str = "degree", color_by: str | None = None) -> dict:
    """What the page's script reads: nodes and edges as compact arrays, laid out, styled and sized.

    nodes: [key, label, kind index, x, y, size, colour, entity id or null, [other names],
            [[property, text], ...], 1 if labelled at every zoom else 0]
    edges: [source index, target index, type index, size, [[property, text], ...]]
    """
    import numpy as np  # heavy: only when a page is drawn (`dealgraph --help` stays fast)

    from .layout import layout

    color_by = color_by or picture.color_by
    check_style(size_by, color_by)
    keys = list(picture.nodes)
    index = {key: i for i, key in enumerate(keys)}
    edges = list(picture.edges.values())
    sources = np.fromiter((index[e["start"]] for e in edges), dtype=np.int64, count=len(edges))
    targets = np.fromiter((index[e["end"]] for e in edges), dtype=np.int64, count=len(edges))

    xs, ys = layout(len(keys), sources, targets)
    degree = np.bincount(np.concatenate([sources, targets]), minlength=len(keys)) if len(keys) else np.zeros(0)
    if size_by == "degree":
        weight = np.sqrt(degree.astype(float))
    elif size_by == "money":
        invested = np.array([float(picture.invested.get(k, 0.0)) for k in keys])
        for e, s in zip(edges, sources):
            if e["type"] == "INVESTED_IN":
                invested[s] += number(e["props"].get("amount_usd"))
        weight = np.log10(1 + invested / 1e6)
    else:
        weight = np.sqrt(np.array([number(picture.nodes[k]["props"].get("pagerank")) for k in keys]))
    top = float(weight.max()) if len(keys) and weight.max() > 0 else 1.0
    small = len(keys) <= 300
    base, span = (6.0, 18.0) if small else (1.5, 14.0)
    sizes = base + span * weight / top
    labelled = set(np.argsort(-sizes, kind="stable")[:LABELLED].tolist()) if len(keys) else set()

    kinds: dict[str, int] = {}
    nodes = []
    for i, key in enumerate(keys):
        node = picture.nodes[key]
        kind = kind_of(node)
        props = node["props"]
        colour = community_colour(props.get("community")) if color_by == "community" else \
            KIND_STYLE.get(kind, (DEFAULT_REL_COLOUR,))[0]
        names = props.get("aliases") if isinstance(props.get("aliases"), list) else []
        label = name_of(node)
        nodes.append([key, label, kinds.setdefault(kind, len(kinds)), round(float(xs[i]), 3), round(float(ys[i]), 3),
                      round(float(sizes[i]), 2), colour,
                      props["id"] if "Entity" in node["labels"] and isinstance(props.get("id"), str) else None,
                      [str(n) for n in names if str(n) != label],
                      [[k, text(v)] for k, v in ordered_props(props, skip=("name", "aliases"))],
                      1 if i in labelled else 0])
    types: dict[str, int] = {}
    out_edges = []
    for e, s, t in zip(edges, sources.tolist(), targets.tolist()):
        rel_type = e["type"]
        if rel_type == COINVEST:
            size = min(0.5 + 0.5 * e["strength"], 6)
            props = [["companies in common", str(int(e["strength"]))], ["companies", text(e["props"]["companies"], 1000)]]
        else:
            usd = number(e["props"].get("amount_usd"))
            size = 0.5 + 0.4 * math.log10(1 + usd / 1e6) if usd else 0.5
            props = [[k, text(v)] for k, v in ordered_props(e["props"])]
        out_edges.append([s, t, types.setdefault(rel_type, len(types)), round(size, 2), props])
    big = len(out_edges) > BIG
    kind_counts = np.bincount([n[2] for n in nodes], minlength=len(kinds)).tolist() if nodes else []
    type_counts = np.bincount([e[2] for e in out_edges], minlength=len(types)).tolist() if out_edges else []
    return {
        "title": picture.title, "notes": list(picture.notes), "size_by": size_by, "color_by": color_by,
        "kinds": [{"kind": k, "count": kind_counts[i],
                   "colour": KIND_STYLE.get(k, (DEFAULT_REL_COLOUR,))[0]} for k, i in kinds.items()],
        "types": [{"type": t, "count": type_counts[i],
                   "label": "co-investment (width: companies in common)" if t == COINVEST else t,
                   "colour": REL_COLOURS.get("INVESTED_IN" if t == COINVEST else t, DEFAULT_REL_COLOUR),
                   "edge_colour": _rgba(REL_COLOURS.get("INVESTED_IN" if t == COINVEST else t, DEFAULT_REL_COLOUR),
                                        0.25 if big else 0.8),
                   "arrow": not big and t not in UNDIRECTED} for t, i in types.items()],
        "big": big, "nodes": nodes, "edges": out_edges,
    }


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def script_json(data) -> str:
    """JSON that cannot end its <script> element or start markup: <, >, & and U+2028/9 escaped."""
    text_ = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text_ = text_.replace(char, escape)
    return text_


@lru_cache(maxsize=1)
def _template():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True).get_template("page.html")


def static_text(name: str) -> str:
    """page.js or page.css (the web app serves them as files, a written page inlines them)."""
    if name not in ("page.js", "page.css"):
        raise KeyError(name)
    return (HERE / name).read_text(encoding="utf-8")


def page_html(picture: Picture, size_by: str = "degree", color_by: str | None = None, title: str | None = None,
              notes=(), entity_href: str | None = None, assets: str | None = None, echo=None) -> str:
    """The page. `assets`, when given, is the URL folder the scripts and style are served from
    (the web app, whose policy runs no inline script); otherwise everything is inlined."""
    data = page_data(picture, size_by, color_by)
    data["title"] = title or data["title"]
    data["notes"] += list(notes)
    data["entity_href"] = entity_href
    packages = bundles(echo)
    return _template().render(
        title=data["title"], notes=data["notes"], nodes=len(data["nodes"]), edges=len(data["edges"]),
        data=script_json(data), packages=packages, assets=assets,
        css=None if assets else static_text("page.css"), page_js=None if assets else static_text("page.js"))


def write_page(picture: Picture, path, **options) -> Path:
    """Write the page (utf-8) to `path`, creating its folder; all or nothing."""
    from ..paths import write_whole

    return write_whole(path, page_html(picture, **options))
