"""Hostile values: quotes, backslashes, Cypher fragments, backticks, HTML/script and RTL marks.

They must reach Neo4j only as parameters (stored and read back byte for byte, the graph otherwise
untouched), reach pages only escaped (Chromium shows them as text and runs nothing), and never
become a label, a relationship type or a write.
"""
from __future__ import annotations

import json

import pytest
import yaml

from helpers import Opened, fingerprint

CYPHER = "'}) DETACH DELETE n //"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"
HOSTILE = {
    "quotes": "O'Brien \"Quoted\" Capital",
    "backslash": "Back\\slash \\\" Fund\\",
    "cypher": CYPHER,
    "backticks": "`Company`) MATCH (m) DETACH DELETE m //",
    "img": XSS_IMG,
    "script": XSS_SCRIPT,
    "rtl": "\u202eCapital Evil\u202c \u200fشركة\u200f",
}


@pytest.fixture(scope="module")
def hostile_dataset(tmp_path_factory):
    """One company per hostile value, with it as name, alias and note; a fund invests in each."""
    entities = [{"id": "fund-x", "kind": "Fund", "name": "Fund X"}]
    facts = []
    for i, (key, value) in enumerate(HOSTILE.items()):
        entities.append({"id": f"hostile-{key}", "kind": "Company", "name": value,
                         "aliases": [f"{value} alias {i}"], "note": f"note: {value}\nsecond line",
                         "description": value})
        facts.append({"type": "INVESTED_IN", "from": "fund-x", "to": f"hostile-{key}", "source": "h.txt",
                      "note": value})
    doc = {"articles": [{"id": "h.txt", "title": XSS_SCRIPT, "language": "en"}],
           "entities": entities, "facts": facts}
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(conn, cli, hostile_dataset):
    from graph.schema import wipe

    wipe(conn)
    result = cli("load", hostile_dataset)
    assert result.code == 0, result
    return conn


def test_values_are_stored_byte_for_byte(loaded):
    for key, value in HOSTILE.items():
        row = loaded.read("MATCH (e:Entity {id: $id})<-[r:INVESTED_IN]-(:Fund {id: 'fund-x'}) "
                          "RETURN e.name AS name, e.aliases AS aliases, e.note AS note, r.note AS fact_note",
                          {"id": f"hostile-{key}"})
        assert row == [{"name": value, "aliases": [f"{value} alias {list(HOSTILE).index(key)}"],
                        "note": f"note: {value}\nsecond line", "fact_note": value}], key
    # Nothing else was made or deleted: the entities and facts are the dataset's, no more, no fewer.
    assert sorted(r["id"] for r in loaded.read("MATCH (e:Entity) RETURN e.id AS id")) == \
        sorted(["fund-x"] + [f"hostile-{key}" for key in HOSTILE])
    assert loaded.read("MATCH ()-[r]->() WHERE NOT type(r) IN ['ALIAS_OF', 'MENTIONED_IN'] "
                       "RETURN type(r) AS t, count(r) AS n") == [{"t": "INVESTED_IN", "n": len(HOSTILE)}]


@pytest.mark.parametrize("key", list(HOSTILE))
def test_resolve_finds_each_by_its_hostile_name(loaded, cli, key):
    result = cli("resolve", HOSTILE[key], "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["id"] == f"hostile-{key}"


@pytest.mark.parametrize("key", ["cypher", "backticks", "quotes", "backslash"])
def test_query_parameters_are_data(loaded, cli, key):
    before = fingerprint(loaded)
    result = cli("query", "investors_of", "-p", f"company={HOSTILE[key]}", "--format", "json")
    assert result.code == 0, result
    assert [row["investor"]["name"] for row in json.loads(result.out)] == ["Fund X"]
    assert fingerprint(loaded) == before


def test_loading_again_changes_nothing(loaded, cli, hostile_dataset):
    before = fingerprint(loaded)
    result = cli("load", hostile_dataset)
    assert result.code == 0 and "Nothing changed" in result.out, result
    assert fingerprint(loaded) == before


@pytest.mark.parametrize("key", ["img", "script", "rtl"])
def test_pages_show_hostile_text_and_run_nothing(loaded, cli, browser, tmp_path, key):
    page = tmp_path / f"{key}.html"
    result = cli("viz", "ego", HOSTILE[key], "-o", page)
    assert result.code == 0, result
    html = page.read_text(encoding="utf-8")
    assert XSS_IMG not in html and "<script>alert" not in html  # escaped in the file itself
    opened = Opened(browser, page, f"hostile-{key}")
    assert opened.js("document.getElementById('title').textContent").startswith(HOSTILE[key])
    assert opened.js("document.querySelectorAll('img').length") == 0
    assert opened.js("[...document.scripts].every(s => !s.textContent.includes('alert(2)') || "
                     "s.textContent.includes('\\\\u003c/script'))")
    assert opened.counts() == (2, 1)
    opened.page.wait_for_timeout(300)  # an onerror handler would have fired by now
    opened.assert_clean()
