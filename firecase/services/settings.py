"""Case-file settings and the working-day calendar stored in the case file.

The calendar is data: the bundled years are copied into the case file the first time
they are needed; the user may add or change days and whole years. Clocks are computed from
the stored rows, so a printed clock can always be reproduced from the case file alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from firecase.errors import ConflictError, NotFoundError, ValidationError
from firecase.services import _common as v
from firecase.services._reads import (
    DEFAULTS as DEFAULTS,
    FONT_KEYS as FONT_KEYS,
    VERSION_KEY as VERSION_KEY,
    _version,
    ensure_calendar as ensure_calendar,
    read_settings as read_settings,
)
from firecase.services.dto import (
    CalendarDayInput,
    CalendarDayView,
    CalendarView,
    SettingsInput,
    SettingsView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import CalendarDay, CalendarYear, Setting


def get_settings(cf: CaseFile) -> SettingsView:
    """The case file's settings."""
    with cf.unit_of_work() as uow:
        return read_settings(uow.session)


@requires(Permission.MANAGE_SETTINGS)
def update_settings(
    cf: CaseFile, data: SettingsInput, *, expected_version: int, actor: str | None = None
) -> SettingsView:
    """Save the settings read at ``expected_version`` (``SettingsView.version``); a save by
    someone else since is a ``ConflictError`` and nothing is written. When 期限末日遇法定休假日
    顺延 changed, running clocks are recomputed on next use."""
    if not isinstance(data, SettingsInput):
        raise ValidationError("设置格式不正确。", field="settings")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError("设置的版本号无效，请刷新后重试。", field="version")
    wanted = expected_version  # 0: settings never saved
    values = {
        "organisation_name": v.text(data.organisation_name, "organisation_name", "单位名称"),
        "case_no_prefix": v.text(data.case_no_prefix, "case_no_prefix", "案件编号前缀", max_len=20),
        "roll_to_workday": "true"
        if v.flag(data.roll_to_workday, "roll_to_workday", "期限末日遇法定休假日顺延")
        else "false",
        "report_title_font": v.text(
            data.report_title_font,
            "report_title_font",
            "报告标题字体",
            max_len=100,
            required=False,
        ),
        "report_body_font": v.text(
            data.report_body_font,
            "report_body_font",
            "报告正文字体",
            max_len=100,
            required=False,
        ),
        "report_heading1_font": v.text(
            data.report_heading1_font,
            "report_heading1_font",
            "报告一级标题字体",
            max_len=100,
            required=False,
        ),
        "report_heading2_font": v.text(
            data.report_heading2_font,
            "report_heading2_font",
            "报告二级标题字体",
            max_len=100,
            required=False,
        ),
    }
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        # locked on PostgreSQL: a second administrator's save waits for the first, then sees
        # its version (SQLite serialises writers anyway)
        stamp = s.scalars(
            select(Setting).where(Setting.key == VERSION_KEY).with_for_update()
        ).one_or_none()
        current = _version(stamp.value if stamp is not None else None)
        if current != wanted:
            raise ConflictError(
                f"设置已被其他管理员修改（当前版本{current}，您编辑的是版本{wanted}），"
                "请刷新后重新编辑。",
                field="version",
            )
        rolled = read_settings(s).roll_to_workday
        changed = False
        for key, value in values.items():
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
                changed = True
            elif row.value != value:
                row.value = value
                changed = True
        if changed:
            if stamp is None:
                s.add(Setting(key=VERSION_KEY, value=str(current + 1)))
            else:
                stamp.value = str(current + 1)
        try:
            s.flush()
        except IntegrityError as exc:  # the first save of two, both from version 0, won
            raise ConflictError(
                "设置已被其他管理员修改，请刷新后重新编辑。", field="version"
            ) from exc
        out = read_settings(s)
        if out.roll_to_workday != rolled:  # the only setting due dates depend on
            _mark_clocks_stale(s)
        uow.commit()
    return out


def _mark_clocks_stale(session: Session) -> None:
    """The calendar or roll-to-workday changed: cases with a clock still running are recomputed
    on next use (``_derive.refresh_stale``).

    Only those: what is stored of a case whose clocks are all done (stage, search text, no next
    due date, no open clock rows but the grade-change window, which is never rolled) does not
    depend on the calendar; its done clocks' due dates are computed when the case is shown.
    One Core statement: the flag is bookkeeping, so no case's version moves (an officer with a
    case open must not meet a conflict over it) and no audit row is written per case (the
    setting or calendar day that caused it is audited).
    """
    from sqlalchemy import Table, update

    from firecase.store.models import Case

    cases = cast(Table, Case.__table__)
    session.execute(
        update(cases)
        .where(cases.c.clocks_stale.is_(False), cases.c.has_open_clocks.is_(True))
        .values(clocks_stale=True)
    )


def get_calendar(cf: CaseFile, *, actor: str | None = None) -> CalendarView:
    """The working-day calendar stored in the case file (bundled rows and user edits)."""
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ensure_calendar(s)
        out = _calendar_view(s)
        uow.commit()
    return out


def _calendar_view(session: Session) -> CalendarView:
    years = tuple(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))
    days = tuple(
        CalendarDayView(day=d.day, kind=d.kind, name=d.name, source=d.source)
        for d in session.scalars(select(CalendarDay).order_by(CalendarDay.day))
    )
    return CalendarView(years=years, days=days)


def _day_values(data: Any) -> dict[str, Any]:
    if not isinstance(data, CalendarDayInput):
        raise ValidationError("日历条目格式不正确。", field="day")
    day = v.date(data.day, "day", "日期")
    kind = v.choice(data.kind, "kind", "类型", ("holiday", "workday"))
    name = v.text(data.name, "name", "名称", max_len=50, required=False)
    if kind == "holiday" and day.weekday() >= 5:
        raise ValidationError("周末本来就是休息日，无需登记为节假日。", field="day")
    if kind == "workday" and day.weekday() < 5:
        raise ValidationError("工作日无需登记为调休上班日。", field="day")
    return {"day": day, "kind": kind, "name": name}


@requires(Permission.MANAGE_SETTINGS)
def set_calendar_day(
    cf: CaseFile, data: CalendarDayInput, *, actor: str | None = None
) -> CalendarView:
    """Add or change a holiday / make-up working day.

    One day covers nothing: a year counts as covered only when imported whole or
    marked complete (``mark_year_complete``); until then clocks reaching it stay 暂定, computed
    with the days entered so far."""
    values = _day_values(data)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ensure_calendar(s)
        row = s.get(CalendarDay, values["day"])
        if row is None:
            s.add(CalendarDay(source="user", **values))
        else:
            row.kind, row.name, row.source = values["kind"], values["name"], "user"
        _mark_clocks_stale(s)
        s.flush()
        out = _calendar_view(s)
        uow.commit()
    return out


@requires(Permission.MANAGE_SETTINGS)
def remove_calendar_day(cf: CaseFile, day: dt.date, *, actor: str | None = None) -> CalendarView:
    """Remove one holiday / make-up working day."""
    when = v.date(day, "day", "日期")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ensure_calendar(s)
        row = s.get(CalendarDay, when)
        if row is None:
            raise NotFoundError(f"日历中没有 {when.isoformat()} 这一天的记录。", field="day")
        s.delete(row)
        _mark_clocks_stale(s)
        s.flush()
        out = _calendar_view(s)
        uow.commit()
    return out


@requires(Permission.MANAGE_SETTINGS)
def mark_year_complete(
    cf: CaseFile, year: int, complete: bool = True, *, actor: str | None = None
) -> CalendarView:
    """Say that ``year``'s holidays and make-up working days as entered are complete (audited):
    from then clocks reaching it are firm; ``complete=False`` takes that back."""
    y = v.integer(year, "year", "年份", minimum=1950, maximum=2200)
    if not isinstance(complete, bool):
        raise ValidationError("“已完整”应为是或否。", field="complete")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ensure_calendar(s)
        row = s.get(CalendarYear, y)
        if complete and row is None:
            s.add(CalendarYear(year=y, source="user"))
        elif not complete and row is not None:
            s.delete(row)
        _mark_clocks_stale(s)
        s.flush()
        out = _calendar_view(s)
        uow.commit()
    return out


@requires(Permission.MANAGE_SETTINGS)
def add_calendar_year(
    cf: CaseFile, year: int, days: tuple[CalendarDayInput, ...], *, actor: str | None = None
) -> CalendarView:
    """Declare a whole year covered (e.g. when the State Council publishes it), with its days."""
    y = v.integer(year, "year", "年份", minimum=1950, maximum=2200)
    if not isinstance(days, (tuple, list)):
        raise ValidationError("日历条目应为列表。", field="days")
    rows = [_day_values(d) for d in days]
    for r in rows:
        if r["day"].year != y:
            raise ValidationError(f"{r['day'].isoformat()} 不在 {y} 年。", field="days")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        ensure_calendar(s)
        if s.get(CalendarYear, y) is not None:
            raise ValidationError(f"{y} 年已在日历中，请逐日修改。", field="year")
        s.add(CalendarYear(year=y, source="user"))
        # days entered one by one before the year was imported give way to the whole year
        for old in s.scalars(select(CalendarDay)):
            if old.day.year == y:
                s.delete(old)
        s.flush()
        for r in rows:
            s.add(CalendarDay(source="user", **r))
        _mark_clocks_stale(s)
        s.flush()
        out = _calendar_view(s)
        uow.commit()
    return out


# --------------------------------------------------------------------------------------------
# provisional dates: which are there, which moved, and the banner
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvisionalDate:
    """A running clock whose due date is 暂定 (its year is not in the calendar yet)."""

    case_id: int
    case_no: str
    label: str
    subject: str
    due: dt.date


@dataclass(frozen=True)
class MovedDate:
    """A provisional date after a calendar change: where it went (``after`` None: the clock
    is no longer open) and whether it is still 暂定."""

    case_no: str
    label: str
    subject: str
    before: dt.date
    after: dt.date | None
    provisional: bool

    @property
    def text(self) -> str:
        """One line as the officer reads it."""
        what = self.label + (f"（{self.subject}）" if self.subject else "")
        if self.after is None:
            return f"{self.case_no} {what}：原暂定{self.before.isoformat()}，现已不在计算"
        state = "仍为暂定" if self.provisional else "已确定"
        moved = "未变" if self.after == self.before else f"改为{self.after.isoformat()}"
        return f"{self.case_no} {what}：原暂定{self.before.isoformat()}，{moved}（{state}）"


def provisional_dates(cf: CaseFile, today: dt.date | None = None) -> tuple[ProvisionalDate, ...]:
    """Every running clock with a 暂定 due date, after recomputing stale cases."""
    from firecase.services import _derive
    from firecase.store.models import Case, OpenClock

    now = v.today_or(today)
    _derive.refresh_stale(cf, now)
    with cf.unit_of_work() as uow:
        rows = uow.session.execute(
            select(
                OpenClock.case_id, Case.case_no, OpenClock.label, OpenClock.subject, OpenClock.due
            )
            .join(Case, Case.id == OpenClock.case_id)
            .where(OpenClock.provisional.is_(True), OpenClock.due.is_not(None))
            .order_by(OpenClock.due, Case.case_no)
        ).all()
    return tuple(
        ProvisionalDate(int(cid), str(no), str(label), str(subject), due)
        for cid, no, label, subject, due in rows
        if due is not None
    )


def moved_dates(
    cf: CaseFile, before: tuple[ProvisionalDate, ...], today: dt.date | None = None
) -> tuple[MovedDate, ...]:
    """What became of the provisional dates ``before`` after a calendar change (recomputed)."""
    from firecase.services import _derive
    from firecase.store.models import OpenClock

    now = v.today_or(today)
    _derive.refresh_stale(cf, now)
    ids = sorted({p.case_id for p in before})
    now_rows: dict[tuple[int, str, str], tuple[dt.date | None, bool]] = {}
    with cf.unit_of_work() as uow:
        for i in range(0, len(ids), 500):
            for case_id, label, subject, due, provisional in uow.session.execute(
                select(
                    OpenClock.case_id,
                    OpenClock.label,
                    OpenClock.subject,
                    OpenClock.due,
                    OpenClock.provisional,
                ).where(OpenClock.case_id.in_(ids[i : i + 500]))
            ):
                now_rows[(case_id, label, subject)] = (due, bool(provisional))
    out = []
    for p in before:
        due, still = now_rows.get((p.case_id, p.label, p.subject), (None, False))
        out.append(MovedDate(p.case_no, p.label, p.subject, p.due, due, still))
    return tuple(out)


BANNER_FROM_MONTH = 11
"""From 1 November the next year's holiday arrangement is due (the State Council publishes it
in the autumn): the main window asks for it until it is imported."""


def calendar_banner(cf: CaseFile, today: dt.date | None = None) -> str:
    """The main window's banner: "2027年节假日安排尚未导入" from 1 November while next year is
    not covered, and whenever a running clock is 暂定; "" when nothing is missing."""
    from firecase.store.models import OpenClock

    now = v.today_or(today)
    with cf.unit_of_work() as uow:
        s = uow.session
        ensure_calendar(s)
        covered = set(s.scalars(select(CalendarYear.year)))
        provisional = [
            due
            for due in s.scalars(
                select(OpenClock.due).where(
                    OpenClock.provisional.is_(True), OpenClock.due.is_not(None)
                )
            )
            if due is not None
        ]
        uow.commit()  # the calendar may have been copied in on first use
    missing: set[int] = set()
    if now.month >= BANNER_FROM_MONTH and now.year + 1 not in covered:
        missing.add(now.year + 1)
    if provisional:
        missing |= {y for y in range(now.year, max(provisional).year + 1) if y not in covered}
    if not missing:
        return ""
    years = "、".join(f"{y}年" for y in sorted(missing))
    count = f"，{len(provisional)}个期限暂按仅周末休息计算（暂定）" if provisional else ""
    return f"{years}节假日安排尚未导入{count}"
