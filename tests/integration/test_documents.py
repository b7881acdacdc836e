"""The documents of the procedure from the demo cases: every kind drafted,
written as Word and as PDF, read back (python-docx, pypdf) for the names, numbers, dates and
articles it must carry, and recorded in the case; numbering per kind and year, the refusal of a
number used twice, the audit trail, export and import, and ``firecase document``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from firecase.errors import ConflictError, PermissionDeniedError, ValidationError
from firecase.services import doc_numbers, documents as docs
from firecase.services.maintenance import verify_case_file
from firecase.services.reading import find_case_id
from firecase.store import open_case_file
from tests._demo import demo_into

TODAY = dt.date(2026, 6, 1)
AT = dt.datetime(2026, 6, 1, 10, 0)
ONE = "天消调〔2026〕第001号"  # 一般, 2026: team authorised, recusal, appraisal, extension
TWO = "天消调〔2025〕第001号"  # 较大, 2025: report, 批复, handling, evaluation, 限期整改
_SPACE = re.compile(r"\s+")

# kind, case, what the document must say (in Word and in the PDF)
EXPECTED: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "team_notice",
        ONE,
        (
            "天门市消防救援大队",  # the 版头: the fire agency was authorised to lead (第四条)
            "天消发〔2026〕1号",
            "关于成立天门市“3·14”火灾事故调查组的通知",
            "天门市公安局、天门市应急管理局",
            "组长：周建国（天门市人民政府副市长）",
            "副组长：刘志强（天门市消防救援大队大队长）",
            "《天门市火灾事故调查处理办法》（以下简称《办法》）第四条、第六条",
            "《办法》第七条",
            "《办法》第八条",
            "《办法》第九条",
            "（一）综合组",
            "组长：陈晓明；成员：王丽华、黄志远。",  # 技术组 on the day the team was formed
            "邀请天门市纪委监委派孙立新",
            "2026年3月15日",
            "抄送：天门市人民政府",
        ),
    ),
    (
        "team_notice",
        TWO,
        (
            "天门市人民政府",
            "天门市人民政府“1·9”较大火灾事故调查组",
            "2025年1月10日",
        ),
    ),
    (
        "recusal_application",
        ONE,
        (
            "回避申请书",
            "天门市“3·14”火灾事故调查组组长：",
            "申请人：陈晓明，天门市消防救援大队火灾调查员",
            "第十五条第一项“是火灾事故当事人或者是当事人近亲属的”",
            "申请人：陈晓明",
            "2026年3月16日",
        ),
    ),
    (
        "recusal_decision",
        ONE,
        (
            "回避决定书",
            "天消调回字〔2026〕第1号",
            "陈晓明：",
            "决定准予陈晓明回避",
            "自2026年3月17日起不再参加",
            "不在火灾事故调查报告上签名",
            "《办法》第十五条第一项",
            "组长：周建国",
            "2026年3月17日",
        ),
    ),
    (
        "extension_request",
        ONE,
        (
            "天门市“3·14”火灾事故调查组",
            "天消调请〔2026〕1号",
            "签发人：周建国",
            "调查期限的请示",
            "天门市人民政府：",
            "截至2026年5月6日",
            "本案委托检验、鉴定1项，用时21日",  # 3-18 to 4-8, not counted (第十七条第二款)
            "调查已用32日",
            "调查期限届满日为2026年6月3日，尚余28日",
            "延长30日，延长后调查期限届满日为2026年7月3日",
            "《办法》第十七条第一款",
            "妥否，请批示。",
            "2026年5月6日",
            "联系人：刘志强",
        ),
    ),
    (
        "appraisal_commission",
        ONE,
        (
            "检验委托书",
            "天消鉴委字〔2026〕第1号",
            "应急管理部天津消防研究所：",
            "需要进行锂电池组电芯内短路及热失控痕迹检验",
            "电动自行车锂电池组残骸（编号WZ-001）",
            "第十一条第二项、第十七条第二款",
            "检验时间不计入调查期限",
            "2026年3月18日",
        ),
    ),
    (
        "report_letter",
        TWO,
        (
            "天门市人民政府“1·9”较大火灾事故调查组",
            "天消调函〔2025〕1号",
            "调查报告的函",
            "天门市人民政府：",
            "《办法》第十八条第一款",
            "《办法》第十九条",
            "15个工作日内作出批复",
            "附件：1.",
            "证据材料目录",
            "2025年3月18日",
        ),
    ),
    (
        "handling_record",
        TWO,
        (
            "火灾事故处理情况备案表",
            "天消备字〔2025〕第1号",
            "天政函〔2025〕45号",
            "2025年4月3日",
            "天门经济开发区管委会",
            "接受约谈，向市人民政府作出书面检查并报送整改方案",
            "至2025年5月6日（《办法》第二十条）；按期完成",
            "备案单位：天门市消防救援大队",
            "2025年4月30日",
        ),
    ),
    (
        "rectification_notice",
        TWO,
        (
            "限期整改通知书",
            "天消改字〔2026〕第1号",
            "天门经济开发区管委会：",
            "园区智慧消防监测平台部分落实",
            "现督促你单位限期整改落实，于2026年4月30日前完成以下整改",
            "《办法》第二十四条",
            "天门市消防安全委员会办公室",
            "2026年3月20日",
        ),
    ),
]


def _squash(s: str) -> str:
    return _SPACE.sub("", s)


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a Word document, in order."""
    word = docx.Document(str(path))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(path: Path) -> str:
    return _squash("".join(page.extract_text() or "" for page in PdfReader(path).pages))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("documents") / "demo.sqlite"
    demo_into(path, today=TODAY, user="演示")
    return path


@pytest.fixture
def cf(demo: Path, tmp_path: Path) -> Any:
    target = tmp_path / "cases.sqlite"
    shutil.copy(demo, target)
    with open_case_file(target, user="内勤") as case_file:
        yield case_file


@pytest.mark.parametrize(("kind", "case_no", "expected"), EXPECTED)
def test_every_kind_from_the_demo_cases_in_word_and_pdf(
    cf: Any, tmp_path: Path, kind: str, case_no: str, expected: tuple[str, ...]
) -> None:
    case_id = find_case_id(cf, case_no)
    made = docs.draft_document(cf, case_id, kind, today=TODAY)
    assert all("发文字号" in n for n in made.notes)  # the demo case holds everything needed
    word, pdf = tmp_path / f"{kind}.docx", tmp_path / f"{kind}.pdf"
    first = docs.issue_document(cf, case_id, made.text, word, subject=made.subject, generated_at=AT)
    second = docs.issue_document(cf, case_id, made.text, pdf, subject=made.subject, generated_at=AT)
    in_word, in_pdf = _squash(docx_text(word)), pdf_text(pdf)  # titles break into lines
    for words in expected:
        assert _squash(words) in in_word, f"{words!r} not in the Word document"
        assert _squash(words) in in_pdf, f"{words!r} not in the PDF"
    assert "生成时间" not in in_pdf and "案件编号：" not in in_pdf  # no report header
    records = docs.list_documents(cf, case_id)
    assert [(r.kind, r.file_name, r.file_format) for r in records] == [
        (kind, word.name, "docx"),
        (kind, pdf.name, "pdf"),
    ]
    for record, path in zip(records, (word, pdf), strict=True):
        assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert record.size == path.stat().st_size and record.issued_by == "内勤"
        assert record.number == made.text.number == first.number == second.number
        assert record.issued_on == made.text.on
        assert record.subject == made.subject


def test_a_kind_the_case_cannot_fill_names_what_is_missing(cf: Any) -> None:
    one = find_case_id(cf, ONE)
    with pytest.raises(ValidationError, match="第二十条"):
        docs.draft_document(cf, one, "handling_record", today=TODAY)
    with pytest.raises(ValidationError, match="第二十四条"):
        docs.draft_document(cf, one, "rectification_notice", today=TODAY)
    with pytest.raises(ValidationError, match="没有“court_order”这种文书"):
        docs.draft_document(cf, one, "court_order", today=TODAY)
    with pytest.raises(ValidationError, match="第5项"):
        docs.draft_document(cf, one, "appraisal_commission", item=4, today=TODAY)
    made = docs.draft_document(cf, find_case_id(cf, ONE), "report_letter", today=TODAY)
    assert made.notes == ("案件未记录调查报告提交日期，落款日期暂用今天。",)
    assert made.text.on == TODAY


def test_numbers_count_per_kind_and_year_and_are_never_issued_twice(
    case_url: str, tmp_path: Path
) -> None:
    demo_into(case_url, today=TODAY, user="内勤")
    with open_case_file(case_url, user="内勤") as cf:
        one, two = find_case_id(cf, ONE), find_case_id(cf, TWO)
        # three commissions of case two (2025), then the one of case one (2026)
        numbers = []
        for item in range(3):
            made = docs.draft_document(cf, two, "appraisal_commission", item=item, today=TODAY)
            out = tmp_path / f"委托{item}.pdf"
            numbers.append(
                docs.issue_document(cf, two, made.text, out, subject=made.subject, generated_at=AT)
            )
        assert [n.number for n in numbers] == [f"天消鉴委字〔2025〕第{i}号" for i in (1, 2, 3)]
        assert [n.serial for n in numbers] == [1, 2, 3] and {n.year for n in numbers} == {2025}
        made = docs.draft_document(cf, one, "appraisal_commission", today=TODAY)
        assert made.text.number == "天消鉴委字〔2026〕第1号"  # a new year starts at 1
        # the same document again keeps its number (saved as Word, then as PDF)
        again = docs.draft_document(cf, two, "appraisal_commission", item=0, today=TODAY)
        assert again.text.number == "天消鉴委字〔2025〕第1号"
        # another document may not take a number already issued, of any kind
        taken = dataclasses.replace(made.text, number="天消鉴委字〔2025〕第2号")
        out = tmp_path / "重号.pdf"
        with pytest.raises(
            ConflictError, match="已用于案件天消调〔2025〕第001号的检验（鉴定）委托书"
        ):
            docs.issue_document(cf, one, taken, out, subject=made.subject, generated_at=AT)
        notice = docs.draft_document(cf, one, "team_notice", today=TODAY)
        with pytest.raises(ConflictError):
            docs.issue_document(
                cf,
                one,
                dataclasses.replace(notice.text, number="天消鉴委字〔2025〕第3号"),
                out,
                generated_at=AT,
            )
        assert not out.exists()  # nothing half-written
        assert len(docs.list_documents(cf, one)) == 0
        # a number typed freely is kept but counts for no serial
        free = dataclasses.replace(made.text, number="天消（技）字〔2026〕17号")
        kept = docs.issue_document(cf, one, free, out, subject=made.subject, generated_at=AT)
        assert kept.serial is None and kept.year == 2026
        view = doc_numbers.number_patterns(cf, year=2025)
        row = next(r for r in view.rows if r.kind == "appraisal_commission")
        assert (row.issued, row.next_serial, row.next_number) == (3, 4, "天消鉴委字〔2025〕第4号")
        # the trail holds every record, on both backends, and the case file verifies
        with cf.connect() as conn:
            audited = conn.execute(
                text("SELECT count(*) FROM audit_log WHERE entity = 'case_documents'")
            ).scalar()
        assert audited == 4
        assert verify_case_file(cf).ok


def test_the_settings_set_pattern_and_next_serial(cf: Any, tmp_path: Path) -> None:
    one = find_case_id(cf, ONE)
    view = doc_numbers.number_patterns(cf, year=2026)
    rows = [doc_numbers.NumberPatternInput(r.kind, r.pattern, r.next_serial) for r in view.rows]
    team = next(i for i, r in enumerate(rows) if r.kind == "team_notice")
    rows[team] = doc_numbers.NumberPatternInput("team_notice", "天消调发〔{年}〕{NNN}号", 12)
    saved = doc_numbers.save_number_patterns(cf, rows, year=2026, expected_version=view.version)
    assert saved.version == view.version + 1
    assert (
        next(r for r in saved.rows if r.kind == "team_notice").next_number
        == "天消调发〔2026〕012号"
    )
    made = docs.draft_document(cf, one, "team_notice", today=TODAY)
    assert made.text.number == "天消调发〔2026〕012号" and made.serial == 12
    issued = docs.issue_document(
        cf, one, made.text, tmp_path / "通知.pdf", subject=made.subject, generated_at=AT
    )
    assert (issued.serial, issued.year) == (12, 2026)
    # a serial at or below one already issued is refused; so is a second save from the old view
    rows[team] = doc_numbers.NumberPatternInput("team_notice", "天消调发〔{年}〕{NNN}号", 12)
    with pytest.raises(ValidationError, match="已用到第12号"):
        doc_numbers.save_number_patterns(cf, rows, year=2026, expected_version=saved.version)
    with pytest.raises(ConflictError):
        doc_numbers.save_number_patterns(cf, rows, year=2026, expected_version=view.version)
    rows[team] = doc_numbers.NumberPatternInput("team_notice", "天消鉴委字〔{年}〕第{N}号", 13)
    with pytest.raises(ValidationError, match="同一编号格式"):
        doc_numbers.save_number_patterns(cf, rows, year=2026, expected_version=saved.version)
    rows[team] = doc_numbers.NumberPatternInput("team_notice", "天消发〔{年}〕", 13)
    with pytest.raises(ValidationError, match="须含一个序号"):
        doc_numbers.save_number_patterns(cf, rows, year=2026, expected_version=saved.version)


def test_issuing_needs_a_writer_and_reading_does_not(cf: Any, tmp_path: Path) -> None:
    from firecase.services import users
    from firecase.services.dto import UserInput

    users.add_user(cf, UserInput("内勤", "内勤", "管理员"), actor="内勤")
    users.add_user(cf, UserInput("guest", "访客", "只读"), actor="内勤")
    one = find_case_id(cf, ONE)
    made = docs.draft_document(cf, one, "team_notice", today=TODAY)  # a reader may draft
    with pytest.raises(PermissionDeniedError, match="只读"):
        docs.issue_document(cf, one, made.text, tmp_path / "x.pdf", generated_at=AT, actor="guest")
    assert not (tmp_path / "x.pdf").exists()


def test_the_documents_travel_with_the_case(cf: Any, tmp_path: Path) -> None:
    from firecase.services.transfer import export_case, import_case

    one = find_case_id(cf, ONE)
    for kind in ("team_notice", "recusal_decision"):
        made = docs.draft_document(cf, one, kind, today=TODAY)
        docs.issue_document(
            cf, one, made.text, tmp_path / f"{kind}.docx", subject=made.subject, generated_at=AT
        )
    before = [(r.kind, r.number, r.sha256) for r in docs.list_documents(cf, one)]
    fcase = tmp_path / "案件.fcase"
    export_case(cf, ONE, fcase)
    with open_case_file(tmp_path / "其他.sqlite", user="他人") as other:
        result = import_case(other, fcase)
        after = docs.list_documents(other, result.case_id)
        assert [(r.kind, r.number, r.sha256) for r in after] == before
        assert verify_case_file(other).ok


def test_firecase_document_writes_numbers_and_records(demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    shutil.copy(demo, db)
    out = tmp_path / "请示.docx"
    run = [sys.executable, "-m", "firecase", "document"]
    done = subprocess.run(
        [*run, "extension_request", "--case", ONE, "-o", str(out), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已生成延长调查期限的请示（天消调请〔2026〕1号）" in done.stdout
    assert "调查已用32日" in docx_text(out)
    refused = subprocess.run(
        [*run, "handling_record", "--case", ONE, "-o", str(tmp_path / "x.pdf"), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "第二十条" in refused.stdout
    assert "Traceback" not in refused.stdout + refused.stderr
    with open_case_file(db, user="查看") as cf:
        rows = docs.list_documents(cf, find_case_id(cf, ONE))
    assert [(r.kind, r.number, r.file_name) for r in rows] == [
        ("extension_request", "天消调请〔2026〕1号", "请示.docx")
    ]


def test_removing_a_case_removes_its_documents_through_the_trail(cf: Any, tmp_path: Path) -> None:
    from firecase.services import cases, reading

    one = find_case_id(cf, ONE)
    made = docs.draft_document(cf, one, "team_notice", today=TODAY)
    issued = docs.issue_document(cf, one, made.text, tmp_path / "通知.pdf", generated_at=AT)
    cases.remove_case(cf, one, expected_version=reading.get_case_summary(cf, one).version)
    with cf.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM case_documents")).scalar()
        deleted = conn.execute(
            text(
                "SELECT count(*) FROM audit_log WHERE entity = 'case_documents' "
                "AND action = 'delete' AND entity_id = :id"
            ),
            {"id": str(issued.id)},
        ).scalar()
    assert (left, deleted) == (0, 1)
    assert verify_case_file(cf).ok


def test_a_notice_the_government_issues_takes_no_fire_agency_number(cf: Any) -> None:
    """GB/T 9704 7.2.4: a 发文字号 carries the 发文机关代字 of the issuer. The notice of case
    two is issued by 天门市人民政府 (第四条: the government investigates): it was proposed
    "天消发〔2025〕1号", the fire agency's 代字, which the 市人民政府办公室 sends back. It is
    left for the government's own number; the fire agency's notice keeps its serial."""
    made = docs.draft_document(cf, find_case_id(cf, TWO), "team_notice", today=TODAY)
    assert made.text.masthead == "天门市人民政府"
    assert made.text.number == "" and made.serial is None
    assert any("发文字号" in n and "天门市人民政府" in n for n in made.notes)
    own = docs.draft_document(cf, find_case_id(cf, ONE), "team_notice", today=TODAY)
    assert own.text.masthead == "天门市消防救援大队" and own.text.number == "天消发〔2026〕1号"


def test_the_rectification_notice_is_the_fire_safety_committee_office_s(cf: Any) -> None:
    """第二十四条: 市消防安全委员会办公室 督促 限期整改. Without the evaluation group's lead on
    record the notice was issued by the fire agency, and it 责令 (a power the article does not
    give)."""
    from firecase.services import _doc_draft
    from firecase.services.doc_kinds import document_kind
    from firecase.services.reading import get_case

    d = get_case(cf, find_case_id(cf, TWO), today=TODAY)
    kind = document_kind("rectification_notice")
    assert kind is not None
    assert d.evaluation is not None
    bare = dataclasses.replace(d, evaluation=dataclasses.replace(d.evaluation, lead=""))
    made = _doc_draft.draft(
        bare, kind, None, organisation="天门市消防救援大队", number="", today=TODAY
    )
    assert made.text.signature == "天门市消防安全委员会办公室"
    assert made.text.copy_to == "天门市人民政府"
    body = "".join(made.text.body)
    assert "责令" not in body and "现督促你单位限期整改落实" in body
    assert "书面报送天门市消防安全委员会办公室" in body


def test_a_measure_only_proposed_in_the_report_gets_no_rectification_notice(cf: Any) -> None:
    """The lawyer's finding: a measure the report proposed, with its own deadline and nothing
    found about it, got a 限期整改通知书 saying "经查……尚未落实到位（第二十四条）". 第二十四条
    督促 限期整改 of measures found not or not fully implemented: the notice is offered only
    for the measures the evaluation set for such a finding."""
    from firecase.services import _doc_draft
    from firecase.services._doc_wording import item_labels
    from firecase.services.doc_kinds import document_kind
    from firecase.services.reading import get_case

    d = get_case(cf, find_case_id(cf, TWO), today=TODAY)
    kind = document_kind("rectification_notice")
    assert kind is not None
    ordered = {i.order_id for i in d.evaluation_items if i.order_id is not None}
    proposed = [m for m in d.measures if m.deadline is not None and m.id not in ordered]
    assert proposed and ordered  # the demo case has both kinds
    labels = item_labels(d, kind)
    assert len(labels) == len(ordered)
    assert not any(m.text.split("。")[0][:12] in "".join(labels) for m in proposed), labels
    only_proposed = dataclasses.replace(d, evaluation_items=())
    with pytest.raises(ValidationError, match="评估发现未落实或落实不到位") as refused:
        _doc_draft.draft(
            only_proposed, kind, None, organisation="天门市消防救援大队", number="", today=TODAY
        )
    assert "第二十四条" in refused.value.message
    body = "".join(
        _doc_draft.draft(
            d, kind, None, organisation="天门市消防救援大队", number="", today=TODAY
        ).text.body
    )
    assert "经查" not in body and "评估，发现" in body


def test_the_evaluations_order_needs_a_finding_before_it_and_the_office_signs(cf: Any) -> None:
    """The lawyer's findings on 第二十四条: an item found 已落实 could carry an order (the
    notice then 督促 what was done); an order proposed before the check dated the notice before
    the finding it cites; the evaluation's lead unit (a 相关部门, even a commissioned firm)
    signed the notice, where the article gives the 督促 to the 消防安全委员会办公室 alone."""
    from firecase.services import _doc_draft, evaluation
    from firecase.services.doc_kinds import document_kind
    from firecase.services.dto import EvaluationItemInput
    from firecase.services.reading import get_case

    case_id = find_case_id(cf, TWO)
    d = get_case(cf, case_id, today=TODAY)
    item = next(i for i in d.evaluation_items if i.order_id is not None)
    order = next(m for m in d.measures if m.id == item.order_id)
    proposed = next(m for m in d.measures if m.id != order.id and m.set_on < item.checked_on)
    base = EvaluationItemInput(
        kind=item.kind, subject=item.subject, result=item.result, checked_on=item.checked_on
    )
    with pytest.raises(ValidationError, match="已落实") as done:
        evaluation.add_evaluation_item(
            cf, case_id, dataclasses.replace(base, result="已落实", order_id=order.id), today=TODAY
        )
    assert done.value.field == "order_id"
    with pytest.raises(ValidationError, match="早于本事项的核查日期") as early:
        evaluation.add_evaluation_item(
            cf, case_id, dataclasses.replace(base, order_id=proposed.id), today=TODAY
        )
    assert early.value.field == "order_id"
    kind = document_kind("rectification_notice")
    assert kind is not None and d.evaluation is not None
    led = dataclasses.replace(
        d, evaluation=dataclasses.replace(d.evaluation, lead="天门市应急管理局")
    )
    made = _doc_draft.draft(
        led, kind, None, organisation="天门市消防救援大队", number="", today=TODAY
    )
    assert made.text.signature == "天门市消防安全委员会办公室"
    assert "天门市应急管理局对" in "".join(made.text.body)  # who evaluated, in the finding
    assert made.text.on >= item.checked_on


def test_item_counts_from_one_on_the_command_line(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--item 0`` said "文书对象不能小于0" (the 0-based index behind it): the officer typed 0."""
    from firecase.cli import main as cli_main

    db = tmp_path / "cases.sqlite"
    shutil.copy(demo, db)
    for bad in ("0", "-2"):
        out = tmp_path / f"x{bad}.pdf"
        args = ["document", "appraisal_commission", "--case", ONE, "--db", str(db), "-o", str(out)]
        assert cli_main([*args, "--item", bad]) == 2
        said = capsys.readouterr().out
        assert "--item" in said and "从1开始" in said and "小于0" not in said
        assert not out.exists()


def test_a_recusal_the_government_decides_takes_no_fire_agency_number(cf: Any) -> None:
    """The leader's own recusal is decided by the government (第十五条; RULES): the 决定书 is
    the government's, signed 天门市人民政府, and was numbered 天消调回字〔2026〕第1号."""
    from firecase.services import recusal
    from firecase.services.dto import RecusalApplicationInput, RecusalDecisionInput
    from firecase.services.reading import get_case

    one = find_case_id(cf, ONE)
    leader = next(m for m in get_case(cf, one, today=TODAY).members if m.role == "组长")
    asked = recusal.apply_recusal(
        cf,
        one,
        RecusalApplicationInput(
            leader.id, leader.name, "本人", 2, "本人配偶在涉事维修店有出资", dt.date(2026, 3, 20)
        ),
        today=TODAY,
    )
    recusal.decide_recusal(
        cf,
        asked.id,
        RecusalDecisionInput("驳回", dt.date(2026, 3, 21), "天门市人民政府", "出资已于火灾前转让"),
        expected_version=asked.version,
        today=TODAY,
    )
    made = docs.draft_document(cf, one, "recusal_decision", today=TODAY)
    assert made.text.signature == "天门市人民政府"
    assert made.text.number == "" and made.serial is None
    assert any("发文字号" in n for n in made.notes)
    member = docs.draft_document(cf, one, "recusal_decision", item=0, today=TODAY)
    assert member.text.number == "天消调回字〔2026〕第1号"  # the team leader's decision


def test_an_extension_request_beyond_sixty_days_in_all_is_not_drafted(cf: Any) -> None:
    """第十七条第一款: 延长期限不超过60日. A pending request of 40 days after 30 approved was
    drafted as "延长期限累计70日，不超过60日" — a 请示 the government sends back."""
    from firecase.services import deadlines
    from firecase.services.dto import ExtensionInput

    one = find_case_id(cf, ONE)
    deadlines.request_extension(
        cf,
        one,
        ExtensionInput(40, dt.date(2026, 5, 20), "死者死亡原因鉴定意见仍未出具"),
        today=TODAY,
    )
    with pytest.raises(ValidationError, match=r"累计70日.*超过60日"):
        docs.draft_document(cf, one, "extension_request", today=TODAY)
    first = docs.draft_document(cf, one, "extension_request", item=0, today=TODAY)
    assert "延长期限累计30日，不超过60日" in "".join(first.text.body)
