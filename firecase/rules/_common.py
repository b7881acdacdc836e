"""Small helpers shared by the rule modules: input checks and Chinese formatting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from firecase.rules.errors import RuleError

_WAN = Decimal(10_000)
_YI = Decimal(100_000_000)


def check_count(value: object, label: str, field: str) -> int:
    """Return ``value`` if it is a non-negative ``int`` (not ``bool``), else raise RuleError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{label}必须是整数", field=field)
    if value < 0:
        raise RuleError(f"{label}不能为负数（输入为{value}）", field=field)
    return value


def check_amount(value: object, label: str, field: str) -> Decimal:
    """Return ``value`` as an exact non-negative ``Decimal``; floats are refused.

    ``int`` is accepted (it is exact). ``float`` is refused because binary floating point cannot
    hold amounts such as 499,999.99 exactly; NaN and infinities are refused too.
    """
    if isinstance(value, (bool, float)):
        raise RuleError(f"{label}必须以精确的十进制数（Decimal）表示，不能使用浮点数", field=field)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise RuleError(f"{label}必须是金额数值（Decimal）", field=field)
    if not value.is_finite():
        raise RuleError(f"{label}不是有效的金额", field=field)
    if value < 0:
        raise RuleError(f"{label}不能为负数（输入为{value}元）", field=field)
    return value


def check_date(value: object, label: str, field: str) -> dt.date:
    """Return ``value`` if it is a ``date`` (a ``datetime`` is refused: rules work on days)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RuleError(f"{label}必须是日期", field=field)
    return value


def fmt_date(day: dt.date) -> str:
    """``2024-10-01`` → ``2024年10月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def _plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fmt_yuan(amount: Decimal) -> str:
    """An amount in 元 as a reader expects it: ``1亿元``, ``1000万元``, ``499999.99元``."""
    if amount >= _YI and amount % _YI == 0:
        return f"{_plain(amount / _YI)}亿元"
    if amount >= _WAN and amount % _WAN == 0:
        return f"{_plain(amount / _WAN)}万元"
    return f"{_plain(amount)}元"
