"""The window's icons: one set of 24×24 stroke drawings (resources/icons/actions/*.svg) in
the colours of the scheme in use.

Each drawing strokes in ``currentColor``; `icon(name)` puts the palette's colours in its
place (the button text colour; the disabled text colour; the selection's text colour for
a checked or selected button) and renders the drawing once per size and scheme, so
painting a button never calls Python. `set_icon(button_or_action, name)` gives the icon
and renders it again when the scheme changes (`follow_scheme`).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt
from PySide6.QtGui import QAction, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton

from desktop_llm.core.resources import read_text
from desktop_llm.ui.common.style import Scheme, current_scheme
from desktop_llm.ui.common.theme import follow_scheme, palette_for

FOLDER = "icons/actions"
# What a drawing strokes and fills with; replaced by the scheme's colour.
PLACEHOLDER = "currentColor"
# Every icon the window uses: the mode bar, the toolbar, a message's actions.
NAMES = (
    "chat",
    "translate",
    "summarize",
    "sentiment",
    "new-chat",
    "search",
    "models",
    "energy",
    "settings",
    "copy",
    "edit",
    "regenerate",
    "previous",
    "next",
)
# Rendered at these sizes (device pixels); Qt picks the nearest for a button and scales.
SIZES = (16, 20, 24, 32, 40, 48, 64)

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
Mode = QIcon.Mode
State = QIcon.State

_drawings: dict[str, str] = {}
_icons: dict[tuple[str, Scheme], QIcon] = {}


def drawing(name: str) -> str:
    """The SVG source of icon `name` (KeyError for a name not in NAMES)."""
    if name not in NAMES:
        raise KeyError(name)
    if name not in _drawings:
        _drawings[name] = read_text(f"{FOLDER}/{name}.svg")
    return _drawings[name]


def ink(scheme: Scheme) -> dict[tuple[QIcon.Mode, QIcon.State], str]:
    """The colour of each icon mode and state in a scheme, from its palette."""
    palette = palette_for(scheme)
    normal = palette.color(Role.ButtonText).name()
    selected = palette.color(Role.HighlightedText).name()
    disabled = palette.color(Group.Disabled, Role.ButtonText).name()
    return {
        (Mode.Normal, State.Off): normal,
        (Mode.Active, State.Off): normal,
        (Mode.Disabled, State.Off): disabled,
        (Mode.Selected, State.Off): selected,
        # Checked (a mode bar button): drawn on the selection colour.
        (Mode.Normal, State.On): selected,
        (Mode.Active, State.On): selected,
        (Mode.Disabled, State.On): disabled,
        (Mode.Selected, State.On): selected,
    }


def render(name: str, color: str, size: int) -> QPixmap:
    """Icon `name` stroked in `color`, `size` device pixels square, on transparency."""
    svg = drawing(name).replace(PLACEHOLDER, color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def icon(name: str, scheme: Scheme | None = None) -> QIcon:
    """Icon `name` in the colours of `scheme` (the scheme in use when None)."""
    scheme = scheme or current_scheme()
    key = (name, scheme)
    cached = _icons.get(key)
    if cached is not None:
        return cached
    result = QIcon()
    rendered: dict[tuple[str, int], QPixmap] = {}
    for (mode, state), color in ink(scheme).items():
        for size in SIZES:
            pixmap = rendered.get((color, size))
            if pixmap is None:
                pixmap = rendered[(color, size)] = render(name, color, size)
            result.addPixmap(pixmap, mode, state)
    _icons[key] = result
    return result


class _Follower(QObject):
    """Gives its parent (a button or an action) the icon again when the scheme changes;
    deleted with its parent, which disconnects it."""

    def __init__(self, target: QAbstractButton | QAction, name: str) -> None:
        super().__init__(target)
        self.setObjectName("iconFollower")
        self._target = target
        self.name = name
        follow_scheme(self, self.refresh)

    def refresh(self, scheme: str | None = None) -> None:
        self._target.setIcon(icon(self.name, scheme))  # type: ignore[arg-type]


def _follower(target: QObject) -> _Follower | None:
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    return target.findChild(_Follower, "iconFollower", direct)  # type: ignore[return-value]


def set_icon(target: QAbstractButton | QAction, name: str) -> None:
    """Give a button or an action icon `name`, now and whenever the scheme changes."""
    follower = _follower(target)
    if follower is None:
        follower = _Follower(target, name)
    follower.name = name
    follower.refresh()


def icon_name(target: QAbstractButton | QAction) -> str | None:
    """The name set_icon gave `target`, if any."""
    follower = _follower(target)
    return None if follower is None else follower.name
