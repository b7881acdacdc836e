"""``store.uow.translate_db_error``: which database errors say what, in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import DataError, OperationalError

from firecase.errors import CaseFileError, ValidationError
from firecase.store.uow import translate_db_error


class _Orig(Exception):
    """A driver error with the SQLSTATE and primary message psycopg gives."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate
        self.diag: Any = type("Diag", (), {"message_primary": message})()


def test_a_nul_in_a_text_is_named_as_such() -> None:
    exc = DataError("INSERT …", {}, _Orig("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    translated = translate_db_error(exc)
    assert isinstance(translated, ValidationError) and "空字符（NUL）" in translated.message


def test_a_data_error_whose_context_says_null_is_not_taken_for_a_nul() -> None:
    """A value too long for its column, raised inside a function whose statement has NULL in
    it, was reported as a NUL character in the text the officer typed."""
    orig = _Orig(
        'value too long for type character varying(8)\nCONTEXT:  SQL statement "INSERT INTO '
        'audit_log … VALUES (…, NULL, …)"',
        "22001",
    )
    translated = translate_db_error(DataError("SELECT …", {}, orig))
    assert isinstance(translated, CaseFileError) and "NUL" not in translated.message.split("：")[0]
    assert "空字符" not in translated.message


@pytest.mark.parametrize("state", ["57P01", "57P02", "57P03"])
def test_a_session_the_server_ended_is_said_in_chinese(state: str) -> None:
    orig = _Orig("terminating connection due to administrator command", state)
    translated = translate_db_error(OperationalError("SELECT 1", {}, orig))
    assert isinstance(translated, CaseFileError)
    assert translated.message.startswith("数据库服务器结束了您的这个连接")
    assert "terminating" not in translated.message
