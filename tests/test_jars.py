"""Neo4j's jars without Maven (graph/jars.py): downloaded, checked against the lock, cached, resumed.

A mirror on 127.0.0.1 (what DEALGRAPH_MAVEN_REPO points at) serves real jars, byte for byte, from
the user's jar cache, answers HTTP Range requests as Maven Central does and records every
request, so each test can say what was fetched; one test fetches a jar from Maven Central itself.
Each test works in its own cache folder and never changes the user's.
"""
from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from graph.errors import DealgraphError
from graph.jars import cache_dir, fetch, read_lock

LOCKED = read_lock()
SMALL = sorted(LOCKED, key=lambda jar: jar.size)[10:13]  # three real jars of a few kB
BIG = next(jar for jar in LOCKED if 200_000 < jar.size < 2_000_000)


@pytest.fixture(scope="module")
def source() -> Path:
    """The user's jar cache, holding every jar of the lock (fetched from Maven Central if not)."""
    fetch(LOCKED, progress=False, echo=lambda m: None)
    return cache_dir()


class Mirror:
    def __init__(self, root: Path):
        self.root, self.requests, self.tamper = root, [], set()
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("/maven2/", 1)[1]
                mirror.requests.append((path, self.headers.get("Range")))
                try:
                    data = (mirror.root / path).read_bytes()
                except OSError:
                    self.send_error(404)
                    return
                if path in mirror.tamper:
                    data = data[:-1] + bytes([data[-1] ^ 1])
                start, status = 0, 200
                if rng := self.headers.get("Range"):
                    start, status = int(rng.split("=")[1].rstrip("-")), 206
                self.send_response(status)
                self.send_header("Content-Length", str(len(data) - start))
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.end_headers()
                self.wfile.write(data[start:])

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/maven2"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def fetched(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture
def mirror(source):
    m = Mirror(source)
    yield m
    m.httpd.shutdown()
    m.httpd.server_close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_jars_are_fetched_checked_and_a_second_fetch_downloads_nothing(mirror, tmp_path):
    messages = []
    paths = fetch(SMALL, cache=tmp_path, repo=mirror.url, echo=messages.append, progress=False)
    assert paths == [tmp_path / jar.path for jar in SMALL]
    assert [sha256(p) for p in paths] == [jar.sha256 for jar in SMALL]
    assert sorted(mirror.fetched()) == sorted(jar.path for jar in SMALL)
    assert "Downloading 3 of Neo4j's 3 jars" in messages[0]
    assert not list(tmp_path.rglob("*.part"))

    mirror.requests.clear()
    messages.clear()
    assert fetch(SMALL, cache=tmp_path, repo=mirror.url, echo=messages.append, progress=False) == paths
    assert mirror.requests == [] and messages == []


def test_a_corrupted_jar_in_the_cache_is_refused_by_its_checksum_and_fetched_again(mirror, tmp_path):
    fetch(SMALL, cache=tmp_path, repo=mirror.url, echo=lambda m: None, progress=False)
    broken = tmp_path / SMALL[1].path
    data = bytearray(broken.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte flipped
    broken.write_bytes(bytes(data))
    mirror.requests.clear()
    messages = []
    fetch(SMALL, cache=tmp_path, repo=mirror.url, echo=messages.append, progress=False)
    assert mirror.fetched() == [SMALL[1].path]
    assert sha256(broken) == SMALL[1].sha256
    assert f"{SMALL[1].coords}: the cached jar does not match its SHA-256" in messages[0]


def test_an_interrupted_download_resumes_where_it_stopped(mirror, source, tmp_path):
    whole = (source / BIG.path).read_bytes()
    part = tmp_path / (BIG.path + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(whole[:len(whole) // 3])  # what a download cut off at a third leaves
    fetch([BIG], cache=tmp_path, repo=mirror.url, echo=lambda m: None, progress=False)
    assert mirror.requests == [(BIG.path, f"bytes={len(whole) // 3}-")]
    assert sha256(tmp_path / BIG.path) == BIG.sha256 and not part.exists()


def test_a_jar_that_does_not_match_the_lock_is_refused_by_name_and_not_kept(mirror, tmp_path):
    mirror.tamper.add(SMALL[2].path)
    with pytest.raises(DealgraphError) as refused:
        fetch(SMALL, cache=tmp_path, repo=mirror.url, echo=lambda m: None, progress=False)
    message = str(refused.value)
    assert message.startswith(f"refusing {SMALL[2].coords} downloaded from {mirror.url}/{SMALL[2].path}")
    assert SMALL[2].sha256 in message and "\n" not in message
    assert not (tmp_path / SMALL[2].path).exists()
    assert not list(tmp_path.rglob("*.part"))


def test_a_mirror_without_the_jar_is_one_line_naming_it(mirror, tmp_path):
    mirror.root = tmp_path / "empty"
    with pytest.raises(DealgraphError, match=rf"could not download {SMALL[0].coords} from .*: HTTP 404"):
        fetch(SMALL[:1], cache=tmp_path / "cache", repo=mirror.url, echo=lambda m: None, progress=False)


def test_a_jar_comes_from_maven_central_over_https(tmp_path, monkeypatch):
    monkeypatch.delenv("DEALGRAPH_MAVEN_REPO", raising=False)
    monkeypatch.setenv("DEALGRAPH_CACHE", str(tmp_path))
    messages = []
    [path] = fetch(SMALL[:1], echo=messages.append, progress=False)
    assert path == tmp_path / SMALL[0].path and sha256(path) == SMALL[0].sha256
    assert "from https://repo1.maven.org/maven2 into" in messages[0]
