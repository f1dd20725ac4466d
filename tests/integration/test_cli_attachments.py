"""`desktop-llm chat --attach FILE`: files go with the message, or stop it in words."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.helpers.pdf_factory import write_pdf
from tests.integration.test_cli import run


def test_attached_files_are_stored_with_the_message(home: Path, tmp_path: Path) -> None:
    notes = tmp_path / "笔记.md"
    notes.write_bytes("# 购物清单\n\n- 苹果\n- 牛奶\n".encode("gb18030"))
    pdf = write_pdf(tmp_path / "menu.pdf", [["Soup of the day: tomato"]])
    result = run("chat", "What is on the list?", "--attach", str(notes), "-a", str(pdf), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "complete"
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    rows = db.execute("select name, kind, text from attachments order by id").fetchall()
    assert rows == [
        ("笔记.md", "text", "# 购物清单\n\n- 苹果\n- 牛奶\n"),
        ("menu.pdf", "pdf", "Soup of the day: tomato"),
    ]
    exported = json.loads(run("history", "show", "1", "--json").stdout)
    user = exported["messages"][0]
    assert user["content"] == "What is on the list?"
    assert [a["name"] for a in user["attachments"]] == ["笔记.md", "menu.pdf"]


def test_a_file_alone_is_a_message(home: Path, tmp_path: Path) -> None:
    code = tmp_path / "hello.go"
    code.write_text('package main\n\nfunc main() { println("hi") }\n')
    result = run("chat", "--attach", str(code), "--max-tokens", "8")
    assert result.returncode == 0, result.stderr


def test_files_that_cannot_go_stop_the_message_in_words(home: Path, tmp_path: Path) -> None:
    image = tmp_path / "cat.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    result = run("chat", "Describe it", "--attach", str(image))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "desktop-llm: cat.jpg is not a text file or a PDF, so it cannot be attached. "
        "Attach text files (.txt, .md, .csv, source code) or PDFs."
    )
    long = tmp_path / "long.txt"
    long.write_text("Every region grew this year, some more than others. " * 600)
    result = run("chat", "Sum up", "--attach", str(long))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("desktop-llm: The attached files need about ")
    assert "the model reads 2,048 at once" in result.stderr
    db = sqlite3.connect(home / "data" / "desktop_llm.sqlite3")
    assert db.execute("select count(*) from messages").fetchone()[0] == 0
