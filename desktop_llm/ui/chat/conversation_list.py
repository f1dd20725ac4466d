"""The sidebar: conversations newest first under Today, Yesterday, Previous 7 days and
Earlier (by when each last changed, in local time), or the ones a full-text search matched,
each with its best snippet and the search's words highlighted."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import plain_rich_text
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.store import SearchHit
from desktop_llm.ui.chat.search_marks import Span, marked_html, parse_snippet, query_terms
from desktop_llm.ui.common.style import color

# Typing pauses this long before the search runs, so a fast typist runs one query, not six.
SEARCH_DELAY_MS = 150

ID_ROLE = Qt.ItemDataRole.UserRole  # a chat's row: its conversation id (None on a header)
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # a header's group: "today", "yesterday"...
HIT_ROLE = Qt.ItemDataRole.UserRole + 2  # a search result's message id
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 3  # a search result's (title, snippet, spans)

HEADER_SPACE = 12  # pixels a header row has beyond its text's height

# The sidebar's groups, newest first: (key, title), titles translated where shown.
GROUPS: tuple[tuple[str, str], ...] = (
    ("today", QT_TRANSLATE_NOOP("ChatPage", "Today")),
    ("yesterday", QT_TRANSLATE_NOOP("ChatPage", "Yesterday")),
    ("week", QT_TRANSLATE_NOOP("ChatPage", "Previous 7 days")),
    ("earlier", QT_TRANSLATE_NOOP("ChatPage", "Earlier")),
)

# The title the store gives a chat until its first message names it.
UNTITLED = "New chat"


def shown_title(title: str | None) -> str:
    """A chat's title as shown: the store's placeholder in the window's language."""
    return translate("ChatPage", "New chat") if not title or title == UNTITLED else title


def time_group(when: datetime, now: datetime | None = None) -> str:
    """The group a chat last changed at `when` falls in, by the local calendar: "today",
    "yesterday", "week" (2 to 7 days ago) or "earlier". A naive time is UTC (the store's)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    today = (now or datetime.now(UTC)).astimezone().date()
    days = (today - when.astimezone().date()).days
    if days <= 0:
        return "today"  # a clock set back counts as today
    if days == 1:
        return "yesterday"
    return "week" if days <= 7 else "earlier"


class ConversationLike(Protocol):
    id: int
    title: str
    updated_at: datetime


@dataclass(frozen=True)
class _Row:
    conversation_id: int
    title: str
    snippet: str = ""  # a search result's matching text, plain
    spans: tuple[Span, ...] = ()  # what to highlight in it
    message_id: int | None = None  # the message the result opens at


class ResultDelegate(QStyledItemDelegate):
    """Draws a search result: the chat's title in bold over its snippet, the search's
    words on the theme's highlight colour. Rows without a snippet are drawn as usual."""

    PADDING = 4

    def _document(self, index: QModelIndex | QPersistentModelIndex, width: int) -> QTextDocument:
        title, snippet, spans = index.data(SNIPPET_ROLE)
        ink = self.parent().palette().color(QPalette.ColorRole.Text).name()  # type: ignore[attr-defined]
        style = f"background-color:{color('match')};color:{ink}"
        document = QTextDocument()
        document.setDefaultFont(self.parent().font())  # type: ignore[attr-defined]
        document.setDocumentMargin(0)
        document.setHtml(
            "<b>" + marked_html(title, (), "") + "</b><br>" + marked_html(snippet, spans, style)
        )
        document.setTextWidth(max(1, width))
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(SNIPPET_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)  # type: ignore[attr-defined]
        document = self._document(index, rect.width())
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))  # type: ignore[attr-defined]
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(0, 0, rect.width(), rect.height())
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if not index.data(SNIPPET_ROLE):
            return super().sizeHint(option, index)
        width = self.parent().viewport().width() - 2 * self.PADDING  # type: ignore[attr-defined]
        document = self._document(index, width)
        height = math.ceil(document.size().height()) + 2 * self.PADDING
        return QSize(width, height)


class ConversationList(QWidget):
    selected = Signal(int)
    new_requested = Signal()
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    search_changed = Signal(str)  # after the typing pause; "" when the search is cleared
    hit_opened = Signal(int, int)  # a search result picked: conversation id, message id

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
        self.list.setResizeMode(QListView.ResizeMode.Adjust)  # results re-wrap to the width
        self.list.setItemDelegate(ResultDelegate(self.list))
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
        """Newest first, under a header per time group (a group with no chat has none)."""
        self.results_label.hide()
        now = datetime.now(UTC)
        rows: list[_Row | str] = []
        group = None
        for c in conversations:
            key = time_group(c.updated_at, now)
            if key != group:
                rows.append(key)
                group = key
            rows.append(_Row(c.id, shown_title(c.title)))
        self._fill(rows, current)

    def show_results(self, query: str, hits: Sequence[SearchHit], current: int | None) -> None:
        """One row per conversation that matched, with the best matching snippet, the
        search's words highlighted; picking it opens the chat at that message."""
        terms = query_terms(query)
        rows: dict[int, _Row] = {}
        for hit in hits:
            if hit.conversation_id not in rows:
                text, spans = parse_snippet(" ".join(hit.snippet.split()), terms)
                rows[hit.conversation_id] = _Row(
                    hit.conversation_id,
                    shown_title(hit.conversation_title),
                    text,
                    tuple(spans),
                    hit.message_id,
                )
        count = len(rows)
        self.results_label.setText(
            arg(translate("ChatPage", "No chat contains “%1”."), query)
            if not count
            else arg(translate("ChatPage", "%n chat(s) contain “%1”.", None, PLURAL, count), query)
        )
        self.results_label.show()
        self._fill(list(rows.values()), current)

    def _fill(self, rows: Sequence[_Row | str], current: int | None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for row in rows:
            if isinstance(row, str):
                self.list.addItem(self._header(row))
                continue
            text = row.title if not row.snippet else f"{row.title}\n{row.snippet}"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, row.conversation_id)
            if row.message_id is not None:
                item.setData(HIT_ROLE, row.message_id)
                item.setData(SNIPPET_ROLE, (row.title, row.snippet, row.spans))
            item.setToolTip(plain_rich_text(row.snippet or row.title))
            self.list.addItem(item)
            if row.conversation_id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def _header(self, key: str) -> QListWidgetItem:
        """A group's title: not selectable, skipped by the arrow keys."""
        title = translate("ChatPage", dict(GROUPS)[key])
        item = QListWidgetItem(title)
        item.setData(GROUP_ROLE, key)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = self.list.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        item.setFont(font)
        # Some air above and below, so a group reads apart from the one before it.
        item.setSizeHint(QSize(0, QFontMetrics(font).height() + HEADER_SPACE))
        return item

    def _chat_items(self) -> list[QListWidgetItem]:
        items = (self.list.item(r) for r in range(self.list.count()))
        return [item for item in items if item.data(ID_ROLE) is not None]

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        return next((i for i in self._chat_items() if i.data(ID_ROLE) == conversation_id), None)

    def select(self, conversation_id: int | None) -> None:
        item = None if conversation_id is None else self.item_for(conversation_id)
        if item is not None:
            self.list.setCurrentItem(item)
        else:
            self.list.clearSelection()

    def ids(self) -> list[int]:
        return [item.data(ID_ROLE) for item in self._chat_items()]

    def titles(self) -> list[str]:
        return [item.text().split("\n")[0] for item in self._chat_items()]

    def headers(self) -> list[str]:
        """The group titles shown, in order."""
        items = (self.list.item(r) for r in range(self.list.count()))
        return [item.text() for item in items if item.data(GROUP_ROLE) is not None]

    def groups(self) -> dict[int, str]:
        """Each chat shown and the group it is under ("today", "yesterday"...)."""
        groups: dict[int, str] = {}
        group = ""
        for r in range(self.list.count()):
            item = self.list.item(r)
            if item.data(GROUP_ROLE) is not None:
                group = item.data(GROUP_ROLE)
            elif item.data(ID_ROLE) is not None:
                groups[item.data(ID_ROLE)] = group
        return groups

    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def stop_timers(self) -> None:
        self.search_timer.stop()

    # --- actions ---------------------------------------------------------------------------

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        if item is None or item.data(ID_ROLE) is None:
            return None
        return int(item.data(ID_ROLE))

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        if item.data(ID_ROLE) is None:
            return  # a group's header
        if item.data(HIT_ROLE) is not None:
            self.hit_opened.emit(int(item.data(ID_ROLE)), int(item.data(HIT_ROLE)))
        else:
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
        if item is None or item.data(ID_ROLE) is None:
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
