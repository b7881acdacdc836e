"""Helpers for tests that run on both backends where PostgreSQL audits by itself."""

from __future__ import annotations

from sqlalchemy import text


def recorded_actor(cf: object, claimed: str) -> str:
    """Who the audit trail names for a change ``claimed`` made: on SQLite the client's user,
    on PostgreSQL the server login (the database's triggers write the trail)."""
    if getattr(cf, "is_sqlite", True):
        return claimed
    engine = cf.engine
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT session_user")).scalar())


def as_superuser_without_triggers(conn: object) -> None:
    """Emulate a database superuser switching the audit triggers off before tampering with the
    trail (PostgreSQL refuses UPDATE/DELETE of audit rows otherwise); no-op on SQLite."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
