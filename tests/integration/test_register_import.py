"""Bringing existing registers in: round trips (export a register, import it
into an empty case file, export again: the same cells but the time it was made) on SQLite and
PostgreSQL; every row through the services' validation, listed with its row number and reason;
all or nothing; case numbers never duplicated; registers made by hand mapped by their headers;
hostile files refused with a message."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _registers import all_cells, read, write_scenarios
from openpyxl import Workbook, load_workbook

from firecase.errors import PermissionDeniedError, ValidationError
from firecase.samples import demo
from firecase.services.cases import open_case, set_team_setup
from firecase.services.dto import CasualtyInput, IncidentInput, TeamSetupInput, UserInput
from firecase.services.reading import find_case_id, get_case, list_cases
from firecase.services.register_import import (
    RegisterImportError,
    SheetError,
    check_import,
    import_register,
    propose_mapping,
    read_register,
)
from firecase.services.registers import export_register
from firecase.store import open_case_file

TODAY = dt.date(2027, 6, 1)  # after every scenario's dates
NOW = dt.datetime(2027, 6, 1, 8, 0)
LATER = dt.datetime(2027, 6, 1, 17, 45)


def _same_but_time(first: Path, second: Path, *, skip: set[str] = frozenset()) -> None:
    """Every cell equal, but the cell saying when the register was made (and ``skip``'s columns)."""
    a, b = all_cells(first), all_cells(second)
    assert len(a) == len(b) and a[2] == b[2]
    header = [str(h).replace("\n", "") for h in a[2]]
    compared = 0
    for n, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        for h, u, w in zip(header, x, y, strict=True):
            if isinstance(u, str) and u.startswith("制表时间："):
                assert isinstance(w, str) and w.startswith("制表时间：") and u != w
                continue
            if n > 3 and h in skip:
                continue
            assert u == w, (n, h, u, w)
            compared += 1
    assert compared > 20


def _import(cf: Any, path: Path, kind: str, **kw: Any) -> Any:
    preview = read_register(path, kind)
    return import_register(cf, path, kind, preview.mapping, today=TODAY, **kw)


def test_case_register_round_trip_over_the_scenario_suite(case_url: str, tmp_path: Path) -> None:
    source = tmp_path / "intake.sqlite"
    with open_case_file(source, user="测试") as cf:
        ids = write_scenarios(cf, intake=True)
        export_register(cf, "cases", tmp_path / "first.xlsx", today=TODAY, now=NOW)
    with open_case_file(case_url, user="测试") as cf:
        result = _import(cf, tmp_path / "first.xlsx", "cases")
        assert result.written and len(result.imported) == len(ids) > 30
        export_register(cf, "cases", tmp_path / "second.xlsx", today=TODAY, now=LATER)
    _same_but_time(tmp_path / "first.xlsx", tmp_path / "second.xlsx")


def test_demo_round_trip_cases_members_and_parties(case_url: str, tmp_path: Path) -> None:
    src = tmp_path / "demo.sqlite"
    with open_case_file(src, user="测试") as cf:
        demo.write_demo(cf, today=dt.date(2026, 6, 1))
        numbers = [r.case_no for r in list_cases(cf, today=TODAY).rows]
        export_register(cf, "cases", tmp_path / "cases-1.xlsx", today=TODAY, now=NOW)
        for no in numbers:
            for kind in ("members", "parties"):
                export_register(
                    cf, kind, tmp_path / f"{kind}-{no}-1.xlsx", case=no, today=TODAY, now=NOW
                )
    with open_case_file(case_url, user="测试") as cf:
        _import(cf, tmp_path / "cases-1.xlsx", "cases")
        for no in numbers:
            case_id = find_case_id(cf, no)
            for kind in ("members", "parties"):
                first = tmp_path / f"{kind}-{no}-1.xlsx"
                result = _import(cf, first, kind, case=case_id)
                assert len(result.imported) == len(read(first).rows) > 0
                second = tmp_path / f"{kind}-{no}-2.xlsx"
                export_register(cf, kind, second, case=no, today=TODAY, now=LATER)
                # a recusal is decided in the case (第十五条), not brought in by a register
                _same_but_time(first, second, skip={"在组情况", "退出日期"})
        export_register(cf, "cases", tmp_path / "cases-2.xlsx", today=TODAY, now=LATER)
    # the intake facts come back cell for cell; what the cases went through after intake
    # (stage, inclusion by judgement, clocks) is the demo's own and not in a register
    intake = {
        "案件编号", "案件名称", "起火日期", "起火时间", "起火地点", "详细地址", "起火单位（场所）",
        "火灾类别", "死亡人数", "重伤人数", "轻伤人数", "伤亡截至日期", "直接财产损失",
        "直接经济损失", "受灾户数", "过火面积（平方米）", "事故性质", "火灾等级", "定级标准",
        "简要情况",
    }  # fmt: skip
    first, second = read(tmp_path / "cases-1.xlsx").rows, read(tmp_path / "cases-2.xlsx").rows
    assert [{k: r[k] for k in intake} for r in first] == [{k: r[k] for k in intake} for r in second]
    assert isinstance(first[0]["直接经济损失"], float)  # a number, not text
    assert Decimal(repr(second[0]["直接经济损失"])) == Decimal("21388650.75")


def _book(rows: list[list[Any]], *, title: str | None = "某大队调查组成员登记表") -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def case_file(tmp_path: Path) -> Any:
    cf = open_case_file(tmp_path / "one.sqlite", user="测试")
    c = open_case(
        cf,
        IncidentInput(
            "东湖路仓库火灾",
            dt.date(2027, 3, 2),
            "天门市竟陵街道",
            "建筑火灾",
            Decimal("120000"),
            Decimal("560000.50"),
        ),
        CasualtyInput(dt.date(2027, 3, 2), 1, 0),
        today=TODAY,
    )
    set_team_setup(
        cf, c.id, TeamSetupInput(dt.date(2027, 3, 4)), expected_version=c.version, today=TODAY
    )
    cf.case_id = c.id
    yield cf
    cf.close()


HAND_MADE = [
    ["序", "成员姓名", "工作单位", "职务", "组内职务", "代表机关", "小组", "入组日期", "电话"],
    [1, "周建国", "天门市人民政府", "副市长", "组长", "人民政府", "", "2027/3/4", 13800000000],
    [
        2,
        "刘志强",
        "天门市消防救援大队",
        "大队长",
        "副组长",
        "消防救援机构",
        "技术组（组长）",
        "",
        "",
    ],
    [3, "王丽华", "天门市公安局", "副大队长", "成员", "公安机关", "技术组", "2027年3月5日", ""],
]


def test_a_hand_made_register_is_mapped_by_its_headers(case_file: Any, tmp_path: Path) -> None:
    data = _book(HAND_MADE)
    preview = read_register(data, "members")
    assert preview.header_row == 2 and preview.data_rows == 3  # the merged title row is above
    named = {k: (preview.headers[i] if i is not None else None) for k, i in preview.mapping.items()}
    assert named == {
        "case_no": None,
        "name": "成员姓名",
        "organisation": "工作单位",
        "title": "职务",
        "role": "组内职务",
        "body": "代表机关",
        "subgroups": "小组",
        "joined_on": "入组日期",
        "expertise": None,
        "relatives": None,
    }
    assert preview.preview[0] == (
        3,
        (
            "1",
            "周建国",
            "天门市人民政府",
            "副市长",
            "组长",
            "人民政府",
            "",
            "2027/3/4",
            "13800000000",
        ),
    )
    result = import_register(
        case_file, data, "members", preview.mapping, case=case_file.case_id, today=TODAY
    )
    assert result.written and result.imported == ("周建国", "刘志强", "王丽华")
    assert any("调查组成立日期 2027-03-04" in n for n in result.notices)  # 刘志强 had none
    d = get_case(case_file, case_file.case_id, today=TODAY)
    assert [(m.name, m.joined_on) for m in d.members] == [
        ("周建国", dt.date(2027, 3, 4)),
        ("刘志强", dt.date(2027, 3, 4)),
        ("王丽华", dt.date(2027, 3, 5)),
    ]
    (group,) = d.subgroups
    assert group.name == "技术组" and group.leader_name == "刘志强" and len(group.member_ids) == 2
    assert d.case.stage == "调查"  # the team makes it an investigation: stage recomputed
    # importing the same people again is refused, never duplicated
    with pytest.raises(RegisterImportError) as again:
        import_register(
            case_file, data, "members", preview.mapping, case=case_file.case_id, today=TODAY
        )
    assert "第3行（姓名，B列）：调查组中已有周建国（天门市人民政府）" in again.value.message
    assert len(get_case(case_file, case_file.case_id, today=TODAY).members) == 3


def test_every_failing_row_is_listed_and_nothing_is_written(case_file: Any) -> None:
    rows = [
        HAND_MADE[0],
        HAND_MADE[1],
        [2, "刘志强", "天门市消防救援大队", "大队长", "队长", "消防救援机构", "", "2027/3/4", ""],
        [3, "王丽华", "天门市公安局", "副大队长", "成员", "警察", "", "2027/3/4", ""],
        [4, "李德胜", "天门市应急管理局", "大队长", "成员", "消防安全监管部门", "", "2027/2/1", ""],
        [5, "赵文斌", "天门市住建局", "科长", "成员", "行业主管部门", "", "下周一", ""],
        [6, "", "天门市纪委监委", "主任", "成员", "纪检监察机关", "", "2027/3/4", ""],
        [7, "周建国", "天门市人民政府", "副市长", "成员", "人民政府", "", "2027/3/4", ""],
        [8, "孙立新", "天门市纪委监委", "主任", "成员", "纪检监察机关", "", "2027/3/4", ""],
    ]
    data = _book(rows)
    mapping = read_register(data, "members").mapping
    checked = check_import(case_file, data, "members", mapping, case=case_file.case_id, today=TODAY)
    texts = [p.text for p in checked.problems]
    assert texts == [
        "第4行（调查组职务，E列）：调查组职务应为以下之一：组长、副组长、成员。",
        "第5行（所代表的机关，F列）：所代表的机关应为以下之一：人民政府、消防救援机构、公安机关、"
        "消防安全监管部门、行业主管部门、纪检监察机关、专家、其他。",
        "第6行（加入日期，H列）：加入日期（2027-02-01）不能早于起火日期（2027-03-02）。",
        "第7行（加入日期，H列）：加入日期“下周一”不是日期，"
        "应写成 2026-03-14、2026/3/14 或 2026年3月14日。",
        "第8行（姓名，B列）：请填写姓名。",
        "第9行（姓名，B列）：与第3行是同一人（周建国，天门市人民政府）。",
    ]
    assert checked.summary() == "有 6 行不能导入（共 6 处问题），没有导入任何记录。"
    with pytest.raises(RegisterImportError) as refused:
        import_register(case_file, data, "members", mapping, case=case_file.case_id, today=TODAY)
    assert refused.value.problems == checked.problems
    assert get_case(case_file, case_file.case_id, today=TODAY).members == ()  # all or nothing


def test_case_numbers_are_kept_renumbered_or_refused(tmp_path: Path) -> None:
    header = [
        "案件编号",
        "案件名称",
        "起火日期",
        "起火地点",
        "火灾类别",
        "直接财产损失",
        "直接经济损失",
        "死亡人数",
    ]
    rows = [
        header,
        [
            "天消调〔2027〕第007号",
            "甲火灾",
            "2027-03-01",
            "天门市",
            "建筑火灾",
            "320万元",
            3600000,
            1,
        ],
        [
            "〔2027〕12号",
            "乙火灾",
            dt.date(2027, 3, 5),
            "天门市",
            "建筑火灾",
            "1,000.50",
            "1000.50",
            "",
        ],
        ["", "丙火灾", dt.date(2027, 4, 1), "天门市", "车辆火灾（非交通事故）", 0, 0, None],
    ]
    with open_case_file(tmp_path / "numbers.sqlite", user="测试") as cf:
        result = import_register(
            cf,
            _book(rows, title=None),
            "cases",
            read_register(_book(rows, title=None), "cases").mapping,
            today=TODAY,
        )
        assert result.imported == (
            "天消调〔2027〕第007号",
            "天消调〔2027〕第008号",
            "天消调〔2027〕第009号",
        )
        assert any("〔2027〕12号" in n and "第008号" in n for n in result.notices)
        first = get_case(cf, find_case_id(cf, "天消调〔2027〕第007号"), today=TODAY)
        assert first.case.property_loss_yuan == Decimal("3200000.00")  # 320万元, exactly
        assert (
            first.deaths == 1 and first.inclusion is not None and first.inclusion.clauses == (1, 2)
        )
        assert get_case(
            cf, find_case_id(cf, "天消调〔2027〕第008号")
        ).case.economic_loss_yuan == Decimal("1000.50")
        # the same register again: every numbered case is already here, none is duplicated
        again = check_import(
            cf,
            _book(rows, title=None),
            "cases",
            read_register(_book(rows, title=None), "cases").mapping,
            today=TODAY,
        )
        assert [p.text.split("：")[0] for p in again.problems] == ["第2行（案件编号，A列）"]
        assert "同一案件不重复导入" in again.problems[0].text
        assert len(list_cases(cf, today=TODAY).rows) == 3


def test_sub_groups_need_the_team_leader_and_a_reader_imports_nothing(case_file: Any) -> None:
    from firecase.services.users import add_user

    add_user(case_file, UserInput("测试", "测试员", "管理员"), today=TODAY)
    add_user(case_file, UserInput("chen", "陈晓明", "调查员"), today=TODAY)
    add_user(case_file, UserInput("wang", "王静", "只读"), today=TODAY)
    data = _book(HAND_MADE)
    mapping = read_register(data, "members").mapping
    with pytest.raises(PermissionDeniedError, match="只读"):
        check_import(
            case_file, data, "members", mapping, case=case_file.case_id, actor="wang", today=TODAY
        )
    with pytest.raises(PermissionDeniedError, match="确认调查组组建和专项小组"):
        import_register(
            case_file, data, "members", mapping, case=case_file.case_id, actor="chen", today=TODAY
        )
    without_groups = {**mapping, "subgroups": None}
    result = import_register(
        case_file,
        data,
        "members",
        without_groups,
        case=case_file.case_id,
        actor="chen",
        today=TODAY,
    )
    assert len(result.imported) == 3


def test_parties_rows_of_another_case_are_left_out(case_file: Any) -> None:
    no = get_case(case_file, case_file.case_id).case.case_no
    rows = [
        ["案件编号", "类别", "名称或姓名", "身份", "联系方式"],
        [no, "个人", "陈国平", "", "13871234567"],
        ["天消调〔2026〕第001号", "个人", "吴海涛", "当事人", ""],
        [no, "单位", "天门市顺达电动车维修店", "事故发生单位", ""],
        [no, "法人", "某公司", "当事人", ""],
    ]
    data = _book(rows, title=None)
    mapping = read_register(data, "parties").mapping
    checked = check_import(case_file, data, "parties", mapping, case=case_file.case_id, today=TODAY)
    assert [p.text for p in checked.problems] == [
        "第5行（类别，B列）：当事人类别应为以下之一：个人、单位、政府部门。"
    ]
    assert any("其他案件的 1 行未导入" in n for n in checked.notices)
    fixed = [r for r in rows if r[1] != "法人"]
    result = import_register(
        case_file, _book(fixed, title=None), "parties", mapping, case=case_file.case_id, today=TODAY
    )
    parties = get_case(case_file, case_file.case_id).parties
    assert result.imported == ("陈国平", "天门市顺达电动车维修店")
    assert [(p.name, p.role, p.contact) for p in parties] == [
        ("陈国平", "当事人", "13871234567"),  # an empty 身份 is the service's default
        ("天门市顺达电动车维修店", "事故发生单位", ""),
    ]


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _formulas_and_merges() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "所在单位", "调查组职务", "所代表的机关", "加入日期"])
    sheet.append(["周建国", "天门市人民政府", "组长", "人民政府", "2027-03-04"])
    sheet.append(["刘志强", "=B2", "副组长", "消防救援机构", "2027-03-04"])
    sheet.append(["陈晓明", "天门市消防救援大队", "成员", "消防救援机构", "2027-03-04"])
    sheet.append(["孙立新", None, "成员", "纪检监察机关", "2027-03-04"])
    sheet.merge_cells("B4:B5")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HOSTILE = {
    "empty": (b"", "文件是空的"),
    "csv renamed": ("姓名,单位\n张三,天门市公安局\n".encode("gbk"), "不是 Excel 工作簿"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
    "broken zip": (b"PK\x03\x04" + b"\x00" * 200, "不是有效的 Excel 工作簿"),
    "zip, not a workbook": (_zip({"hello.txt": "你好"}), "不是有效的 Excel 工作簿"),
    "zip bomb": (
        _zip({"xl/workbook.xml": "<workbook/>", "xl/big.xml": "0" * 30_000_000}),
        "压缩比异常",
    ),
    "entities": (
        _zip({"xl/workbook.xml": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><w/>'}),
        "DOCTYPE",
    ),
    "huge": (b"PK\x03\x04" + b"\x00" * (21 * 1024 * 1024), "超过台账的上限"),
    "empty sheet": (_book([[None]], title=None), "是空的"),
    "title only": (_book([["调查组成员"]], title=None), "没有数据行"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_get_messages(name: str, case_file: Any, tmp_path: Path) -> None:
    data, said = HOSTILE[name]
    path = tmp_path / "台账.xlsx"
    path.write_bytes(data)
    with pytest.raises(SheetError) as read_error:
        read_register(path, "members")
    assert said in read_error.value.message, read_error.value.message
    with pytest.raises(ValidationError) as import_error:
        import_register(
            case_file, path, "members", {"name": 0}, case=case_file.case_id, today=TODAY
        )
    assert isinstance(import_error.value, SheetError) or "选择" in import_error.value.message


def test_too_many_rows_are_refused(monkeypatch: Any) -> None:
    from firecase.services import _register_read

    monkeypatch.setattr(_register_read, "MAX_ROWS", 5)
    data = _book([HAND_MADE[0], *[[n, f"成员{n}", "天门市公安局"] for n in range(60)]])
    with pytest.raises(SheetError, match="超过 5 行"):
        read_register(data, "members")


def test_formulas_and_merged_cells_are_refused_by_row(case_file: Any) -> None:
    data = _formulas_and_merges()
    preview = read_register(data, "members")
    assert any("公式" in n for n in preview.notes)
    checked = check_import(
        case_file, data, "members", preview.mapping, case=case_file.case_id, today=TODAY
    )
    assert [p.text for p in checked.problems] == [
        "第3行（所在单位，B列）：单元格是公式（=B2）：FireCase 不计算公式，"
        "请在 Excel 中“选择性粘贴为数值”后再导入。",
        "第4行：合并单元格 B4:B5：只有第一格有值。请在 Excel 中取消合并并在每一行填写后再导入。",
    ]


def test_mapping_is_checked_before_any_row(case_file: Any, tmp_path: Path) -> None:
    data = _book(HAND_MADE)
    mapping = read_register(data, "members").mapping
    for bad, said in (
        ({**mapping, "name": None}, "请为“姓名”选择"),
        ({**mapping, "title": mapping["name"]}, "同时对应"),
        ({**mapping, "name": 99}, "对应的列不存在"),
        ({**mapping, "手机": 3}, "没有名为“手机”的导入字段"),
    ):
        with pytest.raises(ValidationError, match=said):
            check_import(case_file, data, "members", bad, case=case_file.case_id, today=TODAY)
    with pytest.raises(ValidationError, match="请选择要导入到哪个案件"):
        check_import(case_file, data, "members", mapping, today=TODAY)
    with pytest.raises(ValidationError, match="导入内容应为"):
        read_register(data, "evidence")
    assert propose_mapping("parties", ("姓名", "类型", "电话", "备注"))["contact"] == 2


def test_exported_register_header_names_are_proposed(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "d.sqlite", user="测试") as cf:
        demo.write_demo(cf, today=dt.date(2026, 6, 1))
        for kind in ("cases", "members", "parties"):
            export_register(cf, kind, tmp_path / f"{kind}.xlsx", today=TODAY)
            preview = read_register(tmp_path / f"{kind}.xlsx", kind)
            assert preview.header_row == 3 and all(i is not None for i in preview.mapping.values())
            sheet = load_workbook(tmp_path / f"{kind}.xlsx").active
            for key, index in preview.mapping.items():  # each at the column of its own name
                assert index is not None
                header = str(sheet.cell(row=3, column=index + 1).value).replace("\n", "")
                assert header.startswith(preview.headers[index][:2]), (key, header)
