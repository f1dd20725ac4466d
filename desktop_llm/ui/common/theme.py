"""Light and dark: a complete palette for each, the style sheet, and following the desktop.

`ui.theme` is "system" (default), "light" or "dark". The window is drawn with Qt's Fusion
style, which paints every widget from the palette, so the same look holds on every desktop
and nothing stays light in the dark scheme (the native styles of some desktops ignore
parts of an application's palette). "system" follows the desktop's colour scheme
(QStyleHints.colorScheme) and changes with it while the app runs.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QChart
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop_llm.ui.common.style import Scheme, app_style, set_current_scheme

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

# (role, light, dark). Text on its background reaches WCAG AA (4.5:1) in both, including the
# placeholder and the disabled text, which the window also uses for quiet notes (the cost
# line under each reply, the settings' descriptions).
_ROLES: tuple[tuple[QPalette.ColorRole, str, str], ...] = (
    (Role.Window, "#f6f6f7", "#202124"),
    (Role.WindowText, "#1f1f1f", "#e8eaed"),
    (Role.Base, "#ffffff", "#17181a"),
    (Role.AlternateBase, "#eef0f3", "#2a2b2f"),
    (Role.Text, "#1f1f1f", "#e8eaed"),
    (Role.Button, "#eceef1", "#2d2f33"),
    (Role.ButtonText, "#1f1f1f", "#e8eaed"),
    (Role.BrightText, "#ffffff", "#ffffff"),
    (Role.Highlight, "#1d5fc9", "#2c64c6"),
    (Role.HighlightedText, "#ffffff", "#ffffff"),
    (Role.Link, "#1a56c4", "#8ab4f8"),
    (Role.LinkVisited, "#6a3fb5", "#c58af9"),
    (Role.PlaceholderText, "#5f6368", "#a3a8ad"),
    (Role.ToolTipBase, "#2b2d31", "#e8eaed"),
    (Role.ToolTipText, "#f1f3f4", "#1f1f1f"),
    (Role.Light, "#ffffff", "#3c3f44"),
    (Role.Midlight, "#dfe1e5", "#3a3c40"),
    (Role.Mid, "#b8bcc2", "#55585e"),
    (Role.Dark, "#5f6368", "#a3a8ad"),
    (Role.Shadow, "#767676", "#000000"),
)
# Disabled widgets: quieter, still readable.
_DISABLED: tuple[tuple[QPalette.ColorRole, str, str], ...] = (
    (Role.WindowText, "#676b71", "#9aa0a6"),
    (Role.Text, "#676b71", "#9aa0a6"),
    (Role.ButtonText, "#676b71", "#9aa0a6"),
    (Role.Highlight, "#b8bcc2", "#55585e"),
)


def palette_for(scheme: Scheme) -> QPalette:
    palette = QPalette()
    index = 1 if scheme == "light" else 2
    for row in _ROLES:
        palette.setColor(row[0], QColor(row[index]))
    for row in _DISABLED:
        palette.setColor(Group.Disabled, row[0], QColor(row[index]))
    return palette


def system_scheme() -> Scheme:
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def resolve_scheme(setting: str) -> Scheme:
    if setting in ("light", "dark"):
        return setting  # type: ignore[return-value]
    return system_scheme()


class ThemeManager(QObject):
    """Applies `ui.theme` to the application, and again when the desktop's scheme changes
    (for "system"). `changed` tells what draws its own colours (the charts)."""

    changed = Signal(str)  # the scheme now in use

    def __init__(self, app: QApplication, setting: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._setting = setting
        self.scheme: Scheme = "light"
        self._applied = False
        app.setStyle("Fusion")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._desktop_changed)
        self.apply(setting)

    def apply(self, setting: str) -> Scheme:
        self._setting = setting
        scheme = resolve_scheme(setting)
        if scheme == self.scheme and self._applied:
            return scheme
        self._applied = True
        self.scheme = scheme
        set_current_scheme(scheme)
        self._app.setPalette(palette_for(scheme))
        self._app.setStyleSheet(app_style(scheme))
        self.changed.emit(scheme)
        return scheme

    def _desktop_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._setting == "system":
            self.apply("system")


def use_theme(setting: str) -> ThemeManager:
    """The application's ThemeManager (made on first use), with `setting` applied."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the QApplication comes first"
    manager = app.findChild(ThemeManager)
    if manager is None:
        return ThemeManager(app, setting)
    manager.apply(setting)
    return manager


def chart_theme(scheme: str) -> QChart.ChartTheme:
    """QtCharts' own theme for a scheme: backgrounds, grid, axes and titles."""
    return (
        QChart.ChartTheme.ChartThemeDark if scheme == "dark" else QChart.ChartTheme.ChartThemeLight
    )


def follow_scheme(owner: QObject, slot: Callable[[str], None]) -> None:
    """Call owner's slot(scheme) when the window's scheme changes (what paints its own
    colours: the charts). Nothing when no window has made a ThemeManager (a widget tested
    alone); a bound method of `owner` is disconnected when it is destroyed."""
    app = QApplication.instance()
    manager = app.findChild(ThemeManager) if app is not None else None
    if manager is not None:
        manager.changed.connect(slot)
