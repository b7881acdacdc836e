"""Helpers shared by the service modules: input validation, loading, version checks.

Validators take the raw value (which may be of any type: the UI and scripts call services with
whatever they have), the field name the UI knows it by, and the Chinese label, and either return
a clean value or raise ``ValidationError(message, field=...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from firecase.errors import ConflictError, NotFoundError, ValidationError
from firecase.services.dto import Relative
from firecase.store.models import Base, Case
from firecase.store.textcheck import bad_character

T = TypeVar("T", bound=Base)

MIN_DATE = dt.date(1949, 10, 1)
MAX_DATE = dt.date(2200, 12, 31)
# 18 digits: NUMERIC(18, 2) on PostgreSQL, and as integer 分 within SQLite's 64-bit integers
MAX_YUAN = Decimal("9999999999999999.99")
MAX_TEXT = 20000


def text(
    value: Any,
    field: str,
    label: str,
    *,
    max_len: int = 200,
    required: bool = True,
) -> str:
    """A trimmed string, non-empty when ``required``, at most ``max_len`` characters.

    Refused with the field named: a NUL or another control character (tab, line feed and
    carriage return are text) and a lone surrogate (``store.textcheck.bad_character``).
    """
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{label}应为文字。", field=field)
    if problem := bad_character(value):
        raise ValidationError(
            f"{label}含有无法保存的字符：{problem}。请删除后重新输入。", field=field
        )
    cleaned = value.strip()
    if required and not cleaned:
        raise ValidationError(f"请填写{label}。", field=field)
    if len(cleaned) > max_len:
        raise ValidationError(f"{label}过长（最多{max_len}个字）。", field=field)
    return cleaned


def long_text(value: Any, field: str, label: str, *, required: bool = False) -> str:
    """A multi-line text (report sections, reasons): up to ``MAX_TEXT`` characters."""
    return text(value, field, label, max_len=MAX_TEXT, required=required)


def names(value: Any, field: str, label: str) -> tuple[str, ...]:
    """A tuple of names (relatives, departments): each a non-empty string."""
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise ValidationError(f"{label}应为名单（每项一个名字）。", field=field)
    out = tuple(text(v, field, label, max_len=100) for v in value)
    if len(out) > 200:
        raise ValidationError(f"{label}过多（最多200项）。", field=field)
    return out


def join_names(values: Iterable[str]) -> str:
    """Store a list of names as lines."""
    return "\n".join(values)


def split_names(stored: str) -> tuple[str, ...]:
    """Read back a list stored with ``join_names``."""
    return tuple(line for line in stored.splitlines() if line.strip())


MAX_RELATIVE_NAME = 50
MAX_RELATION = 20


def relatives(value: Any, field: str, label: str) -> tuple[Relative, ...]:
    """Declared close relatives: each a ``Relative`` or a text read by ``Relative.parse``.

    The name is required (at most ``MAX_RELATIVE_NAME`` characters), the relation optional (at
    most ``MAX_RELATION``); neither may contain a line break or a tab (the storage separators).
    """
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise ValidationError(f"{label}应为名单（每项一人）。", field=field)
    if len(value) > 200:
        raise ValidationError(f"{label}过多（最多200项）。", field=field)
    out = []
    for n, item in enumerate(value, 1):
        if isinstance(item, str):
            if problem := bad_character(item):  # before parsing: it splits on U+001C–U+001F
                raise ValidationError(f"{label}第{n}项无法保存：{problem}。", field=field)
            if "\n" in item.strip() or "\r" in item:
                raise ValidationError(f"{label}第{n}项含有换行。", field=field)
            item = Relative.parse(item)
        if not isinstance(item, Relative):
            raise ValidationError(f"{label}第{n}项应为姓名及关系。", field=field)
        name = text(item.name, field, f"{label}第{n}项的姓名", max_len=MAX_RELATIVE_NAME)
        relation = text(
            item.relation, field, f"{label}第{n}项的关系", max_len=MAX_RELATION, required=False
        )
        for part, what in ((name, "姓名"), (relation, "关系")):
            if any(ch in part for ch in "\t\r\n"):
                raise ValidationError(f"{label}第{n}项的{what}含有制表符或换行。", field=field)
        out.append(Relative(name, relation))
    return tuple(out)


def join_relatives(values: Iterable[Relative]) -> str:
    """Store relatives as lines ``name<TAB>relation``."""
    return "\n".join(r.stored for r in values)


def split_relatives(stored: str) -> tuple[Relative, ...]:
    """Read back relatives stored by ``join_relatives`` or, before, as names typed one a line."""
    return tuple(Relative.parse(line) for line in stored.splitlines() if line.strip())


def date(value: Any, field: str, label: str) -> dt.date:
    """A calendar date between 1949-10-01 and 2200-12-31 (a datetime is refused)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"{label}应为日期。", field=field)
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValidationError(f"{label}超出合理范围（{value.isoformat()}）。", field=field)
    return value


def opt_date(value: Any, field: str, label: str) -> dt.date | None:
    """An optional date."""
    return None if value is None else date(value, field, label)


def not_future_date(value: Any, today: dt.date, field: str, label: str) -> dt.date:
    """A date (``date``) that is not after ``today`` (``not_future``)."""
    day = date(value, field, label)
    not_future(day, today, field, label)
    return day


def not_future(value: dt.date | None, today: dt.date, field: str, label: str) -> None:
    """Refuse a date after ``today``: a fact recorded as happened cannot lie ahead."""
    if value is not None and value > today:
        raise ValidationError(
            f"{label}（{value.isoformat()}）不能晚于今天（{today.isoformat()}）：只能登记已经发生的事实。",
            field=field,
        )


def not_before(
    later: dt.date | None, earlier: dt.date | None, field: str, later_label: str, earlier_label: str
) -> None:
    """Refuse ``later`` when it falls before ``earlier``."""
    if later is not None and earlier is not None and later < earlier:
        raise ValidationError(
            f"{later_label}（{later.isoformat()}）不能早于{earlier_label}（{earlier.isoformat()}）。",
            field=field,
        )


def integer(value: Any, field: str, label: str, *, minimum: int = 0, maximum: int = 10**6) -> int:
    """An int in [minimum, maximum] (bool is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label}应为整数。", field=field)
    if value < minimum:
        raise ValidationError(f"{label}不能小于{minimum}。", field=field)
    if value > maximum:
        raise ValidationError(f"{label}不能大于{maximum}。", field=field)
    return value


def opt_integer(
    value: Any, field: str, label: str, *, minimum: int = 0, maximum: int = 10**6
) -> int | None:
    """An optional int."""
    return None if value is None else integer(value, field, label, minimum=minimum, maximum=maximum)


def flag(value: Any, field: str, label: str) -> bool:
    """A bool (no truthy strings or numbers)."""
    if not isinstance(value, bool):
        raise ValidationError(f"{label}应为“是”或“否”。", field=field)
    return value


def money(value: Any, field: str, label: str) -> Decimal:
    """An exact amount in 元: Decimal (or int), ≥ 0, at most two decimal places."""
    if value is None:
        raise ValidationError(f"请填写{label}（元）。", field=field)
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ValidationError(f"{label}应为精确金额（元），不能用浮点数。", field=field)
    try:
        amount = Decimal(value)
        if not amount.is_finite():
            raise ValidationError(f"{label}不是有效金额。", field=field)
        if amount < 0:
            raise ValidationError(f"{label}不能为负数。", field=field)
        if amount > MAX_YUAN:
            raise ValidationError(
                f"{label}超出可记录的范围（最多 {MAX_YUAN:,} 元），请核对。", field=field
            )
        exponent = amount.as_tuple().exponent
        if (
            isinstance(exponent, int)
            and exponent < -2
            and amount != amount.quantize(Decimal("0.01"))
        ):
            raise ValidationError(f"{label}最多保留两位小数（到分）。", field=field)
        return amount.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValidationError(f"{label}不是有效金额。", field=field) from exc


def choice(value: Any, field: str, label: str, choices: Sequence[str]) -> str:
    """One of ``choices`` (Chinese labels)."""
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(f"{label}应为以下之一：{'、'.join(choices)}。", field=field)
    return value


def ident(value: Any, field: str, label: str) -> int:
    """A record id (positive int)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{label}编号无效。", field=field)
    return value


def opt_ident(value: Any, field: str, label: str) -> int | None:
    """An optional record id."""
    return None if value is None else ident(value, field, label)


def expect_version(value: Any) -> int:
    """The ``expected_version`` a caller passes back."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("记录版本号无效，请刷新后重试。", field="version")
    return value


def load(session: Session, model: type[T], record_id: Any, label: str) -> T:
    """Load a record by id or raise ``NotFoundError``."""
    rid = ident(record_id, "id", label)
    obj = session.get(model, rid)
    if obj is None:
        raise NotFoundError(f"{label}不存在（编号{rid}），可能已被删除。", field="id")
    return obj


def load_in_case(session: Session, model: type[T], record_id: Any, case_id: int, label: str) -> T:
    """Load a record that must belong to ``case_id``."""
    obj = load(session, model, record_id, label)
    if getattr(obj, "case_id", None) != case_id:
        raise ValidationError(f"{label}（编号{record_id}）不属于本案件。", field="id")
    return obj


def load_case(session: Session, case_id: Any) -> Case:
    """Load a case or raise ``NotFoundError``."""
    return load(session, Case, case_id, "案件")


def check_version(obj: Any, expected: Any, label: str) -> None:
    """Raise ``ConflictError`` when the record changed since the caller read it."""
    wanted = expect_version(expected)
    current = int(obj.version)
    if current != wanted:
        raise ConflictError(
            f"{label}已被其他用户或窗口修改（当前版本{current}，您编辑的是版本{wanted}），"
            "请刷新后重新编辑。",
            field="version",
        )


def today_or(value: dt.date | None) -> dt.date:
    """``value`` or the system date (the only place services read the clock)."""
    if value is None:
        return dt.date.today()
    return date(value, "today", "今天的日期")
