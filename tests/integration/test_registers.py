"""Registers in Excel: every register of the demo cases and of the scenario
suite, opened with openpyxl and checked cell by cell against what the case workspace shows
(``get_case``: another path through the data than the register's batched queries); real
dates and exact amounts with their number formats, frozen header, autofilter, title row,
widths fitted to the CJK text; the command line."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _registers import Register, day, read, wide, write_scenarios

from firecase.cli import main as cli_main
from firecase.errors import NotFoundError, ValidationError
from firecase.rules import ClockStatus
from firecase.services.clock_board import clock_board
from firecase.services.dto import CaseDetail, ClockView
from firecase.services.reading import get_case, list_cases
from firecase.services.registers import REGISTERS, export_register
from firecase.store import open_case_file
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, 9, 30)
NUMERALS = "一二三四"
KINDS = ("grade_change", "investigation", "reply", "handling", "evaluation", "rectification")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two case files: the demo's two cases, and the 34 cases of the scenario suite."""
    folder = tmp_path_factory.mktemp("registers")
    out = {"demo": folder / "demo.sqlite", "scenarios": folder / "scenarios.sqlite"}
    demo_into(out["demo"], today=TODAY, user="测试")
    with open_case_file(out["scenarios"], user="测试") as cf:
        write_scenarios(cf)
    return out


def _details(path: Path) -> list[CaseDetail]:
    """Every case as the workspace shows it, in the registers' order (year, number)."""
    with open_case_file(path, user="测试") as cf:
        rows = list_cases(cf, limit=1000, today=TODAY).rows
        found = [get_case(cf, r.id, today=TODAY) for r in rows]
    return sorted(found, key=lambda d: (d.case.fire_date.year, d.case.case_no))


def _export(path: Path, kind: str, out: Path, **kw: Any) -> Register:
    target = out / f"{kind}-{path.stem}.xlsx"
    with open_case_file(path, user="测试") as cf:
        result = export_register(cf, kind, target, today=TODAY, now=NOW, overwrite=True, **kw)
    register = read(target)
    assert result.rows == len(register.rows)
    return register


def _shown_clocks(d: CaseDetail) -> dict[str, list[ClockView]]:
    out: dict[str, list[ClockView]] = {}
    for c in d.clocks:
        if c.status != "不适用" and c.kind in KINDS:
            out.setdefault(c.kind, []).append(c)
    return out


def _status_agrees(cell: str, c: ClockView) -> None:
    """The status cell of one clock: its status, how many days are left or late, 暂定."""
    assert cell.startswith(c.status), (cell, c)
    if c.done_on is None and c.days_left is not None and not c.paused:
        if c.days_left > 0:
            assert f"剩余{c.days_left}日" in cell
        elif c.days_left < 0:
            assert f"逾期{-c.days_left}日" in cell
    if c.done_on is not None and c.late_days:
        assert f"逾期{c.late_days}日" in cell
    assert ("暂定" in cell) == c.provisional


@pytest.mark.parametrize("which", ["demo", "scenarios"])
def test_case_register_cell_by_cell(files: dict[str, Path], which: str, tmp_path: Path) -> None:
    register = _export(files[which], "cases", tmp_path)
    details = _details(files[which])
    assert len(register.rows) == len(details) >= 2
    for n, (row, d) in enumerate(zip(register.rows, details, strict=True)):
        c = d.case
        assert row["序号"] == n + 1 and row["案件编号"] == c.case_no and row["案件名称"] == c.title
        assert day(row["起火日期"]) == c.fire_date and (row["起火时间"] or "") == c.fire_time
        for header, value in (
            ("起火地点", c.place),
            ("详细地址", c.address),
            ("起火单位（场所）", c.unit_name),
            ("火灾类别", c.fire_type),
            ("事故性质", c.nature),
            ("简要情况", c.summary),
            ("火灾等级", c.grade or ""),
            ("办理阶段", c.stage),
        ):
            assert (row[header] or "") == value, header
        last = d.casualty_updates[-1] if d.casualty_updates else None
        assert row["死亡人数"] == (last.deaths if last else None)
        assert row["重伤人数"] == (last.serious_injuries if last else None)
        assert row["轻伤人数"] == (last.minor_injuries if last else None)
        assert day(row["伤亡截至日期"]) == (last.as_of if last else None)
        cells = register.cells(n)
        for header, amount in (
            ("直接财产损失", c.property_loss_yuan),
            ("直接经济损失", c.economic_loss_yuan),
        ):
            assert cells[header].data_type == "n" and cells[header].number_format.endswith('"元"')
            assert Decimal(repr(cells[header].value)).quantize(Decimal("0.01")) == amount
        assert row["受灾户数"] == c.households_affected
        area = row["过火面积（平方米）"]
        assert (None if area is None else Decimal(repr(area))) == c.burned_area_m2
        # every decision with its basis: the standard, the items of 第五条, why the measures apply
        assert row["定级标准"] == (d.grade_decision.standard if d.grade_decision else "")
        assert row["纳入调查"] == {True: "是", False: "否", None: None}[c.included]
        clauses = d.inclusion.clauses if d.inclusion else ()  # what holds, as the list shows
        expected = "第五条" + "、".join(f"第{NUMERALS[i - 1]}项" for i in clauses)
        assert (row["纳入条款"] or "") == (expected if clauses else "")
        assert d.duties is not None and row["适用情况"].startswith(d.duties.reason)
        assert d.duties.basis in row["适用情况"]
        clocks = _shown_clocks(d)
        for kind, name, article in zip(
            KINDS,
            ("等级变化报告期", "调查期限", "批复期限", "处理备案期限", "整改评估期限", "整改期限"),
            ("第四条", "第十七条", "第十九条", "第二十条", "第二十二条", "第二十四条"),
            strict=True,
        ):
            due, state = row[f"{name}（{article}）"], row[f"{name}状态"]
            mine = clocks.get(kind, [])
            if not mine:
                assert due is None and state is None, (c.case_no, kind)
            elif len(mine) == 1:
                assert day(due) == mine[0].due
                _status_agrees(state, mine[0])
            else:
                open_dues = [x.due for x in mine if x.done_on is None and x.due]
                assert day(due) == (
                    min(open_dues) if open_dues else max(x.due for x in mine if x.due)
                )
                assert state.startswith(f"共{len(mine)}项")
                for status in {x.status for x in mine}:
                    assert f"{status}{sum(x.status == status for x in mine)}项" in state


def test_case_register_layout(files: dict[str, Path], tmp_path: Path) -> None:
    register = _export(files["demo"], "cases", tmp_path)
    sheet = register.sheet
    assert sheet["A1"].value == "案件台账" and sheet["A1"].font.b
    assert "制表单位：天门市消防救援大队" in " ".join(str(c.value) for c in sheet[2] if c.value)
    assert any(c.value == "制表时间：2026-06-01 09:30" for c in sheet[2])
    assert sheet.freeze_panes == "C4"  # rows 1–3 and 序号, 案件编号 stay in view
    assert (
        sheet.auto_filter.ref
        == f"A3:{sheet.cell(row=3, column=len(register.header)).column_letter}5"
    )
    assert sheet.print_title_rows == "$3:$3"
    for col, header in enumerate(register.header, start=1):
        cell = sheet.cell(row=4, column=col)
        if "日期" in header or "（第" in header:
            assert cell.value is None or (cell.is_date and cell.number_format == "yyyy-mm-dd")
        width = sheet.column_dimensions[cell.column_letter].width
        head_lines = str(sheet.cell(row=3, column=col).value).splitlines()
        assert width >= max(wide(line) for line in head_lines), header
        values = [str(v) for v in (r[header] for r in register.rows) if isinstance(v, str)]
        short = [v for v in values if wide(v) <= 28 and "\n" not in v]
        if short and len(short) == len(values):  # short text fits on one line
            assert width >= max(wide(v) for v in short), (header, width)
    assert sheet.column_dimensions["C"].width <= 32  # a long title wraps instead
    title_cell = register.cells(0)["案件名称"]
    assert title_cell.alignment.wrap_text


def test_deadline_register_is_the_board_overdue_first(
    files: dict[str, Path], tmp_path: Path
) -> None:
    register = _export(files["scenarios"], "deadlines", tmp_path)
    with open_case_file(files["scenarios"], user="测试") as cf:
        board = clock_board(cf, TODAY, include_done=False)
    assert len(register.rows) == len(board) > 10
    overdue = [r["状态"].startswith(ClockStatus.OVERDUE.value) for r in register.rows]
    assert any(overdue) and overdue == sorted(overdue, reverse=True)  # overdue first
    for row, c in zip(register.rows, board, strict=True):
        assert (row["案件编号"], row["期限"], row["对象"] or "") == (c.case_no, c.label, c.subject)
        assert day(row["起算日"]) == c.start and day(row["到期日"]) == c.due
        assert row["剩余天数"] == c.days_left and row["状态"].startswith(c.status)
        assert row["计算说明"] == c.explanation and row["依据"] == c.basis
    # every open clock a case shows is in the register
    listed = {(r["案件编号"], r["期限"], r["对象"] or "", day(r["到期日"])) for r in register.rows}
    for d in _details(files["scenarios"]):
        for c in d.clocks:
            if c.done_on is None and c.status != "不适用" and c.due is not None:
                assert (c.case_no, c.label, c.subject, c.due) in listed
    cell = register.cells(0)["剩余天数"]
    assert cell.data_type == "n" and "逾期" in cell.number_format


@pytest.mark.parametrize("which", ["demo", "scenarios"])
def test_members_and_parties_registers(files: dict[str, Path], which: str, tmp_path: Path) -> None:
    members = _export(files[which], "members", tmp_path).rows
    parties = _export(files[which], "parties", tmp_path).rows
    expected_members, expected_parties = [], []
    for d in _details(files[which]):
        for x in d.members:
            groups = [
                g.name + ("（组长）" if g.leader_id == x.id else "")
                for g in d.subgroups
                if x.id in g.member_ids or g.leader_id == x.id
            ]
            expected_members.append((d, x, "、".join(groups)))
        expected_parties.extend((d, p) for p in d.parties)
    assert len(members) == len(expected_members) > 0 and len(parties) == len(expected_parties) > 0
    recused = 0
    for row, (d, x, groups) in zip(members, expected_members, strict=True):
        assert (row["案件编号"], row["姓名"], row["所在单位"]) == (
            d.case.case_no,
            x.name,
            x.organisation,
        )
        assert (row["调查组职务"], row["所代表的机关"]) == (x.role, x.body)
        assert (row["本单位职务"] or "", row["专长"] or "") == (x.title, x.expertise)
        assert (row["工作组"] or "") == groups and day(row["加入日期"]) == x.joined_on
        assert (row["申报的近亲属"] or "") == "、".join(x.relatives)
        assert day(row["退出日期"]) == x.left_on
        if x.left_on is not None and x.left_on <= TODAY:
            recused += 1
            assert row["在组情况"].startswith("已回避") and "第十五条" in row["在组情况"]
        else:
            assert row["在组情况"].startswith("在组")
    assert recused >= 1
    for row, (d, p) in zip(parties, expected_parties, strict=True):
        assert (row["案件编号"], row["类别"], row["名称或姓名"]) == (d.case.case_no, p.kind, p.name)
        assert (row["身份"], row["所在单位"] or "") == (p.role, p.organisation)
        assert (row["近亲属"] or "", row["联系方式"] or "", row["备注"] or "") == (
            "、".join(p.relatives),
            p.contact,
            p.note,
        )


def test_evidence_register_with_custody_and_hashes(files: dict[str, Path], tmp_path: Path) -> None:
    rows = _export(files["demo"], "evidence", tmp_path).rows
    expected = [(d, e) for d in _details(files["demo"]) for e in d.evidence]
    assert len(rows) == len(expected) and any(e.attachments for _, e in expected)
    for row, (d, e) in zip(rows, expected, strict=True):
        assert (row["案件编号"], row["证据编号"], row["证据名称"], row["类别"]) == (
            d.case.case_no,
            e.code,
            e.name,
            e.kind,
        )
        assert day(row["提取日期"]) == e.collected_on and row["提取人"] == e.collected_by
        chain = (row["保管链"] or "").splitlines()
        assert len(chain) == len(e.custody)
        for line, event in zip(chain, e.custody, strict=True):
            assert line.startswith(f"{event.on.isoformat()} {event.action}")
        holders = [x.to_holder for x in e.custody if x.to_holder]
        assert row["当前保管人"] == (holders[-1] if holders else e.collected_by)
        files_cell = (row["附件"] or "").splitlines()
        assert [f.split("（")[0] for f in files_cell] == [a.filename for a in e.attachments]
        assert (row["附件SHA-256"] or "").splitlines() == [a.sha256 for a in e.attachments]


def test_recommendation_and_rectification_registers(files: dict[str, Path], tmp_path: Path) -> None:
    recs = _export(files["demo"], "recommendations", tmp_path).rows
    measures = _export(files["demo"], "rectification", tmp_path).rows
    details = _details(files["demo"])
    expected_recs = [(d, r) for d in details for r in d.recommendations]
    expected_measures = [(d, x) for d in details for x in d.measures]
    assert len(recs) == len(expected_recs) > 0 and len(measures) == len(expected_measures) > 0
    for row, (d, r) in zip(recs, expected_recs, strict=True):
        assert (row["处理对象"], row["对象类别"], row["处理建议"]) == (
            r.target_name,
            r.target_kind,
            r.kind,
        )
        assert (row["责任领域（第十六条）"], row["执行机关"], row["依据"]) == (
            r.area,
            r.authority,
            r.basis,
        )
        assert (row["反馈情况"] or "", row["移送至"] or "") == (r.feedback, r.transferred_to)
        assert [day(row[h]) for h in ("反馈日期", "备案日期", "移送司法机关日期")] == [
            r.feedback_on,
            r.filed_on,
            r.transferred_on,
        ]
        clock = next(c for c in d.clocks if c.kind == "handling" and c.subject == r.authority)
        assert day(row["处理备案期限（第二十条）"]) == clock.due
        _status_agrees(row["期限状态"], clock)
    ordered = {i.order_id for d in details for i in d.evaluation_items if i.order_id}
    for row, (d, x) in zip(measures, expected_measures, strict=True):
        assert (row["整改措施"], row["责任单位"], row["落实情况"]) == (
            x.text,
            x.responsible,
            x.status,
        )
        assert [day(row[h]) for h in ("提出日期", "整改期限（第二十四条）", "完成日期")] == [
            x.set_on,
            x.deadline,
            x.done_on,
        ]
        items = [i for i in d.evaluation_items if i.measure_id == x.id]
        assert (row["评估结果（第二十三条）"] or "") == (items[-1].result if items else "")
        assert day(row["评估日期"]) == (items[-1].checked_on if items else None)
        assert row["来源"].startswith("评估") == (x.id in ordered)
        if x.deadline is not None:
            clock = next(
                c
                for c in d.clocks
                if c.kind == "rectification" and c.subject == x.responsible and c.due == x.deadline
            )
            _status_agrees(row["期限状态"], clock)
    assert any(r["期限状态"].startswith(ClockStatus.OVERDUE.value) for r in measures)


def test_one_case_only_and_refusals(files: dict[str, Path], tmp_path: Path) -> None:
    details = _details(files["demo"])
    one = details[0].case
    register = _export(files["demo"], "members", tmp_path, case=one.case_no)
    assert register.sheet["A1"].value == f"调查组名单（{one.case_no} {one.title}）"
    assert {r["案件编号"] for r in register.rows} == {one.case_no}
    cases_one = _export(files["demo"], "cases", tmp_path, case=one.id)
    assert [r["案件编号"] for r in cases_one.rows] == [one.case_no]
    with open_case_file(files["demo"], user="测试") as cf:
        with pytest.raises(ValidationError, match="台账种类应为"):
            export_register(cf, "台帐", tmp_path / "x.xlsx")
        with pytest.raises(ValidationError, match=r"\.xlsx"):
            export_register(cf, "cases", tmp_path / "x.csv")
        with pytest.raises(NotFoundError, match="没有编号为"):
            export_register(cf, "cases", tmp_path / "x.xlsx", case="天消调〔1999〕第999号")
        export_register(cf, "案件台账", tmp_path / "y.xlsx", today=TODAY)  # the title works too
        with pytest.raises(ValidationError, match="已存在"):
            export_register(cf, "cases", tmp_path / "y.xlsx", today=TODAY)


def test_amounts_are_exact_numbers_in_the_file(tmp_path: Path) -> None:
    from firecase.services.cases import open_case
    from firecase.services.dto import CasualtyInput, IncidentInput
    from firecase.services.register_import import import_register, read_register

    path = tmp_path / "money.sqlite"
    amounts = (
        Decimal("1234567.89"),
        Decimal("9266434130788.88"),  # openpyxl's own "%.16g" would write …788.881
        Decimal("9999999999999999.99"),  # the largest amount: beyond an Excel number's digits
    )
    with open_case_file(path, user="测试") as cf:
        for amount in amounts:
            open_case(
                cf,
                IncidentInput(
                    "精确金额", dt.date(2026, 3, 1), "天门市", "建筑火灾", amount, amount
                ),
                CasualtyInput(dt.date(2026, 3, 1), 0, 0),
                today=TODAY,
            )
        export_register(cf, "cases", tmp_path / "money.xlsx", today=TODAY)
    with zipfile.ZipFile(tmp_path / "money.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # numbers holding the amount to the 分; the one no Excel number holds is exact text
    assert xml.count('t="n"><v>1234567.89</v>') == 2
    assert xml.count('t="n"><v>9266434130788.88</v>') == 2
    assert xml.count("<t>9999999999999999.99</t>") == 2
    register = read(tmp_path / "money.xlsx")
    assert register.cells(1)["直接财产损失"].data_type == "n"
    # and back: the same amounts, exactly
    with open_case_file(tmp_path / "other.sqlite", user="测试") as cf:
        mapping = read_register(tmp_path / "money.xlsx", "cases").mapping
        import_register(cf, tmp_path / "money.xlsx", "cases", mapping, today=TODAY)
        back = [d.case.property_loss_yuan for d in _details_in(cf)]
    assert back == list(amounts)


def _details_in(cf: Any) -> list[CaseDetail]:
    rows = list_cases(cf, limit=1000, today=TODAY).rows
    return sorted((get_case(cf, r.id, today=TODAY) for r in rows), key=lambda d: d.case.case_no)


def test_the_command_line(files: dict[str, Path], tmp_path: Path, capsys: Any) -> None:
    db = str(files["demo"])
    for kind in REGISTERS:
        out = tmp_path / f"{kind}.xlsx"
        assert (
            cli_main(["export-register", kind, "--db", db, "-o", str(out), "--today", "2026-06-01"])
            == 0
        )
        assert REGISTERS[kind] in capsys.readouterr().out and read(out).sheet["A1"].value
    again = ["export-register", "cases", "--db", db, "-o", str(tmp_path / "cases.xlsx")]
    assert cli_main(again) == 2 and "已存在" in capsys.readouterr().out
    assert cli_main([*again, "--force"]) == 0
    capsys.readouterr()
    bad = ["export-register", "台帐", "--db", db, "-o", str(tmp_path / "z.xlsx")]
    assert cli_main(bad) == 2 and "台账种类应为" in capsys.readouterr().out
    late = [
        "export-register",
        "cases",
        "--db",
        db,
        "-o",
        str(tmp_path / "z.xlsx"),
        "--today",
        "明天",
    ]
    assert cli_main(late) == 2 and "--today 应为日期" in capsys.readouterr().out
    case = [
        "export-register",
        "members",
        "--db",
        db,
        "-o",
        str(tmp_path / "m.xlsx"),
        "--case",
        "无此号",
    ]
    assert cli_main(case) == 2 and "没有编号为" in capsys.readouterr().out


def test_a_mistyped_case_file_is_refused_not_created(tmp_path: Path, capsys: Any) -> None:
    """``--db`` naming no file created an empty case file there and exported "0 条" (rc 0):
    a clerk would send an empty register on. Refused, as ``firecase document`` refuses it."""
    missing = tmp_path / "没有这个案卷.fcdb"
    out = tmp_path / "cases.xlsx"
    assert cli_main(["export-register", "cases", "--db", str(missing), "-o", str(out)]) == 2
    assert "案卷文件不存在" in capsys.readouterr().out
    assert not missing.exists() and not out.exists()
