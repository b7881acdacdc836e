"""公开前审查 and 记录发布: the two dialogs of the 公开 tab (第二十一条).

``ReviewDialog`` lists everything the public version withholds or masks — where it was, what,
why, on what basis, who decided — and lets the officer keep a found item (only with a reason)
or mask it again, then approve the version as it is. ``ReleaseDialog`` writes the reviewed
version to a file and records the publication with the file's SHA-256.

Both are owned by the 公开 tab; GUI thread only; every service call runs on the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from firecase.services import publication
from firecase.services.dto import ReleaseInput
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus, tab_past
from firecase.ui.util import fit_to_screen
from firecase.ui.workspace.crud import RecordDialog, case_dates
from firecase.ui.workspace.fields import ChoiceField, DateField, LongTextField, TextField

if TYPE_CHECKING:
    from firecase.services.disclosure import PublicVersion, ReviewItem

__all__ = ["ReleaseDialog", "ReviewDialog"]

_KINDS = {"withheld": "不公开", "masked": "遮盖", "kept": "保留公开"}
_COLOURS = {"withheld": "#fdecea", "masked": "#fff4e5", "kept": "#e8f5e9"}
COLUMNS = ("处理", "位置", "内容", "理由", "依据", "决定人", "次数")


class ReviewDialog(FirstFieldFocus, QDialog):
    """公开前审查 of one public version. Owned by the 公开 tab; GUI thread only."""

    def __init__(self, ctx: Any, version: PublicVersion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.ctx = ctx
        self.version = version
        self.reason_prompt: QInputDialog | None = None
        from firecase.services.disclosure import REPORT_KINDS

        self.setWindowTitle(f"公开前审查 — {REPORT_KINDS[version.report]}")
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setObjectName("reviewStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("reviewTable")
        tab_past(self.table)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate((72, 220, 250, 250, 180, 120)):
            self.table.setColumnWidth(i, w)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        layout.addWidget(self.table, 1)
        note = QLabel(
            "个人信息默认遮盖；确需公开的，选中后点“保留公开…”并写明理由（记录审计）。"
            "审查通过后，公开版本按本次审查的内容生成；内容再有改动须重新审查。",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        layout.addWidget(note)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton("保留公开…", self)
        self.keep_button.setObjectName("keepButton")
        self.keep_button.clicked.connect(self._on_keep_clicked)
        self.mask_button = QPushButton("恢复遮盖", self)
        self.mask_button.setObjectName("maskButton")
        self.mask_button.clicked.connect(self._on_mask_clicked)
        self.approve_button = QPushButton("审查通过", self)
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self._on_approve_clicked)
        close = QPushButton("关闭", self)
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.mask_button)
        buttons.addStretch(1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        fit_to_screen(self, 1120, 600)
        self.fill()
        self.table.setFocus()

    # ---------------------------------------------------------------- showing

    def fill(self) -> None:
        """Show the items and the state of ``self.version``."""
        v = self.version
        counts = v.counts()
        state = (
            f"<b style='color:#b3261e'>{v.draft_mark}</b>"
            if v.draft_mark and not (v.review and v.draft_mark.startswith("草稿（未经批复"))
            else ""
        )
        if v.review is not None:
            state += (
                f"　已于{v.review.reviewed_on.isoformat()}由{v.review.reviewed_by}审查通过"
                "（内容未再改动）。"
            )
        elif not state:
            state = "<b>尚未审查。</b>"
        self.status.setText(
            f"{state}<br>不公开{counts['withheld']}项；遮盖个人信息{counts['masked']}项；"
            f"保留公开{counts['kept']}项。依据：本办法第二十一条；"
            "《中华人民共和国政府信息公开条例》第十五条；《中华人民共和国个人信息保护法》。"
        )
        self.table.setRowCount(len(v.items))
        for row, item in enumerate(v.items):
            cells = (
                _KINDS[item.kind]
                if item.kind != "withheld" or not item.hit_kind
                else "不公开（检测）",
                item.where,
                item.what,
                item.reason if item.kind != "masked" else f"{item.action}。{item.reason}",
                item.basis,
                item.decided_by,
                str(item.count),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                cell.setBackground(QBrush(QColor(_COLOURS[item.kind])))
                self.table.setItem(row, col, cell)
        self.table.resizeRowsToContents()
        self.approve_button.setEnabled(v.review is None)
        self._on_selection_changed()

    def selected(self) -> ReviewItem | None:
        """The item selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.version.items[rows[0].row()]

    def _on_selection_changed(self) -> None:
        item = self.selected()
        self.keep_button.setEnabled(
            item is not None and bool(item.hit_kind) and item.kind in ("masked", "withheld")
        )
        self.mask_button.setEnabled(item is not None and item.kind == "kept")

    def reload(self) -> None:
        """Read the version again (after a decision) and show it."""
        from firecase.services.reporting import public_version

        cf, report = self.ctx.case_file, self.version.report
        case_no = self.version.data.case_no

        def shown(v: PublicVersion) -> None:
            self.version = v
            self.fill()

        self.ctx.run(
            lambda: public_version(cf, case_no, report), on_success=shown, label="正在重新审查…"
        )

    def _call(self, fn: Callable[[], Any], label: str) -> None:
        def done(_r: object) -> None:
            self.ctx.changed()
            self.reload()

        def failed(exc: BaseException) -> None:
            messages.show_error(self, exc)

        self.ctx.run(fn, on_success=done, on_failure=failed, label=label)

    # ---------------------------------------------------------------- decisions

    def _on_keep_clicked(self) -> None:
        item = self.selected()
        if item is None or not item.hit_kind:
            return
        prompt = QInputDialog(self)
        prompt.setObjectName("keepPrompt")
        prompt.setWindowTitle("保留公开")
        prompt.setLabelText(
            f"“{item.what}”将不遮盖、原样公开。请写明理由（如：本人同意公开、已经公开的信息）："
        )
        prompt.setOkButtonText("确定")
        prompt.setCancelButtonText("取消")

        def finished(code: int) -> None:
            self.reason_prompt = None
            reason = prompt.textValue().strip()
            prompt.deleteLater()
            if not code:
                return
            if not reason:
                messages.show_error(self, _reason_missing())
                return
            self.keep(item, reason)

        prompt.finished.connect(finished)
        self.reason_prompt = prompt
        prompt.open()

    def keep(self, item: ReviewItem, reason: str) -> None:
        """Publish ``item`` unmasked, for ``reason`` (recorded with who decided)."""
        cf, case_id, actor = self.ctx.case_file, self.ctx.case_id, self.ctx.actor
        self._call(
            lambda: publication.keep_found_item(
                cf, case_id, item.hit_kind, item.value, reason, actor=actor
            ),
            "正在记录保留公开…",
        )

    def _on_mask_clicked(self) -> None:
        item = self.selected()
        if item is None or item.kind != "kept":
            return
        cf, case_id, actor = self.ctx.case_file, self.ctx.case_id, self.ctx.actor
        self._call(
            lambda: publication.mask_found_item(
                cf, case_id, item.hit_kind, item.value, actor=actor
            ),
            "正在恢复遮盖…",
        )

    def _on_approve_clicked(self) -> None:
        cf, case_id, actor, v = self.ctx.case_file, self.ctx.case_id, self.ctx.actor, self.version
        self._call(lambda: publication.approve_review(cf, case_id, v, actor=actor), "正在记录审查…")

    def done(self, code: int) -> None:
        """Closing: the workspace shows the decisions made here."""
        super().done(code)
        self.ctx.reload()


def _reason_missing() -> Exception:
    from firecase.errors import ValidationError

    return ValidationError("保留公开须写明理由。", field="reason")


RELEASE_FIELDS = (
    DateField("published_on", "发布日期"),
    TextField("channel", "发布渠道", required=True, placeholder="如：天门市人民政府门户网站"),
    TextField(
        "approved_by",
        "审批机关",
        required=True,
        placeholder="人民政府或其授权的消防救援机构（第二十一条）",
    ),
    ChoiceField("format", "文件格式", choices=("PDF", "Word（.docx）")),
    LongTextField("note", "备注"),
)


class ReleaseDialog(RecordDialog):
    """记录发布: writes the reviewed version to a file chosen by the officer and records the
    publication with its hash. Owned by the 公开 tab; GUI thread only.

    ``choose_path(suggested)`` picks the file (a save dialog; tests replace it)."""

    def __init__(self, ctx: Any, version: PublicVersion, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        self.version = version
        self.choose_path: Callable[[Path], Path | None] = self._ask_path
        super().__init__(
            "记录发布", RELEASE_FIELDS, self._submit_release, parent, dates=case_dates(ctx)
        )
        self.setObjectName("releaseDialog")
        pub = ctx.detail.publication if ctx.detail is not None else None
        self.form.set_values(
            {
                "published_on": ctx.today(),
                "channel": pub.channel if pub is not None else "",
                "approved_by": pub.published_by if pub is not None else "",
                "format": "PDF",
                "note": "",
            }
        )
        self.form.mark_clean()
        if not version.releasable:
            self.form.show_error(None, f"{version.draft_mark}：请先完成公开前审查。")
            self.save_button.setEnabled(False)
        self.save_button.setText("生成文件并记录")

    def _ask_path(self, suggested: Path) -> Path | None:
        filters = "Word 文档 (*.docx)" if suggested.suffix == ".docx" else "PDF 文件 (*.pdf)"
        chosen, _ = QFileDialog.getSaveFileName(self, "保存发布的文件", str(suggested), filters)
        return Path(chosen) if chosen else None

    def _submit_release(
        self, values: dict[str, Any], done: Callable[[BaseException | None], None]
    ) -> None:
        from firecase.ui.dialogs.report_dialog import _save_folder, default_file_name

        v = self.version
        suffix = ".docx" if str(values["format"]).startswith("Word") else ".pdf"
        kind = "public" if v.report == "investigation" else "public_evaluation"
        suggested = Path(_save_folder()) / default_file_name(v.data.case_no, kind, suffix)
        path = self.choose_path(suggested)
        if path is None:
            done(_cancelled())
            return
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        data = ReleaseInput(
            report=v.report,
            published_on=values["published_on"],
            channel=values["channel"],
            approved_by=values["approved_by"],
            note=values["note"],
        )
        cf, case_id, actor = self.ctx.case_file, self.ctx.case_id, self.ctx.actor

        def call() -> Any:
            return publication.publish(
                cf, case_id, data, v, path, generated_at=dt.datetime.now(), actor=actor
            )

        def ok(_r: object) -> None:
            self.ctx.changed()
            self.ctx.reload()
            done(None)

        def failed(exc: BaseException) -> None:
            from firecase.errors import ValidationError

            if not isinstance(exc, ValidationError):
                messages.show_error(self, exc)
            done(exc)

        self.ctx.run(call, on_success=ok, on_failure=failed, label="正在生成并记录发布…")


def _cancelled() -> Exception:
    from firecase.errors import ValidationError

    return ValidationError("未选择保存位置，未记录发布。", field="format")
