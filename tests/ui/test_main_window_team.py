"""The main window in team mode: no password on disk or screen, 连接数据库, login and roles,
用户管理, and refreshing when other officers change the shared case file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtWidgets import QLabel, QMessageBox

from firecase.settings import PreferenceStore

PASSWORD = "Geheim-7q"


def _shown_text(window: Any) -> str:
    """Everything the title bar and the status bar show."""
    bar = window.statusBar()
    labels = [label.text() + label.toolTip() for label in bar.findChildren(QLabel)]
    return "\n".join([window.windowTitle(), window.windowFilePath(), bar.currentMessage(), *labels])


def _close_message_boxes(window: Any) -> None:
    for box in window.findChildren(QMessageBox):
        box.close()


@pytest.fixture
def server_url() -> Iterator[str]:
    """A URL (with password) of a fresh schema on the test server; skipped without one."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    raw = os.environ.get("FIRECASE_TEST_PG_URL")
    if not raw:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(raw)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(raw).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --------------------------------------------------------------------------------------------
# the password never reaches the preferences file, the title or the status bar
# --------------------------------------------------------------------------------------------


def test_failed_server_url_leaves_no_password_behind(
    qtbot: Any, prefs: PreferenceStore, tmp_path: Path
) -> None:
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    window = MainWindow(user="测试", prefs=prefs)
    qtbot.addWidget(window)
    window.show()
    url = f"postgresql+psycopg://zhou:{PASSWORD}@127.0.0.1:1/firecase"
    window.prefs = window.prefs.with_recent("postgresql+psycopg://zhou@127.0.0.1:1/firecase")
    window.open_location(url)
    assert PASSWORD not in _shown_text(window)  # "正在打开 …" names the server only
    wait_idle(qtbot, window.worker, timeout=20000)
    assert window.case_file is None
    assert PASSWORD not in _shown_text(window)
    _close_message_boxes(window)
    window.close()
    saved = prefs.path.read_text(encoding="utf-8")
    assert PASSWORD not in saved
    assert "zhou@127.0.0.1:1/firecase" in saved  # a server URL stays in the recent list


@pytest.mark.postgres
def test_server_case_file_is_remembered_without_password(
    make_window: Any, server_url: str, prefs: PreferenceStore
) -> None:
    from sqlalchemy.engine import make_url

    from firecase.store.server import public_url

    password = make_url(server_url).password
    assert password
    window = make_window(server_url)
    assert not window.case_file.is_sqlite
    assert window.prefs.recent_files[0] == public_url(server_url)
    secret = f":{password}@"  # the test server's password may equal its user name
    assert secret not in _shown_text(window)
    assert "127.0.0.1" in window.windowTitle()
    window.close()
    assert secret not in prefs.path.read_text(encoding="utf-8")
    assert prefs.load().recent_files[0] == public_url(server_url)


# --------------------------------------------------------------------------------------------
# 连接数据库 and server URLs without a password
# --------------------------------------------------------------------------------------------


def _bare_window(qtbot: Any, prefs: PreferenceStore) -> Any:
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    return window


def test_connect_menu_opens_the_server_and_remembers_it_without_password(
    qtbot: Any, prefs: PreferenceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.dialogs import connect_dialog

    asked: list[str | None] = []

    def fake_ask(parent: Any, store: Any, worker: Any, initial_url: str | None = None) -> str:
        asked.append(initial_url)
        return f"postgresql+psycopg://zhou:{PASSWORD}@127.0.0.1:1/firecase"

    monkeypatch.setattr(connect_dialog, "ask_server_location", fake_ask)
    window = _bare_window(qtbot, prefs)
    action = window.actions_by_name["connect_server"]
    assert action.text() == "连接数据库…" and action.isEnabled()
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    action.trigger()
    assert asked == [None]  # a URL with its password is not asked again
    assert window.prefs.server_url == "postgresql+psycopg://zhou@127.0.0.1:1/firecase"
    assert window.file_label.text() == "正在打开 postgresql+psycopg://zhou@127.0.0.1:1/firecase …"
    wait_idle(qtbot, window.worker, timeout=20000)
    _close_message_boxes(window)
    window.close()
    assert prefs.load().server_url == "postgresql+psycopg://zhou@127.0.0.1:1/firecase"
    assert PASSWORD not in prefs.path.read_text(encoding="utf-8")


def test_server_url_without_password_asks_for_it(
    qtbot: Any, prefs: PreferenceStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.dialogs import connect_dialog

    bare = "postgresql+psycopg://zhou@127.0.0.1:1/firecase"
    answers: list[str | None] = [None, f"postgresql+psycopg://zhou:{PASSWORD}@127.0.0.1:1/firecase"]
    asked: list[str | None] = []

    def fake_ask(parent: Any, store: Any, worker: Any, initial_url: str | None = None) -> Any:
        asked.append(initial_url)
        return answers.pop(0)

    monkeypatch.setattr(connect_dialog, "ask_server_location", fake_ask)
    window = _bare_window(qtbot, prefs)
    window.open_location(bare)  # cancelled: nothing is opened
    assert asked == [bare] and not window.worker.busy
    assert window.file_label.text() == "未打开案卷文件"
    window.open_location(bare)  # the recent list's entry: the dialog supplies the password
    assert asked == [bare, bare]
    assert window.worker.busy and window.file_label.text() == f"正在打开 {bare} …"
    wait_idle(qtbot, window.worker, timeout=20000)
    _close_message_boxes(window)
    window.open_location(str(prefs.path.parent / "本地.sqlite"))  # a file is never asked about
    assert len(asked) == 2
    qtbot.waitUntil(lambda: window.case_file is not None, timeout=15000)
    wait_idle(qtbot, window.worker)


# --------------------------------------------------------------------------------------------
# login and roles
# --------------------------------------------------------------------------------------------


def _team_file(path: Path) -> None:
    """Turn the demo file at ``path`` into a team file: 演示 (管理员), chen (调查员), du (只读)."""
    from firecase.services.dto import UserInput
    from firecase.services.users import add_user
    from firecase.store import open_case_file

    with open_case_file(path, user="演示") as cf:
        add_user(cf, UserInput("演示", "演示管理员", "管理员"))
        add_user(cf, UserInput("chen", "陈晓明", "调查员"))
        add_user(cf, UserInput("du", "杜读者", "只读"))


def _enabled(window: Any, *names: str) -> list[bool]:
    return [window.actions_by_name[n].isEnabled() for n in names]


def test_single_user_file_never_asks_who_acts(
    make_window: Any, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.dialogs import login_dialog

    def no_dialog(*args: Any, **kw: Any) -> None:
        raise AssertionError("a single-user case file asked for a login")

    monkeypatch.setattr(login_dialog, "ask_login", no_dialog)
    window = make_window(demo_path)
    assert window.current_user is not None and not window.current_user.registered
    assert window.user_label.text() == "测试（管理员）"
    every = _enabled(window, "new_case", "import_case", "settings", "calendar", "users")
    assert every == [True] * 5
    assert window.list_panel.model.rowCount() == 2
    assert window.change_timer.isActive() and window._seen is not None


def test_team_file_asks_who_acts_and_follows_the_role(
    make_window: Any, demo_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from firecase.services.dto import UserInput
    from firecase.services.users import list_users, update_user
    from firecase.ui.dialogs import login_dialog
    from firecase.ui.dialogs.users_dialog import UsersDialog

    _team_file(demo_path)
    offered: list[list[str]] = []

    def fake_ask(parent: Any, users: Any, **kw: Any) -> str:
        offered.append([u.login for u in users])
        return "du"

    monkeypatch.setattr(login_dialog, "ask_login", fake_ask)
    window = make_window(demo_path)
    assert sorted(offered[0]) == ["chen", "du", "演示"]
    assert window.case_file.user == "du"
    assert window.user_label.text() == "杜读者（只读）"
    assert PASSWORD not in window.user_label.text()
    # 只读 is not invited to write: no new case, no import, no settings; reading stays open
    assert _enabled(window, "new_case", "import_case", "settings", "calendar") == [False] * 4
    assert _enabled(window, "restore") == [False]  # replacing the file is the 管理员's job
    assert _enabled(window, "refresh", "find", "export_case", "backup", "users") == [True] * 5
    assert window.list_panel.model.rowCount() == 2

    # 设置 → 用户管理… shows the users; a saved change re-checks the role
    window.actions_by_name["users"].trigger()
    assert isinstance(window.users_dialog, UsersDialog) and window.users_dialog.isVisible()
    du = next(u for u in list_users(window.case_file) if u.login == "du")
    update_user(
        window.case_file,
        "du",
        UserInput("du", "杜读者", "调查员"),
        expected_version=du.version,
        actor="演示",
    )
    with qtbot.waitSignal(window.user_signed_in, timeout=10000) as signed:
        window.users_dialog.users_changed.emit()
    assert signed.args[0].role == "调查员" and len(offered) == 1
    assert window.user_label.text() == "杜读者（调查员）"
    assert _enabled(window, "new_case", "import_case", "settings") == [True, True, False]
    window.users_dialog.close()


def test_cancelled_login_closes_the_team_file(
    qtbot: Any, prefs: PreferenceStore, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.dialogs import login_dialog

    _team_file(demo_path)
    monkeypatch.setattr(login_dialog, "ask_login", lambda *a, **kw: None)
    window = _bare_window(qtbot, prefs)
    with qtbot.waitSignal(window.case_file_opened, timeout=15000):
        window.open_location(str(demo_path))
    wait_idle(qtbot, window.worker)
    assert window.case_file is None and window.current_user is None
    assert window.user_label.text() == ""
    assert "已关闭案卷文件" in window.statusBar().currentMessage()
    assert not window.change_timer.isActive()
    assert window.list_panel.model.rowCount() == 0
    assert _enabled(window, "new_case", "settings", "users") == [False] * 3


# --------------------------------------------------------------------------------------------
# refreshing when other officers change the shared case file
# --------------------------------------------------------------------------------------------


def _changes(since: int, case_ids: set[int], *, other: bool = False, by: str = "王五") -> Any:
    from firecase.services.dto import CaseChanges

    return CaseChanges(since, since + 3, frozenset(case_ids), other, frozenset({by}))


def _open_tab(window: Any, qtbot: Any, case_id: int) -> Any:
    widget = window.open_case(case_id)
    wait_idle(qtbot, window.worker)
    qtbot.waitUntil(lambda: widget.detail is not None)
    return widget


def test_changes_by_others_reload_list_clocks_and_clean_tabs_only(
    make_window: Any, demo_path: Path, qtbot: Any
) -> None:
    from firecase.ui.main_window import CHANGED_BY_OTHERS

    window = make_window(demo_path)
    cf = window.case_file
    first, second = (window.list_panel.model.row_at(i).id for i in range(2))
    clean, dirty = _open_tab(window, qtbot, first), _open_tab(window, qtbot, second)
    dirty.has_unsaved_changes = lambda: True  # as if the officer were typing in it
    reads: list[int] = []
    for widget in (clean, dirty):
        widget.detail_loaded.connect(lambda d, reads=reads: reads.append(d.case.id))
    seen = window._seen
    assert seen is not None

    with qtbot.waitSignal(window.refreshed, timeout=10000):  # the clock board is read again
        window._on_worker_changes_read(cf, _changes(seen, {first, second}))
    wait_idle(qtbot, window.worker)
    assert window._seen == seen + 3
    assert reads == [first]  # the tab with unsaved input was not read again
    assert window.list_panel.model.rowCount() == 2
    assert CHANGED_BY_OTHERS in window.statusBar().currentMessage()
    assert CHANGED_BY_OTHERS in dirty.header.text()
    assert CHANGED_BY_OTHERS not in clean.header.text()

    # changes under the window's own login were shown already: only the position moves
    window._on_worker_changes_read(cf, _changes(seen + 3, {first}, by=cf.user))
    assert not window.worker.busy and window._seen == seen + 6 and reads == [first]

    # a change outside any case (settings, users) re-checks the user's role
    with qtbot.waitSignal(window.user_signed_in, timeout=10000):
        window._on_worker_changes_read(cf, _changes(seen + 6, set(), other=True))
    wait_idle(qtbot, window.worker)
    assert window._seen == seen + 9 and reads == [first]

    # answers about a case file that is no longer open are dropped
    window._on_worker_changes_read(object(), _changes(0, {first}))
    assert window._seen == seen + 9
    dirty.has_unsaved_changes = lambda: False  # closing the window would ask about it


def test_poll_is_skipped_while_busy_or_without_a_case_file(
    make_window: Any, demo_path: Path, qtbot: Any
) -> None:
    from firecase.ui.main_window import CHANGE_POLL_MS

    window = make_window(demo_path)
    assert window.change_timer.interval() == CHANGE_POLL_MS == 4000
    window.worker.run(lambda: None, owner=window)
    assert window.worker.busy
    window._on_change_timer_timeout()  # the queued job is not joined by a poll
    wait_idle(qtbot, window.worker)
    window._on_change_timer_timeout()
    assert window.worker.busy  # idle: the poll runs
    wait_idle(qtbot, window.worker)
    window.case_file, cf = None, window.case_file
    window._on_change_timer_timeout()
    assert not window.worker.busy
    window.case_file = cf


@pytest.mark.postgres
def test_another_officer_changes_reach_the_open_window(
    make_window: Any, server_url: str, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two officers on one server: the window shows the other's new case and changed facts."""
    import dataclasses
    from decimal import Decimal

    from firecase.services.cases import open_case, update_incident
    from firecase.services.dto import CasualtyInput, IncidentInput
    from firecase.services.reading import get_case_summary
    from firecase.store import open_case_file
    from firecase.ui import main_window
    from firecase.ui.main_window import CHANGED_BY_OTHERS

    monkeypatch.setattr(main_window.MainWindow, "_offer_demo_if_empty", lambda self, cf: None)
    window = make_window(server_url)
    assert window.list_panel.model.rowCount() == 0 and window.change_timer.isActive()
    incident = IncidentInput(
        title="仓库火灾",
        fire_date=TODAY,
        place="竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal(1000),
        economic_loss_yuan=Decimal(1000),
    )

    def poll() -> None:
        window._on_change_timer_timeout()  # what the 4-second timer does
        wait_idle(qtbot, window.worker)

    with open_case_file(server_url, user="王五") as other:
        summary = open_case(other, incident, CasualtyInput(TODAY, 0, 0), today=TODAY)
        poll()
        assert window.list_panel.model.rowCount() == 1
        tab = _open_tab(window, qtbot, summary.id)
        assert "仓库火灾" in tab.header.text()

        version = get_case_summary(other, summary.id).version
        changed = dataclasses.replace(incident, title="仓库火灾（更正）")
        update_incident(other, summary.id, changed, expected_version=version, today=TODAY)
        poll()
        qtbot.waitUntil(lambda: "仓库火灾（更正）" in tab.header.text())

        tab.has_unsaved_changes = lambda: True
        version = get_case_summary(other, summary.id).version
        update_incident(other, summary.id, incident, expected_version=version, today=TODAY)
        poll()
        assert "仓库火灾（更正）" in tab.header.text()  # the typed input was kept
        assert CHANGED_BY_OTHERS in tab.header.text()
        tab.has_unsaved_changes = lambda: False  # closing the window would ask about it
