"""dealgraph: who funds whom, as a sourced Neo4j graph.

The Python API mirrors the CLI (`dealgraph --help`):

    from graph import connect
    conn = connect()                       # NEO4J_* settings from the environment or .env

    from graph import run_query, list_queries
    run_query("backers_of_both", a="Zhipu", b="Baichuan")   # a pandas DataFrame

    from graph import load_dataset, read_dataset
    load_dataset(conn)                     # the bundled seed (or a path), validated, one transaction
    from graph.resolve import resolve
    resolve(conn, "Dipsic")["id"]          # 'deepseek'
"""
from __future__ import annotations

from .connection import Connection, Settings, connect
from .errors import DealgraphError, InputError

__all__ = ["Connection", "Settings", "connect", "DealgraphError", "InputError", "run_query", "list_queries",
           "read_dataset", "load_dataset"]

# Imported on first use, so that `import graph` (and `dealgraph --help`) stays light.
_LAZY = {"run_query": "queries", "list_queries": "queries",
         "read_dataset": "dataset", "load_dataset": "load"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
