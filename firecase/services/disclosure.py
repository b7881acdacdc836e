"""What the public version may say: withheld by content, personal data masked, reviewed.

第二十一条 publishes the handling of a fire "除依法应当保密外". This module turns a case into the
content of its public version (:class:`~firecase.reports.data.PublicReportData`, or the public
evaluation report) and into the list a 公开前审查 shows — every item withheld or masked, where it
was, why, on what basis and who decided:

* **Withheld by content.** Every part (the eight sections of 第十八条 and 事故处理情况) and every
  record (cause, finding, recommendation, handling task, measure, evidence item, dissent) can be
  withheld (a ``redactions`` key: ``section:N`` — ``section:9`` is 事故处理情况 —, ``cause:N``,
  ``finding:N``, ``recommendation:N``, ``task:N``, ``measure:N``, ``evidence:N``, ``dissent:N``,
  ``evaluation_item:N``; a case field ``case.<field>``). Withholding a part withholds the records
  shown in it (:data:`PART_RECORDS`). A withheld recommendation takes with it what would tell its
  substance elsewhere: the findings about the same person or unit, the handling tasks and
  paragraphs of 六/处理情况 that name them (under their full or masked name), and the evaluation
  items that check it. A withheld case field's value is replaced wherever it occurs (the title
  FireCase builds, the header, the file's properties).
* **Names to mask.** A redacted name (``party:N.name``, or ``name:<name>``) is masked in every
  text ("胡某某", a unit "某单位"); it cannot be kept.
* **Personal data found before release** (:mod:`firecase.rules.personal_data`): ID, phone, bank
  card, plate numbers, e-mail addresses and the names of the persons in the register, of minors,
  of the parties and of the persons a recommendation names are masked by default; an officer may
  keep one only with a reason (``disclosure_keeps``).
* **Review and release.** The content has a fingerprint; an approved review records it. A version
  is marked 草稿 on every page before the 批复 (the evaluation: before its report is submitted)
  and until a review approved exactly this content.

The parts of the public version, the review items and the discloser that withholds and
masks (``_Discloser``) are in ``_discloser``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from firecase.reports.base import format_date
from firecase.reports.data import (
    EvaluationItem,
    EvaluationItemKind,
    EvaluationReportData,
    EvaluationSections,
    ImplementationResult,
    PublicItem,
    PublicPart,
    PublicReportData,
)
from firecase.services._discloser import (
    BASIS_WITHHELD,
    DRAFT_NO_EVALUATION_REPORT,
    DRAFT_NO_REPLY,
    PART_HEADINGS,
    PART_RECORDS,
    REPORT_KINDS,
    PublicVersion,
    ReviewItem,
    _Discloser,
    records_of_part,
    visible,
)
from firecase.services.dto import CaseDetail
from firecase.textmarks import shorten

__all__ = [
    "BASIS_WITHHELD",
    "PART_HEADINGS",
    "PART_RECORDS",
    "REPORT_KINDS",
    "PublicVersion",
    "ReviewItem",
    "public_evaluation",
    "public_investigation",
    "records_of_part",
]


def public_investigation(
    d: CaseDetail,
    *,
    organisation: str,
    title: str,
    when: str,
    location: str,
    grade: str,
    loss: str,
    area: str,
    polish: Callable[[str], str] = str,
) -> PublicVersion:
    """The public version of the investigation and its handling (第二十一条).

    ``title`` (the case's title, built as the reports build it), ``when`` (起火时间 worded),
    ``location``, ``grade``, ``loss`` (直接经济损失 worded) and ``area`` (过火面积 worded, "" when
    not recorded) come from the reporting service, so the public and the internal report word
    the facts alike. Format characters (zero-width, soft hyphens) are dropped from every text
    first (``visible``): a withheld name must be found however it was pasted."""
    d = visible(d)
    title, when, location, grade, loss, area = (
        visible(t) for t in (title, when, location, grade, loss, area)
    )
    organisation = visible(organisation)
    x = _Discloser(d, "investigation", polish, loss)
    c = d.case
    w = x.withheld

    def facts() -> list[str]:
        say: list[str] = []
        head = ""
        if "case.fire_date" not in w:
            head += when + "，"
        if "case.address" not in w and location:
            head += location
        if "case.unit_name" not in w and c.unit_name:
            head += c.unit_name
        head += "发生火灾"
        if area and "case.burned_area_m2" not in w:
            head += f"，过火面积{area}"
        if "case.casualties" not in w:
            minor = d.casualty_updates[-1].minor_injuries if d.casualty_updates else 0
            if d.deaths or d.serious_injuries or minor:
                counts = [
                    f"{label}{n}人"
                    for label, n in (
                        ("死亡", d.deaths),
                        ("重伤", d.serious_injuries),
                        ("轻伤", minor),
                    )
                    if n
                ]
                head += "，造成" + "、".join(counts)
            else:
                head += "，未造成人员伤亡"
        if "case.economic_loss_yuan" not in w and loss:
            head += f"，直接经济损失{loss}"
        say.append(head + "。")
        if "case.grade" not in w and grade:
            sentence = f"该起火灾为{grade}"
            if c.nature and "case.nature" not in w:
                sentence += f"，事故性质为{c.nature.removeprefix('一起')}"
            say.append(sentence + "。")
        return [x.text(s, "基本情况") for s in say]

    for key, label in (
        ("case.fire_date", "起火时间"),
        ("case.address", "起火地点"),
        ("case.unit_name", "起火单位（场所）"),
        ("case.grade", "火灾等级"),
        ("case.casualties", "人员伤亡"),
        ("case.economic_loss_yuan", "直接经济损失"),
        ("case.burned_area_m2", "过火面积"),
    ):
        x.hidden(key, f"基本情况—{label}", label)

    parts: list[PublicPart] = []
    for n, heading in PART_HEADINGS.items():
        paragraphs = _section_paragraphs(x, n, heading)
        items = _part_items(x, d, n, heading)
        parts.append(PublicPart(heading, tuple(paragraphs), tuple(items)))
    data = PublicReportData(
        organisation=organisation,
        case_no=c.case_no,
        title=x.text(title, "标题"),
        opening=tuple(facts()),
        parts=tuple(parts),
        published_on=d.publication.published_on,
    )
    return x.finish(data, "" if c.reply_on else DRAFT_NO_REPLY)


def _section_paragraphs(x: _Discloser, n: int, heading: str) -> list[str]:
    s = x.sections.get(n)
    if s is None or not s.body.strip():
        return []
    if x.hidden(f"section:{n}", heading, s.body):
        return []
    out: list[str] = []
    for i, line in enumerate(p.strip() for p in s.body.splitlines() if p.strip()):
        where = f"{heading}（第{i + 1}段）"
        # the parts that tell the handling: a paragraph naming a withheld recommendation's
        # target would tell its substance
        if n in (6, 8, 9) and x.leaked(f"paragraph:{n}:{i + 1}", where, line):
            continue
        out.append(x.text(line, where))
    return out


def _part_items(x: _Discloser, d: CaseDetail, n: int, heading: str) -> list[PublicItem]:
    items: list[PublicItem] = []

    def add(key: str, label: str, text: str, *, leak_check: bool = False) -> None:
        # one printed paragraph: its lines joined before masking, so a number typed over two
        # lines is found whole
        text = " ".join(line.strip() for line in text.splitlines() if line.strip())
        where = f"{heading}—{label}"
        if x.hidden(key, where, f"{label}：{text}"):
            return
        if leak_check and x.leaked(key, where, f"{label}：{text}"):
            return
        items.append(PublicItem(x.text(label, where), x.text(text, where)))

    c = d.case
    if n == 4:
        for cause in d.causes:
            add(f"cause:{cause.id}", cause.kind, cause.text)
        if c.nature and "case.grade" in x.withheld:  # not said in the basic facts
            add("case.nature", "事故性质", c.nature)
    elif n == 6:
        for f in d.findings:
            add(f"finding:{f.id}", f"{f.subject}（{f.area}）", f.text, leak_check=True)
        for r in d.recommendations:
            text = f"{r.kind}，由{r.authority}依法处理" + (f"。{r.text}" if r.text else "")
            add(f"recommendation:{r.id}", r.target_name, text, leak_check=True)
    elif n == 7:
        for m in d.measures:
            deadline = f"（完成期限：{format_date(m.deadline)}）" if m.deadline else ""
            add(f"measure:{m.id}", m.responsible, m.text + deadline)
    elif n == 8:
        for e in d.evidence:
            add(f"evidence:{e.id}", f"证据{e.code}", f"{e.name}（{e.kind}）", leak_check=True)
        for dissent in d.dissents:
            add(
                f"dissent:{dissent.id}",
                f"调查组成员{dissent.member_name}的不同意见",
                dissent.text,
                leak_check=True,
            )
    elif n == 9:
        if c.reply_on:
            reply = f"{format_date(c.reply_on)}，{_replying_government(d)}作出批复"
            reply += f"（{c.reply_ref}）" if c.reply_ref else ""
            reply += f"：{c.reply_summary}" if c.reply_summary else "。"
            add("case.reply", "政府批复", reply)
        for t in d.handling_tasks:
            if t.removed_on is None:
                text = t.task + (f"。{t.result}" if t.result else "")
                add(f"task:{t.id}", t.department, text, leak_check=True)
    return items


def _replying_government(d: CaseDetail) -> str:
    """The government that replied (第十九条): the one that took the case over (第四条第二款),
    else 天门市人民政府."""
    return d.case.taken_over_by or "天门市人民政府"


# ------------------------------------------------------------------------ evaluation


def public_evaluation(
    d: CaseDetail, data: EvaluationReportData, polish: Callable[[str], str] = str
) -> PublicVersion:
    """The public version of the evaluation report (第二十三条; 安委办〔2021〕4号 asks that it
    be published): the same decisions, every text masked, no signature table; an item that
    checks a withheld recommendation, or is withheld itself, is left out and the counts are
    those of the items published."""
    d, data = visible(d), visible(data)
    x = _Discloser(d, "evaluation", polish)
    items: list[EvaluationItem] = []
    for view, item in zip(d.evaluation_items, data.items, strict=True):
        where = f"评估事项：{item.subject}"
        key = f"evaluation_item:{view.id}"
        covered = [f"recommendation:{r}" for r in view.recommendation_ids]
        if view.measure_id is not None:
            covered.append(f"measure:{view.measure_id}")
        if x.hidden(key, where, item.required_action):
            continue
        if x.leaked(key, where, f"{item.subject}：{item.required_action}。{item.evidence}"):
            continue
        secret = next((k for k in covered if k in x.withheld), None)
        if secret is not None:
            reason = x.withheld[secret][0]
            x.items.append(
                ReviewItem(
                    "withheld",
                    where,
                    shorten(item.required_action),
                    "不予公开",
                    f"所评估的{'整改措施' if secret.startswith('measure:') else '处理建议'}"
                    f"不予公开（{reason}）",
                    BASIS_WITHHELD,
                    "随处理建议",
                    key=key,
                )
            )
            continue
        items.append(
            dataclasses.replace(
                item,
                subject=x.text(item.subject, where),
                required_action=x.text(item.required_action, where),
                evidence=x.text(item.evidence, where),
            )
        )

    def counted(kind: EvaluationItemKind, noun: str) -> str:
        mine = [i for i in items if i.kind is kind]
        if not mine:
            return ""
        done = sum(1 for i in mine if i.result is ImplementationResult.DONE)
        return f"共评估{noun}{len(mine)}项，已落实{done}项，逐项情况见下表。"

    def said(text: str, heading: str) -> str:
        """The section's paragraphs that may be published, masked; a paragraph naming a
        withheld recommendation's target is withheld."""
        kept = []
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for i, line in enumerate(lines, 1):
            where = f"{heading}（第{i}段）"
            if not x.leaked(f"evaluation_paragraph:{heading}:{i}", where, line):
                kept.append(x.text(line, where))
        return "\n".join(kept)

    s = data.sections
    sections = EvaluationSections(
        organisation_and_conduct=said(s.organisation_and_conduct, "一、评估工作的组织及开展情况"),
        persons_accountability=counted(EvaluationItemKind.PERSON, "责任人员责任追究事项"),
        units_accountability=counted(EvaluationItemKind.UNIT, "责任单位责任追究事项"),
        rectification=counted(EvaluationItemKind.MEASURE, "整改措施"),
        opinion_and_recommendations=said(s.opinion_and_recommendations, "五、评估意见及措施建议"),
    )
    secret_names = {
        r.target_name for r in d.recommendations if f"recommendation:{r.id}" in x.withheld
    }

    def unchecked(names: tuple[str, ...], where: str) -> tuple[str, ...]:
        return tuple(
            x.text(n, where) for n in names if not any(n.startswith(s + "：") for s in secret_names)
        )

    public = EvaluationReportData(
        organisation=data.organisation,
        case_no=data.case_no,
        title=x.text(data.title, "标题"),
        sections=sections,
        items=tuple(items),
        evaluators=(),
        unchecked_persons=unchecked(data.unchecked_persons, "未评估的处理建议"),
        unchecked_units=unchecked(data.unchecked_units, "未评估的处理建议"),
        report_date=data.report_date,
        public=True,
    )
    ev = d.evaluation
    draft = "" if ev is not None and ev.submitted_on else DRAFT_NO_EVALUATION_REPORT
    return x.finish(public, draft)
