"""fit_hint: memory estimates and verdicts with fixed free-memory figures."""

from __future__ import annotations

from desktop_llm.core.models import read_gguf
from desktop_llm.core.models.fit import (
    FITS_FRACTION,
    KV_BYTES_PER_TOKEN_GUESS,
    OVERHEAD_FIXED,
    attention_shape,
    fit_hint,
    fit_hint_for_file,
    free_ram,
    free_vram,
)
from tests.helpers.gguf_factory import require_starter_model

GB = 10**9


def test_kv_cache_from_attention_shape():
    # Llama 3.2 3B: 28 layers x 8 KV heads x 128 x K+V x f16 = 112 KiB per token.
    hint = fit_hint(2 * GB, 8192, layers=28, kv_heads=8, head_dim=128, free_ram=64 * GB)
    assert hint.kv_cache_bytes == 8192 * 28 * 8 * 128 * 2 * 2
    assert hint.verdict == "fits"
    assert "GB" in hint.reason and "8,192 tokens" in hint.reason


def test_kv_cache_rule_without_shape_is_documented():
    hint = fit_hint(GB, 4096, free_ram=64 * GB)
    assert hint.kv_cache_bytes == 4096 * KV_BYTES_PER_TOKEN_GUESS
    assert "without the model's attention shape" in hint.reason


def test_verdict_thresholds():
    needed = fit_hint(GB, 1024, free_ram=100 * GB).needed_bytes
    assert needed > GB + OVERHEAD_FIXED
    assert fit_hint(GB, 1024, free_ram=int(needed / FITS_FRACTION) + 1).verdict == "fits"
    assert fit_hint(GB, 1024, free_ram=needed).verdict == "tight"
    hint = fit_hint(GB, 1024, free_ram=needed - 1)
    assert hint.verdict == "will not fit"
    assert hint.available_bytes == needed - 1


def test_offload_compares_with_vram():
    args = {"layers": 28, "kv_heads": 8, "head_dim": 128, "free_ram": 64 * GB, "offload": True}
    assert fit_hint(2 * GB, 4096, free_vram=8 * GB, **args).verdict == "fits"
    small = fit_hint(2 * GB, 4096, free_vram=GB, **args)
    assert small.verdict == "will not fit"
    assert "GPU memory" in small.reason
    # Offload asked for but GPU memory unknown: falls back to RAM, and says so.
    args["offload"] = False
    assert fit_hint(2 * GB, 4096, free_vram=None, **args).verdict == "fits"


def test_starter_model_fits_here():
    info = read_gguf(require_starter_model())
    shape = attention_shape(info)
    assert shape is not None and shape.layers == 30
    hint = fit_hint_for_file(info, 2048, free_ram=16 * GB)
    assert hint.verdict == "fits"
    assert hint.kv_cache_bytes == 2048 * shape.kv_bytes_per_token


def test_live_figures_are_numbers_or_none():
    assert free_ram() > 0
    vram = free_vram()  # no GPU on CI machines: None, and no warning
    assert vram is None or vram >= 0
