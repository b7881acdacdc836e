"""The stored calendar is read on every service call that counts days; it is built once per
distinct content of the rows, never served stale (``services._reads.stored_calendar``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from firecase.services import settings
from firecase.services._reads import stored_calendar
from firecase.services.dto import CalendarDayInput
from firecase.store import open_case_file

SUNDAY = dt.date(2026, 6, 7)


def test_the_same_rows_give_the_same_calendar_and_a_change_a_new_one(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="管理员") as cf:
        with cf.unit_of_work() as uow:
            first = stored_calendar(uow.session)
            assert stored_calendar(uow.session) is first  # built once
            assert not first.is_workday(SUNDAY)
        settings.set_calendar_day(cf, CalendarDayInput(SUNDAY, "workday", "调休上班"))
        with cf.unit_of_work() as uow:
            changed = stored_calendar(uow.session)
            assert changed is not first and changed.is_workday(SUNDAY)
        settings.remove_calendar_day(cf, SUNDAY)
        with cf.unit_of_work() as uow:
            assert not stored_calendar(uow.session).is_workday(SUNDAY)


def test_what_the_session_changed_and_has_not_flushed_is_read(tmp_path: Path) -> None:
    from firecase.store.models import CalendarDay

    with open_case_file(tmp_path / "案卷.sqlite", user="管理员") as cf, cf.unit_of_work() as uow:
        stored_calendar(uow.session)  # the bundled rows copied in
        uow.session.add(CalendarDay(day=SUNDAY, kind="workday", name="调休上班", source="user"))
        assert stored_calendar(uow.session).is_workday(SUNDAY)
