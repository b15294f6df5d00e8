"""Malformed datasets: each fails through the real `dealgraph load` with one line naming file,
line and field, exits non-zero, and leaves the database exactly as it was.

Every case starts from a small valid dataset (which loads, see test_valid_base_loads) and breaks
one thing in it, so a failure can only come from that one thing.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_one_line_error, fingerprint

from graph.dataset import read_dataset
from graph.errors import InputError

ARTICLES = """\
articles:
  - id: a1.txt
    title: First article
    language: en
  - id: a2.txt
    title: Second article
    language: vi
    published: "2024-03-01"
"""
ENTITIES = """\
entities:
  - id: acme
    kind: Company
    name: Acme Robotics
    aliases: [Acme, ACME Corp]
    country: US
  - id: fundco
    kind: Fund
    name: FundCo Capital
    aliases: [FundCo]
  - id: bot
    kind: Model
    name: Bot-1
  - id: regulator
    kind: GovernmentBody
    name: Trade Regulator
"""
FACTS = """\
source: a1.txt
rounds:
  - id: acme-a
    company: acme
    amount: 5000000
    currency: USD
    date: "2024-05"
facts:
  - type: INVESTED_IN
    from: fundco
    to: acme
    round: acme-a
    amount: 1000000
    currency: EUR
    date: "2024-05-02"
  - type: DEVELOPS
    from: acme
    to: bot
  - type: FINED
    from: regulator
    to: acme
    amount: 2.5e6
    currency: USD
    source: a2.txt
"""
BASE = {"articles.yaml": ARTICLES, "entities.yaml": ENTITIES, "facts/a1.yaml": FACTS}


def write(tmp_path: Path, **changes) -> Path:
    """The base dataset in tmp_path/data, with files replaced (key: file name, '/' as '__')."""
    files = dict(BASE)
    for key, text in changes.items():
        files[key.replace("__", "/").replace("_yaml", ".yaml")] = text
    root = tmp_path / "data"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    """1-based line where needle (which may span lines) first starts: expectations follow the text."""
    return text[: text.index(needle)].count("\n") + 1


def test_valid_base_loads(clean_db, cli, tmp_path):
    root = write(tmp_path)
    ds = read_dataset(root)
    assert [e["id"] for e in ds.entities] == ["acme", "fundco", "bot", "regulator"]
    result = cli("load", root)
    assert result.code == 0, result
    rows = clean_db.read("MATCH (f:Entity)-[r:INVESTED_IN]->(c:Entity) "
                         "RETURN f.id AS f, c.id AS c, r.amount AS amount, r.currency AS cur, r.round AS round")
    assert rows == [{"f": "fundco", "c": "acme", "amount": 1000000, "cur": "EUR", "round": "acme-a"}]
    fined = clean_db.read("MATCH (:Entity {id: 'regulator'})-[r:FINED]->(:Entity {id: 'acme'}) "
                          "RETURN r.amount AS amount, r.amount_usd AS usd, r.source AS source")
    assert fined == [{"amount": 2500000, "usd": 2500000, "source": "a2.txt"}]


# (file to change, new text, file named in the error, needle whose line is reported, field, message)
def _case(file, text, needle, field, message, shown=None):
    return pytest.param(file, text, shown or file.replace("__", "/").replace("_yaml", ".yaml"),
                        needle, field, message, id=message.split()[0] + "-" + field)


CASES = [
    _case("facts__a1_yaml", FACTS.replace("from: fundco", "from: fundko"),
          "from: fundko", "from", "unknown entity 'fundko' (did you mean fundco?)"),
    _case("facts__a1_yaml", FACTS.replace("    to: bot", "    to: robot"),
          "to: robot", "to", "unknown entity 'robot'"),
    _case("entities_yaml", ENTITIES.replace("id: bot", "id: acme"),
          "id: acme\n    kind: Model", "id", "duplicate entity id 'acme'"),
    _case("facts__a1_yaml", FACTS.replace('date: "2024-05-02"', 'date: "2024-13-02"'),
          '"2024-13-02"', "date", "bad date '2024-13-02'"),
    _case("facts__a1_yaml", FACTS.replace('date: "2024-05-02"', "date: last spring"),
          "last spring", "date", "bad date 'last spring'"),
    _case("facts__a1_yaml", FACTS.replace("amount: 1000000", "amount: one million"),
          "one million", "amount", "bad amount 'one million'"),
    _case("facts__a1_yaml", FACTS.replace("amount: 1000000", "amount: -5"),
          "amount: -5", "amount", "bad amount -5"),
    _case("facts__a1_yaml", FACTS.replace("currency: EUR", "currency: XYZ"),
          "currency: XYZ", "currency", "unknown currency 'XYZ'"),
    _case("facts__a1_yaml", FACTS.replace("source: a1.txt\n", ""),
          "id: acme-a", "source", "missing: give the round a source"),
    _case("facts__a1_yaml", FACTS.replace("source: a2.txt", "source: a9.txt"),
          "source: a9.txt", "source", "unknown source file 'a9.txt'"),
    _case("facts__a1_yaml", FACTS.replace("source: a1.txt", "source: nope.txt"),
          "source: nope.txt", "source", "unknown source file 'nope.txt'"),
    _case("facts__a1_yaml", FACTS.replace("type: DEVELOPS", "type: DEVELOPED"),
          "DEVELOPED", "type", "unknown relationship type 'DEVELOPED'"),
    _case("entities_yaml", ENTITIES.replace("kind: Fund", "kind: Investor"),
          "kind: Investor", "kind", "unknown kind 'Investor'"),
    _case("facts__a1_yaml", FACTS.replace("    round: acme-a", "    rnd: acme-a"),
          "rnd: acme-a", "rnd", "unknown field in INVESTED_IN fact"),
    _case("facts__a1_yaml", FACTS.replace("    to: bot", "    to: fundco"),
          "to: fundco", "to", "DEVELOPS cannot end at 'fundco', a Fund (expected Model)"),
    _case("facts__a1_yaml", FACTS.replace("    round: acme-a", "    round: acme-b"),
          "round: acme-b", "round", "unknown round 'acme-b'"),
    _case("facts__a1_yaml", FACTS.replace("    currency: EUR\n", ""),
          "amount: 1000000", "currency", "missing: amount 1000000 needs a currency"),
    _case("entities_yaml", ENTITIES.replace("name: Bot-1", "name: Bot-1\n    aliases: [acme]"),
          "aliases: [acme]", "aliases", "name 'acme' is already a name of entity 'acme'"),
    _case("articles_yaml", ARTICLES.replace("id: a2.txt", "id: a1.txt"),
          "id: a1.txt\n    title: Second", "id", "duplicate article id 'a1.txt'"),
    _case("articles_yaml", ARTICLES.replace('published: "2024-03-01"', "published: 01/03/2024"),
          "01/03/2024", "published", "bad date '01/03/2024'"),
    _case("entities_yaml", ENTITIES.replace("country: US", "country: QQQ"),
          "country: QQQ", "country", "unknown country 'QQQ'"),
    _case("entities_yaml", ENTITIES.replace("    name: Bot-1", "    name: Bot-1\n    name: Bot-2"),
          "name: Bot-2", "name", "given twice in the same record"),
    _case("facts__a1_yaml", FACTS.replace("  - type: DEVELOPS\n    from: acme\n    to: bot",
                                          "  - type: COMPETES_WITH\n    from: acme\n    to: acme"),
          "to: acme\n  - type: FINED", "to", "a fact cannot link 'acme' to itself"),
]


@pytest.mark.parametrize("file, text, shown, needle, field, message", CASES)
def test_malformed_dataset_fails_cleanly(seed_graph, cli, tmp_path, file, text, shown, needle, field, message):
    root = write(tmp_path, **{file: text})
    line = line_of(text, needle)
    before = fingerprint(seed_graph)
    result = cli("load", root)
    assert_one_line_error(result, f"{root / shown}:{line}: {field}: ", message)
    assert fingerprint(seed_graph) == before
    # The Python API raises the same located error.
    with pytest.raises(InputError) as info:
        read_dataset(root)
    assert (info.value.line, info.value.field) == (line, field)


def test_yaml_syntax_error_names_the_line(seed_graph, cli, tmp_path):
    broken = FACTS.replace("    to: bot", "    to: [bot")
    root = write(tmp_path, facts__a1_yaml=broken)
    before = fingerprint(seed_graph)
    result = cli("load", root)
    assert_one_line_error(result, f"{root / 'facts/a1.yaml'}:", "YAML syntax error")
    assert fingerprint(seed_graph) == before


def test_missing_path_and_empty_folder(seed_graph, cli, tmp_path):
    before = fingerprint(seed_graph)
    assert_one_line_error(cli("load", tmp_path / "nowhere"), "nowhere", "no such file or folder")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(cli("load", tmp_path / "empty"), "no .yaml files")
    assert fingerprint(seed_graph) == before


def test_single_file_dataset(tmp_path):
    """A dataset may be one file holding every section."""
    one = tmp_path / "all.yaml"
    one.write_text(ARTICLES + ENTITIES + FACTS, encoding="utf-8")
    ds = read_dataset(one)
    assert len(ds.facts) == 3 and len(ds.rounds) == 1 and len(ds.articles) == 2


def test_bad_amount_in_a_single_file_names_its_line(tmp_path):
    text = ARTICLES + ENTITIES + FACTS.replace("amount: 2.5e6", "amount: 2,5 triệu")
    one = tmp_path / "all.yaml"
    one.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_dataset(one)
    assert str(info.value) == (f"{one}:{line_of(text, '2,5 triệu')}: amount: bad amount '2,5 triệu': expected a "
                               "positive number in units, such as 2750000000 or 2.75e9 (the words go in amount_text)")


def test_a_record_that_is_not_a_mapping_names_its_line(tmp_path):
    text = ENTITIES + "  - just a name\n"
    root = write(tmp_path, entities_yaml=text)
    with pytest.raises(InputError) as info:
        read_dataset(root)
    assert info.value.line == line_of(text, "just a name")
    assert "each entity must be a mapping of fields" in str(info.value)
