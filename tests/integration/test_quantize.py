"""A smaller quantization made here (core/models/quantize.py) from the real starter model
(SmolLM2-135M Q4_1): written by llama.cpp's quantizer in a child process, checked, loaded by
the real engine; refused when it would not be smaller; cancelled without a trace; and
`desktop-llm models quantize` as a user runs it, Ctrl+C included.

SmolLM2-135M's rows are 576 wide, not a multiple of 256, so llama.cpp stores most k-quant
tensors in a legacy type instead (180 of 272 tensors for Q3_K_M): Q3_K_M gives 93.5 MB,
Q4_0 91.7 MB, Q4_K_M 105.5 MB (larger than the 98.4 MB Q4_1). Q4_0 is the smaller and the
quicker (under a second), so it is the one made here.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_llm.core.engine.client import EngineClient
from desktop_llm.core.engine.protocol import ChatMessage, Done, LoadSpec, SamplingParams, Token
from desktop_llm.core.errors import UserError
from desktop_llm.core.models import Cancelled, read_gguf
from desktop_llm.core.models.quantize import (
    QUANTIZING_DIRNAME,
    TARGETS,
    QuantizeProgress,
    estimate_sizes,
    output_name,
    parse_target,
    read_made_here,
)
from desktop_llm.core.models.registry import ModelRegistry

pytestmark = pytest.mark.model


def leftovers(models_dir: Path) -> list[Path]:
    """Model files and partials: what a refused or cancelled quantization must not leave."""
    scratch = models_dir / QUANTIZING_DIRNAME
    return sorted(models_dir.glob("*.gguf")) + (
        sorted(scratch.iterdir()) if scratch.is_dir() else []
    )


@pytest.fixture
def registry(tmp_path: Path, starter_model: Path) -> ModelRegistry:
    return ModelRegistry(tmp_path / "models")


def test_the_offered_types_are_llama_cpps_own_ftypes() -> None:
    import llama_cpp

    from desktop_llm.core.models.quantize import _FTYPE_IDS

    for target in TARGETS:
        assert _FTYPE_IDS[target] == getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{target}")
    assert parse_target("q4_k_m") == "Q4_K_M"
    with pytest.raises(UserError, match="not a quantization type"):
        parse_target("Q9_9")
    with pytest.raises(UserError, match="importance matrix"):
        parse_target("IQ2_XS")
    assert output_name("SmolLM2-135M-Instruct.Q4_1", "Q4_0") == "SmolLM2-135M-Instruct.Q4_0.gguf"
    assert output_name("my-model", "Q3_K_M") == "my-model-Q3_K_M.gguf"


def test_q4_0_from_the_starter_is_smaller_loads_and_answers(registry: ModelRegistry) -> None:
    (starter,) = registry.list()
    reports: list[QuantizeProgress] = []
    started = time.monotonic()
    model, done = registry.quantize(starter, "Q4_0", progress=reports.append)
    assert time.monotonic() - started < 60  # about a second on a laptop

    assert model.source == "local" and model.name == "SmolLM2-135M-Instruct.Q4_0"
    assert model.path.parent == registry.models_dir
    assert done.size_bytes == model.path.stat().st_size < starter.size_bytes
    info = read_gguf(model.path)
    assert info.quantization == "Q4_0" and info.file_type == 2
    assert len(info.tensors) == len(read_gguf(starter.path).tensors) == done.tensors == 272
    # Progress counts every tensor, in order, and ends with the check.
    counted = [p.done for p in reports if p.stage == "quantizing"]
    assert counted == list(range(1, 273))
    assert reports[-1].stage == "validating"
    # What it was made from is kept with the model, and says it was requantized.
    assert model.made_from is not None and model.made_from.requantized
    assert model.made_from.source == starter.name and model.made_from.source_quantization == "Q4_1"
    assert "already quantized (Q4_1)" in model.made_from.note()
    assert leftovers(registry.models_dir) == [model.path]

    client = EngineClient()
    try:
        loaded = client.load(LoadSpec(str(model.path), n_ctx=512, n_threads=2))
        assert loaded is not None
        events = list(
            client.generate(
                [ChatMessage("user", "Name a colour.")],
                SamplingParams(temperature=0, max_tokens=8),
            )
        )
    finally:
        client.close()
    assert isinstance(events[-1], Done) and events[-1].stats.completion_tokens > 0
    assert any(isinstance(e, Token) and e.text for e in events)

    # Removing it forgets the record too.
    registry.remove(model)
    assert read_made_here(registry.models_dir) == {}


def test_a_target_that_is_not_smaller_is_refused_in_words(registry: ModelRegistry) -> None:
    (starter,) = registry.list()
    with pytest.raises(UserError, match="Q5_K_M is not smaller than Q4_1"):
        registry.quantize(starter, "Q5_K_M")
    with pytest.raises(UserError, match="already Q4_1"):
        registry.quantize(starter, "Q4_1")
    # Nominally smaller, but not for this model's 576-wide rows: measured first, refused.
    with pytest.raises(UserError, match=r"not smaller than the 98\.4 MB") as refused:
        registry.quantize(starter, "Q4_K_M")
    assert "not a multiple of 256" in str(refused.value)
    assert leftovers(registry.models_dir) == []
    assert not multiprocessing.active_children()


def test_the_expected_sizes_match_what_is_written(registry: ModelRegistry) -> None:
    (starter,) = registry.list()
    sizes = estimate_sizes(starter.path, ["Q4_0", "Q4_K_M", "Q3_K_M"])
    assert sizes["Q4_K_M"].size_bytes > starter.size_bytes > sizes["Q3_K_M"].size_bytes
    assert sizes["Q3_K_M"].fallback_tensors == 180 and sizes["Q3_K_M"].tensors == 272
    _, done = registry.quantize(starter, "Q4_0")
    assert abs(sizes["Q4_0"].size_bytes - done.size_bytes) < 64 * 1024


def test_cancel_kills_the_quantizer_and_leaves_no_file(registry: ModelRegistry) -> None:
    (starter,) = registry.list()
    seen: list[QuantizeProgress] = []

    def stop() -> bool:
        return any(p.stage == "quantizing" and p.done >= 5 for p in seen)

    with pytest.raises(Cancelled):
        registry.quantize(starter, "Q3_K_M", progress=seen.append, should_stop=stop)
    assert leftovers(registry.models_dir) == []
    assert not multiprocessing.active_children()
    assert [m.name for m in registry.list()] == [starter.name]


def test_a_damaged_or_missing_source_is_refused_in_words(
    registry: ModelRegistry, starter_model: Path
) -> None:
    registry.models_dir.mkdir(parents=True)
    damaged = registry.models_dir / "cut.Q4_1.gguf"
    damaged.write_bytes(starter_model.read_bytes()[: 40 << 20])
    model = registry.resolve("cut")
    with pytest.raises(UserError, match=r"cut\.Q4_1\.gguf"):
        registry.quantize(model, "Q4_0")
    damaged.unlink()
    with pytest.raises(UserError, match="missing"):
        registry.quantize(model, "Q4_0")
    assert leftovers(registry.models_dir) == []


def test_an_unwritable_models_folder_is_refused_in_words(tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("a file where the models folder should be")
    registry = ModelRegistry(blocker)
    (starter,) = registry.list()
    with pytest.raises(UserError, match="cannot be written to"):
        registry.quantize(starter, "Q4_0")


# --- the CLI ------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_llm", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )


def test_cli_quantize_lists_sizes_makes_one_and_refuses_in_words(home: Path) -> None:
    sizes = json.loads(cli("models", "quantize", "SmolLM2", "--json").stdout)
    smaller = {t["type"] for t in sizes["targets"] if t["smaller"]}
    assert "Q4_0" in smaller and "Q3_K_M" in smaller and "Q4_K_M" not in smaller

    made = cli("models", "quantize", "SmolLM2", "--to", "q4_0")
    assert made.returncode == 0, made.stderr
    assert "Made SmolLM2-135M-Instruct.Q4_0: 91.7 MB" in made.stdout
    assert "already quantized (Q4_1)" in made.stdout
    listed = json.loads(cli("models", "list", "--json").stdout)
    (new,) = [m for m in listed if m["name"] == "SmolLM2-135M-Instruct.Q4_0"]
    assert new["quantization"] == "Q4_0" and new["made_from"]["source_quantization"] == "Q4_1"

    for args, words in (
        (("--to", "Q9"), "not a quantization type this app makes"),
        (("--to", "Q8_0"), "Q8_0 is not smaller than Q4_1"),
    ):
        refused = cli("models", "quantize", "SmolLM2-135M-Instruct.Q4_1", *args)
        assert refused.returncode == 1 and words in refused.stderr, refused.stderr
    missing = cli("models", "quantize", "no-such-model", "--to", "Q4_0")
    assert missing.returncode == 1 and "No model named 'no-such-model'" in missing.stderr


def test_cli_ctrl_c_stops_and_keeps_nothing(home: Path) -> None:
    models_dir = home / "data" / "models"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop_llm", "models", "quantize", "SmolLM2", "--to", "Q3_K_M"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
        start_new_session=True,  # Ctrl+C goes to the whole group, as in a terminal
    )
    deadline = time.monotonic() + 120
    scratch = models_dir / QUANTIZING_DIRNAME
    while not (scratch.is_dir() and any(p.suffix == ".tmp" for p in scratch.iterdir())):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Stopped; nothing was written." in err
    assert leftovers(models_dir) == []
