"""Test-wide setup: offscreen Qt, an isolated user data folder, the PostgreSQL URL if given."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.qt_teardown import delete_closed_widgets

# Offscreen Qt on the screen of the smallest laptops and projectors officers have (1280×720;
# the platform's own default is 800×800): dialogs sized to fit it are tested as they open there.
_SCREEN = os.path.join(tempfile.mkdtemp(prefix="firecase-test-screen-"), "screen.json")
with open(_SCREEN, "w", encoding="utf-8") as _fh:
    _fh.write(
        '{"synchronousWindowSystemEvents": false, "windowFrameMargins": false, "screens": '
        '[{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720, '
        '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}'
    )
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

# a fresh user data folder per run: automatic backups and logs of an earlier run (say, the
# first start of a day) must not be found by this one
_DATA_DIR = tempfile.mkdtemp(prefix="firecase-test-userdata-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ.setdefault("FIRECASE_DATA_DIR", _DATA_DIR)

# Timing-based hypothesis checks make CI flaky on a loaded 2-core machine: examples are
# judged on correctness only.
settings.register_profile(
    "firecase", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)
settings.load_profile("firecase")


# Qt objects must die on the GUI thread: a cyclic collection that a worker thread triggers can
# destroy a widget off the GUI thread and crash the run. As the app does (firecase.ui.gui_gc),
# automatic collection is off and the main thread collects after each test, generation by
# generation as the allocation counts call for it (a full collection after every test scanned
# a heap of more than a gigabyte each time and was two thirds of the suite's time).
_THRESHOLDS = gc.get_threshold()
gc.disable()


_full_collection_due = [False]


def collect_as_due() -> None:
    """Collect the oldest generation whose allocation count passed its threshold.

    A full collection is only marked due here and runs once pytest has let go of the test's
    fixtures (``pytest_runtest_logfinish``); what survives it is frozen (``gc.freeze``), so the
    next full collection walks only what came after. Without the freeze every full collection
    walked the session's whole heap again — 38 of them took 42 s of a run's 64 s of collecting
    (measured 2026-12-07). Frozen objects are never collected: a cycle that dies later stays
    for the session, so the freeze runs only where little that is frozen can still die (after
    the test's fixtures are released, not inside their teardown where the test's objects were
    still reachable and were pinned)."""
    counts = gc.get_count()
    if counts[2] > _THRESHOLDS[2]:
        _full_collection_due[0] = True
        return
    for generation in (1, 0):
        if counts[generation] > _THRESHOLDS[generation]:
            gc.collect(generation)
            return


def pytest_runtest_logfinish(nodeid, location):  # type: ignore[no-untyped-def]
    if _full_collection_due[0]:
        _full_collection_due[0] = False
        gc.collect()
        gc.freeze()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread(request):  # type: ignore[no-untyped-def]
    yield
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        # pytest-qt closed the test's widgets and asked for their deletion: carried out now,
        # here on the GUI thread (see tests/qt_teardown.py)
        delete_closed_widgets()
    collect_as_due()


@pytest.fixture(scope="session", autouse=True)
def _demo_templates(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The demo's templates (tests/_demo.py): SQLite ones in a folder every pytest-xdist worker
    of this session shares (the parent of the workers' base folders), PostgreSQL ones this
    process's, dropped at its end."""
    from tests import _demo

    base = tmp_path_factory.getbasetemp()
    _demo.use_session_folder(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)
    if os.environ.get("FIRECASE_TEST_PG_URL"):
        _demo.drop_stale_pg_templates()
    yield
    if os.environ.get("FIRECASE_TEST_PG_URL"):
        _demo.drop_pg_templates()


@pytest.fixture(scope="session")
def demo_copy() -> Callable[..., Path]:
    """``demo_copy(path, today=..., user=...)``: the demo cases written as of ``today`` by
    ``user``, copied to ``path`` (``tests._demo.demo_into``: each (today, user) is written
    once per test session; a copy is milliseconds)."""
    from tests._demo import demo_into

    def make(path: Path, *, today: dt.date, user: str = "测试") -> Path:
        demo_into(path, today=today, user=user)
        return path

    return make


@pytest.fixture
def figure(request):  # type: ignore[no-untyped-def]
    """``figure(text)``: a measured figure of this test, printed in the run's summary (also
    when the tests run in several processes, where a test's own output is not shown)."""

    def say(text: str) -> None:
        request.node.user_properties.append(("figure", text))

    return say


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    lines = [
        f"{report.nodeid}: {value}"
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == "figure"
    ]
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)
