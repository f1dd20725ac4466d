"""Stored replies with chosen energy records, for tests of what reports, the CLI and the
dashboard make of local, remote and estimated figures (real Store, no model)."""

from __future__ import annotations

from desktop_llm.core.energy.monitor import EnergyRecord
from desktop_llm.core.store import Store


def local_energy(joules: float, *, contended: bool | None = None) -> dict[str, object]:
    """A measured local record (RAPL) of `joules`."""
    record: dict[str, object] = {
        "source": "rapl",
        "scope": "package",
        "label": "RAPL package",
        "measured": True,
        "joules_gross": joules,
        "joules_net": joules,
        "joules_attributed": joules,
        "watts_avg": 10.0,
        "baseline_watts": 1.0,
        "seconds": 1.0,
        "cpu_share": None,
        "carbon_g": joules / 1000,
        "intensity_g_per_kwh": 400.0,
        "intensity_source": "test",
        "low_confidence": False,
    }
    if contended is not None:
        record["contended"] = contended
    return record


def remote_energy(
    watts: float | None, *, seconds: float = 2.0, engine_name: str = "box"
) -> dict[str, object]:
    """A remote reply's record: not measured, or an estimate from the user's watts."""
    return EnergyRecord.remote(
        seconds,
        watts=watts,
        intensity_g_per_kwh=400.0,
        intensity_source="test",
        engine_name=engine_name,
    ).as_dict()


def stored_reply(
    store: Store,
    model: str,
    energy: dict[str, object],
    engine: str = "local",
    *,
    prompt_tokens: int = 10,
    completion_tokens: int = 20,
    tokens_per_second: float = 30.0,
) -> int:
    """A chat with one complete reply and its generation record; its conversation id.
    A remote engine NAME is at host NAME.lan."""
    conversation = store.create_conversation("chat")
    store.add_message(conversation.id, "user", "hello")
    reply = store.start_reply(conversation.id)
    store.finish_reply(reply.id, "answer", "complete")
    store.add_generation(
        reply.id,
        model_file=model,
        device="cpu" if engine == "local" else "remote",
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        tokens_per_second=tokens_per_second,
        engine=engine,
        engine_host=None if engine == "local" else f"{engine}.lan",
        energy=energy,
    )
    return conversation.id
