"""The first-run welcome: what the starter model is, models that fit, the grid country.

Shown by the window when the app starts with no conversation yet and `ui.show_welcome` is
on; once dismissed (either button, or closing it) it is off, and it does not come back
unless the user turns it on again in Settings → Window. The suggested models come from the
curated catalog (core/models/suggestions.py), checked against the memory free now; their
Download buttons hand the file to the window's DownloadManager, whose progress shows in
the status bar. Whether the Hub can be reached is asked in the background; offline, the
page says downloads need a network and that the starter works now.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.config import OPTIONS_BY_NAME, Settings
from desktop_llm.core.display_text import html_text
from desktop_llm.core.energy.country import locale_country
from desktop_llm.core.energy.forecast import ForecastBasis
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, current_language, translate
from desktop_llm.core.models.catalog import load_catalog
from desktop_llm.core.models.fit import free_ram
from desktop_llm.core.models.gguf_file import format_bytes
from desktop_llm.core.models.hub import HubOffline
from desktop_llm.core.models.suggestions import Suggestion, first_run_suggestions
from desktop_llm.ui.common.style import set_tone
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, stop_pool
from desktop_llm.ui.models.discover_view import language_names
from desktop_llm.ui.models.download_manager import DownloadManager
from desktop_llm.ui.models.forecasts import BasisSource, show_forecast

# Marked here, translated where shown.
STARTER_WORDS = QT_TRANSLATE_NOOP(
    "WelcomeDialog",
    "Everything here runs on this computer, offline. The model that came with the app, "
    "SmolLM2 135M, is tiny: it answers at once and is fine for trying the app, but it knows "
    "few facts, gets many of them wrong, and writes very little Chinese.",
)
OFFLINE_WORDS = QT_TRANSLATE_NOOP(
    "WelcomeDialog",
    "You are offline: downloading a model needs a network. The starter model works now.",
)
NONE_FIT_WORDS = QT_TRANSLATE_NOOP(
    "WelcomeDialog",
    "None of the recommended models fits in the memory free right now. The starter model "
    "works; Models → Manage models… (Ctrl+Shift+M) lists more, with what each needs.",
)


class SuggestionRow(QFrame):
    def __init__(self, suggestion: Suggestion, downloads: DownloadManager) -> None:
        super().__init__()
        self.setObjectName("welcomeSuggestion")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.suggestion = suggestion
        self._downloads = downloads
        model, file = suggestion.model, suggestion.file
        name = QLabel(
            arg(
                translate("WelcomeDialog", "<b>%1</b> (%2 parameters)"),
                html_text(model.name),
                html_text(model.parameters),
            )
        )
        about = QLabel(model.good_for_in(current_language()))  # the catalog's words
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setWordWrap(True)
        facts = QLabel(
            arg(
                translate(
                    "WelcomeDialog",
                    "Languages: %1<br>Download %2 · needs about %3 of memory · licence %4",
                ),
                html_text(language_names(model.languages)),
                format_bytes(file.size_bytes),
                format_bytes(suggestion.hint.needed_bytes),
                html_text(model.licence),
            )
        )
        facts.setWordWrap(True)
        set_tone(facts, "muted")
        # Joules per reply and tok/s here, forecast from the models measured here (when any).
        self.forecast_label = QLabel()
        self.forecast_label.setObjectName("forecastLabel")
        self.forecast_label.setWordWrap(True)
        self.forecast_label.hide()
        self.download_button = QPushButton(translate("WelcomeDialog", "Download"))
        self.download_button.setToolTip(
            arg(translate("WelcomeDialog", "%1 from %2"), file.filename, model.repo)
        )
        self.download_button.clicked.connect(self.download)
        text = QVBoxLayout()
        for label in (name, about, facts, self.forecast_label):
            text.addWidget(label)
        row = QHBoxLayout(self)
        row.addLayout(text, 1)
        row.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignTop)

    def show_forecast(self, basis: ForecastBasis) -> None:
        """Nothing measured yet: nothing said (a forecast needs a measured model)."""
        file = self.suggestion.file
        show_forecast(
            self.forecast_label, basis, file.size_bytes, file.filename, hide_when_none=True
        )

    def download(self) -> None:
        model, file = self.suggestion.model, self.suggestion.file
        self._downloads.start(model.repo, file.filename)
        self.download_button.setEnabled(False)
        self.download_button.setText(translate("WelcomeDialog", "Downloading…"))
        self.download_button.setToolTip(
            translate("WelcomeDialog", "Its progress is in the status bar and in Models.")
        )


class WelcomeDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        downloads: DownloadManager,
        parent: QWidget | None = None,
        *,
        forecast: BasisSource | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("WelcomeDialog", "Welcome"))
        self.setObjectName("welcomeDialog")
        self.settings = settings
        self._pool = make_pool(self, "welcome")
        self._probe: Worker | None = None
        self._forecast: Worker | None = None

        heading = QLabel(translate("WelcomeDialog", "Welcome to Desktop LLM"))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        heading.setFont(font)
        intro = QLabel(translate("WelcomeDialog", STARTER_WORDS))
        intro.setWordWrap(True)

        try:
            catalog = load_catalog()
        except UserError:
            catalog = []
        language = QLocale.system().name().split("_")[0]
        self.suggestions = first_run_suggestions(
            catalog,
            context_length=settings["engine.context_length"],
            free_ram=free_ram(),
            language=language,
        )
        self.rows = [SuggestionRow(s, downloads) for s in self.suggestions]
        lead = QLabel(
            translate(
                "WelcomeDialog", "For everyday use, download one of these; each fits this computer:"
            )
            if self.rows
            else translate("WelcomeDialog", NONE_FIT_WORDS)
        )
        lead.setWordWrap(True)
        self.offline_label = QLabel(translate("WelcomeDialog", OFFLINE_WORDS))
        self.offline_label.setObjectName("welcomeOffline")
        self.offline_label.setWordWrap(True)
        set_tone(self.offline_label, "note")
        self.offline_label.hide()

        country_label = QLabel(
            translate(
                "WelcomeDialog",
                "Where is this computer? Its electricity grid sets the carbon of each answer.",
            )
        )
        country_label.setWordWrap(True)
        self.country = QComboBox()
        self.country.setObjectName("welcomeCountry")
        country_label.setBuddy(self.country)
        choices = OPTIONS_BY_NAME["energy.country"].choices
        for code, label in choices() if choices is not None else []:
            self.country.addItem(label, code)
        guess = settings["energy.country"] or locale_country() or ""
        self.country.setCurrentIndex(max(0, self.country.findData(guess)))
        country_note = QLabel(
            translate(
                "WelcomeDialog",
                "Filled in from this computer's language settings: check it, a computer set to "
                "US English may well be somewhere else.",
            )
        )
        country_note.setWordWrap(True)
        set_tone(country_note, "muted")

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(
            translate("WelcomeDialog", "Start with the starter model"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(lead)
        for row in self.rows:
            layout.addWidget(row)
        layout.addWidget(self.offline_label)
        layout.addSpacing(8)
        layout.addWidget(country_label)
        layout.addWidget(self.country)
        layout.addWidget(country_note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(max(640, self.sizeHint().width()), self.sizeHint().height() + 40)
        self.finished.connect(self._dismissed)
        if self.rows:
            self._ask_the_hub(downloads)
            if forecast is not None:
                self._forecast_costs(forecast)

    def _forecast_costs(self, source: BasisSource) -> None:
        """Each suggestion's joules per reply and speed here, read in the pool."""
        worker = create_worker(source)
        worker.returned.connect(self._on_forecast)
        self._forecast = worker.start(self._pool)

    def _on_forecast(self, basis: object) -> None:
        if isinstance(basis, ForecastBasis):
            for row in self.rows:
                row.show_forecast(basis)

    def _ask_the_hub(self, downloads: DownloadManager) -> None:
        """Offline (no network, HF_HUB_OFFLINE), the Download buttons cannot work: say so."""
        repo = self.suggestions[0].model.repo
        factory = downloads.hub_factory
        worker = create_worker(lambda: factory().files(repo))
        worker.errored.connect(self._on_hub_error)
        self._probe = worker.start(self._pool)

    def _on_hub_error(self, error: BaseException) -> None:
        if isinstance(error, HubOffline):
            self.offline_label.show()
            for row in self.rows:
                row.download_button.setEnabled(False)

    def _dismissed(self, _result: int) -> None:
        """Either way out: the country as shown is the user's answer; no welcome again."""
        try:
            self.settings.update(
                {"energy.country": self.country.currentData() or "", "ui.show_welcome": False}
            )
            self.settings.save()
        except (OSError, ValueError):
            pass  # the defaults stay; the page shows again next time, which is no harm
        self.shutdown()

    def shutdown(self) -> None:
        stop_pool(self._pool, self._probe, self._forecast)
