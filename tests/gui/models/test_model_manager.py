"""The model manager dialog in the window: Installed (what a model is good for, what it
measured here, defaults; sha256 and metadata behind Details; import checked first, remove,
broken marks) and a download from the loopback Hub that is then chatted with."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.models.download import DownloadSnapshot
from desktop_llm.ui.common.model_picker import MANAGE
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.models.installed_view import COLUMNS, InstalledTableModel
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB, INSTALLED_TAB, ModelManagerDialog
from tests.helpers.gguf_factory import require_starter_model, write_tiny_gguf
from tests.helpers.gui import REPLY_TIMEOUT_MS, requires_model, send_and_wait
from tests.helpers.hub_server import FakeHub

pytestmark = [pytest.mark.model, requires_model]


def open_manager(qtbot: QtBot, window: MainWindow) -> ModelManagerDialog:
    qtbot.keyClick(
        window,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    manager = window.model_manager
    assert manager is not None and manager.isVisible()
    return manager


def rows_loaded(manager: ModelManagerDialog) -> bool:
    rows = manager.installed.table_model.rows
    return bool(rows) and all(r.summary is not None or r.problem for r in rows)


def test_installed_shows_what_the_starter_model_is(qtbot: QtBot, window: MainWindow) -> None:
    manager = open_manager(qtbot, window)
    assert manager.tabs.currentIndex() == INSTALLED_TAB
    installed = manager.installed
    qtbot.waitUntil(lambda: rows_loaded(manager), timeout=30_000)
    (row,) = installed.table_model.rows
    assert row.model.source == "bundled"
    summary = row.summary
    assert summary is not None and summary.architecture == "llama"
    assert summary.parameters == "135M" and summary.has_chat_template
    assert summary.context_length == 8192 and summary.licence == "apache-2.0"
    # The table leads with what a person needs, and no hash.
    headers = [
        installed.table_model.headerData(i, Qt.Orientation.Horizontal)
        for i in range(installed.table_model.columnCount())
    ]
    assert headers == [
        "Name", "Good for", "Size", "Context", "Speed", "Energy per reply", "Default for",
        "Status",
    ]  # fmt: skip
    cells = dict(zip(headers, (InstalledTableModel.text(row, h) for h in COLUMNS), strict=True))
    assert cells["Good for"].startswith("Trying the app")
    assert cells["Context"] == QLocale().toString(8192) and cells["Speed"] == "—"
    assert cells["Status"] == "comes with the app"

    installed.select(row.model.name)
    about = installed.about_label.text()
    assert "Languages: English" in about and "135M parameters" in about
    assert "Not used on this computer yet" in about
    assert "Not the default for any task." in about
    # sha256 and the raw metadata are behind Details, read only when it opens.
    assert not installed.details_pane.isVisible() and installed.details.rowCount() == 0
    starter = require_starter_model()
    expected = hashlib.sha256(starter.read_bytes()).hexdigest()
    qtbot.waitUntil(lambda: installed.table_model.rows[0].sha256 is not None, timeout=60_000)
    assert installed.table_model.rows[0].sha256 == expected
    assert expected not in about
    assert not installed.remove_button.isEnabled() or not row.model.removable

    qtbot.mouseClick(installed.details_button, Qt.MouseButton.LeftButton)
    assert installed.details_pane.isVisible()
    assert f"sha256: {expected}" in installed.facts_label.text()
    qtbot.waitUntil(lambda: installed.details.rowCount() > 20, timeout=60_000)
    keys = [installed.details.item(i, 0).text() for i in range(installed.details.rowCount())]
    assert "general.architecture" in keys and "tokenizer.chat_template" in keys
    assert installed.details_label.text() == f"{len(keys)} GGUF metadata keys"
    qtbot.mouseClick(installed.details_button, Qt.MouseButton.LeftButton)
    assert not installed.details_pane.isVisible()


def test_installed_shows_speed_energy_and_defaults_measured_here(
    qtbot: QtBot, window: MainWindow
) -> None:
    ended = send_and_wait(qtbot, window, "Say hi.")
    assert ended.status == "complete"
    generation = window.services.store.generation_for(ended.message_id)
    assert generation is not None and generation.tokens_per_second
    window.services.settings.set("translate.default_model", ended.model_name)

    manager = open_manager(qtbot, window)
    installed = manager.installed
    qtbot.waitUntil(
        lambda: rows_loaded(manager) and installed.table_model.rows[0].measured.timed == 1,
        timeout=30_000,
    )
    (row,) = installed.table_model.rows
    speed = generation.tokens_per_second
    assert row.measured.tokens_per_second == pytest.approx(speed)
    assert row.measured.replies == 1 and row.measured.joules_per_reply is not None
    energy = window.services.store.energy_for(ended.message_id)
    assert energy is not None
    assert row.measured.joules_per_reply == pytest.approx(energy.joules_attributed)
    speed_text = f"{speed:.0f} tok/s" if speed >= 10 else f"{speed:.1f} tok/s"
    assert InstalledTableModel.text(row, "Speed") == speed_text
    assert InstalledTableModel.text(row, "Energy per reply").endswith("J")
    assert InstalledTableModel.text(row, "Default for") == "Translate"
    installed.select(row.model.name)
    about = installed.about_label.text()
    assert f"Measured here: {speed_text} · " in about and "per chat reply" in about
    assert "Default for Translate" in about


def test_a_file_is_checked_before_copy_or_in_place_is_asked(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    manager = open_manager(qtbot, window)
    installed = manager.installed
    asked: list[tuple[str, str]] = []

    def ask(path: Path, summary) -> str | None:
        asked.append((path.name, summary.parameters))
        return "in place"

    installed.ask_how_to_import = ask  # type: ignore[method-assign]
    bad = tmp_path / "cut.gguf"
    bad.write_bytes(write_tiny_gguf(tmp_path / "whole.gguf").read_bytes()[:100])
    installed.check_then_import(bad)
    assert manager.status_label.text() == "Checking cut.gguf…"
    qtbot.waitUntil(lambda: installed.banner.isVisible(), timeout=30_000)
    assert asked == []  # a bad file is never offered for import
    assert "cut.gguf" in installed.banner.text() and not installed.busy
    assert manager.status_label.text() == ""  # no stale "Checking …"

    good = write_tiny_gguf(tmp_path / "tiny-valid.gguf")
    with qtbot.waitSignal(installed.models_changed, timeout=30_000):
        installed.check_then_import(good)
    assert [name for name, _ in asked] == ["tiny-valid.gguf"]
    assert not installed.banner.isVisible()  # the old failure is gone
    assert installed.selected() is not None and installed.selected().source == "imported"
    assert manager.status_label.text().startswith("Imported tiny-valid (")
    assert not list(window.services.paths.models_dir.glob("*.gguf"))  # used in place


def test_the_model_picker_opens_the_manager(qtbot: QtBot, window: MainWindow) -> None:
    picker = window.chat_page.model_picker
    before = picker.current_name()
    index = picker.findData(MANAGE)
    assert index >= 0 and MANAGE not in picker.names()
    picker.activated.emit(index)
    assert window.model_manager is not None and window.model_manager.isVisible()
    assert picker.current_name() == before  # the entry is an action, not a model


def test_import_refuses_a_bad_file_then_imports_sets_default_and_removes(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    manager = open_manager(qtbot, window)
    installed = manager.installed
    models_dir = window.services.paths.models_dir

    bad = tmp_path / "cut.gguf"
    bad.write_bytes(write_tiny_gguf(tmp_path / "whole.gguf").read_bytes()[:100])
    installed.import_file(bad, copy=True)
    qtbot.waitUntil(lambda: not installed.busy, timeout=30_000)
    assert installed.banner.isVisible() and "cut.gguf" in installed.banner.text()
    assert manager.status_label.text() == ""  # the failure is in the banner, not "Checking…"
    assert not list(models_dir.glob("*.gguf"))

    good = write_tiny_gguf(tmp_path / "tiny-valid.gguf")
    with qtbot.waitSignal(installed.models_changed, timeout=30_000):
        installed.import_file(good, copy=True)
    assert (models_dir / "tiny-valid.gguf").is_file()
    assert "tiny-valid" in window.chat_page.model_picker.names()
    assert installed.selected() is not None and installed.selected().name == "tiny-valid"

    with qtbot.waitSignal(installed.models_changed):
        installed.set_default("summarize")
    assert window.services.settings["summarize.default_model"] == "tiny-valid"
    assert window.panels["summarize"].model_picker.current_name() == "tiny-valid"

    model = installed.selected()
    assert model is not None and installed.remove_button.isEnabled()
    size = model.size_bytes
    with qtbot.waitSignal(installed.models_changed, timeout=30_000):
        installed.remove(model)
    assert not (models_dir / "tiny-valid.gguf").exists()
    assert f"Removed tiny-valid; {size / 1000:.1f} KB freed." == manager.status_label.text()
    assert "tiny-valid" not in window.chat_page.model_picker.names()


def test_a_model_llama_cpp_cannot_load_is_marked_broken(qtbot: QtBot, window: MainWindow) -> None:
    write_tiny_gguf(window.services.paths.models_dir / "not-a-real-llama.gguf")
    window._load_models()
    window.chat_page.model_picker.set_current("not-a-real-llama")
    window.chat_page._on_model_chosen("not-a-real-llama")
    with qtbot.waitSignal(window.chat_page.job_failed, timeout=REPLY_TIMEOUT_MS):
        window.chat_page.send("Hello?")
    manager = open_manager(qtbot, window)
    qtbot.waitUntil(lambda: rows_loaded(manager), timeout=30_000)
    (row,) = [r for r in manager.installed.table_model.rows if r.model.name == "not-a-real-llama"]
    assert row.status().startswith("Broken: llama.cpp")
    label = window.chat_page.model_picker.itemText(
        window.chat_page.model_picker.findData("not-a-real-llama")
    )
    assert label.endswith("— broken")


def test_download_a_model_in_the_dialog_then_chat_with_it(
    qtbot: QtBot, window: MainWindow, hub: FakeHub, tmp_path: Path
) -> None:
    # The starter model under another name, served by the loopback Hub.
    served = tmp_path / "SmolLM2-from-hub.Q4_1.gguf"
    shutil.copyfile(require_starter_model(), served)
    hub.add_repo("tester/SmolLM2-from-hub-GGUF", downloads=42)
    hub.add_file("tester/SmolLM2-from-hub-GGUF", served, drop_after=20 * 1024 * 1024)

    manager = window.open_model_manager(DISCOVER_TAB)
    discover = manager.discover
    discover.search("SmolLM2")
    qtbot.waitUntil(lambda: [r.id for r in discover.repos] == ["tester/SmolLM2-from-hub-GGUF"])
    discover.select_repo("tester/SmolLM2-from-hub-GGUF")
    qtbot.waitUntil(lambda: served.name in discover.file_rows, timeout=30_000)
    with qtbot.waitSignal(window.downloads.finished, timeout=120_000) as blocker:
        discover.download(served.name)
    snap = blocker.args[0]
    assert isinstance(snap, DownloadSnapshot) and snap.state == "done", snap.error
    assert snap.path == window.services.paths.models_dir / served.name
    # The connection was dropped at 20 MB and the download went on from there.
    assert hub.ranges(served.name)[-1] == f"bytes={20 * 1024 * 1024}-"

    name = served.stem
    assert name in window.chat_page.model_picker.names()
    assert any(r.model.name == name for r in manager.installed.table_model.rows)
    window.chat_page.model_picker.set_current(name)
    window.chat_page._on_model_chosen(name)
    ended = send_and_wait(qtbot, window, "Say hi.")
    assert ended.status == "complete" and ended.model_name == name
    generation = window.services.store.generation_for(ended.message_id)
    assert generation is not None and generation.model_file == served.name
