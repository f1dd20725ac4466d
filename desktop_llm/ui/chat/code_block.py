"""A code block in a reply: highlighted by Pygments in the theme's colours, a copy button,
and long lines scrolled sideways rather than wrapped or cut off.

Highlighting is pure Python (Pygments lexes a few KB in tens of milliseconds), so in the
window it runs on the chat's own one-thread pool and arrives as HTML that Qt parses in one
call. Until it arrives (and while a block is still being written) the code shows as plain
monospace text; new streamed text is appended, never re-laid out from the start. A block
already highlighted once is taken from a small cache (re-opening a chat, switching back a
theme).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import lru_cache
from typing import NamedTuple

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token
from pygments.util import ClassNotFound
from PySide6.QtCore import QObject, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import translate
from desktop_llm.ui.common.icons import set_icon
from desktop_llm.ui.common.style import Scheme, current_scheme
from desktop_llm.ui.common.theme import follow_scheme
from desktop_llm.ui.common.worker import Worker, create_worker, make_pool, stop_pool

# The Pygments style of each scheme: every token colour of both reaches WCAG AA (4.5:1) on
# the style's own background (tests/gui/chat/test_code_blocks.py measures it).
CODE_STYLES: dict[Scheme, str] = {"light": "default", "dark": "github-dark"}
# How often a block still being written is highlighted again, at most (the rest of the time
# new text is appended plain): bounds the lexing to a few per cent of a core.
STREAMING_HIGHLIGHT_S = 0.4
# A block longer than this is highlighted once it is complete, not while it streams.
STREAMING_HIGHLIGHT_MAX_CHARS = 6000
_CACHE_SIZE = 128

# Display names for info words whose own spelling reads badly as a label.
_LABELS = {"latex": "LaTeX", "tex": "TeX", "js": "JavaScript", "ts": "TypeScript"}


def code_style(scheme: Scheme | None = None) -> str:
    return CODE_STYLES[scheme or current_scheme()]


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer:
    options = {"stripnl": False, "ensurenl": False}
    try:
        return get_lexer_by_name(language.lower(), **options) if language else TextLexer()
    except ClassNotFound:
        return TextLexer(**options)


@lru_cache(maxsize=8)
def _formatter(style: str) -> HtmlFormatter:
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


@lru_cache(maxsize=8)
def style_colors(style: str) -> tuple[str, str]:
    """(background, default text colour) of a Pygments style; the text colour of a style
    that leaves it unset is the one that contrasts with its background."""
    pygments_style = get_style_by_name(style)
    background = pygments_style.background_color or "#ffffff"
    text = pygments_style.style_for_token(Token)["color"]
    if text:
        return background, f"#{text}"
    return background, "#1f1f1f" if QColor(background).lightness() > 128 else "#e8eaed"


class Highlighted(NamedTuple):
    code: str
    language: str
    style: str
    html: str


def highlight_html(code: str, language: str, style: str) -> Highlighted:
    """The code as HTML spans in the style's colours (runs on any thread; pure Python)."""
    spans = highlight(code, _lexer(language), _formatter(style))
    return Highlighted(code, language, style, f"<pre style='margin:0'>{spans}</pre>")


def language_label(language: str) -> str:
    if not language:
        return translate("ChatPage", "Code")
    return _LABELS.get(language.lower(), language)


class CodeHighlighter(QObject):
    """The chat's highlighting: one background thread and a cache of recent results."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = make_pool(self, "codeHighlight")
        self._cache: OrderedDict[tuple[str, str, str], Highlighted] = OrderedDict()

    def cached(self, code: str, language: str, style: str) -> Highlighted | None:
        result = self._cache.get((code, language, style))
        if result is not None:
            self._cache.move_to_end((code, language, style))
        return result

    def remember(self, result: Highlighted) -> None:
        self._cache[(result.code, result.language, result.style)] = result
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)

    def start(self, code: str, language: str, style: str) -> Worker:
        worker = create_worker(highlight_html, code, language, style)
        worker.returned.connect(self.remember)
        return worker.start(self._pool)

    def shutdown(self) -> None:
        stop_pool(self._pool)


class CodeView(QTextBrowser):
    """The code itself: no wrapping, a horizontal scroll bar when a line is too long, and a
    height that follows the content (the chat scrolls, not the block)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeView")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Drawn on the block's background (a style sheet here would reach the scroll bar).
        self.viewport().setAutoFillBackground(False)
        self.setAutoFillBackground(False)
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.document().setDefaultFont(fixed)
        self.document().setDocumentMargin(6)
        # Signals, not resizeEvent overrides (see MarkdownView): the document's height, and
        # the scroll bar appearing or going.
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self.horizontalScrollBar().rangeChanged.connect(lambda *_: self._fit_height())

    def _fit_height(self, size: QSizeF | None = None) -> None:
        height = int((size or self.document().size()).height()) + 2 * self.frameWidth()
        bar = self.horizontalScrollBar()
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        if height != self.height():
            self.setFixedHeight(height)


class CodeBlock(QFrame):
    """A language label, a Copy button and the code."""

    def __init__(
        self, highlighter: CodeHighlighter | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codeBlock")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._highlighter = highlighter
        self._code = ""
        self._language: str | None = None
        self._final = True
        self._shown = ""  # the text the view holds now (highlighted or plain)
        self._shown_highlight: tuple[str, str, str] | None = None  # what its colours are for
        self._pending: Worker | None = None
        self._last_request = 0.0
        self._style = ""

        self.language_label = QLabel()
        self.language_label.setObjectName("codeLanguage")
        self.copy_button = QToolButton(self)
        self.copy_button.setText(translate("ChatPage", "Copy code"))
        self.copy_button.setToolTip(translate("ChatPage", "Copy this code to the clipboard"))
        set_icon(self.copy_button, "copy")
        self.copy_button.setIconSize(QSize(14, 14))
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy_button.setAutoRaise(True)
        self.copy_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.copy_button.clicked.connect(self.copy)
        header = QHBoxLayout()
        header.setContentsMargins(8, 2, 2, 0)
        header.addWidget(self.language_label)
        header.addStretch(1)
        header.addWidget(self.copy_button)
        self.view = CodeView(self)
        self.view.setAccessibleName(translate("ChatPage", "Code"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self._apply_style()
        follow_scheme(self, self._on_scheme)

    # --- content ---------------------------------------------------------------------------

    def code(self) -> str:
        return self._code

    def language(self) -> str:
        return self._language or ""

    def set_code(self, code: str, language: str, *, final: bool = True) -> None:
        """Show code; `final` is False while the block is still being written."""
        if language != self._language:
            self._language = language
            self.language_label.setText(language_label(language))
        self._code, self._final = code, final
        if code != self._shown:
            if self._shown and code.startswith(self._shown):
                # Streamed text: appended, the colours of what came before kept.
                cursor = QTextCursor(self.view.document())
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText(code[len(self._shown) :])
            else:
                self.view.setPlainText(code)
                self._shown_highlight = None
            self._shown = code
        self._highlight()

    def _highlight(self) -> None:
        key = (self._code, self.language(), self._style)
        if self._shown_highlight == key:
            return
        if self._highlighter is None:
            self._show_highlighted(highlight_html(*key))
            return
        cached = self._highlighter.cached(*key)
        if cached is not None:
            self._show_highlighted(cached)
            return
        if self._pending is not None:
            return  # one at a time: the newest text is asked for when it lands
        if not self._final and (
            len(self._code) > STREAMING_HIGHLIGHT_MAX_CHARS
            or time.monotonic() - self._last_request < STREAMING_HIGHLIGHT_S
        ):
            return  # while streaming: plain for now, the next frame asks again
        self._last_request = time.monotonic()
        self._pending = self._highlighter.start(*key)
        self._pending.returned.connect(self._on_highlighted)

    def _on_highlighted(self, result: Highlighted) -> None:
        self._pending = None
        if result.style == self._style and result.language == self._language:
            self._show_highlighted(result)
        self._highlight()  # the code may have grown meanwhile (or the theme changed)

    def _show_highlighted(self, result: Highlighted) -> None:
        if not self._code.startswith(result.code):
            return
        self.view.setHtml(result.html)
        tail = self._code[len(result.code) :]
        if tail:
            cursor = QTextCursor(self.view.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(tail)
        self._shown = self._code
        self._shown_highlight = (result.code, result.language, result.style)

    def is_highlighted(self) -> bool:
        """Whether the colours shown are those of the whole code, in the current theme."""
        return self._shown_highlight == (self._code, self.language(), self._style)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self._code)

    # --- theme -----------------------------------------------------------------------------

    def _apply_style(self) -> None:
        self._style = code_style()
        background, text = style_colors(self._style)
        # The Pygments style's own background: its token colours are chosen against it. A
        # palette, not a style sheet: a sheet here would restyle the scroll bar too.
        palette = QGuiApplication.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
        palette.setColor(QPalette.ColorRole.Text, QColor(text))
        palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    def _on_scheme(self, _scheme: str) -> None:
        self._apply_style()
        if self._code:
            self._highlight()
