"""The web app's pure helpers: URL suffixes, links, the hosts it answers to (graph.web)."""
from __future__ import annotations

from graph.web import allowed_hosts
from graph.web.app import CSP, article_url, entity_url, query_url, split_format


def test_format_twins_are_read_from_the_suffix():
    assert split_format("zhipu-ai") == ("zhipu-ai", "html")
    assert split_format("zhipu-ai.json") == ("zhipu-ai", "json")
    assert split_format("003_c0d1f047a211b548.txt.csv") == ("003_c0d1f047a211b548.txt", "csv")
    assert split_format(".json") == (".json", "html")  # nothing left: not a twin


def test_links_quote_ids_and_values():
    assert entity_url("cb-organization/acme") == "/entity/cb-organization%2Facme"
    assert entity_url("a b?c#d", ".json") == "/entity/a%20b%3Fc%23d.json"
    assert article_url("003.txt") == "/article/003.txt"
    assert query_url("backers_of_both", ".csv", {"a": "علي بابا", "b": "x&y=z"}) == \
        "/queries/backers_of_both.csv?a=%D8%B9%D9%84%D9%8A+%D8%A8%D8%A7%D8%A8%D8%A7&b=x%26y%3Dz"


def test_hosts_and_policy():
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "::1", "localhost"]
    assert "reporter.lan" in allowed_hosts("0.0.0.0", ["reporter.lan"])
    script_src = CSP.split("script-src")[1].split(";")[0]
    assert script_src.strip() == "'self'"  # no inline script, no eval, no other host
