"""The editable fields of one document of the procedure (the 生成文书 dialog's left side).

Every part of an :class:`~firecase.reports.official.OfficialText` stands in its own field:
number, issuing body's mark and 签发人 (a 公文's 版头), title (its line breaks are the
title's), addressee, body (one paragraph a line), a form's table and the lines after it,
attachments (one a line), 落款, date, 附注, 抄送. :meth:`DocumentForm.text` reads them back.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from firecase.reports.official import OfficialText
from firecase.ui.widgets.date_field import DateEdit

__all__ = ["DocumentForm"]


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class DocumentForm(QWidget):
    """The fields of one document. Owned by the 生成文书 dialog; GUI thread only.

    ``edited()`` after any change the user makes (not after :meth:`fill`).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.number_edit = self._line(
            "numberEdit", "按“设置 → 文书编号”的格式建议的下一个编号，可修改；留空为不编号"
        )
        self.masthead_edit = self._line(
            "mastheadEdit", "公文版头的发文机关标志（红色）；留空则不印版头，文号印在标题下"
        )
        self.signer_edit = self._line("signerEdit", "上行文（请示、报送函）的签发人")
        self.title_edit = self._text("titleEdit", 2, "换行处即标题的回行处；不换行时按词自动回行")
        self.addressee_edit = self._line("addresseeEdit", "主送机关")
        self.body_edit = self._text(
            "bodyEdit",
            12,
            "每行一段；以“一、”开头的短行为一级标题（黑体），以“（一）”开头的短行为二级标题（楷体）",
        )
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("tableEdit")
        self.table.setHorizontalHeaderLabels(["栏目", "内容"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(180)
        self.table.itemChanged.connect(self._changed)
        self.after_edit = self._text("afterTableEdit", 3, "表格之后的段落，每行一段")
        self.attachments_edit = self._text("attachmentsEdit", 2, "每行一个附件名称")
        self.signature_edit = self._text("signatureEdit", 2, "发文机关或申请人；可分行")
        self.date_edit = DateEdit(self, label="成文日期", required=False, empty_text="不写成文日期")
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.edited.connect(self._changed)
        self.note_edit = self._line("noteEdit", "附注：印在成文日期下一行，加圆括号")
        self.copy_edit = self._line("copyEdit", "抄送机关")
        self.table_label = QLabel("表格", self)
        self.after_label = QLabel("表后正文", self)
        for label, widget in (
            ("文号", self.number_edit),
            ("版头（发文机关）", self.masthead_edit),
            ("签发人（上行文）", self.signer_edit),
            ("标题", self.title_edit),
            ("主送", self.addressee_edit),
            ("正文", self.body_edit),
            (self.table_label, self.table),
            (self.after_label, self.after_edit),
            ("附件", self.attachments_edit),
            ("落款", self.signature_edit),
            ("成文日期", self.date_edit),
            ("附注", self.note_edit),
            ("抄送", self.copy_edit),
        ):
            form.addRow(label, widget)

    def _line(self, name: str, tip: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setToolTip(tip)
        edit.textChanged.connect(self._changed)
        return edit

    def _text(self, name: str, lines: int, tip: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(name)
        edit.setToolTip(tip)
        edit.setTabChangesFocus(True)
        height = edit.fontMetrics().lineSpacing() * lines + 14
        edit.setMinimumHeight(height)
        if lines <= 3:
            edit.setMaximumHeight(height)
        edit.textChanged.connect(self._changed)
        return edit

    def _changed(self, *_args: object) -> None:
        if not self._filling:
            self.edited.emit()

    def fill(self, text: OfficialText) -> None:
        """Show ``text`` in the fields (no ``edited``); the table rows only when it has any."""
        self._filling = True
        try:
            self.number_edit.setText(text.number)
            self.masthead_edit.setText(text.masthead)
            self.signer_edit.setText(text.signer)
            self.title_edit.setPlainText(text.title)
            self.addressee_edit.setText(text.addressee)
            self.body_edit.setPlainText("\n".join(text.body))
            self.table.setRowCount(len(text.table))
            for row, (label, value) in enumerate(text.table):
                self.table.setItem(row, 0, QTableWidgetItem(label))
                self.table.setItem(row, 1, QTableWidgetItem(value))
            self.table.resizeRowsToContents()
            for widget in (self.table, self.table_label, self.after_edit, self.after_label):
                widget.setVisible(bool(text.table))
            self.after_edit.setPlainText("\n".join(text.after_table))
            self.attachments_edit.setPlainText("\n".join(text.attachments))
            self.signature_edit.setPlainText(text.signature)
            self.date_edit.set_value(text.on)
            self.note_edit.setText(text.note)
            self.copy_edit.setText(text.copy_to)
        finally:
            self._filling = False

    def problem(self) -> str:
        """Why the form cannot be saved as it is ("" when it can), shown at the field."""
        return self.date_edit.show_problem()

    def text(self, base: OfficialText) -> OfficialText:
        """``base`` (kind, case, drafting body) with every field as the form holds it now."""
        rows = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, col) for col in (0, 1)]
            rows.append(tuple(c.text().strip() if c is not None else "" for c in cells))
        return replace(
            base,
            number=self.number_edit.text().strip(),
            masthead=self.masthead_edit.text().strip(),
            signer=self.signer_edit.text().strip(),
            title=self.title_edit.toPlainText().strip(),
            addressee=self.addressee_edit.text().strip(),
            body=_lines(self.body_edit.toPlainText()),
            table=tuple((a, b) for a, b in rows if a or b),
            after_table=_lines(self.after_edit.toPlainText()),
            attachments=_lines(self.attachments_edit.toPlainText()),
            signature=self.signature_edit.toPlainText().strip(),
            on=self.date_edit.date(),  # a text that is no date: see ``problem``
            note=self.note_edit.text().strip(),
            copy_to=self.copy_edit.text().strip(),
        )
