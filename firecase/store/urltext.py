"""Database URLs read as text, without SQLAlchemy (the window reads them before the store loads).

``URL_SHAPE`` is the shape SQLAlchemy's ``make_url`` parses (``sqlalchemy.engine.url._parse_url``),
so each part found here is the part the store's engine will use; tests compare both over
generated URLs.
"""

from __future__ import annotations

import re

SERVER_SCHEMES = ("postgresql://", "postgresql+psycopg://")
"""The URLs of a team's server (anything else given as ``--db`` is a case file's path)."""

URL_SHAPE = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:
            (?P<username>[^:/]*)
            (?::(?P<password>[^@]*))?
        @)?
        (?:
            (?:
                \[(?P<ipv6host>[^/\?]+)\] |
                (?P<ipv4host>[^/:\?]+)
            )?
            (?::(?P<port>[^/\?]*))?
        )?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
    """,
    re.X,
)


def has_password(url: str) -> bool:
    """Whether ``url`` carries a (non-empty) password, before the host or as the query's
    ``password=`` (which the psycopg dialect hands to libpq as well)."""
    match = URL_SHAPE.match(url) if "://" in url else None
    if match is None:
        return False
    return bool(match.group("password")) or any(
        value for key, value in _query_pairs(match.group("query")) if key == "password"
    )


def _query_pairs(query: str | None) -> list[tuple[str, str]]:
    """The query's (key, value) pairs, decoded as SQLAlchemy decodes them (``parse_qsl``)."""
    from urllib.parse import parse_qsl

    return parse_qsl(query or "", keep_blank_values=True)


def _without_query_password(url: str) -> str:
    """``url`` without the ``password=`` items of its query (the rest as typed)."""
    match = URL_SHAPE.match(url)
    query = match.group("query") if match else None
    if match is None or query is None or all(k != "password" for k, _ in _query_pairs(query)):
        return url
    kept = [
        item for item in query.split("&") if all(key != "password" for key, _ in _query_pairs(item))
    ]
    head = url[: match.start("query")]
    return head + "&".join(kept) if kept else head[:-1]  # no items left: no "?" either


def without_password(url: str) -> str:
    """``url`` as typed, without its password (and the colon before it) and without a
    ``password=`` in its query; a path unchanged."""
    match = URL_SHAPE.match(url) if "://" in url else None
    if match is None:
        return url
    if match.group("password") is None:
        return _without_query_password(url)
    return _without_query_password(_without_netloc_password(url, match))


def _without_netloc_password(url: str, match: re.Match[str]) -> str:
    shown = url[: match.start("password") - 1] + url[match.end("password") :]
    again = URL_SHAPE.match(shown)
    kept = ("name", "username", "ipv6host", "ipv4host", "port", "database", "query")
    if (
        again is not None
        and again.group("password") is None
        and [again.group(n) for n in kept] == [match.group(n) for n in kept]
    ):
        return shown
    # Without its colon the text parses otherwise (an unquoted "@" further on): written out
    # again, quoted, by SQLAlchemy itself (rare, so imported only here).
    from sqlalchemy.engine import URL, make_url

    try:
        parsed = make_url(url)
        bare = URL.create(  # URL.set(password=None) keeps the password: set() skips a None
            parsed.drivername,
            username=parsed.username,
            host=parsed.host,
            port=parsed.port,
            database=parsed.database,
            query={k: v for k, v in parsed.query.items() if k != "password"},
        )
        shown = bare.render_as_string(hide_password=False)
        if make_url(shown) == bare:
            return shown
    except ValueError:  # not a URL the store could open either
        pass
    # shown by its scheme alone: no text says it without its password ("postgresql://:@@",
    # whose host is "@"), or it is no URL at all
    return match.group("name") + "://…"
