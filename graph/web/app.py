"""The web app's routes, responses and safety rules (see graph/web/__init__.py for the why).

Every page is a GET; every read a managed read transaction with user values as parameters. A
page that shows data has `.json` and `.csv` twins at the same URL, written by graph.tables as
`dealgraph query --format json|csv` writes them. Failures are pages with the CLI's one line:
400 for a bad parameter or name, 404 for an unknown page, query, entity or article, 503 while
Neo4j cannot be reached (and the app serves again once it is back), 500 with no detail.
"""
from __future__ import annotations

import io
import json
import logging
import os
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
from neo4j import graph as ng
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from starlette.concurrency import run_in_threadpool

from ..connection import Connection, Settings
from ..errors import DealgraphError, Unavailable
from ..guide import CORS_HEADERS, guide_html
from ..picture import ordered_props, text as picture_text
from ..queries import bind, bound_script, get_query, list_queries, run_bound
from ..resolve import AmbiguousName, UnknownName, by_id, candidates, resolve, search as fuzzy
from ..schema import FACT_TYPES
from ..tables import display, write_answer
from ..viz import STATIC, TEMPLATES, vis_assets
from ..webgl.web import asset as webgl_asset, network_page
from . import articles, audit, auth, dedupe as dedupe_page, pages, review
from .cache import PageCache

HERE = Path(__file__).resolve().parent
log = logging.getLogger("dealgraph.web")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# Scripts only from this server (vis-network and graph.js as files, never inline); data reaches
# pages only as escaped text or as JSON in a non-executed <script type="application/json">.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")]
FORMATS = {".json": "json", ".csv": "csv"}
MEDIA = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}


class NeoGraph:
    """The connection the app uses, made on first need and kept; until Neo4j answers, every page
    is a 503. The driver reconnects by itself once Neo4j is back."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def conn(self) -> Connection:
        with self._lock:
            if self._conn is None:
                try:
                    self._conn = Connection(self.settings)
                except Unavailable:
                    raise
                except DealgraphError as exc:  # a wrong database name and the like: not the user's doing
                    raise Unavailable(str(exc)) from None
            return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


# -- templates ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def templates():
    """Jinja with autoescape: the app's templates, and graph/templates for the shared graph view."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([HERE / "templates", TEMPLATES]),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(entity_url=entity_url, article_url=article_url, query_url=query_url,
                       text=_text, display=display, cells=cells, props=_props)
    return env


def _text(value, limit: int = 2000) -> str:
    return picture_text(value, limit)


def _props(props: dict, skip=()) -> list:
    return ordered_props(props, skip)


def entity_url(entity_id: str, suffix: str = "") -> str:
    return f"/entity/{quote(str(entity_id), safe='')}{suffix}"


def article_url(article_id: str, suffix: str = "") -> str:
    return f"/article/{quote(str(article_id), safe='')}{suffix}"


def query_url(name: str, suffix: str = "", params: dict | None = None) -> str:
    query = urlencode(params or {})
    return f"/queries/{quote(name, safe='')}{suffix}" + (f"?{query}" if query else "")


def cells(value) -> list[tuple[str, str | None]]:
    """A table cell as (text, link or None) parts: entities and articles link to their pages."""
    if isinstance(value, ng.Node):
        if "Entity" in value.labels and value.get("id"):
            return [(display(value), entity_url(value["id"]))]
        if "Article" in value.labels and value.get("id"):
            return [(display(value), article_url(value["id"]))]
        return [(display(value), None)]
    if isinstance(value, (list, tuple)) and any(isinstance(v, ng.Node) for v in value):
        parts: list = []
        for i, item in enumerate(value):
            if i:
                parts.append(("; ", None))
            parts += cells(item)
        return parts
    return [(display(value, table=True), None)]


def render(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(templates().get_template(name).render(**context), status_code=status)


# -- answers in three formats -------------------------------------------------------------------
def split_format(value: str) -> tuple[str, str]:
    """("zhipu-ai", "json") from "zhipu-ai.json"; ("zhipu-ai", "html") otherwise."""
    for suffix, fmt in FORMATS.items():
        if value.endswith(suffix) and len(value) > len(suffix):
            return value[: -len(suffix)], fmt
    return value, "html"


def data_response(keys, records, fmt: str) -> Response:
    """The answer as `dealgraph query --format json|csv` prints it (graph.tables.write_answer)."""
    out = io.StringIO()
    write_answer(keys, records, fmt, out)
    return Response(out.getvalue(), media_type=MEDIA[fmt])


def failure(status: int, message: str, fmt: str = "html", **context) -> Response:
    """A failure in the requested format, as one line (no traceback, no settings)."""
    message = " ".join(str(message).split())
    if fmt == "json":
        return Response(json.dumps({"error": message}, ensure_ascii=False) + "\n", status_code=status,
                        media_type=MEDIA["json"])
    if fmt == "csv":
        return Response(message + "\n", status_code=status, media_type="text/plain; charset=utf-8")
    titles = {400: "Bad request", 401: "Token needed", 403: "Refused", 404: "Not found", 405: "Method not allowed",
              409: "Saved by someone else meanwhile", 413: "Too large", 500: "Something went wrong",
              503: "Neo4j is not answering"}
    return render(context.pop("template", "error.html"), status=status, status_code=status,
                  heading=titles.get(status, "Error"), message=message, **context)


def guarded(handler):
    """Run a page; turn every failure into its status page (the format of the request kept)."""
    def endpoint(request: Request) -> Response:
        try:
            cache = request.app.state.cache
            key = cache.key(request) if cache is not None else None
            if key is None:
                return handler(request)
            kept, stamp = cache.lookup(_graph(request).conn(), key)
            return kept or cache.keep(key, stamp, handler(request))
        except Exception as exc:  # noqa: BLE001 - sorted below
            return _failed(request, exc)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


def _failed(request: Request, exc: Exception) -> Response:
    fmt = request.path_params.get("fmt", "html")  # set by the handler once it read its URL
    if isinstance(exc, auth.Refused):
        return failure(exc.status, str(exc), fmt)
    if isinstance(exc, pages.NotFound):
        return failure(404, str(exc), fmt)
    if isinstance(exc, Unavailable):
        response = failure(503, f"{exc}. The app keeps running: reload once Neo4j is back.", fmt)
        response.headers["retry-after"] = "5"
        return response
    if isinstance(exc, DealgraphError):
        return failure(400, str(exc), fmt)
    if isinstance(exc, HTTPException):
        raise exc
    # A bug: one line in the log (the traceback only with DEALGRAPH_DEBUG=1), nothing on the page.
    log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__,
              str(exc).splitlines()[0][:300] if str(exc) else "", exc_info=os.environ.get("DEALGRAPH_DEBUG") == "1")
    return failure(500, "internal error: the server log says more", fmt)


def writer(handler):
    """A POST page: `handler(request, form, label)` runs (in a worker thread) only once
    graph.web.auth allowed the write (same site, a valid token, the form's CSRF token); every
    refusal and failure is its 4xx/5xx page, and nothing is written."""
    async def endpoint(request: Request) -> Response:
        try:
            label, form = await auth.check(request)
            return await run_in_threadpool(handler, request, form, label)
        except Exception as exc:  # noqa: BLE001 - sorted by _failed
            return _failed(request, exc)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


class TokenFromURL:
    """`?token=SECRET` on a GET: a valid one becomes the cookie and the same URL is reloaded
    without it (the secret leaves the address bar and the history); a wrong one is a 403 page."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or b"token=" not in scope.get("query_string", b""):
            return await self.app(scope, receive, send)
        request = Request(scope)
        secret = request.query_params.get("token")
        if secret is None:
            return await self.app(scope, receive, send)
        if auth.tokens(request).label(secret) is None:
            return await failure(403, "wrong token: use the URL `dealgraph serve` printed")(scope, receive, send)
        rest = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
        response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
        response.set_cookie(auth.COOKIE, secret, httponly=True, samesite="strict", path="/")
        return await response(scope, receive, send)


def _with_format(request: Request, key: str) -> tuple[str, str]:
    value, fmt = split_format(request.path_params[key])
    request.path_params["fmt"] = fmt
    return value, fmt


# -- the pages ------------------------------------------------------------------------------------
def _graph(request: Request) -> NeoGraph:
    return request.app.state.graph


@guarded
def home(request: Request) -> Response:
    """What the graph holds, a search box, the named queries by theme."""
    return render("index.html", info=pages.overview(_graph(request).conn()), themes=_themes())


def _themes() -> dict[str, list]:
    """The named queries by module (their theme: coinvestment, ecosystem, provenance, ...)."""
    themes: dict[str, list] = {}
    for spec in list_queries():
        themes.setdefault(spec.module, []).append(spec)
    return themes


@guarded
def search(request: Request) -> Response:
    """One exact match: its page. Otherwise the matches and the closest names (full-text index)."""
    fmt = "json" if request.url.path.endswith(".json") else "html"
    request.path_params["fmt"] = fmt
    text = request.query_params.get("q", "").strip()
    conn = _graph(request).conn() if text else None
    exact = candidates(conn, text) if text else []
    if text and not exact and by_id(conn, text):
        exact = [{"id": text}]
    hits = fuzzy(conn, text, limit=20) if text else []
    if fmt == "json":
        keys = ["id", "name", "kind", "country", "matched", "closeness"]
        exact_ids = {e["id"] for e in exact}
        rows = [{**h, "closeness": 1.0} for h in exact if "name" in h] + [h for h in hits if h["id"] not in exact_ids]
        return data_response(keys, [{k: r.get(k) for k in keys} for r in rows], "json")
    if len(exact) == 1:
        return RedirectResponse(entity_url(exact[0]["id"]), status_code=302)
    if not exact and len(hits) == 1:
        return RedirectResponse(entity_url(hits[0]["id"]), status_code=302)
    exact_ids = {e["id"] for e in exact}
    return render("search.html", q=text, exact=exact, hits=[h for h in hits if h["id"] not in exact_ids])


@guarded
def entity(request: Request) -> Response:
    """An entity: names, facts by group with their sources, rounds, articles, scores, graph."""
    entity_id, fmt = _with_format(request, "id")
    conn = _graph(request).conn()
    try:
        if fmt != "html":
            if not by_id(conn, entity_id):
                raise pages.NotFound(f"no entity has id {entity_id!r}")
            keys, records = pages.entity_facts(conn, entity_id)
            return data_response(keys, records, fmt)
        info = pages.entity(conn, entity_id)
    except pages.NotFound:
        if fmt != "html":
            raise
        try:  # a name instead of an id: the page of the one entity it names
            found = resolve(conn, entity_id)
        except UnknownName as exc:
            raise pages.NotFound(str(exc)) from None
        except AmbiguousName:  # several: the search page lists them
            return RedirectResponse("/search?" + urlencode({"q": entity_id}), status_code=302)
        return RedirectResponse(entity_url(found["id"]), status_code=302)
    return render("entity.html", e=info, drawing=pages.neighbourhood(conn, entity_id),
                  json_url=entity_url(entity_id, ".json"), csv_url=entity_url(entity_id, ".csv"))


@guarded
def article(request: Request) -> Response:
    """An article: what it claims (the article_claims query) and the entities it mentions."""
    article_id, fmt = _with_format(request, "id")
    conn = _graph(request).conn()
    info = pages.article(conn, article_id)
    if fmt != "html":
        return data_response(info["keys"], info["records"], fmt)
    return render("article.html", a=info, rows=info["records"], keys=info["keys"],
                  history=audit.history(conn, f"article:{article_id}"),
                  json_url=article_url(article_id, ".json"), csv_url=article_url(article_id, ".csv"))


# -- writing: adding an article ---------------------------------------------------------------------
ADD_FIELDS = ("title", "outlet", "published", "language", "text")


@guarded
def add_form(request: Request) -> Response:
    """"Add an article": paste its text or choose its .txt, give title, outlet, date, language."""
    return render("add.html", csrf=auth.csrf_token(request), who=auth.signed_in(request), given={}, version=0,
                  destination=review.destination())


def _given(form) -> dict:
    return {k: form.get(k) if isinstance(form.get(k), str) else "" for k in ADD_FIELDS}


@writer
def add_article(request: Request, form, label: str) -> Response:
    """Draft the article (graph.extract) and show the review page; nothing is written yet.
    A bad text or field: a 400 page with the form as it was sent."""
    given = _given(form)
    try:
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            text = articles.article_text(upload.file.read(articles.MAX_BYTES + 1), upload.filename)
        else:
            text = articles.article_text(given["text"])
        given["text"] = text
        conn = _graph(request).conn()
        record, drafted = review.draft(conn, text, given["title"], given["outlet"], given["published"],
                                       given["language"])
    except Unavailable:
        raise
    except DealgraphError as exc:
        return failure(400, str(exc), template="add.html", csrf=auth.csrf_token(request), who=label,
                       given=given, version=0, destination=review.destination())
    return _review_page(request, label, text, record, drafted, audit.version(conn, f"article:{record['id']}"))


def _review_page(request, label, text, record, drafted, version, status=200, message=None) -> Response:
    return render("review.html", status=status, message=message, csrf=auth.csrf_token(request), who=label,
                  text=text, a=record, version=version, draft=drafted, fact_types=FACT_TYPES,
                  extractor=(drafted.get("draft") or {}).get("extractor"))


@writer
def save_article(request: Request, form, label: str) -> Response:
    """Save the reviewed article: its record, text, accepted facts, their rounds and new entities
    into the dataset folder, then load it (graph.web.articles), as the article's next version
    (graph.web.audit). A bad field or quote (400) or a save made meanwhile (409): the review page
    again with the message and every decision as sent; nothing written."""
    given = _given(form)
    conn = _graph(request).conn()
    try:
        text = articles.article_text(given["text"])
        sent = review.parse(form.get("review"))
        record = articles.record(text, given["title"], given["outlet"], given["published"], given["language"])
    except DealgraphError as exc:
        return failure(400, str(exc))
    try:
        entities, rounds, facts = review.records(conn, text, sent, record["id"])
        with audit.change(conn, f"article:{record['id']}", _version(form), label, "save") as done:
            articles.save(conn, request.app.state.data, text, record, entities, rounds, facts)
            rejected = sum(1 for f in sent["facts"] if f.get("status") == "rejected")
            done["summary"] = (f"{len(facts)} fact{'s' * (len(facts) != 1)} saved, {rejected} rejected, "
                               f"{sum(1 for e in entities if not e.get('linked'))} new entities")
    except Unavailable:
        raise
    except DealgraphError as exc:
        status = 409 if isinstance(exc, audit.Conflict) else 400
        return _review_page(request, label, text, record, sent, _version(form), status, " ".join(str(exc).split()))
    return RedirectResponse(article_url(record["id"]), status_code=303)


def _version(form) -> int:
    value = form.get("version")
    if not isinstance(value, str) or not value.isdigit():
        raise DealgraphError("the form has no version: reload the page")
    return int(value)


@guarded
def query_list(request: Request) -> Response:
    """Every named query, by theme, with its parameters."""
    return render("queries.html", themes=_themes())


@guarded
def query(request: Request) -> Response:
    """A named query: its form, and once asked, the answer as a table, a graph and a Browser script."""
    name, fmt = _with_format(request, "name")
    try:
        spec = get_query(name)
    except DealgraphError as exc:
        raise pages.NotFound(str(exc)) from None
    given: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in given:
            raise DealgraphError(f"parameter {key} is given twice")
        given[key] = value
    params = {k: v for k, v in given.items() if v.strip()}  # an empty form field: the default
    asked = fmt != "html" or bool(given) or not any(p.required for p in spec.params)
    context = {"spec": spec, "given": given, "asked": asked, "fact_types": _fact_types()}
    if not asked:
        return render("query.html", **context)
    try:
        conn = _graph(request).conn()
        values = bind(conn, spec, params)  # checked and resolved once: the answer and the script use them
        keys, records = run_bound(conn, spec, values)
    except (pages.NotFound, Unavailable):
        raise
    except DealgraphError as exc:
        if fmt != "html":
            raise
        return failure(400, str(exc), template="query.html", **{**context, "asked": False})
    if fmt != "html":
        return data_response(keys, records, fmt)
    return render("query.html", **context, keys=keys, rows=records, drawing=pages.drawing(conn, spec.name, records),
                  script=bound_script(spec, values),
                  json_url=query_url(spec.name, ".json", given), csv_url=query_url(spec.name, ".csv", given))


@guarded
def dedupe(request: Request) -> Response:
    """Duplicate candidates side by side (graph.web.dedupe)."""
    fmt = {"/dedupe.json": "json", "/dedupe.csv": "csv"}.get(request.url.path, "html")
    request.path_params["fmt"] = fmt
    return dedupe_page.page(request, _graph(request).conn(), fmt)


@writer
def dedupe_decide(request: Request, form, label: str) -> Response:
    """Same / different / unsure for a pair of the duplicates page (graph.web.dedupe)."""
    from .dedupe import decide

    try:
        summary = decide(request, _graph(request).conn(), form, label, _version(form))
    except DealgraphError as exc:
        if isinstance(exc, Unavailable):
            raise
        return failure(409 if isinstance(exc, audit.Conflict) else 400, str(exc))
    return RedirectResponse("/dedupe?" + urlencode({"done": summary}), status_code=303)


def _fact_types() -> list[str]:
    return list(FACT_TYPES) + ["RAISED"]


# -- errors that never reach a page handler --------------------------------------------------------
async def not_found(request: Request, exc: Exception) -> Response:
    return failure(404, f"no page at {request.url.path}: start from / (search) or /queries")


async def http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 405:
        return failure(405, f"{request.method} is not allowed here: pages are read with GET, forms sent with POST")
    if exc.status_code == 404:
        return await not_found(request, exc)
    return failure(exc.status_code, exc.detail or "error")


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s: %s", request.url.path, type(exc).__name__)
    return failure(500, "internal error: the server log says more")


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response (pages, data, assets)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, send_with_headers)


@guarded
def network(request: Request) -> Response:
    """The whole network, drawn by the WebGL engine (graph.webgl.web); nodes link to entity pages."""
    return network_page(_graph(request).conn())


def browser_guide(request: Request) -> Response:
    """The Neo4j Browser guide (graph.guide): `:play http://127.0.0.1:8001/browser-guide` in Browser.

    Browser fetches it from its own origin, with a CORS preflight (OPTIONS), hence the headers."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=CORS_HEADERS)
    return HTMLResponse(guide_html(), headers=CORS_HEADERS)


# -- the app --------------------------------------------------------------------------------------
def routes() -> list:
    """Every URL the app answers. A new page is one Route here (a GET handler wrapped in
    `guarded`) and a template in graph/web/templates."""
    return [
        Route("/", home),
        Route("/search", search),
        Route("/search.json", search),
        Route("/entity/{id:path}", entity),
        Route("/article/{id:path}", article),
        Route("/add", add_form),
        Route("/add", add_article, methods=["POST"]),
        Route("/save", save_article, methods=["POST"]),
        Route("/queries", query_list),
        Route("/queries/{name:path}", query),
        Route("/dedupe", dedupe),
        Route("/dedupe.json", dedupe),
        Route("/dedupe.csv", dedupe),
        Route("/dedupe/decide", dedupe_decide, methods=["POST"]),
        Route("/browser-guide", browser_guide, methods=["GET", "OPTIONS"]),
        Route("/network", network),
        Route("/static/webgl/{name}", webgl_asset),
        Mount("/static/vis", StaticFiles(directory=vis_assets()), name="vis"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(settings: Settings | None = None, allowed_hosts=LOCAL_HOSTS, tokens: auth.Tokens | None = None,
               data=None, cache: bool = False) -> Starlette:
    """The ASGI app, for `settings` (default: the environment and .env, as the CLI reads them).

    Requests whose Host header is not one of `allowed_hosts` are refused (DNS rebinding). Writes
    need one of `tokens` (default: one new secret, `app.state.tokens`) and go into the dataset
    folder `data` (default ./data). With `cache`, pages are kept until the graph changes
    (graph.web.cache)."""
    settings = settings or Settings.from_env(retry_time=2.0)
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(SecurityHeaders),
                    Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
                    Middleware(TokenFromURL)],
        exception_handlers={404: not_found, HTTPException: http_error, 500: server_error},
    )
    app.state.graph = NeoGraph(settings)
    app.state.tokens = tokens or auth.Tokens.parse()
    app.state.data = Path(data or "data").resolve()
    app.state.cache = PageCache() if cache else None
    return app
