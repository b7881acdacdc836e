"""The demo cases in a test's case file, written once and copied.

Writing the demo runs about 175 service calls (1.5–2.5 s); 49 tests and fixtures wrote it
anew, a fifth of the suite's time. ``demo_into(location, today=..., user=...)`` gives
``location`` the same content as ``write_demo`` run there by ``user`` on ``today`` would (the
same rows and ids; the audit rows' times, and so their hashes, are those of the template's
writing, shared by every copy of the session; a test of the writer itself still calls
``write_demo``):

* a SQLite path gets a copy (SQLite's backup API) of a template written once per test session
  and (today, user), shared by the session's processes (pytest-xdist workers) under a lock;
* a PostgreSQL database URL (``case_url``'s database of its own) is dropped and created again
  from a template database written once per test process and (today, user)
  (``CREATE DATABASE … TEMPLATE``: ~40 ms). A template is one process's: PostgreSQL refuses to
  copy a database while another session copies or uses it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from tests._pg_schema import PG_URL, database_url

_SESSION: list[Path] = []
"""The folder of this test session's SQLite templates (``use_session_folder``)."""

_PG_TEMPLATES: dict[tuple[dt.date, str], tuple[str, tuple[int, ...]]] = {}


def use_session_folder(folder: Path) -> None:
    """Keep the SQLite templates in ``folder``: the same for every process of the session
    (tests/conftest.py gives the parent of pytest-xdist's per-worker base folders)."""
    _SESSION[:] = [folder]


def _session_folder() -> Path:
    folder = (_SESSION or [Path(tempfile.gettempdir()) / f"firecase-demo-{os.getpid()}"])[0]
    folder = folder / "demo-templates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write(location: str, today: dt.date, user: str) -> tuple[int, ...]:
    from firecase.samples.demo import write_demo
    from firecase.store import open_case_file

    with open_case_file(location, user=user) as cf:
        return write_demo(cf, today=today)


def _sqlite_template(today: dt.date, user: str) -> tuple[Path, tuple[int, ...]]:
    folder = _session_folder()
    stem = f"demo-{today.isoformat()}-{uuid.uuid5(uuid.NAMESPACE_URL, user).hex[:12]}"
    template, ids_file = folder / f"{stem}.sqlite", folder / f"{stem}.json"
    with _locked(folder / f"{stem}.lock"):
        if not ids_file.exists():
            # names of this attempt alone: a writer killed before it finished leaves its
            # files, which a later process (maybe with the same pid) must not write into
            attempt = uuid.uuid4().hex[:12]
            partial = folder / f"{stem}.{attempt}.part.sqlite"
            ids = _write(str(partial), today, user)
            whole = folder / f"{stem}.{attempt}.whole.sqlite"
            copy_case_file(partial, whole)  # the -wal's pages too, into one file
            for leftover in ("", "-wal", "-shm", ".lock"):
                Path(str(partial) + leftover).unlink(missing_ok=True)
            os.replace(whole, template)
            ids_part = folder / f"{stem}.{attempt}.json.part"
            ids_part.write_text(json.dumps(list(ids)), encoding="utf-8")
            os.replace(ids_part, ids_file)  # whole or absent: the template's mark of done
    return template, tuple(json.loads(ids_file.read_text(encoding="utf-8")))


def copy_case_file(source: Path | str, target: Path | str) -> Path:
    """A closed, single-file copy of the SQLite case file ``source`` (its -wal's pages
    included, none left beside the copy) at ``target``."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    return Path(target)


@contextmanager
def _admin_connection() -> Iterator[Connection]:
    """A connection to the test server outside any transaction (CREATE/DROP DATABASE)."""
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def _admin(statements: list[str]) -> None:
    with _admin_connection() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _pg_template(today: dt.date, user: str) -> tuple[str, tuple[int, ...]]:
    key = (today, user)
    if key not in _PG_TEMPLATES:
        name = f"fc_demo_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}_"
        name += uuid.uuid4().hex[:8]
        _admin([f'CREATE DATABASE "{name}" TEMPLATE "template0"'])
        try:
            ids = _write(database_url(name), today, user)
        except BaseException:
            _admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
            raise
        _PG_TEMPLATES[key] = (name, ids)
    return _PG_TEMPLATES[key]


def drop_stale_pg_templates() -> None:
    """Drop the template databases of test processes that are gone (killed before their
    session's end dropped them): ``fc_demo_<worker>_<pid>_…`` and ``pg_template``'s
    ``fc_tmpl_<worker>_<pid>``. A name whose process still runs is left alone."""
    with _admin_connection() as conn:
        names = conn.execute(
            text(
                "SELECT datname FROM pg_database WHERE datname LIKE 'fc\\_demo\\_%' "
                "OR datname LIKE 'fc\\_tmpl\\_%'"
            )
        ).scalars()
        for name in list(names):
            parts = name.split("_")
            pid = int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else None
            if pid is not None and not _alive(pid):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process
        return True
    return True


def drop_pg_templates() -> None:
    """Drop this process's template databases (at the end of its session)."""
    while _PG_TEMPLATES:
        _key, (name, _ids) = _PG_TEMPLATES.popitem()
        _admin([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])


def demo_into(
    location: str | Path, *, today: dt.date | None = None, user: str = "测试"
) -> tuple[int, ...]:
    """Give the new case file at ``location`` the demo cases as ``user`` wrote them on
    ``today`` (default: the real today, as ``write_demo``); return their ids.

    ``location`` is a path where no case file is yet, or a ``case_url`` PostgreSQL URL (its
    database is replaced: nothing may be connected to it)."""
    today = today or dt.date.today()
    where = str(location)
    if "://" not in where:
        target = Path(where)
        if target.exists() and target.stat().st_size > 0:
            raise FileExistsError(f"{target}: demo_into makes a new case file")
        template, ids = _sqlite_template(today, user)
        copy_case_file(template, target)
        return ids
    url = make_url(where)
    if not url.get_backend_name().startswith("postgresql") or "options" in url.query:
        raise ValueError(f"demo_into takes a path or a database URL of its own, not {where}")
    name, ids = _pg_template(today, user)
    _admin(
        [
            f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)',
            f'CREATE DATABASE "{url.database}" TEMPLATE "{name}"',
        ]
    )
    return ids
