"""Discover: the curated catalog and a live Hugging Face Hub search, the GGUF files of the
chosen model with their size, quantization in one line and a fit hint, and Download
buttons that hand the file to the DownloadManager.

Nothing here waits on the network (or on NVML) on the GUI thread: searches, file listings
and the memory figures for fit hints run as Workers (ui/common/worker.py) in the view's
pool, and only the newest request of each kind counts: a newer search supersedes an older
one, choosing another model supersedes the listing in flight, and a superseded worker's
answer is dropped. The catalog ships with the app, so it shows with no network at all;
when the Hub answers, a catalog model's approximate sizes are replaced by the Hub's exact
files, sizes and sha256.

A file whose fit hint is "will not fit" asks for confirmation before it downloads
(confirm_will_not_fit(), which tests replace). Files split into several parts
('-00001-of-00003.gguf') are listed but cannot be downloaded yet (one file per download).

Call shutdown() before the view goes away (the model manager dialog does, on close): it
drops what is in flight and waits for the pool up to SHUTDOWN_WAIT_MS; a Hub call still
waiting on a slow network then ends in the background (HubClient's calls are
time-bounded) and its answer is dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.display_text import html_text, plain_rich_text
from desktop_llm.core.energy.forecast import ForecastBasis
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import PLURAL, QT_TRANSLATE_NOOP, arg, current_language, translate
from desktop_llm.core.models.catalog import CatalogModel, load_catalog
from desktop_llm.core.models.download import DownloadSnapshot
from desktop_llm.core.models.fit import FitHint, fit_hint
from desktop_llm.core.models.gguf_file import format_bytes
from desktop_llm.core.models.hub import HubOffline, HubRepo, is_official, offline_mode
from desktop_llm.core.models.quantization import explain_quantization, quantization_from_filename
from desktop_llm.ui.common.style import muted_html, set_tone, tone_for_verdict
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.downloads import offline_reason, state_words
from desktop_llm.ui.models.forecasts import BasisSource, show_forecast

log = logging.getLogger(__name__)

SEARCH_LIMIT = 30
SHUTDOWN_WAIT_MS = 2000  # then a Hub call in flight is left to end in the background
# Shown through translate("DiscoverView", ...).
SEARCHING = QT_TRANSLATE_NOOP("DiscoverView", "Searching…")
LISTING = QT_TRANSLATE_NOOP("DiscoverView", "Listing the files on the Hub…")
OFFLINE_TAIL = QT_TRANSLATE_NOOP(
    "DiscoverView",
    "Installed models keep working; the catalog is shown from the app itself. Downloads "
    "wait until the Hub can be reached.",
)
# A fit hint: the verdict, then the core's reason (%1).
VERDICT_WORDS = {
    "fits": QT_TRANSLATE_NOOP("DiscoverView", "Fits: %1"),
    "tight": QT_TRANSLATE_NOOP("DiscoverView", "Tight fit: %1"),
    "will not fit": QT_TRANSLATE_NOOP("DiscoverView", "Will not fit: %1"),
}
# Codes the catalog uses that the task languages (core/tasks/languages.py) do not name.
_MORE_LANGUAGES = {
    "zh": QT_TRANSLATE_NOOP("DiscoverView", "Chinese"),
    "it": QT_TRANSLATE_NOOP("DiscoverView", "Italian"),
    "vi": QT_TRANSLATE_NOOP("DiscoverView", "Vietnamese"),
    "th": QT_TRANSLATE_NOOP("DiscoverView", "Thai"),
    "hi": QT_TRANSLATE_NOOP("DiscoverView", "Hindi"),
    "id": QT_TRANSLATE_NOOP("DiscoverView", "Indonesian"),
    "nl": QT_TRANSLATE_NOOP("DiscoverView", "Dutch"),
    "pl": QT_TRANSLATE_NOOP("DiscoverView", "Polish"),
    "tr": QT_TRANSLATE_NOOP("DiscoverView", "Turkish"),
}
# The English names of the task languages (core/tasks/languages.py), marked here so that
# language_names() shows them translated too.
_TASK_LANGUAGE_NAMES = (
    QT_TRANSLATE_NOOP("DiscoverView", "English"),
    QT_TRANSLATE_NOOP("DiscoverView", "Simplified Chinese"),
    QT_TRANSLATE_NOOP("DiscoverView", "Traditional Chinese"),
    QT_TRANSLATE_NOOP("DiscoverView", "Japanese"),
    QT_TRANSLATE_NOOP("DiscoverView", "Korean"),
    QT_TRANSLATE_NOOP("DiscoverView", "French"),
    QT_TRANSLATE_NOOP("DiscoverView", "German"),
    QT_TRANSLATE_NOOP("DiscoverView", "Spanish"),
    QT_TRANSLATE_NOOP("DiscoverView", "Russian"),
    QT_TRANSLATE_NOOP("DiscoverView", "Portuguese"),
    QT_TRANSLATE_NOOP("DiscoverView", "Arabic"),
)
# The tasks a catalog model is good for ("good for chat, translate").
_TASK_WORDS = {
    "chat": QT_TRANSLATE_NOOP("DiscoverView", "chat"),
    "translate": QT_TRANSLATE_NOOP("DiscoverView", "translate"),
    "summarize": QT_TRANSLATE_NOOP("DiscoverView", "summarize"),
    "sentiment": QT_TRANSLATE_NOOP("DiscoverView", "sentiment"),
}
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)


def offline_message(error: BaseException | None = None) -> str:
    """'You are offline: <why>. Installed models keep working; the catalog is shown...'"""
    return arg(
        translate("DiscoverView", "You are offline: %1 %2"),
        offline_reason(error),
        translate("DiscoverView", OFFLINE_TAIL),
    )


def downloads_words(n: int) -> str:
    return translate("DiscoverView", "%Ln download(s)", None, PLURAL, n)


def likes_words(n: int) -> str:
    return translate("DiscoverView", "%Ln like(s)", None, PLURAL, n)


def list_words(words: list[str]) -> str:
    """'English, French' (the separator is the language's: '、' in Chinese)."""
    return translate("DiscoverView", ", ", "separator between list items").join(words)


def language_names(codes: tuple[str, ...]) -> str:
    from desktop_llm.core.tasks.languages import get_language

    names = []
    for code in codes:
        if code.lower() in _MORE_LANGUAGES:
            names.append(translate("DiscoverView", _MORE_LANGUAGES[code.lower()]))
            continue
        try:
            names.append(translate("DiscoverView", get_language(code).english_name))
        except Exception:
            names.append(code)
    return list_words(names)


def task_words(tasks: tuple[str, ...]) -> str:
    return list_words(
        [translate("DiscoverView", _TASK_WORDS[t]) if t in _TASK_WORDS else t for t in tasks]
    )


@dataclass(frozen=True)
class FileEntry:
    """One downloadable file as the view lists it."""

    repo: str
    filename: str
    size: int | None
    exact: bool  # size (and sha256) from the Hub rather than the catalog's estimate
    sha256: str | None
    quantization: str | None
    revision: str = "main"
    recommended: bool = False

    @property
    def split_part(self) -> tuple[int, int] | None:
        m = _SPLIT.search(self.filename)
        return (int(m.group(1)), int(m.group(2))) if m else None


@dataclass(frozen=True)
class _Listing:
    repo: str
    entries: tuple[FileEntry, ...]
    hints: dict[str, FitHint]  # filename -> hint
    from_hub: bool


# --- a file row --------------------------------------------------------------------------


class FileRow(QFrame):
    """'Q4_K_M · 491 MB · name.gguf [Download]', the quantization in one line, the fit hint."""

    def __init__(self, view: DiscoverView, entry: FileEntry) -> None:
        super().__init__()
        self.setObjectName("fileRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.view = view
        self.entry = entry
        self.hint: FitHint | None = None
        self.offline: str | None = None  # why the Hub is out of reach, when it is
        self.quant_label = QLabel()
        self.size_label = QLabel()
        self.name_label = QLabel()
        set_tone(self.name_label, "muted")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # a Hub file name
        self.explain_label = QLabel()
        self.explain_label.setWordWrap(True)
        self.fit_label = QLabel(translate("DiscoverView", "Checking memory…"))
        self.fit_label.setWordWrap(True)
        self.forecast_label = QLabel()  # joules per reply and tok/s here, forecast
        self.forecast_label.setObjectName("forecastLabel")
        self.forecast_label.setWordWrap(True)
        self.forecast_label.hide()
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.hide()
        self.download_button = QPushButton(translate("DiscoverView", "Download"))
        self.download_button.clicked.connect(lambda: view.download(self.entry.filename))
        top = QHBoxLayout()
        top.addWidget(self.quant_label)
        top.addWidget(self.size_label)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.download_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.explain_label)
        layout.addWidget(self.fit_label)
        layout.addWidget(self.forecast_label)
        self.set_entry(entry)

    def set_entry(self, entry: FileEntry) -> None:
        self.entry = entry
        quant = entry.quantization or "?"
        star = " · " + translate("DiscoverView", "recommended") if entry.recommended else ""
        self.quant_label.setText(f"<b>{html_text(quant)}</b>{html_text(star)}")
        if entry.size is None:
            self.size_label.setText("· " + translate("DiscoverView", "size unknown"))
        else:
            self.size_label.setText(("· " if entry.exact else "· ≈ ") + format_bytes(entry.size))
        self.size_label.setToolTip(
            translate("DiscoverView", "Exact size from the Hub")
            if entry.exact
            else translate("DiscoverView", "Approximate size from the catalog")
        )
        self.name_label.setText(f"· {entry.filename}")
        part = entry.split_part
        explanation = explain_quantization(entry.quantization)
        if part is not None:
            explanation += " " + arg(
                translate("DiscoverView", "Part %1 of %2 of a split model."), part[0], part[1]
            )
        self.explain_label.setText(explanation)
        self.show_forecast()
        self._update_button()

    def show_forecast(self) -> None:
        e = self.entry
        show_forecast(self.forecast_label, self.view.forecast_basis, e.size, e.filename)

    def set_offline(self, reason: str | None) -> None:
        """Offline (reason: why), Download is disabled and its tooltip says why."""
        self.offline = reason
        self._update_button()

    def _update_button(self) -> None:
        if self.entry.split_part is not None:
            why: str | None = translate(
                "DiscoverView",
                "This model is split into several files; downloading split models is not "
                "supported yet.",
            )
        elif self.offline is not None:
            why = arg(
                translate("DiscoverView", "Downloading needs the Hugging Face Hub: %1"),
                self.offline,
            )
        else:
            why = None
        self.download_button.setEnabled(why is None)
        self.download_button.setToolTip(why or "")

    def set_hint(self, hint: FitHint | None) -> None:
        self.hint = hint
        if hint is None:
            self.fit_label.setText("")
            return
        self.fit_label.setText(
            arg(translate("DiscoverView", VERDICT_WORDS[hint.verdict]), hint.reason)
        )
        set_tone(self.fit_label, tone_for_verdict(hint.verdict))

    def set_download(self, snap: DownloadSnapshot | None, installed: bool = False) -> None:
        """A file being downloaded (or already installed) shows its state instead of the
        button; a failed one shows 'Failed' and a Try again button."""
        state = snap.state if snap is not None else None
        busy = state is not None and state not in ("failed", "cancelled")
        self.download_button.setVisible(not busy and not (installed and state is None))
        set_tone(self.state_label, "error" if state == "failed" else None)
        error = snap.error if snap is not None else None
        self.state_label.setToolTip(plain_rich_text(error) if error else "")
        if snap is not None and state != "cancelled":
            self.state_label.setText(state_words(snap))
            self.state_label.show()
        elif installed:
            self.state_label.setText(translate("DiscoverView", "Installed"))
            self.state_label.show()
        else:
            self.state_label.hide()
        self.download_button.setText(
            translate("DiscoverView", "Try again")
            if state == "failed"
            else translate("DiscoverView", "Download")
        )


# --- the view ----------------------------------------------------------------------------


class DiscoverView(QWidget):
    """The curated catalog and a live Hub search; the files of the chosen repo with size,
    quantization explained in one line, a fit hint; Download buttons that call
    manager.start()."""

    # Why the Hub is out of reach (str), or None when it is reached again: the list of
    # downloads follows (its Resume buttons).
    offline_changed = Signal(object)

    def __init__(
        self,
        manager: DownloadManager,
        *,
        context_length: int,
        offload: bool,
        forecast: BasisSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        # What each file would cost here (computed in the pool, when the view shows).
        self._forecast_source = forecast
        self.forecast_basis: ForecastBasis | None = None
        self.context_length = context_length
        self.offload = offload
        # Hub calls: a search and a listing may run at once; a newer one of a kind
        # supersedes the older, whose answer is then dropped.
        self._pool = make_pool(self, "discover", threads=2)
        self._workers: dict[str, Worker] = {}
        self._closed = False
        self.mode = "catalog"  # or "search"
        self.repos: list[HubRepo] = []
        self.file_rows: dict[str, FileRow] = {}
        self.offline: str | None = None  # why the Hub is out of reach, while it is
        self.current_repo: str | None = None
        self._current_model: CatalogModel | None = None
        try:
            self.catalog = load_catalog()
            catalog_error = None
        except UserError as e:
            self.catalog, catalog_error = [], str(e)

        # Top: search.
        self.search_field = QLineEdit()
        self.search_field.setAccessibleName(
            translate("DiscoverView", "Search the Hugging Face Hub")
        )
        self.search_field.setPlaceholderText(
            translate(
                "DiscoverView", "Search the Hugging Face Hub for GGUF models, then press Enter"
            )
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.returnPressed.connect(lambda: self.search(self.search_field.text()))
        self.catalog_button = QPushButton(translate("DiscoverView", "Recommended"))
        self.catalog_button.setToolTip(
            translate("DiscoverView", "Show the curated models that suit a laptop")
        )
        self.catalog_button.clicked.connect(self.show_catalog)
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.catalog_button)

        self.offline_label = QLabel()
        self.offline_label.setObjectName("offlineLabel")
        self.offline_label.setWordWrap(True)
        set_tone(self.offline_label, "note")
        self.offline_label.hide()
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote the search
        self.status_label.setWordWrap(True)
        self.status_label.hide()

        # Left: the list of models.
        self.list_title = QLabel()
        self.model_list = QListWidget()
        self.model_list.setAccessibleName(translate("DiscoverView", "Models"))
        self.model_list.setWordWrap(True)
        self.model_list.setAlternatingRowColors(True)
        self.model_list.setSpacing(2)
        self.model_list.currentRowChanged.connect(self._on_row_changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_title)
        left_layout.addWidget(self.model_list, 1)

        # Right: the chosen model and its files.
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        self.about_label.setTextFormat(Qt.TextFormat.RichText)
        self.files_status = QLabel()
        self.files_status.setTextFormat(Qt.TextFormat.PlainText)  # may quote the Hub's error
        self.files_status.setWordWrap(True)
        set_tone(self.files_status, "muted")
        self._files = QWidget()
        self._files_layout = QVBoxLayout(self._files)
        self._files_layout.setContentsMargins(0, 0, 0, 0)
        self._files_layout.setSpacing(6)
        self._files_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._files)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.about_label)
        right_layout.addWidget(self.files_status)
        right_layout.addWidget(scroll, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 480])
        splitter.setChildrenCollapsible(False)

        self.endpoint_label = QLabel()
        self.endpoint_label.setObjectName("hubEndpoint")
        set_tone(self.endpoint_label, "muted")
        self.show_endpoint()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.endpoint_label)
        layout.addWidget(self.offline_label)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        manager.changed.connect(self._on_download_changed)
        if offline_mode():
            self._set_offline(True)
        self.show_catalog()
        self.refresh_forecasts()
        if catalog_error:
            self._set_status(catalog_error, error=True)

    # -- public ---------------------------------------------------------------------

    def search(self, query: str) -> None:
        """Search the Hub in the background; the results replace the list. An empty query
        shows the catalog again."""
        query = query.strip()
        if self.search_field.text().strip() != query:
            self.search_field.setText(query)
        if not query:
            self.show_catalog()
            return
        self._supersede("files")  # whatever was being listed belongs to the old list
        self._set_status(translate("DiscoverView", SEARCHING))
        factory = self.manager.hub_factory
        self._fetch("search", lambda: (query, factory().search(query, SEARCH_LIMIT)))

    def show_endpoint(self) -> None:
        """Which Hub searches and downloads go to: the official one or a mirror."""
        endpoint = self.manager.hub_endpoint()
        if is_official(endpoint):
            text = translate("DiscoverView", "Searching the Hugging Face Hub (%1).")
        else:
            text = translate(
                "DiscoverView",
                "Searching the mirror %1 (Settings → Hugging Face Hub). Your token is not "
                "sent to it unless you allow it there.",
            )
        self.endpoint_label.setText(arg(text, endpoint))

    def showEvent(self, event: QShowEvent) -> None:
        self.show_endpoint()  # the setting may have changed since the tab was built
        self.refresh_forecasts()  # replies may have been measured since
        super().showEvent(event)

    def show_catalog(self) -> None:
        """The curated models (no network needed); selects the first one."""
        self._supersede("search")
        self._supersede("files")
        self._set_status("")
        self.mode = "catalog"
        self.repos = []
        title = translate("DiscoverView", "Recommended for a laptop")
        self.list_title.setText(f"<b>{title}</b>")
        self.model_list.blockSignals(True)
        self.model_list.clear()
        for m in self.catalog:
            item = QListWidgetItem(
                f"{m.name}  ({m.parameters})\n{m.good_for_in(current_language())}"
            )
            item.setToolTip(plain_rich_text(f"{m.repo} · {m.licence}"))
            self.model_list.addItem(item)
        self.model_list.blockSignals(False)
        self._clear_details()
        if self.catalog:
            self.model_list.setCurrentRow(0)

    def refresh_forecasts(self) -> None:
        """Read what this computer measured again (in the pool); the rows follow."""
        if self._forecast_source is not None and not self._closed:
            self._fetch("forecast", self._forecast_source)

    def select_repo(self, repo: str) -> None:
        """Choose a listed model by its repo id (what clicking it does)."""
        ids = (
            [m.repo for m in self.catalog] if self.mode == "catalog" else [r.id for r in self.repos]
        )
        self.model_list.setCurrentRow(ids.index(repo))

    def set_fit_options(self, *, context_length: int, offload: bool) -> None:
        """New settings: the fit hints of the listed files are computed again."""
        self.context_length, self.offload = context_length, offload
        if self.current_repo is not None and self.file_rows:
            entries = tuple(row.entry for row in self.file_rows.values())
            model = self._current_model
            ctx, offload = context_length, offload
            self._fetch(
                "files",
                lambda: _Listing(
                    entries[0].repo,
                    entries,
                    self._hints(entries, model, ctx, offload),
                    entries[0].exact,
                ),
            )

    def download(self, filename: str) -> None:
        """What the Download button of a listed file does."""
        row = self.file_rows.get(filename)
        if row is None or not row.download_button.isEnabled():
            return  # offline, or a split model: the button's tooltip says why
        e = row.entry
        hint = row.hint
        if (
            hint is not None
            and hint.verdict == "will not fit"
            and not self.confirm_will_not_fit(e, hint)
        ):
            return
        self.manager.start(
            e.repo,
            e.filename,
            e.revision,
            size=e.size if e.exact else None,
            sha256=e.sha256 if e.exact else None,
        )

    def confirm_will_not_fit(self, entry: FileEntry, hint: FitHint) -> bool:
        """Asked before downloading a file that will not fit (tests replace it)."""
        answer = QMessageBox.question(
            self,
            translate("DiscoverView", "Download a model that will not fit?"),
            arg(
                translate(
                    "DiscoverView",
                    "%1 will probably not fit in this computer's memory.\n\n%2\n\n"
                    "Download it anyway?",
                ),
                entry.filename,
                hint.reason,
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    @property
    def busy(self) -> bool:
        searching = translate("DiscoverView", SEARCHING)
        listing = translate("DiscoverView", LISTING)
        return self.status_label.text() == searching or self.files_status.text() == listing

    def shutdown(self) -> None:
        """Drop what is in flight and wait for the pool. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._supersede("search")
        self._supersede("files")
        self._supersede("forecast")
        self._pool.clear()
        if not self._pool.waitForDone(SHUTDOWN_WAIT_MS):
            # A Hub call still waiting on a slow network is left to end in the background
            # (its time limits bound it): the pool moves to the application, so deleting the
            # view does not wait for it, and its answer goes nowhere (discarded above).
            self._pool.setParent(QCoreApplication.instance())

    # -- choosing a model -------------------------------------------------------------

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        if self.mode == "catalog":
            if row < len(self.catalog):
                self._show_catalog_model(self.catalog[row])
        elif row < len(self.repos):
            self._show_hub_repo(self.repos[row])

    def _show_catalog_model(self, m: CatalogModel) -> None:
        self._current_model = m
        self.current_repo = m.repo
        self.title_label.setText(f"<h3>{html_text(m.name)}</h3>")
        facts = arg(
            translate(
                "DiscoverView", "%1 parameters · licence %2 · context %3 tokens · good for %4"
            ),
            m.parameters,
            m.licence,
            f"{m.context_length:,}",
            task_words(m.tasks),
        )
        languages = arg(translate("DiscoverView", "Languages: %1"), language_names(m.languages))
        details = muted_html("<br>".join(html_text(t) for t in (facts, languages, m.repo)))
        about = f"{html_text(m.good_for_in(current_language()))}<br>{details}"
        self.about_label.setText(about)
        recommended = m.recommended_file.filename
        entries = tuple(
            FileEntry(
                m.repo,
                f.filename,
                f.size_bytes,
                False,
                None,
                f.quantization,
                recommended=f.filename == recommended,
            )
            for f in m.files
        )
        self._set_rows(entries)
        factory = self.manager.hub_factory
        ctx, offload = self.context_length, self.offload
        if offline_mode():
            self._set_offline(True)
            self.files_status.setText(
                translate("DiscoverView", "Sizes are approximate (from the catalog).")
            )
        else:
            self.files_status.setText(translate("DiscoverView", LISTING))

        def work() -> Iterator[_Listing]:
            yield _Listing(m.repo, entries, self._hints(entries, m, ctx, offload), False)
            hub_entries = self._hub_entries(factory, m.repo, recommended)
            yield _Listing(m.repo, hub_entries, self._hints(hub_entries, m, ctx, offload), True)

        self._fetch("files", work)

    def _show_hub_repo(self, repo: HubRepo) -> None:
        self._current_model = next((m for m in self.catalog if m.repo == repo.id), None)
        self.current_repo = repo.id
        self.title_label.setText(f"<h3>{html_text(repo.id)}</h3>")  # Hub data: never markup
        facts = [
            arg(translate("DiscoverView", "by %1"), repo.author),
            downloads_words(repo.downloads),
            likes_words(repo.likes),
        ]
        if repo.last_modified is not None:
            facts.append(
                arg(translate("DiscoverView", "updated %1"), f"{repo.last_modified:%Y-%m-%d}")
            )
        if repo.gated:
            facts.append(translate("DiscoverView", "gated: accept its licence on the Hub first"))
        joined = " · ".join(facts)
        about = muted_html(html_text(joined))
        self.about_label.setText(about)
        self._set_rows(())
        self.files_status.setText(translate("DiscoverView", LISTING))
        factory = self.manager.hub_factory
        model = self._current_model
        recommended = model.recommended_file.filename if model else None
        ctx, offload = self.context_length, self.offload

        def work() -> _Listing:
            entries = self._hub_entries(factory, repo.id, recommended)
            return _Listing(repo.id, entries, self._hints(entries, model, ctx, offload), True)

        self._fetch("files", work)

    # -- pool side (no widgets) -------------------------------------------------------

    @staticmethod
    def _hub_entries(
        factory: Callable[[], Any], repo: str, recommended: str | None
    ) -> tuple[FileEntry, ...]:
        files = factory().files(repo)
        return tuple(
            FileEntry(
                repo,
                f.filename,
                f.size,
                f.size is not None,
                f.sha256,
                f.quantization or quantization_from_filename(f.filename),
                f.revision,
                recommended=f.filename == recommended,
            )
            for f in files
        )

    @staticmethod
    def _hints(
        entries: tuple[FileEntry, ...], model: CatalogModel | None, ctx: int, offload: bool
    ) -> dict[str, FitHint]:
        """Fit hints, computed in the pool (psutil; NVML with offload)."""
        from desktop_llm.core.models.fit import free_ram, free_vram

        ram = free_ram()
        vram = free_vram() if offload else None
        shape = {}
        if model is not None:
            shape = {"layers": model.layers, "kv_heads": model.kv_heads, "head_dim": model.head_dim}
        out = {}
        for e in entries:
            if e.size is None:
                continue
            out[e.filename] = fit_hint(
                e.size, ctx, free_ram=ram, free_vram=vram, offload=offload, **shape
            )
        return out

    # -- results (GUI thread) ---------------------------------------------------------

    def _supersede(self, kind: str) -> None:
        worker = self._workers.pop(kind, None)
        if worker is not None:
            worker.discard()

    def _fetch(self, kind: str, call: Callable[[], Any]) -> None:
        """call() runs in the pool (no widgets); a generator's values arrive one by one."""
        self._supersede(kind)
        worker = create_worker(call)
        worker.yielded.connect(lambda payload: self._on_result(kind, payload))
        worker.returned.connect(lambda payload: self._on_result(kind, payload))
        worker.errored.connect(lambda error: self._on_failed(kind, error))
        self._workers[kind] = worker.start(self._pool)

    def _on_result(self, kind: str, payload: object) -> None:
        if self._closed or payload is None:
            return
        if kind == "forecast" and isinstance(payload, ForecastBasis):
            self.forecast_basis = payload
            for row in self.file_rows.values():
                row.show_forecast()
        elif kind == "search":
            query, repos = payload  # type: ignore[misc]
            self._set_offline(False)
            self._show_search_results(query, repos)
        elif kind == "files" and isinstance(payload, _Listing):
            if payload.repo != self.current_repo:
                return
            if payload.from_hub:
                self._set_offline(False)
                self.files_status.setText(
                    ""
                    if payload.entries
                    else translate("DiscoverView", "This repository has no GGUF files.")
                )
            if payload.from_hub or [r.entry for r in self.file_rows.values()] == list(
                payload.entries
            ):
                if payload.from_hub:
                    self._set_rows(payload.entries)
                for name, row in self.file_rows.items():
                    row.set_hint(payload.hints.get(name))

    def _on_failed(self, kind: str, error: BaseException) -> None:
        if self._closed or kind == "forecast":  # no forecast: the rows say nothing (logged)
            return
        if not isinstance(error, UserError):
            # logged by the worker
            error = UserError(arg(translate("DiscoverView", "Unexpected error: %1"), error))
        offline = isinstance(error, HubOffline)
        if offline:
            self._set_offline(True, error)  # type: ignore[arg-type]
        if kind == "search":
            if offline:
                self._set_status("")
                if self.mode != "catalog":
                    self.show_catalog()
            else:
                self._set_status(str(error), error=True)
        else:
            if self.mode == "catalog" and self.file_rows:
                self.files_status.setText(
                    translate("DiscoverView", "Sizes are approximate (from the catalog).")
                    if offline
                    else arg(
                        translate(
                            "DiscoverView", "%1 The sizes shown are the catalog's estimates."
                        ),
                        error,
                    )
                )
            else:
                self.files_status.setText("" if offline else str(error))

    def _show_search_results(self, query: str, repos: list[HubRepo]) -> None:
        self.mode = "search"
        self.repos = list(repos)
        self._set_status(
            ""
            if repos
            else arg(translate("DiscoverView", "No GGUF models on the Hub match “%1”."), query)
        )
        self.list_title.setText(
            arg(
                translate("DiscoverView", "<b>Hub results for “%1”</b> (most downloaded first)"),
                html_text(query),
            )
        )
        self.model_list.blockSignals(True)
        self.model_list.clear()
        for r in self.repos:
            item = QListWidgetItem(
                f"{r.id}\n↓ {downloads_words(r.downloads)} · ♥ {likes_words(r.likes)}"
            )
            self.model_list.addItem(item)
        self.model_list.blockSignals(False)
        self._clear_details()

    def _set_rows(self, entries: tuple[FileEntry, ...]) -> None:
        old = self.file_rows
        self.file_rows = {}
        for e in entries:
            row = old.pop(e.filename, None)
            if row is None:
                row = FileRow(self, e)
            else:
                row.set_entry(e)
            self.file_rows[e.filename] = row
            self._files_layout.insertWidget(self._files_layout.count() - 1, row)
            row.set_offline(self.offline)
            snap = self.manager.find(e.repo, e.filename)
            row.set_download(snap, installed=self._installed(e.filename))
        for row in old.values():
            row.setParent(None)
            row.deleteLater()

    def _clear_details(self) -> None:
        self.current_repo = None
        self._current_model = None
        self.title_label.setText("")
        self.about_label.setText("")
        self.files_status.setText(
            translate("DiscoverView", "Choose a model to see its files.") if self.repos else ""
        )
        self._set_rows(())

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        set_tone(self.status_label, "error" if error else "muted")
        self.status_label.setVisible(bool(text))

    def _set_offline(self, offline: bool, error: BaseException | None = None) -> None:
        """Show or hide the offline line; every Download button follows (disabled, with the
        reason as its tooltip, while offline)."""
        before = self.offline
        self.offline = offline_reason(error) if offline else None
        for row in self.file_rows.values():
            row.set_offline(self.offline)
        if self.offline != before:
            self.offline_changed.emit(self.offline)
        if not offline:
            self.offline_label.hide()
            return
        self.offline_label.setText(offline_message(error))
        self.offline_label.show()

    def _installed(self, filename: str) -> bool:
        """A file of that name is in the models folder already (one stat, no hashing)."""
        return (self.manager.models_dir / filename.rsplit("/", 1)[-1]).is_file()

    @Slot(object)
    def _on_download_changed(self, snap: DownloadSnapshot) -> None:
        row = self.file_rows.get(snap.filename)
        if row is not None and row.entry.repo == snap.repo:
            row.set_download(snap, installed=self._installed(snap.filename))
