"""Every foreign key has an index (issue 22): without one, deleting the row it points at
scans the whole referencing table, and a delete grows with the archive."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from firecase.store import open_case_file
from firecase.store.models import Base


def _unindexed(tables: dict[str, tuple[list[list[str]], list[str]]]) -> list[str]:
    """``table.column`` of every foreign-key column that leads no index (or primary key)."""
    missing = []
    for name, (leading, fk_columns) in tables.items():
        for column in fk_columns:
            if not any(cols and cols[0] == column for cols in leading):
                missing.append(f"{name}.{column}")
    return missing


def test_every_foreign_key_of_the_models_is_indexed() -> None:
    tables = {}
    for t in Base.metadata.sorted_tables:
        leading = [[c.name for c in i.columns] for i in t.indexes]
        leading.append([c.name for c in t.primary_key.columns])
        leading += [[c.name for c in c_.columns] for c_ in t.constraints if hasattr(c_, "columns")]
        leading += [[c.name] for c in t.columns if c.index or c.unique]
        tables[t.name] = (leading, [c.name for c in t.columns if c.foreign_keys])
    assert _unindexed(tables) == []


def test_every_foreign_key_of_an_upgraded_file_is_indexed(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "案卷.sqlite", user="测试") as cf, cf.connect() as conn:
        inspector = inspect(conn)
        tables = {}
        for name in inspector.get_table_names():
            leading = [list(i["column_names"]) for i in inspector.get_indexes(name)]
            leading.append(list(inspector.get_pk_constraint(name)["constrained_columns"]))
            leading += [list(u["column_names"]) for u in inspector.get_unique_constraints(name)]
            fks = [c for fk in inspector.get_foreign_keys(name) for c in fk["constrained_columns"]]
            tables[name] = (leading, fks)
    assert _unindexed(tables) == []


def test_the_check_finds_an_unindexed_key() -> None:
    assert _unindexed({"t": ([["id"]], ["case_id"])}) == ["t.case_id"]
