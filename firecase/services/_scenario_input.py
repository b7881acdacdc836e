"""Scenarios: the keys they know, ``ScenarioError``, and the reader that names the key of
every bad value (``_In``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from firecase.errors import FirecaseError

ACTOR = "scenario"

TOP_KEYS = frozenset(
    {
        "today",
        "settings",
        "calendar",
        "calendar_complete",
        "fire",
        "casualties",
        "judgements",
        "takeover",
        "team",
        "parties",
        "persons",
        "recusals",
        "appraisals",
        "extensions",
        "report",
        "reply",
        "recommendations",
        "handling",
        "sections",
        "findings",
        "causes",
        "measures",
        "confidential",
        "closed_on",
    }
)

PARTY_KINDS = {"person": "个人", "unit": "单位", "department": "政府部门"}
PARTY_KEYS = {v: k for k, v in PARTY_KINDS.items()}

CLOCK_KINDS = {
    "等级变化报告期": "grade_change",
    "调查期限": "investigation",
    "批复期限": "reply",
    "处理备案期限": "handling",
    "整改评估期限": "evaluation",
    "限期整改": "rectification",
    "整改期限": "rectification",
}


class ScenarioError(FirecaseError):
    """Bad scenario input; ``field`` is the key path, the message names it in Chinese."""


# --------------------------------------------------------------------------------------------
# reading the input
# --------------------------------------------------------------------------------------------


class _In:
    """A JSON object with its key path, for messages that name the key."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ScenarioError(f"{path or '场景'}应为 JSON 对象（{{…}}）。", field=path)
        self.data, self.path = data, path

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, text: str) -> ScenarioError:
        return ScenarioError(f"{self.key(name)}：{text}", field=self.key(name))

    def only(self, allowed: set[str] | frozenset[str]) -> None:
        for name in self.data:
            if name not in allowed:
                raise self.fail(str(name), f"不认识的键（可用：{'、'.join(sorted(allowed))}）")

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise self.fail(name, "缺少此项")
            return default
        if not isinstance(value, str):
            raise self.fail(name, "应为字符串")
        return value

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少日期（YYYY-MM-DD）")
            return None
        if not isinstance(value, str):
            raise self.fail(name, "日期应写成字符串 YYYY-MM-DD")
        return _iso_day(value, lambda text: self.fail(name, text))

    def need_date(self, name: str) -> dt.date:
        got = self.date(name)
        assert got is not None
        return got

    def integer(self, name: str, default: int | None = None) -> int:
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise self.fail(name, "缺少此项")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "应为整数")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, "应为 true 或 false")
        return value

    def money(self, name: str, default: str | None = None) -> Decimal:
        value = self.data.get(name, default)
        if value is None:
            raise self.fail(name, '缺少金额（元，字符串，如 "3200000"）')
        if not isinstance(value, str):
            raise self.fail(name, '金额应写成字符串（精确到分的元，如 "3200000.50"），不能用浮点数')
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise self.fail(name, f"“{value}”不是金额") from None
        if not amount.is_finite():
            raise self.fail(name, f"“{value}”不是金额")
        return amount

    def obj(self, name: str) -> _In | None:
        value = self.data.get(name)
        return None if value is None else _In(value, self.key(name))

    def items(self, name: str) -> list[_In]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, "应为列表（[…]）")
        return [_In(x, f"{self.key(name)}[{i}]") for i, x in enumerate(value)]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: str, fail: Callable[[str], ScenarioError]) -> dt.date:
    """A date written exactly ``YYYY-MM-DD``, between 1949-10-01 and 2200-12-31."""
    try:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(value)
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"“{value}”不是 YYYY-MM-DD 格式的日期") from None
    if not dt.date(1949, 10, 1) <= day <= dt.date(2200, 12, 31):
        raise fail(f"日期{value}超出合理范围")
    return day


@contextmanager
def _at(path: str, renames: dict[str, str] | None = None) -> Iterator[None]:
    """A service refusal while entering ``path`` becomes a ScenarioError naming that key
    (``renames``: the service's field name → the scenario's key)."""
    try:
        yield
    except ScenarioError:
        raise
    except FirecaseError as exc:
        field = (renames or {}).get(exc.field or "", exc.field)
        where = f"{path}.{field}" if field else path
        raise ScenarioError(f"{where}：{exc.message}", field=where) from exc
