"""The CSV files `--bulk` hands neo4j-admin (graph.bulk): header types, quoting, arrays, refusals.

Pure code: no driver, no server. What the importer makes of these files is tested against a real
server in tests/test_bulk.py.
"""
import csv
import io

import pytest

from graph.bulk import ARRAY_DELIMITER, Tables, csv_line, is_local, value_type
from graph.errors import DealgraphError


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def read(files: str) -> list[list[str]]:
    """The importer's `header,data` file list as rows: the header file's line, then the data."""
    return [row for path in files.split(",") for row in parse(open(path, newline="").read())]


def records(files: str) -> list[dict]:
    """Data rows by header field, in file order."""
    head, *rows = read(files)
    return [dict(zip(head, row)) for row in rows]


def test_header_types_follow_the_python_values():
    assert [value_type(v) for v in (True, 3, 2.5, "x", ["a"], [1, 2], [0.5], [False], [])] == \
        ["boolean", "long", "double", "string", "string[]", "long[]", "double[]", "boolean[]", "string[]"]
    with pytest.raises(DealgraphError, match="64-bit"):
        value_type(2 ** 63)
    with pytest.raises(DealgraphError, match="mixed types"):
        value_type(["a", 1])
    with pytest.raises(DealgraphError, match="dict"):
        value_type({"a": 1})


def test_quotes_newlines_and_commas_survive_a_csv_reader():
    text = 'He said "no", then\nleft; \\ too'
    line = csv_line([text, None, "", 7, 1.5, True, ["a;b", 'c"d', ""]])
    assert line.endswith("\n")
    [row] = parse(line)
    assert row[0] == text
    assert row[1:6] == ["", "", "7", "1.5", "true"]
    assert row[6].split(ARRAY_DELIMITER) == ["a;b", 'c"d', ""]
    # None is an empty unquoted field (no property), "" a quoted one (an empty string)
    assert csv_line(["x", None, "", 0]) == '"x",,"",0\n'


def test_a_value_holding_the_array_delimiter_is_refused():
    with pytest.raises(DealgraphError, match="U\\+001F"):
        csv_line(["a\x1fb"])


def _entity(uid, kind="Company", **props):
    return {"id": uid, "kind": kind, "keys": [{"key": uid, "names": [uid.upper()]}], "sources": ["s1"],
            "props": {"name": uid.upper(), **props}}


def test_files_have_typed_headers_and_a_file_per_mix_of_types(tmp_path):
    t = Tables(tmp_path)
    t.article({"id": "s1", "props": {"id": "s1", "title": "T"}})
    t.entity(_entity("a", amount=1, aliases=["A", "Ä"], state_backed=None))
    t.entity(_entity("b", amount=2.5, aliases=[]))  # a float where "a" had an int; an empty list
    t.round({"id": "r1", "company": "a", "props": {"date": "2023", "source": "s1"}})
    t.round({"id": "r2", "company": "nobody", "props": {"date": "2024", "source": "elsewhere"}})
    t.fact({"id": "f1", "type": "INVESTED_IN", "from": "b", "to": "a", "props": {"led": True, "round": "r1"}})
    t.fact({"id": "f2", "type": "INVESTED_IN", "from": "b", "to": "ghost", "props": {}})
    args = t.files()
    files = {a.split("=", 2)[1]: a.split("=", 2)[2] for a in args}
    assert set(files) == {"Article", "Entity:Company", "Alias", "ALIAS_OF", "MENTIONED_IN", "Round", "RAISED",
                          "REPORTED_IN", "INVESTED_IN"}
    entity_files = [a.split("=", 2)[2] for a in args if "=Entity:Company=" in a]
    assert len(entity_files) == 2  # amount: long in one, double in the other
    headers = sorted(next(h for h in read(p)[0] if h.startswith("amount")) for p in entity_files)
    assert headers == ["amount:double", "amount:long"]
    head = read(entity_files[0])[0]
    assert head[0] == "id:ID(Entity)" and "aliases:string[]" in head and "sources:string[]" in head
    assert all(r["state_backed:string"] == "" for r in records(entity_files[0]))  # None: no property
    # the empty list is not in a file (the importer reads it as no property): it is set afterwards
    assert t.fixups == [("Entity", "id", "b", {"aliases": []})]
    # links only to what was written before (as graph.write's MATCH finds it)
    assert read(files["RAISED"]) == [[":START_ID(Entity)", ":END_ID(Round)"], ["a", "r1"]]
    assert records(files["INVESTED_IN"]) == [{":START_ID(Entity)": "b", ":END_ID(Entity)": "a", "id:string": "f1",
                                              "led:boolean": "true", "round:string": "r1"}]
    assert read(files["REPORTED_IN"])[1:] == [["r1", "s1"]]
    assert t.nodes == 1 + 2 + 2 + 2 and t.relationships == 2 + 2 + 1 + 1 + 1


def test_a_file_takes_the_types_its_rows_give_and_none_fits_any(tmp_path):
    """Rows go to the first file whose columns and types fit them; a value of another type, or a
    property the file has no column for, starts a new file. A property given as None has a column
    but no type until a row gives it a value. Headers say what the rows hold."""
    t = Tables(tmp_path)
    t.round({"id": "r1", "company": "c", "props": {"amount": None, "name": "A"}})  # amount: a column, no type yet
    t.round({"id": "r2", "company": "c", "props": {"amount": 5, "name": None}})    # fits: amount becomes long
    t.round({"id": "r3", "company": "c", "props": {"amount": 5.5}})               # double: a second file
    t.round({"id": "r4", "company": "c", "props": {"amount": 7, "stage": "B"}})    # a new column: a third
    t.round({"id": "r5", "company": "c", "props": {"amount": 8}})                  # back in the first
    files = [a.split("=", 2)[2] for a in t.files() if a.startswith("--nodes=Round=")]
    got = [(read(f)[0], [r[0] for r in read(f)[1:]]) for f in files]
    assert got == [(["id:ID(Round)", "amount:long", "name:string"], ["r1", "r2", "r5"]),
                   (["id:ID(Round)", "amount:double", "name:string"], ["r3"]),
                   (["id:ID(Round)", "amount:long", "name:string", "stage:string"], ["r4"])]
    assert records(files[0])[1] == {"id:ID(Round)": "r2", "amount:long": "5", "name:string": ""}


def test_a_record_given_twice_is_refused_not_merged(tmp_path):
    t = Tables(tmp_path)
    t.entity(_entity("a"))
    with pytest.raises(DealgraphError, match="comes twice.*without --bulk"):
        t.entity(_entity("a", kind="Fund"))


def test_import_record_has_datetime_columns(tmp_path):
    from datetime import datetime, timezone

    path = Tables(tmp_path).import_record("crunchbase:x", "csv", 12, datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                                          datetime(2026, 1, 2, 3, 4, 6, 500, tzinfo=timezone.utc))
    head, row = parse(path.read_text())
    assert head == ["source:ID(Import)", "kind:string", "status:string", "rows:long", "started:datetime",
                    "finished:datetime"]
    assert row == ["crunchbase:x", "csv", "complete", "12", "2026-01-02T03:04:05.000000Z", "2026-01-02T03:04:06.000500Z"]


@pytest.mark.parametrize("uri, local", [
    ("bolt://127.0.0.1:7708", True), ("neo4j://localhost:7708", True), ("bolt://127.0.0.1:7687", False),
    ("bolt://db.example.com:7708", False), ("neo4j+s://127.0.0.1:7708", True),
])
def test_only_the_configured_local_server_qualifies(uri, local):
    assert is_local(uri, 7708) is local


def test_a_value_spanning_lines_turns_on_the_importers_multiline_mode(tmp_path):
    t = Tables(tmp_path)
    t.entity(_entity("a", description="one line"))
    assert not t.multiline
    t.fact({"id": "f1", "type": "INVESTED_IN", "from": "a", "to": "a", "props": {"note": "two\r\nlines"}})
    assert t.multiline
    assert records([a.split("=", 2)[2] for a in t.files() if "INVESTED_IN" in a][0])[0]["note:string"] == "two\r\nlines"


def test_rows_of_a_known_shape_are_still_checked(tmp_path):
    """Rows of a shape seen before skip the search for their file (_Group.add), not the checks:
    an integer too big for a long is refused there too, and so is the array delimiter."""
    t = Tables(tmp_path)
    t.round({"id": "r1", "company": "c", "props": {"amount": 5, "name": "A"}})
    with pytest.raises(DealgraphError, match="64-bit"):
        t.round({"id": "r2", "company": "c", "props": {"amount": 2 ** 63, "name": "B"}})
    with pytest.raises(DealgraphError, match="U\\+001F"):
        t.round({"id": "r3", "company": "c", "props": {"amount": 6, "name": "a\x1fb"}})
