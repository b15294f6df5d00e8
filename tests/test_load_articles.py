"""`dealgraph load PATH --articles DIR`: quotes checked against the articles before anything is
written. The articles are small files written here (the seed's own are the outlets' texts and
are checked by hand: see seed/README.md)."""
from __future__ import annotations

import pytest

import unicodedata

from helpers import assert_one_line_error, fingerprint

from graph.errors import InputError
from graph.load import load_dataset

ARTICLES = """\
articles:
  - {id: 000_note.txt, title: Một bài báo, language: vi}
  - {id: 001_note.txt, title: مقال, language: ar}
entities:
  - {id: huafa, kind: Company, name: Huafa Group}
  - {id: zhipu, kind: Company, name: Zhipu AI}
  - {id: alibaba, kind: Company, name: Alibaba Group}
  - {id: tencent, kind: Company, name: Tencent}
"""
FACTS = """\
source: 000_note.txt
facts:
  - type: INVESTED_IN
    from: huafa
    to: zhipu
    amount: 500000000
    currency: CNY
    amount_text: 500 triệu nhân dân tệ
    evidence: Tập đoàn Huafa đã đầu tư 500 triệu nhân dân tệ vào Zhipu
  - type: COMPETES_WITH
    from: alibaba
    to: tencent
    status: former
    evidence: Trước đó, Alibaba và Tencent không đội trời chung.
  - type: COMPETES_WITH
    from: tencent
    to: alibaba
    source: 001_note.txt
    evidence: منافستها العريقة شركة "تنسنت"
"""
TEXTS = {
    # NFD, other case and line breaks: a search box finds the quotes all the same.
    "000_note.txt": unicodedata.normalize("NFD", "TẬP ĐOÀN HUAFA đã đầu tư 500 triệu\nnhân dân tệ vào Zhipu.\n\n"
                                                 "Trước đó, Alibaba và Tencent không đội trời chung.\n"),
    "001_note.txt": 'انضمت مجموعة "علي بابا" من قبل إلى جولة تمويل مع منافستها العريقة شركة "تنسنت".\n',
}


def _write(tmp_path, facts=FACTS):
    data, articles = tmp_path / "data", tmp_path / "articles"
    (data / "facts").mkdir(parents=True)
    articles.mkdir()
    (data / "articles.yaml").write_text(ARTICLES, encoding="utf-8")
    (data / "facts" / "000.yaml").write_text(facts, encoding="utf-8")
    for name, text in TEXTS.items():
        (articles / name).write_text(text, encoding="utf-8")
    return data, articles


LOADERS = [pytest.param(("load",), id="load"), pytest.param(("import", "seed", "--no-progress"), id="import-seed")]


@pytest.mark.parametrize("command", LOADERS)
def test_quotes_found_in_their_articles_load(clean_db, cli, tmp_path, command):
    data, articles = _write(tmp_path)
    result = cli(*command, data, "--articles", articles)
    assert result.code == 0, result
    assert "Evidence: all 4 quotes of 3 facts and 0 rounds found in their articles" in result.out
    rows = clean_db.read("MATCH (:Entity {id: 'alibaba'})-[r:COMPETES_WITH]->() RETURN r.status AS s, r.evidence AS e")
    assert rows == [{"s": "former", "e": "Trước đó, Alibaba và Tencent không đội trời chung."}]


@pytest.mark.bad_input
@pytest.mark.parametrize("command", LOADERS)
def test_a_quote_not_in_its_article_is_refused_before_writing(clean_db, cli, tmp_path, command):
    clean_db.write("CREATE (:Entity:Company {id: 'bystander', name: 'Bystander', kind: 'Company'})")
    before = fingerprint(clean_db)
    bad = FACTS.replace("منافستها العريقة", "منافستها القديمة")
    data, articles = _write(tmp_path, bad)
    result = cli(*command, data, "--articles", articles)
    line = bad[: bad.index("    evidence: منافستها")].count("\n") + 1
    assert_one_line_error(result, f"{data / 'facts' / '000.yaml'}:{line}: evidence: ",
                          "fact 'tencent-competes-with-alibaba-001'", "not found in", "001_note.txt")
    assert fingerprint(clean_db) == before
    # Without --articles the same dataset loads: evidence is checked only against articles one has.
    assert cli(*command, data).code == 0


@pytest.mark.bad_input
def test_a_fact_without_evidence_is_refused_when_checking(clean_db, cli, tmp_path):
    bad = FACTS.replace("    evidence: Tập đoàn Huafa đã đầu tư 500 triệu nhân dân tệ vào Zhipu\n", "")
    data, articles = _write(tmp_path, bad)
    result = cli("load", data, "--articles", articles)
    assert_one_line_error(result, "000.yaml:3: evidence: ",
                          "fact 'huafa-invested-in-zhipu-000'", "missing")
    assert clean_db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
    result = cli("load", data, "--articles", tmp_path / "nowhere")
    assert_one_line_error(result, "nowhere: no such folder")


def test_the_python_api_checks_too(clean_db, tmp_path):
    data, articles = _write(tmp_path, FACTS.replace("500 triệu nhân dân tệ\n", "600 triệu nhân dân tệ\n"))
    try:
        load_dataset(clean_db, data, articles=articles)
    except InputError as exc:
        assert (exc.field, exc.line) == ("amount_text", 8)
    else:
        raise AssertionError("loaded a dataset whose amount_text is not in its article")
    assert clean_db.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
