#!/usr/bin/env python3
"""Generate resources/calendars/cn_workdays.json from the ``chinese_calendar`` package.

Usage::

    python scripts/gen_calendar.py            # rewrite the bundled file
    python scripts/gen_calendar.py -o FILE    # write somewhere else
    python scripts/gen_calendar.py --check    # exit 1 if the bundled file is out of date

Needs ``chinese_calendar`` 1.11.0 (a test/build extra; FireCase never imports it at run time).
The output lists the covered years, every statutory holiday with its Chinese name, and every
make-up working day (调休上班日) with the holiday it belongs to. Output is sorted and stable, so
regenerating with the same package version gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FIRST_YEAR = 2004
LAST_YEAR = 2026
EXPECTED_VERSION = "1.11.0"
DEFAULT_OUT = (
    Path(__file__).resolve().parent.parent / "resources" / "calendars" / "cn_workdays.json"
)

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def build() -> str:
    """The JSON text of the calendar (ends with a newline)."""
    import chinese_calendar
    from chinese_calendar import constants

    version = chinese_calendar.__version__
    if version != EXPECTED_VERSION:
        raise SystemExit(f"chinese_calendar {EXPECTED_VERSION} expected, found {version}")
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    holidays = {d: n for d, n in constants.holidays.items() if FIRST_YEAR <= d.year <= LAST_YEAR}
    workdays = {d: n for d, n in constants.workdays.items() if FIRST_YEAR <= d.year <= LAST_YEAR}
    for year in years:
        if not any(d.year == year for d in holidays):
            raise SystemExit(f"chinese_calendar has no holidays for {year}")
    unknown = {n for n in (*holidays.values(), *workdays.values()) if n not in CHINESE_NAMES}
    if unknown:
        raise SystemExit(f"no Chinese name for: {sorted(unknown)}")
    data = {
        "source": f"chinese_calendar {version}（国务院办公厅历年部分节假日安排）",
        "generator": "scripts/gen_calendar.py",
        "years": years,
        "holidays": {d.isoformat(): CHINESE_NAMES[n] for d, n in sorted(holidays.items())},
        "workdays": {d.isoformat(): CHINESE_NAMES[n] for d, n in sorted(workdays.items())},
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/gen_calendar.py", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
