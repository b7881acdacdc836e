"""A year of the holiday calendar from the State Council's notice, read as published.

``notice_preview`` reads the notice (``firecase.rules.parse_holiday_notice``) and compares it
with the case file's stored calendar: one row per day the notice names, and one per stored day
of the notice's arrangements that the notice no longer names, each saying what applying would
do (新增 / 修改 / 删除 / 不变). ``apply_notice`` does it in one transaction and returns the same
rows, so the caller can say which dates moved.

What is stored is what the calendar needs (``settings._day_values``): holidays that fall on a
weekday and make-up working days that fall on a weekend. A weekend rest day inside a 放假 range
needs no row (a bundled row for one, which changes nothing, is left as it is); a weekday 上班
day needs none either.

Which stored days a notice speaks for (and so may remove): the days of its year, except the
December days named 元旦 (they belong to next year's notice, e.g. 2018-12-29…31 came with the
2019 notice), and the December days named 元旦 of the year before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import FirecaseError, ValidationError
from firecase.services import _common as v
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import CalendarDay, CalendarYear

SOURCE = "notice"
CHANGE_LABELS = {"add": "新增", "change": "修改", "remove": "删除", "same": "不变"}
KIND_LABELS = {"holiday": "法定节假日", "workday": "调休上班日"}


@dataclass(frozen=True)
class NoticeDay:
    """One day of the preview.

    ``rest``: the notice's word (True 放假, False 上班), or None for a stored day it no longer
    names; ``name``: the notice's holiday name (or the removed row's). ``before``/``after``:
    the stored row's (kind, name) before and after applying, None for no row.
    ``change``: "add" | "change" | "remove" | "same" (``CHANGE_LABELS`` has the Chinese).
    """

    day: dt.date
    rest: bool | None
    name: str
    before: tuple[str, str] | None
    after: tuple[str, str] | None
    change: str

    @property
    def change_label(self) -> str:
        """新增 / 修改 / 删除 / 不变."""
        return CHANGE_LABELS[self.change]


@dataclass(frozen=True)
class NoticePreview:
    """What the notice of ``year`` says, day by day, against the stored calendar."""

    year: int
    days: tuple[NoticeDay, ...]
    year_was_covered: bool

    @property
    def changes(self) -> tuple[NoticeDay, ...]:
        """The days whose stored row changes."""
        return tuple(d for d in self.days if d.change != "same")

    def count(self, change: str) -> int:
        """How many days have ``change``."""
        return sum(1 for d in self.days if d.change == change)

    def summary(self) -> str:
        """One Chinese line, e.g. "新增 3 天，修改 1 天，删除 0 天，不变 30 天"."""
        return "，".join(f"{label} {self.count(code)} 天" for code, label in CHANGE_LABELS.items())


def _in_scope(day: dt.date, name: str, year: int) -> bool:
    if day.year == year:
        return not (day.month == 12 and name == "元旦")
    return day.year == year - 1 and day.month == 12 and name == "元旦"


def _stored_form(entry: rules.HolidayEntry) -> tuple[str, str] | None:
    weekend = entry.day.weekday() >= 5
    if entry.rest and not weekend:
        return ("holiday", entry.name)
    if not entry.rest and weekend:
        return ("workday", entry.name)
    return None


def _is_rest(day: dt.date, row: tuple[str, str] | None) -> bool:
    if row is None:
        return day.weekday() >= 5
    return row[0] == "holiday"


def _parse(text: str, year: int) -> tuple[int, tuple[rules.HolidayEntry, ...]]:
    y = v.integer(year, "year", "年份", minimum=1950, maximum=2200)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError("请粘贴通知全文，或打开保存的通知文件。", field="notice")
    return y, rules.parse_holiday_notice(text, y)


def _preview(session: Session, text: str, year: int) -> NoticePreview:
    from firecase.services.settings import ensure_calendar

    y, entries = _parse(text, year)
    ensure_calendar(session)
    covered = set(session.scalars(select(CalendarYear.year)))
    for entry in entries:
        if entry.day.year != y and entry.day.year not in covered and _stored_form(entry):
            raise ValidationError(
                f"通知中的{entry.day.isoformat()}属于{entry.day.year}年，但日历尚未包含"
                f"{entry.day.year}年，请先导入该年的日历。",
                field="notice",
            )
    lo, hi = dt.date(y - 1, 12, 1), dt.date(y + 1, 1, 31)
    stored = {
        row.day: (row.kind, row.name)
        for row in session.scalars(
            select(CalendarDay).where(CalendarDay.day >= lo, CalendarDay.day <= hi)
        )
    }
    named = {e.day: e for e in entries}
    days: list[NoticeDay] = []
    for entry in entries:
        before, after = stored.get(entry.day), _stored_form(entry)
        if _is_rest(entry.day, before) == entry.rest and (after is None or before == after):
            change = "same"
        elif before is None:
            change = "add"
        else:
            change = "change"
        days.append(NoticeDay(entry.day, entry.rest, entry.name, before, after, change))
    for day, row in stored.items():
        if day in named or not _in_scope(day, row[1], y):
            continue
        if _is_rest(day, row) == _is_rest(day, None):
            continue  # a row that changes nothing (a bundled weekend holiday): left as it is
        days.append(NoticeDay(day, None, row[1], row, None, "remove"))
    days.sort(key=lambda d: d.day)
    return NoticePreview(year=y, days=tuple(days), year_was_covered=y in covered)


def notice_preview(cf: CaseFile, text: str, year: int) -> NoticePreview:
    """What applying the notice ``text`` of ``year`` would change (nothing is written).

    Raises ``RuleError`` (a ``ValidationError``) quoting the words the notice cannot be read
    at.
    """
    with cf.unit_of_work() as uow:
        return _preview(uow.session, text, year)


@requires(Permission.MANAGE_SETTINGS)
def apply_notice(cf: CaseFile, text: str, year: int, *, actor: str | None = None) -> NoticePreview:
    """Replace the year's holidays and make-up working days with the notice's; the year becomes
    covered (source "notice") and running clocks are recomputed on next use.

    Returns the preview as applied (``.changes``: the dates that moved).
    """
    from firecase.services.settings import _mark_clocks_stale

    with cf.unit_of_work(actor) as uow:
        s = uow.session
        preview = _preview(s, text, year)
        for d in preview.changes:
            row = s.get(CalendarDay, d.day)
            if d.after is None:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(CalendarDay(day=d.day, kind=d.after[0], name=d.after[1], source=SOURCE))
            else:
                row.kind, row.name, row.source = d.after[0], d.after[1], SOURCE
        covered = s.get(CalendarYear, preview.year)
        if covered is None:
            s.add(CalendarYear(year=preview.year, source=SOURCE))
        elif covered.source != SOURCE:
            covered.source = SOURCE
        if preview.changes or covered is None:
            _mark_clocks_stale(s)
        s.flush()
        uow.commit()
    return preview


# ---------------------------------------------------------------------------- files

_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d|p|div|li|tr|h\d)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(markup: str) -> str:
    """The text of an HTML page, one paragraph a line (the notice as the page shows it)."""
    markup = _DROP.sub("", markup)
    markup = _BREAK.sub("\n", markup)
    text = html.unescape(_TAG.sub("", markup)).replace("\xa0", " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def read_notice_file(path: str | os.PathLike[str]) -> str:
    """The notice's text from a saved .txt or .html file (UTF-8, UTF-8 with BOM or GB18030)."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in (".txt", ".html", ".htm"):
        raise ValidationError("只能打开 .txt 或 .html 格式的通知文件。", field="file")
    try:
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(f"找不到文件“{source}”，请重新选择。", field="file") from exc
    except OSError as exc:
        raise ValidationError(
            f"无法读取文件“{source}”（{exc.strerror or exc}）。", field="file"
        ) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(
            f"“{source.name}”的编码无法识别，请另存为 UTF-8 后再打开。", field="file"
        )
    return html_to_text(text) if suffix in (".html", ".htm") else text


def day_line(d: NoticeDay) -> str:
    """One preview row as text: "2026-02-14 周六 上班 春节 新增"."""
    word = {True: "放假", False: "上班", None: "—"}[d.rest]
    return (
        f"{d.day.isoformat()} 周{'一二三四五六日'[d.day.weekday()]} {word} "
        f"{d.name or '—'} {d.change_label}"
    )


def import_notice_command(args: argparse.Namespace) -> int:
    """``firecase calendar import-notice FILE --year Y --db PATH``: 0 on success, 2 on an error."""
    from firecase.store import open_case_file

    try:
        text = read_notice_file(args.file)
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            preview = apply_notice(cf, text, args.year)
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    print(f"已按通知更新{preview.year}年节假日日历：{preview.summary()}")
    for d in preview.changes:
        print("  " + day_line(d))
    return 0


def calendar_command(args: argparse.Namespace) -> int:
    """``firecase calendar ACTION``."""
    if args.action == "import-notice":
        return import_notice_command(args)
    print(f"错误：未知的操作“{args.action}”")  # argparse allows only the actions above
    return 2
