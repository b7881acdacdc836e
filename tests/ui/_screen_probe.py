"""Child process of ``test_screens.py``: FireCase on one emulated screen, measured.

Usage: ``python _screen_probe.py WIDTH HEIGHT DPR OUT.json [SHOTS_DIR]`` — the logical size of
the screen (a 1920×1080 panel at 150 % is 1280×720 at DPR 1.5) through the offscreen
platform's screen configuration; with ``FIRECASE_PROBE_X11=1`` on the X server of ``DISPLAY``
instead (Xvfb; the scale from ``QT_SCALE_FACTOR``). With ``SHOTS_DIR`` the main window on each
tab and the intake dialog are saved there as PNG (``screen-<W>x<H>@<DPR>-<what>.png``).

Opens the main window (maximised) on the demo case file with its first case, each tab of the
case, and every dialog of FireCase (the factories of ``test_dialog_keys``), and writes what it
measured: per window its size, its minimum size, the screen's available area, and every
visible button or input that lies outside the window (cut off).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 6, 1)


def _configure(width: int, height: int, dpr: float) -> None:
    config = Path(tempfile.mkdtemp()) / "screen.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "windowFrameMargins": False,
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": dpr,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def _wait(app: Any, until: Any, seconds: float = 20.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not until() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)
    for _ in range(20):
        app.processEvents()


def _cut(window: Any) -> list[str]:
    """Visible buttons and inputs of ``window`` that are not wholly inside it."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractScrollArea,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    inside = QRect(QPoint(0, 0), window.size())
    out = []
    kinds = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QTextEdit)
    for w in window.findChildren(QWidget):
        if not isinstance(w, kinds) or not w.isVisibleTo(window) or w.width() <= 0:
            continue
        if any(isinstance(a, QAbstractScrollArea) for a in _ancestors(w, window)):
            continue  # inside a scroll area: reachable by scrolling
        top_left = w.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, w.size())
        if not inside.contains(rect):
            name = w.objectName() or type(w).__name__
            text = w.text() if hasattr(w, "text") and callable(w.text) else ""
            out.append(
                f"{name} {text!s:.20} at {rect.x()},{rect.y()} {rect.width()}×{rect.height()}"
            )
    return out


def _ancestors(widget: Any, window: Any) -> list[Any]:
    out = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        out.append(parent)
        parent = parent.parentWidget()
    return out


def _measure(window: Any, screen: Any) -> dict[str, Any]:
    hint = window.minimumSizeHint()
    minimum = window.minimumSize()
    area = screen.availableGeometry()
    return {
        "size": [window.width(), window.height()],
        "minimum": [max(hint.width(), minimum.width()), max(hint.height(), minimum.height())],
        "available": [area.width(), area.height()],
        "cut": _cut(window),
    }


def main() -> int:
    width, height, dpr, out_path = (
        int(sys.argv[1]),
        int(sys.argv[2]),
        float(sys.argv[3]),
        sys.argv[4],
    )
    shots = Path(sys.argv[5]) if len(sys.argv) > 5 else None
    if os.environ.get("FIRECASE_PROBE_X11"):
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    else:
        _configure(width, height, dpr)
    sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication([])
    from firecase.samples.demo import write_demo
    from firecase.settings import PreferenceStore
    from firecase.store import open_case_file
    from firecase.ui.app import setup_application
    from firecase.ui.main_window import MainWindow

    setup_application()
    folder = Path(tempfile.mkdtemp())
    demo = folder / "demo.sqlite"
    given = os.environ.get("FIRECASE_PROBE_DEMO")  # the demo written once by the caller
    if given:
        from tests._demo import copy_case_file

        copy_case_file(given, demo)
    else:
        with open_case_file(demo, user="演示") as cf:
            write_demo(cf, today=TODAY)
    prefs = PreferenceStore(folder / "preferences.json")
    screen = app.primaryScreen()
    results: dict[str, Any] = {"screen": [width, height, dpr]}

    window = MainWindow(user="测试", prefs=prefs, today=lambda: TODAY)
    window.show()
    window.open_location(str(demo))
    _wait(app, lambda: window.case_file is not None and not window.worker.busy)
    from firecase.services import reading

    first = min(r.id for r in reading.list_cases(window.case_file).rows)
    workspace = window.open_case(first)
    _wait(app, lambda: getattr(workspace, "detail", None) is not None and not window.worker.busy)
    window.showMaximized()
    _wait(app, lambda: not window.worker.busy)
    results["main window"] = _measure(window, screen)
    stem = f"screen-{width}x{height}@{dpr:g}"

    def shoot(widget: Any, what: str) -> None:
        if shots is not None:
            widget.grab().save(str(shots / f"{stem}-{what}.png"))

    shoot(window, "main")
    tabs = workspace.tabs if hasattr(workspace, "tabs") else None
    if tabs is not None:
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            _wait(app, lambda: not window.worker.busy)
            results[f"tab {tabs.tabText(i)}"] = _measure(window, screen)
            shoot(window, f"tab{i + 1:02d}")

    import test_dialog_keys as keys

    from firecase.ui.worker import Worker
    from firecase.ui.workspace.workspace import CaseWorkspace

    cf = window.case_file
    worker = Worker()
    own = CaseWorkspace(cf, first, worker=worker, today=lambda: TODAY)
    _wait(app, lambda: own.detail is not None)
    env = keys.Env(cf, worker, own, window, prefs)
    for name, make in sorted(keys._factories().items()):
        dialog = make(env)
        dialog.show()
        _wait(app, lambda: not worker.busy and not window.worker.busy)
        results[name] = _measure(dialog, screen)
        if name == "IntakeDialog":
            shoot(dialog, "intake")
        QDialog.done(dialog, 0)
        dialog.deleteLater()
        app.processEvents()
    Path(out_path).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    os._exit(0)  # the windows are not torn down one by one: the measurements are written


if __name__ == "__main__":
    sys.exit(main())
