"""Migration 0011: a case file of the earlier FireCase upgrades with an empty register of
persons, its withheld parts and names kept (who decided: the audit trail says), no review and
no release recorded — so its public version is a draft until it is reviewed."""

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


def test_an_old_file_keeps_what_it_withheld_and_its_public_version_is_a_draft(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    demo_into(path, today=TODAY, user="测试")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0010")
    with engine.connect() as conn:
        tables = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(redactions)"))}
    engine.dispose()
    assert not {"persons", "public_reviews", "public_releases", "disclosure_keeps"} & tables
    assert "decided_by" not in columns

    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0010"
        assert cf.verify_audit().ok
        d = reading.get_case(cf, reading.find_case_id(cf, TWO), today=TODAY)
        assert d.persons == ()
        keys = {r.field_key for r in d.publication.redactions}
        assert "section:6" in keys and all(r.decided_by == "" for r in d.publication.redactions)
        assert d.publication.reviews == () and d.publication.releases == ()
        v = reporting.public_version(cf, TWO, today=TODAY)
        assert v.draft_mark == "草稿（未经公开前审查，不得公开）"
        section6 = next(i for i in v.items if i.key == "section:6")
        assert section6.decided_by == "（见审计记录）"
        assert "胡小兵" not in "".join(p.heading + "".join(p.paragraphs) for p in v.data.parts)
