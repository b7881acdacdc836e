"""Benchmark (not a test): the report preview of a long report — time to the first page painted
and memory, while open and after closing (issue 22).

Run from the repository root: ``QT_QPA_PLATFORM=offscreen python scripts/bench_preview.py
--pages 35 372``. The investigation report of the report tests' sample, lengthened to at least
that many pages, is built once with ReportLab (timed and cached under ``--cache``); each
measurement then runs in a fresh process with ``build_report`` replaced by writing the cached
PDF, so the figure is the dialog's own cost (rasterising, widgets), the ReportLab build being
reported beside it. Memory is that process's ``VmRSS`` before opening, ``VmHWM`` while open and
``VmRSS`` after closing (the dialog deleted).
"""

from __future__ import annotations

import argparse
import io
import json
import os
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
import json, sys, time, gc
sys.path.insert(0, sys.argv[1])
from pathlib import Path
pdf = Path(sys.argv[2]).read_bytes()
pages = int(sys.argv[3])

def status(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) // 1024
    return 0

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication
from firecase.ui.app import setup_application
app = setup_application()
import firecase.services.reporting as reporting
from firecase.reports.base import BuiltReport
from firecase.ui.dialogs.report_dialog import ReportDialog
from firecase.ui.worker import Worker

def fake_build(_cf, _kind, _no, out, **_kw):
    out.write(pdf)
    return BuiltReport(pages=pages, fonts=(), fallback_chars=())

reporting.build_report = fake_build
worker = Worker()
painted = []

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not watched.pixmap().isNull() and not painted:
            painted.append(time.perf_counter())
        return False

"""
    + SPIN
    + r"""

spin(lambda: False, 0.3)
gc.collect()
base = status("VmRSS")
start = time.perf_counter()
dialog = ReportDialog(None, "天消调〔2026〕第001号", worker)
dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
dialog.show()
watcher = Painted()
hooked = []

def hook():
    labels = dialog.preview.page_labels
    if labels and not hooked:
        labels[0].installEventFilter(watcher)
        labels[0].update()
        hooked.append(1)
    return bool(painted)

spin(hook)
first = (painted[0] - start) * 1000 if painted else -1
spin(lambda: not worker.busy and getattr(dialog.preview, "settled", True), 60)
open_rss = status("VmRSS")
# scroll through the whole report as a reader would, page by page
for number in range(1, pages + 1, 2):
    dialog.preview.show_page(number)
    spin(lambda: not worker.busy and getattr(dialog.preview, "settled", True), 60)
hwm = status("VmHWM")
dialog.close()
for _ in range(5):
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    spin(lambda: False, 0.1)
gc.collect()
try:
    import ctypes
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # the same for before and after: what stays held
except OSError:
    pass
after = status("VmRSS")
print(json.dumps({"first_ms": first, "base": base, "open": open_rss, "hwm": hwm, "after": after}))
"""
)


def build_pdf(pages: int, cache: Path) -> tuple[Path, float, int]:
    """The sample investigation report lengthened to >= ``pages`` pages (cached)."""
    sys.path.insert(0, str(ROOT))
    from firecase.reports.investigation import build_investigation_pdf
    from tests.unit.reports.samples import GENERATED_AT, investigation_sample

    meta = cache / f"preview-{pages}.json"
    if meta.exists():
        info = json.loads(meta.read_text())
        return Path(info["path"]), info["build_s"], info["pages"]
    length, got = max(1, pages // 9), 0
    while True:
        out = io.BytesIO()
        start = time.perf_counter()
        got = build_investigation_pdf(
            investigation_sample(length=length), out, generated_at=GENERATED_AT
        ).pages
        took = time.perf_counter() - start
        if got >= pages:
            break
        length = max(length + 1, int(length * pages / max(got, 1)))
    path = cache / f"preview-{pages}.pdf"
    path.write_bytes(out.getvalue())
    meta.write_text(json.dumps({"path": str(path), "build_s": took, "pages": got}))
    return path, took, got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, nargs="+", default=[35, 372])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", default=str(ROOT), help="the FireCase tree to measure")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "firecase-bench"))
    args = parser.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    for pages in args.pages:
        path, build_s, got = build_pdf(pages, cache)
        samples = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, args.src, str(path), str(got)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
        samples.sort(key=lambda s: s["first_ms"])
        mid = samples[len(samples) // 2]
        runs = ", ".join(f"{s['first_ms']:.0f}" for s in samples)
        print(
            f"{got} pages (ReportLab build {build_s:.1f} s, not included): first page painted "
            f"{mid['first_ms']:.0f} ms (runs {runs});"
            f" RSS before {mid['base']} MB, peak while open {mid['hwm']} MB "
            f"(+{mid['hwm'] - mid['base']}), after close {mid['after']} MB "
            f"(+{mid['after'] - mid['base']})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
