"""Every interactive widget has a name a screen reader can say, Tab goes as the eye reads,
and the focused widget wears a ring that can be seen.

The walk covers the main window's four pages and every dialog (model manager, energy
dashboard, settings, welcome page). A widget's name is what QAccessible reports, the
very text a screen reader reads: an accessibleName(), a button's visible text, or the
text of the label that names it as its buddy.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QTabBar,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_llm.ui.common import theme
from desktop_llm.ui.common.style import Scheme
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.welcome.dialog import WelcomeDialog
from tests.gui.common.test_theme import contrast
from tests.gui.conftest import WindowFactory

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,  # QTextBrowser too
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QSlider,
    QTabBar,
)
# Focus ring contrast against the background next to it (WCAG 2.2, 1.4.11 and 2.4.13).
NON_TEXT_CONTRAST = 3.0


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(QAccessible.Text.Name).strip()


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a widget and names itself, or that are never focused: a line
    edit's clear button, a combo box's pop-up list, a spin box's editor, a header."""
    if isinstance(widget, QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit)):
            return True
        parent = parent.parentWidget()
    return False


def interactive_widgets(root: QWidget) -> Iterator[QWidget]:
    """The widgets a user acts on under root, shown or not: buttons (clickable even when
    Tab skips them) and whatever else takes the focus."""
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or _qt_internal(widget):
            continue
        if not isinstance(widget, QAbstractButton):
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
        elif not widget.isVisible() and not widget.text() and not widget.accessibleName():
            # A button whose text is set when it is shown (e.g. "Use <model>"): it is
            # checked in the states where it shows.
            continue
        yield widget


def unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__}#{w.objectName()} in {type(w.parentWidget()).__name__}"
        for w in interactive_widgets(root)
        if not accessible_name(w)
    ]


def tab_chain(root: QWidget) -> list[QWidget]:
    """The visible widgets under root that Tab reaches, in the order it reaches them."""
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    seen: set[int] = set()
    while widget is not root and id(widget) not in seen:
        seen.add(id(widget))
        if (
            root.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not _qt_internal(widget)
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _rect(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def reading_order_breaks(root: QWidget) -> list[str]:
    """Steps of the Tab chain that go against reading order: back to the left on the same
    line, or up and to the left. Going up into a column to the right (a sidebar's list,
    then the page beside it) is how a page with columns is read."""
    chain = tab_chain(root)
    breaks = []
    for a, b in itertools.pairwise(chain):
        ra, rb = _rect(a, root), _rect(b, root)
        same_line = rb.top() < ra.bottom() and ra.top() < rb.bottom()
        left = rb.right() < ra.left()
        above = rb.bottom() < ra.top()
        right = rb.left() > ra.right()
        if (same_line and left) or (above and not right):
            breaks.append(f"{_describe(a)} → {_describe(b)}")
    return breaks


def _describe(widget: QWidget) -> str:
    return f"{type(widget).__name__}({accessible_name(widget)!r})"


def _add_chat(window: MainWindow) -> int:
    """A stored chat with a reply holding code, opened (Edit and Regenerate show)."""
    store = window.services.store
    conversation = store.create_conversation("Trip plans")
    store.add_message(conversation.id, "user", "Where should we go?")
    store.add_message(
        conversation.id,
        "assistant",
        "To the mountains.\n\n```python\nprint('pack')\n```",
        status="complete",
    )
    window.chat_page.refresh_sidebar()
    window.chat_page.open_conversation(conversation.id)
    QApplication.processEvents()  # a layout shows the widgets it was given on the next turn
    return conversation.id


def _pages(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    for index in range(window.pages.count()):
        window.show_mode(index)
        QApplication.processEvents()
        page = window.pages.currentWidget()
        yield type(page).__name__, page


def test_every_widget_of_the_window_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    _add_chat(window)
    missing = {name: unnamed(page) for name, page in _pages(window)}
    missing["switcher"] = unnamed(window.switcher)
    missing["status bar"] = unnamed(window.status_line)
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, missing


def test_the_names_are_those_the_issue_found_missing(qtbot: QtBot, window: MainWindow) -> None:
    """The eleven widgets a screen reader said nothing for, by what it says now."""
    _add_chat(window)
    chat = window.chat_page
    names = [accessible_name(w) for w in (chat.composer.editor, chat.sidebar.search_field)]
    names.append(accessible_name(chat.sidebar.list))
    for panel in window.panels.values():
        names += [accessible_name(panel.history.list)]
    assert all(names), names
    assert accessible_name(chat.composer.editor) == "Message"
    assert accessible_name(chat.sidebar.search_field) == "Search all chats"


def test_every_dialog_names_its_widgets(qtbot: QtBot, window: MainWindow) -> None:
    missing: dict[str, list[str]] = {}
    settings = window.open_settings()
    for row in range(settings.page_list.count()):
        settings.page_list.setCurrentRow(row)
        missing[f"settings page {row}"] = unnamed(settings)
    settings.reject()
    manager = window.open_model_manager()
    for tab in range(manager.tabs.count()):
        manager.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        missing[f"model manager tab {tab}"] = unnamed(manager)
    manager.close()
    dashboard = window.open_energy_dashboard()
    missing["energy dashboard"] = unnamed(dashboard)
    dashboard.close()
    welcome = WelcomeDialog(window.services.settings, window.downloads, window)
    qtbot.addWidget(welcome)
    welcome.show()
    missing["welcome"] = unnamed(welcome)
    welcome.close()
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, missing


def test_unnamed_widgets_are_found() -> None:
    """The walk can fail: a bare text field has no name, a labelled button has one."""
    root = QWidget()
    layout = QVBoxLayout(root)
    field, button = QLineEdit(), QPushButton("&Send")
    layout.addWidget(field)
    layout.addWidget(button)
    assert accessible_name(button) == "Send"
    assert len(unnamed(root)) == 1
    field.setAccessibleName("Message")
    assert not unnamed(root)
    root.deleteLater()


def test_tab_follows_reading_order_on_every_page(qtbot: QtBot, window: MainWindow) -> None:
    _add_chat(window)
    breaks = {name: reading_order_breaks(page) for name, page in _pages(window)}
    breaks = {k: v for k, v in breaks.items() if v}
    assert not breaks, breaks


def test_tab_on_a_message_goes_edit_regenerate_copy(qtbot: QtBot, window: MainWindow) -> None:
    _add_chat(window)
    user, reply = window.chat_page.chat_view.message_widgets()
    assert user.edit_button.isVisible() and reply.regenerate_button.isVisible()
    chain = [w for w in tab_chain(user) if isinstance(w, QAbstractButton)]
    assert chain == [user.edit_button, user.copy_button]  # was Copy → Edit
    stops = tab_chain(window.chat_page)
    # The reply's header, then its prose, then its code block (Copy, then the code).
    code = reply.body.code_blocks()[0]
    start = stops.index(reply.regenerate_button)
    assert stops[start : start + 5] == [
        reply.regenerate_button,
        reply.copy_button,
        reply.body.parts()[0],
        code.copy_button,
        code.view,
    ]
    # The messages come before the composer, as drawn: not at the end of the chain.
    assert stops.index(code.view) < stops.index(window.chat_page.composer.editor)


def test_tab_follows_reading_order_in_the_dialogs(qtbot: QtBot, window: MainWindow) -> None:
    breaks: dict[str, list[str]] = {}
    settings = window.open_settings()
    breaks["settings"] = reading_order_breaks(settings)
    settings.reject()
    manager = window.open_model_manager()
    for tab in range(manager.tabs.count()):
        manager.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        breaks[f"model manager tab {tab}"] = reading_order_breaks(manager)
    manager.close()
    dashboard = window.open_energy_dashboard()
    breaks["energy dashboard"] = reading_order_breaks(dashboard)
    dashboard.close()
    welcome = WelcomeDialog(window.services.settings, window.downloads, window)
    qtbot.addWidget(welcome)
    welcome.show()
    breaks["welcome"] = reading_order_breaks(welcome)
    welcome.close()
    breaks = {k: v for k, v in breaks.items() if v}
    assert not breaks, breaks


def test_the_order_check_can_fail() -> None:
    root = QDialog()
    layout = QVBoxLayout(root)
    first, second, third = QPushButton("First"), QPushButton("Second"), QPushButton("Third")
    for button in (first, second, third):
        layout.addWidget(button)
    root.show()
    assert not reading_order_breaks(root)
    QWidget.setTabOrder(second, first)  # Second, First, Third
    assert reading_order_breaks(root) == ["QPushButton('Second') → QPushButton('First')"]
    root.close()
    root.deleteLater()


# --- the focus ring ---------------------------------------------------------------------


def _ring_contrast(qtbot: QtBot, widget: QWidget) -> float:
    """Draws the widget unfocused and focused; the ring is the pixels that changed. Its
    contrast is measured against the colour the same pixel had without focus."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(12, 12, 12, 12)
    layout.addWidget(widget)
    other = QLineEdit()
    layout.addWidget(other)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    other.setFocus()
    qtbot.waitUntil(lambda: other.hasFocus() or QApplication.focusWidget() is other)
    before = widget.grab().toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: widget.hasFocus())
    after = widget.grab().toImage()
    best = 0.0
    for y in range(after.height()):
        for x in range(after.width()):
            a, b = after.pixelColor(x, y), before.pixelColor(x, y)
            if a != b:
                best = max(best, contrast(a, b))
    holder.close()
    return best


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["button", "line edit", "list", "combo box", "text edit"])
def test_the_focus_ring_stands_out(qtbot: QtBot, scheme: Scheme, kind: str) -> None:
    from PySide6.QtWidgets import QListWidget

    theme.use_theme(scheme)
    widget: QWidget
    if kind == "button":
        widget = QPushButton("Send")
    elif kind == "line edit":
        widget = QLineEdit("text")
    elif kind == "list":
        widget = QListWidget()
        widget.addItems(["Trip plans", "Recipes"])
    elif kind == "combo box":
        widget = QComboBox()
        widget.addItems(["English", "中文"])
    else:
        widget = QPlainTextEdit("text")
    ring = _ring_contrast(qtbot, widget)
    assert ring >= NON_TEXT_CONTRAST, f"{scheme} {kind}: {ring:.2f}:1"


def test_the_ring_is_measured(qtbot: QtBot) -> None:
    """The measure sees a faint ring as faint: a style sheet with a pale outline."""
    theme.use_theme("light")
    widget = QLineEdit()  # empty and read-only: no selection, no cursor; only the border
    widget.setReadOnly(True)
    widget.setStyleSheet(
        "QLineEdit { border: 2px solid #ffffff; background: #ffffff; }"
        "QLineEdit:focus { border: 2px solid #e8e8e8; }"
    )
    ring = _ring_contrast(qtbot, widget)
    assert ring == pytest.approx(contrast(QColor("#e8e8e8"), QColor("#ffffff")), abs=0.01)


def test_window_has_no_unnamed_widget_with_a_new_chat(make_window: WindowFactory) -> None:
    """The first start (one empty chat, no messages) as well."""
    window = make_window()
    assert not unnamed(window.chat_page)
