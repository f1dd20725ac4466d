"""Word counts that mean something for Chinese: a 322-character Chinese text is not
"4 words" (it has four spaces); each Chinese or Japanese character counts, as word
processors count 字数."""

from __future__ import annotations

import pytest

from desktop_llm.core.tasks.service import count_cjk, count_words

ZH = (
    "西湖镇靠打鱼为生。镇上四十条渔船除星期天外每天天亮前出海，上午九点前渔获就在码头卖完。"
    "三月，河上的新桥通车了。去城里的车程从一小时缩短到二十分钟。"
)


def test_chinese_counts_characters_not_spaces() -> None:
    han = sum(1 for ch in ZH if "\u4e00" <= ch <= "\u9fff")
    assert count_words(ZH) == han == count_cjk(ZH)
    spaced = "这是 一篇 有 空格 的 文章"  # spaces do not make fewer words
    assert count_words(spaced) == 10


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("the quick brown fox", 4),
        ("Hello世界", 3),
        ("一篇 322 字的文章，不是“4 个词”。", 12),
        ("日本語のテキスト", 8),
        ("한국어 문장 입니다", 3),  # Korean: words between spaces
        ("", 0),
        ("，。！？", 0),  # punctuation alone is no word
    ],
)
def test_mixed_text(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 64])
def test_slices_do_not_change_the_count(size: int) -> None:
    text = ("lighthouse keeper " * 7) + ZH + " mixed中文text end"
    assert count_words(text, slice_chars=size) == count_words(text)
