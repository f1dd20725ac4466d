"""The window's language: the app's translations and Qt's own, loaded before any widget.

The app's are resources/translations/desktop_llm_<language>.qm (`make translations` builds
them from the .ts files); Qt's (standard buttons, file dialogs, context menus) are the
qtbase_<language>.qm files PySide6 ships. English needs the app's desktop_llm_en.qm too: it
holds only the English plural forms ("1 token", "2 tokens").
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop_llm.core import i18n
from desktop_llm.core.resources import resource, resource_path

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer to each


def translation_resource(language: str) -> str:
    return f"translations/desktop_llm_{language}.qm"


def install_translations(setting: str, system_locale: QLocale | None = None) -> str:
    """Load the language `setting` names ("system", "en", "zh_CN"); returns the one in use.

    Numbers and dates follow it too (QLocale's default), so "1,234.5" and "2026年11月30日"
    come out in the language the words are in.
    """
    app = QCoreApplication.instance()
    assert app is not None, "the QApplication comes first"
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    locale_name = (system_locale or QLocale.system()).name()
    language = i18n.resolve_language(setting, locale_name)
    name = translation_resource(language)
    if resource(name).is_file():
        _load(app, resource_path(name).as_posix())
    else:
        log.warning("no translation file %s; the window stays in English", name)
    if language != i18n.SOURCE_LANGUAGE:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not _load(app, f"{qt_dir}/qtbase_{language}.qm"):
            log.warning("Qt's own %s translation is not in %s", language, qt_dir)
    QLocale.setDefault(QLocale(language))
    i18n.install(QCoreApplication.translate, language)
    return language


def _load(app: QCoreApplication, path: str) -> bool:
    translator = QTranslator(app)
    if not translator.load(path):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True


def uninstall_translations() -> None:
    """Back to the source text (English, no Qt translator): for tests."""
    app = QCoreApplication.instance()
    if app is not None:
        for old in _installed:
            app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    i18n.uninstall()


def missing_translations() -> list[str]:
    """The translation files a language needs that this install cannot load (a build that
    left them out): the app's for every language, Qt's for every one but English."""
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    missing = []
    for language in i18n.LANGUAGES:
        name = translation_resource(language)
        if not (resource(name).is_file() and QTranslator().load(resource_path(name).as_posix())):
            missing.append(name)
        qt_file = f"{qt_dir}/qtbase_{language}.qm"
        if language != i18n.SOURCE_LANGUAGE and not QTranslator().load(qt_file):
            missing.append(qt_file)
    return missing
