"""Database URLs read as text, without SQLAlchemy (the window reads them before the store loads).

``URL_SHAPE`` is the shape SQLAlchemy's ``make_url`` parses (``sqlalchemy.engine.url._parse_url``),
so each part found here is the part the store's engine will use; tests compare both over
generated URLs.
"""

from __future__ import annotations

import re

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
    """Whether ``url`` carries a (non-empty) password."""
    match = URL_SHAPE.match(url) if "://" in url else None
    return bool(match and match.group("password"))


def without_password(url: str) -> str:
    """``url`` as typed, without its password (and the colon before it); a path unchanged."""
    match = URL_SHAPE.match(url) if "://" in url else None
    if match is None or match.group("password") is None:
        return url
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
            query=parsed.query,
        )
        shown = bare.render_as_string(hide_password=False)
        if make_url(shown) == bare:
            return shown
    except ValueError:  # not a URL the store could open either
        pass
    # shown by its scheme alone: no text says it without its password ("postgresql://:@@",
    # whose host is "@"), or it is no URL at all
    return match.group("name") + "://…"
