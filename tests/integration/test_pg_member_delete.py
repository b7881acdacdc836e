"""A team member is not deleted from under the leader's rows (migration 0023).

The attack, found by review: an investigator may delete team members (one appointed in error),
but not sub-group memberships, sub-group leaders or decided recusals. ``DELETE FROM
team_members`` in psql went past both, because PostgreSQL runs ``ON DELETE CASCADE`` / ``SET
NULL`` as the table's owner and without row-level security: the decided recusal (第十五条) was
gone, the sub-group lost its member and leader. The team fixture and the probes of each role:
``test_pg_team.py``."""

from __future__ import annotations

from typing import Any

import pytest
import test_pg_team as pg
from sqlalchemy import text
from test_pg_team import TODAY, D, Team

from firecase.errors import ValidationError
from firecase.services import cases, reading, recusal, team as team_svc
from firecase.services.dto import (
    MemberInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SubGroupInput,
)
from firecase.store import CaseFile
from firecase.store.audit import verify_audit_chain

pytestmark = pytest.mark.postgres

team = pg.team


def _approve(cf: CaseFile, app: Any, leader_id: int, reason: str) -> None:
    """The leader approves ``app`` (第十五条)."""
    decision = RecusalDecisionInput("批准", D(2026, 3, 6), "", reason, leader_id)
    recusal.decide_recusal(cf, app.id, decision, expected_version=app.version, today=TODAY)


def _leaders_rows(team: Team) -> int:
    """The leader decides 刘志强's recusal and sets up a 技术组 led by 王技术, a new member."""
    with team.open("zhou") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        detail = reading.get_case(cf, case_id, today=TODAY)
        leader = next(m for m in detail.members if m.name == "周建国")
        liu = next(m for m in detail.members if m.name == "刘志强")
        app = next(r for r in detail.recusals if r.member_id == liu.id)
        _approve(cf, app, leader.id, "符合第十五条第三项。")
        wang = team_svc.add_member(
            cf,
            case_id,
            MemberInput("王技术", "天门市", "消防救援机构", "成员", D(2026, 3, 3)),
            today=TODAY,
        )
        team_svc.add_subgroup(
            cf,
            case_id,
            SubGroupInput(name="技术组", leader_id=wang.id, member_ids=(wang.id,)),
            today=TODAY,
        )
    return case_id


def _state(team: Team) -> list[tuple[object, ...]]:
    with team.open("admin") as cf, cf.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT 'recusal', m.name, r.decision, d.name FROM recusal_applications r "
                    "JOIN team_members m ON m.id = r.member_id "
                    "LEFT JOIN team_members d ON d.id = r.decided_by_member_id "
                    "UNION ALL SELECT 'group', g.name, l.name, m.name FROM subgroups g "
                    "LEFT JOIN team_members l ON l.id = g.leader_id "
                    "LEFT JOIN subgroup_members s ON s.subgroup_id = g.id "
                    "LEFT JOIN team_members m ON m.id = s.member_id ORDER BY 1, 2"
                )
            )
        ]


def test_an_investigator_cannot_delete_a_member_from_under_the_leaders_rows(team: Team) -> None:
    case_id = _leaders_rows(team)
    before = _state(team)
    assert ("recusal", "刘志强", "批准", "周建国") in before
    assert ("group", "技术组", "王技术", "王技术") in before
    for name in ("刘志强", "王技术", "周建国", "陈晓明"):  # decided, in a group, decider, pending
        result = team.psql("chen", f"DELETE FROM team_members WHERE name = '{name}'")
        assert result.returncode != 0, name
        assert "foreign key" in result.stderr, (name, result.stderr)
    assert _state(team) == before
    # FireCase's own 删除 says why at the field (第九条), not the server's refusal
    with team.open("chen") as cf:
        wang = next(x for x in reading.get_case(cf, case_id).members if x.name == "王技术")
        with pytest.raises(ValidationError, match="该成员在专项小组“技术组”中") as info:
            team_svc.remove_member(cf, wang.id, expected_version=wang.version, today=TODAY)
        assert info.value.field == "id"
    assert _state(team) == before
    with team.open("admin") as cf, cf.connect() as conn:
        assert verify_audit_chain(conn).ok
        assert conn.execute(text("SELECT count(*) FROM team_members")).scalar() == 4


def test_the_leader_still_removes_a_member_in_a_group_and_a_whole_case(team: Team) -> None:
    """Through FireCase the leader's removal takes the member out of the group first; a member
    who decided a recusal is refused in Chinese; removing the case removes everything in it."""
    case_id = _leaders_rows(team)
    with team.open("zhou") as cf:
        detail = reading.get_case(cf, case_id, today=TODAY)
        wang = next(m for m in detail.members if m.name == "王技术")
        team_svc.remove_member(cf, wang.id, expected_version=wang.version, today=TODAY)
        leader = next(m for m in detail.members if m.name == "周建国")
        with pytest.raises(ValidationError, match="作出过回避决定") as info:
            team_svc.remove_member(cf, leader.id, expected_version=leader.version, today=TODAY)
        assert info.value.field == "id"
        after = reading.get_case(cf, case_id, today=TODAY)
        assert [g.leader_id for g in after.subgroups] == [None]
        assert [g.member_ids for g in after.subgroups] == [()]
        summary = reading.get_case_summary(cf, case_id)
        cases.remove_case(cf, case_id, expected_version=summary.version)
    with team.open("admin") as cf, cf.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM team_members")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM recusal_applications")).scalar() == 0
        assert verify_audit_chain(conn).ok


def test_a_party_is_not_deleted_from_under_a_decided_recusal(team: Team) -> None:
    """The review's second finding: ``recusal_applications.party_id`` was SET NULL, so an
    investigator deleting a party (he may) took it off the leader's decided recusal. Now the
    server refuses it; FireCase refuses it in Chinese, and takes the party off a pending
    application itself (audited, under row-level security an investigator may)."""
    from firecase.services import parties
    from firecase.services.dto import PartyInput

    with team.open("zhou") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        zhang = parties.add_party(cf, case_id, PartyInput("个人", "张三"), today=TODAY)
        li = parties.add_party(cf, case_id, PartyInput("个人", "李四"), today=TODAY)
        detail = reading.get_case(cf, case_id, today=TODAY)
        leader = next(x for x in detail.members if x.name == "周建国")
        chen = next(x for x in detail.members if x.name == "陈晓明")
        liu = next(x for x in detail.members if x.name == "刘志强")
        applications = [
            recusal.apply_recusal(
                cf,
                case_id,
                RecusalApplicationInput(member, "本人", "本人", ground, why, D(2026, 3, 5), party),
                today=TODAY,
            )
            for member, ground, why, party in (
                (chen.id, 1, "系张三之子。", zhang.id),
                (liu.id, 3, "与李四同事。", li.id),
            )
        ]
        decided, pending = applications
        _approve(cf, decided, leader.id, "符合第十五条第一项。")
    result = team.psql("chen", "DELETE FROM parties WHERE name = '张三'")
    assert result.returncode != 0 and "foreign key" in result.stderr, result.stderr
    with team.open("chen") as cf:
        with pytest.raises(ValidationError, match="已作出决定的回避申请") as info:
            parties.remove_party(cf, zhang.id, expected_version=zhang.version, today=TODAY)
        assert info.value.field == "id"
        parties.remove_party(cf, li.id, expected_version=li.version, today=TODAY)
    with team.open("admin") as cf, cf.connect() as conn:
        rows = dict(
            conn.execute(
                text("SELECT id, party_id FROM recusal_applications WHERE id IN (:a, :b)"),
                {"a": decided.id, "b": pending.id},
            ).all()
        )
        assert rows == {decided.id: zhang.id, pending.id: None}
        assert verify_audit_chain(conn).ok
