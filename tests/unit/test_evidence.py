"""Quotes against articles (graph.evidence): what a reader's Ctrl+F finds, and where a miss is named.

The articles here are small files the tests write themselves (the real ones are the outlets').
"""
from __future__ import annotations

import unicodedata

import pytest

from graph.dataset import read_dataset
from graph.errors import InputError
from graph.evidence import MAX_WORDS, check_evidence, matched_prefix, normalise, occurs

ARTICLE = ("Tập đoàn Huafa, một thực thể do chính phủ Trung Quốc hậu thuẫn,\n"
           "đã đầu tư 500 triệu nhân dân tệ (khoảng 69 triệu đô la) vào Zhipu.\n\n"
           'قادت المجموعة جولة تمويل قيمتها مليار دولار في شركة "مونشوت إيه آي"\n')


# -- matching ---------------------------------------------------------------------------------------
def test_nfc_and_nfd_vietnamese_are_the_same_text():
    nfc, nfd = (unicodedata.normalize(form, "chính phủ Trung Quốc hậu thuẫn") for form in ("NFC", "NFD"))
    assert nfc != nfd
    assert normalise(nfc) == normalise(nfd)
    assert occurs(nfd, unicodedata.normalize("NFC", ARTICLE))
    assert occurs(nfc, unicodedata.normalize("NFD", ARTICLE))


@pytest.mark.parametrize("quote", [
    "TẬP ĐOÀN HUAFA",                                    # case
    "hậu thuẫn, đã đầu tư",                              # across a line break
    "500   triệu\tnhân dân tệ",                          # runs of spaces and tabs
    "  vào Zhipu. ",                                     # surrounding spaces
    'جولة تمويل قيمتها مليار دولار',                     # Arabic
])
def test_case_and_whitespace_are_forgiven(quote):
    assert occurs(quote, ARTICLE)


@pytest.mark.parametrize("quote", [
    "chinh phu Trung Quoc",            # accents are not forgiven: Ctrl+F would not find it either
    "Tập đoàn Huafa một thực thể",     # a missing comma
    "500 triệu nhân dân tệ (khoảng 70 triệu đô la)",
    "Huafa ... Zhipu",                 # no elisions
    "قادت المجموعة جولة تمويل قيمتها 1 مليار دولار",
])
def test_anything_else_is_a_miss(quote):
    assert not occurs(quote, ARTICLE)


def test_matched_prefix_says_where_a_quote_stops_matching():
    assert matched_prefix("Tập đoàn Huafa, một thực thể do chính phủ Việt Nam", ARTICLE) == \
        "Tập đoàn Huafa, một thực thể do chính phủ"
    assert matched_prefix("nowhere to be found", ARTICLE) == ""
    whole = "đã đầu tư 500 triệu"
    assert matched_prefix(whole, ARTICLE) == whole


# -- datasets against articles -------------------------------------------------------------------
DATASET = """\
articles:
  - {id: a1.txt, title: One, language: vi}
entities:
  - {id: huafa, kind: Company, name: Huafa Group}
  - {id: zhipu, kind: Company, name: Zhipu AI}
  - {id: china, kind: GovernmentBody, name: Government of China}
rounds:
  - id: zhipu-r
    company: zhipu
    source: a1.txt
    amount: 500000000
    currency: CNY
    amount_text: 500 triệu nhân dân tệ
    evidence: đã đầu tư 500 triệu nhân dân tệ
facts:
  - type: INVESTED_IN
    from: huafa
    to: zhipu
    source: a1.txt
    round: zhipu-r
    evidence: đã đầu tư 500 triệu nhân dân tệ (khoảng 69 triệu đô la) vào Zhipu
  - type: FINANCES
    from: china
    to: huafa
    source: a1.txt
    evidence: một thực thể do chính phủ Trung Quốc hậu thuẫn
"""


def _setup(tmp_path, dataset=DATASET, article=ARTICLE):
    (tmp_path / "data.yaml").write_text(dataset, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    if article is not None:
        (tmp_path / "articles" / "a1.txt").write_text(article, encoding="utf-8")
    return read_dataset(tmp_path / "data.yaml"), tmp_path / "articles"


def _refused(tmp_path, dataset=DATASET, article=ARTICLE) -> InputError:
    ds, articles = _setup(tmp_path, dataset, article)
    with pytest.raises(InputError) as caught:
        check_evidence(ds, articles)
    return caught.value


def _line(needle: str, text: str = DATASET) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_dataset_whose_quotes_are_all_in_its_articles_passes(tmp_path):
    ds, articles = _setup(tmp_path, article=unicodedata.normalize("NFD", ARTICLE.upper()))
    assert check_evidence(ds, articles) == 4  # 3 evidence phrases and one amount_text


def test_evidence_not_in_its_article_is_refused_with_file_record_and_field(tmp_path):
    bad = DATASET.replace("do chính phủ Trung Quốc hậu thuẫn", "do chính phủ Trung Quốc sở hữu")
    error = _refused(tmp_path, dataset=bad)
    assert (error.file, error.line, error.field) == (str(tmp_path / "data.yaml"), _line("một thực thể", bad), "evidence")
    assert "fact 'china-finances-huafa-a1'" in str(error)
    assert "a1.txt" in str(error) and "it matches up to 'một thực thể do chính phủ Trung Quốc'" in str(error)
    assert "\n" not in str(error)


def test_a_rounds_evidence_and_a_quoted_amount_are_checked_too(tmp_path):
    error = _refused(tmp_path, dataset=DATASET.replace("evidence: đã đầu tư 500 triệu nhân dân tệ\n",
                                                        "evidence: đã đầu tư 600 triệu nhân dân tệ\n"))
    assert (error.field, error.line) == ("evidence", _line("evidence: đã đầu tư 500 triệu nhân dân tệ\n"))
    assert "round 'zhipu-r'" in str(error)
    bad = DATASET.replace("amount_text: 500 triệu nhân dân tệ", "amount_text: 500 triệu NDT")
    (tmp_path / "other").mkdir()
    error = _refused(tmp_path / "other", dataset=bad)
    assert (error.field, error.line) == ("amount_text", _line("amount_text", bad))


def test_evidence_is_required_when_checking_against_articles(tmp_path):
    bad = DATASET.replace("    evidence: một thực thể do chính phủ Trung Quốc hậu thuẫn\n", "")
    error = _refused(tmp_path, dataset=bad)
    assert (error.field, error.line) == ("evidence", _line("  - type: FINANCES", bad))
    assert "missing" in str(error)


def test_evidence_is_a_phrase_not_a_passage(tmp_path):
    long = " ".join(["hậu thuẫn"] * MAX_WORDS)
    error = _refused(tmp_path, dataset=DATASET.replace("một thực thể do chính phủ Trung Quốc hậu thuẫn", long))
    assert error.field == "evidence" and f"at most {MAX_WORDS}" in str(error)


def test_a_missing_article_or_folder_is_named(tmp_path):
    error = _refused(tmp_path, article=None)
    assert "article 'a1.txt' is not in" in str(error) and error.field == "evidence"
    ds = read_dataset(tmp_path / "data.yaml")
    with pytest.raises(InputError, match="no such folder"):
        check_evidence(ds, tmp_path / "nowhere")


def test_an_article_that_is_not_utf8_is_named(tmp_path):
    ds, articles = _setup(tmp_path)
    (articles / "a1.txt").write_bytes("Trung Quốc".encode("utf-16"))
    with pytest.raises(InputError, match="is not UTF-8 text"):
        check_evidence(ds, articles)
