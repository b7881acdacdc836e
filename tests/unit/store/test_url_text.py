"""Database URLs read as text before the store loads (``store.urltext``, ``store.libpq``): every
part must be the one SQLAlchemy's ``make_url`` and its psycopg dialect find in the same text,
or the early read would reach another server, database or account than the store."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings, strategies as st
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import make_url

from firecase.store.libpq import connect_params
from firecase.store.server import has_password, public_url

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
_plain = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", min_size=1, max_size=12)


@st.composite
def urls(draw: st.DrawFn) -> str:
    driver = draw(st.sampled_from(["postgresql", "postgresql+psycopg"]))
    user = draw(st.one_of(st.just(""), _text))
    password = draw(st.one_of(st.none(), _text))
    host = draw(st.one_of(st.just(""), _plain, st.just("[::1]"), st.just("127.0.0.1")))
    port = draw(st.one_of(st.just(""), st.integers(0, 65535).map(str)))
    database = draw(st.one_of(st.none(), _text))
    query = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["options", "sslmode", "application_name", "connect_timeout", "password"]
                ),
                _text,
            ),
            max_size=3,
        )
    )
    raw = draw(st.booleans())  # typed by hand: unquoted where it still parses
    q = (lambda s: s) if raw else (lambda s: quote(s, safe=""))
    out = f"{driver}://"
    if user or password is not None:
        out += q(user) + ("" if password is None else ":" + q(password)) + "@"
    out += host + (f":{port}" if port else "")
    if database is not None:
        out += "/" + q(database)
    if query:
        out += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query)
    return out


@settings(max_examples=400, deadline=None)
@given(urls())
def test_connect_params_are_what_the_psycopg_dialect_connects_with(url: str) -> None:
    try:
        parsed = make_url(url)
        _, expected = PGDialect_psycopg().create_connect_args(parsed)
    except Exception:  # SQLAlchemy refuses it: the store reports it, the early read may not run
        return
    mine = connect_params(url)
    if mine is None:  # left to the store: only for what the early read does not handle
        assert any(isinstance(v, (list, tuple)) for v in parsed.query.values()) or "," in str(
            expected.get("host", "")
        )
        return
    assert mine == {k: str(v) for k, v in expected.items()}


@settings(max_examples=400, deadline=None)
@given(urls())
def test_the_password_is_found_and_removed_as_sqlalchemy_sees_it(url: str) -> None:
    try:
        parsed = make_url(url)
    except Exception:
        return
    in_query = parsed.query.get("password")
    assert has_password(url) == bool(parsed.password or any(in_query or ()))
    shown = public_url(url)
    bare = make_url(shown)
    assert bare.password is None and "password" not in bare.query
    if shown == f"{parsed.drivername}://…":  # no text says it without its password
        return
    parts = ("drivername", "username", "host", "port", "database")
    assert [getattr(bare, n) for n in parts] == [getattr(parsed, n) for n in parts]
    assert dict(bare.query) == {k: v for k, v in parsed.query.items() if k != "password"}


def test_paths_and_other_drivers() -> None:
    assert public_url("/home/zhou/案卷.sqlite") == "/home/zhou/案卷.sqlite"
    assert not has_password("/home/zhou/案卷.sqlite")
    assert connect_params("sqlite:///x.sqlite") is None
    assert connect_params("mysql://u:p@h/db") is None
    assert connect_params("postgresql://u:p@h/db?host=a&host=b") is None
    assert connect_params("postgresql+psycopg://u:p%40ss@h:5433/数据库") == {
        "user": "u",
        "password": "p@ss",
        "host": "h",
        "port": "5433",
        "dbname": "数据库",
    }


def test_an_empty_password_before_an_unquoted_at_is_removed_too() -> None:
    """Found by the property above: ``URL.set(password=None)`` keeps the password."""
    assert public_url("postgresql://:@@") == "postgresql://…"


def test_a_password_in_the_query_is_found_and_removed() -> None:
    """Pointed out in review: ``?password=`` reaches libpq like the one before the host."""
    url = "postgresql+psycopg://zhou@10.0.0.5/firecase?sslmode=require&password=Secret-2026"
    assert has_password(url)
    assert public_url(url) == "postgresql+psycopg://zhou@10.0.0.5/firecase?sslmode=require"
    assert public_url("postgresql://h/db?pass%77ord=x") == "postgresql://h/db"
