"""`desktop-llm models search --files` forecasts each file's joules per reply and tokens/s
here from the replies measured here, and says why not while nothing was measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from desktop_llm.core.energy.report import format_joules
from desktop_llm.core.services import open_services
from tests.helpers.gguf_factory import require_starter_model, tiny_metadata, write_gguf
from tests.helpers.hub_server import FakeHub

REPO = "someone/Bigger-GGUF"


def cli(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_search_files_forecast_from_measured_replies(
    home: Path, hub: FakeHub, tmp_path: Path
) -> None:
    starter = require_starter_model()
    big = tmp_path / "bigger-q8_0.gguf"
    write_gguf(big, tiny_metadata(name=big.name), [("token_embd.weight", "F32", (1024, 1024))])
    hub.add_repo(REPO)
    hub.add_file(REPO, big)

    text = cli("models", "search", "GGUF", "--files")
    assert "No forecast yet: no reply has been measured on this computer." in text
    assert "J per reply" not in text
    assert (
        json.loads(cli("models", "search", "GGUF", "--files", "--json"))[0]["files"][0]["forecast"]
        is None
    )

    services = open_services()  # the same home as the CLI's (DESKTOP_LLM_HOME)
    try:
        store = services.store
        for tokens, joules in ((40, 0.8), (60, 1.2)):
            conversation = store.create_conversation("chat")
            store.add_message(conversation.id, "user", "hi")
            reply = store.start_reply(conversation.id)
            store.finish_reply(reply.id, "hello", "complete")
            store.add_generation(
                reply.id,
                model_file=starter.name,
                device="cpu",
                prompt_tokens=10,
                completion_tokens=tokens,
                tokens_per_second=100.0,
                started_at=datetime.now(UTC),
                energy={
                    "source": "estimate",
                    "scope": "process",
                    "label": "CPU time",
                    "measured": False,
                    "joules_gross": joules,
                    "joules_net": joules,
                    "joules_attributed": joules,
                    "watts_avg": 10.0,
                    "baseline_watts": 0.0,
                    "seconds": 1.0,
                    "cpu_share": 1.0,
                    "carbon_g": 0.0,
                    "intensity_g_per_kwh": 400.0,
                    "intensity_source": "test",
                    "low_confidence": True,
                },
            )
    finally:
        services.close()

    ratio = big.stat().st_size / starter.stat().st_size
    joules = 0.02 * ratio * 50  # 0.02 J per token, the median reply of 50 tokens
    text = cli("models", "search", "GGUF", "--files")
    assert f"Forecast here: about {format_joules(joules)} per reply" in text
    assert "from 1 model measured on this computer" in text
    assert "estimated, not metered" in text and "Rough" in text  # 4 MB against ~100 MB
    (found,) = json.loads(cli("models", "search", "GGUF", "--files", "--json"))
    forecast = found["files"][0]["forecast"]
    assert forecast["kind"] == "forecast" and forecast["energy_estimated"] is True
    assert forecast["reply_tokens"] == 50 and forecast["models_measured"] == 1
    assert abs(forecast["tokens_per_second"] - 100.0 / ratio) < 1e-6 * 100 / ratio
