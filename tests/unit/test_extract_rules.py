"""The built-in extractor and the one set of checks, on short invented articles in vi, ar, en and zh.

Names come from a small alias index written here (DatasetNames: no server); the articles, companies
and figures are made up for these tests."""
from __future__ import annotations

import pytest

from graph.dataset import read_dataset
from graph.evidence import occurs
from graph.extract import DatasetNames, draft_article
from graph.extract.checks import Checker, Proposal
from graph.extract.languages import detect
from graph.extract.llm import parse_answer

NAMES = """\
articles:
  - {id: a.txt, title: t, language: en}
entities:
  - {id: northwind, kind: Company, name: Northwind Labs, aliases: [Northwind, نورث ويند, 北风科技]}
  - {id: bluepeak, kind: Fund, name: Bluepeak Capital, aliases: [Bluepeak, بلو بيك, 蓝峰资本]}
  - {id: orbis, kind: Company, name: Orbis Group, aliases: [Orbis, Tập đoàn Orbis, أوربيس, 奥比斯集团]}
  - {id: kestrel, kind: Company, name: Kestrel AI, aliases: [Kestrel, كيستريل, 红隼智能]}
"""

ARTICLES = {
    "en": """Northwind raises $120 million
Northwind Labs, a Shanghai startup, said on Monday it has raised $120 million in a round led by Bluepeak Capital, with Orbis also taking part.
Northwind competes with Kestrel and Zephyr Robotics in industrial AI.
Orbis and Kestrel were formerly rivals.
""",
    "vi": """Công ty khởi nghiệp Northwind vừa nhận được 150 triệu USD từ Bluepeak và Tập đoàn Orbis trong vòng gọi vốn do Bluepeak dẫn đầu hồi tháng 9.
Theo Reuters, Northwind cạnh tranh với Kestrel và Zephyr Robotics.
Trước đây, Orbis và Kestrel là đối thủ không đội trời chung.
""",
    "ar": """قادت "بلو بيك" جولة تمويل قيمتها 200 مليون دولار في شركة "نورث ويند" مع مجموعة "أوربيس"، بحسب مصادر مطلعة.
وتنافس "نورث ويند" شركة "كيستريل" في السوق.
""",
    "zh": """北风科技完成5亿元融资，由蓝峰资本领投，奥比斯集团跟投。
据知情人士透露，北风科技与红隼智能竞争激烈。
""",
}


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.yaml"
    path.write_text(NAMES, encoding="utf-8")
    return DatasetNames(read_dataset(path))


def facts(draft, kind):
    return {(f["from"], f["to"]) for f in draft.facts if f["type"] == kind}


@pytest.mark.parametrize("lang", ["en", "vi", "ar", "zh"])
def test_language_is_detected(lang):
    assert detect(ARTICLES[lang]) == lang


@pytest.mark.parametrize("lang, round_, investors, led, rivals", [
    ("en", (120_000_000, "USD", "$120 million"), {"bluepeak", "orbis"}, {"bluepeak"},
     {("northwind", "kestrel"), ("northwind", "zephyr-robotics"), ("orbis", "kestrel")}),
    ("vi", (150_000_000, "USD", "150 triệu USD"), {"bluepeak", "orbis"}, {"bluepeak"},
     {("northwind", "kestrel"), ("northwind", "zephyr-robotics"), ("orbis", "kestrel")}),
    ("ar", (200_000_000, "USD", "200 مليون دولار"), {"bluepeak", "orbis"}, {"bluepeak"}, {("northwind", "kestrel")}),
    ("zh", (500_000_000, "CNY", "5亿元"), {"bluepeak", "orbis"}, {"bluepeak"}, {("northwind", "kestrel")}),
])
def test_rounds_investors_and_rivals_per_language(names, lang, round_, investors, led, rivals):
    draft = draft_article(ARTICLES[lang], names=names, date="2024-11-20", source=f"{lang}.txt")
    assert [(r["amount"], r["currency"], r["amount_text"]) for r in draft.rounds] == [round_]
    invested = [f for f in draft.facts if f["type"] == "INVESTED_IN"]
    assert {f["from"] for f in invested} == investors and {f["to"] for f in invested} == {"northwind"}
    assert {f["from"] for f in invested if f.get("led")} == led
    assert all(f["round"] == draft.rounds[0]["id"] for f in invested)
    assert {tuple(sorted(p)) for p in facts(draft, "COMPETES_WITH")} == {tuple(sorted(p)) for p in rivals}
    for rec in draft.facts + draft.rounds:  # every quote is the article's own words, short, and a draft
        assert occurs(rec["evidence"], ARTICLES[lang]) and len(rec["evidence"].split()) <= 25
        assert rec["draft"] is True and 0 < rec["confidence"] <= 1


def test_hedges_become_caveats_and_the_past_status_former(names):
    vi = draft_article(ARTICLES["vi"], names=names, date="2024-11-20", source="vi.txt")
    by_pair = {frozenset((f["from"], f["to"])): f for f in vi.facts if f["type"] == "COMPETES_WITH"}
    assert "Theo" in by_pair[frozenset(("northwind", "kestrel"))]["caveat"]
    assert by_pair[frozenset(("orbis", "kestrel"))]["status"] == "former"
    assert "status" not in by_pair[frozenset(("northwind", "kestrel"))]
    ar = draft_article(ARTICLES["ar"], names=names, source="ar.txt")
    assert all("بحسب" in f["caveat"] for f in ar.facts if f["type"] == "INVESTED_IN")
    en = draft_article(ARTICLES["en"], names=names, source="en.txt")
    assert {f.get("status") for f in en.facts if f["type"] == "COMPETES_WITH" and "orbis" in (f["from"], f["to"])} == {"former"}


def test_dates_are_read_against_the_article_date(names):
    dated = draft_article(ARTICLES["vi"], names=names, date="2024-11-20", source="vi.txt")
    assert {(f.get("date"), f.get("date_text")) for f in dated.facts if f["type"] == "INVESTED_IN"} == {
        ("2024-09", "hồi tháng 9")}
    undated = draft_article(ARTICLES["vi"], names=names, source="vi.txt")
    assert {(f.get("date"), f.get("date_text")) for f in undated.facts if f["type"] == "INVESTED_IN"} == {
        (None, "hồi tháng 9")}


def test_new_names_get_a_kind_and_known_ones_link(names):
    draft = draft_article(ARTICLES["en"], names=names, source="en.txt")
    by_id = {e["id"]: e for e in draft.entities}
    assert by_id["zephyr-robotics"] == {"id": "zephyr-robotics", "kind": "Company", "name": "Zephyr Robotics",
                                        "draft": True}
    assert by_id["bluepeak"]["linked"] is True and by_id["bluepeak"]["kind"] == "Fund"
    assert "Shanghai" not in {e["name"] for e in draft.entities}


def test_the_checks_drop_invented_quotes_and_unknown_names(names):
    """What any extractor proposes (here, a language model's JSON answer) passes the same checks."""
    text = ARTICLES["en"]
    answer = """{"facts": [
      {"type": "INVESTED_IN", "from": "Bluepeak Capital", "to": "Northwind", "evidence": "a round led by Bluepeak Capital",
       "amount_text": "$999 million"},
      {"type": "INVESTED_IN", "from": "Orbis", "to": "Northwind", "evidence": "Orbis poured $5bn into Northwind"},
      {"type": "COMPETES_WITH", "from": "Northwind", "to": "Acme Dynamics", "evidence": "Northwind competes with Kestrel"},
      {"type": "LIKES", "from": "Orbis", "to": "Kestrel", "evidence": "Orbis and Kestrel"}]}"""
    checker = Checker(text, "en", names, None)
    for p in parse_answer(answer):
        checker.add(p)
    assert checker.out.dropped == {"quote not in the article": 1, "name not in the article": 1, "unknown fact type": 1}
    [kept] = checker.out.facts
    assert (kept["from"], kept["to"], kept["evidence"]) == ("bluepeak", "northwind", "a round led by Bluepeak Capital")
    assert "amount" not in kept  # "$999 million" is not in the article: never taken from the model


def test_amounts_come_from_the_quoted_words_not_the_proposer(names):
    text = "Orbis invested $40m in Northwind last year."
    checker = Checker(text, "en", names, "2025-06-01")
    checker.add(Proposal("INVESTED_IN", "Northwind", "Orbis invested $40m in Northwind", frm="Orbis",
                         amount_text="$40m", date_text="last year"))
    [f] = checker.out.facts
    assert (f["amount"], f["currency"], f["amount_text"], f["date"], f["date_text"]) == (
        40_000_000, "USD", "$40m", "2024", "last year")


def test_wrong_kind_of_end_is_dropped(names):
    checker = Checker("Northwind develops Kestrel.", "en", names, None)
    checker.add(Proposal("DEVELOPS", "Kestrel", "Northwind develops Kestrel", frm="Northwind"))
    assert checker.out.dropped == {"wrong kind of entity": 1}


def test_a_draft_beside_the_dataset_it_links_to_adds_names_only(names, tmp_path):
    """A dataset folder holding a full definition and a draft's linked record of the same entity reads
    as one entity, with the draft's spelling added to its names and its other fields unchanged."""
    own = NAMES.replace("name: Orbis Group,", "name: Orbis Group, country: SG,").replace(" Tập đoàn Orbis,", "")
    (tmp_path / "names.yaml").write_text(own, encoding="utf-8")
    draft = draft_article(ARTICLES["vi"], names=names, date="2024-11-20", source="vi.txt")
    (tmp_path / "vi.yaml").write_text(draft.to_yaml(), encoding="utf-8")
    ds = read_dataset(tmp_path)
    orbis = next(e for e in ds.entities if e["id"] == "orbis")
    assert orbis["country"] == "SG" and "linked" not in orbis
    assert "Tập đoàn Orbis" in orbis["aliases"] and "vi.txt" in orbis["sources"]
    assert sum(e["id"] == "orbis" for e in ds.entities) == 1
    assert {f["props"]["draft"] for f in ds.facts if f["props"]["source"] == "vi.txt"} == {True}
