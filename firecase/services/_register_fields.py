"""The fields a register import fills, and one data row as it goes through the services.

``FIELDS`` lists, for each import (cases, members, parties), the service input's attribute it
feeds, its Chinese label (``*``: a column must be chosen for it), how a cell is read, and the
header names that propose a column — the names FireCase's own registers write first
(``registers.COLUMNS``), then the synonyms offices use. A ``RowProblem`` is one row that
cannot be imported, with the field and column at fault and the service's reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from firecase.errors import FirecaseError
from firecase.services._register_read import (
    as_area,
    as_count,
    as_date,
    as_money,
    as_names,
    as_text,
    as_time,
    column_letter,
)

IMPORT_KINDS: dict[str, str] = {
    "cases": "案件（立案信息）",
    "members": "调查组成员",
    "parties": "当事人",
}
"""What a register can bring in: the slug and what the dialog calls it."""

_READERS: dict[str, Callable[[Any], Any]] = {
    "text": as_text,
    "time": as_time,
    "date": as_date,
    "money": as_money,
    "area": as_area,
    "count": as_count,
    "names": as_names,
}

_CASE_NO = ("case_no", "案件编号", "text", "案件编号 案号 编号")
_SPEC: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "cases": (
        _CASE_NO,
        ("title", "案件名称*", "text", "案件名称 火灾名称 事故名称 名称"),
        ("fire_date", "起火日期*", "date", "起火日期 发生日期 火灾发生日期 日期"),
        ("fire_time", "起火时间", "time", "起火时间 发生时间 时间"),
        ("place", "起火地点*", "text", "起火地点 发生地点 火灾地点 地点"),
        ("address", "详细地址", "text", "详细地址 地址"),
        ("unit_name", "起火单位（场所）", "text", "起火单位（场所） 起火单位 起火场所"),
        ("fire_type", "火灾类别*", "text", "火灾类别 火灾类型 类别"),
        ("deaths", "死亡人数", "count", "死亡人数 死亡"),
        ("serious_injuries", "重伤人数", "count", "重伤人数 重伤"),
        ("minor_injuries", "轻伤人数", "count", "轻伤人数 轻伤"),
        ("as_of", "伤亡截至日期", "date", "伤亡截至日期 伤亡统计日期 截至日期"),
        ("property_loss_yuan", "直接财产损失（元）*", "money", "直接财产损失 财产损失"),
        ("economic_loss_yuan", "直接经济损失（元）*", "money", "直接经济损失 经济损失"),
        ("households_affected", "受灾户数", "count", "受灾户数 受灾户"),
        ("burned_area_m2", "过火面积（平方米）", "area", "过火面积（平方米） 过火面积"),
        ("nature", "事故性质", "text", "事故性质 性质"),
        ("summary", "简要情况", "text", "简要情况 简要案情 基本情况 概况"),
    ),
    "members": (
        _CASE_NO,
        ("name", "姓名*", "text", "姓名 成员姓名 名字"),
        ("organisation", "所在单位*", "text", "所在单位 工作单位 单位"),
        ("title", "本单位职务", "text", "本单位职务 职务 职称"),
        ("role", "调查组职务*", "text", "调查组职务 组内职务 担任职务"),
        ("body", "所代表的机关*", "text", "所代表的机关 代表机关 机关类别"),
        ("subgroups", "工作组", "names", "工作组 专项小组 小组"),
        ("joined_on", "加入日期", "date", "加入日期 入组日期 加入时间"),
        ("expertise", "专长", "text", "专长 专业特长 专业"),
        ("relatives", "申报的近亲属", "names", "申报的近亲属 近亲属 亲属"),
    ),
    "parties": (
        _CASE_NO,
        ("kind", "类别*", "text", "类别 当事人类别 类型"),
        ("name", "名称或姓名*", "text", "名称或姓名 姓名 名称 当事人"),
        ("role", "身份", "text", "身份 当事人身份"),
        ("organisation", "所在单位", "text", "所在单位 工作单位 单位"),
        ("relatives", "近亲属", "names", "近亲属 亲属"),
        ("contact", "联系方式", "text", "联系方式 联系电话 电话"),
        ("note", "备注", "text", "备注 说明"),
    ),
}
_HINTS = {
    ("cases", "case_no"): "本案卷格式的编号且未被使用时保留，否则按本案卷规则另编",
    ("cases", "as_of"): "伤亡人数成立的日期；空时取起火日期",
    ("members", "case_no"): "用于核对：只导入本案件编号的行",
    ("parties", "case_no"): "用于核对：只导入本案件编号的行",
    ("members", "subgroups"): "如“技术组（组长）、综合组”；须调查组组长或管理员导入",
    ("members", "joined_on"): "空时取调查组成立日期（第八条）",
    ("parties", "role"): "空时为“当事人”",
}
_SERVICE_FIELDS = {("members", "subgroups"): ("member_ids", "leader_id", "name")}


@dataclass(frozen=True)
class TargetField:
    """A field an imported row fills: its key (the service input's attribute), Chinese label,
    how a cell becomes its value, the header names that propose it, whether a column must be
    chosen, a hint for the dialog, and the ``field`` names of the services'
    ``ValidationError`` it answers for."""

    key: str
    label: str
    convert: Callable[[Any], Any]
    aliases: tuple[str, ...]
    required: bool = False
    hint: str = ""
    service_fields: tuple[str, ...] = ()


FIELDS: dict[str, tuple[TargetField, ...]] = {
    kind: tuple(
        TargetField(
            key,
            label.rstrip("*"),
            _READERS[reader],
            tuple(aliases.split()),
            label.endswith("*"),
            _HINTS.get((kind, key), ""),
            _SERVICE_FIELDS.get((kind, key), (key,)),
        )
        for key, label, reader, aliases in spec
    )
    for kind, spec in _SPEC.items()
}
"""The fields of each import, in the dialog's order."""


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported: its sheet row, the field and column at fault (when one
    is), and the reason."""

    row: int
    field: str
    column: str
    message: str

    @property
    def text(self) -> str:
        """ "第5行（起火日期，D列）：起火日期应为日期。"."""
        where = "，".join(x for x in (self.field, f"{self.column}列" if self.column else "") if x)
        return f"第{self.row}行{f'（{where}）' if where else ''}：{self.message}"


@dataclass
class Row:
    """One data row: the value read from every mapped field's cell, and where it came from."""

    row: int
    values: dict[str, Any]
    columns: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)
    failed: bool = False  # a cell could not be read: the services are not asked about the row

    def get(self, key: str, default: Any = None) -> Any:
        """The value, or ``default`` for an empty cell or a field not mapped."""
        value = self.values.get(key)
        return default if value is None or value == "" or value == () else value

    def text(self, key: str) -> str:
        """The value as text ("" when empty)."""
        return str(self.values.get(key) or "")

    def problem(self, message: str, key: str | None = None) -> RowProblem:
        """A problem of this row, at field ``key`` when given."""
        column = self.columns.get(key) if key else None
        return RowProblem(
            self.row,
            self.labels.get(key, "") if key else "",
            column_letter(column) if column is not None else "",
            message,
        )

    def refused(self, exc: FirecaseError, kind: str) -> RowProblem:
        """The problem a service's refusal makes: at the field its ``field`` names."""
        target = next((f for f in FIELDS[kind] if exc.field in f.service_fields), None)
        return self.problem(exc.message, target.key if target is not None else None)
