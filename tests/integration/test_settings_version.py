"""Settings carry a version like every record: a save against a version
someone else has saved over is a conflict, and nothing of it is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from firecase.errors import ConflictError, ValidationError
from firecase.services import settings as settings_svc
from firecase.services.dto import SettingsInput
from firecase.store import open_case_file


def _audit_rows(cf: object) -> int:
    with cf.connect() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


def test_the_second_of_two_saves_from_the_same_version_is_a_conflict(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="管理员甲") as cf:
        fresh = settings_svc.get_settings(cf)
        assert fresh.version == 0  # never saved
        window_a = window_b = fresh
        saved = settings_svc.update_settings(
            cf,
            SettingsInput(fresh.organisation_name, fresh.case_no_prefix, roll_to_workday=False),
            expected_version=window_a.version,
        )
        assert (saved.version, saved.roll_to_workday) == (1, False)
        rows = _audit_rows(cf)
        with pytest.raises(ConflictError, match="设置已被其他管理员修改") as raised:
            settings_svc.update_settings(
                cf,
                SettingsInput("天门市消防救援支队", fresh.case_no_prefix, roll_to_workday=True),
                expected_version=window_b.version,
            )
        assert raised.value.field == "version"
        now = settings_svc.get_settings(cf)
        assert (now.organisation_name, now.roll_to_workday, now.version) == (
            fresh.organisation_name,
            False,
            1,
        )
        assert _audit_rows(cf) == rows  # nothing of the refused save was written


def test_a_save_that_changes_nothing_keeps_the_version(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="管理员甲") as cf:
        now = settings_svc.get_settings(cf)
        data = SettingsInput("天门市消防救援大队", "天消调", roll_to_workday=True)
        one = settings_svc.update_settings(cf, data, expected_version=now.version)
        same = settings_svc.update_settings(cf, data, expected_version=one.version)
        assert same.version == one.version
        two = settings_svc.update_settings(
            cf,
            SettingsInput("天门市消防救援大队", "天消调", roll_to_workday=False),
            expected_version=same.version,
        )
        assert two.version == one.version + 1


def test_a_team_warning_acknowledgement_is_not_a_settings_change(tmp_path: Path) -> None:
    from decimal import Decimal

    from firecase.services import cases
    from firecase.services.dto import IncidentInput
    from firecase.services.workspace_extra import acknowledge_team_warning

    incident = IncidentInput(
        title="竟陵街道商铺火灾",
        fire_date=dt.date(2026, 3, 1),
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("120000.00"),
        economic_loss_yuan=Decimal("650000.00"),
    )
    with open_case_file(tmp_path / "案卷.sqlite", user="管理员甲") as cf:
        before = settings_svc.get_settings(cf)
        case = cases.open_case(cf, incident, today=dt.date(2026, 4, 1))
        acknowledge_team_warning(cf, case.id, "W1", "组长未到位。", today=dt.date(2026, 4, 1))
        assert settings_svc.get_settings(cf).version == before.version


@pytest.mark.parametrize("bad", [None, "1", 1.0, True, -1])
def test_a_bad_version_is_refused_at_the_field(tmp_path: Path, bad: object) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="管理员甲") as cf:
        data = SettingsInput("天门市消防救援大队", "天消调")
        with pytest.raises((ValidationError, ConflictError)) as raised:
            settings_svc.update_settings(cf, data, expected_version=bad)  # type: ignore[arg-type]
        assert raised.value.field == "version"
