"""Read and check the header of a GGUF model file, in pure Python.

read_gguf() parses the magic, version, every metadata key/value and every tensor info, then
checks that each tensor's data lies inside the file. It reads only the header (through a
small buffer, in bounded reads), so a 20 GB model is checked in milliseconds, and it refuses
absurd counts and lengths before allocating anything. Anything malformed raises
BadModelFile with a message that names the file and the problem in plain words; no other
exception (struct.error, UnicodeDecodeError, MemoryError, RecursionError...) escapes.

Text: key names and tensor names must be valid UTF-8 (a file with broken names is refused).
String *values* are decoded with errors="replace": llama.cpp loads such files, and a
stray byte in a description or a vocabulary entry is no reason to refuse a model.

A header that parses is not proof that llama.cpp will load the file: this is the first
check, not the only one. A file that passes and still kills llama.cpp while loading is
caught as a crash of the inference process (docs/architecture.md, "Validation").

Format reference: ggml's docs/gguf.md; type tables from llama.cpp (ggml.h / ggml.c type
traits, llama.h LLAMA_FTYPE, gguf-py constants.py).
"""

from __future__ import annotations

import math
import os
import struct
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from desktop_llm.core.errors import BadModelFile
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.text_files import NotRegularFile, open_regular_file

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
GGML_MAX_DIMS = 4
GGML_MAX_NAME = 64  # llama.cpp refuses tensor names of this many bytes or more

MAX_TENSOR_COUNT = 1_000_000
MAX_KV_COUNT = 1_000_000
MAX_KEY_BYTES = 65_535
MAX_STRING_VALUE_BYTES = 256 * 1024 * 1024  # a kept metadata string; real ones are < 20 MB
MAX_ARRAY_DEPTH = 8
# Past any model's trained context (the longest today: 10M tokens).
MAX_PLAUSIBLE_CONTEXT = 1 << 24
_IMPLAUSIBLE_FILE_SIZE = 10**14  # 100 TB: past this, "truncated" would mislead

_CHUNK = 1 << 20  # bytes read from the file at a time

# What a message names ("metadata key 'x'", "tensor info 3 of 291"): a template marked for
# translation and its values, put in words only when a file is refused (read_gguf builds
# one per metadata entry and per tensor; translating each would slow every model load).
Words = tuple[Any, ...]
_THE_HEADER = QT_TRANSLATE_NOOP("GGUF", "the header")
_THE_FORMAT_VERSION = QT_TRANSLATE_NOOP("GGUF", "the format version")
_THE_COUNTS = QT_TRANSLATE_NOOP("GGUF", "the tensor and metadata counts")
_ENTRY_N_OF = QT_TRANSLATE_NOOP("GGUF", "metadata entry %1 of %2")
_NAME_OF_ENTRY = QT_TRANSLATE_NOOP("GGUF", "the name of metadata entry %1")
_VALUE_OF_KEY = QT_TRANSLATE_NOOP("GGUF", "the value of metadata key '%1'")
_KEY = QT_TRANSLATE_NOOP("GGUF", "metadata key '%1'")
_AN_ITEM_OF = QT_TRANSLATE_NOOP("GGUF", "an item of %1")
_TENSOR_N_OF = QT_TRANSLATE_NOOP("GGUF", "tensor info %1 of %2")
_NAME_OF_TENSOR = QT_TRANSLATE_NOOP("GGUF", "the name of tensor %1")


def _words(value: object) -> object:
    """A Words tuple in the window's language (other values as they are)."""
    if isinstance(value, tuple):
        return arg(translate("GGUF", value[0]), *(_words(v) for v in value[1:]))
    return value


class GGUFValueType:
    """Metadata value types (gguf.md, enum gguf_type)."""

    UINT8 = 0
    INT8 = 1
    UINT16 = 2
    INT16 = 3
    UINT32 = 4
    INT32 = 5
    FLOAT32 = 6
    BOOL = 7
    STRING = 8
    ARRAY = 9
    UINT64 = 10
    INT64 = 11
    FLOAT64 = 12


VALUE_TYPE_NAMES: dict[int, str] = {
    v: k.lower() for k, v in vars(GGUFValueType).items() if not k.startswith("_")
}

# value type -> struct format character (little-endian) and size; bool is read as uint8.
_SCALAR_FORMATS: dict[int, tuple[str, int]] = {
    GGUFValueType.UINT8: ("B", 1),
    GGUFValueType.INT8: ("b", 1),
    GGUFValueType.UINT16: ("H", 2),
    GGUFValueType.INT16: ("h", 2),
    GGUFValueType.UINT32: ("I", 4),
    GGUFValueType.INT32: ("i", 4),
    GGUFValueType.FLOAT32: ("f", 4),
    GGUFValueType.BOOL: ("B", 1),
    GGUFValueType.UINT64: ("Q", 8),
    GGUFValueType.INT64: ("q", 8),
    GGUFValueType.FLOAT64: ("d", 8),
}
_SCALAR_STRUCTS = {t: struct.Struct("<" + fmt) for t, (fmt, _) in _SCALAR_FORMATS.items()}


@dataclass(frozen=True)
class GGMLType:
    id: int
    name: str
    block_size: int  # elements per block
    type_size: int  # bytes per block


_QK_K = 256
# ggml type id -> (name, block size, bytes per block), from llama.cpp's ggml type traits.
# Removed ids (4, 5: Q4_2/Q4_3; 31-33: Q4_0_4_4...; 36-38: IQ4_NL_4_4...) are refused.
GGML_TYPES: dict[int, GGMLType] = {
    t[0]: GGMLType(*t)
    for t in (
        (0, "F32", 1, 4),
        (1, "F16", 1, 2),
        (2, "Q4_0", 32, 2 + 16),
        (3, "Q4_1", 32, 2 + 2 + 16),
        (6, "Q5_0", 32, 2 + 4 + 16),
        (7, "Q5_1", 32, 2 + 2 + 4 + 16),
        (8, "Q8_0", 32, 2 + 32),
        (9, "Q8_1", 32, 4 + 4 + 32),
        (10, "Q2_K", _QK_K, 2 + 2 + _QK_K // 16 + _QK_K // 4),
        (11, "Q3_K", _QK_K, 2 + _QK_K // 4 + _QK_K // 8 + 12),
        (12, "Q4_K", _QK_K, 2 + 2 + _QK_K // 2 + 12),
        (13, "Q5_K", _QK_K, 2 + 2 + _QK_K // 2 + _QK_K // 8 + 12),
        (14, "Q6_K", _QK_K, 2 + _QK_K // 2 + _QK_K // 4 + _QK_K // 16),
        (15, "Q8_K", _QK_K, 4 + _QK_K + _QK_K // 8),
        (16, "IQ2_XXS", _QK_K, 2 + _QK_K // 4),
        (17, "IQ2_XS", _QK_K, 2 + _QK_K // 4 + _QK_K // 32),
        (18, "IQ3_XXS", _QK_K, 2 + _QK_K // 4 + _QK_K // 8),
        (19, "IQ1_S", _QK_K, 2 + _QK_K // 8 + _QK_K // 16),
        (20, "IQ4_NL", 32, 2 + 16),
        (21, "IQ3_S", _QK_K, 2 + _QK_K // 4 + _QK_K // 8 + _QK_K // 32 + 4),
        (22, "IQ2_S", _QK_K, 2 + _QK_K // 4 + _QK_K // 16),
        (23, "IQ4_XS", _QK_K, 2 + 2 + _QK_K // 2 + _QK_K // 64),
        (24, "I8", 1, 1),
        (25, "I16", 1, 2),
        (26, "I32", 1, 4),
        (27, "I64", 1, 8),
        (28, "F64", 1, 8),
        (29, "IQ1_M", _QK_K, _QK_K // 8 + _QK_K // 16 + _QK_K // 32),
        (30, "BF16", 1, 2),
        (34, "TQ1_0", _QK_K, 2 + 4 * 13),
        (35, "TQ2_0", _QK_K, 2 + 64),
        (39, "MXFP4", 32, 1 + 16),
        (40, "NVFP4", 64, 4 + 32),
    )
}
GGML_TYPE_IDS: dict[str, int] = {t.name: t.id for t in GGML_TYPES.values()}

# llama.h enum llama_ftype (general.file_type) -> label. 1024 (LLAMA_FTYPE_GUESSED) is a flag.
LLAMA_FTYPES: dict[int, str] = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    4: "Q4_1_SOME_F16",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4_MOE",
}
LLAMA_FTYPE_GUESSED = 1024

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")


@dataclass(frozen=True)
class ArraySummary:
    """A metadata array too long to keep: its element type, length and first items."""

    element_type: str
    length: int
    head: tuple[Any, ...]

    def __len__(self) -> int:
        return self.length


@dataclass(frozen=True)
class GGUFTensor:
    name: str
    shape: tuple[int, ...]  # ggml order: shape[0] is the row length
    ggml_type: int
    offset: int  # relative to the start of the data section
    n_elements: int
    n_bytes: int

    @property
    def type_name(self) -> str:
        return GGML_TYPES[self.ggml_type].name


@dataclass(frozen=True)
class GGUFInfo:
    """What read_gguf() found. metadata maps key -> value; long arrays are ArraySummary."""

    path: Path
    file_size: int
    version: int
    tensor_count: int
    metadata: Mapping[str, Any]
    tensors: tuple[GGUFTensor, ...]
    alignment: int
    data_offset: int  # where the tensor data section starts
    data_end: int  # end of the last tensor's data

    # -- convenience -------------------------------------------------------------------

    def _str(self, key: str) -> str | None:
        v = self.metadata.get(key)
        return v if isinstance(v, str) else None

    def _int(self, key: str) -> int | None:
        v = self.metadata.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    @property
    def kv_count(self) -> int:
        return len(self.metadata)

    @property
    def architecture(self) -> str | None:
        return self._str("general.architecture")

    @property
    def name(self) -> str:
        return (self._str("general.name") or "").strip() or self.path.stem

    @property
    def stated_context_length(self) -> int | None:
        """{arch}.context_length as the file has it, plausible or not."""
        arch = self.architecture
        return self._int(f"{arch}.context_length") if arch else None

    @property
    def context_length(self) -> int | None:
        """The context the model was trained for; None when the file does not say, or says
        something no model has (0, or more than MAX_PLAUSIBLE_CONTEXT). Such a file is not
        refused: the weights do not depend on this number, and the app loads every model
        with its own context setting anyway; ModelHost notes it in the log."""
        stated = self.stated_context_length
        if stated is None or not 0 < stated <= MAX_PLAUSIBLE_CONTEXT:
            return None
        return stated

    @property
    def file_type(self) -> int | None:
        return self._int("general.file_type")

    @property
    def quantization(self) -> str | None:
        """A label such as 'Q4_1' or 'Q4_K_M', from general.file_type, else the tensors."""
        ftype = self.file_type
        if ftype is not None:
            label = LLAMA_FTYPES.get(ftype & ~LLAMA_FTYPE_GUESSED)
            if label:
                return label
        return self.dominant_tensor_type

    @property
    def dominant_tensor_type(self) -> str | None:
        """The ggml type holding the most weights (tensors of 2+ dims; else all tensors)."""
        weights = [t for t in self.tensors if len(t.shape) >= 2] or list(self.tensors)
        if not weights:
            return None
        counts: Counter[str] = Counter()
        for t in weights:
            counts[t.type_name] += t.n_elements
        return counts.most_common(1)[0][0]

    @property
    def parameter_count(self) -> int:
        return sum(t.n_elements for t in self.tensors)

    @property
    def size_label(self) -> str:
        return (self._str("general.size_label") or "").strip() or format_param_count(
            self.parameter_count
        )

    @property
    def chat_template(self) -> str | None:
        return self._str("tokenizer.chat_template")

    @property
    def license(self) -> str | None:
        return self._str("general.license")

    @property
    def bos_token_id(self) -> int | None:
        return self._int("tokenizer.ggml.bos_token_id")

    @property
    def eos_token_id(self) -> int | None:
        return self._int("tokenizer.ggml.eos_token_id")


def format_param_count(n: int) -> str:
    """135_000_000 -> '135M', 1_711_000_000 -> '1.7B', 7_000_000_000 -> '7B'."""
    for unit, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K")):
        if n >= unit:
            value = n / unit
            text = f"{value:.1f}" if value < 9.95 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return str(n)


def format_bytes(n: int) -> str:
    """Sizes in words for messages: '41.0 MB', '512 bytes'."""
    if n < 1000:
        return _bytes_text(f"{n}")
    for unit, suffix in ((10**12, "TB"), (10**9, "GB"), (10**6, "MB"), (10**3, "KB")):
        if n >= unit:
            return f"{n / unit:.1f} {suffix}"
    return _bytes_text(f"{n}")  # pragma: no cover


def _bytes_text(number: str) -> str:
    return arg(translate("GGUF", "%1 bytes"), number)


# -- reading --------------------------------------------------------------------------


class _Reader:
    """Bounded little-endian reads from a buffered window over the file."""

    def __init__(self, f: BinaryIO, size: int, label: str) -> None:
        self._f = f
        self.size = size
        self.label = label
        self._buf = b""
        self._off = 0
        self.pos = 0
        self.context: Words = (_THE_HEADER,)

    def fail(self, message: str, *values: object) -> BadModelFile:
        """BadModelFile with a translated message: %1 is the file's name, %2.. the values
        (Words are put in words here, only when the file is refused)."""
        return BadModelFile(arg(message, self.label, *(_words(v) for v in values)))

    def truncated(self) -> BadModelFile:
        return self.fail(
            translate(
                "GGUF",
                "%1 is truncated: the file ends after %2, in the middle of its header "
                "(while reading %3).",
            ),
            format_bytes(self.size),
            self.context,
        )

    @property
    def remaining(self) -> int:
        return self.size - self.pos

    def take(self, n: int) -> tuple[bytes, int]:
        """Consume n bytes; returns (buffer, index of the first of them)."""
        i = self.pos - self._off
        if i + n > len(self._buf):
            if n > self.remaining:
                raise self.truncated()
            try:
                self._f.seek(self.pos)
                data = self._f.read(max(n, _CHUNK))
            except OSError as e:
                raise self.fail(
                    translate("GGUF", "%1 could not be read: %2."), e.strerror or e
                ) from e
            if len(data) < n:  # the file shrank while we read it
                raise self.truncated()
            self._buf, self._off, i = data, self.pos, 0
        self.pos += n
        return self._buf, i

    def skip(self, n: int) -> None:
        if n > self.remaining:
            raise self.truncated()
        self.pos += n

    def u32(self) -> int:
        return _U32.unpack_from(*self.take(4))[0]

    def u64(self) -> int:
        return _U64.unpack_from(*self.take(8))[0]

    def string_too_long(self, what: Words, n: int) -> BadModelFile:
        return self.fail(
            translate(
                "GGUF",
                "%1 is corrupt or truncated: %2 claims to be %3 bytes long, "
                "but only %4 bytes are left in the file.",
            ),
            what,
            f"{n:,}",
            f"{self.remaining:,}",
        )

    def raw_string(self, what: Words, limit: int) -> bytes:
        n = self.u64()
        if n > self.remaining:
            raise self.string_too_long(what, n)
        if n > limit:
            raise self.fail(
                translate("GGUF", "%1 is corrupt: %2 is %3 bytes long (at most %4)."),
                what,
                f"{n:,}",
                f"{limit:,}",
            )
        buf, i = self.take(n)
        return buf[i : i + n]

    def name_string(self, what: Words, limit: int) -> str:
        data = self.raw_string(what, limit)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise self.fail(
                translate("GGUF", "%1 is corrupt: %2 is not valid UTF-8 text (%3)."),
                what,
                repr(data[:40]),
            ) from None

    def skip_string(self, what: Words) -> None:
        n = self.u64()
        if n > self.remaining:
            raise self.string_too_long(what, n)
        self.pos += n

    def skip_strings(self, count: int, what: Words) -> None:
        """skip_string() count times; a tight loop over the buffer, since a vocabulary
        holds ~100k strings and this runs on the thread that starts a model."""
        unpack = _U64.unpack_from
        while count:
            buf, i = self._buf, self.pos - self._off
            end = len(buf)
            while count and i >= 0 and i + 8 <= end:
                n = unpack(buf, i)[0]
                if i + 8 + n > end:
                    break
                i += 8 + n
                count -= 1
            if 0 <= i <= end:
                self.pos = self._off + i
            if count:  # the next string crosses the buffer's end: the checked slow path
                self.skip_string(what)
                count -= 1


def _read_value(r: _Reader, vtype: int, what: Words, keep: int, depth: int = 0) -> Any:
    if vtype == GGUFValueType.STRING:
        return r.raw_string(what, MAX_STRING_VALUE_BYTES).decode("utf-8", errors="replace")
    scalar = _SCALAR_STRUCTS.get(vtype)
    if scalar is not None:
        v = scalar.unpack_from(*r.take(scalar.size))[0]
        return bool(v) if vtype == GGUFValueType.BOOL else v
    if vtype == GGUFValueType.ARRAY:
        return _read_array(r, what, keep, depth)
    raise r.fail(translate("GGUF", "%1 is corrupt: %2 has unknown value type %3."), what, vtype)


_MIN_ITEM_SIZE = {GGUFValueType.STRING: 8, GGUFValueType.ARRAY: 12}


def _read_array(r: _Reader, what: Words, keep: int, depth: int) -> Any:
    if depth >= MAX_ARRAY_DEPTH:
        raise r.fail(
            translate("GGUF", "%1 is corrupt: %2 nests arrays more than %3 deep."),
            what,
            MAX_ARRAY_DEPTH,
        )
    etype = r.u32()
    n = r.u64()
    if etype in _SCALAR_FORMATS:
        item_size = _SCALAR_FORMATS[etype][1]
    elif etype in _MIN_ITEM_SIZE:
        item_size = _MIN_ITEM_SIZE[etype]
    else:
        raise r.fail(
            translate("GGUF", "%1 is corrupt: %2 is an array of unknown value type %3."),
            what,
            etype,
        )
    if n * item_size > r.remaining:
        raise r.fail(
            translate(
                "GGUF",
                "%1 is corrupt or truncated: %2 claims %3 items, more than the "
                "%4 bytes left in the file can hold.",
            ),
            what,
            f"{n:,}",
            f"{r.remaining:,}",
        )
    kept = min(n, keep)
    if etype in _SCALAR_FORMATS:
        fmt = _SCALAR_FORMATS[etype][0]
        items: list[Any] = list(struct.unpack_from(f"<{kept}{fmt}", *r.take(kept * item_size)))
        if etype == GGUFValueType.BOOL:
            items = [bool(x) for x in items]
        r.skip((n - kept) * item_size)
    else:
        # Nested items are described by the outermost key, not by a chain of "item i of".
        item_what = (_AN_ITEM_OF, what) if depth == 0 else what
        items = [_read_value(r, etype, item_what, keep, depth + 1) for _ in range(kept)]
        if etype == GGUFValueType.STRING:
            r.skip_strings(n - kept, item_what)
        else:
            for _ in range(kept, n):
                _read_value(r, etype, item_what, 0, depth + 1)
    if n > kept:
        return ArraySummary(VALUE_TYPE_NAMES[etype], n, tuple(items))
    return items


def _describe_bad_magic(head: bytes) -> str:
    hint = ""
    if head.startswith(b"PK\x03\x04"):
        hint = translate("GGUF", "It is a zip archive.")
    elif head.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        hint = translate(
            "GGUF", "It is a web page (HTML), probably an error page saved instead of the model."
        )
    elif head.startswith(b"version https://git-lfs"):
        hint = translate("GGUF", "It is a Git LFS pointer, not the model itself.")
    elif head[:4] in (b"ggml", b"ggmf", b"ggjt", b"lmgg", b"fmgg", b"tjgg"):
        hint = translate("GGUF", "It is an old GGML-format model, which llama.cpp no longer loads.")
    elif len(head) >= 10 and head[8:10] == b'{"':
        hint = translate(
            "GGUF", "It looks like a safetensors file, which must be converted to GGUF first."
        )
    start = repr(head[:4])[1:]
    if not hint:
        return arg(translate("GGUF", "(it starts with %1, not 'GGUF')."), start)
    return arg(translate("GGUF", "(it starts with %1, not 'GGUF'). %2"), start, hint)


def not_a_regular_file(label: str) -> str:
    return arg(translate("GGUF", "%1 is not a regular file, so it cannot be a model."), label)


def read_gguf(path: Path | str, *, max_array_items_kept: int = 64) -> GGUFInfo:
    """Parse and check the GGUF header of *path*; raise BadModelFile if it is not sound."""
    path = Path(path)
    label = path.name or str(path)
    try:
        # The app's one rule for opening a given file: a FIFO or a device named x.gguf is
        # refused before it is opened (open() on a FIFO waits for a writer, forever).
        f = open_regular_file(path)
    except NotRegularFile:
        raise BadModelFile(not_a_regular_file(label)) from None
    except FileNotFoundError:
        raise BadModelFile(arg(translate("GGUF", "%1 does not exist (%2)."), label, path)) from None
    except IsADirectoryError:
        raise BadModelFile(
            arg(translate("GGUF", "%1 is a folder, not a GGUF model file."), label)
        ) from None
    except OSError as e:
        raise BadModelFile(
            arg(translate("GGUF", "%1 cannot be opened: %2."), label, e.strerror or e)
        ) from None
    with f:
        try:
            st = os.fstat(f.fileno())
        except OSError as e:  # pragma: no cover
            raise BadModelFile(
                arg(translate("GGUF", "%1 cannot be read: %2."), label, e.strerror or e)
            ) from None
        r = _Reader(f, st.st_size, label)
        try:
            return _parse(r, path, max(0, max_array_items_kept))
        except (RecursionError, MemoryError, OverflowError, struct.error, ValueError) as e:
            # Belt and braces: the checks above should make these unreachable.
            raise BadModelFile(
                arg(translate("GGUF", "%1 is corrupt and cannot be read (%2)."), label, repr(e))
            ) from None


def _parse(r: _Reader, path: Path, keep: int) -> GGUFInfo:
    label = r.label
    if r.size == 0:
        raise BadModelFile(
            arg(translate("GGUF", "%1 is empty (0 bytes), so it is not a GGUF model file."), label)
        )
    if r.size < 4:
        raise BadModelFile(
            arg(
                translate("GGUF", "%1 is not a GGUF model file: it is only %2 bytes long %3"),
                label,
                r.size,
                _describe_bad_magic(r.take(r.size)[0][: r.size]),
            )
        )
    head_len = min(r.size, 64)
    buf, i = r.take(head_len)
    head = bytes(buf[i : i + head_len])
    r.pos = 0
    if head[:4] != GGUF_MAGIC:
        raise BadModelFile(
            arg(
                translate("GGUF", "%1 is not a GGUF model file %2"),
                label,
                _describe_bad_magic(head),
            )
        )
    r.skip(4)
    r.context = (_THE_FORMAT_VERSION,)
    version = r.u32()
    if version not in SUPPORTED_VERSIONS:
        swapped = int.from_bytes(version.to_bytes(4, "little"), "big")
        if swapped in SUPPORTED_VERSIONS:
            raise r.fail(
                translate(
                    "GGUF", "%1 is a big-endian GGUF file; only little-endian files can be used."
                )
            )
        if version == 1:
            raise r.fail(
                translate(
                    "GGUF",
                    "%1 uses GGUF version 1, an early format that llama.cpp no longer loads; "
                    "download a newer conversion of this model.",
                )
            )
        raise r.fail(
            translate(
                "GGUF",
                "%1 has GGUF version %2, which this app cannot read (it reads versions %3 and %4).",
            ),
            version,
            ", ".join(map(str, SUPPORTED_VERSIONS[:-1])),
            SUPPORTED_VERSIONS[-1],
        )

    r.context = (_THE_COUNTS,)
    tensor_count = r.u64()
    kv_count = r.u64()
    # The smallest possible metadata entry is 13 bytes, the smallest tensor info 32.
    if tensor_count > MAX_TENSOR_COUNT:
        raise r.fail(
            translate(
                "GGUF", "%1 is corrupt: its header claims %2 tensors, far more than any model has."
            ),
            f"{tensor_count:,}",
        )
    if kv_count > MAX_KV_COUNT:
        raise r.fail(
            translate(
                "GGUF",
                "%1 is corrupt: its header claims %2 metadata entries, far more than "
                "any model has.",
            ),
            f"{kv_count:,}",
        )
    if tensor_count * 32 + kv_count * 13 > r.remaining:
        raise r.fail(
            translate(
                "GGUF",
                "%1 is corrupt or truncated: its header claims %2 tensors and "
                "%3 metadata entries, which cannot fit in the %4 left in the file.",
            ),
            f"{tensor_count:,}",
            f"{kv_count:,}",
            format_bytes(r.remaining),
        )

    metadata: dict[str, Any] = {}
    for n in range(kv_count):
        r.context = (_ENTRY_N_OF, n + 1, kv_count)
        key = r.name_string((_NAME_OF_ENTRY, n + 1), MAX_KEY_BYTES)
        if not key:
            raise r.fail(
                translate("GGUF", "%1 is corrupt: metadata entry %2 has an empty name."), n + 1
            )
        if key in metadata:
            raise r.fail(translate("GGUF", "%1 is corrupt: metadata key '%2' appears twice."), key)
        r.context = (_VALUE_OF_KEY, key)
        vtype = r.u32()
        metadata[key] = _read_value(r, vtype, (_KEY, key), keep)

    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if (
        not isinstance(alignment, int)
        or isinstance(alignment, bool)
        or alignment <= 0
        or alignment & (alignment - 1)
    ):
        raise r.fail(
            translate("GGUF", "%1 is corrupt: general.alignment is %2, not a power of two."),
            repr(alignment),
        )

    tensors: list[GGUFTensor] = []
    names: set[str] = set()
    for n in range(tensor_count):
        r.context = (_TENSOR_N_OF, n + 1, tensor_count)
        tname = r.name_string((_NAME_OF_TENSOR, n + 1), 1 << 16)
        if len(tname.encode("utf-8")) >= GGML_MAX_NAME:
            raise r.fail(
                translate("GGUF", "%1 is corrupt: tensor name '%2' is too long."), tname[:80]
            )
        if tname in names:
            raise r.fail(translate("GGUF", "%1 is corrupt: tensor '%2' appears twice."), tname)
        names.add(tname)
        n_dims = r.u32()
        if not 1 <= n_dims <= GGML_MAX_DIMS:
            raise r.fail(
                translate(
                    "GGUF", "%1 is corrupt: tensor '%2' has %3 dimensions (a tensor has 1 to %4)."
                ),
                tname,
                n_dims,
                GGML_MAX_DIMS,
            )
        shape = tuple(r.u64() for _ in range(n_dims))
        gtype = r.u32()
        offset = r.u64()
        traits = GGML_TYPES.get(gtype)
        if traits is None:
            raise r.fail(
                translate(
                    "GGUF",
                    "%1 has tensor '%2' of unknown ggml type %3; the file is corrupt "
                    "or needs a newer llama.cpp.",
                ),
                tname,
                gtype,
            )
        n_elements = math.prod(shape)
        if n_elements >= 1 << 63:
            raise r.fail(
                translate("GGUF", "%1 is corrupt: tensor '%2' has an impossible shape %3."),
                tname,
                str(shape),
            )
        if shape[0] % traits.block_size:
            raise r.fail(
                translate(
                    "GGUF",
                    "%1 is corrupt: tensor '%2' has rows of %3 values, not a multiple "
                    "of the %4-value blocks of type %5.",
                ),
                tname,
                shape[0],
                traits.block_size,
                traits.name,
            )
        if offset % alignment:
            raise r.fail(
                translate(
                    "GGUF",
                    "%1 is corrupt: tensor '%2' starts at offset %3, which is not "
                    "a multiple of the alignment %4.",
                ),
                tname,
                offset,
                alignment,
            )
        n_bytes = n_elements // traits.block_size * traits.type_size
        tensors.append(GGUFTensor(tname, shape, gtype, offset, n_elements, n_bytes))

    header_end = r.pos
    data_offset = -(-header_end // alignment) * alignment
    data_end = data_offset if tensors else header_end
    previous: GGUFTensor | None = None
    last: GGUFTensor | None = None
    for t in sorted(tensors, key=lambda t: t.offset):
        if previous is not None and t.offset < previous.offset + previous.n_bytes:
            raise r.fail(
                translate("GGUF", "%1 is corrupt: the data of tensors '%2' and '%3' overlap."),
                previous.name,
                t.name,
            )
        if data_offset + t.offset + t.n_bytes > data_end:
            data_end, last = data_offset + t.offset + t.n_bytes, t
        previous = t
    if data_end > r.size:
        if data_end > _IMPLAUSIBLE_FILE_SIZE and last is not None:
            raise r.fail(
                translate(
                    "GGUF",
                    "%1 is corrupt: its header places tensor '%2' at byte %3, far past the end "
                    "of the file (%4).",
                ),
                last.name,
                f"{data_offset + last.offset:,}",
                format_bytes(r.size),
            )
        need, have = format_bytes(data_end), format_bytes(r.size)
        if need == have:
            need, have = _bytes_text(f"{data_end:,}"), _bytes_text(f"{r.size:,}")
        raise r.fail(
            translate(
                "GGUF",
                "%1 is truncated: its header says the tensor data runs to %2 but the file is %3.",
            ),
            need,
            have,
        )
    return GGUFInfo(
        path=path,
        file_size=r.size,
        version=version,
        tensor_count=tensor_count,
        metadata=metadata,
        tensors=tuple(tensors),
        alignment=alignment,
        data_offset=data_offset,
        data_end=data_end,
    )
