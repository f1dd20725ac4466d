"""Which ggml backends a llama.cpp build has, read from llama_print_system_info()."""

from __future__ import annotations

from desktop_llm.core.engine.protocol import compiled_backends


def test_a_cpu_build_names_only_the_cpu() -> None:
    info = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | OPENMP = 1 | "
    assert compiled_backends(info) == ("CPU",)


def test_gpu_backends_are_named_once_each_in_order() -> None:
    info = (
        "CUDA : ARCHS = 890 | USE_GRAPHS = 1 | PEER_MAX_BATCH_SIZE = 128 | "
        "CPU : SSE3 = 1 | AVX2 = 1 | Vulkan : COOPMAT = 1 | CUDA : ARCHS = 900 | "
    )
    assert compiled_backends(info) == ("CUDA", "CPU", "Vulkan")


def test_nothing_readable_means_the_cpu() -> None:
    assert compiled_backends("") == ("CPU",)


def test_a_reply_cut_inside_a_character_drops_its_partial_bytes() -> None:
    """Before: a reply cut by max_tokens inside a multi-byte character ended in '\ufffd'
    (seen in English with --max-tokens 4 and in Chinese summaries)."""
    from desktop_llm.core.engine.worker import complete_utf8

    text = "灯塔指引船只".encode()
    assert complete_utf8(text[:-1]) == "灯塔指引船"
    assert complete_utf8(text[:-2]) == "灯塔指引船"
    assert complete_utf8(text) == "灯塔指引船只"
    assert complete_utf8(b"ok \xff then") == "ok \ufffd then"  # bad bytes inside stay marked
