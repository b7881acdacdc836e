"""The register of persons (概况): the 死者, 伤者 and 证人 of a fire, with what identifies them.

Reports list the casualties from it (第十八条第三项); the public version masks every name and
number in it wherever they occur (《中华人民共和国政府信息公开条例》第十五条, 《中华人民共和国
个人信息保护法》), minors with special care (《中华人民共和国未成年人保护法》).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.rules.personal_data import id_card_valid
from firecase.services import _common as v, _views as views
from firecase.services._records import Kind, _need
from firecase.services.dto import PERSON_ROLES, PERSON_SEXES, PersonInput, PersonView
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

__all__ = ["add_person", "id_no_problem", "normalise_id_no", "remove_person", "update_person"]

_PHONE = re.compile(r"^[+0-9（）()\- 转]{5,40}$")


def normalise_id_no(value: str) -> str:
    """An ID number as stored: full-width digits made ASCII, spaces and dashes dropped, the
    check character upper-case ("42098419900101123x" → "42098419900101123X")."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-－—]", "", text).upper()


def _id_no(value: Any) -> str:
    raw = v.text(value, "id_no", "身份证号码", max_len=32, required=False)
    if not raw:
        return ""
    number = normalise_id_no(raw)
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", number):
        raise ValidationError("身份证号码应为18位（最后一位可为X）或15位数字。", field="id_no")
    return number


def id_no_problem(value: str) -> str:
    """Why an ID number typed on 概况 is not a valid one ("" when it is): the form refuses it
    at the field. The service keeps any number of the right shape (an old register may hold a
    mistyped one; the public version masks it all the same, as 疑似身份证号码)."""
    number = normalise_id_no(value)
    if not number:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", number):
        return "身份证号码应为18位（最后一位可为X）或15位数字。"
    if not id_card_valid(number):
        return "身份证号码的出生日期或校验码不对，请核对（GB 11643）。"
    return ""


def _phone(value: Any) -> str:
    raw = v.text(value, "phone", "联系电话", max_len=64, required=False)
    text = unicodedata.normalize("NFKC", raw)
    if text and not _PHONE.fullmatch(text):
        raise ValidationError("联系电话只能包含数字、空格、“-”、“+”和括号。", field="phone")
    return text


def _person_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, PersonInput, "人员信息")
    return {
        "role": v.choice(d.role, "role", "人员类别", PERSON_ROLES),
        "name": v.text(d.name, "name", "姓名", max_len=100),
        "sex": v.choice(d.sex or "不详", "sex", "性别", PERSON_SEXES).replace("不详", ""),
        "age": v.opt_integer(d.age, "age", "年龄", minimum=0, maximum=150),
        "id_no": _id_no(d.id_no),
        "phone": _phone(d.phone),
        "note": v.long_text(d.note, "note", "备注"),
    }


def _person_out(s: Session, x: m.Person) -> PersonView:
    return views.person_view(x)


@requires(Permission.RECORD)
def add_person(
    cf: CaseFile,
    case_id: int,
    data: PersonInput,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PersonView:
    """Add a 死者, 伤者 or 证人 to the register."""
    return _PERSON.add(cf, case_id, data, actor, today)


@requires(Permission.RECORD)
def update_person(
    cf: CaseFile,
    person_id: int,
    data: PersonInput,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PersonView:
    """Change one person of the register."""
    return _PERSON.update(cf, person_id, data, expected_version, actor, today)


@requires(Permission.RECORD)
def remove_person(
    cf: CaseFile,
    person_id: int,
    *,
    expected_version: int,
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove one person from the register into the case's 回收站; returns the entry's id."""
    return _PERSON.remove(cf, person_id, expected_version, actor, today)


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_PERSON = Kind(m.Person, "人员", _person_out, values=_person_values)
