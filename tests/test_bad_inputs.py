"""The bad-input corpus: every way we know to feed dealgraph bad data, through the real CLI.

One table, three surfaces (a dataset in the seed format, a Crunchbase CSV export, the command
line). Each case must fail with exactly one line on stderr naming the file, line and field where
there is one, exit non-zero, print no traceback, and leave the graph exactly as it was: the seed
is loaded first and the fingerprint of every node and relationship is compared before and after.
"""
from __future__ import annotations

import csv
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import assert_one_line_error, fingerprint

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

# A small valid dataset; each seed case changes one line of it (line numbers are 1-based).
BASE = """\
articles:
  - id: a1.txt
    title: An article
    language: vi
entities:
  - id: alpha
    kind: Company
    name: Alpha AI
    country: VN
  - id: fund-one
    kind: Fund
    name: Fund One
rounds:
  - id: alpha-a
    company: alpha
    source: a1.txt
    date: "2023-05"
    amount: 1000000
    currency: USD
facts:
  - type: INVESTED_IN
    from: fund-one
    to: alpha
    source: a1.txt
    round: alpha-a
    amount: 5000
    currency: USD
    date: "2023-05-10"
"""


def edit(lines: dict[int, str | None] | None = None, after: dict[int, str] | None = None) -> str:
    """BASE with some lines replaced (None: deleted) and some inserted after a line."""
    out = []
    for n, line in enumerate(BASE.splitlines(), 1):
        line = (lines or {}).get(n, line)
        if line is not None:
            out.append(line)
        if n in (after or {}):
            out.append(after[n])
    return "\n".join(out) + "\n"


# (case id, text or bytes of data.yaml, needles: "LINE" and "FIELD" (None: no line/field to name), reason)
SEED_CASES = [
    ("yaml-syntax", edit({12: "    name: [Fund One"}), r"data\.yaml:1[23]: ", "YAML syntax error"),
    ("yaml-indent", edit({11: "   kind: Fund"}), r"data\.yaml:1[12]: ", "YAML syntax error"),
    ("latin-1", edit({12: "    name: Công ty Môt"}).encode("latin-1"), r"data\.yaml: ", "not UTF-8"),
    ("utf-16-bom", edit().encode("utf-16"), r"data\.yaml: ", "not UTF-8"),
    ("top-level-list", "- a\n- b\n", r"data\.yaml:1: ", "expected a mapping"),
    ("unknown-section", edit(after={28: "people: []"}), r"data\.yaml:29: people: ", "unknown section"),
    ("duplicate-entity-id", edit({10: "  - id: alpha"}), r"data\.yaml:10: id: ", "duplicate entity id"),
    ("duplicate-fact", edit() + BASE.split("facts:\n")[1], r"data\.yaml:29: id: ", "duplicate fact id"),
    ("duplicate-key", edit(after={8: "    name: Alpha Again"}), r"data\.yaml:9: name: ", "given twice"),
    ("dangling-entity", edit({23: "    to: alpah"}), r"data\.yaml:23: to: ", "unknown entity 'alpah' (did you mean alpha?)"),
    ("dangling-round", edit({25: "    round: alpha-b"}), r"data\.yaml:25: round: ", "unknown round 'alpha-b'"),
    ("round-of-another", edit({15: "    company: fund-one"}), r"data\.yaml:25: round: ", "was raised by"),
    ("negative-amount", edit({26: "    amount: -5000"}), r"data\.yaml:26: amount: ", "bad amount -5000"),
    ("zero-amount", edit({18: "    amount: 0"}), r"data\.yaml:18: amount: ", "bad amount 0"),
    ("non-numeric-amount", edit({26: "    amount: 5 thousand"}), r"data\.yaml:26: amount: ", "bad amount"),
    ("infinite-amount", edit({26: "    amount: .inf"}), r"data\.yaml:26: amount: ", "bad amount"),
    ("impossible-date", edit({28: '    date: "2023-02-30"'}), r"data\.yaml:28: date: ", "bad date '2023-02-30'"),
    ("month-13", edit({17: '    date: "2023-13"'}), r"data\.yaml:17: date: ", "bad date '2023-13'"),
    ("relative-date", edit({17: "    date: last year"}), r"data\.yaml:17: date: ", "bad date"),
    ("unknown-currency", edit({27: "    currency: XYZ"}), r"data\.yaml:27: currency: ", "unknown currency 'XYZ'"),
    ("amount-without-currency", edit({27: None}), r"data\.yaml:26: currency: ", "needs a currency"),
    ("unknown-country", edit({9: "    country: ZZ"}), r"data\.yaml:9: country: ", "unknown country 'ZZ'"),
    ("unknown-type", edit({21: "  - type: OWNS"}), r"data\.yaml:21: type: ", "unknown relationship type 'OWNS'"),
    ("unknown-kind", edit({7: "    kind: Startup"}), r"data\.yaml:7: kind: ", "unknown kind 'Startup'"),
    ("unknown-field", edit(after={8: "    ceo: Someone"}), r"data\.yaml:9: ceo: ", "unknown field in entity"),
    ("missing-name", edit({12: None}), r"data\.yaml:10: name: ", "missing"),
    ("unknown-source", edit({24: "    source: a2.txt"}), r"data\.yaml:24: source: ", "unknown source file 'a2.txt'"),
    ("stake-over-one", edit(after={28: "    stake: 1.5"}), r"data\.yaml:29: stake: ", "bad stake 1.5"),
    ("self-link", edit({22: "    from: alpha"}), r"data\.yaml:23: to: ", "cannot link 'alpha' to itself"),
    ("wrong-end-kind", edit({21: "  - type: DEVELOPS", 25: None, 26: None, 27: None}), r"data\.yaml:23: to: ", "DEVELOPS cannot end at 'alpha'"),
    ("long-name", edit({12: "    name: " + "N" * 50_000}), r"data\.yaml:12: name: ", "too long: 50,000 characters"),
    ("long-id", edit({6: "  - id: " + "a" * 3000}), r"data\.yaml:6: id: ", "too long: 3,000 characters"),
    ("control-escape", edit({12: '    name: "Fund\\x1b[2JOne"'}), r"data\.yaml:12: name: ", "control character U+001B"),
    ("control-raw", edit({12: "    name: Fund\x07One"}), r"data\.yaml:12: ", "unacceptable character #x0007"),
    ("nul-in-note", edit(after={12: '    note: "a\\0b"'}), r"data\.yaml:13: note: ", "control character U+0000"),
    # Arabic alef variants fold to one key: two entities may not share a name in mixed scripts.
    ("mixed-script-clash", edit({8: "    name: ألفا AI Group", 12: "    name: إلفا ai group"}),
     r"data\.yaml:12: name: ", "is already a name of entity 'alpha'"),
]


def _csv_edit(name: str, change):
    """A case that rewrites one file of the export: `change(rows)` edits the list of rows in place."""
    def make(folder: Path) -> None:
        path = folder / name
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        change(rows)
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return make


def _set(name: str, line: int, column: str, value: str):
    def change(rows):
        rows[line - 1][rows[0].index(column)] = value
    return _csv_edit(name, change)


def _raw(name: str, transform):
    def make(folder: Path) -> None:
        path = folder / name
        path.write_bytes(transform(path.read_bytes()))
    return make


def _copy_row(name: str, line: int):
    return _csv_edit(name, lambda rows: rows.append(list(rows[line - 1])))


def _remove(name: str):
    return lambda folder: (folder / name).unlink()


def _replace_line(data: bytes, line: int, new: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[line - 1] = new
    return b"\n".join(lines)


ORGS, ROUNDS, INVESTMENTS = "organizations.csv", "funding_rounds.csv", "investments.csv"
# (case id, how to spoil the export, regex the line must match, reason); the line numbers are the file's.
CSV_CASES = [
    ("missing-column", _csv_edit(ROUNDS, lambda rows: rows[0].__setitem__(rows[0].index("org_uuid"), "org")),
     r"funding_rounds\.csv:1: header: ", "missing column 'org_uuid'"),
    ("extra-field", _csv_edit(ORGS, lambda rows: rows[2].append("extra")), r"organizations\.csv:3: ",
     "fields where the header has"),
    ("nul-byte", _raw(ORGS, lambda b: _replace_line(b, 4, b.split(b"\n")[3].replace(b",", b",\0", 1))),
     r"organizations\.csv:4: ", "control character U+0000"),
    ("latin-1-byte", _raw(ORGS, lambda b: _replace_line(b, 3, b.split(b"\n")[2] + "é".encode("latin-1"))),
     r"organizations\.csv:3: ", "not UTF-8"),
    ("utf-16-bom", _raw(INVESTMENTS, lambda b: b.decode("utf-8").encode("utf-16")), r"investments\.csv:1: ",
     "not UTF-8"),
    ("empty-file", _raw(ORGS, lambda b: b""), r"organizations\.csv:1: ", "empty file"),
    ("missing-file", _remove(ROUNDS), r": ", "no funding_rounds.csv here"),
    ("duplicate-uuid", _copy_row(ORGS, 2), r"organizations\.csv:\d+: uuid: ", "duplicate uuid"),
    ("dangling-org", _set(ROUNDS, 3, "org_uuid", "no-such-org"), r"funding_rounds\.csv:3: org_uuid: ",
     "'no-such-org' is not in organizations.csv"),
    ("dangling-investor", _set(INVESTMENTS, 2, "investor_uuid", "ghost"), r"investments\.csv:2: investor_uuid: ",
     "investor 'ghost' is in none of"),
    ("dangling-round", _set(INVESTMENTS, 4, "funding_round_uuid", "ghost"),
     r"investments\.csv:4: funding_round_uuid: ", "round 'ghost' is not in"),
    ("non-numeric-amount", _set(ROUNDS, 2, "raised_amount_usd", "12 million"),
     r"funding_rounds\.csv:2: raised_amount_usd: ", "not a number: '12 million'"),
    ("negative-amount", _set(ROUNDS, 2, "raised_amount", "-5"), r"funding_rounds\.csv:2: raised_amount: ",
     "not an amount: '-5'"),
    ("nan-amount", _set(ROUNDS, 2, "raised_amount", "nan"), r"funding_rounds\.csv:2: raised_amount: ",
     "not an amount"),
    ("impossible-date", _set(ROUNDS, 5, "announced_on", "2021-02-30"), r"funding_rounds\.csv:5: announced_on: ",
     "not a date: '2021-02-30'"),
    ("unknown-currency", _set(ROUNDS, 2, "raised_amount_currency_code", "XYZ"),
     r"funding_rounds\.csv:2: raised_amount_currency_code: ", "unknown ISO 4217 currency code: 'XYZ'"),
    ("unknown-country", _set(ORGS, 2, "country_code", "XXX"), r"organizations\.csv:2: country_code: ",
     "unknown ISO 3166 country code"),
    ("bad-flag", _set(INVESTMENTS, 2, "is_lead_investor", "maybe"), r"investments\.csv:2: is_lead_investor: ",
     "not true/false: 'maybe'"),
    ("bad-count", _set(ROUNDS, 2, "investor_count", "many"), r"funding_rounds\.csv:2: investor_count: ",
     "not a whole number"),
    ("missing-name", _set(ORGS, 3, "name", "  "), r"organizations\.csv:3: name: ", "missing value"),
    ("long-name", _set(ORGS, 3, "name", "Ω" * 30_000), r"organizations\.csv:3: name: ",
     "too long: 30,000 characters"),
    ("long-alias", _set(ORGS, 4, "alias2", "x" * 5000), r"organizations\.csv:4: alias2: ", "too long"),
]

# (case id, dealgraph arguments, extra environment, regex the line must match, reason)
CLI_CASES = [
    ("unknown-query", ["query", "who_funds_everyone"], {}, r"^Error: ", "unknown query 'who_funds_everyone'"),
    ("query-typo", ["query", "investor_of"], {}, r"^Error: ", "did you mean investors_of"),
    ("missing-parameter", ["query", "investors_of"], {}, r"^Error: ", "needs parameter company"),
    ("extra-parameter", ["query", "top_investors", "-p", "limit=3", "-p", "colour=red"], {}, r"^Error: ",
     "has no parameter colour"),
    ("not-key-value", ["query", "top_investors", "-p", "limit"], {}, r"^Error: ", "expected KEY=VALUE"),
    ("parameter-twice", ["query", "top_investors", "-p", "limit=1", "-p", "limit=2"], {}, r"^Error: ",
     "given twice"),
    ("int-parameter", ["query", "top_investors", "-p", "limit=lots"], {}, r"^Error: ",
     "parameter limit: expected an integer"),
    ("impossible-date-parameter", ["query", "portfolio", "-p", "investor=Alibaba", "-p", "as_of=2023-02-30"], {},
     r"^Error: ", "parameter as_of: expected a date"),
    ("unknown-fact-type", ["query", "missing_amount_or_date", "-p", "type=OWNS"], {}, r"^Error: ",
     "parameter type: expected one of"),
    ("unknown-article", ["query", "article_claims", "-p", "article=999"], {}, r"^Error: ", "unknown article '999'"),
    ("unknown-entity", ["query", "investors_of", "-p", "company=Nobody Holdings"], {}, r"^Error: ",
     "no entity is named 'Nobody Holdings'"),
    ("cypher-in-parameter", ["query", "investors_of", "-p", "company=x'}) DETACH DELETE n //"], {}, r"^Error: ",
     "no entity is named \"x'}) DETACH DELETE n //\""),
    ("huge-parameter", ["query", "investors_of", "-p", "company=" + "A" * 100_000], {}, r"^Error: .{0,600}$",
     "no entity is named 'AAAA"),
    ("mixed-script-name", ["resolve", "Аlibaba"], {}, r"^Error: ", "did you mean Alibaba Group"),
    ("nothing-to-resolve", ["resolve", " !? "], {}, r"^Error: ", "has no letters or digits"),
    ("unknown-kind", ["viz", "ecosystem", "--kind", "Company`) DETACH DELETE n //"], {}, r"^Error: ",
     "unknown kind 'Company`) DETACH DELETE n //'"),
    ("unknown-rel-type", ["viz", "ecosystem", "--rel-type", "INVESTED_IN]->() DELETE r //"], {}, r"^Error: ",
     "unknown relationship type"),
    ("viz-unknown-name", ["viz", "ego", "Nobody Holdings"], {}, r"^Error: ", "no entity is named"),
    ("viz-unknown-query", ["viz", "query", "nope"], {}, r"^Error: ", "unknown query 'nope'"),
    ("bad-option-value", ["import", "csv", ".", "--batch-size", "0"], {}, r"^Error: ", "--batch-size"),
    ("missing-argument", ["query"], {}, r"^Error: ", "Missing argument 'NAME'"),
    ("unknown-command", ["lod"], {}, r"^Error: ", "No such command 'lod'"),
    ("load-missing-path", ["load", "/nonexistent/dataset"], {}, r"^Error: /nonexistent/dataset: ",
     "no such file or folder"),
    ("query-path-not-folder", ["queries"], {"DEALGRAPH_QUERY_PATH": "/nonexistent/queries"}, r"^Error: ",
     "is not a folder"),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-export") / "clean"
    generate(folder, investments=40, seed=5)
    return folder


@pytest.fixture(scope="module")
def before(seed_graph):
    """The seed graph's fingerprint: every case must leave it exactly so."""
    return fingerprint(seed_graph)


def check(result, where: str, reason: str, conn, before) -> None:
    assert_one_line_error(result, reason)
    line = result.err.strip()
    assert re.search(where, line), (where, line)
    assert fingerprint(conn) == before, "the graph changed"


def test_the_base_dataset_and_export_are_valid(tmp_path, export):
    """Each case spoils exactly one thing: unspoilt, both inputs pass the checks."""
    from graph.csv_import import V4Export
    from graph.dataset import read_dataset

    (tmp_path / "data.yaml").write_text(BASE, encoding="utf-8")
    ds = read_dataset(tmp_path / "data.yaml")
    assert len(ds.entities) == 2 and len(ds.facts) == 1
    V4Export(export, "x").check()


@pytest.mark.parametrize("text, where, reason", [c[1:] for c in SEED_CASES], ids=[c[0] for c in SEED_CASES])
def test_bad_dataset(text, where, reason, tmp_path, cli, seed_graph, before, tally):
    path = tmp_path / "data.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    check(cli("load", path), where, reason, seed_graph, before)
    tally("bad inputs tried")


@pytest.mark.parametrize("spoil, where, reason", [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES])
def test_bad_export(spoil, where, reason, tmp_path, export, cli, seed_graph, before, tally):
    folder = tmp_path / "export"
    shutil.copytree(export, folder)
    spoil(folder)
    check(cli("import", "csv", folder), where, reason, seed_graph, before)
    tally("bad inputs tried")


@pytest.mark.parametrize("args, env, where, reason", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_bad_command_line(args, env, where, reason, tmp_path, cli, seed_graph, before, tally):
    check(cli(*args, env=env), where, reason, seed_graph, before)
    tally("bad inputs tried")


def test_a_bad_file_among_good_ones_writes_nothing(tmp_path, cli, seed_graph, before, tally):
    """The mistake is in the last file of a folder: the good files before it are not written either."""
    (tmp_path / "a.yaml").write_text(edit(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("entities:\n  - id: beta\n    kind: Company\n    name: Beta\n    country: QQ\n",
                                     encoding="utf-8")
    check(cli("load", tmp_path), r"b\.yaml:5: country: ", "unknown country 'QQ'", seed_graph, before)
    tally("bad inputs tried")
