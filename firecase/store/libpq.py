"""A read of a few rows from PostgreSQL through libpq itself (``ctypes``), before the store loads.

Starting FireCase on a team's server should show the case list about as fast as on a local
file. The store's own driver stack (SQLAlchemy, psycopg) takes 0.4–0.5 s to import, several
times the whole start of the window; libpq, the PostgreSQL client library psycopg itself
drives, answers a query in a few milliseconds once loaded. ``services.first_page`` reads the
list's first page through this module and the store takes over right after.

Only what that read needs: connect with keyword parameters (the ones the store's driver gets
from the same URL, ``connect_params``), run a statement with text parameters, get text values,
close. Any failure is ``ServerReadError`` (the caller then waits for the store, which reports
the problem properly); ``load`` is None where no libpq can be found.
"""

from __future__ import annotations

import ctypes
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from firecase.store.urltext import URL_SHAPE

CONNECTION_OK = 0
PGRES_COMMAND_OK = 1
PGRES_TUPLES_OK = 2
PG_DIAG_SQLSTATE = ord("C")

DRIVERS = ("postgresql", "postgresql+psycopg")


class ServerReadError(Exception):
    """The early read failed (no connection, an SQL error); ``sqlstate`` when the server said."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def connect_params(url: str) -> dict[str, str] | None:
    """The libpq keyword parameters the store's driver connects with for ``url``, or None when
    this is not a plain ``postgresql[+psycopg]://`` URL (a query key given twice, several
    hosts, another driver): the early read then leaves it to the store."""
    match = URL_SHAPE.match(url)
    if match is None or match.group("name") not in DRIVERS:
        return None
    params: dict[str, str] = {}
    for key, group in (("user", "username"), ("password", "password"), ("dbname", "database")):
        value = match.group(group)
        if value:
            params[key] = unquote(value)
    host = match.group("ipv4host") or match.group("ipv6host")
    if host:
        params["host"] = host
    port = match.group("port")
    if port:
        if not port.isdigit():
            return None
        if int(port):  # SQLAlchemy leaves port 0 out, as it does every empty part
            params["port"] = str(int(port))
    query = match.group("query")
    if query is not None:
        pairs = parse_qsl(query)
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys) or ("host" in keys and "," in dict(pairs)["host"]):
            return None  # lists and several hosts: SQLAlchemy's multi-host handling
        params.update(pairs)
    if "," in params.get("host", ""):
        return None
    return params


def _candidates() -> list[str]:
    """Where libpq may be: the copy psycopg's binary wheel carries first, then the system's."""
    found: list[str] = []
    try:
        spec = importlib.util.find_spec("psycopg_binary")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        package = Path(spec.origin).parent
        for folder in (package.parent / "psycopg_binary.libs", package / ".dylibs", package):
            try:
                found += sorted(str(p) for p in folder.glob("libpq*") if p.is_file())
            except OSError:
                continue
    if sys.platform == "win32":
        found.append("libpq.dll")
    elif sys.platform == "darwin":
        found.append("libpq.5.dylib")
    else:
        found.append("libpq.so.5")
    return found


_LIB: list[Any] = []


def load() -> Any | None:
    """libpq with the prototypes this module calls, or None when none can be loaded."""
    if _LIB:
        return _LIB[0]
    for name in _candidates():
        try:
            lib = ctypes.CDLL(name)
            _declare(lib)
        except (OSError, AttributeError):
            continue
        _LIB.append(lib)
        return lib
    _LIB.append(None)
    return None


def _declare(lib: Any) -> None:
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    strings = ctypes.POINTER(cp)
    for name, args, result in (
        ("PQconnectdbParams", [strings, strings, i], vp),
        ("PQstatus", [vp], i),
        ("PQerrorMessage", [vp], cp),
        ("PQfinish", [vp], None),
        ("PQexecParams", [vp, cp, i, vp, strings, vp, vp, i], vp),
        ("PQexec", [vp, cp], vp),
        ("PQresultStatus", [vp], i),
        ("PQresultErrorMessage", [vp], cp),
        ("PQresultErrorField", [vp, i], cp),
        ("PQntuples", [vp], i),
        ("PQnfields", [vp], i),
        ("PQgetvalue", [vp, i, i], cp),
        ("PQgetisnull", [vp, i, i], i),
        ("PQclear", [vp], None),
    ):
        fn = getattr(lib, name)
        fn.argtypes = args
        fn.restype = result


def _strings(values: Sequence[str | None]) -> Any:
    array = (ctypes.c_char_p * (len(values) + 1))()
    for n, value in enumerate(values):
        array[n] = None if value is None else value.encode("utf-8")
    array[len(values)] = None
    return array


class Connection:
    """One libpq connection (text results, UTF-8). Use as a context manager."""

    def __init__(self, lib: Any, handle: int) -> None:
        self._lib = lib
        self._handle: int | None = handle

    @classmethod
    def open(cls, params: Mapping[str, str], *, timeout_s: int) -> Connection:
        """Connect with ``params`` (``connect_params``); ``timeout_s`` unless they give one."""
        lib = load()
        if lib is None:
            raise ServerReadError("libpq not found")
        given = {"connect_timeout": str(timeout_s), **params, "client_encoding": "UTF8"}
        keys, values = list(given), list(given.values())
        handle = lib.PQconnectdbParams(_strings(keys), _strings(values), 0)
        if not handle:
            raise ServerReadError("out of memory")
        if lib.PQstatus(handle) != CONNECTION_OK:
            message = (lib.PQerrorMessage(handle) or b"").decode("utf-8", "replace")
            lib.PQfinish(handle)
            raise ServerReadError(message.strip() or "connection failed")
        return cls(lib, handle)

    def rows(self, sql: str, params: Sequence[str | None] = ()) -> list[tuple[str | None, ...]]:
        """Run ``sql`` (``$1``… for ``params``, sent as text); its rows as text (None: NULL)."""
        if self._handle is None:
            raise ServerReadError("connection closed")
        res = self._lib.PQexecParams(
            self._handle, sql.encode("utf-8"), len(params), None, _strings(params), None, None, 0
        )
        return self._rows_of(res)

    def script(self, sql: str) -> list[tuple[str | None, ...]]:
        """Run several statements without parameters in one round trip (``;`` between them);
        the rows of the last (the first that fails raises, and the rest is not run)."""
        if self._handle is None:
            raise ServerReadError("connection closed")
        return self._rows_of(self._lib.PQexec(self._handle, sql.encode("utf-8")))

    def _rows_of(self, res: Any) -> list[tuple[str | None, ...]]:
        lib = self._lib
        if not res:
            raise ServerReadError((lib.PQerrorMessage(self._handle) or b"").decode("utf-8"))
        try:
            status = lib.PQresultStatus(res)
            if status not in (PGRES_COMMAND_OK, PGRES_TUPLES_OK):
                message = (lib.PQresultErrorMessage(res) or b"").decode("utf-8", "replace")
                state = lib.PQresultErrorField(res, PG_DIAG_SQLSTATE)
                raise ServerReadError(message.strip(), state.decode() if state else None)
            out: list[tuple[str | None, ...]] = []
            for r in range(lib.PQntuples(res)):
                out.append(
                    tuple(
                        None
                        if lib.PQgetisnull(res, r, c)
                        else (lib.PQgetvalue(res, r, c) or b"").decode("utf-8")
                        for c in range(lib.PQnfields(res))
                    )
                )
            return out
        finally:
            lib.PQclear(res)

    def close(self) -> None:
        if self._handle is not None:
            self._lib.PQfinish(self._handle)
            self._handle = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
