"""Reading a dataset in the seed format (graph.dataset.read_dataset): every bad input, located.

This is the one table of bad seed-format inputs. Each case changes one thing in the small valid
dataset of conftest.py and must be refused with an InputError naming the file, the line of the
mistake (found in the changed text, so the table follows the dataset) and the field; the CLI
prints exactly that error (tests/test_bad_inputs.py runs a few of them end to end).
"""
from __future__ import annotations

import pytest
import yaml
from helpers import SMALL_DATASET, line_of, small_dataset

from graph.dataset import read_dataset
from graph.errors import InputError

FACT = SMALL_DATASET[SMALL_DATASET.index("  - type: INVESTED_IN"):SMALL_DATASET.index("  - type: DEVELOPS")]
ROUND = SMALL_DATASET[SMALL_DATASET.index("  - id: alpha-a"):SMALL_DATASET.index("facts:")]


def case(case_id, changes, at, field, message, *, whole=None, encoding="utf-8", near=False):
    """A bad dataset: `changes` to the small one (or `whole` text), and where the error must point:
    the line of the text `at` (an int: that line; None: no line), `field` and a part of the message.
    `near`: a YAML syntax error, which the parser may report on the line after."""
    text = whole if whole is not None else small_dataset(*changes)
    line = at if at is None or isinstance(at, int) else line_of(text, at)
    return pytest.param(text.encode(encoding), line, field, message, near, id=case_id)


CASES = [
    # the file itself
    case("yaml-syntax", [("    name: Fund One", "    name: [Fund One")], "[Fund One", None, "YAML syntax error",
         near=True),
    case("yaml-indent", [("    kind: Fund\n", "   kind: Fund\n")], "   kind: Fund", None, "YAML syntax error",
         near=True),
    case("latin-1", [("    name: Fund One", "    name: Công ty Môt")], None, None, "not UTF-8 text",
         encoding="latin-1"),
    case("utf-16", [], None, None, "not UTF-8 text", whole=SMALL_DATASET, encoding="utf-16"),
    case("control-raw", [("    name: Fund One", "    name: Fund\x07One")], "Fund\x07One", None,
         "unacceptable character #x0007"),
    case("top-level-list", [], 1, None, "expected a mapping", whole="- a\n- b\n"),
    case("section-not-a-list", [], 1, "articles", "expected a list of records", whole="articles: {}\n"),
    case("unknown-section", [("    source: a2.txt\n", "    source: a2.txt\npeople: []\n")], "people: []", "people",
         "unknown section"),
    case("duplicate-key", [("    name: Alpha AI\n", "    name: Alpha AI\n    name: Alpha Again\n")],
         "name: Alpha Again", "name", "given twice in the same record"),
    case("key-not-text", [("    name: Fund One\n", "    name: Fund One\n    1: one\n")], "1: one", None,
         "keys must be text"),
    case("entity-not-a-mapping", [("    name: Trade Regulator\n", "    name: Trade Regulator\n  - just a name\n")],
         "just a name", None, "each entity must be a mapping of fields"),
    case("fact-not-a-mapping", [], SMALL_DATASET.count("\n") + 1, None, "each fact must be a mapping of fields",
         whole=SMALL_DATASET + "  - just words\n"),
    # ids, duplicates and references
    case("duplicate-article-id", [("  - id: a2.txt", "  - id: a1.txt")], "id: a1.txt\n    title: Another", "id",
         "duplicate article id 'a1.txt'"),
    case("duplicate-entity-id", [("  - id: fund-one", "  - id: alpha")], "id: alpha\n    kind: Fund", "id",
         "duplicate entity id 'alpha'"),
    case("duplicate-round-id", [], line_of(SMALL_DATASET, "facts:"), "id",
         "duplicate round id 'alpha-a'", whole=SMALL_DATASET.replace("facts:", ROUND + "facts:")),
    case("duplicate-fact", [], SMALL_DATASET.count("\n") + 1, "id", "duplicate fact id",
         whole=SMALL_DATASET + FACT),
    case("bad-slug", [("  - id: fund-one", "  - id: Fund One")], "id: Fund One", "id", "bad id 'Fund One'"),
    case("dangling-entity", [("    from: fund-one", "    from: fund-on")], "from: fund-on", "from",
         "unknown entity 'fund-on' (did you mean fund-one?)"),
    case("dangling-round", [("    round: alpha-a", "    round: alpha-b")], "round: alpha-b", "round",
         "unknown round 'alpha-b'"),
    case("round-of-another", [("    company: alpha", "    company: fund-one")], "round: alpha-a", "round",
         "round 'alpha-a' was raised by 'fund-one', not 'alpha'"),
    case("unknown-source", [("    source: a2.txt", "    source: a9.txt")], "source: a9.txt", "source",
         "unknown source file 'a9.txt'"),
    case("missing-source", [("    source: a1.txt\n    date: \"2023-05\"", "    date: \"2023-05\"")], "id: alpha-a",
         "source", "missing: give the round a source"),
    case("unknown-file-source", [("    source: a2.txt\n", "    source: a2.txt\nsource: nope.txt\n")],
         "source: nope.txt", "source", "unknown source file 'nope.txt'"),
    # kinds, types and fields
    case("unknown-kind", [("    kind: Fund", "    kind: Investor")], "kind: Investor", "kind",
         "unknown kind 'Investor'"),
    case("unknown-type", [("  - type: DEVELOPS", "  - type: BUILDS")], "type: BUILDS", "type",
         "unknown relationship type 'BUILDS'"),
    case("fact-without-type", [("  - type: DEVELOPS\n    from: alpha", "  - from: alpha")],
         "from: alpha\n    to: alpha-1", "type", "missing (every fact needs one)"),
    case("unknown-entity-field", [("    country: VN", "    country: VN\n    ceo: Someone")], "ceo: Someone", "ceo",
         "unknown field in entity"),
    case("unknown-fact-field", [("    round: alpha-a", "    rnd: alpha-a")], "rnd: alpha-a", "rnd",
         "unknown field in INVESTED_IN fact"),
    case("missing-name", [("    name: Fund One\n", "")], "id: fund-one", "name", "missing (every entity needs one)"),
    case("empty-name", [("    name: Fund One", '    name: ""')], 'name: ""', "name", "expected non-empty text"),
    case("wrong-end-kind", [("    to: alpha-1", "    to: fund-one")], "to: fund-one", "to",
         "DEVELOPS cannot end at 'fund-one', a Fund (expected Model)"),
    case("wrong-start-kind", [("    from: regulator", "    from: fund-one")], "from: fund-one\n    to: alpha\n    am",
         "from", "FINED cannot start at 'fund-one', a Fund (expected GovernmentBody)"),
    case("self-link", [("    to: alpha\n    amount: 2.5e6", "    to: regulator\n    amount: 2.5e6")], "to: regulator",
         "to", "a fact cannot link 'regulator' to itself"),
    # values
    case("negative-amount", [("    amount: 5000", "    amount: -5000")], "amount: -5000", "amount", "bad amount -5000"),
    case("zero-amount", [("    amount: 1000000", "    amount: 0")], "amount: 0", "amount", "bad amount 0"),
    case("words-amount", [("    amount: 2.5e6", "    amount: 2,5 triệu")], "2,5 triệu", "amount",
         "bad amount '2,5 triệu'"),
    case("infinite-amount", [("    amount: 5000", "    amount: .inf")], "amount: .inf", "amount", "bad amount inf"),
    case("amount-without-currency", [("    currency: EUR\n", "")], "amount: 5000", "currency",
         "missing: amount 5000 needs a currency"),
    case("currency-without-amount", [("    amount: 5000\n", "")], "currency: EUR", "amount",
         "missing: currency is given without an amount"),
    case("unknown-currency", [("    currency: EUR", "    currency: XYZ")], "currency: XYZ", "currency",
         "unknown currency 'XYZ'"),
    case("impossible-date", [('    date: "2023-05-10"', '    date: "2023-02-30"')], "2023-02-30", "date",
         "bad date '2023-02-30'"),
    case("month-13", [('    date: "2023-05"', '    date: "2023-13"')], "2023-13", "date", "bad date '2023-13'"),
    case("relative-date", [('    date: "2023-05"', "    date: last spring")], "last spring", "date",
         "bad date 'last spring'"),
    case("bad-published", [('    published: "2024-03-01"', "    published: 01/03/2024")], "01/03/2024", "published",
         "bad date '01/03/2024'"),
    case("unknown-country", [("    country: VN", "    country: ZZ")], "country: ZZ", "country",
         "unknown country 'ZZ'"),
    case("unknown-three-letter-country", [("    country: VN", "    country: QQQ")], "country: QQQ", "country",
         "unknown country 'QQQ'"),
    case("bad-language", [("    language: vi", "    language: Vietnamese")], "Vietnamese", "language",
         "bad language 'Vietnamese'"),
    case("stake-over-one", [("    currency: EUR", "    currency: EUR\n    stake: 1.5")], "stake: 1.5", "stake",
         "bad stake 1.5"),
    case("not-a-flag", [("    currency: EUR", "    currency: EUR\n    led: maybe")], "led: maybe", "led",
         "expected true or false, got 'maybe'"),
    case("negative-count", [("    currency: USD\nfacts:", "    currency: USD\n    investor_count: -1\nfacts:")],
         "investor_count: -1", "investor_count", "bad count -1"),
    # text that Neo4j cannot index or should not hold
    case("long-name", [("    name: Fund One", "    name: " + "N" * 50_000)], "N" * 10, "name",
         "too long: 50,000 characters"),
    case("long-id", [("  - id: fund-one", "  - id: " + "a" * 3000)], "a" * 3000, "id", "too long: 3,000 characters"),
    case("control-escape", [("    name: Fund One", '    name: "Fund\\x1b[2JOne"')], "Fund\\x1b", "name",
         "control character U+001B"),
    case("nul-in-note", [("    name: Fund One\n", '    name: Fund One\n    note: "a\\0b"\n')], "note:", "note",
         "control character U+0000"),
    # names: one name belongs to one entity, whatever its script or spelling
    case("alias-clash", [("    name: Fund One\n", "    name: Fund One\n    aliases: [alpha ai corp]\n")],
         "aliases: [alpha ai corp]", "aliases", "name 'alpha ai corp' is already a name of entity 'alpha'"),
    case("mixed-script-clash", [("    name: Alpha AI", "    name: ألفا AI Group"),
                                ("    name: Fund One", "    name: إلفا ai group")],
         "إلفا", "name", "is already a name of entity 'alpha'"),
    case("alias-without-letters", [("[Alpha, ALPHA AI Corp]", "[Alpha, '--']")], "'--'", "aliases",
         "name '--' has no letters or digits"),
]


@pytest.mark.bad_input
@pytest.mark.parametrize("data, line, field, message, near", CASES)
def test_a_bad_dataset_is_refused_at_its_file_line_and_field(tmp_path, data, line, field, message, near):
    path = tmp_path / "data.yaml"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_dataset(path)
    error = info.value
    assert error.file == str(path)
    assert error.line in ((line, line + 1) if near else (line,)), (error.line, line, str(error))
    assert error.field == field, str(error)
    assert message in error.reason, str(error)
    where = f"{path}:{error.line}: " if line else f"{path}: "
    assert str(error) == where + (f"{field}: " if field else "") + error.reason  # the line the CLI prints


def test_the_small_dataset_is_valid_and_read_as_written(tmp_path):
    """The base of every case: read, with money, dates and sources as the loader will write them."""
    path = tmp_path / "data.yaml"
    path.write_text(SMALL_DATASET, encoding="utf-8")
    ds = read_dataset(path)
    assert [e["id"] for e in ds.entities] == ["alpha", "fund-one", "alpha-1", "regulator"]
    assert [a["id"] for a in ds.articles] == ["a1.txt", "a2.txt"]
    invested, develops, fined = ds.facts
    assert invested == {"id": "fund-one-invested-in-alpha-a1", "type": "INVESTED_IN", "from": "fund-one",
                        "to": "alpha", "props": {"id": "fund-one-invested-in-alpha-a1", "source": "a1.txt",
                                                 "round": "alpha-a", "amount": 5000, "currency": "EUR",
                                                 "date": "2023-05-10"}}  # EUR: no amount_usd is made up
    assert (develops["from"], develops["to"]) == ("alpha", "alpha-1")
    assert fined["props"]["amount"] == 2_500_000 and isinstance(fined["props"]["amount"], int)
    assert fined["props"]["amount_usd"] == 2_500_000  # a USD amount is its own amount_usd
    assert ds.rounds[0]["amount_usd"] == 1_000_000 and ds.rounds[0]["date"] == "2023-05"
    # An entity is mentioned in the articles its facts and rounds cite.
    assert {e["id"]: e["sources"] for e in ds.entities} == {
        "alpha": ["a1.txt", "a2.txt"], "fund-one": ["a1.txt"], "alpha-1": ["a1.txt"], "regulator": ["a2.txt"]}
    # Names that fold to one key are one alias: "Alpha" is the id's key.
    assert ds.alias_keys["alpha"] == {"alpha": ["alpha", "Alpha"], "alphaai": ["Alpha AI"],
                                      "alphaaicorp": ["ALPHA AI Corp"]}


def test_the_exact_line_a_user_sees(tmp_path):
    text = small_dataset(("    amount: 2.5e6", "    amount: 2,5 triệu"))
    path = tmp_path / "all.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_dataset(path)
    assert str(info.value) == (f"{path}:{line_of(text, '2,5 triệu')}: amount: bad amount '2,5 triệu': expected a "
                               "positive number in units, such as 2750000000 or 2.75e9 (the words go in amount_text)")


def _as_folder(root, text: str) -> dict[str, str]:
    """The dataset split into articles.yaml, entities.yaml and facts/a1.yaml (rounds and facts)."""
    parts = {"articles.yaml": text[:text.index("entities:")],
             "entities.yaml": text[text.index("entities:"):text.index("rounds:")],
             "facts/a1.yaml": text[text.index("rounds:"):]}
    for name, part in parts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(part, encoding="utf-8")
    return parts


def test_a_folder_is_read_in_name_order_like_one_file(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(SMALL_DATASET, encoding="utf-8")
    _as_folder(tmp_path / "data", SMALL_DATASET)
    single, folder = read_dataset(one), read_dataset(tmp_path / "data")
    assert (folder.articles, folder.entities, folder.rounds, folder.facts) == \
        (single.articles, single.entities, single.rounds, single.facts)


@pytest.mark.bad_input
def test_an_error_in_a_folder_names_the_file_and_its_own_line(tmp_path):
    root = tmp_path / "data"
    parts = _as_folder(root, small_dataset(("    to: alpha-1", "    to: robot")))
    with pytest.raises(InputError) as info:
        read_dataset(root)
    assert (info.value.file, info.value.line, info.value.field) == \
        (str(root / "facts" / "a1.yaml"), line_of(parts["facts/a1.yaml"], "to: robot"), "to")


def test_a_file_source_is_the_default_of_its_rounds_and_facts(tmp_path):
    root = tmp_path / "data"
    parts = _as_folder(root, SMALL_DATASET)
    (root / "facts" / "a1.yaml").write_text(
        "source: a2.txt\n" + parts["facts/a1.yaml"].replace("    source: a1.txt\n", ""), encoding="utf-8")
    ds = read_dataset(root)
    assert ds.rounds[0]["source"] == "a2.txt"
    assert [f["props"]["source"] for f in ds.facts] == ["a2.txt"] * 3


@pytest.mark.bad_input
@pytest.mark.parametrize("make, message", [
    (lambda root: root / "nowhere", "no such file or folder"),
    (lambda root: root, "no .yaml files in this folder"),
], ids=["missing", "empty-folder"])
def test_a_path_without_a_dataset_is_named(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        read_dataset(path)
    assert str(info.value) == f"{path}: {message}"


def test_an_empty_file_among_others_is_no_mistake(tmp_path):
    root = tmp_path / "data"
    _as_folder(root, SMALL_DATASET)
    (root / "notes.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert len(read_dataset(root).facts) == 3


def test_dates_stay_text_as_written(tmp_path):
    """YAML would make 2024-03-01 a date object; the reader keeps every date as the text written."""
    path = tmp_path / "data.yaml"
    path.write_text(small_dataset(('    published: "2024-03-01"', "    published: 2024-03-01")), encoding="utf-8")
    assert read_dataset(path).articles[1]["published"] == "2024-03-01"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["articles"][1]["published"] != "2024-03-01"
