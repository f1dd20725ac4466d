"""The model manager dialog: Installed and Discover tabs over one list of downloads.

Non-modal, so the window stays usable while it works; downloads belong to the window's
DownloadManager and go on when the dialog is closed. While it is open it follows the engine
settings the Discover tab's fit hints depend on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.download import DownloadSnapshot
from desktop_llm.core.services import Services
from desktop_llm.ui.common.remote_models import RemoteModels
from desktop_llm.ui.models.discover_view import DiscoverView
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.downloads import DownloadsView
from desktop_llm.ui.models.forecasts import basis_source
from desktop_llm.ui.models.installed_view import InstalledView
from desktop_llm.ui.models.remote_view import RemoteView

INSTALLED_TAB, DISCOVER_TAB, REMOTE_TAB = 0, 1, 2
# The settings a fit hint depends on: the context's KV cache, and RAM or GPU memory.
FIT_SETTINGS = frozenset({"engine.context_length", "engine.gpu_layers"})


class ModelManagerDialog(QDialog):
    models_changed = Signal()  # installed, removed, downloaded, or a default changed
    engines_requested = Signal()  # the Remote tab asks for Settings → Engines
    # Emitted by the settings listener, on whichever thread changed a setting; the slot runs
    # on the GUI thread (a queued connection when the emitter is another thread).
    _fit_settings_changed = Signal()

    def __init__(
        self,
        services: Services,
        downloads: DownloadManager,
        *,
        parent: QWidget | None = None,
        remote_models: RemoteModels | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ModelManagerDialog", "Models"))
        self.setObjectName("modelManager")
        self.resize(1050, 720)
        self.services = services
        self.downloads = downloads

        self.installed = InstalledView(services)
        self.installed.models_changed.connect(self.models_changed)
        self.installed.status.connect(self.show_status)
        context_length, offload = self._fit_options()
        self.discover = DiscoverView(
            downloads,
            context_length=context_length,
            offload=offload,
            forecast=basis_source(services),
        )
        self._fit_settings_changed.connect(self._follow_fit_settings)
        self._unsubscribe: Callable[[], None] | None = None
        self.tabs = QTabWidget()
        self.tabs.addTab(self.installed, translate("ModelManagerDialog", "Installed"))
        self.tabs.addTab(self.discover, translate("ModelManagerDialog", "Discover"))
        # The remote engines' models, read-only (the window's list, shared with its pickers).
        self.remote: RemoteView | None = None
        if remote_models is not None:
            self.remote = RemoteView(remote_models)
            self.remote.engines_requested.connect(self.engines_requested)
            self.tabs.addTab(self.remote, translate("ModelManagerDialog", "Remote"))
        # A line about one tab's work is stale on the other.
        self.tabs.currentChanged.connect(lambda _index: self.show_status(""))

        self.downloads_view = DownloadsView(downloads)  # titled "Downloads" itself
        # What Discover finds of the Hub (offline, reached again) reaches the downloads.
        self.downloads_view.set_offline(self.discover.offline)
        self.discover.offline_changed.connect(self.downloads_view.set_offline)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.downloads_view)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.status_label = QLabel()
        self.status_label.setObjectName("managerStatus")
        self.status_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)

        downloads.finished.connect(self._on_download_finished)
        for key, tab in (
            ("Ctrl+1", INSTALLED_TAB),
            ("Ctrl+2", DISCOVER_TAB),
            ("Ctrl+3", REMOTE_TAB),
        ):
            QShortcut(QKeySequence(key), self, lambda tab=tab: self.tabs.setCurrentIndex(tab))
        QShortcut(QKeySequence("F5"), self, self.installed.refresh)

    # --- following the settings while open ----------------------------------------------------

    def _fit_options(self) -> tuple[int, bool]:
        settings = self.services.settings
        return settings["engine.context_length"], settings["engine.gpu_layers"] > 0

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._unsubscribe is None:
            self._unsubscribe = self.services.settings.subscribe(self._on_settings_changed)
        self._follow_fit_settings()  # what changed while it was closed

    def hideEvent(self, event: QHideEvent) -> None:
        self._stop_following()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_following()
        super().closeEvent(event)

    def _stop_following(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_settings_changed(self, names: frozenset[str]) -> None:
        if names & FIT_SETTINGS:
            self._fit_settings_changed.emit()

    def _follow_fit_settings(self) -> None:
        context_length, offload = self._fit_options()
        if (context_length, offload) != (self.discover.context_length, self.discover.offload):
            self.discover.set_fit_options(context_length=context_length, offload=offload)

    # --- the rest --------------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def _on_download_finished(self, snap: DownloadSnapshot) -> None:
        if snap.state == "done" and snap.path is not None:
            self.show_status(
                arg(
                    translate(
                        "ModelManagerDialog", "Downloaded %1; it is in the Installed list now."
                    ),
                    snap.path.name,
                )
            )
            self.installed.refresh()
            self.models_changed.emit()

    def shutdown(self) -> None:
        """Stop the dialog's background reads (downloads are the window's and go on)."""
        self._stop_following()
        self.downloads.finished.disconnect(self._on_download_finished)
        self.installed.shutdown()
        self.discover.shutdown()
