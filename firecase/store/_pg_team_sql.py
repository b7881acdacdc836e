"""The SQL text of the team server's officer functions (``pg_team._officer_functions`` fills in
the group names and the schema)."""

from __future__ import annotations

_OFFICER_SQL = r"""
-- Whether ``p_login`` holds, itself or through any role it is a member of, a power over the
-- server (superuser, CREATEROLE, replication, BYPASSRLS) or the team's owner role (which has
-- CREATEROLE and owns every table): such a login is the database's own administrator. The
-- team's 管理员 may not manage it (a password reset would hand over the owner), end its
-- sessions or mark it as an officer.
CREATE OR REPLACE FUNCTION firecase_officer_privileged(p_login text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, CURRENT_SCHEMA_PLACEHOLDER, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_catalog.pg_roles me JOIN pg_catalog.pg_roles r
            ON pg_catalog.pg_has_role(me.oid, r.oid, 'MEMBER')
        WHERE me.rolname = p_login
            AND (r.rolsuper OR r.rolcreaterole OR r.rolreplication OR r.rolbypassrls
                OR r.rolname = :owner))
$$;

-- The team's own logins: direct members of the officers role (``TeamRoles.officers``). Those of
-- a team set up before it (migration 0025) are marked here by their group; one deactivated
-- before then is in no group and is marked by the database administrator (the refusal says how).
-- A role of that name that is not such a marker (one that may log in or is a member of any
-- role: another team's officer so named, say) is refused, never adopted.
DO $$
DECLARE
    v_login text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :officers) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN', :officers);
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = :officers
            AND (r.rolcanlogin OR r.rolsuper OR r.rolcreaterole OR r.rolreplication
                OR r.rolbypassrls OR EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                    WHERE m.member = r.oid))) THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = format(
            '服务器上已有名为“%s”的角色，但它不是本案卷的用户标记角色（它可以登录或属于其他角色），'
            || '不能使用。请数据库管理员查明它属于谁，改名或删除后再运行 firecase upgrade。',
            :officers);
    END IF;
    FOR v_login IN
        SELECT u.login FROM users u JOIN pg_catalog.pg_roles r ON r.rolname = u.login
        WHERE NOT firecase_officer_privileged(u.login)
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
    IF p_login IS NOT NULL AND firecase_officer_privileged(p_login) THEN
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
    IF p_login !~ '^[a-z][a-z0-9_.]{1,62}$' OR p_login LIKE 'pg\_%'
       OR p_login ~ '_(owner|admin|leader|investigator|reader|officers)$' THEN
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
    v_ended integer[] := ARRAY[]::integer[];
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
    IF firecase_officer_admins() = 0 THEN  -- the roles as just changed
        RAISE EXCEPTION '至少要保留一名在用的管理员' USING ERRCODE = 'check_violation';
    END IF;
    -- NOLOGIN refuses new connections only: the deactivated officer's sessions on this
    -- database are ended too (an open transaction rolled back, its locks released), so that
    -- nobody keeps working, or keeps the data locked, past the deactivation. Before the rows
    -- below are written: an open write of theirs holds the audit chain's head, which those
    -- rows need. Each ending is in the server's log first, which no rollback undoes.
    IF NOT p_active AND pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
        PERFORM pg_catalog.pg_stat_clear_snapshot();
        FOR v_pid IN SELECT a.pid FROM pg_catalog.pg_stat_activity a
            WHERE a.usename = p_login AND a.datname = current_database()
                AND a.pid <> pg_catalog.pg_backend_pid()
        LOOP
            RAISE LOG 'FireCase: % deactivates % and ends session %', session_user, p_login,
                v_pid;
            IF pg_catalog.pg_terminate_backend(v_pid, 5000) THEN
                v_ended := v_ended || v_pid;
            END IF;
        END LOOP;
    END IF;
    UPDATE users SET display_name = coalesce(nullif(btrim(p_name), ''), display_name),
        role = v_label, active = p_active, version = version + 1
    WHERE login = p_login;
    FOREACH v_pid IN ARRAY v_ended LOOP
        PERFORM firecase_audit_append('end', 'server_sessions', v_pid::text, NULL, '*', NULL,
            jsonb_build_object('login', p_login, 'reason', 'deactivated')::text);
    END LOOP;
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
    -- the statistics are read afresh, not from a snapshot taken earlier in the transaction (a
    -- session number seen then may belong to another session by now)
    PERFORM pg_catalog.pg_stat_clear_snapshot();
    RETURN QUERY
    SELECT a.pid, a.usename::text, coalesce(a.state, ''),
        coalesce(a.xact_start, a.backend_start),
        (SELECT count(*)::integer FROM pg_catalog.pg_stat_activity w
         WHERE a.pid = ANY (pg_catalog.pg_blocking_pids(w.pid)))
    FROM pg_catalog.pg_stat_activity a
    WHERE a.datname = current_database()
        AND coalesce(a.backend_type, 'client backend') = 'client backend'  -- hidden: NULL
        AND a.pid <> pg_catalog.pg_backend_pid()
        -- the server's and the database's own administrators are not the team's to end
        AND NOT firecase_officer_privileged(a.usename)
        -- the team's officers: the logins it created (a deactivated one still connected, no
        -- longer in a group, included) or in one of its groups; not a ``users`` row alone,
        -- which may name another team's officer
        AND (firecase_officer_ours(a.usename)
            OR pg_has_role(a.usename, :admin, 'MEMBER') OR pg_has_role(a.usename, :leader, 'MEMBER')
            OR pg_has_role(a.usename, :investigator, 'MEMBER')
            OR pg_has_role(a.usename, :reader, 'MEMBER'))
    ORDER BY 5 DESC, 4, 1;
END $$;

-- (the one-argument form of 0024 ended whatever session had the number by then)
DROP FUNCTION IF EXISTS firecase_officer_end_session(integer);

-- ``p_login``: whose session the administrator saw under that number. A number is reused once
-- its session ends; the session is ended only while it is still that officer's, read afresh.
-- The ending comes first and its audit row after it (a session holding the audit chain's head,
-- an open write, is the one most often to end: the row could not be written before); the
-- server's log records it before the session is signalled, which no rollback undoes.
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
    IF NOT pg_has_role(current_user, 'pg_signal_backend', 'MEMBER') THEN
        RAISE EXCEPTION '数据库服务器尚未允许本案卷结束连接：请超级用户运行 firecase upgrade'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT s.state, s.since, s.waiting INTO v_seen FROM firecase_officer_sessions() s
        WHERE s.pid = p_pid AND s.login = p_login;  -- read afresh (pg_stat_clear_snapshot)
    IF NOT FOUND THEN
        RAISE EXCEPTION '连接 % 不是用户“%”的连接，或已经结束', p_pid, p_login
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RAISE LOG 'FireCase: % ends session % of % (%, since %, % waiting)',
        session_user, p_pid, p_login, v_seen.state, v_seen.since, v_seen.waiting;
    -- waits (at most 5 s) until the session has gone, its locks with it
    IF NOT pg_catalog.pg_terminate_backend(p_pid, 5000) THEN
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
