"""The receiving office's defects in the printed reports (第十八条, 第二十三条), each checked on
the built document's blocks: recommendations in full, section 六 without contradiction, the
team in the 落款 and header, the officer's title breaks, prose amounts and times, the measure
cited in full once, and the evaluation report's unit, deadline, groups and unchecked items."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from firecase.reports import document as d
from firecase.reports.data import (
    EvaluationItem,
    EvaluationItemKind,
    EvidenceItem,
    ImplementationResult,
    Recommendation,
    ResponsibilityArea,
)
from firecase.reports.evaluation import deadline_text, evaluation_document
from firecase.reports.investigation import (
    build_investigation_pdf,
    investigation_document,
    recommendation_paragraph,
)
from firecase.reports.wording import MEASURE, cite_once, cn_time, prose_area, prose_yuan
from firecase.services.vocab import EVIDENCE_KINDS

from .samples import GENERATED_AT, evaluation_sample, investigation_sample


def _texts(doc: d.Document) -> list[str]:
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, (d.Paragraph, d.Heading, d.Title)):
            out.append(b.text)
        elif isinstance(b, d.Table):
            out += [c for row in b.rows for c in row]
        elif isinstance(b, d.KeyValueTable):
            out += [v for _k, v in b.pairs]
    return out


def _section(doc: d.Document, start: str, end: str) -> list[d.Block]:
    blocks = list(doc.blocks)
    i = next(n for n, b in enumerate(blocks) if isinstance(b, d.Heading) and b.text == start)
    j = next(n for n, b in enumerate(blocks) if isinstance(b, d.Heading) and b.text == end)
    return blocks[i + 1 : j]


SIX = "六、火灾事故责任的认定以及对事故责任者的处理建议"
SEVEN = "七、事故防范和整改措施"


def test_every_recommendation_is_printed_in_full_as_a_numbered_paragraph() -> None:
    data = investigation_sample()
    doc = investigation_document(data, generated_at=GENERATED_AT)
    six = _section(doc, SIX, SEVEN)
    assert not any(isinstance(b, d.Table) for b in six)  # no squeezed cells
    paras = [b.text for b in six if isinstance(b, d.Paragraph)]
    for n, r in enumerate(data.recommendations, start=1):
        line = next(p for p in paras if p.startswith(f"{n}. {r.subject}（"))
        assert r.kind in line and r.area.value in line and r.authority in line
        assert r.basis.removesuffix("。") in line
        if r.text:
            assert r.text.strip().removesuffix("。") in line


def test_recommendation_paragraph_reads_like_a_published_report() -> None:
    r = Recommendation(
        "何某某",
        ResponsibilityArea.GOVERNMENT_AND_DEPARTMENTS,
        "党纪政务处分",
        "《中华人民共和国公职人员政务处分法》第三十九条",
        "天门市纪委监委",
        "建议给予政务记过处分",
    )
    assert recommendation_paragraph(1, r) == (
        "1. 何某某（党纪政务处分，政府、部门相关责任，本办法第十六条第四项）：建议给予政务记过"
        "处分。依据：《中华人民共和国公职人员政务处分法》第三十九条。由天门市纪委监委依法处理。"
    )
    bare = replace(r, text="")
    assert "：建议予以党纪政务处分。" in recommendation_paragraph(2, bare)


def test_free_text_without_records_stands_alone_no_none() -> None:
    data = replace(investigation_sample(), recommendations=(), findings=())
    assert data.sections.responsibility.strip()
    six = _section(investigation_document(data, generated_at=GENERATED_AT), SIX, SEVEN)
    texts = [b.text for b in six if isinstance(b, (d.Paragraph, d.Heading))]
    assert "无。" not in texts
    assert not any("处理建议" in t for t in texts if t.startswith("（"))
    assert not any("未认定本方面" in t for t in texts)


def test_no_text_and_no_records_says_none_once() -> None:
    data = investigation_sample()
    data = replace(
        data,
        recommendations=(),
        findings=(),
        sections=replace(data.sections, responsibility=""),
    )
    six = _section(investigation_document(data, generated_at=GENERATED_AT), SIX, SEVEN)
    texts = [b.text for b in six if isinstance(b, (d.Paragraph, d.Heading))]
    assert texts.count("无。") == 1
    assert "（二）对事故责任者的处理建议" in texts


def test_findings_absent_but_recommendations_present_are_numbered_first() -> None:
    data = replace(investigation_sample(), findings=())
    six = _section(investigation_document(data, generated_at=GENERATED_AT), SIX, SEVEN)
    heads = [b.text for b in six if isinstance(b, d.Heading)]
    assert heads == ["（一）对事故责任者的处理建议"]


def test_closing_and_header_name_the_team_and_the_title_keeps_breaks() -> None:
    team = "天门市“4·12”较大火灾事故调查组"
    data = replace(
        investigation_sample(), organisation=team, title="某某公司“4·12”\n较大火灾事故调查报告"
    )
    doc = investigation_document(data, generated_at=GENERATED_AT)
    assert doc.organisation == team
    closing = [b for b in doc.blocks if isinstance(b, d.Closing)]
    assert closing and closing[0].organisation == team
    title = next(b for b in doc.blocks if isinstance(b, d.Title))
    assert title.text == "某某公司“4·12”\n较大火灾事故调查报告"
    assert doc.title == "某某公司“4·12”较大火灾事故调查报告"


def test_opening_and_composition_open_the_report() -> None:
    data = replace(
        investigation_sample(),
        opening=f"2026年4月12日2时31分，某厂发生火灾。依据{MEASURE}第四条成立调查组。",
        composition="调查组由某某任组长（本办法第八条）。",
    )
    doc = investigation_document(data, generated_at=GENERATED_AT)
    blocks = list(doc.blocks)
    assert isinstance(blocks[1], d.Paragraph) and blocks[1].text.startswith("2026年4月12日2时31分")
    assert isinstance(blocks[2], d.Paragraph) and blocks[2].text.startswith("调查组由")


def test_facts_table_prints_area_nature_and_time_without_leading_zeros() -> None:
    data = investigation_sample()
    fire = replace(
        data.fire,
        fire_time=time(2, 31),
        burned_area_m2=Decimal("320.00"),
        nature="一起生产安全责任事故",
    )
    doc = investigation_document(replace(data, fire=fire), generated_at=GENERATED_AT)
    pairs = dict(next(b for b in doc.blocks if isinstance(b, d.KeyValueTable)).pairs)
    assert pairs["过火面积"] == "320平方米"
    assert pairs["事故性质"] == "一起生产安全责任事故"
    assert pairs["起火时间"].endswith("2时31分") and "02时" not in pairs["起火时间"]
    assert pairs["直接经济损失"].endswith("元") and "," in pairs["直接经济损失"]  # tables: exact 元


def test_the_measure_is_named_in_full_once_then_this_measure() -> None:
    doc = investigation_document(investigation_sample(), generated_at=GENERATED_AT)
    joined = "".join(_texts(doc))
    assert joined.count(MEASURE) == 1
    assert "本办法第十六条" in joined
    assert cite_once(["甲", "依据本办法第四条", f"{MEASURE}第六条"]) == [
        "甲",
        f"依据{MEASURE}第四条",
        "本办法第六条",
    ]


def test_prose_amounts_and_times() -> None:
    assert prose_yuan(Decimal("21388650.75")) == "2138.87万元"
    assert prose_yuan(Decimal("512760.50")) == "51.28万元"
    assert prose_yuan(Decimal("5000.00")) == "5000元"
    assert cn_time(time(2, 31)) == "2时31分"
    assert cn_time(time(14, 0)) == "14时整"
    assert prose_area(Decimal("320.50")) == "320.5"


# ------------------------------------------------------------------------- evaluation report


def test_deadline_cell_shows_the_rectification_order_and_the_lapsed_one() -> None:
    item = EvaluationItem(
        EvaluationItemKind.MEASURE,
        "天门经济开发区管委会",
        "建成园区智慧消防监测平台",
        ImplementationResult.PARTLY,
        deadline=date(2026, 4, 30),
        original_deadline=date(2025, 12, 31),
    )
    assert deadline_text(item) == "2026年4月30日\n（原定2025年12月31日）"
    lapsed = replace(item, deadline=None)
    assert deadline_text(lapsed) == "未重新限期（原定2025年12月31日，已逾期）"


def test_unchecked_recommendations_are_named_and_nothing_claims_all_done() -> None:
    data = replace(
        evaluation_sample(),
        unchecked_units=("天门经济开发区安全生产监督管理局：问责（天门经济开发区党工委）",),
    )
    doc = evaluation_document(data, generated_at=GENERATED_AT)
    three = _section(doc, "三、责任单位的责任追究落实情况", "四、火灾事故防范和整改措施的落实情况")
    assert any(
        isinstance(b, d.Paragraph) and "安全生产监督管理局：问责" in b.text and "尚未评估" in b.text
        for b in three
    )
    five = list(doc.blocks)[
        next(
            n
            for n, b in enumerate(doc.blocks)
            if getattr(b, "text", "") == "五、评估意见及措施建议"
        ) :
    ]
    conclusion = [b.text for b in five if isinstance(b, d.Paragraph) and b.where == "评估结论"]
    assert (
        conclusion and "尚未全部落实" in conclusion[0] and "1项处理建议未纳入评估" in conclusion[0]
    )


def test_all_done_and_all_checked_says_so() -> None:
    data = evaluation_sample()
    done = tuple(replace(i, result=ImplementationResult.DONE) for i in data.items)
    doc = evaluation_document(replace(data, items=done), generated_at=GENERATED_AT)
    conclusion = [
        b.text for b in doc.blocks if isinstance(b, d.Paragraph) and b.where == "评估结论"
    ]
    assert conclusion == ["评估组认为，事故责任追究和整改措施已全部落实。"]


def test_opening_does_not_repeat_the_address() -> None:
    from firecase.services._report_text import _after_location

    assert _after_location("天门市竟陵街道东湖社区东湖路118号", "东湖路118号居民自建房") == (
        "居民自建房"
    )
    assert (
        _after_location("天门经济开发区杭州路6号", "天门华纺纺织有限公司") == "天门华纺纺织有限公司"
    )
    assert _after_location("东湖路118号", "东湖路118号") == "东湖路118号"  # nothing left: kept


def test_evidence_list_keeps_numbers_kinds_dates_and_digests_on_one_line(tmp_path: Path) -> None:
    """The receiving office's finding: 编号 ``WZ-001`` printed as ``WZ-00`` / ``1`` (and
    ``2025年12月31`` / ``日``, ``电子数/据``). Every kind, a typical number, the longest date and
    the digest stay whole on one line of the printed list."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    items = tuple(
        EvidenceItem(
            no=f"WZ-{i + 101:03d}",
            name="电焊机及焊把线",
            kind=kind,
            source="黄志远、陈晓明（物证室B-01）",
            collected_on=date(2025, 12, 31),
            sha256_short=f"{(i + 1) * 0x1F3A5B7C9D:012x}"[-12:],
        )
        for i, kind in enumerate(EVIDENCE_KINDS)
    )
    data = replace(investigation_sample(), evidence=items)
    pdf = tmp_path / "report.pdf"
    build_investigation_pdf(data, pdf, generated_at=GENERATED_AT)
    text = subprocess.run(
        [exe, "-layout", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    annex = text[text.index("证据材料清单") :]
    lines = annex.splitlines()
    for item in items:
        for whole in (item.no, item.kind, "2025年12月31日", item.sha256_short):
            assert any(whole in line for line in lines), whole
