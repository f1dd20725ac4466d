"""The combo of installed models; the choice applies to this chat and to new ones."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.models import InstalledModel, format_bytes

# The last entry opens the model manager; it is never a current model.
MANAGE = "\x00manage"
PICKER_CHARS = 26


# Next to the bundled model's name: what it is for (the welcome page says more).
STARTER_HINT = QT_TRANSLATE_NOOP("ModelPicker", "starter: tiny, for trying the app")


def starter_hint() -> str:
    return translate("ModelPicker", STARTER_HINT)


def model_item(m: InstalledModel) -> tuple[str, str]:
    """An installed model as a picker shows it: its label and its tooltip."""
    label = m.name
    if m.source == "bundled":
        label = arg(translate("ModelPicker", "%1 (%2)"), m.name, starter_hint())
    tip = f"{m.path}\n{format_bytes(m.size_bytes)}"
    if m.broken:
        label = arg(translate("ModelPicker", "%1 — broken"), label)
        tip += f"\n{m.broken}"
    return label, tip


class ModelPicker(QComboBox):
    model_chosen = Signal(str)  # only for choices the user made, not for set_current()
    manage_requested = Signal()  # "Manage models…" was picked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(
            translate("ModelPicker", "The model that answers in this chat and in new ones")
        )
        # As wide as about PICKER_CHARS characters, whatever the names: a long model name
        # (or a new download) never widens the window; the list opens wide enough.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(PICKER_CHARS)
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.activated.connect(self._on_activated)
        self._shown = 0  # the index to go back to after "Manage models…"

    def set_models(self, models: Sequence[InstalledModel]) -> None:
        current = self.current_name()
        self.blockSignals(True)
        self.clear()
        for m in models:
            label, tip = model_item(m)
            self.addItem(label, m.name)
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if not models:
            self.addItem(translate("ModelPicker", "No model installed"), None)
        self.insertSeparator(self.count())
        self.addItem(translate("ModelPicker", "Manage models…"), MANAGE)
        self.setItemData(
            self.count() - 1,
            translate("ModelPicker", "Download, import, inspect and remove models (Ctrl+Shift+M)"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.blockSignals(False)
        if current is not None:
            self.set_current(current)
        self._shown = self.currentIndex()

    def shown_text(self) -> str:
        """The current entry as drawn: cut with "…" where the box is narrower than it."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, field.width() - 2
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        """Qt cuts a long entry off mid-letter; this one ends it with "…"."""
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        """The list as wide as its longest entry (up to the screen), not the combo's width."""
        view = self.view()
        wanted = view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24
        screen = self.screen().availableGeometry().width() if self.screen() else wanted
        view.setMinimumWidth(min(wanted, screen - 40))
        super().showPopup()

    def names(self) -> list[str]:
        return [
            self.itemData(i)
            for i in range(self.count())
            if self.itemData(i) is not None and self.itemData(i) != MANAGE
        ]

    def current_name(self) -> str | None:
        data = self.currentData()
        return None if data is None or data == MANAGE else str(data)

    def set_current(self, name: str | None) -> bool:
        """Select `name` if it is installed; False (selection unchanged) otherwise."""
        index = self.findData(name) if name else -1
        if index < 0:
            return False
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self._shown = index
        return True

    def _on_activated(self, index: int) -> None:
        name = self.itemData(index)
        if name == MANAGE:
            self.blockSignals(True)
            self.setCurrentIndex(self._shown)
            self.blockSignals(False)
            self.manage_requested.emit()
        elif name is not None:
            self._shown = index
            self.model_chosen.emit(str(name))
