"""The 回收站 on a team server (issue 19 part 4): the server, not the client, keeps emptying an
administrator's act. Probed with psql as each role and with the client's own check switched off."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from firecase.errors import PermissionDeniedError
from firecase.services import cases, parties, permissions, reading, recycle
from firecase.services.dto import PartyInput
from tests.integration import test_pg_team as pgt
from tests.integration.test_pg_team import TODAY, Team, _incident, _refused

team = pgt.team  # the team schema with one officer per role

pytestmark = pytest.mark.postgres


def _bin_count(team: Team) -> int:
    with team.open("admin") as cf, cf.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM recycle_bin")).scalar_one())


def _removed_party(team: Team, who: str = "chen") -> tuple[int, int]:
    with team.open(who) as cf:
        case_id = reading.list_cases(cf).rows[0].id
        party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="店主"), today=TODAY)
        entry = parties.remove_party(cf, party.id, expected_version=party.version, today=TODAY)
        return case_id, entry


def test_an_investigator_removes_and_restores_but_the_server_refuses_emptying(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, entry = _removed_party(team)
    with team.open("chen") as cf:
        recycle.restore(cf, entry, today=TODAY)
        assert [p.name for p in reading.get_case(cf, case_id).parties] == ["店主"]
        _, entry = _removed_party(team)
        with pytest.raises(PermissionDeniedError, match="清空回收站"):
            recycle.empty(cf, case_id)
        monkeypatch.setattr(permissions, "check", lambda *a, **k: None)
        with pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
            recycle.empty(cf, case_id)
    assert _bin_count(team) == 2


@pytest.mark.parametrize("who", ["guest", "chen", "zhou"])
def test_psql_cannot_empty_or_rewrite_the_bin_but_as_an_administrator(team: Team, who: str) -> None:
    _removed_party(team)
    for sql in (
        "UPDATE recycle_bin SET payload = '{}'",
        "UPDATE recycle_bin SET removed_by = 'someone'",
        "DELETE FROM recycle_contents WHERE false",
    ):
        if who == "zhou" and sql.startswith("DELETE"):
            continue  # a leader may delete, limited to removed cases (below)
        assert _refused(team.psql(who, "BEGIN", sql, "ROLLBACK")), (who, sql)
    result = team.psql(who, "DELETE FROM recycle_bin")
    if who == "zhou":  # row-level security: only entries of a case already removed
        assert result.returncode == 0, result.stderr
    else:
        assert _refused(result), (who, result.stderr)
    assert _bin_count(team) == 1
    assert team.psql("admin", "BEGIN", "DELETE FROM recycle_bin", "ROLLBACK").returncode == 0


def test_a_leader_removes_a_case_with_its_bin_and_an_administrator_empties(team: Team) -> None:
    case_id, _entry = _removed_party(team)
    case2, _ = _second_case_with_a_removal(team)
    with team.open("zhou") as cf:
        summary = reading.get_case_summary(cf, case_id)
        cases.remove_case(cf, case_id, expected_version=summary.version)
    assert _bin_count(team) == 1  # the other case's entry stays
    with team.open("admin") as cf:
        assert recycle.empty(cf, case2) == 1
    assert _bin_count(team) == 0


def _second_case_with_a_removal(team: Team) -> tuple[int, int]:
    with team.open("chen") as cf:
        case_id = cases.open_case(cf, _incident("第二起火灾"), today=TODAY).id
        party = parties.add_party(cf, case_id, PartyInput(kind="个人", name="租户"), today=TODAY)
        return case_id, parties.remove_party(
            cf, party.id, expected_version=party.version, today=TODAY
        )
