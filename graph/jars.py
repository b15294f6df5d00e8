"""Neo4j's jars from Maven Central, pinned by graph/neo4j.lock: no Maven on the user's machine.

The same fetcher brings anything else pinned by a lock of checksums into the same per-user cache:
graph.webgl.assets locks the JavaScript of the WebGL pages (npm tarballs, graph/js.lock) as
`Package`s and fetches them with `fetch(...)` here; an artifact only has to say where it lives in
its repository (`path`), what it is called (`coords`) and what it must hash to.

The lock names each jar of the server (Maven coordinates, SHA-256, size); it is generated from
graph/neo4j-pom.xml by scripts/lock_neo4j_jars.py. `fetch` makes every locked jar present in one
cache per user (``DEALGRAPH_CACHE``, default the platform's user cache folder), shared by all
DEALGRAPH_HOMEs, laid out like a Maven repository. A jar is trusted only when its SHA-256 matches
the lock: a cached jar that does not (a broken disk, a cut download) is fetched again, a download
that does not is refused by name. Downloads go to ``<jar>.part`` and resume with an HTTP Range
request after an interruption; a finished jar is moved into place in one rename, so a server
running from the cache never sees a half-written file.
"""
from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .connection import env
from .errors import DealgraphError

LOCK = Path(__file__).resolve().parent / "neo4j.lock"
CENTRAL = "https://repo1.maven.org/maven2"
CHUNK = 1 << 16


@dataclass(frozen=True)
class Jar:
    """One locked jar: where it lives in a Maven repository and what it must hash to."""

    group: str
    artifact: str
    version: str
    classifier: str | None
    sha256: str
    size: int

    NOUN = "jar"                    # how messages name one, how many and the lock
    FAMILY = "Neo4j's {n} jars"
    LOCK_NAME = "graph/neo4j.lock"

    @property
    def coords(self) -> str:
        return ":".join([self.group, self.artifact, self.version] + ([self.classifier] if self.classifier else []))

    @property
    def path(self) -> str:
        """The path in a Maven repository (and in the cache), always with '/'."""
        name = f"{self.artifact}-{self.version}" + (f"-{self.classifier}" if self.classifier else "") + ".jar"
        return "/".join([*self.group.split("."), self.artifact, self.version, name])


    @classmethod
    def locked(cls, coords: str, sha256: str, size: int) -> "Jar":
        group, artifact, version, *classifier = coords.split(":")
        if len(classifier) > 1:
            raise ValueError(coords)
        return cls(group, artifact, version, classifier[0] if classifier else None, sha256, size)


def read_lock(path: Path = LOCK, kind=Jar, form: str = "group:artifact:version[:classifier]") -> list:
    """The artifacts of a lock file: `<coords> sha256 bytes` per line (`kind.locked` reads coords)."""
    jars = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            coords, sha256, size = line.split()
            if len(sha256) != 64 or int(sha256, 16) < 0:
                raise ValueError
            jars.append(kind.locked(coords, sha256.lower(), int(size)))
        except ValueError:
            raise DealgraphError(f"{path}:{number}: not `{form} sha256 bytes`: {line[:120]!r}") from None
    return jars


def cache_dir(kind: str = "maven") -> Path:
    """The jar cache of this user (DEALGRAPH_CACHE, else e.g. ~/.cache/dealgraph/maven); another
    `kind` of artifact (npm) has the folder of that name beside it (DEALGRAPH_CACHE/npm)."""
    if custom := env("DEALGRAPH_CACHE"):
        root = Path(custom).expanduser().resolve()
        return root if kind == "maven" else root / kind
    import platformdirs

    return Path(platformdirs.user_cache_dir("dealgraph", appauthor=False)) / kind


def repository() -> str:
    """Maven Central over HTTPS, or the mirror DEALGRAPH_MAVEN_REPO names."""
    return (env("DEALGRAPH_MAVEN_REPO") or CENTRAL).rstrip("/")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def check(jars: list[Jar], cache: Path) -> list[Jar]:
    """The jars that are missing from the cache or do not match their SHA-256 (to fetch)."""
    return [jar for jar in jars if not _intact(jar, cache / jar.path)]


def _intact(jar: Jar, path: Path) -> bool:
    try:
        return path.stat().st_size == jar.size and sha256_of(path) == jar.sha256
    except OSError:
        return False


def fetch(jars: list[Jar] | None = None, cache: Path | None = None, repo: str | None = None,
          echo: Callable[[str], None] = print, progress: bool | None = None) -> list[Path]:
    """Every jar of the lock in the cache, checked, downloading only what is missing or corrupt.

    Returns the jars' paths in lock order (the classpath). One process at a time fetches into a
    cache (a file lock), so two starts at once download each jar once. `jars` may be any locked
    artifacts of one kind (graph.webgl.assets's npm packages): messages use the kind's words."""
    from filelock import FileLock

    jars = read_lock() if jars is None else jars
    cache = cache or cache_dir()
    repo = (repo or repository()).rstrip("/")
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache / ".fetch.lock")):
        todo = check(jars, cache)
        for jar in todo:
            if (cache / jar.path).exists():
                echo(f"{jar.coords}: the cached {jar.NOUN} does not match its SHA-256 in the lock; fetching it again")
        if todo:
            total = sum(jar.size for jar in todo)
            size = f"{total / 1e6:.0f} MB" if total >= 1e6 else f"{total / 1e3:.0f} kB"
            echo(f"Downloading {len(todo)} of {todo[0].FAMILY.format(n=len(jars))} ({size}) "
                 f"from {repo} into {cache} ...")
            with _Progress(total, progress, todo[0].FAMILY.format(n="").replace("  ", " ")) as bar:
                for jar in todo:
                    _download(jar, repo, cache / jar.path, bar.advance)
    return [cache / jar.path for jar in jars]


def _download(jar: Jar, repo: str, target: Path, advance: Callable[[int], None]) -> None:
    """One jar into target via target.part, resuming a .part left by an interrupted run."""
    url = f"{repo}/{jar.path}"
    part = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    shown = 0

    def show(size: int) -> None:  # the bar follows the .part's size, whatever restarts happen
        nonlocal shown
        advance(size - shown)
        shown = size

    for attempt in range(1, 5):
        have = part.stat().st_size if part.exists() else 0
        if have > jar.size:
            part.unlink()
            have = 0
        try:
            if have < jar.size:
                request = urllib.request.Request(url, headers={"User-Agent": "dealgraph"})
                if have:
                    request.add_header("Range", f"bytes={have}-")
                with urllib.request.urlopen(request, timeout=60) as response:
                    if have and response.status != 206:  # the server ignored Range: start over
                        have = 0
                    with open(part, "ab" if have else "wb") as out:
                        show(have)
                        while block := response.read(CHUNK):
                            out.write(block)
                            have += len(block)
                            show(have)
            break
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:  # nothing left to send: the .part is complete (or wrong)
                break
            if exc.code not in (429, 500, 502, 503, 504) or attempt == 4:
                raise DealgraphError(f"could not download {jar.coords} from {url}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            if attempt == 4:
                reason = getattr(exc, "reason", exc)
                raise DealgraphError(f"could not download {jar.coords} from {url}: {reason} "
                                     "(run the same command again to resume)") from None
        time.sleep(2 * attempt)
    show(jar.size)
    got = sha256_of(part)
    if got != jar.sha256:
        part.unlink()
        raise DealgraphError(f"refusing {jar.coords} downloaded from {url}: its SHA-256 is {got}, "
                             f"the lock ({jar.LOCK_NAME}) says {jar.sha256}")
    os.replace(part, target)


class _Progress:
    """A rich progress bar on stderr when it is a terminal (or when asked), else nothing."""

    def __init__(self, total: int, show: bool | None, what: str = "Neo4j jars"):
        from rich.console import Console

        console = Console(stderr=True)
        self.show = console.is_terminal if show is None else show
        if self.show:
            from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

            self.bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(),
                                TransferSpeedColumn(), console=console, transient=False)
            self.task = self.bar.add_task(what, total=total)

    def advance(self, n: int) -> None:
        if self.show and n:
            self.bar.advance(self.task, n)

    def __enter__(self):
        if self.show:
            self.bar.start()
        return self

    def __exit__(self, *exc):
        if self.show:
            self.bar.stop()
