"""Add / update / remove services for each part of a case.

Every function is one transaction: it validates the input, checks the caller's
``expected_version`` (``ConflictError`` when stale), writes through the ORM (so the audit trail
sees every change), recomputes the case's stage and next due date, and returns a frozen DTO.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError, PermissionDeniedError, ValidationError
from firecase.rules import TeamRole
from firecase.services import (
    _common as v,
    _derive,
    _views as views,
    evidence_numbers,
    guards,
    recycle,
)
from firecase.services.dto import (
    APPLICANT_KINDS,
    APPRAISAL_KINDS,
    CAUSE_KINDS,
    CUSTODY_ACTIONS,
    EVALUATION_ITEM_KINDS,
    EVALUATION_RESULTS,
    EVIDENCE_KINDS,
    GOVERNMENT_BODY,
    LEADER_BODY,
    MEASURE_STATUSES,
    PARTY_ROLES,
    RECOMMENDATION_KINDS,
    RECUSAL_DECISIONS,
    RESPONSIBILITY_AREAS,
    TARGET_KINDS,
    AppraisalInput,
    AppraisalView,
    AttachmentInput,
    AttachmentView,
    CauseInput,
    CauseView,
    CustodyInput,
    CustodyView,
    DissentInput,
    DissentView,
    EvaluationInput,
    EvaluationItemInput,
    EvaluationItemView,
    EvaluationView,
    EvidenceInput,
    EvidenceView,
    ExtensionInput,
    ExtensionView,
    FeedbackInput,
    FindingInput,
    FindingView,
    HandlingTaskInput,
    HandlingTaskView,
    MeasureInput,
    MeasureView,
    MemberInput,
    MemberView,
    PartyInput,
    PartyView,
    RecommendationInput,
    RecommendationView,
    RecusalApplicationInput,
    RecusalDecisionInput,
    RecusalView,
    ReportSectionView,
    SubGroupInput,
    SubGroupView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, blobs, models as m

R = TypeVar("R")
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
MAX_EXTENSION_DAYS = 60  # 第十七条


def _need(data: Any, cls: type, label: str) -> None:
    if not isinstance(data, cls):
        raise ValidationError(f"{label}格式不正确。", field=label)


# --------------------------------------------------------------------------------------------
# generic add / update / remove
# --------------------------------------------------------------------------------------------

Values = Callable[[Session, m.Case, Any], dict[str, Any]]


def _add(
    cf: CaseFile,
    model: type[m.Base],
    case_id: int,
    data: Any,
    values: Values,
    view: Callable[[Session, Any], R],
    actor: str | None,
    today: dt.date | None,
    after: Callable[[Session, Any, Any], None] | None = None,
    *,
    override_reason: str = "",
) -> R:
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        obj = model(case_id=case.id, **values(s, case, data))
        s.add(obj)
        s.flush()
        _edit_guard(uow, case, obj, override_reason, now)
        if after is not None:
            after(s, obj, data)
        _derive.refresh_derived(s, case, now)
        out = view(s, obj)
        uow.commit()
    return out


def _update(
    cf: CaseFile,
    model: type[m.Base],
    label: str,
    record_id: int,
    data: Any,
    values: Values,
    view: Callable[[Session, Any], R],
    expected_version: int,
    actor: str | None,
    today: dt.date | None,
    after: Callable[[Session, Any, Any], None] | None = None,
    *,
    override_reason: str = "",
    guarded: bool = True,
) -> R:
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj: Any = v.load(s, model, record_id, label)
        v.check_version(obj, expected_version, label)
        case = v.load_case(s, obj.case_id)
        changed = after is not None
        for key, value in values(s, case, data).items():
            if getattr(obj, key) != value:
                setattr(obj, key, value)
                changed = True
        if guarded and changed:
            _edit_guard(uow, case, obj, override_reason, now)
        s.flush()
        if after is not None:
            after(s, obj, data)
        _derive.refresh_derived(s, case, now)
        out = view(s, obj)
        uow.commit()
    return out


def _remove(
    cf: CaseFile,
    model: type[m.Base],
    label: str,
    record_id: int,
    expected_version: int | None,
    actor: str | None,
    today: dt.date | None,
    before: Callable[[Session, Any], None] | None = None,
    *,
    override_reason: str = "",
) -> int:
    """Remove a record into the case's 回收站 (``services.recycle``); returns the entry's id.
    What ``before`` deletes or unlinks with it is kept in the same entry."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        obj: Any = v.load(s, model, record_id, label)
        if hasattr(obj, "version"):
            v.check_version(obj, expected_version, label)
        case = v.load_case(s, obj.case_id)
        summary = recycle.describe(obj)
        with recycle.capture(s) as kept:
            if before is not None:
                before(s, obj)
            _edit_guard(uow, case, obj, override_reason, now)
            recycle.unlink(s, obj, kept, through_orm=cf.team is None)
            s.delete(obj)
            s.flush()
        entry = recycle.keep(
            s, case, obj, label=label, summary=summary, kept=kept, by=uow.display_name or uow.actor
        )
        _derive.refresh_derived(s, case, now)
        uow.commit()
        return entry.id


def _edit_guard(uow: Any, case: m.Case, obj: Any, override_reason: str, now: dt.date) -> None:
    """Changing a record of the investigation after the 批复 asks (``guards.EDIT_AFTER_REPLY``)."""
    guards.check_edit(
        uow.session,
        case,
        obj.__tablename__,
        getattr(obj, "id", ""),
        override_reason,
        by=uow.display_name or uow.actor,
        today=now,
    )


def _ref(
    session: Session, model: type[m.Base], value: Any, case: m.Case, field: str, label: str
) -> int | None:
    rid = v.opt_ident(value, field, label)
    if rid is None:
        return None
    obj = session.get(model, rid)
    if obj is None or getattr(obj, "case_id", None) != case.id:
        raise ValidationError(f"所选{label}不存在或不属于本案件。", field=field)
    return rid


# --------------------------------------------------------------------------------------------
# parties
# --------------------------------------------------------------------------------------------


def _party_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, PartyInput, "当事人信息")
    return {
        "kind": v.choice(d.kind, "kind", "当事人类别", _derive.party_kinds()),
        "name": v.text(d.name, "name", "名称或姓名"),
        "role": v.choice(d.role, "role", "身份", PARTY_ROLES),
        "organisation": v.text(d.organisation, "organisation", "所在单位", required=False),
        "relatives": v.join_relatives(v.relatives(d.relatives, "relatives", "近亲属")),
        "contact": v.text(d.contact, "contact", "联系方式", required=False),
        "note": v.long_text(d.note, "note", "备注"),
    }


def _party_out(s: Session, p: m.Party) -> PartyView:
    return views.party_view(p)


@requires(Permission.RECORD)
def add_party(
    cf: CaseFile,
    case_id: int,
    data: PartyInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> PartyView:
    """Add a person, unit or department involved in the fire."""
    return _add(
        cf,
        m.Party,
        case_id,
        data,
        _party_values,
        _party_out,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_party(
    cf: CaseFile,
    party_id: int,
    data: PartyInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> PartyView:
    """Change a party."""
    return _update(
        cf,
        m.Party,
        "当事人",
        party_id,
        data,
        _party_values,
        _party_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_party(
    cf: CaseFile,
    party_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a party."""
    return _remove(
        cf,
        m.Party,
        "当事人",
        party_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


# --------------------------------------------------------------------------------------------
# team members and sub-groups
# --------------------------------------------------------------------------------------------


def _member_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, MemberInput, "调查组成员信息")
    joined = v.date(d.joined_on, "joined_on", "加入日期")
    v.not_before(joined, case.fire_date, "joined_on", "加入日期", "起火日期")
    return {
        "name": v.text(d.name, "name", "姓名", max_len=100),
        "organisation": v.text(d.organisation, "organisation", "所在单位"),
        "body": v.choice(d.body, "body", "所代表的机关", _derive.bodies()),
        "role": v.choice(d.role, "role", "调查组职务", _derive.team_roles()),
        "title": v.text(d.title, "title", "本单位职务", max_len=100, required=False),
        "expertise": v.text(d.expertise, "expertise", "专长", required=False),
        "relatives": v.join_relatives(v.relatives(d.relatives, "relatives", "申报的近亲属")),
        "joined_on": joined,
    }


def _member_out(s: Session, x: m.TeamMember) -> MemberView:
    return views.member_view(x)


@requires(Permission.RECORD)
def add_member(
    cf: CaseFile,
    case_id: int,
    data: MemberInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> MemberView:
    """Appoint a team member."""
    return _add(
        cf,
        m.TeamMember,
        case_id,
        data,
        _member_values,
        _member_out,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_member(
    cf: CaseFile,
    member_id: int,
    data: MemberInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> MemberView:
    """Change a team member's details."""
    return _update(
        cf,
        m.TeamMember,
        "调查组成员",
        member_id,
        data,
        _member_values,
        _member_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_member(
    cf: CaseFile,
    member_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a member appointed in error (a recused member stays, with ``left_on``)."""

    def before(s: Session, obj: m.TeamMember) -> None:
        for model, label in ((m.RecusalApplication, "回避申请"), (m.Dissent, "不同意见")):
            if s.scalar(select(model.id).where(model.member_id == obj.id).limit(1)) is not None:
                raise ValidationError(
                    f"该成员已有{label}记录，不能删除；如需退出调查组请办理回避。", field="id"
                )
        for link in list(
            s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.member_id == obj.id))
        ):
            s.delete(link)
        for g in s.scalars(select(m.SubGroup).where(m.SubGroup.leader_id == obj.id)):
            g.leader_id = None

    return _remove(
        cf,
        m.TeamMember,
        "调查组成员",
        member_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


def _subgroup_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, SubGroupInput, "专项小组信息")
    if not isinstance(d.member_ids, (tuple, list)):
        raise ValidationError("小组成员应为列表。", field="member_ids")
    for mid in d.member_ids:
        _ref(s, m.TeamMember, mid, case, "member_ids", "小组成员")
    if len(set(d.member_ids)) != len(d.member_ids):
        raise ValidationError("小组成员有重复。", field="member_ids")
    leader = _ref(s, m.TeamMember, d.leader_id, case, "leader_id", "小组组长")
    return {
        "name": v.text(d.name, "name", "小组名称", max_len=50),
        "leader_id": leader,
        "duties": v.long_text(d.duties, "duties", "职责"),
    }


def _subgroup_members(s: Session, g: m.SubGroup, d: SubGroupInput) -> None:
    wanted = set(d.member_ids)
    if g.leader_id is not None:
        wanted.add(g.leader_id)
    have = {
        link.member_id: link
        for link in s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.subgroup_id == g.id))
    }
    for mid, link in have.items():
        if mid not in wanted:
            s.delete(link)
    for mid in sorted(wanted - set(have)):
        s.add(m.SubGroupMember(subgroup_id=g.id, member_id=mid))
    s.flush()


def _subgroup_out(s: Session, g: m.SubGroup) -> SubGroupView:
    return views.subgroup_view(s, g)


@requires(Permission.APPROVE_TEAM)
def add_subgroup(
    cf: CaseFile,
    case_id: int,
    data: SubGroupInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> SubGroupView:
    """Set up a sub-group (综合组/技术组/管理组/…) with leader, duties and members."""
    return _add(
        cf,
        m.SubGroup,
        case_id,
        data,
        _subgroup_values,
        _subgroup_out,
        actor,
        today,
        _subgroup_members,
        override_reason=override_reason,
    )


@requires(Permission.APPROVE_TEAM)
def update_subgroup(
    cf: CaseFile,
    subgroup_id: int,
    data: SubGroupInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> SubGroupView:
    """Change a sub-group, its leader, duties and members."""
    return _update(
        cf,
        m.SubGroup,
        "专项小组",
        subgroup_id,
        data,
        _subgroup_values,
        _subgroup_out,
        expected_version,
        actor,
        today,
        _subgroup_members,
        override_reason=override_reason,
    )


@requires(Permission.APPROVE_TEAM)
def remove_subgroup(
    cf: CaseFile,
    subgroup_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a sub-group."""

    def before(s: Session, g: m.SubGroup) -> None:
        for link in list(
            s.scalars(select(m.SubGroupMember).where(m.SubGroupMember.subgroup_id == g.id))
        ):
            s.delete(link)

    return _remove(
        cf,
        m.SubGroup,
        "专项小组",
        subgroup_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


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


def _government_decides(
    r: m.RecusalApplication,
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

    return _add(
        cf,
        m.RecusalApplication,
        case_id,
        data,
        values,
        _recusal_out,
        actor,
        now,
        override_reason=override_reason,
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
            _government_decides(r, member, members, decided_by, data.decided_by_member_id)
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

    return _remove(
        cf,
        m.RecusalApplication,
        "回避申请",
        application_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


# --------------------------------------------------------------------------------------------
# evidence, custody, attachments
# --------------------------------------------------------------------------------------------


def _evidence_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, EvidenceInput, "证据信息")
    collected = v.date(d.collected_on, "collected_on", "提取日期")
    v.not_before(collected, case.fire_date, "collected_on", "提取日期", "起火日期")
    return {
        "code": v.text(d.code, "code", "证据编号", max_len=32),
        "name": v.text(d.name, "name", "证据名称"),
        "kind": v.choice(d.kind, "kind", "证据种类", EVIDENCE_KINDS),
        "description": v.long_text(d.description, "description", "证据说明"),
        "collected_on": collected,
        "collected_by": v.text(d.collected_by, "collected_by", "提取人", max_len=100),
        "location": v.text(d.location, "location", "保管位置", required=False),
    }


def _evidence_out(s: Session, e: m.EvidenceItem) -> EvidenceView:
    return views.evidence_view(s, e)


def _unique_code(s: Session, case: m.Case, values: dict[str, Any], own_id: int | None) -> None:
    code = values["code"]
    other = s.scalar(
        select(m.EvidenceItem.id).where(
            m.EvidenceItem.case_id == case.id, m.EvidenceItem.code == code
        )
    )
    if other is not None and other != own_id:
        free = evidence_numbers.next_code_in(s, case.id, case.year, values["kind"])
        hint = f"下一个可用的{values['kind']}编号为“{free}”" if free else "请换一个编号"
        raise ValidationError(f"本案已有证据编号“{code}”，{hint}。", field="code")


@requires(Permission.RECORD)
def add_evidence(
    cf: CaseFile,
    case_id: int,
    data: EvidenceInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvidenceView:
    """Register an evidence item."""

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        out = _evidence_values(s, case, d)
        _unique_code(s, case, out, None)
        return out

    return _add(
        cf,
        m.EvidenceItem,
        case_id,
        data,
        values,
        _evidence_out,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_evidence(
    cf: CaseFile,
    evidence_id: int,
    data: EvidenceInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvidenceView:
    """Change an evidence item."""

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        out = _evidence_values(s, case, d)
        _unique_code(s, case, out, evidence_id)
        return out

    return _update(
        cf,
        m.EvidenceItem,
        "证据",
        evidence_id,
        data,
        values,
        _evidence_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_evidence(
    cf: CaseFile,
    evidence_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an evidence item with its custody chain and attachments."""

    def before(s: Session, e: m.EvidenceItem) -> None:
        for model in (m.CustodyEvent, m.Attachment):
            for row in list(s.scalars(select(model).where(model.evidence_id == e.id))):
                s.delete(row)
        for a in s.scalars(select(m.Appraisal).where(m.Appraisal.evidence_id == e.id)):
            a.evidence_id = None
        s.flush()

    return _remove(
        cf,
        m.EvidenceItem,
        "证据",
        evidence_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def add_custody_event(
    cf: CaseFile,
    evidence_id: int,
    data: CustodyInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CustodyView:
    """Append a link to an evidence item's chain of custody (links are never edited)."""
    _need(data, CustodyInput, "保管流转记录")
    on = v.date(data.on, "on", "日期")
    values: dict[str, Any] = {
        "on": on,
        "action": v.choice(data.action, "action", "流转环节", CUSTODY_ACTIONS),
        "from_holder": v.text(
            data.from_holder, "from_holder", "移出人", max_len=100, required=False
        ),
        "to_holder": v.text(data.to_holder, "to_holder", "接收人", max_len=100, required=False),
        "note": v.long_text(data.note, "note", "备注"),
    }
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        e = v.load(s, m.EvidenceItem, evidence_id, "证据")
        v.not_before(on, e.collected_on, "on", "流转日期", "提取日期")
        row = m.CustodyEvent(evidence_id=e.id, case_id=e.case_id, **values)
        s.add(row)
        s.flush()
        case = v.load_case(s, e.case_id)
        _edit_guard(uow, case, row, override_reason, now)
        _derive.refresh_derived(s, case, now)
        out = views.custody_view(row)
        uow.commit()
    return out


_TOO_LARGE = f"附件超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，请压缩后再添加。"


def _attachment_source(data: AttachmentInput) -> tuple[Callable[[], Iterator[bytes]], str, int]:
    """(pieces of the content, afresh at each call), its SHA-256 and size, read once to hash;
    the limit is checked before a file is read and while it is read."""
    if data.content is not None:
        if data.source is not None:
            raise ValidationError("请只给出附件的内容或文件之一。", field="source")
        content = data.content
        if not isinstance(content, bytes):
            raise ValidationError("附件内容应为文件的字节。", field="content")
        if not content:
            raise ValidationError("附件是空文件。", field="content")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_TOO_LARGE, field="content")

        def memory() -> Iterator[bytes]:
            return iter([content])

        return memory, hashlib.sha256(content).hexdigest(), len(content)
    if not isinstance(data.source, (str, os.PathLike)) or not os.fspath(data.source):
        raise ValidationError("请选择要附加的文件。", field="content")
    path = Path(data.source)
    try:
        if not path.is_file():
            raise ValidationError(f"找不到文件“{path.name}”。", field="content")
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_TOO_LARGE, field="content")

        def from_file() -> Iterator[bytes]:
            with open(path, "rb") as fh:
                yield from blobs.pieces_of(fh)

        sha, size = blobs.sha256_of(
            from_file(), max_bytes=MAX_ATTACHMENT_BYTES, too_large=_TOO_LARGE
        )
    except OSError as exc:
        raise ValidationError(
            f"无法读取文件“{path.name}”：{exc.strerror or exc}", field="content"
        ) from exc
    if size == 0:
        raise ValidationError("附件是空文件。", field="content")
    return from_file, sha, size


@requires(Permission.RECORD)
def add_attachment(
    cf: CaseFile,
    case_id: int,
    data: AttachmentInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AttachmentView:
    """Store a file in the case file with its SHA-256 (optionally under an evidence item).

    The content (``data.content``, or the file ``data.source`` read piece by piece) is stored
    once per SHA-256 apart from the attachment's row (``store.blobs``): the same photo added
    again takes no more space. At most ``MAX_ATTACHMENT_BYTES``, checked before a file is read.
    """
    _need(data, AttachmentInput, "附件")
    filename = v.text(data.filename, "filename", "文件名", max_len=255)
    if any(ch in filename for ch in "/\\"):
        raise ValidationError("文件名不能包含路径分隔符。", field="filename")
    media = v.text(data.media_type, "media_type", "文件类型", max_len=100)
    added = v.date(data.added_on, "added_on", "添加日期")
    pieces, sha, size = _attachment_source(data)

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        evidence_id = _ref(s, m.EvidenceItem, d.evidence_id, case, "evidence_id", "证据")
        try:
            blobs.put_stream(
                s.connection(), sha, pieces(), max_bytes=MAX_ATTACHMENT_BYTES, too_large=_TOO_LARGE
            )
        except OSError as exc:
            raise ValidationError(
                f"无法读取文件“{filename}”：{exc.strerror or exc}", field="content"
            ) from exc
        return {
            "evidence_id": evidence_id,
            "filename": filename,
            "media_type": media,
            "size": size,
            "sha256": sha,
            "added_on": added,
            "added_by": actor or cf.user,
        }

    return _add(
        cf,
        m.Attachment,
        case_id,
        data,
        values,
        lambda s, a: views.attachment_view(a),
        actor,
        today,
        override_reason=override_reason,
    )


def get_attachment_content(cf: CaseFile, attachment_id: int) -> bytes:
    """The stored bytes of an attachment (at most 50 MB), checked against its SHA-256.
    ``save_attachment`` writes one to a file without holding it in memory."""
    with cf.unit_of_work() as uow:
        a = v.load(uow.session, m.Attachment, attachment_id, "附件")
        label = f"附件“{a.filename}”"
        return b"".join(blobs.read_pieces(uow.session.connection(), a.sha256, label=label))


def save_attachment(
    cf: CaseFile, attachment_id: int, dest: str | os.PathLike[str], *, overwrite: bool = True
) -> int:
    """Write an attachment's content to ``dest`` piece by piece; returns its size.

    Written beside ``dest`` as ``<name>.part`` and renamed only once every piece matched the
    recorded SHA-256, so a damaged attachment never leaves a file that looks complete.
    """
    target = Path(dest).expanduser()
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", field="dest")
    if target.exists() and not overwrite:
        raise ValidationError(f"文件“{target.name}”已存在，请另选文件名。", field="dest")
    partial = target.with_name(target.name + ".part")
    size = 0
    with cf.unit_of_work() as uow:
        a = v.load(uow.session, m.Attachment, attachment_id, "附件")
        label = f"附件“{a.filename}”"
        try:
            with open(partial, "wb") as fh:
                for piece in blobs.read_pieces(uow.session.connection(), a.sha256, label=label):
                    fh.write(piece)
                    size += len(piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, target)
        except OSError as exc:
            raise ValidationError(
                f"无法写入“{target.name}”：{exc.strerror or exc}。请检查文件夹权限和磁盘空间。",
                field="dest",
            ) from exc
        finally:
            partial.unlink(missing_ok=True)
    return size


@requires(Permission.RECORD)
def remove_attachment(
    cf: CaseFile,
    attachment_id: int,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an attachment (the audit trail keeps its SHA-256; content no other attachment
    refers to is removed with it)."""
    return _remove(
        cf, m.Attachment, "附件", attachment_id, None, actor, today, override_reason=override_reason
    )


# --------------------------------------------------------------------------------------------
# appraisals and extensions (第十七条)
# --------------------------------------------------------------------------------------------


def _appraisal_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, AppraisalInput, "检验鉴定委托")
    commissioned = v.date(d.commissioned_on, "commissioned_on", "委托日期")
    opinion_on = v.opt_date(d.opinion_on, "opinion_on", "出具意见日期")
    v.not_before(commissioned, case.fire_date, "commissioned_on", "委托日期", "起火日期")
    v.not_before(opinion_on, commissioned, "opinion_on", "出具意见日期", "委托日期")
    return {
        "kind": v.choice(d.kind, "kind", "类别", APPRAISAL_KINDS),
        "subject": v.text(d.subject, "subject", "检验鉴定事项", max_len=300),
        "agency": v.text(d.agency, "agency", "检验鉴定机构"),
        "evidence_id": _ref(s, m.EvidenceItem, d.evidence_id, case, "evidence_id", "检材（证据）"),
        "commissioned_on": commissioned,
        "opinion_on": opinion_on,
        "opinion": v.long_text(d.opinion, "opinion", "检验鉴定意见"),
    }


def _appraisal_out(s: Session, a: m.Appraisal) -> AppraisalView:
    return views.appraisal_view(a)


@requires(Permission.RECORD)
def commission_appraisal(
    cf: CaseFile,
    case_id: int,
    data: AppraisalInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Commission a 检验/鉴定: while open, the investigation clock is paused."""
    return _add(
        cf,
        m.Appraisal,
        case_id,
        data,
        _appraisal_values,
        _appraisal_out,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    data: AppraisalInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Change an appraisal commission."""
    return _update(
        cf,
        m.Appraisal,
        "检验鉴定委托",
        appraisal_id,
        data,
        _appraisal_values,
        _appraisal_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def close_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    opinion_on: dt.date,
    opinion: str,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Record the opinion date and text: the excluded time ends (第十七条第二款)."""
    on = v.date(opinion_on, "opinion_on", "出具意见日期")
    text = v.long_text(opinion, "opinion", "检验鉴定意见", required=True)
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        a = v.load(s, m.Appraisal, appraisal_id, "检验鉴定委托")
        v.check_version(a, expected_version, "检验鉴定委托")
        v.not_before(on, a.commissioned_on, "opinion_on", "出具意见日期", "委托日期")
        case = v.load_case(s, a.case_id)
        _edit_guard(uow, case, a, override_reason, now)
        a.opinion_on, a.opinion = on, text
        s.flush()
        _derive.refresh_derived(s, case, now)
        out = views.appraisal_view(a)
        uow.commit()
    return out


@requires(Permission.RECORD)
def remove_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an appraisal recorded in error."""
    return _remove(
        cf,
        m.Appraisal,
        "检验鉴定委托",
        appraisal_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


def extension_approvers(case: m.Case) -> tuple[str, ...]:
    """The governments that may approve an extension of this case (第十七条: 人民政府)."""
    out = ["天门市人民政府"]
    if case.taken_over_by and case.taken_over_by not in out:
        out.append(case.taken_over_by)
    return tuple(out)


def _check_approver(case: m.Case, approver: str) -> None:
    allowed = extension_approvers(case)
    if approver in allowed or approver == "市人民政府":
        return
    raise ValidationError(
        f"延长调查期限须经人民政府批准（第十七条）：“{approver}”不是可批准的人民政府，"
        f"请选择{'或'.join(f'“{a}”' for a in allowed)}。",
        field="approved_by",
    )


def _due_without(s: Session, case: m.Case, own_id: int | None, today: dt.date) -> dt.date | None:
    """The investigation due date counting every other counted extension but this one."""
    from firecase.services.settings import read_settings

    inputs = _derive.clock_inputs(s, [case.id]).get(case.id, _derive.NO_CLOCK_INPUTS)
    own = s.get(m.Extension, own_id) if own_id is not None else None
    ext = inputs.extension_days
    counted = own is not None and own.approved_on is not None
    if own is not None and counted and (not own.approved_late or own.late_confirmed_on):
        ext -= own.days
    try:
        clock = rules.investigation_clock(
            case.fire_date,
            extension_days=max(ext, 0),
            appraisals=list(inputs.appraisals),
            calendar=_derive.stored_calendar(s),
            roll_to_workday=read_settings(s).roll_to_workday,
        )
    except FirecaseError:
        return None
    return clock.due


def _extension_values(own_id: int | None) -> Values:
    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        _need(d, ExtensionInput, "延期申请")
        days = v.integer(d.days, "days", "延长天数", minimum=1, maximum=MAX_EXTENSION_DAYS)
        requested = v.date(d.requested_on, "requested_on", "申请日期")
        approved = v.opt_date(d.approved_on, "approved_on", "批准日期")
        v.not_before(requested, case.fire_date, "requested_on", "申请日期", "起火日期")
        v.not_before(approved, requested, "approved_on", "批准日期", "申请日期")
        approved_by = v.text(
            d.approved_by, "approved_by", "批准机关", required=approved is not None
        )
        late_ack = v.flag(d.late_ack, "late_ack", "逾期后批准")
        late = False
        if approved is not None:
            _check_approver(case, approved_by)
            others = sum(
                e.days
                for e in s.scalars(
                    select(m.Extension).where(
                        m.Extension.case_id == case.id, m.Extension.approved_on.is_not(None)
                    )
                )
                if e.id != own_id
            )
            if others + days > MAX_EXTENSION_DAYS:
                raise ValidationError(
                    f"延长期限累计不得超过{MAX_EXTENSION_DAYS}日（第十七条），"
                    f"已批准{others}日，本次最多{MAX_EXTENSION_DAYS - others}日。",
                    field="days",
                )
            due = _due_without(s, case, own_id, approved)
            if due is not None and approved > due:
                if not late_ack:
                    raise ValidationError(
                        f"批准日期（{approved.isoformat()}）晚于调查期限届满日"
                        f"（{due.isoformat()}）：延长应在调查期限内批准（第十七条），届满后的批准"
                        "不能使已逾期的期限恢复计算。如确系届满后批准，请勾选“逾期后批准”"
                        "如实登记，确认后才计入。",
                        field="approved_on",
                    )
                late = True
        return {
            "days": days,
            "requested_on": requested,
            "reason": v.long_text(d.reason, "reason", "延期理由", required=True),
            "approved_on": approved,
            "approved_by": approved_by,
            "approval_ref": v.text(
                d.approval_ref, "approval_ref", "批准文号", max_len=100, required=False
            ),
            "approved_late": late,
            "late_confirmed_by": "",
            "late_confirmed_on": None,
        }

    return values


@requires(Permission.RECORD_EXTENSION)
def confirm_late_extension(
    cf: CaseFile,
    extension_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Confirm an extension approved after the period ran out: from now it counts (audited)."""
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        e = v.load(s, m.Extension, extension_id, "延期")
        v.check_version(e, expected_version, "延期")
        if not e.approved_late or e.approved_on is None:
            raise ValidationError("该延期不是逾期后批准的延期，无需确认。", field="id")
        if e.late_confirmed_on is not None:
            raise ValidationError("该逾期后批准的延期已确认。", field="id")
        case = v.load_case(s, e.case_id)
        _edit_guard(uow, case, e, override_reason, now)
        e.late_confirmed_by = uow.display_name or uow.actor
        e.late_confirmed_on = now
        s.flush()
        _derive.refresh_case(s, case, uow.actor, now)
        out = views.extension_view(e)
        uow.commit()
    return out


def _extension_out(s: Session, e: m.Extension) -> ExtensionView:
    return views.extension_view(e)


@requires(Permission.RECORD_EXTENSION)
def request_extension(
    cf: CaseFile,
    case_id: int,
    data: ExtensionInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Record an extension (counted once ``approved_on`` is set; ≤60 days in all)."""
    return _add(
        cf,
        m.Extension,
        case_id,
        data,
        _extension_values(None),
        _extension_out,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD_EXTENSION)
def update_extension(
    cf: CaseFile,
    extension_id: int,
    data: ExtensionInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> ExtensionView:
    """Change an extension, e.g. record the government's approval."""
    return _update(
        cf,
        m.Extension,
        "延期",
        extension_id,
        data,
        _extension_values(extension_id),
        _extension_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD_EXTENSION)
def remove_extension(
    cf: CaseFile,
    extension_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an extension recorded in error."""
    return _remove(
        cf,
        m.Extension,
        "延期",
        extension_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


# --------------------------------------------------------------------------------------------
# findings, causes, dissents, report sections
# --------------------------------------------------------------------------------------------


def _finding_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, FindingInput, "责任调查结论")
    return {
        "area": v.choice(d.area, "area", "责任类别（第十六条）", RESPONSIBILITY_AREAS),
        "subject": v.text(d.subject, "subject", "责任主体"),
        "text": v.long_text(d.text, "text", "调查结论", required=True),
        "party_id": _ref(s, m.Party, d.party_id, case, "party_id", "当事人"),
    }


@requires(Permission.RECORD)
def add_finding(
    cf: CaseFile,
    case_id: int,
    data: FindingInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> FindingView:
    """Record a responsibility finding in one of the four areas (第十六条)."""
    return _add(
        cf,
        m.Finding,
        case_id,
        data,
        _finding_values,
        lambda s, f: views.finding_view(f),
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_finding(
    cf: CaseFile,
    finding_id: int,
    data: FindingInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> FindingView:
    """Change a finding."""
    return _update(
        cf,
        m.Finding,
        "责任调查结论",
        finding_id,
        data,
        _finding_values,
        lambda s, f: views.finding_view(f),
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_finding(
    cf: CaseFile,
    finding_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a finding."""
    return _remove(
        cf,
        m.Finding,
        "责任调查结论",
        finding_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


def _cause_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, CauseInput, "原因")
    return {
        "kind": v.choice(d.kind, "kind", "原因类别", CAUSE_KINDS),
        "text": v.long_text(d.text, "text", "原因", required=True),
    }


@requires(Permission.RECORD)
def add_cause(
    cf: CaseFile,
    case_id: int,
    data: CauseInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CauseView:
    """Record a direct or indirect cause."""
    return _add(
        cf,
        m.Cause,
        case_id,
        data,
        _cause_values,
        lambda s, c: views.cause_view(c),
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_cause(
    cf: CaseFile,
    cause_id: int,
    data: CauseInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CauseView:
    """Change a cause."""
    return _update(
        cf,
        m.Cause,
        "原因",
        cause_id,
        data,
        _cause_values,
        lambda s, c: views.cause_view(c),
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_cause(
    cf: CaseFile,
    cause_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a cause."""
    return _remove(
        cf,
        m.Cause,
        "原因",
        cause_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


def _dissent_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, DissentInput, "不同意见")
    on = v.date(d.recorded_on, "recorded_on", "记录日期")
    v.not_before(on, case.fire_date, "recorded_on", "记录日期", "起火日期")
    return {
        "member_id": _ref(s, m.TeamMember, d.member_id, case, "member_id", "提出意见的成员"),
        "recorded_on": on,
        "text": v.long_text(d.text, "text", "意见内容", required=True),
    }


@requires(Permission.RECORD)
def add_dissent(
    cf: CaseFile,
    case_id: int,
    data: DissentInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> DissentView:
    """Record a member's dissenting opinion by name and date."""
    return _add(
        cf,
        m.Dissent,
        case_id,
        data,
        _dissent_values,
        views.dissent_view,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_dissent(
    cf: CaseFile,
    dissent_id: int,
    data: DissentInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> DissentView:
    """Change a dissenting opinion."""
    return _update(
        cf,
        m.Dissent,
        "不同意见",
        dissent_id,
        data,
        _dissent_values,
        views.dissent_view,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_dissent(
    cf: CaseFile,
    dissent_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a dissenting opinion."""
    return _remove(
        cf,
        m.Dissent,
        "不同意见",
        dissent_id,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def save_report_section(
    cf: CaseFile,
    case_id: int,
    number: int,
    body: str,
    *,
    confidential: bool = False,
    expected_version: int | None = None,
    override_reason: str = "",
    actor: str | None = None,
) -> ReportSectionView:
    """Save one of the eight report sections (第十八条); ``expected_version`` None = first save."""
    n = v.integer(number, "number", "报告部分序号", minimum=1, maximum=8)
    text = v.long_text(body, "body", "报告内容")
    secret = v.flag(confidential, "confidential", "涉密（不公开）")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        row = s.scalars(
            select(m.ReportSection).where(
                m.ReportSection.case_id == case.id, m.ReportSection.number == n
            )
        ).first()
        if row is None:
            if expected_version is not None:
                v.expect_version(expected_version)
                raise ValidationError("该部分尚未保存过，无需版本号。", field="version")
            row = m.ReportSection(case_id=case.id, number=n, body=text, confidential=secret)
            s.add(row)
            wording_changed = True
        else:
            if expected_version is None:
                raise ValidationError("该部分已由他人保存，请刷新后再编辑。", field="version")
            v.check_version(row, expected_version, "报告内容")
            wording_changed = row.body != text
            if wording_changed:
                row.body = text
            if row.confidential != secret:
                row.confidential = secret
        s.flush()
        if wording_changed:  # the confidential mark alone is the publication's (第二十一条)
            _edit_guard(uow, case, row, override_reason, v.today_or(None))
        out = views.section_view(n, row)
        uow.commit()
    return out


# --------------------------------------------------------------------------------------------
# recommendations and handling (第十三条, 第二十条)
# --------------------------------------------------------------------------------------------


def _rec_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, RecommendationInput, "处理建议")
    return {
        "target_kind": v.choice(d.target_kind, "target_kind", "对象类别", TARGET_KINDS),
        "target_name": v.text(d.target_name, "target_name", "处理对象"),
        "party_id": _ref(s, m.Party, d.party_id, case, "party_id", "当事人"),
        "area": v.choice(d.area, "area", "责任类别（第十六条）", RESPONSIBILITY_AREAS),
        "kind": v.choice(d.kind, "kind", "处理方式", RECOMMENDATION_KINDS),
        "basis": v.long_text(d.basis, "basis", "处理依据", required=True),
        "authority": v.text(d.authority, "authority", "负责落实的机关"),
        "text": v.long_text(d.text, "text", "建议内容"),
        "confidential": v.flag(d.confidential, "confidential", "涉密（不公开）"),
    }


def _rec_out(s: Session, r: m.Recommendation) -> RecommendationView:
    return views.recommendation_view(r)


@requires(Permission.RECORD)
def add_recommendation(
    cf: CaseFile,
    case_id: int,
    data: RecommendationInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Record a handling recommendation for a responsible person or unit; after the 批复 a new
    acting authority gets its handling task and 30-day clock at once (第二十条)."""

    def after(s: Session, rec: m.Recommendation, _data: Any) -> None:
        case = v.load_case(s, rec.case_id)
        if case.reply_on is not None:
            create_handling_tasks(s, case)

    return _add(
        cf,
        m.Recommendation,
        case_id,
        data,
        _rec_values,
        _rec_out,
        actor,
        today,
        after=after,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_recommendation(
    cf: CaseFile,
    recommendation_id: int,
    data: RecommendationInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Change a recommendation."""
    return _update(
        cf,
        m.Recommendation,
        "处理建议",
        recommendation_id,
        data,
        _rec_values,
        _rec_out,
        expected_version,
        actor,
        today,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_recommendation(
    cf: CaseFile,
    recommendation_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a recommendation; an evaluation item that covered it keeps the others."""

    def before(s: Session, x: m.Recommendation) -> None:
        link = m.EvaluationItemRecommendation
        for row in list(s.scalars(select(link).where(link.recommendation_id == x.id))):
            s.delete(row)
        s.flush()
        for item in s.scalars(
            select(m.EvaluationItem).where(m.EvaluationItem.recommendation_id == x.id)
        ):
            item.recommendation_id = next(iter(views.item_recommendation_ids(s, item.id)), None)
        s.flush()

    return _remove(
        cf,
        m.Recommendation,
        "处理建议",
        recommendation_id,
        expected_version,
        actor,
        today,
        before,
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def record_feedback(
    cf: CaseFile,
    recommendation_id: int,
    data: FeedbackInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> RecommendationView:
    """Record the authority's feedback, 备案 and any judicial transfer (第十三条第三款)."""
    _need(data, FeedbackInput, "落实反馈")

    def values(s: Session, case: m.Case, d: FeedbackInput) -> dict[str, Any]:
        feedback_on = v.opt_date(d.feedback_on, "feedback_on", "反馈日期")
        filed_on = v.opt_date(d.filed_on, "filed_on", "备案日期")
        transferred_on = v.opt_date(d.transferred_on, "transferred_on", "移送日期")
        v.not_before(filed_on, feedback_on, "filed_on", "备案日期", "反馈日期")
        v.not_before(feedback_on, case.fire_date, "feedback_on", "反馈日期", "起火日期")
        v.not_before(transferred_on, case.fire_date, "transferred_on", "移送日期", "起火日期")
        to = v.text(
            d.transferred_to,
            "transferred_to",
            "接收移送的司法机关",
            required=transferred_on is not None,
        )
        if to and transferred_on is None:
            raise ValidationError("请填写移送日期。", field="transferred_on")
        return {
            "feedback": v.long_text(
                d.feedback, "feedback", "反馈内容", required=feedback_on is not None
            ),
            "feedback_on": feedback_on,
            "filed_on": filed_on,
            "transferred_on": transferred_on,
            "transferred_to": to,
        }

    return _update(
        cf,
        m.Recommendation,
        "处理建议",
        recommendation_id,
        data,
        values,
        _rec_out,
        expected_version,
        actor,
        today,
        guarded=False,  # the handling after the 批复 (第二十条), not the investigation
    )


def _task_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, HandlingTaskInput, "处理任务")
    reported = v.opt_date(d.reported_on, "reported_on", "报送处理情况日期")
    filed = v.opt_date(d.filed_on, "filed_on", "备案日期")
    v.not_before(reported, case.reply_on, "reported_on", "报送处理情况日期", "批复日期")
    v.not_before(filed, reported, "filed_on", "备案日期", "报送处理情况日期")
    return {
        "department": v.text(d.department, "department", "责任部门"),
        "task": v.long_text(d.task, "task", "处理事项", required=True),
        "reported_on": reported,
        "filed_on": filed,
        "result": v.long_text(d.result, "result", "处理结果"),
    }


@requires(Permission.RECORD)
def add_handling_task(
    cf: CaseFile,
    case_id: int,
    data: HandlingTaskInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> HandlingTaskView:
    """Assign a department its handling after the 批复 (30-day clock, 第二十条)."""

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        if case.reply_on is None:
            raise ValidationError("政府批复后才能登记处理任务。", field="reply_on")
        return _task_values(s, case, d)

    return _add(
        cf, m.HandlingTask, case_id, data, values, lambda s, t: views.task_view(t), actor, today
    )


@requires(Permission.RECORD)
def update_handling_task(
    cf: CaseFile,
    task_id: int,
    data: HandlingTaskInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> HandlingTaskView:
    """Change a handling task, e.g. record its report and 备案."""
    return _update(
        cf,
        m.HandlingTask,
        "处理任务",
        task_id,
        data,
        _task_values,
        lambda s, t: views.task_view(t),
        expected_version,
        actor,
        today,
    )


@requires(Permission.RECORD)
def remove_handling_task(
    cf: CaseFile,
    task_id: int,
    *,
    expected_version: int,
    reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int | None:
    """Remove a handling task.

    A task FireCase created on the 批复 for an acting authority named in the recommendations
    (第二十条) is not deleted: it is kept as removed, with who removed it, when and why, and its
    30-day clock stops (returns None). A task added by hand goes to the case's 回收站 (returns
    the entry's id).
    """
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        t = v.load(s, m.HandlingTask, task_id, "处理任务")
        v.check_version(t, expected_version, "处理任务")
        case = v.load_case(s, t.case_id)
        if t.source == TASK_FROM_RECOMMENDATION:
            if t.removed_on is not None:
                raise ValidationError("该处理任务已移除。", field="id")
            t.removed_on = now
            t.removed_by = uow.display_name or uow.actor
            t.removed_reason = v.long_text(reason, "removed_reason", "移除理由")
            entry_id = None
        else:
            summary = recycle.describe(t)
            with recycle.capture(s) as kept:
                s.delete(t)
                s.flush()
            by = uow.display_name or uow.actor
            entry_id = recycle.keep(
                s, case, t, label="处理任务", summary=summary, kept=kept, by=by
            ).id
        s.flush()
        _derive.refresh_case(s, case, uow.actor, now)
        uow.commit()
        return entry_id


TASK_FROM_RECOMMENDATION = "recommendation"
"""``HandlingTask.source`` of a task created on the 批复 from the recommendations."""


def create_handling_tasks(session: Session, case: m.Case) -> list[m.HandlingTask]:
    """On the 批复: one handling task per acting authority the recommendations name (第二十条).

    An authority that already has a task (added by hand, or created before) gets none; the
    task lists what the recommendations ask of it. Returns the tasks created.
    """
    recs = list(
        session.scalars(
            select(m.Recommendation)
            .where(m.Recommendation.case_id == case.id)
            .order_by(m.Recommendation.id)
        )
    )
    have = {
        t.department
        for t in session.scalars(select(m.HandlingTask).where(m.HandlingTask.case_id == case.id))
    }
    by_authority: dict[str, list[m.Recommendation]] = {}
    for r in recs:
        authority = r.authority.strip()
        if authority and authority not in have:
            by_authority.setdefault(authority, []).append(r)
    created = []
    for authority, items in by_authority.items():
        lines = [
            f"{i}. {r.target_name}：{r.kind}" + (f"（{r.basis}）" if r.basis else "")
            for i, r in enumerate(items, 1)
        ]
        task = m.HandlingTask(
            case_id=case.id,
            department=authority,
            task="按政府批复落实处理建议（第二十条）：\n" + "\n".join(lines),
            source=TASK_FROM_RECOMMENDATION,
        )
        session.add(task)
        created.append(task)
    session.flush()
    return created


# --------------------------------------------------------------------------------------------
# evaluation and rectification (第二十二条–第二十四条)
# --------------------------------------------------------------------------------------------


@requires(Permission.RECORD)
def save_evaluation(
    cf: CaseFile,
    case_id: int,
    data: EvaluationInput,
    *,
    expected_version: int | None = None,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationView:
    """Set up or update the evaluation group and report (较大 fires, after closure)."""
    _need(data, EvaluationInput, "评估信息")
    values: dict[str, Any] = {
        "lead": v.text(data.lead, "lead", "牵头单位"),
        "members": v.join_names(v.names(data.members, "members", "参加部门")),
        "third_party": v.text(
            data.third_party, "third_party", "第三方技术服务机构", required=False
        ),
        "started_on": v.opt_date(data.started_on, "started_on", "开始日期"),
        "finished_on": v.opt_date(data.finished_on, "finished_on", "结束日期"),
        "submitted_on": v.opt_date(data.submitted_on, "submitted_on", "报告提交日期"),
        "conduct": v.long_text(data.conduct, "conduct", "评估工作组织开展情况"),
        "opinion": v.long_text(data.opinion, "opinion", "评估意见及措施建议"),
    }
    v.not_before(values["finished_on"], values["started_on"], "finished_on", "结束日期", "开始日期")
    v.not_before(
        values["submitted_on"], values["finished_on"], "submitted_on", "报告提交日期", "结束日期"
    )
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        if case.reply_on is None:
            raise ValidationError("政府批复、结案后才能开展整改评估。", field="reply_on")
        closure = case.closed_on or case.reply_on
        v.not_before(values["started_on"], closure, "started_on", "评估开始日期", "结案日期")
        ev = s.scalars(select(m.Evaluation).where(m.Evaluation.case_id == case.id)).first()
        if ev is None:
            if expected_version is not None:
                raise ValidationError("尚无评估记录，无需版本号。", field="version")
            ev = m.Evaluation(case_id=case.id, **values)
            s.add(ev)
        else:
            if expected_version is None:
                raise ValidationError("评估记录已由他人保存，请刷新后再编辑。", field="version")
            v.check_version(ev, expected_version, "评估记录")
            for key, value in values.items():
                if getattr(ev, key) != value:
                    setattr(ev, key, value)
        s.flush()
        _derive.refresh_derived(s, case, now)
        out = views.evaluation_view(ev)
        uow.commit()
    return out


def _item_recommendations(s: Session, case: m.Case, d: EvaluationItemInput) -> list[int]:
    """Every recommendation the item covers, each once, ``recommendation_id`` first."""
    if not isinstance(d.recommendation_ids, (tuple, list)):
        raise ValidationError("对应处理建议格式不正确。", field="recommendation_ids")
    ids: list[int] = []
    for value in (d.recommendation_id, *d.recommendation_ids):
        rid = _ref(s, m.Recommendation, value, case, "recommendation_ids", "处理建议")
        if rid is not None and rid not in ids:
            ids.append(rid)
    return ids


def _item_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, EvaluationItemInput, "评估事项")
    ids = _item_recommendations(s, case, d)
    return {
        "kind": v.choice(d.kind, "kind", "评估事项类别", EVALUATION_ITEM_KINDS),
        "subject": v.text(d.subject, "subject", "评估对象", max_len=300),
        "result": v.choice(d.result, "result", "落实情况", EVALUATION_RESULTS),
        "evidence": v.long_text(d.evidence, "evidence", "佐证材料"),
        "checked_on": v.date(d.checked_on, "checked_on", "核查日期"),
        "recommendation_id": ids[0] if ids else None,
        "measure_id": _ref(s, m.RectificationMeasure, d.measure_id, case, "measure_id", "整改措施"),
        "order_id": _ref(s, m.RectificationMeasure, d.order_id, case, "order_id", "限期整改措施"),
    }


def _item_links(s: Session, item: m.EvaluationItem, d: EvaluationItemInput) -> None:
    """Store the recommendations the item covers (through the ORM, so audited)."""
    ids = _item_recommendations(s, v.load_case(s, item.case_id), d)
    link = m.EvaluationItemRecommendation
    old = list(s.scalars(select(link).where(link.item_id == item.id)))
    if [x.recommendation_id for x in sorted(old, key=lambda x: (x.position, x.id))] == ids:
        return
    for x in old:
        s.delete(x)
    s.flush()
    for position, rid in enumerate(ids):
        s.add(link(case_id=item.case_id, item_id=item.id, recommendation_id=rid, position=position))
    s.flush()


@requires(Permission.RECORD)
def add_evaluation_item(
    cf: CaseFile,
    case_id: int,
    data: EvaluationItemInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationItemView:
    """Record the result of one evaluation item (person, unit or measure)."""
    return _add(
        cf,
        m.EvaluationItem,
        case_id,
        data,
        _item_values,
        lambda s, i: views.evaluation_item_view(i, s),
        actor,
        today,
        _item_links,
    )


@requires(Permission.RECORD)
def update_evaluation_item(
    cf: CaseFile,
    item_id: int,
    data: EvaluationItemInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvaluationItemView:
    """Change an evaluation item."""
    return _update(
        cf,
        m.EvaluationItem,
        "评估事项",
        item_id,
        data,
        _item_values,
        lambda s, i: views.evaluation_item_view(i, s),
        expected_version,
        actor,
        today,
        _item_links,
    )


@requires(Permission.RECORD)
def remove_evaluation_item(
    cf: CaseFile,
    item_id: int,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an evaluation item (and the links to the recommendations it covered)."""

    def before(s: Session, x: m.EvaluationItem) -> None:
        link = m.EvaluationItemRecommendation
        for row in list(s.scalars(select(link).where(link.item_id == x.id))):
            s.delete(row)
        s.flush()

    return _remove(
        cf, m.EvaluationItem, "评估事项", item_id, expected_version, actor, today, before
    )


def _measure_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, MeasureInput, "整改措施")
    set_on = v.date(d.set_on, "set_on", "提出日期")
    deadline = v.opt_date(d.deadline, "deadline", "整改期限")
    done = v.opt_date(d.done_on, "done_on", "完成日期")
    status = v.choice(d.status, "status", "落实情况", MEASURE_STATUSES)
    v.not_before(set_on, case.fire_date, "set_on", "提出日期", "起火日期")
    v.not_before(deadline, set_on, "deadline", "整改期限", "提出日期")
    v.not_before(done, set_on, "done_on", "完成日期", "提出日期")
    if done is not None and status != "已落实":
        raise ValidationError("已填写完成日期的措施，落实情况应为“已落实”。", field="status")
    if status == "已落实" and done is None:
        raise ValidationError("请填写整改完成日期。", field="done_on")
    return {
        "text": v.long_text(d.text, "text", "措施内容", required=True),
        "responsible": v.text(d.responsible, "responsible", "责任单位"),
        "set_on": set_on,
        "deadline": deadline,
        "done_on": done,
        "status": status,
    }


@requires(Permission.RECORD)
def add_measure(
    cf: CaseFile,
    case_id: int,
    data: MeasureInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> MeasureView:
    """Record a prevention/rectification measure (限期整改 when it has a deadline)."""
    return _add(
        cf,
        m.RectificationMeasure,
        case_id,
        data,
        _measure_values,
        lambda s, x: views.measure_view(x),
        actor,
        today,
    )


@requires(Permission.RECORD)
def update_measure(
    cf: CaseFile,
    measure_id: int,
    data: MeasureInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> MeasureView:
    """Change a measure, e.g. record it done."""
    return _update(
        cf,
        m.RectificationMeasure,
        "整改措施",
        measure_id,
        data,
        _measure_values,
        lambda s, x: views.measure_view(x),
        expected_version,
        actor,
        today,
    )


@requires(Permission.RECORD)
def remove_measure(
    cf: CaseFile,
    measure_id: int,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove a measure."""

    def before(s: Session, x: m.RectificationMeasure) -> None:
        for item in s.scalars(select(m.EvaluationItem).where(m.EvaluationItem.measure_id == x.id)):
            item.measure_id = None
        for item in s.scalars(select(m.EvaluationItem).where(m.EvaluationItem.order_id == x.id)):
            item.order_id = None

    return _remove(
        cf, m.RectificationMeasure, "整改措施", measure_id, expected_version, actor, today, before
    )
