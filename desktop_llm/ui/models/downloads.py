"""Downloads in words and widgets: the list of downloads (in the model manager) and the
small indicator for the status bar, both over the window's DownloadManager.

Cancel asks for confirmation when more than CONFIRM_CANCEL_BYTES were already downloaded
(throwing away a few MB costs nothing; throwing away a gigabyte does).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import html_text
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.models.download import FINISHED, Download, DownloadSnapshot
from desktop_llm.core.models.gguf_file import format_bytes
from desktop_llm.core.models.hub import HubOffline, offline_error, offline_mode
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.models.download_manager import ACTIVE_STATES, DownloadManager

CONFIRM_CANCEL_BYTES = 50 * 1000 * 1000
PROGRESS_STEPS = 1000

STATE_WORDS = {  # shown through translate("DownloadsView", ...)
    "queued": QT_TRANSLATE_NOOP("DownloadsView", "Waiting"),
    "running": QT_TRANSLATE_NOOP("DownloadsView", "Downloading"),
    "paused": QT_TRANSLATE_NOOP("DownloadsView", "Paused"),
    "verifying": QT_TRANSLATE_NOOP("DownloadsView", "Checking the file…"),
    "done": QT_TRANSLATE_NOOP("DownloadsView", "Installed"),
    "failed": QT_TRANSLATE_NOOP("DownloadsView", "Failed"),
    "cancelled": QT_TRANSLATE_NOOP("DownloadsView", "Cancelled"),
}


# --- wording ---------------------------------------------------------------------------


def format_duration(seconds: float) -> str:
    """'45 s', '1 min 20 s', '2 h 5 min'."""
    s = max(0, round(seconds))
    if s < 60:
        return arg(translate("DownloadsView", "%1 s"), s)
    if s < 3600:
        m, s = divmod(s, 60)
        if s:
            return arg(translate("DownloadsView", "%1 min %2 s"), m, s)
        return arg(translate("DownloadsView", "%1 min"), m)
    h, rest = divmod(s, 3600)
    m = rest // 60
    if m:
        return arg(translate("DownloadsView", "%1 h %2 min"), h, m)
    return arg(translate("DownloadsView", "%1 h"), h)


def progress_words(snap: DownloadSnapshot) -> str:
    """'412.0 MB of 1.1 GB · 8.3 MB/s · 1 min 20 s left' (the parts that are known)."""
    if snap.state == "done":
        return format_bytes(snap.total or snap.bytes_done)
    if snap.total:
        parts = [
            arg(
                translate("DownloadsView", "%1 of %2"),
                format_bytes(snap.bytes_done),
                format_bytes(snap.total),
            )
        ]
    else:
        parts = [format_bytes(snap.bytes_done)]
    if snap.state == "running":
        if snap.speed > 0:
            parts.append(f"{format_bytes(int(snap.speed))}/s")
        if snap.eta is not None:
            parts.append(arg(translate("DownloadsView", "%1 left"), format_duration(snap.eta)))
    return " · ".join(parts)


def state_words(snap: DownloadSnapshot) -> str:
    words = STATE_WORDS.get(snap.state)
    words = translate("DownloadsView", words) if words is not None else snap.state
    if snap.state in ("running", "paused") and snap.fraction is not None:
        return f"{words} · {int(snap.fraction * 100)}%"
    return words


# The context stays "DiscoverView": Discover says these first, and the translations are
# theirs.
def offline_reason(error: BaseException | None = None) -> str:
    """Why the Hub is out of reach: 'offline mode is on (HF_HUB_OFFLINE), ...'."""
    if offline_mode() or error is None:
        return translate(
            "DiscoverView",
            "offline mode is on (HF_HUB_OFFLINE), so the Hugging Face Hub is not contacted.",
        )
    # HubOffline's reason without its advice (OFFLINE_TAIL says it here).
    text = (error.reason if isinstance(error, HubOffline) else str(error)).strip()
    return (
        text[:1].lower() + text[1:]
        if text
        else translate("DiscoverView", "the Hugging Face Hub cannot be reached.")
    )


def is_offline_error(text: str | None) -> bool:
    """Whether a failure's message says the Hub was out of reach (offline mode, no
    connection): stale once the Hub is reached again."""
    if not text:
        return False
    unreachable = translate("Hub", "Cannot reach the Hugging Face Hub at %1.").split("%1")[0]
    return text == str(offline_error()) or text.startswith(unreachable)


# --- the list of downloads ---------------------------------------------------------------


class DownloadRow(QFrame):
    """One download: name, progress bar, numbers in words, state, and its buttons."""

    def __init__(self, view: DownloadsView, snap: DownloadSnapshot) -> None:
        super().__init__()
        self.setObjectName("downloadRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.snapshot = snap
        self.name_label = QLabel(f"<b>{html_text(Path(snap.filename).name)}</b>")
        self.repo_label = QLabel(snap.repo)
        self.repo_label.setTextFormat(Qt.TextFormat.PlainText)  # Hub data: never markup
        set_tone(self.repo_label, "muted")
        self.state_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(10)
        self.detail_label = QLabel()
        self.error_label = QLabel()
        for label in (self.state_label, self.detail_label, self.error_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # file names, paths, the Hub's errors
        self.error_label.setWordWrap(True)
        set_tone(self.error_label, "error")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        # While the Hub is out of reach: why Resume / Try again cannot work now.
        self.offline: str | None = None
        self.offline_label = QLabel()
        self.offline_label.setObjectName("downloadOffline")
        self.offline_label.setWordWrap(True)
        set_tone(self.offline_label, "note")
        self.offline_label.hide()
        self.pause_button = QPushButton(translate("DownloadsView", "Pause"))
        self.resume_button = QPushButton(translate("DownloadsView", "Resume"))
        self.cancel_button = QPushButton(translate("DownloadsView", "Cancel"))
        self.show_button = QPushButton(translate("DownloadsView", "Show file"))
        self.pause_button.clicked.connect(lambda: view.manager.pause(self.snapshot))
        self.resume_button.clicked.connect(lambda: view.manager.resume(self.snapshot))
        self.cancel_button.clicked.connect(lambda: view.cancel(self.snapshot))
        self.show_button.clicked.connect(lambda: view.show_file(self.snapshot))

        top = QHBoxLayout()
        top.addWidget(self.name_label)
        top.addWidget(self.repo_label)
        top.addStretch(1)
        top.addWidget(self.state_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.detail_label, 1)
        for b in (self.pause_button, self.resume_button, self.cancel_button, self.show_button):
            bottom.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_label)
        layout.addWidget(self.offline_label)
        layout.addLayout(bottom)
        self.update_from(snap)

    def set_offline(self, reason: str | None) -> None:
        """Offline (reason: why the Hub is out of reach), Resume and Try again are off and
        the row says why; None turns them back on."""
        self.offline = reason
        self.update_from(self.snapshot)

    def update_from(self, snap: DownloadSnapshot) -> None:
        self.snapshot = snap
        state = snap.state
        self.state_label.setText(state_words(snap))
        set_tone(self.state_label, "error" if state == "failed" else None)
        if state == "done":
            self.progress.setRange(0, PROGRESS_STEPS)
            self.progress.setValue(PROGRESS_STEPS)
        elif snap.fraction is not None:
            self.progress.setRange(0, PROGRESS_STEPS)
            self.progress.setValue(min(PROGRESS_STEPS, int(snap.fraction * PROGRESS_STEPS)))
        elif state in ("running", "verifying"):
            self.progress.setRange(0, 0)  # busy: the size is not known yet
        else:
            self.progress.setRange(0, PROGRESS_STEPS)
            self.progress.setValue(0)
        self.progress.setVisible(state not in ("cancelled", "failed"))
        if state == "done" and snap.path is not None:
            self.detail_label.setText(f"{progress_words(snap)} · {snap.path}")
        elif state == "cancelled":
            self.detail_label.setText(translate("DownloadsView", "The partial file was deleted."))
        elif state == "failed":
            kept = self._partial_kept(snap)
            self.detail_label.setText(
                arg(translate("DownloadsView", "%1 kept"), format_bytes(snap.bytes_done))
                if kept
                else ""
            )
        else:
            self.detail_label.setText(progress_words(snap))
        resumable = state in ("paused", "failed")
        blocked = self.offline is not None and resumable
        # The failure's message, unless it is stale: the offline line says it better while
        # offline, and "cannot reach the Hub" is no longer true once it is reached.
        error = snap.error if state == "failed" else None
        if blocked or (error and self.offline is None and is_offline_error(error)):
            error = None
        self.error_label.setText(error or "")
        self.error_label.setVisible(bool(error))
        if blocked:
            why = arg(
                translate("DownloadsView", "Trying again needs the Hugging Face Hub: %1")
                if state == "failed"
                else translate("DownloadsView", "Resuming needs the Hugging Face Hub: %1"),
                self.offline,
            )
        else:
            why = ""
        self.offline_label.setText(why)
        self.offline_label.setVisible(blocked)
        self.pause_button.setVisible(state in ("queued", "running"))
        self.resume_button.setVisible(resumable)
        self.resume_button.setEnabled(not blocked)
        self.resume_button.setToolTip(why)
        self.resume_button.setText(
            translate("DownloadsView", "Try again")
            if state == "failed"
            else translate("DownloadsView", "Resume")
        )
        self.cancel_button.setVisible(
            state in ACTIVE_STATES or (state == "failed" and self._partial_kept(snap))
        )
        self.cancel_button.setText(
            translate("DownloadsView", "Delete partial")
            if state == "failed"
            else translate("DownloadsView", "Cancel")
        )
        self.show_button.setVisible(state == "done" and snap.path is not None)

    @staticmethod
    def _partial_kept(snap: DownloadSnapshot) -> bool:
        """A failed download may keep its partial (to resume) or not (checksum)."""
        return snap.bytes_done > 0 and snap.download.part_path.exists()


class DownloadsView(QWidget):
    """The list of downloads of this run, newest first."""

    def __init__(
        self, manager: DownloadManager, parent: QWidget | None = None, *, title: bool = True
    ) -> None:
        """title=False leaves out the bold 'Downloads' heading (for a titled group box)."""
        super().__init__(parent)
        self.manager = manager
        self.rows: dict[Download, DownloadRow] = {}
        # Why the Hub is out of reach, while it is (offline mode now; the dialog passes on
        # what Discover finds).
        self.offline: str | None = offline_reason() if offline_mode() else None
        self.empty_label = QLabel(
            translate(
                "DownloadsView", "No downloads yet. Choose a model in Discover and press Download."
            )
        )
        set_tone(self.empty_label, "muted")
        self.empty_label.setWordWrap(True)
        self.clear_button = QPushButton(translate("DownloadsView", "Clear finished"))
        self.clear_button.setToolTip(
            translate(
                "DownloadsView", "Remove finished, failed and cancelled downloads from the list"
            )
        )
        self.clear_button.clicked.connect(self.clear_finished)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(6)
        self._list_layout.addWidget(self.empty_label)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        header = QHBoxLayout()
        title_text = translate("DownloadsView", "Downloads")
        self.title_label = QLabel(f"<b>{title_text}</b>")
        self.title_label.setVisible(title)
        header.addWidget(self.title_label)
        header.addStretch(1)
        header.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        for snap in manager.snapshots():
            self._update(snap)
        self._refresh_empty()
        manager.changed.connect(self._update)

    def row_for(self, repo: str, filename: str) -> DownloadRow | None:
        """The newest row of this file (for tests and the window)."""
        for d, row in reversed(list(self.rows.items())):
            if d.repo == repo and d.filename == filename:
                return row
        return None

    @Slot(object)
    def _update(self, snap: DownloadSnapshot) -> None:
        row = self.rows.get(snap.download)
        if row is None:
            row = DownloadRow(self, snap)
            row.set_offline(self.offline)
            self.rows[snap.download] = row
            self._list_layout.insertWidget(0, row)  # newest on top
            self._refresh_empty()
        else:
            was_finished = row.snapshot.state in FINISHED
            row.update_from(snap)
            if was_finished != (snap.state in FINISHED):
                self._refresh_empty()

    def set_offline(self, reason: str | None) -> None:
        """The Hub is out of reach (reason: why), or reached again (None): every row's
        Resume and Try again follow."""
        if reason is None and offline_mode():
            reason = offline_reason()  # offline mode holds whatever a search found
        self.offline = reason
        for row in self.rows.values():
            row.set_offline(reason)

    def clear_finished(self) -> None:
        for d, row in list(self.rows.items()):
            if row.snapshot.state in FINISHED:
                del self.rows[d]
                row.setParent(None)
                row.deleteLater()
        self._refresh_empty()

    def _refresh_empty(self) -> None:
        self.empty_label.setVisible(not self.rows)
        self.clear_button.setEnabled(any(r.snapshot.state in FINISHED for r in self.rows.values()))

    def cancel(self, snap: DownloadSnapshot) -> None:
        current = snap.download.snapshot()
        if current.bytes_done > CONFIRM_CANCEL_BYTES and not self.confirm_cancel(current):
            return
        self.manager.cancel(current)

    def confirm_cancel(self, snap: DownloadSnapshot) -> bool:
        """Asked before throwing away more than CONFIRM_CANCEL_BYTES (tests replace it)."""
        answer = QMessageBox.question(
            self,
            translate("DownloadsView", "Cancel the download?"),
            arg(
                translate(
                    "DownloadsView",
                    "%1 of %2 are already downloaded. Cancelling deletes them; Pause keeps them "
                    "to resume later.",
                ),
                format_bytes(snap.bytes_done),
                Path(snap.filename).name,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_file(self, snap: DownloadSnapshot) -> None:
        """Open the folder holding the installed file in the system's file manager."""
        if snap.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(snap.path.parent)))


# --- the status-bar indicator ------------------------------------------------------------


class DownloadIndicator(QWidget):
    """'↓ 2 downloads · 43%' with a tiny progress bar; hidden when nothing is active."""

    clicked = Signal()

    def __init__(self, manager: DownloadManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(60, 8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(translate("DownloadsView", "Show the downloads"))
        self._snaps: dict[Download, DownloadSnapshot] = {s.download: s for s in manager.snapshots()}
        manager.changed.connect(self._on_changed)
        manager.active_changed.connect(lambda _n: self._refresh())
        self._refresh()

    def text(self) -> str:
        return self.label.text()

    @Slot(object)
    def _on_changed(self, snap: DownloadSnapshot) -> None:
        self._snaps[snap.download] = snap
        self._refresh()

    def _refresh(self) -> None:
        active = [s for s in self._snaps.values() if s.state in ACTIVE_STATES]
        self._snaps = {
            d: s for d, s in self._snaps.items() if s.state in ACTIVE_STATES
        }  # finished ones are not counted again
        if not active:
            self.hide()
            return
        n = len(active)
        text = translate("DownloadsView", "↓ %n download(s)", None, PLURAL, n)
        known = [s for s in active if s.total]
        if known:
            done = sum(min(s.bytes_done, s.total or 0) for s in known)
            total = sum(s.total or 0 for s in known)
            fraction = done / total if total else 0.0
            text += f" · {int(fraction * 100)}%"
            self.bar.setRange(0, PROGRESS_STEPS)
            self.bar.setValue(int(fraction * PROGRESS_STEPS))
        else:
            self.bar.setRange(0, 0)
        if all(s.state == "paused" for s in active):
            text += " · " + translate("DownloadsView", "paused")
        self.label.setText(text)
        self.show()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)
