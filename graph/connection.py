"""The connection to Neo4j: settings, one driver, and failures turned into one clear line.

Settings follow Neo4j's own conventions (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE), read from the environment and from a `.env` file in the working directory,
and overridden by explicit arguments (the CLI's flags). Reads and writes go through the
driver's managed transactions, so transient errors (leader switch, deadlock) are retried.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from .errors import DealgraphError, Unavailable

DEFAULT_PASSWORD = "dealgraph"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474

_dotenv_loaded = False


def _load_dotenv() -> None:
    """Read `.env` once; real environment variables win over it."""
    global _dotenv_loaded
    if not _dotenv_loaded:
        _dotenv_loaded = True
        if os.path.exists(".env"):
            from dotenv import load_dotenv

            load_dotenv(".env", override=False)


def env(name: str, default: str | None = None) -> str | None:
    _load_dotenv()
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass(frozen=True)
class Settings:
    uri: str
    username: str
    password: str = field(repr=False)  # never shown in logs or reprs
    database: str | None = None
    timeout: float = 10.0
    retry_time: float = 15.0  # how long a transaction is retried on transient errors (the web app: less)

    @classmethod
    def from_env(cls, **overrides: Any) -> "Settings":
        """Environment and `.env`, then any non-None override (uri, username, password, database)."""
        uri = env("NEO4J_URI") or f"bolt://localhost:{env_port('DEALGRAPH_BOLT_PORT', DEFAULT_BOLT_PORT)}"
        settings = cls(
            uri=uri,
            username=env("NEO4J_USERNAME", "neo4j"),
            password=env("NEO4J_PASSWORD", DEFAULT_PASSWORD),
            database=env("NEO4J_DATABASE"),
            timeout=_seconds("DEALGRAPH_TIMEOUT", "10"),
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def env_port(name: str, default: int) -> int:
    """A port number from the environment; a bad one is one line naming the variable, not a traceback."""
    text = env(name, str(default))
    if not text.strip().isdigit() or not 0 < int(text) < 65536:
        raise DealgraphError(f"{name}={text!r}: expected a port number from 1 to 65535, such as 7687")
    return int(text)


def _seconds(name: str, default: str) -> float:
    """A positive number of seconds from the environment; a bad one is a user error, not a traceback."""
    text = env(name, default)
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise DealgraphError(f"{name}={text!r}: expected a number of seconds, such as 10")
    return value


def explain(exc: BaseException, settings: Settings | None = None) -> str:
    """One line that tells a user what went wrong talking to Neo4j, and what to do."""
    from neo4j import exceptions as ne

    uri = settings.uri if settings else "Neo4j"
    if isinstance(exc, ne.AuthError):
        user = settings.username if settings else "the user"
        return (f"Neo4j at {uri} refused the credentials of user {user!r}: "
                "check NEO4J_USERNAME / NEO4J_PASSWORD (or --user / --password)")
    if isinstance(exc, ne.ServiceUnavailable):
        text = str(exc).lower()
        if "handshake" in text or "timed out" in text or "deadline" in text:  # connected, then silence
            wait = f" within {settings.timeout:g}s" if settings else ""
            return (f"{uri} accepted the connection but did not answer as Neo4j{wait}: is it a Bolt port "
                    "of a healthy server? (DEALGRAPH_TIMEOUT sets how long to wait)")
        if uri.split("://")[0].endswith(("+s", "+ssc")):  # TLS asked for: a plain server fails the handshake
            return (f"cannot reach Neo4j at {uri} over TLS: is it running, and does it take encrypted "
                    "connections? (Aura does; the local server does not: use bolt:// or neo4j:// for it)")
        return f"cannot reach Neo4j at {uri}: is it running? (start the local one with `dealgraph neo4j start`)"
    if isinstance(exc, ne.ConfigurationError):
        return f"bad Neo4j connection settings ({uri}): {exc}"
    if isinstance(exc, ne.Neo4jError):
        code = exc.code or ""
        if code.endswith("DatabaseNotFound"):
            db = settings.database if settings else "?"
            return f"Neo4j at {uri} has no database {db!r}: check NEO4J_DATABASE (or --database)"
        if code.endswith("MemoryPoolOutOfMemoryError"):
            return (f"Neo4j at {uri} ran out of the memory it allows one transaction, so nothing was "
                    "written: give it more (DEALGRAPH_HEAP, or dbms.memory.transaction.total.max) or "
                    "write less at once (`dealgraph import seed` for a large dataset)")
        message = (exc.message or str(exc)).strip().splitlines()[0]
        return f"Neo4j said {code}: {message}"
    if isinstance(exc, (ne.DriverError, OSError)):
        return f"talking to Neo4j at {uri} failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    return str(exc)


def _error(exc: BaseException, settings: Settings | None) -> DealgraphError:
    """The one-line error of a driver failure: `Unavailable` when Neo4j cannot be reached."""
    from neo4j import exceptions as ne

    away = isinstance(exc, (ne.ServiceUnavailable, ne.SessionExpired, ne.AuthError, OSError))
    return (Unavailable if away else DealgraphError)(explain(exc, settings))


class Connection:
    """A verified driver plus the database to use. Cheap to pass around; close when done."""

    def __init__(self, settings: Settings):
        import neo4j

        self.settings = settings
        self.database = settings.database
        try:
            self.driver = neo4j.GraphDatabase.driver(
                settings.uri,
                auth=(settings.username, settings.password),
                connection_timeout=settings.timeout,
                connection_acquisition_timeout=settings.timeout,
                max_transaction_retry_time=settings.retry_time,
                notifications_min_severity="OFF",
            )
            self.driver.verify_connectivity()
            # Touch the database itself: a wrong database name fails here, not mid-command.
            self.driver.execute_query("RETURN 1", database_=self.database)
        except DealgraphError:
            raise
        except Exception as exc:  # noqa: BLE001 - every driver failure becomes one line
            if hasattr(self, "driver"):
                self.driver.close()
            raise _error(exc, settings) from None

    # -- transactions -----------------------------------------------------------------------
    def session(self, **kwargs):
        return self.driver.session(database=self.database, **kwargs)

    def read(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Rows of a read query, in a managed read transaction (the server refuses writes)."""
        return self.execute_read(lambda tx: [r.data() for r in tx.run(cypher, params or {})])

    def write(self, cypher: str, params: dict | None = None) -> list[dict]:
        """Rows of a write query, in one managed write transaction."""
        return self.execute_write(lambda tx: [r.data() for r in tx.run(cypher, params or {})])

    def execute_read(self, work: Callable, *args, **kwargs):
        return self._managed("execute_read", work, *args, **kwargs)

    def execute_write(self, work: Callable, *args, **kwargs):
        return self._managed("execute_write", work, *args, **kwargs)

    def _managed(self, how: str, work: Callable, *args, **kwargs):
        try:
            with self.session() as session:
                return getattr(session, how)(work, *args, **kwargs)
        except DealgraphError:
            raise
        except Exception as exc:
            from neo4j import exceptions as ne

            if isinstance(exc, (ne.Neo4jError, ne.DriverError)):
                raise _error(exc, self.settings) from None
            raise

    def server_info(self) -> dict:
        row = self.read("CALL dbms.components() YIELD name, versions, edition "
                        "RETURN name, versions[0] AS version, edition")[0]
        return row

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(settings: Settings | None = None, **overrides: Any) -> Connection:
    """A verified connection from the environment, `.env` and overrides."""
    return Connection(settings or Settings.from_env(**overrides))
