"""A local Neo4j 5.26 Community server, run from jars that Maven resolves: no Docker needed.

Everything lives under one folder, ``$DEALGRAPH_HOME`` (default ``./.dealgraph``): ``lib/`` (the
jars), ``conf/neo4j.conf``, ``data/``, ``logs/`` and ``neo4j.pid``. The server is started with
`org.neo4j.server.CommunityEntryPoint`, the same entry point Neo4j's own launcher uses, with the
JVM flags that launcher adds.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .connection import DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, Settings, env
from .errors import DealgraphError

POM = Path(__file__).resolve().parent / "neo4j-pom.xml"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
]
MAVEN_COPY = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies"


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
            bolt_port=int(bolt_port or env("DEALGRAPH_BOLT_PORT", str(DEFAULT_BOLT_PORT))),
            http_port=int(http_port or env("DEALGRAPH_HTTP_PORT", str(DEFAULT_HTTP_PORT))),
            heap=env("DEALGRAPH_HEAP", "1g"),
            pagecache=env("DEALGRAPH_PAGECACHE", "512m"),
        )

    # -- places ------------------------------------------------------------------------------
    @property
    def lib(self) -> Path:
        return self.home / "lib"

    @property
    def conf(self) -> Path:
        return self.home / "conf"

    @property
    def pidfile(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{self.host}:{self.bolt_port}"

    @property
    def browser_url(self) -> str:
        return f"http://{self.host}:{self.http_port}/browser/"

    # -- install ------------------------------------------------------------------------------
    def ensure_jars(self, echo=print) -> None:
        """Resolve the server's jars with Maven into lib/ once (a marker names the pom it used)."""
        marker = self.lib / ".resolved"
        pom = POM.read_text()
        if marker.exists() and marker.read_text() == pom:
            return
        _require("java", "Java 17 or 21 is needed to run Neo4j 5.26: install it (Debian: apt-get install openjdk-17-jre-headless)")
        _require("mvn", "Maven is needed to fetch Neo4j's jars: install it (Debian: apt-get install maven)")
        echo(f"Resolving Neo4j's jars with Maven into {self.lib} (once) ...")
        if self.lib.exists():
            shutil.rmtree(self.lib)
        cmd = ["mvn", "-B", "-q", "-f", str(POM), MAVEN_COPY, "-DincludeScope=runtime",
               f"-DoutputDirectory={self.lib}"]
        for attempt in range(1, 4):  # Maven Central sometimes answers 429 to bursts
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode == 0:
                break
            time.sleep(5 * attempt)
        else:
            last = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
            raise DealgraphError(f"Maven could not resolve Neo4j's jars: {last[0]}")
        marker.write_text(pom)

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
            "dbms.usage_report.enabled=false",
            "dbms.security.auth_enabled=true",
            "db.tx_log.rotation.retention_policy=2 files",
            *self.extra_conf,
            "",
        ]))

    def set_initial_password(self, password: str) -> None:
        """Before the very first start only: Neo4j keeps the first password it was given."""
        if (self.home / "data" / "dbms" / "auth.ini").exists():
            return
        if len(password) < 8:
            raise DealgraphError("NEO4J_PASSWORD must have at least 8 characters for a new local Neo4j")
        run_env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf)}
        done = subprocess.run(
            ["java", "-cp", f"{self.lib}/*", "org.neo4j.cli.AdminTool", "dbms", "set-initial-password", password],
            capture_output=True, text=True, env=run_env)
        if done.returncode != 0:
            raise DealgraphError("could not set the initial Neo4j password: "
                                 + ((done.stderr or done.stdout).strip().splitlines() or ["no output"])[-1])

    # -- process ------------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of our server if it is alive, else None (a stale pid file is removed)."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            self.pidfile.unlink(missing_ok=True)
            return None
        except PermissionError:
            pass
        try:  # a reused pid is not our server
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if ENTRY_POINT.encode() not in cmdline:
                self.pidfile.unlink(missing_ok=True)
                return None
        except OSError:
            pass
        return pid

    def bolt_open(self) -> bool:
        with socket.socket() as s:
            s.settimeout(1)
            return s.connect_ex((self.host, self.bolt_port)) == 0

    def start(self, password: str, timeout: float = 180, echo=print) -> bool:
        """Start the server and wait until Bolt answers. False if it was already running."""
        if self.pid():
            return False
        if self.bolt_open():
            raise DealgraphError(f"port {self.bolt_port} on {self.host} is already taken by another process: "
                                 "stop it or choose DEALGRAPH_BOLT_PORT")
        self.ensure_jars(echo=echo)
        self.write_conf()
        self.set_initial_password(password)
        for sub in ("plugins", "logs", "data", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        cmd = ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS,
               "-cp", f"{self.home}/plugins/*:{self.conf}/*:{self.lib}/*", ENTRY_POINT,
               f"--home-dir={self.home}", f"--config-dir={self.conf}"]
        with open(self.console_log, "ab") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    cwd=self.home, start_new_session=True)
        self.pidfile.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pidfile.unlink(missing_ok=True)
                raise DealgraphError(f"Neo4j exited with code {proc.returncode} while starting; "
                                     f"see {self.home / 'logs' / 'neo4j.log'}: {self._last_log_line()}")
            if self.bolt_open() and self._bolt_answers(password):
                return True
            time.sleep(0.5)
        raise DealgraphError(f"Neo4j did not answer on {self.bolt_uri} within {timeout:.0f}s; "
                             f"see {self.home / 'logs' / 'neo4j.log'}")

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

    def _last_log_line(self) -> str:
        for path in (self.home / "logs" / "neo4j.log", self.console_log):
            try:
                lines = [l for l in path.read_text(errors="replace").splitlines() if l.strip()]
            except OSError:
                continue
            errors = [l for l in lines if "ERROR" in l] or lines
            if errors:
                return errors[-1].strip()[:300]
        return "no log"

    def stop(self, timeout: float = 60) -> bool:
        """Shut the server down cleanly (SIGTERM, then SIGKILL after `timeout`). False if not running."""
        pid = self.pid()
        if not pid:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        self.pidfile.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    try:
        # reap it if it is our child (tests start servers in-process)
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].split()[0]
        return state != "Z"
    except OSError:
        return True


def _require(tool: str, message: str) -> None:
    if shutil.which(tool) is None:
        raise DealgraphError(message)


def local_settings(server: LocalServer, password: str) -> Settings:
    return Settings.from_env(uri=server.bolt_uri, password=password)
