"""公开 (第二十一条): what is withheld, what is kept after review, and each publication.

* :func:`set_redaction` withholds a part, a record, a case field or a name (and who decided);
* :func:`keep_found_item` / :func:`mask_found_item` decide on personal data found in the text
  (masked unless kept, with a reason);
* :func:`approve_review` records a 公开前审查 of the public version as it is now;
* :func:`record_release` records a publication: only of a version that may be released (after
  the 批复, reviewed as it is), with the hash of the very file published.

What the public version then says is decided by :mod:`firecase.services.disclosure`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from firecase.errors import ValidationError
from firecase.reports.data import PublicReportData
from firecase.rules.personal_data import HIT_KINDS
from firecase.services import _common as v, _views as views
from firecase.services._records import _need
from firecase.services.disclosure import REPORT_KINDS, PublicVersion
from firecase.services.dto import PublicationInput, PublicationView, ReleaseInput
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, models as m

__all__ = [
    "CASE_FIELD_KEYS",
    "approve_review",
    "keep_found_item",
    "mask_found_item",
    "publish",
    "save_publication",
    "set_redaction",
]

CASE_FIELD_KEYS: dict[str, str] = {
    "case.fire_date": "起火时间",
    "case.address": "起火地点（详细地址）",
    "case.unit_name": "起火单位（场所）",
    "case.grade": "火灾等级",
    "case.casualties": "人员伤亡",
    "case.economic_loss_yuan": "直接经济损失",
    "case.burned_area_m2": "过火面积",
    "case.nature": "事故性质",
    "case.reply": "政府批复",
}

_RECORD_KEY = re.compile(
    r"(cause|finding|recommendation|task|measure|evidence|dissent|evaluation_item|paragraph)"
    r":\d+(:\d+)?"
)
_FOUND_KINDS = frozenset(HIT_KINDS) | {"record"}  # "record": a leaked record's key
_MAX_FILE = 200 * 1024 * 1024


def _saved(uow: Any, case_id: int) -> PublicationView:
    """Flush, read the publication record back, commit: what every use case here returns."""
    uow.session.flush()
    out = views.publication_view(uow.session, case_id)
    uow.commit()
    return out


def _actor(cf: CaseFile, actor: str | None) -> str:
    return str(actor or cf.user or "")


def _key(value: Any) -> str:
    key = v.text(value, "field_key", "字段", max_len=100)
    if key in CASE_FIELD_KEYS:
        return key
    if re.fullmatch(r"section:[1-9]", key) or re.fullmatch(r"party:\d+\.name", key):
        return key
    if key.startswith("name:"):
        name = "".join(key.removeprefix("name:").split())
        if len(name) >= 2:
            return f"name:{name}"
    if _RECORD_KEY.fullmatch(key):
        return key
    raise ValidationError(f"不认识要不公开的内容“{key}”。", field="field_key")


@requires(Permission.RECORD)
def save_publication(
    cf: CaseFile,
    case_id: int,
    data: PublicationInput,
    *,
    expected_version: int | None = None,
    actor: str | None = None,
) -> PublicationView:
    """Record the public release; ``expected_version`` None for the first save."""
    _need(data, PublicationInput, "公布信息")
    values: dict[str, Any] = {
        "published_on": v.opt_date(data.published_on, "published_on", "公布日期"),
        "channel": v.text(data.channel, "channel", "公布渠道", required=False),
        "published_by": v.text(data.published_by, "published_by", "公布机关", required=False),
        "note": v.long_text(data.note, "note", "备注"),
    }
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        v.not_before(values["published_on"], case.fire_date, "published_on", "公布日期", "起火日期")
        pub = s.scalars(select(m.Publication).where(m.Publication.case_id == case.id)).first()
        if pub is None:
            if expected_version is not None:
                raise ValidationError("尚无公布记录，无需版本号。", field="version")
            s.add(m.Publication(case_id=case.id, **values))
        else:
            if expected_version is None:
                raise ValidationError("公布记录已由他人保存，请刷新后再编辑。", field="version")
            v.check_version(pub, expected_version, "公布记录")
            for key, value in values.items():
                if getattr(pub, key) != value:
                    setattr(pub, key, value)
        return _saved(uow, case.id)


@requires(Permission.RECORD)
def set_redaction(
    cf: CaseFile,
    case_id: int,
    field_key: str,
    confidential: bool,
    reason: str = "",
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PublicationView:
    """Withhold a part, record, case field or name from the public version, or publish it
    again. ``field_key``: ``"case.unit_name"``, ``"party:12.name"``, ``"name:王建华"``,
    ``"section:6"`` (``section:9`` is 事故处理情况), ``"recommendation:3"``, ``"evidence:4"``…
    Withholding a part withholds the records it shows (``disclosure.records_of_part``)."""
    key = _key(field_key)
    secret = v.flag(confidential, "confidential", "涉密（不公开）")
    why = v.long_text(reason, "reason", "不公开理由", required=secret)
    now = v.today_or(today)
    who = _actor(cf, actor)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        if key.startswith("party:"):
            party = s.get(m.Party, int(key[len("party:") : -len(".name")]))
            if party is None or party.case_id != case.id:
                raise ValidationError("所选当事人不存在或不属于本案件。", field="field_key")
        row = s.scalars(
            select(m.Redaction).where(m.Redaction.case_id == case.id, m.Redaction.field_key == key)
        ).first()
        if secret:
            if row is None:
                s.add(
                    m.Redaction(
                        case_id=case.id, field_key=key, reason=why, decided_by=who, decided_on=now
                    )
                )
            elif row.reason != why:
                row.reason = why
                row.decided_by = who
                row.decided_on = now
        elif row is not None:
            s.delete(row)
        return _saved(uow, case.id)


def _found(kind: Any, value: Any) -> tuple[str, str]:
    k = v.choice(kind, "kind", "类别", sorted(_FOUND_KINDS))
    text = v.text(value, "value", "内容", max_len=200)
    return k, text


@requires(Permission.RECORD)
def keep_found_item(
    cf: CaseFile,
    case_id: int,
    kind: str,
    value: str,
    reason: str,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PublicationView:
    """Publish a found item (personal data, or a record that names a withheld recommendation's
    target: ``kind`` "record", ``value`` its key) unmasked: only with a reason, which is kept
    with who decided and when."""
    k, text = _found(kind, value)
    why = v.long_text(reason, "reason", "保留公开的理由", required=True)
    now = v.today_or(today)
    who = _actor(cf, actor)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        if k == "name":
            minors = s.scalars(
                select(m.Person.name).where(
                    m.Person.case_id == case.id, m.Person.age.is_not(None), m.Person.age < 18
                )
            ).all()
            if "".join(text.split()) in minors:
                raise ValidationError(
                    f"“{text}”是未成年人，其姓名不得公开（《中华人民共和国未成年人保护法》"
                    "第四条、第一百零三条）。",
                    field="value",
                )
        row = s.scalars(
            select(m.DisclosureKeep).where(
                m.DisclosureKeep.case_id == case.id,
                m.DisclosureKeep.kind == k,
                m.DisclosureKeep.value == text,
            )
        ).first()
        if row is None:
            s.add(
                m.DisclosureKeep(
                    case_id=case.id, kind=k, value=text, reason=why, decided_by=who, decided_on=now
                )
            )
        else:
            row.reason, row.decided_by, row.decided_on = why, who, now
        return _saved(uow, case.id)


@requires(Permission.RECORD)
def mask_found_item(
    cf: CaseFile, case_id: int, kind: str, value: str, *, actor: str | None = None
) -> PublicationView:
    """Mask a found item again (undo :func:`keep_found_item`)."""
    k, text = _found(kind, value)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        for row in s.scalars(
            select(m.DisclosureKeep).where(
                m.DisclosureKeep.case_id == case.id,
                m.DisclosureKeep.kind == k,
                m.DisclosureKeep.value == text,
            )
        ):
            s.delete(row)
        return _saved(uow, case.id)


def _report(value: Any) -> str:
    return v.choice(value, "report", "公开版本", list(REPORT_KINDS))


@requires(Permission.APPROVE_RELEASE)
def approve_review(
    cf: CaseFile,
    case_id: int,
    version: PublicVersion,
    *,
    note: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> PublicationView:
    """Record that the 公开前审查 of ``version`` (as :func:`reporting.public_version` built it
    just now) approved it: the public version with this content may be released."""
    if not isinstance(version, PublicVersion):
        raise ValidationError("公开版本格式不正确。", field="version")
    report = _report(version.report)
    text = v.long_text(note, "note", "审查意见")
    now = v.today_or(today)
    counts = version.counts()
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        if version.data.case_no != case.case_no:
            raise ValidationError("审查的公开版本不属于本案件。", field="version")
        s.add(
            m.PublicReview(
                case_id=case.id,
                report=report,
                reviewed_on=now,
                reviewed_by=_actor(cf, actor),
                fingerprint=version.fingerprint,
                withheld=counts["withheld"],
                masked=counts["masked"],
                kept=counts["kept"],
                note=text,
            )
        )
        return _saved(uow, case.id)


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a published file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                size += len(chunk)
                if size > _MAX_FILE:
                    raise ValidationError("发布的文件过大（超过200 MB）。", field="file")
                h.update(chunk)
    except OSError as exc:
        raise ValidationError(f"无法读取发布的文件：{exc.strerror or exc}", field="file") from exc
    return h.hexdigest(), size


def publishers(cf: CaseFile, case_id: int) -> tuple[str, ...]:
    """Who may publish this case's handling (第二十一条): the government that formed the team
    (or took the case over) and the case file's own fire-rescue agency (the one it authorises)."""
    from firecase.services.deadlines import extension_approvers
    from firecase.services.settings import read_settings

    with cf.unit_of_work() as uow:
        s = uow.session
        case = s.get(m.Case, case_id)
        if case is None:
            raise ValidationError("找不到该案件。", field="case")
        out = [*extension_approvers(case), "市人民政府"]
        agency = read_settings(s).organisation_name.strip()
    if "消防救援" in agency and agency not in out:
        out.append(agency)
    return tuple(out)


def _check_publisher(cf: CaseFile, case_id: int, approved_by: str) -> None:
    allowed = publishers(cf, case_id)
    if approved_by.replace(" ", "") in allowed:
        return
    named = "或".join(f"“{a}”" for a in allowed if a != "市人民政府")
    raise ValidationError(
        f"火灾事故处理情况由人民政府或者人民政府授权的消防救援机构向社会公布（第二十一条）："
        f"“{approved_by}”不是可以发布的机关，请填写{named}"
        "（以消防救援机构名义发布须经人民政府授权）。",
        field="approved_by",
    )


def _record_release(
    cf: CaseFile,
    case_id: int,
    data: ReleaseInput,
    version: PublicVersion,
    file: Path,
    *,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PublicationView:
    """Record that ``file`` (the public version ``version``, built from the reviewed content)
    was published: date, channel, approving body, the file's name and SHA-256. Refused for a
    draft (before the 批复, or not reviewed as it is)."""
    _need(data, ReleaseInput, "发布信息")
    if not isinstance(version, PublicVersion):
        raise ValidationError("公开版本格式不正确。", field="version")
    report = _report(data.report)
    if version.report != report:
        raise ValidationError("发布的文件与所选公开版本不一致。", field="report")
    if not version.releasable or version.review is None:
        raise ValidationError(
            f"该公开版本不能发布：{version.draft_mark.removeprefix('草稿')}。"
            "请先完成公开前审查（第二十一条）。",
            field="report",
        )
    now = v.today_or(today)
    published = v.date(data.published_on, "published_on", "发布日期")
    v.not_future(published, now, "published_on", "发布日期")
    channel = v.text(data.channel, "channel", "发布渠道")
    approved_by = v.text(data.approved_by, "approved_by", "审批机关")
    note = v.long_text(data.note, "note", "备注")
    path = Path(file)
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in ("pdf", "docx"):
        raise ValidationError("发布的文件应为PDF或Word（.docx）文件。", field="file")
    digest, size = file_digest(path)
    who = _actor(cf, actor)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        if version.data.case_no != case.case_no:
            raise ValidationError("发布的公开版本不属于本案件。", field="version")
        if case.reply_on is not None:
            v.not_before(published, case.reply_on, "published_on", "发布日期", "批复日期")
        s.add(
            m.PublicRelease(
                case_id=case.id,
                report=report,
                published_on=published,
                channel=channel,
                approved_by=approved_by,
                file_name=path.name[:255],
                file_format=fmt,
                sha256=digest,
                size=size,
                review_id=version.review.id,
                recorded_by=who,
                recorded_on=now,
                note=note,
            )
        )
        pub = s.scalars(select(m.Publication).where(m.Publication.case_id == case.id)).first()
        if pub is None:
            s.add(
                m.Publication(
                    case_id=case.id,
                    published_on=published,
                    channel=channel,
                    published_by=approved_by,
                    note="",
                )
            )
        elif pub.published_on is None:
            pub.published_on = published
            pub.channel = pub.channel or channel
            pub.published_by = pub.published_by or approved_by
        return _saved(uow, case.id)


@requires(Permission.APPROVE_RELEASE)
def publish(
    cf: CaseFile,
    case_id: int,
    data: ReleaseInput,
    version: PublicVersion,
    out: Path,
    *,
    generated_at: dt.datetime,
    actor: str | None = None,
    today: dt.date | None = None,
) -> PublicationView:
    """Write the reviewed public version ``version`` to ``out`` (PDF, or Word for ``.docx``)
    and record its publication with the file's hash. Nothing is written for a draft."""
    from firecase.services.reporting import write_public_version

    if not isinstance(version, PublicVersion):
        raise ValidationError("公开版本格式不正确。", field="version")
    if not version.releasable or version.review is None:
        raise ValidationError(
            f"该公开版本不能发布：{version.draft_mark.removeprefix('草稿')}。"
            "请先完成公开前审查（第二十一条）。",
            field="report",
        )
    from firecase.services.reporting import public_version

    _need(data, ReleaseInput, "发布信息")
    current = public_version(cf, version.data.case_no, version.report, today=today)
    if current.fingerprint != version.fingerprint or current.review is None:
        raise ValidationError(
            "公开版本的内容在审查后已有改动，请重新进行公开前审查后再发布（第二十一条）。",
            field="report",
        )
    published = v.date(data.published_on, "published_on", "发布日期")
    approved_by = v.text(data.approved_by, "approved_by", "审批机关")
    _check_publisher(cf, case_id, approved_by)
    # the 落款 of the file published: the approving body and the day of publication
    if isinstance(current.data, PublicReportData):
        closing = dataclasses.replace(
            current.data, organisation=approved_by, published_on=published
        )
        current = dataclasses.replace(current, data=closing)
    write_public_version(cf, current, out, generated_at=generated_at)
    return _record_release(cf, case_id, data, current, out, actor=actor, today=today)
