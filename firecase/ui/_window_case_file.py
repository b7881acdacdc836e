"""The main window's case file: opening it (local or on a server), signing in, following
other officers' changes, a file that cannot be opened (a part of ``MainWindow``)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
)

from firecase.errors import CaseFileError, EmptyCaseFileError
from firecase.services.permissions import Permission, permissions_for
from firecase.store.server import has_password, public_url
from firecase.store.urltext import SERVER_SCHEMES
from firecase.ui import messages
from firecase.ui._window_constants import CASE_FILE_FILTER, CHANGED_BY_OTHERS, log
from firecase.ui.models.case_list import CaseQuery


class CaseFileMixin:
    """Opening the case file, signing in and following others' changes."""

    # ------------------------------------------------------------------------------------------
    # case file
    # ------------------------------------------------------------------------------------------

    def open_location(
        self,
        location: str,
        *,
        ask_password: bool = True,
        allow_empty: bool = False,
        prefetched: Any = None,
    ) -> None:
        """Open (create and migrate if needed) the case file at a path or URL, via the worker.

        A server URL without a password (``--db``, the recent list) first shows 连接数据库 with
        the address filled in, unless ``ask_password`` is False (the dialog was just answered).
        The store (SQLAlchemy, the models) is imported by the worker job, not before the paint.
        ``allow_empty``: the user agreed to use an empty (0-byte) file as a new case file.
        ``prefetched``: a ``services.first_page.PagePrefetch`` begun at start-up (``ui.app``).
        """
        if ask_password and location.startswith("postgresql") and not has_password(location):
            asked = self._ask_server_location(initial_url=location)
            if not asked:
                return
            location = asked
        if self.case_file is not None and self._same_location(location):
            self.refresh()
            return
        if not self._close_workspaces():
            return
        user = self.user
        self._opening = location
        self._pending_case = None
        self.file_label.setText(f"正在打开 {public_url(location)} …")

        report = self.worker.report  # an upgrade says its steps beside the busy indicator

        def job() -> Any:
            from firecase.store import open_case_file

            return open_case_file(location, user=user, allow_empty=allow_empty, progress=report)

        def run_open() -> None:
            self.worker.run(
                job,
                on_success=lambda cf: self._on_worker_case_file_opened(location, cf),
                on_failure=lambda exc: self._on_worker_case_file_failed(location, exc),
                owner=self,
                label="正在打开案卷文件…",
            )

        early = "://" not in location or location.startswith(SERVER_SCHEMES)
        if self.case_file is None and early:
            self._read_first_page(location, then=run_open, prefetched=prefetched)
        else:
            run_open()

    def _read_first_page(
        self, location: str, *, then: Callable[[], None], prefetched: Any = None
    ) -> None:
        """Show the case list's first page before the store is loaded, then call ``then``.

        ``services.first_page`` reads it on the worker, from a file with the standard
        ``sqlite3`` module, from a team's server through libpq itself; it answers None
        whenever the page could differ from what the list's own reader will show (see
        there), and then the list waits for the open file. ``then`` (the open job)
        is queued only after the page is painted: loading the store holds Python's GIL for
        long stretches, which would otherwise slow the paint of the page down several times.
        """
        model = self.list_panel.model
        limit, today, user = model.page_size, self.today(), self.user
        model.early_reader = lambda query: self._read_early_page(location, query)

        def job() -> Any:
            if prefetched is not None:  # read while the window was being built
                return prefetched.result(location, limit=limit, today=today, user=user)
            from firecase.services.first_page import read_first_page

            return read_first_page(location, limit=limit, today=today, user=user)

        def shown(page: Any) -> None:
            if self._opening != location:  # another file was asked for meanwhile
                return
            early = page is not None and self.case_file is None
            if early and self.list_panel.model.show_first_page(page):
                self.count_label.setText(f"案件 {page.total} 件")
                self.list_panel.after_next_paint(then)
            else:
                then()

        def failed(exc: BaseException) -> None:
            log.warning("early first page failed: %s", exc)
            if self._opening == location:
                then()

        self.worker.run(
            job, on_success=shown, on_failure=failed, owner=self, label="正在读取案件列表…"
        )

    def _read_early_page(self, location: str, query: Any) -> None:
        """A search typed while the file opens is answered from the file (or the server) itself
        (``services.first_page``, on a thread of its own: the worker is busy opening the
        store); the page
        reaches the list through ``early_page_read`` (queued to the GUI thread)."""
        limit, today, text = self.list_panel.model.page_size, self.today(), query.text
        user = self.user

        def read() -> None:
            from firecase.services.first_page import read_first_page

            try:
                page = read_first_page(location, limit=limit, today=today, text=text, user=user)
            except Exception:  # never a traceback: the list then waits for the store
                log.exception("early search failed")
                return
            if page is not None and shiboken6.isValid(self):
                self.early_page_read.emit(location, query, page)

        threading.Thread(target=read, name="firecase-early-search", daemon=True).start()

    def _on_early_page_read(self, location: str, query: Any, page: Any) -> None:
        opening = self._opening == location and self.case_file is None
        if opening and self.list_panel.model.show_first_page(page, query):
            self.count_label.setText(f"案件 {page.total} 件")

    def connect_server(self) -> None:
        """文件 → 连接数据库…: ask for a PostgreSQL server and open the shared case file there."""
        location = self._ask_server_location()
        if location:
            self.open_location(location, ask_password=False)

    def _ask_server_location(self, initial_url: str | None = None) -> str | None:
        """Show 连接数据库; the full URL (with the password, memory only) or None if cancelled.

        The dialog stores the address without the password in the preferences file; the
        window's own copy of the preferences is brought in line, since the window writes the
        whole file when it saves its preferences.
        """
        from firecase.ui.dialogs.connect_dialog import ask_server_location

        location = ask_server_location(self, self._prefs_store, self.worker, initial_url)
        if location:
            self.prefs = replace(self.prefs, server_url=public_url(location))
        return location

    def _same_location(self, location: str) -> bool:
        path = getattr(self.case_file, "path", None)
        if path is None or "://" in location:
            return False
        return Path(location).expanduser().resolve() == Path(path)

    # -- team mode: who acts, what their role allows, what other officers changed ---------------

    def _check_login(self, case_file: Any, *, first: bool = False) -> None:
        """Make sure ``case_file`` acts as one of its users (选择用户 in team mode), then apply
        that user's role; ``first`` (just opened) then also loads the list and starts polling.
        """
        from firecase.ui.dialogs.login_dialog import ensure_login

        self._checking_login = True
        ensure_login(
            self,
            case_file,
            self.worker,
            lambda user: self._on_login_done(case_file, user, first=first),
        )

    def _on_login_done(self, case_file: Any, user: Any, *, first: bool = False) -> None:
        """``user`` (a ``UserView``) acts in ``case_file`` from now on; None: login cancelled."""
        self._checking_login = False
        if case_file is not self.case_file:
            return
        if user is None:  # every service would refuse an unknown user: do not keep the file
            self.current_user = None
            self._pending_case = None
            self.change_timer.stop()
            if self.close_case_file():
                self.statusBar().showMessage("未选择用户，已关闭案卷文件。", 10000)
            return
        self.current_user = user
        self._update_actions()
        if first:
            self.list_panel.model.set_fetcher(self._page_fetcher(case_file))
            self._refresh_clocks()
            if Permission.RECORD in permissions_for(user.role):
                self._offer_demo_if_empty(case_file)
            self._watch_changes(case_file)
        self.user_signed_in.emit(user)
        pending, self._pending_case = self._pending_case, None
        if first and pending is not None:
            self.open_case(pending)

    def open_users(self) -> None:
        """设置 → 用户管理…: the users of the open case file and their roles."""
        from firecase.ui.dialogs.users_dialog import UsersDialog

        if self.case_file is None:
            return
        dialog = UsersDialog(self.case_file, self.worker, self, today=self.today)
        dialog.users_changed.connect(self._on_users_dialog_users_changed)
        self.users_dialog = dialog
        dialog.open()

    def _on_users_dialog_users_changed(self) -> None:
        if self.case_file is not None:
            self._check_login(self.case_file)  # the role (or the login itself) may have changed

    def _watch_changes(self, case_file: Any) -> None:
        """Read the audit position shown now, then poll every ``CHANGE_POLL_MS``."""
        from firecase.services.changes import audit_position

        self.worker.run(
            lambda: audit_position(case_file),
            on_success=lambda seq: self._on_worker_position_read(case_file, seq),
            on_failure=lambda exc: log.warning("cannot read the audit position: %s", exc),
            owner=self,
        )

    def _on_worker_position_read(self, case_file: Any, seq: int) -> None:
        if case_file is not self.case_file:
            return
        self._seen = seq
        self.change_timer.start()

    def _on_change_timer_timeout(self) -> None:
        """Ask on the worker what changed since ``_seen`` (skipped while the worker is busy)."""
        from firecase.services.changes import changes_since

        cf, seen = self.case_file, self._seen
        if cf is None or seen is None or self.worker.busy:
            return
        self.worker.run(
            lambda: changes_since(cf, seen),
            on_success=lambda changes: self._on_worker_changes_read(cf, changes),
            on_failure=lambda exc: log.warning("cannot poll for changes: %s", exc),
            owner=self,
        )

    def _on_worker_changes_read(self, case_file: Any, changes: Any) -> None:
        """Show what others changed (``changes``: a ``CaseChanges``) in ``case_file``.

        Changes made only under this window's own login were already shown by the window
        (each save refreshes the list and its case tab); they just move the position on.
        """
        if case_file is not self.case_file:
            return
        self._seen = changes.seq
        if not changes.changed:
            return
        mine = {str(case_file.user)}
        if changes.actors and changes.actors <= mine:
            return
        if changes.case_ids:
            self.list_panel.model.refresh()
            self._reload_changed_workspaces(changes.case_ids)
        if changes.case_ids or changes.other_changed:
            self._refresh_clocks()  # settings and the calendar move deadlines too
        if changes.other_changed and not self._checking_login:
            self._check_login(case_file)  # the user's role may have changed

    def _reload_changed_workspaces(self, case_ids: frozenset[int]) -> None:
        """Read changed cases' tabs again; a tab with unsaved input keeps it and gets a notice."""
        for widget in self.workspaces():
            if getattr(widget, "case_id", None) not in case_ids:
                continue
            has_unsaved = getattr(widget, "has_unsaved_changes", None)
            if has_unsaved is not None and has_unsaved():
                title = widget.windowTitle() or "案件"
                self.statusBar().showMessage(f"{title}：{CHANGED_BY_OTHERS}", 30000)
                header = getattr(widget, "header", None)
                if isinstance(header, QLabel) and CHANGED_BY_OTHERS not in header.text():
                    header.setText(
                        f'{header.text()}　<span style="color:#b00020;">{CHANGED_BY_OTHERS}</span>'
                    )
                continue
            reload = getattr(widget, "reload", None)
            if reload is not None:
                reload()

    # -- first run: an empty case file offers the demo cases ------------------------------------

    @staticmethod
    def _file_key(case_file: Any) -> str:
        """How preferences name a case file: its path, or the server URL without password."""
        return str(case_file.path) if case_file.path is not None else str(case_file.display_name)

    def _on_worker_case_file_failed(self, location: str, exc: BaseException) -> None:
        self._opening = ""
        self._pending_case = None
        self.list_panel.model.early_reader = None
        if self.list_panel.model.showing_first_page:  # read early from the file that failed
            self.list_panel.model.set_fetcher(None)
            self.count_label.clear()
        if self.case_file is None:
            self.file_label.setText("未打开案卷文件")
        else:  # the file open before stays open: name it again, not the one that failed
            cf = self.case_file
            self.file_label.setText(f"案卷文件：{cf.path or cf.display_name}")
        gone = "://" not in location and not Path(location).parent.exists()
        shown = public_url(location)
        if isinstance(exc, CaseFileError) and gone and shown in self.prefs.recent_files:
            self.prefs = self.prefs.without_recent(shown)
            self._save_prefs()
        backup = getattr(exc, "backup", None) if isinstance(exc, CaseFileError) else None
        if isinstance(exc, EmptyCaseFileError) and "://" not in location:
            self._ask_use_empty_file(location, exc)
        elif backup and "://" not in location and self.case_file is None:
            self._offer_restore(location, str(backup), exc)
        else:
            messages.show_error(self, exc)
        self._update_actions()

    def _ask_use_empty_file(self, location: str, exc: CaseFileError) -> None:
        """An empty (0-byte) file: use it as a new case file only if the user says so."""

        def answered(yes: bool) -> None:
            if yes:
                self.open_location(location, allow_empty=True)

        messages.ask(
            self,
            "空文件",
            "该文件为空，是否作为新的案卷文件使用？",
            exc.message,
            answered,
            yes_text="作为新的案卷文件",
            no_text="取消",
            object_name="emptyFileBox",
        )

    def _offer_restore(self, location: str, backup: str, exc: CaseFileError) -> None:
        """The case file could not be opened and a backup is named: offer to restore from it."""
        from firecase.ui.restore import RestoreFlow

        def answered(yes: bool) -> None:
            if yes:
                self.restore_flow = RestoreFlow(self)
                self.restore_flow.run(Path(backup), Path(location), reopen_on_failure=False)

        messages.ask(
            self,
            "案卷文件无法使用",
            exc.message,
            f"是否用备份“{Path(backup).name}”恢复？恢复前现在的文件会另存在同一文件夹中。",
            answered,
            yes_text="从备份恢复",
            no_text="不恢复",
            object_name="restoreOfferBox",
        )

    def _close_case_file_later(self, case_file: Any) -> None:
        """Close ``case_file`` once the jobs queued before now (which may use it) are done."""
        self.worker.run(case_file.close, owner=None, label="")

    def _page_fetcher(self, case_file: Any) -> Callable[..., Any]:
        """The list model's fetcher: runs on the worker, which imports the cases service."""

        def fetch(query: CaseQuery, offset: int, limit: int, today: dt.date) -> Any:
            from firecase.services.reading import list_cases

            return list_cases(
                case_file,
                text=query.text or None,
                stage=query.stage,
                grade=query.grade,
                overdue_only=query.overdue_only,
                sort=query.sort,
                offset=offset,
                limit=limit,
                today=today,
            )

        return fetch

    def choose_case_file(self) -> None:
        """Ctrl+O: pick a case file (a new name creates an empty case file)."""
        start = self.prefs.last_folder or str(Path.home())
        dialog = QFileDialog(self, "打开案卷文件", start, CASE_FILE_FILTER)
        dialog.setObjectName("openCaseFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "打开")
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        chosen = dialog.selectedFiles()[0]
        self.prefs = replace(self.prefs, last_folder=str(Path(chosen).parent))
        self.open_location(chosen)
