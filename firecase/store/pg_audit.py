"""The audit trail on PostgreSQL, written by the database itself.

On a server every audited table has audit triggers (a row trigger for updates, statement
triggers over the transition table for inserts and deletes) that append to ``audit_log``
inside the same transaction: the actor is ``session_user`` (the login
that connected, whatever the client claims), the time is the server's clock, and each row is
hash-chained exactly as ``firecase.store.audit.row_hash`` computes it, so one verifier checks
trails written by the client (SQLite) and by the server. An edit made with psql is audited
just like one made in FireCase.

The row texts follow ``firecase.store.audit``: an insert is one row with field ``*`` and the
new values as a JSON object of column → text; an update is one row per changed column; a
delete is one row with the old values. ``bytea`` columns are recorded as ``sha256:<hex>``;
the ``version`` column and the recomputed data (``models.DERIVED_TABLES`` and
``models.DERIVED_CASE_COLUMNS``) are not audited.

``audit_log`` is append-only for everyone: a trigger refuses UPDATE, DELETE and TRUNCATE of it,
and ``audit_head`` may only be moved by the audit function. (A superuser can still switch
triggers off; the anchor printed on every report, ``firecase verify --anchor``, exposes a
history rewritten that way.)

What the client adds to the trail itself (the provenance of an imported case) goes through
``firecase_audit_note``, which accepts only an ``import`` row and names ``session_user``.

``install_audit`` is idempotent: it runs in migration 0013 and again after every upgrade, so
tables added by later migrations are audited as soon as they exist.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, inspect, text
from sqlalchemy.orm import Session

from firecase.store.models import (
    DERIVED_CASE_COLUMNS,
    NOT_AUDITED_TABLES,
    Base,
)

AUDIT_FUNCTION = "firecase_audit_row"
GUARD_FUNCTION = "firecase_audit_guard"
HEAD_GUARD_FUNCTION = "firecase_audit_head_guard"
TRIGGER_NAME = "firecase_audit"
ROWS_FUNCTION = "firecase_audit_rows"
_ROWS_TRIGGERS = ("firecase_audit_insert", "firecase_audit_delete")
_NOT_AUDITED = NOT_AUDITED_TABLES

# The JSON text of one value exactly as Python's json.dumps(ensure_ascii=False) writes it:
# PostgreSQL's to_json escapes the same characters the same way.
_FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION firecase_audit_json(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(to_json(v)::text, 'null') $$;

CREATE OR REPLACE FUNCTION firecase_audit_values(r jsonb, bin text[], skip text[])
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(jsonb_object_agg(key, CASE
        WHEN jsonb_typeof(value) = 'null' THEN 'null'::jsonb
        WHEN key = ANY(bin) THEN to_jsonb(
            'sha256:' || encode(sha256(decode(substr(value #>> '{}', 3), 'hex')), 'hex'))
        WHEN jsonb_typeof(value) = 'string' THEN value
        ELSE to_jsonb(value::text)
    END), '{}'::jsonb)
    FROM jsonb_each(r) WHERE NOT (key = ANY(skip))
$$;

CREATE OR REPLACE FUNCTION firecase_audit_hash(
    p_seq integer, p_at text, p_actor text, p_action text, p_entity text, p_entity_id text,
    p_case_id integer, p_field text, p_old text, p_new text, p_prev text
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to('[' || p_seq::text
        || ',' || firecase_audit_json(p_at)
        || ',' || firecase_audit_json(p_actor)
        || ',' || firecase_audit_json(p_action)
        || ',' || firecase_audit_json(p_entity)
        || ',' || firecase_audit_json(p_entity_id)
        || ',' || coalesce(p_case_id::text, 'null')
        || ',' || firecase_audit_json(p_field)
        || ',' || firecase_audit_json(p_old)
        || ',' || firecase_audit_json(p_new)
        || ',' || firecase_audit_json(p_prev)
        || ']', 'UTF8')), 'hex')
$$;

-- The chain's tail: the newest audit row. The head row is locked (FOR UPDATE: writers
-- serialise, and locking it again in the same transaction changes nothing) but written only
-- once, at commit, by firecase_audit_sync: updating it per statement left one dead version
-- per statement in a long transaction, and each lookup walked them all.
CREATE OR REPLACE FUNCTION firecase_audit_tail(OUT v_seq integer, OUT v_hash text)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM set_config('firecase.audit_writing', 'on', true);
        INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, repeat('0', 64))
            ON CONFLICT (id) DO NOTHING;
        PERFORM set_config('firecase.audit_writing', 'off', true);
        PERFORM 1 FROM audit_head WHERE id = 1 FOR UPDATE;
    END IF;
    SELECT seq, row_hash INTO v_seq, v_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        v_seq := 0;
        v_hash := repeat('0', 64);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION firecase_audit_sync() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    v_seq integer;
    v_hash text;
BEGIN
    SELECT seq, row_hash INTO v_seq, v_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT EXISTS (SELECT 1 FROM audit_head
                   WHERE id = 1 AND last_seq = v_seq AND last_hash = v_hash) THEN
        PERFORM set_config('firecase.audit_writing', 'on', true);
        UPDATE audit_head SET last_seq = v_seq, last_hash = v_hash WHERE id = 1;
        PERFORM set_config('firecase.audit_writing', 'off', true);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION firecase_audit_append(
    p_action text, p_entity text, p_entity_id text, p_case_id integer,
    p_field text, p_old text, p_new text
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_last_seq integer;
    v_last_hash text;
    v_at text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00';
    v_actor text := session_user;
BEGIN
    SELECT t.v_seq, t.v_hash INTO v_last_seq, v_last_hash FROM firecase_audit_tail() t;
    INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, case_id, field,
                           old_value, new_value, prev_hash, row_hash)
    VALUES (v_last_seq + 1, v_at, v_actor, p_action, p_entity, p_entity_id, p_case_id, p_field,
            p_old, p_new, v_last_hash,
            firecase_audit_hash(v_last_seq + 1, v_at, v_actor, p_action, p_entity,
                                p_entity_id, p_case_id, p_field, p_old, p_new, v_last_hash));
END $$;

-- updates, row by row: one audit row per changed column
CREATE OR REPLACE FUNCTION firecase_audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    bin text[] := string_to_array(TG_ARGV[0], ',');
    skip text[] := string_to_array(TG_ARGV[1], ',');
    pk text[] := string_to_array(TG_ARGV[2], ',');
    r_new jsonb := to_jsonb(NEW);
    v_old jsonb := firecase_audit_values(to_jsonb(OLD), bin, skip);
    v_new jsonb := firecase_audit_values(r_new, bin, skip);
    v_id text;
    v_case integer;
    k text;
BEGIN
    SELECT string_agg(r_new ->> p, ',' ORDER BY ord) INTO v_id
        FROM unnest(pk) WITH ORDINALITY AS u(p, ord);
    v_case := CASE WHEN TG_TABLE_NAME = 'cases' THEN (r_new ->> 'id')::integer
                   WHEN r_new ? 'case_id' THEN (r_new ->> 'case_id')::integer END;
    FOR k IN SELECT key FROM jsonb_each(v_new) ORDER BY key LOOP
        IF (v_old -> k) IS DISTINCT FROM (v_new -> k) THEN
            PERFORM firecase_audit_append('update', TG_TABLE_NAME, v_id, v_case, k,
                v_old ->> k, v_new ->> k);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- inserts and deletes, once per statement over its transition table
CREATE OR REPLACE FUNCTION firecase_audit_rows() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    bin text[] := string_to_array(TG_ARGV[0], ',');
    skip text[] := string_to_array(TG_ARGV[1], ',');
    pk text[] := string_to_array(TG_ARGV[2], ',');
    v_action text := lower(TG_OP);
    v_at text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00';
    v_actor text := session_user;
    r jsonb;
    v_id text;
    v_case integer;
    v_vals text;
    v_old text;
    v_new text;
    v_seq integer;
    v_prev text;
    v_hash text;
    n integer := 0;
BEGIN
    FOR r IN SELECT to_jsonb(t) FROM fc_rows t LOOP
        IF n = 0 THEN
            SELECT t.v_seq, t.v_hash INTO v_seq, v_prev FROM firecase_audit_tail() t;
        END IF;
        SELECT string_agg(r ->> p, ',' ORDER BY ord) INTO v_id
            FROM unnest(pk) WITH ORDINALITY AS u(p, ord);
        v_case := CASE WHEN TG_TABLE_NAME = 'cases' THEN (r ->> 'id')::integer
                       WHEN r ? 'case_id' THEN (r ->> 'case_id')::integer END;
        v_vals := firecase_audit_values(r, bin, skip)::text;
        IF v_action = 'insert' THEN
            v_old := NULL;
            v_new := v_vals;
        ELSE
            v_old := v_vals;
            v_new := NULL;
        END IF;
        v_seq := v_seq + 1;
        v_hash := firecase_audit_hash(v_seq, v_at, v_actor, v_action, TG_TABLE_NAME, v_id,
                                      v_case, '*', v_old, v_new, v_prev);
        INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, case_id, field,
                               old_value, new_value, prev_hash, row_hash)
        VALUES (v_seq, v_at, v_actor, v_action, TG_TABLE_NAME, v_id, v_case, '*',
                v_old, v_new, v_prev, v_hash);
        v_prev := v_hash;
        n := n + 1;
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION firecase_audit_note(
    p_action text, p_entity text, p_entity_id text, p_case_id integer, p_new text
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    IF p_action <> 'import' THEN
        RAISE EXCEPTION '审计说明只能是导入记录（%）', p_action
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM firecase_audit_append(p_action, p_entity, p_entity_id, p_case_id, '*', NULL, p_new);
END $$;

CREATE OR REPLACE FUNCTION firecase_audit_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除（%）', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION firecase_audit_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('firecase.audit_writing', true), '') <> 'on' THEN
        RAISE EXCEPTION '审计链头只能由审计记录自动更新（%）', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""


_REVOKE_FROM_PUBLIC = r"""
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND p.proname LIKE 'firecase\_audit%'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$
"""


SCHEMA_PLACEHOLDER = "CURRENT_SCHEMA_PLACEHOLDER"
"""Stands for the quoted current schema in the SQL ``run_sql`` runs. Every ``SECURITY
DEFINER`` function names its path as ``pg_catalog, <schema>, pg_temp``: left implicit (``FROM
CURRENT``), PostgreSQL searches ``pg_temp`` first for tables, and a temporary table an officer
created (an ``audit_log``, a ``users``, a ``pg_roles``) would stand in for the real one inside
a function that runs with the owner's rights."""


def run_sql(conn: Connection, *statements: str) -> None:
    """Run literal SQL (function bodies, DO blocks) in this schema: ``SCHEMA_PLACEHOLDER``
    becomes the quoted current schema, and ``%`` is doubled because psycopg reads it as the
    start of a query parameter."""
    schema = str(conn.execute(text("SELECT current_schema()")).scalar())
    quoted = '"' + schema.replace('"', '""') + '"'
    for sql in statements:
        conn.exec_driver_sql(sql.replace(SCHEMA_PLACEHOLDER, quoted).replace("%", "%%"))


def audited_tables() -> list[Table]:
    """The tables whose every row change is audited (all but the audit and derived ones)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _NOT_AUDITED]


def _trigger_args(table: Table) -> tuple[str, str, str]:
    binary = [c.name for c in table.columns if isinstance(c.type, LargeBinary)]
    skip = ["version"]
    if table.name == "cases":
        skip += sorted(DERIVED_CASE_COLUMNS)
    pk = [c.name for c in table.primary_key.columns]
    return ",".join(binary), ",".join(skip), ",".join(pk)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install_audit(conn: Connection) -> int:
    """Create (or replace) the audit functions and triggers; returns the tables audited.

    PostgreSQL only; a no-op elsewhere. Tables of the model that the database does not have
    (an older revision during an upgrade) are skipped.
    """
    if conn.dialect.name != "postgresql":
        return 0
    present = set(inspect(conn).get_table_names())
    # nobody calls the functions but the triggers (which need no EXECUTE right) and, for the
    # provenance of an import, the officers ``store.pg_team`` grants it to
    run_sql(conn, _FUNCTIONS_SQL, _REVOKE_FROM_PUBLIC)
    count = 0
    for table in audited_tables():
        if table.name not in present:
            continue
        binary, skip, pk = _trigger_args(table)
        args = f"({_quote(binary)}, {_quote(skip)}, {_quote(pk)})"
        name = f'"{table.name}"'
        for trigger in (TRIGGER_NAME, *_ROWS_TRIGGERS):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {name}")
        # updates row by row (one audit row per changed column); inserts and deletes once per
        # statement over its transition table, so a bulk insert locks the chain head once
        conn.exec_driver_sql(
            f"CREATE TRIGGER {TRIGGER_NAME} AFTER UPDATE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {AUDIT_FUNCTION}{args}"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {_ROWS_TRIGGERS[0]} AFTER INSERT ON {name} "
            f"REFERENCING NEW TABLE AS fc_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {ROWS_FUNCTION}{args}"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {_ROWS_TRIGGERS[1]} AFTER DELETE ON {name} "
            f"REFERENCING OLD TABLE AS fc_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {ROWS_FUNCTION}{args}"
        )
        count += 1
    for name, events, func, level in (
        ("firecase_audit_append_only", "UPDATE OR DELETE", GUARD_FUNCTION, "ROW"),
        ("firecase_audit_no_truncate", "TRUNCATE", GUARD_FUNCTION, "STATEMENT"),
    ):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_log")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {events} ON audit_log "
            f"FOR EACH {level} EXECUTE FUNCTION {func}()"
        )
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS firecase_audit_head_sync ON audit_log")
    conn.exec_driver_sql(
        "CREATE CONSTRAINT TRIGGER firecase_audit_head_sync AFTER INSERT ON audit_log "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION firecase_audit_sync()"
    )
    for name, events, level in (
        ("firecase_audit_head_guard", "INSERT OR UPDATE OR DELETE", "ROW"),
        ("firecase_audit_head_no_truncate", "TRUNCATE", "STATEMENT"),
    ):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_head")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {events} ON audit_head "
            f"FOR EACH {level} EXECUTE FUNCTION {HEAD_GUARD_FUNCTION}()"
        )
    return count


def triggers_installed(conn: Connection) -> bool:
    """Whether this PostgreSQL schema's ``cases`` table has the audit trigger."""
    if conn.dialect.name != "postgresql":
        return False
    row = conn.exec_driver_sql(
        "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE t.tgname = '{TRIGGER_NAME}' AND c.relname = 'cases' "
        "AND n.nspname = current_schema()"
    ).first()
    return row is not None


def uninstall_audit(conn: Connection) -> None:
    """Drop the triggers and functions ``install_audit`` created (PostgreSQL only)."""
    if conn.dialect.name != "postgresql":
        return
    present = set(inspect(conn).get_table_names())
    for table in audited_tables():
        if table.name in present:
            for trigger in (TRIGGER_NAME, *_ROWS_TRIGGERS):
                conn.exec_driver_sql(f'DROP TRIGGER IF EXISTS {trigger} ON "{table.name}"')
    for name in (
        "firecase_audit_append_only",
        "firecase_audit_no_truncate",
        "firecase_audit_head_sync",
    ):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_log")
    for name in ("firecase_audit_head_guard", "firecase_audit_head_no_truncate"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON audit_head")
    for signature in (
        f"{AUDIT_FUNCTION}()",
        f"{ROWS_FUNCTION}()",
        f"{GUARD_FUNCTION}()",
        f"{HEAD_GUARD_FUNCTION}()",
        "firecase_audit_append(text, text, text, integer, text, text, text)",
        "firecase_audit_sync()",
        "firecase_audit_tail()",
        "firecase_audit_hash(integer, text, text, text, text, text, integer, text, text, text,"
        " text)",
        "firecase_audit_values(jsonb, text[], text[])",
        "firecase_audit_json(text)",
        "firecase_audit_note(text, text, text, integer, text)",
    ):
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature}")


def write_notes(session: Session) -> int:
    """Hand the client's pending audit notes (``audit.PENDING_KEY``) to the database.

    On PostgreSQL the triggers record every row change; what remains pending is a note such
    as an import's provenance, appended by ``firecase_audit_note`` under ``session_user``.
    """
    from firecase.store.audit import PENDING_KEY

    pending: list[dict[str, Any]] = session.info.get(PENDING_KEY, [])
    for change in pending:
        session.execute(
            text("SELECT firecase_audit_note(:a, :e, :i, :c, :n)"),
            {
                "a": change["action"],
                "e": change["entity"],
                "i": change["entity_id"],
                "c": change["case_id"],
                "n": change["new_value"],
            },
        )
    count = len(pending)
    pending.clear()
    return count
