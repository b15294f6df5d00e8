"""The `dealgraph` command: a thin click layer over the Python API.

Heavy libraries (the driver, pandas, pyvis, rich, Starlette) are imported inside the functions that
use them, here and in the modules below, so `--help` stays fast.
Every DealgraphError becomes one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import click

from . import viz as pictures
from .analytics import analyze as run_analysis, check_as_of, stale_warning
from .connection import Settings, connect, env, explain
from .dataset import read_dataset
from .errors import DealgraphError, InputError
from .evidence import evidence_line
from .extract import GraphNames, draft_article, write_draft
from .extract.draft import choose_extractor
from .guide import guide_html, write_guide
from .imports import warning as incomplete_imports
from .load import load_dataset
from .pipeline import import_csv, import_deals, import_seed
from .queries import browser_script, check_params, get_query, list_queries, run_spec
from .resolution import apply as apply_judgements, candidates, decide, listing, split as undo
from .resolution.judgements import path_of
from .resolution.pairs import flat
from .resolve import resolve as resolve_name
from .schema import WIPE_BATCH, check_label, check_type
from .server import LocalServer
from .tables import write_answer
from .exports import SUFFIXES, read_graph, write as write_export
from .viz import MAX_NODES, check_max_nodes, write_page
from .webgl import MAX_NODES as WEBGL_MAX_NODES, write_page as write_webgl_page


class _Group(click.Group):
    """A group that turns our errors (and driver errors) into click's one-line errors."""

    def main(self, *args, **kwargs):
        """Like click's, but a usage error is one line too (click prints usage and a hint)."""
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            click.echo(f"Error: {exc.format_message()}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted: nothing was changed.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DealgraphError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except Exception as exc:
            if type(exc).__module__.startswith("neo4j"):
                raise click.ClickException(explain(exc)) from None
            raise


def _one_line(message: str, limit: int = 600) -> str:
    """An error as one readable line, however long the value it quotes (a 100 kB name, say)."""
    message = " ".join(message.split())
    return message if len(message) <= limit else f"{message[:limit - 160]} [...] {message[-150:]}"


def connection(ctx: click.Context):
    """The verified connection for this command, from the global flags, env and `.env`."""
    obj = ctx.find_root().obj or {}
    if "conn" not in obj:
        obj["conn"] = connect(**obj.get("overrides", {}))
        ctx.find_root().call_on_close(obj["conn"].close)
        if ctx.find_root().invoked_subcommand != "import":  # re-running an import is how to finish it

            if message := incomplete_imports(obj["conn"]):
                click.echo(message, err=True)
        if ctx.find_root().invoked_subcommand != "analyze":  # re-analysing is how to refresh the scores
            if message := stale_warning(obj["conn"]):
                click.echo(message, err=True)
    return obj["conn"]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--uri", metavar="URI", help="Neo4j URI: bolt://, or neo4j:// for Aura or a cluster (+s: TLS) "
              "[env NEO4J_URI; default bolt://localhost:7687]")
@click.option("--user", "username", metavar="NAME", help="Neo4j user [env NEO4J_USERNAME; default neo4j]")
@click.option("--password", metavar="SECRET", help="Neo4j password [env NEO4J_PASSWORD]")
@click.option("--database", metavar="NAME", help="Neo4j database [env NEO4J_DATABASE; default: the server's]")
@click.version_option(package_name="dealgraph")
@click.pass_context
def main(ctx, uri, username, password, database):
    """dealgraph: who funds whom, as a sourced Neo4j graph you can question."""
    ctx.obj = {"overrides": {"uri": uri, "username": username, "password": password, "database": database}}
    # The driver logs each retry of a managed transaction as a warning, which Python would print
    # on stderr; a retry that succeeds is not news, and one that fails ends as our one-line error.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())


# -- the local server ---------------------------------------------------------------------------
@main.group(cls=_Group)
def neo4j():
    """Run a local Neo4j 5.26 Community server (no Docker, no Maven) under $DEALGRAPH_HOME."""


def _server_options(f):
    f = click.option("--home", metavar="DIR", help="Server folder [env DEALGRAPH_HOME; default ./.dealgraph]")(f)
    f = click.option("--bolt-port", type=click.IntRange(1, 65535), help="Bolt port [env DEALGRAPH_BOLT_PORT; default 7687]")(f)
    f = click.option("--http-port", type=click.IntRange(1, 65535), help="HTTP/Browser port [env DEALGRAPH_HTTP_PORT; default 7474]")(f)
    return f


def _local(home, bolt_port, http_port):
    return LocalServer.from_env(home=home, bolt_port=bolt_port, http_port=http_port)


def _local_password(ctx) -> str:
    return Settings.from_env(**ctx.find_root().obj["overrides"]).password


@neo4j.command()
@_server_options
@click.pass_context
def start(ctx, home, bolt_port, http_port):
    """Start the local server and wait until Bolt answers (a no-op if it runs)."""
    server = _local(home, bolt_port, http_port)
    started = server.start(_local_password(ctx), echo=lambda m: click.echo(m, err=True))
    click.echo(("Started" if started else "Already running:") + f" Neo4j (pid {server.pid()})")
    click.echo(f"  Bolt:    {server.bolt_uri}")
    click.echo(f"  Browser: {server.browser_url}")


@neo4j.command()
@_server_options
def stop(home, bolt_port, http_port):
    """Shut the local server down cleanly."""
    server = _local(home, bolt_port, http_port)
    click.echo("Stopping Neo4j and waiting for it to shut down ...", err=True)
    stopped = server.stop()
    click.echo(stopped or "Neo4j was not running")


@neo4j.command()
@_server_options
@click.option("--verbose", "-v", is_flag=True, help="Also say which Java runs the local server and where its jars, "
              "configuration and logs are.")
@click.pass_context
def status(ctx, home, bolt_port, http_port, verbose):
    """Say whether Neo4j answers with these credentials (exit 0) or not (exit 1).

    It asks the server --uri or NEO4J_URI names (Aura or a cluster too: neo4j+s://...), else the
    local one."""
    server = _local(home, bolt_port, http_port)
    if verbose:
        for what, where in server.describe():
            click.echo(f"{what + ':':8} {where}")
    overrides = dict(ctx.find_root().obj["overrides"])
    if not overrides.get("uri") and (home or bolt_port or not env("NEO4J_URI")):
        overrides["uri"] = server.bolt_uri
    settings = Settings.from_env(**overrides)
    try:
        with connect(settings) as conn:
            info = conn.server_info()
            note = "\n".join(m for m in (incomplete_imports(conn), stale_warning(conn)) if m)
    except DealgraphError as exc:
        pid = server.pid()
        if pid:  # it runs, but will not talk to us with these settings
            raise click.ClickException(f"local Neo4j (pid {pid}) is up, but: {exc}") from None
        raise click.ClickException(f"not running: {exc}") from None
    pid = server.pid()
    local = f", local pid {pid}, Browser {server.browser_url}" if pid else ""
    click.echo(f"running: Neo4j {info['version']} {info['edition']} at {settings.uri}{local}")
    if note:
        click.echo(note, err=True)


# -- load and resolve (seed dataset) --------------------------------------------------------------
def _articles_option(f):
    return click.option("--articles", type=click.Path(), metavar="DIR",
                        help="First check that every fact's and round's evidence is in DIR/<its article's file>.")(f)


@main.command()
@click.argument("path", required=False)
@click.option("--reset", is_flag=True, help="Empty the database first (asks for confirmation unless --yes).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before --reset.")
@_articles_option
@click.pass_context
def load(ctx, path, reset, yes, articles):
    """Load the seed dataset (or the dataset at PATH, same YAML format) in one transaction.

    The dataset is validated in full first; a mistake is reported as file:line: field: message
    and nothing is written. Loading twice leaves the same graph. With --articles, the quotes
    (evidence, amount_text, ...) are also looked up in the articles' texts (case, spaces and
    Unicode form ignored) and the dataset is refused if one is not there.
    """
    dataset = read_dataset(path)
    if articles is not None:
        click.echo(evidence_line(dataset, articles))
    conn = connection(ctx)
    if reset and not yes:
        where = f"database {conn.database!r}" if conn.database else "the default database"
        click.confirm(f"--reset deletes every node and relationship in {where} at {conn.settings.uri}. "
                      "Continue?", abort=True, err=True)
    summary = load_dataset(conn, dataset, reset=reset)
    _print_load_summary(summary)


def _print_load_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"dealgraph load {summary.dataset}", title_justify="left")
    for heading in ("", "in dataset", "created", "updated", "unchanged"):
        table.add_column(heading, justify="left" if not heading else "right")
    for name, *numbers in summary.rows():
        table.add_row(name, *map(str, numbers))
    console = Console(soft_wrap=True)
    console.print(table)
    created, updated = sum(summary.created.values()), sum(summary.updated.values())
    deleted = summary.deleted
    parts = [f"{created} created", f"{updated} updated"]
    if deleted["nodes"] or deleted["relationships"]:
        parts.append(f"{deleted['nodes']} nodes and {deleted['relationships']} relationships deleted"
                     + (" (--reset)" if summary.reset else ""))
    console.print(("Loaded: " + ", ".join(parts)) if summary.changed else "Nothing changed: the graph already "
                  "holds this dataset.", highlight=False)
    for note in summary.notes:
        console.print(note, highlight=False)
    if summary.reset_in_batches:
        console.print(f"--reset: a graph this big was emptied in batches of {WIPE_BATCH:,} nodes, each its own "
                      "transaction, before the load (not all-or-nothing: had the load failed, the graph "
                      "would have stayed empty).", highlight=False)


@main.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the match as JSON.")
@click.pass_context
def resolve(ctx, text, as_json):
    """Find the entity a name stands for, in any spelling, case, accent or script.

    Says when the name is ambiguous, and suggests close names when it is unknown.
    """
    found = resolve_name(connection(ctx), text)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for key in ("id", "name", "kind", "country", "matched"):
        value = found.get(key)
        click.echo(f"{key + ':':9}{', '.join(value) if isinstance(value, list) else value if value else '-'}")



@main.command()
@click.argument("article", type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["auto", "vi", "ar", "en", "zh"]), default="auto", show_default=True,
              help="The article's language (auto: from its script and letters).")
@click.option("--title", help="The article's headline [default: its first line].")
@click.option("--outlet", help="The outlet that published it.")
@click.option("--date", "published", metavar="YYYY-MM-DD", help="Its date: relative dates ('last November') are read against it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE", help="Write the draft here [default: stdout].")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--data", type=click.Path(file_okay=False), metavar="DIR",
              help="Add the draft to this dataset folder (as <article>.yaml), for `dealgraph load DIR`.")
@click.option("--extractor", type=click.Choice(["auto", "rules", "llm"]), default="auto", show_default=True,
              help="rules: built in, offline; llm: the chat endpoint of DEALGRAPH_LLM_URL; auto: llm if that is set.")
@click.pass_context
def draft(ctx, article, lang, title, outlet, published, output, fmt, data, extractor):
    """Draft the facts of a news article (vi, ar, en, zh) as a dataset to review and load.

    Names are looked up in the graph's alias index; every fact and round quotes the article
    word for word (checked), with amounts and dates as written, a confidence and `draft: true`.
    """

    try:
        text = Path(article).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=article) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=article) from None
    chosen = choose_extractor(extractor)
    if chosen.where():
        click.echo(f"Sending the article to {chosen.where()} ...", err=True)
    result = draft_article(text, lang=lang, title=title, outlet=outlet, date=published,
                           names=GraphNames(connection(ctx)), source=Path(article).name, extractor=chosen)
    written = write_draft(result, output, fmt, data)
    if written is None:
        click.echo(result.to_json() if fmt == "json" else result.to_yaml(), nl=False)
    click.echo(result.summary() + (f"; written to {written}" if written else ""), err=True)


# -- duplicates: candidates and decisions (graph.resolution) --------------------------------------
def _data_option(f):
    return click.option("--data", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
                        help="Your data folder, where judgements.tsv is kept [env DEALGRAPH_DATA; default ./data].")(f)


@main.command()
@click.option("--kind", metavar="KIND", help="Only entities of this kind (Company, Fund, Person, ...).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Leave out weaker pairs.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many pairs (0: all).")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_data_option
@click.pass_context
def dedupe(ctx, kind, min_score, limit, fmt, data):
    """Pairs of entities that may be one, best first, with the reasons.

    Decide with `dealgraph merge A B` (same), `distinct A B` or `unsure A B`; decided pairs are not
    offered again."""
    if kind:
        check_label(kind)
    found = candidates(connection(ctx), kind=kind, min_score=min_score, limit=limit or None, data=data)
    rows = [flat(c) for c in found.candidates]
    keys = list(rows[0]) if rows else ["score", "a_id", "a_name", "b_id", "b_name", "reasons"]
    write_answer(keys, rows, fmt, sys.stdout)
    if fmt == "table":
        click.echo(f"{found.entities:,} entities, {found.compared:,} pairs compared in "
                   f"{sum(found.seconds.values()):.1f} s", err=True)


def _decision(judgement: str, doc: str):
    @click.argument("a")
    @click.argument("b")
    @_data_option
    @click.pass_context
    def command(ctx, a, b, data, **options):
        j = decide(connection(ctx), judgement, a, b, data=data, **options)
        done = {"same": f"Merged {j.b} into {j.a}", "different": f"Recorded: {j.a} and {j.b} are different",
                "unsure": f"Recorded: unsure whether {j.a} and {j.b} are one"}[judgement]

        click.echo(f"{done} ({path_of(data)})")
    command.__doc__ = doc
    return command


main.command("merge")(click.option("--name", default="", metavar="NAME", help="The name kept (one of either entity's names) "
                                   "[default: A's].")(click.option("--force", is_flag=True, help="Merge entities of different "
                                   "kinds, or linked to each other, all the same.")(_decision(
    "same", "A and B are one: B is merged into A (every name, source, fact and round), here and on every later load."))))
main.command("distinct")(_decision("different", "A and B are different entities: never offered as duplicates again."))
main.command("unsure")(_decision("unsure", "Not sure whether A and B are one: recorded, and not offered again."))


@main.command()
@click.argument("name")
@click.argument("other", required=False)
@_data_option
@click.pass_context
def split(ctx, name, other, data):
    """Undo the merges into NAME (only that of OTHER, if given): each entity is back with its own facts."""
    for ident in undo(connection(ctx), name, other, data=data):
        click.echo(f"Split {ident} out again")


@main.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--apply", "apply_now", is_flag=True, help="Apply every decision to the graph now (as loads and imports do).")
@_data_option
@click.pass_context
def judgements(ctx, fmt, apply_now, data):
    """The decisions of your judgements file (checked against the graph), in order."""
    if apply_now:
        for note in apply_judgements(connection(ctx), data=data):
            click.echo(note, err=True)
    rows = listing(connection(ctx), data=data)
    keys = list(rows[0]) if rows else ["judgement", "a", "a_name", "b", "b_name", "name", "at", "by", "line"]
    write_answer(keys, rows, fmt, sys.stdout)


# -- named queries ------------------------------------------------------------------------------
@main.command()
@click.argument("name", required=False)
def queries(name):
    """List the named queries (or show one, with its Cypher)."""
    if name:
        spec = get_query(name)
        click.echo(f"{spec.name} ({spec.module}): {spec.description}")
        for p in spec.params:
            click.echo(f"  -p {p}" + (f"    {p.help}" if p.help else ""))
        click.echo(f"\n{spec.cypher};")
        return
    module = None
    for spec in list_queries():
        if spec.module != module:
            click.echo(("\n" if module else "") + f"{spec.module}:")
            module = spec.module
        click.echo(f"  {spec.name:<24} {spec.description}")
        usage = " ".join(f"-p {p.name}={p.type.upper()}" if p.required else
                         f"[-p {p.name}={p.type.upper()}" + ("" if p.default is None else f", default {p.default}") + "]"
                         for p in spec.params)
        if usage:
            click.echo(f"  {'':<24} {usage}")


def _params(pairs) -> dict:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise DealgraphError(f"-p {pair!r}: expected KEY=VALUE")
        if key.strip() in params:
            raise DealgraphError(f"-p {key.strip()} is given twice")
        params[key.strip()] = value
    return params


@main.command()
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format (json: an array of row objects).")
@click.option("--browser", is_flag=True, help="Print the :param line and the query, to run in Neo4j Browser in two steps.")
@click.pass_context
def query(ctx, name, pairs, fmt, browser):
    """Run the named query NAME (see `dealgraph queries`), read-only."""
    spec = get_query(name)
    params = _params(pairs)
    check_params(spec, params)  # bad names and types fail before we connect
    conn = connection(ctx)
    if browser:
        click.echo(browser_script(conn, name, **params))
        return

    keys, records = run_spec(conn, spec, params)
    write_answer(keys, records, fmt, sys.stdout)



@main.command("browser-guide")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE.html",
              help="Write the guide here [default: print it].")
def browser_guide(output):
    """The Neo4j Browser guide: every named query with a worked example, one click each.

    Serve the file over HTTP with CORS headers from an allow-listed host, then `:play URL` in
    Neo4j Browser (see docs/browser.md)."""
    if output:
        path = write_guide(output)
        click.echo(f"Wrote {path}: serve it with CORS headers and `:play` its URL in Neo4j Browser")
    else:
        click.echo(guide_html(), nl=False)


# -- pictures (pyvis) ---------------------------------------------------------------------------
@main.group(cls=_Group)
def viz():
    """Interactive graph pages (standalone HTML, works offline): explore answers as pictures."""


def _viz_options(sized=True):
    def add(f):
        if sized:
            f = click.option("--size-by", type=click.Choice(["degree", "money", "pagerank"]), default="degree",
                             show_default=True, help="Node size: relationships, USD invested, or PageRank "
                             "(after `dealgraph analyze`).")(f)
        f = click.option("--engine", type=click.Choice(["auto", "pyvis", "webgl"]), default="auto", show_default=True,
                         help="pyvis (vis-network) or webgl (sigma.js: every node, for large graphs); auto: webgl "
                         "beyond --max-nodes.")(f)
        f = click.option("--max-nodes", type=int, default=None, metavar="N",
                         help="Beyond N nodes, draw with WebGL (or, with --engine pyvis, prune to the strongest "
                         "relationships) [default 2500].")(f)
        f = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE.html",
                         help="Where to write the page [default out/<picture>.html].")(f)
        return f
    return add


def _write_picture(net, output, default_name: str) -> None:

    safe = re.sub(r"[^\w.-]+", "-", default_name).strip("-") or "picture"
    path = write_page(net, output or f"out/{safe}.html")
    pruned = " (pruned to the strongest relationships; the page says so)" if net.dealgraph["pruned"] else ""
    click.echo(f"Wrote {path}: {net.num_nodes()} nodes, {net.num_edges()} relationships{pruned}")


def _max_nodes(value):
    return check_max_nodes(value or MAX_NODES)


def _draw(picture, engine: str, max_nodes: int, size_by: str, output, default_name: str) -> None:
    """Write a picture with the engine asked for; auto: pyvis up to max_nodes, WebGL beyond."""
    if engine == "webgl" or (engine == "auto" and len(picture.nodes) > max_nodes):
        if engine == "auto":
            click.echo(f"{len(picture.nodes):,} nodes is more than --max-nodes {max_nodes:,}: drawing every one "
                       "with the WebGL engine (--engine pyvis prunes to the strongest relationships instead)", err=True)
        safe = re.sub(r"[^\w.-]+", "-", default_name).strip("-") or "picture"
        path = write_webgl_page(picture, output or f"out/{safe}.html", size_by=size_by,
                          echo=lambda m: click.echo(m, err=True))
        pruned = " (pruned to the strongest relationships; the page says so)" if picture.pruned else ""
        click.echo(f"Wrote {path}: {len(picture.nodes):,} nodes, {len(picture.edges):,} relationships, WebGL, "
                   f"{path.stat().st_size / 1e6:.1f} MB{pruned}")
        return
    _write_picture(pictures.network(pictures.draw(picture, max_nodes, size_by)), output, default_name)


@viz.command()
@click.option("--country", "countries", multiple=True, metavar="CODE",
              help="Entities of this country (ISO code) and whom they deal with (repeatable).")
@click.option("--kind", "kinds", multiple=True, metavar="KIND", help="Only this kind of entity (repeatable).")
@click.option("--rel-type", "rel_types", multiple=True, metavar="TYPE", help="Only this relationship type (repeatable).")
@click.option("--color-by", type=click.Choice(["kind", "community"]), default="kind", show_default=True,
              help="Node colour: kind, or community (of `dealgraph analyze`).")
@_viz_options()
@click.pass_context
def ecosystem(ctx, countries, kinds, rel_types, color_by, output, max_nodes, engine, size_by):
    """The whole graph of entities and facts, optionally narrowed."""
    for kind in kinds:
        check_label(kind)  # fail before connecting
    for rel_type in rel_types:
        check_type(rel_type)
    max_nodes = _max_nodes(max_nodes)
    picture = pictures.ecosystem_picture(connection(ctx), countries=countries, kinds=kinds, rel_types=rel_types,
                                         max_nodes=max_nodes if engine == "pyvis" else max(max_nodes, WEBGL_MAX_NODES))
    picture.color_by = color_by
    _draw(picture, engine, max_nodes, size_by, output, "ecosystem")


@viz.command()
@click.argument("name")
@click.option("--depth", type=int, default=1, show_default=True,
              help="How many relationships away from NAME to go.")
@_viz_options()
@click.pass_context
def ego(ctx, name, depth, output, max_nodes, engine, size_by):
    """NAME (any alias, or an id) and its neighbourhood."""
    max_nodes = _max_nodes(max_nodes)
    _draw(pictures.ego_picture(connection(ctx), name, depth=depth), engine, max_nodes, size_by, output, f"ego-{name}")


@viz.command("query")
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@_viz_options()
@click.pass_context
def viz_query(ctx, name, pairs, output, max_nodes, engine, size_by):
    """The nodes, relationships and paths that the named query NAME returns."""
    params = _params(pairs)
    check_params(get_query(name), params)  # bad names and types fail before we connect
    max_nodes = _max_nodes(max_nodes)
    _draw(pictures.query_picture(connection(ctx), name, **params), engine, max_nodes, size_by, output, name)


@viz.command()
@click.option("--min-shared", type=int, default=1, show_default=True,
              help="Join two investors only if they back at least this many companies together.")
@click.option("--color-by", type=click.Choice(["community", "kind"]), default=None,
              help="Node colour: community (of `dealgraph analyze`) or kind [default: community once analysed].")
@click.option("--size-by", type=click.Choice(["pagerank", "degree", "money"]), default=None,
              help="Node size: PageRank, co-investors, or USD invested [default: pagerank once analysed].")
@_viz_options(sized=False)
@click.pass_context
def coinvest(ctx, min_shared, color_by, size_by, output, max_nodes, engine):
    """Investors joined by the companies they back together (edge width: how many).

    After `dealgraph analyze`, nodes are coloured by community and sized by PageRank.
    """
    max_nodes = _max_nodes(max_nodes)
    picture, size_by = pictures.coinvest_styled(connection(ctx), min_shared=min_shared, color_by=color_by,
                                                size_by=size_by)
    _draw(picture, engine, max_nodes, size_by, output, "coinvest")


# -- exports ------------------------------------------------------------------------------------
@main.command("export")
@click.argument("fmt", metavar="gexf|graphml|ftm", type=click.Choice(["gexf", "graphml", "ftm"]))
@click.option("--as-of", metavar="DATE", help="Leave out facts dated after DATE (2023, 2023-07, 2023-07-15).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Where to write it [default out/dealgraph.gexf, .graphml or .ftm.json].")
@click.pass_context
def export(ctx, fmt, as_of, output):
    """Every entity and fact for Gephi (gexf: with dates as spells; graphml) or FollowTheMoney (ftm:
    JSON lines, as Aleph and OpenSanctions read them). Analysis scores come along as attributes."""
    check_as_of(as_of)  # a bad date fails before we connect
    conn = connection(ctx)
    picture = read_graph(conn, as_of)
    path = write_export(picture, fmt, output or f"out/dealgraph{SUFFIXES[fmt]}", conn=conn)
    click.echo(f"Wrote {path}: {len(picture.nodes):,} entities, {len(picture.edges):,} facts"
               + (f" (as of {as_of})" if as_of else ""))


# -- analytics ----------------------------------------------------------------------------------
@main.command()
@click.option("--as-of", metavar="DATE", help="Leave out investments dated after DATE (2023, 2023-07, 2023-07-15).")
@click.option("--min-shared", type=click.IntRange(min=1), default=1, show_default=True,
              help="Join two investors only if they back at least this many companies together.")
@click.option("--progress/--no-progress", default=None, help="Progress bar [default: when on a terminal].")
@click.pass_context
def analyze(ctx, as_of, min_shared, progress):
    """Score every investor in the co-investment network and find its communities.

    Writes degree, weighted_degree, pagerank, betweenness and community onto the investors and
    records the run as an (:Analysis); `dealgraph query central_investors` and `communities` read them.
    """
    check_as_of(as_of)  # a bad date fails before we connect
    result = run_analysis(connection(ctx), as_of=as_of, min_shared=min_shared, show_progress=progress)
    from rich.console import Console
    from rich.table import Table

    table = Table(title="dealgraph analyze", title_justify="left")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for step, seconds in result.seconds.items():
        table.add_row(step, f"{seconds:.1f}")
    table.add_row("total", f"{sum(result.seconds.values()):.1f}", style="bold")
    console = Console(soft_wrap=True)
    console.print(table)
    between = result.parameters["betweenness"]
    how = "exact" if between["exact"] else (f"estimated to ±{between['error']} from {between['samples']:,} "
                                            f"sampled paths, seed {between['seed']}")
    console.print(f"{result.nodes:,} investors, {result.edges:,} co-investment ties"
                  + (f" (as of {as_of})" if as_of else "") + (f" (at least {min_shared} companies)" if min_shared > 1 else "")
                  + f"; {result.communities:,} communities, modularity {result.modularity:.3f}; betweenness {how}"
                  + (f"; cleared the scores of {result.cleared:,} investors no longer in the network" if result.cleared else ""),
                  highlight=False)
    console.print("Next: dealgraph query central_investors, dealgraph query communities, dealgraph viz coinvest",
                  highlight=False)


# -- the web app ---------------------------------------------------------------------------------
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (another than 127.0.0.1 makes the app reachable from elsewhere).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the app in the default browser.")
@click.option("--allow-host", "extra_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable; others are refused).")
@click.option("--token", "tokens", multiple=True, metavar="[LABEL=]SECRET", envvar="DEALGRAPH_TOKEN",
              help="The secret that saving needs (repeatable, one per person; LABEL names them in the history) "
              "[env DEALGRAPH_TOKEN; default: a new one, printed]. Prefer the env: a command line is public.")
@click.option("--data", type=click.Path(file_okay=False), default="data", show_default=True, metavar="DIR",
              help="The dataset folder that saved articles go into (the seed's YAML format).")
@click.option("--cache", is_flag=True, help="Keep pages until the graph changes (keyed on the last load, import, "
              "save, judgement and analysis).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes serving the app (more than one uses more cores).")
@click.pass_context
def serve(ctx, host, port, open_browser, extra_hosts, tokens, data, cache, workers):
    """Explore the graph in a browser: search, entity and article pages, the named queries as forms;
    add an article and save it into --data.

    Every page has .json and .csv twins at the same URL. Reads the same Neo4j settings as the
    other commands; keeps running (and says so on its pages) while Neo4j is away. Saving needs
    the secret token printed at start (as Jupyter's).
    """
    from .web import Tokens, serve as run  # Starlette and uvicorn: heavy, loaded for `serve` only

    settings = Settings.from_env(**ctx.find_root().obj["overrides"], retry_time=2.0)
    run(settings, host=host, port=port, open_browser=open_browser, extra_hosts=extra_hosts,
        echo=lambda line: click.echo(line, err=True), tokens=Tokens.parse(tokens), data=data, cache=cache,
        workers=workers)


# -- CSV import ---------------------------------------------------------------------------------
@main.group("import", cls=_Group)
def import_():
    """Load large exports in batches (checked first; loading twice changes nothing)."""


def _skip_options(f):
    f = click.option("--rejects", metavar="PATH", type=click.Path(dir_okay=False, path_type=str),
                     help="With --skip-invalid: where to write the rejected rows [default: <input>.rejects.csv "
                     "beside the input].")(f)
    f = click.option("--skip-invalid", is_flag=True, help="Import the good rows and write each bad one, with its "
                     "line and reason, to the rejects file (default: a bad row stops the import, nothing written).")(f)
    return f


def _bulk_option(f):
    return click.option("--bulk", is_flag=True, help="First import into the local server's EMPTY database through "
                        "neo4j-admin (much faster; stops and restarts the server). Refused for anything else.")(f)


def _batch_options(unit: str, default_name: str | None = None):
    """--batch-size, --progress and (for an import that takes one) --name: what every import has."""
    def add(f):
        f = click.option("--progress/--no-progress", default=None, help="Progress bar [default: when on a terminal].")(f)
        f = click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True,
                         help=f"{unit} per transaction.")(f)
        if default_name:
            f = click.option("--name", metavar="SOURCE", help="The import's name, kept as `source` on what it loads "
                             f"[default: {default_name}].")(f)
        return f
    return add


@import_.command("csv")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@_batch_options("Rows", "crunchbase:<folder name>")
@_skip_options
@_bulk_option
@click.pass_context
def import_csv_command(ctx, folder, batch_size, name, progress, skip_invalid, rejects, bulk):
    """Import a Crunchbase CSV export FOLDER (organizations, funding_rounds, investments, ...).

    Every row is checked first; if any is bad, the first problem is shown as file:line: field
    and nothing is imported (unless --skip-invalid).
    """
    summary = import_csv(connection(ctx), folder, batch_size=batch_size, source=name, show_progress=progress,
                         skip_invalid=skip_invalid, rejects=rejects, bulk=bulk)
    _print_summary(summary)


@import_.command("deals")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADER",
              help="Read FIELD from the column HEADER (repeatable); fields: investor, company, date, amount, "
              "currency, amount_usd, round, lead, investor_country, company_country, investor_kind.")
@_batch_options("Records", "deals:<file names>")
@click.option("--dayfirst", "order", flag_value="day", help="Read 08/03/2021 as 8 March (a column settles its "
              "own order when one of its dates has a day over 12).")
@click.option("--monthfirst", "order", flag_value="month", help="Read 08/03/2021 as 3 August.")
@click.option("--null", "nulls", multiple=True, metavar="TEXT", help="A cell saying TEXT is empty, like 'Not "
              "Published' or 'N/A' (repeatable).")
@_skip_options
@_bulk_option
@click.pass_context
def import_deals_command(ctx, files, columns, name, batch_size, progress, order, nulls, skip_invalid, rejects, bulk):
    """Import deals spreadsheets FILE... (.csv or .xlsx): one row per investor per round.

    Headers are recognised by their common names (see docs/imports.md); the mapping chosen is printed
    first. Every row is checked before anything is written; names join existing entities through
    the alias index. A bad row stops the import (nothing written) unless --skip-invalid.
    """
    pairs = {}
    for pair in columns:
        fld, sep, header = pair.partition("=")
        if not sep or not fld.strip() or not header.strip():
            raise DealgraphError(f"--column {pair!r}: expected FIELD=HEADER")
        pairs[fld.strip()] = header.strip()

    def shown(file, fields):
        click.echo(f"{file}: " + ", ".join(f"{fld} <- {header}" for fld, header in fields.items()))

    summary = import_deals(connection(ctx), files, columns=pairs, source=name, skip_invalid=skip_invalid,
                           rejects=rejects, batch_size=batch_size, show_progress=progress, on_mapping=shown,
                           bulk=bulk, order=order, nulls=nulls)
    _print_summary(summary)


@import_.command("seed")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=str))
@_batch_options("Records")
@_bulk_option
@_articles_option
@click.pass_context
def import_seed_command(ctx, path, batch_size, progress, bulk, articles):
    """Write a dataset in the seed's YAML format (default: the bundled seed) in batches.

    Checked first like `dealgraph load` (with --articles, its quotes against the articles' texts
    too), then written a batch per transaction rather than in one, for datasets too large for one
    transaction.
    """
    _print_summary(import_seed(connection(ctx), path, batch_size=batch_size, show_progress=progress, bulk=bulk,
                               articles=articles))


def _print_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Imported", title_justify="left")
    for header in ("file", "rows", "nodes created", "relationships created", "seconds", "rows/s"):
        table.add_column(header, justify="left" if header == "file" else "right")
    for s in summary.steps:  # a step that writes no rows of its own (checking, the importer) shows no rate
        table.add_row(s.name, f"{s.rows:,}" if s.rows else "", f"{s.nodes_created:,}", f"{s.relationships_created:,}",
                      f"{s.seconds:.1f}", f"{s.rows_per_second:,.0f}" if s.rows else "")
    table.add_row("total", f"{summary.rows:,}", f"{summary.nodes_created:,}",
                  f"{summary.relationships_created:,}", f"{summary.seconds:.1f}",
                  f"{summary.rows / summary.seconds if summary.seconds else 0:,.0f}", style="bold")
    console = Console(width=max(100, Console().width))
    console.print(table)
    for note in summary.notes:
        console.print(note, highlight=False, soft_wrap=True)
    if summary.rejected:
        console.print(f"Rejected {summary.rejected:,} row{'s' if summary.rejected != 1 else ''}: "
                      f"see {summary.rejects}", highlight=False, soft_wrap=True)


if __name__ == "__main__":
    main(prog_name="dealgraph")
