"""``firecase synth``: realistic synthetic cases in bulk, for benchmarks and load tests.

A city's whole archive (100,000 cases) is written in a few minutes: the rows are generated in
Python and written with bulk Core inserts (``insert(table)`` with a list of parameter dicts, one
``executemany`` per table and batch), one transaction per batch. What the services derive is
derived here through the very same code: grade and inclusion by ``firecase.rules``, the stage by
``_clock_inputs.derive_stage``, and each case's denormalised next due date and stored open clocks by
``_clocks.clocks_of``,
``_clocks.next_due`` on the stored working-day calendar — so the case list, the clock board and
``refresh_derived`` agree with what is written, and no case is left ``clocks_stale``.

Audit: bulk inserts bypass the ORM hook that records every row, so each batch appends **one**
audit entry ("synthetic import of cases A–B, n rows per table, seed S") through the store's own
chain writer (``write_pending`` via ``UnitOfWork.commit``). The chain stays verifiable
(``firecase verify`` passes) and says plainly which rows were synthesised. On PostgreSQL the
database's triggers audit each row as it is inserted (``store.pg_audit``), so no summary is
added there.

The data is fictional and deterministic for a given ``seed`` and ``today``: mostly 一般 fires,
some 较大, a few 重大; stages from 受理 to 结案 and 评估; teams with sub-groups, parties,
evidence with custody, appraisals open and closed, extensions, report dates, handling tasks,
evaluations and rectification measures; clocks in every state (running, due soon, paused,
overdue, done, and 无法计算 where the calendar lacks a year). One extra *large* case (50 team
members, 200 evidence items, long report sections: a report of about 30 pages) serves the
open-case and report benchmarks.

The fictional city's vocabulary and the row buffers are in ``_synth_data``, one case's rows in
``_synth_case``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firecase.errors import FirecaseError, ValidationError
from firecase.samples._synth_case import _Ctx, _write_case
from firecase.samples._synth_data import (
    DEFAULT_BATCH,
    LARGE_CASE_TITLE,
    LARGE_EVIDENCE,
    LARGE_MEMBERS,
    SYNTH_ACTOR,
    D,
    SynthResult,
    _Rows,
)
from firecase.services import _common as v, _reads
from firecase.services.settings import read_settings
from firecase.store import CaseFile, models as m, open_case_file
from firecase.store.audit import PENDING_KEY

# ------------------------------------------------------------------------------------------
# the use case
# ------------------------------------------------------------------------------------------


def synthesize(
    cf: CaseFile,
    cases: int,
    *,
    seed: int = 1,
    today: D | None = None,
    large_case: bool = True,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> SynthResult:
    """Write ``cases`` synthetic cases into ``cf`` (the large case included when asked).

    One transaction per ``batch`` cases, each with one audit entry. Deterministic for a given
    ``seed``, ``today`` and case file. ``progress(done, total)`` is called after each batch.
    """
    total = v.integer(cases, "cases", "案件数", minimum=1, maximum=10_000_000)
    size = v.integer(batch, "batch", "每批案件数", minimum=1, maximum=100_000)
    now = v.today_or(today)
    rng = random.Random(seed)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    large_id: int | None = None
    large_no: str | None = None
    entries = 0
    with cf.unit_of_work(SYNTH_ACTOR) as uow:
        s = uow.session
        calendar = _reads.stored_calendar(s)  # copies the bundled calendar in on first use
        settings = read_settings(s)
        seq = {
            int(y): int(n)
            for y, n in s.execute(select(m.Case.year, func.max(m.Case.seq)).group_by(m.Case.year))
        }
        uow.commit()
    done = 0
    while done < total:
        n = min(size, total - done)
        with cf.unit_of_work(SYNTH_ACTOR) as uow:
            s = uow.session
            ctx = _Ctx(
                now, settings.case_no_prefix, calendar, settings.roll_to_workday, seq, _Rows(s)
            )
            first_id = ctx.rows.next_id["cases"]
            ctx.case_nos = []
            for i in range(n):
                is_large = large_case and done + i == 0
                cid = _write_case(ctx, rng, large=is_large)
                if is_large:
                    large_id, large_no = cid, ctx.case_nos[-1]
            written = ctx.rows.flush(s)
            ctx.rows.advance_sequences(s)
            for name, k in written.items():
                counts[name] = counts.get(name, 0) + k
            audited = {k: c for k, c in written.items() if k not in m.DERIVED_TABLES}
            if cf.is_sqlite:  # on PostgreSQL the database's triggers audited every row
                _audit_batch(s, first_id, first_id + n - 1, ctx.case_nos, audited, seed)
            uow.commit()
            entries += 1 if cf.is_sqlite else sum(audited.values())
        done += n
        if progress is not None:
            progress(done, total)
    return SynthResult(
        cases=total,
        rows=counts,
        large_case_id=large_id,
        large_case_no=large_no,
        seconds=time.perf_counter() - started,
        audit_entries=entries,
    )


def _audit_batch(
    session: Session,
    first_id: int,
    last_id: int,
    case_nos: list[str],
    written: dict[str, int],
    seed: int,
) -> None:
    """Queue the batch's one audit entry; ``UnitOfWork.commit`` chains it (``write_pending``)."""
    summary = {
        "synthetic": True,
        "seed": seed,
        "cases": len(case_nos),
        "case_ids": [first_id, last_id],
        "case_nos": [case_nos[0], case_nos[-1]] if case_nos else [],
        "rows": dict(sorted(written.items())),
    }
    session.info.setdefault(PENDING_KEY, []).append(
        {
            "action": "insert",
            "entity": "cases",
            "entity_id": f"{first_id}-{last_id}",
            "case_id": None,
            "field": "*",
            "old_value": None,
            "new_value": json.dumps(summary, ensure_ascii=False, sort_keys=True),
        }
    )


def synth_command(args: argparse.Namespace) -> int:
    """``firecase synth --db PATH --cases N [--seed S] [--today YYYY-MM-DD]``."""
    try:
        today = None
        if getattr(args, "today", None):
            try:
                today = D.fromisoformat(args.today)
            except ValueError as exc:
                raise ValidationError(
                    f"日期格式应为 YYYY-MM-DD：{args.today}", field="today"
                ) from exc

        def report(done: int, total: int) -> None:
            print(f"已写入 {done}/{total} 件", flush=True)

        with open_case_file(args.db, user=getattr(args, "user", None) or SYNTH_ACTOR) as cf:
            result = synthesize(
                cf,
                args.cases,
                seed=args.seed,
                today=today,
                large_case=not args.no_large_case,
                progress=report,
            )
    except FirecaseError as exc:
        print(f"错误：{exc.message}")
        return 2
    rows = sum(result.rows.values())
    print(
        f"已合成 {result.cases} 件案件（共 {rows} 行，{result.audit_entries} 条审计记录），"
        f"用时 {result.seconds:.1f} 秒。"
    )
    if result.large_case_no:
        print(
            f"大型案件：{result.large_case_no}（{LARGE_MEMBERS} 名成员，{LARGE_EVIDENCE} 件证据）"
        )
    return 0


__all__ = ["LARGE_CASE_TITLE", "SynthResult", "synth_command", "synthesize"]
