"""conversation_cost: each call's cost line and a run's sum, from the stored records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_llm.core.energy.conversation_cost import conversation_cost
from desktop_llm.core.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "db.sqlite3") as opened:
        yield opened


def energy(joules: float, *, measured: bool = True) -> dict[str, object]:
    return {
        "source": "rapl",
        "scope": "package",
        "label": "RAPL package" if measured else "estimate: CPU time x 5 W per core",
        "measured": measured,
        "joules_gross": joules * 2,
        "joules_net": joules * 1.5,
        "joules_attributed": joules,
        "watts_avg": 10.0,
        "baseline_watts": 2.0,
        "seconds": 1.0,
        "cpu_share": 0.5,
        "carbon_g": joules / 100,
        "intensity_g_per_kwh": 360.0,
        "intensity_source": "test",
        "low_confidence": False,
    }


def reply(store: Store, conversation_id: int, joules: float | None, speed: float) -> int:
    message = store.start_reply(conversation_id)
    store.finish_reply(message.id, "text", "complete")
    store.add_generation(
        message.id,
        model_file="m.gguf",
        device="cpu",
        tokens_per_second=speed,
        energy=None if joules is None else energy(joules),
    )
    return message.id


def test_calls_in_message_order_with_their_speed_and_a_summed_run(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_message(conversation.id, "user", "hello")
    first = reply(store, conversation.id, 4.0, 40.0)
    reply(store, conversation.id, None, 10.0)  # a generation without an energy record
    last = reply(store, conversation.id, 6.0, 60.0)

    cost = conversation_cost(store, conversation.id)
    assert [c.message_id for c in cost.calls] == [first, last]
    assert [c.tokens_per_second for c in cost.calls] == [40.0, 60.0]
    assert "40 tok/s" in cost.calls[0].line()
    assert cost.calls[0].tooltip().startswith("Measured with RAPL package.")

    line, tooltip = cost.run_cost()
    assert "2 model calls" in line and "10.0 J" in line
    assert tooltip.startswith("This run: 2 model calls")

    document = cost.as_dict()
    assert document["joules_attributed"] == pytest.approx(10.0)
    assert document["joules_gross"] == pytest.approx(20.0)
    assert document["carbon_g"] == pytest.approx(0.1)
    assert [r["joules_attributed"] for r in document["records"]] == [4.0, 6.0]


def test_nothing_metered_is_an_empty_cost(store: Store) -> None:
    conversation = store.create_conversation()
    cost = conversation_cost(store, conversation.id)
    assert cost.calls == ()
    assert cost.run_cost() == ("", "")
    assert cost.as_dict() == {
        "joules_gross": 0,
        "joules_net": 0,
        "joules_attributed": 0,
        "carbon_g": 0,
        "not_measured_remote": 0,
        "records": [],
    }


def remote_reply(store: Store, conversation_id: int, watts: float | None) -> int:
    from desktop_llm.core.energy.monitor import EnergyRecord

    record = EnergyRecord.remote(
        2.0,
        watts=watts,
        intensity_g_per_kwh=360.0,
        intensity_source="test",
        engine_name="gpu-box",
    )
    message = store.start_reply(conversation_id)
    store.finish_reply(message.id, "text", "complete")
    store.add_generation(
        message.id,
        model_file="qwen3-30b",
        device="remote",
        tokens_per_second=80.0,
        engine="gpu-box",
        engine_host="gpu-box.lan",
        energy=record.as_dict(),
    )
    return message.id


def test_a_remote_call_is_not_summed_as_zero_but_counted_apart(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_message(conversation.id, "user", "hello")
    reply(store, conversation.id, 4.0, 40.0)
    remote = remote_reply(store, conversation.id, None)

    cost = conversation_cost(store, conversation.id)
    (_, call) = cost.calls
    assert call.message_id == remote and call.energy.joules_attributed is None
    assert call.line() == (
        "the remote machine's energy was not measured here · 80 tok/s · remote engine gpu-box"
    )
    assert "Not measured" in call.tooltip() and "gpu-box" in call.tooltip()
    assert call.tooltip().endswith("Engine: gpu-box at gpu-box.lan, a remote server.")
    assert cost.calls[0].tooltip().endswith("Engine: this computer (local).")
    document = cost.as_dict()
    assert document["joules_attributed"] == pytest.approx(4.0)
    assert document["not_measured_remote"] == 1
    line, _ = cost.run_cost()
    assert "2 model calls" in line and "1 call not measured: remote" in line


def test_a_run_only_on_a_remote_engine_has_no_figures(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_message(conversation.id, "user", "hello")
    remote_reply(store, conversation.id, None)
    cost = conversation_cost(store, conversation.id)
    document = cost.as_dict()
    assert document["joules_attributed"] is None and document["carbon_g"] is None
    assert document["not_measured_remote"] == 1
    line, tooltip = cost.run_cost()
    assert tooltip.startswith("Not measured")
    assert line.startswith("the remote machine's energy was not measured here")
    assert "J" not in line.split(" · ")[0]


def test_a_remote_estimate_from_the_users_watts_is_labelled(store: Store) -> None:
    conversation = store.create_conversation()
    store.add_message(conversation.id, "user", "hello")
    remote_reply(store, conversation.id, 350.0)
    (call,) = conversation_cost(store, conversation.id).calls
    assert call.energy.joules_attributed == pytest.approx(700.0)  # 350 W × 2 s
    assert call.energy.source == "remote" and not call.energy.measured
    assert call.line() == (
        "≈ 700.0 J (1.3 % of a phone charge) · 0.07 g CO2e · 80 tok/s · "
        "remote engine gpu-box: estimate from your figure of 350 W (rough)"
    )
    assert call.tooltip().startswith(
        "An estimate, not a measurement: your figure of 350 W for the remote engine gpu-box"
    )
