"""Review of the 回收站 (branch review-bin): exact round trips, damaged and forged entries,
two restores at once."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from firecase.errors import FirecaseError, ValidationError
from firecase.services import (
    findings,
    maintenance,
    parties as parties_svc,
    reading,
    recycle,
    users,
)
from firecase.services.dto import FindingInput, PartyInput, UserInput
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Party
from tests._shop_fire import open_shop_fire

TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def cf(case_url: str) -> Iterator[CaseFile]:
    with open_case_file(case_url, user="张警官") as opened:
        yield opened


def _party_with_finding(cf: CaseFile) -> tuple[int, int, int]:
    case_id = open_shop_fire(cf)
    party = parties_svc.add_party(cf, case_id, PartyInput(kind="单位", name="某商店"), today=TODAY)
    finding = findings.add_finding(
        cf,
        case_id,
        FindingInput(
            area="使用管理责任", subject="某商店", text="未落实消防安全责任。", party_id=party.id
        ),
        today=TODAY,
    )
    return case_id, party.id, finding.id


def test_a_party_comes_back_linked_to_its_finding_and_verify_holds(cf: CaseFile) -> None:
    """The finding's party_id is cleared by the database (ON DELETE SET NULL), not the ORM."""
    case_id, party_id, _finding = _party_with_finding(cf)
    version = reading.get_case(cf, case_id, today=TODAY).parties[0].version
    entry = parties_svc.remove_party(cf, party_id, expected_version=version, today=TODAY)
    report = maintenance.verify_case_file(cf, today=TODAY)
    assert report.data_problems == (), report.data_problems  # after the removal alone
    recycle.restore(cf, entry, today=TODAY)
    detail = reading.get_case(cf, case_id, today=TODAY)
    assert detail.findings[0].party_id == detail.parties[0].id


@pytest.mark.parametrize(
    "rows",
    [
        [{"table": "parties", "values": {"name": "无编号"}}],  # no id
        [{"table": "parties", "values": {"id": 77, "case_id": 1, "bogus": 1}}],  # no column
        [{"values": {}}],  # no table
        ["parties"],  # not an object
    ],
)
def test_a_damaged_payload_is_a_message_not_a_traceback(cf: CaseFile, rows: Any) -> None:
    case_id = open_shop_fire(cf)
    party = parties_svc.add_party(cf, case_id, PartyInput(kind="个人", name="店主"), today=TODAY)
    entry_id = parties_svc.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
    with cf.unit_of_work() as uow:
        from firecase.store.models import RecycleEntry

        entry = uow.session.get(RecycleEntry, entry_id)
        assert entry is not None
        entry.payload = json.dumps({"format": 1, "rows": rows, "changed": []})
        uow.commit()
    with pytest.raises(FirecaseError):
        recycle.restore(cf, entry_id, today=TODAY)


def test_a_forged_entry_on_the_shared_pc_cannot_make_an_investigator_an_administrator(
    tmp_path: Any,
) -> None:
    path = tmp_path / "案卷.sqlite"
    with open_case_file(str(path), user="张警官") as cf:
        case_id = open_shop_fire(cf)
        users.add_user(cf, UserInput("张警官", "张警官", "管理员"), today=TODAY)
        users.add_user(cf, UserInput("li", "李调查员", "调查员"), actor="张警官", today=TODAY)
    payload = {
        "format": 1,
        "rows": [],
        "changed": [
            {"table": "users", "key": [0], "column": "role", "old": "管理员", "new": "调查员"}
        ],
    }
    con = sqlite3.connect(path)  # the investigator, with the file on the shared PC
    (li_id,) = con.execute("SELECT id FROM users WHERE login = 'li'").fetchone()
    payload["changed"][0]["key"] = [li_id]
    with con:
        cur = con.execute(
            "INSERT INTO recycle_bin (case_id, entity, entity_id, label, summary, removed_by, "
            "removed_at, payload, restored_by, restored_at) VALUES (?, 'parties', '9', '当事人', "
            "'店主', '张警官', '2026-03-09T08:00:00+00:00', ?, '', '')",
            (case_id, json.dumps(payload)),
        )
        entry_id = cur.lastrowid
    con.close()
    with open_case_file(str(path), user="li") as cf:
        try:
            recycle.restore(cf, entry_id, actor="li", today=TODAY)
        except FirecaseError as exc:
            print("refused:", exc)
        roles = {u.login: u.role for u in users.list_users(cf)}
        report = maintenance.verify_case_file(cf, today=TODAY)
        print("verify:", report.audit_ok, report.data_problems)
        if roles["li"] == "管理员":  # now an administrator, li empties the bin: traces gone?
            recycle.empty(cf, case_id, actor="li", today=TODAY)
            report = maintenance.verify_case_file(cf, today=TODAY)
            print("verify after emptying:", report.audit_ok, report.data_problems)
    assert roles["li"] == "调查员"


def test_two_restores_at_once_put_the_record_back_once(
    cf: CaseFile, case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cf.engine.dialect.name == "sqlite":
        pytest.skip("a SQLite case file is opened by one program at a time")
    case_id = open_shop_fire(cf)
    party = parties_svc.add_party(cf, case_id, PartyInput(kind="个人", name="店主"), today=TODAY)
    entry_id = parties_svc.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
    real = recycle._put_back
    b_checked, a_done = threading.Event(), threading.Event()

    def put_back(*args: Any, **kw: Any) -> Any:
        # Each waits for the other to have checked the entry, unless the other is blocked by
        # the server's lock on it: then it goes on after the wait (the outcome is the same:
        # the lock serialises the two; the waits are all this test's time).
        if threading.current_thread().name == "A":
            b_checked.wait(2)
        else:
            b_checked.set()
            a_done.wait(2)
        return real(*args, **kw)

    monkeypatch.setattr(recycle, "_put_back", put_back)
    errors: dict[str, BaseException] = {}

    def run(name: str) -> None:
        try:
            with open_case_file(case_url, user="张警官") as other:
                recycle.restore(other, entry_id, today=TODAY)
        except BaseException as exc:
            errors[name] = exc
        finally:
            if name == "A":
                a_done.set()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    print({k: f"{type(v).__name__}: {v}" for k, v in errors.items()})
    with cf.unit_of_work() as uow:
        count = uow.session.scalar(select(func.count()).select_from(Party))
    assert count == 1
    for exc in errors.values():  # the loser is told, in Chinese
        assert isinstance(exc, (ValidationError, FirecaseError)), repr(exc)


def _add_and_remove_party(cf: CaseFile, case_id: int, name: str) -> int:
    """Add a person party ``name`` and remove it; the 回收站 entry's id."""
    party = parties_svc.add_party(cf, case_id, PartyInput(kind="个人", name=name), today=TODAY)
    return parties_svc.remove_party(cf, party.id, expected_version=party.version, today=TODAY)


def test_an_entry_edited_after_the_removal_is_refused_and_writes_nothing(tmp_path: Any) -> None:
    """The attacker's finding: an entry's rows were put back as they stood in the entry,
    whatever wrote them. A genuine entry whose payload was changed afterwards (the removed
    party renamed with sqlite3) no longer matches the removal the audit trail records."""
    path = tmp_path / "案卷.sqlite"
    with open_case_file(str(path), user="张警官") as cf:
        case_id = open_shop_fire(cf)
        entry_id = _add_and_remove_party(cf, case_id, "店主")
    con = sqlite3.connect(path)
    (payload,) = con.execute("SELECT payload FROM recycle_bin WHERE id = ?", (entry_id,)).fetchone()
    with con:
        con.execute(
            "UPDATE recycle_bin SET payload = ? WHERE id = ?",
            (payload.replace('"店主"', '"旁人"'), entry_id),
        )
    con.close()
    with open_case_file(str(path), user="张警官") as cf:
        with pytest.raises(ValidationError, match="与审计记录中的删除不符") as refused:
            recycle.restore(cf, entry_id, today=TODAY)
        assert refused.value.field == "entry_id"
        assert reading.get_case(cf, case_id, today=TODAY).parties == ()
        assert not recycle.list_bin(cf, case_id)[0].restored


def test_a_genuine_removal_after_emptying_the_bin_can_be_restored(tmp_path: Any) -> None:
    """The attacker's finding: SQLite gives a bin id again once the bin is emptied, and the
    check compared the new entry with the first (purged) removal of that id."""
    path = tmp_path / "案卷.sqlite"
    with open_case_file(str(path), user="张警官") as cf:
        case_id = open_shop_fire(cf)
        old_entry = _add_and_remove_party(cf, case_id, "店主")
        assert recycle.empty(cf, case_id, today=TODAY) == 1
        new_entry = _add_and_remove_party(cf, case_id, "租户")
        assert new_entry == old_entry  # the id is given again
        recycle.restore(cf, new_entry, today=TODAY)  # was refused: 与审计记录中的删除不符
        assert [p.name for p in reading.get_case(cf, case_id, today=TODAY).parties] == ["租户"]
