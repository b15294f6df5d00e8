"""The WebGL pages' JavaScript (graph/webgl/assets.py): npm tarballs fetched on first use from the
npm registry by graph.jars's fetcher, checked against graph/js.lock, cached per user.

Each test works in its own cache folder (DEALGRAPH_CACHE) and never changes the user's."""
from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from graph.errors import DealgraphError
from graph.jars import fetch
from graph.webgl import assets


def test_the_locked_packages_come_from_the_npm_registry_checked_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("DEALGRAPH_CACHE", str(tmp_path))
    monkeypatch.delenv("DEALGRAPH_NPM_REGISTRY", raising=False)
    messages = []
    bundles = assets.bundles(echo=messages.append)
    locked = assets.packages()
    assert [(b.name, b.version) for b in bundles] == [(p.name, p.version) for p in locked]
    assert "from https://registry.npmjs.org into" in messages[0]
    for package in locked:
        tarball = tmp_path / "npm" / package.path
        assert hashlib.sha256(tarball.read_bytes()).hexdigest() == package.sha256
    assert all("MIT" in b.licence or "Permission is hereby granted" in b.licence for b in bundles)
    assert "Sigma" in next(b.script for b in bundles if b.name == "sigma")
    # A second fetch downloads nothing; a damaged tarball is fetched again.
    messages.clear()
    fetch(locked, cache=tmp_path / "npm", repo=assets.registry(), echo=messages.append, progress=False)
    assert messages == []
    damaged = tmp_path / "npm" / locked[0].path
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0" * 10)
    fetch(locked, cache=tmp_path / "npm", repo=assets.registry(), echo=messages.append, progress=False)
    assert f"{locked[0].coords}: the cached package does not match its SHA-256" in messages[0]
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == locked[0].sha256


def test_a_tarball_that_does_not_match_the_lock_is_refused_by_name(tmp_path):
    wrong = replace(assets.packages()[0], sha256="0" * 64)
    with pytest.raises(DealgraphError) as refused:
        fetch([wrong], cache=tmp_path, repo=assets.registry(), echo=lambda m: None, progress=False)
    assert str(refused.value).startswith(f"refusing {wrong.coords} downloaded from https://registry.npmjs.org/")
    assert "the lock (graph/js.lock) says 0000" in str(refused.value)
    assert not (tmp_path / wrong.path).exists() and not list(tmp_path.rglob("*.part"))
