"""Team mode on the real PostgreSQL server, continued: what the review of an officer with psql
found (docs/TEAM.md, "What an officer with psql cannot do") — passwords only as SCRAM verifiers,
TLS whenever offered, a reader refreshing what is recomputed, two administrators saving
settings, temporary tables standing in for real ones, faked recomputed columns caught by
verify — and the founding document being the leaders' to record. The team fixture and the
probes of each role: ``test_pg_team.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import test_pg_team as pg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from test_pg_team import PASSWORD, PG_URL, TODAY, D, Team, _refused, _sv

from firecase.errors import CaseFileError, PermissionDeniedError, ValidationError
from firecase.services import (
    cases,
    permissions,
    reading as reading_svc,
    settings as settings_svc,
    users,
)
from firecase.services.dto import (
    SettingsInput,
    TeamSetupInput,
    UserInput,
)
from firecase.store import CaseFile, open_case_file, pg_team
from firecase.store.audit import verify_audit_chain

pytestmark = pytest.mark.postgres

# the team on the server, shared with test_pg_team.py
team = pg.team


def test_passwords_reach_the_server_only_as_scram_verifiers() -> None:
    verifier = pg_team.scram_verifier("Secret-2026", salt=b"0123456789abcdef")
    assert verifier.startswith("SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$")
    assert "Secret" not in verifier
    for bad in ("short", "含中文的密码12345", "with space 123"):
        with pytest.raises(ValidationError):
            pg_team.scram_verifier(bad)


def test_the_connection_uses_tls_whenever_the_server_offers_it(team: Team) -> None:
    assert PG_URL
    dba = create_engine(PG_URL)
    with dba.connect() as conn:
        offered = conn.execute(text("SHOW ssl")).scalar() == "on"
    dba.dispose()
    with team.open("chen") as cf:
        assert cf.encrypted is offered  # libpq's sslmode=prefer: TLS when the server has it
    if not offered:
        with pytest.raises(CaseFileError, match="SSL"):  # asked for TLS, the server has none
            open_case_file(team.url("chen") + "&sslmode=require").close()


def test_a_reader_reads_everything_and_refreshes_what_is_recomputed(
    team: Team, tmp_path: Path
) -> None:
    """只读 may only SELECT, yet reading must work wherever the GUI reads: the case, the
    clock board, the audit trail, the reports; after an administrator's settings change the
    reader's case list recomputes the stale clocks (the recomputed columns only)."""
    from firecase.services import clock_board, maintenance, reporting

    with team.open("admin") as cf:
        settings_svc.update_settings(
            cf, SettingsInput("天门市消防救援大队", "天消调"), expected_version=_sv(cf)
        )
        with cf.engine.begin() as conn:  # as a calendar edit does: every clock to recompute
            conn.execute(text("UPDATE cases SET clocks_stale = true"))
            before = conn.execute(text("SELECT last_seq FROM audit_head")).scalar()
    with team.open("guest") as cf:
        page = reading_svc.list_cases(cf, today=TODAY)
        assert page.total == 1
        case_no = page.rows[0].case_no
        detail = reading_svc.get_case(cf, page.rows[0].id, today=TODAY)
        assert detail.case.case_no == case_no
        assert clock_board.clock_board(cf, today=TODAY) is not None
        assert maintenance.list_audit(cf, limit=5)
        out = tmp_path / "报告.pdf"
        reporting.build_report(cf, "investigation", case_no, out, generated_at=dt.datetime.now())
        assert out.stat().st_size > 1000
    with team.open("admin") as cf, cf.connect() as conn:
        assert not conn.execute(text("SELECT bool_or(clocks_stale) FROM cases")).scalar()
        assert verify_audit_chain(conn).ok
        # recomputed data is not audited: marking and refreshing wrote no audit row
        touched = conn.execute(
            text("SELECT count(*) FROM audit_log WHERE seq > :b AND entity = 'cases'"),
            {"b": before},
        ).scalar()
        assert touched == 0
        # the reader's print is itself on record, under the reader's login (a read that matters)
        printed = conn.execute(
            text("SELECT written_by, kind FROM report_outputs ORDER BY id DESC LIMIT 1")
        ).one()
        assert tuple(printed) == (team.login("guest"), "investigation")
        actor = conn.execute(
            text("SELECT actor FROM audit_log WHERE entity = 'report_outputs' ORDER BY seq DESC")
        ).scalar()
        assert actor == team.login("guest")


def test_two_administrators_saving_settings_the_second_gets_a_conflict(team: Team) -> None:
    """Build 6: the second of two administrators with 设置 open does not silently reverse the
    first's 期限末日顺延; a leader's team-warning acknowledgement is not a settings change."""
    from firecase.errors import ConflictError
    from firecase.services.workspace_extra import acknowledge_team_warning

    with team.open("admin") as cf:
        users.add_user(cf, UserInput(team.login("wang"), "王副管", "管理员"), password=PASSWORD)
    with team.open("admin") as first, team.open("wang") as second:
        seen_first = settings_svc.get_settings(first)
        seen_second = settings_svc.get_settings(second)
        assert seen_first.version == seen_second.version
        saved = settings_svc.update_settings(
            first,
            SettingsInput("天门市消防救援大队", "天消调", roll_to_workday=False),
            expected_version=seen_first.version,
        )
        assert saved.version == seen_first.version + 1 and not saved.roll_to_workday
        case_id = reading_svc.list_cases(first).rows[0].id
        with team.open("zhou") as leader:  # under RLS: only team_ack:* rows, no version bump
            acknowledge_team_warning(leader, case_id, "W1", "组长未到位。", today=TODAY)
            assert settings_svc.get_settings(leader).version == saved.version
        with second.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        with pytest.raises(ConflictError, match="设置已被其他管理员修改"):
            settings_svc.update_settings(
                second,
                SettingsInput("天门市消防救援支队", "天消调", roll_to_workday=True),
                expected_version=seen_second.version,
            )
        after = settings_svc.get_settings(second)
        assert (after.organisation_name, after.roll_to_workday) == ("天门市消防救援大队", False)
        with second.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == rows
        # read again, the second administrator's save goes through, on top of the first's
        again = settings_svc.update_settings(
            second,
            SettingsInput("天门市消防救援支队", "天消调", roll_to_workday=False),
            expected_version=after.version,
        )
        assert again.version == after.version + 1
        assert team.login("wang") in _settings_actors(second)


def _settings_actors(cf: CaseFile) -> set[str]:
    with cf.connect() as conn:
        return set(
            conn.execute(
                text("SELECT DISTINCT actor FROM audit_log WHERE entity = 'settings'")
            ).scalars()
        )


def test_temporary_tables_cannot_stand_in_for_real_ones(team: Team) -> None:
    """The attacks a fresh-eyes review found (temporary tables shadowing ``pg_roles``,
    ``users``, ``audit_log`` and ``audit_head`` inside the ``SECURITY DEFINER`` functions):
    officers may not create temporary tables, and with that right given back by hand the
    functions still read only the real tables."""
    assert PG_URL
    verifier = pg_team.scram_verifier("Pwned-2026")
    refused = team.psql("guest", "CREATE TEMP TABLE x (i integer)")
    assert _refused(refused) and "temporary" in refused.stderr, refused.stderr
    dba = create_engine(PG_URL)
    database = make_url(PG_URL).database
    logins = f"{team.login('guest')}, {team.login('chen')}"
    with dba.begin() as conn:
        conn.execute(text(f'GRANT TEMPORARY ON DATABASE "{database}" TO {logins}'))
    try:
        # A: a reader who "is" a superuser in a temporary pg_roles resets the admin's password
        a = team.psql(
            "guest",
            "CREATE TEMP TABLE pg_roles AS SELECT rolname, rolsuper, rolcreaterole, "
            "rolreplication, rolbypassrls, rolcanlogin, oid FROM pg_catalog.pg_roles",
            "UPDATE pg_temp.pg_roles SET rolsuper = true WHERE rolname = session_user",
            "GRANT SELECT ON pg_temp.pg_roles TO PUBLIC",
            f"SELECT firecase_officer_password('{team.login('admin')}', '{verifier}')",
        )
        assert a.returncode != 0 and "只有管理员可以管理用户" in a.stderr, a.stderr
        with team.open("admin") as cf:  # the old password still works
            assert users.current_user(cf).role == "管理员"
        # B and C: a temporary audit_log with a trigger of the officer's own, run as the owner
        admin_group = team.roles.group("管理员")
        b = team.psql(
            "chen",
            f"CREATE TEMP TABLE audit_log (LIKE {team.schema}.audit_log INCLUDING ALL)",
            f"CREATE TEMP TABLE audit_head (LIKE {team.schema}.audit_head INCLUDING ALL)",
            "INSERT INTO pg_temp.audit_head VALUES (1, 0, repeat('0', 64))",
            "GRANT ALL ON pg_temp.audit_log, pg_temp.audit_head TO PUBLIC",
            "CREATE FUNCTION pg_temp.pwn() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN "
            f"EXECUTE format('GRANT %I TO %I', '{admin_group}', session_user); "
            "RETURN NULL; END $f$",
            "CREATE TRIGGER pwn AFTER INSERT ON pg_temp.audit_log FOR EACH STATEMENT "
            "EXECUTE FUNCTION pg_temp.pwn()",
            "UPDATE cases SET title = '被悄悄改掉的标题' WHERE id = 1",
            "SELECT count(*) FROM pg_temp.audit_log",
        )
        assert b.returncode == 0, b.stderr  # the edit itself is one an investigator may make
        assert b.stdout.split()[2] == "0"  # ... and it went to the real trail, not the shadow
        with dba.connect() as conn:
            member = conn.execute(
                text("SELECT pg_has_role(:l, :g, 'MEMBER')"),
                {"l": team.login("chen"), "g": admin_group},
            ).scalar()
            assert member is False
        with team.open("chen") as cf:
            with cf.connect() as conn:
                row = conn.execute(
                    text(
                        "SELECT actor, new_value FROM audit_log WHERE entity = 'cases' "
                        "AND field = 'title' ORDER BY seq DESC LIMIT 1"
                    )
                ).one()
            assert (row.actor, row.new_value) == (team.login("chen"), "被悄悄改掉的标题")
            assert cf.verify_audit().ok
    finally:
        with dba.begin() as conn:
            conn.execute(text(f'REVOKE TEMPORARY ON DATABASE "{database}" FROM {logins}'))
        dba.dispose()
    # the import note, the one audit function an officer calls, is not for readers
    note = team.psql("guest", "SELECT firecase_audit_note('import', 'cases', '1', 1, '{}')")
    assert _refused(note), note.stderr


def test_a_reader_faking_the_recomputed_columns_is_caught_by_verify(team: Team) -> None:
    """A reader may refresh the recomputed columns (so reading the list can), and so may write
    nonsense into them with psql: nothing audits that, but verify recomputes and names it."""
    from firecase.services.maintenance import verify_case_file

    with team.open("admin") as cf:
        assert verify_case_file(cf).ok
    faked = team.psql(
        "guest",
        "UPDATE cases SET stage = '已结案', next_due_on = '2099-12-31', "
        "has_open_clocks = false, clocks_stale = false WHERE id = 1",
        "DELETE FROM open_clocks",
    )
    assert faked.returncode == 0, faked.stderr
    with team.open("admin") as cf:
        report = verify_case_file(cf)
    found = "\n".join(report.data_problems)
    assert not report.ok and "“办理阶段”为“已结案”" in found and "期限看板记录" in found, found


def test_the_founding_document_and_body_are_the_leaders_to_record(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """成立文件文号 and 组建机关 (migration 0019) are written like the team's set-up: a leader
    records them (audited under the login), an investigator is refused by the server even with
    the client's check switched off; the evidence patterns are the administrator's."""
    from firecase.services import evidence_numbers

    setup = TeamSetupInput(
        D(2026, 3, 3), document_no="天政办函〔2026〕12号", formed_by="天门市人民政府"
    )
    with team.open("zhou") as cf:
        case_id = reading_svc.list_cases(cf).rows[0].id
        summary = reading_svc.get_case_summary(cf, case_id)
        saved = cases.set_team_setup(cf, case_id, setup, expected_version=summary.version)
        assert saved.team_document_no == "天政办函〔2026〕12号"
        assert saved.team_formed_by == "天门市人民政府"
    with team.open("admin") as cf, cf.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT actor, field, new_value FROM audit_log WHERE entity = 'cases' "
                "AND field IN ('team_document_no', 'team_formed_by') ORDER BY seq"
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            (team.login("zhou"), "team_document_no", "天政办函〔2026〕12号"),
            (team.login("zhou"), "team_formed_by", "天门市人民政府"),
        ]
        assert verify_audit_chain(conn).ok
    monkeypatch.setattr(permissions, "check", lambda *a, **k: None)
    with team.open("chen") as cf:
        summary = reading_svc.get_case_summary(cf, case_id)
        with pytest.raises(PermissionDeniedError, match="数据库服务器拒绝"):
            cases.set_team_setup(
                cf,
                case_id,
                TeamSetupInput(D(2026, 3, 3), document_no="伪造〔2026〕1号"),
                expected_version=summary.version,
            )
        view = evidence_numbers.evidence_patterns(cf)
        with pytest.raises(PermissionDeniedError):
            evidence_numbers.save_evidence_patterns(
                cf,
                [evidence_numbers.EvidencePatternInput("物证", "WZ-{N}")],
                expected_version=view.version,
            )
    with team.open("admin") as cf:
        view = evidence_numbers.evidence_patterns(cf)
        saved_view = evidence_numbers.save_evidence_patterns(
            cf,
            [evidence_numbers.EvidencePatternInput("物证", "WZ-{N}")],
            expected_version=view.version,
        )
        assert saved_view.rows[0].pattern == "WZ-{N}"
        assert reading_svc.get_case_summary(cf, case_id).team_document_no == "天政办函〔2026〕12号"
