"""生成文书 with the real widgets: a draft fills the fields, an edited paragraph reaches the
saved file, the saved file is recorded in the case; the workspace's button opens it."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader

from firecase.services.documents import list_documents
from firecase.ui.dialogs.document_dialog import DocumentDialog, kind_for_tab
from firecase.ui.worker import Worker
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, 9, 30)
ORDINARY_CASE = "天消调〔2026〕第001号"
MAJOR_CASE = "天消调〔2025〕第001号"
TIMEOUT = 30000
_SPACE = re.compile(r"\s+")

pytestmark = pytest.mark.qt_log_ignore(r".*propagateSizeHints.*")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:

    path = tmp_path_factory.mktemp("doc-demo") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def case_file(template: Path, tmp_path: Path) -> Iterator[Any]:
    from firecase.store import open_case_file

    target = tmp_path / "cases.sqlite"
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    with open_case_file(target, user="测试") as cf:
        yield cf


@pytest.fixture
def worker(qtbot: Any) -> Iterator[Worker]:
    from firecase.ui.app import setup_application

    setup_application()
    w = Worker()
    yield w
    w.wait(TIMEOUT)


def _case_id(cf: Any, case_no: str) -> int:
    from firecase.services.reading import find_case_id

    return find_case_id(cf, case_no)


def _open(qtbot: Any, cf: Any, worker: Worker, case_no: str, kind: str) -> DocumentDialog:
    dialog = DocumentDialog(
        cf, _case_id(cf, case_no), case_no, worker, kind=kind, today=lambda: TODAY, now=lambda: NOW
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.draft is not None and not dialog.busy, timeout=TIMEOUT)
    return dialog


def test_an_edited_paragraph_is_what_the_saved_file_holds_and_the_file_is_recorded(
    qtbot: Any, case_file: Any, worker: Worker, tmp_path: Path
) -> None:
    dialog = _open(qtbot, case_file, worker, ORDINARY_CASE, "team_notice")
    form = dialog.form
    assert form.number_edit.text() == "天消发〔2026〕1号"  # the next number of its kind and year
    assert dialog.form.masthead_edit.text() == "天门市消防救援大队"  # authorised to lead (第四条)
    body = dialog.form.body_edit.toPlainText().splitlines()
    assert body[1] == "一、调查组组成" and any(line.startswith("组长：周建国") for line in body)
    assert dialog.preview.page_count >= 1  # the preview is typeset from the fields
    # the officer rewrites the first paragraph, changes the number and the addressee
    body[0] = "经研究，决定成立调查组，专项负责东湖路火灾的调查处理工作。"
    dialog.form.body_edit.setPlainText("\n".join(body))
    dialog.form.number_edit.setText("天消发〔2026〕7号")
    dialog.form.addressee_edit.setText("各成员单位")
    assert dialog.has_edits()
    target = tmp_path / "成立通知.docx"
    with qtbot.waitSignal(dialog.document_issued, timeout=TIMEOUT) as issued:
        dialog.save_to(target)
    view = issued.args[0]
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "经研究，决定成立调查组，专项负责东湖路火灾的调查处理工作。" in text
    assert "天消发〔2026〕7号" in text and "各成员单位：" in text
    assert "2026年3月14日2时31分" not in text  # the drafted first paragraph is gone
    records = list_documents(case_file, view.case_id)
    assert [(r.kind, r.number, r.file_name) for r in records] == [
        ("team_notice", "天消发〔2026〕7号", "成立通知.docx")
    ]
    assert records[0].issued_on == dt.date(2026, 3, 15) and records[0].issued_by == "测试"
    import hashlib

    assert records[0].sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    qtbot.waitUntil(lambda: dialog.issued_table.rowCount() == 1, timeout=TIMEOUT)
    assert dialog.issued_table.item(0, 1).text() == "天消发〔2026〕7号"
    # the same document saved as PDF keeps its number; the PDF holds the edit too
    pdf = tmp_path / "成立通知.pdf"
    with qtbot.waitSignal(dialog.document_issued, timeout=TIMEOUT):
        dialog.save_to(pdf)
    words = _SPACE.sub("", "".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    assert "经研究，决定成立调查组" in words and "天消发〔2026〕7号" in words
    assert len(list_documents(case_file, view.case_id)) == 2


def test_a_date_that_is_no_date_is_said_at_the_field_and_nothing_is_written(
    qtbot: Any, case_file: Any, worker: Worker, tmp_path: Path
) -> None:
    dialog = _open(qtbot, case_file, worker, ORDINARY_CASE, "team_notice")
    field = dialog.form.date_edit
    assert field.value() == dt.date(2026, 3, 15)  # drafted: the date the team was set up
    field.set_text("2026-02-30")
    target = tmp_path / "通知.docx"
    dialog.save_to(target)
    assert not target.exists() and not dialog.busy
    assert dialog.status_label.text().startswith("未保存：")
    assert field.echo_label.text() == field.problem() != ""  # the message at the field
    assert field.text() == "2026-02-30"  # what was typed is kept
    assert list_documents(case_file, _case_id(case_file, ORDINARY_CASE)) == ()
    field.set_text("2026年3月16日")  # any usual spelling
    with qtbot.waitSignal(dialog.document_issued, timeout=TIMEOUT) as issued:
        dialog.save_to(target)
    assert issued.args[0].issued_on == dt.date(2026, 3, 16)
    field.set_text("")  # an empty 成文日期 is allowed: the document is printed without one
    assert dialog.form.problem() == "" and dialog.edited_text().on is None


def test_a_kind_the_case_cannot_fill_says_why_in_the_dialog(
    qtbot: Any, case_file: Any, worker: Worker
) -> None:
    dialog = DocumentDialog(
        case_file,
        _case_id(case_file, ORDINARY_CASE),
        ORDINARY_CASE,
        worker,
        kind="handling_record",
        today=lambda: TODAY,
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.draft_failed, timeout=TIMEOUT) as failed:
        dialog.show()
    assert "第二十条" in failed.args[0] and "处理落实任务" in failed.args[0]
    assert "第二十条" in dialog.notes_label.text()
    assert not dialog.word_button.isEnabled() and not dialog.pdf_button.isEnabled()


def test_choosing_the_record_redrafts_about_it(qtbot: Any, case_file: Any, worker: Worker) -> None:
    dialog = _open(qtbot, case_file, worker, MAJOR_CASE, "appraisal_commission")
    assert dialog.item_combo.count() == 3 and dialog.item_combo.currentIndex() == 2
    assert dialog.form.title_edit.toPlainText() == "检验委托书"
    with qtbot.waitSignal(dialog.draft_loaded, timeout=TIMEOUT) as loaded:
        dialog.item_combo.setCurrentIndex(0)
        dialog.item_combo.activated.emit(0)
    assert loaded.args[0].item == 0 and dialog.form.title_edit.toPlainText() == "鉴定委托书"
    grid = dialog.form.table
    table = {grid.item(r, 0).text(): grid.item(r, 1).text() for r in range(3)}
    assert table["委托事项"] == "死者死亡原因法医鉴定"


def test_each_tab_opens_its_own_kind() -> None:
    assert kind_for_tab("调查组") == "team_notice"
    assert kind_for_tab("回避") == "recusal_application"
    assert kind_for_tab("期限") == "extension_request"
    assert kind_for_tab("证据与鉴定") == "appraisal_commission"
    assert kind_for_tab("调查报告") == "report_letter"
    assert kind_for_tab("批复与处理") == "handling_record"
    assert kind_for_tab("评估") == "rectification_notice"


def test_the_workspace_button_opens_the_dialog_on_the_tab_s_kind(
    qtbot: Any, case_file: Any, worker: Worker
) -> None:
    from firecase.ui.workspace.workspace import CaseWorkspace

    workspace = CaseWorkspace(
        case_file, _case_id(case_file, ORDINARY_CASE), worker=worker, today=lambda: TODAY
    )
    qtbot.addWidget(workspace)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=TIMEOUT)
    workspace.show_tab("期限")
    dialog = workspace.open_documents()
    assert isinstance(dialog, DocumentDialog) and dialog.kind == "extension_request"
    qtbot.waitUntil(lambda: dialog.draft is not None and not dialog.busy, timeout=TIMEOUT)
    assert "延长30日" in dialog.item_combo.currentText()
    assert dialog.form.signer_edit.text() == "签发人：周建国"
    menu = workspace.documents_button.menu()
    assert len(menu.actions()) == 8
    dialog.close()


def test_an_empty_list_of_issued_documents_says_what_it_is_for(qtbot: Any) -> None:
    """Seen at 1280×720 (the GUI review): with nothing issued yet the list was a bare grid
    of seven headers. It says what is recorded there and when."""
    from firecase.ui.widgets.issued_documents import EMPTY_TEXT, IssuedDocumentsTable

    table = IssuedDocumentsTable()
    qtbot.addWidget(table)
    table.resize(600, 150)
    table.show()
    qtbot.waitExposed(table)
    assert "保存为 Word 或 PDF" in EMPTY_TEXT

    def inked(t: IssuedDocumentsTable) -> int:
        image = t.viewport().grab().toImage()
        base = image.pixelColor(2, image.height() - 2)
        y = image.height() // 2
        return sum(image.pixelColor(x, y) != base for x in range(image.width()))

    assert inked(table) > 20  # the sentence, across the middle of the list
    table.setRowCount(1)  # a row: no sentence over it
    assert inked(table) == 0
