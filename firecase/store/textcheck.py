"""Characters a case file cannot keep: found before they reach the database. Stdlib only.

A lone UTF-16 surrogate (``"\\ud800"``, which a broken paste or a script can produce) cannot be
encoded as UTF-8, so both SQLite and PostgreSQL fail on it; PostgreSQL refuses NUL in text and
SQLite keeps it but many readers cut the text there; the other C0 control characters (and DEL)
are invisible in every view and report. Tab, line feed and carriage return are ordinary text.
"""

from __future__ import annotations

from firecase.errors import ValidationError

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def bad_character(value: str) -> str | None:
    """A Chinese description of the first character of ``value`` that cannot be stored, or None."""
    for position, ch in enumerate(value, 1):
        code = ord(ch)
        if (code < 0x20 and ch not in _ALLOWED_CONTROLS) or code == 0x7F:
            what = "空字符（NUL）" if code == 0 else f"控制字符 U+{code:04X}"
            return f"第{position}个字符是{what}"
        if 0xD800 <= code <= 0xDFFF:
            return f"第{position}个字符是无法保存的不成对代理字符 U+{code:04X}（文字编码已损坏）"
    return None


def clean_actor(value: object) -> str:
    """The acting user's login as the audit trail records it; ``ValidationError`` if bad.

    The actor is hashed into every audit row, so it must be a string (an int would be hashed
    as written but read back as text, and the chain would never verify again).
    """
    if not isinstance(value, str):
        raise ValidationError("操作用户名应为文字。", field="user")
    if not value.strip():
        raise ValidationError("操作用户名不能为空。", field="user")
    if len(value) > 100:
        raise ValidationError("操作用户名过长（最多100个字）。", field="user")
    if problem := bad_character(value):
        raise ValidationError(f"操作用户名含有无法保存的字符：{problem}。", field="user")
    return value
