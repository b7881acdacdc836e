"""Typesetting after GB/T 9704-2012, continued: content of any length builds (every field long,
alone and all at once), a layout failure names the case part and writes nothing, the faces by
role found on the machine, and numbers keeping their own spacing on justified lines. The grid,
禁则, keeping rules, titles and closing: ``test_typesetting.py``, whose helpers these share."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.platypus import Flowable

from firecase.errors import FirecaseError
from firecase.reports import document as d
from firecase.reports.base import (
    DocumentInfo,
    ReportBuildError,
)
from firecase.reports.builder import ReportBuilder
from firecase.reports.fonts import FontConfig, FontSet
from firecase.reports.investigation import build_investigation_pdf
from firecase.reports.pdf import write_pdf

from . import samples
from .pdftext import pdftotext_pages
from .test_typesetting import (
    FILLER,
    PITCH,
    TEXT_LEFT,
    TEXT_RIGHT,
    TOP,
    _body,
    _doc,
    pdf_lines,
)

LONG = ("火灾事故调查组依法查明起火原因，认定事故责任（第十八条）；" * 800)[:20_000]


def _long_investigation_variants() -> list[tuple[str, object]]:
    base = samples.investigation_sample()
    s = base.sections
    out: list[tuple[str, object]] = []
    for name in (
        "overview",
        "course_and_rescue",
        "casualties_and_loss",
        "cause_and_nature",
        "safety_management",
        "responsibility",
        "prevention_and_rectification",
        "other_matters",
    ):
        out.append((f"sections.{name}", replace(base, sections=replace(s, **{name: LONG}))))
    out += [
        ("title", replace(base, title=LONG[:400])),
        ("organisation", replace(base, organisation=LONG[:600])),
        ("fire.location", replace(base, fire=replace(base.fire, location=LONG))),
        ("fire.unit", replace(base, fire=replace(base.fire, unit=LONG))),
        ("direct_cause", replace(base, direct_cause=LONG)),
        ("indirect_causes", replace(base, indirect_causes=(LONG,))),
        (
            "findings",
            replace(base, findings=(replace(base.findings[0], finding=LONG),)),
        ),
        (
            "recommendations.basis",
            replace(base, recommendations=(replace(base.recommendations[0], basis=LONG),)),
        ),
        (
            "recommendations.subject",
            replace(base, recommendations=(replace(base.recommendations[0], subject=LONG),)),
        ),
        (
            "measures",
            replace(
                base,
                rectification_measures=(replace(base.rectification_measures[0], measure=LONG),),
            ),
        ),
        ("dissents", replace(base, dissents=(replace(base.dissents[0], text=LONG),))),
        ("evidence", replace(base, evidence=(replace(base.evidence[0], name=LONG),))),
        (
            "signatories",
            replace(base, signatories=(replace(base.signatories[0], organisation=LONG),)),
        ),
        (
            "casualty_loss",
            replace(base, casualty_loss=(replace(base.casualty_loss[0], note=LONG),)),
        ),
        ("evidence×300", replace(base, evidence=samples.investigation_sample(length=13).evidence)),
    ]
    return out


@pytest.mark.parametrize(
    ("field", "data"), _long_investigation_variants(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_any_content_builds(tmp_path: Path, field: str, data: object) -> None:
    """A 20,000-character value in any text field, or a 300-row table, still builds: long
    rows split across pages, nothing is cut off."""
    out = tmp_path / "long.pdf"
    built = build_investigation_pdf(data, out, generated_at=samples.GENERATED_AT)  # type: ignore[arg-type]
    if field in ("title", "organisation"):  # a 400-character title, a 600-character 落款
        assert built.pages >= 10
        return
    assert built.pages > 20
    if field == "evidence×300":
        assert len(data.evidence) >= 300  # type: ignore[attr-defined]
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True
        ).stdout
        assert "（补充第12批）" in text
        return
    text = "".join(pdftotext_pages(out))  # poppler, content order, whitespace removed
    sentence = "火灾事故调查组依法查明起火原因，认定事故责任（第十八条）；"
    # every sentence is printed (a sentence cut by a page break may read back broken)
    assert text.count("认定事故责任") >= len(LONG) // len(sentence) - 40


class _Huge(Flowable):  # type: ignore[misc]
    where = "测试部分“超大字段”"

    def wrap(self, w: float, h: float) -> tuple[float, float]:
        return w, 5000.0

    def draw(self) -> None:  # pragma: no cover
        pass


def test_layout_failure_names_the_part_and_writes_nothing(tmp_path: Path) -> None:
    b = ReportBuilder(DocumentInfo("报告", "测试", "单位", "1号", samples.GENERATED_AT))
    out = tmp_path / "x.pdf"
    with pytest.raises(ReportBuildError) as caught:
        b.build([b.paragraph("正文", "正文"), _Huge()], out)
    assert isinstance(caught.value, FirecaseError)
    assert "超大字段" in caught.value.message and caught.value.field == "测试部分“超大字段”"
    assert not out.exists() and list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------ fonts by role


def test_fonts_by_role_found_on_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard faces installed (Windows names) are used by role; the rest are bundled
    stand-ins, and the PDF records which face set which role."""
    fonts_dir = tmp_path / "Fonts"
    fonts_dir.mkdir()
    src = Path(FontConfig.bundled().heading.path)
    shutil.copy(src, fonts_dir / "SIMHEI.TTF")  # a TrueType file under the Windows name
    monkeypatch.setenv("FIRECASE_FONT_DIRS", str(fonts_dir))
    monkeypatch.setenv("FIRECASE_FONT_DIRS_ONLY", "1")
    cfg = FontConfig.resolve({})
    by_role = {c.role: c for c in cfg.choices}
    assert by_role["heading1"].source == "本机" and by_role["heading1"].stand_in == ""
    assert by_role["body"].source == "随程序附带" and by_role["body"].stand_in == "以宋体代仿宋"
    assert by_role["heading2"].stand_in == ""  # the bundled face is a 楷体
    assert by_role["title"].stand_in == "以宋体代小标宋"
    lines = cfg.describe()
    assert any(line.startswith("一级标题（黑体）：SIMHEI.TTF（本机）") for line in lines)
    out = tmp_path / "r.pdf"
    write_pdf(_doc([d.Heading("一、概况"), d.Paragraph("正文。", "正文")]), out, fonts=cfg)
    from pypdf import PdfReader

    keywords = PdfReader(out).metadata.get("/Keywords", "")
    assert "一级标题（黑体）：SIMHEI.TTF（本机）" in keywords
    assert "正文（仿宋）：uming.ttc（随程序附带，以宋体代仿宋）" in keywords


def test_level_two_headings_are_kai_not_the_title_face(tmp_path: Path) -> None:
    """Choosing a 小标宋 title font no longer prints "（一）" in it."""
    title_face = tmp_path / "FZXBSJW.TTF"
    shutil.copy(Path(FontConfig.bundled().heading.path), title_face)
    cfg = FontConfig.with_system_fonts(title=title_face)
    fs = FontSet(cfg)
    assert fs.heading2 != fs.title and fs.heading2 != fs.body
    b = ReportBuilder(DocumentInfo("报告", "测试", "单位", "1号", samples.GENERATED_AT), fonts=cfg)
    sub = b.subheading("（一）直接原因")
    assert {g.font for g in sub.glyphs} == {fs.heading2}


def test_numbers_keep_their_own_spacing_on_justified_lines(tmp_path: Path) -> None:
    """Justification spreads the gaps between units, never the letters of a number: the
    character spacing of a run of grid characters must not carry over into "654400.00"."""
    text = "库存物资损失13872300.00元，货架、叉车等设备损失654400.00元，合计18653200.00元；" * 6
    out = tmp_path / "numbers.pdf"
    write_pdf(_doc([d.Paragraph(text, "正文")]), out)
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        subprocess.run(
            [exe, "-bbox", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True
        ).stdout,
    )
    whole = [n for _x0, _x1, w in words for n in re.findall(r"\d{6,8}\.\d\d", w)]
    # each of the 18 amounts is read as one word: its letters were not spread apart
    assert len(whole) == 18, [w for _a, _b, w in words][:40]


def _long_fields(obj: object) -> object:
    """``obj`` (a frozen dataclass) with every ``str`` field set to 20,000 characters, nested
    dataclasses and tuples of them too (names kept short where a report prints them in the
    page header: organisation)."""
    import dataclasses

    changes: dict[str, object] = {}
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, str) and f.name not in ("case_no", "organisation", "title"):
            changes[f.name] = LONG
        elif dataclasses.is_dataclass(value):
            changes[f.name] = _long_fields(value)
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            changes[f.name] = tuple(_long_fields(v) for v in value[:2])
    return replace(obj, **changes)  # type: ignore[type-var]


@pytest.mark.parametrize("kind", ["evaluation", "public", "clocks"])
def test_every_text_field_long_at_once_still_builds(tmp_path: Path, kind: str) -> None:
    """The evaluation report, the public version and the clock sheet with every text field
    20,000 characters long (sections, items, evidence, explanations…) build, and print it."""
    from firecase.reports.clock_sheet import build_clock_sheet_pdf
    from firecase.reports.evaluation import build_evaluation_pdf
    from firecase.reports.public import build_public_pdf

    build, sample = {
        "evaluation": (build_evaluation_pdf, samples.evaluation_sample),
        "public": (build_public_pdf, samples.public_sample),
        "clocks": (build_clock_sheet_pdf, samples.clock_sheet_sample),
    }[kind]
    data = _long_fields(sample())
    out = tmp_path / f"{kind}.pdf"
    built = build(data, out, generated_at=samples.GENERATED_AT)  # type: ignore[operator]
    assert built.pages > 40
    text = "".join(pdftotext_pages(out))  # poppler, content order, whitespace removed
    assert text.count("认定事故责任") >= 3 * (len(LONG) // 29) - 40


def test_both_writers_read_text_the_same_way(tmp_path: Path) -> None:
    """Control characters never print and never stop a build; blank lines and a field of
    5,000 line breaks add no pages (the PDF and the Word document read text alike)."""
    bad = "起\x00火\x01点\x08在\x0b仓\x0c库\x1f\ufffe内" + "\n" * 5000 + "完。"
    blocks = [
        d.Title("标题"),
        d.Paragraph(bad, "正文"),
        d.table((d.Column("栏目", 1.0),), [["格\x03子" + "\n" * 5000 + "尾"]], "表"),
    ]
    out = tmp_path / "bad.pdf"
    built = write_pdf(_doc(blocks), out)
    assert built.pages == 1
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True
    ).stdout
    assert "起火点在\n仓\n库内\n完。" in text and "格子\n尾" in text
    assert d.tidy(bad) == "起火点在\n仓\n库内\n完。"


def test_a_long_issuing_body_breaks_into_lines_right_spaced(tmp_path: Path) -> None:
    """A 43-character team name (湖北省… 联合调查组) is broken between words into lines that
    end 右空二字, the date under them; the page header is cut with "…" instead of running
    into the case number."""
    org = "湖北省天门市人民政府天门经济开发区华纺纺织有限公司仓库“1·9”较大火灾事故联合调查组"
    out = tmp_path / "org.pdf"
    doc = replace(
        _doc([d.Paragraph("特此报告。", "正文"), d.Closing(org, date(2026, 6, 5))]),
        organisation=org,
    )
    write_pdf(doc, out)
    lines = pdf_lines(out)
    body = _body(lines)
    closing = [ln for ln in body if ln.text not in ("特此报告。",)]
    assert "".join(ln.text for ln in closing[:-1]) == org
    assert closing[-1].text == "2026年6月5日"
    for ln in closing[:-1]:
        assert ln.x0 >= TEXT_LEFT - 0.5
        assert ln.x1 == pytest.approx(TEXT_RIGHT - 2 * PITCH, abs=1.0)
    header = [ln for ln in lines if ln.page == 1 and ln.y0 < TOP - 10]
    left = min(header, key=lambda ln: ln.x0)
    right = max(header, key=lambda ln: ln.x1)
    assert left.text.endswith("…") and left.x1 < right.x0  # no overprint


def test_a_draft_mark_wider_than_the_page_is_cut_within_the_text_block(tmp_path: Path) -> None:
    """The draft mark (every page, centred over the header) is measured and cut once per
    report: a mark of 2,000 characters prints within the text block, ending "…", on every
    page (drawing it whole cost a long report seconds of width sums per page)."""
    mark = "草稿（未经批复，不得公开）" * 150
    out = tmp_path / "draft.pdf"
    body = [d.Paragraph(LONG[:3000], "正文")]
    write_pdf(_doc(body, draft_mark=mark), out)
    lines = pdf_lines(out)
    pages = {ln.page for ln in lines}
    marks = [ln for ln in lines if ln.text.startswith("草稿（未经批复")]
    assert len(pages) > 1 and {ln.page for ln in marks} == pages
    for ln in marks:
        assert ln.text.endswith("…") and len(ln.text) < 60
        assert ln.x0 >= TEXT_LEFT - 0.5 and ln.x1 <= TEXT_RIGHT + 0.5


def test_times_lose_their_leading_zeros_in_every_report_text() -> None:
    from firecase.reports.wording import plain_times

    assert plain_times("3月14日02时31分，14时02分37秒，1月10日06时30分，00时05分") == (
        "3月14日2时31分，14时2分37秒，1月10日6时30分，0时5分"
    )
    assert plain_times("2006时，天消调〔2026〕第001号，10时，20时30分") == (
        "2006时，天消调〔2026〕第001号，10时，20时30分"
    )
    doc = _doc([d.Paragraph("当日02时31分起火。", "正文")])
    from firecase.reports.wording import cite_blocks

    assert cite_blocks(list(doc.blocks))[0] == d.Paragraph("当日2时31分起火。", "正文")


def test_run_in_heading_never_ends_a_page(tmp_path: Path) -> None:
    """ "2. 工程建设、中介服务责任（…）" keeps with the finding under it."""
    for fill in range(15, 24):
        blocks: list[d.Block] = [d.Paragraph("火灾事故调查" * 4, "正文") for _ in range(fill)]
        blocks += [
            d.Paragraph(
                "2. 工程建设、中介服务责任（本办法第十六条第二项）", "认定", keep_with_next=True
            ),
            d.Paragraph(FILLER * 3, "认定"),
        ]
        out = tmp_path / "runin.pdf"
        write_pdf(_doc(blocks), out)
        lines = _body(pdf_lines(out))
        head = next(ln for ln in lines if ln.text.startswith("2."))
        after = [ln for ln in lines if ln.page == head.page and ln.y0 > head.y0]
        assert after, f"{fill}: run-in heading alone at the foot of page {head.page}"
