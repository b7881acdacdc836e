"""The case list's text index (``case_search_grams``) and the search that uses it.

Whatever path a search takes (the rarest two-character piece, a plain ``LIKE`` for one
character or very common pieces), it finds exactly the cases whose search text contains the
needle, in the list's order; and the index always holds exactly the pieces of every case's
search text, whatever the services did to the cases (and after an upgrade from 0007).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import create_engine, select, text

from firecase.samples.synth import synthesize
from firecase.services import cases as case_service, reading
from firecase.services.dto import CasualtyInput, IncidentInput
from firecase.services.transfer import export_case, import_case
from firecase.store import CaseFile, open_case_file
from firecase.store.filecheck import alembic_config
from firecase.store.models import Case, CaseSearchGram, search_grams

TODAY = dt.date(2026, 6, 1)
PLACES = ["天门市岳口镇", "天门市竟陵街道", "天门市渔薪镇", "武汉市汉口", "天门市岳家口"]
TITLES = ["仓库火灾", "居民自建房火灾", "厂房“5·28”火灾", "Shop fire 50%_off", "岳口镇三村火灾"]


def _open(cf: CaseFile, title: str, place: str, unit: str = "") -> int:
    return case_service.open_case(
        cf,
        IncidentInput(
            title=title,
            fire_date=dt.date(2026, 5, 2),
            place=place,
            unit_name=unit,
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("1000"),
            economic_loss_yuan=Decimal("1000"),
        ),
        CasualtyInput(as_of=dt.date(2026, 5, 2), deaths=0, serious_injuries=0),
        today=TODAY,
    ).id


def _index_is_exact(cf: CaseFile) -> None:
    with cf.connect() as conn:
        stored = {
            (g, i) for g, i in conn.execute(select(CaseSearchGram.gram, CaseSearchGram.case_id))
        }
        wanted = {
            (g, case_id)
            for case_id, search in conn.execute(select(Case.id, Case.search_text))
            for g in search_grams(search)
        }
    assert stored == wanted


def _expected(cf: CaseFile, needle: str) -> list[int]:
    """The cases containing ``needle``, in the list's order, computed in Python."""
    everything = reading.list_cases(cf, limit=1000, today=TODAY).rows
    with cf.connect() as conn:
        texts = {i: t for i, t in conn.execute(select(Case.id, Case.search_text))}
    return [r.id for r in everything if needle.lower() in texts[r.id]]


def test_grams_leave_out_pieces_across_fields() -> None:
    assert search_grams("ab\x1fcd") == {"ab", "cd"}
    assert search_grams("岳口镇") == {"岳口", "口镇"}
    assert search_grams("a") == set()


def _fix_cutoff(monkeypatch: pytest.MonkeyPatch, cutoff: int) -> None:
    """``reading.gram_cutoff`` fixed: 1 makes every search scan (but a piece in no case)."""
    monkeypatch.setattr(reading, "gram_cutoff", lambda session, *, exact, alone=False: cutoff)


@pytest.fixture
def filled(case_url: str) -> CaseFile:
    cf = open_case_file(case_url, user="测试")
    for i, (title, place) in enumerate(zip(TITLES * 4, PLACES * 4, strict=True)):
        _open(cf, f"{title}{i}", place, unit="天门市某某公司" if i % 3 else "")
    return cf


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    needle=st.one_of(
        st.sampled_from(
            [
                "岳口",
                "岳口镇",
                "口镇三",
                "天门市",
                "火灾",
                "汉口",
                "50%",
                "_o",
                "fire",
                "FIRE",
                "2026",
            ]
        ),
        st.text(alphabet="岳口镇天门市火灾仓库0123456789〔〕号%_ab", min_size=1, max_size=5),
    ),
    common=st.sampled_from([20_000, 3]),
    sparse=st.sampled_from([900, 2]),
)
def test_search_finds_exactly_the_containing_cases(
    filled: CaseFile, needle: str, common: int, sparse: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fix_cutoff(monkeypatch, common)  # 3: the LIKE fallback too
    monkeypatch.setattr(reading, "SPARSE_MATCHES", sparse)  # 2: the count-and-walk path
    expected = _expected(filled, needle)
    page = reading.list_cases(filled, text=needle, limit=1000, today=TODAY)
    assert [r.id for r in page.rows] == expected
    assert page.total == len(page.rows)
    assert reading.count_cases(filled, text=needle, today=TODAY) == page.total
    middle = reading.list_cases(filled, text=needle, offset=1, limit=2, today=TODAY)
    assert [r.id for r in middle.rows] == expected[1:3]
    assert middle.total == len(expected)


def test_a_rare_search_reads_its_cases_by_id(
    filled: CaseFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most ``SPARSE_MATCHES`` matches: read by id, still sorted and filtered with the other
    conditions; one more match takes the count-and-walk path. Both through the piece and
    scanning (cut-off 1: every piece too common)."""
    expected = _expected(filled, "汉口")
    assert len(expected) == 4
    for sparse, common in itertools.product((4, 3), (20_000, 1)):
        monkeypatch.setattr(reading, "SPARSE_MATCHES", sparse)
        _fix_cutoff(monkeypatch, common)
        page = reading.list_cases(filled, text="汉口", limit=3, today=TODAY)
        assert [r.id for r in page.rows] == expected[:3] and page.total == 4
        staged = reading.list_cases(
            filled, text="汉口", stage=page.rows[0].stage, limit=10, today=TODAY
        )
        assert [r.id for r in staged.rows] == expected
        none = reading.list_cases(filled, text="汉口", grade="重大", today=TODAY)
        assert none.rows == () and none.total == 0


def test_index_follows_every_change(filled: CaseFile, tmp_path: Path) -> None:
    cf = filled
    _index_is_exact(cf)
    first = reading.list_cases(cf, text="岳口镇三村", today=TODAY).rows[0]
    summary = reading.get_case(cf, first.id, today=TODAY).case
    case_service.update_incident(
        cf,
        first.id,
        IncidentInput(
            title="汉川市仓储中心火灾",
            fire_date=summary.fire_date,
            place="汉川市马口镇",
            fire_type="建筑火灾",
            property_loss_yuan=Decimal("1000"),
            economic_loss_yuan=Decimal("1000"),
        ),
        expected_version=summary.version,
        today=TODAY,
    )
    _index_is_exact(cf)
    assert [r.id for r in reading.list_cases(cf, text="马口", today=TODAY).rows] == [first.id]
    assert first.id not in {r.id for r in reading.list_cases(cf, text="三村", today=TODAY).rows}
    target = tmp_path / "case.fcase"
    export_case(cf, first.case_no, target)
    summary = reading.get_case(cf, first.id, today=TODAY).case
    case_service.remove_case(cf, first.id, expected_version=summary.version)
    _index_is_exact(cf)
    assert reading.list_cases(cf, text="马口", today=TODAY).total == 0
    result = import_case(cf, target)
    _index_is_exact(cf)
    assert [r.id for r in reading.list_cases(cf, text="马口", today=TODAY).rows] == [result.case_id]
    copy = import_case(cf, target, as_copy=True)
    _index_is_exact(cf)
    assert reading.list_cases(cf, text="马口", today=TODAY).total == 2
    assert copy.case_no != result.case_no
    synthesize(cf, 60, seed=2, today=TODAY, batch=25)
    _index_is_exact(cf)
    cf.close()


def test_upgrade_from_0007_fills_the_index(tmp_path: Path) -> None:
    path = tmp_path / "旧案卷.sqlite"
    with open_case_file(path, user="测试") as cf:
        for title, place in zip(TITLES, PLACES, strict=True):
            _open(cf, title, place)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg = alembic_config(conn)
        command.downgrade(cfg, "0007")
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
        assert "case_search_grams" not in tables
    engine.dispose()
    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0007"
        _index_is_exact(cf)
        hits = reading.list_cases(cf, text="岳口", today=TODAY).rows
        assert [r.id for r in hits] == _expected(cf, "岳口") and len(hits) == 2


# ---- the gram path and the scan agree, for random archives and needles -------------------

ALPHABET = "岳口镇天门仓库火灾0123%_a"


@pytest.fixture(scope="module")
def empty_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "空.sqlite"
    open_case_file(path, user="测试").close()  # built by the migrations once, copied each time
    return path


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    archive=st.lists(
        st.tuples(
            st.text(alphabet=ALPHABET, min_size=1, max_size=8),
            st.text(alphabet=ALPHABET, min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=6,
    ),
    needles=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=4), min_size=1, max_size=4),
    stage=st.sampled_from([None, "受理", "调查"]),
    sparse=st.sampled_from([900, 1]),
)
def test_the_gram_path_and_the_scan_find_the_same_rows(
    empty_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
    archive: list[tuple[str, str]],
    needles: list[str],
    stage: str | None,
    sparse: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whatever ``gram_cutoff`` says (the adaptive one, every piece usable, none), a search
    finds the same rows in the same order, with the same count, as Python does."""
    path = tmp_path_factory.mktemp("archive") / "案卷.sqlite"
    path.write_bytes(empty_file.read_bytes())
    monkeypatch.setattr(reading, "SPARSE_MATCHES", sparse)
    adaptive = reading.gram_cutoff
    with open_case_file(path, user="测试") as cf:
        for i, (title, place) in enumerate(archive):
            _open(cf, f"{title}火灾{i}", place)
        for needle in needles:
            pages = []
            for cutoff in (None, 10**9, 1):
                if cutoff is None:
                    monkeypatch.setattr(reading, "gram_cutoff", adaptive)
                else:
                    _fix_cutoff(monkeypatch, cutoff)
                page = reading.list_cases(cf, text=needle, stage=stage, limit=1000, today=TODAY)
                count = reading.count_cases(cf, text=needle, stage=stage, today=TODAY)
                pages.append(([r.id for r in page.rows], page.total, count))
            assert pages[0] == pages[1] == pages[2]
            if stage is None:
                assert pages[0][0] == _expected(cf, needle)
            assert pages[0][1] == len(pages[0][0]) == pages[0][2]
