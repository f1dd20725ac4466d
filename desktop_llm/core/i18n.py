"""Translatable text, without Qt: the one `translate()` the whole app calls.

The window's translations follow Qt's workflow: `pyside6-lupdate` collects every
`translate("Context", "source text")` call and `QT_TRANSLATE_NOOP("Context", "text")` mark
into resources/translations/*.ts (`make translations`), `pyside6-lrelease` compiles them,
and a QTranslator answers at run time. lupdate matches these calls by name, so the core,
which never imports Qt, calls this module's `translate`, and the window, on start, routes it
to QCoreApplication.translate (`install`). Until then (the CLI, tests of the core) the
source text is the text: English, with `%n` and `%1`.. filled in.

Contexts are fixed strings, one per screen or core module ("ChatPage", "Settings"), never
a class's name: a subclass keeps its base class's translations.

Plurals: `translate("Ctx", "%n token(s)", None, PLURAL, n)`, on one line (`# fmt: skip`
when long). That is the form lupdate's Python parser reads as a plural: it takes the fourth
argument, when a name, for Qt 4's "encoding" and the fifth for the count; with the count
fourth, with a trailing comma, or with an attribute (`self.n`) as the count, it drops the
string or misses the plural without a word (tests/unit/test_translations.py catches both).
The English wording of each plural form comes from resources/translations/desktop_llm_en.ts
(plural forms only); without Qt, "(s)" is dropped for one and kept as "s" otherwise
("y(ies)": "y" for one, "ies" otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# (context, source, disambiguation, n) -> text, the signature of QCoreApplication.translate.
Translator = Callable[[str, str, "str | None", int], str]

# The languages the window speaks, in their own names (not translated: a user looks for
# their language written in it). "system" follows the locale.
LANGUAGES: tuple[str, ...] = ("en", "zh_CN")
SOURCE_LANGUAGE = "en"


def _untranslated(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    if n >= 0:
        text = text.replace("(s)", "" if n == 1 else "s")
        text = text.replace("y(ies)", "y" if n == 1 else "ies")  # reply(ies)
        text = text.replace("%Ln", f"{n:,}").replace("%n", str(n))
    return text


# The fourth argument of a plural translate() (see above); any value would do at run time.
PLURAL = "plural"

_translator: Translator = _untranslated
_language = SOURCE_LANGUAGE


def translate(
    context: str,
    text: str,
    disambiguation: str | None = None,
    plural: str | None = None,
    n: int = -1,
) -> str:
    """`text` in the window's language (as is, until a translator is installed); for a
    plural, `plural` is PLURAL and `n` the count."""
    del plural
    return _translator(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # Qt's macro name: lupdate looks for it
    """Marks `text` for lupdate where it is defined (a table, a default); whoever shows it
    calls translate(context, text) then."""
    del context
    return text


def install(translator: Translator, language: str = SOURCE_LANGUAGE) -> None:
    """Route translate() to `translator` (the window: QCoreApplication.translate), which
    speaks `language`."""
    global _translator, _language
    _translator = translator
    _language = language


def uninstall() -> None:
    global _translator, _language
    _translator = _untranslated
    _language = SOURCE_LANGUAGE


def current_language() -> str:
    """The language translate() answers in ("en" until the window installs another)."""
    return _language


def csv_encoding(setting: str, language: str | None = None) -> str:
    """The encoding of CSV files the app writes: `ui.csv_bom` "on", "off", or "auto" (on
    when the window speaks Chinese). Excel and WPS in a Chinese locale read a CSV without
    a byte-order mark in the ANSI code page (GBK), and Chinese text comes out garbled; with
    the mark they read UTF-8. Python's csv module reads either."""
    on = setting == "on" or (setting == "auto" and (language or _language) != SOURCE_LANGUAGE)
    return "utf-8-sig" if on else "utf-8"


_ARG = re.compile(r"%(\d)")


def arg(text: str, *values: object) -> str:
    """Qt's QString.arg for translated text: "%1 of %2" with values in order. A translation
    may reorder the markers ("共 %2 个，第 %1 个"), which str.format on English would not."""
    return _ARG.sub(
        lambda m: str(values[int(m.group(1)) - 1]) if 0 < int(m.group(1)) <= len(values) else m[0],
        text,
    )


def language_for_locale(locale_name: str) -> str:
    """The window language for a locale name such as "zh_CN", "zh_Hans_SG", "en_US", "C"."""
    name = locale_name.replace("-", "_")
    if name.startswith("zh") and not any(t in name for t in ("_TW", "_HK", "_MO", "Hant")):
        return "zh_CN"
    return SOURCE_LANGUAGE


def resolve_language(setting: str, locale_name: str) -> str:
    """The language to show: the setting (`ui.language`), or for "system" the locale's."""
    if setting in LANGUAGES:
        return setting
    return language_for_locale(locale_name)
