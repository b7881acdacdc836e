"""Benchmark (not a test): the case list's search and sorts at scale, and the memory of a
PostgreSQL logical backup (issue 22, part 4).

Search and sort: ``reading.list_cases`` (first page of 100 rows) on a *copy* of ``--db``
(opened, so upgraded, by the FireCase tree measured), for a common town (岳口), a common word
(仓库), a rare needle, a needle found nowhere, and every ``CaseSort``; median of ``--runs``
calls after one warm-up call. ``--src`` chooses the FireCase tree measured (e.g. a worktree
of the commit before), so the same script gives the figures before and after.

Backup: ``--pg-backup URL`` writes a logical backup of that PostgreSQL database in a fresh
process and prints its peak resident memory (``VmHWM``) and the backup's size.

Run: ``python scripts/bench_search.py --db cases.sqlite [--src TREE] [--runs 5]``
     ``python scripts/bench_search.py --pg-backup postgresql+psycopg://… [--src TREE]``
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NEEDLES = {
    "岳口": "岳口",
    "仓库": "仓库",
    "rare (〔2019〕第451号)": "〔2019〕第451号",
    "nowhere (张三丰)": "张三丰",
}

_LIST_CHILD = r"""
import datetime as dt, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from firecase.services import reading
from firecase.services.vocab import CaseSort
from firecase.store import open_case_file
path, runs, needles = sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
today = dt.date(2026, 12, 1)
t0 = time.perf_counter()
cf = open_case_file(path, user="bench")
opened = (time.perf_counter() - t0) * 1000

def median_ms(call):
    call()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)

out = {"open_ms": opened}
with cf.connect() as conn:
    out["cases"] = conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
def listed(**kw):
    return lambda: reading.list_cases(cf, today=today, **kw)

for label, needle in needles.items():
    total = reading.list_cases(cf, text=needle, today=today).total
    out["filter " + label] = [median_ms(listed(text=needle)), total]
for sort in CaseSort:
    out["sort " + sort.value] = [median_ms(listed(sort=sort)), None]
out["岳口 + sort grade"] = [median_ms(listed(text="岳口", sort=CaseSort.GRADE)), None]
out["stage 调查 + sort fire_date"] = [
    median_ms(listed(stage="调查", sort=CaseSort.FIRE_DATE_DESC)), None
]
cf.close()
print(json.dumps(out, ensure_ascii=False))
"""

_BACKUP_CHILD = r"""
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from firecase.services.backup import backup_case_file

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0

before = hwm()
with tempfile.TemporaryDirectory() as tmp:
    result = backup_case_file(sys.argv[2], Path(tmp) / "b.fcbackup")
    size = result.path.stat().st_size
print(json.dumps({"rss_before_mb": before, "peak_rss_mb": hwm(), "rows": result.rows,
                  "file_mb": size / 1024**2}))
"""


def _copy(source: Path, folder: Path) -> Path:
    """A consistent copy of ``source`` by SQLite's backup API (the source is only read)."""
    target = folder / source.name
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def bench_list(db: Path, src: Path, runs: int) -> dict[str, object]:
    scratch = Path(os.environ.get("BENCH_SCRATCH", tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix="bench-search-", dir=scratch) as tmp:
        copy = _copy(db, Path(tmp))
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _LIST_CHILD,
                str(src),
                str(copy),
                str(runs),
                json.dumps(NEEDLES),
            ],
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise SystemExit(done.stderr)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_backup(url: str, src: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _BACKUP_CHILD, str(src), url],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a SQLite case file (copied, never written)")
    parser.add_argument("--pg-backup", metavar="URL", help="a PostgreSQL case file to back up")
    parser.add_argument("--src", type=Path, default=ROOT, help="the FireCase tree measured")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.db:
        figures = bench_list(args.db, args.src.resolve(), args.runs)
        cases, opened = figures.pop("cases"), figures.pop("open_ms")
        print(f"{args.db.name}: {cases} cases, opened in {opened:.0f} ms")
        print(f"{'list_cases, first page':<34} {'median ms':>10} {'matches':>8}")
        for label, value in figures.items():
            ms, total = value  # type: ignore[misc]
            print(f"{label:<34} {ms:>10.1f} {'' if total is None else total:>8}")
    if args.pg_backup:
        figures = bench_backup(args.pg_backup, args.src.resolve())
        print(
            f"logical backup: {figures['rows']} rows, {figures['file_mb']:.0f} MB file, "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB "
            f"(after imports {figures['rss_before_mb']:.0f} MB)"
        )
    if not args.db and not args.pg_backup:
        parser.error("--db or --pg-backup")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
