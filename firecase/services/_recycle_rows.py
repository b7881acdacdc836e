"""The rows of a 回收站 entry: which tables a removal keeps, values as JSON, a record's name.

Shared by ``recycle`` (the capture and the list) and ``_restore`` (putting an entry back).
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect

from firecase.store import models as m

# what a removal's capture ignores: the trail itself, recomputed data, content, and records of
# the removal's own circumstances (the reason given past a guard stays with the case)
_NOT_KEPT = m.NOT_AUDITED_TABLES | {
    m.GuardReason.__tablename__,
    m.RecycleEntry.__tablename__,
    m.RecycleContent.__tablename__,
}


_SKIP_COLUMNS = frozenset({"version"})


# the columns that name a record for a person, most telling first
_NAMING = ("number", "code", "name", "title", "subject", "summary", "content", "text")


def _enc(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": format(value, "f")}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot keep a {type(value).__name__} in the recycle bin")


def _dec(value: Any) -> Any:
    if isinstance(value, dict):
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$dec" in value:
            return Decimal(value["$dec"])
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
    return value


def _row_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {
        a.key: _enc(getattr(obj, a.key)) for a in mapper.column_attrs if a.key not in _SKIP_COLUMNS
    }


def _key_of(obj: Any) -> list[Any]:
    return [_enc(part) for part in inspect(obj).mapper.primary_key_from_instance(obj)]


def _table_of(obj: Any) -> str:
    return str(inspect(obj).mapper.persist_selectable.name)


def describe(obj: Any) -> str:
    """A short name of a record for a person: its number and name where it has them."""
    parts: list[str] = []
    for key in _NAMING:
        value = getattr(obj, key, None)
        if isinstance(value, str) and value.strip() and value.strip() not in parts:
            parts.append(" ".join(value.split()))
        if len(parts) == 2:
            break
    text = " ".join(parts) or f"#{getattr(obj, 'id', '')}"
    return text if len(text) <= 80 else text[:79] + "…"


def _classes() -> dict[str, Any]:
    return {
        str(getattr(mp.persist_selectable, "name", "")): mp.class_ for mp in m.Base.registry.mappers
    }


def _order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(m.Base.metadata.sorted_tables)}
