"""The public version withholds by content (第二十一条 "除依法应当保密外"), masks personal data,
is reviewed before release, and each publication is recorded.

Read back from the files themselves: the PDF's text (pypdf and pdftotext) and metadata, and the
Word document's every paragraph, table cell, header and property.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from firecase.errors import PermissionDeniedError, ValidationError
from firecase.services import guards, publication, reading, reporting, scenario, users
from firecase.services.dto import ReleaseInput, UserInput
from firecase.store import CaseFile, open_case_file
from tests._demo import demo_into

SCENARIOS = Path(__file__).parents[1] / "scenarios" / "cases"
AT = dt.datetime(2026, 10, 20, 9, 30)
TODAY = dt.date(2026, 10, 20)


def pdf_text(path: Path) -> str:
    """Every character the PDF shows, and its metadata, without spaces or line breaks."""
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    meta = json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()}, ensure_ascii=False)
    return "".join((text + meta).split())


def docx_text(path: Path) -> str:
    """Every character of every XML part of the .docx (body, header, footer, properties)."""
    with zipfile.ZipFile(path) as z:
        parts = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")]
    import re

    return "".join(re.sub(r"<[^>]+>", "", p) for p in parts).replace(" ", "")


def outputs(cf: CaseFile, case_no: str, tmp: Path, kind: str = "public") -> str:
    """The PDF and the .docx of one public version, as text."""
    pdf, word = tmp / f"{kind}.pdf", tmp / f"{kind}.docx"
    reporting.build_report(cf, kind, case_no, pdf, generated_at=AT, today=TODAY)
    reporting.build_report(cf, kind, case_no, word, generated_at=AT, today=TODAY)
    return pdf_text(pdf) + "\n" + docx_text(word)


# --------------------------------------------------------------------------- the demo cases


@pytest.fixture(autouse=True)
def _records_added_after_the_reply() -> Iterator[None]:
    """These tests add records to replied cases to see them withheld: the reason the guard
    asks for (``guards.EDIT_AFTER_REPLY``) is given around each test."""
    with guards.reasons_given({guards.EDIT_AFTER_REPLY: "测试：批复后补充记录"}):
        yield


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("public-demo") / "demo.fcdb"
    demo_into(path, today=dt.date(2026, 6, 1), user="测试")
    return path


@pytest.fixture
def demo_cf(demo: Path) -> Iterator[CaseFile]:
    with open_case_file(demo, user="测试") as cf:
        yield cf


CASE_2 = "天消调〔2025〕第001号"
CASE_1 = "天消调〔2026〕第001号"


def test_demo_case_2_publishes_none_of_the_withheld_names_and_sanctions(
    demo_cf: CaseFile, tmp_path: Path
) -> None:
    text = outputs(demo_cf, CASE_2, tmp_path)
    for secret in (
        "何建平",
        "郑宏伟",
        "政务记过",
        "罚款60%",
        "胡小兵",
        "陈金华",
        "樊立军",
        "涉嫌重大责任事故罪依法侦办",
        "审查起诉",
    ):
        assert secret not in text, secret
    # section 六 is withheld: its heading and the records shown in it are gone
    assert "责任认定和处理建议" not in text
    # the dead are named masked; the headings of 第十八条 appear once each
    assert "彭某某" in text and "彭桂兰" not in text
    pdf_only = text.split("\n")[0]
    for heading in ("起火原因和事故性质", "事故防范和整改措施", "事故处理情况"):
        assert pdf_only.count(heading) == 1, heading


def test_demo_case_2_evaluation_public_version_names_no_one_withheld(
    demo_cf: CaseFile, tmp_path: Path
) -> None:
    text = outputs(demo_cf, CASE_2, tmp_path, "public_evaluation")
    for secret in ("何建平", "郑宏伟", "胡小兵", "陈金华", "政务记过"):
        assert secret not in text, secret
    assert "（公开版）" in text
    assert "评估组成员签名" not in text  # no signature table in the public version


def test_demo_case_1_masks_the_id_number_phone_and_the_minor(
    demo_cf: CaseFile, tmp_path: Path
) -> None:
    text = outputs(demo_cf, CASE_1, tmp_path)
    assert "429006195408021815" not in text
    assert "4290**********1815" in text
    assert "13872651408" not in text and "13872651408" not in text.replace(" ", "")
    assert "张浩然" not in text and "张某某" in text
    # before the 批复 every page says it must not be published
    pdf = tmp_path / "p.pdf"
    reporting.build_report(demo_cf, "public", CASE_1, pdf, generated_at=AT, today=TODAY)
    pages = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    assert pages and all("草稿（未经批复，不得公开）" in "".join(p.split()) for p in pages)


# --------------------------------------------------------------------------- a scenario case


@pytest.fixture
def case(tmp_path: Path) -> Iterator[tuple[CaseFile, str]]:
    data = scenario.load_scenario(
        (SCENARIOS / "public_version_withholds_by_content.in.json").read_text(encoding="utf-8")
    )
    with open_case_file(tmp_path / "case.fcdb", user="李明") as cf:
        case_id = scenario.enter_scenario(cf, data, TODAY)
        yield cf, reading.get_case(cf, case_id, today=TODAY).case.case_no


def _detail(cf: CaseFile, case_no: str) -> object:
    return reading.get_case(cf, reading.find_case_id(cf, case_no), today=TODAY)


def test_withholding_a_part_withholds_its_records_and_the_review_lists_them(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    cf, case_no = case
    v = reporting.public_version(cf, case_no, today=TODAY)
    withheld = [i for i in v.items if i.kind == "withheld"]
    reasons = {i.where.split("—")[-1]: i.reason for i in withheld}
    assert any("随“责任认定和处理建议”一并不公开" in r for r in reasons.values())
    text = outputs(cf, case_no, tmp_path)
    for secret in ("未落实消防安全责任制", "移送公安机关依法追究刑事责任", "约谈街道主要负责人"):
        assert secret not in text
    # the name masked by name (confidential.names) is masked in section 八
    assert "胡小兵" not in text and "胡某某" in text


def test_personal_data_is_masked_with_reason_and_basis(case: tuple[CaseFile, str]) -> None:
    cf, case_no = case
    v = reporting.public_version(cf, case_no, today=TODAY)
    masked = {i.value: i for i in v.items if i.kind == "masked"}
    assert "11010519491231002X" in masked
    assert masked["11010519491231002X"].action == "遮盖为“1101**********002X”"
    assert "政府信息公开条例》第十五条" in masked["11010519491231002X"].basis
    assert "刘小雨" in masked and "未成年人" in masked["刘小雨"].reason
    assert "王建华" in masked  # a party's name
    assert all(i.decided_by == "系统检测，默认遮盖" for i in masked.values())


def test_keeping_a_found_item_needs_a_reason_and_is_recorded(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    cf, case_no = case
    case_id = reading.find_case_id(cf, case_no)
    with pytest.raises(ValidationError) as refused:
        publication.keep_found_item(cf, case_id, "name", "陈志强", "  ", today=TODAY)
    assert refused.value.field == "reason"
    publication.keep_found_item(cf, case_id, "name", "陈志强", "家属书面同意公开姓名", today=TODAY)
    v = reporting.public_version(cf, case_no, today=TODAY)
    kept = [i for i in v.items if i.kind == "kept"]
    assert [(i.value, i.reason, i.decided_by) for i in kept] == [
        ("陈志强", "家属书面同意公开姓名", "李明（2026年10月20日）")
    ]
    assert "陈志强" in outputs(cf, case_no, tmp_path)
    publication.mask_found_item(cf, case_id, "name", "陈志强")
    assert "陈志强" not in outputs(cf, case_no, tmp_path)


def test_a_withheld_case_field_leaves_the_title_the_header_and_the_metadata(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    cf, case_no = case
    case_id = reading.find_case_id(cf, case_no)
    for key in ("case.unit_name", "case.fire_date", "case.grade", "case.address"):
        publication.set_redaction(cf, case_id, key, True, "依法不予公开", today=TODAY)
    text = outputs(cf, case_no, tmp_path)
    for secret in ("兴达纺织", "6·12", "2026年6月12日", "较大", "西湖路8号"):
        assert secret not in text, secret
    data = reporting.public_report_data(cf, case_no, today=TODAY)
    assert "某单位" in data.title


def test_review_release_and_draft_marks(case: tuple[CaseFile, str], tmp_path: Path) -> None:
    cf, case_no = case
    case_id = reading.find_case_id(cf, case_no)
    v = reporting.public_version(cf, case_no, today=TODAY)
    assert v.draft_mark == "草稿（未经公开前审查，不得公开）" and v.review is None
    out = tmp_path / "release.pdf"
    data = ReleaseInput("investigation", TODAY, "天门市人民政府门户网站", "天门市人民政府")
    with pytest.raises(ValidationError):
        publication.publish(cf, case_id, data, v, out, generated_at=AT, today=TODAY)
    assert not out.exists()  # nothing written for a draft
    publication.approve_review(cf, case_id, v, today=TODAY)
    v = reporting.public_version(cf, case_no, today=TODAY)
    assert v.releasable and v.review is not None and v.data.draft_mark == ""
    view = publication.publish(cf, case_id, data, v, out, generated_at=AT, today=TODAY)
    (release,) = view.releases
    assert release.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert release.size == out.stat().st_size and release.recorded_by == "李明"
    assert release.review_id == v.review.id
    assert "草稿" not in pdf_text(out)
    assert v.fingerprint in pdf_text(out)  # the reviewed content, named in the keywords
    # changing the content makes it a draft again, until reviewed again
    publication.set_redaction(cf, case_id, "case.address", True, "依法不予公开", today=TODAY)
    v2 = reporting.public_version(cf, case_no, today=TODAY)
    assert v2.fingerprint != v.fingerprint and v2.draft_mark.startswith("草稿")
    # the record is audited
    from sqlalchemy import select

    from firecase.store.models import AuditEntry

    with cf.unit_of_work() as uow:
        entities = set(uow.session.scalars(select(AuditEntry.entity)))
    assert {"public_reviews", "public_releases", "redactions"} <= entities


def test_a_reader_may_not_approve_or_publish(case: tuple[CaseFile, str], tmp_path: Path) -> None:
    cf, case_no = case
    case_id = reading.find_case_id(cf, case_no)
    users.add_user(cf, UserInput("李明", "李明", "管理员"), actor="李明")
    users.add_user(cf, UserInput("zhao", "赵六", "只读"), actor="李明")
    v = reporting.public_version(cf, case_no, today=TODAY)
    with pytest.raises(PermissionDeniedError):
        publication.approve_review(cf, case_id, v, actor="zhao", today=TODAY)


# --------------------------------------------------------------------------- the property

SECRET = st.text(
    alphabet=st.sampled_from("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"),
    min_size=8,
    max_size=14,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(secrets=st.lists(SECRET, min_size=16, max_size=16, unique=True))
def test_no_withheld_value_ever_reaches_the_pdf_its_metadata_or_the_docx(
    secrets: list[str],
) -> None:
    """Random text in every field and record, each marked to withhold: none of it (nor the
    withheld unit and address) is in the public PDF's text, its metadata, or the .docx."""
    import tempfile

    from firecase.services import evidence, findings, team
    from firecase.services.dto import DissentInput, EvidenceInput, MemberInput

    data = scenario.load_scenario(
        (SCENARIOS / "public_version_withholds_by_content.in.json").read_text(encoding="utf-8")
    )
    s = iter(secrets)
    data["fire"]["unit"] = next(s)
    data["fire"]["address"] = "天门市" + next(s)
    data["sections"] = {str(n): next(s) + "。" for n in range(1, 9)}
    data["findings"][0]["text"] = next(s)
    data["recommendations"][0]["text"] = next(s)
    data["measures"][0]["text"] = next(s)
    data["causes"] = {"direct": next(s)}
    data["confidential"] = {
        "sections": [1, 2, 3, 4, 5, 6, 7, 8],
        "fields": ["unit_name", "address"],
        "records": ["finding:1", "recommendation:1", "measure:1", "cause:1"],
    }
    evidence_text, dissent_text = next(s), next(s)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with open_case_file(tmp / "case.fcdb", user="李明") as cf:
            case_id = scenario.enter_scenario(cf, data, TODAY)
            ev = evidence.add_evidence(
                cf,
                case_id,
                EvidenceInput("WZ-1", evidence_text, "物证", TODAY, "李明", description="现场"),
                today=TODAY,
            )
            member = team.add_member(
                cf,
                case_id,
                MemberInput(
                    name="周强",
                    organisation="天门市消防救援大队",
                    body="消防救援机构",
                    role="成员",
                    joined_on=dt.date(2026, 6, 13),
                ),
                today=TODAY,
            )
            dissent = findings.add_dissent(
                cf, case_id, DissentInput(member.id, TODAY, dissent_text), today=TODAY
            )
            for key in (f"evidence:{ev.id}", f"dissent:{dissent.id}"):
                publication.set_redaction(cf, case_id, key, True, "依法不予公开", today=TODAY)
            case_no = reading.get_case(cf, case_id, today=TODAY).case.case_no
            text = outputs(cf, case_no, tmp)
    for secret in secrets:
        assert secret not in text, secret


def test_the_investigation_report_lists_the_dead_and_injured_of_the_register(
    demo_cf: CaseFile, tmp_path: Path
) -> None:
    out = tmp_path / "investigation.pdf"
    reporting.build_report(demo_cf, "investigation", CASE_2, out, generated_at=AT, today=TODAY)
    text = pdf_text(out)
    assert "伤亡情况姓名性别年龄" in text
    for row in ("死者彭桂兰女52岁", "死者万德明男56岁", "重伤李春梅女41岁", "轻伤方小燕女17岁"):
        assert row in text, row
    assert "黄大军" not in text  # a witness is no casualty


# --------------------------------------------------------------------------- the review's findings


def test_names_introduced_by_their_role_are_masked_though_not_registered(
    demo_cf: CaseFile, tmp_path: Path
) -> None:
    text = outputs(demo_cf, CASE_2, tmp_path)
    assert "杨春梅" not in text and "保管员杨某某" in text
    assert "聂小红" not in text and "值班人员聂某某" in text
    v = reporting.public_version(demo_cf, CASE_2, today=TODAY)
    assert any(i.value == "聂小红" and "未登记" in i.reason for i in v.items)


def _case_id(cf: CaseFile, case_no: str) -> int:
    return reading.find_case_id(cf, case_no)


def test_a_withheld_name_is_masked_however_it_is_spaced(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    from firecase.services import findings

    cf, case_no = case
    cid = _case_id(cf, case_no)
    section = next(s for s in _detail(cf, case_no).report_sections if s.number == 8)
    findings.save_report_section(
        cf, cid, 8, "值班安排由聂 小红负责；聂  小红已调离。", expected_version=section.version
    )
    publication.set_redaction(cf, cid, "name:聂 小红", True, "涉及个人隐私", today=TODAY)
    text = outputs(cf, case_no, tmp_path)
    assert "小红" not in text


def test_a_withheld_recommendation_does_not_surface_in_dissents_or_short_names(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    from firecase.services import findings, recommendations, team
    from firecase.services.dto import DissentInput, MemberInput, RecommendationInput

    cf, case_no = case
    cid = _case_id(cf, case_no)
    rec = recommendations.add_recommendation(
        cf,
        cid,
        RecommendationInput(
            target_kind="单位",
            target_name="天门市兴达纺织有限公司",
            area="使用管理责任",
            kind="行政处罚",
            basis="《中华人民共和国消防法》第六十条",
            authority="天门市消防救援大队",
            text="建议处以罚款。",
        ),
        today=TODAY,
    )
    publication.set_redaction(cf, cid, f"recommendation:{rec.id}", True, "不予公开", today=TODAY)
    member = team.add_member(
        cf,
        cid,
        MemberInput("周强", "天门市消防救援大队", "消防救援机构", "成员", dt.date(2026, 6, 13)),
        today=TODAY,
    )
    findings.add_dissent(
        cf, cid, DissentInput(member.id, TODAY, "不同意对兴达公司罚款的建议。"), today=TODAY
    )
    section = next(s for s in _detail(cf, case_no).report_sections if s.number == 8)
    findings.save_report_section(
        cf,
        cid,
        8,
        "兴达公司已被处以罚款一百二十万元。\n王 建华已被刑事拘留。",
        expected_version=section.version,
    )
    text = outputs(cf, case_no, tmp_path)
    assert "罚款" not in text
    assert "刑事拘留" not in text  # 王建华's recommendation is withheld with part 六


def test_withheld_facts_leave_part_three_and_every_form_of_the_date(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    from firecase.services import findings

    cf, case_no = case
    cid = _case_id(cf, case_no)
    section = next(s for s in _detail(cf, case_no).report_sections if s.number == 1)
    findings.save_report_section(
        cf,
        cid,
        1,
        "兴达公司于2026年06月12日（2026.6.12）起火，天门市公安局到场。",
        expected_version=section.version,
    )
    for key in ("case.casualties", "case.economic_loss_yuan", "case.unit_name"):
        publication.set_redaction(cf, cid, key, True, "依法不予公开", today=TODAY)
    publication.set_redaction(cf, cid, "case.fire_date", True, "依法不予公开", today=TODAY)
    publication.set_redaction(cf, cid, "case.address", True, "依法不予公开", today=TODAY)
    text = outputs(cf, case_no, tmp_path)
    for secret in ("3人死亡", "1286.04万元", "兴达", "2026年06月12日", "2026.6.12", "0某日"):
        assert secret not in text, secret
    assert "天门市公安局" in text  # the place alone is not the withheld address


def test_a_number_typed_over_two_lines_is_masked_whole(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    from firecase.services import evaluation
    from firecase.services.dto import MeasureInput

    cf, case_no = case
    cid = _case_id(cf, case_no)
    evaluation.add_measure(
        cf,
        cid,
        MeasureInput(
            text="整改联系人电话139 0728\n1234。",
            responsible="天门市应急管理局",
            set_on=dt.date(2026, 8, 20),
        ),
        today=TODAY,
    )
    text = outputs(cf, case_no, tmp_path)
    assert "13907281234" not in text and "139****1234" in text


def test_publishing_rechecks_the_review_and_does_not_unreview_the_version(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    cf, case_no = case
    cid = _case_id(cf, case_no)
    v1 = reporting.public_version(cf, case_no, today=TODAY)
    publication.approve_review(cf, cid, v1, today=TODAY)
    v1 = reporting.public_version(cf, case_no, today=TODAY)
    publication.set_redaction(cf, cid, "section:3", True, "依法不予公开", today=TODAY)
    data = ReleaseInput("investigation", TODAY, "天门市人民政府门户网站", "天门市人民政府")
    with pytest.raises(ValidationError, match="重新进行公开前审查"):
        publication.publish(cf, cid, data, v1, tmp_path / "a.pdf", generated_at=AT, today=TODAY)
    assert not (tmp_path / "a.pdf").exists()
    publication.set_redaction(cf, cid, "section:3", False, today=TODAY)
    v = reporting.public_version(cf, case_no, today=TODAY)
    assert v.review is not None  # the same content as reviewed: still approved
    publication.publish(cf, cid, data, v, tmp_path / "b.pdf", generated_at=AT, today=TODAY)
    text = pdf_text(tmp_path / "b.pdf")
    assert text.endswith("") and "天门市人民政府2026年10月20日" in text  # the 落款 of the release
    after = reporting.public_version(cf, case_no, today=TODAY)
    assert after.releasable and after.fingerprint == v.fingerprint


def test_a_minors_name_cannot_be_kept_and_unknown_keys_are_refused(
    case: tuple[CaseFile, str],
) -> None:
    cf, case_no = case
    cid = _case_id(cf, case_no)
    with pytest.raises(ValidationError, match="未成年人"):
        publication.keep_found_item(cf, cid, "name", "刘小雨", "家属同意", today=TODAY)
    with pytest.raises(ValidationError, match="当事人不存在"):
        publication.set_redaction(cf, cid, "party:999.name", True, "x", today=TODAY)
    with pytest.raises(ValidationError, match="不认识"):
        publication.set_redaction(cf, cid, "secret:1", True, "x", today=TODAY)


def test_only_the_government_or_its_fire_agency_may_be_named_as_publisher(
    case: tuple[CaseFile, str], tmp_path: Path
) -> None:
    """第二十一条, the lawyer's finding: "某某科技有限公司" and a township were accepted as the
    publishing body and printed as the 落款 of the public version."""
    cf, case_no = case
    cid = _case_id(cf, case_no)
    v1 = reporting.public_version(cf, case_no, today=TODAY)
    publication.approve_review(cf, cid, v1, today=TODAY)
    v = reporting.public_version(cf, case_no, today=TODAY)
    for body in ("某某科技有限公司", "竟陵街道办事处", "湖北省人民政府"):
        data = ReleaseInput("investigation", TODAY, "门户网站", body)
        with pytest.raises(ValidationError, match="第二十一条") as caught:
            publication.publish(cf, cid, data, v, tmp_path / "x.pdf", generated_at=AT, today=TODAY)
        assert caught.value.field == "approved_by" and "天门市人民政府" in caught.value.message
        assert not (tmp_path / "x.pdf").exists()
    assert "天门市人民政府" in publication.publishers(cf, cid)


def test_format_characters_pasted_into_a_withheld_name_do_not_publish_it(tmp_path: Path) -> None:
    """The attacker's finding: "胡\\ufeff小兵", "胡\\u2060小兵", "胡\\u00ad小兵" and the unit
    "天门市宏达\\u200b商贸有限公司" were printed in the public version (PDF and .docx) although
    the name and the unit were withheld."""
    source = Path(__file__).parent / "data" / "public_invisible_characters.json"
    data = scenario.load_scenario(source.read_text(encoding="utf-8"))
    with open_case_file(tmp_path / "case.fcdb", user="李明") as cf:
        case_id = scenario.enter_scenario(cf, data, TODAY)
        case_no = reading.get_case(cf, case_id, today=TODAY).case.case_no
        text = outputs(cf, case_no, tmp_path)
    for secret in ("小兵", "宏达", "商贸有限公司"):
        assert secret not in text, secret
    assert "某单位仓库起火" in text
