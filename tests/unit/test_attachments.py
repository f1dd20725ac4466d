"""Chat attachments without a model: reading files of every kind, the prompt, the fit."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from desktop_llm.core.chat.attachments import (
    MAX_TEXT_BYTES,
    AttachedFile,
    AttachmentsTooLong,
    count_files,
    file_block,
    prompt_message,
    read_attachment,
)
from desktop_llm.core.engine.protocol import reply_reserve
from desktop_llm.core.errors import UserError
from tests.helpers.pdf_factory import write_encrypted_pdf, write_pdf

CHINESE = "季度报告：销售额同比增长百分之十二，华东地区表现最好。\n下季度计划开设两家新门店。\n"


def test_plain_text_and_markdown(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Plan\n\n- buy milk\n", encoding="utf-8")
    attached = read_attachment(notes)
    assert attached == AttachedFile("notes.md", "text", "# Plan\n\n- buy milk\n", 19)


def test_gbk_chinese_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    data = CHINESE.encode("gbk")
    path.write_bytes(data)
    attached = read_attachment(path)
    assert attached.text == CHINESE and attached.name == "报告.txt"
    assert attached.kind == "text" and attached.size == len(data)


def test_csv_and_source_code_keep_their_text(tmp_path: Path) -> None:
    table = tmp_path / "sales.csv"
    table.write_text("region,amount\nnorth,12\nsouth,7\n", encoding="utf-8")
    code = tmp_path / "fib.py"
    source = 'def fib(n):\n    """```not a fence```"""\n    return n if n < 2 else fib(n - 1)\n'
    code.write_text(source, encoding="utf-8")
    makefile = tmp_path / "Makefile"  # no suffix: still text
    makefile.write_text("all:\n\tcc -o app app.c\n", encoding="utf-8")
    assert read_attachment(table).text.splitlines()[1] == "north,12"
    assert read_attachment(code).text == source
    assert read_attachment(makefile).kind == "text"


def test_utf16_with_a_bom_is_text_despite_its_nuls(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Wide text 宽字符".encode("utf-16"))
    assert read_attachment(path).text == "Wide text 宽字符"


def test_a_real_pdf_gives_its_text_page_by_page(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "minutes.pdf",
        [["Meeting minutes", "Budget approved (with changes)"], ["Next meeting: May 4"]],
    )
    attached = read_attachment(path)
    assert attached.kind == "pdf" and attached.size == path.stat().st_size
    assert attached.text == (
        "Meeting minutes\nBudget approved (with changes)\n\nNext meeting: May 4"
    )


def test_a_pdf_is_known_by_its_content_not_its_name(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan-0001", [["No suffix at all"]])
    assert read_attachment(path).kind == "pdf"


def test_a_pdf_protected_only_against_copying_opens(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "locked.pdf", [["Readable anyway"]], user_password="")
    assert read_attachment(path).text == "Readable anyway"


def test_a_pdf_with_a_password_is_refused_in_words(tmp_path: Path) -> None:
    path = write_encrypted_pdf(tmp_path / "secret.pdf", [["Hidden"]], user_password="pw")
    with pytest.raises(UserError, match=r"^secret\.pdf is encrypted or protected by a password"):
        read_attachment(path)


def test_a_pdf_without_text_says_it_is_probably_scanned(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(UserError, match=r"^scan\.pdf has no text to read: .*scanned images"):
        read_attachment(path)


def test_a_damaged_pdf_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a PDF\n")
    with pytest.raises(UserError, match=r"^broken\.pdf could not be read as a PDF"):
        read_attachment(path)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", _png()),
        ("report.docx", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64),
        ("notes.txt", b"looks like text\x00\x01\x02 but is not"),
    ],
)
def test_binary_files_are_refused_in_words(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UserError) as caught:
        read_attachment(path)
    assert str(caught.value) == (
        f"{name} is not a text file or a PDF, so it cannot be attached. Attach text files "
        "(.txt, .md, .csv, source code) or PDFs."
    )


def test_missing_files_folders_and_huge_texts_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="There is no file at"):
        read_attachment(tmp_path / "gone.txt")
    with pytest.raises(UserError, match=r"is a folder; attach the files inside it"):
        read_attachment(tmp_path)
    big = tmp_path / "big.log"
    big.write_bytes(b"log line\n" * (MAX_TEXT_BYTES // 9 + 1))
    with pytest.raises(UserError, match=r"^big\.log is too large to attach: 10\.0 MB.*Summarize"):
        read_attachment(big)


# --- the prompt --------------------------------------------------------------------------------


def test_the_model_reads_each_file_by_name_then_the_message() -> None:
    files = [
        AttachedFile("a.md", "text", "# Title\n\n```py\nprint(1)\n```\n", 30),
        AttachedFile("b.csv", "text", "x,y\n1,2", 7),
    ]
    message = prompt_message("Compare them.", files)
    assert message == (
        "File: a.md\n````\n# Title\n\n```py\nprint(1)\n```\n````\n\n"
        "File: b.csv\n```\nx,y\n1,2\n```\n\n"
        "Compare them."
    )
    assert prompt_message("Just text", []) == "Just text"
    assert prompt_message("  ", files[1:]) == file_block(files[1])


def _fake_tokens(texts: list[str]) -> list[int]:
    # One token per four characters: enough to check the arithmetic without a model.
    return [len(t) // 4 for t in texts]


def test_files_that_fit_get_their_token_counts() -> None:
    files = [AttachedFile("a.txt", "text", "a" * 400, 400)]
    counted = count_files(
        files, "Sum up.", None, context=1024, max_tokens=64, count_tokens=_fake_tokens
    )
    assert counted[0].tokens == len(file_block(files[0])) // 4


def test_files_that_do_not_fit_raise_with_the_numbers() -> None:
    files = [
        AttachedFile("long.txt", "text", "b" * 39_000, 39_000),
        AttachedFile("short.txt", "text", "c" * 200, 200),
    ]
    with pytest.raises(AttachmentsTooLong) as caught:
        count_files(
            files, "Sum up.", "Be brief.", context=4096, max_tokens=512, count_tokens=_fake_tokens
        )
    error = caught.value
    needed = sum(len(file_block(f)) // 4 for f in files)
    assert error.needed == needed and error.context == 4096
    assert error.room == 4096 - reply_reserve(4096, 512) - 2 - 1 - 32
    assert [f.tokens for f in error.files] == [len(file_block(f)) // 4 for f in files]
    assert str(error).startswith(
        f"The attached files need about {needed:,} tokens; the model reads 4,096 at once"
    )


def test_a_huge_file_is_counted_on_a_sample() -> None:
    seen: list[int] = []

    def counting(texts: list[str]) -> list[int]:
        seen.extend(len(t) for t in texts)
        return _fake_tokens(texts)

    files = [AttachedFile("huge.txt", "text", "d" * 2_000_000, 2_000_000)]
    with pytest.raises(AttachmentsTooLong) as caught:
        count_files(files, "", None, context=4096, max_tokens=256, count_tokens=counting)
    assert max(seen) <= 200_000  # never the whole file
    assert caught.value.needed == pytest.approx(500_000, rel=0.01)
