"""Synthetic cases: the limits, the fictional city's vocabulary, the result, and the id
allocation and row buffers (``_Rows``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from firecase.store import models as m

D = dt.date
DAY = dt.timedelta(days=1)

LARGE_CASE_TITLE = "天门经济开发区恒泰物流园仓储中心“9·18”较大火灾（合成大案）"
"""Title of the large synthetic case (50 members, 200 evidence items) the benchmarks open."""

SYNTH_ACTOR = "合成数据"
DEFAULT_BATCH = 5000
LARGE_MEMBERS = 50
LARGE_EVIDENCE = 200

# ------------------------------------------------------------------------------------------
# vocabulary of the fictional city (天门市)
# ------------------------------------------------------------------------------------------

_TOWNS = (
    "竟陵街道",
    "杨林街道",
    "侨乡街道",
    "岳口镇",
    "皂市镇",
    "渔薪镇",
    "多宝镇",
    "拖市镇",
    "张港镇",
    "横林镇",
    "彭市镇",
    "麻洋镇",
    "多祥镇",
    "干驿镇",
    "马湾镇",
    "卢市镇",
    "小板镇",
    "九真镇",
    "黄潭镇",
    "胡市镇",
    "石家河镇",
    "佛子山镇",
    "汪场镇",
    "净潭乡",
    "天门经济开发区",
)
_VILLAGES = ("东湖", "西湖", "新城", "钟鸣", "陆羽", "文学", "东风", "红旗", "联合", "建设")
_VILLAGE_KINDS = ("社区", "村")
_SITES = (
    ("居民自建房", "居民住宅"),
    ("出租屋", "出租房屋"),
    ("电动车维修店", "个体工商户"),
    ("小餐馆", "餐饮店"),
    ("农贸市场", "市场"),
    ("纺织厂仓库", "有限公司"),
    ("家具厂", "有限公司"),
    ("物流仓库", "物流有限公司"),
    ("超市", "商贸有限公司"),
    ("废品收购站", "个体工商户"),
    ("汽车修理厂", "汽车服务有限公司"),
    ("KTV", "娱乐有限公司"),
    ("宾馆", "酒店管理有限公司"),
    ("棉花加工厂", "棉业有限公司"),
    ("养殖场", "农业合作社"),
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
_GIVEN = tuple(
    [
        "建国",
        "志强",
        "晓明",
        "丽华",
        "德胜",
        "文斌",
        "立新",
        "志远",
        "海涛",
        "国平",
        "小兵",
        "宏伟",
        "明",
        "静",
        "磊",
        "刚",
        "鹏",
        "华",
        "伟",
        "丽",
        "军",
        "敏",
        "勇",
        "艳",
        "杰",
        "涛",
        "超",
        "娟",
        "强",
        "平",
        "俊",
        "斌",
        "霞",
        "辉",
        "芳",
        "玲",
        "红",
        "波",
        "峰",
        "燕",
    ]
)
_FIRE_TYPES_IN = (
    "建筑火灾",
    "室外场所火灾",
    "可燃物堆垛火灾",
    "车辆火灾（非交通事故）",
    "其他火灾",
)
_FIRE_TYPES_OUT = ("森林草原火灾", "交通运输火灾")
_MEMBER_SLOTS = (
    ("天门市人民政府", "人民政府", "组长", "副市长"),
    ("天门市消防救援大队", "消防救援机构", "副组长", "大队长"),
    ("天门市消防救援大队", "消防救援机构", "成员", "火灾调查员"),
    ("天门市公安局", "公安机关", "成员", "治安大队副大队长"),
    ("天门市应急管理局", "消防安全监管部门", "成员", "执法大队长"),
    ("天门市住房和城乡建设局", "行业主管部门", "成员", "科长"),
    ("天门市纪委监委", "纪检监察机关", "成员", "监督检查室主任"),
    ("湖北省消防救援总队", "专家", "成员", "高级工程师"),
    ("天门市市场监督管理局", "行业主管部门", "成员", "科长"),
    ("天门市消防救援大队", "消防救援机构", "成员", "火灾调查员"),
)
_GROUPS = (
    ("综合组", "负责综合协调、信息汇总、证据资料管理，起草调查报告（第十条）。"),
    ("技术组", "现场勘查、搜集证据、物证送检和鉴定，查明直接原因（第十一条）。"),
    ("管理组", "查明单位情况和部门履职情况，提出追责问责建议（第十二条）。"),
)
_EVIDENCE = (
    ("物证", "起火部位残留物"),
    ("物证", "电气线路熔痕"),
    ("视听资料", "周边监控视频"),
    ("电子数据", "报警系统运行记录"),
    ("书证", "消防设施维保记录"),
    ("证人证言", "目击者询问笔录"),
    ("当事人陈述", "当事人询问笔录"),
    ("勘验笔录", "火灾现场勘验笔录"),
)
_AGENCIES = ("应急管理部天津消防研究所", "湖北省消防产品质量监督检验站", "天门市公安局物证鉴定室")
_DEPARTMENTS = ("天门市公安局", "天门市消防救援大队", "天门市应急管理局", "天门市住房和城乡建设局")
_CAUSES = (
    "电气线路短路引燃周围可燃物",
    "电动自行车锂电池热失控起火",
    "违规电焊作业焊渣引燃可燃物",
    "生活用火不慎引燃可燃物",
    "遗留火种引燃可燃物",
)

# ------------------------------------------------------------------------------------------
# result
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthResult:
    """What ``synthesize`` wrote: cases, rows per table, the large case, how long it took."""

    cases: int
    rows: dict[str, int]
    large_case_id: int | None
    large_case_no: str | None
    seconds: float
    audit_entries: int


# ------------------------------------------------------------------------------------------
# id allocation and row buffers
# ------------------------------------------------------------------------------------------


class _Rows:
    """Per-table row buffers with primary keys allocated in Python (no RETURNING needed)."""

    TABLES: tuple[type[m.Base], ...] = (
        m.Case,
        m.CasualtyUpdate,
        m.GradeDecisionRow,
        m.InclusionDecisionRow,
        m.Party,
        m.TeamMember,
        m.SubGroup,
        m.SubGroupMember,
        m.EvidenceItem,
        m.CustodyEvent,
        m.Appraisal,
        m.Extension,
        m.Cause,
        m.Finding,
        m.ReportSection,
        m.Recommendation,
        m.HandlingTask,
        m.Evaluation,
        m.RectificationMeasure,
        m.OpenClock,  # derived: the clock board's stored open clocks
        m.CaseSearchGram,  # derived: the case list's text index
    )

    def __init__(self, session: Session) -> None:
        self.next_id: dict[str, int] = {}
        self.buffers: dict[str, list[dict[str, Any]]] = {}
        self.tables: dict[str, Table] = {}
        for model in self.TABLES:
            table = cast(Table, model.__table__)
            self.tables[table.name] = table
            self.buffers[table.name] = []
            if "id" in table.c:
                self.next_id[table.name] = (
                    int(session.scalar(select(func.max(table.c.id))) or 0) + 1
                )

    def add(self, table: str, row: dict[str, Any]) -> int:
        """Buffer ``row`` (its ``id`` allocated when the table has one); return the id or 0."""
        if table in self.next_id:
            new_id = self.next_id[table]
            self.next_id[table] = new_id + 1
            row["id"] = new_id
        else:
            new_id = 0
        self.buffers[table].append(row)
        return new_id

    def advance_sequences(self, session: Session) -> None:
        """On PostgreSQL, move each id sequence past the ids written here explicitly, so the
        services' own inserts (which take ids from the sequence) do not collide with them."""
        if session.get_bind().dialect.name != "postgresql":
            return
        for name, next_id in self.next_id.items():
            session.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last, true)"),
                {"table": name, "last": max(next_id - 1, 1)},
            )

    def flush(self, session: Session) -> dict[str, int]:
        """Write every buffer with one executemany per table (parents first); return counts."""
        counts: dict[str, int] = {}
        for name, rows in self.buffers.items():
            if rows:
                session.execute(insert(self.tables[name]), rows)
                counts[name] = len(rows)
                self.buffers[name] = []
        return counts
