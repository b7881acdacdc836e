"""Errors raised by the rules core.

Every message is Chinese and ready to show to the user as it is.
"""

from __future__ import annotations

from firecase.errors import ValidationError


class RuleError(ValidationError):
    """Bad input to a rule: a negative count or amount, a float amount, an interval that ends
    before it starts, an extension beyond 60 days, a date no grade standard covers…"""


class CalendarYearMissing(RuleError):
    """The working-day calendar has no data for a year a computation needs."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"节假日日历缺少{year}年的数据，请在 设置 → 节假日日历 中导入该年数据",
            field="calendar",
        )
        self.year = year
