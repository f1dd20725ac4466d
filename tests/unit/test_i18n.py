"""core/i18n.py: the one translate(), without Qt (the CLI and the core's tests)."""

from __future__ import annotations

import pytest

from desktop_llm.core import i18n


def test_untranslated_text_fills_plurals_and_arguments() -> None:
    assert i18n.translate("Ctx", "%n file(s)", None, i18n.PLURAL, 1) == "1 file"
    assert i18n.translate("Ctx", "%n file(s)", None, i18n.PLURAL, 3) == "3 files"
    assert i18n.arg("%1 of %2", 3, 10) == "3 of 10"
    # A translation may put the arguments in another order.
    assert i18n.arg("共 %2 个，第 %1 个", 3, 10) == "共 10 个，第 3 个"
    assert i18n.arg("100%1", "%") == "100%"


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_TW", "en"),
        ("zh_Hant_HK", "en"),
        ("en_US", "en"),
        ("fr_FR", "en"),
        ("C", "en"),
    ],
)
def test_the_system_language_follows_the_locale(locale: str, language: str) -> None:
    assert i18n.resolve_language("system", locale) == language
    assert i18n.resolve_language("en", "zh_CN") == "en"
    assert i18n.resolve_language("zh_CN", "en_US") == "zh_CN"


def test_an_installed_translator_answers() -> None:
    try:
        i18n.install(lambda ctx, text, dis, n: f"[{ctx}] {text}", "zh_CN")
        assert i18n.translate("Ctx", "Send") == "[Ctx] Send"
        assert i18n.current_language() == "zh_CN"
    finally:
        i18n.uninstall()
    assert i18n.translate("Ctx", "Send") == "Send" and i18n.current_language() == "en"


@pytest.mark.parametrize(
    ("setting", "language", "encoding"),
    [
        ("auto", "zh_CN", "utf-8-sig"),
        ("auto", "en", "utf-8"),
        ("on", "en", "utf-8-sig"),
        ("off", "zh_CN", "utf-8"),
    ],
)
def test_csv_files_carry_a_bom_for_chinese_spreadsheets(
    setting: str, language: str, encoding: str
) -> None:
    assert i18n.csv_encoding(setting, language) == encoding


def test_country_names_follow_the_window_language() -> None:
    from desktop_llm.core.energy import load_intensities
    from desktop_llm.core.energy.wording import source_words

    table = load_intensities()
    assert all(c.name_in("zh_CN") != c.name for c in table.countries.values())
    assert table.countries["CN"].name_in("zh_CN") == "中国"
    assert table.countries["CN"].name_in("fr") == "China"
    try:
        i18n.install(lambda ctx, text, dis, n: "：" if text == ": " else text, "zh_CN")
        assert source_words("China: Ember via Our World in Data, 2023") == (
            "中国：Ember via Our World in Data, 2023"
        )
    finally:
        i18n.uninstall()
    assert source_words("China: Ember, 2023") == "China: Ember, 2023"
