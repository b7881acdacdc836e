"""Recusal applications and their decisions (第十五条)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import PermissionDeniedError, ValidationError
from firecase.rules import TeamRole
from firecase.services import _common as v, _derive, _views as views
from firecase.services._records import Kind, _edit_guard, _need, _ref
from firecase.services.dto import (
    APPLICANT_KINDS,
    GOVERNMENT_BODY,
    LEADER_BODY,
    RECUSAL_DECISIONS,
    RecusalApplicationInput,
    RecusalDecisionInput,
    RecusalView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

# --------------------------------------------------------------------------------------------
# recusal (第十五条)
# --------------------------------------------------------------------------------------------


def _recusal_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, RecusalApplicationInput, "回避申请")
    member = _ref(s, m.TeamMember, d.member_id, case, "member_id", "被申请回避的成员")
    applied = v.date(d.applied_on, "applied_on", "申请日期")
    v.not_before(applied, case.fire_date, "applied_on", "申请日期", "起火日期")
    return {
        "member_id": member,
        "party_id": _ref(s, m.Party, d.party_id, case, "party_id", "相关当事人"),
        "applicant": v.text(d.applicant, "applicant", "申请人", max_len=100),
        "applicant_kind": v.choice(
            d.applicant_kind, "applicant_kind", "申请人身份", APPLICANT_KINDS
        ),
        "ground": v.integer(d.ground, "ground", "回避事由（第十五条第几项）", minimum=1, maximum=3),
        "reason": v.long_text(d.reason, "reason", "申请理由", required=True),
        "applied_on": applied,
    }


def _compact(text: str) -> str:
    """``text`` as compared for the decider: NFKC, without white space (brackets are kept)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _active_on(x: m.TeamMember, day: dt.date) -> bool:
    """On the team that day: joined by then and not left (recused) yet."""
    return x.joined_on <= day and (x.left_on is None or x.left_on > day)


def _leader_decides(
    r: m.RecusalApplication,
    member: m.TeamMember,
    members: list[m.TeamMember],
    decided_on: dt.date,
    member_id: Any,
) -> m.TeamMember:
    """The team leader deciding a member's application (第十五条), or ``ValidationError``."""
    field = "decided_by_member_id"
    leaders = [x for x in members if x.role == TeamRole.LEADER.value and _active_on(x, decided_on)]
    named = "、".join(x.name for x in leaders) or "本案尚未确定调查组组长"
    rid = v.opt_ident(member_id, field, "决定人")
    if rid is None:
        raise ValidationError(
            f"回避申请由调查组组长决定（第十五条），请在“决定人”中选择调查组组长（{named}）。",
            field=field,
        )
    decider = next((x for x in members if x.id == rid), None)
    if decider is None:
        raise ValidationError("所选决定人不是本案调查组成员。", field=field)
    if decider.id == member.id:
        raise ValidationError(
            f"{member.name}是被申请回避的成员，不能对针对本人的回避申请作出决定（第十五条）。",
            field=field,
        )
    if rules.normalise_name(decider.name) == rules.normalise_name(r.applicant):
        raise ValidationError(
            f"{decider.name}是本回避申请的申请人，申请人不能对本人提出的回避申请作出决定。",
            field=field,
        )
    if decider not in leaders and decider.role == TeamRole.LEADER.value:
        when = (
            f"{decider.joined_on.isoformat()}才加入调查组"
            if decider.joined_on > decided_on
            else f"已于{decider.left_on.isoformat() if decider.left_on else ''}回避"
        )
        raise ValidationError(
            f"{decider.name}{when}，决定日期（{decided_on.isoformat()}）不是调查组组长，"
            "不能作出决定（第十五条）。",
            field=field,
        )
    if decider not in leaders:
        raise ValidationError(
            f"{decider.name}不是本案调查组组长（组长：{named}），"
            "回避申请由调查组组长决定（第十五条）。",
            field=field,
        )
    return decider


def _check_forming_government(case: m.Case, member: m.TeamMember, decided_by: str) -> None:
    """The leader's own application is decided by the government that formed the team
    (天门市人民政府, 第四条) or, once it took the case over, by that government: not by a
    township's or any other (the lawyer's finding: "皂市镇人民政府" was accepted)."""
    from firecase.services.deadlines import extension_approvers

    allowed = extension_approvers(case)
    if _compact(decided_by) in {_compact(a) for a in (*allowed, "市人民政府")}:
        return
    raise ValidationError(
        f"{member.name}是调查组组长，组长本人的回避由组建调查组的人民政府决定（第十五条、"
        f"第四条）：“{decided_by}”不是本案的组建机关，请填写"
        f"{'或'.join(f'“{a}”' for a in allowed)}。",
        field="decided_by",
    )


def _government_decides(
    r: m.RecusalApplication,
    case: m.Case,
    member: m.TeamMember,
    members: list[m.TeamMember],
    decided_by: str,
    member_id: Any,
) -> None:
    """Check the government named to decide the team leader's own application (第十五条)."""
    field = "decided_by"
    hint = "请在“决定人”中填写作出决定的人民政府，如“天门市人民政府”。"
    if member_id is not None:
        raise ValidationError(
            f"{member.name}是调查组组长，组长本人的回避由人民政府决定，"
            f"不由调查组成员决定（第十五条）。{hint}",
            field=field,
        )
    said = _compact(decided_by)
    if not said.endswith(GOVERNMENT_BODY) or said == GOVERNMENT_BODY:
        raise ValidationError(
            f"{member.name}是调查组组长，组长本人的回避由人民政府决定，不由调查组决定"
            f"（第十五条）。“决定人”应为人民政府的名称（以“人民政府”结尾）。{hint}",
            field=field,
        )
    for x in members:
        name = rules.normalise_name(x.name)
        if len(name) >= 2 and name in said:
            who = "组长本人" if x.id == member.id else "调查组成员"
            raise ValidationError(
                f"“{decided_by}”含有{who}{x.name}的姓名：组长本人的回避由人民政府决定，"
                f"不能由{who}决定（第十五条）。{hint}",
                field=field,
            )
    applicant = rules.normalise_name(r.applicant)
    if applicant and applicant == rules.normalise_name(decided_by):
        raise ValidationError(
            f"{decided_by}是本回避申请的申请人，申请人不能对本人提出的回避申请作出决定。",
            field=field,
        )
    _check_forming_government(case, member, decided_by)


def _deciding_body(member: m.TeamMember, login: str, user_name: str) -> str:
    """Who has the power to decide a recusal of ``member``; refuses a user deciding on oneself."""
    leader = member.role == TeamRole.LEADER.value
    if member.name in {login, user_name}:
        raise PermissionDeniedError(
            f"{member.name}不能对针对本人的回避申请作出决定（第十五条）。"
            + (
                "调查组组长本人的回避由人民政府决定，请由管理员或其他有权限的用户录入人民政府的决定。"
                if leader
                else "请由调查组组长决定。"
            )
        )
    return GOVERNMENT_BODY if leader else LEADER_BODY


def _recusal_out(s: Session, r: m.RecusalApplication) -> RecusalView:
    return views.recusal_view(s, r)


@requires(Permission.RECORD)
def apply_recusal(
    cf: CaseFile,
    case_id: int,
    data: RecusalApplicationInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecusalView:
    """Record a recusal application by the member, a party or an interested person (dated
    neither before the fire nor after today)."""
    now = v.today_or(today)

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        out = _recusal_values(s, case, d)
        v.not_future(out["applied_on"], now, "applied_on", "申请日期")
        return out

    return _RECUSAL_APPLICATION.add(
        cf, case_id, data, actor, now, values=values, override_reason=override_reason
    )


@requires(Permission.DECIDE_RECUSAL)
def decide_recusal(
    cf: CaseFile,
    application_id: int,
    data: RecusalDecisionInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecusalView:
    """Decide an application; an approved one takes the member off the roster from that date.

    The team leader decides (第十五条): on a member's application ``decided_by_member_id`` must
    be the case's active team leader (``decided_by`` is then the leader's name), never the
    member concerned nor the applicant. The leader's own recusal is decided by the government:
    the decision is recorded with deciding body 人民政府, ``decided_by_member_id`` is None and
    ``decided_by`` names that government (e.g. "天门市人民政府"), never a team member. Nobody
    may record a decision on an application against themselves (the user whose name is the
    member's). The decision date lies between the application date and today.
    """
    _need(data, RecusalDecisionInput, "回避决定")
    decision = v.choice(data.decision, "decision", "决定", RECUSAL_DECISIONS)
    decided_on = v.date(data.decided_on, "decided_on", "决定日期")
    decided_by = v.text(data.decided_by, "decided_by", "决定人", max_len=100, required=False)
    reason = v.long_text(data.reason, "reason", "决定理由", required=True)
    now = v.today_or(today)
    if decided_on > now:
        raise ValidationError(
            f"决定日期（{decided_on.isoformat()}）不能晚于今天（{now.isoformat()}）。",
            field="decided_on",
        )
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        r = v.load(s, m.RecusalApplication, application_id, "回避申请")
        v.check_version(r, expected_version, "回避申请")
        if r.decision:
            raise ValidationError("该回避申请已作出决定。", field="decision")
        v.not_before(decided_on, r.applied_on, "decided_on", "决定日期", "申请日期")
        case = v.load_case(s, r.case_id)
        member = v.load(s, m.TeamMember, r.member_id, "调查组成员")
        body = _deciding_body(member, uow.actor, uow.display_name)
        members = list(
            s.scalars(
                select(m.TeamMember)
                .where(m.TeamMember.case_id == case.id)
                .order_by(m.TeamMember.id)
            )
        )
        decider_id: int | None = None
        if body == LEADER_BODY:
            leader = _leader_decides(r, member, members, decided_on, data.decided_by_member_id)
            decider_id, decided_by = leader.id, leader.name
        else:
            if not decided_by:
                raise ValidationError(
                    f"{member.name}是调查组组长，组长本人的回避由人民政府决定（第十五条）。"
                    "请在“决定人”中填写作出决定的人民政府，如“天门市人民政府”。",
                    field="decided_by",
                )
            _government_decides(r, case, member, members, decided_by, data.decided_by_member_id)
        _edit_guard(uow, case, r, override_reason, now)
        r.decision, r.decided_on, r.decided_by, r.decision_reason, r.deciding_body = (
            decision,
            decided_on,
            decided_by,
            reason,
            body,
        )
        r.decided_by_member_id = decider_id
        if decision == "批准" and (member.left_on is None or member.left_on > decided_on):
            member.left_on = decided_on
        s.flush()
        _derive.refresh_derived(s, case, now)
        out = views.recusal_view(s, r)
        uow.commit()
    return out


@requires(Permission.DECIDE_RECUSAL)
def remove_recusal(
    cf: CaseFile,
    application_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an undecided application recorded in error."""

    def before(s: Session, r: m.RecusalApplication) -> None:
        if r.decision:
            raise ValidationError("已作出决定的回避申请不能删除。", field="id")

    return _RECUSAL_APPLICATION.remove(
        cf, application_id, expected_version, actor, today, before, override_reason=override_reason
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_RECUSAL_APPLICATION = Kind(m.RecusalApplication, "回避申请", _recusal_out)
