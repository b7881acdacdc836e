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

import bisect
import contextlib
import ctypes
import dataclasses
import datetime as dt
import io
import itertools
import re
import sys
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSize, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QImage,
    QKeySequence,
    QPageLayout,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import FirecaseError, NotFoundError, ValidationError
from firecase.paths import replace_atomically
from firecase.reports.base import BuiltReport, format_datetime
from firecase.ui import messages
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

SCREEN_DPI = 96.0  # what "100%" means: the page at its real size on an ordinary screen
MAX_PREVIEW_DPI = 300.0
MAX_PRINT_DPI = 600  # a page at 600 dpi is ~100 MB as RGB; finer adds nothing to text on paper
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
_BASE_ZOOM = 1.25  # pages are rendered sharp up to at least this zoom (window size unknown yet)
_SHARPER = 1.15  # re-render the preview when the zoom wants this much more resolution
_PAGE_GAP = 14
FIRST_PAGES = 1  # rasterised with the build: what the dialog shows first
CACHE_PAGES = 12  # at most this many rasterised pages are kept (about 4 MB each at 120 dpi)
_A4_POINTS = (595.28, 841.89)


@dataclass(frozen=True)
class ReportKind:
    """One report the dialog offers: the service's key, the chooser's label, the file's name."""

    key: str
    label: str
    file_label: str


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind("investigation", "调查报告", "火灾事故调查报告"),
    ReportKind("evaluation", "评估报告", "评估报告"),
    ReportKind("public", "公开版本", "调查处理情况公开版"),
    ReportKind("public_evaluation", "评估报告公开版", "评估报告公开版"),
    ReportKind("clocks", "期限一览表", "期限一览表"),
)
_KIND_BY_KEY = {k.key: k for k in REPORT_KINDS}


@dataclass(frozen=True)
class RenderedReport:
    """A built report as the dialog keeps it: the PDF, its page sizes and the first pages.

    ``page_sizes`` are in PDF points (1/72 in); ``dpi`` is the resolution the preview renders
    pages at. ``first_images`` holds the pages rasterised with the build (page number ->
    image, at ``dpi``) so the first page shows at once; the others are rasterised when they
    scroll into view (:class:`PagePreview`), and the dialog drops these once shown.
    """

    kind: str
    case_no: str
    generated_at: dt.datetime
    pdf: bytes
    built: BuiltReport
    page_sizes: tuple[tuple[float, float], ...]
    first_images: Mapping[int, QImage]
    dpi: float

    @property
    def page_count(self) -> int:
        """How many pages the PDF has."""
        return len(self.page_sizes)


# ------------------------------------------------------------------------- pool-thread work


def _page_image(page: Any, dpi: float) -> QImage:
    """Rasterise one pypdfium2 page at ``dpi`` into a ``QImage`` that owns its pixels."""
    bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)  # 3-byte RGB
    try:
        view = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888
        )
        return view.copy()  # the bitmap's buffer is freed with it
    finally:
        bitmap.close()


def render_pages(
    pdf: bytes, dpi: float
) -> tuple[tuple[tuple[float, float], ...], tuple[QImage, ...]]:
    """Page sizes (points) and page images at ``dpi`` of a PDF. Worker thread (or tests)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        sizes: list[tuple[float, float]] = []
        images: list[QImage] = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                width, height = page.get_size()
                sizes.append((float(width), float(height)))
                images.append(_page_image(page, dpi))
            finally:
                page.close()
        return tuple(sizes), tuple(images)
    finally:
        doc.close()


def page_sizes(pdf: bytes) -> tuple[tuple[float, float], ...]:
    """The page sizes (points) of a PDF, no page rasterised. Worker thread (or tests)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        sizes = []
        for index in range(len(doc)):
            width, height = doc.get_page_size(index)
            sizes.append((float(width), float(height)))
        return tuple(sizes)
    finally:
        doc.close()


def render_page_images(pdf: bytes, numbers: Sequence[int], dpi: float) -> dict[int, QImage]:
    """Pages ``numbers`` (1-based) of a PDF rasterised at ``dpi``. Worker thread (or tests)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        images: dict[int, QImage] = {}
        for number in numbers:
            if not 1 <= number <= len(doc):
                continue
            page = doc[number - 1]
            try:
                images[number] = _page_image(page, dpi)
            finally:
                page.close()
        return images
    finally:
        doc.close()


def build_rendered_report(
    case_file: CaseFile,
    kind: str,
    case_no: str,
    *,
    generated_at: dt.datetime,
    today: dt.date | None,
    dpi: float,
    first_pages: int = FIRST_PAGES,
) -> RenderedReport:
    """Build report ``kind`` of the case; rasterise only its first ``first_pages`` pages at
    ``dpi`` (the rest are rasterised when shown). Worker thread."""
    from firecase.services.reporting import build_report

    out = io.BytesIO()
    built = build_report(case_file, kind, case_no, out, generated_at=generated_at, today=today)
    pdf = out.getvalue()
    sizes = page_sizes(pdf)
    first = render_page_images(pdf, range(1, min(first_pages, len(sizes)) + 1), dpi)
    return RenderedReport(kind, case_no, generated_at, pdf, built, sizes, first, dpi)


def export_docx(
    case_file: CaseFile,
    kind: str,
    case_no: str,
    path: Path,
    *,
    generated_at: dt.datetime,
    today: dt.date | None,
) -> Path:
    """Build report ``kind`` of the case as a Word document at ``path`` (written atomically).
    Worker thread."""
    from firecase.services.reporting import build_report

    build_report(case_file, kind, case_no, path, generated_at=generated_at, today=today, fmt="docx")
    return path


def pages_to_print(printer: QPrinter, page_count: int, current_page: int) -> list[int]:
    """The 1-based pages the printer's settings ask for: all, the current one, or a range."""
    every = list(range(1, page_count + 1))
    if printer.printRange() == QPrinter.PrintRange.CurrentPage:
        return [current_page] if 1 <= current_page <= page_count else []
    ranges = printer.pageRanges()
    if printer.printRange() == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
        return [n for n in every if ranges.contains(n)]
    return every


def print_pdf(
    pdf: bytes, printer: QPrinter, *, current_page: int = 1, max_dpi: int = MAX_PRINT_DPI
) -> int:
    """Print the PDF's pages that the printer's range selects; return how many were printed.

    Each page is rasterised at the printer's resolution (at most ``max_dpi``), painted over the
    whole sheet (full page, the PDF has its own margins) in the page's own orientation, scaled
    only if the paper is not the PDF's size. Copies the printer cannot make itself are repeated
    here. Worker thread: the printer must not be used elsewhere meanwhile.
    """
    doc = pdfium.PdfDocument(pdf)
    try:
        wanted = pages_to_print(printer, len(doc), current_page)
        if not wanted:
            raise ValidationError(
                f"所选的页码范围内没有页面（本报告共{len(doc)}页）。请重新选择要打印的页码。",
                field="pages",
            )
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        if printer.collateCopies():
            order = wanted * copies
        else:
            order = [n for n in wanted for _ in range(copies)]
        dpi = float(min(printer.resolution(), max_dpi))
        printer.setFullPage(True)
        painter = QPainter()
        try:
            for position, number in enumerate(order):
                page = doc[number - 1]
                try:
                    width, height = page.get_size()
                    printer.setPageOrientation(
                        QPageLayout.Orientation.Landscape
                        if width > height
                        else QPageLayout.Orientation.Portrait
                    )
                    if position == 0:
                        if not painter.begin(printer):
                            raise FirecaseError(
                                "打印机无法开始打印。请检查打印机是否已连接、开机并有纸，"
                                "或在打印对话框中选择其他打印机后再试。",
                                field="printer",
                            )
                    elif not printer.newPage():
                        raise FirecaseError(
                            "打印机在打印过程中出错，打印没有完成。请检查打印机后重新打印。",
                            field="printer",
                        )
                    image = _page_image(page, dpi)
                finally:
                    page.close()
                painter.drawImage(_fitted(printer, image), image)
        finally:
            if painter.isActive():
                painter.end()
        return len(order)
    finally:
        doc.close()


def _fitted(printer: QPrinter, image: QImage) -> QRectF:
    """Where on the sheet (device pixels) the page image goes: whole sheet, centred, to scale."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    scale = min(paper.width() / image.width(), paper.height() / image.height())
    w, h = image.width() * scale, image.height() * scale
    return QRectF((paper.width() - w) / 2, (paper.height() - h) / 2, w, h)


def _write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file beside it. Worker thread."""
    replace_atomically(path, lambda name: Path(name).write_bytes(data))
    return path


# ------------------------------------------------------------------------- helpers


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def default_file_name(case_no: str, kind: str, suffix: str = ".pdf") -> str:
    """``天消调〔2026〕第001号-火灾事故调查报告.pdf``: case number and report, safe on Windows;
    ``suffix`` ".docx" for the Word document."""
    name = f"{case_no}-{_KIND_BY_KEY[kind].file_label}"
    return _UNSAFE.sub("_", name).strip("._") + suffix


def _place(exc: FirecaseError) -> str:
    """The case part a build error names (``where`` of the writers, else a ``field`` that is
    a Chinese name, not a program key like "evaluation"), or ""."""
    where = getattr(exc, "where", None) or exc.field or ""
    return where if isinstance(where, str) and not where.isascii() else ""


def explain_failure(exc: BaseException) -> BaseException:
    """The error to show for a failed build, with what to do next where the service's own
    message does not say it (a case with no evaluation yet), and the case part at fault where
    the error names one that its message does not (e.g. a table cell too long for a page)."""
    if isinstance(exc, NotFoundError) and exc.field == "evaluation":
        return FirecaseError(
            f"{exc.message}请先在本案件的“评估”页建立整改评估并保存，然后再生成评估报告。",
            field="evaluation",
        )
    if isinstance(exc, FirecaseError):
        place = _place(exc)
        if place and place not in exc.message:
            shown = type(exc).__new__(type(exc))  # same kind (title, advice), message amended
            shown.__dict__.update(exc.__dict__)
            shown.message = f"{exc.message}（位置：{place}）"
            shown.args = (shown.message,)
            return shown
    return exc


_last_folder: str = ""


def _save_folder() -> str:
    """Where the save dialog opens: the folder of the last save, else the documents folder."""
    if _last_folder and Path(_last_folder).is_dir():
        return _last_folder
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


# ------------------------------------------------------------------------- widgets


def _return_memory_to_os() -> None:
    """Hand freed heap pages back to the system (glibc keeps freed page images otherwise)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # another C library: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class PagePreview(QScrollArea):
    """The pages of a report, one under the other, with zoom. GUI thread only.

    Owned by a :class:`ReportDialog` (or a document dialog). Every page has a placeholder of
    its known size; a page is shown from a rasterised image. Two modes:

    * :meth:`set_pages` (small documents): all page images are given and kept.
    * :meth:`set_lazy_pages` (reports of any length): only the pages given are rasterised; the
      others are asked for with ``pages_wanted(list[int], dpi)`` when they scroll into view
      (one request at a time, answered with :meth:`add_rendered` or :meth:`render_failed`).
      At most ``CACHE_PAGES`` images are kept (the least recently shown go first), and
      :meth:`release` drops them all (the dialog calls it when it closes).

    ``zoom_changed(float)`` after every zoom (1.0 = real size at 96 dpi);
    ``current_page_changed(int)`` when another page is in view (1-based);
    ``sharper_wanted(float)`` when the zoom needs images at a higher dpi than it has.
    Ctrl + mouse wheel zooms. In fit-width mode (the default) the zoom follows the width.
    """

    zoom_changed = Signal(float)
    current_page_changed = Signal(int)
    sharper_wanted = Signal(float)
    pages_wanted = Signal(object, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the state first: setWidget below may already deliver a resize event
        self._sizes: tuple[tuple[float, float], ...] = ()
        self._cache: OrderedDict[int, tuple[float, QImage]] = OrderedDict()
        self._lazy = False
        self._asked: tuple[int, ...] = ()  # the pages of the request in flight
        self._failed: set[int] = set()
        self._dpi = SCREEN_DPI
        self._zoom = 1.0
        self._fit_width = True
        self._current = 0
        self.page_labels: list[QLabel] = []
        self._scroll_to: int | None = None  # a show_page the scroll range did not allow yet
        self._visible_timer = QTimer(self)
        self._visible_timer.setSingleShot(True)
        self._visible_timer.setInterval(0)
        self._visible_timer.timeout.connect(self._on_visible_timer_timeout)
        self.setObjectName("pagePreview")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._column = QWidget(self)
        self._column.setObjectName("pageColumn")
        self._column.setStyleSheet(
            "#pageColumn { background: #7a7f85; }"
            "QLabel[page='true'] { background: white; border: 1px solid #4a4d52; color: #888; }"
        )
        self._layout = QVBoxLayout(self._column)
        self._layout.setContentsMargins(_PAGE_GAP, _PAGE_GAP, _PAGE_GAP, _PAGE_GAP)
        self._layout.setSpacing(_PAGE_GAP)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._column)
        self.verticalScrollBar().valueChanged.connect(self._on_scrollbar_value_changed)
        self.verticalScrollBar().rangeChanged.connect(self._on_scrollbar_range_changed)

    # -- state --------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The zoom factor (1.0 = real size)."""
        return self._zoom

    @property
    def fit_width(self) -> bool:
        """Whether the zoom follows the width of the view."""
        return self._fit_width

    @property
    def page_count(self) -> int:
        """How many pages are shown."""
        return len(self._sizes)

    @property
    def current_page(self) -> int:
        """The page in view (1-based; 0 when there are none)."""
        return self._current

    @property
    def dpi(self) -> float:
        """The resolution pages are rasterised at."""
        return self._dpi

    @property
    def cached_pages(self) -> tuple[int, ...]:
        """The pages (1-based) whose images are kept now, in ascending order."""
        return tuple(sorted(self._cache))

    @property
    def settled(self) -> bool:
        """Whether no pages are asked for (``pages_wanted``) nor about to be."""
        idle = not self._asked and not self._visible_timer.isActive()
        return idle and self._scroll_to is None

    def wanted_dpi(self, sizes: Sequence[tuple[float, float]] | None = None) -> float:
        """The image resolution that is sharp at the current (or fit-width) zoom."""
        zoom = self._fit_zoom(sizes or self._sizes) if self._fit_width else self._zoom
        zoom = max(zoom, _BASE_ZOOM)
        return min(MAX_PREVIEW_DPI, SCREEN_DPI * zoom * self.devicePixelRatioF())

    def visible_pages(self) -> list[int]:
        """The pages (1-based) in or near the view (half a view above and below)."""
        if not self._sizes:
            return []
        bar = self.verticalScrollBar()
        height = max(1, self.viewport().height())
        top, bottom = bar.value() - height // 2, bar.value() + height + height // 2
        tops = self._page_tops()
        first = max(0, bisect.bisect_right(tops, top) - 1)
        last = bisect.bisect_left(tops, bottom)
        return list(range(first + 1, min(last, len(tops)) + 1))

    # -- pages --------------------------------------------------------------------------------

    def set_pages(
        self, sizes: Sequence[tuple[float, float]], images: Sequence[QImage], dpi: float
    ) -> None:
        """Show these page images, all kept (``dpi`` is their resolution); keeps zoom and
        position when the pages are the same."""
        self._install(sizes, dpi, dict(enumerate(images, 1)), lazy=False)

    def set_lazy_pages(
        self, sizes: Sequence[tuple[float, float]], dpi: float, images: Mapping[int, QImage]
    ) -> None:
        """Show pages of these sizes; ``images`` (page -> image at ``dpi``) are the ones
        rasterised already, the others are asked for when they come into view."""
        self._install(sizes, dpi, images, lazy=True)

    def _install(
        self,
        sizes: Sequence[tuple[float, float]],
        dpi: float,
        images: Mapping[int, QImage],
        *,
        lazy: bool,
    ) -> None:
        same_report = tuple(sizes) == self._sizes
        scroll = self.verticalScrollBar().value()
        self._sizes, self._dpi, self._lazy = tuple(sizes), dpi, lazy
        self._scroll_to = None
        self._cache.clear()
        self._asked = ()
        self._failed.clear()
        for number, image in images.items():
            self._cache[number] = (dpi, image)
        if len(self.page_labels) != len(self._sizes):
            for label in self.page_labels:
                self._layout.removeWidget(label)
                label.deleteLater()
            self.page_labels = []
            for number in range(1, len(self._sizes) + 1):
                label = QLabel(self._column)
                label.setObjectName(f"page{number}")
                label.setProperty("page", True)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setAccessibleName(f"第{number}页")
                self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self.page_labels.append(label)
        if self._fit_width:
            self._zoom = self._fit_zoom(self._sizes)
        self._relayout()
        self.verticalScrollBar().setValue(scroll if same_report else 0)
        self._update_current()
        self._evict()
        self._visible_timer.start()

    def set_dpi(self, dpi: float) -> None:
        """Rasterise pages at ``dpi`` from now on (lazy mode: the pages in view are asked for
        again; their coarser images stay shown meanwhile)."""
        self._dpi = dpi
        self._visible_timer.start()

    def add_rendered(self, dpi: float, images: Mapping[int, QImage]) -> None:
        """The answer to ``pages_wanted``: page images at ``dpi``."""
        self._asked = ()
        for number, image in images.items():
            if 1 <= number <= len(self._sizes):
                self._cache[number] = (dpi, image)
                self._cache.move_to_end(number)
                self._show_image(number)
        self._evict()
        self._visible_timer.start()

    def render_failed(self) -> None:
        """The request for pages failed: they say so and are not asked for again."""
        for number in self._asked:
            self._failed.add(number)
            if number <= len(self.page_labels):
                self.page_labels[number - 1].setText("无法显示此页")
        self._asked = ()

    def release(self) -> None:
        """Drop every page image and pixmap (the dialog closed); pages in view are asked for
        again if it is shown once more."""
        self._cache.clear()
        self._asked = ()
        for label in self.page_labels:
            label.clear()
        _return_memory_to_os()

    def clear(self) -> None:
        """Show no pages."""
        self._install((), self._dpi, {}, lazy=False)

    def page_pixmap(self, number: int) -> QPixmap:
        """The pixmap shown for page ``number`` (1-based; null while it is not rasterised)."""
        return self.page_labels[number - 1].pixmap()

    def show_page(self, number: int) -> None:
        """Scroll so that page ``number`` (1-based) starts at the top of the view (once the
        scroll range allows it, if the column's new height is not laid out yet)."""
        if 1 <= number <= len(self.page_labels):
            bar = self.verticalScrollBar()
            value = self._page_tops()[number - 1] - _PAGE_GAP
            self._scroll_to = value if value > bar.maximum() else None
            bar.setValue(value)

    def _page_size(self, number: int) -> QSize:
        w_pt, h_pt = self._sizes[number - 1]
        return QSize(
            round(w_pt / 72.0 * SCREEN_DPI * self._zoom),
            round(h_pt / 72.0 * SCREEN_DPI * self._zoom),
        )

    def _show_image(self, number: int) -> None:
        """Put the kept image of page ``number`` on its label, scaled to the zoom."""
        label = self.page_labels[number - 1]
        _dpi, image = self._cache[number]
        ratio = self.devicePixelRatioF()
        scaled = image.scaled(
            self._page_size(number) * ratio,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(ratio)
        label.setPixmap(pixmap)

    def _evict(self) -> None:
        """Keep at most ``CACHE_PAGES`` images (lazy mode), never those in view."""
        if not self._lazy or len(self._cache) <= CACHE_PAGES:
            return
        keep = set(self.visible_pages())
        for number in list(self._cache):
            if len(self._cache) <= CACHE_PAGES:
                break
            if number not in keep:
                del self._cache[number]
                self.page_labels[number - 1].clear()

    def _request_visible(self) -> None:
        """Ask for the pages in view that have no image at the wanted resolution."""
        if not self._lazy or self._asked or not self.isVisible():
            return
        visible = self.visible_pages()
        for number in visible:
            if number in self._cache:
                self._cache.move_to_end(number)
        missing = [
            n
            for n in visible
            if n not in self._failed and (n not in self._cache or self._cache[n][0] < self._dpi)
        ]
        if not missing:
            return
        current = self._current or missing[0]
        missing.sort(key=lambda n: abs(n - current))  # the page in view first
        self._asked = tuple(missing[:CACHE_PAGES])
        for number in self._asked:
            label = self.page_labels[number - 1]
            if label.pixmap().isNull():
                label.setText(f"第{number}页")
        self.pages_wanted.emit(list(self._asked), self._dpi)

    # -- zoom ---------------------------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        """Zoom to ``zoom`` (clamped to the zoom steps' range); leaves fit-width mode."""
        self._fit_width = False
        self._apply_zoom(min(ZOOM_STEPS[-1], max(ZOOM_STEPS[0], zoom)))

    def zoom_in(self) -> None:
        """The next larger zoom step."""
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-3), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        """The next smaller zoom step."""
        smaller = [z for z in ZOOM_STEPS if z < self._zoom - 1e-3]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def set_fit_width(self) -> None:
        """Zoom so that the widest page fills the view's width, and keep it so on resize."""
        self._fit_width = True
        self._apply_zoom(self._fit_zoom(self._sizes))

    def _fit_zoom(self, sizes: Sequence[tuple[float, float]]) -> float:
        widest = max((w for w, _ in sizes), default=_A4_POINTS[0])
        scrollbar = self.verticalScrollBar().sizeHint().width()
        room = self.viewport().width() - 2 * _PAGE_GAP - (0 if sizes else scrollbar) - 2
        return max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], room / (widest / 72.0 * SCREEN_DPI)))

    def _apply_zoom(self, zoom: float) -> None:
        if abs(zoom - self._zoom) < 1e-4 and self.page_labels:
            return
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._zoom = zoom
        self._relayout()
        bar.setValue(round(fraction * bar.maximum()))
        self.zoom_changed.emit(zoom)
        self._visible_timer.start()
        wanted = self.wanted_dpi()
        if self._sizes and wanted > self._dpi * _SHARPER:
            self.sharper_wanted.emit(wanted)

    def _relayout(self) -> None:
        for number, label in enumerate(self.page_labels, 1):
            label.setFixedSize(self._page_size(number) + QSize(2, 2))
        for number in self._cache:
            self._show_image(number)
        self._column.adjustSize()

    def _page_tops(self) -> list[int]:
        """Where each page starts in the column (computed, so valid before the next layout)."""
        tops, y = [], _PAGE_GAP
        for label in self.page_labels:
            tops.append(y)
            y += label.height() + _PAGE_GAP
        return tops

    def _update_current(self) -> None:
        current = 0
        if self.page_labels:
            probe = self.verticalScrollBar().value() + self.viewport().height() // 3
            current = max(1, bisect.bisect_right(self._page_tops(), probe))
        if current != self._current:
            self._current = current
            self.current_page_changed.emit(current)

    # -- events -------------------------------------------------------------------------------

    def _on_scrollbar_value_changed(self, _value: int) -> None:
        self._update_current()
        self._visible_timer.start()

    def _on_scrollbar_range_changed(self, _low: int, high: int) -> None:
        if self._scroll_to is not None:
            value = self._scroll_to
            if value <= high:
                self._scroll_to = None
            self.verticalScrollBar().setValue(value)

    def _on_visible_timer_timeout(self) -> None:
        self._request_visible()

    def showEvent(self, event: QShowEvent) -> None:
        """Pages dropped while hidden are asked for again."""
        super().showEvent(event)
        self._visible_timer.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In fit-width mode the zoom follows the width."""
        super().resizeEvent(event)
        if self._fit_width and self._sizes:
            self._apply_zoom(self._fit_zoom(self._sizes))
        self._visible_timer.start()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl + wheel zooms; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)


REBUILD_KEYS = declare_keys("报告预览", "重新生成报告", QKeySequence.StandardKey.Refresh)
ZOOM_OUT_KEYS = declare_keys("报告预览", "缩小", QKeySequence.StandardKey.ZoomOut)
ZOOM_IN_KEYS = declare_keys("报告预览", "放大", QKeySequence.StandardKey.ZoomIn)
FIT_WIDTH_KEYS = declare_keys("报告预览", "适合宽度", "Ctrl+0")
SAVE_PDF_KEYS = declare_keys("报告预览", "保存为PDF", QKeySequence.StandardKey.Save)
PRINT_KEYS = declare_keys("报告预览", "打印报告", QKeySequence.StandardKey.Print)


class ReportDialog(FirstFieldFocus, QDialog):
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
        self._run(
            lambda: build_rendered_report(
                case_file, kind, case_no, generated_at=generated_at, today=today, dpi=dpi
            ),
            label,
            lambda result: self._on_worker_report_built(request, result),
            lambda exc: self._on_worker_build_failed(request, exc),
        )

    def _on_worker_report_built(self, request: int, report: RenderedReport) -> None:
        if request != self._request:
            return  # another report was chosen meanwhile
        self._building = False
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

    # -- save ---------------------------------------------------------------------------------

    def suggested_path(self) -> Path:
        """Where the save dialog proposes to put the PDF."""
        return Path(_save_folder()) / default_file_name(self.case_no, self.kind)

    def choose_and_save(self) -> None:
        """Ask where to save the PDF (file dialog), then save it there."""
        if self.report is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "保存为PDF", str(self.suggested_path()), "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Write the PDF shown to ``path`` (off the GUI thread); ``report_saved`` when done."""
        report = self.report
        if report is None:
            return
        data = report.pdf
        self._run(
            lambda: _write_atomically(path, data),
            f"正在保存 {path.name}……",
            self._on_worker_report_saved,
            self._on_worker_job_failed,
        )

    def _on_worker_report_saved(self, path: Path) -> None:
        global _last_folder
        _last_folder = str(path.parent)
        self.status_label.setText(f"已保存：{path}")
        self.report_saved.emit(str(path))

    def _on_worker_job_failed(self, exc: BaseException) -> None:
        self._restore_status()
        messages.show_error(self, exc)

    # -- Word ---------------------------------------------------------------------------------

    def suggested_docx_path(self) -> Path:
        """Where the export dialog proposes to put the Word document."""
        return Path(_save_folder()) / default_file_name(self.case_no, self.kind, ".docx")

    def choose_and_export_docx(self) -> None:
        """Ask where to save the Word document (file dialog), then build it there."""
        path, _filter = QFileDialog.getSaveFileName(
            self, "导出为Word文档", str(self.suggested_docx_path()), "Word 文档 (*.docx)"
        )
        if not path:
            return
        if not path.lower().endswith(".docx"):
            path += ".docx"
        self.export_docx_to(Path(path))

    def export_docx_to(self, path: Path) -> None:
        """Build the chosen report as a Word document at ``path`` (off the GUI thread);
        ``report_exported`` when done."""
        kind, case_file, case_no = self.kind, self.case_file, self.case_no
        generated_at, today = self._now().replace(microsecond=0), self._today()
        self._run(
            lambda: export_docx(
                case_file, kind, case_no, path, generated_at=generated_at, today=today
            ),
            f"正在导出 {path.name}……",
            self._on_worker_docx_exported,
            self._on_worker_export_failed,
        )

    def _on_worker_docx_exported(self, path: Path) -> None:
        global _last_folder
        _last_folder = str(path.parent)
        self.status_label.setText(f"已导出Word文档：{path}")
        self.report_exported.emit(str(path))

    def _on_worker_export_failed(self, exc: BaseException) -> None:
        self._restore_status()
        if self.report is None:
            self.status_label.setText("Word文档没有导出。")
        messages.show_error(self, explain_failure(exc))

    # -- print --------------------------------------------------------------------------------

    def choose_printer_and_print(self) -> None:
        """Ask for printer, page range and copies (print dialog), then print."""
        report = self.report
        if report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{report.case_no} {_KIND_BY_KEY[report.kind].file_label}")
        printer.setFromTo(1, report.page_count)
        printer.setPrintRange(QPrinter.PrintRange.AllPages)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setWindowTitle("打印报告")
        dialog.setMinMax(1, report.page_count)
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(
            option.PrintPageRange
            | option.PrintCurrentPage
            | option.PrintToFile
            | option.PrintShowPageSize
        )
        dialog.accepted.connect(lambda: self._on_print_dialog_accepted(printer))
        dialog.finished.connect(dialog.deleteLater)
        self._print_dialog = dialog
        QDialog.open(dialog)  # window-modal, no nested event loop (QPrintDialog hides open())

    def _on_print_dialog_accepted(self, printer: QPrinter) -> None:
        self._print_dialog = None
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the report shown on ``printer`` as its settings say (range, copies), off the
        GUI thread; ``report_printed(pages)`` when done. The printer is the job's until then."""
        report = self.report
        if report is None:
            return
        pdf, current = report.pdf, max(1, self.preview.current_page)
        self._run(
            lambda: print_pdf(pdf, printer, current_page=current),
            "正在发送到打印机……",
            self._on_worker_report_printed,
            self._on_worker_job_failed,
        )

    def _on_worker_report_printed(self, pages: int) -> None:
        self.status_label.setText(f"已发送到打印机：{pages}页。")
        self.report_printed.emit(pages)

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
