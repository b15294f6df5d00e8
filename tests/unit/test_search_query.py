"""The Lucene query a name search sends (graph.resolve._lucene_query): words only, whatever is typed."""
from __future__ import annotations

import re

from graph.names import name_words
from graph.resolve import _lucene_query


def test_words_are_folded_and_split():
    assert name_words("Tập đoàn Huafa") == ["tap", "doan", "huafa"]
    assert name_words("Tập đoàn Huafa", fold=False) == ["tập", "đoàn", "huafa"]
    assert name_words("QWQ-32B (Tongyi)") == ["qwq", "32b", "tongyi"]
    assert name_words("أليبابا") == ["اليبابا"] and name_words("!!! ...") == []


def test_query_terms_exact_prefix_and_fuzzy():
    assert _lucene_query("Dipseek") == "dipseek^4 dipseek~2 dipseek*"
    assert _lucene_query("Tập AI") == "tập^4 tap^4 tap~1 tap* ai^4"  # short words: exact only


def test_no_lucene_syntax_gets_through():
    hostile = 'name:* OR "x" AND (y) [a TO z] {b} \\ ~2 ^9 -c +d && e || !f /re/ ?'
    query = _lucene_query(hostile)
    # every term is a word (letters, marks, digits) followed by our own ^4, ~N or *
    assert all(re.fullmatch(r"[^\W_]+(\^4|~[12]|\*)", term) for term in query.split()), query
    assert "OR" not in query and "AND" not in query and ":" not in query


def test_huge_words_are_cut():
    query = _lucene_query("A" * 100_000 + " b")
    assert query == f"{'a' * 40}^4 {'a' * 40}~2 {'a' * 40}* b^4"
