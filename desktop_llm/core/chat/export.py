"""Exporting a conversation, for both front ends: `desktop-llm history export` prints it, the
window's Chat → Export… writes it to a file. The documents themselves (Markdown, JSON) are
the store's (Store.export_conversation), so the two can never differ."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from desktop_llm.core.output_files import write_atomically
from desktop_llm.core.store import Store
from desktop_llm.core.store.store import ExportFormat

EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
SUFFIXES: dict[ExportFormat, str] = {"md": ".md", "json": ".json"}

# What no file system takes in a name (Windows' list is the longest), and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_NAME_LIMIT = 80


def export_text(store: Store, conversation_id: int, fmt: ExportFormat) -> str:
    """The conversation as a Markdown or JSON document."""
    return store.export_conversation(conversation_id, fmt)


def format_for_path(path: str | Path, default: ExportFormat = "md") -> ExportFormat:
    """The format a file name asks for by its suffix (.json, .md, .markdown), else default."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".md", ".markdown"):
        return "md"
    return default


def export_file_name(title: str, fmt: ExportFormat) -> str:
    """A file name for a conversation's title: what a file system cannot take replaced,
    shortened, never empty ("chat.md")."""
    name = " ".join(_UNSAFE.sub(" ", title).split()).strip(" .")[:_NAME_LIMIT].strip(" .")
    return (name or "chat") + SUFFIXES[fmt]


def write_export(
    store: Store,
    conversation_id: int,
    fmt: ExportFormat,
    path: str | Path,
    *,
    overwrite: bool = True,
) -> Path:
    """Write the document to path, whole or not at all (core/output_files: a temporary file
    in the same folder, then renamed over it; without overwrite an existing file is left
    alone). Returns the path written."""
    target = Path(path)
    text = export_text(store, conversation_id, fmt)
    write_atomically(target, lambda f: f.write(text), overwrite=overwrite)
    return target
