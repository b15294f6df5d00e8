"""The JavaScript of the WebGL pages: sigma.js and graphology from the npm registry, pinned and checked.

graph/js.lock names each npm package (name@version) with the SHA-256 and size of its registry
tarball; scripts/lock_js.py writes it. On first use the tarballs are fetched from the npm registry
(``DEALGRAPH_NPM_REGISTRY`` names a mirror) by the same fetcher, cache and checks as Neo4j's jars
(graph.jars: one download at a time per cache, resumed, refused by name when the checksum
differs), into the user's cache (``DEALGRAPH_CACHE``/npm, default e.g. ~/.cache/dealgraph/npm).
Nothing comes from a CDN and nothing is committed: the page inlines the browser bundle of each
package, with its licence text, from the checked tarball.
"""
from __future__ import annotations

import tarfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import DealgraphError
from ..jars import cache_dir, fetch, read_lock

LOCK = Path(__file__).resolve().parent.parent / "js.lock"
REGISTRY = "https://registry.npmjs.org"
# What each package gives the page: its browser bundle (a UMD script) and its licence, as named in
# the tarball.
BUNDLES = {"graphology": ("package/dist/graphology.umd.min.js", "package/LICENSE.txt"),
           "sigma": ("package/dist/sigma.min.js", "package/LICENSE.txt")}


@dataclass(frozen=True)
class Package:
    """One locked npm package: its registry tarball and what it must hash to."""

    name: str
    version: str
    sha256: str
    size: int

    NOUN = "package"
    FAMILY = "the WebGL pages' {n} JavaScript packages"
    LOCK_NAME = "graph/js.lock"

    @classmethod
    def locked(cls, coords: str, sha256: str, size: int) -> "Package":
        name, at, version = coords.rpartition("@")
        if not at or not name or not version:
            raise ValueError(coords)
        return cls(name, version, sha256, size)

    @property
    def coords(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def path(self) -> str:
        """Its tarball's path in the registry (and in the cache): name/-/basename-version.tgz."""
        return f"{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


@dataclass(frozen=True)
class Bundle:
    """A package's browser script and licence, ready to inline."""

    name: str
    version: str
    script: str
    licence: str


def packages(path: Path = LOCK) -> list[Package]:
    return read_lock(path, kind=Package, form="name@version")


def registry() -> str:
    from ..connection import env

    return (env("DEALGRAPH_NPM_REGISTRY") or REGISTRY).rstrip("/")


def bundles(echo=None) -> list[Bundle]:
    """The locked packages' scripts and licences, in lock order (fetched and checked on first use)."""
    return list(_bundles(tuple(packages()), echo))


@lru_cache(maxsize=4)
def _bundles(locked: tuple, echo) -> tuple:
    import sys

    say = echo or (lambda message: print(message, file=sys.stderr))
    tarballs = fetch(list(locked), cache=cache_dir("npm"), repo=registry(), echo=say)
    return tuple(_read(package, tarball) for package, tarball in zip(locked, tarballs))


def _read(package: Package, tarball: Path) -> Bundle:
    if package.name not in BUNDLES:
        raise DealgraphError(f"{package.LOCK_NAME}: {package.coords}: the page does not know which file of it to use")
    script, licence = BUNDLES[package.name]
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            texts = [tar.extractfile(member).read().decode("utf-8") for member in (script, licence)]
    except (KeyError, tarfile.TarError, OSError, UnicodeDecodeError) as exc:
        raise DealgraphError(f"{tarball}: {package.coords} has no readable {script} and {licence}: {exc}") from None
    return Bundle(package.name, package.version, *texts)
