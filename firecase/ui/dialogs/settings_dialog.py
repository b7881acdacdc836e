"""The settings dialog: organisation and case numbers, deadline rolling, report fonts, the
holiday calendar editor, the fire grade standards (``standards_page``), the document numbers
(``document_numbers_page``) and the evidence numbers (``evidence_numbers_page``).

Everything shown is read from and written to the case file through the settings services
(``firecase.services.settings``) on the worker. The 常规 page is saved with "保存"; calendar
edits are saved one by one as they are made (each a transaction). A user who may not change
settings (not 管理员, in team mode) sees every page read-only. GUI thread only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, FirecaseError
from firecase.services.dto import CalendarView, SettingsInput, SettingsView
from firecase.ui import messages
from firecase.ui.dialogs.field_message import (
    with_message as with_field_message,
)
from firecase.ui.dialogs.settings_calendar import (
    CalendarPage,
)
from firecase.ui.dialogs.standards_page import StandardsPage
from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus
from firecase.ui.parsing import InputError, parse_text
from firecase.ui.util import fit_to_screen
from firecase.ui.worker import Worker

FONT_FILTER = "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)"


FONT_SETTING_LABELS = {
    "report_title_font": "报告标题字体（小标宋）",
    "report_body_font": "报告正文字体（仿宋）",
    "report_heading1_font": "一级标题字体（黑体）",
    "report_heading2_font": "二级标题字体（楷体）",
}


def fonts_in_use_text(values: dict[str, str]) -> str:
    """Which face each report role uses with these settings (chosen, installed, bundled)."""
    from firecase.reports.fonts import FontConfig

    roles = {
        "report_title_font": "title",
        "report_body_font": "body",
        "report_heading1_font": "heading1",
        "report_heading2_font": "heading2",
    }
    chosen = {roles[k]: Path(v) for k, v in values.items() if v and Path(v).is_file()}
    return "\n".join(FontConfig.resolve(dict(chosen)).describe())


class FontPicker(QWidget):
    """A report font: empty for the bundled face, else a TrueType file the user chose."""

    def __init__(self, name: str, default_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(default_label)
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton("选择…")
        browse.clicked.connect(self._on_browse_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def _on_browse_clicked(self) -> None:
        start = str(Path(self.edit.text()).parent) if self.edit.text() else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "选择字体文件", start, FONT_FILTER)
        if path:
            self.edit.setText(path)


class SettingsDialog(FirstFieldFocus, CalendarPage, QDialog):
    """设置. Owned by the main window; GUI thread only.

    ``settings_saved(SettingsView)`` after the 常规 page was saved; ``calendar_changed()``
    after each calendar edit (clocks depend on it).
    """

    settings_saved = Signal(object)
    calendar_changed = Signal()
    standards_changed = Signal(object)

    STANDARDS_PAGE = 2

    def __init__(
        self,
        case_file: Any,
        worker: Worker,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("设置")
        self.setWindowIcon(icon("settings"))
        self.case_file = case_file
        self.worker = worker
        self.today = today()
        self.settings: SettingsView | None = None
        self.calendar: CalendarView | None = None
        self._loaded_general: tuple[Any, ...] | None = None
        self.read_only = False  # set once the standards page says the user is not 管理员
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_page(), icon("settings"), "常规")
        self.tabs.addTab(self._calendar_page(), icon("calendar"), "节假日日历")
        self.standards = StandardsPage(case_file, worker, self.today)
        self.standards.standards_changed.connect(self.standards_changed)
        self.tabs.addTab(self.standards, icon("regulation"), "火灾等级标准")
        from firecase.ui.dialogs.document_numbers_page import DocumentNumbersPage

        self.numbers = DocumentNumbersPage(case_file, worker, self.today)
        self.tabs.addTab(self.numbers, icon("print"), "文书编号")
        from firecase.ui.dialogs.evidence_numbers_page import EvidenceNumbersPage

        self.evidence_numbers = EvidenceNumbersPage(case_file, worker)
        self.tabs.addTab(self.evidence_numbers, icon("print"), "证据编号")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("saveSettings")
        close = self.buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1040, 700)
        self.save_button.setEnabled(False)
        # the standards page saves its own editor: the dialog's 保存 is the 常规 page's
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.load()

    # ------------------------------------------------------------------------------------------
    # 常规
    # ------------------------------------------------------------------------------------------

    def _general_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation_name")
        self.organisation.setPlaceholderText("如：天门市消防救援大队")
        self.case_no_prefix = QLineEdit()
        self.case_no_prefix.setObjectName("case_no_prefix")
        self.roll = QCheckBox(
            "期限末日为法定休假日的，顺延至休假日结束的次日（民法典第二百零三条）"
        )
        self.roll.setObjectName("roll_to_workday")
        self.font_pickers: dict[str, FontPicker] = {
            key: FontPicker(key, "留空：自动（本机标准字体，否则随程序附带）")
            for key in FONT_SETTING_LABELS
        }
        self.title_font = self.font_pickers["report_title_font"]
        self.body_font = self.font_pickers["report_body_font"]
        self.general_messages: dict[str, QLabel] = {}

        def with_message(key: str, widget: QWidget) -> QWidget:
            return with_field_message(key, widget, self.general_messages)

        form.addRow("单位名称（报告页眉）", with_message("organisation_name", self.organisation))
        form.addRow("案件编号前缀", with_message("case_no_prefix", self.case_no_prefix))
        form.addRow("期限计算", self.roll)
        hint = QLabel(
            "关闭后，按日计算的期限即使末日为法定休假日也不顺延。变更后各案件的期限将重新计算。"
        )
        hint.setStyleSheet("color:#6b6b6b;")
        form.addRow("", hint)
        for key, label in FONT_SETTING_LABELS.items():
            form.addRow(label, with_message(key, self.font_pickers[key]))
        self.fonts_in_use = QLabel()
        self.fonts_in_use.setObjectName("fonts_in_use")
        self.fonts_in_use.setWordWrap(False)  # one short line per role; wrapping clipped it
        self.fonts_in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("报告实际使用", self.fonts_in_use)
        font_hint = QLabel(
            "按 GB/T 9704 公文格式：标题小标宋、正文仿宋、一级标题黑体、二级标题楷体。"
            "留空时自动使用本机已安装的标准字体（如 simfang.ttf、simkai.ttf、simhei.ttf、"
            "方正小标宋简体、仿宋_GB2312），本机没有的用随程序附带的字体代替（见上方“代”字）。"
            "只能选择 TrueType 字体文件（.ttf / .ttc）。\n"
            "报告中嵌入所用字形，在任何电脑上打印效果一致；PDF 的关键词记录了各部分所用字体。"
        )
        font_hint.setObjectName("fontHint")
        font_hint.setWordWrap(True)
        font_hint.setMinimumWidth(520)
        # a wrapped label asks for its least width: it wrapped at 520 pixels beside empty room
        font_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        font_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        font_hint.setStyleSheet("color:#6b6b6b;")
        form.addRow("", font_hint)
        self.general_status = QLabel()
        self.general_status.setObjectName("generalStatus")
        self.general_status.setWordWrap(True)
        self.general_status.setMinimumWidth(520)  # wrapped in a form row it shrank to a column
        self.general_status.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self.general_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.general_status)
        for edit in (
            self.organisation,
            self.case_no_prefix,
            *(picker.edit for picker in self.font_pickers.values()),
        ):
            edit.textChanged.connect(self._on_general_changed)
        self.roll.toggled.connect(self._on_general_changed)
        return page

    def general_values(self) -> tuple[Any, ...]:
        """What the 常规 page shows now."""
        return (
            self.organisation.text(),
            self.case_no_prefix.text(),
            self.roll.isChecked(),
            *(picker.edit.text() for picker in self.font_pickers.values()),
        )

    def _general_of(self, view: SettingsView) -> tuple[Any, ...]:
        """``general_values`` as the page shows ``view``."""
        return (
            view.organisation_name,
            view.case_no_prefix,
            view.roll_to_workday,
            *(str(getattr(view, key, "")) for key in self.font_pickers),
        )

    def general_errors(self) -> dict[str, str]:
        """Messages of the 常规 page's invalid fields."""
        errors: dict[str, str] = {}
        try:
            parse_text(self.organisation.text(), "单位名称")
        except InputError as exc:
            errors["organisation_name"] = exc.message
        try:
            parse_text(self.case_no_prefix.text(), "案件编号前缀", max_len=20)
        except InputError as exc:
            errors["case_no_prefix"] = exc.message
        for key, picker in self.font_pickers.items():
            text = picker.edit.text().strip()
            if text and not Path(text).is_file():
                errors[key] = "找不到该字体文件，请重新选择或留空。"
            elif text and Path(text).suffix.lower() not in (".ttf", ".ttc"):
                errors[key] = "只能使用 TrueType 字体（.ttf 或 .ttc）。"
        return errors

    def has_unsaved_changes(self) -> bool:
        """Whether the 常规 page differs from what is saved."""
        return self._loaded_general is not None and self.general_values() != self._loaded_general

    def _show_general(self, view: SettingsView) -> None:
        self.settings = view
        widgets: list[QWidget] = [
            self.organisation,
            self.case_no_prefix,
            *(picker.edit for picker in self.font_pickers.values()),
            self.roll,
        ]
        for w in widgets:
            w.blockSignals(True)
        self.organisation.setText(view.organisation_name)
        self.case_no_prefix.setText(view.case_no_prefix)
        self.roll.setChecked(view.roll_to_workday)
        for key, picker in self.font_pickers.items():
            picker.edit.setText(str(getattr(view, key, "")))
        for w in widgets:
            w.blockSignals(False)
        self._loaded_general = self._general_of(view)
        self._on_general_changed()

    def save(self) -> None:
        """Save the 常规 page (worker thread)."""
        from firecase.services.settings import update_settings

        if self.general_errors():
            self._on_general_changed()
            return
        data = SettingsInput(
            organisation_name=self.organisation.text().strip(),
            case_no_prefix=self.case_no_prefix.text().strip(),
            roll_to_workday=self.roll.isChecked(),
            **{key: picker.edit.text().strip() for key, picker in self.font_pickers.items()},
        )
        cf = self.case_file
        expected = self.settings.version if self.settings is not None else 0
        self.save_button.setEnabled(False)
        self.worker.run(
            lambda: update_settings(cf, data, expected_version=expected),
            on_success=self._on_worker_settings_saved,
            on_failure=self._on_worker_settings_failed,
            owner=self,
            label="正在保存设置…",
        )

    def _on_worker_settings_saved(self, view: SettingsView) -> None:
        self._show_general(view)
        self.settings_saved.emit(view)
        self.general_status.setStyleSheet("")
        self.general_status.setText("设置已保存。")

    def _on_worker_settings_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            # another administrator saved first: keep what this one typed, read what was saved
            from firecase.services.settings import get_settings

            cf = self.case_file
            self.worker.run(
                lambda: get_settings(cf),
                on_success=self._on_worker_conflict_read,
                on_failure=lambda err: messages.show_error(self, err),
                owner=self,
            )
            return
        key = getattr(exc, "field", None)
        if isinstance(exc, FirecaseError) and key in self.general_messages:
            self.general_messages[key].setText(exc.message)
            self.general_messages[key].show()
        else:
            messages.show_error(self, exc)
        self.save_button.setEnabled(True)

    def _on_worker_conflict_read(self, latest: SettingsView) -> None:
        """Say what the other administrator changed; the typed values stay, and saving again
        (now against the latest version) makes them the settings."""
        before = self.settings
        labels = {
            "organisation_name": "单位名称",
            "case_no_prefix": "案件编号前缀",
            "roll_to_workday": "期限末日遇法定休假日顺延",
            **FONT_SETTING_LABELS,
        }
        changes = []
        for name, label in labels.items():
            new = getattr(latest, name)
            if before is None or getattr(before, name) != new:
                shown = ("是" if new else "否") if isinstance(new, bool) else (new or "（空）")
                changes.append(f"{label}改为“{shown}”")
        self.settings = latest
        self._loaded_general = self._general_of(latest)
        what = "：" + "；".join(changes) if changes else ""
        self.general_status.setStyleSheet("color:#b00020;")
        self.general_status.setText(
            f"未保存：设置已被其他管理员修改{what}。您填写的内容仍保留在窗口中；"
            "核对后再次点击“保存”，将以您填写的内容为准。"
        )
        self._on_general_changed()

    def _on_general_changed(self, *_args: object) -> None:
        errors = self.general_errors()
        self.fonts_in_use.setText(
            fonts_in_use_text(
                {
                    key: picker.edit.text().strip()
                    for key, picker in self.font_pickers.items()
                    if key not in errors
                }
            )
        )
        for key, label in self.general_messages.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        self.save_button.setEnabled(
            self.has_unsaved_changes() and not errors and not self.read_only
        )

    def _on_save_button_clicked(self) -> None:
        self.save()

    def reject(self) -> None:
        """Close; ask first when the 常规 page has unsaved changes."""
        if self.has_unsaved_changes():
            answer = messages.ask_discard(self, "设置", can_save=not self.general_errors())
            if answer is messages.DiscardAnswer.SAVE:
                self.save()
                return
            if answer is messages.DiscardAnswer.CANCEL:
                return
        if self.numbers.has_unsaved_changes() and not messages.confirm(
            self, "文书编号", "文书编号的修改尚未保存，关闭将放弃这些修改。", ok_text="放弃修改"
        ):
            return
        if self.evidence_numbers.has_unsaved_changes() and not messages.confirm(
            self, "证据编号", "证据编号格式的修改尚未保存，关闭将放弃这些修改。", ok_text="放弃修改"
        ):
            return
        super().reject()
