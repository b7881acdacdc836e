"""Case-file maintenance: integrity and audit-chain checks, the audit trail view."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, StatementError

from firecase.errors import FirecaseError
from firecase.services import _common as v, _derive
from firecase.services.dto import AuditEntryView, VerifyReport
from firecase.store import CaseFile, open_case_file
from firecase.store.models import AuditEntry
from firecase.store.replay import MAX_PROBLEMS, parse_anchor, replay_check, verify_anchor


def verify_case_file(
    cf: CaseFile, *, anchor: str = "", today: dt.date | None = None
) -> VerifyReport:
    """Run the database's integrity check, recompute the audit chain, replay the trail against
    every current row and attachment (``store.replay``) and, given ``anchor`` (``SEQ:HASH``
    printed on a report), check that the trail still holds exactly that history.

    ``ValidationError`` for an anchor that is not ``SEQ:HASH``.
    """
    mark = parse_anchor(anchor) if anchor else None
    integrity = cf.integrity_check()
    audit = cf.verify_audit()
    with cf.connect() as conn:
        data = replay_check(conn)
        anchored = verify_anchor(conn, *mark) if mark is not None else []
    # the recomputed data (stage, next due, the clock board) is not in the trail: recomputed
    try:
        checked, derived = _derive.derived_mismatches(cf, v.today_or(today), limit=MAX_PROBLEMS)
    except (DBAPIError, StatementError, ValueError, TypeError, ArithmeticError) as exc:
        # a damaged record (a date that is no date) cannot be recomputed; the replay above
        # names the record, this says what could not be checked
        checked, derived = 0, [f"计算数据未能重新计算（有损坏的记录）：{type(exc).__name__}"]
    for problem in derived:
        data.add(problem)
    return VerifyReport(
        integrity_problems=integrity,
        audit_ok=audit.ok,
        audit_rows=audit.rows_checked,
        audit_problems=audit.problems,
        data_records=data.records,
        data_problems=tuple(data.problems),
        data_more=data.more,
        notes=tuple(data.notes),
        derived_cases=checked,
        anchor=f"{mark[0]}:{mark[1]}" if mark is not None else "",
        anchor_problems=tuple(anchored),
    )


def list_audit(
    cf: CaseFile, *, case_id: int | None = None, offset: int = 0, limit: int = 200
) -> tuple[AuditEntryView, ...]:
    """Audit rows, newest first (optionally of one case)."""
    off = v.integer(offset, "offset", "起始行", maximum=10**9)
    lim = v.integer(limit, "limit", "行数", minimum=1, maximum=5000)
    cid = v.opt_ident(case_id, "case_id", "案件")
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).offset(off).limit(lim)
    if cid is not None:
        stmt = stmt.where(AuditEntry.case_id == cid)
    with cf.unit_of_work() as uow:
        return tuple(
            AuditEntryView(
                a.seq,
                a.at,
                a.actor,
                a.action,
                a.entity,
                a.entity_id,
                a.case_id,
                a.field,
                a.old_value,
                a.new_value,
            )
            for a in uow.session.scalars(stmt)
        )


def verify_command(args: argparse.Namespace) -> int:
    """``firecase verify --db X [--anchor SEQ:HASH]``: exit 0 when sound, 1 when problems were
    found, 2 when the check could not be made (the file cannot be opened, a bad anchor)."""
    try:
        anchor = getattr(args, "anchor", None) or ""
        if anchor:
            parse_anchor(anchor)  # a mistyped anchor is refused before anything is opened
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            report = verify_case_file(cf, anchor=anchor)
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    for line in verify_lines(report):
        print(line)
    return 0 if report.ok else 1


def verify_lines(report: VerifyReport) -> list[str]:
    """The report as the command line and the GUI show it (Chinese, one line each)."""
    out: list[str] = []
    if report.integrity_problems:
        out.append("数据库完整性检查：发现问题")
        out += [f"  - {p}" for p in report.integrity_problems]
    else:
        out.append("数据库完整性检查：通过")
    if report.audit_ok:
        out.append(f"审计链检查：通过（{report.audit_rows} 条记录）")
    else:
        out.append(f"审计链检查：发现问题（已检查 {report.audit_rows} 条记录）")
        out += [f"  - {p}" for p in report.audit_problems]
    if not report.data_problems and not report.data_more:
        out.append(
            f"数据与审计记录比对：一致（{report.data_records} 条记录，附件均与 SHA-256 相符）"
        )
    else:
        count = len(report.data_problems) + report.data_more
        out.append(
            f"数据比对（审计记录回放、重新计算）：发现 {count} 处不符"
            f"（已比对 {report.data_records} 条记录）"
        )
        out += [f"  - {p}" for p in report.data_problems]
        if report.data_more:
            out.append(f"  - ……另有 {report.data_more} 处未列出")
    if report.derived_cases:
        out.append(
            f"计算数据（办理阶段、下一期限、期限看板）：已按案卷数据重新计算 "
            f"{report.derived_cases} 件案件并比对，不符之处列在上面"
            if not report.ok
            else f"计算数据（办理阶段、下一期限、期限看板）：{report.derived_cases} 件案件"
            "重新计算后均相符"
        )
    out += [f"说明：{n}" for n in report.notes]
    if report.anchor:
        if report.anchor_problems:
            out.append(f"锚点 {report.anchor}：不符")
            out += [f"  - {p}" for p in report.anchor_problems]
        else:
            out.append(f"锚点 {report.anchor}：相符（审计记录仍完整保留报告打印时的历史）")
    return out
