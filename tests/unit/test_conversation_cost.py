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
        "records": [],
    }
