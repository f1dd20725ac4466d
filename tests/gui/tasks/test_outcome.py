"""Honest outcomes in the task panels: a result that failed in substance is a warning with
what happened and a larger model to try, never "Done"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_llm.core.default_models import default_model_setting
from desktop_llm.core.models import CatalogModel, load_catalog
from desktop_llm.core.tasks import outcome as oc
from desktop_llm.core.tasks.events import TaskEnded
from desktop_llm.core.tasks.outcome import Outcome, describe, warning
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.models.manager_dialog import DISCOVER_TAB
from desktop_llm.ui.tasks.panel import TaskPanel
from desktop_llm.ui.tasks.sentiment_panel import BATCH
from desktop_llm.ui.tasks.translate_panel import TranslatePanel
from tests.helpers.gui import REPLY_TIMEOUT_MS, requires_model, switch_with_keys

CHINESE = "今天天气很好，我们去公园散步吧。"
STARTER_SIZE = 100_000_000


def tone(panel: TaskPanel) -> str:
    return str(panel.status_label.property("tone") or "")


def stored_run(panel: TaskPanel, summary: dict[str, object], text: str = "input") -> int:
    """A finished run in the real store, as the service leaves it."""
    store = panel.services.store
    conversation = store.create_conversation(
        "A run", task=panel.task, model=None, options={"result": summary}
    )
    store.add_message(conversation.id, "user", text)
    store.add_message(conversation.id, "assistant", "output", status="complete")
    return conversation.id


def end(panel: TaskPanel, conversation_id: int, summary: dict[str, object]) -> None:
    """What the runner hands a panel when the service's run ends."""
    panel.handle_event(TaskEnded(conversation_id, "complete", "output", None, summary))


def suggested(task: str, languages: list[str]) -> CatalogModel:
    model = oc.suggest_model(load_catalog(), task, languages, STARTER_SIZE)
    assert model is not None
    return model


@pytest.mark.model
@requires_model
def test_the_translate_panel_warns_on_an_untranslated_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The done-when check: the 135M starter knows English only and often gives Chinese
    back unchanged when asked for English. Whatever it returns, the panel says what the
    core's judge says of it."""
    switch_with_keys(qtbot, window, Qt.Key.Key_2)
    panel = window.panels["translate"]
    assert isinstance(panel, TranslatePanel)
    panel.set_languages("zh-Hans", "en")
    panel.input.setPlainText(CHINESE)
    with qtbot.waitSignal(panel.run_finished, timeout=REPLY_TIMEOUT_MS) as blocker:
        assert panel.run()
    ended = blocker.args[0]
    assert isinstance(ended, TaskEnded) and ended.status == "complete", panel.banner.text()

    expected = oc.judge_translation(CHINESE, panel.output.toPlainText(), "en", "zh-Hans")
    shown = Outcome.from_dict(ended.summary["outcome"])
    assert shown is not None and shown.verdict == expected.verdict, ended.output
    status = panel.status_label.text()
    if expected.ok:
        assert status.startswith("Done in") and tone(panel) == ""
        assert panel.larger_model_button.isHidden()
        return
    assert not status.startswith("Done")
    assert status == warning(shown) and status.startswith(describe(expected))
    assert tone(panel) == "warning"
    # The fix: the catalog's smallest model that translates Chinese and English, which
    # the Discover tab offers.
    model = suggested("translate", ["zh-Hans", "en"])
    assert model.name in status
    assert not panel.larger_model_button.isHidden()
    assert panel.larger_model_button.text() == "Find a larger model…"
    qtbot.mouseClick(panel.larger_model_button, Qt.MouseButton.LeftButton)
    manager = window.model_manager
    assert manager is not None and manager.isVisible()
    assert manager.tabs.currentIndex() == DISCOVER_TAB
    manager.close()

    # Reopened from the history, the run still says so.
    panel.clear()
    assert panel.status_label.text() == "" and panel.larger_model_button.isHidden()
    with qtbot.waitSignal(panel.run_opened):
        panel.history.list.setCurrentRow(0)
    assert describe(expected) in panel.status_label.text()
    assert tone(panel) == "warning"


@pytest.mark.parametrize(
    ("task", "facts", "words"),
    [
        (
            "translate",
            {"verdict": oc.UNCHANGED, "source": "zh-Hans", "target": "en"},
            "Not translated: the model gave back the text unchanged.",
        ),
        (
            "translate",
            {
                "verdict": oc.NOT_TRANSLATED,
                "source": "zh-Hans",
                "target": "en",
                "detected": "zh-Hans",
            },
            "Not translated: the result is still in Simplified Chinese, not in English.",
        ),
        (
            "translate",
            {"verdict": oc.WRONG_LANGUAGE, "source": "en", "target": "de", "detected": "fr"},
            "The result is in French, not in German.",
        ),
        (
            "translate",
            {"verdict": oc.NOT_IN_TARGET, "target": "ko"},
            "Most of the result is not in Korean.",
        ),
        (
            "summarize",
            {"verdict": oc.COPIED, "words": 80, "summary_words": 80, "language": "en"},
            "Not a summary: the model copied the text instead of summarizing it.",
        ),
        (
            "summarize",
            {"verdict": oc.NOT_SHORTER, "words": 7, "summary_words": 23, "language": "en"},
            "Not a summary: it has 23 words, the text 7.",
        ),
        (
            "sentiment",
            {
                "verdict": oc.UNSURE,
                "items": 1,
                "unsure": 1,
                "probabilities": {"positive": 0.36, "negative": 0.33, "neutral": 0.31},
            },
            "Unsure: the model gave no label a clear lead (positive 36%, negative 33%, "
            "neutral 31%).",
        ),
    ],
)
def test_each_verdict_reads_as_a_warning(
    qtbot: QtBot, window: MainWindow, task: str, facts: dict[str, object], words: str
) -> None:
    panel = window.panels[task]
    languages = [str(facts[k]) for k in ("source", "target", "language") if k in facts]
    model = suggested(task, languages or ["en"])
    stored = {"task": task, **facts, "suggestion": {"id": model.id, "name": model.name}}
    summary = {"outcome": stored, "items": 1, "items_done": 1}
    conversation_id = stored_run(panel, summary)

    end(panel, conversation_id, summary)
    status = panel.status_label.text()
    assert status.startswith(words) and not status.startswith("Done")
    assert model.name in status and "Models ▸ Find models to download" in status
    assert tone(panel) == "warning"
    assert not panel.larger_model_button.isHidden()

    # A fine result is "Done", in the normal colour, with nothing to find.
    fine = {"outcome": {"task": task, "verdict": oc.OK}, "items": 1, "items_done": 1}
    end(panel, stored_run(panel, fine), fine)
    assert panel.status_label.text().startswith("Done in") and tone(panel) == ""
    assert panel.larger_model_button.isHidden()

    # The stored run reopens with its warning after the run's own line.
    panel.open_run(conversation_id)
    assert panel.status_label.text().startswith("A ")
    assert words in panel.status_label.text() and tone(panel) == "warning"


def test_a_batch_counts_its_unsure_results(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panels["sentiment"]
    panel.set_mode(BATCH)
    panel._run_mode = BATCH  # as a batch run sets it when it starts
    summary = {
        "items": 8,
        "items_done": 8,
        "items_per_second": 2.5,
        "labels": {"positive": 5, "negative": 3},
        "outcome": {"task": "sentiment", "verdict": oc.UNSURE, "items": 8, "unsure": 3},
    }
    end(panel, stored_run(panel, summary), summary)
    assert panel.status_label.text() == (
        "Classified 8 texts (2.5 per second). Unsure about 3 texts of 8: the model gave no "
        "label a clear lead. A larger model may do better."
    )
    assert tone(panel) == "warning"
    assert panel.larger_model_button.isHidden()  # no catalog model named: nothing to find


@requires_model
def test_an_installed_larger_model_is_offered_by_name(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.panels["summarize"]
    name = panel.model_picker.itemData(0)  # an installed model (the starter)
    summary = {
        "outcome": {
            "task": "summarize",
            "verdict": oc.COPIED,
            "words": 50,
            "summary_words": 50,
            "suggestion": {"id": "some-model", "name": "Some Model", "installed": name},
        }
    }
    end(panel, stored_run(panel, summary), summary)
    assert panel.status_label.text().endswith(f"choose {name} in the model list.")
    assert panel.larger_model_button.text() == f"Use {name}"
    qtbot.mouseClick(panel.larger_model_button, Qt.MouseButton.LeftButton)
    assert panel.model_picker.current_name() == name
    assert panel.services.settings[default_model_setting("summarize")] == name
    assert panel.status_label.text() == f"{name} is chosen: run again to try it."
    assert panel.larger_model_button.isHidden()
