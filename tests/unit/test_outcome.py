"""Judging a finished task result: real text in English and Chinese, each verdict, the words."""

from __future__ import annotations

import pytest

from desktop_llm.core.models import load_catalog
from desktop_llm.core.tasks import outcome as oc
from desktop_llm.core.tasks.languages import detect_language
from desktop_llm.core.tasks.outcome import (
    Outcome,
    advice,
    describe,
    is_unsure,
    judge_sentiment,
    judge_summary,
    judge_translation,
    suggest_model,
    units,
    warning,
)

ZH = "今天天气很好，我们去公园散步吧。公园里的花都开了，很多人在湖边拍照。"
EN = "The weather is nice today, so let's take a walk in the park. The flowers are in bloom."
ARTICLE = (
    "The city council met on Tuesday to discuss the new bus routes. Residents of the northern "
    "districts had complained for months that the buses were late and crowded. The council "
    "agreed to add two new lines and to run the existing ones every ten minutes during the "
    "morning rush. The changes will cost about two million euros a year and start in March. "
    "Some members asked whether the money would be better spent on cycle paths, but the "
    "proposal passed with a large majority."
)
ARTICLE_ZH = (
    "市议会周二开会讨论新的公交线路。北部城区的居民几个月来一直抱怨公交车晚点而且拥挤。"
    "议会同意增加两条新线路，并在早高峰期间每十分钟发一班车。这些变化每年将花费约两百万欧元，"
    "从三月开始实施。一些议员问这笔钱是否更应该用于自行车道，但提案以多数票通过。"
)


def test_units_are_words_and_cjk_characters() -> None:
    assert units("Hello, World! It's 2024.") == ["hello", "world", "it", "s", "2024"]
    assert units("今天天气很好。") == ["今", "天", "天", "气", "很", "好"]
    assert units("  ，。!  ") == []


# --- translations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_text", "output", "target", "source"),
    [
        (ZH, "The weather is nice today. Let's go for a walk in the park.", "en", "zh-Hans"),
        (EN, "今天天气很好，我们去公园散步吧。花都开了。", "zh-Hans", "en"),
        (EN, "今天天氣很好，我們去公園散步吧。花都開了。", "zh-Hant", "en"),
        # Chinese with no character that tells the two forms apart is fine for either.
        ("I love you very much, my friend.", "我爱你，朋友。", "zh-Hans", None),
        ("Good morning, my dear friends.", "早安，我的朋友。", "zh-Hant", "en"),
        (EN, "Il fait beau aujourd'hui, allons nous promener dans le parc.", "fr", None),
    ],
)
def test_a_real_translation_is_ok(
    source_text: str, output: str, target: str, source: str | None
) -> None:
    judged = judge_translation(source_text, output, target, source)
    assert judged.ok, judged
    assert warning(judged) == ""


def test_the_input_given_back_is_unchanged() -> None:
    assert judge_translation(ZH, ZH, "en", "zh-Hans").verdict == oc.UNCHANGED
    # Spacing, case and punctuation do not make it a translation.
    assert judge_translation(EN, EN.upper() + "!!", "fr", "en").verdict == oc.UNCHANGED
    # A word changed here and there: not the same, but still not translated.
    echoed = EN.replace("nice", "fine")
    assert judge_translation(EN, echoed, "de", "en").verdict == oc.NOT_TRANSLATED


def test_a_result_still_in_the_source_language_is_not_translated() -> None:
    # The starter model asked for English sometimes rewrites the Chinese instead.
    judged = judge_translation(ZH, "今天的天气非常好，我们一起去公园里走一走吧。", "en", "zh-Hans")
    assert judged.verdict == oc.NOT_TRANSLATED
    assert judged.facts["detected"] == "zh-Hans"
    assert describe(judged) == (
        "Not translated: the result is still in Simplified Chinese, not in English."
    )


def test_a_result_in_a_third_language_is_the_wrong_language() -> None:
    judged = judge_translation(EN, "Il fait beau aujourd'hui, allons dans le parc.", "de", "en")
    assert judged.verdict == oc.WRONG_LANGUAGE
    assert describe(judged) == "The result is in French, not in German."


def test_simplified_for_traditional_is_the_wrong_form_of_chinese() -> None:
    judged = judge_translation(EN, "今天天气很好，我们去公园散步吧。", "zh-Hant", "en")
    assert judged.verdict == oc.WRONG_LANGUAGE
    assert judged.facts["detected"] == "zh-Hans"


def test_a_result_mostly_in_another_script_is_not_in_the_target() -> None:
    # Too mixed for the detector to name a language, but mostly Chinese characters.
    output = "The 天气 今天很好，我们去公园散步吧，花都开了"
    detected = detect_language(output)
    assert detected is None or detected.code != "en"
    judged = judge_translation(ZH, output, "en", None)
    assert judged.verdict in (oc.NOT_IN_TARGET, oc.WRONG_LANGUAGE)
    mixed = "Weather 天气 today 今天 good 很好 park 公园"
    judged = judge_translation(ZH, mixed, "ko", None)
    assert judged.verdict in (oc.NOT_IN_TARGET, oc.WRONG_LANGUAGE)
    assert "Korean" in describe(judged)


def test_nothing_back_is_empty() -> None:
    assert judge_translation(EN, "  \n。", "zh-Hans", "en").verdict == oc.EMPTY
    assert describe(judge_translation(EN, "", "fr")) == "The model returned no translation."


# --- summaries ---------------------------------------------------------------------------------


def test_a_real_summary_is_ok() -> None:
    summary = "The council approved two new bus lines and more frequent buses from March."
    assert judge_summary(ARTICLE, summary).ok
    assert judge_summary(ARTICLE_ZH, "议会通过了增加两条公交线路和提高班次的提案。").ok
    # Quoting one sentence of a long text is extractive, not a copy.
    assert judge_summary(ARTICLE, "The council agreed to add two new lines.").ok


def test_a_summary_that_copies_the_text_is_copied() -> None:
    assert judge_summary(ARTICLE, ARTICLE).verdict == oc.COPIED
    # The first two thirds of the text, word for word: still a copy.
    assert judge_summary(ARTICLE, ARTICLE[: len(ARTICLE) * 2 // 3]).verdict == oc.COPIED
    assert judge_summary(ARTICLE_ZH, ARTICLE_ZH[:90]).verdict == oc.COPIED
    judged = judge_summary(ARTICLE_ZH, ARTICLE_ZH)
    assert describe(judged) == (
        "Not a summary: the model copied the text instead of summarizing it."
    )


def test_a_summary_longer_than_the_text_is_not_shorter() -> None:
    text = "Buses will run more often from March."
    longer = (
        "Starting in March, the city's public transport authority will increase how often "
        "its buses run on every line, according to the announcement."
    )
    judged = judge_summary(text, longer)
    assert judged.verdict == oc.NOT_SHORTER
    assert (judged.facts["words"], judged.facts["summary_words"]) == (7, 23)
    assert describe(judged) == "Not a summary: it has 23 words, the text 7."
    assert judge_summary("短文。", "这是一段比原文长得多的所谓摘要。").verdict == oc.NOT_SHORTER


def test_an_empty_summary_is_empty() -> None:
    judged = judge_summary(ARTICLE, "")
    assert judged.verdict == oc.EMPTY
    assert describe(judged) == "The model returned no summary."


# --- sentiment ---------------------------------------------------------------------------------


def test_unsure_means_no_clear_lead() -> None:
    assert is_unsure({"positive": 0.34, "negative": 0.33, "neutral": 0.33})  # uniform
    assert is_unsure({"positive": 0.45, "negative": 0.30, "neutral": 0.25})  # near-uniform
    assert is_unsure({"positive": 0.45, "negative": 0.52, "neutral": 0.03})  # a coin toss
    assert not is_unsure({"positive": 0.85, "negative": 0.14, "neutral": 0.01})
    assert not is_unsure({"positive": 0.29, "negative": 0.69, "neutral": 0.02})


def test_a_single_unsure_text_says_its_probabilities() -> None:
    judged = judge_sentiment([{"positive": 0.36, "negative": 0.33, "neutral": 0.31}], single=True)
    assert judged.verdict == oc.UNSURE
    assert describe(judged) == (
        "Unsure: the model gave no label a clear lead (positive 36%, negative 33%, neutral 31%)."
    )
    sure = judge_sentiment([{"positive": 0.85, "negative": 0.14, "neutral": 0.01}], single=True)
    assert sure.ok


def test_a_batch_counts_its_unsure_items() -> None:
    results = [
        {"positive": 0.85, "negative": 0.14, "neutral": 0.01},
        {"positive": 0.45, "negative": 0.52, "neutral": 0.03},
        {"positive": 0.34, "negative": 0.33, "neutral": 0.33},
        {"positive": 0.1, "negative": 0.8, "neutral": 0.1},
    ]
    judged = judge_sentiment(results)
    assert (judged.verdict, judged.facts["unsure"], judged.facts["items"]) == (oc.UNSURE, 2, 4)
    assert describe(judged) == ("Unsure about 2 texts of 4: the model gave no label a clear lead.")
    assert describe(judge_sentiment(results[:2])) == (
        "Unsure about 1 text of 2: the model gave no label a clear lead."
    )
    assert judge_sentiment([results[0], results[3]]).ok


# --- what to try instead -----------------------------------------------------------------------


STARTER_SIZE = 100_000_000  # about the bundled SmolLM2 135M


def test_the_smallest_larger_catalog_model_for_the_task_and_languages() -> None:
    catalog = load_catalog()
    by_size = sorted(catalog, key=lambda m: m.recommended_file.size_bytes)

    def expected(task: str, languages: set[str], size: int | None) -> str:
        return next(
            m.id
            for m in by_size
            if task in m.tasks
            and languages <= set(m.languages)
            and (size is None or m.recommended_file.size_bytes > 1.2 * size)
        )

    chinese = suggest_model(catalog, "translate", ["zh-Hans", "en"], STARTER_SIZE)
    assert chinese is not None and chinese.id == expected("translate", {"zh", "en"}, STARTER_SIZE)
    assert {"zh", "en"} <= set(chinese.languages) and "translate" in chinese.tasks
    english = suggest_model(catalog, "summarize", ["en"], STARTER_SIZE)
    assert english is not None and english.id == expected("summarize", {"en"}, STARTER_SIZE)
    # A model as large as the one that failed is not suggested again.
    bigger = suggest_model(
        catalog, "translate", ["zh-Hans", "en"], chinese.recommended_file.size_bytes
    )
    assert bigger is not None
    assert bigger.recommended_file.size_bytes > chinese.recommended_file.size_bytes
    # Nothing larger than the largest, and nothing for a language no model knows.
    largest = max(m.recommended_file.size_bytes for m in catalog)
    assert suggest_model(catalog, "translate", ["en"], largest) is None
    assert suggest_model(catalog, "translate", ["xx"], None) is None


def test_the_advice_names_the_model_or_where_it_is() -> None:
    catalog = load_catalog()
    model = suggest_model(catalog, "translate", ["zh-Hans", "en"], STARTER_SIZE)
    judged = judge_translation(ZH, ZH, "en", "zh-Hans")
    assert advice(judged) == "A larger model may do better."
    to_download = judged.with_suggestion(model, None)
    assert advice(to_download) == (
        f"A larger model does better: {model.name}, from the catalog "
        "(Models ▸ Find models to download)."
    )
    installed = judged.with_suggestion(model, "qwen2.5-0.5b-instruct-q4_k_m")
    assert advice(installed) == (
        "A larger model does better: choose qwen2.5-0.5b-instruct-q4_k_m in the model list."
    )
    assert warning(installed) == f"{describe(installed)} {advice(installed)}"
    # Fine results get no suggestion and no words.
    fine = judge_summary(ARTICLE, "New bus lines from March.")
    assert fine.with_suggestion(model, None).suggestion is None
    assert advice(fine) == describe(fine) == warning(fine) == ""


def test_an_outcome_survives_the_summary_dict() -> None:
    catalog = load_catalog()
    judged = judge_translation(ZH, "今天天气不错。", "en", "zh-Hans").with_suggestion(
        suggest_model(catalog, "translate", ["zh-Hans", "en"], STARTER_SIZE), None
    )
    stored = judged.to_dict()
    assert stored["verdict"] == oc.NOT_TRANSLATED and stored["detected"] == "zh-Hans"
    again = Outcome.from_dict(stored)
    assert again == judged
    assert warning(again) == warning(judged)
    assert Outcome.from_dict(None) is None
    assert Outcome.from_dict({"characters": 3}) is None


def test_without_probabilities_an_item_is_not_unsure_and_not_counted() -> None:
    from desktop_llm.core.tasks import sentiment as senti

    unknown = senti.probabilities(None)
    assert unknown == {"positive": None, "negative": None, "neutral": None}
    assert senti.probabilities([-0.1, None, -3.0]) == unknown  # one label missing: none made up
    assert not senti.has_probabilities(unknown)
    assert senti.has_probabilities(senti.probabilities([-0.1, -2.0, -3.0]))
    assert not is_unsure(unknown)
    outcome = judge_sentiment([unknown, {"positive": 0.4, "negative": 0.35, "neutral": 0.25}])
    assert outcome.facts["unsure"] == 1 and outcome.facts["items"] == 2
    single = judge_sentiment([unknown], single=True)
    assert single.ok and single.facts["probabilities"] == unknown
