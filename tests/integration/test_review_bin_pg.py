"""Review of the 回收站 on a team server (branch review-bin): an investigator with psql forges or
hides bin entries; what does a restore by a leader or an administrator then do?"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from firecase.services import cases, reading, recycle
from tests.integration import test_pg_team as pgt
from tests.integration.test_pg_team import TODAY, Team

team = pgt.team

pytestmark = pytest.mark.postgres


def _forge(team: Team, who: str, case_id: int, payload: dict) -> int:
    """A bin entry written with psql (under the investigator's own name: the server refuses
    another's since review-bin)."""
    body = json.dumps(payload, ensure_ascii=False).replace("'", "''")
    sql = (
        "INSERT INTO recycle_bin (case_id, entity, entity_id, label, summary, removed_by, "
        f"removed_at, payload, restored_by, restored_at) VALUES ({case_id}, 'parties', '999', "
        f"'当事人', '店主 张某', '陈晓明', '2026-04-01T08:00:00+00:00', '{body}', '', '') "
        "RETURNING id"
    )
    result = team.psql(who, "\\pset tuples_only on", sql)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.split()[0])


def _scalar(team: Team, sql: str) -> object:
    with team.open("admin") as cf, cf.connect() as conn:
        return conn.execute(text(sql)).scalar()


def _plant_one_row(team: Team, case_id: int, direct: str, table: str, values: dict) -> int:
    """As the investigator: ``direct`` (writing the row himself) is refused by the server; an
    entry carrying the row as ``table`` ``values`` is forged with psql instead (its id)."""
    assert pgt._refused(team.psql("chen", direct))
    payload = {"format": 1, "rows": [{"table": table, "values": values}], "changed": []}
    return _forge(team, "chen", case_id, payload)


def test_an_investigator_cannot_plant_a_holiday_through_an_administrators_restore(
    team: Team,
) -> None:
    with team.open("chen") as cf:
        case_id = reading.list_cases(cf).rows[0].id
    # the investigator may not write the calendar himself
    entry = _plant_one_row(
        team,
        case_id,
        "INSERT INTO calendar_days (day, kind, name, source) "
        "VALUES ('2026-04-15', 'holiday', 'x', 'user')",
        "calendar_days",
        {"day": {"$date": "2026-04-15"}, "kind": "holiday", "name": "伪造假日", "source": "user"},
    )
    with team.open("admin") as cf:
        try:
            recycle.restore(cf, entry, today=TODAY)
        except Exception as exc:
            print("refused:", type(exc).__name__, exc)
    assert _scalar(team, "SELECT count(*) FROM calendar_days WHERE name = '伪造假日'") == 0


def test_an_investigator_cannot_decide_a_recusal_through_a_leaders_restore(team: Team) -> None:
    with team.open("chen") as cf:
        case_id = reading.list_cases(cf).rows[0].id
    app_id = _scalar(team, "SELECT min(id) FROM recusal_applications WHERE decision = ''")
    entry = _forge(
        team,
        "chen",
        case_id,
        {
            "format": 1,
            "rows": [],
            "changed": [
                {
                    "table": "recusal_applications",
                    "key": [app_id],
                    "column": "decision",
                    "old": "不同意",
                    "new": "",
                }
            ],
        },
    )
    with team.open("zhou") as cf:
        try:
            recycle.restore(cf, entry, today=TODAY)
        except Exception as exc:
            print("refused:", type(exc).__name__, exc)
    assert _scalar(team, f"SELECT decision FROM recusal_applications WHERE id = {app_id}") == ""


def test_an_investigator_cannot_mark_an_entry_restored_by_someone_else(team: Team) -> None:
    from tests.integration.test_pg_recycle_bin import _removed_party

    _case_id, entry = _removed_party(team, "zhou")
    result = team.psql(
        "chen",
        "UPDATE recycle_bin SET restored_at = '2026-04-01T09:00:00+00:00', "
        f"restored_by = '赵管理' WHERE id = {entry}",
    )
    assert pgt._refused(result), "an investigator hid a removal without restoring it"


def test_restore_writes_rows_only_into_the_entrys_own_case(team: Team) -> None:
    with team.open("chen") as cf:
        from tests.integration.test_pg_team import _incident

        case_id = reading.list_cases(cf).rows[0].id
        other = cases.open_case(cf, _incident("另一起火灾"), today=TODAY).id
    entry = _forge(
        team,
        "chen",
        case_id,
        {
            "format": 1,
            "rows": [
                {
                    "table": "parties",
                    "values": {"id": 9999, "case_id": other, "kind": "个人", "name": "外案当事人"},
                }
            ],
            "changed": [],
        },
    )
    with team.open("zhou") as cf:
        try:
            recycle.restore(cf, entry, today=TODAY)
        except Exception as exc:
            print("refused:", type(exc).__name__, exc)
    assert _scalar(team, f"SELECT count(*) FROM parties WHERE case_id = {other}") == 0


def test_a_party_named_in_a_decided_recusal_is_kept(team: Team) -> None:
    """The database cleared this link before (ON DELETE SET NULL, past row-level security),
    and this test once required an investigator's removal to go on doing so. Since migration
    0023 the decided recusal keeps its party: the removal is refused in Chinese, nothing is
    written (``test_pg_member_delete.py`` has the server's own refusal)."""
    import datetime as dt

    from firecase.errors import ValidationError
    from firecase.services import parties, recusal
    from firecase.services.dto import PartyInput, RecusalApplicationInput, RecusalDecisionInput

    with team.open("zhou") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        detail = reading.get_case(cf, case_id, today=TODAY)
        leader = next(x for x in detail.members if x.name == "周建国")
        member = next(x for x in detail.members if x.name == "刘志强")
        party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="债主"), today=TODAY)
        app = recusal.apply_recusal(
            cf,
            case_id,
            RecusalApplicationInput(
                member.id, "债主", "当事人", 3, "有利害关系。", dt.date(2026, 3, 6), party.id
            ),
            today=TODAY,
        )
        recusal.decide_recusal(
            cf,
            app.id,
            RecusalDecisionInput("驳回", dt.date(2026, 3, 7), "周建国", "理由不成立。", leader.id),
            expected_version=app.version,
            today=TODAY,
        )
    with team.open("chen") as cf:
        with pytest.raises(ValidationError, match="已作出决定的回避申请所涉当事人"):
            parties.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
        assert any(p.id == party.id for p in reading.get_case(cf, case_id, today=TODAY).parties)
        assert not recycle.list_bin(cf, case_id)


def test_an_investigator_cannot_add_an_entry_in_someone_elses_name(team: Team) -> None:
    with team.open("chen") as cf:
        case_id = reading.list_cases(cf).rows[0].id
    result = team.psql(
        "chen",
        "INSERT INTO recycle_bin (case_id, entity, entity_id, label, summary, removed_by, "
        f"removed_at, payload, restored_by, restored_at) VALUES ({case_id}, 'parties', '9', "
        "'当事人', '店主', '周建国', '2026-04-01T08:00:00+00:00', '{}', '', '')",
    )
    assert pgt._refused(result), result.stderr


def test_an_investigator_cannot_plant_an_extension_through_a_leaders_restore(team: Team) -> None:
    """The attacker's finding: an entry inserted with psql under the investigator's own name,
    labelled 当事人, carried an approved 60-day extension; the leader's restore wrote it (the
    leader may record extensions). No removal in the audit trail deleted such a row: refused."""
    from firecase.errors import ValidationError

    with team.open("chen") as cf:
        case_id = reading.list_cases(cf).rows[0].id
    entry = _plant_one_row(  # the investigator may not record it himself
        team,
        case_id,
        "INSERT INTO extensions (case_id, days, requested_on, reason, approved_on, "
        f"approved_by) VALUES ({case_id}, 30, '2026-04-01', 'x', '2026-04-02', 'x')",
        "extensions",
        {
            "id": 990,
            "case_id": case_id,
            "days": 30,
            "requested_on": {"$date": "2026-04-01"},
            "reason": "案情复杂",
            "approved_on": {"$date": "2026-04-02"},
            "approved_by": "天门市人民政府",
            "approval_ref": "",
            "approved_late": False,
            "late_confirmed_by": "",
            "late_confirmed_on": None,
        },
    )
    with team.open("zhou") as cf, pytest.raises(ValidationError, match="审计记录"):
        recycle.restore(cf, entry, today=TODAY)
    assert _scalar(team, "SELECT count(*) FROM extensions") == 0
    assert _scalar(team, f"SELECT restored_at FROM recycle_bin WHERE id = {entry}") == ""


def test_a_purged_entry_replayed_under_its_old_id_is_refused(team: Team) -> None:
    """The attacker's finding: an investigator re-inserted, under its old id and his own name,
    an entry an administrator had emptied (its payload copied while it was listed); the check
    matched it with the first insert of that id and a leader's restore brought back the
    purged approved extension. The entry's own (last) insert holds no removal."""
    from firecase.errors import ValidationError
    from firecase.services import deadlines
    from firecase.services.dto.deadlines import ExtensionInput
    from tests.integration.test_pg_team import D

    with team.open("zhou") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        ext = deadlines.request_extension(
            cf,
            case_id,
            ExtensionInput(
                days=30,
                requested_on=D(2026, 3, 20),
                reason="案情复杂",
                approved_on=D(2026, 3, 25),
                approved_by="天门市人民政府",
            ),
            today=TODAY,
        )
        entry = deadlines.remove_extension(cf, ext.id, expected_version=ext.version, today=TODAY)
    # the investigator copies the entry while it is listed (he may read the bin)
    got = team.psql(
        "chen", "\\pset tuples_only on", f"SELECT payload FROM recycle_bin WHERE id = {entry}"
    )
    assert got.returncode == 0, got.stderr
    payload = got.stdout.strip()
    json.loads(payload)
    with team.open("admin") as cf:  # the administrator empties the bin: gone for good
        assert recycle.empty(cf, case_id, today=TODAY) >= 1
    assert _scalar(team, "SELECT count(*) FROM extensions") == 0
    body = payload.replace("'", "''")
    planted = team.psql(
        "chen",
        "INSERT INTO recycle_bin (id, case_id, entity, entity_id, label, summary, removed_by, "
        f"removed_at, payload, restored_by, restored_at) VALUES ({entry}, {case_id}, "
        f"'extensions', '{ext.id}', '延期', '延期30日', '陈晓明', '2026-04-01T08:00:00+00:00', "
        f"'{body}', '', '')",
    )
    assert planted.returncode == 0, planted.stderr  # the server lets him
    with team.open("zhou") as cf, pytest.raises(ValidationError, match="审计记录"):
        recycle.restore(cf, entry, today=TODAY)
    assert _scalar(team, "SELECT count(*) FROM extensions") == 0, (
        "a purged approved extension came back through an entry planted with psql"
    )


def test_a_planted_entry_listing_a_cascaded_row_twice_is_refused(team: Team) -> None:
    """The attacker's second review: an investigator's own transaction deleted a team member
    (writers may), the cascade deleted the member's decided recusal application (audited under
    his login), and his planted entry listed that row three times; each copy matched the one
    audited delete, and the leader's restore made two decided applications nobody decided.
    The cascade is refused now (migration 0023); the rows deleted by a leader instead, the
    planted entry is still refused: one audited delete puts back one row."""
    import json

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from firecase.errors import ValidationError
    from firecase.services import recusal
    from firecase.services._recycle_rows import _row_values
    from firecase.services.dto import RecusalDecisionInput
    from firecase.store import models as m
    from tests.integration.test_pg_team import D

    with team.open("zhou") as cf:
        case_id = reading.list_cases(cf).rows[0].id
        detail = reading.get_case(cf, case_id, today=TODAY)
        leader = next(x for x in detail.members if x.name == "周建国")
        liu = next(x for x in detail.members if x.name == "刘志强")
    with team.open("admin") as cf, cf.connect() as conn:
        app_id, ver = conn.execute(
            text(f"SELECT id, version FROM recusal_applications WHERE member_id = {liu.id}")
        ).one()
    with team.open("zhou") as cf:
        recusal.decide_recusal(
            cf,
            app_id,
            RecusalDecisionInput(
                "批准", D(2026, 3, 7), "周建国", "系近亲属，应当回避。", leader.id
            ),
            expected_version=ver,
            today=TODAY,
        )
    before = _scalar(team, "SELECT count(*) FROM recusal_applications WHERE decision = '批准'")
    # the investigator, with his own login and plain SQL (psql would do the same)
    eng = create_engine(team.url("chen"))
    with Session(eng) as s:
        member = s.get(m.TeamMember, liu.id)
        rec = s.get(m.RecusalApplication, app_id)
        rows = [
            {"table": "team_members", "values": _row_values(member)},
            {"table": "recusal_applications", "values": _row_values(rec)},
            {"table": "recusal_applications", "values": _row_values(rec)},
            {"table": "recusal_applications", "values": _row_values(rec)},
        ]
        subs = [
            {"table": "subgroup_members", "values": _row_values(x)}
            for x in s.query(m.SubGroupMember).filter_by(member_id=liu.id)
        ]
    payload = json.dumps(
        {"format": 1, "rows": rows + subs, "changed": []}, ensure_ascii=False, sort_keys=True
    )
    # since migration 0023 the server refuses the investigator's delete outright (the
    # decided recusal still names the member: test_pg_member_delete.py); a leader, who may
    # delete recusal applications, removes the two rows instead
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError, match="foreign key"), eng.begin() as conn:
        conn.execute(text("DELETE FROM team_members WHERE id = :i"), {"i": liu.id})
    leader_eng = create_engine(team.url("zhou"))
    with leader_eng.begin() as conn:
        conn.execute(text("DELETE FROM subgroup_members WHERE member_id = :i"), {"i": liu.id})
        conn.execute(text("DELETE FROM recusal_applications WHERE id = :i"), {"i": app_id})
        conn.execute(text("DELETE FROM team_members WHERE id = :i"), {"i": liu.id})
    leader_eng.dispose()
    with eng.begin() as conn:
        entry = conn.execute(
            text(
                "INSERT INTO recycle_bin (case_id, entity, entity_id, label, summary, removed_by,"
                " removed_at, payload, restored_by, restored_at) VALUES (:c, 'team_members', :e,"
                " '调查组成员', '刘志强', '陈晓明', '2026-04-01T08:00:00+00:00', :p, '', '')"
                " RETURNING id"
            ),
            {"c": case_id, "e": str(liu.id), "p": payload},
        ).scalar()
    eng.dispose()
    assert _scalar(team, f"SELECT count(*) FROM recusal_applications WHERE id = {app_id}") == 0
    with team.open("zhou") as cf, pytest.raises(ValidationError, match="审计记录"):
        recycle.restore(cf, entry, today=TODAY)
    after = _scalar(team, "SELECT count(*) FROM recusal_applications WHERE decision = '批准'")
    assert after == before - 1, "a decided recusal application was manufactured by a restore"
