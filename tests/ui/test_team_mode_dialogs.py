"""Team-mode dialogs: 连接数据库 (URL without the password in settings), 选择用户, 用户管理."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from firecase.services.dto import UserInput, UserView
from firecase.services.users import add_user, list_users, sign_in
from firecase.settings import PreferenceStore
from firecase.store import CaseFile, open_case_file
from firecase.ui.dialogs.connect_dialog import ConnectDialog
from firecase.ui.dialogs.login_dialog import LoginDialog, ensure_login
from firecase.ui.dialogs.users_dialog import UsersDialog
from firecase.ui.worker import Worker

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def worker(qtbot: Any) -> Iterator[Worker]:
    """A worker of its own (as the main window's)."""
    w = Worker()
    yield w
    qtbot.waitUntil(lambda: not w.busy, timeout=10000)
    w.wait(5000)


@pytest.fixture
def store(tmp_path: Path) -> PreferenceStore:
    """Preferences in the test's folder."""
    return PreferenceStore(tmp_path / "preferences.json")


@pytest.fixture
def case_file(tmp_path: Path) -> Iterator[CaseFile]:
    """A new local case file (single-user mode), opened as 本机用户."""
    with open_case_file(tmp_path / "案卷.sqlite", user="benji") as cf:
        yield cf


# --------------------------------------------------------------------------------------------
# 连接数据库
# --------------------------------------------------------------------------------------------


def _fill(dialog: ConnectDialog, host: str, port: int, db: str, user: str, pw: str) -> None:
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(db)
    dialog.user.setText(user)
    dialog.password.setText(pw)


def test_connect_dialog_stores_the_url_without_password(
    qtbot: Any, store: PreferenceStore, worker: Worker
) -> None:
    dialog = ConnectDialog(store, worker)
    qtbot.addWidget(dialog)
    _fill(dialog, "db.tianmen.local", 5433, "firecase", "zhou", "秘密 p@ss")
    dialog.accept()
    assert dialog.result() == ConnectDialog.DialogCode.Accepted
    assert dialog.location.startswith("postgresql+psycopg://zhou:")
    assert "db.tianmen.local:5433/firecase" in dialog.location
    saved = store.path.read_text(encoding="utf-8")
    assert "p%40ss" not in saved and "秘密" not in saved
    assert store.load().server_url == "postgresql+psycopg://zhou@db.tianmen.local:5433/firecase"
    # next time the address is filled in and only the password is asked
    again = ConnectDialog(store, worker)
    qtbot.addWidget(again)
    assert (again.host.text(), again.port.value(), again.database.text(), again.user.text()) == (
        "db.tianmen.local",
        5433,
        "firecase",
        "zhou",
    )
    assert again.password.text() == ""
    assert again.password.echoMode() == again.password.EchoMode.Password


def test_connect_dialog_refuses_missing_fields(
    qtbot: Any, store: PreferenceStore, worker: Worker
) -> None:
    dialog = ConnectDialog(store, worker, initial_url="postgresql+psycopg://li@h:5432/cases")
    qtbot.addWidget(dialog)
    assert (dialog.host.text(), dialog.database.text(), dialog.user.text()) == ("h", "cases", "li")
    dialog.host.setText("")
    dialog.accept()
    assert dialog.result() != ConnectDialog.DialogCode.Accepted
    assert "请填写服务器地址" in dialog.status.text()
    assert not store.path.exists()
    with qtbot.waitSignal(dialog.connection_tested) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is False


def test_connect_dialog_reports_a_failed_connection(
    qtbot: Any, store: PreferenceStore, worker: Worker
) -> None:
    dialog = ConnectDialog(store, worker)
    qtbot.addWidget(dialog)
    _fill(dialog, "127.0.0.1", 1, "nodb", "nobody", "x")
    with qtbot.waitSignal(dialog.connection_tested, timeout=15000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    ok, message = blocker.args
    assert ok is False and "无法连接数据库服务器" in message
    assert dialog.status.text() == message and dialog.test_button.isEnabled()


@pytest.mark.postgres
def test_connect_dialog_connects_to_the_server(
    qtbot: Any, store: PreferenceStore, worker: Worker
) -> None:
    from sqlalchemy.engine import make_url

    raw = os.environ.get("FIRECASE_TEST_PG_URL")
    if not raw:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    url = make_url(raw)
    dialog = ConnectDialog(store, worker)
    qtbot.addWidget(dialog)
    _fill(
        dialog,
        url.host or "",
        url.port or 5432,
        url.database or "",
        url.username or "",
        url.password or "",
    )
    with qtbot.waitSignal(dialog.connection_tested, timeout=15000) as blocker:
        dialog.test_connection()
    assert blocker.args[0] is True and "连接成功" in blocker.args[1]


# --------------------------------------------------------------------------------------------
# 选择用户
# --------------------------------------------------------------------------------------------


def _user(login: str, name: str, role: str, active: bool = True) -> UserView:
    return UserView(login, name, role, active, True, 1)


def test_login_dialog_picks_an_active_user(qtbot: Any) -> None:
    users = [
        _user("zhou", "周建国", "调查组组长"),
        _user("old", "离职者", "调查员", active=False),
        _user("chen", "陈晓明", "调查员"),
    ]
    dialog = LoginDialog(users, current="chen", case_file_name="大队案卷")
    qtbot.addWidget(dialog)
    assert dialog.users.count() == 2  # the deactivated user is not offered
    assert dialog.selected_login() == "chen"
    assert dialog.users.item(0).text() == "周建国（zhou）— 调查组组长"
    dialog.users.setCurrentRow(0)
    item = dialog.users.item(0)
    dialog.users.itemDoubleClicked.emit(item)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.selected_login() == "zhou"


def test_login_dialog_without_users(qtbot: Any) -> None:
    dialog = LoginDialog([])
    qtbot.addWidget(dialog)
    assert dialog.selected_login() is None and not dialog.ok_button.isEnabled()


def test_login_then_sign_in(qtbot: Any, case_file: CaseFile) -> None:
    add_user(case_file, UserInput("benji", "本机", "管理员"))
    add_user(case_file, UserInput("chen", "陈晓明", "调查员"))
    dialog = LoginDialog(list_users(case_file), current="nobody")
    qtbot.addWidget(dialog)
    rows = {dialog.users.item(i).data(Qt.ItemDataRole.UserRole): i for i in range(2)}
    dialog.users.setCurrentRow(rows["chen"])
    login = dialog.selected_login()
    assert login == "chen"
    assert sign_in(case_file, login).role == "调查员" and case_file.user == "chen"


# --------------------------------------------------------------------------------------------
# 用户管理
# --------------------------------------------------------------------------------------------


def _wait(qtbot: Any, worker: Worker) -> None:
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)


def test_users_dialog_first_user_then_team(
    qtbot: Any, case_file: CaseFile, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui import messages

    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc: shown.append(exc))
    dialog = UsersDialog(case_file, worker, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    _wait(qtbot, worker)
    assert "尚未启用用户管理" in dialog.intro.text() and "benji" in dialog.intro.text()
    assert dialog.login.text() == "benji" and dialog.role.currentText() == "管理员"
    assert dialog.add_button.isEnabled() and not dialog.save_button.isEnabled()
    dialog.display_name.setText("本机管理员")
    with qtbot.waitSignal(dialog.users_changed):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, worker)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 2).text() == "管理员"
    assert "您是“本机管理员”（管理员）" in dialog.intro.text()
    # a second user
    dialog.login.setText("chen")
    dialog.display_name.setText("陈晓明")
    dialog.role.setCurrentText("调查员")
    with qtbot.waitSignal(dialog.users_changed):
        dialog.add()
    _wait(qtbot, worker)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["benji", "chen"]
    # a duplicate login is refused with the service's message
    dialog.login.setText("chen")
    dialog.display_name.setText("重复")
    dialog.add()
    _wait(qtbot, worker)
    assert len(shown) == 1 and "已被使用" in str(shown[0])
    # change chen's role
    dialog.table.selectRow(1)
    assert dialog.login.text() == "chen" and dialog.login.isReadOnly()
    assert dialog.save_button.isEnabled() and not dialog.add_button.isEnabled()
    dialog.role.setCurrentText("只读")
    with qtbot.waitSignal(dialog.users_changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _wait(qtbot, worker)
    assert {u.login: u.role for u in list_users(case_file)} == {"benji": "管理员", "chen": "只读"}


def test_users_dialog_is_read_only_for_others(
    qtbot: Any, case_file: CaseFile, worker: Worker
) -> None:
    add_user(case_file, UserInput("benji", "本机", "管理员"))
    add_user(case_file, UserInput("chen", "陈晓明", "调查员"))
    sign_in(case_file, "chen")
    dialog = UsersDialog(case_file, worker)
    qtbot.addWidget(dialog)
    _wait(qtbot, worker)
    assert dialog.table.rowCount() == 2
    assert "（调查员）" in dialog.intro.text()
    dialog.table.selectRow(0)
    assert not dialog.add_button.isEnabled() and not dialog.save_button.isEnabled()
    assert not dialog.role.isEnabled()


def test_ensure_login(
    qtbot: Any, case_file: CaseFile, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    from firecase.ui.dialogs import login_dialog

    done: list[UserView | None] = []
    ensure_login(None, case_file, worker, done.append)  # single-user mode: no dialog
    qtbot.waitUntil(lambda: len(done) == 1)
    assert done[0] is not None and done[0].role == "管理员" and not done[0].registered
    add_user(case_file, UserInput("benji", "本机", "管理员"))
    add_user(case_file, UserInput("chen", "陈晓明", "调查员"))
    case_file.user = "stranger"
    offered: list[list[str]] = []

    def fake_ask(parent: Any, users: Any, **kw: Any) -> str | None:
        offered.append([u.login for u in users])
        return "chen" if len(offered) == 1 else None

    monkeypatch.setattr(login_dialog, "ask_login", fake_ask)
    ensure_login(None, case_file, worker, done.append)
    qtbot.waitUntil(lambda: len(done) == 2)
    assert offered == [["benji", "chen"]]
    assert done[1] is not None and done[1].login == "chen" and case_file.user == "chen"
    ensure_login(None, case_file, worker, done.append)  # already a user: no dialog
    qtbot.waitUntil(lambda: len(done) == 3)
    assert len(offered) == 1 and done[2] is not None and done[2].login == "chen"
    case_file.user = "stranger"
    ensure_login(None, case_file, worker, done.append)  # cancelled
    qtbot.waitUntil(lambda: len(done) == 4)
    assert done[3] is None and case_file.user == "stranger"


@pytest.mark.postgres
def test_gui_start_opens_a_server_url(make_window: Any) -> None:
    """``firecase --db postgresql+psycopg://…``: run_gui's location reaches open_case_file."""
    import argparse
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from firecase.ui.app import case_file_location

    raw = os.environ.get("FIRECASE_TEST_PG_URL")
    if not raw:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(raw)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(raw).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        location = case_file_location(argparse.Namespace(db=url.render_as_string(False)))
        window = make_window(location)
        assert window.case_file.url.get_backend_name() == "postgresql"
        assert not window.case_file.is_sqlite
        window.close()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.postgres
def test_users_dialog_on_a_team_server_creates_logins_with_passwords(
    qtbot: Any, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Team mode on the real server: the password is asked twice, a mismatch is shown at the
    field with nothing created, and a new officer is a server login that can connect."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from firecase.store import pg_team
    from firecase.ui import messages

    pg = os.environ.get("FIRECASE_TEST_PG_URL")
    if not pg:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc: shown.append(exc))
    schema, suffix = "t_" + uuid.uuid4().hex[:10], uuid.uuid4().hex[:6]
    admin, wang = f"admin_{suffix}", f"wang_{suffix}"
    base = make_url(pg).update_query_dict({"options": f"-csearch_path={schema}"})
    dba = create_engine(pg)
    with dba.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    roles = None
    try:
        open_case_file(base.render_as_string(hide_password=False)).close()
        engine = create_engine(base)
        with engine.begin() as conn:
            roles = pg_team.init_team(
                conn,
                admin_login=admin,
                admin_name="赵管理",
                verifier=pg_team.scram_verifier("Secret-2026"),
            )
        engine.dispose()
        url = base.set(username=admin, password="Secret-2026")
        with open_case_file(url.render_as_string(hide_password=False)) as cf:
            dialog = UsersDialog(cf, worker, today=lambda: TODAY)
            qtbot.addWidget(dialog)
            _wait(qtbot, worker)
            assert "团队模式" in dialog.intro.text() and dialog.password.isVisible() is False
            dialog.show()
            assert dialog.password.isVisible() and dialog.password_button.isVisible()
            dialog.login.setText(wang)
            dialog.display_name.setText("王五")
            dialog.role.setCurrentText("调查员")
            dialog.password.setText("Secret-2026")
            dialog.password_again.setText("Secret-2027")
            dialog.add()
            _wait(qtbot, worker)
            assert dialog.password_error.text() == "两次输入的密码不一致。"
            assert dialog.login.text() == wang  # what was typed stays
            dialog.password_again.setText("Secret-2026")
            with qtbot.waitSignal(dialog.users_changed):
                dialog.add()
            _wait(qtbot, worker)
            assert not shown, shown
            rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
            assert wang in rows and dialog.password.text() == ""
            # a weak password is refused at the field
            dialog.table.selectRow(rows[wang])
            dialog.password.setText("short")
            dialog.password_again.setText("short")
            dialog.reset_password()
            _wait(qtbot, worker)
            assert "至少 8 个字符" in dialog.password_error.text()
            # 连接…: 王五's session holding a lock is listed, and ended after the question
            officer = base.set(username=wang, password="Secret-2026")
            held = create_engine(officer).connect()
            held.begin()
            held.execute(text("LOCK TABLE parties IN ACCESS EXCLUSIVE MODE"))
            asked: list[str] = []
            monkeypatch.setattr(
                messages, "confirm", lambda parent, title, text, **kw: asked.append(text) or True
            )
            assert dialog.sessions_button.isVisible() and dialog.sessions_button.isEnabled()
            dialog.sessions_button.click()
            sessions = dialog.sessions_dialog
            assert sessions is not None and sessions.isVisible()
            _wait(qtbot, worker)
            listed = [
                [sessions.table.item(r, c).text() for c in range(6)]
                for r in range(sessions.table.rowCount())
            ]
            assert [row[1:4] for row in listed] == [[wang, "王五", "事务未结束（空闲）"]]
            assert sessions.end_button.isEnabled() is False  # nothing selected yet
            sessions.table.selectRow(0)
            sessions.end_button.click()
            _wait(qtbot, worker)
            assert asked and f"王五（{wang}）" in asked[0]
            assert f"已结束王五（{wang}）的连接 {listed[0][0]}" in sessions.status.text()
            assert not shown, shown
            with pytest.raises(Exception, match="terminat"):
                held.execute(text("SELECT 1"))
            held.invalidate()
            _wait(qtbot, worker)
            assert sessions.table.rowCount() == 0
            sessions.close()
            dialog.close()
        with open_case_file(officer.render_as_string(hide_password=False)) as cf:
            assert cf.user == wang and cf.team is not None
    finally:
        with dba.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            if roles is not None:
                pg_team.drop_team(conn, roles, [admin, wang])
        dba.dispose()


def test_since_text_says_when_and_how_long_ago() -> None:
    from firecase.ui.dialogs.sessions_dialog import since_text

    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC).astimezone()
    ago = lambda **kw: since_text(now - dt.timedelta(**kw), now)  # noqa: E731
    assert since_text(None, now) == ""
    assert ago(seconds=59).endswith("（不到1分钟）")
    assert ago(minutes=1).endswith("（1分钟前）")
    assert ago(minutes=59).endswith("（59分钟前）")
    assert ago(minutes=60).endswith("（1小时0分钟前）")
    assert ago(hours=30) == (now - dt.timedelta(hours=30)).strftime("%m-%d %H:%M") + "（1天前）"
    assert ago(minutes=5) == (now - dt.timedelta(minutes=5)).strftime("%H:%M") + "（5分钟前）"


def test_sessions_dialog_on_a_local_file_says_there_are_none_to_see(
    qtbot: Any, worker: Worker, case_file: CaseFile
) -> None:
    from firecase.ui.dialogs.sessions_dialog import SessionsDialog

    dialog = SessionsDialog(case_file, worker)
    qtbot.addWidget(dialog)
    _wait(qtbot, worker)
    assert "只有数据库服务器上的团队案卷" in dialog.status.text()
    assert dialog.table.rowCount() == 0 and not dialog.end_button.isEnabled()
    users = UsersDialog(case_file, worker, today=lambda: TODAY)
    qtbot.addWidget(users)
    _wait(qtbot, worker)
    users.show()
    # a local file has no server sessions, nor passwords
    assert not users.sessions_button.isVisible() and not users.password_button.isVisible()


def test_sessions_dialog_asks_nothing_while_the_server_answers_and_keeps_no_stale_rows(
    qtbot: Any, case_file: CaseFile
) -> None:
    """While a read or an end runs, neither button asks again; when a read fails, the rows
    read before are gone (none of them may be ended by mistake)."""
    import datetime as dt

    from firecase.errors import CaseFileError
    from firecase.services.sessions import ServerSession
    from firecase.ui.dialogs.sessions_dialog import SessionsDialog

    class Held:  # a worker that keeps the jobs: the server has not answered yet
        def __init__(self) -> None:
            self.jobs: list[dict[str, Any]] = []

        def run(self, fn: Any, **kw: Any) -> None:
            self.jobs.append(kw)

    held = Held()
    dialog = SessionsDialog(case_file, held)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    assert not dialog.refresh_button.isEnabled() and not dialog.end_button.isEnabled()
    since = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    held.jobs[-1]["on_success"](
        (
            ServerSession(4242, "chen", "陈晓明", "空闲", since, 0),
            ServerSession(4243, "zhao", "赵管理", "空闲", since, 0, own=True),
        )
    )
    assert dialog.refresh_button.isEnabled() and dialog.table.rowCount() == 2
    assert dialog.table.item(1, 2).text() == "赵管理（您本人的另一连接）"
    assert dialog.table.item(0, 2).text() == "陈晓明"
    dialog.table.selectRow(0)
    assert dialog.end_button.isEnabled()
    dialog.refresh_button.click()
    assert not dialog.refresh_button.isEnabled() and not dialog.end_button.isEnabled()
    held.jobs[-1]["on_failure"](CaseFileError("数据库服务器连接中断"))
    assert dialog.table.rowCount() == 0 and dialog.sessions == ()
    assert dialog.refresh_button.isEnabled() and not dialog.end_button.isEnabled()
