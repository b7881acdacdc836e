"""``firecase verify`` proves the data: the audit trail replayed against every current row.

The hash chain (``store.audit.verify_audit_chain``) proves that the trail was not edited; it
says nothing about the data. Here the trail is replayed, in sequence order, into the record
each audited row should hold now (an insert gives every column's text, an update one column's
old → new text, a delete removes the record), and every current row of every audited table is
compared with it, column by column, as ``store.audit.audit_text`` writes values. What differs
was changed behind FireCase's back: a value edited with sqlite3 or psql, a row inserted or
deleted directly, a whole case added or removed. An update whose old value is not what the
trail itself says the record held shows a history that does not fit together.

Not compared here, on purpose: the recomputed data (``models.DERIVED_TABLES`` and
``models.DERIVED_CASE_COLUMNS``, rewritten by the services without the ORM and never audited
on PostgreSQL; ``services._derive.derived_mismatches`` recomputes and compares it) and
``version``. A column added by a later migration is absent from the insert
rows written before it existed: until the record's first audited change of that column its
value cannot be checked and is not compared (the migrations of 0004, 0005 and 0009 filled some
such columns without audit rows). Rows written by ``firecase synth`` on SQLite are recorded as
one summary row per batch and are not compared row by row (the summary says so).

Attachments are checked against their own SHA-256 and size, one at a time.

``verify_anchor`` checks a chain head printed on a report (``SEQ:HASH``): the trail must still
hold exactly that row with that hash; a history rewritten with recomputed hashes keeps a valid
chain but cannot keep a head printed before the rewrite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import DBAPIError, StatementError

from firecase.errors import ValidationError
from firecase.store.audit import PROGRESS_ROWS, audit_text
from firecase.store.models import (
    DERIVED_CASE_COLUMNS,
    NOT_AUDITED_TABLES,
    Attachment,
    AttachmentBlob,
    AuditEntry,
    Base,
)

MAX_PROBLEMS = 200
_SKIP_TABLES = NOT_AUDITED_TABLES
LABELS = {
    "cases": "案件",
    "casualty_updates": "伤亡人数记录",
    "grade_decisions": "等级认定",
    "inclusion_decisions": "纳入调查认定",
    "parties": "当事人",
    "team_members": "调查组成员",
    "subgroups": "专项小组",
    "subgroup_members": "专项小组成员",
    "recusal_applications": "回避申请",
    "persons": "伤亡人员和证人",
    "evidence_items": "证据",
    "custody_events": "证据保管记录",
    "attachments": "附件",
    "appraisals": "检验鉴定",
    "extensions": "调查期限延长",
    "findings": "调查认定",
    "causes": "事故原因",
    "dissents": "不同意见",
    "report_sections": "报告正文",
    "recommendations": "处理建议",
    "handling_tasks": "处理落实",
    "publications": "公开",
    "redactions": "不公开的内容",
    "disclosure_keeps": "保留公开的个人信息",
    "public_reviews": "公开前审查",
    "public_releases": "公开发布",
    "evaluations": "评估",
    "evaluation_items": "评估事项",
    "evaluation_item_recommendations": "评估事项与建议的对应",
    "rectification_measures": "整改措施",
    "calendar_years": "节假日日历年份",
    "calendar_days": "节假日日历",
    "users": "用户",
    "settings": "设置",
    "report_outputs": "打印和导出记录",
    "case_documents": "文书",
    "guard_reasons": "越序办理的理由",
    "recycle_bin": "回收站",
    "recycle_contents": "回收站保留的附件内容",
}


def _label(table: str) -> str:
    name = LABELS.get(table)
    return f"{name}（{table}）" if name else table


def _short(value: str | None) -> str:
    if value is None:
        return "（空）"
    return value if len(value) <= 60 else value[:57] + "…"


@dataclass
class ReplayCheck:
    """What replaying the trail found: ``ok``, the records compared and one line per problem."""

    records: int = 0
    problems: list[str] = field(default_factory=list)
    more: int = 0  # problems beyond ``MAX_PROBLEMS``, counted but not listed
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1


def _audited_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in _SKIP_TABLES]


def _skipped_columns(table: Table) -> frozenset[str]:
    skip = {"version"}
    if table.name == "cases":
        skip |= DERIVED_CASE_COLUMNS
    return frozenset(skip)


def json_object(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _ticker(progress: Callable[[int], None] | None) -> Callable[[], None]:
    """A counter that tells ``progress`` the count every ``PROGRESS_ROWS`` calls."""
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)

    return tick


def _replayed(
    conn: Connection, check: ReplayCheck, tick: Callable[[], None] = lambda: None
) -> tuple[dict[str, dict[str, dict[str, Any]]], set[int]]:
    """table → entity id → column → text, as the trail says the data should be now; and the
    case ids written by ``firecase synth`` (not audited row by row)."""
    log = cast(Table, AuditEntry.__table__)
    rows = conn.execute(
        select(
            log.c.seq,
            log.c.action,
            log.c.entity,
            log.c.entity_id,
            log.c.field,
            log.c.old_value,
            log.c.new_value,
        ).order_by(log.c.seq)
    )
    return _replay_rows(rows, check, tick)


def _replay_rows(
    rows: Iterable[Any], check: ReplayCheck, tick: Callable[[], None] = lambda: None
) -> tuple[dict[str, dict[str, dict[str, Any]]], set[int]]:
    audited = {t.name for t in _audited_tables()}
    state: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in audited}
    synthetic: set[int] = set()
    for seq, action, entity, entity_id, fld, old, new in rows:
        tick()
        records = state.get(entity)
        if records is None:
            continue  # a table that is not compared (derived, or dropped by a migration)
        if action == "import":
            continue  # the provenance of an imported case; its rows are audited one by one
        if action == "insert":
            values = json_object(new)
            if values is None:
                check.add(f"审计记录第{seq}条已损坏：新增记录的内容无法读取")
                continue
            if values.get("synthetic") is True:
                ids = values.get("case_ids")
                if isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, int) for i in ids):
                    # a synthetic range covers only cases it wrote itself: one appended over
                    # cases with their own history would exempt them from the comparison
                    known = sorted(
                        int(k)
                        for k in state.get("cases", {})
                        if str(k).isdigit() and ids[0] <= int(k) <= ids[1]
                    )
                    if known:
                        check.add(
                            f"审计记录第{seq}条把已有历史记录的案件（第{known[0]}号等{len(known)}件）"
                            "标为合成数据（firecase synth）：合成数据只能是它自己写入的案件"
                            "（历史记录前后不一致）"
                        )
                    synthetic.update(range(ids[0], ids[1] + 1))
                    check.notes.append(
                        f"第{ids[0]}至{ids[1]}号案件为合成数据（firecase synth），未逐行比对。"
                    )
                continue
            if entity_id in records:
                check.add(
                    f"{_label(entity)}第{entity_id}号记录：审计记录第{seq}条再次新增了已存在的"
                    "记录（历史记录前后不一致）"
                )
            records[entity_id] = {str(k): v for k, v in values.items()}
        elif action == "update":
            record = records.get(entity_id)
            if record is None:
                check.add(
                    f"{_label(entity)}第{entity_id}号记录：审计记录第{seq}条修改了一条从未新增的"
                    "记录（历史记录前后不一致）"
                )
                record = records[entity_id] = {}
            elif fld in record and record[fld] != old:
                check.add(
                    f"{_label(entity)}第{entity_id}号记录，字段“{fld}”：审计记录第{seq}条的原值"
                    f"“{_short(old)}”与此前记录的“{_short(record[fld])}”不符（历史记录前后不一致，"
                    "中间有改动未留审计记录）"
                )
            record[fld] = new
        elif action == "delete" and records.pop(entity_id, None) is None:
            check.add(
                f"{_label(entity)}第{entity_id}号记录：审计记录第{seq}条删除了一条不存在的"
                "记录（历史记录前后不一致）"
            )
    return state, synthetic


def _parent_key(table: Table) -> Any:
    """For a table without ``case_id`` whose rows belong to a case through a parent
    (``subgroup_members`` → ``subgroups``): the foreign key to that parent, else None."""
    if table.name == "cases" or "case_id" in table.c:
        return None
    for column in table.c:
        for fk in column.foreign_keys:
            parent = fk.column.table
            if isinstance(parent, Table) and "case_id" in parent.c:
                return fk
    return None


def _case_of(conn: Connection, table: Table) -> tuple[str, dict[str, int]] | None:
    """``_parent_key``'s column and parent id → case id, read from the database."""
    fk = _parent_key(table)
    if fk is None:
        return None
    pairs = conn.execute(select(fk.column, fk.column.table.c.case_id))
    return fk.parent.name, {str(p): int(c) for p, c in pairs if c is not None}


def _differences(
    row: dict[str, Any], want: dict[str, Any], skip: frozenset[str]
) -> Iterator[tuple[str, Any, str | None]]:
    """(column, text the trail holds, text found) of each compared column that differs."""
    for column, value in row.items():
        if column in skip or column not in want:
            continue
        found = audit_text(value)
        if found != want[column]:
            yield column, want[column], found


def _row_case(table: Table, row: dict[str, Any], via: tuple[str, dict[str, int]] | None) -> Any:
    if table.name == "cases":
        return row.get("id")
    if via is not None:
        return via[1].get(str(row.get(via[0])))
    return row.get("case_id")


def _current_rows(
    conn: Connection, table: Table, via: tuple[str, dict[str, int]] | None
) -> Iterator[tuple[str, dict[str, Any], int | None]]:
    pk = list(table.primary_key.columns)
    result = conn.execution_options(yield_per=500).execute(select(table).order_by(*pk))
    for mapping in result.mappings():
        row = dict(mapping)
        key = ",".join(str(row[c.name]) for c in pk)
        case_id = _row_case(table, row, via)
        yield key, row, case_id if isinstance(case_id, int) else None


def replay_check(conn: Connection, progress: Callable[[int], None] | None = None) -> ReplayCheck:
    """Replay the trail and compare every current row of every audited table with it.

    ``progress`` is told the audit rows replayed plus the records compared so far, every
    ``PROGRESS_ROWS`` (the whole is the chain's length plus the rows of the audited tables)."""
    check = ReplayCheck()
    tick = _ticker(progress)
    try:
        state, synthetic = _replayed(conn, check, tick)
    except (DBAPIError, StatementError, UnicodeDecodeError) as exc:
        check.add(f"审计记录无法读取，未能比对数据（案卷文件已损坏）：{type(exc).__name__}")
        return check
    for table in _audited_tables():
        expected = state[table.name]
        skip = _skipped_columns(table)
        via: tuple[str, dict[str, int]] | None = None
        try:
            via = _case_of(conn, table) if synthetic else None
            for key, row, case_id in _current_rows(conn, table, via):
                check.records += 1
                tick()
                if case_id is not None and case_id in synthetic:
                    expected.pop(key, None)
                    continue
                want = expected.pop(key, None)
                if want is None:
                    check.add(
                        f"{_label(table.name)}第{key}号记录不在审计记录中：它是在 FireCase 之外"
                        "写入的"
                    )
                    continue
                for column, wanted, found in _differences(row, want, skip):
                    check.add(
                        f"{_label(table.name)}第{key}号记录，字段“{column}”：审计记录为"
                        f"“{_short(wanted)}”，实际为“{_short(found)}”（在 FireCase 之外"
                        "被改动）"
                    )
        except (DBAPIError, StatementError, UnicodeDecodeError, ValueError, TypeError) as exc:
            check.add(
                f"{_label(table.name)}无法完整读取（有损坏的记录）：{type(exc).__name__}，"
                "其余数据表继续比对"
            )
            continue
        for key, want in expected.items():
            case_id = _row_case(table, want, via)
            if isinstance(case_id, str) and case_id.isdigit():
                case_id = int(case_id)
            if isinstance(case_id, int) and case_id in synthetic:
                continue
            check.add(
                f"{_label(table.name)}第{key}号记录已不存在，审计记录中却没有删除它：它是在"
                " FireCase 之外被删除的"
            )
    _check_attachments(conn, check)
    return check


def replay_export(
    tables: Iterable[tuple[str, list[dict[str, Any]]]], history: list[dict[str, Any]]
) -> ReplayCheck:
    """The same comparison for one exported case (``.fcase``): its audit history replayed
    against its rows. A row removed from the history, or a value changed without its audit
    row, no longer fits. Rows of tables that are not audited are not compared."""
    check = ReplayCheck()
    ordered = sorted(history, key=lambda r: r.get("seq") or 0)
    state, synthetic = _replay_rows(
        (
            (
                r.get("seq"),
                r.get("action"),
                r.get("entity"),
                r.get("entity_id"),
                r.get("field"),
                r.get("old_value"),
                r.get("new_value"),
            )
            for r in ordered
        ),
        check,
    )
    known = {t.name: t for t in _audited_tables()}
    tables = list(tables)
    owner: dict[str, dict[str, int]] = {  # table -> id -> case id (for rows under a parent)
        name: {str(r.get("id")): r["case_id"] for r in rows if isinstance(r.get("case_id"), int)}
        for name, rows in tables
    }
    for name, rows in tables:
        table = known.get(name)
        if table is None:
            continue
        expected = state[name]
        skip = _skipped_columns(table)
        pk = [c.name for c in table.primary_key.columns]
        fk = _parent_key(table)
        via = (fk.parent.name, owner.get(fk.column.table.name, {})) if fk is not None else None
        for row in rows:
            check.records += 1
            case_id = _row_case(table, row, via)
            if isinstance(case_id, int) and case_id in synthetic:
                continue
            key = ",".join(str(row.get(c)) for c in pk)
            want = expected.get(key)
            if want is None:
                check.add(f"{_label(name)}第{key}号记录没有新增它的审计记录")
                continue
            for column, wanted, found in _differences(row, want, skip):
                check.add(
                    f"{_label(name)}第{key}号记录，字段“{column}”：审计记录为"
                    f"“{_short(wanted)}”，文件中为“{_short(found)}”"
                )
    return check


def _check_attachments(conn: Connection, check: ReplayCheck, only: set[int] | None = None) -> None:
    """Every attachment's content (or those of ``only``) is there, of its recorded size, and
    hashes to its SHA-256 (read one piece at a time: a case may hold gigabytes of photos)."""
    from firecase.store import blobs

    table = cast(Table, Attachment.__table__)
    stored = cast(Table, AttachmentBlob.__table__)
    stmt = (
        select(table.c.id, table.c.filename, table.c.size, table.c.sha256, stored.c.size)
        .join_from(table, stored, stored.c.sha256 == table.c.sha256, isouter=True)
        .order_by(table.c.id)
    )
    if only is not None:
        stmt = stmt.where(table.c.id.in_(sorted(only)))
    try:
        rows = conn.execute(stmt).all()
    except (DBAPIError, StatementError, UnicodeDecodeError) as exc:
        check.add(f"附件无法读取：{type(exc).__name__}")
        return
    checked: dict[str, str | None] = {}
    for attachment_id, filename, size, sha, content_size in rows:
        if content_size is None:
            check.add(f"附件第{attachment_id}号“{filename}”的内容不在文件中（{sha}）")
            continue
        if content_size != size:
            check.add(
                f"附件第{attachment_id}号“{filename}”的大小不符：应为 {size} 字节，"
                f"实际为 {content_size} 字节"
            )
            continue
        if sha not in checked:
            try:
                checked[sha] = blobs.content_problems(conn, sha)
            except (DBAPIError, StatementError) as exc:
                checked[sha] = f"无法读取（已损坏）：{type(exc).__name__}"
        if checked[sha] is not None:
            check.add(
                f"附件第{attachment_id}号“{filename}”的内容与其 SHA-256 不符（文件内容已被"
                f"改动或缺失）：{checked[sha]}"
            )


_ANCHOR = re.compile(r"\s*(?:第)?(\d{1,12})(?:条)?\s*[:：]\s*([0-9a-fA-F]{64})\s*")


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as printed on a report, or ``ValidationError`` in Chinese."""
    match = _ANCHOR.fullmatch(text or "")
    if match is None:
        raise ValidationError(
            f"锚点“{text}”格式不对：应为“序号:哈希”，如 1234:3f2a…（哈希为 64 位十六进制，"
            "印在报告签名页的“审计链”一行）。",
            field="anchor",
        )
    return int(match.group(1)), match.group(2).lower()


def verify_anchor(conn: Connection, seq: int, digest: str) -> list[str]:
    """Problems (Chinese) if the trail no longer holds row ``seq`` with hash ``digest``."""
    log = cast(Table, AuditEntry.__table__)
    try:
        row = conn.execute(select(log.c.row_hash).where(log.c.seq == seq)).first()
    except (DBAPIError, StatementError) as exc:
        return [f"无法读取审计记录第{seq}条：{type(exc).__name__}"]
    if row is None:
        return [f"锚点不符：审计记录中已没有第{seq}条（锚点之前的历史被删除或改写）"]
    if str(row[0]).lower() != digest.lower():
        return [
            f"锚点不符：第{seq}条的哈希为 {row[0]}，与报告上印的 {digest} 不同——"
            "打印报告之后，审计历史被改写过（即使整条哈希链重新计算后仍然自洽）"
        ]
    return []
