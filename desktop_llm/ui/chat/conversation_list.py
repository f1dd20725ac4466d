"""The sidebar: conversations newest first, or the ones a full-text search matched."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import PLURAL, arg, translate
from desktop_llm.core.store import SearchHit

# Typing pauses this long before the search runs, so a fast typist runs one query, not six.
SEARCH_DELAY_MS = 150

ID_ROLE = Qt.ItemDataRole.UserRole

# The title the store gives a chat until its first message names it.
UNTITLED = "New chat"


def shown_title(title: str | None) -> str:
    """A chat's title as shown: the store's placeholder in the window's language."""
    return translate("ChatPage", "New chat") if not title or title == UNTITLED else title


class ConversationLike(Protocol):
    id: int
    title: str


class ConversationList(QWidget):
    selected = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    search_changed = Signal(str)  # after the typing pause; "" when the search is cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = QPushButton(translate("ChatPage", "New chat"))
        self.new_button.setToolTip(translate("ChatPage", "Start a new chat (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_requested)

        self.search_field = QLineEdit()
        self.search_field.setAccessibleName(translate("ChatPage", "Search all chats"))
        self.search_field.setPlaceholderText(translate("ChatPage", "Search all chats (Ctrl+F)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._emit_search)
        self.search_field.textChanged.connect(lambda _t: self.search_timer.start())
        self.search_field.returnPressed.connect(self._search_now)

        self.results_label = QLabel()
        self.results_label.setObjectName("searchResultsLabel")
        self.results_label.setWordWrap(True)
        self.results_label.hide()

        self.list = QListWidget()
        self.list.setAccessibleName(translate("ChatPage", "Chats"))
        self.list.setWordWrap(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemClicked.connect(self._on_item_activated)
        self.list.itemActivated.connect(self._on_item_activated)

        self.rename_button = QPushButton(translate("ChatPage", "Rename"))
        self.rename_button.setToolTip(translate("ChatPage", "Rename the selected chat (F2)"))
        self.rename_button.clicked.connect(self._rename_selected)
        self.delete_button = QPushButton(translate("ChatPage", "Delete"))
        self.delete_button.setToolTip(translate("ChatPage", "Delete the selected chat (Delete)"))
        self.delete_button.clicked.connect(self._delete_selected)
        QShortcut(
            QKeySequence(Qt.Key.Key_F2),
            self.list,
            self._rename_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.list,
            self._delete_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search_field)
        layout.addWidget(self.results_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    # --- contents --------------------------------------------------------------------------

    @property
    def searching(self) -> bool:
        return bool(self.search_field.text().strip())

    def show_conversations(
        self, conversations: Sequence[ConversationLike], current: int | None
    ) -> None:
        self.results_label.hide()
        self._fill([(c.id, shown_title(c.title), "") for c in conversations], current)

    def show_results(self, query: str, hits: Sequence[SearchHit], current: int | None) -> None:
        """One row per conversation that matched, with the best matching snippet."""
        rows: dict[int, tuple[int, str, str]] = {}
        for hit in hits:
            if hit.conversation_id not in rows:
                snippet = " ".join(hit.snippet.split())
                rows[hit.conversation_id] = (
                    hit.conversation_id,
                    shown_title(hit.conversation_title),
                    snippet,
                )
        count = len(rows)
        self.results_label.setText(
            arg(translate("ChatPage", "No chat contains “%1”."), query)
            if not count
            else arg(translate("ChatPage", "%n chat(s) contain “%1”.", None, PLURAL, count), query)
        )
        self.results_label.show()
        self._fill(list(rows.values()), current)

    def _fill(self, rows: Sequence[tuple[int, str, str]], current: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for conversation_id, title, snippet in rows:
            item = QListWidgetItem(title if not snippet else f"{title}\n{snippet}")
            item.setData(ID_ROLE, conversation_id)
            item.setToolTip(snippet or title)
            self.list.addItem(item)
            if conversation_id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def select(self, conversation_id: int | None) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == conversation_id:
                self.list.setCurrentItem(item)
                return
        self.list.clearSelection()

    def ids(self) -> list[int]:
        return [self.list.item(r).data(ID_ROLE) for r in range(self.list.count())]

    def titles(self) -> list[str]:
        return [self.list.item(r).text().split("\n")[0] for r in range(self.list.count())]

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def stop_timers(self) -> None:
        self.search_timer.stop()

    # --- actions ---------------------------------------------------------------------------

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        self.selected.emit(int(item.data(ID_ROLE)))

    def _rename_selected(self) -> None:
        conversation_id = self._selected_id()
        if conversation_id is not None:
            self.rename_requested.emit(conversation_id)

    def _delete_selected(self) -> None:
        conversation_id = self._selected_id()
        if conversation_id is not None:
            self.delete_requested.emit(conversation_id)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        conversation_id = int(item.data(ID_ROLE))
        menu = QMenu(self)
        menu.addAction(
            translate("ChatPage", "Rename…"), lambda: self.rename_requested.emit(conversation_id)
        )
        menu.addAction(
            translate("ChatPage", "Delete…"), lambda: self.delete_requested.emit(conversation_id)
        )
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _search_now(self) -> None:
        self.search_timer.stop()
        self._emit_search()

    def _emit_search(self) -> None:
        self.search_changed.emit(self.search_field.text().strip())
