"""Light and dark themes: every text colour at WCAG AA contrast, measured; the setting
applies at once; "system" follows the desktop when it switches."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout
from pytestqt.qtbot import QtBot

from desktop_llm.ui.common import theme
from desktop_llm.ui.common.style import COLORS, Scheme, app_style, set_tone
from tests.gui.conftest import WindowFactory

Role = QPalette.ColorRole
AA = 4.5


def _luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    # WebAIM's checker: #777777 on white is 4.48:1, just under AA.
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_role_reaches_aa(scheme: Scheme) -> None:
    p = theme.palette_for(scheme)
    disabled = QPalette.ColorGroup.Disabled
    pairs = {
        "window text": (p.color(Role.WindowText), p.color(Role.Window)),
        "text": (p.color(Role.Text), p.color(Role.Base)),
        "text on alternate rows": (p.color(Role.Text), p.color(Role.AlternateBase)),
        "buttons": (p.color(Role.ButtonText), p.color(Role.Button)),
        "selection": (p.color(Role.HighlightedText), p.color(Role.Highlight)),
        "links": (p.color(Role.Link), p.color(Role.Base)),
        "tooltips": (p.color(Role.ToolTipText), p.color(Role.ToolTipBase)),
        "placeholder on base": (p.color(Role.PlaceholderText), p.color(Role.Base)),
        "placeholder on window": (p.color(Role.PlaceholderText), p.color(Role.Window)),
        "placeholder on alternate": (p.color(Role.PlaceholderText), p.color(Role.AlternateBase)),
        "disabled text on window": (p.color(disabled, Role.WindowText), p.color(Role.Window)),
        "disabled text on base": (p.color(disabled, Role.Text), p.color(Role.Base)),
    }
    c = COLORS[scheme]
    for tone in ("error", "warning", "good", "tight"):
        for background in (Role.Window, Role.Base, Role.AlternateBase):
            pairs[f"{tone} on {background.name}"] = (QColor(c[tone]), p.color(background))
    for name in ("positive", "negative", "neutral", "chart_text"):
        pairs[f"{name} on base"] = (QColor(c[name]), p.color(Role.Base))
    pairs["error banner"] = (QColor(c["banner_text"]), QColor(c["banner_bg"]))
    low = {k: round(contrast(*v), 2) for k, v in pairs.items() if contrast(*v) < AA}
    assert not low, f"{scheme}: below 4.5:1: {low}"


def _ink(label: QLabel) -> tuple[QColor, QColor]:
    """The label as drawn: its background (the corner pixel) and the pixel that differs
    from it most (the core of a glyph stroke)."""
    image = label.grab().toImage()
    background = image.pixelColor(0, 0)
    far, best = background, -1.0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            d = contrast(pixel, background)
            if d > best:
                far, best = pixel, d
    return far, background


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_cost_line_under_a_reply_is_readable(qtbot: QtBot, scheme: Scheme) -> None:
    """The line was light grey on white (about 1.9:1); drawn as the window draws it now."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    manager = theme.use_theme(scheme)
    assert manager.scheme == scheme
    frame = QFrame()
    frame.setObjectName("assistantMessage")
    cost = QLabel("≈ 0.42 J · 0.05 mg CO2e · 38 tokens", frame)
    cost.setObjectName("costLine")
    cost.setEnabled(False)
    QVBoxLayout(frame).addWidget(cost)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    ink, background = _ink(cost)
    assert contrast(ink, background) >= AA, (ink.name(), background.name())
    assert app.styleSheet() == app_style(scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_error_tone_is_drawn_in_the_schemes_colour(qtbot: QtBot, scheme: Scheme) -> None:
    theme.use_theme(scheme)
    label = QLabel("The download failed")
    qtbot.addWidget(label)
    set_tone(label, "error")
    label.show()
    qtbot.waitExposed(label)
    ink, background = _ink(label)
    assert contrast(ink, background) >= AA
    # The drawn colour is the error colour (anti-aliasing aside), not the normal text's.
    want = QColor(COLORS[scheme]["error"])
    assert abs(ink.red() - want.red()) + abs(ink.green() - want.green()) < 60


def test_the_setting_applies_to_the_open_window(make_window: WindowFactory) -> None:
    window = make_window()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.services.settings.set("ui.theme", "dark")
    assert window.theme.scheme == "dark"
    assert app.palette().color(Role.Window) == theme.palette_for("dark").color(Role.Window)
    assert window.palette().color(Role.Base).lightness() < 60
    window.services.settings.set("ui.theme", "light")
    assert app.palette().color(Role.Base).lightness() > 200


def test_system_follows_the_desktop_while_running(
    make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The offscreen platform cannot switch its scheme, so the desktop's answer is set
    here, and its change signal sent as the desktop would."""
    window = make_window()
    window.services.settings.set("ui.theme", "system")
    seen: list[str] = []
    window.theme.changed.connect(seen.append)
    monkeypatch.setattr(theme, "system_scheme", lambda: "dark")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme.scheme == "dark" and seen == ["dark"]
    # With a fixed choice, the desktop's switches are ignored.
    window.services.settings.set("ui.theme", "light")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.theme.scheme == "light"


def test_charts_follow_the_scheme(qtbot: QtBot) -> None:
    from PySide6.QtCharts import QBarSeries, QChart

    from desktop_llm.ui.energy.charts import EnergyBarChart

    manager = theme.use_theme("dark")
    chart = EnergyBarChart("Energy per task")
    qtbot.addWidget(chart)
    chart.set_data(["chat", "translate"], [2.0, 5.0])
    assert chart.chart().theme() == QChart.ChartTheme.ChartThemeDark
    manager.apply("light")
    assert chart.chart().theme() == QChart.ChartTheme.ChartThemeLight
    # The theme reset the series: the same bars are drawn again, in the scheme's colour.
    series = chart.chart().series()[0]
    assert isinstance(series, QBarSeries)
    bars = series.barSets()[0]
    assert [bars.at(i) for i in range(bars.count())] == [2.0, 5.0]
    assert bars.color() == QColor(COLORS["light"]["bar"])
