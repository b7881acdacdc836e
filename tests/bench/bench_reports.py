"""Benchmark (not a test): median time to build a 30-page investigation report.

Run from the repository root: ``python tests/bench/bench_reports.py [--runs N]``. The file name
has no ``test_`` prefix, so pytest does not collect it. The first build in a process also
registers the bundled fonts; it is timed separately and left out of the median.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from firecase.reports.data import InvestigationReportData  # noqa: E402
from firecase.reports.investigation import build_investigation_pdf  # noqa: E402
from tests.unit.reports.samples import GENERATED_AT, investigation_sample  # noqa: E402

TARGET_PAGES = 30


def _sample_with_pages(target: int) -> tuple[InvestigationReportData, int]:
    """The sample investigation data lengthened until it prints ``target`` pages or more."""
    length = 1
    while True:
        data = investigation_sample(length=length)
        pages = build_investigation_pdf(data, io.BytesIO(), generated_at=GENERATED_AT).pages
        if pages >= target:
            return data, pages
        length += 1


def main() -> int:
    """Print the median build time over ``--runs`` builds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    build_investigation_pdf(investigation_sample(), io.BytesIO(), generated_at=GENERATED_AT)
    first = time.perf_counter() - start

    data, pages = _sample_with_pages(TARGET_PAGES)
    times = []
    size = 0
    for _ in range(args.runs):
        out = io.BytesIO()
        start = time.perf_counter()
        build_investigation_pdf(data, out, generated_at=GENERATED_AT)
        times.append(time.perf_counter() - start)
        size = len(out.getvalue())
    print(f"first build in process (font registration included): {first * 1000:.0f} ms")
    print(
        f"investigation report, {pages} pages, {size / 1024:.0f} KiB: "
        f"median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs "
        f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
