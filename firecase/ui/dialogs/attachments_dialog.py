"""附件另存为: the case's attachments as thumbnails, saved one by one or many to a folder.

Thumbnails are made from the stored content on a thread of their own (``Worker`` with its own
one-thread pool), one attachment at a time, so a case with a thousand photos shows its list at
once and fills it in while the officer looks; the case's own worker is never held up. Only
images are decoded, scaled while they are read (``QImageReader.setScaledSize``), and only
while the dialog is open: a closed dialog's queued thumbnails are skipped. Saving streams each
file from the case file to disk (``evidence.save_attachment``) on the case's worker.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from firecase.services import evidence
from firecase.services.dto import AttachmentView
from firecase.store import CaseFile
from firecase.ui import messages
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

THUMB = 128
_IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"})
_ID_ROLE = Qt.ItemDataRole.UserRole


def human_size(size: int) -> str:
    """A file size as people read it."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def is_image(a: AttachmentView) -> bool:
    """Whether an attachment is a picture a thumbnail can be made of."""
    return a.media_type.startswith("image/") or Path(a.filename).suffix.lower() in _IMAGE_SUFFIXES


def make_thumbnail(content: bytes, size: int = THUMB) -> QImage:
    """A picture scaled to fit ``size``×``size`` while it is decoded (a null image for
    content Qt cannot read). Safe off the GUI thread (``QImage``, no widgets)."""
    data = QByteArray(content)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # photos taken upright on a phone stay upright
    full = reader.size()
    if full.isValid() and (full.width() > size or full.height() > size):
        reader.setScaledSize(full.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    return image


def free_name(folder: Path, filename: str, taken: set[str]) -> Path:
    """``folder/filename``, or ``name (2).ext`` … when that exists or was chosen already."""
    stem, suffix = Path(filename).stem, Path(filename).suffix
    candidate, n = filename, 1
    while candidate in taken or (folder / candidate).exists():
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate)
    return folder / candidate


class AttachmentsDialog(FirstFieldFocus, QDialog):
    """附件另存为. GUI thread only; owned by the evidence tab (window-modal, ``open()``)."""

    def __init__(
        self,
        case_file: CaseFile,
        attachments: Sequence[AttachmentView],
        describe: Callable[[AttachmentView], str],
        run: Callable[..., None],
        *,
        selected: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsDialog")
        self.setWindowTitle("附件另存为")
        self._cf = case_file
        self._run = run
        self._open = True
        self._by_id = {a.id: a for a in attachments}
        self.thumbnails_done = 0
        self.thumbnail_worker = Worker(self)
        self.file_dialog: QFileDialog | None = None

        self.note = QLabel(
            f"本案共 {len(attachments)} 个附件。选中一个或多个后保存；"
            "保存的文件与登记的 SHA-256 校验值一致。",
            self,
        )
        self.note.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("attachmentGrid")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 48, THUMB + 68))  # two lines of name and the size
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        file_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._items: dict[int, QListWidgetItem] = {}
        for a in attachments:
            item = QListWidgetItem(file_icon, f"{a.filename}\n{human_size(a.size)}")
            item.setData(_ID_ROLE, a.id)
            item.setToolTip(
                f"{a.filename}\n{describe(a)}\n{human_size(a.size)}\nSHA-256 {a.sha256}"
            )
            self.list.addItem(item)
            self._items[a.id] = item
            if a.id == selected:
                item.setSelected(True)
                self.list.setCurrentItem(item)
        self.list.itemSelectionChanged.connect(self._on_list_item_selection_changed)
        self.list.itemDoubleClicked.connect(self._on_list_item_double_clicked)

        self.save_button = QPushButton("另存为…", self)
        self.save_button.setObjectName("saveOneButton")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.folder_button = QPushButton("保存所选到文件夹…", self)
        self.folder_button.setObjectName("saveToFolderButton")
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 520)
        self._update_buttons()
        self.list.setFocus()
        for a in attachments:
            if is_image(a):
                self._queue_thumbnail(a)

    # -- thumbnails --------------------------------------------------------------------------

    def _queue_thumbnail(self, a: AttachmentView) -> None:
        cf = self._cf

        def work() -> QImage | None:
            if not self._open:  # the dialog closed meanwhile: skip what is still queued
                return None
            return make_thumbnail(evidence.get_attachment_content(cf, a.id))

        def done(image: QImage | None) -> None:
            self.thumbnails_done += 1
            item = self._items.get(a.id)
            if image is not None and not image.isNull() and item is not None:
                item.setIcon(QIcon(QPixmap.fromImage(image)))

        def failed(_exc: BaseException) -> None:  # a damaged photo keeps its file icon
            self.thumbnails_done += 1

        self.thumbnail_worker.run(work, on_success=done, on_failure=failed, owner=self)

    def done(self, result: int) -> None:
        self._open = False
        super().done(result)

    # -- saving ------------------------------------------------------------------------------

    def selected_attachments(self) -> list[AttachmentView]:
        """The attachments selected, in list order."""
        ids = [self.list.item(r).data(_ID_ROLE) for r in range(self.list.count())]
        chosen = {item.data(_ID_ROLE) for item in self.list.selectedItems()}
        return [self._by_id[i] for i in ids if i in chosen]

    def _update_buttons(self) -> None:
        chosen = len(self.selected_attachments())
        self.save_button.setEnabled(chosen == 1)
        self.folder_button.setEnabled(chosen >= 1)

    def _on_list_item_selection_changed(self) -> None:
        self._update_buttons()

    def _on_list_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self._on_save_button_clicked()

    def _on_save_button_clicked(self) -> None:
        chosen = self.selected_attachments()
        if len(chosen) != 1:
            return
        a = chosen[0]
        dialog = QFileDialog(self, "附件另存为")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(a.filename)
        dialog.fileSelected.connect(lambda path: self.save_files([(a, Path(path))]))
        self.file_dialog = dialog
        dialog.open()

    def _on_folder_button_clicked(self) -> None:
        dialog = QFileDialog(self, "保存所选附件到文件夹")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.save_to_folder)
        self.file_dialog = dialog
        dialog.open()

    def save_to_folder(self, folder: str) -> None:
        """Save every selected attachment into ``folder`` (names kept, a number added to a
        name already there)."""
        if not folder:
            return
        taken: set[str] = set()
        target = Path(folder)
        chosen = self.selected_attachments()
        self.save_files([(a, free_name(target, a.filename, taken)) for a in chosen])

    def save_files(self, jobs: list[tuple[AttachmentView, Path]]) -> None:
        """Write each attachment to its path, streamed, on the case's worker."""
        if not jobs:
            return
        cf = self._cf

        def work() -> tuple[int, int]:
            total = 0
            for a, path in jobs:
                total += evidence.save_attachment(cf, a.id, os.fspath(path))
            return len(jobs), total

        def saved(result: Any) -> None:
            count, total = result
            where = jobs[0][1] if count == 1 else jobs[0][1].parent
            messages.inform(
                self, "附件已保存", f"已保存 {count} 个文件（{human_size(total)}）到 {where}。"
            )

        self._run(work, on_success=saved, label="正在保存附件…")
