"""The curated catalog: small instruct GGUF models that suit a laptop (resources/catalog.json).

Sizes in the catalog are approximate; the Hub's file listing gives the exact size and the
sha256 a download is checked against. A malformed catalog raises CatalogError naming the
entry and the field, so a bad edit is caught by the tests, not by a user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_llm.core import resources
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.quantization import quantization_from_filename

TASKS = frozenset({"chat", "translate", "summarize", "sentiment"})


class CatalogError(UserError):
    """The catalog file is missing or malformed."""


@dataclass(frozen=True)
class CatalogFile:
    filename: str
    quantization: str
    size_bytes: int  # approximate


@dataclass(frozen=True)
class CatalogModel:
    id: str
    name: str
    repo: str
    licence: str
    languages: tuple[str, ...]
    good_for: str  # one short sentence
    tasks: tuple[str, ...]  # subset of TASKS
    context_length: int
    parameters: str  # '1.5B'
    files: tuple[CatalogFile, ...]
    # Attention shape for fit hints before the file is on disk (None when unknown).
    layers: int | None = None
    kv_heads: int | None = None
    head_dim: int | None = None
    # good_for in other languages: (language, sentence), from "summary_<language>".
    good_for_translated: tuple[tuple[str, str], ...] = ()

    def good_for_in(self, language: str) -> str:
        """good_for in the window's language when the catalog has it, else in English."""
        return dict(self.good_for_translated).get(language, self.good_for)

    def file(self, quantization: str) -> CatalogFile | None:
        q = quantization.upper()
        return next((f for f in self.files if f.quantization.upper() == q), None)

    @property
    def recommended_file(self) -> CatalogFile:
        """Q4_K_M when offered (the usual balance), else the first file listed."""
        return self.file("Q4_K_M") or self.files[0]


# The "malformed" messages stay English: the catalog ships with the app and the tests parse
# it, so they are for whoever edits catalog.json, not for the window's user.
def _field(entry: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in entry:
        raise CatalogError(f"The model catalog is malformed: {where} has no '{key}'.")
    value = entry[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise CatalogError(
            f"The model catalog is malformed: '{key}' of {where} has the wrong type."
        )
    if isinstance(value, str) and not value.strip():
        raise CatalogError(f"The model catalog is malformed: '{key}' of {where} is empty.")
    return value


def _optional_int(entry: dict[str, Any], key: str, where: str) -> int | None:
    if entry.get(key) is None:
        return None
    value = _field(entry, key, int, where)
    if value <= 0:
        raise CatalogError(f"The model catalog is malformed: '{key}' of {where} must be positive.")
    return value


def _parse_file(raw: Any, where: str) -> CatalogFile:
    if not isinstance(raw, dict):
        raise CatalogError(f"The model catalog is malformed: a file of {where} is not an object.")
    filename = _field(raw, "filename", str, where)
    if not filename.lower().endswith(".gguf") or "/" in filename or "\\" in filename:
        raise CatalogError(
            f"The model catalog is malformed: '{filename}' in {where} is not a plain .gguf name."
        )
    size = _field(raw, "size_bytes", int, f"{filename} in {where}")
    if size <= 0:
        raise CatalogError(f"The model catalog is malformed: {filename} has no size.")
    return CatalogFile(filename, _field(raw, "quantization", str, f"{filename} in {where}"), size)


def _parse_model(raw: Any, index: int) -> CatalogModel:
    if not isinstance(raw, dict):
        raise CatalogError(f"The model catalog is malformed: entry {index + 1} is not an object.")
    where = f"entry {index + 1}"
    model_id = _field(raw, "id", str, where)
    where = f"'{model_id}'"
    repo = _field(raw, "repo", str, where)
    if repo.count("/") != 1:
        raise CatalogError(f"The model catalog is malformed: repo '{repo}' is not owner/name.")
    languages = _field(raw, "languages", list, where)
    if not languages or not all(isinstance(x, str) and x for x in languages):
        raise CatalogError(f"The model catalog is malformed: languages of {where} are not codes.")
    good_for = _field(raw, "good_for", dict, where)
    tasks = _field(good_for, "tasks", list, f"good_for of {where}")
    unknown = [t for t in tasks if t not in TASKS]
    if not tasks or unknown:
        raise CatalogError(
            f"The model catalog is malformed: tasks of {where} must be some of "
            f"{', '.join(sorted(TASKS))}."
        )
    files = _field(raw, "files", list, where)
    if not files:
        raise CatalogError(f"The model catalog is malformed: {where} lists no files.")
    context = _field(raw, "context_length", int, where)
    if context <= 0:
        raise CatalogError(f"The model catalog is malformed: context_length of {where}.")
    return CatalogModel(
        id=model_id,
        name=_field(raw, "name", str, where),
        repo=repo,
        licence=_field(raw, "licence", str, where),
        languages=tuple(languages),
        good_for=_field(good_for, "summary", str, f"good_for of {where}"),
        tasks=tuple(tasks),
        context_length=context,
        parameters=_field(raw, "parameters", str, where),
        files=tuple(_parse_file(f, where) for f in files),
        layers=_optional_int(raw, "layers", where),
        kv_heads=_optional_int(raw, "kv_heads", where),
        head_dim=_optional_int(raw, "head_dim", where),
        good_for_translated=tuple(
            (key.removeprefix("summary_"), value)
            for key, value in good_for.items()
            if key.startswith("summary_") and isinstance(value, str) and value
        ),
    )


def catalog_model_for_file(
    catalog: list[CatalogModel] | tuple[CatalogModel, ...], filename: str
) -> CatalogModel | None:
    """The catalog model a file on disk is: one of its files by name, or another
    quantization of one ('qwen2.5-0.5b-instruct-q6_k.gguf' is Qwen2.5 0.5B Instruct).
    Names compare without case; None when the file is not a catalog model."""
    name = Path(filename).name.lower()
    for model in catalog:
        if any(f.filename.lower() == name for f in model.files):
            return model
    base = _without_quantization(name)
    if base:
        for model in catalog:
            if any(_without_quantization(f.filename.lower()) == base for f in model.files):
                return model
    return None


def _without_quantization(name: str) -> str:
    """'qwen2.5-0.5b-instruct-q4_k_m.gguf' -> 'qwen2.5-0.5b-instruct'; '' without a label."""
    quantization = quantization_from_filename(name)
    stem = name.removesuffix(".gguf")
    if quantization is None or not stem.endswith(quantization.lower()):
        return ""
    return stem[: -len(quantization)].rstrip("-_.")


def parse_catalog(data: Any) -> list[CatalogModel]:
    """Models from the decoded JSON document; CatalogError when it is malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("The model catalog is malformed: it has no list of 'models'.")
    models = [_parse_model(raw, i) for i, raw in enumerate(data["models"])]
    seen: set[str] = set()
    for m in models:
        if m.id in seen:
            raise CatalogError(f"The model catalog is malformed: '{m.id}' appears twice.")
        seen.add(m.id)
    return models


def load_catalog(path: Path | None = None) -> list[CatalogModel]:
    """The curated models, in catalog order (default: the bundled catalog).

    CatalogError when missing or malformed.
    """
    source = resources.resource(resources.CATALOG) if path is None else Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as e:
        raise CatalogError(
            arg(
                translate("Catalog", "The model catalog %1 cannot be read: %2."),
                source,
                e.strerror or e,
            )
        ) from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise CatalogError(
            arg(translate("Catalog", "The model catalog %1 is not valid JSON: %2."), source.name, e)
        ) from None
    return parse_catalog(data)
