"""The documents of the procedure (issue 20 part 3): draft one from a case, let the officer edit
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
* :func:`number_patterns` / :func:`save_number_patterns`: the pattern of each kind and the
  next serial of a year (which an administrator may raise, e.g. when the office numbered
  documents by hand before).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase import rules
from firecase.errors import CaseFileError, ConflictError, FirecaseError, ValidationError
from firecase.reports.base import BuiltReport
from firecase.reports.official import OfficialText, build_official_docx, build_official_pdf
from firecase.services import _common as v, _derive
from firecase.services._doc_wording import Drafted, ExtensionFigures, draft, item_labels
from firecase.services.cases import find_case_id, get_case
from firecase.services.doc_kinds import DOCUMENT_KINDS, FILE_FORMATS, DocumentKind, document_kind
from firecase.services.dto import CaseDetail
from firecase.services.outputs import file_digest
from firecase.services.parts import MAX_EXTENSION_DAYS
from firecase.services.permissions import Permission, requires
from firecase.services.settings import read_settings
from firecase.store import CaseFile, open_case_file
from firecase.store.models import Case, CaseDocument, Setting

__all__ = [
    "DocumentDraft",
    "IssuedDocumentView",
    "NumberPatternInput",
    "NumberPatternView",
    "NumberPatternsView",
    "document_command",
    "draft_document",
    "format_number",
    "issue_document",
    "list_documents",
    "number_patterns",
    "parse_number",
    "render_document",
    "save_number_patterns",
]

PATTERN_KEY = "doc_number:"  # + kind: the pattern of that kind
NEXT_KEY = "doc_number_next:"  # + kind + ":" + year: the least serial to propose that year
VERSION_KEY = "doc_numbers_version"
_SERIAL = re.compile(r"\{(N+)\}")
_YEAR = "{年}"
_MAX_SERIAL = 99999


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


@dataclass(frozen=True)
class NumberPatternView:
    """One kind's numbering in ``year``: the pattern, how many numbers were issued, the next."""

    kind: str
    label: str
    basis: str
    pattern: str
    default_pattern: str
    year: int
    issued: int
    next_serial: int
    next_number: str


@dataclass(frozen=True)
class NumberPatternsView:
    """Every kind's numbering in ``year``; ``version`` goes back as ``expected_version``."""

    year: int
    rows: tuple[NumberPatternView, ...]
    version: int


@dataclass(frozen=True)
class NumberPatternInput:
    """An administrator's pattern for ``kind`` and the next serial to propose in the year."""

    kind: str
    pattern: str
    next_serial: int


# ----------------------------------------------------------------------------- numbers


def check_pattern(pattern: str, field: str = "pattern") -> str:
    """``pattern`` trimmed, or ``ValidationError``: at most 40 characters, exactly one serial
    placeholder ``{N}`` (``{NNN}``: zero-padded), at most one ``{年}``, no other braces; an
    empty pattern (no number) is allowed."""
    text = v.text(pattern, field, "文书编号格式", max_len=40, required=False)
    if not text:
        return ""
    if len(_SERIAL.findall(text)) != 1 or text.count(_YEAR) > 1:
        raise ValidationError(
            "文书编号格式须含一个序号“{N}”（可写作“{NNN}”补足三位），可含一个年份“{年}”，"
            "如“天消调字〔{年}〕第{N}号”。",
            field=field,
        )
    rest = _SERIAL.sub("", text).replace(_YEAR, "")
    if "{" in rest or "}" in rest:
        raise ValidationError("文书编号格式中只能使用“{年}”和“{N}”两种占位符。", field=field)
    return text


def format_number(pattern: str, year: int, serial: int) -> str:
    """The number ``pattern`` gives serial ``serial`` in ``year`` ("" for an empty pattern)."""
    if not pattern:
        return ""
    match = _SERIAL.search(pattern)
    width = len(match.group(1)) if match else 1
    text = _SERIAL.sub(f"{serial:0{width}d}", pattern, count=1)
    return text.replace(_YEAR, str(year))


def parse_number(pattern: str, number: str) -> tuple[int | None, int] | None:
    """(year, serial) of a number written after ``pattern``; None when it does not follow it
    (a number the officer typed freely is kept, but counts for no serial)."""
    if not pattern or not number:
        return None
    parts = re.split(r"(\{N+\}|\{年\})", pattern)
    regex = "".join(
        r"(?P<n>\d{1,5})"
        if _SERIAL.fullmatch(p)
        else r"(?P<y>\d{4})"
        if p == _YEAR
        else re.escape(p)
        for p in parts
    )
    found = re.fullmatch(regex, number.strip())
    if found is None:
        return None
    year = int(found.group("y")) if "y" in found.groupdict() and found.group("y") else None
    return year, int(found.group("n"))


def _settings_map(s: Session, prefix: str) -> dict[str, str]:
    rows = s.scalars(select(Setting).where(Setting.key.like(prefix + "%")))
    return {row.key.removeprefix(prefix): row.value for row in rows}


def _pattern(s: Session, kind: DocumentKind) -> str:
    stored = s.get(Setting, PATTERN_KEY + kind.key)
    return stored.value if stored is not None else kind.pattern


def _issued_max(s: Session, kind: str, year: int) -> tuple[int, int]:
    """(count, highest serial) of the numbers of ``kind`` counted in ``year``."""
    row = s.execute(
        select(func.count(func.distinct(CaseDocument.serial)), func.max(CaseDocument.serial)).where(
            CaseDocument.kind == kind, CaseDocument.year == year, CaseDocument.serial.is_not(None)
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def _next_serial(s: Session, kind: DocumentKind, year: int) -> int:
    _count, highest = _issued_max(s, kind.key, year)
    floor = s.get(Setting, f"{NEXT_KEY}{kind.key}:{year}")
    least = int(floor.value) if floor is not None and floor.value.isdigit() else 1
    return max(highest + 1, least)


def number_patterns(cf: CaseFile, *, year: int) -> NumberPatternsView:
    """Every kind's pattern and its next number in ``year`` (设置 → 文书编号)."""
    with cf.unit_of_work() as uow:
        s = uow.session
        rows = []
        for kind in DOCUMENT_KINDS:
            pattern = _pattern(s, kind)
            issued, _highest = _issued_max(s, kind.key, year)
            serial = _next_serial(s, kind, year)
            rows.append(
                NumberPatternView(
                    kind.key,
                    kind.label,
                    kind.basis,
                    pattern,
                    kind.pattern,
                    year,
                    issued,
                    serial,
                    format_number(pattern, year, serial),
                )
            )
        stamp = s.get(Setting, VERSION_KEY)
        version = int(stamp.value) if stamp is not None and stamp.value.isdigit() else 0
    return NumberPatternsView(year, tuple(rows), version)


@requires(Permission.MANAGE_SETTINGS)
def save_number_patterns(
    cf: CaseFile,
    patterns: Sequence[NumberPatternInput],
    *,
    year: int,
    expected_version: int,
    actor: str | None = None,
) -> NumberPatternsView:
    """Save each kind's pattern and the least serial to propose in ``year`` (a serial below
    one already issued is refused: a number is never issued twice). A save by another
    administrator since ``expected_version`` is a ``ConflictError``; nothing is written."""
    year = v.integer(year, "year", "年份", minimum=1949, maximum=2200)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError("文书编号设置的版本号无效，请刷新后重试。", field="version")
    wanted = expected_version  # 0: never saved
    checked: list[tuple[DocumentKind, str, int]] = []
    for p in patterns:
        kind = _kind(p.kind)
        pattern = check_pattern(p.pattern, f"pattern:{kind.key}")
        serial = v.integer(
            p.next_serial, f"next:{kind.key}", "下一个序号", minimum=1, maximum=_MAX_SERIAL
        )
        checked.append((kind, pattern, serial))
    seen: dict[str, DocumentKind] = {}
    for kind, pattern, _serial in checked:
        if pattern and pattern in seen:
            raise ValidationError(
                f"{seen[pattern].label}和{kind.label}使用了同一编号格式“{pattern}”：两种文书分别"
                "编号，文号会重复。请为每种文书设定不同的机关代字。",
                field=f"pattern:{kind.key}",
            )
        seen[pattern] = kind
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        stamp = s.scalars(
            select(Setting).where(Setting.key == VERSION_KEY).with_for_update()
        ).one_or_none()
        current = int(stamp.value) if stamp is not None and stamp.value.isdigit() else 0
        if current != wanted:
            raise ConflictError(
                "文书编号设置已被其他管理员修改，请刷新后重新编辑。", field="version"
            )
        changed = False
        for kind, pattern, serial in checked:
            _count, highest = _issued_max(s, kind.key, year)
            if serial <= highest:
                raise ValidationError(
                    f"{kind.label}{year}年已用到第{highest}号，下一个序号不能小于{highest + 1}。",
                    field=f"next:{kind.key}",
                )
            values = {PATTERN_KEY + kind.key: pattern}
            if serial != _next_serial(s, kind, year):
                values[f"{NEXT_KEY}{kind.key}:{year}"] = str(serial)
            for key, value in values.items():
                row = s.get(Setting, key)
                if row is None:
                    if key.startswith(PATTERN_KEY) and value == kind.pattern:
                        continue  # the default: nothing to store
                    s.add(Setting(key=key, value=value))
                    changed = True
                elif row.value != value:
                    row.value = value
                    changed = True
        if changed:
            if stamp is None:
                s.add(Setting(key=VERSION_KEY, value=str(current + 1)))
            else:
                stamp.value = str(current + 1)
        uow.commit()
    return number_patterns(cf, year=year)


# ----------------------------------------------------------------------------- drafts


def _kind(key: str) -> DocumentKind:
    kind = document_kind(key) if isinstance(key, str) else None
    if kind is None:
        names = "、".join(f"{k.key}（{k.label}）" for k in DOCUMENT_KINDS)
        raise ValidationError(f"没有“{key}”这种文书，可生成：{names}。", field="kind")
    return kind


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
    calendar = _derive.stored_calendar(s)
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
    k = _kind(kind)
    if item is not None:
        item = v.integer(item, "item", "文书对象", minimum=0, maximum=10**6)
    day = today or dt.date.today()
    d = get_case(cf, case_id, today=day)
    with cf.unit_of_work() as uow:
        s = uow.session
        settings = read_settings(s)
        figures = _extension_figures(s, d, item) if k.key == "extension_request" else None
        pattern = _pattern(s, k)
        drafted: Drafted = draft(
            d, k, item, organisation=settings.organisation_name, number="", today=day,
            figures=figures,
        )  # fmt: skip
        year = (drafted.text.on or day).year
        serial = _next_serial(s, k, year) if pattern else None
        number = format_number(pattern, year, serial) if serial is not None else ""
        reused = _reissued_number(s, case_id, k.key, drafted.subject)
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
    kind = _kind(text.kind)

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
    kind = _kind(clean.kind)
    subject = v.text(subject, "subject", "文书对象", max_len=255, required=False)
    if not isinstance(out, (str, Path)):
        raise ValidationError("文书须保存为文件才能登记。", field="out")
    path = Path(out)
    fmt = _format(path, fmt)
    on = clean.on or generated_at.date()
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        v.load_case(s, case_id)
        parsed = parse_number(_pattern(s, kind), clean.number)
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
