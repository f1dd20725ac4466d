"""Models: GGUF header reading and validation, the local model registry, and the model
manager's core (catalog, quantization words, fit hints, Hub client, downloads, metadata).

The Hub client and downloads live in their own modules (hub, download) and are not
imported here, so importing the registry does not import huggingface_hub."""

from desktop_llm.core.models.catalog import CatalogError, CatalogModel, load_catalog
from desktop_llm.core.models.files import Cancelled, HashCache, model_sha256, sha256_file
from desktop_llm.core.models.fit import FitHint, fit_hint, fit_hint_for_file
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
from desktop_llm.core.models.metadata import ModelSummary, gguf_metadata
from desktop_llm.core.models.quantization import explain_quantization, quantization_from_filename
from desktop_llm.core.models.registry import InstalledModel, ModelRegistry, starter_model_path

__all__ = [
    "GGML_TYPES",
    "LLAMA_FTYPES",
    "ArraySummary",
    "Cancelled",
    "CatalogError",
    "CatalogModel",
    "FitHint",
    "GGMLType",
    "GGUFInfo",
    "GGUFTensor",
    "GGUFValueType",
    "HashCache",
    "InstalledModel",
    "ModelRegistry",
    "ModelSummary",
    "explain_quantization",
    "fit_hint",
    "fit_hint_for_file",
    "format_bytes",
    "format_param_count",
    "gguf_metadata",
    "load_catalog",
    "model_sha256",
    "quantization_from_filename",
    "read_gguf",
    "sha256_file",
    "starter_model_path",
]
