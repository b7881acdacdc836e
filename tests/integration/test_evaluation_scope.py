"""第二十二条: the evaluation is of a 较大 fire. An evaluation saved for any other case is
refused at the case's grade, in Chinese, and nothing is written; the 较大 demo case keeps its
own (``test_report_content.py`` edits it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from firecase.errors import ValidationError
from firecase.services import evaluation, reading
from firecase.services.dto import EvaluationInput, EvaluationItemInput
from firecase.store import CaseFile, models as m, open_case_file

TODAY = dt.date(2026, 6, 1)
ONE = "天消调〔2026〕第001号"  # 一般 fire
TWO = "天消调〔2025〕第001号"  # 较大 fire, evaluated


@pytest.fixture
def cf(tmp_path: Path, demo_copy: Callable[..., Path]) -> Iterator[CaseFile]:
    with open_case_file(demo_copy(tmp_path / "demo.sqlite", today=TODAY), user="测试") as opened:
        yield opened


def _count(cf: CaseFile) -> int:
    with cf.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(m.Evaluation)).scalar_one())


def test_an_evaluation_of_a_fire_that_is_not_large_is_refused_at_its_grade(cf: CaseFile) -> None:
    one = reading.get_case(cf, reading.find_case_id(cf, ONE), today=TODAY)
    assert one.case.grade == "一般"
    with cf.connect() as conn:  # as if its 批复 were in (the demo's is not yet): only the grade
        conn.execute(update(m.Case).where(m.Case.id == one.case.id).values(reply_on=TODAY))
        conn.commit()
    before = _count(cf)
    values = EvaluationInput(
        lead="天门市消防安全委员会办公室",
        members=("天门市应急管理局",),
        conduct="召开评估会议。",
        opinion="整改到位。",
    )
    with pytest.raises(ValidationError, match="较大火灾事故（第二十二条）；本案等级为一般") as info:
        evaluation.save_evaluation(cf, one.case.id, values, today=TODAY)
    assert info.value.field == "grade"
    assert _count(cf) == before
    item = EvaluationItemInput(
        kind="整改措施", subject="消防通道整治", result="已落实", checked_on=TODAY
    )
    with pytest.raises(ValidationError, match="本案等级为一般") as info:
        evaluation.add_evaluation_item(cf, one.case.id, item, today=TODAY)
    assert info.value.field == "grade"
    with cf.connect() as conn:
        items = select(func.count()).select_from(m.EvaluationItem)
        assert conn.execute(items.where(m.EvaluationItem.case_id == one.case.id)).scalar() == 0
    two = reading.get_case(cf, reading.find_case_id(cf, TWO), today=TODAY)
    assert two.case.grade == "较大" and two.evaluation is not None


def test_an_evaluation_begun_stays_to_be_finished_when_the_case_is_regraded(cf: CaseFile) -> None:
    """The review's finding: with every save refused, an evaluation begun while the case was
    较大 could never be submitted once the case was regraded (casualties revised), and the case
    stayed 评估中. Begun is finished; only a new evaluation is refused."""
    two = reading.get_case(cf, reading.find_case_id(cf, TWO), today=TODAY)
    ev = two.evaluation
    assert ev is not None and ev.submitted_on is None
    with cf.connect() as conn:
        regrade = update(m.Case).where(m.Case.id == two.case.id)
        conn.execute(regrade.values(grade="一般", jurisdiction_grade="一般"))
        conn.commit()
    as_saved = {name: getattr(ev, name) for name in EvaluationInput.__dataclass_fields__}
    values = EvaluationInput(**{**as_saved, "submitted_on": TODAY})
    saved = evaluation.save_evaluation(
        cf, two.case.id, values, expected_version=ev.version, today=TODAY
    )
    assert saved.submitted_on == TODAY
    item = EvaluationItemInput(
        kind="整改措施", subject="消防通道整治", result="已落实", checked_on=TODAY
    )
    evaluation.add_evaluation_item(cf, two.case.id, item, today=TODAY)
