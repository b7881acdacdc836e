"""Benchmark (not a test): what an officer waits for, measured as the officer sees it.

Each run spawns a fresh FireCase process on a copy of ``--db`` (a real X server when
``DISPLAY`` is set, e.g. under ``Xvfb :99 -screen 0 1280x720x24``; offscreen otherwise) and
drives it as an officer would: the input goes in as Qt events (an input method's commit for
Chinese, a double-click on the row, F5), and each figure ends when the widget that shows the
answer has been painted (a ``Paint`` event after the data arrived). The spawn figures are taken
from outside the process: the parent's ``time.monotonic()`` before ``Popen`` against the child's
stamps on the same system-wide clock.

* ``rows``: spawn → the case list painted with rows;
* ``usable``: spawn → a search typed as soon as the rows show, answered (list repainted);
* ``board``: spawn → the clock board painted;
* ``filter``: a search typed → the list repainted with its rows (the debounce included);
* ``open``: double-click on a case → its first tab painted;
* ``save``: 保存 of the 概况 facts → the tab repainted with the saved case;
* ``preview``: 生成报告 → the preview's first page painted;
* ``f5``: F5 → the clock board repainted;
* ``close``: closing the window (the GUI thread blocked for);
* ``hwm``: the process's peak resident memory (MB).

``--first-start``: an empty user data folder, so the day's automatic backup runs at start, as
at the first start of a day (otherwise today's backup is made by a first run, not measured).
``--src`` chooses the FireCase tree (e.g. a worktree of an older commit). ``--heavy`` opens the
archive's largest case instead of the first row. Medians and min–max over ``--runs``.

``--db`` may be a PostgreSQL URL (with its password): that case file is then used in place.

Run: ``DISPLAY=:99 python scripts/bench_felt.py --db cases.sqlite --runs 3``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _event_wait import SPIN  # noqa: E402

_CHILD = (
    r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
db, data, heavy_no = sys.argv[2], sys.argv[3], sys.argv[4]
stamps = {"start": time.monotonic()}
from PySide6.QtCore import QEvent, QEventLoop, QObject, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from firecase.ui.app import setup_application
app = setup_application()
from firecase.settings import PreferenceStore
from firecase.ui.main_window import MainWindow

def now():
    return time.monotonic()

"""
    + SPIN
    + r"""


class Paints(QObject):
    # the stamps of a widget's own Paint events (a list's viewport, a tab's page after its
    # update()). The filter sits on that widget only: an application-wide Python filter sees
    # every event of every widget and made opening a case 50 % slower than it is.
    def __init__(self, widget):
        super().__init__(widget)
        self.seen = []
        widget.installEventFilter(self)
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.seen.append(now())
        return False
    def after(self, t):
        return any(s > t for s in self.seen)

def type_text(widget, text):
    widget.setFocus()
    widget.selectAll()
    ev = QInputMethodEvent()
    ev.setCommitString(text)
    app.sendEvent(widget, ev)

out = {}
from pathlib import Path
prefs = PreferenceStore(Path(data) / "prefs.json")
window = MainWindow(user="测试", prefs=prefs)
window.resize(1280, 720)
panel = window.list_panel
model = panel.model
list_paints = Paints(panel.table.viewport())
board_paints = Paints(window.clock_panel.table.viewport())
pages = []
model.page_loaded.connect(lambda _t: pages.append(now()))
refreshed = []
window.refreshed.connect(lambda: refreshed.append(now()))
window.show()
window.open_location(db)
spin(lambda: model.rowCount() > 0 and list_paints.seen and list_paints.seen[-1] > stamps["start"])
stamps["rows"] = next(s for s in list_paints.seen if model.rowCount() > 0)
# usable: a search typed at once is answered
typed = now()
type_text(panel.search, "仓库")
spin(lambda: any(p > typed for p in pages) and list_paints.after(max(p for p in pages)))
stamps["usable"] = max(list_paints.seen)
spin(lambda: bool(refreshed) and board_paints.after(refreshed[0]))
stamps["board"] = min(s for s in board_paints.seen if s > refreshed[0]) if refreshed else -1
spin(lambda: not window.worker.busy, 300)
task = getattr(window, "scheduled_backup", None)
if task is not None:
    task.thread.join(600)
spin(lambda: not window.worker.busy, 300)

def filter_once(text):
    spin(lambda: False, 0.3)
    start = now()
    type_text(panel.search, text)
    spin(lambda: any(p > start for p in pages) and list_paints.after(max(p for p in pages)), 60)
    return (max(list_paints.seen) - start) * 1000

out["filter"] = [filter_once(t) for t in ("岳口", "仓库", "竟陵", "纺织")]
type_text(panel.search, heavy_no or "")
spin(lambda: False, 0.3)
spin(lambda: not window.worker.busy and model.rowCount() > 0, 60)
view = panel.table
wanted = next((i for i in range(model.rowCount()) if model.row_at(i).case_no == heavy_no), 0)
rect = view.visualRect(model.index(wanted, 1))
before = set(window.findChildren(QObject, "caseWorkspace"))
start = now()
# a real double-click: press and release, then the double-click (the view opens the row it
# was pressed on)
LEFT, PLAIN = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
QTest.mouseClick(view.viewport(), LEFT, PLAIN, rect.center())
QTest.mouseDClick(view.viewport(), LEFT, PLAIN, rect.center())
from firecase.ui.workspace.workspace import CaseWorkspace
spin(lambda: any(w.detail is not None for w in window.findChildren(CaseWorkspace)), 120)
ws = next(w for w in window.findChildren(CaseWorkspace) if w.detail is not None)
page = ws.tabs.currentWidget()
tab_paints = Paints(page)
page.update()
spin(lambda: tab_paints.seen, 30)
out["open"] = [(tab_paints.seen[0] - start) * 1000]
spin(lambda: not window.worker.busy, 120)
def save_once():
    tab = ws.tab("概况")
    editor = tab.facts.form.editor("address")
    type_text(editor, "东湖路1号（更正）")
    seen = []
    ws.detail_loaded.connect(lambda _d: seen.append(now()))
    start = now()
    tab.facts.save_button.click()
    spin(lambda: bool(seen), 60)
    if not seen:
        return -1
    ws.repaint()  # the tab painted with the saved case (at once, as Qt would next)
    return (now() - start) * 1000

# a replied case asks for a reason before an edit: its save is not timed
out["save"] = [-1 if getattr(ws.detail.case, "reply_on", None) else save_once()]
spin(lambda: not window.worker.busy, 120)
# F5: the board read again and painted
refreshed.clear()
start = now()
window.actions_by_name["refresh"].trigger()  # what F5 does
spin(lambda: refreshed and board_paints.after(refreshed[-1]), 120)
painted = [s for s in board_paints.seen if refreshed and s > refreshed[-1]]
out["f5"] = [(min(painted) - start) * 1000] if painted else [-1]
spin(lambda: not window.worker.busy, 120)
# 生成报告: the preview's first page painted
from firecase.ui.dialogs.report_dialog import ReportDialog
start = now()
ws.report_button.click()
spin(lambda: window.findChildren(ReportDialog), 30)
dialog = window.findChildren(ReportDialog)[-1]
first = []
def first_painted():
    labels = getattr(dialog.preview, "page_labels", [])
    if labels and not first and not labels[0].pixmap().isNull():
        first.append(now())
    return bool(first)
spin(first_painted, 300)
out["preview"] = [(first[0] - start) * 1000] if first else [-1]
dialog.close()
spin(lambda: not window.worker.busy, 120)
ws.discard_changes() if hasattr(ws, "discard_changes") else None
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        out["hwm"] = [int(line.split()[1]) / 1024]
start = now()
window.close()
out["close"] = [(now() - start) * 1000]
stamps = {k: v for k, v in stamps.items()}
print(json.dumps({"stamps": stamps, "out": out}))
"""
)


def _case_no(db: str, *, heavy: bool) -> str:
    """The case opened: the archive's largest (most evidence items) or its first open case
    (not yet replied, so a save asks for no reason)."""
    sql = (
        "SELECT c.case_no FROM cases c JOIN evidence_items e ON e.case_id = c.id "
        "GROUP BY c.id ORDER BY count(*) DESC LIMIT 1"
        if heavy
        else "SELECT case_no FROM cases WHERE reply_on IS NULL ORDER BY id LIMIT 1"
    )
    if "://" in db:  # a server: read with the store's own engine
        from sqlalchemy import create_engine, text

        engine = create_engine(db)
        with engine.connect() as conn:
            found = conn.execute(text(sql)).first()
        engine.dispose()
        return str(found[0]) if found else ""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(sql).fetchone()
    return str(row[0]) if row else ""


def run(src: str, db: str, *, first_start: bool, heavy: bool) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="fc-felt-") as scratch:
        work = Path(scratch)
        if "://" in db:  # a server is used in place (the save changes one address there)
            copy = db
        else:
            copy = str(work / "cases.sqlite")
            shutil.copy2(db, copy)
        data = work / "data"
        data.mkdir()
        env = dict(os.environ, FIRECASE_DATA_DIR=str(data))
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        heavy_no = _case_no(copy, heavy=heavy)
        argv = [sys.executable, "-c", _CHILD, src, copy, str(data), heavy_no]
        if not first_start:  # today's backup made by a first run, not measured
            subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)
        spawned = time.monotonic()
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise SystemExit(done.stderr[-3000:])
        result = json.loads(lines[-1])
        figures: dict[str, list[float]] = dict(result["out"])
        for key in ("rows", "usable", "board"):
            at = result["stamps"].get(key, -1)
            figures[key] = [(at - spawned) * 1000 if at > 0 else -1]
        return figures


ORDER = ("rows", "usable", "board", "filter", "open", "save", "preview", "f5", "close", "hwm")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a case file, or a PostgreSQL URL")
    parser.add_argument("--src", default=str(ROOT))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--first-start", action="store_true")
    parser.add_argument("--heavy", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write the samples here too")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        got = run(args.src, args.db, first_start=args.first_start, heavy=args.heavy)
        for key, values in got.items():
            samples.setdefault(key, []).extend(values)
    for key in ORDER:
        values = samples.get(key, [])
        if not values:
            continue
        unit = "MB" if key == "hwm" else "ms"
        print(
            f"{key}: median {statistics.median(values):.0f} {unit} "
            f"(min {min(values):.0f}, max {max(values):.0f}, n {len(values)})"
        )
    if args.json is not None:
        args.json.write_text(json.dumps(samples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
