"""Quantization labels: one line each, and parsed from file names."""

from __future__ import annotations

import pytest

from desktop_llm.core.models.quantization import (
    explain_quantization,
    known_quantizations,
    quantization_from_filename,
)

COMMON = [
    "Q2_K",
    "Q3_K_S",
    "Q3_K_M",
    "Q3_K_L",
    "Q4_0",
    "Q4_1",
    "Q4_K_S",
    "Q4_K_M",
    "Q5_0",
    "Q5_1",
    "Q5_K_S",
    "Q5_K_M",
    "Q6_K",
    "Q8_0",
    "IQ1_S",
    "IQ1_M",
    "IQ2_XXS",
    "IQ2_XS",
    "IQ2_S",
    "IQ2_M",
    "IQ3_XXS",
    "IQ3_XS",
    "IQ3_S",
    "IQ3_M",
    "IQ4_XS",
    "IQ4_NL",
    "F16",
    "BF16",
    "F32",
]


@pytest.mark.parametrize("label", COMMON)
def test_every_common_type_has_one_line(label):
    text = explain_quantization(label)
    assert "\n" not in text and text.endswith(".")
    assert "no description" not in text
    assert explain_quantization(label.lower()) == text
    assert label in known_quantizations()


def test_unknown_and_variant_labels():
    assert "no description" in explain_quantization("Q9_Z")
    assert explain_quantization("") == "Unknown quantization."
    assert explain_quantization(None) == "Unknown quantization."
    assert "higher precision" in explain_quantization("Q4_K_XL")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("qwen2.5-1.5b-instruct-q4_k_m.gguf", "Q4_K_M"),
        ("Llama-3.2-1B-Instruct-Q5_K_S.gguf", "Q5_K_S"),
        ("Llama-3.2-1B-Instruct-IQ4_XS.gguf", "IQ4_XS"),
        ("SmolLM2-135M-Instruct.Q4_1.gguf", "Q4_1"),
        ("phi-IQ3_XXS.gguf", "IQ3_XXS"),
        ("phi-IQ3_XS.gguf", "IQ3_XS"),
        ("model-f16.gguf", "F16"),
        ("model-BF16.gguf", "BF16"),
        ("Qwen-Q8_0-00001-of-00003.gguf", "Q8_0"),
        ("sub/folder/x.Q2_K.gguf", "Q2_K"),
        ("model-Q4_K_XL.gguf", "Q4_K_XL"),
        ("model.gguf", None),
        ("q4k.gguf", None),
    ],
)
def test_quantization_from_filename(name, label):
    assert quantization_from_filename(name) == label
