"""Which model each task uses when none is named, and saving a new choice.

Each task has its own setting ('<task>.default_model'); an empty one follows the chat's.
The window's pickers, the model manager's "Set as default" and ModelHost.resolve all go
through here, so they agree on what "the default" is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from desktop_llm.core.config import Settings
from desktop_llm.core.errors import UserError
from desktop_llm.core.i18n import arg, translate
from desktop_llm.core.models.registry import InstalledModel, ModelRegistry

_Remote = TypeVar("_Remote")

# The tasks that have a default model, in the order the window shows them.
MODEL_TASKS: tuple[str, ...] = ("chat", "translate", "summarize", "sentiment")


def default_model_setting(task: str) -> str:
    """The setting that holds a task's default model ('translate.default_model')."""
    return f"{task}.default_model"


def default_model_for(
    task: str,
    settings: Settings,
    registry: ModelRegistry,
    remote: Callable[[str], _Remote | None] | None = None,
) -> InstalledModel | _Remote | None:
    """The task's own default model, else the chat's, else the first installed one; None
    when no model is installed. A default naming a model that is gone is passed over.
    remote: what a name means as a remote engine's model (ENGINE/MODEL_ID), if anything."""
    for task_or_chat in dict.fromkeys((task, "chat")):
        preferred = settings[default_model_setting(task_or_chat)]
        if preferred.strip():
            found = remote(preferred) if remote is not None else None
            if found is not None:
                return found
            try:
                return registry.resolve(preferred)
            except UserError:
                continue
    return registry.default()


def tasks_defaulting_to(name: str, settings: Settings) -> tuple[str, ...]:
    """The tasks whose own default model setting names this model."""
    return tuple(t for t in MODEL_TASKS if settings[default_model_setting(t)] == name)


def save_default_model(settings: Settings, name: str, tasks: Iterable[str]) -> None:
    """Make `name` the default model of each task and save the settings file. The choice
    holds for this session even when saving fails; UserError then says why in plain words."""
    for task in tasks:
        settings.set(default_model_setting(task), name)
    try:
        settings.save()
    except OSError as exc:
        raise UserError(
            arg(
                translate("DefaultModels", "The model choice could not be saved: %1."),
                exc.strerror or exc,
            )
        ) from None
