"""Issue 13 through the services on SQLite and PostgreSQL: dated casualties, jurisdiction and
alerts, duties, takeover, extensions, handling from the 批复, the signing date, and every
refusal with its Chinese message at the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from firecase.errors import ValidationError
from firecase.services import cases, deadlines, reading, recommendations, reply, reporting, team
from firecase.services.clock_board import clock_board
from firecase.services.dto import (
    CasualtyInput,
    ExtensionInput,
    IncidentInput,
    MemberInput,
    RecommendationInput,
)
from firecase.store import CaseFile, open_case_file

FIRE = dt.date(2024, 6, 1)  # 2007 grades: deaths within 7 days


def day(n: int) -> dt.date:
    return FIRE + dt.timedelta(days=n)


def incident(**kw: object) -> IncidentInput:
    values: dict[str, object] = {
        "title": "测试仓库火灾",
        "fire_date": FIRE,
        "place": "天门市竟陵街道",
        "fire_type": "建筑火灾",
        "property_loss_yuan": Decimal("120000"),
        "economic_loss_yuan": Decimal("650000"),
    }
    values.update(kw)
    return IncidentInput(**values)  # type: ignore[arg-type]


def open_one(cf: CaseFile, deaths: int = 1, **kw: object) -> int:
    return cases.open_case(cf, incident(**kw), CasualtyInput(FIRE, deaths, 0), today=FIRE).id


def ver(cf: CaseFile, case_id: int) -> int:
    return reading.get_case_summary(cf, case_id).version


def refused(field: str, text: str, call: object, *args: object, **kw: object) -> None:
    with pytest.raises(ValidationError) as info:
        call(*args, **kw)  # type: ignore[operator]
    assert info.value.field == field, info.value.message
    assert text in info.value.message


def test_a_death_of_day_3_entered_on_day_9_counts_by_its_date(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf, deaths=1)
        cases.add_casualty_update(cf, cid, CasualtyInput(day(3), 3, 0), today=day(9))
        d = reading.get_case(cf, cid, today=day(9))
        assert d.case.grade == "较大" and d.deaths == 3
        last = d.casualty_updates[-1]
        assert (last.as_of, last.recorded_on) == (day(3), day(9))
        assert "死亡3人" in (d.inclusion.explanation if d.inclusion else "")


def test_escalation_is_shown_the_moment_the_update_is_saved(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf, deaths=2)
        assert reading.get_case(cf, cid, today=day(1)).escalation is None
        cases.add_casualty_update(cf, cid, CasualtyInput(day(4), 12, 0), today=day(5))
        d = reading.get_case(cf, cid, today=day(5))
        assert d.escalation is not None and "报请上级人民政府" in d.escalation.message
        assert d.jurisdiction_authority == "上级人民政府"
        row = next(r for r in reading.list_cases(cf, today=day(5)).rows if r.id == cid)
        assert row.jurisdiction_note == "应报请上级人民政府"
        board = clock_board(cf, day(5), include_done=False)
        line = [c for c in board if c.case_id == cid]
        assert [c.label for c in line] == ["报请上级人民政府"]
        assert clock_board(cf, day(5))[0].label == "报请上级人民政府"  # first on the board
        # taken over: the alert is answered, the board line goes, the case names the province
        cases.record_takeover(
            cf, cid, "湖北省人民政府", day(6), expected_version=ver(cf, cid), today=day(6)
        )
        d = reading.get_case(cf, cid, today=day(6))
        assert d.escalation is None and d.jurisdiction_authority == "湖北省人民政府"
        assert not [c for c in clock_board(cf, day(6)) if c.case_id == cid]
        row = next(r for r in reading.list_cases(cf, today=day(6)).rows if r.id == cid)
        assert row.jurisdiction_note == "已提级调查"


def test_cases_outside_the_measures_count_in_no_overdue_figure(case_url: str) -> None:
    late = day(200)
    with open_case_file(case_url, user="测试") as cf:
        small = open_one(cf, deaths=0, economic_loss_yuan=Decimal("150000"))
        forest = open_one(cf, deaths=1, fire_type="森林草原火灾")
        old = cases.open_case(
            cf,
            incident(fire_date=dt.date(2022, 11, 20)),
            CasualtyInput(dt.date(2022, 11, 20), 1, 0),
            today=dt.date(2022, 11, 20),
        ).id
        running = open_one(cf, deaths=1)
        board = clock_board(cf, late)
        assert {c.case_id for c in board if c.overdue} == {running}
        for cid, code in (
            (small, "not_included"),
            (forest, "out_of_scope"),
            (old, "before_measures"),
        ):
            d = reading.get_case(cf, cid, today=late)
            assert d.duties is not None and d.duties.code == code
            assert {c.status for c in d.clocks if c.label == "调查期限"} == {"不适用"}
            assert d.case.next_due_on is None


def test_refusals_at_the_field(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        refused(
            "economic_loss_yuan",
            "不能小于直接财产损失",
            cases.open_case,
            cf,
            incident(property_loss_yuan=Decimal("600000"), economic_loss_yuan=Decimal("400000")),
        )
        cid = open_one(cf)
        refused(
            "economic_loss_yuan",
            "不能小于直接财产损失",
            cases.update_incident,
            cf,
            cid,
            incident(property_loss_yuan=Decimal("700000")),
            expected_version=ver(cf, cid),
        )
        refused(
            "as_of",
            "不能早于",
            cases.add_casualty_update,
            cf,
            cid,
            CasualtyInput(day(-1), 1, 0),
            today=day(2),
        )
        refused(
            "as_of",
            "不能早于伤亡发生",
            cases.add_casualty_update,
            cf,
            cid,
            CasualtyInput(day(5), 1, 0),
            today=day(2),
        )
        for by, on, field, text in (
            ("天门市消防救援大队", day(3), "taken_over_by", "上级人民政府"),
            ("天门市人民政府", day(3), "taken_over_by", "上级人民政府"),
            ("湖北省人民政府", None, "taken_over_on", "提级日期"),
            ("湖北省人民政府", day(-2), "taken_over_on", "起火日期"),
        ):
            refused(
                field,
                text,
                cases.record_takeover,
                cf,
                cid,
                by,
                on,
                expected_version=ver(cf, cid),
                today=day(10),
            )
        ext = ExtensionInput(30, day(50), "情况复杂", day(55), "天门市消防救援大队")
        refused("approved_by", "须经人民政府批准", deadlines.request_extension, cf, cid, ext)
        refused(
            "approved_on",
            "晚于调查期限届满日",
            deadlines.request_extension,
            cf,
            cid,
            ExtensionInput(30, day(50), "情况复杂", day(65), "天门市人民政府"),
        )
        refused(
            "days",
            "不能大于60",
            deadlines.request_extension,
            cf,
            cid,
            ExtensionInput(61, day(50), "情况复杂", day(55), "天门市人民政府"),
        )
        # nothing half-written: no extension was stored by any refusal
        assert reading.get_case(cf, cid, today=day(70)).extensions == ()


def test_an_approval_after_the_period_stays_overdue_until_confirmed(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf)
        e = deadlines.request_extension(
            cf,
            cid,
            ExtensionInput(30, day(55), "情况复杂", day(65), "天门市人民政府", late_ack=True),
        )
        assert e.approved_late and e.late_confirmed_on is None
        d = reading.get_case(cf, cid, today=day(70))
        inv = next(c for c in d.clocks if c.label == "调查期限")
        assert inv.overdue and inv.due == day(60)
        assert "逾期后批准" in inv.explanation and "经确认前不计入" in inv.explanation
        deadlines.confirm_late_extension(cf, e.id, expected_version=e.version, today=day(70))
        d = reading.get_case(cf, cid, today=day(70))
        inv = next(c for c in d.clocks if c.label == "调查期限")
        assert not inv.overdue and inv.due == day(90)
        assert "经天门市人民政府批准延长30日" in inv.explanation
        assert d.extensions[0].late_confirmed_on == day(70)


def test_handling_clocks_start_on_the_reply_for_every_acting_authority(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf)
        for target, authority in (
            ("王某", "天门市应急管理局"),
            ("李某", "天门市纪委监委"),
            ("赵某", "天门市应急管理局"),
        ):
            recommendations.add_recommendation(
                cf,
                cid,
                RecommendationInput("个人", target, "使用管理责任", "行政处罚", "依据", authority),
            )
        reply.record_report_submitted(cf, cid, day(40), expected_version=ver(cf, cid))
        reply.record_report_received(cf, cid, day(41), expected_version=ver(cf, cid))
        reply.record_reply(cf, cid, day(50), "天政函〔2024〕1号", expected_version=ver(cf, cid))
        d = reading.get_case(cf, cid, today=day(55))
        tasks = {t.department: t for t in d.handling_tasks}
        assert set(tasks) == {"天门市应急管理局", "天门市纪委监委"}
        assert "王某" in tasks["天门市应急管理局"].task and "赵某" in tasks["天门市应急管理局"].task
        handling = {c.subject: c for c in d.clocks if c.label == "处理备案期限"}
        assert {s: c.due for s, c in handling.items()} == {
            "天门市应急管理局": day(80),
            "天门市纪委监委": day(80),
        }
        gone = tasks["天门市纪委监委"]
        reply.remove_handling_task(
            cf, gone.id, expected_version=gone.version, reason="批复未要求", actor="内勤甲"
        )
        d = reading.get_case(cf, cid, today=day(55))
        kept = next(t for t in d.handling_tasks if t.id == gone.id)
        assert (kept.removed_by, kept.removed_reason) == ("内勤甲", "批复未要求")
        assert {c.subject for c in d.clocks if c.label == "处理备案期限"} == {"天门市应急管理局"}


def test_the_signature_list_is_the_team_of_the_signing_day(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf)
        case_no = reading.get_case_summary(cf, cid).case_no
        for name, role, joined in (("周建国", "组长", day(2)), ("李明", "副组长", day(2))):
            team.add_member(
                cf,
                cid,
                MemberInput(name, "天门市人民政府", "人民政府", role, joined),
            )
        reply.record_report_submitted(
            cf, cid, day(40), signed_on=day(38), expected_version=ver(cf, cid)
        )
        first = reporting.investigation_report_data(cf, case_no, today=day(45))
        team.add_member(cf, cid, MemberInput("新成员", "天门市公安局", "公安机关", "成员", day(50)))
        reprint = reporting.investigation_report_data(cf, case_no, today=dt.date(2025, 3, 1))
        assert [s.name for s in first.signatories] == ["周建国", "李明"]
        assert reprint.signatories == first.signatories
        assert reading.get_case_summary(cf, cid).report_signed_on == day(38)
        refused(
            "report_signed_on",
            "不能早于",
            reply.record_report_submitted,
            cf,
            cid,
            day(40),
            signed_on=day(41),
            expected_version=ver(cf, cid),
        )


def test_a_recommendation_added_after_the_reply_brings_its_authority_a_task(
    case_url: str,
) -> None:
    with open_case_file(case_url, user="测试") as cf:
        cid = open_one(cf)
        reply.record_report_submitted(cf, cid, day(40), expected_version=ver(cf, cid))
        reply.record_report_received(cf, cid, day(41), expected_version=ver(cf, cid))
        reply.record_reply(cf, cid, day(50), "天政函〔2024〕1号", expected_version=ver(cf, cid))
        assert reading.get_case(cf, cid, today=day(51)).handling_tasks == ()
        recommendations.add_recommendation(
            cf,
            cid,
            RecommendationInput("个人", "钱某", "使用管理责任", "行政处罚", "依据", "天门市公安局"),
            override_reason="批复要求补充处理建议",  # a record of a replied case (guards)
        )
        d = reading.get_case(cf, cid, today=day(51))
        assert [t.department for t in d.handling_tasks] == ["天门市公安局"]
        assert [c.due for c in d.clocks if c.label == "处理备案期限"] == [day(80)]


def test_the_board_says_why_cases_carry_no_clock(case_url: str) -> None:
    from firecase.services.clock_board import exempt_cases

    with open_case_file(case_url, user="测试") as cf:
        open_one(cf, deaths=0, economic_loss_yuan=Decimal("150000"))
        open_one(cf, deaths=1, fire_type="森林草原火灾")
        cases.open_case(
            cf,
            incident(fire_date=dt.date(2022, 11, 20)),
            CasualtyInput(dt.date(2022, 11, 20), 1, 0),
            today=dt.date(2022, 11, 20),
        )
        big = open_one(cf, deaths=12)
        taken = open_one(cf, deaths=1)
        cases.record_takeover(
            cf, taken, "湖北省人民政府", day(3), expected_version=ver(cf, taken), today=day(3)
        )
        open_one(cf, deaths=1)  # runs: not counted
        assert big
        assert exempt_cases(cf) == (
            ("另有规定的火灾", "第二条第二款", 1),
            ("本办法施行前的火灾", "第二十六条", 1),
            ("已提级调查", "第四条第二款", 1),
            ("由上级人民政府调查", "第四条第一款", 1),
            ("不纳入调查处理", "第五条", 1),
        )
