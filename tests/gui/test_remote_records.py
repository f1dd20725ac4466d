"""What the window shows of a remote engine's stored work, over a real SQLite file: a
chat reply's cost line says the remote machine's energy was not measured here (or gives the
estimate from the user's figure, labelled), its tooltip names the engine; a sentiment run
whose server gave no probabilities shows dashes with the reason, and its cost line counts
the calls apart. No model is needed: the records are written as the services store them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.energy.monitor import EnergyRecord
from desktop_llm.core.store import SentimentItem, Store
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.tasks.sentiment_panel import SentimentPanel
from tests.helpers.gui import WindowFactory, last_reply, switch_with_keys


def _remote(watts: float | None) -> dict[str, object]:
    return EnergyRecord.remote(
        2.0, watts=watts, intensity_g_per_kwh=400.0, intensity_source="t", engine_name="box"
    ).as_dict()


def _reply(
    store: Store, conversation_id: int, energy: dict[str, object], part: str | None = None
) -> None:
    reply = (
        store.start_reply(conversation_id, part=part)
        if part
        else store.start_reply(conversation_id)
    )
    store.finish_reply(reply.id, "positive" if part else "An answer.", "complete")
    store.add_generation(
        reply.id,
        model_file="qwen3-30b",
        device="remote",
        prompt_tokens=10,
        completion_tokens=20,
        tokens_per_second=30.0,
        engine="box",
        engine_host="box.lan",
        energy=energy,
    )


def test_a_remote_reply_says_its_energy_was_not_measured_here(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window: MainWindow = make_window()
    store = window.services.store
    conversation = store.create_conversation("remote chat")
    store.add_message(conversation.id, "user", "hello")
    _reply(store, conversation.id, _remote(None))
    window.chat_page.open_conversation(conversation.id)
    reply = last_reply(window)
    assert reply.cost.text() == (
        "the remote machine's energy was not measured here · 30 tok/s · remote engine box"
    )
    tip = reply.cost.toolTip()
    assert tip.startswith("Not measured: this reply was written by the remote engine box")
    assert tip.endswith("Engine: box at box.lan, a remote server.")
    assert " J" not in reply.cost.text()  # no figure, not 0 J

    estimated = store.create_conversation("estimated")
    store.add_message(estimated.id, "user", "hello")
    _reply(store, estimated.id, _remote(50.0))
    window.chat_page.open_conversation(estimated.id)
    line = last_reply(window).cost.text()
    assert line.startswith("≈ 100.0 J") and "estimate from your figure of 50 W" in line
    assert line.endswith("(rough)")
    assert "An estimate, not a measurement" in last_reply(window).cost.toolTip()


def test_a_sentiment_run_without_probabilities_shows_dashes_and_why(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window: MainWindow = make_window()
    store = window.services.store
    run = store.create_conversation("reviews", task="sentiment")
    store.add_message(run.id, "user", "great\nbad")
    _reply(store, run.id, _remote(None), part="items 1–2")
    store.add_message(run.id, "assistant", "1 positive, 1 negative")
    store.add_sentiment_items(
        run.id,
        [
            SentimentItem(position=0, text="great", label="positive"),
            SentimentItem(position=1, text="bad", label="negative"),
        ],
    )
    switch_with_keys(qtbot, window, Qt.Key.Key_4)
    panel = window.panels["sentiment"]
    assert isinstance(panel, SentimentPanel)
    panel.open_run(run.id)
    model = panel.results
    assert model.rowCount() == 2
    positive = model.index(0, 3)
    assert model.data(positive, Qt.ItemDataRole.DisplayRole) == "—"
    assert "gave no probabilities" in model.data(positive, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 2), Qt.ItemDataRole.DisplayRole) == "positive"
    line = panel.cost_label.text()
    assert line.startswith("the remote machine's energy was not measured here")
    assert "1 model call" in line
    assert panel.cost_label.toolTip().endswith("Engine: box at box.lan, a remote server.")


def test_the_bars_of_a_label_without_probabilities_say_why(qtbot: QtBot) -> None:
    from desktop_llm.ui.tasks.sentiment_bars import LabelBars

    bars = LabelBars()
    qtbot.addWidget(bars)
    bars.set_values({"positive": None, "negative": None, "neutral": None})
    assert bars.values() == {"positive": None, "negative": None, "neutral": None}
    assert "gave no probabilities" in bars.toolTip()
    bars.show()
    bars.grab()  # paints "—" without a bar
    bars.set_values({"positive": 0.7, "negative": 0.2, "neutral": 0.1})
    assert "70.0%" in bars.toolTip()
