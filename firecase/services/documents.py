"""The documents of the procedure: draft one from a case, let the officer edit
it, write it as PDF or Word, number it and record it in the case; and ``firecase document``.

* :func:`draft_document` reads the case and returns a :class:`DocumentDraft`: the wording
  (``reports.official.OfficialText``, drafted by ``_doc_wording``), the records the kind may be
  about, and the proposed number — the kind's pattern (设置 → 文书编号) with the next serial of
  that kind in the document's year.
* :func:`render_document` writes the (edited) wording to a stream for a preview: no record.
* :func:`issue_document` writes the edited wording to a file and adds a ``case_documents`` row
  (kind, what it is about, number, year and serial, date, file name, format, SHA-256, size,
  who, the audit chain's head, the wording as JSON) — the service takes the edited content, so
  the file holds what the officer approved. A number the same kind already used for another
  document is refused before anything is written; the same document saved again (Word and PDF
  of one notice) keeps its number.
* The numbers themselves — patterns, serials per kind and year — are
  :mod:`firecase.services.doc_numbers` (设置 → 文书编号).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import CaseFileError, ConflictError, FirecaseError, ValidationError
from firecase.reports.base import BuiltReport
from firecase.reports.official import OfficialText, build_official_docx, build_official_pdf
from firecase.services import _common as v, _reads
from firecase.services._doc_draft import draft
from firecase.services._doc_wording import Drafted, ExtensionFigures, item_labels
from firecase.services.deadlines import MAX_EXTENSION_DAYS
from firecase.services.doc_kinds import FILE_FORMATS, DocumentKind, document_kind
from firecase.services.doc_numbers import (
    format_number,
    kind_of,
    next_serial,
    parse_number,
    pattern_of,
)
from firecase.services.dto import CaseDetail
from firecase.services.outputs import file_digest
from firecase.services.permissions import Permission, requires
from firecase.services.reading import find_case_id, get_case
from firecase.services.settings import read_settings
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Case, CaseDocument

__all__ = [
    "DocumentDraft",
    "IssuedDocumentView",
    "document_command",
    "draft_document",
    "issue_document",
    "list_documents",
    "render_document",
]


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DocumentDraft:
    """A drafted document as the dialog shows it: the wording to edit, what it is about
    (``items``: the records it may be about, ``item`` the one chosen), the proposed number's
    serial, the kind's pattern and basis, and notes on what could not be filled in."""

    text: OfficialText
    kind: str
    subject: str
    items: tuple[str, ...]
    item: int | None
    serial: int | None
    pattern: str
    basis: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssuedDocumentView:
    """One issued document on record (a ``case_documents`` row)."""

    id: int
    case_id: int
    kind: str
    kind_label: str
    subject: str
    number: str
    year: int
    serial: int | None
    issued_on: dt.date
    title: str
    file_name: str
    file_format: str
    sha256: str
    size: int
    issued_by: str
    recorded_at: str


# ----------------------------------------------------------------------------- drafts


def _extension_figures(s: Session, d: CaseDetail, index: int | None) -> ExtensionFigures | None:
    """The investigation period on the day the extension was requested (第十七条)."""
    if not d.extensions:
        return None
    at = len(d.extensions) - 1 if index is None else index
    if not 0 <= at < len(d.extensions):
        return None
    x = d.extensions[at]
    asked = x.requested_on
    fire = d.case.fire_date
    prior = sum(
        e.days
        for e in d.extensions
        if e.id != x.id
        and e.approved_on is not None
        and e.approved_on <= asked
        and (not e.approved_late or e.late_confirmed_on is not None)
    )
    known = [
        (a.commissioned_on, a.opinion_on if a.opinion_on and a.opinion_on <= asked else None)
        for a in d.appraisals
        if a.commissioned_on <= asked
    ]
    clipped = [(start, end or asked) for start, end in known]
    excluded = rules.excluded_days(clipped)
    calendar = _reads.stored_calendar(s)
    roll = read_settings(s).roll_to_workday

    def due(days: int) -> tuple[dt.date | None, bool]:
        clock, years = rules.with_provisional(
            lambda cal: rules.investigation_clock(
                fire, extension_days=days, appraisals=known, calendar=cal, roll_to_workday=roll
            ),
            calendar,
        )
        return clock.due, bool(years)

    try:
        before, p1 = due(prior)
        after, p2 = due(min(prior + x.days, MAX_EXTENSION_DAYS))
    except FirecaseError:  # facts the rules refuse: the officer fills the dates in
        before, after, p1, p2 = None, None, False, False
    used = max((asked - fire).days - excluded, 0)
    return ExtensionFigures(used, excluded, len(known), prior, before, after, p1 or p2)


def draft_document(
    cf: CaseFile,
    case_id: int,
    kind: str,
    *,
    item: int | None = None,
    today: dt.date | None = None,
) -> DocumentDraft:
    """The document ``kind`` drafted from case ``case_id`` (about its ``item``-th record, 0-based,
    when the kind has several; None: the last), with the next number of its kind and year."""
    k = kind_of(kind)
    if item is not None:
        item = v.integer(item, "item", "文书对象", minimum=0, maximum=10**6)
    day = today or dt.date.today()
    d = get_case(cf, case_id, today=day)
    with cf.unit_of_work() as uow:
        s = uow.session
        settings = read_settings(s)
        figures = _extension_figures(s, d, item) if k.key == "extension_request" else None
        pattern = pattern_of(s, k)
        # the notice of 第四条 is the team's founding document: its 成立文件文号 when recorded
        founding = d.case.team_document_no if k.key == "team_notice" else ""
        if founding:
            pattern = ""
        drafted: Drafted = draft(
            d, k, item, organisation=settings.organisation_name, number="", today=day,
            figures=figures,
        )  # fmt: skip
        year = (drafted.text.on or day).year
        issuer = drafted.text.masthead or drafted.text.signature
        if pattern and issuer.endswith("人民政府"):
            # GB/T 9704 7.2.4: the 发文字号 carries the issuer's 机关代字; the government's
            # office numbers the government's documents (the notice of 第四条, the decision on
            # the leader's recusal), not the fire agency's pattern
            pattern = ""
            drafted = replace(
                drafted,
                notes=(
                    *drafted.notes,
                    f"本文书以{issuer}名义印发，发文字号由{issuer}办公室编排，文号暂空；"
                    "取得文号后填入。",
                ),
            )
        serial = next_serial(s, k, year) if pattern else None
        number = format_number(pattern, year, serial) if serial is not None else ""
        reused = founding or _reissued_number(s, case_id, k.key, drafted.subject)
    text = replace(drafted.text, number=reused or number)
    if reused:
        serial = None
    items = item_labels(d, k)
    chosen = (len(items) - 1 if item is None else item) if items else None
    return DocumentDraft(
        text, k.key, drafted.subject, items, chosen, serial, pattern, k.basis, drafted.notes
    )


def _reissued_number(s: Session, case_id: int, kind: str, subject: str) -> str:
    """The number this very document already carries (issued before: saved as Word, now as PDF)."""
    found = s.scalar(
        select(CaseDocument.number)
        .where(
            CaseDocument.case_id == case_id,
            CaseDocument.kind == kind,
            CaseDocument.subject == subject,
            CaseDocument.number != "",
        )
        .order_by(CaseDocument.id.desc())
        .limit(1)
    )
    return str(found or "")


# ----------------------------------------------------------------------------- writing


def _clean(text: OfficialText) -> OfficialText:
    """The edited wording checked like any input (characters, lengths, a title)."""
    if not isinstance(text, OfficialText):
        raise ValidationError("文书内容格式不正确。", field="text")
    kind = kind_of(text.kind)

    def lines(values: Sequence[str], field: str, label: str) -> tuple[str, ...]:
        out = tuple(v.long_text(x, field, label) for x in values)
        if sum(len(x) for x in out) > v.MAX_TEXT:
            raise ValidationError(f"{label}过长（最多{v.MAX_TEXT}个字）。", field=field)
        return tuple(x for x in out if x)

    table = tuple(
        (v.text(a, "table", "表格栏目", max_len=100, required=False),
         v.text(b, "table", "表格内容", max_len=4000, required=False))
        for a, b in text.table
    )  # fmt: skip
    on = v.opt_date(text.on, "on", "成文日期")
    return replace(
        text,
        kind_label=kind.label,
        title=v.text(text.title, "title", "标题", max_len=200),
        number=v.text(text.number, "number", "文号", max_len=64, required=False),
        addressee=v.text(text.addressee, "addressee", "主送", max_len=1000, required=False),
        body=lines(text.body, "body", "正文"),
        table=tuple((a, b) for a, b in table if a or b),
        after_table=lines(text.after_table, "after_table", "表后正文"),
        attachments=lines(text.attachments, "attachments", "附件"),
        signature=v.text(text.signature, "signature", "落款", max_len=300, required=False),
        on=on,
        note=v.text(text.note, "note", "附注", max_len=1000, required=False),
        copy_to=v.text(text.copy_to, "copy_to", "抄送", max_len=1000, required=False),
        masthead=v.text(text.masthead, "masthead", "发文机关标志", max_len=100, required=False),
        signer=v.text(text.signer, "signer", "签发人", max_len=64, required=False),
    )


def _build(
    cf: CaseFile, text: OfficialText, out: Path | BinaryIO, fmt: str, at: dt.datetime, anchor: str
) -> BuiltReport:
    from firecase.services.reporting import font_config
    from firecase.services.settings import get_settings

    if fmt == "docx":
        return build_official_docx(text, out, generated_at=at, anchor=anchor)
    return build_official_pdf(
        text, out, generated_at=at, fonts=font_config(get_settings(cf)), anchor=anchor
    )


def _format(out: Path | BinaryIO, fmt: str | None) -> str:
    if fmt is None:
        is_path = isinstance(out, (str, Path))
        fmt = "docx" if is_path and Path(out).suffix.lower() == ".docx" else "pdf"  # type: ignore[arg-type]
    if fmt not in FILE_FORMATS:
        raise ValidationError(f"不支持“{fmt}”格式，只能生成PDF或Word（.docx）文件。", field="fmt")
    return fmt


def render_document(
    cf: CaseFile,
    text: OfficialText,
    out: Path | BinaryIO,
    *,
    generated_at: dt.datetime,
    fmt: str | None = None,
) -> BuiltReport:
    """The (edited) wording written to ``out`` for a preview: checked and typeset exactly as
    :func:`issue_document` would, but not numbered or recorded."""
    return _build(cf, _clean(text), out, _format(out, fmt), generated_at, "")


def _conflict(s: Session, case_id: int, kind: DocumentKind, number: str, subject: str) -> None:
    """Refuse a number another document carries (of any kind: one 文号, one document); the
    same document of the same case saved again (Word, then PDF) keeps its number."""
    if not number:
        return
    other = s.scalars(
        select(CaseDocument)
        .where(CaseDocument.number == number)
        .where(
            (CaseDocument.kind != kind.key)
            | (CaseDocument.case_id != case_id)
            | (CaseDocument.subject != subject)
        )
        .limit(1)
    ).first()
    if other is None:
        return
    case_no = s.scalar(select(Case.case_no).where(Case.id == other.case_id)) or ""
    label = k.label if (k := document_kind(other.kind)) else other.kind
    raise ConflictError(
        f"文号“{number}”已用于案件{case_no}的{label}（{other.issued_on.isoformat()}，"
        f"{other.file_name}），同一文号不能用于两份文书。请改用下一个编号。",
        field="number",
    )


@requires(Permission.RECORD)
def issue_document(
    cf: CaseFile,
    case_id: int,
    text: OfficialText,
    out: Path,
    *,
    subject: str = "",
    generated_at: dt.datetime,
    fmt: str | None = None,
    actor: str | None = None,
) -> IssuedDocumentView:
    """Write the edited wording ``text`` to the file ``out`` (PDF, or Word for ``.docx`` or
    ``fmt`` "docx") and record it in the case. Nothing is recorded when the file cannot be
    written; a number another document of the kind carries is refused before writing."""
    from firecase.services.reporting import chain_anchor

    case_id = v.ident(case_id, "case_id", "案件")
    clean = _clean(text)
    kind = kind_of(clean.kind)
    subject = v.text(subject, "subject", "文书对象", max_len=255, required=False)
    if not isinstance(out, (str, Path)):
        raise ValidationError("文书须保存为文件才能登记。", field="out")
    path = Path(out)
    fmt = _format(path, fmt)
    on = clean.on or generated_at.date()
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        v.load_case(s, case_id)
        parsed = parse_number(pattern_of(s, kind), clean.number)
        _conflict(s, case_id, kind, clean.number, subject)
    year = (parsed[0] if parsed and parsed[0] else None) or on.year
    serial = parsed[1] if parsed else None
    anchor = chain_anchor(cf)
    _build(cf, clean, path, fmt, generated_at, anchor)
    sha, size = file_digest(path)
    try:
        with cf.unit_of_work(actor) as uow:
            s = uow.session
            _conflict(s, case_id, kind, clean.number, subject)  # someone else meanwhile
            row = CaseDocument(
                case_id=case_id,
                kind=kind.key,
                subject=subject,
                number=clean.number,
                year=year,
                serial=serial,
                issued_on=on,
                title=" ".join(clean.title.split())[:255],
                file_name=path.name[:255],
                file_format=fmt,
                sha256=sha,
                size=size,
                issued_by=uow.actor[:64],
                recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                anchor=anchor[:80],
                content=json.dumps(clean.to_json(), ensure_ascii=False, sort_keys=True),
            )
            s.add(row)
            s.flush()
            view = _view(row)
            uow.commit()
    except ConflictError:
        path.unlink(
            missing_ok=True
        )  # the number went to another document: no file without a record
        raise
    return view


def _view(row: CaseDocument) -> IssuedDocumentView:
    kind = document_kind(row.kind)
    return IssuedDocumentView(
        row.id,
        row.case_id,
        row.kind,
        kind.label if kind else row.kind,
        row.subject,
        row.number,
        row.year,
        row.serial,
        row.issued_on,
        row.title,
        row.file_name,
        row.file_format,
        row.sha256,
        row.size,
        row.issued_by,
        row.recorded_at,
    )


def list_documents(cf: CaseFile, case_id: int) -> tuple[IssuedDocumentView, ...]:
    """Every document issued from the case, oldest first."""
    with cf.unit_of_work() as uow:
        rows = uow.session.scalars(
            select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(CaseDocument.id)
        )
        return tuple(_view(r) for r in rows)


# ----------------------------------------------------------------------------- command line


def document_command(args: argparse.Namespace) -> int:
    """``firecase document KIND --case CASE_NO -o FILE.docx|FILE.pdf --db PATH``: draft the
    document from the case, number it with the next number of its kind and year (or
    ``--number``), write it and record it in the case."""
    out = Path(args.output)
    try:
        if "://" not in str(args.db) and not Path(args.db).is_file():
            raise CaseFileError(f"案卷文件不存在：{args.db}")
        if not out.parent.is_dir():
            raise CaseFileError(f"输出文件夹不存在：{out.parent}")
        with open_case_file(args.db, user=getattr(args, "user", None)) as cf:
            case_id = find_case_id(cf, args.case)
            if args.item is not None and args.item < 1:
                raise ValidationError("--item 应为从1开始的序号（第1项写 1）。", field="item")
            item = None if args.item is None else args.item - 1
            made = draft_document(cf, case_id, args.kind, item=item)
            text = made.text if args.number is None else replace(made.text, number=args.number)
            issued = issue_document(
                cf, case_id, text, out, subject=made.subject, generated_at=dt.datetime.now()
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    except OSError as exc:
        print(f"错误：无法写入文件{out}：{exc.strerror or exc}")
        return 2
    number = f"（{issued.number}）" if issued.number else "（不编号）"
    print(f"已生成{issued.kind_label}{number}：{out}")
    print(f"已登记在案件{args.case}：{issued.issued_on.isoformat()}，SHA-256 {issued.sha256}")
    for note in made.notes:
        print(f"注意：{note}")
    return 0
