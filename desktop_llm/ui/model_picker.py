"""The combo of installed models; the choice applies to this chat and to new ones."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from desktop_llm.core.models import InstalledModel, format_bytes


class ModelPicker(QComboBox):
    model_chosen = Signal(str)  # only for choices the user made, not for set_current()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip("The model that answers in this chat and in new ones")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(18)
        self.activated.connect(self._on_activated)

    def set_models(self, models: Sequence[InstalledModel]) -> None:
        current = self.current_name()
        self.blockSignals(True)
        self.clear()
        for m in models:
            label = m.name if m.source == "local" else f"{m.name} (starter)"
            self.addItem(label, m.name)
            self.setItemData(
                self.count() - 1,
                f"{m.path}\n{format_bytes(m.size_bytes)}",
                Qt.ItemDataRole.ToolTipRole,
            )
        if not models:
            self.addItem("No model installed", None)
        self.blockSignals(False)
        self.setEnabled(bool(models))
        if current is not None:
            self.set_current(current)

    def names(self) -> list[str]:
        return [self.itemData(i) for i in range(self.count()) if self.itemData(i) is not None]

    def current_name(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def set_current(self, name: str | None) -> bool:
        """Select `name` if it is installed; False (selection unchanged) otherwise."""
        index = self.findData(name) if name else -1
        if index < 0:
            return False
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        return True

    def _on_activated(self, index: int) -> None:
        name = self.itemData(index)
        if name is not None:
            self.model_chosen.emit(str(name))
