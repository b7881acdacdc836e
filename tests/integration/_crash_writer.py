"""Writer process for the crash test: commits small writes through the real services.

Usage: ``python _crash_writer.py CASE_FILE COUNT``. Opens (creating if needed) the case file,
opens one case, then adds ``COUNT`` parties, one transaction each. After each commit returns
it prints ``committed <party id>`` and flushes, so whatever the parent has read was committed.
The parent kills this process with SIGKILL at a moment of its choosing.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

from firecase.services.cases import open_case
from firecase.services.dto import IncidentInput, PartyInput
from firecase.services.parties import add_party
from firecase.store import open_case_file


def main(path: str, count: int) -> int:
    """Write ``count`` parties into one new case of the case file at ``path``."""
    today = dt.date(2026, 3, 2)
    with open_case_file(path, user="写入员") as cf:
        case = open_case(
            cf,
            IncidentInput(
                title="崩溃测试火灾",
                fire_date=dt.date(2026, 3, 1),
                place="天门市竟陵街道",
                fire_type=_fire_type(),
                property_loss_yuan=Decimal("1000.00"),
                economic_loss_yuan=Decimal("2000.00"),
            ),
            today=today,
        )
        print(f"case {case.id}", flush=True)
        for n in range(count):
            party = add_party(
                cf, case.id, PartyInput(kind=_party_kind(), name=f"当事人{n:04d}"), today=today
            )
            print(f"committed {party.id}", flush=True)
    print("done", flush=True)
    return 0


def _fire_type() -> str:
    from firecase.services._judgement import fire_types

    return fire_types()[0]


def _party_kind() -> str:
    from firecase.services._judgement import party_kinds

    return party_kinds()[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
