"""附件另存为 (ui.dialogs.attachments_dialog): thumbnails made off the case's worker for the
pictures, a file icon for the rest, one file or many saved to disk exactly as stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from firecase.services import cases, evidence, reading
from firecase.services.dto import AttachmentInput, IncidentInput
from firecase.store import CaseFile, open_case_file
from firecase.ui.dialogs.attachments_dialog import AttachmentsDialog, free_name, make_thumbnail
from firecase.ui.worker import Worker

DAY = dt.date(2026, 3, 2)


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(180, 40, 30))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


@pytest.fixture
def case_file(tmp_path: Path) -> Iterator[CaseFile]:
    with open_case_file(tmp_path / "案卷.sqlite", user="刘志强") as cf:
        case_id = cases.open_case(
            cf,
            IncidentInput(
                title="多宝镇某仓库火灾",
                fire_date=DAY,
                place="多宝镇",
                fire_type="建筑火灾",
                property_loss_yuan=Decimal("1000"),
                economic_loss_yuan=Decimal("600000"),
            ),
            today=DAY,
        ).id
        for name, content, media in (
            ("现场.png", _png(1600, 900), "image/png"),
            ("勘验笔录.txt", "勘验笔录".encode(), "text/plain"),
            ("现场副本.png", _png(1600, 900), "image/png"),
        ):
            evidence.add_attachment(cf, case_id, AttachmentInput(name, content, DAY, media))
        yield cf


def _dialog(qtbot: Any, cf: CaseFile, worker: Worker) -> AttachmentsDialog:
    detail = reading.get_case(cf, 1)
    dialog = AttachmentsDialog(
        cf,
        detail.attachments,
        lambda a: "（案件附件）",
        worker.run,
        selected=detail.attachments[0].id,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_pictures_get_thumbnails_off_the_cases_worker(qtbot: Any, case_file: CaseFile) -> None:
    worker = Worker()
    dialog = _dialog(qtbot, case_file, worker)
    assert dialog.list.count() == 3 and dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.thumbnails_done == 2, timeout=10000)  # the two pictures
    assert not worker.busy  # the case's worker was never used for thumbnails
    sizes = [dialog.list.item(r).icon().availableSizes() for r in range(3)]
    picture = dialog.list.item(0).icon().pixmap(128, 128).toImage()
    assert picture.pixelColor(64, 64).red() > 150  # the photo's colour, not a file icon
    assert sizes[0] and sizes[1]
    dialog.done(0)
    dialog.thumbnail_worker.wait()


def test_many_saved_to_a_folder_with_names_kept_apart(
    qtbot: Any, case_file: CaseFile, tmp_path: Path
) -> None:
    worker = Worker()
    dialog = _dialog(qtbot, case_file, worker)
    dialog.list.selectAll()
    assert not dialog.save_button.isEnabled() and dialog.folder_button.isEnabled()
    folder = tmp_path / "导出"
    folder.mkdir()
    (folder / "现场.png").write_bytes(b"already here")
    dialog.save_to_folder(str(folder))
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["勘验笔录.txt", "现场 (2).png", "现场.png", "现场副本.png"]
    assert (folder / "现场.png").read_bytes() == b"already here"  # never overwritten
    stored = {a.filename: a for a in reading.get_case(case_file, 1).attachments}
    assert (folder / "现场 (2).png").read_bytes() == evidence.get_attachment_content(
        case_file, stored["现场.png"].id
    )
    assert (folder / "勘验笔录.txt").read_text(encoding="utf-8") == "勘验笔录"
    dialog.done(0)
    dialog.thumbnail_worker.wait()


def test_thumbnail_of_something_that_is_no_picture_is_null() -> None:
    assert make_thumbnail(b"not a picture").isNull()
    small = make_thumbnail(_png(40, 20))
    assert (small.width(), small.height()) == (40, 20)  # never enlarged
    big = make_thumbnail(_png(1600, 900))
    assert (big.width(), big.height()) == (128, 72)


def test_free_name_numbers_names_taken(tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"")
    taken: set[str] = set()
    assert free_name(tmp_path, "a.jpg", taken).name == "a (2).jpg"
    assert free_name(tmp_path, "a.jpg", taken).name == "a (3).jpg"
    assert free_name(tmp_path, "b.jpg", taken).name == "b.jpg"
