"""The bundled seed dataset in a real Neo4j: counts, sources, and what each article reports.

The facts checked here come from reading the five articles (tests/../seed/README.md lists them);
counts are taken from the YAML files with plain PyYAML, independently of graph.dataset.
"""
from __future__ import annotations

import yaml
from helpers import A0, A1, A2, A3, A4, SEEDS, fact, fingerprint, one

from graph.paths import data_path
from graph.schema import ENTITY_KINDS, FACT_TYPES

def _yaml_records(section: str) -> list[dict]:
    out = []
    for file in sorted(data_path("seed").rglob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        out += doc.get(section) or []
    return out


def round_of(conn, round_id: str) -> dict:
    rows = conn.read("MATCH (e:Entity)-[:RAISED]->(r:Round {id: $id})-[:REPORTED_IN]->(a:Article) "
                     "RETURN e.id AS company, a.id AS article, properties(r) AS p", {"id": round_id})
    assert len(rows) == 1, (round_id, rows)
    return {**rows[0]["p"], "company": rows[0]["company"], "article": rows[0]["article"]}


# -- counts, labels, sources ------------------------------------------------------------------------
def test_counts_match_the_files(seed_graph):
    entities = _yaml_records("entities")
    for kind in ENTITY_KINDS:
        expected = sum(1 for e in entities if e["kind"] == kind)
        got = seed_graph.read(f"MATCH (n:Entity:{kind}) RETURN count(n) AS n")[0]["n"]
        assert got == expected, kind
    assert seed_graph.read("MATCH (n:Entity) RETURN count(n) AS n")[0]["n"] == len(entities)
    assert sorted(seed_graph.read("MATCH (n:Article) RETURN collect(n.id) AS ids")[0]["ids"]) == SEEDS
    assert seed_graph.read("MATCH (n:Round) RETURN count(n) AS n")[0]["n"] == len(_yaml_records("rounds"))
    facts = _yaml_records("facts")
    total = seed_graph.read("MATCH ()-[r]->() WHERE type(r) IN $types RETURN count(r) AS n",
                            {"types": list(FACT_TYPES)})[0]["n"]
    assert total == len(facts)


def test_every_entity_has_exactly_one_kind(seed_graph):
    rows = seed_graph.read("MATCH (n:Entity) RETURN n.id AS id, n.kind AS kind, "
                           "[l IN labels(n) WHERE l <> 'Entity'] AS kinds")
    bad = [r for r in rows if r["kinds"] != [r["kind"]] or r["kind"] not in ENTITY_KINDS]
    assert not bad
    assert {"Alibaba Group": "Company"} == {r["name"]: r["kind"] for r in seed_graph.read(
        "MATCH (n:Entity {id: 'alibaba'}) RETURN n.name AS name, n.kind AS kind")}


def test_every_fact_and_round_cites_a_seed_article(seed_graph):
    rows = seed_graph.read("MATCH ()-[r]->() WHERE type(r) IN $types "
                           "RETURN r.id AS id, r.source AS source", {"types": list(FACT_TYPES)})
    assert rows and all(r["source"] in SEEDS for r in rows), [r for r in rows if r["source"] not in SEEDS]
    rounds = seed_graph.read("MATCH (r:Round)-[:REPORTED_IN]->(a:Article) RETURN r.source AS s, a.id AS a")
    assert rounds and all(r["s"] == r["a"] and r["s"] in SEEDS for r in rounds)
    # Every article is cited by some fact, and the entities it mentions link to it.
    cited = {r["source"] for r in rows}
    assert cited == set(SEEDS)
    mentioned = seed_graph.read("MATCH (e:Entity)-[:MENTIONED_IN]->(a:Article) "
                                "RETURN a.id AS a, count(e) AS n ORDER BY a")
    assert [m["a"] for m in mentioned] == SEEDS and all(m["n"] >= 5 for m in mentioned)


def test_loading_twice_changes_nothing(seed_graph, cli):
    before = fingerprint(seed_graph)
    result = cli("load")
    assert result.code == 0, result
    assert "Nothing changed" in result.out
    assert fingerprint(seed_graph) == before


def test_article_metadata(seed_graph):
    rows = {r["id"]: r for r in seed_graph.read(
        "MATCH (a:Article) RETURN a.id AS id, a.language AS language, a.published AS published, a.title AS title")}
    assert [rows[s]["language"] for s in SEEDS] == ["vi", "vi", "vi", "ar", "vi"]
    assert rows[A0]["published"] == "2023-11-03"   # "09:49 03/11/2023" in the text
    assert all(rows[s]["published"] is None for s in SEEDS[1:])
    assert rows[A2]["title"].startswith("Đổ xô đầu tư vào AI tạo sinh")


# -- 000: Alibaba and Tencent back Zhipu and Baichuan ----------------------------------------------
def test_000_alibaba_and_tencent_back_zhipu_and_baichuan(seed_graph):
    for investor in ("alibaba", "tencent"):
        for company, round_id in (("zhipu-ai", "zhipu-2023-000"), ("baichuan", "baichuan-2023-000")):
            props = one(seed_graph, "INVESTED_IN", investor, company, A0)
            assert props["round"] == round_id
            assert "amount" not in props  # the total is the round's, not each investor's
            assert fact(seed_graph, "INVESTED_IN", company, investor, A0) == []  # direction
    zhipu = round_of(seed_graph, "zhipu-2023-000")
    assert (zhipu["company"], zhipu["article"], zhipu["amount"], zhipu["currency"]) == \
        ("zhipu-ai", A0, 342_000_000, "USD")
    assert zhipu["valuation"] == 1_000_000_000
    baichuan = round_of(seed_graph, "baichuan-2023-000")
    assert (baichuan["amount"], baichuan["amount_text"]) == (300_000_000, "hơn 300 triệu USD")


def test_000_meituan_led_zhipus_earlier_round(seed_graph):
    props = one(seed_graph, "INVESTED_IN", "meituan", "zhipu-ai", A0)
    assert props["led"] is True and props["date"] == "2023"


def test_000_fine_alliance_and_rivalry(seed_graph):
    fine = one(seed_graph, "FINED", "chinese-government", "alibaba", A0)
    assert (fine["amount"], fine["currency"], fine["date"]) == (2_800_000_000, "USD", "2021-04")
    alliance = one(seed_graph, "PARTNERS_WITH", "alibaba", "tencent", A0)
    # September 2023 dates the announcement, not the alliance (issue 30, finding 3): in the note.
    assert alliance["kind"] == "advertising" and "date" not in alliance and "date_text" not in alliance
    assert "hồi tháng 9" in alliance["note"] and alliance["evidence"].endswith("eBay của Alibaba")
    assert one(seed_graph, "COMPETES_WITH", "alibaba", "tencent", A0)
    # "eBay của Alibaba" is the article's slip: eBay is not in the graph.
    assert seed_graph.read("MATCH (:Alias {key: 'ebay'}) RETURN 1 AS x") == []


def test_000_zhipu_valuations_disagree_and_the_round_says_so(seed_graph):
    # The 69.2 million USD "as of July 2023" is a valuation, not a round (issue 14): it is the
    # caveat of the round whose 1 billion USD valuation it contradicts.
    rows = seed_graph.read("MATCH (:Entity {id: 'zhipu-ai'})-[:RAISED]->(r:Round) WHERE r.source = $s "
                           "AND r.valuation IS NOT NULL RETURN r.valuation AS v, r.caveat AS caveat", {"s": A0})
    assert [r["v"] for r in rows] == [1_000_000_000]
    assert "69,2 triệu USD tính đến tháng 7/2023" in rows[0]["caveat"]


# -- 001: Chinese companies launch AI models ---------------------------------------------------------
def test_001_huafa_invests_in_zhipu_after_the_us_blacklist(seed_graph):
    props = one(seed_graph, "INVESTED_IN", "huafa-group", "zhipu-ai", A1)
    assert (props["amount"], props["currency"], props["amount_usd"]) == (500_000_000, "CNY", 69_000_000)
    assert seed_graph.read("MATCH (e:Entity {id: 'huafa-group'}) RETURN e.state_backed AS s")[0]["s"] is True
    sanction = one(seed_graph, "SANCTIONED", "us-government", "zhipu-ai", A1)
    assert "blacklist" in sanction["measure"]
    # "Vào tháng 1, Reuters đưa tin": January dates Reuters' report, not the blacklisting (issue 14).
    assert "date" not in sanction and "date_text" not in sanction
    assert "Vào tháng 1, Reuters đưa tin" in sanction["note"]


def test_001_baidu_models_rival_deepseek_r1(seed_graph):
    for model in ("ernie-4-5", "ernie-x1"):
        assert one(seed_graph, "DEVELOPS", "baidu", model, A1)
        assert one(seed_graph, "COMPETES_WITH", model, "deepseek-r1", A1)
    assert one(seed_graph, "DEVELOPS", "deepseek", "deepseek-r1", A1)
    assert one(seed_graph, "DEVELOPS", "tencent", "hunyuan-turbo-s", A1)["date_text"] == "ngày 27 tháng 2"


def test_001_six_tigers_compete(seed_graph):
    tigers = ["stepfun", "zhipu-ai", "minimax", "moonshot-ai", "01-ai", "baichuan"]
    rows = seed_graph.read("MATCH (a:Entity)-[r:COMPETES_WITH]-(b:Entity) WHERE r.source = $s "
                           "AND a.id IN $t AND b.id IN $t AND a.id < b.id RETURN count(r) AS n",
                           {"s": A1, "t": tigers})
    assert rows[0]["n"] == 15  # every pair of the six


# -- 002: big tech money in generative AI -----------------------------------------------------------
def test_002_amazon_anthropic_tranche_and_total_both_kept(seed_graph):
    rows = [r["p"] for r in fact(seed_graph, "INVESTED_IN", "amazon", "anthropic", A2)]
    assert sorted(r["amount"] for r in rows) == [2_750_000_000, 4_000_000_000]
    assert all(r["currency"] == "USD" and r["amount_usd"] == r["amount"] for r in rows)
    # A tranche and the running total that includes it: not two reports of one thing (issue 14).
    assert {r["amount"]: r.get("cumulative", False) for r in rows} == {2_750_000_000: False, 4_000_000_000: True}
    assert fact(seed_graph, "INVESTED_IN", "anthropic", "amazon", A2) == []


def test_002_microsoft_openai_google_anthropic(seed_graph):
    rows = {r["p"]["amount"]: r["p"] for r in fact(seed_graph, "INVESTED_IN", "microsoft", "openai", A2)}
    assert set(rows) == {1_000_000_000, 13_000_000_000} and rows[1_000_000_000]["date"] == "2019"
    google = [r["p"] for r in fact(seed_graph, "INVESTED_IN", "google", "anthropic", A2)]
    assert {(g.get("amount"), g.get("stake"), g.get("commitment")) for g in google} == \
        {(2_000_000_000, None, True), (None, 0.1, None)} and len(google) == 2  # two events (issue 14)
    assert one(seed_graph, "SUBSIDIARY_OF", "google", "alphabet", A2)
    assert fact(seed_graph, "SUBSIDIARY_OF", "alphabet", "google", A2) == []
    assert one(seed_graph, "DEVELOPS", "anthropic", "claude", A2)


def test_002_figure_round_and_nvidia_portfolio(seed_graph):
    figure = round_of(seed_graph, "figure-002")
    assert figure["valuation"] == 2_600_000_000 and figure["company"] == "figure"
    backers = seed_graph.read("MATCH (i:Entity)-[r:INVESTED_IN {round: 'figure-002'}]->(:Entity {id: 'figure'}) "
                              "RETURN i.id AS id ORDER BY id")
    assert [b["id"] for b in backers] == ["microsoft", "nvidia", "openai"]
    portfolio = seed_graph.read("MATCH (:Entity {id: 'nvidia'})-[r:INVESTED_IN]->(c) WHERE r.source = $s "
                                "RETURN c.id AS id ORDER BY id", {"s": A2})
    assert {"mistral", "perplexity", "cohere", "runway", "essential-ai", "figure"} == {p["id"] for p in portfolio}


# -- 003: Alibaba leads Moonshot AI's round ----------------------------------------------------------
def test_003_alibaba_leads_moonshot_round(seed_graph):
    props = one(seed_graph, "INVESTED_IN", "alibaba", "moonshot-ai", A3)
    assert props["led"] is True
    moonshot = round_of(seed_graph, props["round"])
    assert (moonshot["amount"], moonshot["valuation"], moonshot["article"]) == (1_000_000_000, 2_500_000_000, A3)
    monolith = {p["id"]: p for p in (r["p"] for r in fact(seed_graph, "INVESTED_IN", "monolith-management",
                                                               "moonshot-ai", A3))}
    assert monolith["monolith-management-invested-in-moonshot-ai-003"]["round"] == props["round"]
    # It backed Moonshot before the round too (issue 30, finding 19): "التي تدعمها حالياً".
    before = monolith["monolith-management-invested-in-moonshot-ai-before-003"]
    assert "round" not in before and "التي تدعمها حالياً" in before["evidence"]
    for earlier in ("meituan", "hongshan"):
        assert one(seed_graph, "INVESTED_IN", earlier, "moonshot-ai", A3)
    assert seed_graph.read("MATCH (e:Entity {id: 'moonshot-ai'}) RETURN e.founded AS f")[0]["f"] == "2023-03"


def test_003_zhipu_round_conflicts_with_000(seed_graph):
    rows = seed_graph.read("MATCH (:Entity {id: 'zhipu-ai'})-[:RAISED]->(r:Round) WHERE r.amount IS NOT NULL "
                           "RETURN r.claim AS claim, r.source AS source, r.amount AS amount, r.amount_text AS t "
                           "ORDER BY source")
    assert [(r["source"], r["amount"]) for r in rows] == [(A0, 342_000_000), (A3, 300_000_000)]
    assert rows[0]["claim"] == rows[1]["claim"] is not None
    assert "تتجاوز" in rows[1]["t"]  # "more than", as written
    for investor in ("alibaba", "tencent"):
        assert one(seed_graph, "INVESTED_IN", investor, "zhipu-ai", A3)["date"] == "2023"


# -- 004: the state venture fund and Alibaba's QwQ-32B -------------------------------------------------
def test_004_state_fund(seed_graph):
    assert one(seed_graph, "MANAGES", "chinese-government", "national-venture-capital-guidance-fund", A4)
    # Its 20-year target is what it expects to attract, not a round (issue 14): in its description.
    fund = seed_graph.read("MATCH (f:Entity {id: 'national-venture-capital-guidance-fund'}) "
                           "RETURN f.description AS d, COUNT { (f)-[:RAISED]->() } AS rounds")[0]
    assert fund["rounds"] == 0 and "gần 1.000 tỷ nhân dân tệ (138 tỷ USD) trong 20 năm" in fund["d"]
    assert one(seed_graph, "LEADS", "zheng-shanjie", "ndrc", A4)["role"] == "Chairman"
    premier = one(seed_graph, "LEADS", "li-keqiang", "chinese-government", A4)
    assert premier["role"] == "Premier" and "Li Qiang" in premier["caveat"]


def test_004_alibaba_models_against_deepseek(seed_graph):
    assert one(seed_graph, "DEVELOPS", "alibaba", "qwq-32b", A4)["date_text"] == "ngày 6/3"
    assert one(seed_graph, "COMPETES_WITH", "qwq-32b", "deepseek-r1", A4)
    assert one(seed_graph, "COMPETES_WITH", "qwen-2-5-max", "deepseek-v3", A4)
    assert one(seed_graph, "DEVELOPS", "alibaba", "tongyi-qianwen", A4)["date"] == "2023"
    for rival in ("gpt-4", "llama", "gemini"):
        assert one(seed_graph, "COMPETES_WITH", "deepseek-r1", rival, A4)
    assert one(seed_graph, "DEVELOPS", "monica", "manus", A4)
    # The 380 billion yuan pledge has no target: it is not an investment edge.
    assert fact(seed_graph, "INVESTED_IN", "alibaba", "alibaba", A4) == []
    assert "380 billion yuan" in seed_graph.read("MATCH (e:Entity {id: 'alibaba'}) RETURN e.note AS n")[0]["n"]


def test_readme_lists_every_entity_and_relationship_type():
    readme = (data_path("seed") / "README.md").read_text(encoding="utf-8")
    missing = [e["id"] for e in _yaml_records("entities") if f"`{e['id']}`" not in readme]
    assert missing == []
    assert [t for t in FACT_TYPES if f"**{t}**" not in readme] == []
    assert [r["id"] for r in _yaml_records("rounds") if f"`{r['id']}`" not in readme] == []
