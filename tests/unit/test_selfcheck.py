"""``firecase selfcheck``: every step runs and says what it proved."""

from __future__ import annotations

from pathlib import Path

import pytest

from firecase import selfcheck


def test_selfcheck_passes_and_names_each_step(tmp_path: Path) -> None:
    lines = selfcheck.run_selfcheck(tmp_path)
    assert lines[-1] == "自检通过"
    assert any(line.startswith("期限计算：") and "2024年10月16日" in line for line in lines)
    assert any(line.startswith("Qt 绑定：PySide6 ") for line in lines)
    assert (tmp_path / "selfcheck.pdf").read_bytes()[:5] == b"%PDF-"


def test_binding_that_loses_references_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """A binding losing one reference per delivery (as PySide6 6.12.0 did) is refused."""
    import sys

    counts = iter([1000, 500, 600, 100])  # None and True, before and after: both drop

    monkeypatch.setattr(sys, "getrefcount", lambda _obj: next(counts))
    with pytest.raises(RuntimeError, match="信号传递时丢失引用"):
        selfcheck.check_qt_binding(emissions=200)
