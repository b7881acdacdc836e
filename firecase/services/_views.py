"""ORM rows → frozen DTOs (inside an open unit of work); a whole case is ``_detail``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.services._common import split_names, split_relatives
from firecase.services.dto import (
    REPORT_SECTION_TITLES,
    AppraisalView,
    AttachmentView,
    CaseSummary,
    CasualtyUpdateView,
    CauseView,
    CustodyView,
    DisclosureKeepView,
    DissentView,
    EvaluationItemView,
    EvaluationView,
    EvidenceView,
    ExtensionView,
    FindingView,
    GradeDecisionView,
    HandlingTaskView,
    MeasureView,
    MemberView,
    PartyView,
    PersonView,
    PublicationView,
    PublicReleaseView,
    PublicReviewView,
    RecommendationView,
    RecusalView,
    RedactionView,
    ReportSectionView,
    SubGroupView,
)
from firecase.store import models as m


def case_summary(c: m.Case) -> CaseSummary:
    """DTO of the case row."""
    return CaseSummary(
        id=c.id,
        case_no=c.case_no,
        title=c.title,
        stage=c.stage,
        fire_date=c.fire_date,
        fire_time=c.fire_time,
        place=c.place,
        address=c.address,
        unit_name=c.unit_name,
        fire_type=c.fire_type,
        property_loss_yuan=c.property_loss_yuan,
        economic_loss_yuan=c.economic_loss_yuan,
        households_affected=c.households_affected,
        summary=c.summary,
        grade=c.grade,
        included=c.included,
        taken_over_by=c.taken_over_by,
        taken_over_on=c.taken_over_on,
        team_formed_on=c.team_formed_on,
        team_authorised_fire_agency=c.team_authorised_fire_agency,
        report_submitted_on=c.report_submitted_on,
        report_received_on=c.report_received_on,
        reply_on=c.reply_on,
        reply_ref=c.reply_ref,
        reply_summary=c.reply_summary,
        closed_on=c.closed_on,
        created_on=c.created_on,
        created_by=c.created_by,
        next_due_on=c.next_due_on,
        next_due_label=c.next_due_label,
        version=c.version,
        report_signed_on=c.report_signed_on,
        burned_area_m2=c.burned_area_m2,
        nature=c.nature,
        team_name=c.team_name,
        report_title=c.report_title,
        report_opening=c.report_opening,
        report_composition=c.report_composition,
        team_document_no=c.team_document_no,
        team_formed_by=c.team_formed_by,
    )


def casualty_view(u: m.CasualtyUpdate) -> CasualtyUpdateView:
    """DTO of a casualty update."""
    return CasualtyUpdateView(
        u.id,
        u.recorded_on,
        u.deaths,
        u.serious_injuries,
        u.minor_injuries,
        u.note,
        u.recorded_by,
        u.as_of or u.recorded_on,
    )


def grade_view(g: m.GradeDecisionRow) -> GradeDecisionView:
    """DTO of a grade decision."""
    return GradeDecisionView(
        g.id, g.decided_on, g.grade, g.standard, g.explanation, g.basis, g.decided_by
    )


def party_view(p: m.Party) -> PartyView:
    """DTO of a party."""
    relatives = split_relatives(p.relatives)
    return PartyView(
        p.id,
        p.kind,
        p.name,
        p.role,
        p.organisation,
        tuple(r.display for r in relatives),
        p.contact,
        p.note,
        p.version,
        relatives,
    )


def member_view(x: m.TeamMember, today: dt.date | None = None) -> MemberView:
    """DTO of a team member (``active`` as of ``today``; any recusal counts when None)."""
    active = x.left_on is None or (today is not None and x.left_on > today)
    relatives = split_relatives(x.relatives)
    return MemberView(
        x.id,
        x.name,
        x.organisation,
        x.body,
        x.role,
        x.title,
        x.expertise,
        tuple(r.display for r in relatives),
        x.joined_on,
        x.left_on,
        active,
        x.version,
        relatives,
    )


def subgroup_view(
    session: Session, g: m.SubGroup, member_ids: tuple[int, ...] | None = None
) -> SubGroupView:
    """DTO of a sub-group with its member ids (ascending; read here unless given)."""
    ids = (
        tuple(
            session.scalars(
                select(m.SubGroupMember.member_id)
                .where(m.SubGroupMember.subgroup_id == g.id)
                .order_by(m.SubGroupMember.member_id)
            )
        )
        if member_ids is None
        else member_ids
    )
    leader = session.get(m.TeamMember, g.leader_id) if g.leader_id is not None else None
    return SubGroupView(
        g.id, g.name, g.leader_id, leader.name if leader else "", g.duties, ids, g.version
    )


def recusal_view(session: Session, r: m.RecusalApplication) -> RecusalView:
    """DTO of a recusal application."""
    member = session.get(m.TeamMember, r.member_id)
    return RecusalView(
        r.id,
        r.member_id,
        member.name if member else "",
        r.party_id,
        r.applicant,
        r.applicant_kind,
        r.ground,
        r.reason,
        r.applied_on,
        r.decision,
        r.decided_on,
        r.decided_by,
        r.decision_reason,
        r.version,
        r.deciding_body,
        r.decided_by_member_id,
    )


def attachment_view(a: m.Attachment) -> AttachmentView:
    """DTO of an attachment (no content)."""
    return AttachmentView(
        a.id, a.evidence_id, a.filename, a.media_type, a.size, a.sha256, a.added_on, a.added_by
    )


def custody_view(e: m.CustodyEvent) -> CustodyView:
    """DTO of a custody event."""
    return CustodyView(e.id, e.on, e.action, e.from_holder, e.to_holder, e.note)


def evidence_view(
    session: Session,
    e: m.EvidenceItem,
    custody: list[m.CustodyEvent] | None = None,
    attachments: list[m.Attachment] | None = None,
) -> EvidenceView:
    """DTO of an evidence item with custody chain and attachments.

    ``custody`` and ``attachments`` (already in order) are read here when not given; a caller
    showing many items passes them from ``evidence_children`` (two queries, not two per item).
    """
    if custody is None:
        custody = list(
            session.scalars(
                select(m.CustodyEvent)
                .where(m.CustodyEvent.evidence_id == e.id)
                .order_by(m.CustodyEvent.on, m.CustodyEvent.id)
            )
        )
    if attachments is None:
        attachments = list(
            session.scalars(
                select(m.Attachment)
                .where(m.Attachment.evidence_id == e.id)
                .order_by(m.Attachment.id)
            )
        )
    return EvidenceView(
        e.id,
        e.code,
        e.name,
        e.kind,
        e.description,
        e.collected_on,
        e.collected_by,
        e.location,
        tuple(custody_view(c) for c in custody),
        tuple(attachment_view(a) for a in attachments),
        e.version,
    )


def evidence_children(
    session: Session, case_id: int, case_files: list[m.Attachment] | None = None
) -> tuple[dict[int, list[m.CustodyEvent]], dict[int, list[m.Attachment]]]:
    """Custody events and attachments of a case's evidence, by evidence id, in display order.

    Attachment contents are not loaded (the views show name, size and hash only).
    ``case_files``: every attachment of the case by id, when read already.
    """
    custody: dict[int, list[m.CustodyEvent]] = {}
    for c in session.scalars(
        select(m.CustodyEvent)
        .where(m.CustodyEvent.case_id == case_id)
        .order_by(m.CustodyEvent.on, m.CustodyEvent.id)
    ):
        custody.setdefault(c.evidence_id, []).append(c)
    attachments: dict[int, list[m.Attachment]] = {}
    if case_files is None:
        case_files = list(
            session.scalars(
                select(m.Attachment)
                .where(m.Attachment.case_id == case_id, m.Attachment.evidence_id.is_not(None))
                .order_by(m.Attachment.id)
            )
        )
    for a in case_files:
        if a.evidence_id is not None:
            attachments.setdefault(a.evidence_id, []).append(a)
    return custody, attachments


def appraisal_view(a: m.Appraisal) -> AppraisalView:
    """DTO of an appraisal commission."""
    return AppraisalView(
        a.id,
        a.kind,
        a.subject,
        a.agency,
        a.evidence_id,
        a.commissioned_on,
        a.opinion_on,
        a.opinion,
        a.version,
    )


def extension_view(e: m.Extension) -> ExtensionView:
    """DTO of an extension."""
    return ExtensionView(
        e.id,
        e.days,
        e.requested_on,
        e.reason,
        e.approved_on,
        e.approved_by,
        e.approval_ref,
        e.version,
        e.approved_late,
        e.late_confirmed_by,
        e.late_confirmed_on,
    )


def finding_view(f: m.Finding) -> FindingView:
    """DTO of a finding."""
    return FindingView(f.id, f.area, f.subject, f.text, f.party_id, f.version)


def cause_view(c: m.Cause) -> CauseView:
    """DTO of a cause."""
    return CauseView(c.id, c.kind, c.text, c.version)


def dissent_view(session: Session, d: m.Dissent) -> DissentView:
    """DTO of a dissenting opinion."""
    member = session.get(m.TeamMember, d.member_id)
    return DissentView(
        d.id, d.member_id, member.name if member else "", d.recorded_on, d.text, d.version
    )


def section_view(number: int, s: m.ReportSection | None) -> ReportSectionView:
    """DTO of a report section (an unsaved one when ``s`` is None)."""
    title = REPORT_SECTION_TITLES[number - 1]
    if s is None:
        return ReportSectionView(None, number, title, "", False, 0)
    return ReportSectionView(s.id, number, title, s.body, s.confidential, s.version)


def recommendation_view(r: m.Recommendation) -> RecommendationView:
    """DTO of a recommendation."""
    return RecommendationView(
        r.id,
        r.target_kind,
        r.target_name,
        r.party_id,
        r.area,
        r.kind,
        r.basis,
        r.authority,
        r.text,
        r.feedback,
        r.feedback_on,
        r.filed_on,
        r.transferred_on,
        r.transferred_to,
        r.confidential,
        r.version,
    )


def task_view(t: m.HandlingTask) -> HandlingTaskView:
    """DTO of a handling task."""
    return HandlingTaskView(
        t.id,
        t.department,
        t.task,
        t.reported_on,
        t.filed_on,
        t.result,
        t.version,
        t.source,
        t.removed_on,
        t.removed_by,
        t.removed_reason,
    )


def publication_view(session: Session, case_id: int) -> PublicationView:
    """DTO of the publication record and its redactions."""
    pub = session.scalars(select(m.Publication).where(m.Publication.case_id == case_id)).first()
    reds = tuple(
        RedactionView(r.id, r.field_key, r.reason, r.decided_by, r.decided_on)
        for r in session.scalars(
            select(m.Redaction).where(m.Redaction.case_id == case_id).order_by(m.Redaction.id)
        )
    )
    keeps = tuple(
        DisclosureKeepView(k.id, k.kind, k.value, k.reason, k.decided_by, k.decided_on)
        for k in session.scalars(
            select(m.DisclosureKeep)
            .where(m.DisclosureKeep.case_id == case_id)
            .order_by(m.DisclosureKeep.id)
        )
    )
    reviews = tuple(
        PublicReviewView(
            r.id,
            r.report,
            r.reviewed_on,
            r.reviewed_by,
            r.fingerprint,
            r.withheld,
            r.masked,
            r.kept,
            r.note,
        )
        for r in session.scalars(
            select(m.PublicReview)
            .where(m.PublicReview.case_id == case_id)
            .order_by(m.PublicReview.id)
        )
    )
    releases = tuple(
        PublicReleaseView(
            r.id,
            r.report,
            r.published_on,
            r.channel,
            r.approved_by,
            r.file_name,
            r.file_format,
            r.sha256,
            r.size,
            r.review_id,
            r.recorded_by,
            r.recorded_on,
            r.note,
        )
        for r in session.scalars(
            select(m.PublicRelease)
            .where(m.PublicRelease.case_id == case_id)
            .order_by(m.PublicRelease.id)
        )
    )
    if pub is None:
        return PublicationView(None, None, "", "", "", reds, 0, keeps, reviews, releases)
    return PublicationView(
        pub.id,
        pub.published_on,
        pub.channel,
        pub.published_by,
        pub.note,
        reds,
        pub.version,
        keeps,
        reviews,
        releases,
    )


def person_view(x: m.Person) -> PersonView:
    """DTO of one person of the register."""
    return PersonView(x.id, x.role, x.name, x.sex, x.age, x.id_no, x.phone, x.note, x.version)


def evaluation_view(e: m.Evaluation) -> EvaluationView:
    """DTO of the evaluation."""
    return EvaluationView(
        e.id,
        e.lead,
        split_names(e.members),
        e.third_party,
        e.started_on,
        e.finished_on,
        e.submitted_on,
        e.conduct,
        e.opinion,
        e.version,
    )


def item_recommendation_ids(session: Session, item_id: int) -> tuple[int, ...]:
    """The recommendations an evaluation item covers, in the order entered."""
    return items_recommendation_ids(session, [item_id]).get(item_id, ())


def items_recommendation_ids(session: Session, item_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """The recommendations each of these evaluation items covers, in the order entered, in one
    statement (items without a link are absent)."""
    link = m.EvaluationItemRecommendation
    out: dict[int, list[int]] = {}
    if item_ids:
        for item_id, rec_id in session.execute(
            select(link.item_id, link.recommendation_id)
            .where(link.item_id.in_(item_ids))
            .order_by(link.item_id, link.position, link.id)
        ):
            out.setdefault(item_id, []).append(rec_id)
    return {k: tuple(v) for k, v in out.items()}


def evaluation_item_view(
    i: m.EvaluationItem, session: Session, linked: tuple[int, ...] | None = None
) -> EvaluationItemView:
    """DTO of an evaluation item, with every recommendation it covers (``linked``: its
    ``item_recommendation_ids``, read here unless given)."""
    ids = item_recommendation_ids(session, i.id) if linked is None else linked
    if not ids and i.recommendation_id is not None:
        ids = (i.recommendation_id,)
    return EvaluationItemView(
        i.id,
        i.kind,
        i.subject,
        i.result,
        i.evidence,
        i.checked_on,
        i.recommendation_id,
        i.measure_id,
        i.version,
        ids,
        i.order_id,
    )


def measure_view(x: m.RectificationMeasure) -> MeasureView:
    """DTO of a rectification measure."""
    return MeasureView(
        x.id,
        x.text,
        x.responsible,
        x.set_on,
        x.deadline,
        x.done_on,
        x.status,
        x.version,
    )
