"""One editor per option, chosen by its declared type, bounds and choices; reading, setting
and watching its value the same way for every kind.

Spin boxes keep what was typed: Qt's own would put back the last good number when the
focus leaves, the page changes or Enter is pressed, and a "0 threads" would be saved as the
old value without
a word. Here the text stays, the dialog says why it cannot be saved, and Save refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from desktop_llm.core.config import Option
from desktop_llm.ui.settings.model_choice import ModelChoice

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _Strict:
    """What both spin boxes share: a bad value is kept as typed, for Save to refuse."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _ENTER and not self.hasAcceptableInput():  # type: ignore[attr-defined]
            event.ignore()  # to the dialog: Save refuses it, with the reason
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    # QAbstractSpinBox rewrites its text from its last good value on each of these.
    def focusInEvent(self, event: QFocusEvent) -> None:
        _keep_text(self, event, super().focusInEvent, QWidget.focusInEvent)  # type: ignore[misc,arg-type]

    def focusOutEvent(self, event: QFocusEvent) -> None:
        _keep_text(self, event, super().focusOutEvent, QWidget.focusOutEvent)  # type: ignore[misc,arg-type]

    def showEvent(self, event: QShowEvent) -> None:
        _keep_text(self, event, super().showEvent, QWidget.showEvent)  # type: ignore[misc,arg-type]

    def hideEvent(self, event: QHideEvent) -> None:
        _keep_text(self, event, super().hideEvent, QWidget.hideEvent)  # type: ignore[misc,arg-type]


class StrictSpinBox(_Strict, QSpinBox):
    pass


class StrictDoubleSpinBox(_Strict, QDoubleSpinBox):
    pass


def _keep_text(
    spin: QSpinBox | QDoubleSpinBox,
    event: QEvent,
    spin_handler: Callable[[Any], None],
    widget_handler: Callable[[QWidget, Any], None],
) -> None:
    """The spin box's own handling while its text is a good value; the plain widget's
    (the line edit still hears of the focus, for its caret) while it is not."""
    if spin.hasAcceptableInput():
        spin_handler(event)
        return
    if isinstance(event, QFocusEvent):
        spin.lineEdit().event(event)
    widget_handler(spin, event)


Editor = QSpinBox | QDoubleSpinBox | QPlainTextEdit | QLineEdit | QCheckBox | QComboBox


def _decimals(option: Option) -> int:
    return 2 if option.maximum is None or option.maximum <= 10 else 1


def make_editor(option: Option, value: Any, model_task: str | None = None) -> Editor:
    """The editor for an option; `model_task` makes it a ModelChoice (a default model)."""
    if model_task is not None:
        return ModelChoice(model_task, str(value))
    if option.type is bool:
        box = QCheckBox()
        box.setChecked(bool(value))
        return box
    if option.type is int:
        spin = StrictSpinBox()
        spin.setRange(
            int(option.minimum) if option.minimum is not None else -(2**31),
            int(option.maximum) if option.maximum is not None else 2**31 - 1,
        )
        spin.setValue(int(value))
        return spin
    if option.type is float:
        dspin = StrictDoubleSpinBox()
        dspin.setDecimals(_decimals(option))
        dspin.setRange(
            option.minimum if option.minimum is not None else -1e9,
            option.maximum if option.maximum is not None else 1e9,
        )
        dspin.setSingleStep(0.05 if (option.maximum or 0) <= 2 else 1.0)
        dspin.setValue(float(value))
        return dspin
    if option.choices is not None:
        combo = QComboBox()
        for choice, label in option.choices():
            combo.addItem(label, choice)
        set_editor_value(combo, value)
        return combo
    if option.multiline:
        text = QPlainTextEdit()
        text.setPlainText(str(value))
        text.setTabChangesFocus(True)
        text.setMinimumHeight(text.fontMetrics().lineSpacing() * 4 + 12)
        text.setMaximumHeight(text.fontMetrics().lineSpacing() * 8 + 12)
        return text
    return QLineEdit(str(value))


def editor_value(editor: Editor) -> Any:
    """What the editor holds, as typed: a spin box's text that is not a number in range
    comes back as the number it reads (or the text), for the option's check to refuse."""
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox | QDoubleSpinBox):
        if editor.hasAcceptableInput():
            return editor.value()
        text = editor.cleanText()
        if isinstance(editor, QSpinBox):
            number, ok = editor.locale().toInt(text)
        else:
            number, ok = editor.locale().toDouble(text)
        return number if ok else text
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, ModelChoice):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    return editor.text()


def set_editor_value(editor: Editor, value: Any) -> None:
    if isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
        editor.lineEdit().setText(editor.textFromValue(int(value)))
    elif isinstance(editor, QDoubleSpinBox):
        editor.setValue(float(value))
        editor.lineEdit().setText(editor.textFromValue(float(value)))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value))
    elif isinstance(editor, ModelChoice):
        editor.set_value(str(value))
    elif isinstance(editor, QComboBox):
        index = editor.findData(value)
        if index < 0:  # a value typed into the file by hand: keep it, shown as itself
            editor.addItem(str(value), value)
            index = editor.count() - 1
        editor.setCurrentIndex(index)
    else:
        editor.setText(str(value))


def on_change(editor: Editor, slot: Callable[[], None]) -> None:
    """Call slot() whenever the editor's value changes, typed or picked."""
    if isinstance(editor, QCheckBox):
        editor.toggled.connect(lambda _on: slot())
    elif isinstance(editor, QSpinBox | QDoubleSpinBox):
        # Typing reaches the line edit (a number out of range too); setValue() only the box.
        editor.lineEdit().textChanged.connect(lambda _text: slot())
        editor.textChanged.connect(lambda _text: slot())
    elif isinstance(editor, QPlainTextEdit):
        editor.textChanged.connect(slot)
    elif isinstance(editor, QComboBox):
        editor.currentIndexChanged.connect(lambda _index: slot())
    else:
        editor.textChanged.connect(lambda _text: slot())
