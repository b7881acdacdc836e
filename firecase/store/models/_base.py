"""The declarative base of the case file models: naming convention, money type, mixins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeEngine

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY_SCALE = Decimal("0.01")
MONEY_FEN_PER_YUAN = 100


class Money(TypeDecorator[Decimal]):
    """An exact amount in 元 with two decimals (分), stored exactly on every backend.

    PostgreSQL keeps ``NUMERIC(18, 2)``. SQLite has no exact decimal type: its NUMERIC stores
    a float (分 are lost beyond 15 significant digits, from about 10^13 元), so the amount is
    stored as an integer number of 分 (at most 18 digits, within SQLite's 64-bit integers).
    Python always sees
    ``Decimal`` yuan quantized to 分; a value with more decimals is rounded half-even.
    """

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = Decimal(value).quantize(MONEY_SCALE)
        if dialect.name == "sqlite":
            return int(amount.scaleb(2))
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return money_from_fen(value)
        return Decimal(value).quantize(MONEY_SCALE)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        return self  # literals compared with a money column are amounts in 元 as well


def money_from_fen(value: Any) -> Decimal:
    """The ``Decimal`` yuan of an amount stored as integer 分."""
    fen = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    return fen.scaleb(-2).quantize(MONEY_SCALE)


class Base(DeclarativeBase):
    """Declarative base with the project's constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin: an optimistic-concurrency ``version`` column (starts at 1)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def _case_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True, nullable=False)
