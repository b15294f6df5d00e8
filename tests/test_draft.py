"""`dealgraph draft ARTICLE` then `dealgraph load`: a drafted article in a real Neo4j, beside the seed.

The articles are short invented texts written here (never the seed's articles)."""
from __future__ import annotations

import json

import pytest

from helpers import assert_one_line_error

ARTICLE_VI = """Startup Lumora huy động 150 triệu USD
Công ty khởi nghiệp Lumora vừa nhận được 150 triệu USD từ Alibaba và Tencent trong vòng gọi vốn do Alibaba dẫn đầu hồi tháng 9.
Lumora cạnh tranh với OpenAI và Baichuan trong mảng trợ lý ảo.
"""


def test_draft_then_load_beside_the_seed(fresh_seed, cli, tmp_path):
    conn = fresh_seed
    before = conn.read("MATCH (e:Entity {id: 'alibaba'}) RETURN e.description AS d, e.aliases AS a, "
                       "COUNT { (:Alias)-[:ALIAS_OF]->(e) } AS keys")[0]
    article = tmp_path / "lumora_001.txt"
    article.write_text(ARTICLE_VI, encoding="utf-8")
    data = tmp_path / "drafts"
    done = cli("draft", article, "--date", "2024-11-20", "--outlet", "Báo Thử", "--data", data)
    assert done.code == 0, done
    assert "Draft of lumora_001.txt (vi, rules extractor)" in done.err
    loaded = cli("load", data, "--articles", tmp_path)  # every quote checked against the article first
    assert loaded.code == 0, loaded
    assert "Evidence: all" in loaded.out

    rows = conn.read("""
        MATCH (a:Entity)-[r:INVESTED_IN {source: 'lumora_001.txt'}]->(b:Entity)
        OPTIONAL MATCH (b)-[:RAISED]->(round:Round {id: r.round})
        RETURN a.id AS investor, b.name AS company, r.led AS led, r.draft AS draft, r.confidence AS confidence,
               r.date AS date, round.amount AS amount, round.currency AS currency, round.amount_text AS amount_text
        ORDER BY investor""")
    assert [(r["investor"], r["company"], r["led"]) for r in rows] == [("alibaba", "Lumora", True),
                                                                      ("tencent", "Lumora", None)]
    assert all(r["draft"] is True and 0 < r["confidence"] <= 1 and r["date"] == "2024-09" for r in rows)
    assert {(r["amount"], r["currency"], r["amount_text"]) for r in rows} == {(150_000_000, "USD", "150 triệu USD")}
    rivals = conn.read("MATCH (a:Entity)-[r:COMPETES_WITH {source: 'lumora_001.txt'}]-(b:Entity) "
                       "WHERE a.name = 'Lumora' RETURN collect(b.id) AS ids")[0]["ids"]
    assert sorted(rivals) == ["baichuan", "openai"]
    # The seed's entity is linked, not overwritten: its description and names stay, the article is added.
    after = conn.read("MATCH (e:Entity {id: 'alibaba'}) RETURN e.description AS d, e.aliases AS a, e.sources AS s, "
                      "COUNT { (:Alias)-[:ALIAS_OF]->(e) } AS keys")[0]
    assert (after["d"], after["a"], after["keys"]) == (before["d"], before["a"], before["keys"])
    assert "lumora_001.txt" in after["s"]
    new = conn.read("MATCH (e:Entity {name: 'Lumora'}) RETURN e.kind AS kind, e.draft AS draft")[0]
    assert new == {"kind": "Company", "draft": True}
    # Loading the draft again changes nothing.
    again = cli("load", data)
    assert again.code == 0 and "Nothing changed" in again.out, again


def test_draft_as_json_to_a_file(seed_graph, cli, tmp_path):
    article = tmp_path / "note.txt"
    article.write_text('قادت مجموعة "علي بابا" جولة تمويل قيمتها 300 مليون دولار في شركة "سيرا" (Sira).\n',
                       encoding="utf-8")
    out = tmp_path / "draft.json"
    done = cli("draft", article, "--format", "json", "-o", out)
    assert done.code == 0, done
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["articles"][0]["language"] == "ar"
    assert [(f["type"], f["from"], f["to"], f.get("led")) for f in data["facts"]] == [
        ("INVESTED_IN", "alibaba", "sira", True)]
    assert data["rounds"][0]["amount"] == 300_000_000 and data["rounds"][0]["amount_text"] == "300 مليون دولار"


@pytest.mark.bad_input
def test_an_article_that_is_not_text_is_one_line(seed_graph, cli, tmp_path):
    article = tmp_path / "scan.txt"
    article.write_bytes(b"\xff\xfe\x00binary")
    assert_one_line_error(cli("draft", article), "scan.txt", "not UTF-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert_one_line_error(cli("draft", empty), "empty.txt", "empty")
    bad_date = tmp_path / "ok.txt"
    bad_date.write_text("Alibaba invested $5m in Sira.", encoding="utf-8")
    assert_one_line_error(cli("draft", bad_date, "--date", "last week"), "date")
