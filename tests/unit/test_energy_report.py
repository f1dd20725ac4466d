"""The energy report's sums over real stored records: a remote engine's replies are never
summed with this computer's measurements (not measured: counted apart; an estimate from
the user's figure: summed apart), and comparisons and forecasts leave them out."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from desktop_llm.core.energy.comparable import comparable_rows
from desktop_llm.core.energy.forecast import NOTHING_MEASURED, basis_from_store
from desktop_llm.core.energy.monitor import EnergyRecord
from desktop_llm.core.energy.report import group_energy, groups_csv, total
from desktop_llm.core.energy.wording import estimated_remote, not_measured_remote
from desktop_llm.core.store import Store
from tests.helpers.energy_records import local_energy, remote_energy, stored_reply

MB = 1024 * 1024


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / "db.sqlite3") as opened:
        yield opened


GPU_BOX = "gpu-box"
# Replies of 100 tokens at 40 tokens/s after a 20-token prompt.
_reply = partial(stored_reply, prompt_tokens=20, completion_tokens=100, tokens_per_second=40.0)


def test_the_remote_record_has_no_figures_and_never_zero() -> None:
    record = EnergyRecord.remote(
        3.0, watts=None, intensity_g_per_kwh=400.0, intensity_source="t", engine_name="box"
    )
    assert (record.source, record.scope, record.measured) == ("remote", "remote", False)
    figures = (record.joules_gross, record.joules_net, record.joules_attributed)
    assert figures == (None, None, None) and record.carbon_g is None
    assert record.watts_avg is None and record.seconds == 3.0
    estimate = EnergyRecord.remote(
        3.0, watts=200.0, intensity_g_per_kwh=400.0, intensity_source="t", engine_name="box"
    )
    assert estimate.joules_gross == estimate.joules_net == estimate.joules_attributed == 600.0
    assert estimate.carbon_g == pytest.approx(600.0 / 3.6e6 * 400.0)
    assert estimate.low_confidence and not estimate.measured
    assert estimate.label == "remote engine box: estimate from your figure of 200 W"
    assert "200 W" in estimate.note and "box" in estimate.note
    with pytest.raises(ValueError):
        EnergyRecord.remote(
            1.0, watts=-5.0, intensity_g_per_kwh=1.0, intensity_source="t", engine_name="box"
        )


def test_totals_leave_remote_replies_out_and_count_them_apart(store: Store) -> None:
    _reply(store, "local.gguf", local_energy(10.0, contended=False))
    _reply(store, "local.gguf", local_energy(30.0, contended=False))
    for _ in range(2):
        _reply(store, "big-model", remote_energy(None, engine_name=GPU_BOX), engine="gpu-box")
    _reply(
        store, "big-model", remote_energy(100.0, engine_name=GPU_BOX), engine="gpu-box"
    )  # 200 J, an estimate
    rows = store.energy_rows()
    assert [r.engine for r in rows] == ["local", "local", "gpu-box", "gpu-box", "gpu-box"]

    overall = total(rows)
    assert overall.generations == 2 and overall.requests == 2
    assert overall.joules_attributed == pytest.approx(40.0)
    assert overall.tokens == 240  # only the local replies' tokens: J per token stays theirs
    assert overall.carbon_g == pytest.approx(0.04)
    assert (overall.remote, overall.remote_estimated) == (2, 1)
    assert overall.remote_joules_estimated == pytest.approx(200.0)
    document = overall.as_dict()
    assert document["remote_not_measured_generations"] == 2
    assert document["remote_estimated_joules"] == pytest.approx(200.0)

    by_model = {g.key: g for g in group_energy(rows, "model")}
    assert by_model["local"].remote == 0
    remote = by_model["big-model"]
    assert remote.generations == 0 and remote.joules_attributed == 0.0 and remote.remote == 2
    assert remote.joules_per_1k_tokens is None and remote.kwh_per_1k_requests is None

    table = list(csv.DictReader(io.StringIO(groups_csv(group_energy(rows, "model"), "model"))))
    assert table[1]["model"] == "big-model"
    assert table[1]["remote_not_measured_generations"] == "2"
    assert table[1]["joules_per_1k_tokens"] == ""

    # English plural forms come from the window's translations (tests/gui/energy); here the
    # words and the figures
    assert not_measured_remote(12).startswith("12 repl")
    assert not_measured_remote(12).endswith("not measured: remote")
    assert estimated_remote(1, 200.0).endswith("estimated from your power figures: 200.0 J")


def test_comparisons_and_forecasts_use_only_this_computers_replies(store: Store) -> None:
    # A remote server named its model like a local file: its figures must not enter.
    _reply(store, "small.gguf", remote_energy(500.0, engine_name=GPU_BOX), engine="gpu-box")
    _reply(store, "small.gguf", remote_energy(None, engine_name=GPU_BOX), engine="gpu-box")
    chosen = comparable_rows(store)
    assert chosen.none and chosen.remote == 2
    assert chosen.words().endswith("on a remote engine left out: not measured on this computer.")
    assert store.speeds_by_model() == {}
    assert "small.gguf" in store.speeds_by_model("gpu-box")
    assert basis_from_store(store, {"small.gguf": 100 * MB}).why_not == NOTHING_MEASURED

    _reply(store, "small.gguf", local_energy(2.0, contended=False))
    chosen = comparable_rows(store)
    assert len(chosen.records) == 1 and chosen.remote == 2
    basis = basis_from_store(store, {"small.gguf": 100 * MB})
    (model,) = basis.models
    assert model.replies == 1 and model.joules == pytest.approx(2.0)
