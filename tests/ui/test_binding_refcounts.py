"""The Qt binding keeps Python's reference counts straight when it delivers signals.

PySide6 6.12.0 dropped one reference to ``None`` (or ``True``) every time a signal reached a
Python function or lambda: every menu action, check box and finished worker job. On Python
3.11 those objects are not immortal, so a long session ended in "Fatal Python error:
none_dealloc" (the test runs aborted the same way at exit). ``pyproject.toml`` excludes that
release; this test fails on any binding that does it again. (From Python 3.12 on those
objects are immortal: the counts do not move, and the fault could not crash either.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox

EMISSIONS = 400


class _Emitter(QObject):
    bare = Signal()
    flag = Signal(bool)
    value = Signal(object)


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _returns_none(*_args: Any) -> None:
    return None


def _returns_true(*_args: Any) -> bool:
    return True


@pytest.mark.parametrize("slot", [_returns_none, _returns_true, lambda *_a: None])
@pytest.mark.parametrize("signal", ["action", "check box", "bare", "flag", "value"])
def test_signals_to_python_functions_keep_reference_counts(
    qtbot: Any, signal: str, slot: Callable[..., Any]
) -> None:
    emitter = _Emitter()
    action = QAction("动作")
    box = QCheckBox("复选框")
    qtbot.addWidget(box)
    emit: Callable[[], Any] = {
        "action": action.trigger,
        "check box": box.toggle,
        "bare": emitter.bare.emit,
        "flag": lambda: emitter.flag.emit(True),
        "value": lambda: emitter.value.emit(None),
    }[signal]
    {
        "action": action.triggered,
        "check box": box.toggled,
        "bare": emitter.bare,
        "flag": emitter.flag,
        "value": emitter.value,
    }[signal].connect(slot)
    emit()  # first delivery: caches and lazy type set-up
    before = _counts()
    for _ in range(EMISSIONS):
        emit()
    drift = [after - b for after, b in zip(_counts(), before, strict=True)]
    # a broken binding loses one reference per emission (-EMISSIONS); allow unrelated noise
    assert all(abs(d) < EMISSIONS // 4 for d in drift), drift
