"""Reading a text file whatever its encoding: the UTFs, the Chinese legacy ones, Windows.

The guesses run from the most to the least telling: a BOM, then strict UTF-8, then
GB18030 and Big5 only when the result reads as Chinese (a Windows-1252 French text often
decodes "successfully" as GB18030 into rare ideographs), then Windows-1252 / Latin-1, which
accept anything. The text is kept as is, line endings included; only the BOM is dropped.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate

DEFAULT_MAX_BYTES = 50_000_000
# A NUL byte this early means a binary file (an image, a .docx), not text.
_BINARY_PROBE_BYTES = 8192
# Looking like Chinese is judged on this much text: enough to be sure, quick on big files.
_PROBE_CHARS = 65_536
# Chinese text: ideographs are at least this share of the non-ASCII characters (Latin-1 or
# Big5 misread as GB18030 also yields kana, Greek, box drawing)...
_MIN_HAN_SHARE = 0.5
# ...and nearly all of them are among the common characters of the encoding (GB2312 level
# 1, Big5's frequent set), which cover over 99% of real text; misreadings land mostly in
# the rare ranges. Share of Han letters is not required: a mostly English file with a few
# Chinese lines is still GBK.
_MIN_COMMON_SHARE = 0.85

# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# A FIFO's open() waits for a writer; without O_NONBLOCK it may wait forever. (Windows has
# neither the flag nor FIFOs; O_BINARY is Windows' own.)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class DecodedText:
    """Text without its BOM. encoding is a Python codec name; had_bom says whether to write
    the BOM back when saving in the same encoding."""

    text: str
    encoding: str
    had_bom: bool = False


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:
    """The decoded text of path; UserError in plain words when it cannot or should not be."""
    size = readable_file_size(path)
    if size > max_bytes:
        raise _too_large(path, size, max_bytes)
    try:
        with open_regular_file(path) as file:
            data = file.read(max_bytes + 1)  # +1: a file that grew since stat is caught too
    except NotRegularFile:
        raise _not_regular(path) from None
    except OSError as error:
        raise unreadable(path, error) from error
    if len(data) > max_bytes:
        raise _too_large(path, len(data), max_bytes)
    return _decode(data, path.name)


def decode_bytes(data: bytes) -> DecodedText:
    """The decoded text of data from stdin or a drop, by the same rules as read_text_file."""
    return _decode(data, "The input")  # the CLI's stdin: English


class NotRegularFile(OSError):
    """A FIFO, a device or a socket where a file was expected."""


def regular_file_info(path: Path) -> os.stat_result:
    """The app's one rule for a file it is given to read: stat it (which never blocks, and
    never opens a device) and take only a regular file. Raises FileNotFoundError,
    IsADirectoryError, NotRegularFile or another OSError."""
    info = path.stat()
    _check_regular(path, info)
    return info


def open_regular_file(path: Path) -> BinaryIO:
    """path opened for reading, only if it is a regular file (regular_file_info). Opened
    without blocking (a FIFO swapped in after the stat would hold open() until a writer
    comes, forever) and checked again on what was opened."""
    regular_file_info(path)
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    try:
        _check_regular(path, os.fstat(fd))
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_regular(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))


def readable_file_size(path: Path, folder_hint: str | None = None) -> int:
    """The size of a regular file that can be read, or a UserError saying why not (none
    there, a folder: folder_hint, %1 its name, a FIFO or device, no permission)."""
    try:
        info = regular_file_info(path)
    except (FileNotFoundError, NotADirectoryError):
        raise UserError(arg(translate("Tasks", "There is no file at %1."), path)) from None
    except IsADirectoryError:
        if folder_hint is not None:
            raise UserError(arg(folder_hint, path.name)) from None
        raise UserError(
            arg(translate("Tasks", "%1 is a folder; choose a text file inside it."), path)
        ) from None
    except NotRegularFile:
        raise _not_regular(path) from None
    except OSError as error:
        raise unreadable(path, error) from error
    return info.st_size


def _not_regular(path: Path) -> UserError:
    return UserError(arg(translate("Tasks", "%1 is not a regular file; choose a text file."), path))


def unreadable(path: Path, error: OSError) -> UserError:
    if isinstance(error, PermissionError):
        return UserError(arg(translate("Tasks", "You do not have permission to read %1."), path))
    return UserError(
        arg(translate("Tasks", "%1 could not be read: %2."), path, error.strerror or error)
    )


def _too_large(path: Path, size: int, limit: int) -> UserError:
    return UserError(
        arg(
            translate("Tasks", "%1 is too large: %2, and the limit is %3."),
            path.name,
            _human_size(size),
            _human_size(limit),
        )
    )


def _human_size(size: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return arg(translate("Tasks", "%1 bytes"), size)


def _decode(data: bytes, name: str) -> DecodedText:
    with_bom = _decode_with_bom(data, name)
    if with_bom is not None:
        return with_bom
    if b"\x00" in data[:_BINARY_PROBE_BYTES]:
        raise UserError(arg(translate("Tasks", "%1 looks like a binary file, not text."), name))
    for encoding, looks_right in _GUESSES:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_right(text):
            return DecodedText(text, encoding)
    # Latin-1 maps every byte, so this never fails: the last resort.
    return DecodedText(data.decode("latin-1"), "latin-1")


def _decode_with_bom(data: bytes, name: str) -> DecodedText | None:
    for bom, encoding in _BOMS:
        if not data.startswith(bom):
            continue
        try:
            return DecodedText(data[len(bom) :].decode(encoding), encoding, had_bom=True)
        except UnicodeDecodeError:
            if encoding == "utf-32-le":
                continue  # FF FE 00 00 may be UTF-16 text that starts with a NUL
            raise UserError(
                arg(
                    translate("Tasks", "%1 starts like %2 text but is damaged or is not text."),
                    name,
                    encoding.upper(),
                )
            ) from None
    return None


def _anything(text: str) -> bool:
    return True


def _looks_like_gb(text: str) -> bool:
    return _looks_chinese(text, _is_common_gb)


def _looks_like_big5(text: str) -> bool:
    return _looks_chinese(text, _is_common_big5)


def _looks_chinese(text: str, is_common: Callable[[str], bool]) -> bool:
    sample = text[:_PROBE_CHARS]
    han = [ch for ch in sample if _is_han(ch)]
    if not han:
        return False
    non_ascii = sum(not ch.isascii() for ch in sample)
    if len(han) < _MIN_HAN_SHARE * non_ascii:
        return False
    return sum(is_common(ch) for ch in han) >= _MIN_COMMON_SHARE * len(han)


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


@cache
def _is_common_gb(ch: str) -> bool:
    # GB2312 level 1: the 3,755 most used characters, lead bytes B0..D7.
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= encoded[0] <= 0xD7


@cache
def _is_common_big5(ch: str) -> bool:
    # Big5's frequent characters (常用字, 5,401 of them) sit at A440..C67E.
    try:
        encoded = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return 0xA440 <= int.from_bytes(encoded[:2]) <= 0xC67E


# Strict decoders in order, each with the test its result must pass.
_GUESSES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("utf-8", _anything),
    ("gb18030", _looks_like_gb),
    ("big5", _looks_like_big5),
    ("cp950", _looks_like_big5),  # Microsoft's Big5, with a few more characters
    ("cp1252", _anything),
)
