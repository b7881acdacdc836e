"""A calendar or settings edit recomputes every case's clocks without touching the cases.

The edit marks the cases stale and the next read recomputes them (``_derive.refresh_stale``).
Neither step may move a case's version (an officer with the case open would meet a conflict
nobody caused) or write audit rows per case (the calendar day or setting is audited itself);
the due dates must still follow the edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from _derived import stored_derived
from sqlalchemy import func, select, update

from firecase.samples.synth import synthesize
from firecase.services import cases, reading, settings
from firecase.services.dto import CalendarDayInput, CasualtyInput, IncidentInput, SettingsInput
from firecase.services.maintenance import list_audit, verify_case_file
from firecase.store import open_case_file
from firecase.store.models import Case, OpenClock

TODAY = dt.date(2026, 2, 2)
FIRE = dt.date(2026, 1, 5)  # investigation due 60 days later: Friday 2026-03-06
INCIDENT = IncidentInput(
    title="仓库火灾",
    fire_date=FIRE,
    place="天门市竟陵街道",
    fire_type="建筑火灾",
    property_loss_yuan=Decimal("1000"),
    economic_loss_yuan=Decimal("600000"),
)


def _case_audit(cf: object, case_id: int) -> int:
    return len(list_audit(cf, case_id=case_id, limit=5000))  # type: ignore[arg-type]


def test_a_calendar_edit_moves_due_dates_but_not_versions_or_the_audit(case_url: str) -> None:
    with open_case_file(case_url, user="u") as cf:
        opened = cases.open_case(cf, INCIDENT, CasualtyInput(FIRE, 0, 0), today=dt.date(2026, 1, 6))
        other = cases.open_case(cf, INCIDENT, CasualtyInput(FIRE, 0, 0), today=TODAY)
        row = next(r for r in reading.list_cases(cf, today=TODAY).rows if r.id == opened.id)
        assert row.next_due_on == dt.date(2026, 3, 6)
        version = reading.get_case_summary(cf, opened.id).version
        audited = _case_audit(cf, opened.id)

        settings.set_calendar_day(
            cf, CalendarDayInput(day=dt.date(2026, 3, 6), kind="holiday", name="测试假日")
        )
        assert reading.get_case_summary(cf, opened.id).version == version
        listed = {r.id: r for r in reading.list_cases(cf, today=TODAY).rows}
        assert listed[opened.id].next_due_on == dt.date(2026, 3, 9)  # rolled to Monday
        assert listed[other.id].next_due_on == dt.date(2026, 3, 9)
        assert reading.get_case_summary(cf, opened.id).version == version
        assert _case_audit(cf, opened.id) == audited
        day_rows = [a for a in list_audit(cf, limit=20) if a.entity != "cases"]
        assert any("2026-03-06" in (a.entity_id + str(a.new_value)) for a in day_rows)

        # the same for a setting: roll-to-workday off puts the due date back on the holiday
        current = settings.get_settings(cf)
        settings.update_settings(
            cf,
            SettingsInput(
                organisation_name=current.organisation_name,
                case_no_prefix=current.case_no_prefix,
                roll_to_workday=False,
            ),
            expected_version=current.version,
        )
        listed = {r.id: r for r in reading.list_cases(cf, today=TODAY).rows}
        assert listed[opened.id].next_due_on == dt.date(2026, 3, 6)
        assert reading.get_case_summary(cf, opened.id).version == version
        assert _case_audit(cf, opened.id) == audited

        # an officer who had the case open saves without a conflict
        corrected = dataclasses.replace(INCIDENT, title="仓库火灾（更正）")
        changed = cases.update_incident(
            cf, opened.id, corrected, expected_version=version, today=TODAY
        )
        assert changed.version > version and changed.title == "仓库火灾（更正）"
        assert verify_case_file(cf).ok


def test_recomputing_running_cases_only_equals_recomputing_all(case_url: str) -> None:
    """A calendar edit marks only cases with a clock still running; what is stored afterwards
    equals recomputing every case (closed cases store nothing that depends on the calendar)."""
    today = dt.date(2026, 6, 1)
    with open_case_file(case_url, user="测试") as cf:
        synthesize(cf, 240, seed=7, today=today, batch=100)
        reading.list_cases(cf, today=today)
        with cf.connect() as conn:
            running = conn.execute(
                select(func.count(Case.id)).where(Case.has_open_clocks.is_(True))
            ).scalar_one()
        assert 0 < running < 240
        before_edit = stored_derived(cf)

        # a running clock's last day becomes a holiday (it must move), one holiday removed, a
        # make-up Saturday added
        with cf.connect() as conn:
            last_day = conn.execute(
                select(OpenClock.due)
                .where(
                    OpenClock.closes_on.is_(None),
                    OpenClock.computed.is_(True),
                    OpenClock.paused.is_(False),
                    OpenClock.due.is_not(None),
                )
                .order_by(OpenClock.due.desc())
                .limit(1)
            ).scalar_one()
        assert last_day.weekday() < 5
        settings.set_calendar_day(cf, CalendarDayInput(last_day, "holiday", "测试"))
        with cf.connect() as conn:
            marked = conn.execute(
                select(func.count(Case.id)).where(Case.clocks_stale.is_(True))
            ).scalar_one()
        assert marked == running
        settings.remove_calendar_day(cf, dt.date(2026, 6, 19))  # 端午节 2026
        settings.set_calendar_day(cf, CalendarDayInput(dt.date(2026, 6, 27), "workday", "调休"))
        reading.list_cases(cf, today=today)
        after_edit = stored_derived(cf)
        assert last_day not in {r[6] for r in after_edit[1]}  # (due) the clock moved
        assert after_edit != before_edit

        with cf.connect() as conn:  # recompute everything, as an upgrade would
            conn.execute(update(Case).values(clocks_stale=True))
            conn.commit()
        reading.list_cases(cf, today=today)
        assert stored_derived(cf) == after_edit

        # a setting due dates do not depend on marks nothing
        current = settings.get_settings(cf)
        settings.update_settings(
            cf,
            SettingsInput(
                organisation_name="天门市消防救援支队（改）",
                case_no_prefix=current.case_no_prefix,
                roll_to_workday=current.roll_to_workday,
            ),
            expected_version=current.version,
        )
        with cf.connect() as conn:
            assert not conn.execute(
                select(func.count(Case.id)).where(Case.clocks_stale.is_(True))
            ).scalar_one()
