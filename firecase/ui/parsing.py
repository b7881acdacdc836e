"""Reading what an officer typed: counts, amounts in 元, times. Pure Python, no Qt.

Each parser returns a clean value or raises ``InputError`` with the Chinese message the form
shows beside the field. Amounts are parsed to exact ``Decimal`` (never float); "50万" and
"500,000" are accepted as they are commonly written.
"""

from __future__ import annotations

import re
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
