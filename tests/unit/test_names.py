"""Name keys (graph.names): the folding every alias lookup relies on."""
import pytest

from graph.names import name_key


@pytest.mark.parametrize("a, b", [
    ("DeepSeek", "deepseek"), ("Đeepseek", "deepseek"), ("Deep Seek", "deepseek"),
    ("Alibaba Group", "alibaba-group"), ("Zhīpǔ", "zhipu"), ("علي بابا", "علي بابا"),
    ("أمازون", "امازون"), ("ﬁnance", "finance"),
])
def test_spellings_that_readers_call_the_same_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("Tencent", "Tencents"), ("Baidu", "Baichuan"), ("ة", "ت")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_a_name_without_letters_or_digits_has_an_empty_key():
    assert name_key(" -- !? ") == ""
