"""What the services store about the cases' clocks, for comparing two ways of deriving it."""

from __future__ import annotations

from sqlalchemy import select

from firecase.store import CaseFile
from firecase.store.models import Case, OpenClock


def stored_derived(cf: CaseFile) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The derived case columns (by id) and every ``open_clocks`` row but its id (in order)."""
    t = OpenClock.__table__.c
    with cf.connect() as conn:
        case_cols = conn.execute(
            select(
                Case.id,
                Case.stage,
                Case.next_due_on,
                Case.next_due_label,
                Case.has_open_clocks,
                Case.clocks_stale,
                Case.search_text,
            ).order_by(Case.id)
        ).all()
        clock_rows = conn.execute(
            select(*[c for c in t if c.name != "id"]).order_by(t.case_id, t.position)
        ).all()
    return [tuple(r) for r in case_cols], [tuple(r) for r in clock_rows]
