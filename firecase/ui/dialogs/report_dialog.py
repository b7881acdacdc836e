"""The report dialog of one case: choose a report, preview its pages, save it as PDF, export it
as an editable Word document (.docx), print it.

The four reports of :mod:`firecase.services.reporting` (调查报告, 评估报告, 公开版本, 期限一览表)
are built off the GUI thread through the window's :class:`~firecase.ui.worker.Worker`; the
dialog keeps the PDF bytes, and its preview rasterises a page (again on the worker) only when it
scrolls into view, keeping a few (``CACHE_PAGES``) and none once the dialog is closed.

Threads:

* ``ReportDialog`` and ``PagePreview`` live on the GUI thread and are touched only there.
* :func:`build_rendered_report`, :func:`render_page_images` and :func:`print_pdf` run on the
  worker's pool thread (one thread, so PDFium, which is not thread-safe, is never entered twice
  at once). They touch no widget: they make ``QImage`` pages and paint on a ``QPrinter``, both
  of which Qt allows outside the GUI thread.

Printing rasterises each page with pypdfium2 at the printer's resolution (at most
``MAX_PRINT_DPI``) and paints it onto the paper at its real size, so the printout is the PDF,
whatever fonts the printer or the machine has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QImage,
    QKeySequence,
)
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError
from firecase.reports.base import format_datetime
from firecase.ui import messages
from firecase.ui.dialogs._report_output import ReportOutputMixin, _save_folder as _save_folder
from firecase.ui.dialogs._report_preview import PagePreview
from firecase.ui.dialogs._report_render import (
    _KIND_BY_KEY as _KIND_BY_KEY,
    _SHARPER as _SHARPER,
    CACHE_PAGES as CACHE_PAGES,
    FIRST_PAGES as FIRST_PAGES,
    MAX_PREVIEW_DPI as MAX_PREVIEW_DPI,
    MAX_PRINT_DPI as MAX_PRINT_DPI,
    REPORT_KINDS as REPORT_KINDS,
    SCREEN_DPI as SCREEN_DPI,
    ZOOM_STEPS as ZOOM_STEPS,
    RenderedReport as RenderedReport,
    ReportKind as ReportKind,
    _page_image as _page_image,
    build_rendered_report as build_rendered_report,
    default_file_name as default_file_name,
    explain_failure as explain_failure,
    export_docx as export_docx,
    page_sizes as page_sizes,
    pages_to_print as pages_to_print,
    print_pdf as print_pdf,
    render_page_images as render_page_images,
    render_pages as render_pages,
)
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus, KeyBinding, declare_keys
from firecase.ui.worker import Worker

if TYPE_CHECKING:
    from firecase.store import CaseFile

__all__ = [
    "REPORT_KINDS",
    "PagePreview",
    "RenderedReport",
    "ReportDialog",
    "ReportKind",
    "build_rendered_report",
    "default_file_name",
    "explain_failure",
    "export_docx",
    "open_report_dialog",
    "page_sizes",
    "pages_to_print",
    "print_pdf",
    "render_page_images",
    "render_pages",
]


log = logging.getLogger(__name__)

REBUILD_KEYS = declare_keys("报告预览", "重新生成报告", QKeySequence.StandardKey.Refresh)
ZOOM_OUT_KEYS = declare_keys("报告预览", "缩小", QKeySequence.StandardKey.ZoomOut)
ZOOM_IN_KEYS = declare_keys("报告预览", "放大", QKeySequence.StandardKey.ZoomIn)
FIT_WIDTH_KEYS = declare_keys("报告预览", "适合宽度", "Ctrl+0")
SAVE_PDF_KEYS = declare_keys("报告预览", "保存为PDF", QKeySequence.StandardKey.Save)
PRINT_KEYS = declare_keys("报告预览", "打印报告", QKeySequence.StandardKey.Print)


class ReportDialog(ReportOutputMixin, FirstFieldFocus, QDialog):
    """Choose, preview, save and print the reports of one case. GUI thread only.

    Owned by whoever opens it (a case workspace or the main window; see
    :func:`open_report_dialog`). Builds, re-renders, saves and prints run on ``worker``'s pool
    thread; their callbacks arrive here on the GUI thread, and a callback for a report that is
    no longer the one asked for is ignored.

    Signals: ``report_built(RenderedReport)`` when a preview is ready; ``build_failed(exc)``
    after a failed build was shown to the user; ``report_saved(str)`` with the PDF's path;
    ``report_exported(str)`` with the Word document's path; ``report_printed(int)`` with the
    number of pages sent to the printer.
    """

    report_built = Signal(object)
    build_failed = Signal(object)
    report_saved = Signal(str)
    report_exported = Signal(str)
    report_printed = Signal(int)

    def __init__(
        self,
        case_file: CaseFile,
        case_no: str,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        kind: str = "investigation",
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(f"生成报告 — {case_no}")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self._fit_to_screen()
        self.case_file = case_file
        self.case_no = case_no
        self.worker = worker
        self._today = today
        self._now = now
        self.report: RenderedReport | None = None
        self._request = 0  # id of the build whose result is wanted
        self._jobs = 0  # this dialog's jobs still queued or running
        self._building = False
        self.first_page_only = False  # the early first page is shown, the whole report not yet
        self._print_dialog: QPrintDialog | None = None
        self._sharper_dpi = 0.0
        self._sharper_timer = QTimer(self)
        self._sharper_timer.setSingleShot(True)
        self._sharper_timer.setInterval(200)
        self._sharper_timer.timeout.connect(self._on_sharper_timer_timeout)
        self._build_ui()
        index = next((i for i, k in enumerate(REPORT_KINDS) if k.key == kind), 0)
        self.kind_combo.setCurrentIndex(index)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.build()

    # -- construction -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kindCombo")
        for k in REPORT_KINDS:
            self.kind_combo.addItem(k.label, k.key)
        self.kind_combo.setToolTip("选择要生成的报告")
        self.rebuild_button = QPushButton(icon("refresh"), "重新生成", self)
        self.rebuild_button.setObjectName("rebuildButton")
        self.rebuild_button.setToolTip("按案件的最新内容重新生成报告（F5）")
        self.rebuild_button.setShortcut(REBUILD_KEYS.sequences[0])
        self.rebuild_button.clicked.connect(self._on_rebuild_button_clicked)

        self.zoom_out_button = self._tool("－", "缩小（Ctrl+-）", ZOOM_OUT_KEYS)
        self.zoom_out_button.setObjectName("zoomOutButton")
        self.zoom_label = QLabel("100%", self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._tool("＋", "放大（Ctrl++）", ZOOM_IN_KEYS)
        self.zoom_in_button.setObjectName("zoomInButton")
        self.fit_width_button = self._tool("适合宽度", "按窗口宽度显示页面（Ctrl+0）", None)
        self.fit_width_button.setObjectName("fitWidthButton")
        self.fit_width_button.setShortcut(FIT_WIDTH_KEYS.sequences[0])
        self.fit_width_button.setCheckable(True)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_button_clicked)
        self.zoom_in_button.clicked.connect(self._on_zoom_in_button_clicked)
        self.fit_width_button.clicked.connect(self._on_fit_width_button_clicked)
        self.page_label = QLabel("", self)
        self.page_label.setObjectName("pageLabel")

        self.save_button = QPushButton(icon("save"), "保存为PDF…", self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip("把报告保存为 PDF 文件（Ctrl+S）")
        self.save_button.setShortcut(SAVE_PDF_KEYS.sequences[0])
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.word_button = QPushButton(icon("save"), "导出Word…", self)
        self.word_button.setObjectName("wordButton")
        self.word_button.setToolTip(
            "把报告导出为可编辑的 Word 文档（.docx），可在 WPS 或 Word 中修改"
        )
        self.word_button.clicked.connect(self._on_word_button_clicked)
        self.print_button = QPushButton(icon("print"), "打印…", self)
        self.print_button.setObjectName("printButton")
        self.print_button.setToolTip("打印报告（Ctrl+P）")
        self.print_button.setShortcut(PRINT_KEYS.sequences[0])
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.close_button = QPushButton("关闭", self)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self._on_close_button_clicked)
        buttons = (
            self.rebuild_button,
            self.save_button,
            self.word_button,
            self.print_button,
            self.close_button,
        )
        for button in buttons:
            button.setAutoDefault(False)  # Enter does nothing by surprise

        top = QHBoxLayout()
        top.addWidget(QLabel("报告：", self))
        top.addWidget(self.kind_combo)
        top.addWidget(self.rebuild_button)
        top.addSpacing(18)
        top.addWidget(self.zoom_out_button)
        top.addWidget(self.zoom_label)
        top.addWidget(self.zoom_in_button)
        top.addWidget(self.fit_width_button)
        top.addSpacing(18)
        top.addWidget(self.page_label)
        top.addStretch(1)
        top.addWidget(self.save_button)
        top.addWidget(self.word_button)
        top.addWidget(self.print_button)

        self.preview = PagePreview(self)
        self.preview.zoom_changed.connect(self._on_preview_zoom_changed)
        self.preview.current_page_changed.connect(self._on_preview_current_page_changed)
        self.preview.sharper_wanted.connect(self._on_preview_sharper_wanted)
        self.preview.pages_wanted.connect(self._on_preview_pages_wanted)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setMargin(40)
        self.message_label.setStyleSheet("QLabel { font-size: 15px; color: #333; }")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.preview)
        self.stack.addWidget(self.message_label)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("busyBar")
        self.progress.setRange(0, 0)  # busy: no known end
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        # Tab as the dialog reads: the top row left to right, the page, then 关闭
        order = [
            self.kind_combo,
            self.rebuild_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_width_button,
            self.save_button,
            self.word_button,
            self.print_button,
            self.preview,
            self.close_button,
        ]
        for before, after in itertools.pairwise(order):
            QWidget.setTabOrder(before, after)
        self._update_controls()

    def _fit_to_screen(self) -> None:
        """About one A4 page wide at 100% and as tall as the screen allows (small laptops too)."""
        width, height = 900, 980
        screen = (self.parentWidget() or self).screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.92))
            height = min(height, int(room.height() * 0.92))
        self.resize(width, height)

    def _tool(self, text: str, tip: str, keys: KeyBinding | None) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        if keys is not None:
            button.setShortcut(keys.sequences[0])
        return button

    # -- state --------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """The key of the report chosen ("investigation" | "evaluation" | "public" | "clocks")."""
        return str(self.kind_combo.currentData())

    @property
    def busy(self) -> bool:
        """Whether a build, re-render, save or print of this dialog is queued or running."""
        return self._jobs > 0

    @property
    def building(self) -> bool:
        """Whether the chosen report is still being built."""
        return self._building

    def set_kind(self, kind: str) -> None:
        """Choose report ``kind`` (builds it)."""
        index = next(i for i, k in enumerate(REPORT_KINDS) if k.key == kind)
        self.kind_combo.setCurrentIndex(index)

    def _run(
        self,
        fn: Callable[[], Any],
        label: str,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self._jobs += 1
        self._update_controls()

        def done() -> None:
            self._jobs -= 1
            self._update_controls()

        def succeeded(result: Any) -> None:
            done()
            on_success(result)

        def failed(exc: BaseException) -> None:
            done()
            on_failure(exc)

        if label:
            self.status_label.setText(label)
        self.worker.run(fn, on_success=succeeded, on_failure=failed, owner=self, label=label)

    def _update_controls(self) -> None:
        ready = self.report is not None and self.report.kind == self.kind
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        # The Word document is built afresh from the case: it does not need the preview (so a
        # report the PDF cannot lay out can still be exported and edited).
        self.word_button.setEnabled(not self._building)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_width_button):
            button.setEnabled(ready)
        self.progress.setVisible(self._jobs > 0)
        self.fit_width_button.setChecked(self.preview.fit_width)

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.stack.setCurrentWidget(self.message_label)

    def _report_status(self, report: RenderedReport) -> str:
        note = ""
        if report.built.fallback_chars:
            note = f"；“{''.join(report.built.fallback_chars)}”用备用字体印出"
        return (
            f"{_KIND_BY_KEY[report.kind].label}：{report.case_no}，共{report.page_count}页，"
            f"生成于{format_datetime(report.generated_at)}{note}"
        )

    def _restore_status(self) -> None:
        if self.report is not None:
            self.status_label.setText(self._report_status(self.report))

    # -- build --------------------------------------------------------------------------------

    def build(self) -> None:
        """Build the chosen report of the case afresh (off the GUI thread) and preview it."""
        self._request += 1
        request, kind = self._request, self.kind
        case_file, case_no = self.case_file, self.case_no
        generated_at, today = self._now().replace(microsecond=0), self._today()
        dpi = self.preview.wanted_dpi()
        self.report = None
        self._building = True
        self.preview.clear()
        label = f"正在生成{_KIND_BY_KEY[kind].label}……"
        self._show_message(label)
        self.page_label.setText("")
        # the first page alone first (typeset and shown in a moment at any length), then the
        # whole report, which replaces it
        self._run(
            lambda: build_rendered_report(
                case_file,
                kind,
                case_no,
                generated_at=generated_at,
                today=today,
                dpi=dpi,
                only_pages=1,
            ),
            label,
            lambda result: self._on_worker_first_page_built(request, result),
            lambda exc: log.info("first page not built early: %s", exc),  # the whole build says
        )
        self._run(
            lambda: build_rendered_report(
                case_file, kind, case_no, generated_at=generated_at, today=today, dpi=dpi
            ),
            label,
            lambda result: self._on_worker_report_built(request, result),
            lambda exc: self._on_worker_build_failed(request, exc),
        )

    def _on_worker_first_page_built(self, request: int, first: RenderedReport) -> None:
        if request != self._request or self.report is not None or not self._building:
            return  # another report, or the whole one is here already
        self.stack.setCurrentWidget(self.preview)
        self.preview.set_lazy_pages(first.page_sizes[:1], first.dpi, first.first_images)
        self.first_page_only = True
        self._update_page_label()
        self.status_label.setText("第 1 页已排好，正在排版其余页面……（排好后才能保存或打印）")

    def _on_worker_report_built(self, request: int, report: RenderedReport) -> None:
        if request != self._request:
            return  # another report was chosen meanwhile
        self._building = False
        self.first_page_only = False
        self.stack.setCurrentWidget(self.preview)  # first, so the pages are laid out once
        self.preview.set_lazy_pages(report.page_sizes, report.dpi, report.first_images)
        self.report = dataclasses.replace(report, first_images={})  # the preview keeps them
        self._update_controls()
        self._update_page_label()
        self._restore_status()
        self.report_built.emit(self.report)

    def _on_worker_build_failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        self._building = False
        shown = explain_failure(exc)
        label = _KIND_BY_KEY[self.kind].label
        text = shown.message if isinstance(shown, FirecaseError) else "原因见错误提示。"
        self._show_message(f"无法生成{label}。\n\n{text}")
        self.status_label.setText(f"{label}没有生成。")
        messages.show_error(self, shown)
        self.build_failed.emit(shown)

    def _on_preview_pages_wanted(self, numbers: list[int], dpi: float) -> None:
        report = self.report
        if report is None:
            self.preview.render_failed()
            return
        request, pdf = self._request, report.pdf
        self._run(
            lambda: render_page_images(pdf, numbers, dpi),
            "",  # quiet: pages come into view as they are rasterised
            lambda images: self._on_worker_pages_rendered(request, dpi, images),
            lambda exc: self._on_worker_pages_failed(request, exc),
        )

    def _on_worker_pages_rendered(
        self, request: int, dpi: float, images: dict[int, QImage]
    ) -> None:
        if request != self._request or self.report is None or not self.isVisible():
            return  # another report, or closed meanwhile: the images are dropped
        self.preview.add_rendered(dpi, images)

    def _on_worker_pages_failed(self, request: int, exc: BaseException) -> None:
        if request != self._request or not self.isVisible():
            return
        self.preview.render_failed()
        self._on_worker_job_failed(exc)

    def _on_preview_sharper_wanted(self, dpi: float) -> None:
        self._sharper_dpi = dpi
        self._sharper_timer.start()

    def _on_sharper_timer_timeout(self) -> None:
        report = self.report
        if report is None or self._sharper_dpi <= report.dpi * _SHARPER:
            return
        self.report = dataclasses.replace(report, dpi=self._sharper_dpi)
        self.preview.set_dpi(self._sharper_dpi)  # the pages in view are rasterised again

    def hideEvent(self, event: QHideEvent) -> None:
        """Closed (not minimised): every page image is released."""
        super().hideEvent(event)
        if not event.spontaneous():
            self.preview.release()

    # -- slots --------------------------------------------------------------------------------

    def _on_kind_combo_current_index_changed(self, _index: int) -> None:
        self.build()

    def _on_rebuild_button_clicked(self) -> None:
        self.build()

    def _on_zoom_in_button_clicked(self) -> None:
        self.preview.zoom_in()

    def _on_zoom_out_button_clicked(self) -> None:
        self.preview.zoom_out()

    def _on_fit_width_button_clicked(self) -> None:
        self.preview.set_fit_width()
        self._update_controls()

    def _on_save_button_clicked(self) -> None:
        self.choose_and_save()

    def _on_word_button_clicked(self) -> None:
        self.choose_and_export_docx()

    def _on_print_button_clicked(self) -> None:
        self.choose_printer_and_print()

    def _on_close_button_clicked(self) -> None:
        self.close()

    def _on_preview_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self.fit_width_button.setChecked(self.preview.fit_width)

    def _on_preview_current_page_changed(self, _page: int) -> None:
        self._update_page_label()

    def _update_page_label(self) -> None:
        n = self.preview.page_count
        if self.first_page_only:  # the page count is known once the whole report is typeset
            self.page_label.setText("第 1 页（其余页面排版中）")
            return
        self.page_label.setText(f"第 {self.preview.current_page} / {n} 页" if n else "")


def open_report_dialog(
    parent: QWidget,
    case_file: CaseFile,
    case_no: str,
    worker: Worker | None = None,
    *,
    kind: str = "investigation",
    today: Callable[[], dt.date] = dt.date.today,
) -> ReportDialog:
    """Open the (non-modal) report dialog of case ``case_no`` over ``parent``; it deletes itself
    when closed. Without ``worker`` the window's worker is used (``Worker.for_widget``)."""
    dialog = ReportDialog(
        case_file, case_no, worker or Worker.for_widget(parent), parent, kind=kind, today=today
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
