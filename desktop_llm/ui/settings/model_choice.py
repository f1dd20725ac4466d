"""A default model (chat.default_model, translate.default_model…) picked from the installed
models, never typed.

The first entry keeps the setting empty: it follows the chat model (a task) or takes the
first installed model (the chat). A value that names a model no longer installed stays in
the list, marked as such, so saving never drops it behind the user's back.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import InstalledModel
from desktop_llm.ui.common.model_picker import model_item


class ModelChoice(QComboBox):
    def __init__(self, task: str, value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = task
        self.models: list[InstalledModel] | None = None  # None until the list has arrived
        self._follows: str | None = None  # the model the first entry stands for, if known
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(24)
        self._fill(value)

    # -- what the first entry means --------------------------------------------------------

    def follow_label(self) -> str:
        if self.task == "chat":
            if self._follows:
                return arg(translate("Settings", "(first installed: %1)"), self._follows)
            return translate("Settings", "(first installed)")
        if self._follows:
            return arg(translate("Settings", "(the chat model: %1)"), self._follows)
        return translate("Settings", "(the chat model)")

    def set_follows(self, name: str | None) -> None:
        """Name the model the first entry stands for now (None: not known)."""
        self._follows = name
        self.setItemText(0, self.follow_label())

    # -- the value -------------------------------------------------------------------------

    def value(self) -> str:
        data = self.currentData()
        return "" if data is None else str(data)

    def installed(self, name: str) -> bool:
        return self.models is not None and any(m.name == name for m in self.models)

    def missing(self) -> str | None:
        """The chosen model's name when the list is known and it is not in it."""
        value = self.value()
        if value and self.models is not None and not self.installed(value):
            return value
        return None

    def set_value(self, value: str) -> None:
        index = self.findData(value)
        if index < 0:
            self._fill(value)
        else:
            self.setCurrentIndex(index)

    def set_models(self, models: Sequence[InstalledModel], means: str | None = None) -> None:
        """Offer these models. `means`: the installed model the current value resolves to
        when it is not a name exactly (a part of one, another case): that one is chosen."""
        self.models = list(models)
        value = self.value()
        if value and means and not self.installed(value):
            value = means
        self.blockSignals(True)
        self._fill(value)
        self.blockSignals(False)
        self.currentIndexChanged.emit(self.currentIndex())

    def _fill(self, value: str) -> None:
        self.clear()
        self.addItem(self.follow_label(), "")
        for m in self.models or ():
            label, tip = model_item(m)
            self.addItem(label, m.name)
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if value and self.findData(value) < 0:
            if self.models is None:
                self.addItem(value, value)  # not known yet whether it is installed
            else:
                self.addItem(arg(translate("Settings", "%1 — not installed"), value), value)
        self.setCurrentIndex(max(0, self.findData(value)))
