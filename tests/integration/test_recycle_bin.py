"""The 回收站 (issue 19 part 4), on both backends: a removal is kept with what went with it,
restored with its links, audited; emptying is an administrator's act and frees the content."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from firecase.errors import NeedsReasonError, NotFoundError, PermissionDeniedError, ValidationError
from firecase.services import cases, evidence, parties, reading, recycle, team, users
from firecase.services.dto import (
    AppraisalInput,
    AttachmentInput,
    CustodyInput,
    EvidenceInput,
    MemberInput,
    PartyInput,
    SubGroupInput,
    UserInput,
)
from firecase.store import CaseFile, open_case_file
from firecase.store.models import AttachmentBlob, RecycleContent, RecycleEntry
from tests._shop_fire import open_shop_fire

D = dt.date
TODAY = D(2026, 3, 10)
PHOTO = b"\xff\xd8\xff\xe0 scene photo " * 100


@pytest.fixture
def cf(case_url: str) -> Iterator[CaseFile]:
    with open_case_file(case_url, user="张警官") as opened:
        yield opened


def _case(cf: CaseFile) -> int:
    return open_shop_fire(cf)


def _member(cf: CaseFile, case_id: int, name: str, role: str = "成员") -> Any:
    data = MemberInput(
        name=name,
        organisation="天门市消防救援支队",
        body="消防救援机构",
        role=role,
        joined_on=D(2026, 3, 2),
    )
    return team.add_member(cf, case_id, data, today=TODAY)


def _evidence(cf: CaseFile, case_id: int, code: str = "物证-001") -> int:
    e = evidence.add_evidence(
        cf,
        case_id,
        EvidenceInput(
            code=code,
            name="烧毁的插座",
            kind="物证",
            collected_on=D(2026, 3, 2),
            collected_by="李勘查",
        ),
        today=TODAY,
    )
    evidence.add_custody_event(
        cf, e.id, CustodyInput(on=D(2026, 3, 2), action="提取", to_holder="李勘查"), today=TODAY
    )
    evidence.add_custody_event(
        cf, e.id, CustodyInput(on=D(2026, 3, 3), action="入库", to_holder="物证室"), today=TODAY
    )
    evidence.add_attachment(
        cf,
        case_id,
        AttachmentInput(
            filename="插座.jpg",
            content=PHOTO,
            added_on=D(2026, 3, 2),
            media_type="image/jpeg",
            evidence_id=e.id,
        ),
        today=TODAY,
    )
    return e.id


def _detail(cf: CaseFile, case_id: int):  # type: ignore[no-untyped-def]
    return reading.get_case(cf, case_id, today=TODAY)


def _blobs(cf: CaseFile) -> int:
    with cf.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(AttachmentBlob)) or 0)


def test_evidence_goes_to_the_bin_with_its_custody_and_attachments_and_comes_back(
    cf: CaseFile,
) -> None:
    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    appraisal = evidence.commission_appraisal(
        cf,
        case_id,
        AppraisalInput(
            kind="鉴定",
            subject="插座熔痕",
            agency="湖北省消防救援总队火灾物证鉴定中心",
            commissioned_on=D(2026, 3, 4),
            evidence_id=eid,
        ),
        today=TODAY,
    )
    before = _detail(cf, case_id)
    item = before.evidence[0]
    entry_id = evidence.remove_evidence(cf, eid, expected_version=item.version, today=TODAY)

    after = _detail(cf, case_id)
    assert after.evidence == ()
    assert after.appraisals[0].evidence_id is None  # the link was cleared with it
    assert _blobs(cf) == 1  # the photo's content stays while the bin needs it
    (entry,) = recycle.list_bin(cf, case_id)
    assert entry.id == entry_id
    assert (entry.label, entry.summary) == ("证据", "物证-001 烧毁的插座")
    assert entry.removed_by == "张警官"
    assert entry.contents == "含附件1条、证据保管记录2条，解除关联1处"  # the appraisal
    assert not entry.restored

    result = recycle.restore(cf, entry_id, today=TODAY)
    assert result.record_id == eid and result.notes == ()
    again = _detail(cf, case_id)
    (back,) = again.evidence
    assert (back.code, back.name, back.collected_on) == ("物证-001", "烧毁的插座", D(2026, 3, 2))
    assert [c.action for c in back.custody] == ["提取", "入库"]
    (photo,) = back.attachments
    assert evidence.get_attachment_content(cf, photo.id) == PHOTO
    assert again.appraisals[0].evidence_id == eid  # relinked
    assert again.appraisals[0].id == appraisal.id
    (entry,) = recycle.list_bin(cf, case_id)
    assert entry.restored and entry.restored_by == "张警官"
    with pytest.raises(ValidationError, match="已于"):
        recycle.restore(cf, entry_id, today=TODAY)


def test_a_restore_is_audited_and_verify_holds(cf: CaseFile) -> None:
    from firecase.store.replay import replay_check

    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    entry_id = evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)
    recycle.restore(cf, entry_id, today=TODAY)
    with cf.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, entity FROM audit_log WHERE entity IN "
                "('evidence_items', 'recycle_bin', 'recycle_contents') ORDER BY seq"
            )
        ).all()
    actions = [tuple(r) for r in rows]
    assert actions.count(("delete", "evidence_items")) == 1
    assert ("insert", "recycle_bin") in actions and ("insert", "recycle_contents") in actions
    assert actions.count(("insert", "evidence_items")) == 2  # added, then restored
    assert ("update", "recycle_bin") in actions  # marked restored
    with cf.connect() as conn:
        assert replay_check(conn).ok


def test_a_member_comes_back_into_the_sub_group_it_led(cf: CaseFile) -> None:
    case_id = _case(cf)
    lead = _member(cf, case_id, "王组长", "组长")
    tech = _member(cf, case_id, "赵技术", "成员")
    group = team.add_subgroup(
        cf,
        case_id,
        SubGroupInput(name="技术组", leader_id=tech.id, member_ids=(tech.id, lead.id)),
        today=TODAY,
    )
    entry_id = team.remove_member(cf, tech.id, expected_version=tech.version, today=TODAY)
    gone = _detail(cf, case_id)
    assert [m.name for m in gone.members] == ["王组长"]
    assert gone.subgroups[0].leader_id is None
    recycle.restore(cf, entry_id, today=TODAY)
    back = _detail(cf, case_id)
    assert sorted(m.name for m in back.members) == ["王组长", "赵技术"]
    (g,) = back.subgroups
    assert g.id == group.id and g.leader_id == tech.id
    assert set(g.member_ids) == {tech.id, lead.id}


def test_a_number_taken_since_refuses_with_a_message_and_writes_nothing(cf: CaseFile) -> None:
    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    entry_id = evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)
    _evidence(cf, case_id, code="物证-001")  # the number given again
    with pytest.raises(ValidationError, match="编号或名称相同") as info:
        recycle.restore(cf, entry_id, today=TODAY)
    assert info.value.field == "entry_id"
    assert len(_detail(cf, case_id).evidence) == 1
    assert not recycle.list_bin(cf, case_id)[0].restored


def test_an_id_taken_since_gives_the_record_a_new_one_and_the_links_follow(cf: CaseFile) -> None:
    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    entry_id = evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)
    other = _evidence(cf, case_id, code="物证-002")  # SQLite may give it the same id
    result = recycle.restore(cf, entry_id, today=TODAY)
    detail = _detail(cf, case_id)
    assert sorted(e.code for e in detail.evidence) == ["物证-001", "物证-002"]
    restored = next(e for e in detail.evidence if e.code == "物证-001")
    assert result.record_id == restored.id
    assert len(restored.custody) == 2 and len(restored.attachments) == 1
    mine = next(e for e in detail.evidence if e.id == other)
    assert len(mine.custody) == 2 and len(mine.attachments) == 1


def test_a_link_to_a_record_removed_since_is_left_out_and_said(cf: CaseFile) -> None:
    case_id = _case(cf)
    tech = _member(cf, case_id, "赵技术", "成员")
    group = team.add_subgroup(
        cf, case_id, SubGroupInput(name="技术组", member_ids=(tech.id,)), today=TODAY
    )
    entry_id = team.remove_member(cf, tech.id, expected_version=tech.version, today=TODAY)
    g = _detail(cf, case_id).subgroups[0]
    team.remove_subgroup(cf, group.id, expected_version=g.version, today=TODAY)
    result = recycle.restore(cf, entry_id, today=TODAY)
    assert any("专项小组" in n and "未恢复" in n for n in result.notes)
    assert [m.name for m in _detail(cf, case_id).members] == ["赵技术"]


def test_a_replied_case_asks_before_a_restore(cf: CaseFile) -> None:
    case_id = _case(cf)
    party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="店主"), today=TODAY)
    entry_id = parties.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
    with cf.unit_of_work() as uow:  # the case replied meanwhile
        uow.session.execute(
            text("UPDATE cases SET reply_on = :d WHERE id = :i"), {"d": D(2026, 4, 1), "i": case_id}
        )
        uow.commit()
    with pytest.raises(NeedsReasonError):
        recycle.restore(cf, entry_id, today=TODAY)
    recycle.restore(cf, entry_id, override_reason="误删，恢复原记录", today=TODAY)
    assert [p.name for p in _detail(cf, case_id).parties] == ["店主"]


def test_emptying_is_an_administrators_act_and_frees_the_content(cf: CaseFile) -> None:
    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)
    assert _blobs(cf) == 1
    if cf.engine.dialect.name == "sqlite":  # with users, only an administrator empties
        users.add_user(cf, UserInput("张警官", "张警官", "管理员"), today=TODAY)
        users.add_user(cf, UserInput("li", "李调查员", "调查员"), actor="张警官", today=TODAY)
        with pytest.raises(PermissionDeniedError, match="清空回收站"):
            recycle.empty(cf, case_id, actor="li")
        assert recycle.empty(cf, case_id) == 1
    else:
        assert recycle.empty(cf, case_id) == 1
    assert recycle.list_bin(cf, case_id) == ()
    assert _blobs(cf) == 0
    with cf.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(RecycleContent)) == 0


def test_content_kept_by_the_bin_survives_another_removal_of_the_same_photo(
    cf: CaseFile,
) -> None:
    case_id = _case(cf)
    first = _evidence(cf, case_id, code="物证-001")
    second = _evidence(cf, case_id, code="物证-002")  # the same photo, stored once
    versions = {e.id: e.version for e in _detail(cf, case_id).evidence}
    entry_id = evidence.remove_evidence(cf, first, expected_version=versions[first], today=TODAY)
    evidence.remove_evidence(cf, second, expected_version=versions[second], today=TODAY)
    assert _blobs(cf) == 1
    recycle.restore(cf, entry_id, today=TODAY)
    (back,) = _detail(cf, case_id).evidence
    assert evidence.get_attachment_content(cf, back.attachments[0].id) == PHOTO


def test_removing_the_case_removes_its_bin(cf: CaseFile) -> None:
    case_id = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)
    cases.remove_case(cf, case_id, expected_version=reading.get_case_summary(cf, case_id).version)
    with cf.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(RecycleEntry)) == 0
    assert _blobs(cf) == 0


def test_an_unknown_or_damaged_entry_is_a_message(cf: CaseFile) -> None:
    case_id = _case(cf)
    with pytest.raises(NotFoundError, match="回收站中没有"):
        recycle.restore(cf, 999, today=TODAY)
    party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="店主"), today=TODAY)
    entry_id = parties.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
    with cf.unit_of_work() as uow:
        entry = uow.session.get(RecycleEntry, entry_id)
        assert entry is not None
        assert json.loads(entry.payload)["format"] == recycle.FORMAT
        entry.payload = "{not json"
        uow.commit()
    with pytest.raises(ValidationError, match="已损坏"):
        recycle.restore(cf, entry_id, today=TODAY)


def _forge(cf: CaseFile, entry_id: int, change: Any) -> None:
    with cf.unit_of_work() as uow:
        entry = uow.session.get(RecycleEntry, entry_id)
        assert entry is not None
        payload = json.loads(entry.payload)
        change(payload)
        entry.payload = json.dumps(payload, ensure_ascii=False)
        uow.commit()


@pytest.mark.parametrize(
    "forgery",
    [
        "a user",  # rows into a table that is no case record
        "another case",  # the record moved into a case the entry is not of
        "a relinked case",  # a changed field that would move a record to another case
        "a wrong type",  # a date that is no date
        "an unknown column",
    ],
)
def test_a_forged_entry_is_refused_and_writes_nothing(cf: CaseFile, forgery: str) -> None:
    case_id = _case(cf)
    other = _case(cf)
    eid = _evidence(cf, case_id)
    version = _detail(cf, case_id).evidence[0].version
    appraisal = evidence.commission_appraisal(
        cf,
        case_id,
        AppraisalInput(
            kind="鉴定",
            subject="插座熔痕",
            agency="鉴定中心",
            commissioned_on=D(2026, 3, 4),
            evidence_id=eid,
        ),
        today=TODAY,
    )
    entry_id = evidence.remove_evidence(cf, eid, expected_version=version, today=TODAY)

    def change(payload: dict[str, Any]) -> None:
        first = payload["rows"][0]
        if forgery == "a user":
            payload["rows"].append(
                {"table": "users", "values": {"login": "x", "display_name": "x", "role": "管理员"}}
            )
        elif forgery == "another case":
            for r in payload["rows"]:
                if "case_id" in r["values"]:
                    r["values"]["case_id"] = other
        elif forgery == "a relinked case":
            payload["changed"].append(
                {
                    "table": "appraisals",
                    "key": [appraisal.id],
                    "column": "case_id",
                    "old": other,
                    "new": case_id,
                }
            )
        elif forgery == "a wrong type":
            first["values"]["collected_on"] = {"$date": "2026-13-45"}
        else:
            first["values"]["no_such_column"] = 1

    _forge(cf, entry_id, change)
    with pytest.raises(ValidationError) as info:
        recycle.restore(cf, entry_id, today=TODAY)
    assert "不能恢复" in info.value.message or "无法恢复" in info.value.message
    assert _detail(cf, case_id).evidence == ()
    assert _detail(cf, other).evidence == ()
    assert not recycle.list_bin(cf, case_id)[0].restored


def test_a_party_comes_back_onto_the_pending_recusal_it_was_taken_off(cf: CaseFile) -> None:
    """remove_party takes the party off a pending application itself (the database no longer
    does: migration 0023), through the ORM, so the restore puts the link back."""
    from firecase.services import recusal
    from firecase.services.dto import RecusalApplicationInput

    case_id = _case(cf)
    member = _member(cf, case_id, "赵技术")
    party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="债主"), today=TODAY)
    app = recusal.apply_recusal(
        cf,
        case_id,
        RecusalApplicationInput(
            member.id, "债主", "当事人", 3, "有债务往来。", D(2026, 3, 6), party.id
        ),
        today=TODAY,
    )
    entry = parties.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
    (gone,) = [r for r in _detail(cf, case_id).recusals if r.id == app.id]
    assert gone.party_id is None
    recycle.restore(cf, entry, today=TODAY)
    (back,) = [r for r in _detail(cf, case_id).recusals if r.id == app.id]
    assert back.party_id == party.id
