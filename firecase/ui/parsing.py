"""Reading what an officer typed: counts, amounts in 元, times, dates. Pure Python, no Qt.

Each parser returns a clean value or raises ``InputError`` with the Chinese message the form
shows beside the field. Amounts are parsed to exact ``Decimal`` (never float); "50万" and
"500,000" are accepted as they are commonly written. Dates are read in the ways officers
write them (``parse_date``) and never guessed; ``date_doubts`` says which dates of a record
are possible but implausible (before the fire, in the future, a year from their neighbour),
so the form can ask before keeping them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_COUNT = 1_000_000
MAX_YUAN = Decimal("9999999999999999.99")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋：", "0123456789.,-+:")


class InputError(ValueError):
    """A typed value that cannot be used; ``message`` is shown beside the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(text: str) -> str:
    """Full-width digits and signs (as some input methods type them) to ASCII; trimmed."""
    return text.translate(_FULLWIDTH).strip()


def parse_count(text: str, label: str, *, required: bool = True) -> int | None:
    """A number of people or households: a whole number ≥ 0."""
    cleaned = normalise(text).removesuffix("人").removesuffix("户").strip()
    if not cleaned:
        if required:
            raise InputError(f"请填写{label}（没有请填 0）。")
        return None
    if re.fullmatch(r"[+-]?\d+", cleaned) is None:
        if re.fullmatch(r"[+-]?\d+\.\d*", cleaned):
            raise InputError(f"{label}应为整数。")
        raise InputError(f"{label}应为数字，如 0、1、12。")
    value = int(cleaned)
    if value < 0:
        raise InputError(f"{label}不能为负数。")
    if value > MAX_COUNT:
        raise InputError(f"{label}过大，请核对。")
    return value


def parse_yuan(text: str, label: str) -> Decimal:
    """An amount in 元: "500000", "500,000", "500000.50", "50万", "1.2亿", "300元"."""
    cleaned = normalise(text).replace(",", "").replace(" ", "").removesuffix("元")
    if not cleaned:
        raise InputError(f"请填写{label}（没有请填 0）。")
    factor = Decimal(1)
    if cleaned.endswith("万"):
        factor, cleaned = Decimal(10_000), cleaned[:-1]
    elif cleaned.endswith("亿"):
        factor, cleaned = Decimal(100_000_000), cleaned[:-1]
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned) is None:
        raise InputError(f"{label}应为金额数字，如 500000、50万 或 12345.67。")
    try:
        amount = Decimal(cleaned) * factor
    except InvalidOperation as exc:  # pragma: no cover - the pattern above prevents it
        raise InputError(f"{label}不是有效金额。") from exc
    if amount < 0:
        raise InputError(f"{label}不能为负数。")
    if amount != amount.quantize(Decimal("0.01")):
        raise InputError(f"{label}最多精确到分（两位小数）。")
    if amount > MAX_YUAN:
        raise InputError(f"{label}超出可记录的范围（最多 {MAX_YUAN:,} 元），请核对。")
    return amount.quantize(Decimal("0.01"))


def format_yuan(amount: Decimal) -> str:
    """``1234567.5`` → ``1,234,567.50 元``."""
    return f"{amount:,.2f} 元"


def parse_time(text: str, label: str = "起火时间") -> str:
    """An optional time of day "HH:MM" (also "H:MM", "HH：MM", "1435"); "" when empty."""
    cleaned = normalise(text)
    if not cleaned:
        return ""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", cleaned) or re.fullmatch(r"(\d{2})(\d{2})", cleaned)
    if m is None:
        raise InputError(f"{label}应为“时:分”，如 14:35。")
    hour, minute = int(m.group(1)), int(m.group(2))
    if hour > 23 or minute > 59:
        raise InputError(f"{label}不存在（时 0–23，分 0–59）。")
    return f"{hour:02d}:{minute:02d}"


def parse_text(text: str, label: str, *, required: bool = True, max_len: int = 200) -> str:
    """A trimmed line of text."""
    cleaned = text.strip()
    if required and not cleaned:
        raise InputError(f"请填写{label}。")
    if len(cleaned) > max_len:
        raise InputError(f"{label}过长（最多{max_len}个字，现有{len(cleaned)}个字）。")
    return cleaned


# ---------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------

MIN_YEAR = 1900
MAX_YEAR = 2199
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
DATE_EXAMPLES = "2024-10-15、2024/10/15、2024.10.15、2024年10月15日 或 20241015"
# full-width forms an input method may type; whitespace anywhere is dropped
_DATE_CHARS = str.maketrans("０１２３４５６７８９－／．。", "0123456789-/..")
_DATE_FORMS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})()(\d{2})(\d{2})"),
)
_SHORT_YEAR = re.compile(r"\d{2}([-/.])\d{1,2}\1\d{1,2}|\d{2}年\d{1,2}月\d{1,2}[日号]?")
# how a date may be written (each one parses back to the date; see ``format_date``)
DATE_STYLES = ("iso", "slash", "dot", "chinese", "compact", "iso_unpadded", "slash_unpadded")


def normalise_date_text(text: str) -> str:
    """What ``parse_date`` reads: full-width digits and marks to ASCII, whitespace removed."""
    return re.sub(r"\s+", "", text.translate(_DATE_CHARS))


def _days_in_month(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def parse_date(text: str, label: str = "日期", *, required: bool = True) -> dt.date | None:
    """A calendar date typed in any of the usual ways; None for an empty optional date.

    Accepted: ``2024-10-15``, ``2024/10/15``, ``2024.10.15`` (month and day with or without
    a leading zero), ``2024年10月15日`` (日 or 号 may be left off) and ``20241015``; full-width
    digits and spaces are tolerated. Anything else, a day that does not exist or a year
    outside 1900–2199, raises ``InputError`` naming what is wrong; nothing is guessed.
    """
    cleaned = normalise_date_text(text)
    shown = text.strip() if len(text.strip()) <= 24 else text.strip()[:24] + "…"
    if not cleaned:
        if required:
            raise InputError(f"请填写{label}。")
        return None
    for form in _DATE_FORMS:
        m = form.fullmatch(cleaned)
        if m is not None:
            break
    else:
        if _SHORT_YEAR.fullmatch(cleaned):
            raise InputError(f"{label}“{shown}”的年份请写全四位，如 2024-10-15。")
        raise InputError(f"{label}“{shown}”无法识别为日期，请写成 {DATE_EXAMPLES}。")
    year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            f"{label}“{shown}”的年份{year}超出可记录的范围（{MIN_YEAR}–{MAX_YEAR}年），请核对。"
        )
    if not 1 <= month <= 12:
        raise InputError(f"{label}“{shown}”不是有效日期：月份应为 1–12。")
    last = _days_in_month(year, month)
    if not 1 <= day <= last:
        raise InputError(f"{label}“{shown}”不是有效日期：{year}年{month}月只有{last}天。")
    return dt.date(year, month, day)


def format_date(day: dt.date, style: str = "iso") -> str:
    """``day`` written in one of ``DATE_STYLES`` (what an officer might type)."""
    y, m, d = day.year, day.month, day.day
    forms = {
        "iso": f"{y:04d}-{m:02d}-{d:02d}",
        "slash": f"{y:04d}/{m:02d}/{d:02d}",
        "dot": f"{y:04d}.{m:02d}.{d:02d}",
        "chinese": f"{y}年{m}月{d}日",
        "compact": f"{y:04d}{m:02d}{d:02d}",
        "iso_unpadded": f"{y}-{m}-{d}",
        "slash_unpadded": f"{y}/{m}/{d}",
    }
    return forms[style]


def date_spellings(day: dt.date) -> frozenset[str]:
    """Every normalised text ``parse_date`` reads as ``day`` (zero-padded or not, each mark)."""
    y, m, d = f"{day.year:04d}", day.month, day.day
    months, days = {f"{m}", f"{m:02d}"}, {f"{d}", f"{d:02d}"}
    out = {f"{y}{m:02d}{d:02d}"}
    for mm in months:
        for dd in days:
            out.update(f"{y}{sep}{mm}{sep}{dd}" for sep in "-/.")
            out.update(f"{y}年{mm}月{dd}{end}" for end in ("", "日", "号"))
    return frozenset(out)


def date_in_words(day: dt.date) -> str:
    """``2024-10-15`` → ``2024年10月15日 星期二`` (how the date field echoes what it read)."""
    return f"{day.year}年{day.month}月{day.day}日 {WEEKDAYS[day.weekday()]}"


def date_short(day: dt.date) -> str:
    """``2024-10-15`` → ``2024年10月15日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DatedValue:
    """One date of a record being saved, for ``date_doubts``. ``future_ok``: a deadline or
    other date that is normally in the future; ``is_fire_date``: the record's fire date."""

    key: str
    label: str
    value: dt.date
    future_ok: bool = False
    is_fire_date: bool = False


@dataclass(frozen=True)
class DateDoubt:
    """Why a date looks wrong (``key``: the field), in Chinese, for the question asked."""

    key: str
    message: str


def date_doubts(
    dates: Sequence[DatedValue], *, fire_date: dt.date | None, today: dt.date | None
) -> tuple[DateDoubt, ...]:
    """The dates of one record that are possible but implausible, each with its reason.

    A date before the fire (the record's own fire date if it has one, else ``fire_date``),
    after ``today`` (unless ``future_ok``), or more than a year away from the date before it
    in the record (``dates`` in the order of the form). The officer is asked and may keep
    them; hard limits (a date that cannot be) are the fields' and services' checks.
    """
    own_fire = next((d.value for d in dates if d.is_fire_date), None)
    fire = own_fire if own_fire is not None else fire_date
    out: list[DateDoubt] = []
    for d in dates:
        if fire is not None and not d.is_fire_date and d.value < fire:
            out.append(
                DateDoubt(
                    d.key,
                    f"{d.label}（{date_short(d.value)}）早于起火日期（{date_short(fire)}）。",
                )
            )
        if today is not None and not d.future_ok and d.value > today:
            out.append(
                DateDoubt(
                    d.key,
                    f"{d.label}（{date_short(d.value)}）晚于今天（{date_short(today)}）。",
                )
            )
    for before, after in itertools.pairwise(dates):
        early, late = sorted((before.value, after.value))
        if late > add_years(early, 1):
            out.append(
                DateDoubt(
                    after.key,
                    f"{after.label}（{date_short(after.value)}）与{before.label}"
                    f"（{date_short(before.value)}）相隔一年以上（{(late - early).days}天）。",
                )
            )
    return tuple(out)
