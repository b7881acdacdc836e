"""Case-file maintenance: integrity and audit-chain checks, the audit trail view."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError, StatementError

from firecase.errors import FirecaseError
from firecase.progress import Meter, Report, TerminalReport
from firecase.services import _common as v, _derive
from firecase.services.dto import AuditEntryView, VerifyReport
from firecase.store import CaseFile, open_case_file
from firecase.store.audit import chain_head
from firecase.store.models import AuditEntry, Case, Setting
from firecase.store.replay import (
    MAX_PROBLEMS,
    parse_anchor,
    replay_check,
    verify_anchor,
)
from firecase.store.replay_since import replay_since, table_marks

log = logging.getLogger(__name__)


POINT_KEY = "verify_point"
"""The settings key of the verified point: the chain head and the audited tables' row counts
and key sums (``store.replay_since.table_marks``) when a check last found the case file
sound (JSON), what ``quick`` checks from. It is believed only as the trail last wrote it."""


@dataclass(frozen=True)
class VerifiedPoint:
    """Where the last sound check left the case file."""

    seq: int
    digest: str
    marks: dict[str, list[int]]
    at: str  # when it was taken (ISO time, UTC)
    full_at: str  # when the last full check was
    text: str  # the setting's value as stored


def verified_point(cf: CaseFile) -> VerifiedPoint | None:
    """The point recorded by the last sound check (None: none, or not readable)."""
    with cf.connect() as conn:
        row = conn.execute(select(Setting.value).where(Setting.key == POINT_KEY)).first()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
        marks = {str(k): [int(x) for x in v][:3] for k, v in data["marks"].items()}
        if any(len(v) != 3 for v in marks.values()):
            return None
        return VerifiedPoint(
            int(data["seq"]),
            str(data["hash"]),
            marks,
            str(data["at"]),
            str(data["full_at"]),
            str(row[0]),
        )
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _point_as_written(conn: Connection, point: VerifiedPoint) -> str | None:
    """Who wrote the stored point and when, if it is what the trail last wrote for the
    setting after the point's own row; None otherwise (a point edited behind FireCase's back
    would let the check skip what was changed before it)."""
    log = cast(Table, AuditEntry.__table__)
    row = conn.execute(
        select(log.c.action, log.c.new_value, log.c.actor, log.c.at)
        .where(log.c.seq > point.seq, log.c.entity == "settings", log.c.entity_id == POINT_KEY)
        .order_by(log.c.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    action, new, actor, at = row
    if action == "insert":
        try:
            new = json.loads(new).get("value")
        except (TypeError, ValueError, AttributeError):
            return None
    if action not in ("insert", "update") or new != point.text:
        return None
    return f"{actor}（{str(at)[:19].replace('T', ' ')}）"


def _take_point(cf: CaseFile) -> tuple[int, str, dict[str, list[int]]]:
    """The chain head and the tables' marks, read together (one snapshot)."""
    with cf.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            seq, digest = chain_head(conn)
            marks = table_marks(conn)
    return seq, digest, marks


def _record_point(
    cf: CaseFile, taken: tuple[int, str, dict[str, list[int]]], full_at: str, now: dt.datetime
) -> str:
    """Record the point; "" or a note when it could not be written (a reader's login)."""
    seq, digest, marks = taken
    value = json.dumps(
        {
            "seq": seq,
            "hash": digest,
            "marks": marks,
            "at": now.isoformat(timespec="seconds"),
            "full_at": full_at,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    try:
        with cf.unit_of_work() as uow:
            found = uow.session.get(Setting, POINT_KEY)
            if found is None:
                uow.session.add(Setting(key=POINT_KEY, value=value))
            else:
                found.value = value
            uow.commit()
    except (DBAPIError, FirecaseError) as exc:
        log.warning("verified point not recorded: %s", exc)
        return "检查点未能记录（当前登录没有写入权限），下次仍从上一个检查点检查。"
    return ""


def verify_case_file(
    cf: CaseFile,
    *,
    anchor: str = "",
    today: dt.date | None = None,
    quick: bool = False,
    progress: Report | None = None,
    now: dt.datetime | None = None,
) -> VerifyReport:
    """Run the database's integrity check, recompute the audit chain, replay the trail against
    every current row and attachment (``store.replay``) and, given ``anchor`` (``SEQ:HASH``
    printed on a report), check that the trail still holds exactly that history.

    ``quick``: check only what was written since the verified point the last sound check
    recorded (``POINT_KEY``): the chain from that row on (which must still hold its hash), the
    records the trail changed since and the tables' row counts (``replay_since``), and the
    recomputed data of the cases written since; the database's integrity check is left to the
    full check. Without a point the full check is made. A sound check records a new point.
    ``progress`` is told each step (``firecase.progress``).

    ``ValidationError`` for an anchor that is not ``SEQ:HASH``.
    """
    mark = parse_anchor(anchor) if anchor else None
    stamp = now or dt.datetime.now(dt.UTC)
    point = verified_point(cf) if quick else None
    notes: list[str] = []
    if point is not None:
        with cf.connect() as conn:
            written_by = _point_as_written(conn, point)
            if written_by:
                notes.append(f"检查点由 {written_by} 记录。")
            else:
                point = None
                notes.append(
                    "检查点与审计记录中最后写入的不符（它在 FireCase 之外被改动过），"
                    "不能据以增量检查，已做完整检查。"
                )
    elif quick:
        notes.append("还没有检查点（此前没有通过的检查），已做完整检查。")
    taken = _take_point(cf)
    steps = (3 if point is not None else 4) + (mark is not None)
    meter = Meter("增量检查案卷" if point is not None else "检查案卷", progress, steps=steps)
    if point is None:
        meter.phase("数据库完整性检查")
        integrity = cf.integrity_check()
    else:
        integrity = ()
    meter.phase("审计链", total=max(0, taken[0] - (point.seq if point else 0)))
    after = (point.seq, point.digest) if point is not None else None
    audit = cf.verify_audit(after=after, progress=meter.set_done)
    audit_problems = list(audit.problems)
    with cf.connect() as conn:
        if point is not None:
            if verify_anchor(conn, point.seq, point.digest):
                audit_problems.insert(
                    0,
                    f"检查点不符：第{point.seq}条审计记录已不是上次检查（{point.at[:10]}）时的"
                    "那一条——此后检查点之前的审计历史被删除或改写过（即使整条哈希链重新计算后"
                    "仍然自洽）。请做完整检查，并用报告上印的锚点核对。",
                )
            meter.phase("比对检查点之后写入的数据", total=taken[0] - point.seq)
            data = replay_since(conn, point.seq, point.marks, progress=meter.set_done)
            touched: set[int] | None = {
                int(c)
                for (c,) in conn.execute(
                    select(AuditEntry.case_id)
                    .where(AuditEntry.seq > point.seq, AuditEntry.case_id.is_not(None))
                    .distinct()
                )
                if c is not None
            }
        else:
            meter.phase("数据与审计记录比对", total=taken[0] + sum(m[0] for m in taken[2].values()))
            data = replay_check(conn, progress=meter.set_done)
            touched = None
        if mark is not None:
            meter.phase("核对锚点")
        anchored = verify_anchor(conn, *mark) if mark is not None else []
    # the recomputed data (stage, next due, the clock board) is not in the trail: recomputed
    meter.phase("重新计算期限", total=len(touched) if touched is not None else _case_count(cf))
    try:
        checked, derived = _derive.derived_mismatches(
            cf,
            v.today_or(today),
            limit=MAX_PROBLEMS,
            case_ids=touched,
            progress=meter.set_done,
        )
    except (DBAPIError, StatementError, ValueError, TypeError, ArithmeticError) as exc:
        # a damaged record (a date that is no date) cannot be recomputed; the replay above
        # names the record, this says what could not be checked
        checked, derived = 0, [f"计算数据未能重新计算（有损坏的记录）：{type(exc).__name__}"]
    for problem in derived:
        data.add(problem)
    notes += data.notes
    sound = not integrity and not audit_problems and data.ok and not anchored
    if point is not None:
        notes.append(
            f"增量检查：检查点（第{point.seq}条审计记录，{point.at[:10]}）之后的 "
            f"{audit.rows_checked} 条审计记录，其间改动的字段，各表的记录条数和编号，以及其间"
            f"写入的案件的计算数据；此前的记录未重新比对（上次完整检查：{point.full_at[:10]}）。"
            "在 FireCase 之外对检查点之后未经审计改动过的字段（任何记录的）、其他案件的计算数据"
            "（期限看板）所做的修改，只有完整检查能发现。"
        )
    if sound:
        full_at = point.full_at if point is not None else stamp.isoformat(timespec="seconds")
        note = _record_point(cf, taken, full_at, stamp)
        if note:
            notes.append(note)
    return VerifyReport(
        integrity_problems=integrity,
        audit_ok=not audit_problems,
        audit_rows=audit.rows_checked,
        audit_problems=tuple(audit_problems),
        data_records=data.records,
        data_problems=tuple(data.problems),
        data_more=data.more,
        notes=tuple(notes),
        derived_cases=checked,
        anchor=f"{mark[0]}:{mark[1]}" if mark is not None else "",
        anchor_problems=tuple(anchored),
        quick_since=point.seq if point is not None else None,
    )


def _case_count(cf: CaseFile) -> int:
    with cf.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Case)).scalar_one())


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
    """``firecase verify --db X [--anchor SEQ:HASH] [--quick]``: exit 0 when sound, 1 when
    problems were found, 2 when the check could not be made (the file cannot be opened, a bad
    anchor). Progress goes to standard error, the result to standard output."""
    try:
        anchor = getattr(args, "anchor", None) or ""
        if anchor:
            parse_anchor(anchor)  # a mistyped anchor is refused before anything is opened
        report_progress = TerminalReport()
        try:
            with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
                report = verify_case_file(
                    cf,
                    anchor=anchor,
                    quick=bool(getattr(args, "quick", False)),
                    progress=report_progress,
                )
        finally:
            report_progress.close()
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    for line in verify_lines(report):
        print(line)
    return 0 if report.ok else 1


def verify_lines(report: VerifyReport) -> list[str]:
    """The report as the command line and the GUI show it (Chinese, one line each)."""
    out: list[str] = []
    quick = report.quick_since is not None
    if report.integrity_problems:
        out.append("数据库完整性检查：发现问题")
        out += [f"  - {p}" for p in report.integrity_problems]
    elif quick:
        out.append("数据库完整性检查：未做（增量检查只看检查点之后的记录；完整检查时进行）")
    else:
        out.append("数据库完整性检查：通过")
    if report.audit_ok:
        out.append(f"审计链检查：通过（{report.audit_rows} 条记录）")
    else:
        out.append(f"审计链检查：发现问题（已检查 {report.audit_rows} 条记录）")
        out += [f"  - {p}" for p in report.audit_problems]
    if not report.data_problems and not report.data_more:
        since = f"检查点第{report.quick_since}条之后" if quick else ""
        attachments = "新增附件" if quick else "附件"
        out.append(
            f"数据与审计记录比对{('（' + since + '）') if since else ''}：一致（"
            f"{report.data_records} 条记录，{attachments}均与 SHA-256 相符）"
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
