"""Benchmark (not a test): deleting in a large archive (50 ms at any archive size).

Run from the repository root, on a synthetic archive made once by ``firecase synth``::

    firecase synth --db /tmp/c100k.sqlite --cases 100000 --seed 5
    python tests/bench/bench_deletes.py --db /tmp/c100k.sqlite [--runs 7] [--without-indexes]

Each variant works on a copy of ``--db`` (the deletes change it): ``with`` is the file as it
is; ``without`` (``--without-indexes``) has the foreign-key indexes of migration 0016 dropped,
the schema before migration 0016. ``--photos N`` first gives N other cases one attachment each (a
small distinct content per case, as an archive with photos has one per photo), so the
attachment content table is as large as an archive's (most removed cases then have one).
Timed, each in its own transaction through the service call the window makes:

* remove a member: ``team.remove_member`` of a member with no recusal or dissent, in
  ``--runs`` different cases spread over the archive;
* remove a case: ``cases.remove_case`` of ``--runs`` cases spread over the archive (never the
  large case).

Medians (min–max) are printed, never asserted. ``--profile`` prints the cProfile of one more
case removal.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import importlib.util
import io
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from firecase.services import cases, reading, team  # noqa: E402
from firecase.store import open_case_file  # noqa: E402
from firecase.store.filecheck import MIGRATIONS_DIR  # noqa: E402

REASON = "基准测试：删除耗时"  # a replied case asks for one (services.guards)
ACTOR = "基准"


def indexes_of_0016() -> list[str]:
    path = next((Path(MIGRATIONS_DIR) / "versions").glob("0016_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0016", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [f"ix_{table}_{column}" for table, column in module.INDEXED]


def prepare(source: Path, work: Path, *, without_indexes: bool, photos: int) -> Path:
    target = work / f"{'without' if without_indexes else 'with'}.sqlite"
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    try:
        if without_indexes:
            for name in indexes_of_0016():
                conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        if photos:
            add_photos(conn, photos)
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return target


def add_photos(conn: sqlite3.Connection, photos: int) -> None:
    """One small attachment under one evidence item in each of the ``photos`` newest cases
    that have evidence."""
    rows = conn.execute(
        "SELECT e.case_id, MIN(e.id) FROM evidence_items e GROUP BY e.case_id "
        "ORDER BY e.case_id DESC LIMIT ?",
        (photos,),
    ).fetchall()
    today = dt.date(2026, 12, 1).isoformat()
    for case_id, evidence_id in rows:
        data = f"照片 {case_id}".encode()
        digest = hashlib.sha256(data).hexdigest()
        conn.execute(
            "INSERT INTO attachment_blobs (sha256, size) VALUES (?, ?)", (digest, len(data))
        )
        conn.execute(
            "INSERT INTO attachment_chunks (sha256, seq, data) VALUES (?, 0, ?)", (digest, data)
        )
        conn.execute(
            "INSERT INTO attachments (case_id, evidence_id, filename, media_type, size, sha256, "
            "added_on, added_by) VALUES (?, ?, 'p.jpg', 'image/jpeg', ?, ?, ?, ?)",
            (case_id, evidence_id, len(data), digest, today, ACTOR),
        )
    print(f"  {len(rows):,} attachments added (one content each)")


def spread(ids: list[int], n: int) -> list[int]:
    if len(ids) <= n:
        return ids
    step = len(ids) / n
    return [ids[int(i * step)] for i in range(n)]


def pick(db: Path, runs: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(member id, version) in ``runs`` cases and (case id, version) of ``runs`` other cases,
    spread over the archive; the large case (most members) is left alone."""
    conn = sqlite3.connect(db)
    try:
        large = conn.execute(
            "SELECT case_id FROM team_members GROUP BY case_id ORDER BY COUNT(*) DESC LIMIT 1"
        ).fetchone()[0]
        case_ids = [r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id") if r[0] != large]
        removed = spread(case_ids, runs)
        member_cases = spread([c for c in case_ids if c not in set(removed)], runs * 3)
        members = []
        for case_id in member_cases:
            row = conn.execute(
                "SELECT t.id, t.version FROM team_members t WHERE t.case_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM recusal_applications r WHERE r.member_id = t.id) "
                "AND NOT EXISTS (SELECT 1 FROM dissents d WHERE d.member_id = t.id) "
                "ORDER BY t.id LIMIT 1",
                (case_id,),
            ).fetchone()
            if row is not None:
                members.append((int(row[0]), int(row[1])))
            if len(members) == runs:
                break
        versions = dict(conn.execute("SELECT id, version FROM cases"))
        return members, [(c, int(versions[c])) for c in removed]
    finally:
        conn.close()


def timed(calls: list[Callable[[], object]]) -> list[float]:
    out = []
    for call in calls:
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):.0f} ms ({min(times):.0f}–{max(times):.0f})"


def run_variant(db: Path, runs: int, profile: bool) -> tuple[str, str]:
    members, removed = pick(db, runs + (1 if profile else 0))
    last = removed.pop() if profile else None
    with open_case_file(db, user=ACTOR) as cf:
        reading.list_cases(cf)  # warm: the first query of a process pays for the schema
        member_times = timed(
            [
                lambda mid=mid, ver=ver: team.remove_member(
                    cf, mid, expected_version=ver, actor=ACTOR, override_reason=REASON
                )
                for mid, ver in members[:runs]
            ]
        )
        case_times = timed(
            [
                lambda cid=cid, ver=ver: cases.remove_case(
                    cf, cid, expected_version=ver, actor=ACTOR
                )
                for cid, ver in removed
            ]
        )
        if last is not None:
            profiler = cProfile.Profile()
            profiler.enable()
            cases.remove_case(cf, last[0], expected_version=last[1], actor=ACTOR)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
    return fmt(member_times), fmt(case_times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a file made by firecase synth")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--without-indexes", action="store_true", help="also time without")
    parser.add_argument("--photos", type=int, default=0, metavar="N")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="folder for the copies")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="firecase-bench-deletes-", dir=args.work))
    conn = sqlite3.connect(args.db)
    n_cases = conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    conn.close()
    rows = []
    try:
        for without in [True, False] if args.without_indexes else [False]:
            label = "without" if without else "with"
            print(f"{label} the foreign-key indexes: copying {args.db} …", flush=True)
            db = prepare(args.db, work, without_indexes=without, photos=args.photos)
            member, case = run_variant(db, args.runs, args.profile)
            db.unlink()
            rows.append(f"| {n_cases:,} cases | {label} | {member} | {case} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    photos = f", {args.photos:,} attachments" if args.photos else ""
    print(f"\n{args.runs} runs each, median (min–max){photos}")
    print("| archive | indexes | remove a member | remove a case |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
