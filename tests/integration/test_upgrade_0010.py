"""Migration 0010: a case file of the earlier FireCase upgrades with the report wording empty
(generated), no 过火面积/事故性质, each evaluation item linked to its one recommendation, and
the evaluation's 限期整改 linked to the item it answers where that is unambiguous."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from firecase.services import reading, reporting
from firecase.store import open_case_file
from firecase.store.filecheck import alembic_config
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
TWO = "天消调〔2025〕第001号"


def test_an_old_file_upgrades_with_links_and_generated_wording(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    demo_into(path, today=TODAY, user="测试")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0009")
    with engine.connect() as conn:
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(cases)"))}
        tables = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
    engine.dispose()
    assert "burned_area_m2" not in columns and "team_name" not in columns
    assert "evaluation_item_recommendations" not in tables

    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0009"
        assert cf.verify_audit().ok
        case_id = reading.find_case_id(cf, TWO)
        d = reading.get_case(cf, case_id, today=TODAY)
        assert d.case.burned_area_m2 is None and d.case.nature == ""
        assert d.case.team_name == "" and d.case.report_title == ""
        # each item keeps exactly the one recommendation the earlier file recorded
        linked = [i.recommendation_ids for i in d.evaluation_items if i.recommendation_id]
        assert all(len(ids) == 1 for ids in linked) and len(linked) == 6
        # the evaluation's 限期整改 of the platform measure is linked to its item
        order = next(m for m in d.measures if m.set_on == dt.date(2026, 3, 20))
        platform = next(m for m in d.measures if "智慧消防" in m.text and m.id != order.id)
        item = next(i for i in d.evaluation_items if i.measure_id == platform.id)
        assert item.order_id == order.id
        assert [i.order_id for i in d.evaluation_items if i.id != item.id] == [None] * 9
        with cf.connect() as conn:
            notes = (
                conn.execute(
                    text("SELECT new_value FROM audit_log WHERE actor = 'FireCase升级（0010）'")
                )
                .scalars()
                .all()
            )
        assert len(notes) == 1 and "第二十四条" in notes[0]
        data = reporting.evaluation_report_data(cf, TWO, today=TODAY)
        item = next(i for i in data.items if "智慧消防" in i.required_action)
        assert item.deadline == dt.date(2026, 4, 30)
        report = reporting.investigation_report_data(cf, TWO, today=TODAY)
        assert report.organisation.endswith("火灾事故调查组") and report.opening
        assert cf.verify_audit().ok
