"""Every colour and style sheet of the window, in one place.

The window applies APP_STYLE once; it styles widgets by object name, a section per
feature. The inline styles below are for labels whose look follows their state (an error,
a fit verdict); widgets set them with setStyleSheet. Colours come from the palette where
one fits, so a theme change reaches them.
"""

from __future__ import annotations

ERROR_COLOR = "#b3261e"
WARNING_COLOR = "#8a5a00"
GOOD_COLOR = "#1e7d32"
TIGHT_COLOR = "#9a6700"

ERROR_STYLE = f"color: {ERROR_COLOR};"
WARNING_STYLE = f"color: {WARNING_COLOR};"
MUTED_STYLE = "color: palette(placeholder-text);"
NOTE_BOX_STYLE = "background: palette(alternate-base); padding: 6px; border-radius: 4px;"
# A fit hint in the model manager, by verdict.
VERDICT_STYLE = {
    "fits": f"color: {GOOD_COLOR};",
    "tight": f"color: {TIGHT_COLOR};",
    "will not fit": ERROR_STYLE,
}

_COMMON = """
QFrame#errorBanner {
    background: #fdecea;
    border: 1px solid #e0a39d;
    border-radius: 6px;
}
QFrame#errorBanner QLabel { color: #611a15; }
"""

_SHELL = """
QFrame#taskSwitcher { background: palette(alternate-base); border-right: 1px solid palette(mid); }
QFrame#taskSwitcher QToolButton { padding: 6px 10px; border: none; border-radius: 6px; }
QFrame#taskSwitcher QToolButton:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QFrame#taskSwitcher QToolButton:hover:!checked { background: palette(midlight); }
"""

_CHAT = """
QFrame#userMessage {
    background: palette(alternate-base);
    border: 1px solid palette(midlight);
    border-radius: 8px;
}
QFrame#assistantMessage {
    background: palette(base);
    border: 1px solid palette(midlight);
    border-radius: 8px;
}
QLabel#statusNote { color: #9a5b00; font-style: italic; }
QLabel#emptyHint { color: palette(mid); padding: 40px; }
QLabel#editNote { color: palette(highlight); }
"""

_TASKS = """
QLabel#coverage { color: palette(dark); }
QLabel#detectedLanguage { color: palette(dark); font-style: italic; }
"""

APP_STYLE = _COMMON + _SHELL + _CHAT + _TASKS
