"""Which page and group of the settings dialog each option is on: one table, read in order.

A group lists option names ("ui.theme") or whole sections ("engine": every engine.* option),
in the order it shows them; a name wins over its section, so one option can sit apart from
the rest of its section or ahead of it. A
new section (engines, a local server) gets a line here, and a new page a `Page`; the
dialog builds itself from PAGES. An option no group names is not lost: it lands on the
first page under its section's title (tests/gui/settings checks there is none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desktop_llm.core.config import OPTIONS, Option
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Group:
    title: str  # marked with QT_TRANSLATE_NOOP("Settings", ...); "" for no frame
    options: tuple[str, ...]  # option names or section names


@dataclass(frozen=True)
class Page:
    key: str
    title: str  # marked with QT_TRANSLATE_NOOP("Settings", ...)
    groups: tuple[Group, ...]
    paths: bool = False  # shows "Where your data lives"


PAGES: tuple[Page, ...] = (
    Page(
        "general",
        QT_TRANSLATE_NOOP("Settings", "General"),
        (
            Group(
                QT_TRANSLATE_NOOP("Settings", "Window"),
                ("ui.language", "ui.show_welcome"),
            ),
            Group(QT_TRANSLATE_NOOP("Settings", "Files"), ("ui.csv_bom",)),
        ),
        paths=True,
    ),
    Page(
        "models",
        QT_TRANSLATE_NOOP("Settings", "Models"),
        (
            Group(QT_TRANSLATE_NOOP("Settings", "Chat"), ("chat.default_model", "chat")),
            Group(QT_TRANSLATE_NOOP("Settings", "Replies"), ("generation",)),
            Group(QT_TRANSLATE_NOOP("Settings", "Engine"), ("engine",)),
            Group(QT_TRANSLATE_NOOP("Settings", "Hugging Face Hub"), ("hub",)),
        ),
    ),
    Page(
        "tasks",
        QT_TRANSLATE_NOOP("Settings", "Tasks"),
        (
            Group(QT_TRANSLATE_NOOP("Settings", "Translation"), ("translate",)),
            Group(QT_TRANSLATE_NOOP("Settings", "Summaries"), ("summarize",)),
            Group(QT_TRANSLATE_NOOP("Settings", "Sentiment"), ("sentiment",)),
        ),
    ),
    Page(
        "energy",
        QT_TRANSLATE_NOOP("Settings", "Energy"),
        (Group(QT_TRANSLATE_NOOP("Settings", "Energy and carbon"), ("energy",)),),
    ),
    Page(
        "server",
        QT_TRANSLATE_NOOP("Settings", "Local server"),
        (Group(QT_TRANSLATE_NOOP("Settings", "OpenAI-compatible API"), ("server",)),),
    ),
    Page(
        "appearance",
        QT_TRANSLATE_NOOP("Settings", "Appearance"),
        (Group("", ("ui.theme",)),),
    ),
)


def section_of(option: Option) -> str:
    return option.name.split(".")[0]


def _place(option: Option, pages: Iterable[Page]) -> tuple[str, int] | None:
    """(page key, group index) of an option: by its name first, then by its section."""
    by_section = None
    for page in pages:
        for index, group in enumerate(page.groups):
            if option.name in group.options:
                return page.key, index
            if by_section is None and section_of(option) in group.options:
                by_section = (page.key, index)
    return by_section


def layout(
    pages: tuple[Page, ...] = PAGES, options: tuple[Option, ...] = OPTIONS
) -> dict[str, list[tuple[str, list[Option]]]]:
    """For each page key, its groups as (title, options in OPTIONS order). Options no group
    names go to the first page, in a group per section titled by the section's name."""
    placed: dict[str, list[tuple[str, list[Option]]]] = {
        p.key: [(g.title, []) for g in p.groups] for p in pages
    }
    strays: dict[str, list[Option]] = {}
    for option in options:
        where = _place(option, pages)
        if where is None:
            strays.setdefault(section_of(option), []).append(option)
        else:
            placed[where[0]][where[1]][1].append(option)
    for page in pages:
        for (_title, group_options), group in zip(placed[page.key], page.groups, strict=True):
            group_options.sort(key=lambda o, g=group: _rank(o, g))  # stable: OPTIONS order
    placed[pages[0].key] += list(strays.items())
    return placed


def _rank(option: Option, group: Group) -> int:
    """Where the group's table names the option: by name, else by section."""
    if option.name in group.options:
        return group.options.index(option.name)
    return group.options.index(section_of(option))


def unplaced(pages: tuple[Page, ...] = PAGES, options: tuple[Option, ...] = OPTIONS) -> list[str]:
    """The options no group names (each should be given a place)."""
    return [o.name for o in options if _place(o, pages) is None]


def page_of(name: str, pages: tuple[Page, ...] = PAGES) -> str:
    """The key of the page an option is on."""
    option = next(o for o in OPTIONS if o.name == name)
    where = _place(option, pages)
    return where[0] if where is not None else pages[0].key
