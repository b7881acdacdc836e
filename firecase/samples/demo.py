"""``firecase demo``: two realistic demo cases in 天门市 that exercise every feature.

Case 1 — an 一般 fire with one death (a residential self-built house in 竟陵街道), still under
investigation: team, sub-groups, a recusal, evidence with custody and attachments, an appraisal,
an approved extension, findings, causes, a dissent and report sections.
Case 2 — a 较大 fire (a textile warehouse in 天门经济开发区) carried through report, 批复,
handling and 备案, publication with confidential fields, and the one-year evaluation with
rectification measures (one of them overdue).

Everything is written through the services, so the demo also exercises validation and audit.

The two cases are written by ``_demo_case_one`` and ``_demo_case_two`` with the helpers of
``_demo_common``.
"""

from __future__ import annotations

import argparse
import datetime as dt

from firecase.errors import FirecaseError
from firecase.samples._demo_case_one import _case_one
from firecase.samples._demo_case_two import _case_two
from firecase.services import (
    reading,
)
from firecase.store import CaseFile, open_case_file


def write_demo(cf: CaseFile, today: dt.date | None = None) -> tuple[int, ...]:
    """Write the demo cases; returns their ids."""
    now = today or dt.date.today()
    return (_case_one(cf, now), _case_two(cf, now))


def demo_command(args: argparse.Namespace) -> int:
    """``firecase demo --db PATH``."""
    try:
        with open_case_file(args.db, user=getattr(args, "user", None) or "演示") as cf:
            ids = write_demo(cf)
            for cid in ids:
                d = reading.get_case(cf, cid)
                print(f"{d.case.case_no} {d.case.title}（{d.case.grade}，{d.case.stage}）")
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已写入 {len(ids)} 个演示案件。")
    return 0


__all__ = ["demo_command", "write_demo"]
