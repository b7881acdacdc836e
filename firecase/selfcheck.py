"""``firecase selfcheck``: prove an installed or frozen FireCase works end to end.

Opens (creates and migrates) a temporary case file, checks its integrity and audit chain,
computes a statutory clock against the bundled holiday calendar, writes a clock-sheet PDF with
the bundled fonts, checks the Qt binding delivers signals without losing references, and exits
0 only when every step succeeded. The packaging build runs it on
the PyInstaller bundle; an officer's IT staff can run it on an installed copy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from firecase import __version__


def run_selfcheck(workdir: Path) -> list[str]:
    """Run every step in ``workdir``; returns the lines of the report (raises on failure)."""
    from firecase.reports.clock_sheet import build_clock_sheet_pdf
    from firecase.reports.data import ClockRow, ClockSheetData
    from firecase.rules import WorkdayCalendar, reply_clock
    from firecase.store.casefile import open_case_file

    lines = [f"FireCase {__version__} 自检"]
    with open_case_file(workdir / "selfcheck.sqlite", user="selfcheck") as cf:
        problems = cf.integrity_check()
        if problems:
            raise RuntimeError(f"integrity_check: {problems}")
        audit = cf.verify_audit()
        if not audit.ok:
            raise RuntimeError(f"审计链校验失败：{audit}")
        lines.append(f"案卷文件：已创建并迁移（{cf.display_name}）")

    calendar = WorkdayCalendar.bundled()
    clock = reply_clock(date(2024, 9, 20), calendar=calendar)
    if clock.due != date(2024, 10, 16):  # 15 working days across 国庆 2024, worked by hand
        raise RuntimeError(f"批复期限计算错误：{clock.due}")
    lines.append(f"期限计算：{clock.explanation}")

    today = date(2024, 9, 30)
    data = ClockSheetData(
        organisation="FireCase 自检",
        case_no="自检〔2024〕第001号",
        title="自检 期限一览",
        today=today,
        rows=(
            ClockRow(
                label=clock.kind.label,
                start=clock.start,
                due=clock.due,
                days_left=clock.days_left(today),
                status=clock.status(today).value,
                explanation=clock.explanation,
                basis=clock.basis,
            ),
        ),
    )
    pdf = workdir / "selfcheck.pdf"
    build_clock_sheet_pdf(data, pdf, generated_at=datetime.now())
    head = pdf.read_bytes()[:5]
    if head != b"%PDF-":
        raise RuntimeError("PDF 文件头错误")
    lines.append(f"PDF：已生成 {pdf.stat().st_size} 字节")
    lines.append(check_qt_binding())
    lines.append("自检通过")
    return lines


def check_qt_binding(emissions: int = 200) -> str:
    """The Qt binding delivers signals to Python functions without losing references.

    PySide6 6.12.0 lost one reference to ``None`` or ``True`` per delivery, which ends a long
    session in a fatal error (``pyproject.toml`` excludes it); a bundle built with such a
    binding fails here. Only QtCore is needed: no display, no application object.
    """
    import PySide6
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        bare = Signal()
        value = Signal(object)

    emitter = Emitter()
    emitter.bare.connect(lambda: None)
    emitter.value.connect(lambda _value: None)
    emitter.bare.emit()
    emitter.value.emit(None)
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(emissions):
        emitter.bare.emit()
        emitter.value.emit(None)
    after = sys.getrefcount(None), sys.getrefcount(True)
    lost = [b - a for a, b in zip(after, before, strict=True)]
    if max(lost) >= emissions // 2:
        raise RuntimeError(
            f"Qt 绑定 PySide6 {PySide6.__version__} 在信号传递时丢失引用（{lost}），"
            "长时间运行会崩溃：请换用其他版本"
        )
    return f"Qt 绑定：PySide6 {PySide6.__version__}，信号传递引用计数正常"


def selfcheck_command(args: argparse.Namespace) -> int:
    """CLI handler: run the self-check in a temporary folder and print the result."""
    with tempfile.TemporaryDirectory(prefix="firecase-selfcheck-") as tmp:
        try:
            lines = run_selfcheck(Path(tmp))
        except Exception as exc:  # report every failure, whatever its kind
            print(f"自检失败：{type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    print("\n".join(lines))
    return 0
