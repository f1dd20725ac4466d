"""One icon set: every drawing is there and draws, in the scheme's colours, and is redrawn
when the scheme changes; the mode bar, the toolbar and a message's actions wear them; the
toolbar holds a few actions, not a copy of the menus."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from desktop_llm.core.resources import resource
from desktop_llm.ui.common import icons, theme
from desktop_llm.ui.common.style import Scheme
from desktop_llm.ui.main_window import MainWindow
from desktop_llm.ui.mode_switcher import MODES
from tests.gui.common.test_theme import contrast

Role = QPalette.ColorRole


def ink_of(image: QImage) -> QColor:
    """The colour of the most opaque pixel (the core of a stroke)."""
    best, ink = -1, QColor()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > best:
                best, ink = pixel.alpha(), pixel
    assert best == 255, "nothing opaque was drawn"
    return ink


def drawn(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QImage:
    return icon.pixmap(48, 48, mode).toImage()


@pytest.mark.parametrize("name", icons.NAMES)
def test_every_icon_is_a_24_pixel_drawing_in_one_placeholder_colour(name: str) -> None:
    node = resource(f"{icons.FOLDER}/{name}.svg")
    assert node.is_file(), name
    svg = node.read_text(encoding="utf-8")
    assert 'viewBox="0 0 24 24"' in svg
    assert icons.PLACEHOLDER in svg
    # No colour of its own: the theme gives it one.
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(", svg), name
    assert QSvgRenderer(QByteArray(svg.encode())).isValid()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", icons.NAMES)
def test_an_icon_is_drawn_in_the_schemes_button_text_colour(
    qtbot: QtBot, name: str, scheme: Scheme
) -> None:
    palette = theme.palette_for(scheme)
    icon = icons.icon(name, scheme)
    assert not icon.isNull()
    assert ink_of(drawn(icon)).name() == palette.color(Role.ButtonText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, Role.ButtonText)
    assert ink_of(drawn(icon, QIcon.Mode.Disabled)).name() == disabled.name()
    # Seen against the button it sits on (non-text contrast, WCAG 1.4.11).
    assert contrast(palette.color(Role.ButtonText), palette.color(Role.Button)) >= 3.0


def test_the_mode_bar_toolbar_and_message_actions_wear_icons(window: MainWindow) -> None:
    for (key, _title), button in zip(MODES, window.switcher.buttons, strict=True):
        assert icons.icon_name(button) == key
        assert not button.icon().isNull()
        assert button.text()  # still named, for the eye and for a screen reader
    toolbar_actions = [a for a in window.toolbar.actions() if not a.isSeparator()]
    assert toolbar_actions == [
        window.new_action,
        window.find_action,
        window.models_action,
        window.energy_action,
        window.settings_action,
    ]
    for action in toolbar_actions:
        assert not action.icon().isNull() and icons.icon_name(action)
        button = window.toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton)
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
        keys = action.shortcut().toString()
        assert keys and f"({keys})" in action.toolTip(), action.toolTip()
        assert button.text() == action.iconText() and "&" not in button.text()
    # Not a copy of the menus: the rest stays there.
    for action in (window.quit_action, window.delete_action, window.import_action):
        assert action not in window.toolbar.actions()

    store = window.services.store
    chat = window.chat_page.current_id
    assert chat is not None
    store.add_message(chat, "user", "Hello")
    store.add_message(chat, "assistant", "Hi! Some code:\n\n```python\nprint(1)\n```")
    window.chat_page.reload_current()
    window.chat_page.chat_view.update_actions(busy=False)
    user, reply = window.chat_page.chat_view.message_widgets()
    for button, name in (
        (user.edit_button, "edit"),
        (user.copy_button, "copy"),
        (reply.regenerate_button, "regenerate"),
        (reply.copy_button, "copy"),
        (reply.body.code_blocks()[0].copy_button, "copy"),
    ):
        assert icons.icon_name(button) == name
        assert not button.icon().isNull()
        assert button.text() and button.toolTip()


def test_icons_follow_the_theme(qtbot: QtBot, window: MainWindow) -> None:
    settings = window.services.settings
    chat = window.chat_page.current_id
    assert chat is not None
    window.services.store.add_message(chat, "user", "Hello")
    window.chat_page.reload_current()
    message = window.chat_page.chat_view.message_widgets()[0]
    targets: list[QToolButton | QAction] = [
        window.switcher.buttons[1],
        window.settings_action,
        message.copy_button,
    ]
    seen: dict[str, list[str]] = {}
    for scheme in ("light", "dark", "light"):
        settings.set("ui.theme", scheme)
        assert window.theme.scheme == scheme
        expected = theme.palette_for(scheme).color(Role.ButtonText).name()  # type: ignore[arg-type]
        seen[scheme] = [ink_of(drawn(t.icon())).name() for t in targets]
        assert seen[scheme] == [expected] * len(targets)
    assert seen["light"] != seen["dark"]

    # As painted on screen: the toolbar's Settings button, its darkest pixel dark in the
    # light scheme and light in the dark one.
    button = window.toolbar.widgetForAction(window.settings_action)
    lightness: dict[str, int] = {}
    for scheme in ("light", "dark"):
        settings.set("ui.theme", scheme)
        qtbot.wait(10)
        image = button.grab().toImage()
        background = image.pixelColor(1, 1)
        far = max(
            (image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())),
            key=lambda p: contrast(p, background),
        )
        lightness[scheme] = far.lightness()
    assert lightness["light"] < 100 < 180 < lightness["dark"], lightness


def test_a_checked_mode_button_draws_its_icon_on_the_selection(window: MainWindow) -> None:
    palette = theme.palette_for(window.theme.scheme)
    checked = window.switcher.buttons[0]
    assert checked.isChecked()
    image = checked.icon().pixmap(48, 48, QIcon.Mode.Normal, QIcon.State.On).toImage()
    assert ink_of(image).name() == palette.color(Role.HighlightedText).name()
