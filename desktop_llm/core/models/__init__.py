"""Models: GGUF header reading and validation, and the local model registry."""

from desktop_llm.core.models.gguf_file import (
    GGML_TYPES,
    LLAMA_FTYPES,
    ArraySummary,
    GGMLType,
    GGUFInfo,
    GGUFTensor,
    GGUFValueType,
    format_bytes,
    format_param_count,
    read_gguf,
)
from desktop_llm.core.models.registry import (
    Cancelled,
    InstalledModel,
    ModelRegistry,
    sha256_file,
    starter_model_path,
)

__all__ = [
    "GGML_TYPES",
    "LLAMA_FTYPES",
    "ArraySummary",
    "Cancelled",
    "GGMLType",
    "GGUFInfo",
    "GGUFTensor",
    "GGUFValueType",
    "InstalledModel",
    "ModelRegistry",
    "format_bytes",
    "format_param_count",
    "read_gguf",
    "sha256_file",
    "starter_model_path",
]
