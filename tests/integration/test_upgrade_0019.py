"""Migration 0019: a case file of the earlier FireCase (no 成立文件文号, no 组建机关) upgrades
with both "not recorded" on every case, its audit chain intact; the notice is drafted as before,
and the set-up then records both."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from firecase.services import cases, documents as docs, reading
from firecase.services.dto import TeamSetupInput
from firecase.store import open_case_file
from firecase.store.filecheck import alembic_config
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
ONE = "天消调〔2026〕第001号"


def test_an_old_file_upgrades_with_nothing_recorded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    demo_into(path, today=TODAY, user="测试")
    with open_case_file(path, user="测试") as cf:
        before = docs.draft_document(cf, reading.find_case_id(cf, ONE), "team_notice", today=TODAY)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0018")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(cases)"))}
    engine.dispose()
    assert not {"team_document_no", "team_formed_by"} & columns

    def indexes() -> set[str]:
        engine = create_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
            names = set(found.scalars())
        engine.dispose()
        return names

    kept = indexes()
    assert {"ix_cases_due_order", "ix_cases_stage_due_order"} <= kept

    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0018"
        assert cf.verify_audit().ok
        one = reading.find_case_id(cf, ONE)
        c = reading.get_case_summary(cf, one)
        assert (c.team_document_no, c.team_formed_by) == ("", "")
        after = docs.draft_document(cf, one, "team_notice", today=TODAY)
        assert after.text == before.text
        saved = cases.set_team_setup(
            cf,
            one,
            TeamSetupInput(
                c.team_formed_on or c.fire_date, True, "天消发〔2026〕9号", "天门市消防救援大队"
            ),
            expected_version=c.version,
            today=TODAY,
        )
        assert saved.team_document_no == "天消发〔2026〕9号"
        assert cf.verify_audit().ok
    # upgraded in place: the expression indexes of the case list are all still there (but
    # ix_cases_fire_date, which migration 0022 replaces by ix_cases_fire_date_order)
    assert indexes() >= (kept - {"ix_cases_fire_date"}) | {"ix_cases_fire_date_order"}
