"""Forecasts of a model file's cost here, scaled by size from the models measured here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_llm.core.energy.forecast import (
    NOTHING_MEASURED,
    SIZES_UNKNOWN,
    MeasuredModel,
    basis_from_store,
    build_basis,
    fit_line,
    forecast_details,
    forecast_words,
    measured_models,
    why_not_words,
)
from desktop_llm.core.store import EnergyRow, Store
from desktop_llm.core.store.schema import Energy

MB = 1_000_000


def _model(name: str, size: int, jpt: float | None, tps: float | None, **kw: Any) -> MeasuredModel:
    tokens = 1000
    return MeasuredModel(
        model_file=name,
        size_bytes=size,
        replies=10 if jpt is not None else 0,
        completion_tokens=tokens if jpt is not None else 0,
        joules=jpt * tokens if jpt is not None else 0.0,
        tokens_per_second=tps,
        timed=10 if tps else 0,
        **kw,
    )


# --- the scaling ------------------------------------------------------------------------------


def test_one_model_scales_in_proportion_to_the_file_size() -> None:
    basis = build_basis([_model("small.gguf", 100 * MB, 0.01, 50.0)], [100, 200, 300])
    assert basis.usable and basis.reply_tokens == 200
    forecast = basis.forecast(400 * MB, "big.gguf")
    assert forecast is not None and not forecast.measured
    # Four times the bytes: four times the joules per token, a quarter of the speed.
    assert forecast.joules_per_reply == pytest.approx(0.04 * 200)
    assert forecast.tokens_per_second == pytest.approx(12.5)
    assert forecast.models == 1 and not forecast.estimated and not forecast.rough
    words = forecast_words(forecast)
    assert words == (
        "Forecast here: about 8.00 J per reply and 12 tok/s, scaled by file size from 1 model "
        "measured on this computer."
    )
    assert "200 tokens, the median" in forecast_details(forecast)


def test_two_models_fit_a_fixed_cost_plus_a_cost_per_byte() -> None:
    # seconds per token = 0.005 + size / 10 GB/s; joules per token = 5 W × that.
    def seconds(size: int) -> float:
        return 0.005 + size / 10e9

    models = [
        _model(f"m{size}.gguf", size, 5 * seconds(size), 1 / seconds(size))
        for size in (100 * MB, 500 * MB)
    ]
    basis = build_basis(models, [50])
    assert basis.joules is not None and not basis.joules.proportional
    assert basis.joules.intercept == pytest.approx(0.025)
    forecast = basis.forecast(1000 * MB)
    assert forecast is not None and forecast.models == 2
    assert forecast.tokens_per_second == pytest.approx(1 / seconds(1000 * MB))
    assert forecast.joules_per_reply == pytest.approx(5 * seconds(1000 * MB) * 50)
    assert "from 2 models measured" in forecast_words(forecast)
    # A file measured here gets its own figures, not the line's.
    own = basis.forecast(500 * MB, "M500000000.GGUF")
    assert own is not None and own.measured
    assert forecast_words(own).startswith("Measured here: about")


def test_an_unphysical_fit_falls_back_to_proportional() -> None:
    # The larger file measured cheaper per token (a busy machine when the small one ran):
    # no line with a negative cost per byte.
    models = [_model("a.gguf", 100 * MB, 0.05, 10.0), _model("b.gguf", 200 * MB, 0.04, 20.0)]
    basis = build_basis(models, [100])
    assert basis.joules is not None and basis.joules.proportional and basis.joules.slope > 0
    forecast = basis.forecast(300 * MB)
    assert forecast is not None
    assert forecast.joules_per_reply is not None and forecast.joules_per_reply > 0
    assert fit_line([]) is None
    assert fit_line([(100, 0.0)]) is None  # nothing measured is no point


def test_far_outside_the_measured_sizes_is_rough() -> None:
    basis = build_basis([_model("tiny.gguf", 100 * MB, 0.01, 100.0)], [100])
    forecast = basis.forecast(4000 * MB)
    assert forecast is not None and forecast.rough
    assert "Rough" in forecast_words(forecast)
    assert not basis.forecast(300 * MB).rough  # type: ignore[union-attr]


def test_nothing_measured_gives_no_forecast_and_says_why() -> None:
    basis = build_basis([], [])
    assert not basis.usable and basis.why_not == NOTHING_MEASURED
    assert basis.forecast(500 * MB) is None
    assert "no reply has been measured" in why_not_words(basis.why_not)
    # A model with neither energy nor speed is no basis either.
    assert not build_basis([_model("x.gguf", MB, None, None)], []).usable


def test_estimated_energy_is_used_only_without_metered_and_said() -> None:
    estimated_only = build_basis([_model("e.gguf", 100 * MB, 0.02, 40.0, estimated=True)], [80])
    forecast = estimated_only.forecast(200 * MB)
    assert forecast is not None and forecast.estimated
    assert "estimated, not metered" in forecast_words(forecast)
    # Beside a metered model, the estimated one stays out of the energy line.
    mixed = build_basis(
        [
            _model("e.gguf", 100 * MB, 0.5, 40.0, estimated=True),
            _model("m.gguf", 200 * MB, 0.02, 20.0),
        ],
        [80],
    )
    assert mixed.joules is not None and mixed.joules.points == 1
    assert mixed.joules.slope == pytest.approx(0.02 / (200 * MB))
    forecast = mixed.forecast(400 * MB)
    assert forecast is not None and not forecast.estimated
    assert forecast.joules_per_reply == pytest.approx(0.04 * 80)
    assert "estimated" not in forecast_words(forecast)


def test_speed_without_energy_says_only_the_speed() -> None:
    basis = build_basis([_model("s.gguf", 100 * MB, None, 30.0)], [])
    forecast = basis.forecast(200 * MB)
    assert forecast is not None and forecast.joules_per_reply is None
    assert forecast_words(forecast).startswith("Forecast here: about 15 tok/s")


# --- from records ------------------------------------------------------------------------------


def _energy(joules: float, *, measured: bool = True, requests: int = 1) -> dict[str, Any]:
    return {
        "source": "rapl" if measured else "estimate",
        "scope": "package" if measured else "process",
        "label": "test",
        "measured": measured,
        "joules_gross": joules,
        "joules_net": joules,
        "joules_attributed": joules,
        "watts_avg": 5.0,
        "baseline_watts": 1.0,
        "seconds": 1.0,
        "cpu_share": None,
        "carbon_g": 0.0,
        "intensity_g_per_kwh": 400.0,
        "intensity_source": "test",
        "low_confidence": False,
        "requests": requests,
    }


def _row(model: str, tokens: int, joules: float, task: str = "chat", **kw: Any) -> EnergyRow:
    return EnergyRow(
        started_at=datetime.now(UTC),
        model_file=model,
        quantization=None,
        prompt_tokens=20,
        completion_tokens=tokens,
        task=task,
        conversation_id=1,
        energy=Energy(**_energy(joules, **kw)),
    )


def test_records_prefer_metered_chat_replies_of_known_size() -> None:
    rows = [
        _row("A.gguf", 100, 2.0),
        _row("A.gguf", 300, 6.0),
        _row("a.gguf", 100, 50.0, measured=False),  # an estimate beside metered ones: left out
        _row("A.gguf", 100, 99.0, task="sentiment"),  # a task's batch: another shape
        _row("B.gguf", 50, 1.0, measured=False),
        _row("gone.gguf", 10, 1.0),  # no size known: cannot be scaled from
    ]
    models, lengths = measured_models(
        rows, {"A.gguf": (40.0, 3)}, {"a.gguf": 100 * MB, "b.gguf": 300 * MB}
    )
    a, b = models
    assert (a.model_file, a.replies, a.completion_tokens, a.joules) == ("a.gguf", 2, 400, 8.0)
    assert not a.estimated and a.tokens_per_second == 40.0
    assert b.estimated and b.tokens_per_second is None
    assert sorted(lengths) == [50, 100, 300]


def _reply(store: Store, model: str, tokens: int, tps: float, energy: dict[str, Any]) -> None:
    conversation = store.create_conversation("chat")
    store.add_message(conversation.id, "user", "hello")
    reply = store.start_reply(conversation.id)
    store.finish_reply(reply.id, "answer", "complete")
    started = datetime.now(UTC) - timedelta(seconds=5)
    store.add_generation(
        reply.id,
        model_file=model,
        device="cpu",
        prompt_tokens=20,
        completion_tokens=tokens,
        tokens_per_second=tps,
        started_at=started,
        energy=energy,
    )


def test_a_real_store_gives_forecasts_from_what_it_recorded(tmp_path: Path) -> None:
    sizes = {"small.gguf": 100 * MB, "large.gguf": 400 * MB}
    with Store(tmp_path / "data" / "db.sqlite3") as store:
        empty = basis_from_store(store, sizes)
        assert empty.why_not == NOTHING_MEASURED and empty.forecast(MB) is None
        _reply(store, "small.gguf", 100, 50.0, _energy(1.0))
        _reply(store, "small.gguf", 300, 50.0, _energy(3.0))
        assert basis_from_store(store, {}).why_not == SIZES_UNKNOWN
        one = basis_from_store(store, sizes)
        forecast = one.forecast(200 * MB, "other.gguf")
        assert forecast is not None and forecast.models == 1 and forecast.reply_tokens == 200
        assert forecast.joules_per_reply == pytest.approx(0.02 * 200)
        assert forecast.tokens_per_second == pytest.approx(25.0)
        _reply(store, "large.gguf", 200, 20.0, _energy(6.0))
        two = basis_from_store(store, sizes)
        assert two.joules is not None and two.joules.points == 2
        forecast = two.forecast(800 * MB)
        assert forecast is not None and forecast.models == 2
        # J per token 0.01 at 100 MB and 0.03 at 400 MB: a line through both.
        expected = 0.01 + (0.03 - 0.01) / (300 * MB) * (700 * MB)
        assert forecast.joules_per_reply == pytest.approx(expected * 200)
        assert forecast_words(forecast).startswith("Forecast here: about")
