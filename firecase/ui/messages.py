"""Every message box of FireCase is built here; every error reaches the user through
``show_error``. GUI thread only.

Errors FireCase raises on purpose (``FirecaseError``) carry a Chinese message; ``show_error``
adds what to do next for their kind. Anything else is a bug: it is logged with its traceback
and the user sees a generic message that says where the log is.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from firecase import errors, log as firecase_log

log = logging.getLogger(__name__)

_KIND: list[tuple[type[BaseException], str, str]] = [
    (errors.ValidationError, "输入有误", "请按提示修改后再试。"),
    (errors.NotFoundError, "找不到记录", "该记录可能已被删除。请刷新列表后再试。"),
    (
        errors.ConflictError,
        "记录已被修改",
        "其他窗口或同事已先修改了这条记录。请刷新后重新输入您的修改。",
    ),
    (errors.PermissionDeniedError, "没有权限", "如需进行此操作，请联系有权限的负责人。"),
    (
        errors.CaseFileError,
        "案卷文件无法使用",
        "请检查文件位置和权限，或从“文件 → 打开案卷文件”选择其他案卷文件。",
    ),
]


def describe_error(exc: BaseException) -> tuple[str, str, str]:
    """(title, message, what to do next) shown for ``exc``; logs unexpected errors."""
    if isinstance(exc, errors.FirecaseError):
        for kind, title, advice in _KIND:
            if isinstance(exc, kind):
                return title, exc.message, advice
        return "无法完成操作", exc.message, "请按提示处理后再试。"
    if isinstance(exc, OSError):
        where = f"（{exc.filename}）" if exc.filename else ""
        reason = exc.strerror or str(exc)
        log.warning("file operation failed: %s", exc)
        return (
            "文件操作失败",
            f"文件操作失败：{reason}{where}",
            "请检查路径是否存在、磁盘空间和写入权限后再试。",
        )
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return (
        "程序出错",
        "程序遇到了意外错误，这次操作没有完成。",
        f"已记录到日志文件：{firecase_log.log_file()}。"
        "请保存其他工作后重试；如果反复出现，请把日志文件发给技术支持。",
    )


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show ``exc`` to the user (window-modal, does not block) and return the message box.

    A guard's question the officer answered 不继续 (``NeedsReasonError.declined``) needs no
    second message: the box is made but not shown."""
    title, message, advice = describe_error(exc)
    box = QMessageBox(parent)
    if getattr(exc, "declined", False):
        box.deleteLater()
        return box
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message)
    box.setInformativeText(advice)
    if not isinstance(exc, errors.FirecaseError | OSError):
        box.setIcon(QMessageBox.Icon.Critical)
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_crash(exc: BaseException) -> None:
    """The crash dialog of the crash handler (blocks until the user closes it)."""
    box = QMessageBox()
    box.setObjectName("crashBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("FireCase 程序出错")
    box.setText("程序遇到了意外错误。您已保存的数据不受影响。")
    box.setInformativeText(
        f"错误详情已记录到日志文件：{firecase_log.log_file()}。\n"
        "建议保存正在编辑的内容后重新启动 FireCase；如果反复出现，请把日志文件发给技术支持。"
    )
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


class DiscardAnswer(Enum):
    """The user's answer to "discard what you typed?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_discard(parent: QWidget | None, what: str, *, can_save: bool = True) -> DiscardAnswer:
    """Ask before throwing away typed input (blocks). ``what`` names the input, e.g. "新案件"."""
    box = QMessageBox(parent)
    box.setObjectName("discardBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("放弃输入？")
    box.setText(f"“{what}”中已输入的内容尚未保存。")
    box.setInformativeText("关闭后这些内容将丢失。是否先保存？" if can_save else "确定放弃？")
    save = box.addButton("保存", QMessageBox.ButtonRole.AcceptRole) if can_save else None
    discard = box.addButton("放弃输入", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("继续编辑", QMessageBox.ButtonRole.RejectRole)
    discard.setObjectName("discardButton")
    cancel.setObjectName("continueButton")
    if save is not None:
        save.setObjectName("saveButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if save is not None and clicked is save:
        return DiscardAnswer.SAVE
    if clicked is discard:
        return DiscardAnswer.DISCARD
    return DiscardAnswer.CANCEL


def confirm(parent: QWidget | None, title: str, text: str, *, ok_text: str = "确定") -> bool:
    """A yes/no question (blocks); True when the user chose ``ok_text``."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is ok


def inform(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """An information message (window-modal, does not block)."""
    box = QMessageBox(parent)
    box.setObjectName("infoBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    informative: str,
    on_answer: Callable[[bool], None],
    *,
    yes_text: str,
    no_text: str,
    object_name: str = "askBox",
) -> QMessageBox:
    """A yes/no question that does not block: ``on_answer(True)`` when ``yes_text`` was chosen.

    Window-modal; Esc or closing the box counts as no. The buttons are named ``yesButton`` and
    ``noButton`` (tests and screenshots find them).
    """
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(informative)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(no_text, QMessageBox.ButtonRole.RejectRole)
    yes.setObjectName("yesButton")
    no.setObjectName("noButton")
    box.setDefaultButton(yes)
    box.setEscapeButton(no)

    def finished(_result: int) -> None:
        keep = box.clickedButton() is yes
        # deleted once the answer was read, not by WA_DeleteOnClose: Qt deleting the box on
        # close while this slot (connected to the box's own signal) held it crashed PySide6
        # 6.11 in ~QObject (the date question answered with Esc, tests/ui/test_dialog_keys)
        box.deleteLater()
        on_answer(keep)

    box.finished.connect(finished)
    box.open()
    return box
