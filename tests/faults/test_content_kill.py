"""Nothing lost to a kill: SIGKILL while content is written, saved, imported or backed up.

A dry run of each operation counts its steps (every SQL statement, every piece of content
read, every fsync and rename: see ``_content_child.py``); then a forked child repeats it on a
fresh copy of the files and SIGKILLs itself just before step k — the first and last three
steps and an even spread between (every step with ``FIRECASE_FAULT_ALL_STEPS=1``). After each
kill:

* **attach** (files added piece by piece): the case file opens and verifies; every attachment
  reported committed is there with exactly its bytes; none is there without all its content;
* **save** (附件另存为): a file that carries the attachment's name holds exactly its bytes
  (a kill leaves at most a ``.part``, never a short file under the real name);
* **import** (a ``.fcase`` of format 2, content streamed): the target opens and verifies and
  holds the whole case with all its content, or nothing of it;
* **create** (a new case file made and a case opened in it): nothing under the file's name, or
  a case file that opens without being asked about as an empty file, and verifies; the case
  is there once reported saved;
* **backup** (the automatic backup: copy, content moved into the 附件库): the case file is
  untouched; a finished copy restores with every attachment; the next day's backup succeeds,
  removes every leftover ``.part`` and restores whole.

Each operation prints its figure: steps, attempts, recovered, lost (must be 0).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from _faultkit import child_env

from firecase.services import evidence
from firecase.services.backup import Retention, restore_case_file, run_scheduled_backup
from firecase.services.cases import open_case
from firecase.services.dto import AttachmentInput, IncidentInput
from firecase.services.maintenance import verify_case_file
from firecase.services.reading import get_case, list_cases
from firecase.services.transfer import export_case
from firecase.store import open_case_file

CHILD = Path(__file__).with_name("_content_child.py")
TODAY = dt.date(2026, 3, 2)
PHOTOS = 3
SIZE = 2_500_000  # three pieces of 1 MiB each
SPREAD = 6

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name == "nt", reason="SIGKILL and fork are POSIX"),
]


def _photo(n: int) -> bytes:
    seed = hashlib.sha256(f"照片{n}".encode()).digest()
    return (seed * (SIZE // 32 + 1))[:SIZE]


def _names() -> list[str]:
    return [f"现场照片{n}.jpg" for n in range(PHOTOS)]


def _contents() -> dict[str, bytes]:
    return {name: _photo(n) for n, name in enumerate(_names())}


def _fire_type() -> str:
    from firecase.services._judgement import fire_types

    return fire_types()[0]


def _new_case_file(path: Path, *, photos: bool) -> None:
    with open_case_file(path, user="写入员") as cf:
        case = open_case(
            cf,
            IncidentInput(
                "附件火灾", TODAY, "天门市竟陵街道", _fire_type(), Decimal(1), Decimal(2)
            ),
            today=TODAY,
        )
        assert case.id == 1
        if photos:
            for name, data in _contents().items():
                evidence.add_attachment(cf, 1, AttachmentInput(name, data, TODAY), today=TODAY)
    for side in ("-wal", "-shm", ".lock"):
        Path(f"{path}{side}").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """案卷.sqlite (case 1 with the photos), 空.sqlite (case 1, none), 空白.sqlite (no case),
    src/, 案件.fcase."""
    folder = tmp_path_factory.mktemp("base")
    open_case_file(folder / "空白.sqlite", user="写入员").close()
    _new_case_file(folder / "案卷.sqlite", photos=True)
    _new_case_file(folder / "空.sqlite", photos=False)
    (folder / "src").mkdir()
    for name, data in _contents().items():
        (folder / "src" / name).write_bytes(data)
    with open_case_file(folder / "案卷.sqlite", user="写入员") as cf:
        export_case(cf, 1, folder / "案件.fcase")
    for side in ("-wal", "-shm", ".lock"):
        Path(f"{folder / '案卷.sqlite'}{side}").unlink(missing_ok=True)
    return folder


def _work(base: Path, folder: Path, op: str) -> Path:
    folder.mkdir()
    if op == "attach":
        shutil.copy(base / "空.sqlite", folder / "案卷.sqlite")
        shutil.copytree(base / "src", folder / "src")
    else:
        shutil.copy(base / "案卷.sqlite", folder / "案卷.sqlite")
    if op == "save":
        (folder / "out").mkdir()
    if op == "import":
        shutil.copy(base / "案件.fcase", folder / "案件.fcase")
        shutil.copy(base / "空白.sqlite", folder / "导入.sqlite")
    return folder


class Child:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
        )

    def run(self, op: str, k: int, work: Path) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{op}\t{k}\t{work}\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)


@pytest.fixture(scope="module")
def child() -> Iterator[Child]:
    c = Child()
    yield c
    c.close()


def _kill_points(steps: int) -> list[int]:
    if os.environ.get("FIRECASE_FAULT_ALL_STEPS"):
        return list(range(1, steps + 1))
    fixed = {1, 2, 3, steps - 2, steps - 1, steps}
    fixed.update(1 + (steps - 1) * i // (SPREAD + 1) for i in range(1, SPREAD + 1))
    return sorted(k for k in fixed if 1 <= k <= steps)


def _attachments(cf: object, case_id: int) -> dict[str, bytes]:
    """Every attachment of the case by name, its content read back (checked) piece by piece."""
    from firecase.store import blobs

    out: dict[str, bytes] = {}
    detail = get_case(cf, case_id)  # type: ignore[arg-type]
    with cf.connect() as conn:  # type: ignore[attr-defined]
        for item in detail.attachments:
            assert blobs.content_problems(conn, item.sha256) is None, item.filename
            out[item.filename] = b"".join(blobs.read_pieces(conn, item.sha256))
    return out


def _sound(path: Path) -> dict[str, bytes] | None:
    """Open ``path`` (recovering it), verify it; its one case's attachments, None: no case."""
    with open_case_file(path, user="检查员") as cf:
        report = verify_case_file(cf, today=TODAY)
        assert report.ok, (report.integrity_problems, report.audit_problems, report.data_problems)
        cases = list_cases(cf).rows
        if not cases:
            return None
        assert len(cases) == 1
        return _attachments(cf, cases[0].id)


def _check_attach(work: Path) -> int:
    reported = (
        {
            line.split(" ", 1)[1]
            for line in (work / "report").read_text(encoding="utf-8").splitlines()
            if line.startswith("committed ")
        }
        if (work / "report").exists()
        else set()
    )
    present = _sound(work / "案卷.sqlite") or {}
    expected = _contents()
    for name, data in present.items():
        assert data == expected[name], f"{name} changed"
    assert len(present) <= len(reported) + 1
    return len(reported - set(present))


def _check_save(work: Path) -> int:
    expected = _contents()
    lost = 0
    for entry in (work / "out").iterdir():
        if entry.name.endswith(".part"):
            continue
        if entry.read_bytes() != expected[entry.name]:
            lost += 1  # a file under the attachment's name that is not the attachment
    assert _sound(work / "案卷.sqlite") == expected
    return lost


def _check_import(work: Path) -> int:
    present = _sound(work / "导入.sqlite")  # the case file is there before the import
    if present is None:
        return 0  # nothing imported, nothing reported: the officer imports again
    return 0 if present == _contents() else 1


def _check_create(work: Path) -> int:
    target = work / "新建.sqlite"
    reported = (work / "report").exists()
    if not target.exists():  # nothing under the name: never a 0-byte or half-made file
        return int(reported)
    present = _sound(target)  # opens without asking about an empty file, verified
    return int(reported and present is None)


def _restored(copy: Path, folder: Path) -> dict[str, bytes] | None:
    dest = folder / f"恢复-{copy.stem}.sqlite"
    restore_case_file(copy, dest)
    return _sound(dest)


def _check_backup(work: Path) -> int:
    expected = _contents()
    assert _sound(work / "案卷.sqlite") == expected
    folder = work / "备份"
    lost = 0
    restored = work / "恢复"
    restored.mkdir()
    copies = sorted(folder.glob("*.sqlite")) if folder.is_dir() else []
    for copy in copies:
        if _restored(copy, restored) != expected:
            lost += 1
    # the next day: a new backup, the leftovers older than an hour removed, a whole restore
    later = dt.datetime.now() + dt.timedelta(days=1, hours=2)
    made = run_scheduled_backup(work / "案卷.sqlite", folder, Retention(), later)
    assert made.created is not None
    assert not [p for p in folder.rglob("*.part")], "leftovers of the killed backup"
    if _restored(made.created, restored) != expected:
        lost += 1
    return lost


CHECKS = {
    "attach": _check_attach,
    "save": _check_save,
    "import": _check_import,
    "create": _check_create,
    "backup": _check_backup,
}


@pytest.mark.parametrize("op", list(CHECKS))
def test_a_kill_while_content_moves_loses_nothing(
    op: str, base: Path, child: Child, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    dry = _work(base, tmp_path / "dry", op)
    assert child.run(op, 0, dry) == "finished"
    steps = int((dry / "steps").read_text(encoding="utf-8").split()[1])
    assert CHECKS[op](dry) == 0  # the operation itself, not killed, is sound
    attempts = recovered = lost = 0
    for k in _kill_points(steps):
        work = _work(base, tmp_path / f"k{k}", op)
        answer = child.run(op, k, work)
        assert answer in ("killed", "finished"), f"step {k}: {answer}"
        attempts += 1
        missing = CHECKS[op](work)
        lost += missing
        recovered += missing == 0
        shutil.rmtree(work)
    figure(f"{op} kills: {steps} steps, attempts={attempts}, recovered={recovered}, lost={lost}")
    assert lost == 0
    assert recovered == attempts
