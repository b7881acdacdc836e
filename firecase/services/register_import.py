"""Bringing existing registers in: whole cases (the intake facts), or the members or parties of
one case, from an Excel register (.xlsx) an office already keeps — or one FireCase exported.

Three steps, as the import dialog takes them:

1. ``read_register`` reads the sheet (``_register_read``: hostile files are refused with a
   message), finds the header row, and proposes which column feeds which field by the header
   names (``FIELDS``: the names FireCase's own registers write come first, then the usual
   synonyms), with the first rows for a preview.
2. ``check_import`` runs the whole import with the mapping the officer confirmed and rolls it
   back: every row goes through the services' own validation (``cases._incident_values`` and
   ``_casualty_values`` as ``open_case``, ``team._member_values``, ``parties._party_values`` and
   ``_subgroup_values`` as ``add_member``, ``add_party`` and ``add_subgroup``) — no second
   validator — and every row that fails is listed with its row number, field, column and
   the service's Chinese reason (``RowProblem``). Cases are validated and numbered but not
   added (deciding their grade and clocks checks nothing: the facts were validated);
   members and parties are added and rolled back.
3. ``import_register`` does the same and commits, in one transaction, only when no row failed;
   otherwise it raises ``RegisterImportError`` with every problem and writes nothing.

What a register cannot carry is not invented: an imported case's grade, inclusion, stage and
clocks are decided from its facts; 第五条第三项、第四项 (who judged, when, why), recusals
(第十五条) and sub-group duties are recorded in the case afterwards. A register's case number
is kept when it is in this file's form and free, otherwise the case gets the next number (and
the result says so); a number already in this file is refused, never duplicated silently.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive
from firecase.services._register_apply import import_cases, import_members, import_parties
from firecase.services._register_fields import FIELDS, IMPORT_KINDS, Row, RowProblem, TargetField
from firecase.services._register_read import (
    MAX_BYTES,
    CellError,
    Sheet,
    SheetError,
    column_letter,
    norm,
    read_sheet,
    shown,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile

PREVIEW_ROWS = 20
_HEADER_SEARCH = 30


@dataclass(frozen=True)
class SheetPreview:
    """What ``read_register`` found: the sheet, the header row, its columns, the proposed
    mapping (field key → column index or None) and the first data rows as shown."""

    kind: str
    sheet: str
    sheets: tuple[str, ...]
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, int | None]
    preview: tuple[tuple[int, tuple[str, ...]], ...]
    data_rows: int
    notes: tuple[str, ...] = ()

    def column_name(self, index: int) -> str:
        """ "C 姓名": the column's letter and header."""
        return f"{column_letter(index)} {self.headers[index]}".strip()


@dataclass(frozen=True)
class RegisterImport:
    """What a check or an import found and did; ``written`` only after ``import_register``."""

    kind: str
    target: str
    rows: int
    imported: tuple[str, ...]
    problems: tuple[RowProblem, ...]
    notices: tuple[str, ...]
    written: bool = False

    def summary(self) -> str:
        """One Chinese sentence: what was (or would be) imported, or how many rows fail."""
        what = IMPORT_KINDS[self.kind]
        if self.problems:
            rows = len({p.row for p in self.problems})
            return f"有 {rows} 行不能导入（共 {len(self.problems)} 处问题），没有导入任何记录。"
        verb = "已导入" if self.written else "可以导入"
        return f"{verb}{what} {len(self.imported)} 条（{self.target}）。"


class RegisterImportError(ValidationError):
    """Rows failed: nothing was imported. ``problems`` lists each with its row and reason."""

    def __init__(self, result: RegisterImport) -> None:
        lines = [p.text for p in result.problems[:20]]
        more = len(result.problems) - len(lines)
        text = result.summary() + "\n" + "\n".join(lines) + (f"\n……另有 {more} 处" if more else "")
        super().__init__(text, field="file")
        self.result = result
        self.problems = result.problems


# --------------------------------------------------------------------------------------------
# reading and mapping
# --------------------------------------------------------------------------------------------


def import_kind(kind: Any) -> str:
    """``kind`` checked against ``IMPORT_KINDS``."""
    if isinstance(kind, str) and kind in IMPORT_KINDS:
        return kind
    names = "、".join(f"{k}（{t}）" for k, t in IMPORT_KINDS.items())
    raise ValidationError(f"导入内容应为以下之一：{names}。", field="kind")


def _read_bytes(source: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    path = Path(source)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SheetError(
                f"“{path.name}”超过台账的上限 {MAX_BYTES // 1024**2} MB，请确认选对了文件。"
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise SheetError(f"找不到文件“{path}”，请重新选择。") from exc
    except IsADirectoryError as exc:
        raise SheetError(f"“{path}”是文件夹，不是 Excel 文件。") from exc
    except OSError as exc:
        raise SheetError(f"无法读取文件“{path.name}”：{exc.strerror or exc}。") from exc


def propose_mapping(kind: str, headers: tuple[str, ...]) -> dict[str, int | None]:
    """Which column each field takes, by header name: first a header equal to one of the
    field's names (FireCase's own first), then one containing a name; each column once."""
    fields = FIELDS[import_kind(kind)]
    keys = [norm(h) for h in headers]
    out: dict[str, int | None] = {f.key: None for f in fields}
    taken: set[int] = set()
    for exact in (True, False):
        for f in fields:
            if out[f.key] is not None:
                continue
            for alias in f.aliases:
                wanted = norm(alias)
                hit = next(
                    (
                        i
                        for i, k in enumerate(keys)
                        if i not in taken and k and (k == wanted if exact else wanted in k)
                    ),
                    None,
                )
                if hit is not None and (exact or len(wanted) >= 2):
                    out[f.key] = hit
                    taken.add(hit)
                    break
    return out


def _header_row(sheet: Sheet, kind: str) -> int:
    names = {norm(a) for f in FIELDS[kind] for a in f.aliases}
    best, best_row = 0, None
    for row_no, values in sheet.rows[:_HEADER_SEARCH]:
        score = sum(1 for x in values if isinstance(x, str) and norm(x) in names)
        if score > best:
            best, best_row = score, row_no
    if best_row is not None and best >= 2:
        return best_row
    for row_no, values in sheet.rows[:_HEADER_SEARCH]:
        if sum(1 for x in values if isinstance(x, str) and x.strip()) >= 2:
            return row_no
    return sheet.rows[0][0]


def _layout(
    sheet: Sheet, kind: str, header_row: int | None
) -> tuple[int, tuple[str, ...], list[tuple[int, tuple[Any, ...]]]]:
    row_no = header_row if header_row is not None else _header_row(sheet, kind)
    found = dict(sheet.rows)
    if row_no not in found:
        raise SheetError(f"第{row_no}行是空行，不能作为表头；请指定写有列名的那一行。")
    data = [(n, cells) for n, cells in sheet.rows if n > row_no]
    width = max([len(found[row_no]), *(len(c) for _, c in data)])
    head = found[row_no]
    headers = tuple(
        shown(head[i]).replace("\n", "").strip() if i < len(head) else "" for i in range(width)
    )
    return row_no, headers, data


def read_register(
    source: str | os.PathLike[str] | bytes,
    kind: str,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
) -> SheetPreview:
    """Read the register file: the sheet, header row (found when None), proposed mapping and
    the first rows. Raises ``SheetError`` (a ``ValidationError``) for a file that cannot be
    read as a register."""
    slug = import_kind(kind)
    read = read_sheet(_read_bytes(source), sheet)
    row_no, headers, data = _layout(read, slug, header_row)
    if not data:
        raise SheetError(f"工作表“{read.name}”在表头（第{row_no}行）下面没有数据行。")
    notes = []
    if read.wide:
        notes.append(f"第 200 列以后的内容未读取（工作表“{read.name}”有更多列）。")
    if read.formulas:
        notes.append(
            f"有 {len(read.formulas)} 个单元格是公式：FireCase 不计算公式，用到的列须先在 Excel 中"
            "“选择性粘贴为数值”。"
        )
    preview = tuple(
        (n, tuple(shown(cells[i]) if i < len(cells) else "" for i in range(len(headers))))
        for n, cells in data[:PREVIEW_ROWS]
    )
    return SheetPreview(
        slug,
        read.name,
        read.names,
        row_no,
        headers,
        propose_mapping(slug, headers),
        preview,
        len(data),
        tuple(notes),
    )


# --------------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------------


def _rows(
    read: Sheet,
    data: list[tuple[int, tuple[Any, ...]]],
    fields: tuple[TargetField, ...],
    mapping: Mapping[str, int | None],
    header_row: int,
    problems: list[RowProblem],
) -> list[Row]:
    labels = {f.key: f.label for f in fields}
    mapped = {k: i for k, i in mapping.items() if i is not None}
    columns = set(mapped.values())
    merged: set[int] = set()  # rows of a merged range: the services are not asked about them
    for top, left, bottom, right in read.merged:  # only a range's first cell has a value
        if bottom < header_row or not any(left - 1 <= c <= right - 1 for c in columns):
            continue
        merged.update(range(top, bottom + 1))
        where = f"{column_letter(left - 1)}{top}:{column_letter(right - 1)}{bottom}"
        problems.append(
            RowProblem(
                max(top, header_row),
                "",
                "",
                f"合并单元格 {where}：只有第一格有值。"
                "请在 Excel 中取消合并并在每一行填写后再导入。",
            )
        )
    rows = []
    for n, cells in data:
        row = Row(n, {}, dict(mapped), labels, failed=n in merged)
        for f in fields:
            i = mapped.get(f.key)
            if i is None:
                continue
            if (n, i) in read.formulas:
                row.failed = True
                problems.append(
                    row.problem(
                        f"单元格是公式（{read.formulas[(n, i)][:40]}）：FireCase 不计算公式，"
                        "请在 Excel 中“选择性粘贴为数值”后再导入。",
                        f.key,
                    )
                )
                continue
            if (n, i) in read.errors:
                row.failed = True
                problems.append(row.problem(f"单元格是错误值 {read.errors[(n, i)]}。", f.key))
                continue
            try:
                row.values[f.key] = f.convert(cells[i] if i < len(cells) else None)
            except CellError as exc:
                row.failed = True
                problems.append(row.problem(f"{f.label}{exc.message}。", f.key))
        rows.append(row)
    return rows


def _check_mapping(kind: str, mapping: Mapping[str, int | None], width: int) -> None:
    fields = {f.key: f for f in FIELDS[kind]}
    seen: dict[int, str] = {}
    for key, index in mapping.items():
        if key not in fields:
            raise ValidationError(f"没有名为“{key}”的导入字段。", field="mapping")
        if index is None:
            continue
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < width:
            raise ValidationError(f"“{fields[key].label}”对应的列不存在。", field="mapping")
        if index in seen:
            raise ValidationError(
                f"{column_letter(index)}列同时对应“{seen[index]}”和“{fields[key].label}”，"
                "每一列只能对应一项。",
                field="mapping",
            )
        seen[index] = fields[key].label
    missing = [f.label for f in fields.values() if f.required and mapping.get(f.key) is None]
    if missing:
        raise ValidationError(f"请为“{'”“'.join(missing)}”选择台账中对应的列。", field="mapping")


def _only_this_case(rows: list[Row], case_no: str, notices: list[str]) -> list[Row]:
    numbers = {r.text("case_no").strip() for r in rows} - {""}
    if not numbers or numbers == {case_no}:
        return rows
    if case_no in numbers:
        kept = [r for r in rows if r.text("case_no").strip() in ("", case_no)]
        notices.append(
            f"台账中其他案件的 {len(rows) - len(kept)} 行未导入（只导入 {case_no} 的）。"
        )
        return kept
    if len(numbers) == 1:
        notices.append(f"台账中的案件编号是“{numbers.pop()}”，导入到本案件（{case_no}）。")
        return rows
    shown_numbers = "、".join(sorted(numbers)[:5])
    raise SheetError(
        f"台账中有多个案件的记录（{shown_numbers}），其中没有本案件（{case_no}）的。请在 Excel 中"
        "只保留一个案件的行后再导入。"
    )


# --------------------------------------------------------------------------------------------
# the three imports, inside one unit of work
# --------------------------------------------------------------------------------------------


def _run(
    cf: CaseFile,
    source: str | os.PathLike[str] | bytes,
    kind: str,
    mapping: Mapping[str, int | None],
    *,
    case: int | None,
    sheet: str | None,
    header_row: int | None,
    actor: str | None,
    today: dt.date | None,
    write: bool,
) -> RegisterImport:
    slug = import_kind(kind)
    now = v.today_or(today)
    if slug != "cases" and case is None:
        raise ValidationError("请选择要导入到哪个案件。", field="case")
    read = read_sheet(_read_bytes(source), sheet)
    row_no, headers, data = _layout(read, slug, header_row)
    if not data:
        raise SheetError(f"工作表“{read.name}”在表头（第{row_no}行）下面没有数据行。")
    if not isinstance(mapping, Mapping):
        raise ValidationError("列的对应关系格式不正确。", field="mapping")
    _check_mapping(slug, mapping, len(headers))
    fields = FIELDS[slug]
    problems: list[RowProblem] = []
    notices: list[str] = []
    rows = _rows(read, data, fields, mapping, row_no, problems)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        if slug == "cases":
            target = "本案卷"
            done = import_cases(s, uow.actor, rows, now, problems, notices, insert=write)
        else:
            the_case = v.load_case(s, case)
            target = the_case.case_no
            rows = _only_this_case(rows, the_case.case_no, notices)
            if slug == "members":
                done = import_members(s, uow, the_case, rows, problems, notices)
            else:
                done = import_parties(s, the_case, rows, problems)
            s.flush()
            if not problems:
                _derive.refresh_derived(s, the_case, now)
        problems.sort(key=lambda p: p.row)
        result = RegisterImport(
            slug, target, len(rows), tuple(done), tuple(problems), tuple(notices), False
        )
        if write and not problems:
            uow.commit()
            return RegisterImport(slug, target, len(rows), tuple(done), (), tuple(notices), True)
    if write:
        raise RegisterImportError(result)
    return result


@requires(Permission.RECORD)
def check_import(
    cf: CaseFile,
    source: str | os.PathLike[str] | bytes,
    kind: str,
    mapping: Mapping[str, int | None],
    *,
    case: int | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> RegisterImport:
    """The import of ``source`` with ``mapping``, run through the services and rolled back:
    every row's problems, and what would be imported. Writes nothing."""
    return _run(
        cf,
        source,
        kind,
        mapping,
        case=case,
        sheet=sheet,
        header_row=header_row,
        actor=actor,
        today=today,
        write=False,
    )


@requires(Permission.RECORD)
def import_register(
    cf: CaseFile,
    source: str | os.PathLike[str] | bytes,
    kind: str,
    mapping: Mapping[str, int | None],
    *,
    case: int | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> RegisterImport:
    """Import ``source``: cases into the case file, members or parties into case ``case``
    (its id), in one transaction; ``RegisterImportError`` (nothing written) when a row fails."""
    return _run(
        cf,
        source,
        kind,
        mapping,
        case=case,
        sheet=sheet,
        header_row=header_row,
        actor=actor,
        today=today,
        write=True,
    )


__all__ = [
    "FIELDS",
    "IMPORT_KINDS",
    "RegisterImport",
    "RegisterImportError",
    "RowProblem",
    "SheetError",
    "SheetPreview",
    "check_import",
    "import_register",
    "propose_mapping",
    "read_register",
]
