"""Migration 0009: a case file of the earlier FireCase (one date per casualty record, typed as
统计日期) upgrades with its dates as the as-of dates, a note per record in the audit trail, and
cases with several records re-decided once by the dates of their records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from firecase.services import cases, reading
from firecase.services._derive import REDECIDE_ACTOR
from firecase.services.dto import CasualtyInput, IncidentInput
from firecase.store import open_case_file
from firecase.store.filecheck import alembic_config

FIRE = dt.date(2024, 6, 1)


def test_an_old_file_upgrades_with_as_of_dates_and_is_re_decided(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with open_case_file(path, user="测试") as cf:
        two = cases.open_case(
            cf,
            IncidentInput("甲仓库火灾", FIRE, "天门市", "建筑火灾", Decimal(1000), Decimal(600000)),
            CasualtyInput(FIRE, 2, 0),
            today=FIRE,
        ).id
        # a third death on day 10: a death after the 7 days counts as a serious injury
        cases.add_casualty_update(
            cf, two, CasualtyInput(FIRE + dt.timedelta(10), 3, 0), today=FIRE + dt.timedelta(10)
        )
        one = cases.open_case(
            cf,
            IncidentInput("乙仓库火灾", FIRE, "天门市", "建筑火灾", Decimal(1000), Decimal(600000)),
            CasualtyInput(FIRE, 1, 0),
            today=FIRE,
        ).id
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
    with engine.begin() as conn:  # what the earlier FireCase stored: 3 deaths, 较大
        conn.execute(text("UPDATE cases SET grade = '较大' WHERE id = :i"), {"i": two})
        conn.execute(
            text(
                "UPDATE grade_decisions SET grade = '较大', explanation = '死亡3人'"
                " WHERE case_id = :i"
            ),
            {"i": two},
        )
    engine.dispose()

    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0008"
        assert cf.backup_path is not None and cf.backup_path.exists()
        assert cf.verify_audit().ok
        with cf.connect() as conn:
            notes = conn.execute(
                text("SELECT entity_id, new_value FROM audit_log WHERE actor LIKE 'FireCase升级%'")
            ).all()
            pending = (
                conn.execute(text("SELECT id FROM cases WHERE jurisdiction_grade IS NULL"))
                .scalars()
                .all()
            )
        assert len(notes) == 3 and all("伤亡发生（截至）日期" in n for _i, n in notes)
        assert pending == [two]  # one record decides nothing new
        rows = {r.id: r for r in reading.list_cases(cf, today=dt.date(2024, 7, 1)).rows}
        assert rows[two].grade == "一般" and rows[one].grade == "一般"
        d = reading.get_case(cf, two, today=dt.date(2024, 7, 1))
        assert (d.deaths, d.serious_injuries) == (2, 1)
        assert d.grade_history[-1].decided_by == REDECIDE_ACTOR
        assert [u.as_of for u in d.casualty_updates] == [FIRE, FIRE + dt.timedelta(10)]
        assert cf.verify_audit().ok
