"""Every named query answers what the five seed articles say (read from the articles, not the data).

000 (3/11/2023): Alibaba and Tencent both put money into Zhipu and Baichuan; Zhipu's earlier round
    that year was led by Meituan; Alibaba was fined 2.8 billion USD in April 2021.
001: Baidu's Ernie 4.5 / Ernie X1 take on DeepSeek's R1; the six AI tigers compete; the US
    blacklisted Zhipu, then state-backed Huafa invested 500 million yuan (~69 million USD) in it.
002 (CNBC): Amazon 2.75 billion (4 billion in all) in Anthropic; Microsoft 1 billion in OpenAI in
    2019, about 13 billion since; Nvidia backs Figure, Essential AI, Runway, Mistral, Perplexity
    and Cohere; Microsoft holds stakes in Mistral, Figure, Humane and Inflection.
003 (Bloomberg, Arabic): Alibaba led Moonshot AI's 1 billion USD round with Monolith; Meituan and
    HongShan (Sequoia China) backed Moonshot earlier; Alibaba joined Tencent in Zhipu's
    "more than 300 million" round in 2023.
004: DeepSeek's R1 rivals GPT-4, Llama and Gemini; Alibaba's QwQ-32B rivals DeepSeek-R1 and o1-mini.
"""
from __future__ import annotations

import pytest

from graph.queries import run_query


def names(cell) -> set[str]:
    """The names in a cell holding one node or a list of nodes (plain dicts)."""
    if cell is None:
        return set()
    if isinstance(cell, dict):
        return {cell["name"]}
    return {c["name"] if isinstance(c, dict) else c for c in cell}


def column(df, key) -> set[str]:
    return set().union(*(names(c) for c in df[key])) if len(df) else set()


@pytest.fixture(scope="module")
def q(seed_graph):
    return lambda name, **params: run_query(name, conn=seed_graph, **params)


# -- co-investment ----------------------------------------------------------------------------
def test_investors_of_zhipu(q):
    df = q("investors_of", company="智谱")
    assert column(df, "investor") == {"Alibaba Group", "Tencent", "Meituan", "Huafa Group"}
    by = {row.investor["name"]: row for row in df.itertuples()}
    assert by["Meituan"].led is True and by["Alibaba Group"].led is None  # no source says: unknown, not false
    assert by["Huafa Group"].amount_usd == 69_000_000
    assert set(by["Alibaba Group"].sources) == {"000_31e833b6f579db1f.txt", "003_c0d1f047a211b548.txt"}


def test_investors_of_as_of_leaves_out_later_dated_facts(q):
    # Meituan's round is dated 2023: not yet there at the end of 2022, there in January 2023
    # (a fact dated "2023" counts as known by any date in 2023); undated facts always stay.
    assert "Meituan" not in column(q("investors_of", company="Zhipu", as_of="2022"), "investor")
    assert "Meituan" in column(q("investors_of", company="Zhipu", as_of="2023-01"), "investor")
    assert "Huafa Group" in column(q("investors_of", company="Zhipu", as_of="2022"), "investor")
    # Alibaba and Tencent joined Zhipu's 2023 round (000 is dated 3/11/2023 and calls it recent; 003: "in 2023").
    assert not {"Alibaba Group", "Tencent"} & set(column(q("investors_of", company="Zhipu", as_of="2022"), "investor"))


def test_portfolio_of_nvidia(q):
    df = q("portfolio", investor="Nvidia")
    assert column(df, "company") == {"Figure AI", "Essential AI", "Runway ML", "Mistral AI", "Perplexity", "Cohere"}


def test_coinvestors_of_tencent_in_arabic(q):
    df = q("coinvestors", investor="تنسنت")
    rows = {row.coinvestor["name"]: names(row.companies) for row in df.itertuples()}
    assert rows["Alibaba Group"] == {"Zhipu AI", "Baichuan AI"}
    assert rows["Meituan"] == {"Zhipu AI"} and rows["Huafa Group"] == {"Zhipu AI"}
    assert set(rows) == {"Alibaba Group", "Meituan", "Huafa Group"}


@pytest.mark.parametrize("a, b, expected", [
    ("Zhipu", "Baichuan", {"Alibaba Group", "Tencent"}),
    ("جيبو", "百川智能", {"Alibaba Group", "Tencent"}),
    ("Moonshot AI", "Zhipu", {"Alibaba Group", "Meituan"}),
    ("Moonshot", "Baichuan", {"Alibaba Group"}),
    ("Anthropic", "OpenAI", set()),
])
def test_backers_of_both(q, a, b, expected):
    assert column(q("backers_of_both", a=a, b=b), "investor") == expected


def test_coinvestor_pairs_ranked_by_shared_portfolio(q):
    df = q("coinvestor_pairs", min_shared=2)
    pairs = {frozenset((r.investor_a["name"], r.investor_b["name"])): (r.shared, names(r.companies))
             for r in df.itertuples()}
    assert pairs == {
        frozenset({"Alibaba Group", "Tencent"}): (2, {"Zhipu AI", "Baichuan AI"}),
        frozenset({"Alibaba Group", "Meituan"}): (2, {"Zhipu AI", "Moonshot AI"}),
        frozenset({"Microsoft", "Nvidia"}): (2, {"Mistral AI", "Figure AI"}),
    }
    wider = q("coinvestor_pairs", min_shared=1, limit=100)
    assert len(wider) > len(df) and list(wider["shared"]) == sorted(wider["shared"], reverse=True)
    assert frozenset({"Amazon", "Google"}) in {frozenset((r.investor_a["name"], r.investor_b["name"]))
                                               for r in wider.itertuples()}  # both in Anthropic


def test_syndicates_and_who_led(q):
    df = q("syndicates", company="Moonshot")
    assert len(df) == 1
    assert names(df["investors"][0]) == {"Alibaba Group", "Monolith Management"}
    assert names(df["led_by"][0]) == {"Alibaba Group"} and df["amount_usd"][0] == 1_000_000_000
    everyone = q("syndicates")
    by_company = {}
    for row in everyone.itertuples():
        by_company.setdefault(row.company["name"], []).append(names(row.investors))
    assert {"Microsoft", "OpenAI", "Nvidia"} in by_company["Figure AI"]
    assert {"Alibaba Group", "Tencent"} in by_company["Zhipu AI"]
    assert {"Alibaba Group", "Tencent"} in by_company["Baichuan AI"]


# -- ecosystem ----------------------------------------------------------------------------------
def test_rivals_of_zhipu_and_their_backers(q):
    df = q("rivals", company="Zhipu")
    backers = {r.rival["name"]: names(r.backers) for r in df.itertuples()}
    assert {"StepFun", "MiniMax", "Moonshot AI", "01.AI", "Baichuan AI", "OpenAI"} <= set(backers)
    assert backers["Moonshot AI"] == {"Alibaba Group", "Monolith Management", "Meituan", "HongShan"}
    assert backers["Baichuan AI"] == {"Alibaba Group", "Tencent"}
    assert backers["OpenAI"] == {"Microsoft"}


def test_rivals_of_deepseek_through_models(q):
    df = q("rivals", company="Dipsic")
    rivalry = {r.rival["name"]: set(r.rivalry) for r in df.itertuples()}
    assert {"Baidu", "OpenAI", "Meta", "Google", "Alibaba Group"} <= set(rivalry)
    assert rivalry["Baidu"] == {"DeepSeek-R1 vs Ernie 4.5", "DeepSeek-R1 vs Ernie X1"}
    assert "DeepSeek-R1 vs QwQ-32B" in rivalry["Alibaba Group"]


def test_rivals_sharing_an_investor(q):
    df = q("rivals_sharing_investor")
    pairs = {frozenset((r.rival_a["name"], r.rival_b["name"])): names(r.shared_investors) for r in df.itertuples()}
    assert pairs == {
        frozenset({"Zhipu AI", "Baichuan AI"}): {"Alibaba Group", "Tencent"},
        frozenset({"Zhipu AI", "Moonshot AI"}): {"Alibaba Group", "Meituan"},
        frozenset({"Baichuan AI", "Moonshot AI"}): {"Alibaba Group"},
    }


def test_shortest_paths_with_relationship_types(q):
    df = q("shortest_path", a="Huafa Group", b="Moonshot AI")
    assert len(df) == 1 and df["hops"][0] == 2
    assert df["types"][0] == ["INVESTED_IN", "COMPETES_WITH"]
    assert [n["name"] for n in df["path"][0]["nodes"]] == ["Huafa Group", "Zhipu AI", "Moonshot AI"]
    # Nvidia and Microsoft both back Mistral and Figure: every shortest path is returned.
    df = q("shortest_path", a="Nvidia", b="Microsoft")
    assert set(df["hops"]) == {2}
    assert {p["nodes"][1]["name"] for p in df["path"]} >= {"Mistral AI", "Figure AI"}


def test_state_capital(q):
    df = q("state_capital")
    facts = {(r.actor["name"], r.action, (r.target or {}).get("name")) for r in df.itertuples()}
    assert ("United States government", "SANCTIONED", "Zhipu AI") in facts
    assert ("Government of China", "FINED", "Alibaba Group") in facts
    assert ("Huafa Group", "INVESTED_IN", "Zhipu AI") in facts
    assert "National Venture Capital Guidance Fund" in column(df, "actor") | column(df, "target")
    fine = df[df["action"] == "FINED"].iloc[0]
    assert fine["amount_usd"] == 2_800_000_000 and fine["date"] == "2021-04"
    # The fine was in April 2021: not yet there at the end of March 2021.
    assert "FINED" not in set(q("state_capital", as_of="2021-03")["action"])
    assert "FINED" in set(q("state_capital", as_of="2021-04-30")["action"])
    assert "FINED" in set(q("state_capital", as_of="2021")["action"])  # by the end of 2021


def test_sanction_exposure(q):
    df = q("sanction_exposure")
    assert column(df, "investor") == {"Alibaba Group", "Tencent", "Meituan", "Huafa Group"}
    assert column(df, "sanctioned") == {"Zhipu AI"}
    assert column(df, "authority") == {"United States government"}


def test_top_investors(q):
    df = q("top_investors", limit=3)
    top = [(r.investor["name"], r.companies, r.known_usd) for r in df.itertuples()]
    assert top[0][:2] == ("Nvidia", 6)
    # Microsoft: OpenAI, Mistral, Figure, Humane, Inflection; about 13 billion USD in OpenAI
    # (a total that includes the 2019 billion, so it is not added twice).
    assert top[1] == ("Microsoft", 5, 13_000_000_000)
    amazon = q("top_investors", limit=100)
    row = next(r for r in amazon.itertuples() if r.investor["name"] == "Amazon")
    assert (row.companies, row.known_usd) == (2, 4_000_000_000)  # Anthropic (4 billion in all), Hugging Face


def test_cross_border(q):
    df = q("cross_border")
    pairs = {(r.investor["name"], r.company["name"]) for r in df.itertuples()}
    assert {("Microsoft", "Mistral AI"), ("Nvidia", "Mistral AI"), ("Nvidia", "Cohere")} <= pairs
    assert ("Alibaba Group", "Zhipu AI") not in pairs and ("Amazon", "Anthropic") not in pairs
    assert all(r["from"] != r["to"] for _, r in df.iterrows())


def test_models_and_what_they_compete_with(q):
    df = q("models", company="Alibaba")
    rivals = {r.model["name"]: set(r.competes_with) for r in df.itertuples()}
    assert {"QwQ-32B", "Qwen 2.5 Max", "Tongyi Qianwen"} <= set(rivals)
    assert {"DeepSeek-R1 (DeepSeek)", "OpenAI o1-mini (OpenAI)"} <= rivals["QwQ-32B"]
    assert rivals["Qwen 2.5 Max"] == {"DeepSeek-V3 (DeepSeek)"}
    everyone = q("models")
    by = {(r.company["name"], r.model["name"]): set(r.competes_with) for r in everyone.itertuples()}
    assert by[("Anthropic", "Claude")] == {"GPT (OpenAI)", "Gemini (Google)"}
    assert by[("Baidu", "Ernie 4.5")] == {"DeepSeek-R1 (DeepSeek)"}
    assert ("Moonshot AI", "Kimi") in by


# -- provenance ---------------------------------------------------------------------------------
def test_article_claims(q):
    df = q("article_claims", article="003")
    claims = {(r.subject["name"], r.claim, r.object["name"]) for r in df.itertuples()}
    assert {("Alibaba Group", "INVESTED_IN", "Moonshot AI"), ("Monolith Management", "INVESTED_IN", "Moonshot AI"),
            ("Meituan", "INVESTED_IN", "Moonshot AI"), ("HongShan", "INVESTED_IN", "Moonshot AI"),
            ("Moonshot AI", "DEVELOPS", "Kimi"), ("Alibaba Group", "INVESTED_IN", "Zhipu AI"),
            ("Tencent", "INVESTED_IN", "Zhipu AI")} <= claims
    assert ("Moonshot AI", "RAISED", "Moonshot AI's round led by Alibaba") in claims
    # 001's news (Huafa, the US blacklisting of Zhipu) is not 003's claim; 003's own US sanctions are.
    assert not {s for s, _, o in claims if s == "Huafa Group"}
    assert ("United States government", "SANCTIONED", "Zhipu AI") not in claims
    assert ("United States government", "SANCTIONED", "Government of China") in claims


def test_conflicting_claims(q):
    df = q("conflicting_claims").set_index("claim")
    # 000: 342 million USD; 003: more than 300 million. (000's own contradiction, a valuation of
    # 69.2 million as of July 2023, is the round's caveat: a valuation is not a round.)
    assert df.loc["zhipu-2023-funding", "conflict"] == "between sources"
    versions = " | ".join(df.loc["zhipu-2023-funding", "versions"])
    assert "342" in versions and "300" in versions
    # 000 says Alibaba and Tencent *used to be* enemies; 003 calls Tencent Alibaba's long-standing rival.
    assert df.loc["alibaba-tencent-rivalry", "conflict"] == "between sources"
    rivalry = df.loc["alibaba-tencent-rivalry", "versions"]
    assert any(v.startswith("former: Trước đó") and v.endswith("[000_31e833b6f579db1f.txt]") for v in rivalry)
    # A tranche and the cumulative total that includes it do not disagree: no shared claim.
    assert "amazon-anthropic" not in df.index and "microsoft-openai" not in df.index
    assert set(df.index) == {"zhipu-2023-funding", "alibaba-tencent-rivalry"}


def test_article_claims_quote_the_article_with_status_and_caveats(q):
    df = q("article_claims", article="000")
    assert {"evidence", "status", "caveat"} <= set(df.columns)
    assert df["evidence"].notna().all() and (df["evidence"] != "").all()
    rivalry = df[(df["claim"] == "COMPETES_WITH") & (df["object"].map(lambda o: o["name"]) == "Tencent")].iloc[0]
    assert rivalry["status"] == "former" and rivalry["evidence"] == "Trước đó, Alibaba và Tencent không đội trời chung."
    fine = df[df["claim"] == "FINED"].iloc[0]
    assert "names no regulator" in fine["caveat"]
    zhipu = df[df["fact"] == "zhipu-2023-000"].iloc[0]
    assert "69,2 triệu USD" in zhipu["caveat"] and zhipu["evidence"].startswith("đã nhận được 342 triệu USD")
    amazon = q("article_claims", article="002")
    assert "tổng cộng 4 tỷ USD cho đến nay (cumulative total)" in set(amazon["says"])


def test_caveats_lists_every_fact_with_a_caveat_or_a_former_status(q, seed_graph):
    df = q("caveats")
    expected = seed_graph.read("MATCH ()-[r]->() WHERE r.caveat IS NOT NULL OR r.status IS NOT NULL "
                               "RETURN r.id AS id UNION MATCH (r:Round) WHERE r.caveat IS NOT NULL RETURN r.id AS id")
    assert sorted(df["fact"]) == sorted(r["id"] for r in expected) and len(df) >= 19
    by = {(r.subject["name"], r.claim, r.object["name"], r.source[:3]): r for r in df.itertuples()}
    assert by[("Alibaba Group", "COMPETES_WITH", "Tencent", "000")].status == "former"
    premier = by[("Li Keqiang", "LEADS", "Government of China", "004")]
    assert "Li Qiang" in premier.caveat and "Lý Khắc Cường" in premier.evidence
    assert ("Government of China", "FINANCES", "Huafa Group", "001") in by
    assert "Theo CBInsights" in by[("Zhipu AI", "RAISED", "Zhipu AI's recent round", "000")].caveat
    # 003 calls Tencent a rival today, without caveat: it is not listed.
    assert ("Alibaba Group", "COMPETES_WITH", "Tencent", "003") not in by
    only = q("caveats", source="004")
    assert set(only["source"]) == {"004_44423b5e27721ef9.txt"}
    assert set(only["fact"]) == {
        "li-keqiang-leads-chinese-government-004", "chinese-government-manages-national-venture-capital-guidance-fund-004",
        "monica-develops-manus-004", "qwq-32b-competes-with-openai-o1-mini-004", "qwq-32b-competes-with-deepseek-r1-004",
        "qwen-2-5-max-competes-with-deepseek-v3-004", "us-government-sanctioned-chinese-government-004"}


def test_missing_amount_or_date(q):
    df = q("missing_amount_or_date", type="INVESTED_IN", source="002")
    missing = {(r.subject["name"], r.object["name"], r.missing) for r in df.itertuples()}
    assert ("Nvidia", "Cohere", "amount, date") in missing
    assert ("Amazon", "Anthropic", "date") in missing  # 2.75 billion, no date
    assert not {m for m in missing if m[:2] == ("Microsoft", "OpenAI") and m[2] != "date"}
    assert {r.source for r in df.itertuples()} == {"002_600afdb87e9a5ab0.txt"}
    rounds = q("missing_amount_or_date", type="RAISED")
    assert ("Moonshot AI", "date") in {(r.subject["name"], r.missing) for r in rounds.itertuples()}
