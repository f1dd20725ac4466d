from __future__ import annotations

import itertools
import random

import pytest

from desktop_llm.core.tasks.text_split import (
    Chunk,
    Paragraph,
    hard_split,
    join_paragraphs,
    pack_segments,
    split_paragraphs,
    split_sentences,
)

# --- paragraphs ---------------------------------------------------------------------------

LAYOUTS = [
    "One.\n\nTwo.\n\n\nThree.",
    "Windows line one.\r\n\r\nWindows line two.\r\n",
    "Shopping:\n- milk\n- eggs\n  - brown ones\n\nDone.\n",
    "# Title\nIntro text\nthat wraps here.\n\n1. First\n2. Second\n",
    "\n\n  Indented start.\n\n   \n\nAfter a line of spaces.   \n",
    "第一段。\n第二段。\n\n　　第三段，有全角缩进。",
    "| a | b |\n| 1 | 2 |\n",
    "   ",
    "no break at all",
    "old\rmac\r\rbreaks.\r",
]


@pytest.mark.parametrize("text", LAYOUTS)
def test_paragraphs_and_separators_rebuild_the_text_exactly(text: str) -> None:
    paragraphs = split_paragraphs(text)
    assert "".join(p.text + p.separator for p in paragraphs) == text
    assert all(p.text == p.text.strip() for p in paragraphs)
    assert all(p.separator.strip() == "" for p in paragraphs)


def test_translating_each_paragraph_keeps_the_layout() -> None:
    text = "Hello there.\r\n\r\nSecond one:\r\n- item one\r\n- item two\r\n\r\n\r\nBye."
    paragraphs = split_paragraphs(text)
    assert [p.text for p in paragraphs] == [
        "Hello there.",
        "Second one:",
        "- item one",
        "- item two",
        "Bye.",
    ]
    translated = [p.text.upper() for p in paragraphs]
    rebuilt = join_paragraphs(translated, [p.separator for p in paragraphs])
    assert rebuilt == text.upper()


def test_blank_lines_list_items_and_headings_break_but_wrapped_prose_does_not() -> None:
    text = "# Notes\nThis line wraps\nonto the next one.\n* point\n  continued\n* other\n\nEnd"
    assert split_paragraphs(text) == [
        Paragraph("# Notes", "\n"),
        Paragraph("This line wraps\nonto the next one.", "\n"),
        Paragraph("* point\n  continued", "\n"),
        Paragraph("* other", "\n\n"),
        Paragraph("End", ""),
    ]


def test_chinese_lines_ending_a_sentence_are_paragraphs() -> None:
    text = "第一段。\n第二段！\n　　第三段"
    assert [p.text for p in split_paragraphs(text)] == ["第一段。", "第二段！", "第三段"]
    assert split_paragraphs(text)[1].separator == "\n　　"


def test_leading_and_trailing_whitespace_are_kept_as_blank_paragraph_and_separator() -> None:
    paragraphs = split_paragraphs("\n\n  Body text.\n")
    assert paragraphs == [Paragraph("", "\n\n  "), Paragraph("Body text.", "\n")]
    assert paragraphs[0].is_blank
    assert not paragraphs[1].is_blank
    assert split_paragraphs("") == []
    assert split_paragraphs(" \n ") == [Paragraph("", " \n ")]


def test_join_paragraphs_refuses_mismatched_lists() -> None:
    with pytest.raises(ValueError, match="2 paragraphs but 1 separators"):
        join_paragraphs(["a", "b"], ["\n"])


# --- sentences ----------------------------------------------------------------------------

SENTENCES = [
    (
        "Hello world. This is a test! Is it? Yes.",
        ["Hello world. ", "This is a test! ", "Is it? ", "Yes."],
    ),
    (
        "Dr. Smith met Mr. Jones in the U.S. last year. They talked.",
        ["Dr. Smith met Mr. Jones in the U.S. last year. ", "They talked."],
    ),
    (
        "Use tools, e.g. a hammer, i.e. something heavy. Pi is 3.14 today. Next.",
        ["Use tools, e.g. a hammer, i.e. something heavy. ", "Pi is 3.14 today. ", "Next."],
    ),
    (
        'He said "Stop." Then he left. (It was late.) She stayed.',
        ['He said "Stop." ', "Then he left. ", "(It was late.) ", "She stayed."],
    ),
    (
        "I was thinking... maybe not. I waited… and waited. The end…  Really.",
        ["I was thinking... maybe not. ", "I waited… and waited. ", "The end…  ", "Really."],
    ),
    (
        "Wait!?\nNew line starts here.\n\nAnd here.",
        ["Wait!?\n", "New line starts here.\n\n", "And here."],
    ),
    (
        "See the file config.yaml or www.example.com. Version 2.0.1 works.",
        ["See the file config.yaml or www.example.com. ", "Version 2.0.1 works."],
    ),
    (
        "今天天气很好。我们去公园吧！你呢？「好的。」他说……算了；走吧",
        ["今天天气很好。", "我们去公园吧！", "你呢？", "「好的。」", "他说……", "算了；", "走吧"],
    ),
    ("太好了!我们走吧?好。", ["太好了!", "我们走吧?", "好。"]),
    ("東京に行きました。とても楽しかった！", ["東京に行きました。", "とても楽しかった！"]),
    ("価格は３．５万円です。安い。", ["価格は３．５万円です。", "安い。"]),
    ("هل أنت بخير؟ نعم، أنا بخير. شكرا لك.", ["هل أنت بخير؟ ", "نعم، أنا بخير. ", "شكرا لك."]),
    ("یہ ایک جملہ ہے۔ یہ دوسرا ہے۔", ["یہ ایک جملہ ہے۔ ", "یہ دوسرا ہے۔"]),
    ("यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है। ", "यह दूसरा है।"]),
    ("Привет. Как дела? Хорошо.", ["Привет. ", "Как дела? ", "Хорошо."]),
    ("오늘은 날씨가 좋다. 내일은 비가 온다.", ["오늘은 날씨가 좋다. ", "내일은 비가 온다."]),
    ("1. Buy milk and bread. Then go home.", ["1. Buy milk and bread. ", "Then go home."]),
    ("  leading space. Trailing space.  ", ["  leading space. ", "Trailing space.  "]),
    ("No terminator at all", ["No terminator at all"]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
    assert "".join(split_sentences(text)) == text


def test_no_sentences_in_empty_text() -> None:
    assert split_sentences("") == []


def test_sentences_never_lose_a_character_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "ab .!?…。！？؟।\"'”」）)\n\r\t 3.Dr.U.S.e.g.中文字"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(60)))
        sentences = split_sentences(text)
        assert "".join(sentences) == text
        assert all(sentences)


# --- chunks -------------------------------------------------------------------------------


def test_segments_are_packed_greedily_within_the_budget() -> None:
    segments = ["a ", "b ", "c ", "d ", "e"]
    chunks = pack_segments(segments, [4, 3, 3, 5, 1], budget=10)
    assert chunks == [
        Chunk("a b c ", 0, 2, 10),
        Chunk("d e", 3, 4, 6),
    ]


def test_a_segment_over_the_budget_stands_alone_and_is_flagged() -> None:
    chunks = pack_segments(["short ", "huge ", "tail"], [2, 50, 3], budget=10)
    assert chunks == [
        Chunk("short ", 0, 0, 2),
        Chunk("huge ", 1, 1, 50, oversize=True),
        Chunk("tail", 2, 2, 3),
    ]


def test_overlap_carries_the_previous_chunks_last_segments() -> None:
    segments = [f"s{i} " for i in range(6)]
    chunks = pack_segments(segments, [3] * 6, budget=9, overlap=3)
    assert [(c.first, c.last) for c in chunks] == [(0, 2), (2, 4), (4, 5)]
    assert chunks[1].text == "s2 s3 s4 "
    assert all(c.tokens <= 9 for c in chunks)


def test_overlap_gives_way_when_the_next_segment_needs_the_room() -> None:
    chunks = pack_segments(["a", "b", "c"], [2, 2, 7], budget=8, overlap=4)
    # Even carrying only 'b' (2) would leave no room for 'c' (7): nothing is carried.
    assert [(c.first, c.last, c.tokens) for c in chunks] == [(0, 1, 4), (2, 2, 7)]


def test_no_chunk_is_made_only_of_repeated_segments() -> None:
    chunks = pack_segments(["a", "b", "c"], [4, 4, 4], budget=8, overlap=4)
    assert [(c.first, c.last) for c in chunks] == [(0, 1), (1, 2)]
    assert pack_segments([], [], budget=5) == []


@pytest.mark.parametrize("overlap", [0, 5, 20])
def test_random_packings_cover_every_segment_in_order(overlap: int) -> None:
    rng = random.Random(overlap)
    counts = [rng.choice([0, 1, 3, 8, 15, 40, 80]) for _ in range(300)]
    segments = [f"<{i}>" for i in range(len(counts))]
    chunks = pack_segments(segments, counts, budget=50, overlap=overlap)
    expected_next = 0
    for chunk in chunks:
        assert chunk.text == "".join(segments[chunk.first : chunk.last + 1])
        assert chunk.tokens == sum(counts[chunk.first : chunk.last + 1])
        assert chunk.oversize == (chunk.tokens > 50)
        if chunk.oversize:
            assert chunk.first == chunk.last
        # New material starts exactly where the previous chunk stopped.
        assert chunk.first <= expected_next <= chunk.last
        carried = sum(counts[chunk.first : expected_next])
        assert carried <= overlap
        expected_next = chunk.last + 1
    assert expected_next == len(segments)
    if overlap == 0:
        assert "".join(c.text for c in chunks) == "".join(segments)


@pytest.mark.parametrize(
    ("segments", "counts", "budget", "overlap", "words"),
    [
        (["a"], [1, 2], 5, 0, "1 segments but 2 token counts"),
        (["a"], [1], 0, 0, "budget must be at least 1"),
        (["a"], [1], 5, 5, "overlap must be from 0"),
        (["a"], [1], 5, -1, "overlap must be from 0"),
        (["a"], [-1], 5, 0, "cannot be negative"),
    ],
)
def test_bad_packing_arguments_are_refused(
    segments: list[str], counts: list[int], budget: int, overlap: int, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        pack_segments(segments, counts, budget, overlap)


# --- hard cuts ----------------------------------------------------------------------------


def test_a_long_run_of_letters_is_cut_into_pieces_of_the_limit() -> None:
    text = "x" * 20_000
    pieces = hard_split(text, 1000)
    assert len(pieces) == 20
    assert all(len(p) == 1000 for p in pieces)
    assert "".join(pieces) == text


def test_cuts_fall_after_whitespace_when_there_is_some() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta"
    pieces = hard_split(text, 12)
    assert "".join(pieces) == text
    assert all(len(p) <= 12 for p in pieces)
    assert all(p.endswith(" ") for p in pieces[:-1])
    assert pieces[0] == "alpha beta "


def test_cjk_without_punctuation_is_cut_by_length() -> None:
    text = "中文没有标点的长句子" * 100
    pieces = hard_split(text, 64)
    assert "".join(pieces) == text
    assert all(len(p) <= 64 for p in pieces)


def test_combining_marks_stay_with_their_base_letter() -> None:
    text = "e\u0301" * 50  # é as e + combining acute
    pieces = hard_split(text, 7)
    assert "".join(pieces) == text
    assert all(not p.startswith("\u0301") for p in pieces)
    assert all(len(p) <= 7 for p in pieces)


def test_emoji_sequences_flags_and_crlf_are_not_broken() -> None:
    family = "👨\u200d👩\u200d👧"
    flags = "🇫🇷🇩🇪🇯🇵"
    for text, limit in [(family * 10, 4), (flags * 10, 3), ("ab\r\n" * 20, 3), ("👍🏽" * 9, 3)]:
        pieces = hard_split(text, limit)
        assert "".join(pieces) == text
        for left, right in itertools.pairwise(pieces):
            assert not left.endswith("\u200d") and not right.startswith("\u200d")
            assert not (left.endswith("\r") and right.startswith("\n"))
            assert not right.startswith("🏽")
        if text.startswith("🇫"):
            assert all(len(p) % 2 == 0 for p in pieces)


def test_a_cluster_longer_than_the_limit_runs_past_it_rather_than_break() -> None:
    text = "a" + "\u0301" * 10 + "b"
    assert hard_split(text, 4) == ["a" + "\u0301" * 10, "b"]


def test_surrogate_pairs_from_lenient_decoding_are_not_split() -> None:
    text = "ab\ud83d\ude00cd"
    for limit in (1, 2, 3, 4):
        pieces = hard_split(text, limit)
        assert "".join(pieces) == text
        assert not any(p.endswith("\ud83d") or p.startswith("\ude00") for p in pieces)


def test_short_text_and_bad_limit() -> None:
    assert hard_split("short", 10) == ["short"]
    assert hard_split("", 10) == []
    with pytest.raises(ValueError, match="at least 1"):
        hard_split("x", 0)
