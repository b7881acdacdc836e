"""The reports of the demo cases, read from a real case file: ``firecase.services.reporting``
and the ``firecase report`` command."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from firecase.cli import main
from firecase.errors import NotFoundError, ValidationError
from firecase.reports import investigation
from firecase.reports.wording import plain_times
from firecase.services import reading, reporting
from firecase.store import CaseFile, open_case_file
from tests._demo import demo_into

from .pdftext import pdftotext_pages, pypdf_pages, squash

TODAY = dt.date(2026, 6, 1)
AT = dt.datetime(2026, 6, 1, 9, 30)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file holding the two demo cases."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def cf(demo_db: Path) -> Iterator[CaseFile]:
    """The demo case file, open."""
    with open_case_file(demo_db, user="测试") as opened:
        yield opened


def _case_nos(cf: CaseFile) -> dict[str, str]:
    """Case number by grade label ("一般", "较大")."""
    page = reading.list_cases(cf)
    return {row.grade or "": row.case_no for row in page.rows}


def _text(path: Path) -> str:
    return "".join(pypdf_pages(path))


@pytest.mark.parametrize("grade", ["一般", "较大"])
def test_investigation_report_of_demo_case(cf: CaseFile, tmp_path: Path, grade: str) -> None:
    case_no = _case_nos(cf)[grade]
    detail = reading.get_case(cf, reading.find_case_id(cf, case_no), today=TODAY)
    out = tmp_path / "investigation.pdf"
    reporting.build_report(cf, "investigation", case_no, out, generated_at=AT, today=TODAY)
    for pages in (pypdf_pages(out), pdftotext_pages(out)):
        text = "".join(pages)
        for heading in investigation.SECTION_HEADINGS:
            assert squash(heading) in text
        signature = next(p for p in pages if squash(investigation.SIGNATURE_HEADING) in p)
        for member in detail.members:
            if member.active:
                assert member.name in signature, member.name
        recused = {r.member_name for r in detail.recusals if r.decision == "批准"}
        for name in recused:
            assert name not in signature
        for e in detail.evidence:
            assert squash(e.name) in text


def test_recused_demo_member_is_not_a_signatory(cf: CaseFile) -> None:
    case_no = _case_nos(cf)["一般"]
    data = reporting.investigation_report_data(cf, case_no, today=TODAY)
    names = [s.name for s in data.signatories]
    assert "陈晓明" not in names  # recused on 2026-03-17 in the demo
    assert len(names) == len(set(names))
    assert all(not s.recused for s in data.signatories)


def test_public_version_of_demo_case_hides_confidential_fields(
    cf: CaseFile, tmp_path: Path
) -> None:
    case_no = _case_nos(cf)["较大"]
    detail = reading.get_case(cf, reading.find_case_id(cf, case_no), today=TODAY)
    data = reporting.public_report_data(cf, case_no, today=TODAY)
    out = tmp_path / "public.pdf"
    reporting.build_report(cf, "public", case_no, out, generated_at=AT, today=TODAY)
    for pages in (pypdf_pages(out), pdftotext_pages(out)):
        text = "".join(pages)
        for part in data.parts:
            for paragraph in part.paragraphs:
                assert squash(plain_times(paragraph))[:12] in text
        # The redacted party's name (party:N.name) appears nowhere, masked where it was used.
        keys = {r.field_key for r in detail.publication.redactions}
        for party in detail.parties:
            if f"party:{party.id}.name" in keys:
                assert party.name not in text
                assert f"{party.name[0]}某某" in text
        section6 = next(s for s in detail.report_sections if s.number == 6)
        assert squash(section6.body)[:12] not in text  # withheld as section:6
        for f in detail.findings:  # shown in section 6: withheld with it
            assert squash(plain_times(f.text)) not in text
        for r in detail.recommendations:
            assert f"{r.kind}，由{r.authority}" not in text


def test_evaluation_report_of_demo_case(cf: CaseFile, tmp_path: Path) -> None:
    nos = _case_nos(cf)
    out = tmp_path / "evaluation.pdf"
    reporting.build_report(cf, "evaluation", nos["较大"], out, generated_at=AT, today=TODAY)
    text = _text(out)
    for heading in ("一、评估工作的组织及开展情况", "五、评估意见及措施建议"):
        assert heading in text
    assert "部分落实" in text
    with pytest.raises(NotFoundError, match="尚未建立整改评估"):
        reporting.evaluation_report_data(cf, nos["一般"], today=TODAY)


def test_clock_sheet_of_demo_case(cf: CaseFile, tmp_path: Path) -> None:
    case_no = _case_nos(cf)["较大"]
    data = reporting.clock_sheet_data(cf, case_no, today=TODAY)
    assert data.today == TODAY and data.rows
    assert all(r.days_left is None for r in data.rows if r.status == "已完成")
    out = tmp_path / "clocks.pdf"
    reporting.build_report(cf, "clocks", case_no, out, generated_at=AT, today=TODAY)
    text = _text(out)
    for row in data.rows:
        assert squash(row.label) in text


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_report_command(
    demo_db: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_case_file(demo_db) as cf:
        case_no = _case_nos(cf)["较大"]
    out = tmp_path / f"{kind}.pdf"
    code = main(["report", kind, case_no, "--db", str(demo_db), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert out.read_bytes().startswith(b"%PDF")
    assert re.search(r"共\d+页", printed)


def test_report_command_errors(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    missing = tmp_path / "nope.sqlite"
    assert main(["report", "public", "X", "--db", str(missing), "-o", str(out)]) == 2
    assert "案卷文件不存在" in capsys.readouterr().out
    assert not missing.exists()
    assert main(["report", "public", "没有这个号", "--db", str(demo_db), "-o", str(out)]) == 2
    assert "没有编号为" in capsys.readouterr().out
    assert not out.exists()


def test_investigation_report_leaves_out_measures_the_evaluation_set(cf: CaseFile) -> None:
    case_no = _case_nos(cf)["较大"]
    detail = reading.get_case(cf, reading.find_case_id(cf, case_no))
    assert detail.evaluation is not None and detail.evaluation.started_on is not None
    later = [m.text for m in detail.measures if m.set_on >= detail.evaluation.started_on]
    assert later, "the demo sets a measure during the evaluation (第二十四条)"
    data = reporting.investigation_report_data(cf, case_no)
    printed = {m.measure for m in data.rectification_measures}
    assert printed and not printed & set(later)


@pytest.mark.parametrize("kind", ["investigation", "evaluation", "public", "clocks"])
def test_report_command_writes_word_for_docx(
    demo_db: Path, tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx

    with open_case_file(demo_db) as cf:
        case_no = _case_nos(cf)["较大"]
    out = tmp_path / f"{kind}.docx"
    code = main(["report", kind, case_no, "--db", str(demo_db), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    done = printed.strip().splitlines()[-1]
    assert done == f"已生成{reporting.REPORT_NAMES[kind]}（Word 文档）：{out}"
    if kind == "public":  # not reviewed in the demo: a draft, said on the command line too
        assert printed.startswith("注意：这是草稿（未经公开前审查，不得公开）")
    word = docx.Document(str(out))
    assert case_no in word.sections[0].header.paragraphs[0].text
    assert word.paragraphs[0].style.name == "Title"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary left


def test_build_report_format_follows_the_suffix_or_fmt(cf: CaseFile, tmp_path: Path) -> None:
    import io

    case_no = _case_nos(cf)["较大"]
    stream = io.BytesIO()
    built = reporting.build_report(cf, "public", case_no, stream, generated_at=AT, fmt="docx")
    assert stream.getvalue().startswith(b"PK") and built.pages == 0
    stream = io.BytesIO()
    built = reporting.build_report(cf, "public", case_no, stream, generated_at=AT)
    assert stream.getvalue().startswith(b"%PDF") and built.pages > 0
    out = tmp_path / "公开版.DOCX"
    reporting.build_report(cf, "public", case_no, out, generated_at=AT)
    assert out.read_bytes().startswith(b"PK")
    with pytest.raises(ValidationError):
        reporting.build_report(cf, "public", case_no, io.BytesIO(), generated_at=AT, fmt="odt")


def test_report_command_cannot_write_the_file(
    demo_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with open_case_file(demo_db) as cf:
        case_no = _case_nos(cf)["较大"]
    monkeypatch.setattr("firecase.paths.tempfile.mkstemp", refuse)
    out = tmp_path / "x.docx"
    assert main(["report", "public", case_no, "--db", str(demo_db), "-o", str(out)]) == 2
    assert "无法写入文件" in capsys.readouterr().out
