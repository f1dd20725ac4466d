"""Every generation the real model makes is stored with an energy record; reports add up.

This machine has no RAPL, no battery and no GPU, so what runs for real here is the estimate
path: the worker's CPU time times a per-core power. The meters themselves are tested against
fake sysfs trees in tests/unit/test_energy_*.py.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.chat.events import ReplyEnded
from desktop_llm.core.energy.report import group_energy, total
from desktop_llm.core.services import Services, open_services
from desktop_llm.core.store import EnergyRow
from desktop_llm.core.tasks.batch_input import BatchRow
from desktop_llm.core.tasks.events import TaskEnded

pytestmark = pytest.mark.model


@pytest.fixture
def services(home: Path, starter_model: Path) -> Iterator[Services]:
    opened = open_services()
    opened.settings.set("energy.country", "FR")
    yield opened
    opened.close()


def _ended(events: Iterator[object], kind: type) -> object:
    last = None
    for event in events:
        if isinstance(event, kind):
            last = event
    assert last is not None
    return last


def _check_record(row: EnergyRow) -> None:
    e = row.energy
    assert e.source == "estimate" and e.scope == "process" and not e.measured
    assert "estimate" in e.label
    assert e.joules_gross > 0
    assert 0 <= e.joules_net <= e.joules_gross
    assert 0 <= e.joules_attributed <= e.joules_net + 1e-9
    assert e.seconds > 0 and e.watts_avg > 0
    assert e.intensity_g_per_kwh > 0 and "France" in e.intensity_source
    assert math.isclose(e.carbon_g, e.joules_attributed / 3.6e6 * e.intensity_g_per_kwh)


def test_every_generation_of_chat_and_tasks_has_an_energy_record(services: Services) -> None:
    reply = _ended(services.chat.send(None, "Name a colour."), ReplyEnded)
    assert isinstance(reply, ReplyEnded) and reply.status == "complete"
    chat_energy = services.store.energy_for(reply.message_id)
    assert chat_energy is not None and chat_energy.requests == 1

    rows = [BatchRow(t) for t in ("I love it.", "I hate it.", "It is a chair.")]
    batch = _ended(services.tasks.sentiment_batch(rows), TaskEnded)
    assert isinstance(batch, TaskEnded) and batch.status == "complete"
    batch_energy = services.store.energy_by_message(batch.conversation_id)
    assert sum(e.requests for e in batch_energy.values()) == 3

    stored = services.store.energy_rows()
    assert {r.task for r in stored} == {"chat", "sentiment"}
    for row in stored:
        _check_record(row)
    assert services.store.generations_without_energy() == 0


def test_report_sums_match_the_stored_rows(services: Services) -> None:
    _ended(services.chat.send(None, "Say hello."), ReplyEnded)
    _ended(services.chat.send(None, "Say goodbye."), ReplyEnded)
    _ended(services.tasks.sentiment("What a lovely day!"), TaskEnded)
    rows = services.store.energy_rows()
    assert len(rows) == 3
    gross = sum(r.energy.joules_gross for r in rows)
    attributed = sum(r.energy.joules_attributed for r in rows)
    carbon = sum(r.energy.carbon_g for r in rows)
    tokens = sum(r.prompt_tokens + r.completion_tokens for r in rows)
    for by in ("day", "model", "task", "model-task"):
        groups = group_energy(rows, by)
        assert math.isclose(sum(g.joules_gross for g in groups), gross)
        assert math.isclose(sum(g.joules_attributed for g in groups), attributed)
        assert math.isclose(sum(g.carbon_g for g in groups), carbon)
        assert sum(g.tokens for g in groups) == tokens
        assert sum(g.requests for g in groups) == 3
    by_task = {g.key: g for g in group_energy(rows, "task")}
    assert by_task["chat"].requests == 2 and by_task["sentiment"].requests == 1
    overall = total(rows)
    assert math.isclose(overall.joules_attributed, attributed)
    assert overall.kwh_per_1k_requests == pytest.approx(attributed / 3 * 1000 / 3.6e6)

    # The CLI reads the same database and gives the same sums.
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", "energy", "report", "--by", "task", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["total"]["joules_attributed"] == pytest.approx(attributed)
    assert report["total"]["carbon_g"] == pytest.approx(carbon)
    assert {g["key"] for g in report["groups"]} == {"chat", "sentiment"}
    assert report["published"]["kwh_per_1000_inferences"]["sentiment"]["kwh"] == 0.002


def test_cli_json_of_a_task_includes_its_energy(services: Services) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", "sentiment", "Great service!", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    document = json.loads(result.stdout)
    energy = document["energy"]
    assert energy["joules_gross"] > 0 and len(energy["records"]) == 1
    assert energy["records"][0]["source"] == "estimate"


def test_cli_meters_says_why_each_meter_is_missing(services: Services, tmp_path: Path) -> None:
    empty_sysfs = tmp_path / "sys"
    empty_sysfs.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", "energy", "meters", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "DESKTOP_LLM_SYSFS": str(empty_sysfs)},
    )
    meters = {m["name"]: m for m in json.loads(result.stdout)}
    assert meters["estimate"]["available"]
    for name in ("rapl", "battery"):
        assert not meters[name]["available"] and meters[name]["detail"]
