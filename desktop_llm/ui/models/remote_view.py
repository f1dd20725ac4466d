"""The model manager's Remote tab: a section per remote engine (Settings → Engines) with the
models its server lists. Read-only: a server's models are its own, never deleted or imported
here; the list is asked for off the GUI thread (ui/common/remote_models.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_llm.core.i18n import arg, translate
from desktop_llm.ui.common.remote_models import RemoteGroup, RemoteModels
from desktop_llm.ui.common.style import set_tone


class RemoteView(QWidget):
    engines_requested = Signal()  # "Add or remove engines…": Settings → Engines

    def __init__(self, remote: RemoteModels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.remote = remote
        intro = QLabel(
            translate(
                "RemoteView",
                "Models served by the remote engines you added in Settings → Engines. They "
                "run on those machines: pick one in any model list to use it.",
            )
        )
        intro.setWordWrap(True)
        set_tone(intro, "muted")
        self.tree = QTreeWidget()
        self.tree.setObjectName("remoteModels")
        self.tree.setHeaderLabels([translate("RemoteView", "Engine and model")])
        self.tree.setAccessibleName(translate("RemoteView", "Remote engines and their models"))
        self.tree.setRootIsDecorated(True)
        self.empty_label = QLabel(
            translate(
                "RemoteView",
                "No remote engine yet. Add one in Settings → Engines (a llama-server, vLLM, "
                "Ollama or LM Studio on another machine).",
            )
        )
        self.empty_label.setWordWrap(True)
        self.refresh_button = QPushButton(translate("RemoteView", "Refresh"))
        self.refresh_button.setToolTip(
            translate("RemoteView", "Ask every engine for its models again")
        )
        self.refresh_button.clicked.connect(self.remote.refresh)
        self.engines_button = QPushButton(translate("RemoteView", "Engines…"))
        self.engines_button.setToolTip(
            translate("RemoteView", "Add, test or remove remote engines")
        )
        self.engines_button.clicked.connect(self.engines_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.engines_button)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        remote.changed.connect(self.show_groups)
        self.show_groups()

    def show_groups(self) -> None:
        groups = self.remote.groups()
        self.tree.clear()
        for group in groups:
            self.tree.addTopLevelItem(self._section(group))
        self.tree.expandAll()
        self.empty_label.setVisible(not groups and not self.remote.loading)

    def _section(self, group: RemoteGroup) -> QTreeWidgetItem:
        section = QTreeWidgetItem([group.title])
        font = QFont(self.tree.font())
        font.setBold(True)
        section.setFont(0, font)
        section.setToolTip(
            0, arg(translate("RemoteView", "Remote engine %1 at %2"), group.engine, group.host)
        )
        lines: list[tuple[str, str | None]]
        if group.loading:
            lines = [(translate("RemoteView", "Listing its models…"), None)]
        elif group.error is not None:
            lines = [(translate("RemoteView", "Not reachable"), group.error)]
        elif not group.model_ids:
            lines = [(translate("RemoteView", "It serves no model."), None)]
        else:
            lines = []
        for text, tip in lines:
            child = QTreeWidgetItem([text])
            child.setFlags(Qt.ItemFlag.NoItemFlags)
            if tip:
                child.setToolTip(0, tip)
                child.setText(0, arg(translate("RemoteView", "%1: %2"), text, tip))
            section.addChild(child)
        for model_id, name in zip(group.model_ids, group.names, strict=True):
            child = QTreeWidgetItem([model_id])
            child.setData(0, Qt.ItemDataRole.UserRole, name)
            child.setToolTip(0, arg(translate("RemoteView", "Used as %1"), name))
            section.addChild(child)
        return section
