"""The report dialog's reports and pages: the kinds offered, building a report, rasterising
its pages, printing and saving them, file names and failures (a part of ``report_dialog``).

The building, rasterising and printing functions run on the worker's pool thread and touch no
widget (see :mod:`firecase.ui.dialogs.report_dialog`)."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import io
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QImage,
    QPageLayout,
    QPainter,
)
from PySide6.QtPrintSupport import QPrinter

from firecase.errors import FirecaseError, NotFoundError, ValidationError
from firecase.paths import replace_atomically
from firecase.reports.base import BuiltReport

if TYPE_CHECKING:
    from firecase.store import CaseFile


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
    only_pages: int = 0,
) -> RenderedReport:
    """Build report ``kind`` of the case; rasterise only its first ``first_pages`` pages at
    ``dpi`` (the rest are rasterised when shown). ``only_pages``: typeset only that many
    pages (the preview's first page, shown while the whole report is built). Worker thread."""
    from firecase.services.reporting import build_report

    out = io.BytesIO()
    built = build_report(
        case_file, kind, case_no, out, generated_at=generated_at, today=today, pages=only_pages
    )
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


# ------------------------------------------------------------------------- widgets


def _return_memory_to_os() -> None:
    """Hand freed heap pages back to the system (glibc keeps freed page images otherwise)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # another C library: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
