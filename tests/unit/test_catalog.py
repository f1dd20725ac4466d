"""The curated catalog loads, and a malformed one is refused with a clear message."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.models.catalog import (
    TASKS,
    CatalogError,
    catalog_model_for_file,
    load_catalog,
    parse_catalog,
)
from desktop_llm.core.models.quantization import quantization_from_filename
from desktop_llm.core.resources import CATALOG, read_text

RAW = json.loads(read_text(CATALOG))


def test_catalog_loads_the_curated_models():
    models = load_catalog()
    ids = {m.id for m in models}
    assert {
        "qwen2.5-0.5b-instruct",
        "qwen2.5-1.5b-instruct",
        "qwen2.5-3b-instruct",
        "llama-3.2-1b-instruct",
        "llama-3.2-3b-instruct",
        "smollm2-360m-instruct",
        "smollm2-1.7b-instruct",
        "gemma-2-2b-it",
        "phi-3.5-mini-instruct",
    } <= ids
    assert "approximate" in RAW["note"]
    assert any("zh" in m.languages for m in models)
    for task in TASKS:
        assert any(task in m.tasks for m in models), task
    for m in models:
        assert m.files and m.good_for.endswith(".")
        # Every model says what it is good for in Chinese too, ending as a sentence does.
        assert m.good_for_in("zh_CN").endswith("。") and m.good_for_in("zh_CN") != m.good_for
        assert m.good_for_in("fr") == m.good_for
        assert m.recommended_file.quantization == "Q4_K_M"
        for f in m.files:
            # The quantization column agrees with the file name the Hub serves.
            assert quantization_from_filename(f.filename) == f.quantization
            assert 100_000_000 < f.size_bytes < 10_000_000_000
        assert m.layers and m.kv_heads and m.head_dim


def _broken(mutate) -> dict:
    data = copy.deepcopy(RAW)
    mutate(data)
    return data


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.pop("models"), "no list of 'models'"),
        (lambda d: d["models"][0].pop("repo"), "has no 'repo'"),
        (lambda d: d["models"][0].__setitem__("repo", "no-slash"), "not owner/name"),
        (lambda d: d["models"][0].__setitem__("files", []), "lists no files"),
        (lambda d: d["models"][0]["files"][0].__setitem__("size_bytes", "big"), "wrong type"),
        (lambda d: d["models"][0]["files"][0].__setitem__("filename", "a.bin"), ".gguf name"),
        (lambda d: d["models"][0]["good_for"].__setitem__("tasks", ["dance"]), "tasks of"),
        (lambda d: d["models"][1].__setitem__("id", d["models"][0]["id"]), "appears twice"),
        (lambda d: d["models"][0].__setitem__("context_length", 0), "context_length"),
        (lambda d: d["models"].append(3), "is not an object"),
        (lambda d: d["models"][0].__setitem__("name", " "), "is empty"),
    ],
)
def test_malformed_catalog_is_refused(mutate, words):
    with pytest.raises(CatalogError, match="malformed") as e:
        parse_catalog(_broken(mutate))
    assert words in str(e.value)
    assert isinstance(e.value, UserError)


def test_unreadable_or_invalid_json(tmp_path: Path):
    with pytest.raises(CatalogError, match="cannot be read"):
        load_catalog(tmp_path / "missing.json")
    bad = tmp_path / "catalog.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(bad)


@pytest.mark.parametrize(
    ("filename", "model_id"),
    [
        ("qwen2.5-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b-instruct"),  # a catalog file
        ("Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", "qwen2.5-0.5b-instruct"),  # any case
        ("qwen2.5-1.5b-instruct-q6_k.gguf", "qwen2.5-1.5b-instruct"),  # another quantization
        ("/models/SmolLM2-360M-Instruct-Q6_K_L.gguf", "smollm2-360m-instruct"),
        ("SmolLM2-135M-Instruct.Q4_1.gguf", None),  # the starter is not in the catalog
        ("qwen2.5-0.5b-instruct.gguf", None),  # no quantization: not guessed
        ("my-own-model-q4_k_m.gguf", None),
    ],
)
def test_a_file_is_matched_to_its_catalog_model(filename: str, model_id: str | None):
    model = catalog_model_for_file(load_catalog(), filename)
    assert (model.id if model else None) == model_id
