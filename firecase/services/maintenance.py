"""Case-file maintenance: integrity and audit-chain checks, the audit trail view."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from firecase.errors import FirecaseError
from firecase.services import _common as v
from firecase.services.dto import AuditEntryView, VerifyReport
from firecase.store import CaseFile, open_case_file
from firecase.store.models import AuditEntry


def verify_case_file(cf: CaseFile) -> VerifyReport:
    """Run the database's integrity check and recompute the audit chain."""
    integrity = cf.integrity_check()
    audit = cf.verify_audit()
    return VerifyReport(
        integrity_problems=integrity,
        audit_ok=audit.ok,
        audit_rows=audit.rows_checked,
        audit_problems=audit.problems,
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
    """``firecase verify --db PATH``: exit 0 when sound, 1 on a problem, 2 if it cannot open."""
    try:
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            report = verify_case_file(cf)
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    if report.integrity_problems:
        print("数据库完整性检查：发现问题")
        for p in report.integrity_problems:
            print(f"  - {p}")
    else:
        print("数据库完整性检查：通过")
    if report.audit_ok:
        print(f"审计链检查：通过（{report.audit_rows} 条记录）")
    else:
        print(f"审计链检查：发现问题（已检查 {report.audit_rows} 条记录）")
        for p in report.audit_problems:
            print(f"  - {p}")
    return 0 if report.ok else 1
