"""What an imported case (``.fcase``) must satisfy before a row of it is written.

An export file is a zip anyone can unpack, edit and re-hash: its manifest proves only that the
members fit together, not that FireCase wrote them. So every row is held to what the services
would have accepted from a user, before anything is inserted:

* every column by its type: text without NUL, other control characters or lone surrogates
  (``store.textcheck``), within the column's length; integers within 64 bits; amounts of
  money non-negative, at most two decimals and within ``MAX_YUAN``; dates from 1949-10-01 to
  2200; booleans as booleans; a required column not empty (a column the export predates
  takes its default);
* every column the services fill from a fixed list (fire type, the member's body and role,
  evidence kinds, decisions …) holds one of the list's values;
* extensions: each 1–60 days and at most 60 days approved in all (第十七条);
* attachments: at most ``MAX_ATTACHMENT_BYTES``, the recorded size the real one, and a file
  name reduced to a bare name (no folders, no ``..``, no control characters) before it is
  stored, so 附件另存为 can never propose a path outside the folder the officer picks;
* the case's audit history: sequence numbers strictly increasing and, where two rows are
  consecutive in the chain, the second linked to the first.

The recomputed data (stage, next due date, the clock board, the search text) is not trusted
at all: ``transfer.import_case`` recomputes it from the imported facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
)

from firecase.services import _common as v, _judgement
from firecase.services._dump import DamagedFileError
from firecase.services.deadlines import MAX_EXTENSION_DAYS
from firecase.services.doc_kinds import DOCUMENT_KINDS, FILE_FORMATS
from firecase.services.dto import (
    APPLICANT_KINDS,
    APPRAISAL_KINDS,
    CAUSE_KINDS,
    CUSTODY_ACTIONS,
    EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS,
    EVIDENCE_KINDS,
    MEASURE_STATUSES,
    PARTY_ROLES,
    PERSON_ROLES,
    PERSON_SEXES,
    RECOMMENDATION_KINDS,
    RECUSAL_DECISIONS,
    RESPONSIBILITY_AREAS,
    TARGET_KINDS,
)
from firecase.services.evidence import MAX_ATTACHMENT_BYTES
from firecase.services.guards import GUARDS
from firecase.store.audit import row_hash
from firecase.store.models import DERIVED_CASE_COLUMNS
from firecase.store.replay import LABELS
from firecase.store.textcheck import bad_character

_MAX_LONG_TEXT = 10 * v.MAX_TEXT  # a Text column (report bodies, reasons, stored JSON)
_INT64 = 2**63


def _fixed(values: Sequence[str], *, blank: bool = False) -> Callable[[], Sequence[str]]:
    allowed = (*values, "") if blank else tuple(values)
    return lambda: allowed


# (table, column) -> the values the services allow there ("" where a blank is stored)
CHOICES: dict[tuple[str, str], Callable[[], Sequence[str]]] = {
    ("cases", "fire_type"): _judgement.fire_types,
    ("parties", "kind"): _judgement.party_kinds,
    ("parties", "role"): _fixed(PARTY_ROLES),
    ("team_members", "body"): _judgement.bodies,
    ("team_members", "role"): _judgement.team_roles,
    ("recusal_applications", "applicant_kind"): _fixed(APPLICANT_KINDS),
    ("recusal_applications", "decision"): _fixed(RECUSAL_DECISIONS, blank=True),
    ("evidence_items", "kind"): _fixed(EVIDENCE_KINDS),
    ("custody_events", "action"): _fixed(CUSTODY_ACTIONS),
    ("appraisals", "kind"): _fixed(APPRAISAL_KINDS),
    ("findings", "area"): _fixed(RESPONSIBILITY_AREAS),
    ("causes", "kind"): _fixed(CAUSE_KINDS),
    ("recommendations", "target_kind"): _fixed(TARGET_KINDS),
    ("recommendations", "area"): _fixed(RESPONSIBILITY_AREAS),
    ("recommendations", "kind"): _fixed(RECOMMENDATION_KINDS),
    ("evaluation_items", "kind"): _fixed(EVALUATION_ITEM_KINDS),
    ("evaluation_items", "result"): _fixed(EVALUATION_RESULTS, blank=True),
    ("rectification_measures", "status"): _fixed(MEASURE_STATUSES),
    ("persons", "role"): _fixed(PERSON_ROLES),
    ("persons", "sex"): _fixed([s for s in PERSON_SEXES if s != "不详"], blank=True),
    ("grade_decisions", "grade"): lambda: (*_judgement.grades(), ""),
    ("case_documents", "kind"): _fixed([k.key for k in DOCUMENT_KINDS]),
    ("case_documents", "file_format"): _fixed(FILE_FORMATS),
    ("guard_reasons", "guard"): _fixed(list(GUARDS)),
}

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_filename(name: Any, fallback: str = "附件") -> str:
    """A bare file name: the last part of any path, without control or reserved characters,
    leading dots or trailing dots and spaces; ``fallback`` when nothing is left."""
    text = str(name or "")
    text = text.replace("\\", "/").split("/")[-1]
    text = "".join(ch for ch in text if not bad_character(ch))
    text = _UNSAFE.sub("_", text).strip().lstrip(".").rstrip(". ")
    return text[:255] or fallback


def _label(table: str) -> str:
    return LABELS.get(table, table)


def _kind(column: Any) -> Any:
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _column_problem(table: Table, column: Any, value: Any) -> str | None:
    """Why ``value`` may not stand in ``column`` (None when it may)."""
    if value is None:
        return None if column.nullable or column.primary_key else "不能为空"
    kind = _kind(column)
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "应为是或否"
    if isinstance(kind, DateTime):
        return None if isinstance(value, dt.datetime) else "应为日期时间"
    if isinstance(kind, Date):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            return "应为日期"
        if not v.MIN_DATE <= value <= v.MAX_DATE:
            return f"日期 {value.isoformat()} 不在 {v.MIN_DATE.year}—{v.MAX_DATE.year} 年之间"
        return None
    if isinstance(kind, Numeric):
        if not isinstance(value, Decimal) or not value.is_finite():
            return "应为金额"
        if value < 0 or value > v.MAX_YUAN or value != value.quantize(Decimal("0.01")):
            return f"金额 {value} 不在 0 至 {v.MAX_YUAN} 元之间或超过两位小数"
        return None
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= _INT64:
            return "应为整数"
        return None
    if isinstance(kind, LargeBinary):
        return None if isinstance(value, bytes) else "应为文件内容"
    if isinstance(kind, (String, Text)):
        if not isinstance(value, str):
            return "应为文字"
        if problem := bad_character(value):
            return f"含有无法保存的字符：{problem}"
        limit = getattr(kind, "length", None) or _MAX_LONG_TEXT
        if len(value) > limit:
            return f"过长（{len(value)} 个字，最多 {limit} 个）"
        choices = CHOICES.get((table.name, column.name))
        if choices is not None and value not in choices():
            shown = "、".join(c for c in choices() if c) or "（空）"
            return f"“{value[:40]}”不是可选的值（应为：{shown}）"
        return None
    return None


def check_rows(
    tables: Sequence[tuple[Table, list[dict[str, Any]]]],
    source: str,
    content_sizes: Mapping[str, int],
) -> None:
    """Refuse (``DamagedFileError``) the first row the services would not have accepted.

    ``content_sizes``: the real size of each attachment content the file carries, by SHA-256
    (from the zip's directory, before anything is read)."""
    approved_days = 0
    for table, rows in tables:
        for position, row in enumerate(rows, start=1):
            where = f"“{source}”中{_label(table.name)}第{position}条记录"
            for column in table.columns:
                if table.name == "cases" and column.name in DERIVED_CASE_COLUMNS:
                    continue  # recomputed on import, never taken from the file
                if column.name not in row:
                    continue  # an export from before the column existed: its default applies
                problem = _column_problem(table, column, row[column.name])
                if problem is not None:
                    raise DamagedFileError(
                        f"{where}的“{column.name}”{problem}，FireCase 不会接受这样的数据，"
                        "拒绝导入。"
                    )
            if table.name == "extensions":
                days = row.get("days")
                if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
                    raise DamagedFileError(
                        f"{where}的延长天数为 {days}，应为 1 至 {MAX_EXTENSION_DAYS} 天"
                        "（第十七条），拒绝导入。"
                    )
                if row.get("approved_on") is not None:
                    approved_days += days
                    if approved_days > MAX_EXTENSION_DAYS:
                        raise DamagedFileError(
                            f"“{source}”中经批准的延长共 {approved_days} 天，超过第十七条规定的"
                            f" {MAX_EXTENSION_DAYS} 天，拒绝导入。"
                        )
            if table.name == "attachments":
                size = content_sizes.get(str(row.get("sha256")))
                if size is None:
                    raise DamagedFileError(
                        f"{where}（{safe_filename(row.get('filename'))}）的内容不在文件中，"
                        "文件不完整，拒绝导入。"
                    )
                if size > MAX_ATTACHMENT_BYTES:
                    raise DamagedFileError(
                        f"{where}（{safe_filename(row.get('filename'))}）有 "
                        f"{size / 1024 / 1024:.0f} MB，超过每个附件 "
                        f"{MAX_ATTACHMENT_BYTES // 1024 // 1024} MB 的上限，拒绝导入。"
                    )
                if row.get("size") != size:
                    raise DamagedFileError(
                        f"{where}登记的大小与实际内容不符，文件可能被改动，拒绝导入。"
                    )


def check_history(history: Sequence[dict[str, Any]], source: str) -> None:
    """The exported audit rows: each matching its own hash, strictly increasing, and linked
    where consecutive."""
    previous: dict[str, Any] | None = None
    for row in history:
        try:
            hashed = row_hash(row) == row.get("row_hash")
        except (KeyError, TypeError, ValueError):  # ValueError: a lone surrogate
            hashed = False
        if not hashed:
            raise DamagedFileError(
                f"“{source}”中的审计记录（第{row.get('seq')}条）与其哈希不符，"
                "文件可能被改动，拒绝导入。"
            )
        seq = row.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise DamagedFileError(f"“{source}”中的审计记录序号无效，拒绝导入。")
        if previous is not None:
            if seq <= previous["seq"]:
                raise DamagedFileError(
                    f"“{source}”中的审计记录顺序被打乱（第{seq}条排在第{previous['seq']}条之后），"
                    "文件可能被改动，拒绝导入。"
                )
            if seq == previous["seq"] + 1 and row.get("prev_hash") != previous.get("row_hash"):
                raise DamagedFileError(
                    f"“{source}”中的审计记录第{seq}条没有接上第{previous['seq']}条"
                    "（链接断开），文件可能被改动，拒绝导入。"
                )
        previous = row


def make_names_safe(tables: Sequence[tuple[str, list[dict[str, Any]]]]) -> int:
    """Reduce every attachment's file name to a bare name, in place; returns how many
    changed. (FireCase itself never stores a path there: only an edited file can.)"""
    changed = 0
    for name, rows in tables:
        if name != "attachments":
            continue
        for row in rows:
            safe = safe_filename(row.get("filename"))
            if safe != row.get("filename"):
                row["filename"] = safe
                changed += 1
    return changed
