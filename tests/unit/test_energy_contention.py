"""Contention: other work's share of the CPUs, comparable records, figures a person feels,
and the migration that adds the two columns (old rows stay NULL: unknown)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from desktop_llm.core import i18n
from desktop_llm.core.energy import EnergyMonitor, intensity_for
from desktop_llm.core.energy.comparable import comparable, comparable_rows
from desktop_llm.core.energy.contention import CONTENDED_SHARE, other_share
from desktop_llm.core.energy.wording import (
    PHONE_CHARGE_J,
    contention_words,
    cost_line,
    cost_tooltip,
    felt,
    run_cost,
)
from desktop_llm.core.store import Store
from desktop_llm.core.store import db as store_db


def _record(**changes: object):
    monitor = EnergyMonitor(sysfs=Path("/nonexistent"), intensity=intensity_for("FR"))
    record = monitor.end(monitor.begin(None))
    return dataclasses.replace(record, **changes)


# --- the share --------------------------------------------------------------------------------


def test_other_share_is_other_cpu_time_over_the_windows_capacity() -> None:
    # 2 s on 2 CPUs = 4 CPU-seconds; 3 busy, 1 of them the app's: others used half.
    assert other_share(3.0, 1.0, 2.0, 2) == pytest.approx(0.5)
    assert other_share(1.0, 1.2, 2.0, 2) == 0.0  # ticks counted apart: never below 0
    assert other_share(9.0, 0.0, 2.0, 2) == 1.0  # never above 1
    assert other_share(1.0, 0.0, 0.0, 2) is None


def test_every_window_records_the_share_and_whether_it_was_contended() -> None:
    record = _record()
    assert record.other_cpu_share is not None and 0.0 <= record.other_cpu_share <= 1.0
    assert record.contended == (record.other_cpu_share >= CONTENDED_SHARE)
    assert {"other_cpu_share", "contended"} <= set(record.as_dict())


# --- comparable records -----------------------------------------------------------------------


def test_comparable_leaves_out_contended_records_and_says_so() -> None:
    quiet, busy, old = _record(contended=False), _record(contended=True), _record(contended=None)
    chosen = comparable([quiet, busy, old])
    assert chosen.records == [quiet, old] and chosen.contended == 1 and chosen.unknown == 1
    assert chosen.words() == "1 measurement taken while other programs kept the CPU busy left out."
    strict = comparable([quiet, busy, old], include_unknown=False)
    assert strict.records == [quiet]

    none = comparable([busy, busy])
    assert none.none
    assert none.words().startswith("All 2 measurements were taken while other programs")
    assert comparable([]).none and comparable([]).words() == ""
    # Rows that carry their record (EnergyRow.energy) are chosen by a key.
    rows = [("a", quiet), ("b", busy)]
    assert comparable(rows, energy=lambda row: row[1]).records == [("a", quiet)]


# --- words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joules", "words"),
    [
        (0.0, "a 10 W LED bulb for 0 s"),
        (0.084, "a 10 W LED bulb for 0.0084 s"),
        (0.84, "a 10 W LED bulb for 0.084 s"),
        (12.0, "a 10 W LED bulb for 1.2 s"),
        (100.0, "a 10 W LED bulb for 10 s"),
        (599.0, "a 10 W LED bulb for 60 s"),  # 59.9 s rounds to 60 in two figures
        (600.0, "1.1 % of a phone charge"),
        (27_000.0, "50 % of a phone charge"),
        (PHONE_CHARGE_J, "1.0 phone charges"),
        (189_000.0, "3.5 phone charges"),
    ],
)
def test_felt_puts_joules_in_terms_a_person_feels(joules: float, words: str) -> None:
    assert felt(joules) == words


def test_felt_words_go_through_the_translator() -> None:
    try:
        i18n.install(lambda ctx, text, dis, n: f"<{text}>", "zh_CN")
        assert felt(0.84) == "<a 10 W LED bulb for 0.084 s>"
        assert felt(27_000.0) == "<50 % of a phone charge>"
    finally:
        i18n.uninstall()


def test_the_cost_line_says_when_a_figure_was_measured_under_contention() -> None:
    quiet = _record(joules_attributed=0.84, other_cpu_share=0.05, contended=False)
    busy = dataclasses.replace(quiet, other_cpu_share=0.62, contended=True)
    old = dataclasses.replace(quiet, other_cpu_share=None, contended=None)

    assert "0.84 J (a 10 W LED bulb for 0.084 s)" in cost_line(quiet, 40.0)
    assert contention_words(quiet) == contention_words(old) == ""
    assert "other programs" not in cost_line(quiet, 40.0)
    words = contention_words(busy)
    assert words == (
        "measured while other programs kept the CPU busy (62 %): figures are higher than on "
        "a quiet machine"
    )
    assert words in cost_line(busy, 40.0)
    assert "(62 %)" in cost_tooltip(busy) and "leave them out of comparisons" in cost_tooltip(busy)
    assert "Other programs used 5 % of the CPU" in cost_tooltip(quiet)
    assert "54 kJ" in cost_tooltip(quiet)
    assert "other programs" not in cost_tooltip(old).lower()
    line, _tip = run_cost([quiet, busy])
    assert words in line and "1.68 J (a 10 W LED bulb for 0.17 s)" in line


# --- storage ---------------------------------------------------------------------------------


def test_a_0005_database_keeps_its_energy_rows_with_unknown_contention(tmp_path: Path) -> None:
    path = tmp_path / "data" / "desktop_llm.sqlite3"
    path.parent.mkdir(parents=True)
    engine = store_db.create_engine(path)
    store_db.migrate(engine, "0005")
    with engine.begin() as connection:
        for sql in (
            "INSERT INTO conversations (title, task, created_at, updated_at) "
            "VALUES ('c', 'chat', '2026-01-01 10:00:00', '2026-01-01 10:00:00')",
            "INSERT INTO messages (conversation_id, role, content, status, created_at, "
            "updated_at) VALUES (1, 'assistant', 'hi', 'complete', '2026-01-01 10:00:00', "
            "'2026-01-01 10:00:00')",
            "INSERT INTO generations (message_id, model_file, parameters, prompt_tokens, "
            "completion_tokens, reused_prompt_tokens, device, started_at) VALUES "
            "(1, 'm.gguf', '{}', 3, 4, 0, 'cpu', '2026-01-01 10:00:00')",
            "INSERT INTO energy (generation_id, source, scope, label, measured, joules_gross, "
            "joules_net, joules_attributed, watts_avg, baseline_watts, seconds, carbon_g, "
            "intensity_g_per_kwh, intensity_source, low_confidence, note, requests) VALUES "
            "(1, 'estimate', 'process', 'estimate', 0, 2.0, 2.0, 2.0, 4.0, 0.0, 0.5, 0.1, "
            "50.0, 'x', 0, '', 1)",
        ):
            connection.execute(sa.text(sql))
    engine.dispose()

    with Store(path) as store:
        old = store.energy_for(1)
        assert old is not None and old.joules_attributed == 2.0
        assert old.other_cpu_share is None and old.contended is None
        assert comparable_rows(store).unknown == 1
        assert comparable_rows(store, include_unknown=False).none
        # New rows carry both.
        message = store.start_reply(1)
        store.finish_reply(message.id, "x", "complete")
        store.add_generation(
            message.id,
            model_file="m.gguf",
            device="cpu",
            energy={**_record(other_cpu_share=0.6, contended=True).as_dict(), "requests": 1},
        )
        new = store.energy_for(message.id)
        assert new is not None and new.other_cpu_share == 0.6 and new.contended is True
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT other_cpu_share, contended FROM energy ORDER BY id")
        assert rows.fetchall() == [(None, None), (0.6, 1)]
    finally:
        connection.close()
