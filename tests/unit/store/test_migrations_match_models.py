"""The migrations build exactly the schema the models declare (a model change without its
migration, or a migration that differs from its model, fails here)."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from firecase.store import open_case_file
from firecase.store.models import Base


def test_a_new_case_file_has_the_schema_of_the_models(tmp_path: Path) -> None:
    path = tmp_path / "new.fcdb"
    with open_case_file(path):
        pass
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            # expression indexes cannot be reflected on SQLite: not compared, said by a warning
            warnings.simplefilter("ignore")
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
