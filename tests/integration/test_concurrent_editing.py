"""Two officers editing one case at the same time: nothing lost, conflicts seen, roles enforced.

On PostgreSQL each officer has their own ``CaseFile`` (their own engine and connections), as
two PCs would. A SQLite case file is locked to one program, so there the two officers share one
``CaseFile`` and act through their own units of work, as two windows of one program would.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest
from _pg import recorded_actor
from sqlalchemy import text

from firecase.errors import ConflictError, PermissionDeniedError
from firecase.services import cases, evidence, parties as parties_svc, reading, recusal
from firecase.services.changes import audit_position, changes_since
from firecase.services.dto import (
    EvidenceInput,
    IncidentInput,
    PartyInput,
    RecusalDecisionInput,
    UserInput,
)
from firecase.services.users import add_user, list_users, update_user
from firecase.store import CaseFile, open_case_file

D = dt.date
TODAY = D(2026, 4, 1)
N = 50


@pytest.fixture
def officers(case_url: str) -> Iterator[tuple[CaseFile, CaseFile]]:
    """(甲's case file, 乙's case file), in team mode: zhang is 调查组组长, li is 调查员."""
    first = open_case_file(case_url, user="zhang")
    add_user(first, UserInput("zhang", "张组长", "管理员"), today=TODAY)
    add_user(first, UserInput("li", "李调查", "调查员"), today=TODAY)
    second = first if first.is_sqlite else open_case_file(case_url, user="li")
    try:
        yield first, second
    finally:
        if second is not first:
            second.close()
        first.close()


def _case(cf: CaseFile) -> int:
    return cases.open_case(
        cf,
        IncidentInput(
            title="竟陵街道仓库火灾",
            fire_date=D(2026, 3, 1),
            place="天门市竟陵街道",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("300000.00"),
            economic_loss_yuan=Decimal("800000.00"),
        ),
        today=TODAY,
    ).id


def _evidence(code: str, name: str) -> EvidenceInput:
    return EvidenceInput(
        code=code,
        name=name,
        kind="物证",
        collected_on=D(2026, 3, 2),
        collected_by="现场勘验组",
    )


def test_interleaved_edits_to_different_records_all_land(
    officers: tuple[CaseFile, CaseFile],
) -> None:
    zhang, li = officers
    case_id = _case(zhang)
    mine = [
        parties_svc.add_party(zhang, case_id, PartyInput("个人", f"甲方{i}"), actor="zhang")
        for i in range(N // 2)
    ]
    theirs = [
        parties_svc.add_party(li, case_id, PartyInput("个人", f"乙方{i}"), actor="li")
        for i in range(N // 2)
    ]
    start = audit_position(li)
    # 50 edits, alternating between the two officers, each to a record of their own
    for i in range(N // 2):
        for cf, actor, views in ((zhang, "zhang", mine), (li, "li", theirs)):
            parties_svc.update_party(
                cf,
                views[i].id,
                PartyInput("个人", views[i].name, note=f"{actor} 第{i}次核实"),
                expected_version=views[i].version,
                actor=actor,
                today=TODAY,
            )
    parties = {p.id: p for p in reading.get_case(li, case_id, today=TODAY).parties}
    for views, actor in ((mine, "zhang"), (theirs, "li")):
        for i, view in enumerate(views):
            pid = view.id
            assert parties[pid].note == f"{actor} 第{i}次核实"
            assert parties[pid].version == 2
    seen = changes_since(zhang, start)
    who = {recorded_actor(zhang, "zhang"), recorded_actor(li, "li")}
    assert seen.case_ids == {case_id} and seen.actors == who
    with li.connect() as conn:
        notes = conn.execute(
            text("SELECT actor, count(*) FROM audit_log WHERE field = 'note' GROUP BY actor")
        ).all()
    expected: dict[str, int] = {}
    for name in ("zhang", "li"):
        login = recorded_actor(zhang, name)
        expected[login] = expected.get(login, 0) + N // 2
    assert dict(notes) == expected
    assert zhang.verify_audit().ok


def test_second_writer_of_the_same_record_gets_a_conflict(
    officers: tuple[CaseFile, CaseFile],
) -> None:
    zhang, li = officers
    case_id = _case(zhang)
    item = evidence.add_evidence(zhang, case_id, _evidence("WZ-1", "插线板残骸"), actor="zhang")
    # both read version 1, zhang saves first
    evidence.update_evidence(
        zhang,
        item.id,
        _evidence("WZ-1", "插线板残骸（已拍照）"),
        expected_version=item.version,
        actor="zhang",
    )
    with pytest.raises(ConflictError, match="已被其他用户或窗口修改") as err:
        evidence.update_evidence(
            li,
            item.id,
            _evidence("WZ-1", "插线板熔痕"),
            expected_version=item.version,
            actor="li",
        )
    assert err.value.field == "version"
    with pytest.raises(ConflictError):  # a stale delete is refused too
        evidence.remove_evidence(li, item.id, expected_version=item.version, actor="li")
    kept = reading.get_case(li, case_id, today=TODAY).evidence
    assert [(e.name, e.version) for e in kept] == [("插线板残骸（已拍照）", 2)]
    # after reloading, the second writer may overwrite knowingly
    evidence.update_evidence(
        li, item.id, _evidence("WZ-1", "插线板熔痕"), expected_version=2, actor="li"
    )


def test_roles_are_enforced_across_connections(officers: tuple[CaseFile, CaseFile]) -> None:
    zhang, li = officers
    case_id = _case(li if li is not zhang else zhang)
    with pytest.raises(PermissionDeniedError, match="只有管理员可以管理用户"):
        add_user(li, UserInput("wang", "王某", "调查员"), actor="li")
    with pytest.raises(PermissionDeniedError, match="只有调查组组长或管理员可以决定回避申请"):
        recusal.decide_recusal(
            li,
            1,
            RecusalDecisionInput("批准", TODAY, "李调查", "理由"),
            expected_version=1,
            actor="li",
        )
    # the admin makes li read-only on their own connection: li's next write is refused
    li_user = next(u for u in list_users(zhang) if u.login == "li")
    update_user(
        zhang,
        "li",
        UserInput("li", "李调查", "只读"),
        expected_version=li_user.version,
        actor="zhang",
    )
    with pytest.raises(PermissionDeniedError, match="（只读）无权记录案件事实"):
        parties_svc.add_party(li, case_id, PartyInput("个人", "王五"), actor="li")
    assert reading.get_case(li, case_id, today=TODAY).parties == ()


@pytest.mark.parametrize(
    "case_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_simultaneous_writers_on_a_server(case_url: str) -> None:
    """Two officers' threads writing at the same moment: every edit lands, the chain holds.

    (Server only: two programs cannot hold one SQLite case file at once.)
    """
    with open_case_file(case_url, user="zhang") as zhang:
        add_user(zhang, UserInput("zhang", "张组长", "管理员"), today=TODAY)
        add_user(zhang, UserInput("li", "李调查", "调查员"), today=TODAY)
        case_id = _case(zhang)
        with open_case_file(case_url, user="li") as li:
            errors: list[BaseException] = []
            barrier = threading.Barrier(2)

            def write(cf: CaseFile, actor: str) -> None:
                try:
                    barrier.wait()
                    for i in range(N // 2):
                        evidence.add_evidence(
                            cf,
                            case_id,
                            _evidence(f"{actor}-{i}", f"{actor}提取的物证{i}"),
                            actor=actor,
                            today=TODAY,
                        )
                except BaseException as exc:  # reported by the main thread
                    errors.append(exc)

            threads = [
                threading.Thread(target=write, args=(zhang, "zhang")),
                threading.Thread(target=write, args=(li, "li")),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert errors == []
            codes = {e.code for e in reading.get_case(li, case_id, today=TODAY).evidence}
            assert codes == {f"{a}-{i}" for a in ("zhang", "li") for i in range(N // 2)}
            assert li.verify_audit().ok
