"""What every workspace tab has in common, and the explicitly saved form.

``WorkspaceTab`` is the base of the eleven tabs: it receives each new ``CaseDetail`` and says
whether it holds typed input that is not saved yet. ``SavedForm`` is a form over one record
(the incident facts, the publication record, the evaluation group) with 保存 / 撤销修改: it keeps
typed input across reloads, and a stale version opens the ``ConflictDialog``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from firecase.errors import ConflictError, ValidationError
from firecase.ui import messages
from firecase.ui.workspace.crud import ConflictDialog, RecordForm, case_dates, comparison_rows
from firecase.ui.workspace.fields import Field

if TYPE_CHECKING:
    from firecase.services.dto import CaseDetail
    from firecase.ui.workspace.context import WorkspaceContext

Done = Callable[[bool], None]


def _noop(_ok: bool) -> None:
    pass


class WorkspaceTab(QWidget):
    """Base of a case workspace tab. Owned by the ``CaseWorkspace``; GUI thread only.

    Subclasses build their widgets in ``__init__`` and fill them in ``set_detail``. Tabs with
    typed input that only an explicit save keeps override ``has_unsaved_changes``, ``save`` and
    ``discard_changes``.
    """

    title = ""
    is_workspace_tab = True  # ``undo.tab_of`` finds the tab a widget is on by this

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Every tab shows the case: a subclass without its own ``set_detail`` is refused
        when it is defined (Qt's metaclass does not combine with ``ABCMeta``)."""
        super().__init_subclass__(**kwargs)
        if "set_detail" not in cls.__dict__:
            raise TypeError(f"{cls.__name__} must define set_detail(detail)")

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"tab_{type(self).__name__}")
        self.forms: list[SavedForm] = []

    def set_detail(self, detail: CaseDetail) -> None:
        """Show ``detail`` (a new read of the case); each tab defines its own (checked in
        ``__init_subclass__``)."""

    def has_unsaved_changes(self) -> bool:
        """Whether the tab holds typed input not saved yet."""
        return any(f.has_unsaved_changes() for f in self.forms)

    def unsaved_what(self) -> str:
        """What is unsaved, for the prompt ("基本情况")."""
        return "、".join(f.noun for f in self.forms if f.has_unsaved_changes()) or self.title

    def save(self, then: Done = _noop) -> None:
        """Save every unsaved form; ``then(ok)`` when all are done."""
        dirty = [f for f in self.forms if f.has_unsaved_changes()]

        def step(index: int, ok: bool) -> None:
            if not ok:
                then(False)
            elif index == len(dirty):
                then(True)
            else:
                dirty[index].save(lambda good: step(index + 1, good))

        step(0, True)

    def discard_changes(self) -> None:
        """Drop typed input and show the saved values again."""
        for f in self.forms:
            f.discard_changes()


def scrolled(inner: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``inner`` in a frameless scroll area (long tabs on small screens)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


class PageTabs(QTabWidget):
    """Tabs whose pages scroll: each page sits in a frameless scroll area, so the window's
    minimum size is not the tallest page's (1280×720, 1920×1080 at 150 %). ``widget``,
    ``currentWidget``, ``indexOf`` and ``setCurrentWidget`` speak of the pages, as a plain
    ``QTabWidget`` would. A tab may be added before its page is built (``add_placeholder``,
    then ``set_page``): its scroll area stays empty until then, and ``widget`` is None.
    GUI thread only; owned by the workspace."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget | None] = []
        self._areas: list[QScrollArea] = []

    def add_page(self, page: QWidget, title: str) -> int:
        """Add ``page`` under ``title`` (inside its scroll area); returns its index."""
        index = self.add_placeholder(title, page.objectName() or str(len(self._pages)))
        self.set_page(index, page)
        return index

    def add_placeholder(self, title: str, name: str) -> int:
        """Add a tab ``title`` whose page is built later (``set_page``); returns its index."""
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setObjectName(f"pageArea_{name}")
        self._pages.append(None)
        self._areas.append(area)
        return self.addTab(area, title)

    def set_page(self, index: int, page: QWidget) -> None:
        """Put the built ``page`` into tab ``index``."""
        self._pages[index] = page
        self._areas[index].setWidget(page)

    def widget(self, index: int) -> QWidget | None:  # type: ignore[override]
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def currentWidget(self) -> QWidget | None:  # type: ignore[override]
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:  # type: ignore[override]
        return next((i for i, p in enumerate(self._pages) if p is page), -1)

    def setCurrentWidget(self, page: QWidget) -> None:  # type: ignore[override]
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)


def group(title: str, *widgets: QWidget, parent: QWidget | None = None) -> QGroupBox:
    """A titled box holding ``widgets`` one under the other."""
    box = QGroupBox(title, parent)
    layout = QVBoxLayout(box)
    for w in widgets:
        layout.addWidget(w)
    return box


class SavedForm(QWidget):
    """A form over one record saved by an explicit 保存 button. Owned by its tab; GUI thread only.

    ``values_of(detail)`` and ``version_of(detail)`` read the saved record out of each
    ``CaseDetail``; ``save(values, version)`` is the service call (run on the worker thread).
    While the user has typed something, new reads do not overwrite the form. ``saved`` is
    emitted after a successful save. An implausible date is asked about before saving.
    """

    saved = Signal(object)

    def __init__(
        self,
        ctx: WorkspaceContext,
        *,
        noun: str,
        fields: Sequence[Field],
        values_of: Callable[[CaseDetail], dict[str, Any] | None],
        version_of: Callable[[CaseDetail], int | None],
        save: Callable[[dict[str, Any], int | None], Any],
        save_text: str = "保存",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"form_{noun}")
        self.ctx = ctx
        self.noun = noun
        self._values_of = values_of
        self._version_of = version_of
        self._save = save
        self.version: int | None = None
        self._saved_values: dict[str, Any] | None = None  # as last read (Ctrl+Z)
        from firecase.ui.workspace.undo import KnownVersions

        self._known = KnownVersions()
        self.conflict_dialog: ConflictDialog | None = None
        self._busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = RecordForm(fields, self, dates=case_dates(ctx))
        layout.addWidget(self.form)
        row = QHBoxLayout()
        self.state_label = QLabel("", self)
        self.state_label.setObjectName("stateLabel")
        row.addWidget(self.state_label, 1)
        self.revert_button = QPushButton("撤销修改", self)
        self.revert_button.setObjectName("revertButton")
        self.save_button = QPushButton(save_text, self)
        self.save_button.setObjectName("saveButton")
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.revert_button.clicked.connect(self._on_revert_button_clicked)
        self.form.edited.connect(self._on_form_edited)
        self._show_state()

    def _show_state(self) -> None:
        dirty = self.form.is_dirty
        self.save_button.setEnabled(dirty and not self._busy)
        self.revert_button.setEnabled(dirty and not self._busy)
        self.state_label.setText("有未保存的修改" if dirty else "")
        self.state_label.setStyleSheet("color: #b26a00;" if dirty else "")

    def _on_form_edited(self) -> None:
        self._show_state()

    def _on_save_button_clicked(self) -> None:
        self.save()

    def _on_revert_button_clicked(self) -> None:
        self.discard_changes()

    def set_detail(self, detail: CaseDetail) -> None:
        """Show the saved record of ``detail`` unless the user is typing."""
        if self.form.is_dirty:
            return
        values = self._values_of(detail)
        self.version = self._version_of(detail)
        if values is not None:
            self.form.set_values(values)
            self._saved_values = self.form.quiet_values()
        self._show_state()

    def _push_undo(self, before: dict[str, Any] | None, version: int | None, result: Any) -> None:
        """Ctrl+Z of this save: the values as they were, from the version this save left."""
        undo = getattr(self.ctx, "undo", None)
        saved = getattr(result, "version", None)
        if undo is None or before is None or version is None or not isinstance(saved, int):
            return
        from firecase.ui.workspace.undo import UndoStep, tab_of

        call, known = self._save, self._known
        known.saw(None, result)
        undo.push(
            UndoStep(
                f"保存{self.noun}",
                tab_of(self),
                lambda: known.saw(None, call(before, known.get(None, saved))),
            )
        )

    def has_unsaved_changes(self) -> bool:
        """Whether the user typed something not saved yet."""
        return self.form.is_dirty

    def discard_changes(self) -> None:
        """Show the saved record again."""
        self.form.mark_clean()
        if self.ctx.detail is not None:
            self.set_detail(self.ctx.detail)
        self.form.clear_errors()
        self._show_state()

    def save(self, then: Done = _noop) -> None:
        """Check and save the form; ``then(ok)`` afterwards."""
        if self._busy:
            then(False)
            return
        values = self.form.values()
        if values is None:
            then(False)
            return
        self._busy = True
        self._show_state()

        def refused() -> None:
            self._busy = False
            self._show_state()
            then(False)

        self.form.confirm_dates(values, lambda: self._submit(values, then), refused)

    def _submit(self, values: dict[str, Any], then: Done) -> None:
        version = self.version
        call = self._save
        before = self._saved_values  # what Ctrl+Z saves back

        def succeeded(result: Any) -> None:
            self._busy = False
            self.form.mark_clean()
            self._push_undo(before, version, result)
            self.ctx.changed()
            self.ctx.reload(lambda _d: self.saved.emit(result))
            self._show_state()
            then(True)

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._show_state()
            if isinstance(exc, ConflictError):
                self._resolve_conflict(exc, values)
            elif isinstance(exc, ValidationError):
                self.form.show_error(exc.field, exc.message)
            else:
                messages.show_error(self, exc)
            then(False)

        self.ctx.run(
            lambda: call(values, version),
            on_success=succeeded,
            on_failure=failed,
            label=f"正在保存{self.noun}…",
        )

    def _resolve_conflict(self, exc: ConflictError, mine: dict[str, Any]) -> None:
        def show(detail: CaseDetail) -> None:
            theirs = self._values_of(detail)
            dialog = ConflictDialog(
                self.noun, comparison_rows(self.form, mine, theirs), exc.message, self
            )
            self.conflict_dialog = dialog

            def finished(code: int) -> None:
                self.conflict_dialog = None
                dialog.deleteLater()
                if code == ConflictDialog.RELOAD:
                    self.form.mark_clean()
                    self.set_detail(detail)
                elif code == ConflictDialog.OVERWRITE:
                    self.version = self._version_of(detail)
                    if theirs is not None:  # Ctrl+Z of the overwrite brings theirs back
                        self.form.set_values(theirs)
                        self._saved_values = self.form.quiet_values()
                        self.form.set_values(mine)
                        self.form.edited.emit()
                    self.save()

            dialog.finished.connect(finished)
            dialog.open()

        self.ctx.reload(show)
