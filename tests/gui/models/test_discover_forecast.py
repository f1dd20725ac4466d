"""Before downloading: Discover forecasts each catalog file's joules per reply and speed here
from the replies measured here, and says there is no forecast while nothing was measured."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop_llm.core.energy.report import format_joules
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB
from tests.gui.conftest import WindowFactory
from tests.helpers.gguf_factory import require_starter_model
from tests.helpers.gui import requires_model, send_and_wait
from tests.helpers.hub_server import closed_port

pytestmark = [pytest.mark.model, requires_model]
WAIT_MS = 30_000


def forecasts(discover) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: row.forecast_label.text() for name, row in discover.file_rows.items()}


def test_discover_forecasts_catalog_files_once_a_reply_was_measured(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")  # the catalog only
    window = make_window()
    manager = window.open_model_manager(DISCOVER_TAB)
    discover = manager.discover
    qtbot.waitUntil(lambda: discover.forecast_basis is not None, timeout=WAIT_MS)
    assert discover.file_rows
    # Nothing measured: no figure, and the reason, on every file.
    for text in forecasts(discover).values():
        assert text == "No forecast yet: no reply has been measured on this computer."
    manager.close()

    send_and_wait(qtbot, window, "Say hello.")  # one real reply, metered like any other
    manager = window.open_model_manager(DISCOVER_TAB)  # shown again: read again
    qtbot.waitUntil(
        lambda: all(t.startswith("Forecast here:") for t in forecasts(discover).values()),
        timeout=WAIT_MS,
    )
    basis = discover.forecast_basis
    assert basis is not None and basis.usable and basis.reply_tokens > 0
    (measured,) = basis.models
    assert measured.model_file == require_starter_model().name.lower()
    for name, row in discover.file_rows.items():
        forecast = basis.forecast(row.entry.size, name)
        assert forecast is not None and forecast.joules_per_reply is not None
        text = row.forecast_label.text()
        assert f"about {format_joules(forecast.joules_per_reply)} per reply" in text
        assert "from 1 model measured on this computer" in text
        assert row.forecast_label.isVisibleTo(discover)
        assert "median of the chat replies" in row.forecast_label.toolTip()
    # A larger file of the same model is forecast slower and costlier per reply.
    sizes = sorted(
        (row.entry.size, basis.forecast(row.entry.size, name))
        for name, row in discover.file_rows.items()
    )
    small, large = sizes[0][1], sizes[-1][1]
    assert small.tokens_per_second > large.tokens_per_second  # type: ignore[union-attr,operator]
    assert small.joules_per_reply < large.joules_per_reply  # type: ignore[union-attr,operator]
    manager.close()
