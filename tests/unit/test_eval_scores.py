"""Scores of the built-in evaluations on hand-made outputs: perfect, wrong and partial, in
English and Chinese, checked against hand computations."""

from __future__ import annotations

import pytest

from desktop_llm.core.evaluation.datasets import (
    KeyFact,
    SentimentItem,
    TranslationItem,
    load_sentiment,
    load_summarize,
    load_translate,
)
from desktop_llm.core.evaluation.scores import (
    accepted_forms,
    chrf,
    kept_form,
    label_scores,
    normalize,
    sentiment_label,
    sentiment_scores,
    summary_scores,
    translation_scores,
)

# --- sentiment ------------------------------------------------------------------------------


def _items(labels: list[str]) -> list[SentimentItem]:
    return [SentimentItem(f"s{i}", "en", "text", label, "test") for i, label in enumerate(labels)]


def test_perfect_answers_score_one() -> None:
    items = load_sentiment().items
    result = sentiment_scores(items, [item.label for item in items])
    assert result.accuracy == result.macro_f1 == result.score == 1.0
    assert result.unanswered == 0 and all(r.correct for r in result.items)


def test_macro_f1_against_a_hand_computation() -> None:
    golds = ["positive", "positive", "positive", "negative", "negative"]
    golds += ["neutral", "neutral", "neutral"]
    answers = ["positive", "negative", "positive", "negative", "neutral", "neutral", None]
    answers += ["positive"]
    result = sentiment_scores(_items(golds), answers)
    # positive: 3 answered, 2 right, 3 true -> P 2/3, R 2/3, F1 2/3
    # negative: 2 answered, 1 right, 2 true -> P 1/2, R 1/2, F1 1/2
    # neutral:  2 answered, 1 right, 3 true -> P 1/2, R 1/3, F1 2*(1/6)/(5/6) = 2/5
    f1 = {s.label: s.f1 for s in result.labels}
    assert f1 == pytest.approx({"positive": 2 / 3, "negative": 1 / 2, "neutral": 2 / 5})
    assert result.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 2 / 5) / 3)  # 47/90
    assert result.macro_f1 == pytest.approx(47 / 90)
    assert result.accuracy == 4 / 8
    assert result.unanswered == 1


def test_one_label_for_everything_is_penalised_by_macro_f1() -> None:
    golds = ["positive", "negative", "neutral"] * 4
    result = sentiment_scores(_items(golds), ["neutral"] * 12)
    assert result.accuracy == pytest.approx(1 / 3)
    # neutral: P 4/12, R 1 -> F1 1/2; positive and negative: nothing right -> 0.
    assert result.macro_f1 == pytest.approx(1 / 6)
    assert {s.label: s.predicted for s in result.labels} == {
        "positive": 0,
        "negative": 0,
        "neutral": 12,
    }


def test_all_wrong_and_unanswered_score_zero() -> None:
    golds = ["positive", "negative", "neutral"]
    wrong = sentiment_scores(_items(golds), ["negative", "neutral", "positive"])
    assert wrong.accuracy == wrong.macro_f1 == 0.0
    silent = sentiment_scores(_items(golds), [None, "", "I cannot tell"])
    assert silent.accuracy == silent.macro_f1 == 0.0 and silent.unanswered == 3


def test_answers_are_read_as_labels_only_when_they_are_one() -> None:
    assert sentiment_label(" Positive.\n") == "positive"
    assert sentiment_label("NEUTRAL") == "neutral"
    assert sentiment_label("negative!") == "negative"
    assert sentiment_label("positive, mostly") is None
    assert sentiment_label("积极") is None
    assert sentiment_label(None) is None


def test_labels_never_true_nor_answered_are_left_out_of_the_mean() -> None:
    scores = label_scores(["positive", "positive"], ["positive", None])
    assert [s.label for s in scores] == ["positive"]
    assert scores[0].precision == 1.0 and scores[0].recall == 0.5
    with pytest.raises(ValueError):
        label_scores(["positive"], [])


# --- translation ----------------------------------------------------------------------------


def test_chinese_chrf_against_a_hand_computation() -> None:
    # 今天天气不错。 against 今天天气很好。 (7 characters each): matching character n-grams
    # 5/7, 3/6, 2/5, 1/4, 0/3, 0/2 for n = 1..6; precision = recall, so chrF is their mean.
    expected = 100 * (5 / 7 + 3 / 6 + 2 / 5 + 1 / 4 + 0 + 0) / 6
    assert chrf("今天天气不错。", ["今天天气很好。"]) == pytest.approx(expected)
    assert round(expected, 2) == 31.07


def test_english_chrf_against_a_hand_computation() -> None:
    # Whitespace is dropped: "thecat" against "thecatsat". Every n-gram of the output is in
    # the reference (precision 1); recall is 6/9, 5/8, 4/7, 3/6, 2/5, 1/4; beta 2.
    recall = (6 / 9 + 5 / 8 + 4 / 7 + 3 / 6 + 2 / 5 + 1 / 4) / 6
    expected = 100 * 5 * recall / (4 + recall)
    assert chrf("the cat", ["the cat sat"]) == pytest.approx(expected)


def test_full_width_forms_score_as_their_ascii_forms() -> None:
    reference = "公司营收比去年增长了12%。"
    assert chrf("公司营收比去年增长了１２％。", [reference]) == 100.0
    assert chrf("Hello, world", ["Hello，world"]) == 100.0


def test_perfect_wrong_and_partial_translations() -> None:
    items = load_translate().items
    perfect = translation_scores(items, [item.references[0] for item in items])
    assert perfect.chrf == pytest.approx(100.0) and perfect.score == pytest.approx(1.0)
    assert set(perfect.by_direction) == {"en->zh-Hans", "zh-Hans->en"}
    assert all(r.chrf == pytest.approx(100.0) for r in perfect.items)
    assert "nc:6|nw:0" in perfect.signature

    nothing = translation_scores(items, [None] * len(items))
    assert nothing.chrf == 0.0 and all(r.chrf == 0.0 for r in nothing.items)

    # The source copied instead of translated: next to nothing in either direction.
    copied = translation_scores(items, [item.source for item in items])
    assert copied.chrf < 10

    # Right into Chinese, nothing into English: the directions weigh the same.
    half = translation_scores(
        items, [item.references[0] if item.target_lang == "zh-Hans" else "" for item in items]
    )
    assert half.by_direction == pytest.approx({"en->zh-Hans": 100.0, "zh-Hans->en": 0.0})
    assert half.chrf == pytest.approx(50.0)


def test_a_closer_translation_scores_higher_and_any_reference_counts() -> None:
    item = TranslationItem(
        "t1", "en", "zh-Hans", "The match was postponed because of heavy rain.",
        ("比赛因大雨推迟了。", "由于下大雨，比赛延期了。"), "sports",
    )  # fmt: skip
    close = translation_scores([item], ["比赛因为大雨推迟了。"]).items[0].chrf
    far = translation_scores([item], ["比赛取消了。"]).items[0].chrf
    assert 0 < far < close < 100
    second = translation_scores([item], ["由于下大雨，比赛延期了。"])
    assert second.items[0].chrf == pytest.approx(100.0)
    assert second.chrf == pytest.approx(100.0)  # the corpus score takes the best too


# --- summaries ------------------------------------------------------------------------------


def _article(item_id: str):
    return next(item for item in load_summarize().items if item.id == item_id)


def test_normalisation() -> None:
    assert normalize("  Ｌｅｅｄｓ  ４０,０００ ten-minute ", "en") == "leeds 40000 ten minute"
    assert normalize("全长 ２４ 公里，１,２００ 人", "zh-Hans") == "全长24公里,1200人"
    assert normalize("It’s", "en") == "it's"


def test_accepted_forms_spell_small_numbers_the_other_way() -> None:
    assert accepted_forms(KeyFact("", ("12月28日",)), "zh-Hans") == (
        "12月28日",
        "十二月二十八日",
    )
    assert set(accepted_forms(KeyFact("", ("2年",)), "zh-Hans")) == {"2年", "二年", "两年"}
    assert accepted_forms(KeyFact("", ("三百二十万吨", "十五万")), "zh-Hans") == (
        "三百二十万吨",
        "十五万",
        "15万",
    )
    assert accepted_forms(KeyFact("", ("10-minute", "two years")), "en") == (
        "10 minute",
        "ten minute",
        "two years",
        "2 years",
    )
    # Larger numbers, decimals and numbers glued to letters are left as written.
    assert accepted_forms(KeyFact("", ("2.4m", "120", "5G")), "en") == ("2.4m", "120", "5g")


@pytest.mark.parametrize(
    ("forms", "summary", "kept"),
    [
        (("120",), "A study of 120 adults.", "120"),
        (("120",), "A study of 1200 adults.", None),
        (("120",), "A study of 1,200 adults.", None),
        (("12",), "It rose 12.5 percent.", None),
        (("5",), "It rose 1.5 percent.", None),
        (("heatwave",), "Two summers of heatwaves.", "heatwave"),
        (("art",), "They start in May.", None),
        (("Leeds",), "researchers at LEEDS", "leeds"),
        (("40,000",), "about 40000 heaters", "40000"),
        (("10 minutes",), "a walk of ten minutes", "ten minutes"),
        (("10-minute",), "a ten minute walk", "ten minute"),
        (("zero-waste",), "a zero waste zone", "zero waste"),
    ],
)
def test_english_fact_matching(forms: tuple[str, ...], summary: str, kept: str | None) -> None:
    assert kept_form(KeyFact("fact", forms), summary, "en") == kept


@pytest.mark.parametrize(
    ("forms", "summary", "kept"),
    [
        (("12月28日",), "六号线将于十二月二十八日开通。", "十二月二十八日"),
        (("十二月二十八日",), "六号线将于 12 月 28 日开通。", "12月28日"),
        (("12月28日",), "六号线将于１２月２８日开通。", "12月28日"),
        (("百分之六",), "产量增加了百分之六十。", None),
        (("百分之六", "6%"), "产量增加了6%。", "6%"),
        (("三年",), "修缮了十三年。", None),
        (("三年",), "修缮了3年。", "3年"),
        (("2年",), "修缮了两年。", "两年"),
        (("2年",), "修缮了十二年。", None),
        (("十五万",), "总量控制在15万辆以内。", "15万"),
        (("十五万",), "总量控制在二十五万辆以内。", None),
        (("电子围栏", "围栏"), "车要停进围栏里。", "围栏"),
    ],
)
def test_chinese_fact_matching(forms: tuple[str, ...], summary: str, kept: str | None) -> None:
    assert kept_form(KeyFact("fact", forms), summary, "zh-Hans") == kept


def test_the_article_itself_keeps_every_fact_and_nothing_keeps_none() -> None:
    items = load_summarize().items
    itself = summary_scores(items, [item.text for item in items])
    assert itself.recall == itself.score == 1.0
    assert itself.facts_kept == itself.facts_total == sum(len(i.facts) for i in items)
    assert itself.length_ratio == pytest.approx(1.0)  # and the length says it is no summary
    empty = summary_scores(items, [None] * len(items))
    assert empty.recall == 0.0 and empty.facts_kept == 0 and empty.length_ratio == 0.0


def test_a_partial_english_summary() -> None:
    item = _article("en-03")
    summary = "A ten-minute walk after meals cut blood sugar peaks by 17% in a study of 120 adults."
    [result] = summary_scores([item], [summary]).items
    assert [f.matched for f in result.facts] == ["ten minute", "17%", "120", None, None]
    assert result.kept == 3 and result.recall == pytest.approx(3 / 5)
    assert result.words == 17 and result.characters == len(summary.replace(" ", ""))
    assert result.length_ratio == pytest.approx(17 / result.article_words)
    assert result.article_words == 149


def test_a_partial_chinese_summary() -> None:
    item = _article("zh-01")
    summary = "地铁六号线一期12月28日开通，全长 24 公里，采用无人驾驶技术。"
    [result] = summary_scores([item], [summary]).items
    assert [f.kept for f in result.facts] == [True, True, False, True]
    assert result.recall == pytest.approx(3 / 4)
    # Words as the task pages count them: each Chinese character, and 12, 28 and 24; not
    # the punctuation. Characters: all but the spaces.
    assert result.words == 7 + 1 + 1 + 1 + 1 + 2 + 2 + 1 + 2 + 8 == 26
    assert result.characters == len(summary) - 2 == 32


def test_the_aggregate_weighs_each_article_the_same() -> None:
    items = [_article("en-01"), _article("zh-05")]  # 4 and 5 facts
    result = summary_scores(items, ["It reopens on June 14.", "总量控制在十五万辆以内。"])
    assert [r.kept for r in result.items] == [1, 1]
    assert result.recall == pytest.approx((1 / 4 + 1 / 5) / 2)
    assert (result.facts_kept, result.facts_total) == (2, 9)
    with pytest.raises(ValueError):
        summary_scores(items, ["one"])
