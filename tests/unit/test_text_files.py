from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop_llm.core.errors import UserError
from desktop_llm.core.text_files import DecodedText, decode_bytes, read_text_file

SIMPLIFIED = "中文摘要测试。今天天气很好，我们去公园散步吧。"
TRADITIONAL = "繁體中文測試。今天天氣很好，我們去公園散步吧。這是我讀過最好的書。"
FRENCH = "Café crème, déjà vu à côté"
# Every accented letter here is followed by a byte GB18030 accepts as a second byte, so the
# cp1252 bytes decode "successfully" as GB18030 into rare ideographs.
FRENCH_GB_VALID = "Le garçon mangeait une crème brûlée"
GERMAN_GB_VALID = "Grüße aus München, schöne Straße"
PORTUGUESE_BIG5_VALID = "Ação, coração, não, órgão"


def _write(tmp_path: Path, data: bytes, name: str = "input.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", DecodedText("", "utf-8")),
        ("héllo\r\nwörld\n".encode(), DecodedText("héllo\r\nwörld\n", "utf-8")),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode(), DecodedText(SIMPLIFIED, "utf-8", True)),
        ("BOM 😀".encode("utf-16"), DecodedText("BOM 😀", "utf-16-le", True)),
        (b"\xfe\xff" + "大端".encode("utf-16-be"), DecodedText("大端", "utf-16-be", True)),
        ("32 位".encode("utf-32"), DecodedText("32 位", "utf-32-le", True)),
        (b"\x00\x00\xfe\xff" + "x".encode("utf-32-be"), DecodedText("x", "utf-32-be", True)),
        (SIMPLIFIED.encode("gbk"), DecodedText(SIMPLIFIED, "gb18030")),
        (TRADITIONAL.encode("big5"), DecodedText(TRADITIONAL, "big5")),
        (FRENCH.encode("cp1252"), DecodedText(FRENCH, "cp1252")),
        ("naïve “quotes” €5".encode("cp1252"), DecodedText("naïve “quotes” €5", "cp1252")),
        (b"caf\xe9 \x81", DecodedText("café \x81", "latin-1")),  # 0x81 is not cp1252
    ],
)
def test_files_in_each_encoding_decode_to_the_original_text(
    tmp_path: Path, data: bytes, expected: DecodedText
) -> None:
    assert read_text_file(_write(tmp_path, data)) == expected
    assert decode_bytes(data) == expected


def test_gb18030_characters_outside_gbk_round_trip(tmp_path: Path) -> None:
    text = "价格：100€，很便宜。生僻字𠀀也可以。我们去公园散步吧。"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    decoded = read_text_file(_write(tmp_path, text.encode("gb18030")))
    assert decoded == DecodedText(text, "gb18030")


def test_a_mostly_english_gbk_file_with_some_chinese_is_still_gbk() -> None:
    text = "This README explains how to install the tool.\n" * 30 + "中文说明：请先安装依赖。\n"
    assert decode_bytes(text.encode("gbk")) == DecodedText(text, "gb18030")


@pytest.mark.parametrize(
    ("text", "trap"),
    [
        (FRENCH_GB_VALID, "gb18030"),
        (GERMAN_GB_VALID, "gb18030"),
        (PORTUGUESE_BIG5_VALID, "big5"),
    ],
)
def test_latin_text_that_decodes_as_chinese_is_not_taken_for_it(text: str, trap: str) -> None:
    data = text.encode("cp1252")
    assert data.decode(trap) != text  # the trap is real: strict decoding succeeds
    assert decode_bytes(data) == DecodedText(text, "cp1252")


def test_big5_is_not_taken_for_gb18030_even_when_it_decodes() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # succeeds, into nonsense
    assert decode_bytes(data).encoding == "big5"


def test_line_endings_and_the_rest_of_the_text_are_kept_as_is(tmp_path: Path) -> None:
    text = "a\r\nb\rc\n\n\ttabbed  \u00a0\u2028end"
    assert read_text_file(_write(tmp_path, text.encode())).text == text


def test_a_large_file_decodes_quickly(tmp_path: Path) -> None:
    line = "这是一个用于测试的长文本文件，每一行都一样。The quick brown fox.\n"
    text = line * (5_000_000 // len(line.encode("gbk")))
    path = _write(tmp_path, text.encode("gbk"))
    assert path.stat().st_size > 4_900_000
    start = time.perf_counter()
    decoded = read_text_file(path)
    assert time.perf_counter() - start < 2.0
    assert decoded.encoding == "gb18030"
    assert decoded.text == text


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = _write(tmp_path, b"x" * 2_500_000)
    with pytest.raises(UserError, match=r"input.txt is too large: 2.5 MB.*limit is 1.0 MB"):
        read_text_file(path, max_bytes=1_000_000)
    assert read_text_file(path, max_bytes=2_500_000).text == "x" * 2_500_000


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",
        bytes(range(256)),
        "no BOM".encode("utf-16-le"),
    ],
)
def test_binary_content_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UserError, match="looks like a binary file"):
        read_text_file(_write(tmp_path, data, "picture.png"))
    with pytest.raises(UserError, match="The input looks like a binary file"):
        decode_bytes(data)


def test_a_nul_after_the_first_8_kb_does_not_make_a_file_binary() -> None:
    data = b"a" * 9000 + b"\x00"
    assert decode_bytes(data).text == "a" * 9000 + "\x00"


def test_a_damaged_utf16_file_is_refused_in_words() -> None:
    with pytest.raises(UserError, match="UTF-16-LE text but is damaged"):
        decode_bytes(b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate


def test_utf16_text_starting_with_a_nul_is_not_taken_for_utf32() -> None:
    data = b"\xff\xfe" + "\x00ab".encode("utf-16-le")
    assert data.startswith(b"\xff\xfe\x00\x00")  # looks like a UTF-32 BOM
    assert decode_bytes(data) == DecodedText("\x00ab", "utf-16-le", True)


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="There is no file at"):
        read_text_file(tmp_path / "nope.txt")
    with pytest.raises(UserError, match="There is no file at"):
        read_text_file(_write(tmp_path, b"x") / "child.txt")
    with pytest.raises(UserError, match="is a folder"):
        read_text_file(tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, b"secret")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user that ignores permissions (root)")
        with pytest.raises(UserError, match="permission to read"):
            read_text_file(path)
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        read_text_file(fifo)
