"""The main window: a mode bar (Chat, Translate, Summarize, Sentiment) over a stack of pages.

The chat page is the sidebar, chat, composer and model picker; each task page is a panel
(translate_panel.py, summarize_panel.py, sentiment_panel.py). The status line is shared.

The GUI thread only draws and reacts. Everything that loads a model or generates goes to the
EngineThread as a Job; its events come back as queued signals and are applied here, or, for
a task run, handed to its panel by the TaskRunner. One run at a time: the chat and the tasks
refuse to start while the other is running. Short store reads and writes (list, open,
rename, delete) run here: they take milliseconds.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.chat.events import ReplyEnded, ReplyStarted, ReplyText
from desktop_llm.core.default_models import default_model_for, save_default_model
from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.energy.wording import cost_line, cost_tooltip
from desktop_llm.core.errors import UserError
from desktop_llm.core.model_host import ModelLoading, ModelReady
from desktop_llm.core.models.download import DownloadSnapshot
from desktop_llm.core.services import Services
from desktop_llm.core.tasks.events import TaskEnded, TaskStarted
from desktop_llm.ui.chat.chat_view import ChatView
from desktop_llm.ui.chat.composer import Composer
from desktop_llm.ui.chat.conversation_list import ConversationList
from desktop_llm.ui.common.engine_thread import EngineThread, Job
from desktop_llm.ui.common.error_banner import ErrorBanner
from desktop_llm.ui.common.model_picker import ModelPicker
from desktop_llm.ui.common.status_bar import StatusLine
from desktop_llm.ui.energy.dashboard import EnergyDashboard
from desktop_llm.ui.mode_switcher import MODES, TaskSwitcher
from desktop_llm.ui.models.downloads import DownloadIndicator, DownloadManager
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB, INSTALLED_TAB, ModelManagerDialog
from desktop_llm.ui.settings.dialog import SettingsDialog
from desktop_llm.ui.tasks.panel import TaskPanel, TaskRunner
from desktop_llm.ui.tasks.sentiment_panel import SentimentPanel
from desktop_llm.ui.tasks.summarize_panel import SummarizePanel
from desktop_llm.ui.tasks.translate_panel import TranslatePanel

log = logging.getLogger(__name__)

WINDOW_TITLE = "Desktop LLM"
# The idle power baseline: measured this long, this soon after a model is ready, when the
# engine has nothing else to do (see ModelHost.measure_baseline).
BASELINE_SECONDS = 5.0
BASELINE_DELAY_MS = 3000

STYLE = """
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
QFrame#errorBanner {
    background: #fdecea;
    border: 1px solid #e0a39d;
    border-radius: 6px;
}
QFrame#errorBanner QLabel { color: #611a15; }
QLabel#emptyHint { color: palette(mid); padding: 40px; }
QLabel#editNote { color: palette(highlight); }
QFrame#taskSwitcher { background: palette(alternate-base); border-right: 1px solid palette(mid); }
QFrame#taskSwitcher QToolButton { padding: 6px 10px; border: none; border-radius: 6px; }
QFrame#taskSwitcher QToolButton:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QFrame#taskSwitcher QToolButton:hover:!checked { background: palette(midlight); }
QLabel#coverage { color: palette(dark); }
QLabel#detectedLanguage { color: palette(dark); font-style: italic; }
"""

STATE_AFTER = {
    "complete": "Ready",
    "stopped": "Stopped",
    "interrupted": "Interrupted",
    "error": "The reply failed",
}


class MainWindow(QMainWindow):
    # For tests and scripts: what the window has applied, on the GUI thread.
    reply_started = Signal(object)  # ReplyStarted
    reply_finished = Signal(object)  # ReplyEnded
    model_ready = Signal(object)  # ModelReady
    job_failed = Signal(str)

    def __init__(self, services: Services, *, preload: bool = False) -> None:
        super().__init__()
        self.services = services
        self.chat = services.chat
        self.store = services.store
        self.current_id: int | None = None
        self._reply_job: Job | None = None
        # The reply being written, wherever the user is looking: [conversation, message, text]
        self._active: tuple[int, int] | None = None
        self._active_text = ""
        self._closed = False
        self._baseline_done = False
        self.started_at = datetime.now(UTC)  # "this session" in the energy dashboard
        self.energy_dashboard: EnergyDashboard | None = None

        self.setWindowTitle(WINDOW_TITLE)
        self.setStyleSheet(STYLE)
        self.resize(1100, 760)

        self.engine = EngineThread(self)
        self.engine.event.connect(self._on_engine_event)
        self.engine.failed.connect(self._on_job_failed)
        self.engine.job_finished.connect(self._on_job_finished)
        self.model_ready.connect(
            lambda _ready: QTimer.singleShot(BASELINE_DELAY_MS, self, self.measure_baseline)
        )

        self._build()
        self._build_actions()
        self._load_models()
        self._open_initial()
        self._report_startup()
        if preload:
            self.preload_model()
            # Downloads a closed app left half-done go on (Hub permitting), off this thread.
            QTimer.singleShot(0, self, self.downloads.resume_interrupted)

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.sidebar = ConversationList()
        self.sidebar.selected.connect(self.open_conversation)
        self.sidebar.new_requested.connect(self.new_chat)
        self.sidebar.rename_requested.connect(self.rename_conversation)
        self.sidebar.delete_requested.connect(self.delete_conversation)
        self.sidebar.search_changed.connect(self._on_search)

        self.model_picker = ModelPicker()
        self.model_picker.model_chosen.connect(self._on_model_chosen)
        self.model_picker.manage_requested.connect(self.open_model_manager)
        model_label = QLabel("Model:")
        model_label.setBuddy(self.model_picker)
        self.title_label = QLabel()
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

        self.banner = ErrorBanner()
        self.chat_view = ChatView()
        self.chat_view.edit_requested.connect(self.edit_last)
        self.chat_view.regenerate_requested.connect(lambda _id: self.regenerate())
        self.chat_view.copy_requested.connect(
            lambda _id: self.status_line.showMessage("Copied to the clipboard.", 2000)
        )
        self.composer = Composer()
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)

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

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([270, 830])
        splitter.setChildrenCollapsible(False)

        # The task pages share the engine thread; their runs go through the TaskRunner.
        self.task_runner = TaskRunner(self.engine, self.services.tasks, self._task_refusal, self)
        self.task_runner.started.connect(self._on_task_started)
        self.translate_panel = TranslatePanel(self.services, self.task_runner)
        self.summarize_panel = SummarizePanel(self.services, self.task_runner)
        self.sentiment_panel = SentimentPanel(self.services, self.task_runner)
        self.panels: dict[str, TaskPanel] = {
            panel.task: panel
            for panel in (self.translate_panel, self.summarize_panel, self.sentiment_panel)
        }
        self.pages = QStackedWidget()
        self.pages.addWidget(splitter)
        for key, _title in MODES[1:]:
            self.pages.addWidget(self.panels[key])
        self.switcher = TaskSwitcher()
        self.switcher.changed.connect(self.show_mode)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.switcher)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status_line = StatusLine()
        self.setStatusBar(self.status_line)
        for panel in self.panels.values():
            panel.refresh_history()
            panel.model_picker.manage_requested.connect(self.open_model_manager)

        # Downloads belong to the window: they go on while the manager dialog is closed.
        self.downloads = DownloadManager(self.services.paths.models_dir, parent=self)
        self.downloads.finished.connect(self._on_download_finished)
        self.download_indicator = DownloadIndicator(self.downloads)
        self.download_indicator.clicked.connect(self.open_model_manager)
        self.status_line.addPermanentWidget(self.download_indicator)
        self.model_manager: ModelManagerDialog | None = None

    def _action(
        self,
        menu_title: str,
        text: str,
        shortcut: str | QKeySequence | None,
        slot: Callable[[], object],
    ) -> QAction:
        menus = self._menus
        if menu_title not in menus:
            menus[menu_title] = self.menuBar().addMenu(menu_title)
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Window-wide, so the keys work whichever widget has the focus.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menus[menu_title].addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self._menus: dict[str, object] = {}
        self.new_action = self._action("&File", "&New chat", "Ctrl+N", self.new_chat)
        # QKeySequence.Preferences is empty on most Linux desktops: bind Ctrl+, itself.
        self.settings_action = self._action("&File", "&Settings…", "Ctrl+,", self.open_settings)
        self.quit_action = self._action("&File", "&Quit", "Ctrl+Q", self.close)
        self.find_action = self._action("&Chat", "&Search chats", "Ctrl+F", self.focus_search)
        self.stop_action = self._action("&Chat", "S&top reply", "Esc", self.stop)
        self.regenerate_action = self._action(
            "&Chat", "&Regenerate reply", "Ctrl+R", self.regenerate
        )
        self.rename_action = self._action("&Chat", "Re&name chat…", None, self._rename_current)
        self.delete_action = self._action("&Chat", "&Delete chat…", None, self._delete_current)
        self.mode_actions = [
            self._action("&View", title, f"Ctrl+{index + 1}", lambda i=index: self.show_mode(i))
            for index, (_key, title) in enumerate(MODES)
        ]
        self.energy_action = self._action(
            "&View", "&Energy dashboard…", "Ctrl+Shift+E", self.open_energy_dashboard
        )
        self.energy_action.setToolTip("What your replies cost in energy and carbon")
        self.models_action = self._action(
            "&Models", "&Manage models…", "Ctrl+Shift+M", self.open_model_manager
        )
        self.models_action.setToolTip("Installed models, the catalog, Hub search, downloads")
        self.import_action = self._action(
            "&Models", "&Import a GGUF file…", None, self._import_model
        )
        self.discover_action = self._action(
            "&Models",
            "&Find models to download…",
            None,
            lambda: self.open_model_manager(DISCOVER_TAB),
        )
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action, text in (
            (self.new_action, "New chat"),
            (self.models_action, "Models"),
            (self.energy_action, "Energy"),
            (self.settings_action, "Settings"),
        ):
            toolbar.addAction(action)
            toolbar.widgetForAction(action).setText(text)  # short labels, menus keep theirs
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    # --- modes -----------------------------------------------------------------------------

    def show_mode(self, index: int) -> None:
        """Show the chat (0) or a task panel (1-3), and put the focus in its input."""
        if not 0 <= index < len(MODES):
            return
        self.pages.setCurrentIndex(index)
        self.switcher.set_current(index)
        panel = self.current_panel()
        if panel is None:
            self.composer.editor.setFocus()
        else:
            panel.focus_input()

    def show_task(self, task: str) -> TaskPanel:
        self.show_mode([key for key, _ in MODES].index(task))
        return self.panels[task]

    def current_panel(self) -> TaskPanel | None:
        widget = self.pages.currentWidget()
        return widget if isinstance(widget, TaskPanel) else None

    def mode(self) -> str:
        return MODES[self.pages.currentIndex()][0]

    def _rename_current(self) -> None:
        if self.current_id is not None:
            self.rename_conversation(self.current_id)

    def _delete_current(self) -> None:
        if self.current_id is not None:
            self.delete_conversation(self.current_id)

    # --- start-up --------------------------------------------------------------------------

    def _load_models(self) -> None:
        models = self.services.registry.list()
        self.model_picker.set_models(models)
        for panel in self.panels.values():
            panel.set_models(models)
        default = default_model_for("chat", self.services.settings, self.services.registry)
        if default is not None:
            self.model_picker.set_current(default.name)
        self.status_line.set_model(self.model_picker.current_name())

    def _open_initial(self) -> None:
        conversations = self.store.list_conversations(task="chat", limit=1)
        if conversations:
            self.open_conversation(conversations[0].id)
        else:
            self.new_chat()

    def _report_startup(self) -> None:
        notes: list[str] = []
        if self.services.settings.load_warning:
            notes.append(self.services.settings.load_warning)
        if self.services.recovered_replies:
            n = self.services.recovered_replies
            notes.append(
                f"{n} repl{'ies' if n != 1 else 'y'} were cut short when the app last closed; "
                "the text written so far was kept."
            )
        if not self.model_picker.names():
            notes.append(
                "No model is installed. Download one or import a .gguf file in "
                "Models → Manage models… (Ctrl+Shift+M)."
            )
        if notes:
            self.banner.show_message(" ".join(notes))

    def measure_baseline(self, seconds: float = BASELINE_SECONDS) -> Job | None:
        """Measure the idle power on the engine thread (never while it has work); any
        reply or task submitted meanwhile interrupts it, and the next model load retries."""
        if self._closed or self.engine.busy or self._baseline_done:
            return None
        stop = threading.Event()
        host = self.services.host

        def measure() -> list[object]:
            host.measure_baseline(seconds, stop)
            if not stop.is_set():
                self._baseline_done = True  # a plain bool: read on the GUI thread later
            return []

        return self.engine.submit(
            Job(start=measure, on_cancel=stop.set, kind="baseline", yields=True)
        )

    def preload_model(self) -> None:
        """Load the picked model in the background, so the first reply starts sooner."""
        name = self.model_picker.current_name()
        if name is None or self._closed or self.engine.pending("load"):
            return
        self.engine.submit(
            Job(start=lambda: self.chat.prepare(name), on_cancel=self.chat.cancel, kind="load")
        )

    # --- conversations ---------------------------------------------------------------------

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
        hits = self.store.search(query)
        self.sidebar.show_results(query, hits, self.current_id)

    def open_conversation(self, conversation_id: int) -> None:
        try:
            conversation = self.store.get_conversation(conversation_id)
            if conversation.task in self.panels:
                # A search hit in a translation, summary or sentiment run: open it there.
                self.show_task(conversation.task).open_run(conversation_id)
                return
            messages = self.store.messages(conversation_id)
        except UserError as exc:
            self.show_error(str(exc))
            self.refresh_sidebar()
            return
        if self.composer.editing:
            self.composer.cancel_edit()
        self.current_id = conversation_id
        self.title_label.setText(conversation.title or "New chat")
        if conversation.model:
            self.model_picker.set_current(conversation.model)
        self._show_messages(messages)
        self.sidebar.select(conversation_id)
        if not self.sidebar.searching:
            self.refresh_sidebar()
        self.composer.editor.setFocus()

    def _show_messages(self, messages: Iterable[object], *, rebuild: bool = True) -> None:
        messages = list(messages)
        if rebuild:
            self.chat_view.set_messages(messages)  # type: ignore[arg-type]
        else:
            self.chat_view.sync(messages)  # type: ignore[arg-type]
        if self.current_id is not None:
            self._show_costs(self.current_id)
        if self._active is not None and self._active[0] == self.current_id:
            # The store holds the reply as of its last save; the view gets every token.
            widget = self.chat_view.widget_for(self._active[1])
            if widget is not None:
                widget.finish("streaming", self._active_text, None)
                self.chat_view.begin_streaming(self._active[1])
        self.chat_view.update_actions(busy=self.reply_busy)

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
        conversation_id = self.chat.new_conversation(model=self.model_picker.current_name())
        self.sidebar.search_field.clear()
        self.open_conversation(conversation_id)

    def rename_conversation(self, conversation_id: int) -> None:
        try:
            current = self.store.get_conversation(conversation_id).title
        except UserError as exc:
            self.show_error(str(exc))
            return
        title, ok = QInputDialog.getText(
            self, "Rename chat", "New name:", QLineEdit.EchoMode.Normal, current
        )
        title = " ".join(title.split())
        if not ok or not title:
            return
        self.store.rename_conversation(conversation_id, title)
        if conversation_id == self.current_id:
            self.title_label.setText(title)
        self.refresh_sidebar()

    def delete_conversation(self, conversation_id: int) -> None:
        if self._active is not None and self._active[0] == conversation_id:
            self.show_error("This chat is still writing a reply. Stop it (Esc) first.")
            return
        try:
            title = self.store.get_conversation(conversation_id).title
        except UserError as exc:
            self.show_error(str(exc))
            return
        answer = QMessageBox.question(
            self,
            "Delete chat",
            f"Delete “{title}” and all its messages? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.store.delete_conversation(conversation_id)
        if conversation_id == self.current_id:
            self.current_id = None
            self.chat_view.clear()
            remaining = self.store.list_conversations(task="chat", limit=1)
            if remaining:
                self.open_conversation(remaining[0].id)
            else:
                self.new_chat()
        self.refresh_sidebar()

    def focus_search(self) -> None:
        self.sidebar.focus_search()

    # --- models and settings ---------------------------------------------------------------

    def _on_model_chosen(self, name: str) -> None:
        if self.current_id is not None:
            self.store.set_conversation_model(self.current_id, name)
        settings = self.services.settings
        try:
            save_default_model(settings, name, ["chat"])
        except UserError as exc:
            self.show_error(str(exc))
        self.status_line.set_model(name)
        for panel in self.panels.values():
            if not settings[f"{panel.task}.default_model"]:
                panel.model_picker.set_current(name)  # tasks without their own choice follow
        if not self.reply_busy and not self.task_runner.busy:
            self.preload_model()

    def open_settings(self) -> SettingsDialog:
        """Open the dialog without blocking (tests drive it; users see a modal window)."""
        dialog = SettingsDialog(
            self.services.settings, self.services.paths, self.services.host.ready, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.status_line.showMessage(
                "Settings saved. They apply from the next reply.", 4000
            )
        )
        dialog.accepted.connect(self._load_models)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def open_model_manager(self, tab: int = INSTALLED_TAB) -> ModelManagerDialog:
        """One manager at a time, non-modal; the window stays usable while it works."""
        if self.model_manager is None:
            self.model_manager = ModelManagerDialog(
                self.services,
                self.downloads,
                parent=self,
            )
            self.model_manager.models_changed.connect(self._load_models)
        else:
            self.model_manager.installed.refresh()
        self.model_manager.show_tab(tab)
        self.model_manager.show()
        self.model_manager.raise_()
        self.model_manager.activateWindow()
        return self.model_manager

    def _import_model(self) -> None:
        self.open_model_manager(INSTALLED_TAB).installed.choose_import()

    def _on_download_finished(self, snap: DownloadSnapshot) -> None:
        if snap.state == "done" and snap.path is not None:
            self._load_models()
            self.status_line.showMessage(
                f"Downloaded {snap.path.name}; it is in the model list now.", 8000
            )
        elif snap.state == "failed" and snap.error:
            self.status_line.showMessage(f"{snap.filename}: {snap.error}", 10000)

    def open_energy_dashboard(self) -> EnergyDashboard:
        """One dashboard at a time, non-modal; brought to the front (and refreshed) again."""
        if self.energy_dashboard is None:
            self.energy_dashboard = EnergyDashboard(
                self.services, self, session_start=self.started_at
            )
        else:
            self.energy_dashboard.refresh()
        self.energy_dashboard.show()
        self.energy_dashboard.raise_()
        self.energy_dashboard.activateWindow()
        return self.energy_dashboard

    # --- chatting --------------------------------------------------------------------------

    @property
    def reply_busy(self) -> bool:
        return self._reply_job is not None

    def send(self, text: str) -> None:
        if self.reply_busy or self._closed or not text.strip():
            return
        if self._refuse_while_task_runs():
            return
        if self.current_id is None:
            self.new_chat()
        conversation_id = self.current_id
        assert conversation_id is not None
        model = self.model_picker.current_name()
        if self.composer.editing:
            self.composer.finish_edit()
            start = lambda: self.chat.edit_last(conversation_id, text, model=model)  # noqa: E731
        else:
            start = lambda: self.chat.send(conversation_id, text, model=model)  # noqa: E731
            # Shown at once; replaced by the stored copy when the reply starts.
            self.chat_view.add_message(-1, "user", text)
            self.chat_view.update_actions(busy=True)
        self.composer.editor.clear()
        # Lay out and paint the new message now, while this thread holds the GIL: once the
        # engine thread is busy in Python, each first virtual call of a new widget would wait
        # for a GIL hand-off.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.repaint()
        self._start_reply(Job(start=start, on_cancel=self.chat.cancel, kind="reply"))

    def regenerate(self) -> None:
        if self.reply_busy or self.current_id is None or not self.chat_view.message_widgets():
            return
        if self._refuse_while_task_runs():
            return
        conversation_id = self.current_id
        model = self.model_picker.current_name()
        self._start_reply(
            Job(
                start=lambda: self.chat.regenerate(conversation_id, model=model),
                on_cancel=self.chat.cancel,
                kind="reply",
            )
        )

    def edit_last(self, _message_id: int | None = None) -> None:
        if self.reply_busy:
            return
        last_user = next(
            (w for w in reversed(self.chat_view.message_widgets()) if w.role == "user"), None
        )
        if last_user is not None:
            self.composer.start_edit(last_user.text())

    def _start_reply(self, job: Job) -> None:
        self.banner.dismiss()
        self._reply_job = job
        self.composer.set_busy(True)
        self.chat_view.update_actions(busy=True)
        self.status_line.set_state("Waiting for the model…")
        self.engine.submit(job)

    def stop(self) -> None:
        panel = self.current_panel()
        if panel is not None:
            panel.stop()  # Esc on a task page stops that task's run
            return
        if self.reply_busy:
            self.status_line.set_state("Stopping…")
            self.engine.cancel_all()
        elif self.composer.editing:
            self.composer.cancel_edit()

    # --- engine events (GUI thread) --------------------------------------------------------

    def _on_engine_event(self, job_id: int, event: object) -> None:
        if self._closed:
            return
        if self.task_runner.owns(job_id):
            self._on_task_event(event)
            self.task_runner.dispatch(job_id, event)
            return
        if isinstance(event, ReplyText):
            if self._active is not None and self._active[1] == event.message_id:
                self._active_text += event.text
            self.chat_view.append_text(event.message_id, event.text)
        elif isinstance(event, ReplyStarted):
            self._on_reply_started(event)
        elif isinstance(event, ReplyEnded):
            self._on_reply_ended(event)
        elif isinstance(event, ModelLoading):
            self.status_line.set_state(f"Loading model {event.model_name}…")
            self.status_line.set_model(event.model_name)
        elif isinstance(event, ModelReady):
            self.status_line.set_state("Ready" if not self.reply_busy else "Model loaded")
            self.status_line.set_model(event.model_name, event.device)
            self.model_ready.emit(event)

    def _on_reply_started(self, event: ReplyStarted) -> None:
        self._active = (event.conversation_id, event.reply_message_id)
        self._active_text = ""
        self.status_line.set_state("Writing…")
        if event.conversation_id == self.current_id:
            self.reload_current(rebuild=False)
        self.refresh_sidebar()  # the first message names the chat; it moves to the top
        if event.conversation_id == self.current_id:
            self.title_label.setText(self.store.get_conversation(self.current_id).title)
        self.reply_started.emit(event)

    def _on_reply_ended(self, event: ReplyEnded) -> None:
        self._active = None
        self._active_text = ""
        self.chat_view.finish_message(event.message_id, event.status, event.content, event.error)
        widget = self.chat_view.widget_for(event.message_id)
        if widget is not None and event.energy is not None:
            speed = event.stats.tokens_per_second if event.stats is not None else None
            widget.set_cost(cost_line(event.energy, speed), cost_tooltip(event.energy))
        self.status_line.set_state(STATE_AFTER.get(event.status, "Ready"))
        self.status_line.set_model(event.model_name, event.device)
        if event.stats is not None:
            self.status_line.set_stats(event.stats)
        self.reply_finished.emit(event)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        if self._closed:
            return
        self._load_models()  # a model that failed to load is marked broken in the pickers
        if self.task_runner.owns(job_id):
            self.status_line.set_state("Ready")
            self.task_runner.dispatch_failed(job_id, message)  # the panel's banner shows it
            return
        self.show_error(message)
        self.status_line.set_state("Ready")
        if self._reply_job is not None and self._reply_job.id == job_id:
            # Whatever was stored before the failure (the user's message) is what counts.
            self.reload_current()
        self.job_failed.emit(message)

    def _on_job_finished(self, job_id: int) -> None:
        if self._closed:
            return
        if self.task_runner.owns(job_id):
            self.task_runner.dispatch_finished(job_id)
            self.switcher.set_busy(None)
            return
        if self._reply_job is not None and self._reply_job.id == job_id:
            self._reply_job = None
            if self._active is not None:
                # The job ended without ReplyEnded (it raised): nothing is streaming now.
                self._active = None
                self.chat_view.end_streaming()
                self.reload_current()
            self.composer.set_busy(False)
            self.chat_view.update_actions(busy=False)
            self.refresh_sidebar()

    # --- task runs (GUI thread) ------------------------------------------------------------

    def _task_refusal(self) -> str | None:
        """Why a task may not start now, or None: the engine runs one thing at a time."""
        if self._closed:
            return "The window is closing."
        if self.reply_busy:
            return (
                "The chat is still writing a reply. Wait for it, or stop it (Esc in the chat), "
                "then start again."
            )
        return None

    def _refuse_while_task_runs(self) -> bool:
        panel = self.task_runner.running_panel()
        if panel is None:
            return False
        self.show_error(
            f"A {panel.noun} is running ({panel.title}). Wait for it, or stop it there "
            "(Esc), then send again."
        )
        return True

    def _on_task_started(self, panel: TaskPanel) -> None:
        self.switcher.set_busy(panel.task)
        self.status_line.set_state("Waiting for the model…")

    def _on_task_event(self, event: object) -> None:
        """What a task run tells the shared status line; the panel gets the event next."""
        if isinstance(event, ModelLoading):
            self.status_line.set_state(f"Loading model {event.model_name}…")
            self.status_line.set_model(event.model_name)
        elif isinstance(event, ModelReady):
            self.status_line.set_model(event.model_name, event.device)
        elif isinstance(event, TaskStarted):
            panel = self.panels.get(event.task)
            self.status_line.set_state(f"Working on a {panel.noun if panel else 'task'}…")
        elif isinstance(event, TaskEnded):
            self.status_line.set_state(STATE_AFTER.get(event.status, "Ready"))

    # --- errors and closing ----------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.banner.show_message(message)

    def shutdown(self) -> None:
        """Stop timers and the engine thread (bounded wait); idempotent."""
        if self._closed:
            return
        self._closed = True
        self.chat_view.end_streaming()
        self.sidebar.stop_timers()
        self.status_line.clearMessage()  # a timed message keeps a QTimer running
        for panel in self.panels.values():
            panel.shutdown()
        if self.energy_dashboard is not None:
            self.energy_dashboard.shutdown()
            self.energy_dashboard.close()
        if self.model_manager is not None:
            self.model_manager.shutdown()
            self.model_manager.close()
        self.downloads.shutdown()  # running downloads pause; they resume at the next start
        if not self.engine.shutdown():
            # The worker did not stop in time: end the process; the thread then returns.
            self.services.host.kill()
            self.engine.shutdown(timeout_s=5.0)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task_runner.busy:
            self.status_line.set_state("Stopping the run before closing…")
        elif self.reply_busy:
            self.status_line.set_state("Stopping the reply before closing…")
        self.shutdown()
        super().closeEvent(event)
