"""The conversation: a scrolling column of message widgets, one re-rendered while it streams."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from desktop_llm.core.i18n import translate
from desktop_llm.ui.chat.code_block import CodeBlock, CodeHighlighter
from desktop_llm.ui.chat.message_widget import MessageWidget
from desktop_llm.ui.common.style import set_tone

# Re-rendering Markdown per token would cost more than the tokens at GPU speeds; ~30 frames
# a second looks fluid and bounds the work whatever the token rate.
RENDER_INTERVAL_MS = 33


class MessageLike(Protocol):
    id: int
    role: str
    content: str
    status: str
    error: str | None


def _tab_stops(widget: MessageWidget) -> list[QWidget]:
    """A message's focusable parts in the order they are drawn: the header's actions,
    the attached files, then the body's prose and code blocks (each code block: its Copy,
    then its code)."""
    stops: list[QWidget] = [
        widget.previous_button,
        widget.next_button,
        widget.edit_button,
        widget.regenerate_button,
        widget.copy_button,
    ]
    if widget.attachment_list is not None:
        stops += widget.attachment_list.tab_stops()
    for part in widget.body.parts():
        stops += [part.copy_button, part.view] if isinstance(part, CodeBlock) else [part]
    return stops


class ChatView(QScrollArea):
    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)
    version_requested = Signal(int)  # show this version of a message (and its branch)
    waiting_cancelled = Signal()  # Cancel on the waiting line: take the message back
    answer_requested = Signal()  # Answer on the line under a message left unanswered

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._column = QWidget()
        self._column.setObjectName("chatColumn")
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.setSpacing(10)
        self._empty = QLabel(
            translate(
                "ChatPage",
                "Type a message below and press Enter.\n"
                "The model runs on this computer; nothing leaves it.",
            )
        )
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setObjectName("emptyHint")
        self._empty.setWordWrap(True)
        self._layout.addWidget(self._empty)
        self._build_waiting_line()
        self._layout.addWidget(self.waiting_line)
        self._layout.addStretch(1)
        self.setWidget(self._column)

        self._widgets: dict[int, MessageWidget] = {}
        self._versions: dict[int, tuple[int, ...]] = {}
        self.highlighter = CodeHighlighter(self)
        self._streaming: MessageWidget | None = None
        self._dirty = False
        self._follow = True
        # A message opened from a search: kept in view while the chat is laid out (its
        # height settles over several passes), until the user scrolls or the chat moves on.
        self._anchor: int | None = None
        self.render_timer = QTimer(self)
        self.render_timer.setInterval(RENDER_INTERVAL_MS)
        self.render_timer.timeout.connect(self._render_streaming)
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_scrolled)
        bar.actionTriggered.connect(self._drop_anchor)  # the user scrolled

    def _build_waiting_line(self) -> None:
        """Where the reply will appear: why it has not started yet, and a way out."""
        self.waiting_line = QWidget()
        self.waiting_line.setObjectName("waitingLine")
        self.waiting_label = QLabel()
        self.waiting_label.setWordWrap(True)
        set_tone(self.waiting_label, "muted")
        self.waiting_button = QToolButton()
        self.waiting_button.setAutoRaise(True)
        self.waiting_button.clicked.connect(self._on_waiting_button)
        row = QHBoxLayout(self.waiting_line)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self.waiting_label, 1)
        row.addWidget(self.waiting_button)
        self.waiting_line.hide()
        self._answer_mode = False

    def show_waiting(self, text: str) -> None:
        """The last message waits for the engine: say for what, offer to take it back."""
        self._answer_mode = False
        self.waiting_label.setText(text)
        self.waiting_button.setText(translate("ChatPage", "Cancel"))
        self.waiting_button.setToolTip(
            translate("ChatPage", "Take the message back into the editor (Esc); the reply "
                      "being written goes on")
        )  # fmt: skip
        self.waiting_button.setAccessibleName(translate("ChatPage", "Cancel the waiting message"))
        self.waiting_line.show()

    def show_unanswered(self) -> None:
        """The last message was never answered (the app closed while it waited, or the
        model failed): offer to answer it now."""
        self._answer_mode = True
        self.waiting_label.setText(translate("ChatPage", "This message has no reply yet."))
        self.waiting_button.setText(translate("ChatPage", "Answer"))
        self.waiting_button.setToolTip(translate("ChatPage", "Write the reply to this message"))
        self.waiting_button.setAccessibleName(translate("ChatPage", "Answer the last message"))
        self.waiting_line.show()

    def hide_waiting(self) -> None:
        self.waiting_line.hide()

    @property
    def waiting_shown(self) -> bool:
        return not self.waiting_line.isHidden() and not self._answer_mode

    @property
    def unanswered_shown(self) -> bool:
        return not self.waiting_line.isHidden() and self._answer_mode

    def _on_waiting_button(self) -> None:
        if self._answer_mode:
            self.answer_requested.emit()
        else:
            self.waiting_cancelled.emit()

    # --- content ---------------------------------------------------------------------------

    def message_widgets(self) -> list[MessageWidget]:
        return list(self._widgets.values())

    def widget_for(self, message_id: int) -> MessageWidget | None:
        return self._widgets.get(message_id)

    def clear(self) -> None:
        self.end_streaming()
        self._anchor = None
        for widget in self._widgets.values():
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._widgets.clear()
        self._empty.show()

    def set_messages(self, messages: Sequence[MessageLike]) -> None:
        self.clear()
        for m in messages:
            if m.role in ("user", "assistant"):
                self.add_message(m.id, m.role, m.content, m.status, m.error)
        self._follow = True
        self.scroll_to_end()

    def sync(self, messages: Sequence[MessageLike]) -> None:
        """Bring the view in line with the stored messages, re-using the widgets it has.

        Cheaper than set_messages for a long chat: only new or changed messages get new
        widgets. A widget shown before it was stored (id < 0) takes the stored id if the text
        is the same.
        """
        stored = [m for m in messages if m.role in ("user", "assistant")]
        wanted = {m.id for m in stored}
        for m in stored:
            if m.id in self._widgets:
                continue
            provisional = next(
                (
                    w
                    for i, w in self._widgets.items()
                    if i < 0 and w.role == m.role and w.text() == m.content
                ),
                None,
            )
            if provisional is not None:
                del self._widgets[provisional.message_id]
                provisional.message_id = m.id
                self._widgets[m.id] = provisional
        for message_id in [i for i in self._widgets if i not in wanted]:
            widget = self._widgets.pop(message_id)
            if widget is self._streaming:
                self.end_streaming()
            self._layout.removeWidget(widget)
            widget.deleteLater()
        for m in stored:
            widget = self._widgets.get(m.id)
            if widget is None:
                self.add_message(m.id, m.role, m.content, m.status, m.error)
            elif widget.status != m.status or (
                widget.text() != m.content and m.status != "streaming"
            ):
                widget.finish(m.status, m.content, m.error)
        self._widgets = {m.id: self._widgets[m.id] for m in stored}
        # Widgets are appended in id order; a re-used one may sit out of order: restore it.
        for index, m in enumerate(stored):
            widget = self._widgets[m.id]
            if self._layout.indexOf(widget) != index + 1:
                self._layout.removeWidget(widget)
                self._layout.insertWidget(index + 1, widget)
                self._order_tabs(widget)
        self._empty.setVisible(not self._widgets)

    def add_message(
        self,
        message_id: int,
        role: str,
        content: str,
        status: str = "complete",
        error: str | None = None,
    ) -> MessageWidget:
        widget = MessageWidget(
            message_id, role, content, status, error, self._column, self.highlighter
        )
        widget.copy_requested.connect(self.copy_requested)
        widget.edit_requested.connect(self.edit_requested)
        widget.regenerate_requested.connect(self.regenerate_requested)
        widget.version_requested.connect(self.version_requested)
        widget.set_versions(self._versions.get(message_id, (message_id,)))
        # Before the waiting line and the stretch, which stay last so messages sit at the top.
        self._layout.insertWidget(self._layout.indexOf(self.waiting_line), widget)
        self._widgets[message_id] = widget
        self._order_tabs(widget)
        self._empty.hide()
        self._anchor = None  # the chat moves on: follow it again
        return widget

    def set_versions(self, versions: dict[int, tuple[int, ...]]) -> None:
        """Each shown message's versions (Store.versions), for its ‹ n/m › switcher."""
        self._versions = dict(versions)
        for message_id, widget in self._widgets.items():
            widget.set_versions(self._versions.get(message_id, (message_id,)))

    def update_actions(self, *, busy: bool) -> None:
        """Edit on every message of the user, Regenerate on every reply, versions to switch
        between: none of them while the chat's reply runs or waits (what it answers must
        stay on screen)."""
        for w in self._widgets.values():
            stored = w.message_id > 0
            w.set_actions(
                can_edit=not busy and stored and w.role == "user",
                can_regenerate=not busy and stored and w.role == "assistant",
            )
            w.set_versions(w.versions, can_switch=not busy)

    def scroll_to_widget(self, message_id: int) -> None:
        """Bring a message into view once the column is laid out (after a rebuild)."""
        if message_id not in self._widgets:
            return
        self._follow = False

        def scroll() -> None:
            widget = self._widgets.get(message_id)
            if widget is not None:
                self.ensureWidgetVisible(widget, 0, 40)

        QTimer.singleShot(0, self, scroll)

    def _order_tabs(self, widget: MessageWidget) -> None:
        """Tab reaches a message where it is drawn, after the message above it and before
        the composer: a widget made later would join the window's focus chain at its end."""
        previous: QWidget = self
        for index in range(self._layout.indexOf(widget) - 1, -1, -1):
            above = self._layout.itemAt(index).widget()
            if isinstance(above, MessageWidget):
                previous = _tab_stops(above)[-1]
                break
        for stop in _tab_stops(widget):
            QWidget.setTabOrder(previous, stop)
            previous = stop

    # --- streaming -------------------------------------------------------------------------

    def begin_streaming(self, message_id: int) -> None:
        self._anchor = None
        self._streaming = self._widgets.get(message_id)
        self._dirty = False
        if self._streaming is not None:
            self.render_timer.start()

    def append_text(self, message_id: int, text: str) -> None:
        widget = self._streaming
        if widget is not None and widget.message_id == message_id:
            widget.append(text)
            self._dirty = True

    def finish_message(self, message_id: int, status: str, content: str, error: str | None) -> None:
        widget = self._widgets.get(message_id)
        if widget is self._streaming:
            self.end_streaming()
        if widget is not None:
            widget.finish(status, content, error)
            self._order_tabs(widget)  # its body may have grown code blocks

    def end_streaming(self) -> None:
        self.render_timer.stop()
        self._streaming = None
        self._dirty = False

    def shutdown(self) -> None:
        """Stop streaming and wait for any highlighting still under way (the window closes)."""
        self.end_streaming()
        self.highlighter.shutdown()

    def _render_streaming(self) -> None:
        if self._streaming is not None and self._dirty:
            self._dirty = False
            self._streaming.render()

    # --- scrolling -------------------------------------------------------------------------

    def scroll_to_message(self, message_id: int, terms: Sequence[str] = ()) -> bool:
        """Show message `message_id` (a search hit), its first match a third of the way down
        when the message is taller than the view, `terms` highlighted in it (and no longer
        in any other). False when the message is not shown (another branch, deleted)."""
        widget = self._widgets.get(message_id)
        if widget is None:
            return False
        for other in self._widgets.values():
            if other is not widget:
                other.mark(())
        widget.mark(terms)
        self._anchor = message_id
        self._follow = False
        self._column.layout().activate()
        self._scroll_to_anchor()
        return True

    def anchored(self) -> int | None:
        """The message scroll_to_message keeps in view, until the user scrolls."""
        return self._anchor

    def _scroll_to_anchor(self) -> None:
        widget = self._widgets.get(self._anchor) if self._anchor is not None else None
        if widget is None:
            return
        target = widget.y() - 8
        mark = widget.first_mark_y()
        height = self.viewport().height()
        if mark is not None and mark > height * 2 // 3:
            target = widget.y() + mark - height // 3
        self.verticalScrollBar().setValue(max(0, target))

    def _drop_anchor(self, _action: int = 0) -> None:
        self._anchor = None

    def scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _on_scrolled(self, value: int) -> None:
        # Follow the reply only while the user is at the bottom; reading back stays put.
        self._follow = value >= self.verticalScrollBar().maximum() - 4

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._anchor is not None:
            self._scroll_to_anchor()
        elif self._follow:
            self.verticalScrollBar().setValue(maximum)
