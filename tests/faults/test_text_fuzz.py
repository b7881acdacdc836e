"""Every input error is a FirecaseError: arbitrary text (lone surrogates, NUL, controls) into the
services on SQLite and PostgreSQL.

Each example takes a valid input of one of the services of ``tests/unit/services/
test_bad_input.py`` (every service that takes text), puts an arbitrary text into one of its
text fields (or into a list of names), and calls the service; the acting user, the case-list
search and the case number lookup get arbitrary text too. Only a ``FirecaseError`` may escape,
and a text with a character no case file can keep (``bad_character``) must be refused, never
stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from _faultkit import TODAY, pg_schema
from hypothesis import given, settings, strategies as st

from firecase.errors import FirecaseError
from firecase.samples.demo import write_demo
from firecase.services import cases, reading
from firecase.services.dto import IncidentInput
from firecase.store import CaseFile, open_case_file
from firecase.store.textcheck import bad_character
from tests._demo import demo_into

SERVICES = Path(__file__).resolve().parents[1] / "unit" / "services"
if str(SERVICES) not in sys.path:
    sys.path.insert(0, str(SERVICES))
from test_bad_input import _ids, _valid_inputs  # noqa: E402

NASTY = st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\udc80", "\x1b", "\x07", "\x7f", "\n", "\t", "\r", " ", "火"]
)
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=()), max_size=30),  # surrogates included
    st.lists(st.one_of(NASTY, st.text(max_size=3)), min_size=1, max_size=8).map("".join),
)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def cf(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CaseFile]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "案卷.sqlite"
        demo_into(path, today=TODAY, user="测试")
        with open_case_file(path, user="测试") as c:
            yield c
        return
    with pg_schema() as url, open_case_file(url, user="测试") as c:
        write_demo(c, TODAY)
        yield c


def _call(call: Callable[[], Any], text: str) -> Any:
    """Run ``call``; only FirecaseError may escape, and a bad character must be refused."""
    try:
        result = call()
    except FirecaseError as exc:
        assert exc.message.strip()
        return exc
    assert bad_character(text) is None, f"stored a text with {bad_character(text)}: {text!r}"
    return result


def _text_fields(valid: Any) -> list[str]:
    return [
        f.name for f in dataclasses.fields(valid) if isinstance(getattr(valid, f.name), str | tuple)
    ]


@settings(max_examples=200)
@given(data=st.data(), text=TEXT)
def test_arbitrary_text_in_any_text_field(cf: CaseFile, data: st.DataObject, text: str) -> None:
    ids = _ids(cf)
    choices = [entry for entry in _valid_inputs(ids) if _text_fields(entry[1])]
    _name, valid, call = data.draw(st.sampled_from(choices), label="service")
    field = data.draw(st.sampled_from(_text_fields(valid)), label="field")
    value: Any = (text,) if isinstance(getattr(valid, field), tuple) else text
    outcome = _call(lambda: call(cf, dataclasses.replace(valid, **{field: value})), text)
    if bad_character(text) is not None:  # refused (some services check versions first)
        assert isinstance(outcome, FirecaseError), outcome


INCIDENT = IncidentInput("新案件", TODAY, "天门市", "建筑火灾", 1, 2)  # type: ignore[arg-type]


@settings(max_examples=80)
@given(text=TEXT, use=st.sampled_from(["actor", "search", "case_no"]))
def test_arbitrary_actor_and_search_text(cf: CaseFile, text: str, use: str) -> None:
    if use == "actor":
        _call(lambda: cases.open_case(cf, INCIDENT, actor=text, today=TODAY), text)
    elif use == "search":
        with contextlib.suppress(FirecaseError):
            reading.list_cases(cf, text=text, today=TODAY)
    else:
        with contextlib.suppress(FirecaseError):
            reading.find_case_id(cf, text)
    assert cf.verify_audit().ok


@settings(max_examples=30)
@given(user=st.one_of(TEXT, st.integers(), st.none()))
def test_arbitrary_user_when_opening(tmp_path_factory: pytest.TempPathFactory, user: Any) -> None:
    path = tmp_path_factory.getbasetemp() / "用户名.sqlite"
    try:
        with open_case_file(path, user=user) as c:
            cases.open_case(c, INCIDENT, today=TODAY)
            assert c.verify_audit().ok
    except FirecaseError as exc:
        assert exc.message.strip()
        assert (
            not isinstance(user, str)
            or user.strip() == ""
            or bad_character(user)
            or (len(user) > 100)
        )
