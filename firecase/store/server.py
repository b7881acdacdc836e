"""Case files on a PostgreSQL server: building, showing and testing the connection URL.

The 连接数据库 dialog asks for host, port, database, user and password. The password is kept
only in memory for the session: what is stored in the user's plain preferences is the URL
without it (``public_url``), and it is asked again next time. No Qt here; SQLAlchemy is
imported inside the functions that need it (the main window calls ``public_url`` and
``has_password``, which read the URL as text, before the store is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass

from firecase.errors import CaseFileError, ValidationError
from firecase.store.urltext import has_password as url_has_password, without_password

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ServerAddress:
    """Where a shared case file lives on a PostgreSQL server (never holds the password)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "firecase"
    user: str = ""

    def url(self, password: str = "") -> str:
        """The SQLAlchemy URL (with ``password`` when given) for ``open_case_file``."""
        for value, field, label in (
            (self.host, "host", "服务器地址"),
            (self.database, "database", "数据库名"),
            (self.user, "user", "数据库用户名"),
        ):
            if not value.strip():
                raise ValidationError(f"请填写{label}。", field=field)
        if not 0 < self.port < 65536:
            raise ValidationError("端口应在 1 至 65535 之间。", field="port")
        from sqlalchemy.engine import URL

        url = URL.create(
            DRIVER,
            username=self.user.strip(),
            password=password or None,
            host=self.host.strip(),
            port=self.port,
            database=self.database.strip(),
        )
        return url.render_as_string(hide_password=False)


def parse_server_url(url_text: str) -> ServerAddress:
    """The address in a stored URL (a password in it is ignored)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(url_text)
    except ArgumentError as exc:
        raise ValidationError(f"数据库地址无法识别：{url_text}", field="url") from exc
    if url.get_backend_name() != "postgresql":
        raise ValidationError("这不是 PostgreSQL 数据库地址。", field="url")
    return ServerAddress(
        host=url.host or "",
        port=url.port or DEFAULT_PORT,
        database=url.database or "",
        user=url.username or "",
    )


def public_url(url_text: str) -> str:
    """``url_text`` without its password: safe to store in plain settings or show.

    Read as text (``store.urltext``), not through SQLAlchemy: the window shows it before the
    store is loaded."""
    return without_password(url_text)


def has_password(url_text: str) -> bool:
    """Whether a URL carries a password (a server URL without one needs the dialog)."""
    return url_has_password(url_text)


def check_connection(url_text: str, *, timeout_s: int = CONNECT_TIMEOUT_S) -> str:
    """Connect once and return the server's version line; ``CaseFileError`` in Chinese if not.

    Slow (up to ``timeout_s`` seconds): call it off the GUI thread.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import ArgumentError, DBAPIError

    try:
        engine = create_engine(url_text, connect_args={"connect_timeout": timeout_s})
    except (ArgumentError, ImportError) as exc:
        raise CaseFileError(f"数据库地址无法使用：{exc}") from exc
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar()
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise CaseFileError(
            f"无法连接数据库服务器：{reason}。请检查服务器地址、端口、数据库名、用户名和密码，"
            "以及网络是否畅通。"
        ) from exc
    finally:
        engine.dispose()
    return str(version or "")
