"""The past runs of one task (translations, summaries, sentiment runs), newest first.

Selecting a run asks the panel to reopen it; the context menu deletes one. The list is
rebuilt only when a run ends or one is deleted, never per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QLocale, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import plain_rich_text
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.store import Conversation

ID_ROLE = Qt.ItemDataRole.UserRole


def when(moment: datetime | None) -> str:
    """When a run was made: "Today 14:03", "05 Mar, 14:03", "05 Mar 2025"; the month's
    name in the window's language (QLocale's default), in the translated pattern's order."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    now = datetime.now().astimezone()
    if local.date() == now.date():
        return arg(translate("RunHistory", "Today %1"), f"{local:%H:%M}")
    shown = QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
    # The patterns are QDateTime formats; the disambiguation tells translators so.
    if local.year == now.year:
        pattern = translate("RunHistory", "dd MMM, HH:mm", "QDateTime format: day, month, time")
    else:
        pattern = translate("RunHistory", "dd MMM yyyy", "QDateTime format: day, month, year")
    return QLocale().toString(shown, pattern)


class RunHistory(QWidget):
    selected = Signal(int)  # conversation id, for the user's choices only
    delete_requested = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel(title)
        self.header.setObjectName("historyTitle")
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.list = QListWidget()
        self.list.setObjectName("runHistory")
        self.list.setAccessibleName(title)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.empty_hint = QLabel(translate("RunHistory", "No runs yet."))
        self.empty_hint.setObjectName("emptyHint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 0, 8)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_hint)
        self.empty_hint.hide()
        self.setMinimumWidth(180)

    def set_runs(self, runs: Sequence[Conversation], current_id: int | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for run in runs:
            item = QListWidgetItem(f"{run.title}\n{when(run.updated_at)}")
            item.setData(ID_ROLE, run.id)
            item.setToolTip(plain_rich_text(run.title))
            self.list.addItem(item)
            if run.id == current_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.empty_hint.setVisible(not runs)

    def ids(self) -> list[int]:
        return [int(self.list.item(i).data(ID_ROLE)) for i in range(self.list.count())]

    def select(self, conversation_id: int | None) -> None:
        """Highlight a run without reopening it."""
        self.list.blockSignals(True)
        self.list.setCurrentItem(None)  # type: ignore[arg-type]
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == conversation_id:
                self.list.setCurrentItem(item)
                break
        self.list.blockSignals(False)

    def _on_current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.selected.emit(int(item.data(ID_ROLE)))

    def _menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        menu = QMenu(self)
        delete = menu.addAction(translate("RunHistory", "Delete run…"))
        chosen = menu.exec(self.list.viewport().mapToGlobal(position))
        if chosen is delete:
            self.delete_requested.emit(int(item.data(ID_ROLE)))
