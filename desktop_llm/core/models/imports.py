"""Bringing a GGUF file the user has into the models folder, and the small JSON records
the registry keeps there.

    <models>/imported.json   files used in place (imported "by reference"): the user's own
                             files, listed but never deleted by the app
    <models>/broken.json     models llama.cpp failed on, with the reason, shown by the UI

Every file is checked with read_gguf() before it is taken in; its BadModelFile message is
what the user sees. A copy is written to a hidden temporary name and moved into place with
os.replace/os.link only when complete, so a half-copied file never shows up as a model.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.files import Cancelled, install_file
from desktop_llm.core.models.gguf_file import read_gguf
from desktop_llm.core.text_files import open_regular_file

IMPORTED_FILE = "imported.json"
BROKEN_FILE = "broken.json"
IMPORTING_DIRNAME = ".importing"
COPY_CHUNK = 4 << 20

# One lock for the JSON records of every registry in this process: they are tiny.
_records_lock = threading.Lock()

Progress = Callable[[int, int], None]  # (bytes copied, total)


def not_gguf_name(name: str) -> str:
    return arg(
        translate("Models", "%1 is not a GGUF model file (its name does not end in .gguf)."), name
    )


def validate_model_file(path: Path) -> Path:
    """The resolved path of a readable GGUF file; BadModelFile/UserError otherwise."""
    p = Path(path).expanduser()
    if not p.exists():
        raise UserError(arg(translate("Models", "%1 does not exist."), p))
    if p.is_dir():
        raise UserError(arg(translate("Models", "%1 is a folder, not a GGUF model file."), p))
    if p.suffix.lower() != ".gguf":
        raise BadModelFile(not_gguf_name(p.name))
    read_gguf(p)  # raises BadModelFile naming the problem
    return p.resolve()


def copy_into(
    source: Path,
    models_dir: Path,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Path:
    """Copy a validated GGUF into models_dir (never overwriting: an identical file there is
    reused, a different one makes the copy '<stem>-2.gguf'). Raises Cancelled when
    should_stop() turns true; the temporary copy is then removed."""
    src = validate_model_file(source)
    tmp_dir = Path(models_dir) / IMPORTING_DIRNAME
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / (src.name + f".{os.getpid()}.{threading.get_ident()}.tmp")
    total = src.stat().st_size
    done = 0
    try:
        with open_regular_file(src) as fin, tmp.open("wb") as fout:
            while True:
                if should_stop is not None and should_stop():
                    raise Cancelled(f"Importing {src.name} was stopped.")
                block = fin.read(COPY_CHUNK)
                if not block:
                    break
                fout.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
        read_gguf(tmp)  # the copy, too, before it gets a real name
        return install_file(tmp, Path(models_dir), src.name)
    except OSError as e:
        raise UserError(
            arg(
                translate("Models", "%1 could not be copied to %2: %3."),
                src.name,
                models_dir,
                e.strerror or e,
            )
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# -- small JSON records ---------------------------------------------------------------


def _read_json(path: Path, default):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default
    return data if isinstance(data, type(default)) else default


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    text = json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def read_references(models_dir: Path) -> list[Path]:
    with _records_lock:
        raw = _read_json(Path(models_dir) / IMPORTED_FILE, {})
    return [Path(p) for p in raw.get("files", []) if isinstance(p, str)]


def add_reference(models_dir: Path, path: Path) -> None:
    with _records_lock:
        file = Path(models_dir) / IMPORTED_FILE
        raw = _read_json(file, {})
        files = [p for p in raw.get("files", []) if isinstance(p, str)]
        if str(path) not in files:
            files.append(str(path))
        _write_json(file, {"files": files})


def remove_reference(models_dir: Path, path: Path) -> bool:
    with _records_lock:
        file = Path(models_dir) / IMPORTED_FILE
        raw = _read_json(file, {})
        files = [p for p in raw.get("files", []) if isinstance(p, str)]
        if str(path) not in files:
            return False
        files.remove(str(path))
        _write_json(file, {"files": files})
        return True


def read_broken(models_dir: Path) -> dict[str, str]:
    with _records_lock:
        raw = _read_json(Path(models_dir) / BROKEN_FILE, {})
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}


def set_broken(models_dir: Path, path: Path, reason: str | None) -> None:
    """Mark path broken with reason, or clear its mark (reason None)."""
    with _records_lock:
        file = Path(models_dir) / BROKEN_FILE
        raw = _read_json(file, {})
        if reason is None:
            if raw.pop(str(path), None) is None:
                return
        else:
            raw[str(path)] = reason
        _write_json(file, raw)
