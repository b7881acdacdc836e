"""Benchmark (not a test): what an officer waits for in the GUI (issue 22), offscreen.

Each measurement runs in a fresh process on a copy of ``--db`` with an empty user data folder
(so the automatic backup of the day runs, as at the first start of a day):

* filter: the file opened, a search typed at once -> its rows shown (ms), and how long closing
  the window took right after;
* open case: ``open_case`` -> the workspace's first tab painted with the case (ms);
* save: 保存 of the 概况 facts -> the case painted again (ms), and -> list and board done.

``--src`` chooses the FireCase tree measured (e.g. a worktree of the commit before).
Run: ``QT_QPA_PLATFORM=offscreen python scripts/bench_gui_speed.py --db cases.sqlite``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _event_wait import SPIN  # noqa: E402

_CHILD = (
    r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from PySide6.QtCore import QEventLoop
from firecase.ui.app import setup_application
app = setup_application()
from firecase.settings import PreferenceStore
from firecase.ui.main_window import MainWindow
from firecase.ui.models.case_list import CaseQuery

"""
    + SPIN
    + r"""

out = {}
prefs = PreferenceStore(Path(sys.argv[3]) / "prefs.json")
window = MainWindow(user="测试", prefs=prefs)
window.resize(1280, 720)
window.show()
window.open_location(sys.argv[2])
spin(lambda: window.case_file is not None)
model = window.list_panel.model
loaded = []
model.page_loaded.connect(lambda _t: loaded.append(time.perf_counter()))
spin(lambda: bool(loaded))  # the first page
loaded.clear()
start = time.perf_counter()
model.set_query(CaseQuery(text="仓库"))
spin(lambda: bool(loaded))
out["filter_ms"] = (loaded[0] - start) * 1000 if loaded else -1
mode = sys.argv[4]
if mode == "close":
    start = time.perf_counter()
    window.close()
    out["close_ms"] = (time.perf_counter() - start) * 1000
    print(json.dumps(out)); sys.exit(0)
spin(lambda: not window.worker.busy, 300)
task = getattr(window, "scheduled_backup", None)
if task is not None:
    task.thread.join(300)
spin(lambda: not window.worker.busy, 300)
case_id = model.row_at(0).id

start = time.perf_counter()
ws = window.open_case(case_id)
spin(lambda: ws.detail is not None)
ws.repaint()  # the first tab painted with the case (synchronously, offscreen)
out["open_case_ms"] = (time.perf_counter() - start) * 1000
spin(lambda: not window.worker.busy, 300)
tab = ws.tab("概况")
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
editor = tab.facts.form.editor("address")
editor.clear()
editor.setFocus()
ev = QInputMethodEvent(); ev.setCommitString("东湖路1号（更正）")
QApplication.sendEvent(editor, ev)
refreshed = []
window.refreshed.connect(lambda: refreshed.append(time.perf_counter()))
seen = []
ws.detail_loaded.connect(lambda _d: seen.append(time.perf_counter()))
start = time.perf_counter()
tab.facts.save_button.click()
spin(lambda: bool(seen))
ws.repaint()
out["save_repaint_ms"] = (time.perf_counter() - start) * 1000 if seen else -1
spin(lambda: bool(refreshed), 120)
out["save_all_done_ms"] = (refreshed[0] - start) * 1000 if refreshed else -1
ws.discard_changes()
print(json.dumps(out))
window.close()
"""
)


def run(src: str, db: Path, mode: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="fc-gui-bench-") as scratch:
        work = Path(scratch)
        copy = work / "cases.sqlite"
        shutil.copy2(db, copy)
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            FIRECASE_DATA_DIR=str(work / "data"),
        )
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, src, str(copy), str(work), mode],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise SystemExit(done.stderr[-3000:])
        return json.loads(lines[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--src", default=str(ROOT))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for mode in ("close", "full"):
            for key, value in run(args.src, args.db, mode).items():
                samples.setdefault(key, []).append(value)
    for key, values in samples.items():
        shown = ", ".join(f"{v:.0f}" for v in values)
        print(f"{key}: median {statistics.median(values):.0f} ms (runs {shown})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
