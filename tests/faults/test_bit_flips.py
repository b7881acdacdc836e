"""Bit flips: 200 single-bit flips (seeded) in a small case file; opening it and ``verify`` each
give a FirecaseError with a message or an answer (sound, or the problems found), never
another exception."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from firecase.errors import FirecaseError
from firecase.services import cases, parties
from firecase.services.dto import IncidentInput, PartyInput
from firecase.services.maintenance import verify_case_file
from firecase.store import open_case_file

FLIPS = int(os.environ.get("FIRECASE_FAULT_FLIPS") or 200)
SEED = int(os.environ.get("FIRECASE_FAULT_SEED") or 18)
TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("flips") / "案卷.sqlite"
    with open_case_file(path, user="甲") as cf:
        for n in range(3):
            case = cases.open_case(
                cf,
                IncidentInput(f"仓库火灾{n}", TODAY, "天门市", "建筑火灾", Decimal(n), Decimal(n)),
                today=TODAY,
            )
            parties.add_party(cf, case.id, PartyInput("个人", f"当事人{n}", note="备注" * 20))
    for side in ("-wal", "-shm", ".lock"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


def test_single_bit_flips_are_refused_or_verified_never_a_crash(
    small_file: Path, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    started = time.monotonic()
    rng = random.Random(SEED)
    size = small_file.stat().st_size
    refused = opened_sound = opened_with_problems = 0
    crashed: list[str] = []
    for n in range(FLIPS):
        folder = tmp_path / f"f{n}"
        folder.mkdir()
        path = folder / "案卷.sqlite"
        shutil.copyfile(small_file, path)
        offset, bit = rng.randrange(size), rng.randrange(8)
        data = bytearray(path.read_bytes())
        data[offset] ^= 1 << bit
        path.write_bytes(bytes(data))
        try:
            with open_case_file(path, user="检查员") as cf:
                report = verify_case_file(cf)
        except FirecaseError as exc:
            assert exc.message.strip()
            refused += 1
        except Exception as exc:  # what must never happen
            crashed.append(f"byte {offset} bit {bit}: {type(exc).__name__}: {exc}")
        else:
            if report.ok:
                opened_sound += 1
            else:
                assert report.integrity_problems or report.audit_problems or report.data_problems
                opened_with_problems += 1
    figure(
        f"bit flips: flips={FLIPS}, refused with message={refused}, "
        f"opened={opened_sound + opened_with_problems} (sound {opened_sound}, "
        f"problems reported {opened_with_problems}), crashed={len(crashed)}, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert not crashed, "\n".join(c[:160] for c in crashed)
