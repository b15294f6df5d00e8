"""`as_of` against a real Neo4j: a fact that had ended by the date (`status: former`, `until`) is left
out, one that ended later stays (issue 26); tests/unit/test_query_modules.py checks that every
query's `as_of` filter says so."""
from __future__ import annotations

from helpers import small_dataset

from graph.load import load_dataset
from graph.queries import run_records


def test_as_of_leaves_out_what_had_ended_by_then(clean_db, tmp_path):
    """fund-two's investment ended in January 2023 (status former, until): gone as of June 2023,
    there as of December 2022; fund-one's is dated May 2023."""
    path = tmp_path / "data.yaml"
    path.write_text(small_dataset(("""  - type: DEVELOPS
""", """  - type: INVESTED_IN
    from: fund-two
    to: alpha
    source: a1.txt
    date: "2021"
    status: former
    until: "2023-01"
  - type: DEVELOPS
"""), ("""  - id: alpha-1
""", """  - id: fund-two
    kind: Fund
    name: Fund Two
  - id: alpha-1
""")), encoding="utf-8")
    load_dataset(clean_db, str(path))

    def investors(as_of):
        _, records = run_records(clean_db, "investors_of", company="alpha", as_of=as_of)
        return sorted(r["investor"]["name"] for r in records)

    assert investors(None) == ["Fund One", "Fund Two"]
    assert investors("2022-12") == ["Fund Two"]            # ended later: it stays
    assert investors("2023-01") == []                      # ended by the end of January 2023
    assert investors("2023-06") == ["Fund One"]
    assert investors("2023") == ["Fund One"]               # ended within 2023, which as_of covers
