"""The energy dashboard over real records: two chat replies and a sentiment batch made with
the real starter model into a real SQLite file, read back off the GUI thread."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.energy.report import EnergyGroup, total
from desktop_llm.core.paths import HOME_ENV
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.tasks.batch_input import BatchRow
from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.ui.energy.charts import energy_unit
from desktop_llm.ui.energy.dashboard import (
    COLUMNS,
    EMPTY_MESSAGE,
    PUBLISHED_COLUMN,
    CompareModel,
    EnergyDashboard,
    plain_number,
)
from desktop_llm.ui.energy.summary import CompareRow
from tests.helpers.energy_records import remote_energy, stored_reply
from tests.helpers.gui import SHORT_REPLY_TOKENS, requires_model, write_settings

LOAD_TIMEOUT_MS = 20_000
SENTIMENT_TEXTS = ("I love it.", "I hate it.", "It is a chair.")


class Recorded:
    def __init__(self, services: Services, middle: datetime) -> None:
        self.services = services
        self.middle = middle  # between the first and the second chat reply


def _last(events: Iterator[object], kind: type) -> object:
    last = None
    for event in events:
        if isinstance(event, kind):
            last = event
    assert last is not None
    return last


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recorded]:
    """One data directory with real records for the whole module (the model runs once)."""
    home = tmp_path_factory.mktemp("energy") / "home"
    write_settings(
        home,
        **{
            "generation.max_tokens": SHORT_REPLY_TOKENS,
            "engine.threads": max(1, min(4, os.cpu_count() or 1)),
            "engine.context_length": 1024,
            "energy.country": "FR",
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(HOME_ENV, str(home))
        services = open_services()
        try:
            first = _last(services.chat.send(None, "Name a colour."), ReplyEnded)
            assert isinstance(first, ReplyEnded) and first.status == "complete"
            middle = datetime.now(UTC)
            second = _last(services.chat.send(None, "Name a fruit."), ReplyEnded)
            assert isinstance(second, ReplyEnded) and second.status == "complete"
            rows = [BatchRow(text) for text in SENTIMENT_TEXTS]
            batch = _last(services.tasks.sentiment_batch(rows), TaskEnded)
            assert isinstance(batch, TaskEnded) and batch.status == "complete"
            # The model process is not needed any more: no test may see it running.
            services.host.close()
            yield Recorded(services, middle)
        finally:
            services.close()


def open_dashboard(qtbot: QtBot, services: Services, **kwargs: object) -> EnergyDashboard:
    dialog = EnergyDashboard(services, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=LOAD_TIMEOUT_MS):
        dialog.show()
        assert dialog.loading and dialog.status.text() == "Loading…"
    assert not dialog.loading and dialog.status.text() == ""
    return dialog


@pytest.fixture
def empty_sysfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No RAPL, battery or powercap here, whatever the machine running the tests has."""
    root = tmp_path / "sys"
    root.mkdir()
    monkeypatch.setenv("DESKTOP_LLM_SYSFS", str(root))
    return root


@pytest.fixture
def dashboard(qtbot: QtBot, recorded: Recorded, empty_sysfs: Path) -> Iterator[EnergyDashboard]:
    dialog = open_dashboard(qtbot, recorded.services, session_start=recorded.middle)
    yield dialog
    dialog.shutdown()


def cell(dialog: EnergyDashboard, row: int, column: str) -> str:
    proxy = dialog.compare_proxy
    return proxy.data(proxy.index(row, COLUMNS.index(column)), Qt.ItemDataRole.DisplayRole)


@pytest.mark.model
@requires_model
def test_overview_shows_the_totals_and_charts(
    dashboard: EnergyDashboard, recorded: Recorded
) -> None:
    store = recorded.services.store
    rows = store.energy_rows()
    assert {r.task for r in rows} == {"chat", "sentiment"}
    data = dashboard.data
    assert data is not None
    assert dashboard.overview.currentIndex() == 1  # the charts, not the empty message

    overall = total(rows)
    session = total(r for r in rows if r.started_at >= recorded.middle)
    assert session.requests == 1 + len(SENTIMENT_TEXTS)  # the second reply and the batch
    assert math.isclose(data.overall.joules_attributed, overall.joules_attributed)
    assert math.isclose(data.session.joules_attributed, session.joules_attributed)
    header = dashboard.header.text()
    assert header.startswith("This session: ") and "All time: " in header
    assert f"over {session.requests} requests" in header
    assert f"over {overall.requests} requests" in header

    # Every record on this machine is an estimate (no RAPL, no GPU): the warning says so.
    assert dashboard.warning.isVisibleTo(dashboard)
    assert f"All {overall.generations} model calls were estimated from CPU time" in (
        dashboard.warning.text()
    )

    today = rows[0].started_at.astimezone().date().isoformat()
    assert dashboard.day_chart.categories() == [today]
    model = rows[0].model_file.removesuffix(".gguf")
    assert dashboard.model_chart.categories() == [model]
    assert dashboard.task_chart.categories() == ["chat", "sentiment"]
    by_task = dict(
        zip(dashboard.task_chart.categories(), dashboard.task_chart.values(), strict=True)
    )
    assert math.isclose(sum(by_task.values()), overall.joules_attributed)
    assert math.isclose(
        by_task["sentiment"],
        sum(r.energy.joules_attributed for r in rows if r.task == "sentiment"),
    )
    assert dashboard.task_chart.unit in ("J", "kJ", "Wh")

    # The warning's link opens the explanation.
    dashboard.warning.linkActivated.emit("#how")
    assert dashboard.tabs.tabText(dashboard.tabs.currentIndex()) == "How is this measured?"


@pytest.mark.model
@requires_model
def test_compare_table_adds_up_and_shows_the_published_figure(
    dashboard: EnergyDashboard, recorded: Recorded
) -> None:
    rows = recorded.services.store.energy_rows()
    overall = total(rows)
    model = dashboard.compare_model
    assert [(r.task, r.quantization) for r in model.rows] == [
        ("chat", rows[0].quantization or ""),
        ("sentiment", rows[0].quantization or ""),
    ]
    assert sum(r.group.requests for r in model.rows) == overall.requests
    assert sum(r.group.tokens for r in model.rows) == overall.tokens
    assert math.isclose(
        sum(r.group.joules_attributed for r in model.rows), overall.joules_attributed
    )
    assert math.isclose(sum(r.group.carbon_g for r in model.rows), overall.carbon_g)
    assert f"{overall.requests} requests" in dashboard.compare_total.text()

    # Sorted by model, then the sort the user clicks: by requests, most first.
    dashboard.table.sortByColumn(COLUMNS.index("Requests"), Qt.SortOrder.DescendingOrder)
    assert cell(dashboard, 0, "Task") == "sentiment"
    assert cell(dashboard, 0, "Requests") == str(len(SENTIMENT_TEXTS))
    assert cell(dashboard, 0, "Published (different setup)") == "0.002"
    assert cell(dashboard, 1, "Task") == "chat"
    assert cell(dashboard, 1, "Published (different setup)") == "0.047"
    assert cell(dashboard, 0, "Source") == "estimate"
    header = dashboard.compare_proxy.headerData(
        PUBLISHED_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
    )
    assert header == "Published\n(different setup)"
    note = dashboard.published_note.text()
    assert "A100" in note and "reference point" in note
    dashboard.tabs.setCurrentIndex(1)
    assert dashboard.published_note.isVisibleTo(dashboard)
    # Per 1,000 requests: the batch's energy over its three items.
    sentiment = next(r for r in model.rows if r.task == "sentiment")
    assert sentiment.group.kwh_per_1k_requests == pytest.approx(
        sentiment.group.joules_attributed / 3 * 1000 / 3.6e6
    )


@pytest.mark.model
@requires_model
def test_export_csv_writes_the_table(
    qtbot: QtBot,
    dashboard: EnergyDashboard,
    recorded: Recorded,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "energy.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert dashboard.export_button.isEnabled()
    with qtbot.waitSignal(dashboard.exported, timeout=LOAD_TIMEOUT_MS):
        dashboard.export_button.click()
    assert dashboard.status.text() == f"Saved {target}"
    with target.open(encoding="utf-8", newline="") as file:
        exported = list(csv.DictReader(file))
    overall = total(recorded.services.store.energy_rows())
    assert {r["task"] for r in exported} == {"chat", "sentiment"}
    assert sum(int(r["requests"]) for r in exported) == overall.requests
    assert sum(int(r["tokens"]) for r in exported) == overall.tokens
    assert math.isclose(
        sum(float(r["joules_attributed"]) for r in exported),
        overall.joules_attributed,
        rel_tol=1e-5,
    )
    sentiment = next(r for r in exported if r["task"] == "sentiment")
    assert sentiment["published_kwh_per_1k_inferences"] == "0.002"
    assert sentiment["published_task"] == "text classification"

    # A folder that does not exist: one sentence in the status line, no traceback.
    missing = tmp_path / "no such folder" / "energy.csv"
    with qtbot.waitSignal(dashboard.export_failed, timeout=LOAD_TIMEOUT_MS) as blocker:
        dashboard.export_csv(missing)
    assert blocker.args[0].startswith(f"Could not save {missing}")
    assert dashboard.status.text() == blocker.args[0]


@pytest.mark.model
@requires_model
def test_meters_tab_says_what_is_measured_and_why_not(
    dashboard: EnergyDashboard, recorded: Recorded
) -> None:
    data = dashboard.data
    assert data is not None
    meters = {m.name: m for m in data.meters}
    assert meters["estimate"].available
    assert not meters["rapl"].available and meters["rapl"].detail
    text = dashboard.meters_view.toPlainText()
    assert "Estimate from CPU time [estimate]: available" in text
    assert "[rapl]: not available" in text
    assert f"Why: {meters['rapl'].detail}" in text
    assert "Gross, net and attributed" in text and "Low-confidence" in text
    # Carbon: the country the records were made with, and where to change it.
    assert "France" in text and "your country setting (FR)" in text
    assert "Settings" in text
    assert f"stored model calls: estimate ({data.overall.generations})" in text


@pytest.mark.model
@requires_model
def test_session_start_and_refresh(
    qtbot: QtBot, dashboard: EnergyDashboard, recorded: Recorded
) -> None:
    rows = recorded.services.store.energy_rows()
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        dashboard.session_started_at = rows[0].started_at  # every record is this session's
    assert dashboard.data is not None
    assert dashboard.data.session.requests == total(rows).requests
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        dashboard.session_started_at = datetime.now()  # naive: local time
    assert dashboard.header.text().startswith("This session: no requests yet. All time: ")
    with qtbot.waitSignal(dashboard.loaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(dashboard, Qt.Key.Key_F5)
    assert dashboard.status.text() == ""
    qtbot.keyClick(dashboard, Qt.Key.Key_Escape)
    assert not dashboard.isVisible()


def test_empty_state(qtbot: QtBot, home: Path, empty_sysfs: Path) -> None:
    services = open_services()
    try:
        dialog = open_dashboard(qtbot, services)
        assert dialog.overview.currentIndex() == 0
        assert dialog.overview_message.text() == EMPTY_MESSAGE
        assert dialog.compare.currentIndex() == 0
        assert dialog.compare_proxy.rowCount(QModelIndex()) == 0
        assert not dialog.export_button.isEnabled()
        # How it will be measured is useful before the first reply too.
        assert "[estimate]: available" in dialog.meters_view.toPlainText()
        dialog.shutdown()
    finally:
        services.close()


def test_units_and_numbers_read_well() -> None:
    assert energy_unit([0.5, 12.0]) == ("J", 1.0)
    assert energy_unit([1500.0]) == ("kJ", 1000.0)
    assert energy_unit([7200.0]) == ("Wh", 3600.0)
    assert energy_unit([]) == ("J", 1.0)
    assert plain_number(0.0021, 2) == "0.0021"
    assert plain_number(0.0000123, 3) == "0.0000123"
    assert plain_number(12.345, 3) == "12.3"
    assert plain_number(1234.5) == "1,234"
    assert plain_number(None) == ""


def test_a_failed_read_is_said_in_words(
    qtbot: QtBot, home: Path, empty_sysfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = open_services()
    try:

        def broken(since: datetime | None = None) -> list[object]:
            raise RuntimeError("database is locked")

        monkeypatch.setattr(services.store, "energy_rows", broken)
        dialog = EnergyDashboard(services)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.load_failed, timeout=LOAD_TIMEOUT_MS) as blocker:
            dialog.show()
        message = blocker.args[0]
        assert message == "The energy records could not be read (RuntimeError: database is locked)."
        assert dialog.status.text() == message and dialog.overview_message.text() == message
        assert not dialog.loading
        dialog.shutdown()
    finally:
        services.close()


def test_the_joules_tooltip_says_what_they_feel_like_and_what_was_contended(
    qtbot: QtBot,
) -> None:
    model = CompareModel()
    quiet = EnergyGroup("m", generations=3, requests=3, joules_attributed=27_000.0)
    busy = EnergyGroup("m", generations=3, requests=3, joules_attributed=12.0, contended=2)
    model.set_rows([CompareRow("m", "Q4_1", "chat", quiet), CompareRow("m", "Q4_1", "chat", busy)])
    joules = COLUMNS.index("Energy")
    tip = model.data(model.index(0, joules), Qt.ItemDataRole.ToolTipRole)
    assert "That is about 50 % of a phone charge." in tip and "54 kJ" in tip
    assert "other programs" not in tip
    tip = model.data(model.index(1, joules), Qt.ItemDataRole.ToolTipRole)
    assert "a 10 W LED bulb for 1.2 s" in tip
    assert "2 model calls measured while other programs kept the CPU busy" in tip


def test_remote_replies_are_counted_apart_never_as_zero(
    qtbot: QtBot, home: Path, empty_sysfs: Path
) -> None:
    local = {
        "source": "rapl",
        "scope": "package",
        "label": "RAPL package",
        "measured": True,
        "joules_gross": 6.0,
        "joules_net": 5.0,
        "joules_attributed": 5.0,
        "watts_avg": 6.0,
        "baseline_watts": 0.5,
        "seconds": 1.0,
        "cpu_share": None,
        "carbon_g": 0.0005,
        "intensity_g_per_kwh": 400.0,
        "intensity_source": "t",
        "low_confidence": False,
        "contended": False,
    }
    services = open_services()
    try:
        stored_reply(services.store, "small.gguf", local)
        for _ in range(12):
            stored_reply(services.store, "qwen3-30b", remote_energy(None), engine="box")
        stored_reply(services.store, "qwen3-30b", remote_energy(100.0), engine="box")
        dialog = open_dashboard(qtbot, services)
        header = dialog.header.text()
        assert "5.00 J" in header and "over 1 request" in header
        assert "12 repl" in header and "not measured: remote" in header
        assert "estimated from your power figures: 200.0 J" in header
        # A remote engine's model has no bar and no row of zeros.
        assert dialog.model_chart.categories() == ["small"]
        assert [r.model for r in dialog.compare_model.rows] == ["small"]
        assert "not measured: remote" in dialog.compare_total.text()
        how = dialog.meters_view.toPlainText()
        assert "remote engine ran on another machine" in how
        assert "(not 0)" in how
        dialog.shutdown()
    finally:
        services.close()
