"""A crafted .fcbackup whose table lines are hostile is refused in Chinese, in bounded memory.

The attacker's findings on the streamed backup (a table member under ``data/`` is read line by
line, each line parsed whole): a line nested deeper than the interpreter's recursion limit
escaped as a raw RecursionError, and one long line of ``{},`` held 1.8 GB for a 0.46 MB file."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from firecase.errors import FirecaseError
from firecase.services import backup
from firecase.store import open_case_file
from tests._shop_fire import open_shop_fire


def _rewrite(src: Path, dest: Path, line: bytes) -> None:
    """``src`` with its first ``data/`` member's content replaced by ``line`` and the manifest
    re-hashed (anyone can: the manifest carries no signature)."""
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        members = {n: zin.read(n) for n in zin.namelist() if n != "manifest.json"}
    target = sorted(n for n in members if n.startswith("data/"))[0]
    members[target] = line
    manifest["members"][target] = {"sha256": hashlib.sha256(line).hexdigest(), "size": len(line)}
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, data in members.items():
            zout.writestr(n, data)
        zout.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))


@pytest.fixture
def genuine(tmp_path: Path) -> Path:
    db = tmp_path / "案卷.sqlite"
    with open_case_file(str(db), user="张警官") as cf:
        open_shop_fire(cf)
    out = tmp_path / "正本.fcbackup"
    backup.backup_case_file(str(db), str(out))
    return out


def test_a_deeply_nested_line_is_refused_in_chinese(genuine: Path, tmp_path: Path) -> None:
    crafted = tmp_path / "嵌套.fcbackup"
    _rewrite(genuine, crafted, b"[" * 100_000 + b"]" * 100_000 + b"\n")
    with pytest.raises(FirecaseError, match="嵌套层数异常"):  # a RecursionError escaped
        backup.restore_case_file(str(crafted), str(tmp_path / "恢复.sqlite"), now=dt.datetime.now())


@pytest.mark.parametrize("line_mb", [17, 4])
def test_a_long_line_of_empty_objects_is_refused_before_it_is_parsed(
    genuine: Path, tmp_path: Path, line_mb: int
) -> None:
    """17 MB: past the longest line a row can be; 4 MB: within it, but with far more objects
    than FireCase's rows hold (one per 3 bytes). Either way nothing near the parsed size
    (~20× the line) is held."""
    import tracemalloc

    size = line_mb * 1024**2
    pad = base64.b64encode(os.urandom(size // 120))  # packs below the ratio checks
    line = b'{"pad":"' + pad + b'","x":[' + b"{}," * (size // 3) + b"{}]}\n"
    crafted = tmp_path / "长行.fcbackup"
    _rewrite(genuine, crafted, line)
    del line
    tracemalloc.start()
    try:
        with pytest.raises(FirecaseError, match=r"超过|异常多的数据结构"):
            backup.restore_case_file(
                str(crafted), str(tmp_path / "恢复.sqlite"), now=dt.datetime.now()
            )
        peak = tracemalloc.get_traced_memory()[1] / 1024**2
    finally:
        tracemalloc.stop()
    assert peak < 3 * line_mb + 40, f"{peak:.0f} MB held refusing a {line_mb} MB line"
    assert not (tmp_path / "恢复.sqlite").exists()


def test_many_long_lines_are_handed_on_a_few_megabytes_at_a_time(
    genuine: Path, tmp_path: Path
) -> None:
    """The attacker's second review: ninety lines of 15.5 MB strings, each under the line
    limit, were held a thousand rows at a time (1.5 GB from a 7.4 MB file). A chunk is now cut
    at ``CHUNK_BYTES`` too: the restore refuses the first bad row holding a few lines only."""
    import tracemalloc

    from firecase.services import _dump

    pad = base64.b64encode(os.urandom(40_000)).decode()
    lines = [
        json.dumps({"note": pad + "A" * (3 * 1024**2), "n": k}).encode() + b"\n" for k in range(12)
    ]
    crafted = tmp_path / "多行.fcbackup"
    _rewrite(genuine, crafted, b"".join(lines))
    del lines
    tracemalloc.start()
    try:
        with pytest.raises(FirecaseError):
            backup.restore_case_file(
                str(crafted), str(tmp_path / "恢复.sqlite"), now=dt.datetime.now()
            )
        peak = tracemalloc.get_traced_memory()[1] / 1024**2
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * _dump.CHUNK_BYTES / 1024**2 + 25, f"{peak:.0f} MB held"
