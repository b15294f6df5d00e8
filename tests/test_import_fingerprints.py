"""The graph every import writes, pinned: a fingerprint of every node and relationship, kept as a digest file.

Written before the import side was reorganised (issue 25), so that "behaviour unchanged" is checked,
not claimed. Two kinds of run, each compared with a digest file in tests/fingerprints/:

- chain.txt: on the test server, `dealgraph load` (the seed), then `import csv` of a generated
  Crunchbase export, then `import deals` of the deals fixtures (some of whose names join the seed's
  entities): the three writers one after the other, transactional.
- seed.txt, crunchbase.txt, deals.txt: each import alone into an empty database, transactional
  into the test server and `--bulk` into a second local server; the two graphs must be equal to
  each other and to the digest.

A digest file holds how many nodes of each label and relationships of each type there are, and
the SHA-256 of the whole fingerprint (labels, properties, ends by id; Import records with their
times by type; the checkout's and the temporary folder's paths replaced by placeholders), plus
the SHA-256 of the inputs, so that a changed input (seed/, bench/generate.py, tests/deals_data.py)
is told apart from a changed writer. Regenerate the files only on purpose, when the graph is meant
to change: DEALGRAPH_WRITE_FINGERPRINTS=1 ./dev test tests/test_import_fingerprints.py
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from helpers import PASSWORD, ROOT, fingerprint, free_port

HERE = Path(__file__).resolve().parent / "fingerprints"
WRITE = os.environ.get("DEALGRAPH_WRITE_FINGERPRINTS") == "1"
# What a neo4j.time value looks like in a fingerprint line: an Import's times (`changed` is one the
# fingerprint keeps) differ from run to run.
_TIME = re.compile(r"neo4j\.time\.(DateTime|Date|Time)\([^)]*\)")


def _lines(conn, tmp: Path) -> tuple[list[str], list[str]]:
    """The fingerprint of `conn`'s graph with what differs between checkouts and runs replaced."""
    nodes, rels = fingerprint(conn, by_key=True, imports=True)

    def plain(line: str) -> str:
        line = line.replace(str(tmp.resolve()), "<tmp>").replace(str(ROOT), "<repo>")
        return _TIME.sub(r"<\1>", line) if "'Import'" in line else line

    return [plain(n) for n in nodes], [plain(r) for r in rels]


def _inputs_digest(files: list[Path]) -> str:
    def key(path: Path) -> tuple[bool, str]:  # not the absolute path: where the checkout is must not matter
        inside = ROOT in path.parents
        return inside, str(path.relative_to(ROOT) if inside else path.name)

    h = hashlib.sha256()
    for path in sorted(files, key=key):
        h.update(key(path)[1].encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _digest(nodes: list[str], rels: list[str], inputs: str, what: str) -> str:
    """The text of a digest file: counts per label and type (readable in a diff), and SHA-256s."""
    labels = Counter(label for n in nodes for label in re.search(r"\('l', \[([^]]*)\]\)", n).group(1)
                     .replace("'", "").split(", "))
    types = Counter(re.search(r"\('t', '([^']*)'\)", r).group(1) for r in rels)
    out = [f"# {what}",
           "# Regenerate only on purpose: DEALGRAPH_WRITE_FINGERPRINTS=1 ./dev test tests/test_import_fingerprints.py",
           f"inputs sha256 {inputs}",
           f"nodes {len(nodes)} sha256 {hashlib.sha256(chr(10).join(nodes).encode()).hexdigest()}",
           f"relationships {len(rels)} sha256 {hashlib.sha256(chr(10).join(rels).encode()).hexdigest()}"]
    out += [f"label {k} {v}" for k, v in sorted(labels.items())]
    out += [f"type {k} {v}" for k, v in sorted(types.items())]
    return "\n".join(out) + "\n"


def _check(name: str, text: str) -> None:
    path = HERE / name
    if WRITE:
        HERE.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: write it (on purpose) with DEALGRAPH_WRITE_FINGERPRINTS=1"
    expected = path.read_text(encoding="utf-8")
    inputs = lambda t: t.splitlines()[2]  # noqa: E731
    assert inputs(text) == inputs(expected), (
        f"the inputs of {name} changed (seed/, bench/generate.py or tests/deals_data.py): if on purpose, "
        "regenerate the digest files with DEALGRAPH_WRITE_FINGERPRINTS=1 and check the graph change is the one meant")
    assert text == expected, f"the graph written differs from {name} (same inputs): a writer's behaviour changed"


@pytest.fixture(scope="module")
def inputs(small_export, tmp_path_factory):
    """The three inputs: the seed, a generated Crunchbase export (400 investments) and the deals fixtures."""
    from deals_data import generate_rounds, rows_of, write_csv

    folder = tmp_path_factory.mktemp("deals")
    deals = write_csv(folder / "deals.csv", rows_of(generate_rounds(seed=11)))
    seed_files = [p for p in (ROOT / "seed").rglob("*.yaml")]
    return {"seed": seed_files, "export": small_export, "export_files": sorted(small_export.glob("*.csv")),
            "deals": deals}


@pytest.fixture(scope="module")
def bulk_server(server, tmp_path_factory):
    """A second, empty local server for the --bulk imports (spare ports), stopped at the end."""
    from graph.server import LocalServer

    local = LocalServer(home=tmp_path_factory.mktemp("home-bulk"), bolt_port=free_port(), http_port=free_port(),
                        heap="1g", pagecache="128m")
    local.start(PASSWORD)
    try:
        yield local
    finally:
        local.stop()


def _env(local) -> dict:
    return {"DEALGRAPH_HOME": str(local.home), "DEALGRAPH_BOLT_PORT": str(local.bolt_port),
            "DEALGRAPH_HTTP_PORT": str(local.http_port), "NEO4J_URI": local.bolt_uri,
            "DEALGRAPH_PAGECACHE": "128m"}


def test_the_seed_an_export_and_deals_one_after_another(cli, clean_db, inputs):
    for args in (("load",), ("import", "csv", inputs["export"], "--no-progress"),
                 ("import", "deals", inputs["deals"], "--no-progress")):
        done = cli(*args)
        assert done.code == 0, done
    nodes, rels = _lines(clean_db, inputs["export"].parent.parent)
    assert any("deal-" in r and "hongshan" in r for r in rels), "the deals fixtures join the seed's entities"
    files = inputs["seed"] + inputs["export_files"] + [inputs["deals"]]
    _check("chain.txt", _digest(nodes, rels, _inputs_digest(files),
                                "load (seed/); import csv (bench.generate 400 investments, seed 11); "
                                "import deals (tests/deals_data.py, seed 11)"))


@pytest.mark.parametrize("name", ["seed", "crunchbase", "deals"])
def test_each_import_transactional_and_bulk(cli, clean_db, bulk_server, inputs, name):
    from graph.connection import Settings, connect
    from graph.schema import wipe

    args, files = {
        "seed": (("import", "seed"), inputs["seed"]),
        "crunchbase": (("import", "csv", inputs["export"]), inputs["export_files"]),
        "deals": (("import", "deals", inputs["deals"]), [inputs["deals"]]),
    }[name]
    tmp = inputs["export"].parent.parent
    tx = cli(*args, "--no-progress")
    assert tx.code == 0, tx
    transactional = _lines(clean_db, tmp)
    with connect(Settings.from_env(uri=bulk_server.bolt_uri, password=PASSWORD)) as conn:
        wipe(conn)
    bulk = cli(*args, "--no-progress", "--bulk", env=_env(bulk_server), timeout=900)
    assert bulk.code == 0 and "Bulk import" in bulk.out, bulk
    with connect(Settings.from_env(uri=bulk_server.bolt_uri, password=PASSWORD)) as conn:
        bulked = _lines(conn, tmp)
    assert len(transactional[0]) > 10 and len(transactional[1]) > 10
    assert bulked == transactional
    _check(f"{name}.txt", _digest(*transactional, _inputs_digest(files),
                                  f"import {name} alone into an empty database, transactional and --bulk"))
