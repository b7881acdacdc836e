"""The case file on real databases: migrations, upgrade with backup, audit chain, conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from _pg import as_superuser_without_triggers, recorded_actor
from alembic import command
from sqlalchemy import create_engine, text

from firecase.errors import CaseFileError, ConflictError
from firecase.store import casefile, head_revision, open_case_file
from firecase.store.filecheck import alembic_config
from firecase.store.models import Case, Party


def _case(seq: int = 1) -> Case:
    return Case(
        case_no=f"天消调〔2026〕第{seq:03d}号",
        year=2026,
        seq=seq,
        title="测试案件",
        stage="受理",
        created_on=dt.date(2026, 3, 2),
        created_by="测试员",
        fire_date=dt.date(2026, 3, 1),
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("1234567.89"),
        economic_loss_yuan=Decimal("2345678.90"),
    )


@pytest.mark.blank_database
def test_create_roundtrip_and_audit(case_url: str) -> None:
    with open_case_file(case_url, user="张三") as cf:
        assert cf.created
        with cf.unit_of_work() as uow:
            uow.session.add(_case())
            uow.commit()
        with cf.unit_of_work() as uow:
            c = uow.session.query(Case).one()
            assert c.property_loss_yuan == Decimal("1234567.89")
            assert isinstance(c.property_loss_yuan, Decimal)
            c.title = "改过的名称"
            uow.commit()
        report = cf.verify_audit()
        assert report.ok, report.problems
        with cf.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT actor, action, field, old_value, new_value FROM audit_log ORDER BY seq"
                )
            ).all()
        who = recorded_actor(cf, "张三")
        assert rows[0][:3] == (who, "insert", "*")
        assert rows[-1] == (who, "update", "title", "测试案件", "改过的名称")
        assert cf.integrity_check() == ()


def test_failed_unit_of_work_leaves_nothing(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        with pytest.raises(RuntimeError), cf.unit_of_work() as uow:
            uow.session.add(_case())
            uow.session.flush()
            raise RuntimeError("boom")
        with cf.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


def test_two_sessions_conflict(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        with cf.unit_of_work() as uow:
            uow.session.add(_case())
            uow.commit()
        first = cf.unit_of_work("甲")
        second = cf.unit_of_work("乙")
        with first, second:
            a = first.session.query(Case).one()
            b = second.session.query(Case).one()
            a.title = "甲的修改"
            first.commit()
            b.title = "乙的修改"
            with pytest.raises(ConflictError) as err:
                second.commit()
        assert "修改" in err.value.message
        with cf.unit_of_work() as uow:
            assert uow.session.query(Case).one().title == "甲的修改"


def test_edited_audit_row_is_detected(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        with cf.unit_of_work() as uow:
            uow.session.add(_case())
            uow.commit()
        with cf.unit_of_work() as uow:
            uow.session.query(Case).one().title = "新名称"
            uow.commit()
        assert cf.verify_audit().ok
        with cf.engine.begin() as conn:
            as_superuser_without_triggers(conn)
            conn.execute(text("UPDATE audit_log SET new_value = '伪造' WHERE seq = 2"))
        report = cf.verify_audit()
        assert not report.ok
        assert any("第2条" in p for p in report.problems)


@pytest.mark.parametrize("victim", ["middle", "last"])
def test_deleted_audit_row_is_detected(case_url: str, victim: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        for i in range(3):
            with cf.unit_of_work() as uow:
                uow.session.add(_case(i + 1))
                uow.commit()
        with cf.connect() as conn:
            last = conn.execute(text("SELECT max(seq) FROM audit_log")).scalar()
        seq = 2 if victim == "middle" else last
        with cf.engine.begin() as conn:
            as_superuser_without_triggers(conn)
            conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": seq})
        report = cf.verify_audit()
        assert not report.ok
        assert report.problems


def _open_at_first_revision(case_url: str) -> None:
    """Make a case file by the FIRST migration only, with data, as an old FireCase would."""
    url = case_url if "://" in case_url else f"sqlite:///{case_url}"
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO cases (id, case_no, year, seq, title, stage, created_on, created_by,"
                " fire_date, fire_time, place, address, unit_name, fire_type,"
                " property_loss_yuan, economic_loss_yuan, summary, taken_over_by,"
                " team_authorised_fire_agency, reply_ref, reply_summary, version)"
                " VALUES (1, '天消调〔2025〕第007号', 2025, 7, '旧案件', '调查', '2025-05-02',"
                " '老用户', '2025-05-01', '', '天门市', '', '', '建筑火灾', 600000.50,"
                " 700000.25, '', '', false, '', '', 3)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO parties (id, case_id, kind, name, role, organisation, relatives,"
                " contact, note, version)"
                " VALUES (1, 1, '个人', '李四', '当事人', '', '', '', '', 1)"
            )
        )
    engine.dispose()


@pytest.mark.blank_database
def test_upgrade_from_first_revision_keeps_data_and_backs_up(case_url: str) -> None:
    _open_at_first_revision(case_url)
    with open_case_file(case_url, user="u") as cf:
        assert cf.upgraded_from == "0001"
        assert not cf.created
        with cf.unit_of_work() as uow:
            c = uow.session.get(Case, 1)
            assert c is not None
            assert c.title == "旧案件"
            assert c.property_loss_yuan == Decimal("600000.50")
            assert c.version == 3
            assert c.clocks_stale is True  # added by 0002: derived columns recomputed later
            assert c.next_due_on is None
            assert uow.session.get(Party, 1).name == "李四"  # type: ignore[union-attr]
        with cf.connect() as conn:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert rev == head_revision()
        if cf.path is not None:
            assert cf.backup_path is not None and cf.backup_path.exists()
            assert cf.backup_path.parent == cf.path.parent
            # the backup is the old file: still at the first revision, with the data
            eng = create_engine(f"sqlite:///{cf.backup_path}")
            with eng.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                    "0001"
                )
                assert conn.execute(text("SELECT title FROM cases")).scalar() == "旧案件"
            eng.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "a.sqlite") as cf, cf.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_second_opener_gets_clear_lock_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # that the opener waits for an early read's lock is test_first_page's; how long an officer
    # may wait for this message at most is the constant's (2 s); here, what the message says
    assert 0 < casefile.OPEN_LOCK_WAIT <= 2.0
    monkeypatch.setattr(casefile, "OPEN_LOCK_WAIT", 0.05)
    path = tmp_path / "a.sqlite"
    with open_case_file(path):
        with pytest.raises(CaseFileError) as err:
            open_case_file(path)
        assert "另一个" in err.value.message
    with open_case_file(path) as again:  # released on close
        assert not again.created


def test_not_a_case_file(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"hello, not sqlite at all")
    with pytest.raises(CaseFileError):
        open_case_file(path)
    with pytest.raises(CaseFileError):
        open_case_file(tmp_path / "missing-dir" / "x.sqlite")


def test_newer_case_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    with open_case_file(path):
        pass
    eng = create_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    eng.dispose()
    with pytest.raises(CaseFileError) as err:
        open_case_file(path)
    assert "更新版本" in err.value.message
