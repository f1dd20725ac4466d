"""Every colour and style sheet of the window, in one place, for each colour scheme.

The application gets one style sheet, app_style(scheme), and one palette
(ui/common/theme.py); both are replaced when the theme changes. Widgets never carry a
colour of their own: they name a role (an object name styled below, or a tone:
set_tone(label, "error")), so a theme change reaches every one of them.

Every text colour here reaches WCAG AA (4.5:1) on the backgrounds it is drawn on, in both
schemes; tests/gui/common/test_theme.py measures it.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QWidget

Scheme = Literal["light", "dark"]
Tone = Literal[
    "error", "warning", "good", "tight", "muted", "note", "positive", "negative", "neutral", ""
]

# Semantic colours by scheme: text tones, the error banner, the charts' ink.
COLORS: dict[Scheme, dict[str, str]] = {
    "light": {
        "error": "#b3261e",
        "warning": "#8a5a00",
        "good": "#1e7d32",
        "tight": "#8a5a00",
        "banner_bg": "#fdecea",
        "banner_border": "#e0a39d",
        "banner_text": "#611a15",
        "bar": "#2e7d5b",
        "chart_text": "#1f1f1f",
        "positive": "#2e7d32",
        "negative": "#c62828",
        "neutral": "#5f6b73",
        "other": "#5c6bc0",
        "focus": "#1d5fc9",
        "match": "#ffe58a",  # behind a search's words, under the normal text colour
    },
    "dark": {
        "error": "#f28b82",
        "warning": "#fdd663",
        "good": "#81c995",
        "tight": "#fdd663",
        "banner_bg": "#3b1f1e",
        "banner_border": "#8c3b35",
        "banner_text": "#f6c7c3",
        "bar": "#5bb98c",
        "chart_text": "#e8eaed",
        "positive": "#81c995",
        "negative": "#f28b82",
        "neutral": "#aab4bb",
        "other": "#9fa8da",
        "focus": "#8ab4f8",
        "match": "#6e5600",
    },
}

_current: Scheme = "light"


def current_scheme() -> Scheme:
    """The scheme the window is drawn in now (theme.apply_theme sets it)."""
    return _current


def set_current_scheme(scheme: Scheme) -> None:
    global _current
    _current = scheme


def color(name: str, scheme: Scheme | None = None) -> str:
    """A semantic colour ("error", "bar", "positive"...) of the current or given scheme."""
    return COLORS[scheme or _current][name]


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Colour a label's text by what it says (an error, a warning, a fit verdict, a quiet
    note); None or "" for the normal text colour. The style sheet has the colours."""
    value = tone or ""
    if widget.property("tone") == value:
        return
    widget.setProperty("tone", value)
    # A dynamic property is matched when the widget is polished: polish it again.
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def muted_html(inner_html: str) -> str:
    """Rich text in the quiet colour (rich text knows no palette() roles: the colour is
    the current scheme's, as drawn when the text is set)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    quiet = QApplication.palette().color(QPalette.ColorRole.PlaceholderText).name()
    return f"<span style='color:{quiet}'>{inner_html}</span>"


def tone_for_verdict(verdict: str) -> Tone:
    """The tone of a fit verdict in the model manager ("fits", "tight", "will not fit")."""
    return {"fits": "good", "tight": "tight", "will not fit": "error"}.get(verdict, "")  # type: ignore[return-value]


def app_style(scheme: Scheme) -> str:
    c = COLORS[scheme]
    return f"""
*[tone="error"] {{ color: {c["error"]}; }}
*[tone="warning"] {{ color: {c["warning"]}; }}
*[tone="good"] {{ color: {c["good"]}; }}
*[tone="tight"] {{ color: {c["tight"]}; }}
*[tone="muted"] {{ color: palette(placeholder-text); }}
*[tone="positive"] {{ color: {c["positive"]}; }}
*[tone="negative"] {{ color: {c["negative"]}; }}
*[tone="neutral"] {{ color: {c["neutral"]}; }}
*[tone="note"] {{
    background: palette(alternate-base);
    padding: 6px;
    border-radius: 4px;
}}

QFrame#errorBanner {{
    background: {c["banner_bg"]};
    border: 1px solid {c["banner_border"]};
    border-radius: 6px;
}}
QFrame#errorBanner QLabel {{ color: {c["banner_text"]}; }}

QFrame#taskSwitcher {{
    background: palette(alternate-base);
    border-right: 1px solid palette(mid);
}}
QFrame#taskSwitcher QToolButton {{ padding: 6px 10px; border: none; border-radius: 6px; }}
QFrame#taskSwitcher QToolButton:checked {{
    background: palette(highlight);
    color: palette(highlighted-text);
}}
QFrame#taskSwitcher QToolButton:hover:!checked {{ background: palette(midlight); }}

QFrame#userMessage {{
    background: palette(alternate-base);
    border: 1px solid palette(midlight);
    border-radius: 8px;
}}
QFrame#assistantMessage {{
    background: palette(base);
    border: 1px solid palette(midlight);
    border-radius: 8px;
}}
QLabel#statusNote {{ color: {c["warning"]}; font-style: italic; }}
QLabel#costLine {{ color: palette(placeholder-text); }}
QLabel#emptyHint {{ color: palette(placeholder-text); padding: 40px; }}
QLabel#editNote {{ color: palette(link); }}
QFrame#attachmentChip {{
    background: palette(alternate-base);
    border: 1px solid palette(mid);
    border-radius: 10px;
}}
QFrame#attachmentChip QToolButton {{ border: none; padding: 0 2px; }}

/* The focus ring: what Tab reached, at 3:1 or more against what surrounds it. */
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractSpinBox:focus,
QAbstractItemView:focus {{
    border: 2px solid {c["focus"]};
    border-radius: 3px;
}}
QPushButton:focus, QComboBox:focus {{
    border: 2px solid {c["focus"]};
    border-radius: 4px;
    background: palette(button);
    padding: 3px 8px;
}}
QToolButton:focus {{ border: 2px solid {c["focus"]}; border-radius: 4px; }}
QCheckBox:focus, QRadioButton:focus, QSlider:focus, QTabBar:focus {{
    outline: 2px solid {c["focus"]};
}}

QLabel#coverage {{ color: palette(placeholder-text); }}
QLabel#detectedLanguage {{ color: palette(placeholder-text); font-style: italic; }}
"""
