"""dealgraph: who funds whom, as a sourced Neo4j graph.

The Python API mirrors the CLI (`dealgraph --help`):

    from graph import connect
    conn = connect()                       # NEO4J_* settings from the environment or .env

    from graph import run_query, list_queries
    run_query("backers_of_both", a="Zhipu", b="Baichuan")   # a pandas DataFrame

    from graph import load_dataset, read_dataset
    load_dataset(conn)                     # the bundled seed (or a path), validated, one transaction

    from graph import import_csv, import_deals, import_seed   # graph.pipeline: checked, then in batches
    import_deals(conn, ["deals.xlsx"]).notes                    # or bulk=True into an empty local server
    from graph.resolve import resolve
    resolve(conn, "Dipsic")["id"]          # 'deepseek'
"""
from __future__ import annotations

from .connection import Connection, Settings, connect
from .dataset import read_dataset
from .errors import DealgraphError, InputError
from .load import load_dataset
from .pipeline import import_csv, import_deals, import_seed
from .queries import list_queries, run_query

__all__ = ["Connection", "Settings", "connect", "DealgraphError", "InputError", "run_query", "list_queries",
           "read_dataset", "load_dataset", "import_csv", "import_deals", "import_seed"]
