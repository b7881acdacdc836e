"""生成文书: draft a document of the procedure from the case, edit it, preview it, save it as
Word or PDF — saving numbers it and records it in the case (``services.documents``).

The officer chooses the kind (成立调查组的通知 … 限期整改通知书) and, where the case holds
several, the record it is about (which recusal application, appraisal, extension, handling task
or rectification measure). Every part of the drafted text stands in an editable field — number,
issuing body's mark and 签发人 of a 公文, title, addressee, body (one paragraph a line; "一、"
and "（一）" lines are headings), a form's table, attachments, 落款, date, 附注, 抄送 — and
what is in the fields is what the file holds. The preview is typeset from the fields as they
are (a moment after the last keystroke); the list under it shows the documents already issued
from the case, with number, date, file and SHA-256.

Threads: ``DocumentDialog`` lives on the GUI thread. Drafts, previews, saves and the list run
on the window's :class:`~firecase.ui.worker.Worker`; a result for an earlier request than the
latest is dropped.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from firecase.reports.official import OfficialText
from firecase.services.doc_kinds import DOCUMENT_KINDS, document_kind
from firecase.ui import messages
from firecase.ui.dialogs.report_dialog import PagePreview, render_pages
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen
from firecase.ui.widgets.document_form import DocumentForm
from firecase.ui.widgets.issued_documents import IssuedDocumentsTable
from firecase.ui.worker import Worker

if TYPE_CHECKING:
    from firecase.services.documents import DocumentDraft, IssuedDocumentView
    from firecase.store import CaseFile

__all__ = ["DocumentDialog", "kind_for_tab", "open_document_dialog"]

_PREVIEW_DELAY_MS = 700
_ERROR_STYLE = "color:#b00020;"
_NOTE_STYLE = "color:#6b6b6b;"


def kind_for_tab(title: str) -> str:
    """The document kind a workspace tab offers first ("调查组" → "team_notice")."""
    return next((k.key for k in DOCUMENT_KINDS if k.tab == title), DOCUMENT_KINDS[0].key)


class DocumentDialog(FirstFieldFocus, QDialog):
    """Draft, edit, preview and issue the documents of one case. GUI thread only.

    Owned by the case workspace that opens it (:func:`open_document_dialog`). Signals:
    ``draft_loaded(DocumentDraft)`` when a draft fills the fields, ``draft_failed(str)`` when
    the case lacks what the kind needs (the message is shown in the dialog),
    ``preview_built(int)`` with the page count, ``document_issued(IssuedDocumentView)`` after
    a file was written and recorded.
    """

    draft_loaded = Signal(object)
    draft_failed = Signal(str)
    preview_built = Signal(int)
    document_issued = Signal(object)

    def __init__(
        self,
        case_file: CaseFile,
        case_id: int,
        case_no: str,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        kind: str = "team_notice",
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle(f"生成文书 — {case_no}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.case_file, self.case_id, self.case_no = case_file, case_id, case_no
        self.worker = worker
        self._today, self._now = today, now
        self.draft: DocumentDraft | None = None
        self.issued: tuple[IssuedDocumentView, ...] = ()
        self._request = 0
        self._preview_request = 0
        self._pending = 0
        self._filling = False
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(_PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self._build_ui()
        fit_to_screen(self, 1240, 680)
        index = next((i for i, k in enumerate(DOCUMENT_KINDS) if k.key == kind), 0)
        self.kind_combo.setCurrentIndex(index)
        self._kind_index = index
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.item_combo.activated.connect(self._on_item_combo_activated)
        self.load_draft()
        self.load_issued()

    # -- construction -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        for k in DOCUMENT_KINDS:
            self.kind_combo.addItem(f"{k.label}（{k.basis}）", k.key)
        self.item_combo = QComboBox(self)
        self.item_combo.setObjectName("itemCombo")
        self.item_combo.setMinimumWidth(260)
        self.item_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.item_combo.setMinimumContentsLength(24)
        self.regenerate_button = QPushButton(icon("refresh"), "按案件信息重新生成", self)
        self.regenerate_button.setObjectName("regenerateButton")
        self.regenerate_button.setToolTip("丢弃修改，按案件的最新内容重新起草")
        self.regenerate_button.clicked.connect(self._on_regenerate_button_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel("文书：", self))
        top.addWidget(self.kind_combo)
        self.item_label = QLabel("对象：", self)
        top.addWidget(self.item_label)
        top.addWidget(self.item_combo, 1)
        top.addWidget(self.regenerate_button)

        self.form = DocumentForm(self)
        self.form.edited.connect(self._on_form_edited)
        scroll = QScrollArea(self)
        scroll.setObjectName("formScroll")
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through the fields, not it
        scroll.setWidget(self.form)

        self.preview = PagePreview(self)
        self.issued_table = IssuedDocumentsTable(self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(QLabel("本案已登记的文书（文号、日期、文件及其 SHA-256）：", right))
        right_layout.addWidget(self.issued_table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(right)
        self.splitter.setSizes([640, 600])

        self.notes_label = QLabel(self)
        self.notes_label.setObjectName("notesLabel")
        self.notes_label.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_button = QPushButton(icon("refresh"), "预览", self)
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.word_button = QPushButton(icon("save"), "保存为Word…", self)
        self.word_button.setObjectName("wordButton")
        self.word_button.setToolTip("保存为可编辑的 Word 文档（.docx），并登记到本案")
        self.word_button.clicked.connect(self._on_word_button_clicked)
        self.pdf_button = QPushButton(icon("save"), "保存为PDF…", self)
        self.pdf_button.setObjectName("pdfButton")
        self.pdf_button.setToolTip("保存为 PDF 文件，并登记到本案")
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        close = QPushButton("关闭", self)
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        for button in (self.preview_button, self.word_button, self.pdf_button, close):
            button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.preview_button)
        bottom.addWidget(self.word_button)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        self._set_ready(False)

    # -- state --------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """The key of the chosen kind ("team_notice" …)."""
        return str(self.kind_combo.currentData())

    @property
    def busy(self) -> bool:
        """Whether a draft, preview, save or list of this dialog is queued or running."""
        return self._pending > 0

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.word_button, self.pdf_button, self.preview_button):
            widget.setEnabled(ready)

    def _run(
        self,
        fn: Callable[[], Any],
        label: str,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._pending += 1

        def succeeded(result: Any) -> None:
            self._pending -= 1
            on_success(result)

        def failed(exc: BaseException) -> None:
            self._pending -= 1
            if on_failure is not None:
                on_failure(exc)
            else:
                messages.show_error(self, exc)

        self.worker.run(fn, on_success=succeeded, on_failure=failed, owner=self, label=label)

    def set_kind(self, kind: str) -> None:
        """Choose ``kind`` (drafts it)."""
        self.kind_combo.setCurrentIndex(
            next(i for i, k in enumerate(DOCUMENT_KINDS) if k.key == kind)
        )

    # -- draft --------------------------------------------------------------------------------

    def load_draft(self, item: int | None = None) -> None:
        """Draft the chosen kind from the case as it is now (about record ``item``)."""
        from firecase.services.documents import draft_document

        self._request += 1
        request, kind, cf, case_id, today = (
            self._request, self.kind, self.case_file, self.case_id, self._today()
        )  # fmt: skip
        self._set_ready(False)
        label = document_kind(kind).label if document_kind(kind) else kind
        self.status_label.setText(f"正在起草{label}……")
        self._run(
            lambda: draft_document(cf, case_id, kind, item=item, today=today),
            f"正在起草{label}…",
            lambda made: self._on_worker_draft_made(request, made),
            lambda exc: self._on_worker_draft_failed(request, exc),
        )

    def _on_worker_draft_made(self, request: int, made: DocumentDraft) -> None:
        if request != self._request:
            return
        self.draft = made
        self._fill(made)
        self._set_ready(True)
        self.status_label.setText("已按案件信息起草，可直接修改各栏内容。")
        self.draft_loaded.emit(made)
        self.build_preview()

    def _on_worker_draft_failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        from firecase.errors import FirecaseError

        if not isinstance(exc, FirecaseError):
            messages.show_error(self, exc)
            return
        self.draft = None
        self._fill(None)
        self.preview.clear()
        self.notes_label.setStyleSheet(_ERROR_STYLE)
        self.notes_label.setText(exc.message)
        self.status_label.setText("无法起草。")
        self.draft_failed.emit(exc.message)

    def _fill(self, made: DocumentDraft | None) -> None:
        self._filling = True
        try:
            text = made.text if made is not None else OfficialText(self.kind, "", "", "", "")
            self.item_combo.clear()
            items = made.items if made is not None else ()
            for label in items:
                self.item_combo.addItem(label)
            if made is not None and made.item is not None:
                self.item_combo.setCurrentIndex(made.item)
            self.item_combo.setEnabled(bool(items))
            self.form.fill(text)
        finally:
            self._filling = False
        if made is not None:
            notes = [f"依据：{made.basis}"]
            if made.pattern:
                notes.append(f"编号格式：{made.pattern}（设置 → 文书编号）")
            else:
                notes.append("此类文书默认不编号")
            notes += list(made.notes)
            self.notes_label.setStyleSheet(_NOTE_STYLE)
            self.notes_label.setText("　".join(notes))

    def edited_text(self) -> OfficialText | None:
        """The document as the fields hold it now (None before a draft)."""
        if self.draft is None:
            return None
        return self.form.text(self.draft.text)

    def has_edits(self) -> bool:
        """Whether the fields differ from the draft."""
        text = self.edited_text()
        return text is not None and self.draft is not None and text != self.draft.text

    # -- preview ------------------------------------------------------------------------------

    def build_preview(self) -> None:
        """Typeset the fields as they are and show the pages (off the GUI thread)."""
        from firecase.services.documents import render_document

        text = self.edited_text()
        if text is None:
            return
        self._preview_request += 1
        request, cf, at = self._preview_request, self.case_file, self._now().replace(microsecond=0)
        dpi = self.preview.wanted_dpi()

        def job() -> Any:
            out = io.BytesIO()
            render_document(cf, text, out, generated_at=at, fmt="pdf")
            return render_pages(out.getvalue(), dpi)

        self._run(
            job,
            "",
            lambda result: self._on_worker_preview_built(request, dpi, result),
            self._on_worker_preview_failed,
        )

    def _on_worker_preview_built(self, request: int, dpi: float, result: Any) -> None:
        if request != self._preview_request:
            return
        sizes, images = result
        self.preview.set_pages(sizes, images, dpi)
        self.preview_built.emit(len(images))

    def _on_worker_preview_failed(self, exc: BaseException) -> None:
        from firecase.errors import FirecaseError

        if isinstance(exc, FirecaseError):  # e.g. an empty title: said, not a popup per key
            self.status_label.setText(f"无法预览：{exc.message}")
        else:
            messages.show_error(self, exc)

    def _on_form_edited(self) -> None:
        if not self._filling and self.draft is not None:
            self._preview_timer.start()

    def _on_preview_timer_timeout(self) -> None:
        self.build_preview()

    # -- save ---------------------------------------------------------------------------------

    def suggested_name(self, suffix: str) -> str:
        """The file name the save dialog proposes: case number, kind, number."""
        kind = document_kind(self.kind)
        label = kind.label if kind else self.kind
        number = self.form.number_edit.text().strip()
        name = f"{self.case_no} {label}" + (f" {number}" if number else "")
        for ch in '\\/:*?"<>|':
            name = name.replace(ch, "_")
        return name + suffix

    def _choose(self, title: str, suffix: str, filter_text: str) -> Path | None:
        from firecase.ui.dialogs.report_dialog import _save_folder

        if not self._form_ready():
            return None

        start = str(Path(_save_folder()) / self.suggested_name(suffix))
        path, _filter = QFileDialog.getSaveFileName(self, title, start, filter_text)
        if not path:
            return None
        return Path(path if path.lower().endswith(suffix) else path + suffix)

    def _form_ready(self) -> bool:
        """Whether the fields can be saved; if not, said at the field and in the status line."""
        problem = self.form.problem()
        if problem:
            self.status_label.setText(f"未保存：{problem}")
            self.form.date_edit.setFocus()
        return not problem

    def save_to(self, path: Path) -> None:
        """Write the fields to ``path`` (.docx: Word, else PDF) and record the document in the
        case (off the GUI thread); ``document_issued`` when done. A 成文日期 that is no date
        is said at the field and nothing is written."""
        from firecase.services.documents import issue_document

        text = self.edited_text()
        if text is None or self.draft is None or not self._form_ready():
            return
        cf, case_id, subject = self.case_file, self.case_id, self.draft.subject
        at = self._now().replace(microsecond=0)
        self._set_ready(False)
        self._run(
            lambda: issue_document(cf, case_id, text, path, subject=subject, generated_at=at),
            f"正在保存 {path.name}……",
            self._on_worker_document_issued,
            self._on_worker_issue_failed,
        )

    def _on_worker_document_issued(self, view: IssuedDocumentView) -> None:
        self._set_ready(True)
        number = f"文号{view.number}，" if view.number else ""
        self.status_label.setText(
            f"已保存并登记：{view.file_name}（{number}SHA-256 {view.sha256[:16]}…）"
        )
        self.load_issued()
        self.document_issued.emit(view)

    def _on_worker_issue_failed(self, exc: BaseException) -> None:
        self._set_ready(True)
        self.status_label.setText("文书没有保存。")
        messages.show_error(self, exc)

    def _on_word_button_clicked(self) -> None:
        path = self._choose("保存为Word文档", ".docx", "Word 文档 (*.docx)")
        if path is not None:
            self.save_to(path)

    def _on_pdf_button_clicked(self) -> None:
        path = self._choose("保存为PDF", ".pdf", "PDF 文件 (*.pdf)")
        if path is not None:
            self.save_to(path)

    # -- issued list --------------------------------------------------------------------------

    def load_issued(self) -> None:
        """Read the documents issued from the case into the list."""
        from firecase.services.documents import list_documents

        cf, case_id = self.case_file, self.case_id
        self._run(lambda: list_documents(cf, case_id), "", self._on_worker_issued_loaded)

    def _on_worker_issued_loaded(self, views: tuple[IssuedDocumentView, ...]) -> None:
        self.issued = views
        self.issued_table.show_documents(views)

    # -- choosing -----------------------------------------------------------------------------

    def _may_discard(self) -> bool:
        if not self.has_edits():
            return True
        return messages.confirm(
            self,
            "放弃修改",
            "已修改的文书内容尚未保存，重新起草将放弃这些修改。",
            ok_text="放弃修改",
        )

    def _on_kind_combo_current_index_changed(self, index: int) -> None:
        if index == self._kind_index:
            return
        if not self._may_discard():  # keep the edited document: back to its kind
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self._kind_index)
            self.kind_combo.blockSignals(False)
            return
        self._kind_index = index
        self.load_draft()

    def _on_item_combo_activated(self, index: int) -> None:
        if self.draft is not None and index != self.draft.item and self._may_discard():
            self.load_draft(index)

    def _on_regenerate_button_clicked(self) -> None:
        if self._may_discard():
            item = self.item_combo.currentIndex() if self.item_combo.count() else None
            self.load_draft(item)

    def _on_preview_button_clicked(self) -> None:
        self._preview_timer.stop()
        self.build_preview()


def open_document_dialog(
    parent: QWidget,
    case_file: CaseFile,
    case_id: int,
    case_no: str,
    worker: Worker | None = None,
    *,
    kind: str = "team_notice",
    today: Callable[[], dt.date] = dt.date.today,
) -> DocumentDialog:
    """Open the (non-modal) 生成文书 dialog of a case over ``parent``; it deletes itself when
    closed. Without ``worker`` the window's worker is used."""
    dialog = DocumentDialog(
        case_file, case_id, case_no, worker or Worker.for_widget(parent), parent, kind=kind,
        today=today,
    )  # fmt: skip
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
