"""Money and dates as articles write them, per language (graph.extract.money, graph.extract.dates)."""
from __future__ import annotations

import pytest

from graph.extract.dates import find_dates
from graph.extract.money import find_money, parse_number


def money(text, lang):
    return [(m.amount, m.currency, m.text, m.qualifier) for m in find_money(text, lang)]


@pytest.mark.parametrize("lang, text, expected", [
    ("vi", "công ty nhận được 342 triệu USD từ quỹ", [(342_000_000, "USD", "342 triệu USD", None)]),
    ("vi", "thương vụ trị giá 2,75 tỷ USD", [(2_750_000_000, "USD", "2,75 tỷ USD", None)]),
    ("vi", "góp 500 triệu nhân dân tệ (khoảng 69 triệu đô la)",
     [(500_000_000, "CNY", "500 triệu nhân dân tệ", None), (69_000_000, "USD", "khoảng 69 triệu đô la", "approx")]),
    ("vi", "huy động hơn 1.200 tỷ đồng", [(1_200_000_000_000, "VND", "hơn 1.200 tỷ đồng", "min")]),
    ("vi", "chi hàng tỷ USD cho chip", []),
    ("ar", "جولة تمويل قيمتها مليار دولار", [(1_000_000_000, "USD", "مليار دولار", None)]),
    ("ar", "بقيمة تتجاوز 300 مليون دولار", [(300_000_000, "USD", "تتجاوز 300 مليون دولار", "min")]),
    ("ar", "إلى نحو 2.5 مليار دولار", [(2_500_000_000, "USD", "نحو 2.5 مليار دولار", "approx")]),
    ("ar", "استثمرت ملياري دولار", [(2_000_000_000, "USD", "ملياري دولار", None)]),
    ("ar", "جمعت ٤٠٠ مليون يوان", [(400_000_000, "CNY", "٤٠٠ مليون يوان", None)]),
    ("en", "raised $1.2bn in a round", [(1_200_000_000, "USD", "$1.2bn", None)]),
    ("en", "more than $300 million from investors", [(300_000_000, "USD", "more than $300 million", "min")]),
    ("en", "a 5 billion yuan fund and US$40m", [(5_000_000_000, "CNY", "5 billion yuan", None),
                                               (40_000_000, "USD", "US$40m", None)]),
    ("en", "it ran 300 meters and $3 for coffee", [(3, "USD", "$3", None)]),
    ("zh", "完成300亿元融资", [(30_000_000_000, "CNY", "300亿元", None)]),
    ("zh", "获得约5亿美元投资", [(500_000_000, "USD", "约5亿美元", "approx")]),
    ("zh", "超过1.5万亿元人民币", [(1_500_000_000_000, "CNY", "超过1.5万亿元人民币", "min")]),
])
def test_money_per_language(lang, text, expected):
    assert money(text, lang) == expected


def test_each_amount_quotes_the_text_it_was_read_from():
    text = "Quỹ rót 2,75 tỷ USD và hơn 300 triệu USD"
    for m in find_money(text, "vi"):
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("raw, decimal, value", [
    ("2,75", ",", 2.75), ("1.000", ",", 1000), ("1,000", ".", 1000), ("2.5", ".", 2.5),
    ("1,234.5", ".", 1234.5), ("1.234,5", ",", 1234.5), ("٢٫٥", ".", 2.5)])
def test_numbers_follow_the_language_decimal_mark(raw, decimal, value):
    assert parse_number(raw, decimal) == value


def dates(text, lang, published=None):
    return [(d.date, d.text) for d in find_dates(text, lang, published)]


@pytest.mark.parametrize("lang, text, published, expected", [
    ("vi", "thông báo hồi tháng 9", "2023-11-03", [("2023-09", "hồi tháng 9")]),
    ("vi", "thông báo hồi tháng 12", "2023-11-03", [("2022-12", "hồi tháng 12")]),
    ("vi", "kết thúc vào tháng 4/2021", None, [("2021-04", "tháng 4/2021")]),
    ("vi", "ra mắt ngày 27 tháng 2", "2025-03-10", [("2025-02-27", "ngày 27 tháng 2")]),
    ("vi", "vòng gọi vốn hồi đầu năm", "2023-11-03", [("2023", "hồi đầu năm")]),
    ("vi", "vòng gọi vốn hồi đầu năm", None, [(None, "hồi đầu năm")]),
    ("vi", "doanh thu năm ngoái", "2024-05-01", [("2023", "năm ngoái")]),
    ("ar", "أطلقته في نوفمبر الماضي", "2024-03-01", [("2023-11", "في نوفمبر الماضي")]),
    ("ar", "أطلقته في نوفمبر الماضي", None, [(None, "في نوفمبر الماضي")]),
    ("ar", "جولة في عام 2023", None, [("2023", "في عام 2023")]),
    ("ar", "في 5 مارس 2024", None, [("2024-03-05", "5 مارس 2024")]),
    ("en", "launched last November", "2024-03-01", [("2023-11", "last November")]),
    ("en", "in March 2024 and last year", "2025-01-02", [("2024-03", "March 2024"), ("2024", "last year")]),
    ("en", "on March 5, 2024", None, [("2024-03-05", "March 5, 2024")]),
    ("zh", "2023年3月完成融资", None, [("2023-03", "2023年3月")]),
    ("zh", "去年11月发布", "2024-06-01", [("2023-11", "去年11月")]),
    ("zh", "今年完成", None, [(None, "今年")]),
])
def test_dates_per_language(lang, text, published, expected):
    assert dates(text, lang, published) == expected
