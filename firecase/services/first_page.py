"""The case list's first page, read before the store is loaded (``sqlite3`` or libpq only).

Starting FireCase on a city's archive should show the case list as fast as Qt can show a
window. Loading the store (SQLAlchemy, the models, the audit chain) takes several times longer
than that, so the main window first asks ``read_first_page`` for the page it is about to show,
paints it, and opens the case file properly (lock, checks, upgrade, login) right after; the
list's own reader (``services.reading.list_cases``) then takes over with the same rows.

A search typed while the file still opens is answered the same way (``text``: the one
``LIKE`` that ``list_cases`` matches by, on a thread of the window's own while its worker loads
the store; the file's lock is taken in turn with the opening, ``store.lockfile``).

The page is exactly what ``list_cases`` returns for the unfiltered list sorted by due date:
the same SQL (a test compares it with the statement ``list_cases`` compiles) and the same
row builder (``vocab.case_row``). Whenever that cannot be guaranteed without the store, the
answer is ``None`` and the window simply waits for the store: a URL of another database, a
file that does not exist yet, a file another FireCase process holds, a file of another
revision (it will be upgraded), a shared file with users (the login comes first), cases whose
derived columns are stale (``list_cases`` recomputes them first), or any SQLite error. Nothing
is written: the file's lock is held while it is read (so no other FireCase process writes it
meanwhile) and the connection is read-only.

A team's PostgreSQL server is read the same way through libpq itself (``store.libpq``: the
store's driver stack alone takes longer to import than the whole window takes to start), in
one read-only, repeatable-read transaction, with the login the store will use: the server's
own GRANTs and policies decide what it may read, as they do for the store. The statements are
``list_cases``'s as psycopg sends them (``pg_statements``; a test compares them).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

from firecase.errors import CaseFileError
from firecase.services.vocab import CASE_ROW_COLUMNS, CasePage, case_row
from firecase.store.filecheck import head_revision, sqlite_readonly_connect
from firecase.store.lockfile import FileLock, lock_path
from firecase.store.urltext import SERVER_SCHEMES

log = logging.getLogger(__name__)

PAGE_SQL = (
    "SELECT "
    + ", ".join(f"cases.{name}" for name in CASE_ROW_COLUMNS)
    + " \nFROM cases ORDER BY cases.next_due_on IS NULL, cases.next_due_on, cases.id\n"
    " LIMIT ? OFFSET ?"
)
"""The unfiltered list sorted by due date (``CaseSort.NEXT_DUE``), as ``list_cases`` runs it."""

COUNT_SQL = "SELECT count(cases.id) AS count_1 \nFROM cases"
"""The unfiltered count, as ``list_cases`` runs it."""

SEARCH_WHERE = " WHERE cases.search_text LIKE ? ESCAPE '\\'"
"""A text search, as ``list_cases`` matches it (``reading._text_match``): the lower-cased
needle anywhere in the lower-cased case number, title, place and unit. (``list_cases`` may
narrow the candidates by a two-character piece first; the rows are the same.)"""

MAX_NEEDLE = 100  # ``list_cases`` refuses a longer search text (with a message): not answered here


def _needle(text: str) -> str | None:
    """The ``LIKE`` pattern of a search text, or None when ``list_cases`` would refuse it."""
    from firecase.store.textcheck import bad_character

    cleaned = text.strip()
    if len(cleaned) > MAX_NEEDLE or bad_character(text):
        return None
    escaped = cleaned.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def read_first_page(
    location: str,
    *,
    limit: int,
    today: dt.date,
    text: str = "",
    wait: float = 0.0,
    user: str | None = None,
) -> CasePage | None:
    """The first ``limit`` rows of the due-date-sorted list, unfiltered or searched for
    ``text`` (a search typed while the file is still opening), or None (see above).

    ``user``: who the window will act as (``--user``). On a team's server a name other than
    the login gets no early page: the store refuses it (nobody acts as another officer), and
    the page must not flash up before that refusal.

    The file's lock is taken without waiting (``wait``: in this process, at most that long):
    the window's opening of the file, when it comes first, keeps it, and the list then waits
    for the store."""
    pattern = _needle(text) if text.strip() else ""
    if pattern is None:
        return None
    if location.startswith(SERVER_SCHEMES):
        try:
            return _read_server(location, limit=limit, today=today, pattern=pattern, user=user)
        except (ValueError, TypeError, IndexError) as exc:
            log.info("first page not read early from the server: %s", exc)
            return None
    if "://" in location:
        return None
    path = Path(location).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
    except OSError:
        return None
    lock = FileLock(lock_path(path))
    try:
        lock.acquire(wait=wait)  # held while reading: no FireCase process writes meanwhile
    except (CaseFileError, OSError):
        return None  # another FireCase process has the file open
    try:
        return _read(path, limit=limit, today=today, pattern=pattern)
    except (OSError, sqlite3.Error, ValueError, TypeError) as exc:
        log.info("first page not read early from %s: %s", path, exc)
        return None
    finally:
        lock.release()


class PagePrefetch:
    """``read_first_page`` of the unfiltered list, begun on a thread of its own as the program
    starts: a server's round trips wait on the network while the window's modules are imported
    and its widgets built, and the window asks ``result`` for the page instead of reading it
    then (``ui.app.prefetch_first_page`` begins one for a server only)."""

    def __init__(
        self, location: str, *, limit: int, today: dt.date, user: str | None = None
    ) -> None:
        self._key = (location, limit, today, user)
        self._done = threading.Event()
        self._page: CasePage | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, name="firecase-first-page", daemon=True).start()

    def _run(self) -> None:
        location, limit, today, user = self._key
        try:
            self._page = read_first_page(location, limit=limit, today=today, user=user)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc
        finally:
            self._done.set()

    def result(
        self, location: str, *, limit: int, today: dt.date, user: str | None = None
    ) -> CasePage | None:
        """The page ``read_first_page`` answers for these arguments: the one read ahead when
        it was asked for the same (waiting for it), else read now."""
        if (location, limit, today, user) != self._key:
            return read_first_page(location, limit=limit, today=today, user=user)
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._page


def _read(path: Path, *, limit: int, today: dt.date, pattern: str = "") -> CasePage | None:
    # quiescent: nobody writes (the lock is ours), so without a -wal file SQLite reads the file
    # as immutable and leaves no -wal/-shm files behind
    conn = sqlite_readonly_connect(path, quiescent=True)
    try:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if [r[0] for r in found] != [head_revision()]:
            return None
        if conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
            return None  # a shared file: who acts is asked first
        if conn.execute("SELECT 1 FROM cases WHERE clocks_stale = 1 LIMIT 1").fetchone():
            return None  # list_cases recomputes these first
        if pattern:
            count_sql = COUNT_SQL + SEARCH_WHERE
            page_sql = PAGE_SQL.replace(" \nFROM cases ", " \nFROM cases" + SEARCH_WHERE + " ", 1)
            total = int(conn.execute(count_sql, (pattern,)).fetchone()[0])
            rows = conn.execute(page_sql, (pattern, limit, 0)).fetchall()
        else:
            total = int(conn.execute(COUNT_SQL).fetchone()[0])
            rows = conn.execute(PAGE_SQL, (limit, 0)).fetchall()
    finally:
        conn.close()
    return CasePage(
        rows=tuple(case_row(r, today) for r in rows), total=total, offset=0, limit=limit
    )


# -- a team's server (PostgreSQL, through libpq itself: ``store.libpq``) ----------------------

PG_CONNECT_TIMEOUT_S = 2
"""Seconds the early read waits for the server (libpq's least): an unreachable server is then
reported by the store's own connection, with its message, instead of after a double wait."""

_PG_OWNER_SQL = (
    "SELECT current_database(), current_schema(), (SELECT r.rolname FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_roles r "
    "ON r.oid = c.relowner WHERE c.relname = 'cases' AND n.nspname = current_schema())"
)
"""The database, the schema and the owner of its ``cases`` table (``store.pg_team.find_team``)."""

_CHECK_SQL = (
    "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version), session_user, "
    "EXISTS (SELECT 1 FROM cases WHERE clocks_stale)"
)
_PG_CHECKS_SQL = {
    # a team's officers need not read ``users``: who acts is the login
    True: _CHECK_SQL + ", NULL",
    False: _CHECK_SQL + ", EXISTS (SELECT 1 FROM users)",
}
"""In one statement: the schema's revision (the store upgrades an older one first), the login,
whether a case's clocks wait to be recomputed, and (one shared account) whether the case file
has users."""


def _numbered(sql: str, casts: tuple[str, ...]) -> str:
    """``sql`` with its ``?`` placeholders as PostgreSQL's ``$1``…, each with its cast (the
    statement psycopg sends for ``list_cases``: a test compares them)."""
    pieces = sql.split("?")
    assert len(pieces) == len(casts) + 1
    out = pieces[0]
    for n, (cast, rest) in enumerate(zip(casts, pieces[1:], strict=True), start=1):
        out += f"${n}::{cast}{rest}"
    return out


def pg_statements(searched: bool) -> tuple[str, str]:
    """The count and page statements on PostgreSQL (``$1``…: the pattern, the limit, the offset)."""
    if not searched:
        return COUNT_SQL, _numbered(PAGE_SQL, ("INTEGER", "INTEGER"))
    page = PAGE_SQL.replace(" \nFROM cases ", " \nFROM cases" + SEARCH_WHERE + " ", 1)
    return (
        _numbered(COUNT_SQL + SEARCH_WHERE, ("VARCHAR",)),
        _numbered(page, ("VARCHAR", "INTEGER", "INTEGER")),
    )


def _pg_bool(value: str | None) -> bool | None:
    return None if value is None else value == "t"


_PG_BOOLEANS = tuple(
    n for n, name in enumerate(CASE_ROW_COLUMNS) if name in ("included", "next_due_provisional")
)


def _pg_values(values: tuple[str | None, ...]) -> tuple[object, ...]:
    """A row as ``case_row`` takes it: libpq gives text, booleans as ``t``/``f``."""
    out: list[object] = list(values)
    for n in _PG_BOOLEANS:
        out[n] = _pg_bool(values[n])
    return tuple(out)


PG_STATEMENT_TIMEOUT_MS = 3000
"""The longest one statement of the early read may take (then the window waits for the store)."""


def _read_server(
    url: str, *, limit: int, today: dt.date, pattern: str, user: str | None = None
) -> CasePage | None:
    from firecase.store import libpq
    from firecase.store.team_names import owner_role, role_prefix

    params = libpq.connect_params(url)
    if params is None:
        return None
    try:
        with libpq.Connection.open(params, timeout_s=PG_CONNECT_TIMEOUT_S) as conn:
            # four round trips. One snapshot for every statement, nothing can be written
            # through it, and a table locked by an upgrade elsewhere must not hold the window's
            # opening; the transaction ends with the connection.
            database, schema, owner = conn.script(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
                f"SET LOCAL statement_timeout = {PG_STATEMENT_TIMEOUT_MS}; {_PG_OWNER_SQL}"
            )[0]
            if schema is None or database is None or owner is None:
                return None  # no schema to read, or no case tables there yet
            team = owner == owner_role(role_prefix(database, schema))
            version, login, stale, users = conn.rows(_PG_CHECKS_SQL[team])[0]
            if version != head_revision():
                return None  # the store upgrades first
            if team and user and login != user:
                return None  # another name than the login: the store refuses it first
            if not team and users == "t":
                return None  # one shared account with users: who acts is asked first
            if stale == "t":
                return None  # list_cases recomputes these first
            count_sql, page_sql = pg_statements(bool(pattern))
            head = [pattern] if pattern else []
            total = int(conn.rows(count_sql, head)[0][0] or 0)
            rows = conn.rows(page_sql, [*head, str(limit), "0"])
    except libpq.ServerReadError as exc:
        log.info("first page not read early from the server: %s", exc)
        return None
    return CasePage(
        rows=tuple(case_row(_pg_values(r), today) for r in rows),
        total=total,
        offset=0,
        limit=limit,
    )
