"""A local Neo4j 5.26 Community server from Maven Central's jars: nothing to install but Python.

Everything of one server lives under one folder, ``$DEALGRAPH_HOME`` (default ``./.dealgraph``):
``conf/neo4j.conf``, ``data/``, ``logs/``, ``neo4j.pid`` and ``classpath.args`` (the jars, as a
Java argument file). The jars themselves are shared by all servers of a user (graph/jars.py: one
checked cache, no Maven); Java is the user's 17 or 21, or the one pip installed (graph/java.py).
The server is started with `org.neo4j.server.CommunityEntryPoint`, the entry point Neo4j's own
launcher uses, with the JVM flags that launcher adds. Processes are handled through psutil, so
start, stop and status work the same on Linux and macOS.
"""
from __future__ import annotations

import os
import socket
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .connection import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, env, env_port
from .errors import DealgraphError
from .jars import LOCK, cache_dir, check, fetch, read_lock
from .java import find_java

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
]


@dataclass(frozen=True)
class Stopped:
    """How a stop went: `clean` when Neo4j logged its own orderly shutdown."""

    pid: int
    seconds: float
    clean: bool
    killed: bool = False

    def __str__(self) -> str:
        if self.killed:
            return (f"Neo4j (pid {self.pid}) did not stop within {self.seconds:.0f}s and was killed: "
                    "the next start recovers the database from its transaction log")
        how = "cleanly" if self.clean else "(its log does not show an orderly shutdown)"
        return f"Stopped Neo4j {how} (pid {self.pid}, {self.seconds:.1f}s)"


@dataclass(frozen=True)
class LocalServer:
    """Where a local server lives and the addresses it listens on."""

    home: Path
    host: str = "127.0.0.1"
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    heap: str = "1g"
    pagecache: str = "512m"
    extra_conf: tuple[str, ...] = ()  # more `setting=value` lines for neo4j.conf (the benchmark's timeout)

    @classmethod
    def from_env(cls, home: str | None = None, bolt_port: int | None = None,
                 http_port: int | None = None) -> "LocalServer":
        return cls(
            home=Path(home or env("DEALGRAPH_HOME", ".dealgraph")).resolve(),
            host=env("DEALGRAPH_HOST", "127.0.0.1"),
            bolt_port=bolt_port or env_port("DEALGRAPH_BOLT_PORT", DEFAULT_BOLT_PORT),
            http_port=http_port or env_port("DEALGRAPH_HTTP_PORT", DEFAULT_HTTP_PORT),
            heap=env("DEALGRAPH_HEAP", "1g"),
            pagecache=env("DEALGRAPH_PAGECACHE", "512m"),
        )

    # -- places ------------------------------------------------------------------------------
    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def classpath_file(self) -> Path:
        return self.home / "classpath.args"

    @property
    def pidfile(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def neo4j_log(self) -> Path:
        return self.home / "logs" / "neo4j.log"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{self.host}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://{self.host}:{self.http_port}/browser/"

    @property
    def browser_policy(self) -> str:
        """The Content-Security-Policy of Neo4j Browser's pages: scripts, styles and fonts from the
        server itself, connections to it (HTTP and Bolt over WebSocket) and to the guides site only."""
        local = " ".join(f"{scheme}://{host}:*" for host in sorted({self.host, "127.0.0.1", "localhost"})
                         for scheme in ("http", "ws"))
        return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                "img-src 'self' data:; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
                f"connect-src 'self' {local} https://guides.neo4j.com")

    # -- install ------------------------------------------------------------------------------
    def ensure_jars(self, echo=print, progress: bool | None = None) -> list[Path]:
        """Neo4j's jars, checked against the lock (downloaded once per user), as this server's classpath."""
        paths = fetch(echo=echo, progress=progress)
        self.home.mkdir(parents=True, exist_ok=True)
        # A Java argument file, not a -cp argument: 214 paths would pass Windows' command-line limit.
        self.classpath_file.write_text("-cp\n" + _java_arg_quote(os.pathsep.join(
            [str(self.home / "plugins" / "*"), str(self.conf / "*"), *map(str, paths)])) + "\n")
        return paths

    def write_conf(self) -> None:
        self.conf.mkdir(parents=True, exist_ok=True)
        (self.conf / "neo4j.conf").write_text("\n".join([
            "# Written by `dealgraph neo4j start`; edit DEALGRAPH_* settings instead.",
            f"server.bolt.listen_address={self.host}:{self.bolt_port}",
            f"server.bolt.advertised_address={self.host}:{self.bolt_port}",
            f"server.http.listen_address={self.host}:{self.http_port}",
            f"server.http.advertised_address={self.host}:{self.http_port}",
            "server.https.enabled=false",
            f"server.memory.heap.initial_size={self.heap}",
            f"server.memory.heap.max_size={self.heap}",
            f"server.memory.pagecache.size={self.pagecache}",
            # Nothing leaves the machine unasked: no usage report from the server, no product analytics
            # from Neo4j Browser (client.allow_telemetry, which Browser reads through dbms.clientConfig).
            # browser.allow_outgoing_connections is Enterprise's (Community refuses to start with it), and
            # Community's Browser loads scripts and fonts from canny.io, cdn.segment.com and Google
            # whatever it says: the policy its pages are served with lets them reach this machine only
            # (and the guides site, for a `:play` the user asks for).
            "dbms.usage_report.enabled=false",
            "client.allow_telemetry=false",
            f"dbms.security.http_static_content_security_policy_header={self.browser_policy}",
            "dbms.security.auth_enabled=true",
            "db.tx_log.rotation.retention_policy=2 files",
            # Bolt's network threads wait for 5 quiet seconds after the databases have stopped (Netty's
            # graceful shutdown): every stop took 5 s longer than its work. The setting is internal to
            # Neo4j, and graph/neo4j.lock pins the version that has it.
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
            "browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1",  # graph.guide
            *self.extra_conf,
            "",
        ]))

    def set_initial_password(self, password: str, java: Path) -> None:
        """Before the very first start only: Neo4j keeps the first password it was given.

        The password reaches Neo4j's admin tool in an argument file (`@file`, which its picocli
        command line expands), readable by this user only and deleted at once: never on a command
        line, where `ps` would show it to every user of the machine."""
        if (self.home / "data" / "dbms" / "auth.ini").exists():
            return
        if len(password) < 8:
            raise DealgraphError("NEO4J_PASSWORD must have at least 8 characters for a new local Neo4j")
        run_env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf)}
        with tempfile.TemporaryDirectory(prefix="dealgraph-") as private:  # mode 0700
            args = Path(private) / "set-initial-password.args"
            fd = os.open(args, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(f"dbms\nset-initial-password\n{_java_arg_quote(password)}\n")
            done = subprocess.run(
                [str(java), "-Dfile.encoding=UTF-8", f"@{self.classpath_file}", ADMIN_TOOL, f"@{args}"],
                capture_output=True, text=True, env=run_env, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise DealgraphError("could not set the initial Neo4j password: "
                                 + ((done.stderr or done.stdout).strip().splitlines() or ["no output"])[-1])

    # -- process ------------------------------------------------------------------------------
    def process(self):
        """Our server's psutil.Process if it is alive, else None (a stale pid file is removed)."""
        import psutil

        try:
            pid = int(self.pidfile.read_text().strip())
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                raise psutil.NoSuchProcess(pid)
        except (OSError, ValueError, psutil.NoSuchProcess):
            self.pidfile.unlink(missing_ok=True)
            return None
        try:  # a reused pid is not our server
            cmdline = proc.cmdline()
            if ENTRY_POINT not in cmdline or f"--home-dir={self.home}" not in cmdline:
                self.pidfile.unlink(missing_ok=True)
                return None
        except psutil.AccessDenied:
            pass
        except psutil.NoSuchProcess:
            self.pidfile.unlink(missing_ok=True)
            return None
        return proc

    def pid(self) -> int | None:
        proc = self.process()
        return proc.pid if proc else None

    def bolt_open(self) -> bool:
        return self._port_open(self.bolt_port)

    def _port_open(self, port: int) -> bool:
        with socket.socket() as s:
            s.settimeout(1)
            return s.connect_ex((self.host, port)) == 0

    def start(self, password: str, timeout: float = 180, echo=print, progress: bool | None = None) -> bool:
        """Start the server and wait until Bolt answers. False if it was already running.

        One start at a time per server folder (a file lock): a second `neo4j start` waits for the
        first and then finds the server running. A server that dies while starting is reported at
        once, with the last useful lines of its log."""
        from filelock import FileLock


        self.home.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.home / "start.lock")):
            if self.pid():
                return False
            for port, setting in ((self.bolt_port, "DEALGRAPH_BOLT_PORT"), (self.http_port, "DEALGRAPH_HTTP_PORT")):
                if self._port_open(port):
                    raise DealgraphError(f"port {port} on {self.host} is already taken by another process: "
                                         f"stop it or choose {setting}")
            java = find_java()
            self.ensure_jars(echo=echo, progress=progress)
            self.write_conf()
            self.set_initial_password(password, java.executable)
            for sub in ("plugins", "logs", "data", "import"):
                (self.home / sub).mkdir(parents=True, exist_ok=True)
            logs = {path: _size(path) for path in (self.neo4j_log, self.console_log)}
            extra = shlex.split(env("DEALGRAPH_JAVA_OPTS", ""))  # more JVM options, as Neo4j's server.jvm.additional
            cmd = [str(java.executable), f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS, *extra,
                   f"@{self.classpath_file}", ENTRY_POINT, f"--home-dir={self.home}", f"--config-dir={self.conf}"]
            with open(self.console_log, "ab") as log:
                proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        cwd=self.home, start_new_session=True)
            self.pidfile.write_text(str(proc.pid))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    self.pidfile.unlink(missing_ok=True)
                    self._fail(f"Neo4j exited with code {proc.returncode} while starting", logs, echo)
                # Up means Neo4j logged "Started." (Bolt opens first, and the HTTP server can still
                # fail after it) and Bolt answers.
                if self._logged_started(logs[self.neo4j_log]) and self.bolt_open() and self._bolt_answers(password):
                    return True
                time.sleep(0.5)
            self._fail(f"Neo4j did not answer on {self.bolt_uri} within {timeout:.0f}s (it is still running, "
                       f"pid {proc.pid}: `dealgraph neo4j stop` ends it)", logs, echo)

    def _fail(self, what: str, logs: dict[Path, int], echo: Callable[[str], None]):
        """Raise `what` with the most telling log line; echo the last useful lines before it."""
        lines = [line for path, offset in logs.items() for line in useful_log_lines(_read_from(path, offset))]
        if lines:
            echo(f"The last lines Neo4j logged ({self.neo4j_log.parent}):")
            for line in lines[-12:]:
                echo(f"  {line}")
        errors = [line for line in lines if " ERROR " in f" {line} " or "Exception" in line or "Error" in line]
        telling = (errors or lines[-1:] or ["nothing logged"])[0]  # the first error names the cause
        raise DealgraphError(f"{what}: {telling[:400]} (logs in {self.neo4j_log.parent})")

    def _logged_started(self, offset: int) -> bool:
        return any(line.rstrip().endswith(" Started.") for line in _read_from(self.neo4j_log, offset))

    def _bolt_answers(self, password: str) -> bool:
        import neo4j

        try:
            with neo4j.GraphDatabase.driver(self.bolt_uri, auth=("neo4j", password)) as driver:
                driver.verify_connectivity()
            return True
        except neo4j.exceptions.AuthError:
            return True  # it answers; the password is the user's to fix, and status says so
        except Exception:  # noqa: BLE001 - still starting
            return False

    def stop(self, timeout: float = 120) -> Stopped | None:
        """Shut the server down and wait until it has (SIGTERM: Neo4j checkpoints and closes its
        store), then SIGKILL after `timeout`. None if it was not running."""
        import psutil

        proc = self.process()
        if not proc:
            return None
        offset, began = _size(self.neo4j_log), time.monotonic()
        killed = False
        try:
            proc.terminate()
            if not _ended(proc, timeout):
                proc.kill()
                killed = True
                if not _ended(proc, 30):
                    raise DealgraphError(f"Neo4j (pid {proc.pid}) did not end even when killed; see {self.neo4j_log}")
        except psutil.NoSuchProcess:
            pass
        self.pidfile.unlink(missing_ok=True)
        clean = not killed and any(line.rstrip().endswith("Stopped.")
                                   for line in _read_from(self.neo4j_log, offset))
        return Stopped(proc.pid, time.monotonic() - began, clean, killed)

    # -- what and where ---------------------------------------------------------------------------
    def describe(self) -> list[tuple[str, str]]:
        """(what, where) lines for `neo4j status --verbose`: Java, jars, folders, settings."""
        try:
            java = str(find_java())
        except DealgraphError as exc:
            java = f"none usable: {exc}"
        jars, cache = read_lock(), cache_dir()
        missing = len(check(jars, cache))
        state = "all present and checked" if not missing else f"{missing} missing or corrupt (the next start fetches them)"
        neo4j = next((j.version for j in jars if j.coords.startswith("org.neo4j:neo4j:")), "?")
        return [
            ("Java", java),
            ("Jars", f"{len(jars)} of Neo4j {neo4j} (lock {LOCK}) in {cache}: {state}"),
            ("Home", str(self.home)),
            ("Config", str(self.conf / "neo4j.conf")),
            ("Logs", str(self.neo4j_log.parent)),
            ("Memory", f"heap {self.heap}, page cache {self.pagecache} (DEALGRAPH_HEAP, DEALGRAPH_PAGECACHE)"),
        ]


def useful_log_lines(lines: list[str]) -> list[str]:
    """Log lines worth showing a user: no blank lines, no stack frames (`at ...`, `... 12 more`)."""
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("at ") or (stripped.startswith("...") and stripped.endswith("more")):
            continue
        out.append(stripped)
    return out


def _java_arg_quote(value: str) -> str:
    """One argument for a Java (or picocli) @argument file: quoted, backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> list[str]:
    """The lines a log gained after `offset` (all of it if it was rotated or replaced)."""
    try:
        with open(path, "rb") as f:
            if offset > f.seek(0, os.SEEK_END):
                offset = 0
            f.seek(offset)
            return f.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def _ended(proc, timeout: float) -> bool:
    """Whether `proc` has exited within `timeout` seconds. An exited process that its parent has not
    reaped yet (a zombie: the test run that started the server, while a CLI stops it) has ended too;
    our own child is reaped here."""
    import psutil

    deadline = time.monotonic() + timeout
    while True:
        try:
            proc.wait(0.2)  # reaps it if it is our child
            return True
        except psutil.TimeoutExpired:
            pass
        except psutil.NoSuchProcess:
            return True
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() >= deadline:
            return False
