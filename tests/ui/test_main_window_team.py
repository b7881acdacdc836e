"""The main window in team mode: no password on disk or screen, 连接数据库, login and roles,
用户管理, and refreshing when other officers change the shared case file."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import wait_idle
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
