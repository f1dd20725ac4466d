"""Writing a file the user named (a results CSV, an exported conversation), for both front
ends, by one rule:

- check_output_file() before the work starts: never the input itself (the same file however
  it is named: samefile), never an existing file unless replacing it was asked for, never a
  folder, a FIFO or a device; and the folder must exist and take a new file, tried for real
  (a probe file created and removed), so a run of hours never ends on "cannot write".
- write_atomically() at the end: a temporary file in the same folder, flushed to disk, then
  renamed into place, so a cut run or a full disk never leaves half a file. Without
  overwrite the rename cannot replace a file that appeared meanwhile (os.link).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO, TypeVar

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate

T = TypeVar("T")


class OutputExists(UserError):
    """The file is there and replacing it was not asked for. A front end may say how to ask
    (the CLI: --overwrite); the window's save dialog asks itself."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            arg(
                translate("OutputFiles", "%1 already exists; it is replaced only when you ask."),
                path,
            )
        )


def check_output_file(
    path: str | Path, *, inputs: Iterable[str | Path] = (), overwrite: bool = False
) -> Path:
    """The path to write (symbolic links followed), or a UserError saying why it cannot be
    written. Called before a run, so nothing is spent on results that could not be kept."""
    target = Path(path).expanduser()
    for source in inputs:
        if _same_file(target, Path(source).expanduser()):
            raise UserError(
                arg(
                    translate(
                        "OutputFiles", "%1 is the input file; choose another file for the results."
                    ),
                    target,
                )
            )
    target = target.resolve()
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise _not_a_folder(target.parent) from None
    except OSError as error:
        raise cannot_write(target, error) from error
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UserError(
                arg(translate("OutputFiles", "%1 is a folder; name a file inside it."), target)
            )
        if not stat.S_ISREG(info.st_mode):
            raise UserError(
                arg(translate("OutputFiles", "%1 is not a regular file; name another."), target)
            )
        if not overwrite:
            raise OutputExists(target)
    _probe_folder(target)
    return target


def write_atomically(
    path: str | Path,
    write: Callable[[TextIO], T],
    *,
    encoding: str = "utf-8",
    overwrite: bool = True,
) -> T:
    """Call write(file) on a temporary file next to path, then put it in place whole:
    replacing what is there when overwrite, else refusing (OutputExists) a file that appeared
    since. Returns what write returned; an OSError becomes one plain sentence."""
    target = Path(path)
    # Created like any new file (the user's umask), unlike mkstemp's private ones.
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with open(temporary, "x", encoding=encoding, newline="") as file:
            result = write(file)
            file.flush()
            os.fsync(file.fileno())  # on disk before it has the real name
        if overwrite:
            os.replace(temporary, target)
        else:
            _put_in_place_without_replacing(temporary, target)
    except OSError as error:
        raise cannot_write(target, error) from error
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return result


def cannot_write(path: Path, error: OSError) -> UserError:
    if isinstance(error, PermissionError):
        return UserError(
            arg(translate("OutputFiles", "You do not have permission to write %1."), path)
        )
    reason = error.strerror or str(error)
    return UserError(arg(translate("OutputFiles", "Could not write %1: %2."), path, reason))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # hard links, symbolic links, other spellings
    except OSError:  # one of them is not there (or cannot be looked at): compare the names
        return a.resolve() == b.resolve()


def _not_a_folder(folder: Path) -> UserError:
    return UserError(arg(translate("OutputFiles", "%1 is not a folder."), folder))


def _probe_folder(target: Path) -> None:
    """Create and remove a file where the output will go: the real test (permission bits
    say nothing to root, nor about a read-only or full file system)."""
    folder = target.parent
    probe = folder / f".{target.name}.{uuid.uuid4().hex[:8]}.probe"
    try:
        with open(probe, "x", encoding="utf-8") as file:
            file.write("probe")
    except FileNotFoundError:
        if folder.is_dir():  # /proc and the like: a folder that takes no new file
            raise UserError(
                arg(translate("OutputFiles", "New files cannot be created in %1."), folder)
            ) from None
        raise UserError(
            arg(translate("OutputFiles", "The folder %1 does not exist."), folder)
        ) from None
    except NotADirectoryError:
        raise _not_a_folder(folder) from None
    except PermissionError:
        raise UserError(
            arg(translate("OutputFiles", "You do not have permission to write in %1."), folder)
        ) from None
    except OSError as error:
        raise cannot_write(target, error) from error
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def _put_in_place_without_replacing(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)  # fails, atomically, when target exists
    except FileExistsError:
        raise OutputExists(target) from None
    except OSError as error:
        # A file system without hard links (FAT, some network shares): check, then rename.
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        if target.exists():
            raise OutputExists(target) from None
        os.replace(temporary, target)
