"""What the model manager's details view shows about a GGUF file.

gguf_metadata() lists every metadata key/value, read by llama.cpp's own Python reader
(gguf.GGUFReader), with long arrays summarized. It parses the whole header, vocabulary
included: seconds for a large vocabulary, so call it off the GUI thread.
ModelSummary is the short version, from read_gguf()'s GGUFInfo (milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core.errors import BadModelFile
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.gguf_file import GGUFInfo, format_bytes, format_param_count

ARRAY_ITEMS_SHOWN = 8  # arrays up to this long are shown whole
TEXT_CHARS_SHOWN = 2000  # longer strings (chat templates) are cut, with a note


def _array_text(n: int, type_name: str) -> str:
    """'array of 151,936 strings', 'array of 28 uint32 values'."""
    if type_name == "string":
        return arg(translate("Metadata", "array of %1 strings"), f"{n:,}")
    return arg(translate("Metadata", "array of %1 %2 values"), f"{n:,}", type_name)


def _scalar_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    text = str(value)
    if len(text) > TEXT_CHARS_SHOWN:
        return text[:TEXT_CHARS_SHOWN] + arg(
            translate("Metadata", "… (%1 characters)"), f"{len(text):,}"
        )
    return text


def gguf_metadata(path: Path | str) -> list[tuple[str, str]]:
    """Every metadata key of a GGUF file with its value as text, in file order. Arrays
    longer than ARRAY_ITEMS_SHOWN become 'array of 151,936 strings'. BadModelFile when
    the gguf reader cannot parse the file."""
    import gguf

    path = Path(path)
    try:
        reader = gguf.GGUFReader(path)
    except Exception as e:  # the reader raises ValueError, struct errors, OSError...
        raise BadModelFile(
            arg(translate("Metadata", "%1 cannot be read as a GGUF file: %2"), path.name, e)
        ) from None
    rows: list[tuple[str, str]] = []
    for name, f in reader.fields.items():
        if name.startswith("GGUF."):
            continue  # version and counts: header fields, not metadata
        try:
            if f.types and f.types[0] == gguf.GGUFValueType.ARRAY:
                etype = f.types[-1].name.lower() if len(f.types) > 1 else "unknown"
                n = len(f.data)
                if n > ARRAY_ITEMS_SHOWN or len(f.types) > 2:
                    rows.append((name, _array_text(n, etype)))
                else:
                    items = f.contents()
                    rows.append((name, "[" + ", ".join(_scalar_text(x) for x in items) + "]"))
            else:
                rows.append((name, _scalar_text(f.contents())))
        except Exception as e:  # one odd value must not hide the others
            rows.append((name, arg(translate("Metadata", "(unreadable: %1)"), e)))
    return rows


@dataclass(frozen=True)
class ModelSummary:
    name: str
    architecture: str | None
    parameters: str  # '135M': general.size_label, else counted from tensor shapes
    parameter_count: int
    quantization: str | None
    size_bytes: int
    context_length: int | None
    has_chat_template: bool
    licence: str | None
    languages: tuple[str, ...] = ()  # general.languages ('en', 'zh'), when the file names them

    @property
    def size_text(self) -> str:
        return format_bytes(self.size_bytes)

    @classmethod
    def from_info(cls, info: GGUFInfo) -> ModelSummary:
        return cls(
            name=info.name,
            architecture=info.architecture,
            parameters=info.size_label or format_param_count(info.parameter_count),
            parameter_count=info.parameter_count,
            quantization=info.quantization,
            size_bytes=info.file_size,
            context_length=info.context_length,
            has_chat_template=bool(info.chat_template),
            licence=info.license,
            languages=_languages(info.metadata.get("general.languages")),
        )


def _languages(value: Any) -> tuple[str, ...]:
    """general.languages as codes; a long array (an ArraySummary) or odd values give ()."""
    if isinstance(value, list | tuple):
        return tuple(v.strip() for v in value if isinstance(v, str) and v.strip())
    return ()
