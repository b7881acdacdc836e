"""Test-wide setup: offscreen Qt, an isolated user data folder, the PostgreSQL URL if given."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FIRECASE_DATA_DIR", os.path.join(os.getcwd(), ".pytest_cache", "userdata"))

import gc

import pytest
from hypothesis import HealthCheck, settings

# Timing-based hypothesis checks make CI flaky on a loaded 2-core machine: examples are
# judged on correctness only.
settings.register_profile(
    "firecase", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)
settings.load_profile("firecase")


# Qt objects must die on the GUI thread: a cyclic collection that a worker thread triggers can
# destroy a widget off the GUI thread and crash the run (the app does the same with
# firecase.ui.gui_gc). Tests collect on the main thread after each test instead.
gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():  # type: ignore[no-untyped-def]
    yield
    gc.collect()


# The run ends with os._exit(status) once pytest has reported everything: letting the
# interpreter tear down hundreds of PySide objects and worker pools at exit has aborted the
# process (a refcount error inside the bindings, after every test passed), which would turn a
# passing run into a failing exit status.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _EXIT_STATUS:
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
