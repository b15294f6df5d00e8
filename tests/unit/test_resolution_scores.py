"""Name fingerprints, pair scores and the judgements file (graph.resolution): pure code."""
from __future__ import annotations

import pytest

from graph.errors import InputError
from graph.resolution import judgements as jfile
from graph.resolution.fingerprints import block_keys, fingerprint, name_score
from graph.resolution.pairs import neighbour_bonus, score_pair


@pytest.mark.parametrize("a, b, at_least, why", [
    ("JAFCO", "JAFCO Co. Ltd.", 0.95, "legal forms"),
    ("Tencent", "Tencent Holdings", 0.95, "legal forms"),
    ("Acme GmbH", "ACME Inc.", 0.95, "legal forms"),
    ("friends & family", "'Friends & Family'", 1.0, "case"),
    ("Công ty Cổ phần Đầu tư Việt", "Cong ty Co phan Dau tu Viet", 1.0, "accents"),
    ("Zhipu", "智谱", 0.95, "another script"),
    ("Tengxun Touzi", "腾讯投资", 0.95, "another script"),
    ("Mubadala", "مبادلة", 0.85, "consonants"),
    ("Fidelity", "Fidelity Investments", 0.8, "generic words"),
    ("Zenlo Capital", "Zenio Capital", 0.85, "one letter apart"),
    ("Dolo Investments", "Dilo Investments", 0.7, "one letter apart"),
    ("Vaner Holdings", "Vaner Hosdings", 0.85, "one letter apart"),  # a typo in a legal word
    ("Solpha Capital", "سلبها كبتل", 0.85, "consonants"),
])
def test_same_names_score_high_with_the_reason(a, b, at_least, why):
    score, reason = name_score(a, b)
    assert score >= at_least and why in reason, (score, reason)
    assert name_score(b, a)[0] == score  # symmetric
    assert block_keys(a) & block_keys(b), "names that score must share a blocking key"


@pytest.mark.parametrize("a, b, at_most", [
    ("Index Ventures", "Index Capital", 0.5),  # one word in common is not one investor
    ("Sequoia Capital", "Lightspeed Ventures", 0.0),
    ("Alpha", "Beta", 0.0),
    ("Ltd", "Inc", 0.0),
])
def test_different_names_score_low(a, b, at_most):
    assert name_score(a, b)[0] <= at_most


def test_fingerprint_levels():
    fp = fingerprint("JAFCO Ventures Co., Ltd.")
    assert fp.full == ("jafco", "ventures", "co", "ltd")
    assert fp.legal == ("jafco", "ventures") and fp.core == ("jafco",)
    assert fingerprint("腾讯投资").legal == ("tengxun", "investment")  # a pinyin ending split off, in English
    assert fingerprint("Tengxun Touzi").legal == ("tengxun", "investment")
    assert fingerprint("Holdings").legal == ("holdings",)  # a name that is only a legal word keeps it


def _row(ident, name, kind="Fund", country=None, aliases=()):
    return {"id": ident, "name": name, "aliases": list(aliases), "kind": kind, "country": country}


def test_pair_score_weighs_kind_country_commonness_and_neighbours():
    a, b = _row("a", "Zenlo Capital", country="CN"), _row("b", "Zenlo Capital Ltd", country="CN")
    base, reasons = score_pair(a, b)
    assert "same country (CN)" in reasons and 0.6 < base <= 0.7  # room left for shared neighbours
    assert score_pair(a, {**b, "country": "US"})[0] < base - 0.2
    assert score_pair(a, {**b, "kind": "Company"})[0] < base - 0.2
    counts = {"l:zenlocapital": 8, "c:zenlo": 8}
    common, why = score_pair(a, b, counts)
    assert common < base - 0.1 and "a common name: 8 entities have it" in why
    assert score_pair(a, b, {"l:zenlocapital": 2, "c:zenlo": 16})[0] < base - 0.1  # a common core ("zenlo")
    near_a = {"near": {"c1", "c2", "b"}, "rounds": {"r1"}}
    near_b = {"near": {"c1", "c2", "c3"}, "rounds": {"r1", "r2"}}
    bonus, more, shared = neighbour_bonus("a", "b", near_a, near_b)
    assert shared == ["c1", "c2"] and bonus == pytest.approx(0.33)
    assert bonus > base - common  # a shared neighbour outweighs a common name
    assert more == ["2 shared neighbours", "in the same round (1)"]
    assert neighbour_bonus("a", "b", near_a, {"near": {"c9"}, "rounds": set()}) == (0.0, [], [])
    # An alias counts as a name: the best pair of names is the one scored.
    assert score_pair(_row("x", "Foo", aliases=["Tencent"]), _row("y", "腾讯"))[0] == 0.0
    assert score_pair(_row("x", "Foo", aliases=["Zhipu"]), _row("y", "智谱"))[0] >= 0.6


def _write(tmp_path, body: str):
    path = tmp_path / jfile.FILE_NAME
    path.write_text(jfile.HEADER + body, encoding="utf-8")
    return path


def test_judgements_round_trip(tmp_path):
    made = [jfile.Judgement("same", "a", "b", "A Name", "2026-01-01T00:00:00Z", "cli"),
            jfile.Judgement("different", "c", "d"), jfile.Judgement("unsure", "a", "d")]
    path = jfile.write(tmp_path / jfile.FILE_NAME, made)
    read = jfile.read(path)
    assert [(j.judgement, j.a, j.b, j.name, j.at, j.by) for j in read] == \
        [(j.judgement, j.a, j.b, j.name, j.at, j.by) for j in made]
    assert [j.line for j in read] == [3, 4, 5]
    assert jfile.read(tmp_path / "nothing.tsv") == []


@pytest.mark.bad_input
@pytest.mark.parametrize("body, line, needle", [
    ("same a\n", 3, "tab-separated fields"),
    ("merge\ta\tb\n", 3, "unknown judgement"),
    ("same\ta\t\n", 3, "an id is empty"),
    ("same\ta\ta\n", 3, "against itself"),
    ("different\ta\tb\tName\n", 3, "only a `same`"),
    ("same\ta\tb\n\n# note\ndifferent\tb\ta\n", 6, "judged both ways"),
    ("same\ta\tb\nsame\tc\tb\n", 4, "already merged into a"),
    ("same\ta\tb\nsame\tb\tc\nsame\tc\ta\n", 5, "cycle"),
])
def test_judgements_file_problems_name_file_and_line(tmp_path, body, line, needle):
    path = _write(tmp_path, body)
    with pytest.raises(InputError) as err:
        jfile.read(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and needle in str(err.value)


@pytest.mark.bad_input
def test_unknown_ids_are_named_with_their_line(tmp_path):
    path = _write(tmp_path, "same\ta\tb\ndifferent\ta\tzz\n")
    with pytest.raises(InputError, match=r":4: id: unknown id 'zz'"):
        jfile.check_ids(path, jfile.read(path), {"a", "b"})
