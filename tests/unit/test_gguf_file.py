"""read_gguf: the real starter model, factory-made files, and a corpus of broken ones."""

from __future__ import annotations

import random
import struct
import time

import pytest

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.models import (
    GGML_TYPES,
    ArraySummary,
    GGUFValueType,
    format_bytes,
    format_param_count,
    read_gguf,
)
from tests.helpers.gguf_factory import (
    TINY_TENSORS,
    build_gguf,
    require_starter_model,
    tiny_metadata,
    typed,
    write_gguf,
    write_tiny_gguf,
)

V = GGUFValueType
BASE = build_gguf(tiny_metadata(), TINY_TENSORS)
U64 = struct.Struct("<Q")
U32 = struct.Struct("<I")


# -- the real starter model -----------------------------------------------------------


def test_starter_model_parses():
    path = require_starter_model()
    start = time.perf_counter()
    info = read_gguf(path)
    elapsed = time.perf_counter() - start
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.chat_template is not None
    assert "im_start" in info.chat_template
    assert info.version == 3
    assert info.size_label == "135M"
    assert 130_000_000 < info.parameter_count < 140_000_000
    assert info.tensor_count == len(info.tensors) > 100
    assert info.bos_token_id == 1
    assert info.eos_token_id == 2
    assert info.license == "apache-2.0"
    assert info.file_size == path.stat().st_size
    assert info.data_end == info.file_size  # the last tensor ends exactly at the end
    tokens = info.metadata["tokenizer.ggml.tokens"]
    assert isinstance(tokens, ArraySummary)
    assert tokens.element_type == "string"
    assert tokens.length == len(tokens) == 49152
    assert len(tokens.head) == 64
    assert tokens.head[1] == "<|im_start|>"
    assert elapsed < 1.0, f"parsing took {elapsed:.2f}s"


@pytest.mark.parametrize("keep", [0, 100_000])
def test_starter_model_array_keep_limit(keep):
    info = read_gguf(require_starter_model(), max_array_items_kept=keep)
    tokens = info.metadata["tokenizer.ggml.tokens"]
    if keep:
        assert isinstance(tokens, list)
        assert len(tokens) == 49152
    else:
        assert tokens == ArraySummary("string", 49152, ())


@pytest.mark.parametrize(
    "size",
    [10, 1024, 1 << 20, "half", "all but one byte"],
    ids=["10B", "1KB", "1MB", "half", "minus-1-byte"],
)
def test_truncated_starter_model_is_refused(tmp_path, size):
    src = require_starter_model()
    total = src.stat().st_size
    n = {"half": total // 2, "all but one byte": total - 1}.get(size, size)
    assert isinstance(n, int)
    dst = tmp_path / src.name
    with src.open("rb") as fin, dst.open("wb") as fout:
        remaining = n
        while remaining:
            chunk = fin.read(min(remaining, 1 << 22))
            fout.write(chunk)
            remaining -= len(chunk)
    with pytest.raises(BadModelFile, match="truncated") as exc:
        read_gguf(dst)
    assert src.name in str(exc.value)


# -- factory-made files ---------------------------------------------------------------


def test_factory_file_round_trips_every_value_type(tmp_path):
    md = {
        "general.architecture": "llama",
        "u8": typed(200, V.UINT8),
        "i8": typed(-100, V.INT8),
        "u16": typed(60000, V.UINT16),
        "i16": typed(-30000, V.INT16),
        "u32": typed(4_000_000_000, V.UINT32),
        "i32": typed(-2_000_000_000, V.INT32),
        "f32": typed(1.5, V.FLOAT32),
        "bool": True,
        "str": "héllo ✓",
        "u64": typed(1 << 60, V.UINT64),
        "i64": typed(-(1 << 60), V.INT64),
        "f64": typed(1e300, V.FLOAT64),
        "arr.f32": typed([0.5, 1.5], V.ARRAY, V.FLOAT32),
        "arr.bool": [True, False, True],
        "arr.str": ["a", "", "ü"],
        "arr.nested": [[1, 2], [3], []],
        "arr.nested.str": [["x", "y"], ["z"]],
        "arr.empty": [],
        "arr.long": list(range(100)),
        "arr.long.str": [f"t{i}" for i in range(100)],
        "arr.long.nested": [[i, i] for i in range(70)],
    }
    path = write_gguf(tmp_path / "all-types.gguf", md, TINY_TENSORS)
    info = read_gguf(path)
    m = info.metadata
    assert m["u8"] == 200 and m["i8"] == -100 and m["u16"] == 60000 and m["i16"] == -30000
    assert m["u32"] == 4_000_000_000 and m["i32"] == -2_000_000_000
    assert m["f32"] == 1.5 and m["bool"] is True and m["str"] == "héllo ✓"
    assert m["u64"] == 1 << 60 and m["i64"] == -(1 << 60) and m["f64"] == 1e300
    assert m["arr.f32"] == [0.5, 1.5]
    assert m["arr.bool"] == [True, False, True]
    assert m["arr.str"] == ["a", "", "ü"]
    assert m["arr.nested"] == [[1, 2], [3], []]
    assert m["arr.nested.str"] == [["x", "y"], ["z"]]
    assert m["arr.empty"] == []
    assert m["arr.long"] == ArraySummary("uint32", 100, tuple(range(64)))
    assert m["arr.long.str"] == ArraySummary("string", 100, tuple(f"t{i}" for i in range(64)))
    nested = m["arr.long.nested"]
    assert isinstance(nested, ArraySummary)
    assert (nested.element_type, nested.length, nested.head[3]) == ("array", 70, [3, 3])
    assert list(m) == list(md)  # file order kept


def test_tiny_model_properties(tmp_path):
    info = read_gguf(write_tiny_gguf(tmp_path / "tiny.gguf"))
    assert info.architecture == "llama"
    assert info.name == "Tiny Test Model"
    assert info.context_length == 256
    assert info.quantization == "Q4_0"
    assert info.parameter_count == 64 * 6 + 64 + 64 * 6
    assert info.size_label == "832"
    assert info.bos_token_id == 1 and info.eos_token_id == 2
    assert info.license is None
    assert "im_start" in (info.chat_template or "")
    assert info.data_offset == BASE.data_offset
    assert info.data_end == len(BASE.data)
    assert [t.name for t in info.tensors] == [t[0] for t in TINY_TENSORS]
    embd = info.tensors[0]
    assert (embd.type_name, embd.shape, embd.n_bytes) == ("Q4_0", (64, 6), 12 * 18)


def test_fallbacks_without_optional_metadata(tmp_path):
    path = write_gguf(
        tmp_path / "bare-model.gguf",
        {"general.architecture": "qwen2"},
        [
            ("a", "Q8_0", (32, 10)),
            ("b", "Q8_0", (64, 10)),
            ("c", "F32", (4096,)),
            ("d", "F16", (32, 3)),
        ],
    )
    info = read_gguf(path)
    assert info.name == "bare-model"
    assert info.context_length is None
    assert info.quantization == "Q8_0"  # the type holding most weights, ignoring 1-D tensors
    assert info.chat_template is None
    assert info.bos_token_id is None
    assert info.size_label == format_param_count(32 * 10 + 64 * 10 + 4096 + 96)


def test_file_type_guessed_flag_and_unknown_value(tmp_path):
    info = read_gguf(
        write_gguf(tmp_path / "a.gguf", {"general.file_type": 1024 + 15}, TINY_TENSORS)
    )
    assert info.quantization == "Q4_K_M"
    info = read_gguf(write_gguf(tmp_path / "b.gguf", {"general.file_type": 999}, TINY_TENSORS))
    assert info.quantization == "Q4_0"  # unknown ftype: fall back to the tensors


def test_version_2_is_accepted(tmp_path):
    info = read_gguf(write_gguf(tmp_path / "v2.gguf", tiny_metadata(), TINY_TENSORS, version=2))
    assert info.version == 2


def test_no_tensors_is_accepted(tmp_path):
    info = read_gguf(write_gguf(tmp_path / "vocab-only.gguf", tiny_metadata(), []))
    assert info.tensor_count == 0
    assert info.quantization == "Q4_0"
    assert info.parameter_count == 0


def test_custom_alignment(tmp_path):
    md = tiny_metadata(extra={"general.alignment": typed(64, V.UINT32)})
    path = write_gguf(tmp_path / "a64.gguf", md, TINY_TENSORS)
    info = read_gguf(path)
    assert info.alignment == 64
    assert info.data_offset % 64 == 0


def test_invalid_utf8_in_string_value_is_replaced(tmp_path):
    b = build_gguf(tiny_metadata(extra={"general.description": "abcd"}), TINY_TENSORS)
    value_at = b.kv("general.description").value_at
    path = tmp_path / "bad-text.gguf"
    path.write_bytes(b.patched(value_at + 8, b"a\xffcd"))
    assert read_gguf(path).metadata["general.description"] == "a\ufffdcd"


@pytest.mark.parametrize(
    ("n", "label"),
    [
        (0, "0"),
        (999, "999"),
        (135_000_000, "135M"),
        (1_710_000_000, "1.7B"),
        (7_241_000_000, "7.2B"),
        (70_000_000_000, "70B"),
        (1_500, "1.5K"),
        (10**12, "1T"),
    ],
)
def test_format_param_count(n, label):
    assert format_param_count(n) == label


def test_format_bytes():
    assert format_bytes(512) == "512 bytes"
    assert format_bytes(98_200_000) == "98.2 MB"
    assert format_bytes(41_000_000) == "41.0 MB"


def test_type_table_matches_llama_cpp():
    sizes = {t.name: (t.block_size, t.type_size) for t in GGML_TYPES.values()}
    assert sizes["Q4_1"] == (32, 20)
    assert sizes["Q8_0"] == (32, 34)
    assert sizes["Q4_K"] == (256, 144)
    assert sizes["Q6_K"] == (256, 210)
    assert sizes["IQ4_XS"] == (256, 136)
    assert sizes["IQ3_S"] == (256, 110)
    assert sizes["IQ1_M"] == (256, 56)
    assert sizes["TQ1_0"] == (256, 54)
    assert sizes["MXFP4"] == (32, 17)
    assert sizes["BF16"] == (1, 2)


def test_20_gb_model_is_checked_from_its_header_only(tmp_path):
    # A sparse file: the header claims 20 GB of F32 data and the file is that long.
    tensors = [("huge.weight", "F32", (1 << 20, 5000))]
    b = build_gguf(tiny_metadata(), tensors, data_size=0)
    path = tmp_path / "huge.gguf"
    with path.open("wb") as f:
        f.write(b.data)
        f.truncate(b.data_offset + 4 * (1 << 20) * 5000)
    start = time.perf_counter()
    info = read_gguf(path)
    assert time.perf_counter() - start < 1.0
    assert info.file_size > 20 * 10**9
    assert info.parameter_count == (1 << 20) * 5000
    assert info.size_label == "5.2B"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BadModelFile, match="does not exist"):
        read_gguf(tmp_path / "nope.gguf")
    (tmp_path / "dir.gguf").mkdir()
    with pytest.raises(BadModelFile, match="folder"):
        read_gguf(tmp_path / "dir.gguf")
    assert issubclass(BadModelFile, UserError)


# -- a corpus of broken files ---------------------------------------------------------


def _u64(v: int) -> bytes:
    return U64.pack(v)


def _u32(v: int) -> bytes:
    return U32.pack(v)


def _build(md=None, tensors=None, **kw) -> bytes:
    return build_gguf(
        tiny_metadata() if md is None else md, TINY_TENSORS if tensors is None else tensors, **kw
    ).data


def _nested(depth: int):
    v: list = [1]
    for _ in range(depth):
        v = [v]
    return v


_rng = random.Random(1234)
_KV0 = BASE.kvs[0]
_TOKENS = BASE.kv("tokenizer.ggml.tokens")
_TEMPLATE = BASE.kv("tokenizer.chat_template")
_T0 = BASE.tensors[0]
_T_LAST = BASE.tensors[-1]

CORPUS: list[tuple[str, bytes, str]] = [
    ("empty", b"", "empty"),
    ("three-bytes", b"GGU", "only 3 bytes"),
    ("zip", b"PK\x03\x04" + bytes(200), r"not a GGUF model file \(it starts with 'PK\\x03\\x04'"),
    ("random-bytes", b"\x00\x01" + _rng.randbytes(4096), "not a GGUF model file"),
    ("text-file", b"Hello, this is not a model.\n" * 20, "not a GGUF model file"),
    ("html-page", b"<!DOCTYPE html><html><body>404</body></html>", "web page"),
    ("git-lfs-pointer", b"version https://git-lfs.github.com/spec/v1\noid sha256:00\n", "LFS"),
    ("old-ggml", b"ggjt" + bytes(100), "old GGML"),
    ("version-1", BASE.patched(4, _u32(1)), "version 1"),
    ("version-99", BASE.patched(4, _u32(99)), "version 99"),
    ("version-0", BASE.patched(4, _u32(0)), "version 0"),
    ("big-endian", BASE.patched(4, struct.pack(">I", 3)), "big-endian"),
    ("only-magic", b"GGUF", "truncated"),
    ("cut-in-version", BASE.data[:6], "truncated"),
    ("cut-in-counts", BASE.data[:12], "truncated"),
    ("cut-in-kv-count", BASE.data[:20], "truncated"),
    ("cut-after-counts", BASE.data[:24], "truncated"),
    ("cut-in-key-length", BASE.data[: _KV0.start + 3], "truncated"),
    ("cut-in-key-name", BASE.data[: _KV0.start + 10], "truncated"),
    ("cut-in-value-type", BASE.data[: _KV0.type_at + 2], "truncated"),
    ("cut-in-string-value", BASE.data[: _KV0.value_at + 10], "truncated"),
    ("cut-in-array-header", BASE.data[: _TOKENS.value_at + 6], "truncated"),
    ("cut-in-array-items", BASE.data[: _TOKENS.value_at + 30], "truncated"),
    ("cut-in-chat-template", BASE.data[: _TEMPLATE.end - 5], "truncated"),
    ("cut-before-tensor-infos", BASE.data[: BASE.tensor_info_start], "truncated"),
    ("cut-in-tensor-name", BASE.data[: _T0.start + 12], "truncated"),
    ("cut-in-tensor-dims", BASE.data[: _T0.dims_at + 4], "truncated"),
    ("cut-in-tensor-offset", BASE.data[: _T_LAST.offset_at + 3], "truncated"),
    ("cut-in-padding", BASE.data[: BASE.header_end + 1], "truncated"),
    ("cut-in-tensor-data", BASE.data[: BASE.data_offset + 10], "tensor data runs to"),
    ("cut-last-byte", BASE.data[:-1], "tensor data runs to"),
    ("huge-tensor-count", BASE.patched(8, _u64(1 << 40)), "1,099,511,627,776 tensors"),
    ("tensor-count-too-big-for-file", BASE.patched(8, _u64(100_000)), "cannot fit"),
    ("huge-kv-count", BASE.patched(16, _u64(1 << 62)), "metadata entries"),
    ("kv-count-too-big-for-file", BASE.patched(16, _u64(500_000)), "cannot fit"),
    ("max-u64-counts", BASE.patched(8, b"\xff" * 16), "tensors"),
    ("key-length-past-eof", BASE.patched(_KV0.start, _u64(1 << 40)), "bytes long"),
    ("key-length-max-u64", BASE.patched(_KV0.start, b"\xff" * 8), "bytes long"),
    ("string-value-past-eof", BASE.patched(_KV0.value_at, _u64(10**9)), "bytes long"),
    ("array-length-past-eof", BASE.patched(_TOKENS.value_at + 4, _u64(1 << 50)), "items"),
    (
        "array-string-item-past-eof",
        BASE.patched(_TOKENS.value_at + 12, _u64(1 << 33)),
        "bytes long",
    ),
    ("unknown-value-type", BASE.patched(_KV0.type_at, _u32(13)), "unknown value type 13"),
    ("unknown-value-type-huge", BASE.patched(_KV0.type_at, _u32(0xFFFFFFFF)), "unknown value type"),
    (
        "unknown-array-element-type",
        BASE.patched(_TOKENS.value_at, _u32(42)),
        "unknown value type 42",
    ),
    ("unknown-ggml-type", BASE.patched(_T0.type_at, _u32(1000)), "unknown ggml type 1000"),
    ("removed-ggml-type-q4_2", BASE.patched(_T0.type_at, _u32(4)), "unknown ggml type 4"),
    ("n-dims-0", BASE.patched(_T0.n_dims_at, _u32(0)), "0 dimensions"),
    ("n-dims-9", BASE.patched(_T0.n_dims_at, _u32(9)), "9 dimensions"),
    ("n-dims-huge", BASE.patched(_T0.n_dims_at, _u32(0xFFFFFFFF)), "dimensions"),
    ("huge-dims", BASE.patched(_T0.dims_at, _u64(1 << 62) + _u64(1 << 62)), "impossible shape"),
    ("row-not-multiple-of-block", BASE.patched(_T0.dims_at, _u64(33)), "not a multiple"),
    (
        "misaligned-offset",
        BASE.patched(_T_LAST.offset_at, _u64(BASE.tensors[-1].data_at - BASE.data_offset + 4)),
        "alignment",
    ),
    ("offset-past-eof", BASE.patched(_T_LAST.offset_at, _u64(1 << 40)), "tensor data runs to"),
    (
        "offset-max-u64",
        BASE.patched(_T_LAST.offset_at, _u64((1 << 64) - 32)),
        "far past the end",
    ),
    ("overlapping-tensors", _build(tensor_offsets=[0, 0, 256]), "overlap"),
    ("tensor-data-past-eof", _build(data_size=100), "tensor data runs to"),
    (
        "duplicate-key",
        _build(md={**tiny_metadata(), "general.architecturX": "x"}).replace(
            b"general.architecturX", b"general.architecture"
        ),
        "appears twice",
    ),
    (
        "duplicate-tensor-name",
        _build(tensors=[("w", "F32", (8,)), ("w", "F32", (8,))]),
        "appears twice",
    ),
    ("tensor-name-too-long", _build(tensors=[("x" * 64, "F32", (8,))]), "too long"),
    ("key-not-utf8", BASE.patched(_KV0.start + 8, b"\xff\xfe"), "UTF-8"),
    ("tensor-name-not-utf8", BASE.patched(_T0.start + 8, b"\xc3\x28"), "UTF-8"),
    ("empty-key", _build(md={"": 1}), "empty name"),
    (
        "alignment-not-power-of-2",
        _build(md={"general.alignment": typed(48, V.UINT32)}),
        "power of two",
    ),
    (
        "alignment-zero",
        _build(md={"general.alignment": typed(0, V.UINT32)}, tensors=[]),
        "power of two",
    ),
    ("alignment-is-string", _build(md={"general.alignment": "32"}, tensors=[]), "power of two"),
    ("arrays-nested-too-deep", _build(md={"deep": _nested(12)}, tensors=[]), "nests arrays"),
]


def test_corpus_is_broad():
    assert len(CORPUS) >= 20
    assert len({c[0] for c in CORPUS}) == len(CORPUS)
    assert all(data != BASE.data for _, data, _ in CORPUS)


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_broken_file_is_refused(tmp_path, data, expected):
    path = tmp_path / "model.gguf"
    path.write_bytes(data)
    with pytest.raises(BadModelFile, match=expected) as exc:
        read_gguf(path)
    message = str(exc.value)
    assert message.startswith("model.gguf "), message
    assert "\n" not in message


def test_base_file_of_the_corpus_is_valid(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(BASE.data)
    assert read_gguf(path).tensor_count == 3


def test_truncated_at_every_offset_is_refused(tmp_path):
    path = tmp_path / "cut.gguf"
    for n in range(len(BASE.data)):
        path.write_bytes(BASE.data[:n])
        with pytest.raises(BadModelFile):
            read_gguf(path)


def test_fuzzed_headers_give_bad_model_file_or_parse(tmp_path):
    rng = random.Random(20240611)
    path = tmp_path / "fuzz.gguf"
    outcomes = {"ok": 0, "refused": 0}
    for _ in range(300):
        data = bytearray(BASE.data)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(4, BASE.data_offset)  # keep the magic: test the parser
            kind = rng.random()
            if kind < 0.4:
                data[pos] ^= 1 << rng.randrange(8)
            elif kind < 0.7:
                data[pos] = rng.choice([0, 1, 0x7F, 0x80, 0xFF])
            else:
                chunk = rng.choice(
                    [b"\xff" * 8, _u64(rng.getrandbits(64)), _u64(rng.randrange(1, 300))]
                )
                data[pos : pos + 8] = chunk
        if rng.random() < 0.2:
            del data[rng.randrange(len(data)) :]
        path.write_bytes(bytes(data))
        try:
            read_gguf(path)
        except BadModelFile:
            outcomes["refused"] += 1
        else:
            outcomes["ok"] += 1
    assert outcomes["refused"] > 100


@pytest.mark.parametrize("stated", [0, 1 << 40])
def test_a_context_length_no_model_has_counts_as_not_stated(tmp_path, stated: int) -> None:
    info = read_gguf(write_tiny_gguf(tmp_path / "m.gguf", {"llama.context_length": stated}))
    assert info.context_length is None
    assert info.stated_context_length == stated
