"""The combo of installed models; the choice applies to this chat and to new ones.

Under the installed models, each remote engine the user added (Settings → Engines) is a
section titled with its name and host, listing its models as ENGINE/MODEL_ID; a server that
could not be asked is one disabled line that says so (ui/common/remote_models.py lists them
off the GUI thread).

A task page's picker marks the models on the Pareto front of that task's evaluation
("Which model?" in the energy dashboard): FrontMarks reads the stored results off the GUI
thread and hands each picker the names to mark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QPaintEvent, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget

from desktop_llm.core.config import Settings
from desktop_llm.core.eco import SETTING as ECO_SETTING
from desktop_llm.core.eco import eco_active
from desktop_llm.core.evaluation.results import eco_suggestion, latest_results, pareto_front
from desktop_llm.core.i18n import QT_TRANSLATE_NOOP, arg, translate
from desktop_llm.core.models import InstalledModel, format_bytes
from desktop_llm.core.store import Store
from desktop_llm.ui.common.remote_models import RemoteGroup
from desktop_llm.ui.common.worker import Worker, make_pool, run_in_pool, stop_pool

log = logging.getLogger(__name__)

# The last entry opens the model manager; it is never a current model.
MANAGE = "\x00manage"
PICKER_CHARS = 26


# Next to the bundled model's name: what it is for (the welcome page says more).
STARTER_HINT = QT_TRANSLATE_NOOP("ModelPicker", "starter: tiny, for trying the app")


def starter_hint() -> str:
    return translate("ModelPicker", STARTER_HINT)


def model_item(
    m: InstalledModel, on_front: bool = False, eco_pick: bool = False
) -> tuple[str, str]:
    """An installed model as a picker shows it: its label and its tooltip. on_front: the
    model is on the Pareto front of the page's task (marked with a star); eco_pick: eco mode
    is on and this is the front's model that uses least energy."""
    label = m.name
    if m.source == "bundled":
        label = arg(translate("ModelPicker", "%1 (%2)"), m.name, starter_hint())
    tip = f"{m.path}\n{format_bytes(m.size_bytes)}"
    if m.broken:
        label = arg(translate("ModelPicker", "%1 — broken"), label)
        tip += f"\n{m.broken}"
    elif on_front:
        label = arg(translate("ModelPicker", "★ %1", "a model on the task's Pareto front"), label)
        tip += "\n" + translate(
            "ModelPicker",
            "★ Best energy for its quality: in this task's evaluation no other model scored "
            "as well for less energy (Energy dashboard, Which model?).",
        )
    if eco_pick and not m.broken:
        label = arg(translate("ModelPicker", "%1 (eco pick)"), label)
        tip += "\n" + translate(
            "ModelPicker",
            "Eco mode suggests it: of the models on this task's front, it uses the least energy.",
        )
    return label, tip


def front_models(store: Store, task: str) -> frozenset[str]:
    """The names of the models on the Pareto front of `task`'s stored evaluations (reads
    the database: off the GUI thread)."""
    return frozenset(r.model for r in pareto_front(latest_results(store, task)))


class ModelPicker(QComboBox):
    model_chosen = Signal(str)  # only for choices the user made, not for set_current()
    manage_requested = Signal()  # "Manage models…" was picked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(
            translate("ModelPicker", "The model that answers in this chat and in new ones")
        )
        # As wide as about PICKER_CHARS characters, whatever the names: a long model name
        # (or a new download) never widens the window; the list opens wide enough.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(PICKER_CHARS)
        self.view().setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.activated.connect(self._on_activated)
        self._shown = 0  # the index to go back to after "Manage models…"
        self._models: list[InstalledModel] = []
        self._front: frozenset[str] = frozenset()
        self._eco_pick: str | None = None
        self._remote: list[RemoteGroup] = []
        self._remote_engine: dict[str, str] = {}  # ENGINE/MODEL_ID -> ENGINE
        # A remote model asked for before its engine's list came: chosen when it comes.
        self._wanted: str | None = None

    def front(self) -> frozenset[str]:
        """The models marked as on the task's Pareto front."""
        return self._front

    def eco_pick(self) -> str | None:
        """The model marked as eco mode's suggestion, or None."""
        return self._eco_pick

    def set_front(self, names: Collection[str], eco_pick: str | None = None) -> None:
        """Mark these models (by name) as on the page's task's Pareto front, and eco_pick
        as eco mode's suggestion (None: eco mode off or nothing to suggest)."""
        front = frozenset(names)
        if front != self._front or eco_pick != self._eco_pick:
            self._front, self._eco_pick = front, eco_pick
            self.set_models(self._models)

    def set_models(self, models: Sequence[InstalledModel]) -> None:
        self._models = list(models)
        current = self.current_name()
        self.blockSignals(True)
        self.clear()
        for m in models:
            label, tip = model_item(m, m.name in self._front, m.name == self._eco_pick)
            self.addItem(label, m.name)
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if not models:
            self.addItem(translate("ModelPicker", "No model installed"), None)
        self._add_remote()
        self.insertSeparator(self.count())
        self.addItem(translate("ModelPicker", "Manage models…"), MANAGE)
        self.setItemData(
            self.count() - 1,
            translate("ModelPicker", "Download, import, inspect and remove models (Ctrl+Shift+M)"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.blockSignals(False)
        if current is not None:
            self.set_current(current)
        self._shown = self.currentIndex()

    def set_remote(self, groups: Sequence[RemoteGroup]) -> None:
        """The remote engines' sections (listed again with the installed models)."""
        self._remote = list(groups)
        wanted = self._wanted
        self.set_models(self._models)
        if wanted is not None and self.set_current(wanted):
            self._wanted = None

    def remote_groups(self) -> list[RemoteGroup]:
        return list(self._remote)

    def remote_engine(self, name: str | None) -> str | None:
        """The engine a listed model runs on, None for an installed one."""
        return self._remote_engine.get(name) if name else None

    def _add_disabled(self, text: str, tip: str | None = None, *, heading: bool = False) -> None:
        self.addItem(text, None)
        index = self.count() - 1
        model = self.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(index)
            item.setEnabled(False)
            if heading:
                font = QFont(self.font())
                font.setBold(True)
                item.setFont(font)
        if tip:
            self.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)

    def _add_remote(self) -> None:
        self._remote_engine = {}
        for group in self._remote:
            self.insertSeparator(self.count())
            self._add_disabled(
                group.title,
                arg(translate("ModelPicker", "Remote engine %1 at %2"), group.engine, group.host),
                heading=True,
            )
            if group.loading:
                self._add_disabled(translate("ModelPicker", "    listing its models…"))
            elif group.error is not None:
                self._add_disabled(translate("ModelPicker", "    not reachable"), group.error)
            elif not group.model_ids:
                self._add_disabled(translate("ModelPicker", "    serves no model"))
            for model_id, name in zip(group.model_ids, group.names, strict=True):
                self.addItem(f"    {model_id}", name)
                self.setItemData(
                    self.count() - 1,
                    arg(
                        translate("ModelPicker", "%1, on %2 (%3)"),
                        model_id,
                        group.engine,
                        group.host,
                    ),
                    Qt.ItemDataRole.ToolTipRole,
                )
                self._remote_engine[name] = group.engine

    def shown_text(self) -> str:
        """The current entry as drawn: cut with "…" where the box is narrower than it."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, field.width() - 2
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        """Qt cuts a long entry off mid-letter; this one ends it with "…"."""
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:
        """The list as wide as its longest entry (up to the screen), not the combo's width."""
        view = self.view()
        wanted = view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24
        screen = self.screen().availableGeometry().width() if self.screen() else wanted
        view.setMinimumWidth(min(wanted, screen - 40))
        super().showPopup()

    def names(self) -> list[str]:
        return [
            self.itemData(i)
            for i in range(self.count())
            if self.itemData(i) is not None and self.itemData(i) != MANAGE
        ]

    def current_name(self) -> str | None:
        data = self.currentData()
        return None if data is None or data == MANAGE else str(data)

    def set_current(self, name: str | None) -> bool:
        """Select `name` if it is installed; False (selection unchanged) otherwise."""
        index = self.findData(name) if name else -1
        if index < 0:
            if name and "/" in name:  # ENGINE/MODEL_ID: its engine's list may come later
                self._wanted = name
            return False
        self._wanted = None
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self._shown = index
        return True

    def _on_activated(self, index: int) -> None:
        name = self.itemData(index)
        if name == MANAGE:
            self.blockSignals(True)
            self.setCurrentIndex(self._shown)
            self.blockSignals(False)
            self.manage_requested.emit()
        elif name is not None:
            self._wanted = None
            self._shown = index
            self.model_chosen.emit(str(name))


class FrontMarks(QObject):
    """Keeps the task pages' pickers marking the models on their task's Pareto front:
    refresh() reads the stored evaluations in a worker and marks each picker. With settings,
    it also marks eco mode's suggestion while eco mode is on, and refreshes when the
    energy.eco setting changes."""

    refreshed = Signal()
    _eco_changed = Signal()

    def __init__(
        self,
        store: Store,
        pickers: Mapping[str, ModelPicker],
        parent: QObject,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._unsubscribe: Callable[[], None] = lambda: None
        if settings is not None:
            self._eco_changed.connect(self.refresh)  # from any thread, handled here
            self._unsubscribe = settings.subscribe(
                lambda changed: self._eco_changed.emit() if ECO_SETTING in changed else None
            )
        self._pickers = dict(pickers)  # task -> its page's picker
        self._pool = make_pool(self, "pareto front marks")
        self._worker: Worker | None = None

    def refresh(self) -> None:
        store, tasks, settings = self._store, list(self._pickers), self._settings

        def read() -> dict[str, tuple[frozenset[str], str | None]]:
            eco = settings is not None and eco_active(settings)
            return {
                task: (
                    front_models(store, task),
                    (pick.model if (pick := eco_suggestion(store, task)) else None)
                    if eco
                    else None,
                )
                for task in tasks
            }

        self._worker = run_in_pool(
            self._pool, read, self._apply, self._failed, replaces=self._worker
        )

    def _apply(self, fronts: object) -> None:
        assert isinstance(fronts, dict)
        for task, (names, eco_pick) in fronts.items():
            self._pickers[task].set_front(names, eco_pick)
        self.refreshed.emit()

    def _failed(self, message: str) -> None:
        log.warning("could not read the evaluations' fronts: %s", message)

    def shutdown(self) -> None:
        self._unsubscribe()
        stop_pool(self._pool, self._worker)
