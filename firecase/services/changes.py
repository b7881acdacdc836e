"""Has anyone changed the case file since I last looked? Cheap polling for shared case files.

Every change of a case file is appended to the hash-chained audit trail, with a sequence number
that grows by one per changed field and the id of the case it belongs to; writers on a server
take the chain head in turn, so numbers are handed out in commit order. A window that shows
cases remembers the position it has seen and asks what happened after it:

    seq = audit_position(cf)                     # when the case file is opened
    ...every few seconds, on the worker:
    changes = changes_since(cf, seq)              # one indexed range read
    seq = changes.seq
    for case_id in changes.case_ids: reload that case's workspace (if open)
    if changes.case_ids: reload the case list and the clock board
    if changes.other_changed: reload settings, calendar, users / the current user's role

``case_changed_since(cf, case_id, seq)`` answers for one case. Positions, not record versions,
are compared: a case's own ``version`` does not move when, say, a party of the case is edited,
but every such edit has an audit row carrying the case id.

Both calls are reads (any user, including 只读) and cost a few primary-key lookups and one
range scan over the audit rows written since ``seq``: poll them every 3–5 seconds.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from firecase.services import _common as v
from firecase.services.dto import CaseChanges
from firecase.store import CaseFile
from firecase.store.models import AuditEntry, AuditHead


def _head(session: Session) -> int:
    head = cast(Table, AuditHead.__table__)
    value = session.scalar(select(head.c.last_seq).where(head.c.id == 1))
    return int(value or 0)


def _position(value: object) -> int:
    return v.integer(value, "seq", "审计位置", minimum=0, maximum=2**62)


def audit_position(cf: CaseFile) -> int:
    """The number of the last change recorded in the case file (0 for a new file)."""
    with cf.unit_of_work() as uow:
        return _head(uow.session)


def changes_since(cf: CaseFile, seq: int) -> CaseChanges:
    """The cases (and whether anything else) changed after audit position ``seq``.

    A ``seq`` beyond the last change (e.g. the file was restored from an older backup) is
    answered with ``other_changed`` so the caller reloads everything.
    """
    since = _position(seq)
    with cf.unit_of_work() as uow:
        s = uow.session
        head = _head(s)
        if head == since:
            return CaseChanges(since, head, frozenset(), False, frozenset())
        if head < since:
            return CaseChanges(since, head, frozenset(), True, frozenset())
        rows = s.execute(
            select(AuditEntry.case_id, AuditEntry.actor)
            .where(AuditEntry.seq > since, AuditEntry.seq <= head)
            .distinct()
        ).all()
    case_ids = frozenset(int(r[0]) for r in rows if r[0] is not None)
    other = any(r[0] is None for r in rows)
    return CaseChanges(since, head, case_ids, other, frozenset(str(r[1]) for r in rows))


def case_changed_since(cf: CaseFile, case_id: int, seq: int) -> bool:
    """Whether case ``case_id`` (or anything recorded under it) changed after position ``seq``."""
    cid = v.ident(case_id, "case_id", "案件")
    since = _position(seq)
    with cf.unit_of_work() as uow:
        found = uow.session.scalar(
            select(AuditEntry.seq).where(AuditEntry.case_id == cid, AuditEntry.seq > since).limit(1)
        )
    return found is not None
