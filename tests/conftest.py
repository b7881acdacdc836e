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
