"""The chat list grouped by time (Today, Yesterday, Previous 7 days, Earlier), and search
results that highlight the words found and open the chat at the message that matched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from desktop_llm.core.store import Store
from desktop_llm.core.store.schema import Conversation
from desktop_llm.ui.chat.conversation_list import time_group
from desktop_llm.ui.chat.search_marks import parse_snippet, term_spans
from desktop_llm.ui.common import theme
from desktop_llm.ui.common.style import COLORS, Scheme, color
from desktop_llm.ui.main_window import MainWindow
from tests.gui.chat.test_sidebar import add_chat, click_row
from tests.gui.common.test_theme import AA, contrast


def set_updated(store: Store, conversation_id: int, when: datetime) -> None:
    """Backdate a conversation in the real database, as if last used `when`."""
    with store.engine.begin() as connection:
        connection.execute(
            sa.update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(updated_at=when)
        )


def local_noon(days_ago: int) -> datetime:
    today = datetime.now().astimezone()
    return (today - timedelta(days=days_ago)).replace(hour=12, minute=0, second=0)


def test_time_groups_follow_the_local_calendar() -> None:
    now = datetime(2025, 3, 10, 9, 30).astimezone()
    assert time_group(now - timedelta(hours=9), now) == "today"  # 00:30 the same day
    assert time_group(now - timedelta(hours=10), now) == "yesterday"  # 23:30 the day before
    assert time_group(now - timedelta(days=2), now) == "week"
    assert time_group(now - timedelta(days=7), now) == "week"
    assert time_group(now - timedelta(days=8), now) == "earlier"
    assert time_group(now + timedelta(hours=1), now) == "today"  # a clock set back
    # The store's times are UTC, naive or not.
    utc = now.astimezone(UTC)
    assert time_group(utc.replace(tzinfo=None), now) == "today"


def test_the_chat_list_is_grouped_by_time(qtbot: QtBot, window: MainWindow) -> None:
    store = window.services.store
    page = window.chat_page
    month = add_chat(window, "Old plans", "What did we say in spring?")
    earlier_week = add_chat(window, "Five days ago", "hello")
    yesterday = add_chat(window, "Yesterday's chat", "hi")
    today = add_chat(window, "Today's chat", "hey")
    set_updated(store, month, datetime.now(UTC) - timedelta(days=31))
    set_updated(store, earlier_week, local_noon(5))
    set_updated(store, yesterday, local_noon(1))
    set_updated(store, today, datetime.now(UTC) - timedelta(seconds=5))
    page.refresh_sidebar()

    sidebar = page.sidebar
    assert sidebar.headers() == ["Today", "Yesterday", "Previous 7 days", "Earlier"]
    groups = sidebar.groups()
    assert groups[today] == "today"
    assert groups[yesterday] == "yesterday"
    assert groups[earlier_week] == "week"
    assert groups[month] == "earlier"
    # Newest first, headers in between; the empty chat the window opened with is today's.
    texts = [sidebar.list.item(r).text() for r in range(sidebar.list.count())]
    assert texts.index("Today") < texts.index("Today's chat") < texts.index("Yesterday")
    assert texts.index("Yesterday's chat") < texts.index("Previous 7 days")
    assert texts.index("Five days ago") < texts.index("Earlier") < texts.index("Old plans")
    assert sidebar.ids()[-1] == month and month not in sidebar.ids()[:-1]

    # Headers cannot be picked: not selectable, not enabled, and the keys step over them.
    header = sidebar.list.item(0)
    assert header.flags() == Qt.ItemFlag.NoItemFlags
    view: QListWidget = sidebar.list
    view.setFocus()
    order = [sidebar.item_for(i) for i in sidebar.ids()]
    sidebar.select(sidebar.ids()[0])
    for expected in order[1:]:
        qtbot.keyClick(view, Qt.Key.Key_Down)
        assert view.currentItem() is expected, view.currentItem().text()
    for expected in reversed(order[:-1]):
        qtbot.keyClick(view, Qt.Key.Key_Up)
        assert view.currentItem() is expected, view.currentItem().text()
    qtbot.keyClick(view, Qt.Key.Key_Up)  # only a header above: stays
    assert view.currentItem() is order[0]
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentItem() is order[-1]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.currentItem().data(Qt.ItemDataRole.UserRole) is not None
    # Enter opens the chat under the cursor.
    sidebar.select(yesterday)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert page.current_id == yesterday
    # Clicking a header does nothing (the list was filled again: the item is new).
    rect = view.visualItemRect(sidebar.list.item(0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_id == yesterday

    # A chat written in today moves up to Today.
    store.add_message(month, "user", "and now?")
    page.refresh_sidebar()
    assert sidebar.groups()[month] == "today"
    assert "Earlier" not in sidebar.headers()


def test_snippet_marks_and_terms() -> None:
    text, spans = parse_snippet("…the [nebula] is a cloud; a[0] too; Nebula again", ["nebula"])
    assert text == "…the nebula is a cloud; a[0] too; Nebula again"
    assert [text[s:e] for s, e in spans] == ["nebula", "Nebula"]
    assert term_spans("C++ and c", ["c++", "C"]) == [(0, 3), (8, 9)]
    text, spans = parse_snippet("你好[世界]", ["世界"])
    assert (text, spans) == ("你好世界", [(2, 4)])


def test_the_highlight_is_readable_in_both_schemes() -> None:
    for scheme in ("light", "dark"):
        s: Scheme = scheme  # type: ignore[assignment]
        p = theme.palette_for(s)
        text = p.color(p.ColorRole.Text)
        assert contrast(text, QColor(COLORS[s]["match"])) >= AA, scheme


def _filler(n: int) -> list[str]:
    return [f"Line {i}: nothing to see here, just words to fill the chat." for i in range(n)]


def test_a_search_hit_opens_at_the_matching_message_highlighted(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1000, 640)
    page = window.chat_page
    before = "\n\n".join(_filler(12))
    texts = [before] * 6 + ["The answer mentions a Quasar and a quasar again."] + [before] * 6
    chat = add_chat(window, "Long talk", *texts)
    add_chat(window, "Other", "nothing here")
    target = next(m.id for m in window.services.store.messages(chat) if "Quasar" in m.content)

    page.sidebar.search_field.setText("quasar")
    qtbot.waitUntil(lambda: page.sidebar.ids() == [chat])
    # The result's snippet: plain text, the word highlighted in the theme's colour.
    item = page.sidebar.item_for(chat)
    assert item is not None
    title, snippet, spans = item.data(Qt.ItemDataRole.UserRole + 3)
    assert title == "Long talk"
    assert [snippet[s:e] for s, e in spans] == ["Quasar", "quasar"]
    assert "[" not in snippet
    image: QImage = page.sidebar.list.viewport().grab().toImage()
    match = QColor(color("match"))
    assert any(
        image.pixelColor(x, y) == match
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
    ), "the highlighted word is not drawn"

    click_row(qtbot, window, chat)
    assert page.current_id == chat
    view = page.chat_view
    widget = view.widget_for(target)
    assert widget is not None
    assert widget.marks() == ["Quasar", "quasar"]
    others = [w for w in view.message_widgets() if w is not widget]
    assert all(not w.marks() for w in others)

    def shown() -> bool:
        top = widget.mapTo(view.widget(), widget.rect().topLeft()).y()
        value = view.verticalScrollBar().value()
        return value > 0 and value <= top < value + view.viewport().height() - 40

    qtbot.waitUntil(shown)
    # Not at the end, where a chat opens otherwise.
    bar = view.verticalScrollBar()
    assert bar.value() < bar.maximum()
    # The highlight is drawn: the match colour is on screen in the message.
    grabbed = widget.grab().toImage()
    assert any(
        grabbed.pixelColor(x, y) == match
        for y in range(grabbed.height())
        for x in range(0, grabbed.width(), 2)
    )

    # The user scrolls: the chat no longer holds the message in place.
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.anchored() is None

    # Opened again from the plain list (search cleared): no highlight, at the end.
    page.sidebar.search_field.clear()
    qtbot.waitUntil(lambda: len(page.sidebar.ids()) == 3)
    page.open_conversation(chat)
    assert all(not w.marks() for w in view.message_widgets())


def test_a_hit_in_an_earlier_version_brings_its_branch_on_screen(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.chat_page
    store = window.services.store
    chat = add_chat(window, "Versions", "Name a star.", "Betelgeuse is a red giant.")
    question, first = (m.id for m in store.messages(chat))
    store.add_message(chat, "assistant", "Sirius is the brightest.", parent_id=question)
    page.open_conversation(chat)
    assert [w.text() for w in page.chat_view.message_widgets()][1] == "Sirius is the brightest."

    page.sidebar.search_field.setText("Betelgeuse")
    qtbot.waitUntil(lambda: page.sidebar.ids() == [chat])
    click_row(qtbot, window, chat)
    widget = page.chat_view.widget_for(first)
    assert widget is not None and widget.marks() == ["Betelgeuse"]
    assert widget.version_label.text() == "1/2"
    assert store.messages(chat)[-1].id == first  # and it stays after a restart
