"""core/output_files: a file the user names for results is checked before the work (never the
input, never an existing file unasked, a folder that takes a file) and written whole or not at
all. Real files; unwritable places that bind root too (a folder whose parent is a regular
file, /proc), and a real size limit (RLIMIT_FSIZE) in a child process for a disk that fills."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.output_files import OutputExists, check_output_file, write_atomically


def _no_leftovers(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_the_input_is_never_the_output_however_it_is_named(tmp_path: Path) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text("id,review\n1,fine\n", encoding="utf-8")
    linked = tmp_path / "hard.csv"
    os.link(source, linked)
    symlinked = tmp_path / "soft.csv"
    symlinked.symlink_to(source)
    spelled = tmp_path / "sub" / ".." / "reviews.csv"
    (tmp_path / "sub").mkdir()
    for name in (source, linked, symlinked, spelled):
        with pytest.raises(UserError, match="is the input file"):
            check_output_file(name, inputs=[source], overwrite=True)
    assert source.read_text(encoding="utf-8") == "id,review\n1,fine\n"


def test_an_existing_file_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "labels.csv"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExists):
        check_output_file(out)
    assert check_output_file(out, overwrite=True) == out.resolve()
    assert out.read_text(encoding="utf-8") == "keep me"
    _no_leftovers(tmp_path)


@pytest.mark.parametrize("kind", ["parent is a file", "missing folder", "proc", "a folder"])
def test_a_place_that_takes_no_file_is_refused_in_words_before_anything(
    tmp_path: Path, kind: str
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    target, words = {
        "parent is a file": (blocker / "out.csv", "is not a folder"),
        "missing folder": (tmp_path / "nope" / "out.csv", "does not exist"),
        "proc": (Path("/proc/out.csv"), "cannot be created"),
        "a folder": (tmp_path, "is a folder"),
    }[kind]
    if kind == "proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    with pytest.raises(UserError, match=words):
        check_output_file(target, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_fifo_or_device_is_never_written_over(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        check_output_file(fifo, overwrite=True)
    with pytest.raises(UserError, match="not a regular file"):
        check_output_file("/dev/null", overwrite=True)


def test_a_write_cut_midway_leaves_the_old_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "labels.csv"
    out.write_text("old results\n", encoding="utf-8")

    def cut(file) -> None:
        file.write("half of the new")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(out, cut)
    assert out.read_text(encoding="utf-8") == "old results\n"
    _no_leftovers(tmp_path)
    assert write_atomically(out, lambda f: f.write("new\n")) == 4
    assert out.read_text(encoding="utf-8") == "new\n"


def test_a_file_that_appeared_meanwhile_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "labels.csv"
    check_output_file(out)  # free before the run...

    def meanwhile(file) -> None:
        out.write_text("someone else's", encoding="utf-8")  # ...taken during it
        file.write("results")

    with pytest.raises(OutputExists):
        write_atomically(out, meanwhile, overwrite=False)
    assert out.read_text(encoding="utf-8") == "someone else's"
    _no_leftovers(tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_the_old_file_whole_and_says_so(tmp_path: Path) -> None:
    """A real limit on file size in a child process: the write fails as on a full disk."""
    out = tmp_path / "labels.csv"
    out.write_text("old results\n", encoding="utf-8")
    script = f"""
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
from desktop_llm.core.errors import UserError
from desktop_llm.core.output_files import write_atomically
try:
    write_atomically({str(out)!r}, lambda f: f.write("x" * 1_000_000))
except UserError as e:
    print(e)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert "Could not write" in result.stdout and "too large" in result.stdout, result
    assert out.read_text(encoding="utf-8") == "old results\n"
    _no_leftovers(tmp_path)
