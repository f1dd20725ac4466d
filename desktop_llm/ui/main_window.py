"""The shell: menus, toolbar, the mode bar over a stack of pages, the status line, wiring.

The pages are the chat (ui/chat/page.py) and one panel per task (ui/tasks/). They share one
EngineQueue, which runs every model load and generation off the GUI thread and decides
whether a reply or a run may start; the dialogs (settings, model manager, energy
dashboard) open from here. What each page does lives in the page; the shell only routes
what is window-wide: the status line, the model list, the idle-power baseline, closing.
The local OpenAI-compatible server (ui/server) runs over the same ModelHost: its requests
and the window's take turns at the one model, and a reply or run that waits behind them
says so in the status line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from PySide6.QtCore import QLocale, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QMenu, QStackedWidget, QToolBar, QWidget

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.default_models import default_model_for
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.model_host import IdleUnloaded, ModelLoading, ModelReady
from desktop_llm.core.models.download import DownloadSnapshot
from desktop_llm.core.services import Services
from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.core.turns import TurnState
from desktop_llm.ui.chat.page import ChatPage
from desktop_llm.ui.common.engine_queue import EngineJob, EngineQueue
from desktop_llm.ui.common.icons import set_icon
from desktop_llm.ui.common.model_picker import FrontMarks, ModelPicker
from desktop_llm.ui.common.remote_models import RemoteModels
from desktop_llm.ui.common.status_bar import Speed, StatusLine
from desktop_llm.ui.common.theme import use_theme
from desktop_llm.ui.energy.dashboard import EnergyDashboard
from desktop_llm.ui.mode_switcher import MODES, ModeSwitcher, mode_title
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.downloads import DownloadIndicator
from desktop_llm.ui.models.forecasts import basis_source
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB, INSTALLED_TAB, ModelManagerDialog
from desktop_llm.ui.server.indicator import ServerIndicator
from desktop_llm.ui.server.switch import ServerSwitch
from desktop_llm.ui.server.turn_watch import TurnWatch, api_ahead, api_wait_text
from desktop_llm.ui.settings.dialog import SERVER_PAGE, SettingsDialog
from desktop_llm.ui.tasks.panel import TaskPanel
from desktop_llm.ui.tasks.runner import TaskRunner
from desktop_llm.ui.tasks.sentiment_panel import SentimentPanel
from desktop_llm.ui.tasks.summarize_panel import SummarizePanel
from desktop_llm.ui.tasks.translate_panel import TranslatePanel
from desktop_llm.ui.welcome.dialog import WelcomeDialog

log = logging.getLogger(__name__)

WINDOW_TITLE = "Desktop LLM"  # the product's name, in every language
# The idle power baseline: measured this long, this soon after a model is ready, when the
# engine has nothing else to do (see ModelHost.measure_baseline).
BASELINE_SECONDS = 5.0
BASELINE_DELAY_MS = 3000


class MainWindow(QMainWindow):
    model_ready = Signal(object)  # ModelReady, applied on the GUI thread (tests, scripts)
    model_unloaded = Signal(object)  # IdleUnloaded, from the host's watcher thread

    def __init__(self, services: Services, *, preload: bool = False, welcome: bool = False) -> None:
        super().__init__()
        self.services = services
        self._closed = False
        self._baseline_done = False
        self.started_at = datetime.now(UTC)  # "this session" in the energy dashboard
        self.energy_dashboard: EnergyDashboard | None = None
        self.model_manager: ModelManagerDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.welcome_dialog: WelcomeDialog | None = None

        self.setWindowTitle(WINDOW_TITLE)
        # One palette and style sheet for the whole application; the dialogs follow too.
        self.theme = use_theme(services.settings["ui.theme"])
        self._unsubscribe_theme = services.settings.subscribe(self._apply_theme)
        self.resize(1100, 760)

        self.engine = EngineQueue(self)
        self.engine.event.connect(self._on_engine_event)
        # The local OpenAI-compatible server, over this window's host (one model, fair turns).
        self.server = ServerSwitch(services.host, services.settings, self)
        self.turn_watch = TurnWatch(services.host.turns, self)
        self.turn_watch.changed.connect(self._on_turns)
        # The status line's state before "Waiting for N API requests…", and that text.
        self._api_wait: tuple[str, str] | None = None
        self.model_unloaded.connect(self._on_model_unloaded)
        self._unsubscribe_unload = services.host.subscribe_idle_unload(self.model_unloaded.emit)
        self.model_ready.connect(
            lambda _ready: QTimer.singleShot(BASELINE_DELAY_MS, self, self.measure_baseline)
        )
        self._build()
        self._build_actions()
        self._load_models()
        self.remote_models.refresh()
        self.front_marks.refresh()
        self.chat_page.open_latest()
        self.chat_page.show_startup_notes()
        if welcome:
            QTimer.singleShot(0, self, self.welcome_if_new)
        if preload:
            self.preload_model()
            # Downloads a closed app left half-done go on (Hub permitting), off this thread.
            QTimer.singleShot(0, self, self.downloads.resume_interrupted)
        if services.settings["server.start_with_window"]:
            QTimer.singleShot(0, self, self.server.start)

    # --- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.status_line = StatusLine()
        self.setStatusBar(self.status_line)
        self.switcher = ModeSwitcher()
        self.switcher.changed.connect(self.show_mode)
        # A model that failed to load is marked broken in the pickers.
        self.engine.failed.connect(lambda _message: self._load_models())

        self.task_runner = TaskRunner(self.engine, self.services.tasks, self)
        self.task_runner.started.connect(self.switcher.set_busy)
        self.task_runner.finished.connect(lambda _task: self.switcher.set_busy(None))
        self.task_runner.state_changed.connect(self.status_line.set_state)
        self.panels: dict[str, TaskPanel] = {
            panel.task: panel
            for panel in (
                TranslatePanel(self.services, self.task_runner),
                SummarizePanel(self.services, self.task_runner),
                SentimentPanel(self.services, self.task_runner),
            )
        }
        # The task pages' pickers mark the models on their task's Pareto front.
        self.front_marks = FrontMarks(
            self.services.store,
            {t: p.model_picker for t, p in self.panels.items()},
            self,
            self.services.settings,
        )
        # The remote engines' models, listed off the GUI thread, in every picker.
        self.remote_models = RemoteModels(self.services.host.remote_engines, self)
        self.remote_models.changed.connect(self._show_remote_models)
        self.chat_page = ChatPage(self.services, self.engine, frozenset(self.panels))
        self.chat_page.state_changed.connect(self.status_line.set_state)
        self.chat_page.reply_finished.connect(self._on_reply_finished)
        self.chat_page.model_chosen.connect(self._on_chat_model_chosen)
        self.chat_page.copied.connect(
            lambda: self.status_line.showMessage(
                translate("MainWindow", "Copied to the clipboard."), 2000
            )
        )
        self.chat_page.manage_models_requested.connect(self.open_model_manager)
        self.chat_page.run_requested.connect(
            lambda task, conversation_id: self.show_task(task).open_run(conversation_id)
        )
        self.chat_page.summarize_requested.connect(self.summarize_text)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.chat_page)
        for key, _title in MODES[1:]:
            self.pages.addWidget(self.panels[key])

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.switcher)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        for panel in self.panels.values():
            panel.refresh_history()
            panel.model_picker.manage_requested.connect(self.open_model_manager)
            # The status line speaks of the page on screen: each page keeps its own fields.
            panel.model_picker.model_chosen.connect(
                lambda name, task=panel.task: self.status_line.set_page_model(task, name)
            )
            panel.run_finished.connect(lambda ended, p=panel: self._on_run_finished(p, ended))
            panel.larger_model_requested.connect(lambda: self.open_model_manager(DISCOVER_TAB))

        # Downloads belong to the window: they go on while the manager dialog is closed.
        self.downloads = DownloadManager(
            self.services.paths.models_dir,
            hub_factory=self.services.hub,
            hub_endpoint=self.services.hub_endpoint,
            parent=self,
        )
        self.downloads.finished.connect(self._on_download_finished)
        self.download_indicator = DownloadIndicator(self.downloads)
        self.download_indicator.clicked.connect(self.open_model_manager)
        self.status_line.addPermanentWidget(self.download_indicator)
        self.server_indicator = ServerIndicator(self.server)
        self.server_indicator.clicked.connect(self.open_server_settings)
        self.status_line.addPermanentWidget(self.server_indicator)
        self.server.failed.connect(self._on_server_failed)

    def _action(
        self, menu: QMenu, text: str, shortcut: str | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Window-wide, so the keys work whichever widget has the focus.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(translate("MainWindow", "&File"))
        chat_menu = bar.addMenu(translate("MainWindow", "&Chat"))
        view_menu = bar.addMenu(translate("MainWindow", "&View"))
        models_menu = bar.addMenu(translate("MainWindow", "&Models"))
        chat = self.chat_page
        self.new_action = self._action(
            file_menu, translate("MainWindow", "&New chat"), "Ctrl+N", self.new_chat
        )
        # QKeySequence.Preferences is empty on most Linux desktops: bind Ctrl+, itself.
        self.settings_action = self._action(
            file_menu, translate("MainWindow", "&Settings…"), "Ctrl+,", self.open_settings
        )
        self.server_action = self._action(
            file_menu, translate("MainWindow", "&Local server"), "Ctrl+Shift+L", self.toggle_server
        )
        self.server_action.setCheckable(True)
        self.server_action.setToolTip(
            translate(
                "MainWindow",
                "Let editors, scripts and agents use your models through the OpenAI API",
            )
        )
        # Checked while it starts or runs: the action says what the switch does, not the click.
        self.server.phase_changed.connect(lambda _phase: self._show_server_phase())
        file_menu.addSeparator()
        self.quit_action = self._action(
            file_menu, translate("MainWindow", "&Quit"), "Ctrl+Q", self.close
        )
        self.find_action = self._action(
            chat_menu, translate("MainWindow", "&Search chats"), "Ctrl+F", self.focus_search
        )
        self.stop_action = self._action(
            chat_menu, translate("MainWindow", "S&top reply"), "Esc", self.stop
        )
        self.regenerate_action = self._action(
            chat_menu, translate("MainWindow", "&Regenerate reply"), "Ctrl+R", chat.regenerate
        )
        self.attach_action = self._action(
            chat_menu,
            translate("MainWindow", "&Attach files…"),
            "Ctrl+Shift+A",
            self.attach_files,
        )
        self.rename_action = self._action(
            chat_menu, translate("MainWindow", "Re&name chat…"), None, chat.rename_current
        )
        self.export_action = self._action(
            chat_menu, translate("MainWindow", "&Export…"), None, chat.export_current
        )
        self.delete_action = self._action(
            chat_menu, translate("MainWindow", "&Delete chat…"), None, chat.delete_current
        )
        chat_menu.addAction(chat.settings_action)  # the chat page's own (Ctrl+Shift+P there)
        chat.settings_action.triggered.connect(lambda: self.mode() == "chat" or self.show_mode(0))
        self.mode_actions = [
            self._action(
                view_menu, mode_title(title), f"Ctrl+{i + 1}", lambda i=i: self.show_mode(i)
            )
            for i, (_key, title) in enumerate(MODES)
        ]
        self.energy_action = self._action(
            view_menu,
            translate("MainWindow", "&Energy dashboard…"),
            "Ctrl+Shift+E",
            self.open_energy_dashboard,
        )
        self.energy_action.setToolTip(
            translate("MainWindow", "What your replies cost in energy and carbon")
        )
        self.models_action = self._action(
            models_menu,
            translate("MainWindow", "&Manage models…"),
            "Ctrl+Shift+M",
            self.open_model_manager,
        )
        self.models_action.setToolTip(
            translate("MainWindow", "Installed models, the catalog, Hub search, downloads")
        )
        self.import_action = self._action(
            models_menu, translate("MainWindow", "&Import a GGUF file…"), None, self._import_model
        )
        self.discover_action = self._action(
            models_menu,
            translate("MainWindow", "&Find models to download…"),
            None,
            lambda: self.open_model_manager(DISCOVER_TAB),
        )
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        """The few actions used most, as icons (the menus hold them all, with words); each
        tooltip names the action and its keys."""
        toolbar = QToolBar(translate("MainWindow", "Main", "the toolbar's name"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        toolbar.setIconSize(QSize(20, 20))
        groups = (
            (
                (self.new_action, "new-chat", translate("MainWindow", "New chat")),
                (self.find_action, "search", translate("MainWindow", "Search chats")),
            ),
            (
                (self.models_action, "models", translate("MainWindow", "Models")),
                (self.energy_action, "energy", translate("MainWindow", "Energy")),
                (self.settings_action, "settings", translate("MainWindow", "Settings")),
            ),
        )
        for group in groups:
            if toolbar.actions():
                toolbar.addSeparator()
            for action, icon_name, text in group:
                set_icon(action, icon_name)
                action.setIconText(text)  # the button's name; the menus keep their longer text
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                tip = arg(translate("MainWindow", "%1 (%2)", "tooltip: action (keys)"), text, keys)
                if action.toolTip() not in (text, action.text().replace("&", "")):
                    tip += "\n" + action.toolTip()  # what it opens, as set above
                action.setToolTip(tip)
                toolbar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    # --- modes -----------------------------------------------------------------------------

    def show_mode(self, index: int) -> None:
        """Show the chat (0) or a task panel (1-3), and put the focus in its input."""
        if not 0 <= index < len(MODES):
            return
        self.pages.setCurrentIndex(index)
        self.switcher.set_current(index)
        page = self.current_panel() or self.chat_page
        self._show_page_status()
        page.focus_input()

    def show_task(self, task: str) -> TaskPanel:
        self.show_mode([key for key, _ in MODES].index(task))
        return self.panels[task]

    def current_panel(self) -> TaskPanel | None:
        widget = self.pages.currentWidget()
        return widget if isinstance(widget, TaskPanel) else None

    def mode(self) -> str:
        return MODES[self.pages.currentIndex()][0]

    def new_chat(self) -> None:
        self.show_mode(0)
        self.chat_page.new_chat()

    def focus_search(self) -> None:
        self.show_mode(0)
        self.chat_page.focus_search()

    def attach_files(self) -> None:
        self.show_mode(0)
        self.chat_page.attach_files()

    def summarize_text(self, source_name: str, text: str) -> None:
        """Files too long for the chat, opened on the Summarize page instead."""
        panel = self.show_task("summarize")
        assert isinstance(panel, SummarizePanel)
        panel.load_text(text, source_name)

    def stop(self) -> None:
        """Esc: stop what the page in view is running."""
        (self.current_panel() or self.chat_page).stop()

    # --- models ----------------------------------------------------------------------------

    def _load_models(self) -> None:
        registry, settings = self.services.registry, self.services.settings
        models = registry.list()
        default = default_model_for("chat", settings, registry)
        self.chat_page.set_models(models, default.name if default is not None else None)
        for panel in self.panels.values():
            panel.set_models(models)
        for key, _title in MODES:
            self.status_line.set_page_model(key, self._page_picker(key).current_name())
        self._show_page_status()

    def _show_remote_models(self) -> None:
        groups = self.remote_models.groups()
        before = {key: self._page_picker(key).current_name() for key, _title in MODES}
        self.chat_page.set_remote_models(groups)
        for panel in self.panels.values():
            panel.model_picker.set_remote(groups)
        # A page whose remote model could only be chosen once its engine answered now
        # speaks of that model; the others keep their fields as they are.
        changed = False
        for key, name in before.items():
            now = self._page_picker(key).current_name()
            if now != name:
                self.status_line.set_page_model(key, now)
                changed = True
        if changed:
            self._show_page_status()

    def _page_picker(self, key: str) -> ModelPicker:
        return self.chat_page.model_picker if key == "chat" else self.panels[key].model_picker

    def _show_page_status(self) -> None:
        """The status line's fields for the page on screen (its last reply or run)."""
        key = self.mode()
        self.status_line.show_page(key, self._page_picker(key).current_name())

    def _on_chat_model_chosen(self, name: str) -> None:
        self.status_line.set_page_model("chat", name)
        settings = self.services.settings
        for panel in self.panels.values():
            if not settings[f"{panel.task}.default_model"]:
                panel.model_picker.set_current(name)  # tasks without their own choice follow
                self.status_line.set_page_model(panel.task, name)
        if self.engine.refusal() is None:  # no reply or run is waiting for the engine
            self.preload_model()

    def preload_model(self) -> None:
        """Load the picked model in the background, so the first reply starts sooner."""
        name = self.chat_page.model_picker.current_name()
        if name is None or self._closed or self.engine.pending("load"):
            return
        chat = self.services.chat
        self.engine.submit(lambda: chat.prepare(name), kind="load", on_cancel=chat.cancel)

    def measure_baseline(self, seconds: float = BASELINE_SECONDS) -> EngineJob | None:
        """Measure the idle power on the engine thread (never while it has work); any
        reply or task submitted meanwhile interrupts it, and the next model load retries."""
        if self._closed or self.engine.busy or self._baseline_done:
            return None
        stop = threading.Event()
        host = self.services.host

        def measure() -> Iterator[object]:
            host.measure_baseline(seconds, stop)
            if not stop.is_set():
                self._baseline_done = True  # a plain bool: read on the GUI thread later
            yield from ()

        return self.engine.submit(measure, kind="baseline", on_cancel=stop.set, yields=True)

    # --- the status line -------------------------------------------------------------------

    def _on_engine_event(self, event: object) -> None:
        if self._closed:
            return
        if isinstance(event, ModelLoading) and event.again_after_idle:
            self.status_line.set_state(
                arg(
                    translate("MainWindow", "Loading %1 again (it was unloaded to save memory)…"),
                    event.model_name,
                )
            )
        elif isinstance(event, ModelLoading):
            self.status_line.set_state(
                arg(translate("MainWindow", "Loading model %1…"), event.model_name)
            )
        elif isinstance(event, ModelReady):
            working = self.chat_page.reply_busy or self.task_runner.busy
            self.status_line.set_state(
                translate("MainWindow", "Model loaded")
                if working
                else translate("StatusLine", "Ready")
            )
            self.status_line.model_ready(event.model_name, event.device)
            self.model_ready.emit(event)

    def _on_model_unloaded(self, event: IdleUnloaded) -> None:
        """The host ended the inference process after engine.idle_unload_minutes idle."""
        waiting = any(not job.yields for job in self.engine.pending())
        if self._closed or waiting or event.model_name is None:
            return  # a request has come since: its own state is shown
        minutes = QLocale().toString(event.minutes, "g", 6)
        self.status_line.set_state(
            arg(translate("MainWindow", "Model unloaded after %1 min idle to free memory"), minutes)
        )

    def _on_reply_finished(self, event: ReplyEnded) -> None:
        self.status_line.record("chat", event.model_name, event.device, Speed.of(event.stats))

    def _on_run_finished(self, panel: TaskPanel, ended: TaskEnded | None) -> None:
        """A task run ended: its page's fields get the run's model, device and speed."""
        if ended is None:
            return
        store = self.services.store
        calls = sorted(store.generations(ended.conversation_id).items())
        generations = [generation for _id, generation in calls]
        model = store.get_conversation(ended.conversation_id).model
        speed = Speed.of_calls(
            (g.completion_tokens, g.tokens_per_second, g.ttft_ms) for g in generations
        )
        device = generations[-1].device if generations else None
        self.status_line.record(
            panel.task, model or panel.model_picker.current_name(), device, speed
        )

    def show_error(self, message: str) -> None:
        """Tell the user in the banner of the page in view (the app's crash hook uses it)."""
        (self.current_panel() or self.chat_page).show_error(message)

    # --- dialogs ---------------------------------------------------------------------------

    def welcome_if_new(self) -> WelcomeDialog | None:
        """The first-run page, when nothing was written yet and it was not dismissed."""
        services = self.services
        store = services.store
        # A fresh start holds one empty chat (opened above); anything written means not new.
        written = any(store.messages(c.id) for c in store.list_conversations(limit=2))
        if not services.settings["ui.show_welcome"] or written:
            return None
        self.welcome_dialog = WelcomeDialog(
            services.settings, self.downloads, self, forecast=basis_source(services)
        )
        self.welcome_dialog.open()
        return self.welcome_dialog

    def open_settings(self) -> SettingsDialog:
        """Open the dialog without blocking (tests drive it; users see a modal window)."""
        dialog = SettingsDialog(
            self.services.settings,
            self.services.paths,
            self.services.host.ready,
            self,
            remote_engines=self.services.host.remote_engines,
            server=self.server,
        )
        dialog.engines_changed.connect(self.remote_models.refresh)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.status_line.showMessage(
                translate("MainWindow", "Settings saved. They apply from the next reply."), 4000
            )
        )
        dialog.accepted.connect(self._load_models)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def toggle_server(self) -> None:
        """The menu's Local server: start it (saved settings) or stop it."""
        self.server.toggle()
        self._show_server_phase()  # a click that changed nothing must not flip the check

    def _show_server_phase(self) -> None:
        self.server_action.setChecked(self.server.phase in ("starting", "running"))

    def open_server_settings(self) -> SettingsDialog:
        dialog = self.open_settings()
        dialog.show_page(SERVER_PAGE)
        return dialog

    def _on_server_failed(self, message: str) -> None:
        """A start from the menu or at launch that failed; the settings page shows its own."""
        dialog = self.settings_dialog
        if dialog is None or not dialog.isVisible():
            self.show_error(message)

    def _on_turns(self, state: TurnState) -> None:
        """A reply or a task run that waits behind API requests says so in its status line;
        when its turn comes, the state it had comes back and its own events go on from there."""
        if self._closed:
            return
        ahead = api_ahead(state)
        # The window job the engine thread runs: it is the one waiting at the host.
        job = next((j for j in self.engine.pending() if j.began), None)
        kind = job.kind if job is not None else None
        if ahead and kind in ("reply", "task"):
            text = api_wait_text(ahead)
            before = self._api_wait[0] if self._api_wait else self.status_line.current_state()
            self._api_wait = (before, text)
            self.status_line.set_state(text)
            self.task_runner.show_api_wait(text if kind == "task" else None)
        elif self._api_wait is not None:
            before, text = self._api_wait
            self._api_wait = None
            if self.status_line.current_state() == text:
                self.status_line.set_state(before)
            self.task_runner.show_api_wait(None)

    def open_model_manager(self, tab: int = INSTALLED_TAB) -> ModelManagerDialog:
        """One manager at a time, non-modal; the window stays usable while it works."""
        if self.model_manager is None:
            self.model_manager = ModelManagerDialog(
                self.services,
                self.downloads,
                parent=self,
                remote_models=self.remote_models,
            )
            self.model_manager.models_changed.connect(self._load_models)
            self.model_manager.engines_requested.connect(
                lambda: self.open_settings().show_page("engines")
            )
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
                arg(
                    translate("MainWindow", "Downloaded %1; it is in the model list now."),
                    snap.path.name,
                ),
                8000,
            )
        elif snap.state == "failed" and snap.error:
            self.status_line.showMessage(
                arg(translate("MainWindow", "%1: %2"), snap.filename, snap.error), 10000
            )

    def open_energy_dashboard(self) -> EnergyDashboard:
        """One dashboard at a time, non-modal; brought to the front (and refreshed) again."""
        if self.energy_dashboard is None:
            self.energy_dashboard = EnergyDashboard(
                self.services, self, session_start=self.started_at, engine=self.engine
            )
            self.energy_dashboard.evaluation_finished.connect(self.front_marks.refresh)
        else:
            self.energy_dashboard.refresh()
        self.energy_dashboard.show()
        self.energy_dashboard.raise_()
        self.energy_dashboard.activateWindow()
        return self.energy_dashboard

    def _apply_theme(self, changed: frozenset[str]) -> None:
        if "ui.theme" in changed:  # a change in the settings dialog shows at once
            self.theme.apply(self.services.settings["ui.theme"])

    # --- closing ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop timers, pools and the engine thread (bounded waits); idempotent."""
        if self._closed:
            return
        self._closed = True
        self._unsubscribe_theme()
        self.turn_watch.shutdown()
        # First: API requests end and no new one takes a turn the engine thread waits for.
        self.server.shutdown()
        self._unsubscribe_unload()
        self.chat_page.shutdown()
        self.front_marks.shutdown()
        self.remote_models.shutdown()
        self.status_line.clearMessage()  # a timed message keeps a QTimer running
        for panel in self.panels.values():
            panel.shutdown()
        for dialog in (self.energy_dashboard, self.model_manager, self.welcome_dialog):
            if dialog is not None:
                dialog.shutdown()
                dialog.close()
        self.downloads.shutdown()  # running downloads pause; they resume at the next start
        if not self.engine.shutdown():
            # The worker did not stop in time: end the process; the thread then returns.
            self.services.host.kill()
            self.engine.shutdown(timeout_s=5.0)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task_runner.busy:
            self.status_line.set_state(translate("MainWindow", "Stopping the run before closing…"))
        elif self.chat_page.reply_busy:
            self.status_line.set_state(
                translate("MainWindow", "Stopping the reply before closing…")
            )
        self.shutdown()
        super().closeEvent(event)
