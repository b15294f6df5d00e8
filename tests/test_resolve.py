"""Name resolution against the seed graph: any spelling, case, accent or script finds the entity."""
from __future__ import annotations

import json

import pytest
from helpers import assert_one_line_error

from graph.names import name_key
from graph.resolve import _LOOKUP, _SEARCH, AmbiguousName, UnknownName, candidates, resolve, search
from graph.schema import NAME_INDEX


@pytest.mark.parametrize("text, entity_id", [
    ("Dipsic", "deepseek"),            # 001's transcription of DeepSeek
    ("depsic", "deepseek"),
    ("深度求索", "deepseek"),
    ("علي بابا", "alibaba"),           # 003's Arabic
    ("Ailbaba", "alibaba"),            # 000's typo
    ("ALIBABA GROUP HOLDING", "alibaba"),
    ("Sequoia China", "hongshan"),     # "formerly Sequoia China" (003)
    ("سكوويا تشاينا", "hongshan"),
    ("红杉中国", "hongshan"),
    ("tap can binh", "xi-jinping"),   # accents folded
    ("انفيديا", "nvidia"),            # written without the hamza of إنفيديا
    ("Moonshot-AI", "moonshot-ai"),
    ("月之暗面", "moonshot-ai"),
    ("R One", "deepseek-r1"),
    ("Tongyi Qinyen QWQ-32B", "qwq-32b"),
    ("Lý Khắc Cường", "li-keqiang"),
    ("zhipu-ai", "zhipu-ai"),          # ids resolve too
])
def test_resolve_finds_the_entity(seed_graph, text, entity_id):
    found = resolve(seed_graph, text)
    assert found["id"] == entity_id
    # `matched` is the spelling in the dataset that the text was taken for: one with the same key.
    assert name_key(found["matched"]) == name_key(text)


def test_cli_resolve_prints_id_name_kind_country(seed_graph, cli):
    result = cli("resolve", "Dipsic")
    assert result.code == 0, result
    lines = dict(line.split(None, 1) for line in result.out.splitlines())
    assert lines == {"id:": "deepseek", "name:": "DeepSeek", "kind:": "Company", "country:": "CN",
                     "matched:": "Dipsic"}
    # A spelling not in the dataset is shown as the one it was taken for.
    assert json.loads(cli("resolve", "--json", "DIPSIC").out)["matched"] == "Dipsic"
    for text, name in (("علي بابا", "Alibaba Group"), ("Sequoia China", "HongShan")):
        result = cli("resolve", "--json", text)
        assert result.code == 0, result
        assert json.loads(result.out)["name"] == name


@pytest.mark.bad_input
def test_ambiguous_name_lists_the_candidates(seed_graph, cli):
    assert [c["id"] for c in candidates(seed_graph, "ernie")] == ["ernie-4-5", "ernie-x1"]
    with pytest.raises(AmbiguousName) as info:
        resolve(seed_graph, "Ernie")
    assert [c["id"] for c in info.value.candidates] == ["ernie-4-5", "ernie-x1"]
    assert_one_line_error(cli("resolve", "ERNIE"), "ambiguous", "ernie-4-5", "ernie-x1")


@pytest.mark.bad_input
def test_unknown_name_suggests_close_ones(seed_graph, cli):
    with pytest.raises(UnknownName) as info:
        resolve(seed_graph, "Dipseek")
    assert info.value.suggestions[0]["id"] == "deepseek"
    assert_one_line_error(cli("resolve", "Tencentt"), "no entity is named 'Tencentt'", "did you mean", "Tencent (tencent)")
    assert_one_line_error(cli("resolve", "Qqqqzzzz"), "no entity is named 'Qqqqzzzz'")
    assert_one_line_error(cli("resolve", "!!!"), "no letters or digits")


def test_lookup_seeks_the_alias_index(seed_graph):
    with seed_graph.session() as session:
        plan = session.run("EXPLAIN " + _LOOKUP, {"key": "dipsic"}).consume().plan
    operators = []

    def walk(node):
        operators.append(node["operatorType"])
        for child in node.get("children", []):
            walk(child)

    walk(plan)
    assert any(op.startswith("NodeUniqueIndexSeek") for op in operators), operators
    assert not any(op.startswith(("AllNodesScan", "NodeByLabelScan")) for op in operators), operators


@pytest.mark.parametrize("text, entity_id, matched", [
    ("Dipseek", "deepseek", "DeepSeek"),          # two typos
    ("tencentt", "tencent", "Tencent"),
    ("sequoia", "hongshan", "Sequoia China"),      # one word of a longer alias
    ("tap doan huafa", "huafa-group", "Tập đoàn Huafa"),  # Vietnamese without its accents
    ("深度求", "deepseek", "深度求索"),              # part of a Chinese name
    ("انفيديا", "nvidia", "إنفيديا"),              # Arabic, written without the hamza
    ("ZHIPU", "zhipu-ai", "Zhipu"),
])
def test_search_finds_close_names_in_any_script(seed_graph, text, entity_id, matched):
    hits = search(seed_graph, text)
    assert hits[0]["id"] == entity_id and hits[0]["matched"] == matched, hits
    assert [h["closeness"] for h in hits] == sorted((h["closeness"] for h in hits), reverse=True)


def test_search_of_nothing_close_is_empty(seed_graph):
    assert search(seed_graph, "Qqqqzzzz") == [] and search(seed_graph, "!!!") == []
    # Lucene syntax in the text is only words: no error, no match-all, the same hits as the words
    hostile = 'name:* OR "Ernie" AND (y) [a TO z] \\ ~2 ^9'
    hits = search(seed_graph, hostile, limit=100)
    assert hits == search(seed_graph, "name or ernie and y a to z 2 9", limit=100)
    assert 0 < len(hits) < seed_graph.read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]


def test_suggestions_come_from_the_full_text_index(seed_graph):
    with seed_graph.session() as session:
        plan = session.run("EXPLAIN " + _SEARCH, {"index": NAME_INDEX, "query": "dipseek~2", "limit": 20}).consume().plan
    assert "ProcedureCall" in str(plan) and "AllNodesScan" not in str(plan) and "NodeByLabelScan" not in str(plan)
    index = seed_graph.read("SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options "
                            "WHERE name = $name RETURN *", {"name": NAME_INDEX})
    assert index and index[0]["properties"] == ["name", "aliases"]
    assert index[0]["options"]["indexConfig"]["fulltext.analyzer"] == "standard-folding"
