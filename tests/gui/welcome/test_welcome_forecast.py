"""The welcome page forecasts each suggestion's joules per reply and speed here, from replies
measured here (written through the Store as the app writes them), and says nothing when none
were."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.store import Store
from desktop_llm.ui.models.forecasts import basis_source
from desktop_llm.ui.welcome.dialog import WelcomeDialog
from tests.gui.conftest import WindowFactory
from tests.helpers.gguf_factory import write_tiny_gguf
from tests.helpers.hub_server import closed_port

WAIT_MS = 30_000


def _measured_reply(store: Store, model_file: str, tokens: int, joules: float, tps: float) -> None:
    conversation = store.create_conversation("chat")
    store.add_message(conversation.id, "user", "hello")
    reply = store.start_reply(conversation.id)
    store.finish_reply(reply.id, "hi", "complete")
    store.add_generation(
        reply.id,
        model_file=model_file,
        device="cpu",
        prompt_tokens=12,
        completion_tokens=tokens,
        tokens_per_second=tps,
        started_at=datetime.now(UTC),
        energy={
            "source": "rapl",
            "scope": "package",
            "label": "RAPL",
            "measured": True,
            "joules_gross": joules,
            "joules_net": joules,
            "joules_attributed": joules,
            "watts_avg": 10.0,
            "baseline_watts": 2.0,
            "seconds": 2.0,
            "cpu_share": None,
            "carbon_g": 0.0,
            "intensity_g_per_kwh": 400.0,
            "intensity_source": "test",
            "low_confidence": False,
        },
    )


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")


def test_the_welcome_page_says_no_forecast_when_nothing_was_measured(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(welcome=True)
    qtbot.waitUntil(lambda: window.welcome_dialog is not None, timeout=5_000)
    dialog = window.welcome_dialog
    assert dialog is not None and dialog.rows
    qtbot.waitUntil(lambda: dialog._forecast is not None, timeout=5_000)
    qtbot.waitUntil(lambda: dialog._pool.activeThreadCount() == 0, timeout=WAIT_MS)
    qtbot.wait(50)
    for row in dialog.rows:
        assert row.forecast_label.text() == "" and not row.forecast_label.isVisibleTo(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(type(dialog.offline_label)))
    assert "J per reply" not in text and "tok/s" not in text
    dialog.close()


def test_the_welcome_page_forecasts_each_suggestion_from_measured_replies(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    services = window.services
    # A measured model of 200 MB in the models folder (its size is what is scaled from).
    model = write_tiny_gguf(services.paths.models_dir / "measured-q4_0.gguf")
    with model.open("ab") as f:
        f.truncate(200_000_000)
    size = model.stat().st_size
    for tokens, joules in ((100, 2.0), (300, 6.0), (200, 4.0)):
        _measured_reply(services.store, model.name, tokens, joules, tps=40.0)

    dialog = WelcomeDialog(
        services.settings, window.downloads, window, forecast=basis_source(services)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.rows
    qtbot.waitUntil(lambda: all(row.forecast_label.text() for row in dialog.rows), timeout=WAIT_MS)
    for row in dialog.rows:
        file = row.suggestion.file
        # One model measured: 0.02 J per token and 40 tok/s at its size, scaled to the file's.
        joules = 0.02 * file.size_bytes / size * 200  # the median reply: 200 tokens
        speed = 40.0 * size / file.size_bytes
        text = row.forecast_label.text()
        assert text.startswith(f"Forecast here: about {format_joules(joules)} per reply")
        speed_text = f"{speed:.0f}" if speed >= 10 else f"{speed:.1f}"
        assert f" and {speed_text} tok/s, scaled by file size from 1 model measured" in text
        assert row.forecast_label.isVisibleTo(dialog)
    dialog.close()
