"""How a query's answer looks: a rich table for people, CSV and JSON for programs.

The table and CSV show a node as its name, a relationship as its type and a path as its route
("Alibaba Group -INVESTED_IN-> Zhipu AI"); JSON keeps everything (`graph.queries.plain`).
A fact to read with care says so wherever it is shown: "COMPETES_WITH (former)", "LEADS (caveat)",
"INVESTED_IN (cumulative)", so that a table or a path never passes it off as a plain fact.
"""
from __future__ import annotations

import json
from typing import Any, TextIO

from . import values
from .queries import plain


def display(value: Any, *, table: bool = False) -> str:
    """One cell as text: names for nodes, routes for paths, other values by graph.values.shown."""
    from neo4j import graph as ng

    if value is None:
        return ""
    if isinstance(value, ng.Node):
        return str(value.get("name") or value.get("title") or value.get("id") or value.element_id)
    if isinstance(value, ng.Relationship):
        return value.type + marks(value)
    if isinstance(value, ng.Path):
        return route(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(display(v, table=table) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return values.shown(value, grouped=table)  # the one rule pictures use too (amounts: 342,000,000)


def marks(rel) -> str:
    """' (former until 2023, caveat)': what a relationship's status, caveat and cumulative flag say."""
    out = []
    if rel.get("status"):
        out.append(rel["status"] + (f" until {rel['until']}" if rel.get("until") else ""))
    if rel.get("caveat"):
        out.append("caveat")
    if rel.get("cumulative"):
        out.append("cumulative")
    return f" ({', '.join(out)})" if out else ""


def route(path) -> str:
    """A path as text, arrows pointing the way each relationship is stored."""
    nodes = list(path.nodes)
    out = display(nodes[0])
    for i, rel in enumerate(path.relationships):
        forward = rel.start_node is not None and rel.start_node.element_id == nodes[i].element_id
        label = rel.type + marks(rel)
        out += f" -{label}-> " if forward else f" <-{label}- "
        out += display(nodes[i + 1])
    return out


def write_answer(keys: list[str], records: list, fmt: str, out: TextIO) -> None:
    """Print an answer as `table`, `csv` or `json` (an array of row objects)."""
    if fmt == "json":
        rows = [{k: plain(v) for k, v in zip(keys, record.values())} for record in records]
        json.dump(rows, out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for record in records:
            writer.writerow([display(v) for v in record.values()])
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=False, header_style="bold")
        for key in keys:  # a long word (an id, a type) folds onto the next line instead of being cut
            table.add_column(key, overflow="fold")
        for record in records:
            table.add_row(*(Text(display(v, table=True)) for v in record.values()))
        Console(file=out, width=None if out.isatty() else 140).print(table)
        n = len(records)
        out.write(f"{n} row{'s' if n != 1 else ''}\n")
