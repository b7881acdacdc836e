"""Every foreign key has an index: without one, deleting the row it points at
scans the whole referencing table, and a delete grows with the archive.

A foreign key is covered when an index, the primary key or a unique constraint of its table
begins with the key's columns (in any order: a lookup on all of them can use such an index).
Checked on the models' metadata, on a case file built by the migrations (SQLite, and
PostgreSQL when ``FIRECASE_TEST_PG_URL`` is set); the last tests build a tiny schema with a
key left unindexed on purpose and show the check names it.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    create_engine,
    inspect,
    text,
)
from sqlalchemy.engine import make_url

from firecase.store import open_case_file
from firecase.store.models import Base

# (table, [leading columns of each index / primary key / unique constraint], [foreign keys])
Keys = tuple[str, list[list[str]], list[list[str]]]


def _leading_columns(columns: Iterable[object]) -> list[str]:
    """The plain columns an index begins with; an expression (None when reflected, or not a
    column in the metadata) ends the part a lookup by column can use."""
    out = []
    for c in columns:
        name = c if isinstance(c, str) else c.name if isinstance(c, Column) else None
        if not name:
            break
        out.append(name)
    return out


def unindexed(tables: Iterable[Keys]) -> list[str]:
    """``table(columns)`` of every foreign key no index, primary key or unique constraint
    begins with."""
    missing = []
    for name, indexes, foreign_keys in tables:
        for fk in foreign_keys:
            wanted = set(fk)
            if not any(len(ix) >= len(fk) and set(ix[: len(fk)]) == wanted for ix in indexes):
                missing.append(f"{name}({', '.join(fk)})")
    return sorted(missing)


def keys_of_metadata(metadata: MetaData) -> Iterator[Keys]:
    for t in metadata.sorted_tables:
        indexes = [_leading_columns(i.expressions) for i in t.indexes]
        indexes.append([c.name for c in t.primary_key.columns])
        # unique constraints only: a foreign key constraint is no index of its own
        indexes += [
            [c.name for c in u.columns] for u in t.constraints if isinstance(u, UniqueConstraint)
        ]
        foreign_keys = [
            [c.name for c in fk.columns]
            for fk in t.constraints
            if isinstance(fk, ForeignKeyConstraint)
        ]
        yield t.name, indexes, foreign_keys


def keys_of_database(conn: Connection) -> list[Keys]:
    inspector = inspect(conn)
    out = []
    with warnings.catch_warnings():
        # SQLite cannot reflect an expression index: skipped, said by a warning (it leads
        # with no foreign key column anyway)
        warnings.simplefilter("ignore")
        for name in inspector.get_table_names():
            indexes = [_leading_columns(i["column_names"]) for i in inspector.get_indexes(name)]
            indexes.append(list(inspector.get_pk_constraint(name)["constrained_columns"]))
            indexes += [list(u["column_names"]) for u in inspector.get_unique_constraints(name)]
            foreign_keys = [
                list(fk["constrained_columns"]) for fk in inspector.get_foreign_keys(name)
            ]
            out.append((name, indexes, foreign_keys))
    return out


def _count_foreign_keys(keys: Sequence[Keys]) -> int:
    return sum(len(fks) for _, _, fks in keys)


def test_every_foreign_key_of_the_models_is_indexed() -> None:
    keys = list(keys_of_metadata(Base.metadata))
    assert _count_foreign_keys(keys) > 40  # the check saw the schema's keys
    assert unindexed(keys) == []


def test_every_foreign_key_of_a_migrated_sqlite_file_is_indexed(tmp_path: Path) -> None:
    # a new file is built by the migrations (upgrade to head), not from the metadata
    with open_case_file(tmp_path / "案卷.sqlite", user="测试") as cf, cf.connect() as conn:
        keys = keys_of_database(conn)
    assert _count_foreign_keys(keys) == _count_foreign_keys(list(keys_of_metadata(Base.metadata)))
    assert unindexed(keys) == []


@pytest.mark.postgres
def test_every_foreign_key_of_a_migrated_postgresql_database_is_indexed() -> None:
    pg_url = os.environ.get("FIRECASE_TEST_PG_URL")
    if not pg_url:
        pytest.skip("FIRECASE_TEST_PG_URL not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(pg_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
        with (
            open_case_file(url.render_as_string(hide_password=False), user="测试") as cf,
            cf.connect() as conn,
        ):
            keys = keys_of_database(conn)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    assert _count_foreign_keys(keys) == _count_foreign_keys(list(keys_of_metadata(Base.metadata)))
    assert unindexed(keys) == []


# ---- the check can fail: a tiny schema with keys left unindexed on purpose -----------------


def _tiny_schema() -> MetaData:
    md = MetaData()
    Table("cases", md, Column("id", Integer, primary_key=True))
    Table(
        "parties",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id"), index=True),  # indexed
        Column("seq", Integer),
        UniqueConstraint("case_id", "seq"),
    )
    Table(
        "findings",
        md,
        Column("id", Integer, primary_key=True),
        Column("case_id", Integer, ForeignKey("cases.id")),
        Column("party_id", Integer, ForeignKey("parties.id")),  # left unindexed on purpose
        Column("kind", Integer),
        # leads with case_id: covers it; party_id second, which a lookup by party cannot use
        Index("ix_findings_case_party", "case_id", "party_id"),
    )
    Table(
        "links",
        md,
        Column("case_id", Integer),
        Column("seq", Integer),
        Column("member_id", Integer, ForeignKey("cases.id")),  # second in the key: unindexed
        Column("other_case", Integer),
        Column("other_seq", Integer),
        PrimaryKeyConstraint("case_id", "member_id"),
        # a key of two columns, covered by the unique constraint in the other order
        ForeignKeyConstraint(["case_id", "seq"], ["parties.case_id", "parties.seq"]),
        # another of two columns whose index holds only one of them: unindexed
        ForeignKeyConstraint(["other_case", "other_seq"], ["parties.case_id", "parties.seq"]),
        Index("ix_links_other_case", "other_case"),
        UniqueConstraint("seq", "case_id"),
    )
    return md


TINY_MISSING = ["findings(party_id)", "links(member_id)", "links(other_case, other_seq)"]


def test_the_check_names_unindexed_keys_in_a_metadata() -> None:
    assert unindexed(keys_of_metadata(_tiny_schema())) == TINY_MISSING


def test_the_check_names_unindexed_keys_in_a_database() -> None:
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            _tiny_schema().create_all(conn)
            assert unindexed(keys_of_database(conn)) == TINY_MISSING
            conn.execute(text("CREATE INDEX ix_findings_party_id ON findings (party_id)"))
            assert unindexed(keys_of_database(conn)) == TINY_MISSING[1:]
    finally:
        engine.dispose()


def test_an_expression_ends_what_an_index_covers() -> None:
    assert unindexed([("t", [["a", "b"]], [["a"], ["b"]])]) == ["t(b)"]
    assert unindexed([("t", [_leading_columns([None, "a"])], [["a"]])]) == ["t(a)"]
