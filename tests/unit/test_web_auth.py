"""graph.web.auth's tokens and graph.web.articles' text checks: pure code."""
from __future__ import annotations

import pytest

from graph.errors import DealgraphError
from graph.web.articles import article_id, article_text
from graph.web.auth import Tokens


def test_tokens_are_labelled_and_compared_whole():
    tokens = Tokens.parse(["alice=alice-secret-0123456789", "a-bare-secret-0123456789"])
    assert tokens.label("alice-secret-0123456789") == "alice"
    assert tokens.label("a-bare-secret-0123456789") == "owner"
    assert tokens.label("alice-secret-012345678") is None and tokens.label("") is None and tokens.label(None) is None
    assert tokens.csrf("alice-secret-0123456789") != tokens.csrf("a-bare-secret-0123456789")
    assert Tokens.parse(["alice=alice-secret-0123456789"]).csrf("x") != tokens.csrf("x")  # a new key each start
    generated = Tokens.parse()
    assert list(generated.labels.values()) == ["owner"] and len(next(iter(generated.labels))) >= 32


@pytest.mark.bad_input
@pytest.mark.parametrize("given, needle", [(["alice=short"], "at least 16"), (["a b=a-long-enough-secret"], "label"),
                                           (["a=a-long-enough-secret", "b=a-long-enough-secret"], "already 'a'")])
def test_bad_tokens_are_refused(given, needle):
    with pytest.raises(DealgraphError, match=needle):
        Tokens.parse(given)


def test_an_article_text_is_plain_utf8_text():
    assert article_text("\ufeffAlpha raised money.\r\nBeta did not.\r\n".encode()) == "Alpha raised money.\nBeta did not."
    assert article_text("Giá < 5 USD và > 2 USD; R&D tăng") == "Giá < 5 USD và > 2 USD; R&D tăng"  # not markup
    assert article_id("x") == article_id("x") != article_id("y")


@pytest.mark.bad_input
@pytest.mark.parametrize("data, needle", [
    ("café".encode("latin-1"), "not UTF-8 (byte 4, line 1)"), (b"GIF89a\x00\x01", "binary"),
    ("a\x07b", "binary"), ("  \n ", "empty"), ("x" * (1024 * 1024 + 1), "more than the 1,048,576"),
    ("Alpha <script>alert(1)</script>", "HTML in the text"), ("line one\n<div class=x>two</div>", "on line 2"),
    ("Alpha &amp; Beta", "HTML in the text"), ("<!-- comment -->", "HTML in the text")])
def test_bad_article_texts_are_refused_in_one_line(data, needle):
    with pytest.raises(DealgraphError, match=None) as caught:
        article_text(data, "story.txt")
    assert str(caught.value).startswith("story.txt: ") and needle in str(caught.value) and "\n" not in str(caught.value)
