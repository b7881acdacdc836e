"""Evidence, custody, attachments and appraisals (检验鉴定)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ValidationError
from firecase.services import _common as v, _derive, _views as views, evidence_numbers
from firecase.services._records import Kind, Values, _edit_guard, _need, _ref
from firecase.services.dto import (
    APPRAISAL_KINDS,
    CUSTODY_ACTIONS,
    EVIDENCE_KINDS,
    AppraisalInput,
    AppraisalView,
    AttachmentInput,
    AttachmentView,
    CustodyInput,
    CustodyView,
    EvidenceInput,
    EvidenceView,
)
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile, blobs, models as m

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# evidence, custody, attachments
# --------------------------------------------------------------------------------------------


def _evidence_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, EvidenceInput, "证据信息")
    collected = v.date(d.collected_on, "collected_on", "提取日期")
    v.not_before(collected, case.fire_date, "collected_on", "提取日期", "起火日期")
    return {
        "code": v.text(d.code, "code", "证据编号", max_len=32),
        "name": v.text(d.name, "name", "证据名称"),
        "kind": v.choice(d.kind, "kind", "证据种类", EVIDENCE_KINDS),
        "description": v.long_text(d.description, "description", "证据说明"),
        "collected_on": collected,
        "collected_by": v.text(d.collected_by, "collected_by", "提取人", max_len=100),
        "location": v.text(d.location, "location", "保管位置", required=False),
    }


def _evidence_out(s: Session, e: m.EvidenceItem) -> EvidenceView:
    return views.evidence_view(s, e)


def _unique_code(s: Session, case: m.Case, values: dict[str, Any], own_id: int | None) -> None:
    code = values["code"]
    other = s.scalar(
        select(m.EvidenceItem.id).where(
            m.EvidenceItem.case_id == case.id, m.EvidenceItem.code == code
        )
    )
    if other is not None and other != own_id:
        free = evidence_numbers.next_code_in(s, case.id, case.year, values["kind"])
        hint = f"下一个可用的{values['kind']}编号为“{free}”" if free else "请换一个编号"
        raise ValidationError(f"本案已有证据编号“{code}”，{hint}。", field="code")


def _evidence_checked(evidence_id: int | None) -> Values:
    """The input check of an item, its number unique in the case (but for the item itself)."""

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        out = _evidence_values(s, case, d)
        _unique_code(s, case, out, evidence_id)
        return out

    return values


@requires(Permission.RECORD)
def add_evidence(
    cf: CaseFile,
    case_id: int,
    data: EvidenceInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvidenceView:
    """Register an evidence item."""
    return _EVIDENCE_ITEM.add(
        cf,
        case_id,
        data,
        actor,
        today,
        values=_evidence_checked(None),
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def update_evidence(
    cf: CaseFile,
    evidence_id: int,
    data: EvidenceInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> EvidenceView:
    """Change an evidence item."""

    return _EVIDENCE_ITEM.update(
        cf,
        evidence_id,
        data,
        expected_version,
        actor,
        today,
        values=_evidence_checked(evidence_id),
        override_reason=override_reason,
    )


@requires(Permission.RECORD)
def remove_evidence(
    cf: CaseFile,
    evidence_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an evidence item with its custody chain and attachments."""

    def before(s: Session, e: m.EvidenceItem) -> None:
        for model in (m.CustodyEvent, m.Attachment):
            for row in list(s.scalars(select(model).where(model.evidence_id == e.id))):
                s.delete(row)
        for a in s.scalars(select(m.Appraisal).where(m.Appraisal.evidence_id == e.id)):
            a.evidence_id = None
        s.flush()

    return _EVIDENCE_ITEM.remove(
        cf, evidence_id, expected_version, actor, today, before, override_reason=override_reason
    )


@requires(Permission.RECORD)
def add_custody_event(
    cf: CaseFile,
    evidence_id: int,
    data: CustodyInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> CustodyView:
    """Append a link to an evidence item's chain of custody (links are never edited)."""
    _need(data, CustodyInput, "保管流转记录")
    on = v.date(data.on, "on", "日期")
    values: dict[str, Any] = {
        "on": on,
        "action": v.choice(data.action, "action", "流转环节", CUSTODY_ACTIONS),
        "from_holder": v.text(
            data.from_holder, "from_holder", "移出人", max_len=100, required=False
        ),
        "to_holder": v.text(data.to_holder, "to_holder", "接收人", max_len=100, required=False),
        "note": v.long_text(data.note, "note", "备注"),
    }
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        e = v.load(s, m.EvidenceItem, evidence_id, "证据")
        v.not_before(on, e.collected_on, "on", "流转日期", "提取日期")
        row = m.CustodyEvent(evidence_id=e.id, case_id=e.case_id, **values)
        s.add(row)
        s.flush()
        case = v.load_case(s, e.case_id)
        _edit_guard(uow, case, row, override_reason, now)
        _derive.refresh_derived(s, case, now)
        out = views.custody_view(row)
        uow.commit()
    return out


_TOO_LARGE = f"附件超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB，请压缩后再添加。"


def _attachment_source(data: AttachmentInput) -> tuple[Callable[[], Iterator[bytes]], str, int]:
    """(pieces of the content, afresh at each call), its SHA-256 and size, read once to hash;
    the limit is checked before a file is read and while it is read."""
    if data.content is not None:
        if data.source is not None:
            raise ValidationError("请只给出附件的内容或文件之一。", field="source")
        content = data.content
        if not isinstance(content, bytes):
            raise ValidationError("附件内容应为文件的字节。", field="content")
        if not content:
            raise ValidationError("附件是空文件。", field="content")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_TOO_LARGE, field="content")

        def memory() -> Iterator[bytes]:
            return iter([content])

        return memory, hashlib.sha256(content).hexdigest(), len(content)
    if not isinstance(data.source, (str, os.PathLike)) or not os.fspath(data.source):
        raise ValidationError("请选择要附加的文件。", field="content")
    path = Path(data.source)
    try:
        if not path.is_file():
            raise ValidationError(f"找不到文件“{path.name}”。", field="content")
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(_TOO_LARGE, field="content")

        def from_file() -> Iterator[bytes]:
            with open(path, "rb") as fh:
                yield from blobs.pieces_of(fh)

        sha, size = blobs.sha256_of(
            from_file(), max_bytes=MAX_ATTACHMENT_BYTES, too_large=_TOO_LARGE
        )
    except OSError as exc:
        raise ValidationError(
            f"无法读取文件“{path.name}”：{exc.strerror or exc}", field="content"
        ) from exc
    if size == 0:
        raise ValidationError("附件是空文件。", field="content")
    return from_file, sha, size


@requires(Permission.RECORD)
def add_attachment(
    cf: CaseFile,
    case_id: int,
    data: AttachmentInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AttachmentView:
    """Store a file in the case file with its SHA-256 (optionally under an evidence item).

    The content (``data.content``, or the file ``data.source`` read piece by piece) is stored
    once per SHA-256 apart from the attachment's row (``store.blobs``): the same photo added
    again takes no more space. At most ``MAX_ATTACHMENT_BYTES``, checked before a file is read.
    """
    _need(data, AttachmentInput, "附件")
    filename = v.text(data.filename, "filename", "文件名", max_len=255)
    if any(ch in filename for ch in "/\\"):
        raise ValidationError("文件名不能包含路径分隔符。", field="filename")
    media = v.text(data.media_type, "media_type", "文件类型", max_len=100)
    added = v.date(data.added_on, "added_on", "添加日期")
    pieces, sha, size = _attachment_source(data)

    def values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
        evidence_id = _ref(s, m.EvidenceItem, d.evidence_id, case, "evidence_id", "证据")
        try:
            blobs.put_stream(
                s.connection(), sha, pieces(), max_bytes=MAX_ATTACHMENT_BYTES, too_large=_TOO_LARGE
            )
        except OSError as exc:
            raise ValidationError(
                f"无法读取文件“{filename}”：{exc.strerror or exc}", field="content"
            ) from exc
        return {
            "evidence_id": evidence_id,
            "filename": filename,
            "media_type": media,
            "size": size,
            "sha256": sha,
            "added_on": added,
            "added_by": actor or cf.user,
        }

    return _ATTACHMENT.add(
        cf, case_id, data, actor, today, values=values, override_reason=override_reason
    )


def get_attachment_content(cf: CaseFile, attachment_id: int) -> bytes:
    """The stored bytes of an attachment (at most 50 MB), checked against its SHA-256.
    ``save_attachment`` writes one to a file without holding it in memory."""
    with cf.unit_of_work() as uow:
        a = v.load(uow.session, m.Attachment, attachment_id, "附件")
        label = f"附件“{a.filename}”"
        return b"".join(blobs.read_pieces(uow.session.connection(), a.sha256, label=label))


def save_attachment(
    cf: CaseFile, attachment_id: int, dest: str | os.PathLike[str], *, overwrite: bool = True
) -> int:
    """Write an attachment's content to ``dest`` piece by piece; returns its size.

    Written beside ``dest`` as ``<name>.part`` and renamed only once every piece matched the
    recorded SHA-256, so a damaged attachment never leaves a file that looks complete.
    """
    target = Path(dest).expanduser()
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", field="dest")
    if target.exists() and not overwrite:
        raise ValidationError(f"文件“{target.name}”已存在，请另选文件名。", field="dest")
    partial = target.with_name(target.name + ".part")
    size = 0
    with cf.unit_of_work() as uow:
        a = v.load(uow.session, m.Attachment, attachment_id, "附件")
        label = f"附件“{a.filename}”"
        try:
            with open(partial, "wb") as fh:
                for piece in blobs.read_pieces(uow.session.connection(), a.sha256, label=label):
                    fh.write(piece)
                    size += len(piece)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, target)
        except OSError as exc:
            raise ValidationError(
                f"无法写入“{target.name}”：{exc.strerror or exc}。请检查文件夹权限和磁盘空间。",
                field="dest",
            ) from exc
        finally:
            partial.unlink(missing_ok=True)
    return size


@requires(Permission.RECORD)
def remove_attachment(
    cf: CaseFile,
    attachment_id: int,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an attachment (the audit trail keeps its SHA-256; content no other attachment
    refers to is removed with it)."""
    return _ATTACHMENT.remove(
        cf, attachment_id, None, actor, today, override_reason=override_reason
    )


# --------------------------------------------------------------------------------------------
# appraisals and extensions (第十七条)
# --------------------------------------------------------------------------------------------


def _appraisal_values(s: Session, case: m.Case, d: Any) -> dict[str, Any]:
    _need(d, AppraisalInput, "检验鉴定委托")
    commissioned = v.date(d.commissioned_on, "commissioned_on", "委托日期")
    opinion_on = v.opt_date(d.opinion_on, "opinion_on", "出具意见日期")
    v.not_before(commissioned, case.fire_date, "commissioned_on", "委托日期", "起火日期")
    v.not_before(opinion_on, commissioned, "opinion_on", "出具意见日期", "委托日期")
    return {
        "kind": v.choice(d.kind, "kind", "类别", APPRAISAL_KINDS),
        "subject": v.text(d.subject, "subject", "检验鉴定事项", max_len=300),
        "agency": v.text(d.agency, "agency", "检验鉴定机构"),
        "evidence_id": _ref(s, m.EvidenceItem, d.evidence_id, case, "evidence_id", "检材（证据）"),
        "commissioned_on": commissioned,
        "opinion_on": opinion_on,
        "opinion": v.long_text(d.opinion, "opinion", "检验鉴定意见"),
    }


def _appraisal_out(s: Session, a: m.Appraisal) -> AppraisalView:
    return views.appraisal_view(a)


@requires(Permission.RECORD)
def commission_appraisal(
    cf: CaseFile,
    case_id: int,
    data: AppraisalInput,
    *,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Commission a 检验/鉴定: while open, the investigation clock is paused."""
    return _APPRAISAL.add(cf, case_id, data, actor, today, override_reason=override_reason)


@requires(Permission.RECORD)
def update_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    data: AppraisalInput,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Change an appraisal commission."""
    return _APPRAISAL.update(
        cf, appraisal_id, data, expected_version, actor, today, override_reason=override_reason
    )


@requires(Permission.RECORD)
def close_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    opinion_on: dt.date,
    opinion: str,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> AppraisalView:
    """Record the opinion date and text: the excluded time ends (第十七条第二款)."""
    on = v.date(opinion_on, "opinion_on", "出具意见日期")
    text = v.long_text(opinion, "opinion", "检验鉴定意见", required=True)
    now = v.today_or(today)
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        a = v.load(s, m.Appraisal, appraisal_id, "检验鉴定委托")
        v.check_version(a, expected_version, "检验鉴定委托")
        v.not_before(on, a.commissioned_on, "opinion_on", "出具意见日期", "委托日期")
        case = v.load_case(s, a.case_id)
        _edit_guard(uow, case, a, override_reason, now)
        a.opinion_on, a.opinion = on, text
        s.flush()
        _derive.refresh_derived(s, case, now)
        out = views.appraisal_view(a)
        uow.commit()
    return out


@requires(Permission.RECORD)
def remove_appraisal(
    cf: CaseFile,
    appraisal_id: int,
    *,
    expected_version: int,
    override_reason: str = "",
    actor: str | None = None,
    today: dt.date | None = None,
) -> int:
    """Remove an appraisal recorded in error."""
    return _APPRAISAL.remove(
        cf, appraisal_id, expected_version, actor, today, override_reason=override_reason
    )


# The record kinds of this room (``_records.Kind``: add, update and remove in one place).
_EVIDENCE_ITEM = Kind(m.EvidenceItem, "证据", _evidence_out)
_ATTACHMENT = Kind(m.Attachment, "附件", lambda s, a: views.attachment_view(a))
_APPRAISAL = Kind(m.Appraisal, "检验鉴定委托", _appraisal_out, values=_appraisal_values)
