"""Named queries: the Cypher in `cypher/*.cypher`, found by name, checked, and run read-only.

A module file holds several queries. Each starts with a header of comments and ends with `;`:

    // name: backers_of_both
    // description: Investors that back both companies
    // param a: entity                -- any name of the first company
    // param as_of: date = null       -- optional: no default means required
    // param by: pagerank|degree = pagerank   -- a choice: one of the words listed
    // example: a=zhipu-ai b=baichuan  -- optional: a worked example from the seed, and what it shows

An example gives values as the Cypher receives them (entity and article ids, not names), KEY=VALUE
separated by spaces (quote a value with spaces); parameters it leaves out take their defaults. The
Neo4j Browser guide (graph.guide) sets it with one click above the query; a test runs every
example against the seed, so the guide never shows an example that answers nothing.

The Cypher itself takes user values only as `$parameters`, so the same text runs here, from
the CLI and, after `:param` lines, in Neo4j Browser. Values are checked against the declared
types before anything runs; `entity` values are resolved through the alias index to an id.
Queries run in a read transaction, so the server itself refuses one that tries to write.

Extra folders of `.cypher` modules can be listed in DEALGRAPH_QUERY_PATH (os.pathsep-separated).
"""
from __future__ import annotations

import difflib
import os
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import values
from .connection import connect
from .errors import DealgraphError, InputError, Unavailable
from .paths import data_path
from .resolve import find
from .schema import FACT_TYPES

TYPES = ("entity", "article", "string", "int", "float", "bool", "date", "fact_type")
_REQUIRED = object()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = _REQUIRED
    help: str = ""

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def __str__(self) -> str:
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {_cypher_literal(self.default)}"


@dataclass(frozen=True)
class QuerySpec:
    name: str
    module: str
    description: str
    params: tuple[Param, ...]
    cypher: str  # the query as it is in the file, header comments included, without the final `;`
    file: str
    line: int
    example: tuple[tuple[str, Any], ...] = ()  # (name, value) pairs from `// example:`
    example_help: str = ""                    # its `-- help`, what the example shows

    @property
    def example_values(self) -> dict[str, Any]:
        """Every parameter's value in the worked example: the example's, else the default (None
        for a required parameter the query has no example for)."""
        given = dict(self.example)
        return {p.name: given.get(p.name, None if p.required else p.default) for p in self.params}

    @property
    def body(self) -> str:
        """The Cypher without its header lines (name, description, params, example), for showing
        next to them; other comments stay."""
        return "\n".join(line for line in self.cypher.splitlines() if not _HEADER.match(line)).strip()


# -- reading the module files --------------------------------------------------------------------
_HEADER = re.compile(r"^\s*//\s*(?:(name|description|example)\s*:|(param)\s)\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>\w+(?:\|\w+)*)\s*(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<help>.*))?$")
_DOLLAR = re.compile(r"\$([A-Za-z_]\w*)")


def parse_module(path: Path | str) -> list[QuerySpec]:
    """The queries of one `.cypher` file; a malformed header is an InputError naming its line."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"^\s*//\s*name\s*:", line)]
    specs = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        specs.append(_parse_query(path, lines, start, end))
    return specs


def _parse_query(path: Path, lines: list[str], start: int, end: int) -> QuerySpec:
    def fail(message, i, field=None):
        raise InputError(message, file=str(path), line=i + 1, field=field)

    name = description = example = None
    params: list[Param] = []
    body_end = None
    for i in range(start, end):
        match = _HEADER.match(lines[i])
        if match:
            key, value = match.group(1) or match.group(2), match.group(3).strip()
            if key == "name":
                if not re.fullmatch(r"[a-z_][a-z0-9_]*", value):
                    fail(f"query names are lower_case_with_underscores, got {value!r}", i, "name")
                name = value
            elif key == "description":
                description = value
            elif key == "example":
                if example is not None:
                    fail(f"query {name!r} has two '// example:' lines", i, "example")
                example = (value, i)
            else:
                params.append(_parse_param(value, lambda m, f=None, i=i: fail(m, i, f)))
        if lines[i].rstrip().endswith(";") and not lines[i].lstrip().startswith("//"):
            body_end = i
            break
    if body_end is None:
        fail(f"query {name!r} does not end with ';'", start)
    if not description:
        fail(f"query {name!r} has no '// description:' line", start, "description")
    for i in range(start, body_end):
        if lines[i].lstrip().startswith("//") and ";" in lines[i]:
            fail("';' in a comment: Neo4j Browser would end the query there", i)
    cypher = "\n".join(lines[start:body_end + 1]).rstrip()[:-1].rstrip()
    code = "\n".join(l for l in cypher.splitlines() if not l.lstrip().startswith("//"))
    used = set(_DOLLAR.findall(code))
    declared = [p.name for p in params]
    if len(set(declared)) != len(declared):
        fail(f"query {name!r} declares a parameter twice", start, "param")
    if used - set(declared):
        fail(f"query {name!r} uses undeclared ${', $'.join(sorted(used - set(declared)))}", start, "param")
    if set(declared) - used:
        fail(f"query {name!r} declares unused {', '.join(sorted(set(declared) - used))}", start, "param")
    pairs, example_help = ((), "") if example is None else _parse_example(
        name, example[0], params, lambda m, i=example[1]: fail(m, i, "example"))
    return QuerySpec(name, path.stem, description, tuple(params), cypher, str(path), start + 1,
                     pairs, example_help)


def _parse_example(name: str, text: str, params: list[Param], fail) -> tuple[tuple, str]:
    """`KEY=VALUE ... [-- help]` (shell quoting) checked against the declared parameters and their
    types: the (name, value) pairs and the help."""
    values_text, _, example_help = f" {text}".partition(" -- ")
    try:
        tokens = shlex.split(values_text)
    except ValueError as exc:
        fail(f"example of {name}: {exc}")
    declared = {p.name: p for p in params}
    values: dict[str, Any] = {}
    for token in tokens:
        key, sep, raw = token.partition("=")
        if not sep:
            fail(f"example of {name}: expected KEY=VALUE, got {token!r}")
        if key not in declared:
            fail(f"example of {name} sets {key!r}, which is not one of its parameters "
                 f"({', '.join(declared) or 'it has none'})")
        if key in values:
            fail(f"example of {name} sets {key} twice")
        try:
            values[key] = _convert(declared[key].type, raw)
        except ValueError as exc:
            fail(f"example of {name}: {key}: {exc}")
    missing = [p.name for p in params if p.required and p.name not in values]
    if missing:
        fail(f"example of {name} leaves out required {', '.join(missing)}")
    return tuple(values.items()), example_help.strip()


def _parse_param(text: str, fail) -> Param:
    match = _PARAM.match(text)
    if not match:
        fail(f"expected 'param KEY: TYPE [= DEFAULT] [-- help]', got {text!r}", "param")
    ptype = match["type"]
    if ptype not in TYPES and "|" not in ptype:
        fail(f"unknown type {ptype!r} (types: {', '.join(TYPES)})", "param")
    default = _REQUIRED
    if match["default"] is not None:
        raw = match["default"].strip()
        if raw == "null":
            default = None
        else:
            try:
                default = _convert(ptype, raw.strip("'\""))
            except ValueError as exc:
                fail(f"default of {match['name']}: {exc}", "param")
    return Param(match["name"], ptype, default, (match["help"] or "").strip())


def _folders() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("DEALGRAPH_QUERY_PATH", "").split(os.pathsep) if p]
    return [data_path("cypher"), *extra]


@lru_cache(maxsize=8)
def _load(folders: tuple[Path, ...]) -> dict[str, QuerySpec]:
    specs: dict[str, QuerySpec] = {}
    for folder in folders:
        if not folder.is_dir():
            raise DealgraphError(f"DEALGRAPH_QUERY_PATH: {folder} is not a folder")
        for path in sorted(folder.glob("*.cypher")):
            for spec in parse_module(path):
                if spec.name in specs:
                    first = specs[spec.name]
                    raise InputError(f"query {spec.name!r} is already defined in {first.file}:{first.line}",
                                     file=spec.file, line=spec.line, field="name")
                specs[spec.name] = spec
    return specs


def _specs() -> dict[str, QuerySpec]:
    return _load(tuple(_folders()))


def list_queries() -> list[QuerySpec]:
    """Every named query, by module then in file order."""
    return sorted(_specs().values(), key=lambda s: (s.module, s.file, s.line))


def get_query(name: str) -> QuerySpec:
    """The query called `name`, or a DealgraphError that suggests the closest names."""
    specs = _specs()
    if name in specs:
        return specs[name]
    close = difflib.get_close_matches(name, specs, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "`dealgraph queries` lists them"
    raise DealgraphError(f"unknown query {name!r}: {hint}")


# -- checking values (the rules are graph.values': one for query parameters, forms and files) --------
_EXPECTED = {"int": ("an integer", values.integer), "float": ("a number", values.real),
             "bool": ("true or false", values.flag),
             "date": ("a date like 2023, 2023-07 or 2023-07-15", values.date)}


def _convert(ptype: str, value: Any) -> Any:
    """A value of the declared type (from a CLI string or a Python value); ValueError if not."""
    if ptype in ("entity", "article", "string"):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"expected a non-empty {'name' if ptype == 'entity' else 'text'}, got {value!r}")
        return value.strip() if ptype != "string" else value
    if ptype in _EXPECTED:
        what, check = _EXPECTED[ptype]
        try:
            checked = check(value)
        except ValueError as exc:
            reason = str(exc).partition("(")[2].rstrip(")")
            raise ValueError(f"expected {what}{f' ({reason})' if reason else ''}, got {value!r}") from None
        if checked is None:
            raise ValueError(f"expected {what}, got {value!r}")
        return checked
    if "|" in ptype:  # a choice among the words listed (e.g. the score to rank by)
        choices = ptype.split("|")
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
        return value
    if ptype == "fact_type":  # a relationship type the schema knows (RAISED: funding rounds)

        text = value.strip().upper() if isinstance(value, str) else value
        if text not in FACT_TYPES + ("RAISED",):
            raise ValueError(f"expected one of {', '.join(FACT_TYPES + ('RAISED',))}, got {value!r}")
        return text
    raise ValueError(f"unknown type {ptype!r}")


def check_params(spec: QuerySpec, params: dict[str, Any]) -> dict[str, Any]:
    """Values checked against the header (names, required, types); entities not yet resolved."""
    extra = sorted(set(params) - {p.name for p in spec.params})
    if extra:
        known = ", ".join(p.name for p in spec.params) or "none"
        raise DealgraphError(f"query {spec.name} has no parameter {', '.join(extra)} (its parameters: {known})")
    values = {}
    for p in spec.params:
        value = params.get(p.name)
        if value is None:
            if p.required:
                raise DealgraphError(f"query {spec.name} needs parameter {p.name} ({p.type}): "
                                     f"add -p {p.name}=VALUE")
            values[p.name] = p.default
            continue
        try:
            values[p.name] = _convert(p.type, value)
        except ValueError as exc:
            raise DealgraphError(f"query {spec.name}: parameter {p.name}: {exc}") from None
    return values


def bind(conn, spec: QuerySpec, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters the Cypher receives: checked, with entity and article names resolved to ids."""
    values = check_params(spec, params)
    for p in spec.params:
        if values[p.name] is None or p.type not in ("entity", "article"):
            continue
        try:
            if p.type == "entity":
                values[p.name] = resolve_entity(conn, values[p.name])
            else:
                values[p.name] = resolve_article(conn, values[p.name])
        except Unavailable:
            raise  # Neo4j away is not a bad parameter
        except DealgraphError as exc:
            raise DealgraphError(f"query {spec.name}: parameter {p.name}: {exc}") from None
    return values


def resolve_entity(conn, text: str) -> str:
    """An entity id from the id itself (one index seek) or any name or alias (graph.resolve)."""
    return find(conn, text)["id"]


def resolve_article(conn, text: str) -> str:
    """An article id from its id, its id without the extension, or a unique prefix of it."""
    ids = [row["id"] for row in conn.read("MATCH (a:Article) RETURN a.id AS id ORDER BY id")]
    if text in ids:
        return text
    hits = [i for i in ids if i.startswith(text) or Path(i).stem == text]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise DealgraphError(f"article {text!r} is ambiguous: {', '.join(hits)}")
    close = difflib.get_close_matches(text, ids, n=3, cutoff=0.4) or ids[:5]
    hint = f"; articles: {', '.join(close)}" if close else "; the graph has no articles (run `dealgraph load`)"
    raise DealgraphError(f"unknown article {text!r}{hint}")


# -- running -------------------------------------------------------------------------------------
def run_spec(conn, spec: QuerySpec, params: dict[str, Any]):
    """(keys, records) of a query in a read transaction: the server refuses any write."""
    return run_bound(conn, spec, bind(conn, spec, params))


def run_bound(conn, spec: QuerySpec, values: dict[str, Any]):
    """run_spec with the parameters already bound (`bind`): what a page that also shows the
    Browser script (`bound_script`) runs, so that it binds once."""
    def work(tx):
        result = tx.run(spec.cypher, values)
        records = list(result)
        return list(result.keys()), records

    return conn.execute_read(work)


def run_records(conn, name: str, **params):
    """(keys, records) with the driver's Nodes, Relationships and Paths intact (for pictures)."""
    return run_spec(conn, get_query(name), params)


def run_query(name: str, conn=None, **params):
    """The answer as a pandas DataFrame; nodes, relationships and paths become plain dicts."""
    import pandas as pd

    spec = get_query(name)
    if conn is None:
        with connect() as own:
            keys, records = run_spec(own, spec, params)
    else:
        keys, records = run_spec(conn, spec, params)
    return pd.DataFrame([[plain(v) for v in record.values()] for record in records], columns=keys)


def plain(value: Any) -> Any:
    """A driver value as plain Python: nodes are their properties plus `_labels`, and so on."""
    from neo4j import graph as ng

    if isinstance(value, ng.Node):
        return {**dict(value), "_labels": sorted(value.labels)}
    if isinstance(value, ng.Relationship):
        start, end = value.start_node, value.end_node
        return {**dict(value), "_type": value.type,
                "_start": start.get("id") if start is not None else None,
                "_end": end.get("id") if end is not None else None}
    if isinstance(value, ng.Path):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value


# -- Neo4j Browser ---------------------------------------------------------------------------------
def _cypher_literal(value: Any) -> str:
    if value is None or value is _REQUIRED:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def browser_param_command(values: dict[str, Any]) -> str:
    """One Neo4j Browser `:param` command that sets every parameter at once, or "" for none.

    The values are Cypher literals that the server evaluates (`[{a, b}] => { RETURN ... }`), so an
    int stays an INTEGER: `:params {limit: 20}` would send the float 20.0, which LIMIT refuses."""
    if not values:
        return ""
    names = ", ".join(values)
    returns = ", ".join(f"{_cypher_literal(value)} AS `{key}`" for key, value in values.items())
    return f":param [{{{names}}}] => {{ RETURN {returns} }}"


def browser_script(conn, name: str, **params) -> str:
    """The `:param` command (entities already resolved to ids) and the query, for Neo4j Browser.

    Browser runs a pasted script of several statements in its multi-statement mode, which shows
    a tick per statement and draws no answer; so the script says to run it in two steps."""
    spec = get_query(name)
    return bound_script(spec, bind(conn, spec, params))


def bound_script(spec: QuerySpec, values: dict[str, Any]) -> str:
    """browser_script with the parameters already bound (`bind`)."""
    if not values:
        return "\n".join(["// Neo4j Browser: paste all of this and run it (one statement).", spec.cypher + ";"])
    return "\n".join([
        "// Neo4j Browser, in two steps (pasted whole, Browser runs each statement apart and draws nothing):",
        "// 1. paste this line alone and run it: it sets the parameters",
        browser_param_command(values),
        "",
        "// 2. then paste the query, from here to the end, and run it: Browser draws the answer",
        spec.cypher + ";",
    ])
