"""Bad input through the real CLI: one line on stderr, a non-zero exit, no traceback, and the graph
exactly as it was (the seed is loaded first; its fingerprint is compared before and after).

The full tables of bad inputs are checked where the code that refuses them lives: seed-format
datasets in tests/unit/test_dataset.py, query files in tests/unit/test_query_modules.py, query
parameters in tests/unit/test_query_params.py. Here are a few of each end to end, every bad
command line that needs the graph to be refused (names, articles, options), and the table of
spoilt Crunchbase exports.
"""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from helpers import assert_one_line_error, fingerprint, line_of, small_dataset

pytestmark = pytest.mark.bad_input



def _load_case(case_id, change, needle, error, encoding="utf-8"):
    """A dataset spoilt by `change`, and the error line: at the line of `needle` (None: no line)."""
    text = small_dataset(change)
    where = f"data.yaml:{line_of(text, needle)}: " if needle else "data.yaml: "
    return pytest.param(text.encode(encoding), where + error, id=case_id)


LOAD_CASES = [
    _load_case("not-utf-8", ("    name: Fund One", "    name: Công ty Môt"), None, "not UTF-8 text", "latin-1"),
    _load_case("dangling-entity", ("    from: fund-one", "    from: fund-on"), "from: fund-on",
               "from: unknown entity 'fund-on' (did you mean fund-one?)"),
    _load_case("control-character", ("    name: Fund One", '    name: "Fund\\x1b[2JOne"'), "Fund\\x1b",
               "name: control character U+001B at position 5"),
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


def _same_uuid(name: str, line: int, other: str, other_line: int):
    """Row `line` of `name` takes the uuid of row `other_line` of `other`."""
    def make(folder: Path) -> None:
        with open(folder / other, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        uuid = rows[other_line - 1][rows[0].index("uuid")]
        _set(name, line, "uuid", uuid)(folder)
    return make


def _remove(name: str):
    return lambda folder: (folder / name).unlink()


def _replace_line(data: bytes, line: int, new: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[line - 1] = new
    return b"\n".join(lines)


ORGS, ROUNDS, INVESTMENTS = "organizations.csv", "funding_rounds.csv", "investments.csv"


def _case(case_id, spoil, where, reason):
    """A spoilt export: how to spoil it, a regex the error line must match, and the reason it gives."""
    return pytest.param(spoil, where, reason, id=case_id)


def _value(case_id, name, line, column, value, reason):
    """A spoilt export with one bad value: its file, line (1 = header) and column are named."""
    return _case(case_id, _set(name, line, column, value), rf"{re.escape(name)}:{line}: {column}: ", reason)


# The one table of spoilt Crunchbase exports (the line numbers are the file's).
CSV_CASES = [
    _case("missing-column", _csv_edit(ROUNDS, lambda rows: rows[0].__setitem__(rows[0].index("org_uuid"), "org")),
          r"funding_rounds\.csv:1: header: ", "missing column 'org_uuid'"),
    _case("extra-field", _csv_edit(ORGS, lambda rows: rows[2].append("extra")), r"organizations\.csv:3: ",
          "fields where the header has"),
    _case("nul-byte", _raw(ORGS, lambda b: _replace_line(b, 4, b.split(b"\n")[3].replace(b",", b",\0", 1))),
          r"organizations\.csv:4: ", "control character U+0000"),
    _case("c1-control-in-an-unchecked-column",  # a description: only the reader's own check sees it
          _raw(ORGS, lambda b: _replace_line(b, 5, b.split(b"\n")[4].replace(b" works on", "\u00a0works\u0085on".encode()))),
          r"organizations\.csv:5: ", "control character U+0085"),
    _case("latin-1-byte", _raw(ORGS, lambda b: _replace_line(b, 3, b.split(b"\n")[2] + "é".encode("latin-1"))),
          r"organizations\.csv:3: ", "not UTF-8"),
    _case("utf-16-bom", _raw(INVESTMENTS, lambda b: b.decode("utf-8").encode("utf-16")), r"investments\.csv:1: ",
          "not UTF-8"),
    _case("empty-file", _raw(ORGS, lambda b: b""), r"organizations\.csv:1: ", "empty file"),
    _case("missing-file", _remove(ROUNDS), r": ", "no funding_rounds.csv here"),
    _case("duplicate-uuid", _copy_row(ORGS, 2), r"organizations\.csv:\d+: uuid: ", "duplicate uuid"),
    _case("duplicate-person", _copy_row("people.csv", 2), r"people\.csv:\d+: uuid: ", "duplicate uuid"),
    # an investor that only investors.csv holds (an entity of its own), given twice
    _case("duplicate-investor", _csv_edit("investors.csv", lambda rows: rows.extend(
        [[v if h != "uuid" else "0d0d0d0d-only-in-investors" for h, v in zip(rows[0], rows[1])]] * 2)),
        r"investors\.csv:\d+: uuid: ", "duplicate uuid"),
    _value("huge-count", ROUNDS, 2, "investor_count", "99999999999999999999", "too large"),
    _case("person-who-is-an-organisation", _same_uuid("people.csv", 3, ORGS, 2), r"people\.csv:3: uuid: ",
          "is an organisation's in organizations.csv"),
    # one investment uuid, two investors: two facts with one id (the writer stopped half-way on the constraint)
    _case("duplicate-investment", _csv_edit(INVESTMENTS, lambda rows: rows.append(
        [rows[1][i] if h != "investor_uuid" else rows[3][i] for i, h in enumerate(rows[0])])),
        r"investments\.csv:\d+: uuid: ", "duplicate uuid"),
    _value("missing-investor", INVESTMENTS, 12, "investor_uuid", "", "missing value"),
    _value("dangling-org", ROUNDS, 3, "org_uuid", "no-such-org", "'no-such-org' is not in organizations.csv"),
    _value("dangling-investor", INVESTMENTS, 2, "investor_uuid", "ghost", "investor 'ghost' is in none of"),
    _value("dangling-round", INVESTMENTS, 4, "funding_round_uuid", "ghost", "round 'ghost' is not in"),
    _value("non-numeric-amount", ROUNDS, 2, "raised_amount_usd", "twelve million", "not a number: 'twelve million'"),
    _value("negative-amount", ROUNDS, 2, "raised_amount", "-5", "not an amount: '-5'"),
    _value("nan-amount", ROUNDS, 2, "raised_amount", "nan", "not an amount"),
    _value("impossible-date", ROUNDS, 5, "announced_on", "2021-02-30", "not a date: '2021-02-30'"),
    _value("unknown-currency", ROUNDS, 2, "raised_amount_currency_code", "XYZ",
           "unknown ISO 4217 currency code: 'XYZ'"),
    _value("unknown-country", ORGS, 2, "country_code", "XXX", "unknown country: 'XXX'"),
    _value("bad-flag", INVESTMENTS, 2, "is_lead_investor", "maybe", "not true/false: 'maybe'"),
    _value("bad-count", ROUNDS, 2, "investor_count", "many", "not a whole number"),
    _value("missing-name", ORGS, 3, "name", "  ", "missing value"),
    _value("long-name", ORGS, 3, "name", "Ω" * 30_000, "too long: 30,000 characters"),
    _value("long-alias", ORGS, 4, "alias2", "x" * 5000, "too long"),
]

# (case id, dealgraph arguments ("{out}": a page that must not be written), extra environment,
#  regex the line must match, reason)
CLI_CASES = [
    ("query-typo", ["query", "investor_of"], {}, r"^Error: ", "unknown query 'investor_of': did you mean investors_of"),
    ("missing-parameter", ["query", "investors_of"], {}, r"^Error: ", "needs parameter company"),
    ("int-parameter", ["query", "top_investors", "-p", "limit=lots"], {}, r"^Error: ",
     "parameter limit: expected an integer"),
    ("parameter-twice", ["query", "top_investors", "-p", "limit=1", "-p", "limit=2"], {}, r"^Error: ",
     "-p limit is given twice"),
    ("unknown-article", ["query", "article_claims", "-p", "article=999"], {}, r"^Error: ", "unknown article '999'"),
    ("unknown-entity", ["query", "investors_of", "-p", "company=Zhpu"], {}, r"^Error: ",
     "no entity is named 'Zhpu'; did you mean Zhipu AI"),
    ("ambiguous-entity", ["query", "models", "-p", "company=Ernie"], {}, r"^Error: ",
     "is ambiguous: it may mean Ernie 4.5 (ernie-4-5), Ernie X1 (ernie-x1)"),
    ("cypher-in-parameter", ["query", "investors_of", "-p", "company=x'}) DETACH DELETE n //"], {}, r"^Error: ",
     "no entity is named \"x'}) DETACH DELETE n //\""),
    ("huge-parameter", ["query", "investors_of", "-p", "company=" + "A" * 100_000], {}, r"^Error: .{0,600}$",
     "no entity is named 'AAAA"),
    ("browser-unknown-entity", ["query", "backers_of_both", "-p", "a=Zhpu", "-p", "b=Baichuan", "--browser"], {},
     r"^Error: ", "no entity is named 'Zhpu'"),
    ("mixed-script-name", ["resolve", "Аlibaba"], {}, r"^Error: ", "did you mean Alibaba Group"),
    ("nothing-to-resolve", ["resolve", " !? "], {}, r"^Error: ", "has no letters or digits"),
    ("kind-with-cypher", ["viz", "ecosystem", "--kind", "Company`) DETACH DELETE n //", "-o", "{out}"], {},
     r"^Error: ", "unknown kind 'Company`) DETACH DELETE n //'"),
    ("two-labels", ["viz", "ecosystem", "--kind", "Entity:Company", "-o", "{out}"], {}, r"^Error: ",
     "unknown kind 'Entity:Company'"),
    ("rel-type-with-cypher", ["viz", "ecosystem", "--rel-type", "INVESTED_IN`]->() DETACH DELETE n //", "-o", "{out}"],
     {}, r"^Error: ", "unknown relationship type 'INVESTED_IN`]->() DETACH DELETE n //'"),
    ("two-rel-types", ["viz", "ecosystem", "--rel-type", "INVESTED_IN|ALIAS_OF", "-o", "{out}"], {}, r"^Error: ",
     "unknown relationship type 'INVESTED_IN|ALIAS_OF'"),
    ("viz-unknown-name", ["viz", "ego", "Nobody Holdings", "-o", "{out}"], {}, r"^Error: ", "no entity is named"),
    ("viz-depth", ["viz", "ego", "Zhipu", "--depth", "9", "-o", "{out}"], {}, r"^Error: ",
     "depth must be a whole number from 1 to 4, not 9"),
    ("viz-unknown-query", ["viz", "query", "nope", "-o", "{out}"], {}, r"^Error: ", "unknown query 'nope'"),
    ("bad-option-value", ["import", "csv", ".", "--batch-size", "0"], {}, r"^Error: ", "--batch-size"),
    ("import-name-with-a-control-character", ["import", "csv", ".", "--name", "a\x1b[2Jb"], {}, r"^Error: --name ",
     "control character U+001B"),
    ("import-name-too-long", ["import", "csv", ".", "--name", "中" * 3000], {}, r"^Error: --name ", "too long"),
    ("missing-argument", ["query"], {}, r"^Error: ", "Missing argument 'NAME'"),
    ("unknown-command", ["lod"], {}, r"^Error: ", "No such command 'lod'"),
    ("load-missing-path", ["load", "/nonexistent/dataset"], {}, r"^Error: /nonexistent/dataset: ",
     "no such file or folder"),
    ("query-path-not-folder", ["queries"], {"DEALGRAPH_QUERY_PATH": "/nonexistent/queries"}, r"^Error: ",
     "is not a folder"),
    ("bad-timeout", ["query", "top_investors"], {"DEALGRAPH_TIMEOUT": "soon"}, r"^Error: ",
     "DEALGRAPH_TIMEOUT='soon': expected a number of seconds"),
    ("bad-port", ["neo4j", "status"], {"DEALGRAPH_BOLT_PORT": "abc"}, r"^Error: ",
     "DEALGRAPH_BOLT_PORT='abc': expected a port number from 1 to 65535"),
    ("port-out-of-range", ["neo4j", "status", "--http-port", "70000"], {}, r"^Error: ", "--http-port"),
]


@pytest.fixture(scope="module")
def before(seed_graph):
    """The seed graph's fingerprint: every case must leave it exactly so."""
    return fingerprint(seed_graph)


def check(result, where: str, reason: str, conn, before) -> None:
    assert_one_line_error(result, reason)
    line = result.err.strip()
    assert re.search(where, line), (where, line)
    assert fingerprint(conn) == before, "the graph changed"


@pytest.mark.parametrize("data, error", LOAD_CASES)
def test_load_refuses_a_bad_dataset(data, error, tmp_path, cli, seed_graph, before):
    path = tmp_path / "data.yaml"
    path.write_bytes(data)
    check(cli("load", path), f"^Error: {re.escape(str(tmp_path))}/{re.escape(error)}$", error, seed_graph, before)


def test_a_bad_file_among_good_ones_writes_nothing(tmp_path, cli, seed_graph, before):
    """The mistake is in the last file of a folder: the good files before it are not written either."""
    (tmp_path / "a.yaml").write_text(small_dataset(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("entities:\n  - id: beta\n    kind: Company\n    name: Beta\n    country: QQ\n",
                                     encoding="utf-8")
    check(cli("load", tmp_path), r"b\.yaml:5: country: ", "unknown country 'QQ'", seed_graph, before)


def test_the_export_is_valid_before_it_is_spoilt(small_export):
    """Each case spoils exactly one thing: unspoilt, the export passes the checks."""
    from graph.sources.crunchbase import V4Export

    V4Export(small_export, "x").check()


@pytest.mark.parametrize("spoil, where, reason", CSV_CASES)
def test_import_csv_refuses_a_bad_export(spoil, where, reason, tmp_path, small_export, cli, seed_graph, before):
    folder = tmp_path / "export"
    shutil.copytree(small_export, folder)
    spoil(folder)
    check(cli("import", "csv", folder), where, reason, seed_graph, before)


@pytest.mark.parametrize("args, env, where, reason", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_a_bad_command_line(args, env, where, reason, tmp_path, cli, seed_graph, before):
    out = tmp_path / "page.html"
    check(cli(*(str(out) if a == "{out}" else a for a in args), env=env), where, reason, seed_graph, before)
    assert not out.exists()
