"""Printed reports of a case: build the reports' frozen input from the case file, and the
``firecase report`` command.

Each ``*_report_data`` function reads one case in one read-only transaction (through
:func:`firecase.services.reading.get_case`, which never commits) and returns the frozen dataclass
of :mod:`firecase.reports.data`; the report modules turn that into PDF without touching the
database. Fonts come from the case file's settings (``report_body_font``,
``report_title_font``: paths of system TrueType fonts) with the bundled fonts as fallback.

Public version (第二十一条): a field is confidential when its section or recommendation is
marked so, or a redaction names it (``case.<field>``, ``section:N``, ``recommendation:N``,
``finding:N``, ``cause:N``, ``measure:N``, ``task:N``). A person or unit whose name is redacted
(``party:N.name``) is also masked wherever the name occurs in a published text ("胡某某",
"某单位"), because the name is the confidential field and must not appear in the PDF at all.

The wording the reports are built from (titles, the opening, the team's composition, the
signatories) is in ``_report_text``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from firecase.errors import CaseFileError, FirecaseError, NotFoundError, ValidationError
from firecase.reports.base import BuiltReport, format_date
from firecase.reports.data import (
    CasualtyPerson,
    ClockRow,
    ClockSheetData,
    DissentingOpinion,
    EvaluationItem,
    EvaluationItemKind,
    EvaluationReportData,
    EvaluationSections,
    FireFacts,
    ImplementationResult,
    InvestigationReportData,
    InvestigationSections,
    PublicReportData,
    Recommendation,
    RectificationMeasure,
    ResponsibilityArea,
    ResponsibilityFinding,
)
from firecase.reports.document import with_anchor
from firecase.reports.fonts import FontConfig
from firecase.reports.wording import cite, cn_time, prose_area, prose_yuan
from firecase.services._report_text import (
    _CLOCK_DONE,
    _ITEM_KINDS,
    TeamBodies,
    _casualty_loss,
    _detail,
    _evidence,
    _fire_time,
    _fire_title,
    _grade_text,
    _local_cites,
    _minor_injuries,
    _signatories,
    fire_location,
    generated_wording,
    report_composition,
    report_opening,
    report_team_name,
    report_title,
    team_bodies,
    team_founding_body,
)
from firecase.services.dto import (
    PERSON_ROLES,
    CaseDetail,
    EvaluationItemView,
    MeasureView,
    RecommendationView,
    SettingsView,
)
from firecase.services.outputs import record_output
from firecase.services.settings import get_settings
from firecase.store import CaseFile, open_case_file
from firecase.store.audit import chain_head

if TYPE_CHECKING:
    from firecase.services.disclosure import PublicVersion

__all__ = [
    "REPORT_FORMATS",
    "REPORT_NAMES",
    "TeamBodies",
    "build_report",
    "clock_sheet_data",
    "evaluation_report_data",
    "font_config",
    "generated_wording",
    "investigation_report_data",
    "public_evaluation_data",
    "public_report_data",
    "public_version",
    "report_command",
    "report_composition",
    "report_format",
    "report_opening",
    "report_team_name",
    "report_title",
    "team_bodies",
    "team_founding_body",
    "unchecked_recommendations",
]


def investigation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> InvestigationReportData:
    """The investigation report (第十八条) of the case ``case_no``, read in one transaction."""
    d = _detail(cf, case_no, today)
    settings = get_settings(cf)
    c = d.case
    sections = {s.number: s.body for s in d.report_sections}
    evaluation_start = d.evaluation.started_on if d.evaluation is not None else None
    return InvestigationReportData(
        organisation=report_team_name(d, settings.organisation_name),
        case_no=c.case_no,
        title=report_title(d),
        opening=report_opening(d, settings.organisation_name),
        composition=report_composition(d),
        fire=FireFacts(
            fire_date=c.fire_date,
            fire_time=_fire_time(c.fire_time),
            location=fire_location(c),
            unit=c.unit_name or "—",
            grade=_grade_text(d),
            deaths=d.deaths,
            serious_injuries=d.serious_injuries,
            minor_injuries=_minor_injuries(d),
            direct_loss_yuan=c.economic_loss_yuan,
            burned_area_m2=c.burned_area_m2,
            nature=c.nature,
            jurisdiction=_local_cites(d.jurisdiction),
            casualty_note=d.counted_note,
        ),
        sections=InvestigationSections(*(_local_cites(sections.get(n, "")) for n in range(1, 9))),
        casualty_loss=_casualty_loss(d),
        casualty_persons=tuple(
            CasualtyPerson(x.role, x.name, x.sex, x.age, x.note)
            for x in sorted(d.persons, key=lambda x: PERSON_ROLES.index(x.role))
            if x.role != "证人"
        ),
        direct_cause="\n".join(x.text for x in d.causes if x.kind == "直接原因"),
        indirect_causes=tuple(x.text for x in d.causes if x.kind == "间接原因"),
        findings=tuple(
            ResponsibilityFinding(ResponsibilityArea(f.area), f.subject, f.text) for f in d.findings
        ),
        recommendations=tuple(
            Recommendation(
                r.target_name, ResponsibilityArea(r.area), r.kind, r.basis, r.authority, r.text
            )
            for r in d.recommendations
        ),
        # the case's measures, without those the evaluation set later (限期整改, 第二十四条)
        rectification_measures=tuple(
            RectificationMeasure(m.text, m.responsible, m.deadline)
            for m in d.measures
            if evaluation_start is None or m.set_on < evaluation_start
        ),
        dissents=tuple(DissentingOpinion(x.member_name, x.recorded_on, x.text) for x in d.dissents),
        evidence=_evidence(d),
        signatories=_signatories(d),
        report_date=c.report_submitted_on,
    )


def evaluation_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> EvaluationReportData:
    """The evaluation report (第二十三条) of the case; ``NotFoundError`` if none is recorded."""
    d = _detail(cf, case_no, today)
    ev = d.evaluation
    if ev is None:
        raise NotFoundError(
            f"案件“{d.case.case_no}”尚未建立整改评估（第二十二条），无法生成评估报告。",
            field="evaluation",
        )
    recs = {r.id: r for r in d.recommendations}
    measures = {m.id: m for m in d.measures}
    items: list[EvaluationItem] = []
    for i in d.evaluation_items:
        kind = _ITEM_KINDS.get(i.kind, EvaluationItemKind.MEASURE)
        result = ImplementationResult(i.result)
        subject, action = i.subject, i.subject
        deadline: dt.date | None = None
        original: dt.date | None = None
        covered = [recs[r] for r in i.recommendation_ids if r in recs]
        if covered:
            # every person or unit the item covers, each with what the report required
            subject = "、".join(r.target_name for r in covered)
            action = "\n".join(_required(r, len(covered) > 1) for r in covered)
        if i.measure_id in measures:
            m = measures[i.measure_id]
            subject, action = m.responsible, m.text
            if result is not ImplementationResult.DONE:
                deadline, original = _rectification_deadline(i, m, d)
        items.append(EvaluationItem(kind, subject, action, result, i.evidence, deadline, original))
    unchecked = unchecked_recommendations(d)

    composition = f"评估组由{ev.lead}牵头"
    if ev.members:
        composition += f"，{'、'.join(ev.members)}参加"
    if ev.third_party:
        composition += f"，委托{ev.third_party}参与评估（{cite('第二十二条第二款')}）"
    period = ""
    if ev.started_on:
        period = f"评估工作自{format_date(ev.started_on)}开始"
        period += f"，于{format_date(ev.finished_on)}结束。" if ev.finished_on else "。"

    def counted(kind: EvaluationItemKind, noun: str) -> str:
        mine = [x for x in items if x.kind is kind]
        if not mine:
            return ""
        done = sum(1 for x in mine if x.result is ImplementationResult.DONE)
        return f"共评估{noun}{len(mine)}项，已落实{done}项，逐项情况见下表。"

    def worded(r: RecommendationView) -> str:
        return f"{r.target_name}：{r.kind}（{r.authority}）"

    return EvaluationReportData(
        organisation=ev.lead,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故责任追究和整改措施落实情况评估报告"),
        sections=EvaluationSections(
            organisation_and_conduct="\n".join(
                x for x in (composition + "。", period, ev.conduct) if x
            ),
            persons_accountability=counted(EvaluationItemKind.PERSON, "责任人员责任追究事项"),
            units_accountability=counted(EvaluationItemKind.UNIT, "责任单位责任追究事项"),
            rectification=counted(EvaluationItemKind.MEASURE, "整改措施"),
            opinion_and_recommendations=ev.opinion,
        ),
        items=tuple(items),
        report_date=ev.submitted_on,
        unchecked_persons=tuple(worded(r) for r in unchecked if r.target_kind == "个人"),
        unchecked_units=tuple(worded(r) for r in unchecked if r.target_kind != "个人"),
    )


def _required(r: RecommendationView, named: bool) -> str:
    """What the report required of one person or unit: "移送司法机关（天门市公安局）：…"."""
    text = f"{r.kind}（{r.authority}）" + (f"：{r.text.strip()}" if r.text.strip() else "")
    return f"{r.target_name}：{text}" if named else text


def _rectification_deadline(
    item: EvaluationItemView, m: MeasureView, d: CaseDetail
) -> tuple[dt.date | None, dt.date | None]:
    """The 限期整改 deadline of a measure not (fully) done (第二十四条): the deadline of the
    measure the evaluation set for the item (``order_id``), else the measure's own deadline
    unless it had passed before the evaluation checked it; the first deadline is returned too
    when it was replaced or had lapsed (``None`` otherwise)."""
    order = next((x for x in d.measures if x.id == item.order_id), None)
    if order is not None and order.deadline is not None:
        return order.deadline, m.deadline
    ev = d.evaluation
    checked = (ev.finished_on or ev.started_on) if ev is not None else None
    if m.deadline is not None and checked is not None and m.deadline < checked:
        return None, m.deadline  # lapsed and no new deadline was set
    return m.deadline, None


def unchecked_recommendations(d: CaseDetail) -> tuple[RecommendationView, ...]:
    """Recommendations of the report that no evaluation item covers: the evaluation must
    check the accountability of every person and unit (第二十二条, 第二十三条第二项、第三项),
    so each is flagged on the evaluation tab and named in the evaluation report."""
    if d.evaluation is None:
        return ()
    covered = {r for i in d.evaluation_items for r in i.recommendation_ids}
    return tuple(r for r in d.recommendations if r.id not in covered)


def public_version(
    cf: CaseFile, case_no: str, report: str = "investigation", *, today: dt.date | None = None
) -> PublicVersion:
    """The public version ``report`` ("investigation" | "evaluation") of the case, withheld
    and masked as decided (``services.disclosure``), with what its 公开前审查 must list."""
    from firecase.services.disclosure import public_evaluation, public_investigation

    if report == "evaluation":
        data = evaluation_report_data(cf, case_no, today=today)
        return public_evaluation(_detail(cf, case_no, today), data, _local_cites)
    if report != "investigation":
        raise NotFoundError(f"没有“{report}”这种公开版本。", field="report")
    d = _detail(cf, case_no, today)
    c = d.case
    clock = _fire_time(c.fire_time)
    when = format_date(c.fire_date) + (cn_time(clock) + "许" if clock is not None else "")
    area = f"约{prose_area(c.burned_area_m2)}平方米" if c.burned_area_m2 is not None else ""
    grade = _grade_text(d) if c.grade is not None else ""
    return public_investigation(
        d,
        organisation=d.publication.published_by or get_settings(cf).organisation_name,
        title=_fire_title(_local_cites(c.title), "事故调查处理情况"),
        when=when,
        location=fire_location(c),
        grade=grade,
        loss=prose_yuan(c.economic_loss_yuan),
        area=area,
        polish=_local_cites,
    )


def public_report_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> PublicReportData:
    """The public version of the investigation and its handling (第二十一条), as printed."""
    data = public_version(cf, case_no, "investigation", today=today).data
    assert isinstance(data, PublicReportData)
    return data


def public_evaluation_data(
    cf: CaseFile, case_no: str, *, today: dt.date | None = None
) -> EvaluationReportData:
    """The public version of the evaluation report (第二十三条), as printed."""
    data = public_version(cf, case_no, "evaluation", today=today).data
    assert isinstance(data, EvaluationReportData)
    return data


def clock_sheet_data(cf: CaseFile, case_no: str, *, today: dt.date | None = None) -> ClockSheetData:
    """Every clock of the case as of ``today`` (default: the system date)."""
    d = _detail(cf, case_no, today)
    rows = tuple(
        ClockRow(
            label=k.label + (f"（{k.subject}）" if k.subject else ""),
            start=k.start,
            due=k.due,
            days_left=None if k.status == _CLOCK_DONE or k.paused else k.days_left,
            status=k.status + (f"（逾期{k.late_days}天）" if k.late_days else ""),
            explanation=k.explanation,
            basis=k.basis,
            overdue=k.overdue,
            provisional=k.provisional,
        )
        for k in d.clocks
    )
    return ClockSheetData(
        organisation=get_settings(cf).organisation_name,
        case_no=d.case.case_no,
        title=_fire_title(d.case.title, "事故期限一览"),
        today=d.today,
        rows=rows,
    )


# ------------------------------------------------------------------------------- build, CLI


def font_config(settings: SettingsView) -> FontConfig:
    """The face of each role (GB/T 9704): the one the settings choose, else the standard face
    installed on this machine (simfang.ttf, simkai.ttf, …), else the bundled one."""
    from firecase.services.settings import FONT_KEYS

    chosen: dict[str, Path | None] = {}
    for role, key in FONT_KEYS.items():
        value = str(getattr(settings, key, "") or "")
        chosen[role] = Path(value) if value else None
    return FontConfig.resolve(chosen)


REPORT_NAMES: dict[str, str] = {
    "investigation": "火灾事故调查报告",
    "evaluation": "评估报告",
    "public": "公开版",
    "public_evaluation": "评估报告（公开版）",
    "clocks": "期限一览表",
}

REPORT_FORMATS: dict[str, str] = {"pdf": "PDF 文件", "docx": "Word 文档"}


def report_format(out: Path | BinaryIO) -> str:
    """The format a report written to ``out`` gets by default: "docx" for a path ending
    ``.docx``, "pdf" otherwise (streams too)."""
    if isinstance(out, (str, PathLike)) and Path(out).suffix.lower() == ".docx":
        return "docx"
    return "pdf"


def build_report(
    cf: CaseFile,
    kind: str,
    case_no: str,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    today: dt.date | None = None,
    fmt: str | None = None,
    pages: int = 0,
) -> BuiltReport:
    """Read the case and write the report ``kind`` ("investigation" | "evaluation" |
    "public" | "clocks") to ``out``: as PDF with the fonts the case file's settings choose,
    or as an editable Word document (``fmt`` "docx"; by default when ``out`` ends ``.docx``).
    A Word document has no fixed page count: its ``pages`` is 0.

    ``pages``: only the first that many pages of the PDF, to a stream (the preview's first
    page while the whole report is built); never written to a file or recorded."""
    fmt = fmt or report_format(out)
    if pages and (fmt != "pdf" or isinstance(out, (str, PathLike))):
        raise ValidationError("只有预览可以只排版前几页。", field="pages")
    if fmt not in REPORT_FORMATS:
        raise ValidationError(f"不支持“{fmt}”格式，只能生成PDF或Word（.docx）文件。", field="fmt")
    data_of = {
        "investigation": investigation_report_data,
        "evaluation": evaluation_report_data,
        "public": public_report_data,
        "public_evaluation": public_evaluation_data,
        "clocks": clock_sheet_data,
    }
    if kind not in data_of:
        raise NotFoundError(f"没有“{kind}”这种报告。", field="kind")
    data = data_of[kind](cf, case_no, today=today)
    return _write(
        cf, data, out, fmt=fmt, generated_at=generated_at, record=(kind, case_no), pages=pages
    )


def chain_anchor(cf: CaseFile) -> str:
    """The audit chain's head now, "SEQ:HASH", as every report prints it."""
    with cf.connect() as conn:
        seq, digest = chain_head(conn)
    return f"{seq}:{digest}"


def _write(
    cf: CaseFile,
    data: Any,
    out: Path | BinaryIO,
    *,
    fmt: str,
    generated_at: dt.datetime,
    record: tuple[str, str],
    pages: int = 0,
) -> BuiltReport:
    """Typeset ``data`` (any report's data) as PDF or Word, with the chain's head read after
    the data (so the anchor covers every change the report shows). A file written to a path
    is then recorded (``services.outputs``: kind and case number in ``record``); a stream
    (a preview on screen) is not."""
    from firecase.reports.clock_sheet import clock_sheet_document
    from firecase.reports.evaluation import evaluation_document
    from firecase.reports.investigation import investigation_document
    from firecase.reports.pdf import write_pdf
    from firecase.reports.public import public_document

    if isinstance(data, PublicReportData):
        document = public_document(data, generated_at=generated_at)
    elif isinstance(data, EvaluationReportData):
        document = evaluation_document(data, generated_at=generated_at)
    elif isinstance(data, ClockSheetData):
        document = clock_sheet_document(data, generated_at=generated_at)
    else:
        document = investigation_document(data, generated_at=generated_at)
    anchor = chain_anchor(cf)
    document = with_anchor(document, anchor)
    if fmt == "docx":
        from firecase.reports.docx import write_docx  # python-docx only for Word

        built = write_docx(document, out)
    else:
        built = write_pdf(document, out, fonts=font_config(get_settings(cf)), pages=pages)
    if isinstance(out, (str, PathLike)):
        record_output(cf, record[0], record[1], Path(out), anchor)
    return built


def write_public_version(
    cf: CaseFile,
    version: PublicVersion,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    fmt: str | None = None,
) -> BuiltReport:
    """Write exactly the public version ``version`` (as reviewed) to ``out``: the content is
    not read again, so the file published is the content the review approved."""
    kind = "public" if isinstance(version.data, PublicReportData) else "public_evaluation"
    return _write(
        cf,
        version.data,
        out,
        fmt=fmt or report_format(out),
        generated_at=generated_at,
        record=(kind, version.data.case_no),
    )


def _is_url(text: str) -> bool:
    return "://" in text


def report_command(args: argparse.Namespace) -> int:
    """``firecase report KIND CASE_NO --db PATH -o OUT.pdf|OUT.docx``: print one report to PDF,
    or to an editable Word document when the output ends ``.docx``."""
    out = Path(args.output)
    fmt = report_format(out)
    try:
        if not _is_url(str(args.db)) and not Path(args.db).is_file():
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        if not out.parent.is_dir():
            raise CaseFileError(f"输出文件夹不存在：{out.parent}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            result = build_report(
                cf, args.kind, args.case_no, out, generated_at=dt.datetime.now(), fmt=fmt
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    except OSError as exc:  # the output cannot be written (permissions, disk full, locked)
        print(f"错误：无法写入文件{out}：{exc.strerror or exc}")
        return 2
    name = REPORT_NAMES[args.kind]
    if args.kind in ("public", "public_evaluation"):
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            report = "investigation" if args.kind == "public" else "evaluation"
            mark = public_version(cf, args.case_no, report).draft_mark
        if mark:
            print(f"注意：这是{mark}，每页已标注（第二十一条）。")
    if fmt == "docx":  # Word lays the pages out itself: no page count to report
        print(f"已生成{name}（Word 文档）：{out}")
        return 0
    note = ""
    if result.fallback_chars:
        note = f"（{''.join(result.fallback_chars)} 用备用字体打印）"
    print(f"已生成{name}：{out}，共{result.pages}页{note}")
    return 0
