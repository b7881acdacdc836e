"""Team mode on SQLite and PostgreSQL: users, roles enforced by the services, recusal powers,
audit rows naming the login, and the polling services the GUI uses to refresh open cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from _pg import recorded_actor
from alembic import command
from sqlalchemy import text

from firecase.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from firecase.services import (
    cases,
    deadlines,
    parties,
    reading,
    recusal,
    settings as settings_svc,
    team,
)
from firecase.services.changes import audit_position, case_changed_since, changes_since
from firecase.services.dto import (
    ExtensionInput,
    IncidentInput,
    MemberInput,
    PartyInput,
    RecusalApplicationInput,
    RecusalDecisionInput,
    SettingsInput,
    SubGroupInput,
    TeamSetupInput,
    UserInput,
)
from firecase.services.permissions import Permission, allowed, role_of
from firecase.services.users import (
    add_user,
    current_user,
    list_users,
    login_choices,
    needs_login,
    sign_in,
    update_user,
)
from firecase.store import CaseFile, open_case_file
from firecase.store.filecheck import alembic_config

D = dt.date
TODAY = D(2026, 4, 1)
TEAM = {  # login -> (display name, role)
    "admin": ("赵管理", "管理员"),
    "zhou": ("周建国", "调查组组长"),
    "liu": ("刘志强", "调查组组长"),
    "chen": ("陈晓明", "调查员"),
    "guest": ("孙只读", "只读"),
}


def _sv(cf: object) -> int:
    """The settings' version, to save them against."""
    return settings_svc.get_settings(cf).version  # type: ignore[arg-type]


def _incident(title: str = "竟陵街道商铺火灾") -> IncidentInput:
    return IncidentInput(
        title=title,
        fire_date=D(2026, 3, 1),
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("120000.00"),
        economic_loss_yuan=Decimal("650000.00"),
    )


def _member(name: str, role: str, body: str = "消防救援机构") -> MemberInput:
    return MemberInput(
        name=name, organisation="天门市", body=body, role=role, joined_on=D(2026, 3, 3)
    )


@pytest.fixture
def team_cf(case_url: str) -> Iterator[CaseFile]:
    """A case file in team mode with the five users of ``TEAM``, opened as ``admin``."""
    with open_case_file(case_url, user="admin") as cf:
        for login, (name, role) in TEAM.items():
            add_user(cf, UserInput(login, name, role), today=TODAY)
        yield cf


def _case_with_team(cf: CaseFile) -> tuple[int, dict[str, int]]:
    case = cases.open_case(cf, _incident(), today=TODAY)
    ids = {
        "周建国": team.add_member(
            cf, case.id, _member("周建国", "组长", "人民政府"), today=TODAY
        ).id,
        "刘志强": team.add_member(cf, case.id, _member("刘志强", "副组长"), today=TODAY).id,
        "陈晓明": team.add_member(cf, case.id, _member("陈晓明", "成员"), today=TODAY).id,
    }
    return case.id, ids


def _apply(cf: CaseFile, case_id: int, member_id: int) -> Any:
    return recusal.apply_recusal(
        cf,
        case_id,
        RecusalApplicationInput(
            member_id=member_id,
            applicant="本人",
            applicant_kind="本人",
            ground=3,
            reason="与事故发生单位负责人有债务往来。",
            applied_on=D(2026, 3, 5),
        ),
        today=TODAY,
    )


def _decision(by: str, by_member: int | None = None) -> RecusalDecisionInput:
    return RecusalDecisionInput(
        decision="批准",
        decided_on=D(2026, 3, 6),
        decided_by=by,
        reason="符合第十五条第三项。",
        decided_by_member_id=by_member,
    )


# --------------------------------------------------------------------------------------------
# single-user mode and the first user
# --------------------------------------------------------------------------------------------


def test_single_user_mode_is_admin_and_unburdened(case_url: str) -> None:
    with open_case_file(case_url, user="本机用户") as cf:
        me = current_user(cf)
        assert (me.login, me.role, me.registered) == ("本机用户", "管理员", False)
        assert list_users(cf) == ()
        assert role_of(cf, "随便谁") == "管理员"  # any login: no users to check against
        c = cases.open_case(cf, _incident(), today=TODAY)
        settings_svc.update_settings(
            cf, SettingsInput("天门市消防救援大队", "天消调"), expected_version=_sv(cf)
        )
        cases.remove_case(cf, c.id, expected_version=reading.get_case_summary(cf, c.id).version)
        with cf.connect() as conn:
            actors = set(conn.execute(text("SELECT DISTINCT actor FROM audit_log")).scalars())
        assert actors == {recorded_actor(cf, "本机用户")}


def test_first_user_is_yourself_and_becomes_admin(case_url: str) -> None:
    with open_case_file(case_url, user="zhou") as cf:
        with pytest.raises(ValidationError, match="第一个用户必须是您本人") as err:
            add_user(cf, UserInput("someone", "某人", "管理员"))
        assert err.value.field == "login"
        first = add_user(cf, UserInput("zhou", "周建国", "只读"), today=TODAY)
        assert (first.role, first.registered, first.active) == ("管理员", True, True)
        assert current_user(cf) == first
        second = add_user(cf, UserInput("chen", "陈晓明", "调查员"), today=TODAY)
        assert second.role == "调查员"
        assert [u.login for u in list_users(cf)] == ["chen", "zhou"]
        with pytest.raises(ValidationError, match="已被使用"):
            add_user(cf, UserInput("chen", "另一个", "调查员"))
        with pytest.raises(ValidationError, match="空格"):
            add_user(cf, UserInput("a b", "空格", "调查员"))
        with pytest.raises(ValidationError, match="角色"):
            add_user(cf, UserInput("x", "某人", "超级用户"))


def test_unknown_and_deactivated_users_are_refused(team_cf: CaseFile) -> None:
    cf = team_cf
    with pytest.raises(PermissionDeniedError, match="不是本案卷的用户"):
        role_of(cf, "stranger")
    chen = next(u for u in list_users(cf) if u.login == "chen")
    update_user(
        cf,
        "chen",
        UserInput("chen", "陈晓明", "调查员", active=False),
        expected_version=chen.version,
    )
    with pytest.raises(PermissionDeniedError, match="已被停用"):
        cases.open_case(cf, _incident(), actor="chen", today=TODAY)
    cf.user = "stranger"
    with pytest.raises(PermissionDeniedError, match="不是本案卷的用户"):
        reading.count_cases(cf)  # reads are refused too
    with pytest.raises(PermissionDeniedError):
        current_user(cf)


def test_sign_in_switches_the_acting_user(team_cf: CaseFile) -> None:
    cf = team_cf
    with pytest.raises(PermissionDeniedError):
        sign_in(cf, "stranger")
    assert cf.user == "admin"
    me = sign_in(cf, "chen")
    assert (cf.user, me.display_name, me.role) == ("chen", "陈晓明", "调查员")
    c = cases.open_case(cf, _incident(), today=TODAY)
    assert c.created_by == "chen"
    with cf.connect() as conn:
        actors = set(conn.execute(text("SELECT DISTINCT actor FROM audit_log")).scalars())
    assert actors == {recorded_actor(cf, "admin"), recorded_actor(cf, "chen")}  # logins


def test_update_user_keeps_an_admin_and_checks_versions(team_cf: CaseFile) -> None:
    cf = team_cf
    admin = next(u for u in list_users(cf) if u.login == "admin")
    with pytest.raises(ValidationError, match="至少要保留一名在用的管理员"):
        update_user(
            cf, "admin", UserInput("admin", "赵管理", "调查员"), expected_version=admin.version
        )
    with pytest.raises(ValidationError, match="登录名不能修改"):
        update_user(
            cf, "admin", UserInput("admin2", "赵管理", "管理员"), expected_version=admin.version
        )
    with pytest.raises(NotFoundError):
        update_user(cf, "nobody", UserInput("nobody", "无", "只读"), expected_version=1)
    zhou = next(u for u in list_users(cf) if u.login == "zhou")
    promoted = update_user(
        cf, "zhou", UserInput("zhou", "周建国", "管理员"), expected_version=zhou.version
    )
    assert promoted.role == "管理员" and promoted.version == zhou.version + 1
    with pytest.raises(ConflictError):
        update_user(cf, "zhou", UserInput("zhou", "周建国", "只读"), expected_version=zhou.version)
    # now another admin exists, so the first one may step down
    update_user(cf, "admin", UserInput("admin", "赵管理", "只读"), expected_version=admin.version)
    assert role_of(cf) == "只读"


# --------------------------------------------------------------------------------------------
# roles
# --------------------------------------------------------------------------------------------

# action name -> (permission, function(cf, actor, case_id, ids) doing it)
Action = Callable[[CaseFile, str, int, dict[str, int]], object]

ACTIONS: dict[str, tuple[Permission, Action]] = {
    "read": (Permission.READ, lambda cf, a, c, ids: reading.get_case(cf, c, today=TODAY)),
    "record": (
        Permission.RECORD,
        lambda cf, a, c, ids: parties.add_party(
            cf, c, PartyInput("单位", "天门某商贸公司"), actor=a, today=TODAY
        ),
    ),
    "team": (
        Permission.APPROVE_TEAM,
        lambda cf, a, c, ids: cases.set_team_setup(
            cf,
            c,
            TeamSetupInput(D(2026, 3, 3)),
            expected_version=reading.get_case_summary(cf, c).version,
            actor=a,
            today=TODAY,
        ),
    ),
    "recusal": (
        Permission.DECIDE_RECUSAL,
        lambda cf, a, c, ids: recusal.decide_recusal(
            cf,
            ids["application"],
            _decision("", ids["周建国"]),
            expected_version=1,
            actor=a,
            today=TODAY,
        ),
    ),
    "extension": (
        Permission.RECORD_EXTENSION,
        lambda cf, a, c, ids: deadlines.request_extension(
            cf, c, ExtensionInput(30, D(2026, 4, 20), "需补充鉴定。"), actor=a, today=TODAY
        ),
    ),
    "settings": (
        Permission.MANAGE_SETTINGS,
        lambda cf, a, c, ids: settings_svc.update_settings(
            cf, SettingsInput("天门市消防救援大队", "天消调"), expected_version=_sv(cf), actor=a
        ),
    ),
    "users": (
        Permission.MANAGE_USERS,
        lambda cf, a, c, ids: add_user(cf, UserInput(f"new-{a}", "新同事", "只读"), actor=a),
    ),
}
EXPECTED = {  # role -> actions it may do
    "只读": {"read"},
    "调查员": {"read", "record"},
    "调查组组长": {"read", "record", "team", "recusal", "extension"},
    "管理员": {"read", "record", "team", "recusal", "extension", "settings", "users"},
}
WHO = {
    "record": "只有调查员、调查组组长或管理员可以记录案件事实",
    "team": "只有调查组组长或管理员可以确认调查组组建",
    "recusal": "只有调查组组长或管理员可以决定回避申请",
    "extension": "只有调查组组长或管理员可以记录调查期限延长",
    "settings": "只有管理员可以修改案卷设置",
    "users": "只有管理员可以管理用户",
}


@pytest.mark.parametrize("login", ["guest", "chen", "liu", "admin"])
def test_each_role_may_do_exactly_its_actions(team_cf: CaseFile, login: str) -> None:
    cf = team_cf
    case_id, ids = _case_with_team(cf)
    ids["application"] = _apply(cf, case_id, ids["陈晓明"]).id
    name, role = TEAM[login]
    assert role_of(cf, login) == role
    for action, (permission, do) in ACTIONS.items():
        assert allowed(cf, permission, actor=login) == (action in EXPECTED[role])
        if action in EXPECTED[role]:
            do(cf, login, case_id, ids)
            continue
        with cf.connect() as conn:
            before = conn.execute(text("SELECT last_seq FROM audit_head")).scalar()
        with pytest.raises(PermissionDeniedError) as err:
            do(cf, login, case_id, ids)
        message = str(err.value)
        assert f"用户“{name}”（{role}）无权" in message, message
        assert WHO[action] in message, message
        with cf.connect() as conn:  # refused before anything was written
            assert conn.execute(text("SELECT last_seq FROM audit_head")).scalar() == before


def test_recusal_powers(team_cf: CaseFile) -> None:
    cf = team_cf
    case_id, ids = _case_with_team(cf)
    # an ordinary member: the team leader decides
    app = _apply(cf, case_id, ids["陈晓明"])
    with pytest.raises(PermissionDeniedError, match="只有调查组组长或管理员可以决定回避申请"):
        recusal.decide_recusal(
            cf, app.id, _decision("周建国"), expected_version=app.version, actor="chen"
        )
    decided = recusal.decide_recusal(
        cf,
        app.id,
        _decision("", ids["周建国"]),
        expected_version=app.version,
        actor="zhou",
        today=TODAY,
    )
    assert (decided.decision, decided.deciding_body) == ("批准", "调查组组长")
    assert (decided.decided_by, decided.decided_by_member_id) == ("周建国", ids["周建国"])
    # the leader's own recusal goes to the government ...
    own = _apply(cf, case_id, ids["周建国"])
    with pytest.raises(PermissionDeniedError, match="周建国不能对针对本人的回避申请作出决定"):
        recusal.decide_recusal(
            cf, own.id, _decision("天门市人民政府"), expected_version=own.version, actor="zhou"
        )
    with pytest.raises(ValidationError, match="组长本人的回避由人民政府决定") as err:
        recusal.decide_recusal(
            cf, own.id, _decision("刘志强"), expected_version=own.version, actor="liu"
        )
    assert err.value.field == "decided_by"
    by_gov = recusal.decide_recusal(
        cf, own.id, _decision("天门市人民政府"), expected_version=own.version, actor="liu"
    )
    assert (by_gov.deciding_body, by_gov.decided_by) == ("人民政府", "天门市人民政府")
    detail = reading.get_case(cf, case_id, today=TODAY)
    leader = next(m for m in detail.members if m.name == "周建国")
    assert leader.left_on == D(2026, 3, 6)
    with cf.connect() as conn:
        row = conn.execute(
            text(
                "SELECT actor FROM audit_log WHERE entity = 'recusal_applications'"
                " AND field = 'deciding_body' ORDER BY seq DESC"
            )
        ).first()
    assert row is not None and row[0] == recorded_actor(cf, "liu")


def test_only_who_sets_up_sub_groups_takes_a_member_out_of_one(team_cf: CaseFile) -> None:
    """Removing a member in a sub-group takes him out of it (第九条: the team leader's
    choice). An investigator is told so at the field, and nothing is removed; the leader
    removes him, out of the group as member and as its leader."""
    cf = team_cf
    case_id, ids = _case_with_team(cf)
    group = team.add_subgroup(
        cf,
        case_id,
        SubGroupInput(name="技术组", leader_id=ids["陈晓明"], member_ids=(ids["陈晓明"],)),
        actor="zhou",
        today=TODAY,
    )
    chen = next(m for m in reading.get_case(cf, case_id).members if m.name == "陈晓明")
    with pytest.raises(ValidationError, match="该成员在专项小组“技术组”中") as err:
        team.remove_member(cf, chen.id, expected_version=chen.version, actor="chen", today=TODAY)
    assert err.value.field == "id"
    assert "调查组组长或管理员确定（第九条）" in str(err.value)
    detail = reading.get_case(cf, case_id)
    assert [(g.leader_id, g.member_ids) for g in detail.subgroups] == [
        (ids["陈晓明"], (ids["陈晓明"],))
    ]
    assert len(detail.members) == 3
    team.remove_member(cf, chen.id, expected_version=chen.version, actor="zhou", today=TODAY)
    detail = reading.get_case(cf, case_id)
    assert [(g.id, g.leader_id, g.member_ids) for g in detail.subgroups] == [(group.id, None, ())]
    assert len(detail.members) == 2


def test_old_decisions_are_marked_as_the_leaders(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        case_id, ids = _case_with_team(cf)
        app = _apply(cf, case_id, ids["陈晓明"])
        recusal.decide_recusal(
            cf, app.id, _decision("", ids["周建国"]), expected_version=app.version, today=TODAY
        )
        pending = _apply(cf, case_id, ids["刘志强"])
        with cf.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0003")
    with open_case_file(case_url, user="u") as cf:
        assert cf.upgraded_from == "0003"
        views = {r.id: r for r in reading.get_case(cf, case_id, today=TODAY).recusals}
        assert views[app.id].deciding_body == "调查组组长"
        assert views[pending.id].deciding_body == ""
        assert list_users(cf) == ()
        assert cf.verify_audit().ok


# --------------------------------------------------------------------------------------------
# polling for changes
# --------------------------------------------------------------------------------------------


def test_changes_since_and_case_changed_since(team_cf: CaseFile) -> None:
    cf = team_cf
    one = cases.open_case(cf, _incident("甲"), today=TODAY)
    two = cases.open_case(cf, _incident("乙"), today=TODAY)
    seq = audit_position(cf)
    none = changes_since(cf, seq)
    assert not none.changed and none.case_ids == frozenset() and none.seq == seq
    assert not case_changed_since(cf, one.id, seq)

    parties.add_party(cf, two.id, PartyInput("个人", "李四"), actor="chen", today=TODAY)
    got = changes_since(cf, seq)
    assert got.changed and got.case_ids == {two.id} and not got.other_changed
    assert got.actors == {recorded_actor(cf, "chen")} and got.seq > seq
    assert case_changed_since(cf, two.id, seq) and not case_changed_since(cf, one.id, seq)
    assert two.version == reading.get_case_summary(cf, two.id).version  # why versions won't do

    seq = got.seq
    settings_svc.update_settings(
        cf, SettingsInput("天门市消防救援大队", "天消调"), expected_version=_sv(cf)
    )
    got = changes_since(cf, seq)
    assert got.other_changed and got.actors == {recorded_actor(cf, "admin")}
    cases.remove_case(cf, one.id, expected_version=reading.get_case_summary(cf, one.id).version)
    assert one.id in changes_since(cf, got.seq).case_ids  # deleted cases are reported too
    future = changes_since(cf, audit_position(cf) + 100)
    assert future.other_changed  # restored from an older backup: reload everything
    assert changes_since(cf, 0).case_ids == {one.id, two.id}
    with pytest.raises(ValidationError):
        changes_since(cf, -1)


def test_reader_may_poll(team_cf: CaseFile) -> None:
    cf = team_cf
    c = cases.open_case(cf, _incident(), today=TODAY)
    cf.user = "guest"
    assert c.id in changes_since(cf, 0).case_ids
    assert case_changed_since(cf, c.id, 0)
    assert current_user(cf).role == "只读"


def test_login_choices_need_no_identity(team_cf: CaseFile) -> None:
    cf = team_cf
    chen = next(u for u in list_users(cf) if u.login == "chen")
    update_user(
        cf,
        "chen",
        UserInput("chen", "陈晓明", "调查员", active=False),
        expected_version=chen.version,
    )
    assert not needs_login(cf)
    cf.user = "stranger"
    assert needs_login(cf)
    choices = login_choices(cf)  # readable before anyone is identified
    assert {u.login for u in choices} == set(TEAM) - {"chen"}
    assert all(u.active and u.registered for u in choices)


def test_single_user_file_needs_no_login(case_url: str) -> None:
    with open_case_file(case_url, user="本机用户") as cf:
        assert login_choices(cf) == () and not needs_login(cf)
