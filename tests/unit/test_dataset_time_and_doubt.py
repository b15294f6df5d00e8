"""The fields issue 14 added to facts and rounds (graph.dataset): evidence, caveat, status/until,
cumulative, amount and valuation qualifiers. Read and checked without Neo4j."""
from __future__ import annotations

import pytest

from graph.dataset import read_dataset
from graph.errors import InputError

DATA = """\
articles: [{id: a.txt, title: A, language: vi}]
entities:
  - {id: amazon, kind: Company, name: Amazon}
  - {id: anthropic, kind: Company, name: Anthropic}
rounds:
  - {id: r1, company: anthropic, source: a.txt, amount: 1000, currency: USD, amount_qualifier: min,
     valuation: 5000, valuation_currency: USD, valuation_qualifier: approx, evidence: hơn 1000 USD,
     caveat: the article contradicts itself, date: "2023", date_text: gần đây, date_inferred: true}
facts:
  - {id: total, type: INVESTED_IN, from: amazon, to: anthropic, source: a.txt, amount: 4000, currency: USD,
     cumulative: true, amount_qualifier: approx, evidence: tổng cộng 4 tỷ USD cho đến nay}
  - {type: COMPETES_WITH, from: amazon, to: anthropic, source: a.txt, status: former, until: "2021",
     caveat: doubtful, evidence: Trước đó}
"""


def _read(tmp_path, text=DATA):
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    return read_dataset(tmp_path / "d.yaml")


def test_the_new_fields_are_read_as_written(tmp_path):
    ds = _read(tmp_path)
    rnd, (total, rivalry) = ds.rounds[0], [f["props"] for f in ds.facts]
    assert (rnd["amount_qualifier"], rnd["valuation_qualifier"], rnd["caveat"]) == ("min", "approx", "the article contradicts itself")
    assert (rnd["date"], rnd["date_text"], rnd["date_inferred"]) == ("2023", "gần đây", True)
    assert (total["cumulative"], total["amount_qualifier"], total["evidence"]) == (True, "approx", "tổng cộng 4 tỷ USD cho đến nay")
    assert (rivalry["status"], rivalry["until"], rivalry["caveat"]) == ("former", "2021", "doubtful")
    # Where each record and its quotes are, for checks made after reading (graph.evidence).
    assert ds.where[("fact", "total")] == (str(tmp_path / "d.yaml"), 10, {"evidence": 11})


@pytest.mark.parametrize("change, field, message", [
    (("status: former", "status: current"), "status", "unknown value 'current': expected former"),
    (("status: former, ", ""), "status", "a fact with `until` has ended: give it `status: former`"),
    (("amount_qualifier: approx", "amount_qualifier: roughly"), "amount_qualifier", "expected approx or min"),
    (("valuation_qualifier: approx", "valuation_qualifier: max"), "valuation_qualifier", "expected approx or min"),
    (("cumulative: true", "cumulative: yes please"), "cumulative", "expected true or false"),
    (('until: "2021"', "until: last year"), "until", "bad date 'last year'"),
    (("evidence: Trước đó}", "evidence: ''}"), "evidence", "expected non-empty text"),
    (('date: "2023", ', ""), "date", "`date_inferred` marks a `date`"),
    (("date_inferred: true", "date_inferred: maybe"), "date_inferred", "expected true or false"),
])
def test_bad_values_are_named(tmp_path, change, field, message):
    with pytest.raises(InputError) as caught:
        _read(tmp_path, DATA.replace(*change))
    assert caught.value.field == field and message in str(caught.value)
