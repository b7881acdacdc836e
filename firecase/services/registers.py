"""Registers (台账) in Excel: the lists an office keeps of its cases, read from the case file.

``REGISTERS`` names each register by an English slug (the CLI's ``KIND``) with its Chinese
title: 案件台账 (every case: the fire, its grade and the standard that graded it, the items of
第五条, whether and how the measures apply, the stage, and each clock's due date and status),
期限台账 (every open clock, overdue first, with how it was computed and its basis), 调查组名单,
当事人名单, 证据清单 (with the custody chain and each attachment's SHA-256), 处理建议台账
(target, kind, acting authority and its 第二十条 clock, feedback, 备案, judicial transfer) and
整改台账 (measure, unit, deadline, status, the evaluation's result). The case registers take
every case, or one (``case``). ``register_table`` gathers the rows (a handful of batched
queries, never one query per case) and ``_register_xlsx`` lays them out; ``export_register``
writes the file atomically; ``firecase export-register KIND -o FILE.xlsx --db PATH``.

Every decision the register shows names its basis: the grade its standard (``定级标准``), the
inclusion the items of 第五条, the measures' application its reason and articles, each clock
column its article, the deadline register the explanation and basis of every clock.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from firecase.errors import CaseFileError, FirecaseError, ValidationError
from firecase.services import _common as v, _derive, _register_rows as r
from firecase.services._register_rows import CLOCK_COLUMNS
from firecase.services._register_xlsx import (
    AREA,
    COUNT,
    DATE,
    DAYS,
    LONG,
    MONEY,
    Column,
    RegisterTable,
    workbook_bytes,
)
from firecase.store import CaseFile, open_case_file

REGISTERS: dict[str, str] = {
    "cases": "案件台账",
    "deadlines": "期限台账",
    "members": "调查组名单",
    "parties": "当事人名单",
    "evidence": "证据清单",
    "recommendations": "处理建议台账",
    "rectification": "整改台账",
}
"""Every register: the slug (``firecase export-register KIND``) and its Chinese title."""

CASE_REGISTERS = frozenset({"members", "parties", "evidence", "recommendations", "rectification"})
"""The registers of a case's records: every case's, or one case's (``case=``)."""

NO, CASE_NO, CASE_TITLE = "序号", "案件编号", "案件名称"

CASE_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("起火日期", DATE),
    Column("起火时间"),
    Column("起火地点"),
    Column("详细地址"),
    Column("起火单位（场所）"),
    Column("火灾类别"),
    Column("死亡人数", COUNT),
    Column("重伤人数", COUNT),
    Column("轻伤人数", COUNT),
    Column("伤亡截至日期", DATE),
    Column("直接财产损失", MONEY),
    Column("直接经济损失", MONEY),
    Column("受灾户数", COUNT),
    Column("过火面积（平方米）", AREA),
    Column("事故性质"),
    Column("火灾等级"),
    Column("定级标准"),
    Column("纳入调查"),
    Column("纳入条款"),
    Column("适用情况", LONG),
    Column("办理阶段"),
    *(
        col
        for _, name, article in CLOCK_COLUMNS
        for col in (Column(f"{name}（{article}）", DATE), Column(f"{name}状态"))
    ),
    Column("简要情况", LONG),
)
DEADLINE_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("期限"),
    Column("对象"),
    Column("起算日", DATE),
    Column("到期日", DATE),
    Column("剩余天数", DAYS),
    Column("状态"),
    Column("计算说明", LONG),
    Column("依据"),
)
MEMBER_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("姓名"),
    Column("所在单位"),
    Column("本单位职务"),
    Column("调查组职务"),
    Column("所代表的机关"),
    Column("工作组"),
    Column("加入日期", DATE),
    Column("专长"),
    Column("申报的近亲属"),
    Column("在组情况"),
    Column("退出日期", DATE),
)
PARTY_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("类别"),
    Column("名称或姓名"),
    Column("身份"),
    Column("所在单位"),
    Column("近亲属"),
    Column("联系方式"),
    Column("备注", LONG),
)
EVIDENCE_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("证据编号"),
    Column("证据名称"),
    Column("类别"),
    Column("说明", LONG),
    Column("提取日期", DATE),
    Column("提取人"),
    Column("存放地点"),
    Column("保管链", LONG),
    Column("当前保管人"),
    Column("附件", LONG),
    Column("附件SHA-256", LONG, max_width=68),
)
RECOMMENDATION_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("处理对象"),
    Column("对象类别"),
    Column("责任领域（第十六条）"),
    Column("处理建议"),
    Column("建议内容", LONG),
    Column("依据", LONG),
    Column("执行机关"),
    Column("处理备案期限（第二十条）", DATE),
    Column("期限状态"),
    Column("反馈情况", LONG),
    Column("反馈日期", DATE),
    Column("备案日期", DATE),
    Column("移送司法机关日期", DATE),
    Column("移送至"),
)
MEASURE_COLUMNS = (
    Column(NO, COUNT),
    Column(CASE_NO),
    Column(CASE_TITLE),
    Column("整改措施", LONG),
    Column("责任单位"),
    Column("提出日期", DATE),
    Column("整改期限（第二十四条）", DATE),
    Column("完成日期", DATE),
    Column("落实情况"),
    Column("期限状态"),
    Column("来源"),
    Column("评估结果（第二十三条）"),
    Column("评估日期", DATE),
    Column("评估说明", LONG),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "cases": CASE_COLUMNS,
    "deadlines": DEADLINE_COLUMNS,
    "members": MEMBER_COLUMNS,
    "parties": PARTY_COLUMNS,
    "evidence": EVIDENCE_COLUMNS,
    "recommendations": RECOMMENDATION_COLUMNS,
    "rectification": MEASURE_COLUMNS,
}
"""The header of each register, in order (the import proposes mappings by these names)."""

_WITH_CLOCKS = frozenset({"cases", "recommendations", "rectification"})


@dataclass(frozen=True)
class RegisterExport:
    """What ``export_register`` wrote: the file, the register and how many rows."""

    path: Path
    kind: str
    title: str  # as the sheet's title row: "调查组名单（天消调〔2026〕第001号 …）"
    rows: int

    @property
    def name(self) -> str:
        """The register's name: "调查组名单"."""
        return REGISTERS[self.kind]


# --------------------------------------------------------------------------------------------
# the register
# --------------------------------------------------------------------------------------------


def register_kind(kind: Any) -> str:
    """``kind`` checked against ``REGISTERS`` (a slug or a Chinese title)."""
    if isinstance(kind, str):
        key = kind.strip()
        if key in REGISTERS:
            return key
        for slug, title in REGISTERS.items():
            if key == title:
                return slug
    names = "、".join(f"{slug}（{title}）" for slug, title in REGISTERS.items())
    raise ValidationError(f"台账种类应为以下之一：{names}。", field="kind")


def register_table(
    cf: CaseFile,
    kind: str,
    *,
    case: int | str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> RegisterTable:
    """The rows of register ``kind`` (every case, or one: its id or number) on ``today``."""
    from firecase.services.reading import find_case_id, get_case_summary
    from firecase.services.settings import read_settings

    slug = register_kind(kind)
    day = v.today_or(today)
    made = now or dt.datetime.now()
    case_id: int | None = None
    if case is not None:
        case_id = get_case_summary(cf, case).id if isinstance(case, int) else find_case_id(cf, case)
    _derive.refresh_stale(cf, day)
    clocks = r.clocks(cf, case_id, day) if slug in _WITH_CLOCKS else {}
    if slug == "deadlines":
        rows = r.deadline_rows(cf, case_id, day)
    with cf.unit_of_work() as uow:
        s = uow.session
        organisation = read_settings(s).organisation_name
        cases = r.scope(s, case_id)
        if slug == "cases":
            rows = r.case_rows(s, cases, clocks)
        elif slug == "members":
            rows = r.member_rows(s, cases, day)
        elif slug == "parties":
            rows = r.party_rows(s, cases)
        elif slug == "evidence":
            rows = r.evidence_rows(s, cases)
        elif slug == "recommendations":
            rows = r.recommendation_rows(s, cases, clocks)
        elif slug == "rectification":
            rows = r.measure_rows(s, cases, clocks)
        title = REGISTERS[slug]
        if case_id is not None and cases:
            title += f"（{cases[0].case_no} {cases[0].title}）"
    return RegisterTable(
        kind=slug,
        title=title,
        organisation=organisation,
        made_at=made,
        columns=COLUMNS[slug],
        rows=tuple(rows),
        sheet_name=REGISTERS[slug],
        freeze_columns=2 if slug == "cases" else 0,
        wide=slug == "cases",
    )


def export_register(
    cf: CaseFile,
    kind: str,
    dest: str | os.PathLike[str],
    *,
    case: int | str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    overwrite: bool = False,
) -> RegisterExport:
    """Write register ``kind`` to ``dest`` (.xlsx, atomically; an existing file is refused
    unless ``overwrite``)."""
    slug = register_kind(kind)
    target = Path(dest).expanduser().resolve()
    if target.suffix.lower() != ".xlsx":
        raise ValidationError("台账文件的扩展名应为 .xlsx（Excel 工作簿）。", field="dest")
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", field="dest")
    if target.exists() and not overwrite:
        raise ValidationError(f"文件“{target.name}”已存在，请另选文件名。", field="dest")
    table = register_table(cf, slug, case=case, today=today, now=now)
    data = workbook_bytes(table)
    part = target.with_name(target.name + ".part")
    try:
        part.write_bytes(data)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ValidationError(
            f"无法写入“{target.name}”：{exc.strerror or exc}（文件是否正在 Excel 或 WPS 中打开？）",
            field="dest",
        ) from exc
    return RegisterExport(target, slug, table.title, len(table.rows))


def export_register_command(args: argparse.Namespace) -> int:
    """``firecase export-register KIND -o FILE.xlsx --db PATH [--case CASE_NO] [--today D]``."""
    try:
        today = None
        if getattr(args, "today", None):
            try:
                today = dt.date.fromisoformat(args.today)
            except ValueError as exc:
                raise ValidationError("--today 应为日期，如 2026-12-03。", field="today") from exc
        slug = register_kind(args.kind)
        if "://" not in str(args.db) and not Path(args.db).is_file():  # never create one
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = export_register(
                cf, slug, args.output, case=args.case, today=today, overwrite=bool(args.force)
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已导出{result.title}：{result.rows} 条，写入 {result.path}")
    return 0
