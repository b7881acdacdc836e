"""Bad case files through the GUI's open path (文件 → 打开案卷文件, the file dialog answered).

For every bad-file kind of ``tests/integration/test_bad_files.py`` (its makers are imported, so
a new kind there is tested here too) and for a file another FireCase process holds: the user
sees the Chinese message, the file's bytes and its folder listing are unchanged, and the case
file open before stays open and usable.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, wait_idle
from PySide6.QtWidgets import QFileDialog, QMessageBox

from firecase.services.reading import count_cases
from tests._demo import copy_case_file

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
if str(INTEGRATION) not in sys.path:  # where pytest puts it when it runs the integration tests
    sys.path.insert(0, str(INTEGRATION))
from test_bad_files import BAD_FILES, CHINESE  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

# Holds a case file open the way a second FireCase window does, until stdin closes.
HOLDER = """
import sys
from firecase.store import open_case_file
with open_case_file(sys.argv[1], user="另一位调查员") as cf:
    print("holding", flush=True)
    sys.stdin.read()
"""


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` by name, with the SHA-256 of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _answer_open_dialog(monkeypatch: pytest.MonkeyPatch, chosen: Path) -> list[str]:
    """Make the 打开案卷文件 dialog choose ``chosen``; returns the dialogs' object names."""
    shown: list[str] = []

    def fake_exec(dialog: QFileDialog) -> QFileDialog.DialogCode:
        shown.append(dialog.objectName())
        dialog.selectFile(str(chosen))
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda _dialog: [str(chosen)])
    return shown


def _rows(window: Any) -> list[str]:
    model = window.list_panel.model
    return [model.row_at(i).case_no for i in range(model.rowCount())]


def _open_through_the_menu(
    qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, path: Path
) -> QMessageBox:
    """文件 → 打开案卷文件 → ``path``; returns the error box the user is shown."""
    shown = _answer_open_dialog(monkeypatch, path)
    window.actions_by_name["open_file"].trigger()
    assert shown == ["openCaseFileDialog"]
    qtbot.waitUntil(
        lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, "errorBox")),
        timeout=15000,
    )
    wait_idle(qtbot, window.worker)
    return next(b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible())


def _assert_still_open_and_usable(qtbot: Any, window: Any, before: Any, demo_path: Path) -> None:
    assert window.case_file is before
    assert Path(window.case_file.path) == demo_path.resolve()
    assert window.windowTitle().startswith("cases.sqlite — ")
    assert window.file_label.text() == f"案卷文件：{window.case_file.path}"
    assert len(_rows(window)) == 2
    window.refresh()  # the list and the clock board read the open file again
    wait_idle(qtbot, window.worker)
    assert len(_rows(window)) == 2
    assert count_cases(window.case_file, today=TODAY) == 2
    assert window.actions_by_name["new_case"].isEnabled()


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    """A folder of its own for the bad file (the open case file's folder changes as it works)."""
    folder = tmp_path / "坏文件"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_with_a_message_and_changes_nothing(
    kind: str,
    make_window: Any,
    demo_template: Path,
    demo_path: Path,
    bad_folder: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damage, phrase = BAD_FILES[kind]
    window = make_window(demo_path)
    before = window.case_file
    bad = copy_case_file(demo_template, bad_folder / "案卷.sqlite")
    damage(bad)
    untouched = _snapshot(bad_folder)

    box = _open_through_the_menu(qtbot, window, monkeypatch, bad)

    assert CHINESE.search(box.text()) and phrase in box.text(), box.text()
    assert "案卷" in box.text() or "文件" in box.text()
    assert box.windowTitle() == "案卷文件无法使用" and box.informativeText()
    assert _snapshot(bad_folder) == untouched, "refusing a bad file must not change anything"
    box.close()
    _assert_still_open_and_usable(qtbot, window, before, demo_path)


@pytest.fixture
def held_by_another_process(demo_template: Path, bad_folder: Path) -> Iterator[Path]:
    """A good case file that a second FireCase process has open (and locked)."""
    path = copy_case_file(demo_template, bad_folder / "同事的案卷.sqlite")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    try:
        yield path
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert holder.returncode == 0


def _case_file_bytes(path: Path) -> Callable[[], dict[str, str]]:
    """The bytes of the case file and its write-ahead log (not SQLite's shared-memory index,
    which every reader of a file in WAL mode may update)."""

    def snapshot() -> dict[str, str]:
        return {
            name: digest
            for name, digest in _snapshot(path.parent).items()
            if not name.endswith("-shm")
        }

    return snapshot


def test_file_held_by_another_firecase_process_is_refused(
    make_window: Any,
    demo_path: Path,
    held_by_another_process: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(demo_path)
    before = window.case_file
    folder = held_by_another_process.parent
    listing = sorted(p.name for p in folder.iterdir())
    snapshot = _case_file_bytes(held_by_another_process)
    untouched = snapshot()
    assert f"{held_by_another_process.name}.lock" in listing

    box = _open_through_the_menu(qtbot, window, monkeypatch, held_by_another_process)

    assert "正被另一个 FireCase 程序使用" in box.text(), box.text()
    assert "同事的案卷" in box.text()
    assert sorted(p.name for p in folder.iterdir()) == listing
    assert snapshot() == untouched
    box.close()
    _assert_still_open_and_usable(qtbot, window, before, demo_path)
