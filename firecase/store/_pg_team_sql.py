"""The SQL text of the team server's officer functions (``pg_team._officer_functions`` fills in
the group names and the schema)."""

from __future__ import annotations

_OFFICER_SQL = r"""
-- The team's own logins: direct members of the officers role (``TeamRoles.officers``). Those of
-- a team set up before it (migration 0025) are marked here by their group; one deactivated
-- before then is in no group and is marked by the database administrator (the refusal says how).
DO $$
DECLARE
    v_login text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :officers) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', :officers);
    END IF;
    FOR v_login IN
        SELECT u.login FROM users u JOIN pg_catalog.pg_roles r ON r.rolname = u.login
        WHERE NOT (r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls)
            AND EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                WHERE m.member = r.oid AND g.rolname IN (:admin, :leader, :investigator, :reader))
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                JOIN pg_catalog.pg_roles o ON o.oid = m.roleid
                WHERE m.member = r.oid AND o.rolname = :officers)
    LOOP
        EXECUTE format('GRANT %I TO %I', :officers, v_login);
    END LOOP;
END $$;

-- Whether ``p_login`` is a login this team created (a direct member of the officers role).
CREATE OR REPLACE FUNCTION firecase_officer_ours(p_login text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles o ON o.oid = m.roleid
        JOIN pg_catalog.pg_roles r ON r.oid = m.member
        WHERE o.rolname = :officers AND r.rolname = p_login)
$$;

-- A ``users`` row that names a login this team did not create (left from before team mode):
-- the login is not this team's to grant, enable or give a password.
CREATE OR REPLACE FUNCTION firecase_officer_require_ours(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE login = p_login)
       OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
        RAISE EXCEPTION '“%”不是本案卷的用户', p_login USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT firecase_officer_ours(p_login) THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = format(
            '服务器上的账号“%s”不是由本案卷创建的，不能在这里管理（它可能属于其他案卷或'
            || '其他程序）。如确是本案卷早先停用的用户，请数据库管理员执行：GRANT %I TO %I;',
            p_login, :officers, p_login);
    END IF;
END $$;

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
    EXECUTE format('GRANT %I TO %I', :officers, p_login);
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
    v_pid integer;
BEGIN
    PERFORM firecase_officer_check(p_login);
    PERFORM firecase_officer_require_ours(p_login);
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
    -- NOLOGIN refuses new connections only: the deactivated officer's sessions on this
    -- database are ended too (an open transaction rolled back, its locks released), so that
    -- nobody keeps working, or keeps the data locked, past the deactivation
    IF NOT p_active AND pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
        FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
            WHERE a.usename = p_login AND a.datname = current_database()
                AND a.pid <> pg_catalog.pg_backend_pid()
        LOOP
            IF pg_catalog.pg_terminate_backend(v_pid) THEN
                PERFORM firecase_audit_append('end', 'server_sessions', v_pid::text,
                    NULL, '*', NULL,
                    jsonb_build_object('login', p_login, 'reason', 'deactivated')::text);
            END IF;
        END LOOP;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION firecase_officer_password(p_login text, p_verifier text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
BEGIN
    IF p_login <> session_user THEN
        PERFORM firecase_officer_check(p_login);
    END IF;
    PERFORM firecase_officer_require_ours(p_login);
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
        -- the server's own administrators and the database's owners are not the team's to end
        AND NOT (r.rolsuper OR r.rolcreaterole OR r.rolbypassrls OR r.rolreplication)
        AND NOT pg_has_role(r.oid, :owner, 'MEMBER')
        -- the team's officers: in a group, or in ``users`` (a deactivated officer still
        -- connected is no longer in a group, and is the first one to end)
        AND (EXISTS (SELECT 1 FROM users u WHERE u.login = a.usename)
            OR pg_has_role(r.oid, :admin, 'MEMBER') OR pg_has_role(r.oid, :leader, 'MEMBER')
            OR pg_has_role(r.oid, :investigator, 'MEMBER')
            OR pg_has_role(r.oid, :reader, 'MEMBER'))
    ORDER BY 5 DESC, 4, 1;
END $$;

-- (the one-argument form of 0024 ended whatever session had the number by then)
DROP FUNCTION IF EXISTS firecase_officer_end_session(integer);

-- ``p_login``: whose session the administrator saw under that number. A number is reused once
-- its session ends; the session is ended only while it is still that officer's.
CREATE OR REPLACE FUNCTION firecase_officer_end_session(p_pid integer, p_login text)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
DECLARE
    v_seen record;
BEGIN
    PERFORM firecase_officer_check(NULL);
    IF p_pid = pg_catalog.pg_backend_pid() THEN
        RAISE EXCEPTION '不能结束您自己的这个连接' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT s.state, s.since, s.waiting INTO v_seen FROM firecase_officer_sessions() s
        WHERE s.pid = p_pid AND s.login = p_login;
    IF NOT FOUND THEN
        RAISE EXCEPTION '连接 % 不是用户“%”的连接，或已经结束', p_pid, p_login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
        RAISE EXCEPTION '数据库服务器尚未允许本案卷结束连接：请超级用户运行 firecase upgrade'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_catalog.pg_terminate_backend(p_pid) THEN
        RETURN false;
    END IF;
    -- in the audit trail (action ``end``, at most 8 characters), under the administrator
    -- (session_user): whose session, and so whose open work, was undone
    PERFORM firecase_audit_append('end', 'server_sessions', p_pid::text, NULL, '*',
        NULL, jsonb_build_object('login', p_login, 'state', v_seen.state,
            'since', v_seen.since, 'waiting', v_seen.waiting, 'reason', 'ended')::text);
    RETURN true;
END $$;
"""
