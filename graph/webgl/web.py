"""The web app's "whole network" page (`dealgraph serve`, /network): the WebGL engine on the whole
graph, each node linking to its entity page.

The app's Content-Security-Policy runs scripts only from its own files, so this page is the
written page's template with its scripts and style as files of the app (/static/webgl/...): the
locked npm bundles (graph.webgl.assets, fetched on first use like any page's) and page.js.
graph/web/app.py routes both; nothing else of the app changes.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..viz import ecosystem_picture
from . import MAX_NODES, page_html, static_text
from .assets import bundles

ASSETS = "/static/webgl"
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def network_page(conn) -> HTMLResponse:
    """Every entity and fact (past MAX_NODES, the strongest relationships, and the page says so),
    coloured by community and sized by PageRank once analysed."""
    picture = ecosystem_picture(conn, max_nodes=MAX_NODES)
    analysed = any(n["props"].get("community") is not None for n in picture.nodes.values())
    html = page_html(picture, size_by="pagerank" if analysed else "degree",
                     color_by="community" if analysed else "kind", title="The whole network",
                     entity_href="/entity/", assets=ASSETS)
    return HTMLResponse(html)


def asset(request: Request) -> Response:
    """/static/webgl/{name}: sigma.js, graphology.js (the locked bundles), page.js, page.css."""
    name = request.path_params["name"]
    scripts = {f"{b.name}.js": b.script for b in bundles()}
    if name in scripts:
        body = scripts[name]
    elif name in ("page.js", "page.css"):
        body = static_text(name)
    else:
        return Response("Not found", status_code=404, media_type="text/plain")
    return Response(body, media_type=TYPES[name[name.rindex("."):]])
