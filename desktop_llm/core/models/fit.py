"""Will this model fit in memory? A quick, explainable estimate for the model manager.

Estimate (bytes):

    weights   = the GGUF file size (llama.cpp maps the file; almost all of it is tensors)
    kv_cache  = context_length x layers x kv_heads x head_dim x 2 (K and V) x 2 bytes (f16),
                when the attention shape is known (GGUF metadata or the catalog); otherwise
                KV_BYTES_PER_TOKEN_GUESS per token of context (what a 3B-class model with
                grouped-query attention needs: Llama 3.2 3B is 112 KiB per token)
    overhead  = OVERHEAD_FIXED + OVERHEAD_FRACTION x weights (compute buffers, the runtime)

Verdict against free memory (psutil's 'available' RAM; with offload, free VRAM from NVML):

    needed <= FITS_FRACTION x free   -> "fits"
    needed <= free                   -> "tight" (it loads, but other programs may swap)
    otherwise                        -> "will not fit"

With offload the weights and the KV cache go to the GPU (full offload), so they are compared
with free VRAM, and only the overhead with RAM. When free VRAM is unknown (no NVIDIA GPU,
no driver), the check falls back to RAM and says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Literal

from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.gguf_file import GGUFInfo, format_bytes

Verdict = Literal["fits", "tight", "will not fit"]

KV_BYTES_PER_TOKEN_GUESS = 128 * 1024
OVERHEAD_FIXED = 300 * 1024 * 1024
OVERHEAD_FRACTION = 0.05
FITS_FRACTION = 0.8
F16_BYTES = 2


@dataclass(frozen=True)
class FitHint:
    verdict: Verdict
    reason: str  # one sentence for the user
    needed_bytes: int  # the whole estimate
    kv_cache_bytes: int
    available_bytes: int | None  # what it was compared with (VRAM when offloading)


@dataclass(frozen=True)
class AttentionShape:
    layers: int
    kv_heads: int
    head_dim: int

    @property
    def kv_bytes_per_token(self) -> int:
        return self.layers * self.kv_heads * self.head_dim * 2 * F16_BYTES


def attention_shape(info: GGUFInfo) -> AttentionShape | None:
    """Layers, KV heads and head size from a GGUF's metadata ('{arch}.block_count',
    '.attention.head_count_kv' (defaults to head_count), '.attention.key_length' (defaults
    to embedding_length / head_count)); None when the metadata lacks them."""
    arch = info.architecture
    if not arch:
        return None

    def num(key: str) -> int | None:
        v = info.metadata.get(f"{arch}.{key}")
        if isinstance(v, int) and not isinstance(v, bool) and v > 0:
            return v
        return None  # absent, or a per-layer array (some hybrid models): not handled

    layers = num("block_count")
    heads = num("attention.head_count")
    kv_heads = num("attention.head_count_kv") or heads
    head_dim = num("attention.key_length")
    if head_dim is None and heads:
        embd = num("embedding_length")
        head_dim = embd // heads if embd else None
    if not (layers and kv_heads and head_dim):
        return None
    return AttentionShape(layers, kv_heads, head_dim)


def kv_cache_bytes(context_length: int, shape: AttentionShape | None) -> int:
    per_token = shape.kv_bytes_per_token if shape else KV_BYTES_PER_TOKEN_GUESS
    return max(0, context_length) * per_token


def free_ram() -> int:
    import psutil

    return int(psutil.virtual_memory().available)


def free_vram() -> int | None:
    """Free memory of the first NVIDIA GPU in bytes, or None (no GPU, no driver, no NVML).
    pynvml (nvidia-ml-py) is imported only here, lazily."""
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except Exception:  # NVMLError: no driver / no GPU
        return None
    try:
        handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        return int(pynvml.nvmlDeviceGetMemoryInfo(handle).free)
    except Exception:
        return None
    finally:
        with contextlib.suppress(Exception):
            pynvml.nvmlShutdown()


def _verdict(needed: int, available: int) -> Verdict:
    if needed <= FITS_FRACTION * available:
        return "fits"
    if needed <= available:
        return "tight"
    return "will not fit"


def fit_hint(
    file_size: int,
    context_length: int,
    *,
    layers: int | None = None,
    kv_heads: int | None = None,
    head_dim: int | None = None,
    free_ram: int | None = None,
    free_vram: int | None = None,
    offload: bool = False,
) -> FitHint:
    """Estimate whether a model file with this context length fits in free memory.

    free_ram defaults to what psutil reports available now; free_vram (with offload) to
    what NVML reports for GPU 0. Pass both in tests.
    """
    shape = AttentionShape(layers, kv_heads, head_dim) if layers and kv_heads and head_dim else None
    kv = kv_cache_bytes(context_length, shape)
    overhead = OVERHEAD_FIXED + int(OVERHEAD_FRACTION * file_size)
    needed = file_size + kv + overhead
    ram = _free_ram_now() if free_ram is None else free_ram
    tokens = f"{context_length:,}"
    if offload:
        vram = _free_vram_now() if free_vram is None else free_vram
        if vram is not None:
            gpu_need = file_size + kv
            verdict = _verdict(gpu_need, vram)
            if verdict != "will not fit" and overhead > ram:
                verdict = "will not fit"
            if shape:
                template = translate(
                    "Fit",
                    "Needs about %1 of GPU memory (weights %2 + KV cache %3 for %4 tokens); "
                    "%5 is free.",
                )
            else:
                template = translate(
                    "Fit",
                    "Needs about %1 of GPU memory (weights %2 + KV cache %3 for %4 tokens) "
                    "(KV cache estimated without the model's attention shape); %5 is free.",
                )
            reason = arg(
                template,
                format_bytes(gpu_need),
                format_bytes(file_size),
                format_bytes(kv),
                tokens,
                format_bytes(vram),
            )
            return FitHint(verdict, reason, gpu_need, kv, vram)
    verdict = _verdict(needed, ram)
    # One whole sentence per case (the KV cache's shape known or guessed; offload asked for
    # without a GPU memory figure), so that a translation need not join pieces.
    if shape and not offload:
        template = translate(
            "Fit",
            "Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead); "
            "%6 is free.",
        )
    elif not offload:
        template = translate(
            "Fit",
            "Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead) "
            "(KV cache estimated without the model's attention shape); %6 is free.",
        )
    elif shape:
        template = translate(
            "Fit",
            "Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead); "
            "no GPU memory figure, so this is checked against RAM; %6 is free.",
        )
    else:
        template = translate(
            "Fit",
            "Needs about %1 of memory (weights %2 + KV cache %3 for %4 tokens + %5 overhead) "
            "(KV cache estimated without the model's attention shape); no GPU memory figure, "
            "so this is checked against RAM; %6 is free.",
        )
    reason = arg(
        template,
        format_bytes(needed),
        format_bytes(file_size),
        format_bytes(kv),
        tokens,
        format_bytes(overhead),
        format_bytes(ram),
    )
    return FitHint(verdict, reason, needed, kv, ram)


def fit_hint_for_file(
    info: GGUFInfo,
    context_length: int | None = None,
    *,
    free_ram: int | None = None,
    free_vram: int | None = None,
    offload: bool = False,
) -> FitHint:
    """fit_hint() for a file on disk, with the attention shape from its metadata; the
    context defaults to the model's own (training) context length, else 4096."""
    shape = attention_shape(info)
    ctx = context_length or info.context_length or 4096
    return fit_hint(
        info.file_size,
        ctx,
        layers=shape.layers if shape else None,
        kv_heads=shape.kv_heads if shape else None,
        head_dim=shape.head_dim if shape else None,
        free_ram=free_ram,
        free_vram=free_vram,
        offload=offload,
    )


# Module-level names shadowed by fit_hint's parameters.
_free_ram_now = free_ram
_free_vram_now = free_vram
