"""``firecase.log.RotatingFile``: the log file rolls over at its size limit, keeping N files."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from firecase.log import RotatingFile


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"firecase.test.rotation.{id(handler)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def test_rolls_over_at_the_limit_and_keeps_the_backups(tmp_path: Path) -> None:
    path = tmp_path / "firecase.log"
    handler = RotatingFile(path, max_bytes=200, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = _logger(handler)
    lines = [f"第{i:02d}条记录 " + "x" * 40 for i in range(12)]
    for line in lines:
        logger.info(line)
    handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["firecase.log", "firecase.log.1", "firecase.log.2"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= 200
    newest = (tmp_path / "firecase.log").read_text(encoding="utf-8").splitlines()
    assert newest[-1] == lines[-1]
    kept = "".join((tmp_path / n).read_text(encoding="utf-8") for n in reversed(files))
    assert kept.splitlines() == lines[-len(kept.splitlines()) :]  # in order, nothing reordered
    assert lines[0] not in kept  # the oldest file was dropped


def test_a_record_larger_than_the_limit_still_gets_written(tmp_path: Path) -> None:
    path = tmp_path / "firecase.log"
    handler = RotatingFile(path, max_bytes=10, backups=1)
    logger = _logger(handler)
    logger.info("一条很长的记录" * 10)
    logger.info("第二条")
    handler.close()
    assert "第二条" in path.read_text(encoding="utf-8")
    assert "一条很长的记录" in (tmp_path / "firecase.log.1").read_text(encoding="utf-8")


def test_logging_handlers_is_not_imported() -> None:
    import subprocess

    code = "import sys, firecase.log; print('logging.handlers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
