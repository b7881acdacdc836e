"""``python -m firecase.bench``: how fast FireCase is on a city's whole archive.

On a synthetic case file of ``--cases`` cases (default 100,000; built by ``firecase synth`` the
first time and kept in ``--cache`` so reruns start at once) it prints one table of medians over
``--runs`` runs, each figure beside its target:

* cold start to the populated main window, as a ratio to a bare PySide6 window (import +
  ``QApplication`` + show), both in fresh subprocesses in the same run. The app's subprocess
  runs the real entry point (``firecase --db PATH``: argparse, logging, ``run_gui``) and reports
  when the case table has painted itself holding rows; it then waits for the clock board too
  and reports its peak resident memory (its own ``VmHWM``). FireCase's modules are compiled to
  bytecode first, as an installed copy has them. A third program is timed beside them as a
  reference: the least a PySide6 program can do to show this page (the bundled CJK font, a
  ``QTableView`` over a Python item model, the first 200 cases read with ``sqlite3``); its
  ratio to the bare window shows how much of the start any PySide6 table of Chinese rows costs;
* the case list: filter by text, by stage, sort by due date (``list_cases`` with the GUI's page
  size, ms);
* opening the large case (50 members, 200 evidence items: ``get_case``, ms);
* the clock board across all cases (``clock_board``, ms);
* building the large case's investigation report PDF (about 30 pages, ms);
* peak memory of the GUI process (MB).

Service figures are medians of calls made after one warm-up call each (the warm-up loads the
file into the OS cache and SQLAlchemy's statement cache). The file stays in the OS page cache
between runs: "cold" means a fresh process, not an empty disk cache. Figures are printed, never
asserted; ``tests/bench/test_bench_smoke.py`` runs this at a small size to keep it working.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CASES = 100_000
DEFAULT_RUNS = 5
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "firecase-bench"
SEARCH_TEXT = "岳口"
"""The text filter: a town name, about one case in 25."""
STAGE = "处理中"
"""The stage filter."""
HARD_NEEDLES = ("张", "王", "火", "2019", "2016", "有限公司", "天门市", "仓库")
"""Text filters that cannot narrow by a rare two-character piece: one character (common, or
in no case at all), digits and words found in most cases. The table shows the slowest."""
SUBPROCESS_TIMEOUT_S = 600.0

# ------------------------------------------------------------------------------------------
# subprocess drivers (run with ``python -c``; they print tagged lines the parent times)
# ------------------------------------------------------------------------------------------

_PEAK = """
# prepended to every driver
def peak_kb():
    # this process's own peak resident memory (kB): VmHWM belongs to its address space, while
    # ru_maxrss also keeps the parent's peak from the fork before exec (the bench process)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

_BARE_DRIVER = """
import os, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1400, 860)
window.show()
app.processEvents()
print("READY", flush=True)
print("RSS", peak_kb(), flush=True)
os._exit(0)
"""

# READY (and the peak memory) right after the first paint of ``table`` holding rows
_READY_ON_PAINT = """
class PaintWatch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and table.model().rowCount():
            QTimer.singleShot(0, done)
        return False

def done():
    print("READY", flush=True)
    print("RSS", peak_kb(), flush=True)
    os._exit(0)
"""

_TABLE_DRIVER = (
    """
import os, sqlite3, sys
# A reference, not FireCase: the least a PySide6 program can do to show this page. The bundled
# CJK font, a QTableView over a Python item model, the first 200 cases by due date read with
# sqlite3 (the eight text columns of FireCase's list), READY once the table has painted them.
from PySide6.QtCore import QAbstractTableModel, QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
db, font_file = sys.argv[1], sys.argv[2]
app = QApplication(sys.argv[:1])
families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(font_file))
font = QFont(families[0])
font.setPointSize(10)
app.setFont(font)
conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
rows = conn.execute(
    "SELECT case_no, title, fire_date, place, grade, included, stage, next_due_label FROM cases "
    "ORDER BY next_due_on IS NULL, next_due_on, id LIMIT 200"
).fetchall()
conn.close()
HEADERS = ("案件编号", "案件名称", "起火日期", "地点", "等级", "纳入", "阶段", "下一期限")

class Model(QAbstractTableModel):
    def rowCount(self, parent=None):
        return len(rows)
    def columnCount(self, parent=None):
        return len(HEADERS)
    def data(self, index, role=0):
        return str(rows[index.row()][index.column()] or "") if role == 0 else None
    def headerData(self, section, orientation, role=0):
        if role != 0:
            return None
        return HEADERS[section] if orientation.value == 1 else str(section + 1)

"""
    + _READY_ON_PAINT
    + """

window = QMainWindow()
table = QTableView()
model = Model()
table.setModel(model)
window.setCentralWidget(table)
watch = PaintWatch()
table.viewport().installEventFilter(watch)
window.resize(1400, 860)
window.show()
app.exec()
"""
)

_LIST_DRIVER = (
    """
import datetime as dt, os, sys
db = sys.argv[1]
# A floor, not FireCase's start: FireCase's own case list and nothing else of the window. The
# real entry's argument check, the bundled CJK font, the list's model (CaseListModel) filled by
# its early reader (services.first_page), its table and a search field in a bare QMainWindow
# with the tool bar's height left empty; READY once the table has painted the rows. Any first
# frame built from FireCase's own list costs at least this.
from firecase.cli import opens_the_gui
opens_the_gui(["--db", db])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget
from firecase import paths
app = QApplication(sys.argv[:1])
font_file = str(paths.resource("fonts", "wqy-microhei.ttc"))
families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(font_file))
font = QFont(families[0])
font.setPointSize(10)
app.setFont(font)
from firecase.services.first_page import read_first_page
from firecase.ui.models.case_list import CaseListModel
from firecase.ui.worker import Worker
window = QMainWindow()
model = CaseListModel(Worker(window), window)
page = read_first_page(db, limit=model.page_size, today=dt.date.today())
if page is None or not model.show_first_page(page):
    sys.exit("no early first page")
central = QWidget()
layout = QVBoxLayout(central)
chrome = QWidget()
chrome.setFixedHeight(60)
layout.addWidget(chrome)
layout.addWidget(QLineEdit())
table = QTableView()
table.setModel(model)
layout.addWidget(table, 1)
window.setCentralWidget(central)

"""
    + _READY_ON_PAINT
    + """

watch = PaintWatch()
table.viewport().installEventFilter(watch)
window.resize(1400, 860)
window.show()
app.exec()
"""
)

_APP_DRIVER = """
import os, sys
db = sys.argv[1]
# the real entry point (``firecase --db PATH``: argparse, logging, run_gui); only
# QApplication.exec is wrapped, to find the window from a timer once the loop runs. READY is
# printed once the case table has painted itself holding rows (right after that paint).
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
state = {"rows": False, "clocks": False, "window": None}

def finish():
    if state["rows"] and state["clocks"]:
        print("RSS", peak_kb(), flush=True)
        os._exit(0)

def on_clocks():
    if not state["clocks"]:
        state["clocks"] = True
        print("CLOCKS", flush=True)
        finish()

def on_painted():
    if not state["rows"]:
        state["rows"] = True
        print("READY", flush=True)
        finish()

class PaintWatch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and state["window"].list_panel.model.rowCount():
            QTimer.singleShot(0, on_painted)  # runs after this paint
        return False

watch = PaintWatch()

def find_window():
    for w in QApplication.topLevelWidgets():
        if w.objectName() == "crashBox" and w.isVisible():
            print("CRASH", flush=True)  # the start failed: the parent reports it
            os._exit(3)
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    if found and state["window"] is None:
        state["window"] = found[0]
        found[0].refreshed.connect(on_clocks)
        found[0].list_panel.table.viewport().installEventFilter(watch)
        timer.setInterval(50)  # keeps watching for a crash box

real_exec = QApplication.exec
timer = QTimer()

def exec_and_watch(*_bound):  # app.exec() passes the app: QApplication.exec takes nothing
    timer.timeout.connect(find_window)
    timer.start(0)
    find_window()
    return real_exec()

QApplication.exec = exec_and_watch
from firecase.__main__ import main
main(["--db", db])
"""


@dataclass(frozen=True)
class StartSample:
    """One fresh-process start: seconds to ready (and to the clock board), peak RSS in MB."""

    ready_s: float
    clocks_s: float | None
    rss_mb: float


def _run_driver(code: str, args: list[str], env: dict[str, str]) -> StartSample:
    """Spawn ``python -c code args``; time from spawn to its READY (and CLOCKS) line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PEAK + code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    ready = clocks = None
    rss = 0.0
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            tag, _, value = line.strip().partition(" ")
            if tag == "READY" and ready is None:
                ready = time.perf_counter() - start
            elif tag == "CLOCKS":
                clocks = time.perf_counter() - start
            elif tag == "RSS":
                rss = int(value) / 1024
        proc.wait(timeout=SUBPROCESS_TIMEOUT_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if ready is None or proc.returncode != 0:
        err = proc.stderr.read() if proc.stderr is not None else ""
        raise RuntimeError(f"start-up driver failed (exit {proc.returncode}):\n{err[-2000:]}")
    return StartSample(ready, clocks, rss)


def _driver_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["FIRECASE_DATA_DIR"] = str(data_dir)  # preferences and logs of the run, not the user's
    env["XDG_CONFIG_HOME"] = str(data_dir / "config")
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def compile_bytecode() -> None:
    """Compile FireCase's modules to bytecode first, as an installed copy has them.

    ``pip install`` and the PyInstaller bundle ship ``.pyc`` files; a source checkout run with
    ``PYTHONDONTWRITEBYTECODE`` (as on the build machine) would otherwise compile every module
    at every start and time the compiler, not FireCase.
    """
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent), quiet=1)


@dataclass(frozen=True)
class StartSamples:
    """Fresh-process starts of the bare window, the reference table, FireCase's case list
    alone (the floor of any first frame built from it) and FireCase."""

    bare: list[StartSample]
    table: list[StartSample]
    app: list[StartSample]
    list_alone: list[StartSample]


def measure_start(db: Path | str, runs: int, *, reference: bool = True) -> StartSamples:
    """``runs`` starts of each program, interleaved: the bare window, the reference table
    program and FireCase's case list alone (unless not ``reference``: they read a SQLite
    file) and FireCase on ``db`` (a file or a server URL)."""
    samples = StartSamples([], [], [], [])
    compile_bytecode()
    from firecase import paths

    font = str(paths.resource("fonts", "wqy-microhei.ttc"))
    with tempfile.TemporaryDirectory(prefix="firecase-bench-") as tmp:
        env = _driver_env(Path(tmp))
        _run_driver(_BARE_DRIVER, [], env)  # warm the OS cache of the Qt libraries once
        for _ in range(runs):
            samples.bare.append(_run_driver(_BARE_DRIVER, [], env))
            if reference:
                samples.table.append(_run_driver(_TABLE_DRIVER, [str(db), font], env))
                samples.list_alone.append(_run_driver(_LIST_DRIVER, [str(db)], env))
            samples.app.append(_run_driver(_APP_DRIVER, [str(db)], env))
    return samples


# ------------------------------------------------------------------------------------------
# the case file
# ------------------------------------------------------------------------------------------


def case_file_path(cache: Path, cases: int, seed: int) -> Path:
    """Where the synthetic case file of ``cases`` cases and ``seed`` is kept."""
    return cache / f"firecase-bench-{cases}-s{seed}.sqlite"


def ensure_case_file(cache: Path, cases: int, seed: int, *, log: Callable[[str], None]) -> Path:
    """The cached synthetic case file, built first if missing (never a half-built one)."""
    from firecase.samples.synth import synthesize
    from firecase.store import open_case_file

    path = case_file_path(cache, cases, seed)
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".partial.sqlite")
    for leftover in cache.glob(partial.name + "*"):
        leftover.unlink()
    log(f"合成 {cases} 件案件到 {path} …")
    with open_case_file(partial, user="基准测试") as cf:
        result = synthesize(cf, cases, seed=seed)
    partial.rename(path)
    for leftover in cache.glob(partial.name + "*"):
        leftover.unlink()
    log(f"合成完成：{sum(result.rows.values())} 行，用时 {result.seconds:.1f} 秒")
    return path


# ------------------------------------------------------------------------------------------
# in-process measurements
# ------------------------------------------------------------------------------------------


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up, not counted
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    measure: str
    value: str
    target: str
    meets: bool


def measure_services(db: Path, runs: int) -> tuple[list[Row], dict[str, str]]:
    """Case list, open case, clock board and report timings on the open case file."""
    from sqlalchemy import select

    from firecase.reports.investigation import build_investigation_pdf
    from firecase.samples.synth import LARGE_CASE_TITLE
    from firecase.services.clock_board import clock_board
    from firecase.services.dto import CaseSort
    from firecase.services.reading import count_cases, get_case, list_cases
    from firecase.services.reporting import font_config, investigation_report_data
    from firecase.services.settings import get_settings
    from firecase.settings import Preferences
    from firecase.store import open_case_file
    from firecase.store.models import Case

    page = Preferences().page_size
    today = dt.date.today()
    info: dict[str, str] = {"page size": str(page)}
    rows: list[Row] = []

    def ms(measure: str, value: float, target: float) -> None:
        rows.append(Row(measure, f"{value:.0f} ms", f"≤ {target:.0f} ms", value <= target))

    with open_case_file(db, user="基准测试") as cf:
        with cf.connect() as conn:
            found = conn.execute(
                select(Case.id, Case.case_no).where(Case.title == LARGE_CASE_TITLE).limit(1)
            ).first()
        if found is None:
            raise RuntimeError("the synthetic case file has no large case")
        large_id, large_no = int(found[0]), str(found[1])
        info["cases"] = str(count_cases(cf, today=today))
        info["text matches"] = str(count_cases(cf, text=SEARCH_TEXT, today=today))
        info["stage matches"] = str(count_cases(cf, stage=STAGE, today=today))

        ms(
            f"case list: filter by text “{SEARCH_TEXT}”",
            _median_ms(lambda: list_cases(cf, text=SEARCH_TEXT, limit=page, today=today), runs),
            50,
        )
        hard = {
            needle: _median_ms(
                lambda needle=needle: list_cases(cf, text=needle, limit=page, today=today), runs
            )
            for needle in HARD_NEEDLES
        }
        slowest = max(hard, key=lambda needle: hard[needle])
        label = f"case list: slowest of {len(hard)} harder text filters (“{slowest}”)"
        ms(label, hard[slowest], 50)
        info["harder text filters"] = ", ".join(f"{n} {v:.0f} ms" for n, v in hard.items())
        ms(
            f"case list: filter by stage “{STAGE}”",
            _median_ms(lambda: list_cases(cf, stage=STAGE, limit=page, today=today), runs),
            50,
        )
        ms(
            "case list: sort by due date",
            _median_ms(
                lambda: list_cases(cf, sort=CaseSort.NEXT_DUE, limit=page, today=today), runs
            ),
            50,
        )
        detail = get_case(cf, large_id, today=today)
        info["large case"] = (
            f"{large_no}: {len(detail.members)} members, {len(detail.evidence)} evidence items"
        )
        ms(
            "open the large case (get_case)",
            _median_ms(lambda: get_case(cf, large_id, today=today), runs),
            150,
        )
        start = time.perf_counter()
        board = clock_board(cf, today=today)
        full_ms = (time.perf_counter() - start) * 1000
        info["clock board"] = (
            f"{len(board)} clocks in all ({full_ms:.0f} ms for one call with the done ones), "
            f"{sum(1 for c in board if c.done_on is None)} open, "
            f"{sum(1 for c in board if c.overdue)} overdue"
        )
        del board
        ms(
            "clock board, all cases (open clocks, as the board shows them)",
            _median_ms(lambda: clock_board(cf, today=today, include_done=False), runs),
            300,
        )
        data = investigation_report_data(cf, large_no, today=today)
        fonts = font_config(get_settings(cf))
        stamp = dt.datetime(2026, 1, 1, 9, 0)
        built = build_investigation_pdf(data, io.BytesIO(), fonts=fonts, generated_at=stamp)
        info["report"] = f"{built.pages} pages"
        ms(
            f"investigation report PDF ({built.pages} pages)",
            _median_ms(
                lambda: build_investigation_pdf(
                    data, io.BytesIO(), fonts=fonts, generated_at=stamp
                ),
                runs,
            ),
            1000,
        )
    return rows, info


# ------------------------------------------------------------------------------------------
# the table
# ------------------------------------------------------------------------------------------


def machine() -> str:
    """CPU, cores, memory, OS, Python, SQLite and PySide6 versions of this machine."""
    cpu = platform.processor() or platform.machine()
    mem = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    try:
        import PySide6

        qt = f", PySide6 {PySide6.__version__}"
    except ImportError:
        qt = ""
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}{qt}"
    )


def format_table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    lines = ["| measure | median | target | |", "|---|---:|---:|---|"]
    for r in rows:
        lines.append(
            f"| {r.measure} | {r.value} | {r.target} | {'meets' if r.meets else 'MISSES'} |"
        )
    return "\n".join(lines)


def run_server(url: str, runs: int) -> str:
    """The start on a PostgreSQL server (``--server``): spawn → rows, against the bare window."""
    from firecase.store.server import public_url

    starts = measure_start(url, runs, reference=False)
    bare, app = starts.bare, starts.app
    bare_ms = statistics.median(s.ready_s for s in bare) * 1000
    app_ms = statistics.median(s.ready_s for s in app) * 1000
    low, high = (f(s.ready_s for s in app) * 1000 for f in (min, max))
    clocks = [s.clocks_s for s in app if s.clocks_s is not None]
    ratio = app_ms / bare_ms
    row = Row(
        "cold start on the server to populated main window (× bare PySide6 window)",
        f"{ratio:.2f}× ({app_ms:.0f} / {bare_ms:.0f} ms; app {low:.0f}–{high:.0f})",
        "≤ 2.5×",
        ratio <= 2.5,
    )
    board = f"{statistics.median(clocks) * 1000:.0f} ms after spawn" if clocks else "not reached"
    return "\n".join(
        [
            f"FireCase benchmark on {public_url(url)}, medians of {runs} run(s), "
            f"{dt.date.today().isoformat()}",
            f"machine: {machine()}",
            "",
            format_table([row]),
            "",
            f"- app clock board shown: {board}",
            f"- app peak memory {max(s.rss_mb for s in app):.0f} MB",
        ]
    )


def run(
    cases: int,
    runs: int,
    cache: Path,
    seed: int,
    *,
    log: Callable[[str], None],
) -> str:
    """Build or reuse the case file, measure everything, return the report text."""
    db = ensure_case_file(cache, cases, seed, log=log)
    log("测量冷启动 …")
    starts = measure_start(db, runs)
    bare, app = starts.bare, starts.app
    bare_ms = statistics.median(s.ready_s for s in bare) * 1000
    table_ms = statistics.median(s.ready_s for s in starts.table) * 1000
    list_ms = statistics.median(s.ready_s for s in starts.list_alone) * 1000
    app_ms = statistics.median(s.ready_s for s in app) * 1000
    clock_times = [s.clocks_s for s in app if s.clocks_s is not None]
    rss = max(s.rss_mb for s in app)
    ratio = app_ms / bare_ms
    rows = [
        Row(
            "cold start to populated main window (× bare PySide6 window)",
            f"{ratio:.2f}× ({app_ms:.0f} / {bare_ms:.0f} ms)",
            "≤ 1.5×",
            ratio <= 1.5,
        ),
        Row(
            "cold start to populated main window (× the least PySide6 table program)",
            f"{app_ms / table_ms:.2f}× ({app_ms:.0f} / {table_ms:.0f} ms)",
            "≤ 1.1×",
            app_ms / table_ms <= 1.1,
        ),
    ]
    log("测量服务 …")
    service_rows, info = measure_services(db, runs)
    rows += service_rows
    rows.append(Row("peak memory of the GUI process", f"{rss:.0f} MB", "≤ 250 MB", rss <= 250))
    size_mb = db.stat().st_size / 1024 / 1024
    notes = [
        f"FireCase benchmark: {int(info['cases']):,} cases ({size_mb:.0f} MB SQLite file), "
        f"medians of {runs} run(s), {dt.date.today().isoformat()}",
        f"machine: {machine()}",
        "",
        format_table(rows),
        "",
        f"- reference: the least PySide6 program showing this page (bundled font, a QTableView "
        f"over a Python model, 200 rows read with sqlite3) starts in {table_ms:.0f} ms = "
        f"{table_ms / bare_ms:.2f}× the bare window; FireCase = {app_ms / table_ms:.2f}× that",
        f"- floor: FireCase's case list alone (its model filled by its early reader, a table and "
        f"a search field in a bare window, nothing else) starts in {list_ms:.0f} ms = "
        f"{list_ms / table_ms:.2f}× the reference",
        f"- bare window peak memory {max(s.rss_mb for s in bare):.0f} MB; app clock board shown "
        + (
            f"{statistics.median(clock_times) * 1000:.0f} ms after spawn"
            if clock_times
            else "(not reached)"
        ),
        f"- list page size {info['page size']}; text matches {info['text matches']}, "
        f"stage matches {info['stage matches']}",
        f"- harder text filters: {info['harder text filters']}",
        f"- large case {info['large case']}; report {info['report']}",
        f"- clock board: {info['clock board']}",
    ]
    return "\n".join(notes)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m firecase.bench", description=__doc__)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, metavar="R")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        metavar="DIR",
        help=f"folder of the synthetic case files (default {DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="measure the start on this PostgreSQL case file instead (it must hold cases)",
    )
    args = parser.parse_args(argv)
    if args.server is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        print(run_server(args.server, max(args.runs, 1)), flush=True)
        return 0
    if args.cases < 1 or args.runs < 1:
        parser.error("--cases and --runs must be at least 1")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    text = run(args.cases, args.runs, args.cache, args.seed, log=log)
    print(text, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
