"""Document numbers (设置 → 文书编号): one pattern per kind of document, serials counted per
kind and year from the documents issued (``case_documents``), the next serial an administrator
may raise. ``services.documents`` proposes the next number when it drafts a document and reads
a number back (year and serial) when it records one.

Settings keys: ``doc_number:<kind>`` (the pattern; absent: the kind's default in
``doc_kinds``), ``doc_number_next:<kind>:<year>`` (the least serial to propose that year),
``doc_numbers_version`` (raised by each save that changes something, checked against the
version the saving page read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase.errors import ConflictError, ValidationError
from firecase.services import _common as v
from firecase.services.doc_kinds import DOCUMENT_KINDS, DocumentKind, document_kind
from firecase.services.permissions import Permission, requires
from firecase.store import CaseFile
from firecase.store.models import CaseDocument, Setting

__all__ = [
    "NumberPatternInput",
    "NumberPatternView",
    "NumberPatternsView",
    "check_pattern",
    "format_number",
    "kind_of",
    "number_patterns",
    "parse_number",
    "save_number_patterns",
]

PATTERN_KEY = "doc_number:"  # + kind: the pattern of that kind
NEXT_KEY = "doc_number_next:"  # + kind + ":" + year: the least serial to propose that year
VERSION_KEY = "doc_numbers_version"
_SERIAL = re.compile(r"\{(N+)\}")
_YEAR = "{年}"
_MAX_SERIAL = 99999


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


def kind_of(key: str) -> DocumentKind:
    """The kind ``key``, or ``ValidationError`` naming the kinds there are."""
    kind = document_kind(key) if isinstance(key, str) else None
    if kind is None:
        names = "、".join(f"{k.key}（{k.label}）" for k in DOCUMENT_KINDS)
        raise ValidationError(f"没有“{key}”这种文书，可生成：{names}。", field="kind")
    return kind


def check_pattern(
    pattern: str,
    field: str = "pattern",
    *,
    label: str = "文书编号格式",
    example: str = "天消调字〔{年}〕第{N}号",
) -> str:
    """``pattern`` trimmed, or ``ValidationError``: at most 40 characters, exactly one serial
    placeholder ``{N}`` (``{NNN}``: zero-padded), at most one ``{年}``, no other braces; an
    empty pattern (no number) is allowed. ``label`` and ``example`` word the messages (the
    evidence numbers of ``services.evidence_numbers`` use the same syntax)."""
    text = v.text(pattern, field, label, max_len=40, required=False)
    if not text:
        return ""
    if len(_SERIAL.findall(text)) != 1 or text.count(_YEAR) > 1:
        raise ValidationError(
            f"{label}须含一个序号“{{N}}”（可写作“{{NNN}}”补足三位），可含一个年份“{{年}}”，"
            f"如“{example}”。",
            field=field,
        )
    rest = _SERIAL.sub("", text).replace(_YEAR, "")
    if "{" in rest or "}" in rest:
        raise ValidationError(f"{label}中只能使用“{{年}}”和“{{N}}”两种占位符。", field=field)
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


def pattern_of(s: Session, kind: DocumentKind) -> str:
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


def next_serial(s: Session, kind: DocumentKind, year: int) -> int:
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
            pattern = pattern_of(s, kind)
            issued, _highest = _issued_max(s, kind.key, year)
            serial = next_serial(s, kind, year)
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
        kind = kind_of(p.kind)
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
            if serial != next_serial(s, kind, year):
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
