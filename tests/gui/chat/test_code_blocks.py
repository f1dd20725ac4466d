"""Code and rich text in replies: highlighted code blocks that follow the theme, a copy
button on each, sideways scrolling for long lines, tables, TeX as readable code, and a
streaming reply that re-renders only what changed. No model: the widgets are driven
directly, with the chat's real highlighting thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pygments.styles import get_style_by_name
from pygments.token import Token
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCursor, QTextTable
from PySide6.QtWidgets import QTextEdit
from pytestqt.qtbot import QtBot

from desktop_llm.ui.chat.chat_view import ChatView
from desktop_llm.ui.chat.code_block import CODE_STYLES, CodeBlock, style_colors
from desktop_llm.ui.chat.message_widget import MarkdownView, MessageWidget
from desktop_llm.ui.chat.segments import Segment, split_segments
from desktop_llm.ui.common import theme
from desktop_llm.ui.common.style import current_scheme
from tests.gui.common.test_theme import AA, contrast

LONG_LINE = "x = " + " + ".join(f"value_{i}" for i in range(60))
REPLY = f"""Here is the function:

```python
def area(radius):
    # a comment
    return 3.14159 * radius ** 2
{LONG_LINE}
```

| Name | Value |
|---|---|
| alpha | 1 |
| beta | 22 |

The sum $x_i^2 + y_i^2$ costs $5 and $10. Its integral:

$$
\\int_0^1 x^2\\,dx = \\frac{{1}}{{3}}
$$
"""


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[ChatView]:
    chat = ChatView()
    qtbot.addWidget(chat)
    chat.resize(520, 700)
    chat.show()
    qtbot.waitExposed(chat)
    yield chat
    chat.shutdown()


@pytest.fixture
def scheme_restored() -> Iterator[None]:
    before = current_scheme()
    yield
    theme.use_theme(before)


def _reply(qtbot: QtBot, view: ChatView, text: str = REPLY) -> MessageWidget:
    widget = view.add_message(1, "assistant", text)
    qtbot.waitUntil(lambda: all(b.is_highlighted() for b in widget.body.code_blocks()))
    return widget


def _foreground_at(block: CodeBlock, needle: str) -> QColor:
    document = block.view.document()
    found = document.find(needle)
    assert not found.isNull(), needle
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionStart() + 1)
    return cursor.charFormat().foreground().color()


def _token_color(style: str, token: object) -> QColor:
    return QColor("#" + get_style_by_name(style).style_for_token(token)["color"])


# --- splitting --------------------------------------------------------------------------


def test_split_finds_code_blocks_math_and_leaves_prose() -> None:
    text = (
        "Steps:\n\n"
        "1. Install:\n"
        "   ```bash\n"
        "   pip install x\n"
        "     --upgrade\n"
        "   ```\n"
        "2. Use ``` inline ``` and `$not math$` and prices $5 and $10.\n\n"
        "~~~~\n```\nnested fence kept\n~~~~\n\n"
        "\\[ a_1 \\]\n\n"
        "\\begin{align}\nx &= 1\n\\end{align}\n\n"
        "```js\nlet open = true"
    )
    assert split_segments(text) == [
        Segment("markdown", "Steps:\n\n1. Install:"),
        Segment("code", "pip install x\n  --upgrade", "bash"),
        Segment(
            "markdown",
            "2. Use ``` inline ``` and `$not math$` and prices $5 and $10.\n",
        ),
        Segment("code", "```\nnested fence kept", ""),
        Segment("code", "a_1", "latex"),
        Segment("code", "\\begin{align}\nx &= 1\n\\end{align}", "latex"),
        Segment("code", "let open = true", "js", closed=False),
    ]


def test_inline_math_becomes_a_code_span_with_its_delimiters() -> None:
    (prose,) = split_segments("Let $a_i$ and \\(b_j\\) be; `x` stays; $$c^2$$ too.")
    assert prose.text == "Let `$a_i$` and `\\(b_j\\)` be; `x` stays; `$$c^2$$` too."


# --- the widgets ------------------------------------------------------------------------


def test_a_code_block_is_highlighted_in_the_themes_colours(
    qtbot: QtBot, view: ChatView, scheme_restored: None
) -> None:
    theme.use_theme("light")
    widget = _reply(qtbot, view)
    python, latex = widget.body.code_blocks()
    assert python.language_label.text() == "python" and latex.language_label.text() == "LaTeX"
    style = CODE_STYLES["light"]
    assert _foreground_at(python, "def") == _token_color(style, Token.Keyword)
    assert _foreground_at(python, "# a comment") == _token_color(style, Token.Comment.Single)
    background = python.palette().color(QPalette.ColorRole.Window)
    assert background == QColor(style_colors(style)[0])

    theme.use_theme("dark")
    qtbot.waitUntil(python.is_highlighted)
    dark = CODE_STYLES["dark"]
    assert _foreground_at(python, "def") == _token_color(dark, Token.Keyword)
    assert python.palette().color(QPalette.ColorRole.Window) == QColor(style_colors(dark)[0])
    # The text itself never changes with the colours.
    assert python.view.toPlainText() == python.code()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_code_colour_reaches_aa_on_its_background(scheme: str) -> None:
    style = get_style_by_name(CODE_STYLES[scheme])  # type: ignore[index]
    background, text = style_colors(CODE_STYLES[scheme])  # type: ignore[index]
    assert contrast(QColor(text), QColor(background)) >= AA
    weak = [
        (str(token), values["color"])
        for token, values in style
        if values["color"]
        # Whitespace is never seen; Error and Generic (diff output) are not drawn in code.
        and not any(token in t for t in (Token.Text.Whitespace, Token.Error, Token.Generic))
        and contrast(QColor("#" + values["color"]), QColor(background)) < AA
    ]
    assert weak == []


def test_copy_button_copies_exactly_the_code(qtbot: QtBot, view: ChatView) -> None:
    widget = _reply(qtbot, view)
    python, latex = widget.body.code_blocks()
    python.copy_button.click()
    expected = "def area(radius):\n    # a comment\n    return 3.14159 * radius ** 2\n" + LONG_LINE
    assert QGuiApplication.clipboard().text() == expected
    latex.copy_button.click()
    assert QGuiApplication.clipboard().text() == "\\int_0^1 x^2\\,dx = \\frac{1}{3}"
    # The message's own Copy still copies the whole reply as written.
    widget.copy_button.click()
    assert QGuiApplication.clipboard().text() == REPLY


def test_long_code_lines_scroll_sideways_and_prose_wraps(qtbot: QtBot, view: ChatView) -> None:
    widget = _reply(qtbot, view)
    python, latex = widget.body.code_blocks()
    bar = python.view.horizontalScrollBar()
    assert python.view.lineWrapMode() == QTextEdit.LineWrapMode.NoWrap
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    # The block is tall enough for every line and the scroll bar under them: nothing is cut.
    qtbot.waitUntil(
        lambda: python.view.viewport().height() >= python.view.document().size().height() - 1
    )
    assert not latex.view.horizontalScrollBar().maximum()
    # Nothing is wider than the chat: the long line scrolls inside its block.
    assert view.widget().width() <= view.viewport().width()
    prose = [p for p in widget.body.parts() if isinstance(p, MarkdownView)]
    assert all(p.lineWrapMode() == QTextEdit.LineWrapMode.WidgetWidth for p in prose)


def test_tables_and_math_read_as_written(qtbot: QtBot, view: ChatView) -> None:
    widget = _reply(qtbot, view)
    tables = [
        frame
        for part in widget.body.parts()
        if isinstance(part, MarkdownView)
        for frame in part.document().rootFrame().childFrames()
        if isinstance(frame, QTextTable)
    ]
    assert len(tables) == 1
    table = tables[0]
    assert (table.rows(), table.columns()) == (3, 2)
    assert table.format().border() == 1
    assert table.cellAt(2, 1).firstCursorPosition().block().text() == "22"
    text = widget.body.toPlainText()
    # Markdown would have eaten the underscores and the backslashes.
    assert "$x_i^2 + y_i^2$" in text and "costs $5 and $10" in text
    assert "\\frac{1}{3}" in text


def test_streaming_re_renders_only_the_part_being_written(qtbot: QtBot, view: ChatView) -> None:
    widget = view.add_message(2, "assistant", "", status="streaming")
    view.begin_streaming(2)
    pieces = [
        "Intro **text**.\n\n",
        "```python\n",
        "def f():\n",
        "    return 1\n",
        "```\n",
        "Done.",
    ]
    seen: list[list[object]] = []
    codes: list[str] = []
    for piece in pieces:
        view.append_text(2, piece)
        qtbot.waitUntil(lambda: not view._dirty)  # the render timer's frame
        seen.append(widget.body.parts())
        blocks = widget.body.code_blocks()
        codes.append(blocks[0].view.toPlainText() if blocks else "")
    intro = seen[0][0]
    assert all(parts[0] is intro for parts in seen)  # never rebuilt
    block = seen[1][1]
    assert isinstance(block, CodeBlock)
    assert all(parts[1] is block for parts in seen[1:])  # one block, grown in place
    assert codes[1:5] == ["", "def f():\n", "def f():\n    return 1\n", "def f():\n    return 1"]
    view.finish_message(2, "complete", "".join(pieces), None)
    qtbot.waitUntil(block.is_highlighted)
    parts = widget.body.parts()
    assert parts[:2] == [intro, block] and len(parts) == 3
    assert parts[2].toPlainText() == "Done."  # type: ignore[union-attr]
    assert block.code() == "def f():\n    return 1"


def test_a_user_message_is_shown_as_typed(qtbot: QtBot, view: ChatView) -> None:
    widget = view.add_message(3, "user", "```python\nx = 1\n```\n$a_b$ *no*")
    assert not widget.body.code_blocks()
    assert widget.body.toPlainText() == "```python\nx = 1\n```\n$a_b$ *no*"
