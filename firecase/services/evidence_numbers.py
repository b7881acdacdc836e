"""Evidence numbers (设置 → 证据编号): one pattern per kind of evidence, the next free number of
a kind in a case proposed when an item is added (the officer may change it; a number the case
already uses is refused by ``evidence.add_evidence`` at the field).

The pattern syntax is the document numbers' (``services.doc_numbers``: ``{N}`` the serial,
``{NNN}`` zero-padded to three places, ``{年}`` the year — here the case's year), checked and
formatted by the same functions. The next number of a kind is one above the highest serial
among the case's evidence numbers written after the kind's pattern, skipping a number already
taken (typed freely by hand); a kind whose pattern is empty gets no proposal.

Settings keys: ``evidence_number:<kind>`` (the pattern; absent: ``DEFAULT_PATTERNS``),
``evidence_numbers_version`` (raised by each save that changes something, checked against the
version the saving page read).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from firecase.errors import ConflictError, ValidationError
from firecase.services import _common as v
from firecase.services.doc_numbers import check_pattern, format_number, parse_number
from firecase.services.permissions import Permission, requires
from firecase.services.vocab import EVIDENCE_KINDS
from firecase.store import CaseFile
from firecase.store.models import EvidenceItem, Setting

__all__ = [
    "DEFAULT_PATTERNS",
    "EvidencePatternInput",
    "EvidencePatternView",
    "EvidencePatternsView",
    "check_evidence_pattern",
    "evidence_patterns",
    "next_code",
    "proposed_codes",
    "save_evidence_patterns",
]

PATTERN_KEY = "evidence_number:"  # + kind: the pattern of that kind
VERSION_KEY = "evidence_numbers_version"
DEFAULT_PATTERNS: dict[str, str] = {kind: f"{kind}-{{NNN}}" for kind in EVIDENCE_KINDS}
MAX_CODE = 32  # evidence_items.code
_LABEL = "证据编号格式"
_EXAMPLE = "物证-{NNN}"
_SHOWN_YEAR = 2026  # the year a pattern's length is checked with


@dataclass(frozen=True)
class EvidencePatternView:
    """One kind's pattern, its default and the first number it gives (``example``)."""

    kind: str
    pattern: str
    default_pattern: str
    example: str


@dataclass(frozen=True)
class EvidencePatternsView:
    """Every kind's pattern; ``version`` goes back as ``expected_version``."""

    rows: tuple[EvidencePatternView, ...]
    version: int


@dataclass(frozen=True)
class EvidencePatternInput:
    """An administrator's pattern for evidence ``kind`` ("": no proposal)."""

    kind: str
    pattern: str


def check_evidence_pattern(pattern: str, field: str = "pattern") -> str:
    """``pattern`` trimmed, or ``ValidationError``: the syntax of ``doc_numbers.check_pattern``
    and a number that fits an evidence number (at most 32 characters)."""
    text = check_pattern(pattern, field, label=_LABEL, example=_EXAMPLE)
    if text and len(format_number(text, _SHOWN_YEAR, 999)) > MAX_CODE:
        raise ValidationError(
            f"{_LABEL}过长：按此格式编出的证据编号超过{MAX_CODE}个字。", field=field
        )
    return text


def _kind(kind: str, field: str = "kind") -> str:
    return v.choice(kind, field, "证据种类", EVIDENCE_KINDS)


def pattern_of(s: Session, kind: str) -> str:
    """The pattern of evidence ``kind`` as saved, else its default."""
    stored = s.get(Setting, PATTERN_KEY + kind)
    return stored.value if stored is not None else DEFAULT_PATTERNS.get(kind, "")


def next_code(pattern: str, year: int, taken: Collection[str]) -> str:
    """The next number ``pattern`` gives among the numbers ``taken`` ("" for no pattern)."""
    if not pattern:
        return ""
    serials = [0]
    for code in taken:
        parsed = parse_number(pattern, code)
        if parsed is not None and parsed[0] in (None, year):
            serials.append(parsed[1])
    serial = max(serials) + 1
    while format_number(pattern, year, serial) in taken:
        serial += 1
    return format_number(pattern, year, serial)


_SERIAL = re.compile(r"^(.*?)(\d+)$")


def own_series(codes: Collection[str], taken: Collection[str]) -> str:
    """The next number of a kind's items numbered by a series of the case's own ("WZ-001",
    "WZ-002": "WZ-003"), when all of them share one prefix before their serial; "" when they
    do not (or there are none)."""
    found = [m for m in map(_SERIAL.match, codes) if m is not None]
    if not found or len(found) != len(codes) or len({m[1] for m in found}) != 1:
        return ""
    prefix, width = found[0][1], max(len(m[2]) for m in found)
    serial = max(int(m[2]) for m in found) + 1
    while (code := f"{prefix}{serial:0{width}d}") in taken:
        serial += 1
    return code if len(code) <= MAX_CODE else ""


def _codes_by_kind(s: Session, case_id: int) -> dict[str, list[str]]:
    """The evidence numbers case ``case_id`` uses, by kind (one read)."""
    out: dict[str, list[str]] = {}
    rows = s.execute(
        select(EvidenceItem.kind, EvidenceItem.code).where(EvidenceItem.case_id == case_id)
    )
    for kind, code in rows:
        out.setdefault(str(kind), []).append(str(code))
    return out


def _next_of_kind(pattern: str, year: int, own: Sequence[str], taken: Collection[str]) -> str:
    """The next number of a kind: by its ``pattern`` (设置 → 证据编号); when none of the case's
    items of that kind (``own``) is numbered by it but all of them by one series of their own
    (a case numbered "WZ-001", "WZ-002" before the setting, or by hand), the next of that
    series (the GUI review: "物证-001" proposed beside WZ-001 … WZ-004)."""
    if not pattern:
        return ""
    if own and not any(parse_number(pattern, code) is not None for code in own):
        series = own_series(own, taken)
        if series:
            return series
    return next_code(pattern, year, taken)


def next_code_in(s: Session, case_id: int, year: int, kind: str) -> str:
    """The next free number of evidence ``kind`` in case ``case_id`` (inside a unit of work)."""
    codes = _codes_by_kind(s, case_id)
    taken = {code for kind_codes in codes.values() for code in kind_codes}
    return _next_of_kind(pattern_of(s, kind), year, codes.get(kind, []), taken)


def proposed_codes(cf: CaseFile, case_id: int) -> dict[str, str]:
    """The number to propose for a new item of each evidence kind of case ``case_id`` (kinds
    without a pattern are left out)."""
    with cf.unit_of_work() as uow:
        s = uow.session
        case = v.load_case(s, case_id)
        codes = _codes_by_kind(s, case.id)
        taken = {code for kind_codes in codes.values() for code in kind_codes}
        out = {
            kind: _next_of_kind(pattern_of(s, kind), case.year, codes.get(kind, []), taken)
            for kind in EVIDENCE_KINDS
        }
    return {kind: code for kind, code in out.items() if code}


def _version(s: Session) -> int:
    stamp = s.get(Setting, VERSION_KEY)
    return int(stamp.value) if stamp is not None and stamp.value.isdigit() else 0


def _view(s: Session) -> EvidencePatternsView:
    rows = []
    for kind in EVIDENCE_KINDS:
        pattern = pattern_of(s, kind)
        example = format_number(pattern, _SHOWN_YEAR, 1)
        rows.append(EvidencePatternView(kind, pattern, DEFAULT_PATTERNS[kind], example))
    return EvidencePatternsView(tuple(rows), _version(s))


def evidence_patterns(cf: CaseFile) -> EvidencePatternsView:
    """Every evidence kind's pattern (设置 → 证据编号)."""
    with cf.unit_of_work() as uow:
        return _view(uow.session)


@requires(Permission.MANAGE_SETTINGS)
def save_evidence_patterns(
    cf: CaseFile,
    patterns: Sequence[EvidencePatternInput],
    *,
    expected_version: int,
    actor: str | None = None,
) -> EvidencePatternsView:
    """Save each kind's pattern (the default is stored as nothing). A save by another
    administrator since ``expected_version`` is a ``ConflictError``; a bad pattern is refused
    at its row (field ``pattern:<kind>``); either way nothing is written."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError("证据编号设置的版本号无效，请刷新后重试。", field="version")
    checked: dict[str, str] = {}
    for p in patterns:
        if not isinstance(p, EvidencePatternInput):
            raise ValidationError("证据编号设置格式不正确。", field="patterns")
        kind = _kind(p.kind)
        checked[kind] = check_evidence_pattern(p.pattern, f"pattern:{kind}")
    with cf.unit_of_work(actor) as uow:
        s = uow.session
        stamp = s.scalars(
            select(Setting).where(Setting.key == VERSION_KEY).with_for_update()
        ).one_or_none()
        current = int(stamp.value) if stamp is not None and stamp.value.isdigit() else 0
        if current != expected_version:
            raise ConflictError(
                "证据编号设置已被其他管理员修改，请刷新后重新编辑。", field="version"
            )
        changed = False
        for kind, pattern in checked.items():
            row = s.get(Setting, PATTERN_KEY + kind)
            if row is None:
                if pattern != DEFAULT_PATTERNS[kind]:
                    s.add(Setting(key=PATTERN_KEY + kind, value=pattern))
                    changed = True
            elif pattern == DEFAULT_PATTERNS[kind]:
                s.delete(row)
                changed = True
            elif row.value != pattern:
                row.value = pattern
                changed = True
        if changed:
            if stamp is None:
                s.add(Setting(key=VERSION_KEY, value=str(current + 1)))
            else:
                stamp.value = str(current + 1)
        uow.commit()
    return evidence_patterns(cf)
