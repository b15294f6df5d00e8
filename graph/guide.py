"""The dealgraph guide for Neo4j Browser: every named query one click away, with a worked example.

Neo4j Browser plays a guide with `:play URL`: it fetches the HTML, keeps each `<slide>` as a page,
and gives every `<pre class="runnable">` a play icon that runs its text (a click on the text puts
it in the editor instead). So each query gets two blocks: a `:param` command that sets its
example's parameters, then the query itself, drawn as a graph or a table.

The guide is generated from `cypher/*.cypher` (graph.queries), so a new query file appears in it
without editing anything here; the example values come from each query's `// example:` line. The
style sheet slide applies `cypher/dealgraph.grass` with one click (Browser's `:style` takes grass
text), and the model slide is graph/schema.py's.

Browser fetches the guide cross-origin, with headers that need a CORS preflight, and only from
the hosts in the server's `browser.remote_content_hostname_whitelist` (graph.server adds
127.0.0.1 to Neo4j's `guides.neo4j.com,localhost`). Whatever serves the guide must therefore
answer with CORS_HEADERS, to OPTIONS as well as to GET.
"""
from __future__ import annotations

from pathlib import Path

from . import schema
from .paths import data_path, write_whole
from .queries import browser_param_command, list_queries


# What a server of the guide must send (to OPTIONS and GET) for Browser's cross-origin fetch:
# Browser 5.24 sends `cache-control`, `pragma` and Sentry's `sentry-trace`, so any header is allowed.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "*",
}


def guide_html() -> str:
    """The guide as one HTML document (utf-8 text), every value escaped."""
    import jinja2
    from markupsafe import Markup, escape


    def browser_safe(value) -> Markup:
        # Escaped as usual, and '=' too: Browser strips anything like ` onclick=...` from a guide's
        # text before showing it (its cleanHtml), which would eat ` only = 1` in a query.
        if isinstance(value, Markup):
            return value
        return Markup(str(escape(value)).replace("=", "&#61;"))

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, finalize=browser_safe)
    modules: dict[str, dict] = {}
    for spec in list_queries():
        module = modules.setdefault(spec.module, {"name": spec.module, "title": _module_title(spec.file),
                                                  "queries": []})
        values = spec.example_values
        module["queries"].append({
            "spec": spec,
            "params": browser_param_command(values),
            "unset": [p.name for p in spec.params if p.required and values[p.name] is None],
            "example": ", ".join(f"{k} = {v}" for k, v in spec.example),
        })
    model = (schema.__doc__ or "").split("\n\n", 1)[-1].strip()
    return env.get_template("browser-guide.html").render(
        modules=list(modules.values()), grass=(data_path("cypher") / "dealgraph.grass").read_text(encoding="utf-8"),
        kinds=schema.ENTITY_KINDS, other_labels=schema.OTHER_LABELS, fact_types=schema.FACT_TYPES,
        link_types=schema.LINK_TYPES, model=model)


def write_guide(path) -> Path:
    """Write the guide to `path` (creating its folder); all or nothing."""
    return write_whole(path, guide_html())


def _module_title(file: str) -> str:
    """What a module is about: its first line, if a comment (`// dealgraph named queries: X.` gives X)."""
    try:
        with open(file, encoding="utf-8") as f:
            first = f.readline().strip()
    except OSError:
        return ""
    if not first.startswith("//"):
        return ""
    text = first.lstrip("/").strip()
    return text.split(":", 1)[1].strip() if ":" in text else text
