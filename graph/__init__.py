"""dealgraph: who funds whom, as a sourced Neo4j graph.

The Python API mirrors the CLI (`dealgraph --help`):

    from graph import connect
    conn = connect()                       # NEO4J_* settings from the environment or .env
"""
from __future__ import annotations

from .connection import Connection, Settings, connect
from .errors import DealgraphError, InputError

__all__ = ["Connection", "Settings", "connect", "DealgraphError", "InputError"]
