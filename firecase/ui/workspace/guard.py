"""The question a guard asks (``services.guards``): why the step is out of the measures'
sequence, and the officer's reason to go on anyway.

``ReasonQuestion`` is window-modal over the dialog (or workspace) that made the call: it shows
the service's explanation with its article as links, and a required reason. 不继续 closes it
and nothing is saved (the form the officer typed in stays open as it was); 填写理由并继续 hands
the reason back, and ``WorkspaceContext.run`` calls the service again with it. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import NeedsReasonError
from firecase.ui.keyboard import FirstFieldFocus, mark_first_field
from firecase.ui.workspace.basis import WARN_STYLE, BasisLabel

TITLES = {
    "open_appraisal": "检验鉴定尚未出具结论",
    "reply_before_receipt": "尚未登记收到调查报告",
    "edit_after_reply": "本案已批复",
}


class ReasonQuestion(FirstFieldFocus, QDialog):
    """Asks for the reason to go on past ``exc`` (a ``NeedsReasonError``). Owned by ``parent``
    (the dialog or tab whose save asked); deleted when closed."""

    def __init__(self, exc: NeedsReasonError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonQuestion")
        self.setWindowTitle(TITLES.get(exc.guard, "需要填写理由"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.guard = exc.guard
        layout = QVBoxLayout(self)
        self.explanation = BasisLabel(exc.message, exc.basis, style=WARN_STYLE, parent=self)
        self.explanation.setObjectName("reasonExplanation")
        layout.addWidget(self.explanation)
        layout.addWidget(QLabel("继续办理的理由（必填，记入审计记录）：", self))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("reasonText")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        mark_first_field(self.reason)
        layout.addWidget(self.reason)
        self.message = QLabel("", self)
        self.message.setObjectName("reasonMessage")
        self.message.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.go_button: QPushButton = buttons.addButton(
            "填写理由并继续", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.go_button.setObjectName("reasonGoButton")
        self.stop_button: QPushButton = buttons.addButton(
            "不继续", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.stop_button.setObjectName("reasonStopButton")
        self.stop_button.setDefault(False)
        self.go_button.setAutoDefault(False)
        buttons.accepted.connect(self._on_go)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    @property
    def text(self) -> str:
        """The reason as typed, trimmed."""
        return self.reason.toPlainText().strip()

    def accept_from_keyboard(self) -> None:
        """Ctrl+Enter: the same as 填写理由并继续."""
        self._on_go()

    def _on_go(self) -> None:
        if not self.text:
            self.message.setText("请填写继续办理的理由；不填写理由请点“不继续”。")
            self.reason.setFocus()
            return
        self.accept()
