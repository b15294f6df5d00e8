"""GEXF (with spells, for Gephi's timeline) and GraphML, written by networkx from one graph.

Both formats type each attribute once for all nodes (or edges), and neither holds lists, so the
values are made uniform first: lists are joined with "; ", an attribute that is an integer on one
fact and a decimal on another is a decimal on all, one of mixed kinds (a number here, text there)
is text everywhere.
"""
from __future__ import annotations

import io

from ..picture import Picture, name_of

LIST_SEPARATOR = "; "


def day(date) -> str | None:
    """The first day of an ISO partial date (2023 -> 2023-01-01, 2023-07 -> 2023-07-01)."""
    if not isinstance(date, str) or not date[:4].isdigit():
        return None
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def spell(start, end=None):
    """[(start day, end day or None)] for a dated element, [] for an undated one."""
    first = day(start)
    return [(first, day(end))] if first else []


def networkx_graph(picture: Picture, spells: bool = True):
    """A networkx MultiDiGraph: nodes by entity id, edges keyed by fact id, uniform attributes."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=picture.title)
    ids = {}
    nodes = []
    for key, node in picture.nodes.items():
        props = node["props"]
        ids[key] = str(props.get("id") or key)
        nodes.append((ids[key], {"label": name_of(node), **props,
                                 "labels": LIST_SEPARATOR.join(sorted(node["labels"]))}))
    edges = []
    for key, edge in picture.edges.items():
        props = edge["props"]
        edges.append((ids[edge["start"]], ids[edge["end"]], str(props.get("id") or key),
                      {"label": edge["type"], **props}))  # GEXF keeps "type" for directed or not
    for attrs, uniform in ((nodes, _uniform([a for _, a in nodes])), (edges, _uniform([e[3] for e in edges]))):
        for item in attrs:
            data = item[-1]
            for k in list(data):
                data[k] = uniform(k, data[k])
                if data[k] is None:
                    del data[k]
    for node_id, data in nodes:
        if spells and (s := spell(data.get("founded"))):
            data["spells"] = s
        graph.add_node(node_id, **data)
    for start, end, key, data in edges:
        if spells and (s := spell(data.get("date"), data.get("until"))):
            data["spells"] = s
        graph.add_edge(start, end, key=key, **data)
    return graph


def _uniform(records: list[dict]):
    """A function (key, value) -> the value in the one type its attribute has in every record."""
    kinds: dict[str, set] = {}
    for record in records:
        for k, v in record.items():
            kinds.setdefault(k, set()).add(_kind(v))
    chosen = {}
    for k, seen in kinds.items():
        seen.discard(None)
        chosen[k] = seen.pop() if len(seen) == 1 else float if seen == {int, float} else str

    def convert(k, v):
        if isinstance(v, (list, tuple)):
            v = LIST_SEPARATOR.join(map(str, v))
        if v is None:
            return None
        target = chosen[k]
        if type(v) is target:
            return v
        if target is str:
            return str(v).lower() if isinstance(v, bool) else str(v)
        return target(v)

    return convert


def _kind(v):
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return str
    return type(v) if isinstance(v, (bool, int, float, str)) else str


def gexf_text(picture: Picture) -> str:
    import networkx as nx

    out = io.BytesIO()
    nx.write_gexf(networkx_graph(picture), out, version="1.2draft")
    return out.getvalue().decode("utf-8")


def graphml_text(picture: Picture) -> str:
    import networkx as nx

    out = io.BytesIO()
    nx.write_graphml(networkx_graph(picture, spells=False), out, named_key_ids=True)
    return out.getvalue().decode("utf-8")
