"""Quantization types in plain words, and the quantization named in a GGUF file name.

The descriptions follow llama.cpp's own quantize help (tools/quantize) and the usual
community advice: Q4_K_M is the default sweet spot, below Q4 quality drops quickly,
Q8_0 is near lossless, F16/BF16/F32 are unquantized.
"""

from __future__ import annotations

import re

from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate

# Upper-case label -> one line for the user. Bits per weight are llama.cpp's figures
# for a 7B llama model (rounded).
_EXPLANATIONS: dict[str, str] = {
    "F32": QT_TRANSLATE_NOOP(
        "Quantization",
        "32-bit floats, unquantized: the largest file, no quality loss; rarely worth it.",
    ),
    "F16": QT_TRANSLATE_NOOP(
        "Quantization", "16-bit floats, unquantized: reference quality, about 4x the size of Q4."
    ),
    "BF16": QT_TRANSLATE_NOOP(
        "Quantization", "bfloat16, unquantized: reference quality, as large as F16."
    ),
    "Q8_0": QT_TRANSLATE_NOOP(
        "Quantization",
        "8-bit (8.5 bits per weight): practically lossless, about half the size of F16.",
    ),
    "Q6_K": QT_TRANSLATE_NOOP(
        "Quantization",
        "6-bit k-quant (6.6 bits per weight): near-lossless, a good choice if it fits.",
    ),
    "Q5_K_M": QT_TRANSLATE_NOOP(
        "Quantization", "5-bit k-quant, medium (5.7 bits per weight): very close to the original."
    ),
    "Q5_K_S": QT_TRANSLATE_NOOP(
        "Quantization", "5-bit k-quant, small (5.5 bits per weight): very close to the original."
    ),
    "Q5_K": QT_TRANSLATE_NOOP(
        "Quantization", "5-bit k-quant (about 5.5 bits per weight): very close to the original."
    ),
    "Q5_1": QT_TRANSLATE_NOOP(
        "Quantization", "Legacy 5-bit (6 bits per weight): good quality; prefer Q5_K_M."
    ),
    "Q5_0": QT_TRANSLATE_NOOP(
        "Quantization", "Legacy 5-bit (5.5 bits per weight): good quality; prefer Q5_K_S."
    ),
    "Q4_K_M": QT_TRANSLATE_NOOP(
        "Quantization", "4-bit k-quant, medium (4.8 bits per weight): the usual best balance."
    ),
    "Q4_K_S": QT_TRANSLATE_NOOP(
        "Quantization",
        "4-bit k-quant, small (4.6 bits per weight): slightly smaller and worse than Q4_K_M.",
    ),
    "Q4_K": QT_TRANSLATE_NOOP(
        "Quantization",
        "4-bit k-quant (about 4.7 bits per weight): a good balance of size and quality.",
    ),
    "Q4_1": QT_TRANSLATE_NOOP(
        "Quantization", "Legacy 4-bit (5 bits per weight): fine quality; prefer Q4_K_M."
    ),
    "Q4_0": QT_TRANSLATE_NOOP(
        "Quantization",
        "Legacy 4-bit (4.5 bits per weight): small and fast on some CPUs (ARM); prefer Q4_K_M.",
    ),
    "Q4_0_4_4": QT_TRANSLATE_NOOP(
        "Quantization", "4-bit repacked for ARM CPUs: fast on ARM, not usable in current llama.cpp."
    ),
    "Q3_K_L": QT_TRANSLATE_NOOP(
        "Quantization", "3-bit k-quant, large (4.3 bits per weight): noticeable quality loss."
    ),
    "Q3_K_M": QT_TRANSLATE_NOOP(
        "Quantization", "3-bit k-quant, medium (3.9 bits per weight): noticeable quality loss."
    ),
    "Q3_K_S": QT_TRANSLATE_NOOP(
        "Quantization", "3-bit k-quant, small (3.5 bits per weight): clear quality loss."
    ),
    "Q3_K": QT_TRANSLATE_NOOP(
        "Quantization", "3-bit k-quant (about 3.9 bits per weight): noticeable quality loss."
    ),
    "Q2_K": QT_TRANSLATE_NOOP(
        "Quantization",
        "2-bit k-quant (about 3 bits per weight): the smallest k-quant, large quality loss.",
    ),
    "Q2_K_S": QT_TRANSLATE_NOOP(
        "Quantization",
        "2-bit k-quant, small: very large quality loss; only when nothing else fits.",
    ),
    "IQ4_NL": QT_TRANSLATE_NOOP(
        "Quantization", "4-bit importance quant, non-linear (4.5 bits per weight): a better Q4_0."
    ),
    "IQ4_XS": QT_TRANSLATE_NOOP(
        "Quantization",
        "4-bit importance quant (4.3 bits per weight): close to Q4_K_S in a smaller file.",
    ),
    "IQ3_M": QT_TRANSLATE_NOOP(
        "Quantization",
        "3-bit importance quant, medium (3.7 bits per weight): beats Q3_K_S for its size.",
    ),
    "IQ3_S": QT_TRANSLATE_NOOP(
        "Quantization",
        "3-bit importance quant (3.4 bits per weight): better than Q3_K_S for its size.",
    ),
    "IQ3_XS": QT_TRANSLATE_NOOP(
        "Quantization",
        "3-bit importance quant, extra small (3.3 bits per weight): clear quality loss.",
    ),
    "IQ3_XXS": QT_TRANSLATE_NOOP(
        "Quantization", "3-bit importance quant, tiniest (3.1 bits per weight): clear quality loss."
    ),
    "IQ2_M": QT_TRANSLATE_NOOP(
        "Quantization", "2-bit importance quant, medium (2.7 bits per weight): large quality loss."
    ),
    "IQ2_S": QT_TRANSLATE_NOOP(
        "Quantization", "2-bit importance quant (2.5 bits per weight): large quality loss."
    ),
    "IQ2_XS": QT_TRANSLATE_NOOP(
        "Quantization",
        "2-bit importance quant, extra small (2.3 bits per weight): large quality loss.",
    ),
    "IQ2_XXS": QT_TRANSLATE_NOOP(
        "Quantization",
        "2-bit importance quant, tiniest (2.1 bits per weight): very large quality loss.",
    ),
    "IQ1_M": QT_TRANSLATE_NOOP(
        "Quantization", "1-bit importance quant, medium (1.75 bits per weight): barely usable."
    ),
    "IQ1_S": QT_TRANSLATE_NOOP(
        "Quantization",
        "1-bit importance quant (1.6 bits per weight): barely usable; big models only.",
    ),
    "TQ1_0": QT_TRANSLATE_NOOP(
        "Quantization", "Ternary (1.7 bits per weight): only for models trained ternary (BitNet)."
    ),
    "TQ2_0": QT_TRANSLATE_NOOP(
        "Quantization", "Ternary (2.1 bits per weight): only for models trained ternary (BitNet)."
    ),
    "MXFP4": QT_TRANSLATE_NOOP(
        "Quantization", "4-bit microscaling floats: the format gpt-oss models ship in."
    ),
    "MXFP4_MOE": QT_TRANSLATE_NOOP(
        "Quantization", "4-bit microscaling floats for mixture-of-experts weights (gpt-oss)."
    ),
}

# Longest first, so 'Q4_K_M' wins over 'Q4_K' and 'IQ3_XXS' over 'IQ3_XS'.
_LABELS = sorted(_EXPLANATIONS, key=len, reverse=True)
# A label bounded by a separator (or the ends) in a file name such as
# 'qwen2.5-1.5b-instruct-q4_k_m.gguf' or 'Llama-3.2-1B-Instruct.IQ4_XS.gguf'.
_LABEL_RE = re.compile(
    r"(?<![A-Za-z0-9])(" + "|".join(re.escape(x) for x in _LABELS) + r")(?![A-Za-z0-9_])",
    re.IGNORECASE,
)


def known_quantizations() -> list[str]:
    """Every label explain_quantization() describes."""
    return sorted(_EXPLANATIONS)


def explain_quantization(name: str | None) -> str:
    """One line that says what a quantization type means for the user.

    Unknown labels get a generic line rather than an error: new types appear in llama.cpp
    faster than this table grows.
    """
    label = (name or "").strip().upper()
    if not label:
        return translate("Quantization", "Unknown quantization.")
    if label in _EXPLANATIONS:
        return translate("Quantization", _EXPLANATIONS[label])
    base = label.rsplit("_", 1)[0]
    if label.endswith(("_L", "_XL")) and base in _EXPLANATIONS:
        # Unsloth/bartowski '_L'/'_XL' variants keep embeddings at higher precision.
        return arg(
            translate("Quantization", "%1 (Embedding/output weights kept at higher precision.)"),
            translate("Quantization", _EXPLANATIONS[base]),
        )
    return arg(
        translate("Quantization", "%1: a quantization type this app has no description for."),
        label,
    )


def quantization_from_filename(filename: str) -> str | None:
    """The quantization label in a file name, upper case ('Q4_K_M'), or None.

    When a name holds several labels (rare), the last one wins: the quantization usually
    comes just before '.gguf'.
    """
    stem = filename.rsplit("/", 1)[-1]
    if stem.lower().endswith(".gguf"):
        stem = stem[: -len(".gguf")]
    matches = _LABEL_RE.findall(stem)
    if not matches:
        # Sharded files: 'model-Q4_K_M-00001-of-00002' is covered above; also accept
        # UD-style suffixes like 'Q4_K_XL' by their base.
        m = re.search(r"(?<![A-Za-z0-9])((?:I?Q\d_K|Q\d)_X?L)(?![A-Za-z0-9])", stem, re.I)
        return m.group(1).upper() if m else None
    return matches[-1].upper()
