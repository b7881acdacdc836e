"""Exact money on every backend: 10^15 元 with its 分 goes in and comes back to the 分.

SQLite's NUMERIC is a float, which loses the 分 beyond 15 significant digits (about 10^13 元);
the loss amounts are stored as integer 分 there (``Money``, migration "exact money as integer
fen"). The tests go through the services (open a case, read it back, the audit row), check
the validators' limit is the one the storage keeps, and upgrade a file of the earlier FireCase
whose amounts SQLite stored as floats. No revision id is written here: the migration is found
by its name.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, select, text

from firecase.errors import ValidationError
from firecase.services import cases, reading
from firecase.services._common import MAX_YUAN
from firecase.services.dto import IncidentInput
from firecase.store import open_case_file
from firecase.store.filecheck import alembic_config
from firecase.store.models import AuditEntry

FIRE = dt.date(2026, 4, 1)
HUGE = Decimal("999999999999999.99")  # 10^15 元 less one 分


def _incident(prop: Decimal, econ: Decimal) -> IncidentInput:
    return IncidentInput("巨额损失火灾", FIRE, "天门市", "建筑火灾", prop, econ)


def test_amounts_of_ten_to_the_fifteen_yuan_come_back_to_the_fen(case_url: str) -> None:
    with open_case_file(case_url, user="测试") as cf:
        case_id = cases.open_case(cf, _incident(HUGE, MAX_YUAN), today=FIRE).id
        d = reading.get_case(cf, case_id, today=FIRE)
        assert d.case.property_loss_yuan == HUGE and str(d.case.property_loss_yuan) == str(HUGE)
        assert d.case.economic_loss_yuan == MAX_YUAN
        with cf.connect() as conn:
            inserted = conn.execute(
                select(AuditEntry.new_value).where(
                    AuditEntry.entity == "cases", AuditEntry.action == "insert"
                )
            ).scalar_one()
        values = json.loads(inserted)
        assert values["property_loss_yuan"] == "999999999999999.99"
        assert values["economic_loss_yuan"] == "9999999999999999.99"
        # a correction by one 分 is one audit row with both exact amounts
        cases.update_incident(
            cf,
            case_id,
            _incident(HUGE - Decimal("0.01"), MAX_YUAN),
            expected_version=d.case.version,
            today=FIRE,
        )
        with cf.connect() as conn:
            old, new = conn.execute(
                select(AuditEntry.old_value, AuditEntry.new_value).where(
                    AuditEntry.field == "property_loss_yuan"
                )
            ).one()
        assert (old, new) == ("999999999999999.99", "999999999999999.98")
        again = reading.get_case(cf, case_id, today=FIRE).case
        assert again.property_loss_yuan == Decimal("999999999999999.98")
        assert cf.verify_audit().ok


def test_the_limit_is_what_the_storage_keeps_and_the_message_names_it(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="测试") as cf:
        for bad in (MAX_YUAN + Decimal("0.01"), Decimal("1E+20")):
            with pytest.raises(ValidationError) as info:
                cases.open_case(cf, _incident(Decimal(1), bad), today=FIRE)
            assert info.value.field == "economic_loss_yuan"
            assert "9,999,999,999,999,999.99" in info.value.message
            assert "直接经济损失" in info.value.message
        cases.open_case(cf, _incident(MAX_YUAN, MAX_YUAN), today=FIRE)
        with cf.connect() as conn:  # integer 分 in SQLite, the largest within 64 bits
            stored = conn.execute(
                text("SELECT typeof(economic_loss_yuan), economic_loss_yuan FROM cases")
            ).one()
        assert stored == ("integer", 999999999999999999)


def _money_revision() -> tuple[str, str]:
    """(the money migration's revision, the one before it), found by the migration's name."""
    script = ScriptDirectory.from_config(alembic_config())
    for rev in script.walk_revisions():
        if "exact_money" in Path(rev.path).name:
            down = rev.down_revision
            assert isinstance(down, str)
            return rev.revision, down
    raise AssertionError("no exact-money migration")


def test_an_earlier_file_with_float_amounts_upgrades_to_exact_fen(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    amounts = [
        (Decimal("0.10"), Decimal("0.30")),
        (Decimal("386420.00"), Decimal("512760.50")),
        (Decimal("12345678901.23"), Decimal("98765432109.87")),
        (Decimal("1"), Decimal("9999999999999.99")),  # 15 digits: what a float keeps
    ]
    with open_case_file(path, user="测试") as cf:
        ids = [cases.open_case(cf, _incident(p, e), today=FIRE).id for p, e in amounts]
    money, before = _money_revision()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), before)
    engine.dispose()
    raw = sqlite3.connect(path)  # what the earlier FireCase stored: floats (or integers)
    kinds = raw.execute("SELECT typeof(economic_loss_yuan) FROM cases ORDER BY id").fetchall()
    raw.close()
    assert ("real",) in kinds

    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == before
        for case_id, (prop, econ) in zip(ids, amounts, strict=True):
            c = reading.get_case(cf, case_id, today=FIRE).case
            assert (c.property_loss_yuan, c.economic_loss_yuan) == (prop, econ)
        with cf.connect() as conn:
            kinds = conn.execute(text("SELECT DISTINCT typeof(property_loss_yuan) FROM cases"))
            assert kinds.scalars().all() == ["integer"]
            indexes = set(
                conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
            )
        assert {"ix_cases_due_order", "ix_cases_stage_due_order"} <= indexes
        assert cf.integrity_check() == () and cf.verify_audit().ok
    assert money  # the migration is the one that ran (found above by its name)
