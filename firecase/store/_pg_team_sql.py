"""The SQL text of the team server's officer functions (``pg_team._officer_functions`` fills in
the group names and the schema)."""

from __future__ import annotations

_OFFICER_SQL = r"""
CREATE OR REPLACE FUNCTION firecase_officer_check(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    IF NOT (pg_has_role(session_user, :admin, 'MEMBER')
            OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user)) THEN
        RAISE EXCEPTION '只有管理员可以管理用户' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_login IS NOT NULL AND EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login
        AND (rolsuper OR rolcreaterole OR rolreplication OR rolbypassrls)
    ) THEN
        RAISE EXCEPTION '“%”是数据库服务器的管理账号，不能在 FireCase 中管理', p_login
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_label(p_group text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_label text := CASE p_group WHEN :admin THEN '管理员' WHEN :leader THEN '调查组组长'
        WHEN :investigator THEN '调查员' WHEN :reader THEN '只读' END;
BEGIN
    IF v_label IS NULL THEN
        RAISE EXCEPTION '角色“%”不存在', p_group USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN v_label;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_admins() RETURNS integer
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
    SELECT count(*)::integer FROM users u JOIN pg_catalog.pg_roles r ON r.rolname = u.login
    WHERE r.rolcanlogin AND pg_has_role(r.oid, :admin, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION firecase_officer_add(
    p_login text, p_name text, p_group text, p_verifier text
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    v_label text;
BEGIN
    PERFORM firecase_officer_check(p_login);
    IF p_login !~ '^[a-z][a-z0-9_.]{1,62}$' OR p_login LIKE 'pg\_%' THEN
        RAISE EXCEPTION '登录名“%”不符合要求', p_login USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_label := firecase_officer_label(p_group);
    IF p_verifier !~ :verifier_pattern THEN
        RAISE EXCEPTION '密码必须以 SCRAM-SHA-256 摘要提交'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION '服务器上已有名为“%”的账号', p_login USING ERRCODE = 'duplicate_object';
    END IF;
    IF coalesce(btrim(p_name), '') = '' THEN
        RAISE EXCEPTION '请填写姓名' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L', p_login, p_verifier);
    -- a session left idle inside a transaction must not hold the chain head's lock for long
    EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L',
        p_login, '10min');
    EXECUTE format('GRANT %I TO %I', p_group, p_login);
    INSERT INTO users (login, display_name, role, active, created_on, version)
    VALUES (p_login, btrim(p_name), v_label, true, current_date, 1)
    ON CONFLICT (login) DO UPDATE SET display_name = EXCLUDED.display_name,
        role = EXCLUDED.role, active = true, version = users.version + 1;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_set(
    p_login text, p_name text, p_group text, p_active boolean
) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    v_label text;
    g text;
BEGIN
    PERFORM firecase_officer_check(p_login);
    IF NOT EXISTS (SELECT 1 FROM users WHERE login = p_login)
       OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION '“%”不是本案卷的用户', p_login USING ERRCODE = 'no_data_found';
    END IF;
    v_label := firecase_officer_label(p_group);
    FOREACH g IN ARRAY ARRAY[:admin, :leader, :investigator, :reader] LOOP
        IF pg_has_role(p_login, g, 'MEMBER') THEN
            EXECUTE format('REVOKE %I FROM %I', g, p_login);
        END IF;
    END LOOP;
    IF p_active THEN
        EXECUTE format('GRANT %I TO %I', p_group, p_login);
        EXECUTE format('ALTER ROLE %I LOGIN', p_login);
    ELSE
        EXECUTE format('ALTER ROLE %I NOLOGIN', p_login);
    END IF;
    UPDATE users SET display_name = coalesce(nullif(btrim(p_name), ''), display_name),
        role = v_label, active = p_active, version = version + 1
    WHERE login = p_login;
    IF firecase_officer_admins() = 0 THEN
        RAISE EXCEPTION '至少要保留一名在用的管理员' USING ERRCODE = 'check_violation';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_password(p_login text, p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    IF p_login <> session_user THEN
        PERFORM firecase_officer_check(p_login);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE login = p_login) THEN
        RAISE EXCEPTION '“%”不是本案卷的用户', p_login USING ERRCODE = 'no_data_found';
    END IF;
    IF p_verifier !~ :verifier_pattern THEN
        RAISE EXCEPTION '密码必须以 SCRAM-SHA-256 摘要提交'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
END $$;

-- Sessions of this team's officers on this database, for an administrator to end one that
-- holds the data (a lock held on purpose or a transaction left open): who, since when, how
-- many sessions wait on it. Needs pg_read_all_stats (state and times of others' sessions) and
-- pg_signal_backend for the owner (``pg_team.grant_server_powers``, a superuser's).
CREATE OR REPLACE FUNCTION firecase_officer_sessions()
RETURNS TABLE (pid integer, login text, state text, since timestamptz, waiting integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    PERFORM firecase_officer_check(NULL);
    RETURN QUERY
    SELECT a.pid, a.usename::text, coalesce(a.state, ''),
        coalesce(a.xact_start, a.backend_start),
        (SELECT count(*)::integer FROM pg_catalog.pg_stat_activity w
         WHERE a.pid = ANY (pg_catalog.pg_blocking_pids(w.pid)))
    FROM pg_catalog.pg_stat_activity a
    JOIN pg_catalog.pg_roles r ON r.rolname = a.usename
    WHERE a.datname = current_database()
        AND coalesce(a.backend_type, 'client backend') = 'client backend'  -- hidden: NULL
        AND a.pid <> pg_catalog.pg_backend_pid()
        AND r.rolcanlogin AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolbypassrls)
        AND (pg_has_role(r.oid, :admin, 'MEMBER') OR pg_has_role(r.oid, :leader, 'MEMBER')
            OR pg_has_role(r.oid, :investigator, 'MEMBER')
            OR pg_has_role(r.oid, :reader, 'MEMBER'))
    ORDER BY 5 DESC, 4, 1;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_end_session(p_pid integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    PERFORM firecase_officer_check(NULL);
    IF p_pid = pg_catalog.pg_backend_pid() THEN
        RAISE EXCEPTION '不能结束您自己的这个连接' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM firecase_officer_sessions() s WHERE s.pid = p_pid) THEN
        RAISE EXCEPTION '连接 % 不是本案卷用户的连接，或已经结束', p_pid
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
        RAISE EXCEPTION '数据库服务器尚未允许本案卷结束连接：请超级用户运行 firecase upgrade'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN pg_catalog.pg_terminate_backend(p_pid);
END $$;
"""
