"""The report dialog: build each report off the GUI thread, preview, save, print, errors."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QPageRanges
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from firecase.ui.dialogs.report_dialog import (
    REPORT_KINDS,
    ReportDialog,
    default_file_name,
    print_pdf,
)
from firecase.ui.worker import Worker
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
GENERATED = dt.datetime(2026, 6, 1, 14, 5)
MAJOR_CASE = "天消调〔2025〕第001号"  # 较大: has an evaluation
ORDINARY_CASE = "天消调〔2026〕第001号"  # 一般: no evaluation yet
NO_FONT_CHAR = "\U00031350"  # CJK Ext-H: in none of the bundled fonts
BUILD_TIMEOUT = 30000
_SPACE = re.compile(r"\s+")

# The offscreen platform plugin says this whenever a message box (an error shown) sizes itself.
pytestmark = pytest.mark.qt_log_ignore(r".*propagateSizeHints.*")


def pdf_text(path: Path) -> str:
    """The PDF's text, whitespace removed (CJK lines wrap anywhere)."""
    return _SPACE.sub("", "".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def report_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file with the demo cases, written once for this module (tests copy it)."""

    path = tmp_path_factory.mktemp("report-demo") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def case_file(report_template: Path, tmp_path: Path) -> Iterator[Any]:
    """A private copy of the demo case file, open."""
    from firecase.store import open_case_file

    target = tmp_path / "cases.sqlite"
    src, dst = sqlite3.connect(report_template), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    with open_case_file(target, user="测试") as cf:
        yield cf


@pytest.fixture
def worker(qtbot: Any) -> Iterator[Worker]:
    """A worker of its own (as a main window has one)."""
    from firecase.ui.app import setup_application

    setup_application()
    w = Worker()
    yield w
    w.wait(BUILD_TIMEOUT)


@pytest.fixture
def make_dialog(qtbot: Any, case_file: Any, worker: Worker) -> Any:
    """Open the report dialog of a case (shown, as the user sees it)."""

    def make(case_no: str = MAJOR_CASE, kind: str = "investigation") -> ReportDialog:
        dialog = ReportDialog(
            case_file, case_no, worker, kind=kind, today=lambda: TODAY, now=lambda: GENERATED
        )
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def wait_built(qtbot: Any, dialog: ReportDialog) -> None:
    """Wait until the chosen report is built and the pages in view are shown (or it failed)."""
    qtbot.waitUntil(
        lambda: not dialog.building and not dialog.busy and dialog.preview.settled,
        timeout=BUILD_TIMEOUT,
    )


def error_boxes(dialog: ReportDialog) -> list[QMessageBox]:
    """The error message boxes open over the dialog."""
    return [b for b in dialog.findChildren(QMessageBox, "errorBox") if b.isVisible()]


# ---------------------------------------------------------------------------------- build


@pytest.mark.parametrize("kind", [k.key for k in REPORT_KINDS])
def test_each_report_is_built_off_the_gui_thread_and_previewed(
    qtbot: Any, make_dialog: Any, kind: str
) -> None:
    dialog = make_dialog(MAJOR_CASE, kind="clocks" if kind != "clocks" else "public")
    wait_built(qtbot, dialog)
    dialog.set_kind(kind)
    # The build is queued, not done: the GUI thread returns at once and shows it is busy.
    assert dialog.building and dialog.busy
    assert dialog.progress.isVisible()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    with qtbot.waitSignal(dialog.report_built, timeout=BUILD_TIMEOUT) as blocker:
        pass
    report = blocker.args[0]
    wait_built(qtbot, dialog)
    assert report.kind == kind and report.case_no == MAJOR_CASE
    assert report.page_count > 0 and report.built.pages == report.page_count
    assert report.pdf.startswith(b"%PDF")
    assert not dialog.progress.isVisible()
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()
    assert dialog.stack.currentWidget() is dialog.preview
    assert dialog.preview.page_count == report.page_count
    assert dialog.page_label.text() == f"第 1 / {report.page_count} 页"
    for number in range(1, report.page_count + 1):  # each page is shown when scrolled to
        dialog.preview.show_page(number)
        wait_built(qtbot, dialog)
        pixmap = dialog.preview.page_pixmap(number)
        assert not pixmap.isNull() and pixmap.width() > 200
    dialog.preview.show_page(1)
    wait_built(qtbot, dialog)
    first = dialog.preview.page_pixmap(1).toImage()
    dark = sum(
        1
        for x in range(0, first.width(), 4)
        for y in range(0, first.height(), 4)
        if QColor(first.pixel(x, y)).lightness() < 100
    )
    assert dark > 50, "the first page image has no text on it"
    status = dialog.status_label.text()
    assert MAJOR_CASE in status and f"共{report.page_count}页" in status
    assert "2026年6月1日 14:05" in status


def test_landscape_clock_sheet_is_previewed_landscape(qtbot: Any, make_dialog: Any) -> None:
    dialog = make_dialog(MAJOR_CASE, kind="clocks")
    wait_built(qtbot, dialog)
    pixmap = dialog.preview.page_pixmap(1)
    assert pixmap.width() > pixmap.height()


def test_switching_report_while_building_shows_the_last_choice(
    qtbot: Any, make_dialog: Any
) -> None:
    dialog = make_dialog(MAJOR_CASE, kind="investigation")
    dialog.set_kind("public")
    dialog.set_kind("clocks")
    wait_built(qtbot, dialog)
    assert dialog.report is not None and dialog.report.kind == "clocks"
    assert dialog.kind_combo.currentText() == "期限一览表"


def test_zoom_in_out_and_fit_width(qtbot: Any, make_dialog: Any) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    preview = dialog.preview
    assert preview.fit_width and dialog.fit_width_button.isChecked()
    fit_zoom, fit_width = preview.zoom, preview.page_pixmap(1).width()
    dialog.zoom_in_button.click()
    assert preview.zoom > fit_zoom and not preview.fit_width
    assert preview.page_pixmap(1).width() > fit_width
    assert dialog.zoom_label.text() == f"{round(preview.zoom * 100)}%"
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert preview.zoom < fit_zoom
    assert preview.page_pixmap(1).width() < fit_width
    dialog.fit_width_button.click()
    assert preview.fit_width and abs(preview.zoom - fit_zoom) < 1e-6


def test_zooming_far_in_renders_sharper_pages(qtbot: Any, make_dialog: Any) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    before = dialog.preview.dpi
    dialog.preview.set_zoom(3.0)
    qtbot.waitUntil(lambda: dialog.preview.dpi > before * 1.5, timeout=BUILD_TIMEOUT)
    wait_built(qtbot, dialog)
    assert dialog.report is not None and dialog.report.dpi == dialog.preview.dpi
    assert dialog.preview.zoom == 3.0


def test_scrolling_follows_the_current_page(qtbot: Any, make_dialog: Any) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    assert dialog.report is not None
    last = dialog.report.page_count
    dialog.preview.show_page(last)
    qtbot.waitUntil(lambda: dialog.preview.current_page == last)
    assert dialog.page_label.text() == f"第 {last} / {last} 页"


def test_a_long_report_rasterises_only_the_pages_in_view_and_frees_them_on_close(
    qtbot: Any, make_dialog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfgen.canvas import Canvas

    import firecase.services.reporting as reporting
    from firecase.reports.base import BuiltReport
    from firecase.ui.dialogs import _report_render  # where the pages are rasterised

    pages = 100

    def hundred_pages(_cf: Any, _kind: str, _no: str, out: Any, **_kw: Any) -> BuiltReport:
        canvas = Canvas(out, pagesize=(595.28, 841.89))
        for number in range(1, pages + 1):
            canvas.drawString(72, 770, f"page {number}")
            canvas.showPage()
        canvas.save()
        return BuiltReport(pages=pages, fonts=(), fallback_chars=())

    rasterised: list[float] = []
    real_page_image = _report_render._page_image

    def counting_page_image(page: Any, dpi: float) -> Any:
        rasterised.append(dpi)
        return real_page_image(page, dpi)

    monkeypatch.setattr(reporting, "build_report", hundred_pages)
    monkeypatch.setattr(_report_render, "_page_image", counting_page_image)
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    preview = dialog.preview
    assert dialog.report is not None and dialog.report.page_count == pages
    assert preview.page_count == pages and len(preview.page_labels) == pages
    # only the pages in (or just around) the view were rasterised, not all 100
    in_view = preview.visible_pages()
    assert 1 in in_view and len(in_view) < 6
    assert set(preview.cached_pages) <= set(in_view) | {1, 2}
    assert len(rasterised) <= len(in_view) + 2
    assert preview.page_pixmap(1).width() > 200
    assert preview.page_pixmap(50).isNull()  # a placeholder of the page's size
    assert preview.page_labels[49].height() == preview.page_labels[0].height()
    # scrolling to a page rasterises it (and the ones around it), no more
    before = len(rasterised)
    preview.show_page(50)
    wait_built(qtbot, dialog)
    assert not preview.page_pixmap(50).isNull()
    assert len(rasterised) - before <= len(preview.visible_pages())
    # the kept images stay bounded however far one scrolls
    for number in range(1, pages + 1, 3):
        preview.show_page(number)
        wait_built(qtbot, dialog)
        assert len(preview.cached_pages) <= _report_render.CACHE_PAGES
    assert len(rasterised) < 3 * pages
    # closing releases every page image
    dialog.close()
    assert preview.cached_pages == ()
    assert all(label.pixmap().isNull() for label in preview.page_labels)


# ---------------------------------------------------------------------------------- save


def test_default_file_name_has_case_number_and_report() -> None:
    name = default_file_name(MAJOR_CASE, "investigation")
    assert name == "天消调〔2025〕第001号-火灾事故调查报告.pdf"
    assert default_file_name('A/B:C*?"<>|', "clocks") == "A_B_C_-期限一览表.pdf"


def test_save_writes_the_pdf_with_the_case_number(
    qtbot: Any, make_dialog: Any, tmp_path: Path
) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    assert dialog.suggested_path().name == default_file_name(MAJOR_CASE, "investigation")
    target = tmp_path / "out" / default_file_name(MAJOR_CASE, "investigation")
    target.parent.mkdir()
    with qtbot.waitSignal(dialog.report_saved, timeout=BUILD_TIMEOUT) as blocker:
        dialog.save_to(target)
    assert blocker.args == [str(target)]
    assert target.read_bytes() == dialog.report.pdf
    text = pdf_text(target)
    assert MAJOR_CASE in text
    assert "2026年6月1日14:05" in text
    assert len(PdfReader(target).pages) == dialog.report.page_count
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left
    assert dialog.suggested_path().parent == target.parent  # the next save opens there


def test_save_into_a_missing_folder_shows_the_error(
    qtbot: Any, make_dialog: Any, tmp_path: Path
) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    dialog.save_to(tmp_path / "no-such-folder" / "x.pdf")
    qtbot.waitUntil(lambda: bool(error_boxes(dialog)), timeout=BUILD_TIMEOUT)
    box = error_boxes(dialog)[0]
    assert box.windowTitle() == "文件操作失败"
    assert "写入权限" in box.informativeText()


# ---------------------------------------------------------------------------------- print


def pdf_printer(path: Path, dpi: int = 100) -> QPrinter:
    """A printer that prints into a PDF file (no print dialog)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def test_print_sends_every_page(qtbot: Any, make_dialog: Any, tmp_path: Path) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    assert dialog.report is not None
    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(dialog.report_printed, timeout=BUILD_TIMEOUT) as blocker:
        dialog.print_to(pdf_printer(out))
    pages = dialog.report.page_count
    assert blocker.args == [pages]
    reader = PdfReader(out)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4
    assert dialog.status_label.text() == f"已发送到打印机：{pages}页。"


def test_print_honours_the_page_range(qtbot: Any, make_dialog: Any, tmp_path: Path) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(2, 3)
    ranges.addPage(5)
    printer.setPageRanges(ranges)
    with qtbot.waitSignal(dialog.report_printed, timeout=BUILD_TIMEOUT) as blocker:
        dialog.print_to(printer)
    assert blocker.args == [3]
    assert len(PdfReader(out).pages) == 3


def test_print_current_page_and_landscape(qtbot: Any, make_dialog: Any, tmp_path: Path) -> None:
    dialog = make_dialog(MAJOR_CASE, kind="clocks")
    wait_built(qtbot, dialog)
    out = tmp_path / "current.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    with qtbot.waitSignal(dialog.report_printed, timeout=BUILD_TIMEOUT):
        dialog.print_to(printer)
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # the clock sheet is printed landscape


def test_print_pdf_copies_and_empty_range(qtbot: Any, make_dialog: Any, tmp_path: Path) -> None:
    from firecase.errors import ValidationError

    dialog = make_dialog(MAJOR_CASE, kind="evaluation")
    wait_built(qtbot, dialog)
    assert dialog.report is not None
    printer = pdf_printer(tmp_path / "copies.pdf", dpi=72)
    printer.setCopyCount(2)
    assert print_pdf(dialog.report.pdf, printer) == 2 * dialog.report.page_count
    bad = pdf_printer(tmp_path / "none.pdf", dpi=72)
    bad.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(40, 41)
    bad.setPageRanges(ranges)
    with pytest.raises(ValidationError, match="所选的页码范围内没有页面"):
        print_pdf(dialog.report.pdf, bad)


# ---------------------------------------------------------------------------------- errors


def test_evaluation_report_of_a_case_without_evaluation_says_what_to_do(
    qtbot: Any, make_dialog: Any
) -> None:
    dialog = make_dialog(ORDINARY_CASE, kind="investigation")
    wait_built(qtbot, dialog)
    with qtbot.waitSignal(dialog.build_failed, timeout=BUILD_TIMEOUT):
        dialog.set_kind("evaluation")
    wait_built(qtbot, dialog)
    boxes = error_boxes(dialog)
    assert len(boxes) == 1
    text = boxes[0].text()
    assert "尚未建立整改评估" in text and ORDINARY_CASE in text
    assert "请先在本案件的“评估”页建立整改评估并保存" in text
    assert dialog.stack.currentWidget() is dialog.message_label
    assert "无法生成评估报告" in dialog.message_label.text()
    assert dialog.report is None
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    boxes[0].close()
    with qtbot.waitSignal(dialog.report_built, timeout=BUILD_TIMEOUT):
        dialog.set_kind("public")  # the other reports of the case still build


def test_character_in_no_font_names_the_character_and_where(
    qtbot: Any, make_dialog: Any, case_file: Any
) -> None:
    from firecase.services.findings import save_report_section
    from firecase.services.reading import find_case_id, get_case

    case_id = find_case_id(case_file, MAJOR_CASE)
    old = {s.number: s for s in get_case(case_file, case_id).report_sections}.get(8)
    save_report_section(
        case_file,
        case_id,
        8,
        f"另查明{NO_FONT_CHAR}面馆无证经营。",
        expected_version=old.version if old is not None and old.id is not None else None,
        override_reason="测试：正文含字体缺字",  # the case was replied: the guard asks
    )
    dialog = make_dialog(MAJOR_CASE, kind="investigation")
    with qtbot.waitSignal(dialog.build_failed, timeout=BUILD_TIMEOUT) as blocker:
        pass
    wait_built(qtbot, dialog)
    assert blocker.args[0].char == NO_FONT_CHAR
    box = error_boxes(dialog)[0]
    assert NO_FONT_CHAR in box.text() and "U+31350" in box.text()
    assert "八、其他需要载明的事项" in box.text()
    assert "在设置中选择包含该字的字体" in box.text()
    assert box.informativeText()  # what to do next
    assert NO_FONT_CHAR in dialog.message_label.text()


def test_save_button_proposes_case_number_and_report(
    qtbot: Any, make_dialog: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple[str, str]] = []

    def fake_save_dialog(_parent: Any, caption: str, proposed: str, _filter: str) -> Any:
        asked.append((caption, proposed))
        return str(tmp_path / "报告"), "PDF 文件 (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save_dialog))
    dialog = make_dialog(MAJOR_CASE, kind="public")
    wait_built(qtbot, dialog)
    with qtbot.waitSignal(dialog.report_saved, timeout=BUILD_TIMEOUT) as blocker:
        dialog.save_button.click()
    assert asked[0][0] == "保存为PDF"
    assert Path(asked[0][1]).name == "天消调〔2025〕第001号-调查处理情况公开版.pdf"
    assert blocker.args == [str(tmp_path / "报告.pdf")]  # ".pdf" added
    assert MAJOR_CASE in pdf_text(tmp_path / "报告.pdf")


def test_print_button_opens_the_print_dialog_with_the_pages(qtbot: Any, make_dialog: Any) -> None:
    dialog = make_dialog(MAJOR_CASE)
    wait_built(qtbot, dialog)
    assert dialog.report is not None
    dialog.print_button.click()
    printing = dialog._print_dialog
    assert printing is not None and printing.isVisible()
    assert (printing.minPage(), printing.maxPage()) == (1, dialog.report.page_count)
    assert "天消调〔2025〕第001号" in printing.printer().docName()
    printing.reject()
    assert not dialog.busy  # cancelled: nothing printed


# ---------------------------------------------------------------------------------- Word


def test_word_button_exports_an_editable_docx(
    qtbot: Any, make_dialog: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx
    from PySide6.QtWidgets import QFileDialog

    asked: list[tuple[str, str, str]] = []

    def fake_save_dialog(_parent: Any, caption: str, proposed: str, filters: str) -> Any:
        asked.append((caption, proposed, filters))
        return str(tmp_path / "调查报告"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save_dialog))
    dialog = make_dialog(MAJOR_CASE, kind="investigation")
    wait_built(qtbot, dialog)
    assert dialog.word_button.isEnabled() and dialog.word_button.text() == "导出Word…"
    with qtbot.waitSignal(dialog.report_exported, timeout=BUILD_TIMEOUT) as blocker:
        dialog.word_button.click()
    caption, proposed, filters = asked[0]
    assert caption == "导出为Word文档" and "*.docx" in filters
    assert Path(proposed).name == "天消调〔2025〕第001号-火灾事故调查报告.docx"
    target = tmp_path / "调查报告.docx"  # ".docx" added
    assert blocker.args == [str(target)]
    word = docx.Document(str(target))
    assert MAJOR_CASE in word.sections[0].header.paragraphs[0].text
    assert any(p.style.name == "Heading 1" for p in word.paragraphs)
    assert "已导出Word文档" in dialog.status_label.text()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".firecase-")]


def test_failed_build_names_the_case_part(
    qtbot: Any, make_dialog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.errors import ValidationError
    from firecase.services import reporting

    where = "处理建议表第3行“依据”"

    def too_long(*_args: Any, **_kwargs: Any) -> Any:
        raise ValidationError("表格中有一格的内容超过一页，无法排版。", field=where)

    monkeypatch.setattr(reporting, "build_report", too_long)
    dialog = make_dialog(MAJOR_CASE, kind="investigation")
    with qtbot.waitSignal(dialog.build_failed, timeout=BUILD_TIMEOUT):
        pass
    wait_built(qtbot, dialog)
    box = error_boxes(dialog)[0]
    assert box.windowTitle() == "输入有误"  # the error's own kind, not "程序出错"
    assert "超过一页" in box.text() and where in box.text()
    assert "意外错误" not in box.text()
    assert where in dialog.message_label.text()
    box.close()
    # the Word export fails the same way, naming the same field
    dialog.export_docx_to(Path("unused.docx"))
    qtbot.waitUntil(lambda: bool(error_boxes(dialog)), timeout=BUILD_TIMEOUT)
    assert where in error_boxes(dialog)[0].text()


def test_the_first_page_typeset_alone_is_the_first_page_of_the_whole_report(
    case_file: Any,
) -> None:
    """A preview's first page is typeset alone (``only_pages``) and equals, pixel for pixel,
    the first page of the whole report: nothing on a page depends on the pages after it."""
    from firecase.ui.dialogs._report_render import build_rendered_report, render_page_images

    def built(only: int) -> Any:
        return build_rendered_report(
            case_file,
            "investigation",
            MAJOR_CASE,
            generated_at=GENERATED,
            today=TODAY,
            dpi=72,
            only_pages=only,
        )

    first, whole = built(1), built(0)
    assert first.built.pages == 1 and len(first.page_sizes) == 1 and whole.built.pages > 5
    assert first.page_sizes[0] == whole.page_sizes[0]
    alone = render_page_images(first.pdf, [1], 72)[1]
    assert alone == render_page_images(whole.pdf, [1], 72)[1]


def test_a_partial_report_is_never_written_to_a_file(case_file: Any, tmp_path: Path) -> None:
    from firecase.errors import ValidationError
    from firecase.services.reporting import build_report

    out = tmp_path / "前几页.pdf"
    with pytest.raises(ValidationError, match="只有预览"):
        build_report(case_file, "investigation", MAJOR_CASE, out, generated_at=GENERATED, pages=1)
    assert not out.exists()


def test_the_first_page_is_shown_while_the_rest_is_typeset(
    make_dialog: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """生成报告 on a long report: page 1 is shown at once, saving and printing wait for the
    whole report, which then replaces it (the whole build is slowed here to be certain)."""
    import time

    import firecase.services.reporting as reporting

    real = reporting.build_report

    def slow(*args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("pages"):
            time.sleep(1.5)  # a report of hundreds of pages
        return real(*args, **kwargs)

    monkeypatch.setattr(reporting, "build_report", slow)
    dialog = make_dialog()
    qtbot.waitUntil(lambda: dialog.first_page_only, timeout=BUILD_TIMEOUT)
    assert dialog.report is None and not dialog.preview.page_pixmap(1).isNull()
    assert len(dialog.preview.page_labels) == 1
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert "正在排版其余页面" in dialog.status_label.text()
    assert dialog.page_label.text() == "第 1 页（其余页面排版中）"  # not "第 1 / 1 页"
    with qtbot.waitSignal(dialog.report_built, timeout=BUILD_TIMEOUT):
        pass
    assert not dialog.first_page_only and len(dialog.preview.page_labels) > 5
    assert dialog.save_button.isEnabled()
