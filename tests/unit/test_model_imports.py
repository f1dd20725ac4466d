"""Registry: import by copy or by reference, remove, broken marks, and a corpus of
malformed GGUF files refused by the import path with a message."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.models import Cancelled, ModelRegistry, ModelSummary, read_gguf
from desktop_llm.core.models.metadata import gguf_metadata
from tests.helpers.gguf_factory import (
    TINY_TENSORS,
    build_gguf,
    require_starter_model,
    tiny_metadata,
    write_tiny_gguf,
)

BASE = build_gguf(tiny_metadata(), TINY_TENSORS)
U64 = struct.Struct("<Q")
U32 = struct.Struct("<I")


@pytest.fixture
def registry(tmp_path: Path) -> ModelRegistry:
    return ModelRegistry(tmp_path / "models", include_bundled=False)


def test_import_copy_with_progress_and_cancel(registry: ModelRegistry, tmp_path: Path):
    src = write_tiny_gguf(tmp_path / "mine" / "Tiny-Q4_0.gguf")
    seen: list[tuple[int, int]] = []
    m = registry.import_copy(src, progress=lambda d, t: seen.append((d, t)))
    assert m.source == "local" and m.path == registry.models_dir / "Tiny-Q4_0.gguf"
    assert m.path.read_bytes() == src.read_bytes()
    assert seen[-1] == (src.stat().st_size, src.stat().st_size)
    assert m.quantization == "Q4_0" and m.broken is None and m.removable
    # A second, different file of the same name gets its own name; nothing is overwritten.
    other = write_tiny_gguf(tmp_path / "other" / "Tiny-Q4_0.gguf", {"general.name": "Other"})
    m2 = registry.import_copy(other)
    assert m2.path.name == "Tiny-Q4_0-2.gguf"
    with pytest.raises(Cancelled):
        registry.import_copy(
            write_tiny_gguf(tmp_path / "x" / "Stop.gguf"), should_stop=lambda: True
        )
    names = sorted(p.name for p in registry.models_dir.rglob("*") if p.is_file())
    assert names == ["Tiny-Q4_0-2.gguf", "Tiny-Q4_0.gguf"]  # no temporary left


def test_import_reference_remove_and_broken_marks(registry: ModelRegistry, tmp_path: Path):
    src = write_tiny_gguf(tmp_path / "elsewhere" / "Ref.Q8_0.gguf")
    m = registry.import_reference(src)
    assert m.source == "imported" and m.path == src.resolve()
    assert (registry.models_dir / "imported.json").exists()
    again = ModelRegistry(registry.models_dir, include_bundled=False)  # persisted
    assert [x.name for x in again.list()] == ["Ref.Q8_0"]
    assert again.resolve("Ref.Q8_0").source == "imported"

    registry.mark_broken(m, "llama.cpp stopped with SIGABRT while loading it")
    (listed,) = ModelRegistry(registry.models_dir, include_bundled=False).list()
    assert listed.broken == "llama.cpp stopped with SIGABRT while loading it"
    registry.clear_broken(listed)
    assert registry.list()[0].broken is None

    assert registry.remove(m) == 0  # forgotten, never deleted: the file is the user's
    assert src.exists() and registry.list() == []

    local = registry.import_copy(src)
    size = local.size_bytes
    registry.mark_broken(local, "crashed")
    assert registry.remove(local) == size
    assert not local.path.exists() and registry.list() == []
    assert ModelRegistry(registry.models_dir).list()  # the bundled model is still there


def test_bundled_and_outside_files_are_never_deleted(registry: ModelRegistry, tmp_path: Path):
    starter = ModelRegistry(registry.models_dir).list()[0]
    assert starter.source == "bundled" and not starter.removable
    with pytest.raises(UserError, match="comes with the app"):
        registry.remove(starter)
    assert require_starter_model().exists()
    outside = write_tiny_gguf(tmp_path / "outside.gguf")
    fake = registry.resolve(str(outside))  # a path the user gave
    with pytest.raises(UserError, match="not in the models folder"):
        registry.remove(fake)
    assert outside.exists()


def test_metadata_and_summary_of_the_starter_model():
    path = require_starter_model()
    rows = dict(gguf_metadata(path))
    assert rows["general.architecture"] == "llama"
    assert rows["tokenizer.ggml.tokens"] == "array of 49,152 strings"
    assert rows["llama.context_length"] == "8192"
    assert "GGUF.version" not in rows
    s = ModelSummary.from_info(read_gguf(path))
    assert (s.architecture, s.parameters, s.quantization) == ("llama", "135M", "Q4_1")
    assert s.context_length == 8192 and s.has_chat_template and s.licence == "apache-2.0"
    assert s.size_bytes == path.stat().st_size and s.size_text.endswith("MB")


def test_metadata_of_a_small_file(tmp_path: Path):
    rows = dict(gguf_metadata(write_tiny_gguf(tmp_path / "t.gguf")))
    assert rows["tokenizer.ggml.tokens"] == "[<unk>, <|im_start|>, <|im_end|>, a, b, c]"
    assert rows["general.name"] == "Tiny Test Model"
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\xff" * 40)
    with pytest.raises(BadModelFile, match="cannot be read as a GGUF file"):
        gguf_metadata(bad)


# -- malformed files: refused by both import paths, with read_gguf's message -------------


def _corpus() -> list[tuple[str, bytes]]:
    d = BASE.data
    kv_name = BASE.kv("general.name")
    tokens = BASE.kv("tokenizer.ggml.tokens")
    tensor = BASE.tensor("token_embd.weight")
    out: list[tuple[str, bytes]] = [
        ("empty", b""),
        ("wrong magic", b"GGML" + d[4:]),
        ("html page", b"<!DOCTYPE html><html>Repository not found</html>"),
        ("safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}" + bytes(64)),
        ("version 1", BASE.patched(4, U32.pack(1))),
        ("version 99", BASE.patched(4, U32.pack(99))),
        ("huge tensor count", BASE.patched(8, U64.pack(2**62))),
        ("huge kv count", BASE.patched(16, U64.pack(2**62))),
        ("key length past end", BASE.patched(kv_name.start, U64.pack(2**40))),
        ("string value past end", BASE.patched(kv_name.value_at, U64.pack(len(d) * 10))),
        ("bad value type", BASE.patched(kv_name.type_at, U32.pack(77))),
        ("array length past end", BASE.patched(tokens.value_at + 4, U64.pack(2**50))),
        ("tensor dims 9", BASE.patched(tensor.n_dims_at, U32.pack(9))),
        ("tensor type 4 (removed)", BASE.patched(tensor.type_at, U32.pack(4))),
        ("tensor offset past end", BASE.patched(tensor.offset_at, U64.pack(2**40))),
        ("data cut short", d[: BASE.data_offset + 10]),
    ]
    for cut in (3, 7, 15, 23, kv_name.start + 3, kv_name.value_at + 2, tokens.end - 1):
        out.append((f"truncated at {cut}", d[:cut]))
    out.append(("truncated in tensor infos", d[: BASE.tensor_info_start + 5]))
    return out


CORPUS = _corpus()


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 20


@pytest.mark.parametrize(("label", "data"), CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_files_are_refused_on_import(
    registry: ModelRegistry, tmp_path: Path, label: str, data: bytes
):
    bad = tmp_path / "incoming" / "Broken-Q4_K_M.gguf"
    bad.parent.mkdir()
    bad.write_bytes(data)
    with pytest.raises(BadModelFile) as e:
        registry.import_copy(bad)
    message = str(e.value)
    assert "Broken-Q4_K_M.gguf" in message and "\n" not in message
    with pytest.raises(BadModelFile) as e2:
        registry.import_reference(bad)
    assert str(e2.value) == message
    assert registry.list() == []
    assert not (registry.models_dir / "imported.json").exists()
    leftover = [p for p in registry.models_dir.rglob("*") if p.is_file()]
    assert leftover == []


def test_not_a_gguf_name_or_missing(registry: ModelRegistry, tmp_path: Path):
    with pytest.raises(UserError, match="does not exist"):
        registry.import_copy(tmp_path / "nope.gguf")
    txt = tmp_path / "notes.txt"
    txt.write_text("hi", encoding="utf-8")
    with pytest.raises(BadModelFile, match=r"does not end in \.gguf"):
        registry.import_reference(txt)


def test_summary_names_the_languages_a_file_declares(tmp_path: Path):
    assert ModelSummary.from_info(read_gguf(require_starter_model())).languages == ("en",)
    assert ModelSummary.from_info(read_gguf(write_tiny_gguf(tmp_path / "t.gguf"))).languages == ()
