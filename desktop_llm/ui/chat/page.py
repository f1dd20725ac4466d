"""The chat screen: conversations on the left, the open chat, its composer and model.

ChatPage owns what a chat does: send, regenerate, edit the last message, stop, rename,
delete, search, and the replies being written or waiting. A reply is a job on the
EngineQueue; its events come back on the GUI thread through the job's worker and are
applied here.

One engine, visible turns: a message sent while another chat's reply or a task run has
the engine is not refused. It is stored at once (so closing the app cannot lose it; the
chat then shows it as not answered yet, with Answer), and its reply is queued behind the
running job; a waiting line in its chat says what it waits for, and Cancel (or Esc) takes
it back into the editor without touching the running reply. Stop belongs to the chat
whose reply runs: any other chat shows Send. The
shared status line belongs to the window: this page tells it what it is doing through
state_changed and reply_finished. Short store reads and writes (list, open, rename,
delete) run on the GUI thread: they take milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.chat.attachments import AttachedFile, AttachmentsTooLong, as_row, from_row
from desktop_llm.core.chat.events import ReplyEnded, ReplyStarted, ReplyText
from desktop_llm.core.chat.export import (
    ExportFormat,
    export_file_name,
    format_for_path,
    write_export,
)
from desktop_llm.core.chat.service import MessageNotSaved
from desktop_llm.core.default_models import save_default_model
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.energy.wording import cost_line, reply_tooltip
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.model_host import StoppedWaiting
from desktop_llm.core.services import Services
from desktop_llm.core.store import SearchHit, title_from
from desktop_llm.ui.chat.chat_settings_panel import ChatSettingsPanel
from desktop_llm.ui.chat.chat_view import ChatView
from desktop_llm.ui.chat.composer import Composer, local_files
from desktop_llm.ui.chat.conversation_list import ConversationList, shown_title
from desktop_llm.ui.chat.search_marks import query_terms
from desktop_llm.ui.common.elided_label import ElidedLabel
from desktop_llm.ui.common.engine_queue import EngineJob, EngineQueue
from desktop_llm.ui.common.error_banner import ErrorBanner
from desktop_llm.ui.common.layouts import with_sidebar
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.common.remote_models import RemoteGroup
from desktop_llm.ui.common.status_bar import ended_state
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool

# What a reply or a task run asked for meanwhile is told (translated when submitted).
BUSY_TEXT = QT_TRANSLATE_NOOP(
    "ChatPage",
    "The chat is still writing a reply. Wait for it, or stop it (Esc in the chat), "
    "then start again.",
)
UNTITLED = ("", "New chat")
# Conversations the chat never lists nor opens: the local server's requests (core/server).
HIDDEN_TASKS = frozenset({"api"})  # what ChatService.send renames from the first message


@dataclass(eq=False)
class Turn:
    """A reply on the engine queue: running, or waiting for the job ahead of it."""

    job: EngineJob
    conversation_id: int
    running: bool = False  # the engine thread has begun it
    # Messages stored while it waited (what Cancel takes back), and the title the chat
    # had before the first of them named it.
    waiting_ids: list[int] = field(default_factory=list)
    waiting_texts: list[str] = field(default_factory=list)
    waiting_files: list[AttachedFile] = field(default_factory=list)
    old_title: str | None = None
    # A message sent with files is stored only once they are counted: until its reply
    # starts, a failure gives the text and the files back to the composer.
    sent: tuple[str, list[AttachedFile]] | None = None
    # What was typed for this turn: Stop while it waits for API requests (before anything is
    # stored) gives it back to the composer.
    typed: tuple[str, list[AttachedFile]] | None = None
    stopped_waiting: bool = False
    reply_began: bool = False
    too_long: bool = False


class ChatPage(QWidget):
    state_changed = Signal(str)  # for the window's status line
    reply_started = Signal(object)  # ReplyStarted, once applied
    reply_finished = Signal(object)  # ReplyEnded, once applied
    job_failed = Signal(str)
    model_chosen = Signal(str)  # the user picked a model for chat (already saved)
    copied = Signal()
    manage_models_requested = Signal()
    run_requested = Signal(str, int)  # a search hit in a task run: task, conversation id
    exported = Signal(str)  # the path a chat was exported to
    summarize_requested = Signal(str, str)  # files too long for the chat: name(s), text

    def __init__(
        self,
        services: Services,
        engine: EngineQueue,
        task_names: frozenset[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.chat = services.chat
        self.store = services.store
        self.engine = engine
        self._task_names = task_names  # conversations of these types open on their pages
        self.current_id: int | None = None
        self._editing_id: int | None = None  # the user message the composer is editing
        self._turns: list[Turn] = []  # in queue order; at most one runs
        # The reply being written, wherever the user is looking: (conversation, message).
        self._active: tuple[int, int] | None = None
        self._active_text = ""
        self._closed = False
        self._export_pool = make_pool(self, "chatExport")
        self._export_worker: Worker | None = None
        self._export_folder: Path | None = None  # where the last export went
        self.export_dialog: QFileDialog | None = None
        self._default_model: str | None = None  # what a new chat starts with
        self._build()

    def _build(self) -> None:
        self.sidebar = ConversationList()
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.rename_requested.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.search_changed.connect(self._on_search)
        self.sidebar.hit_opened.connect(self.open_hit)

        self.model_picker = ModelPicker()
        self.model_picker.model_chosen.connect(self._on_model_chosen)
        self.model_picker.manage_requested.connect(self.manage_models_requested)
        self.model_label = model_label = QLabel(translate("ChatPage", "Model:"))
        model_label.setBuddy(self.model_picker)
        self.title_label = ElidedLabel()  # a long title never widens the window
        self.title_label.setObjectName("chatTitle")
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)
        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 0)
        top.addWidget(self.title_label, 1)
        top.addWidget(model_label)
        top.addWidget(self.model_picker)
        # The chat's own settings, beside it (the Chat menu has the same action).
        self.settings_panel = ChatSettingsPanel(self.chat, self.services.settings)
        self.settings_panel.hide()
        self.settings_panel.model_chosen.connect(self._on_model_chosen)
        self.settings_panel.model_reset.connect(self.model_picker.set_current)
        self.settings_panel.manage_models_requested.connect(self.manage_models_requested)
        self.settings_action = QAction(translate("ChatPage", "Chat &settings"), self)
        self.settings_action.setCheckable(True)
        self.settings_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.settings_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.settings_action.setToolTip(
            translate(
                "ChatPage",
                "This chat's system prompt, model, temperature, top-p and max tokens "
                "(Ctrl+Shift+P)",
            )
        )
        self.settings_action.toggled.connect(self.show_settings)
        self.settings_panel.close_requested.connect(lambda: self.settings_action.setChecked(False))
        self.addAction(self.settings_action)
        # Not the action's own button: that would show the menu's "&" as "(S)" in Chinese.
        self.settings_button = QToolButton()
        self.settings_button.setCheckable(True)
        self.settings_button.setText(translate("ChatPage", "Chat settings"))
        self.settings_button.setToolTip(self.settings_action.toolTip())
        self.settings_button.toggled.connect(self.settings_action.setChecked)
        self.settings_action.toggled.connect(self.settings_button.setChecked)
        self.settings_button.setAccessibleName(translate("ChatPage", "Chat settings"))
        top.addWidget(self.settings_button)

        self.banner = ErrorBanner()
        self.chat_view = ChatView()
        self.chat_view.edit_requested.connect(self.edit_message)
        self.chat_view.regenerate_requested.connect(self.regenerate)
        self.chat_view.version_requested.connect(self.show_version)
        self.chat_view.copy_requested.connect(lambda _id: self.copied.emit())
        self.chat_view.waiting_cancelled.connect(self.cancel_waiting)
        self.chat_view.answer_requested.connect(self.answer_last)
        self.engine.changed.connect(self._sync_turn_state)
        self.composer = Composer()
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.composer.attach_failed.connect(self.show_error)
        self.composer.summarize_requested.connect(self._summarize_instead)
        self.setAcceptDrops(True)  # files dropped anywhere on the chat are attached

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(top)
        banner_row = QHBoxLayout()
        banner_row.setContentsMargins(12, 0, 12, 0)
        banner_row.addWidget(self.banner)
        column.addLayout(banner_row)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)

        center = QWidget()
        beside = QHBoxLayout(center)
        beside.setContentsMargins(0, 0, 0, 0)
        beside.setSpacing(0)
        beside.addWidget(right, 1)
        beside.addWidget(self.settings_panel)
        with_sidebar(self, self.sidebar, center, sidebar_width=270)

    def show_settings(self, shown: bool = True) -> None:
        """Open (or close) the open chat's settings beside it."""
        if self.settings_action.isChecked() != shown:
            self.settings_action.setChecked(shown)  # comes back here through toggled
            return
        self.settings_panel.setVisible(shown)
        # The panel has the model picker then: one picker on screen, and room for the panel.
        self.model_label.setVisible(not shown)
        self.model_picker.setVisible(not shown)
        if shown:
            self.settings_panel.system_prompt.setFocus()
        else:
            self.composer.editor.setFocus()

    def focus_input(self) -> None:
        self.composer.editor.setFocus()

    def focus_search(self) -> None:
        self.sidebar.focus_search()

    # --- attachments -----------------------------------------------------------------------

    def attach_files(self) -> None:
        """Attach files… (Ctrl+Shift+A)."""
        self.composer.choose_files()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = local_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.composer.attach_paths(files)
            self.composer.editor.setFocus()

    def _summarize_instead(self, files: list[AttachedFile]) -> None:
        """The files did not fit: take them off the message, to the Summarize page."""
        if len(files) == 1:
            name, text = files[0].name, files[0].text
        else:
            name = ", ".join(f.name for f in files)
            text = "\n\n".join(f"{f.name}\n\n{f.text}" for f in files)
        sent = {(f.name, f.size, f.text) for f in files}
        self.composer.set_attachments(
            [f for f in self.composer.attachments() if (f.name, f.size, f.text) not in sent]
        )
        self.composer.hide_too_long()
        self.summarize_requested.emit(name, text)

    def _show_attachments(self, conversation_id: int) -> None:
        for message_id, rows in self.store.attachments(conversation_id).items():
            widget = self.chat_view.widget_for(message_id)
            if widget is not None:
                widget.set_attachments([from_row(r) for r in rows])

    def show_error(self, message: str) -> None:
        self.banner.show_message(message)

    def show_startup_notes(self) -> None:
        """What the user should know as the window opens, in the chat's banner."""
        notes: list[str] = []
        if self.services.settings.load_warning:
            notes.append(self.services.settings.load_warning)
        if self.services.recovery is not None:
            notes.append(self.services.recovery.note())
        if self.services.store.read_only:
            notes.append(self.services.store.read_only_note())
        if self.services.recovered_replies:
            n = self.services.recovered_replies
            cut_short = translate(
                "ChatPage", "%n reply(s) were cut short when the app last closed; "
                "the text written so far was kept.", None, PLURAL, n
            )  # fmt: skip
            notes.append(cut_short)
        if not self.model_picker.names():
            notes.append(
                translate(
                    "ChatPage",
                    "No model is installed. Download one or import a .gguf file in "
                    "Models → Manage models… (Ctrl+Shift+M).",
                )
            )
        if notes:
            self.show_error(" ".join(notes))

    # --- models ----------------------------------------------------------------------------

    def set_models(self, models: list[Any], default: str | None) -> None:
        self._default_model = default
        self.model_picker.set_models(models)
        if default is not None:
            self.model_picker.set_current(default)
        self.settings_panel.set_models(models, self.model_picker.current_name())

    def set_remote_models(self, groups: Sequence[RemoteGroup]) -> None:
        """The remote engines' models, in the header's picker and the chat's settings."""
        self.model_picker.set_remote(groups)
        self.settings_panel.model_picker.set_remote(groups)

    def _on_model_chosen(self, name: str) -> None:
        # Picked in the header or in the chat's settings: both show it.
        self.model_picker.set_current(name)
        self.settings_panel.model_picker.set_current(name)
        self._default_model = name
        if self.current_id is not None:
            self.store.set_conversation_model(self.current_id, name)
        try:
            save_default_model(self.services.settings, name, ["chat"])
        except UserError as exc:
            self.show_error(str(exc))
        self.model_chosen.emit(name)

    # --- conversations ---------------------------------------------------------------------

    def open_latest(self) -> None:
        conversations = self.store.list_conversations(task="chat", limit=1)
        if conversations:
            self.open_conversation(conversations[0].id)
        else:
            self.new_chat()

    def refresh_sidebar(self) -> None:
        query = self.sidebar.search_field.text().strip()
        if query:
            self._on_search(query)
        else:
            self.sidebar.show_conversations(
                self.store.list_conversations(task="chat"), self.current_id
            )

    def _on_search(self, query: str) -> None:
        if not query:
            self.refresh_sidebar()
            return
        self.sidebar.show_results(
            query, self._shown_hits(self.store.search(query)), self.current_id
        )

    def _shown_hits(self, hits: list[SearchHit]) -> list[SearchHit]:
        """The hits in chats and task runs: the local server's conversations (task "api")
        are a record of what clients asked, not chats to open and continue here."""
        tasks: dict[int, str | None] = {}
        for conversation_id in {hit.conversation_id for hit in hits}:
            try:
                tasks[conversation_id] = self.store.get_conversation(conversation_id).task
            except UserError:
                tasks[conversation_id] = None
        return [hit for hit in hits if tasks[hit.conversation_id] not in HIDDEN_TASKS]

    def open_conversation(self, conversation_id: int) -> None:
        try:
            conversation = self.store.get_conversation(conversation_id)
            if conversation.task in self._task_names:
                # A search hit in a translation, summary or sentiment run: open it there.
                self.run_requested.emit(conversation.task, conversation_id)
                return
            messages = self.store.messages(conversation_id)
        except UserError as exc:
            self.show_error(str(exc))
            self.refresh_sidebar()
            return
        if self.composer.editing:
            self.composer.cancel_edit()
        self.current_id = conversation_id
        self.title_label.setText(shown_title(conversation.title))
        # The chat's model, or the default one for a chat that has none yet.
        self.model_picker.set_current(conversation.model or self._default_model)
        self.settings_panel.model_picker.set_current(self.model_picker.current_name())
        self.settings_panel.show_conversation(conversation_id)
        self._show_messages(messages)
        self.sidebar.select(conversation_id)
        if not self.sidebar.searching:
            self.refresh_sidebar()
        self.composer.editor.setFocus()

    def open_hit(self, conversation_id: int, message_id: int) -> None:
        """A search result picked: its chat opens at the message that matched, the
        search's words highlighted in it. A hit in a version or branch not on screen brings
        that branch on screen (unless a reply of that chat runs or waits)."""
        if self._turn_in(conversation_id) is None:
            try:
                shown = {m.id for m in self.store.messages(conversation_id)}
                if message_id not in shown:
                    self.store.show_message(message_id)
            except UserError:
                pass  # deleted meanwhile: open_conversation says so
        self.open_conversation(conversation_id)
        if self.current_id == conversation_id:  # not a task run, which opens on its page
            terms = query_terms(self.sidebar.search_field.text())
            self.chat_view.scroll_to_message(message_id, terms)

    def _show_messages(self, messages: list[Any], *, rebuild: bool = True) -> None:
        if rebuild:
            self.chat_view.set_messages(messages)
        else:
            self.chat_view.sync(messages)
        if self.current_id is not None:
            self.chat_view.set_versions(self.store.versions(self.current_id))
            self._show_costs(self.current_id)
            self._show_attachments(self.current_id)
        if self._active is not None and self._active[0] == self.current_id:
            # The store holds the reply as of its last save; the view gets every token.
            widget = self.chat_view.widget_for(self._active[1])
            if widget is not None:
                widget.finish("streaming", self._active_text, None)
                self.chat_view.begin_streaming(self._active[1])
        self._sync_turn_state()

    def _show_costs(self, conversation_id: int) -> None:
        for call in conversation_cost(self.store, conversation_id).calls:
            widget = self.chat_view.widget_for(call.message_id)
            if widget is not None:
                widget.set_cost(call.line(), call.tooltip())

    def reload_current(self, *, rebuild: bool = True) -> None:
        if self.current_id is not None:
            try:
                self._show_messages(self.store.messages(self.current_id), rebuild=rebuild)
            except UserError:
                self.chat_view.clear()

    def new_chat(self) -> None:
        if self.current_id is not None and not self.chat_view.message_widgets():
            # The open chat is still empty: use it rather than piling up empty chats.
            self.sidebar.search_field.clear()
            self.composer.editor.setFocus()
            return
        # From the defaults: the default model, not the one of the chat on screen.
        conversation_id = self.chat.new_conversation(model=self._default_model)
        self.sidebar.search_field.clear()
        self.open_conversation(conversation_id)

    def rename_current(self) -> None:
        if self.current_id is not None:
            self.rename_conversation(self.current_id)

    def delete_current(self) -> None:
        if self.current_id is not None:
            self.delete_conversation(self.current_id)

    # --- export ----------------------------------------------------------------------------

    def export_current(self) -> None:
        """Ask where to save the open chat (Markdown or JSON), then write it."""
        if self.current_id is None:
            return
        try:
            title = self.store.get_conversation(self.current_id).title
        except UserError as exc:
            self.show_error(str(exc))
            return
        folder = self._export_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        filters = {
            "md": translate("ChatPage", "Markdown (*.md)"),
            "json": translate("ChatPage", "JSON, with each reply's figures (*.json)"),
        }
        dialog = QFileDialog(
            self, translate("ChatPage", "Export chat"), str(folder / export_file_name(title, "md"))
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters(list(filters.values()))
        dialog.setDefaultSuffix("md")
        conversation_id = self.current_id

        def chosen_format() -> ExportFormat:
            return "json" if dialog.selectedNameFilter() == filters["json"] else "md"

        def on_filter(_name: str) -> None:
            # The name follows the format picked: "Trip plans.md" becomes "Trip plans.json".
            fmt = chosen_format()
            dialog.setDefaultSuffix(fmt)
            names = dialog.selectedFiles()
            if names:
                stem = Path(names[0]).stem
                dialog.selectFile(stem + (".json" if fmt == "json" else ".md"))

        def on_file(path: str) -> None:
            self.export_to(path, format_for_path(path, chosen_format()), conversation_id)

        dialog.filterSelected.connect(on_filter)
        dialog.fileSelected.connect(on_file)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()

    def export_to(
        self, path: str | Path, fmt: ExportFormat | None = None, conversation_id: int | None = None
    ) -> Worker | None:
        """Write a chat (the open one by default) to path, off the GUI thread; the format
        follows the file's suffix unless given. `exported` tells when it is written."""
        conversation_id = self.current_id if conversation_id is None else conversation_id
        if conversation_id is None:
            return None
        target = Path(path)
        fmt = fmt or format_for_path(target)
        store = self.store
        self._export_worker = run_in_pool(
            self._export_pool,
            lambda: write_export(store, conversation_id, fmt, target),
            self._on_exported,
            self.show_error,
            replaces=self._export_worker,
        )
        return self._export_worker

    def _on_exported(self, path: Path) -> None:
        self._export_folder = path.parent
        self.state_changed.emit(arg(translate("ChatPage", "Chat exported to %1"), str(path)))
        self.exported.emit(str(path))

    def rename_conversation(self, conversation_id: int) -> None:
        try:
            current = self.store.get_conversation(conversation_id).title
        except UserError as exc:
            self.show_error(str(exc))
            return
        title, ok = QInputDialog.getText(
            self,
            translate("ChatPage", "Rename chat"),
            translate("ChatPage", "New name:"),
            QLineEdit.EchoMode.Normal,
            current,
        )
        title = " ".join(title.split())
        if not ok or not title:
            return
        self.store.rename_conversation(conversation_id, title)
        if conversation_id == self.current_id:
            self.title_label.setText(title)
        self.refresh_sidebar()

    def delete_conversation(self, conversation_id: int) -> None:
        turn = self._turn_in(conversation_id)
        if turn is not None and (turn.running or not turn.waiting_ids):
            self.show_error(
                translate("ChatPage", "This chat is still writing a reply. Stop it (Esc) first.")
            )
            return
        try:
            title = self.store.get_conversation(conversation_id).title
        except UserError as exc:
            self.show_error(str(exc))
            return
        answer = QMessageBox.question(
            self,
            translate("ChatPage", "Delete chat"),
            arg(
                translate("ChatPage", "Delete “%1” and all its messages? This cannot be undone."),
                title,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        turn = self._turn_in(conversation_id)
        if turn is not None and not self._withdraw(turn):
            return  # its reply began meanwhile
        self.store.delete_conversation(conversation_id)
        if conversation_id == self.current_id:
            self.current_id = None
            self.chat_view.clear()
            self.open_latest()
        self.refresh_sidebar()

    # --- replies ---------------------------------------------------------------------------

    @property
    def reply_busy(self) -> bool:
        """A reply of this page runs or waits for the engine."""
        return bool(self._turns)

    def _turn_in(self, conversation_id: int | None) -> Turn | None:
        return next((t for t in self._turns if t.conversation_id == conversation_id), None)

    @property
    def running_here(self) -> bool:
        """The open chat's reply is being written (its composer shows Stop)."""
        turn = self._turn_in(self.current_id)
        return turn is not None and turn.running

    @property
    def waiting_here(self) -> bool:
        """The open chat has a message waiting for the engine."""
        turn = self._turn_in(self.current_id)
        return turn is not None and not turn.running

    def send(self, text: str) -> None:
        # The files go with a new message; an edit keeps those of the message it replaces.
        files = [] if self.composer.editing else self.composer.attachments()
        if self._closed or not (text.strip() or files) or self.running_here:
            return  # one reply per chat at a time: the text stays in the editor
        if self.composer.reading:
            return  # a file is still being read: the message waits for it
        self.composer.hide_too_long()
        if self.engine.refusal() is not None or self.waiting_here:
            self._send_later(text, files)
            return
        if self.current_id is None:
            self.new_chat()
        conversation_id = self.current_id
        assert conversation_id is not None
        model = self.model_picker.current_name()
        if self.composer.editing and self._editing_id is not None:
            self.composer.finish_edit()
            edited, self._editing_id = self._editing_id, None
            start = lambda: self.chat.edit(conversation_id, edited, text, model=model)  # noqa: E731
        else:
            start = lambda: self.chat.send(  # noqa: E731
                conversation_id, text, model=model, attachments=files
            )
            # Shown at once; replaced by the stored copy when the reply starts.
            self.chat_view.add_message(-1, "user", text).set_attachments(files)
            self.chat_view.update_actions(busy=True)
        self.composer.editor.clear()
        self.composer.clear_attachments()
        # Lay out and paint the new message now, while this thread holds the GIL: once the
        # engine thread is busy in Python, each first virtual call of a new widget would wait
        # for a GIL hand-off.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.window().repaint()
        turn = self._start_reply(conversation_id, start, running=True)
        turn.typed = (text, files)
        if files:
            turn.sent = (text, files)

    def _send_later(self, text: str, files: list[AttachedFile]) -> None:
        """Store the message now and queue its reply behind whatever has the engine."""
        reason = self.engine.refusal()
        if self.composer.editing:
            # An edit replaces stored messages when it runs: not something to leave waiting.
            self.show_error(reason or translate("ChatPage", BUSY_TEXT))
            return
        if self.current_id is None:
            self.new_chat()
        conversation_id = self.current_id
        assert conversation_id is not None
        try:
            title = self.store.get_conversation(conversation_id).title
            message = self.store.add_message(conversation_id, "user", text)
            if files:
                # Counted when the reply's turn comes (the engine is busy now).
                self.store.add_attachments(message.id, [as_row(f) for f in files])
            if title in UNTITLED:
                self.store.rename_conversation(conversation_id, title_from(text or files[0].name))
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.composer.editor.clear()
        self.composer.clear_attachments()
        turn = self._turn_in(conversation_id)
        if turn is None:
            # Answers every message stored while it waited, as one reply.
            turn = self._queue_answer(conversation_id)
            turn.old_title = title if title in UNTITLED else None
        turn.waiting_ids.append(message.id)
        turn.waiting_texts.append(text)
        turn.waiting_files += files
        self.reload_current(rebuild=False)
        self.refresh_sidebar()
        self.title_label.setText(shown_title(self.store.get_conversation(conversation_id).title))

    def _queue_answer(self, conversation_id: int) -> Turn:
        """Queue a reply to the chat's last message, already stored."""
        store, chat = self.store, self.chat
        model = self.model_picker.current_name()

        def answer() -> Iterator[object]:
            # On the engine thread, once it is this reply's turn. Only a chat that still
            # ends with the user's message is answered: regenerate would replace a reply.
            messages = store.messages(conversation_id)
            if messages and messages[-1].role == "user":
                yield from chat.regenerate(conversation_id, model=model)

        return self._start_reply(conversation_id, answer, running=False)

    def answer_last(self) -> None:
        """Answer a chat's last message that has no reply (the app closed while it waited)."""
        if self._closed or self.current_id is None or self._turn_in(self.current_id):
            return
        self._queue_answer(self.current_id)

    def regenerate(self, message_id: int | None = None) -> None:
        """Write a reply again (by default the last one); the earlier one stays a version."""
        if self.reply_busy or self.current_id is None or not self.chat_view.message_widgets():
            return
        refusal = self.engine.refusal()
        if refusal is not None:
            self.show_error(refusal)
            return
        conversation_id = self.current_id
        model = self.model_picker.current_name()
        self._start_reply(
            conversation_id,
            lambda: self.chat.regenerate(conversation_id, message_id, model=model),
            running=True,
        )

    def edit_last(self) -> None:
        """Edit the last message the user sent in the open chat (Up in an empty editor)."""
        last_user = next(
            (w for w in reversed(self.chat_view.message_widgets()) if w.role == "user"), None
        )
        if last_user is not None:
            self.edit_message(last_user.message_id)

    def edit_message(self, message_id: int) -> None:
        """Put a message of the user into the editor; sending it starts a new branch there."""
        if self._turn_in(self.current_id) is not None:
            return
        widget = self.chat_view.widget_for(message_id)
        if widget is None or widget.role != "user" or message_id < 0:
            return
        self._editing_id = message_id
        self.composer.start_edit(widget.text())

    def show_version(self, message_id: int) -> None:
        """Show another version of a message, with the branch that follows it."""
        if self.current_id is None or self._turn_in(self.current_id) is not None:
            return
        try:
            self.store.show_message(message_id)
            messages = self.store.messages(self.current_id)
        except UserError as exc:
            self.show_error(str(exc))
            return
        if self.composer.editing:
            self.composer.cancel_edit()
        self._show_messages(messages)
        self.chat_view.scroll_to_widget(message_id)
        focus = self.chat_view.widget_for(message_id)
        if focus is not None:
            # Keep the keyboard where it was: on the switcher of the message now shown.
            button = focus.next_button if focus.next_button.isEnabled() else focus.previous_button
            button.setFocus()

    def _start_reply(
        self, conversation_id: int, start: Callable[[], Iterator[object]], *, running: bool
    ) -> Turn:
        self.banner.dismiss()
        if running:
            self.state_changed.emit(translate("ChatPage", "Waiting for the model…"))
        saves = self.settings_panel.saves

        def reply() -> Iterator[object]:
            # On the engine thread: settings changed just before are written first.
            saves.write(conversation_id)
            yield from start()

        job = self.engine.submit(
            reply,
            kind="reply",
            on_cancel=self.chat.cancel,
            busy_text=translate("ChatPage", BUSY_TEXT),
        )
        turn = Turn(job, conversation_id, running=running)
        job.worker.started.connect(lambda: self._on_turn_began(turn))
        job.worker.yielded.connect(self._on_event)
        job.worker.errored.connect(lambda exc: self._on_errored(turn, exc))
        job.worker.failed.connect(
            lambda message: (
                None if turn.too_long or turn.stopped_waiting else self._on_failed(message)
            )
        )
        job.worker.finished.connect(lambda: self._on_finished(turn))
        self._turns.append(turn)
        self._sync_turn_state()
        return turn

    def _on_turn_began(self, turn: Turn) -> None:
        if self._closed or turn.job.withdrawn or turn.running:
            return
        turn.running = True
        self.state_changed.emit(translate("ChatPage", "Waiting for the model…"))
        self._sync_turn_state()

    def _waits_for(self, turn: Turn) -> str | None:
        """What a waiting turn's line says, or None when nothing is ahead of it."""
        ahead = self.engine.ahead_of(turn.job)
        if ahead is None:
            return None
        mine = next((t for t in self._turns if t.job is ahead), None)
        if mine is not None:
            try:
                title = shown_title(self.store.get_conversation(mine.conversation_id).title)
            except UserError:
                title = ""
            return arg(translate("ChatPage", "Waits for the reply in “%1”"), title)
        return ahead.waits_text or translate("ChatPage", "Waits for the model to be free")

    def _sync_turn_state(self) -> None:
        """The composer, the message actions and the waiting line of the open chat."""
        if self._closed:
            return
        turn = self._turn_in(self.current_id)
        self.composer.set_busy(turn is not None and turn.running)
        self.settings_panel.set_busy(turn is not None and turn.running)
        self.chat_view.update_actions(busy=turn is not None or self.engine.refusal() is not None)
        waits = self._waits_for(turn) if turn is not None and not turn.running else None
        widgets = self.chat_view.message_widgets()
        if waits is not None:
            self.chat_view.show_waiting(waits)
        elif turn is None and widgets and widgets[-1].role == "user" and widgets[-1].message_id > 0:
            self.chat_view.show_unanswered()
        else:
            self.chat_view.hide_waiting()

    def stop(self) -> None:
        """Esc in the chat: stop its reply, take back its waiting message, or end an edit."""
        turn = self._turn_in(self.current_id)
        if turn is not None and turn.running:
            self.state_changed.emit(translate("ChatPage", "Stopping…"))
            turn.job.cancel()
        elif turn is not None:
            self.cancel_waiting()
        elif self.composer.editing:
            self.composer.cancel_edit()

    def cancel_waiting(self) -> None:
        """Take the open chat's waiting message back into the editor; the running reply
        goes on."""
        turn = self._turn_in(self.current_id)
        if turn is None or turn.running:
            return
        if not self._withdraw(turn):
            return
        typed = self.composer.text()
        back = "\n\n".join(t for t in turn.waiting_texts if t.strip())
        self.composer.editor.setPlainText(back + ("\n\n" + typed if typed.strip() else ""))
        if turn.waiting_files:
            self.composer.set_attachments(turn.waiting_files + self.composer.attachments())
        self.composer.editor.moveCursor(self.composer.editor.textCursor().MoveOperation.End)
        self.composer.editor.setFocus()
        self.reload_current(rebuild=False)
        self.refresh_sidebar()
        if self.current_id is not None:
            self.title_label.setText(
                shown_title(self.store.get_conversation(self.current_id).title)
            )
        self.state_changed.emit(translate("ChatPage", "The message was taken back."))

    def _withdraw(self, turn: Turn) -> bool:
        """Take a waiting turn off the queue and its stored messages out of the chat;
        False when its reply began meanwhile (then it is left to run)."""
        if not self.engine.withdraw(turn.job):
            turn.running = True
            self._sync_turn_state()
            return False
        self._turns.remove(turn)
        try:
            if turn.waiting_ids:
                self.store.delete_messages_from(turn.waiting_ids[0])
            if turn.old_title is not None:
                self.store.rename_conversation(turn.conversation_id, turn.old_title)
        except UserError as exc:
            self.show_error(str(exc))
        self._sync_turn_state()
        return True

    def _on_errored(self, turn: Turn, exc: object) -> None:
        """A turn failed; a message sent with files and not stored goes back to the
        composer, and files too long for the context say so there, with another way."""
        if self._closed:
            return
        if isinstance(exc, StoppedWaiting) and not turn.reply_began:
            # Stopped while API requests had the model: nothing was stored, nothing is lost.
            turn.stopped_waiting = True
            if turn.typed is not None:
                self._give_back(*turn.typed)
            self.reload_current()
            self.state_changed.emit(str(exc))
            return
        if turn.sent is not None and not turn.reply_began:
            text, files = turn.sent
            turn.sent = None
            self._give_back(text, files)
        elif isinstance(exc, MessageNotSaved) and not turn.reply_began:
            # Not stored (a full disk): the words go back where they were typed.
            typed = self.composer.text()
            if exc.text.strip() and exc.text not in typed:
                self.composer.editor.setPlainText(
                    exc.text + ("\n\n" + typed if typed.strip() else "")
                )
            self.composer.editor.setFocus()
        if isinstance(exc, AttachmentsTooLong):
            turn.too_long = True
            self.composer.show_too_long(exc)
            self.state_changed.emit(translate("StatusLine", "Ready"))
            self.reload_current()

    def _give_back(self, text: str, files: list[AttachedFile]) -> None:
        """Put a message that was never stored back into the composer, before what is typed."""
        typed = self.composer.text()
        if text.strip():
            self.composer.editor.setPlainText(text + ("\n\n" + typed if typed.strip() else ""))
        if files:
            self.composer.set_attachments(files + self.composer.attachments())
        self.composer.editor.setFocus()

    def _on_event(self, event: object) -> None:
        if self._closed:
            return
        if isinstance(event, ReplyText):
            if self._active is not None and self._active[1] == event.message_id:
                self._active_text += event.text
            self.chat_view.append_text(event.message_id, event.text)
        elif isinstance(event, ReplyStarted):
            self._on_reply_started(event)
        elif isinstance(event, ReplyEnded):
            self._on_reply_ended(event)

    def _on_reply_started(self, event: ReplyStarted) -> None:
        turn = self._turn_in(event.conversation_id)
        if turn is not None:
            turn.reply_began = True
        self._active = (event.conversation_id, event.reply_message_id)
        self._active_text = ""
        engine = self.model_picker.remote_engine(self.model_picker.current_name())
        if engine is None:
            self.state_changed.emit(translate("ChatPage", "Writing…"))
        else:
            self.state_changed.emit(arg(translate("ChatPage", "Answering on %1…"), engine))
        if event.conversation_id == self.current_id:
            self.reload_current(rebuild=False)
        self.refresh_sidebar()  # the first message names the chat; it moves to the top
        if event.conversation_id == self.current_id:
            self.title_label.setText(
                shown_title(self.store.get_conversation(self.current_id).title)
            )
        self.reply_started.emit(event)

    def _on_reply_ended(self, event: ReplyEnded) -> None:
        self._active = None
        self._active_text = ""
        self.chat_view.finish_message(event.message_id, event.status, event.content, event.error)
        widget = self.chat_view.widget_for(event.message_id)
        if widget is not None and event.energy is not None:
            speed = event.stats.tokens_per_second if event.stats is not None else None
            tooltip = reply_tooltip(event.energy, event.engine, event.engine_host)
            widget.set_cost(cost_line(event.energy, speed), tooltip)
        self.state_changed.emit(ended_state(event.status, "reply"))
        self.reply_finished.emit(event)

    def _on_failed(self, message: str) -> None:
        if self._closed:
            return
        self.show_error(message)
        self.state_changed.emit(translate("StatusLine", "Ready"))
        # Whatever was stored before the failure (the user's message) is what counts.
        self.reload_current()
        self.job_failed.emit(message)

    def _on_finished(self, turn: Turn) -> None:
        if self._closed or turn not in self._turns:
            return  # withdrawn while it waited: nothing of it ran
        self._turns.remove(turn)
        if self._active is not None and self._active[0] == turn.conversation_id:
            # The job ended without ReplyEnded (it raised): nothing is streaming now.
            self._active = None
            self.chat_view.end_streaming()
            self.reload_current()
        self._sync_turn_state()
        self.refresh_sidebar()

    def shutdown(self) -> None:
        self._closed = True
        stop_pool(self._export_pool, self._export_worker)
        self.settings_panel.shutdown()
        self.composer.shutdown()
        self.chat_view.shutdown()
        self.sidebar.stop_timers()
