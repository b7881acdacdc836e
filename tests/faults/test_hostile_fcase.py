"""Hostile ``.fcase`` files: edited, re-hashed, and handed to the import.

A ``.fcase`` is a zip anyone can unpack, edit and re-hash: the manifest proves only that its
members fit together. Each kind of edit a fault-injection run found accepted is made here on
a real export and re-hashed so the manifest still fits. Every one must be refused with a
Chinese message and leave the target case file untouched, or (a stage, a due date, a
traversal file name) be imported with the file's claim replaced by what FireCase computes.
The figure printed: kinds tried, refused correctly, imported corrected, accepted wrongly = 0.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from firecase.errors import FirecaseError
from firecase.services import _dump, _import_check, reading
from firecase.services.transfer import DamagedFileError, export_case, import_case
from firecase.store import CaseFile, open_case_file
from firecase.store.audit import row_hash
from firecase.store.models import Attachment, Base, Case
from tests._demo import demo_into

pytestmark = pytest.mark.slow

CHINESE = re.compile(r"[\u4e00-\u9fff]")
Document = dict[str, Any]


def _counts(cf: CaseFile) -> dict[str, int]:
    with cf.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo case with team, evidence, an attachment and an extension, exported."""
    from firecase.services import evidence as evidence_svc
    from firecase.services.dto import AttachmentInput

    folder = tmp_path_factory.mktemp("hostile")
    ids = demo_into(folder / "源.sqlite", user="甲")
    with open_case_file(folder / "源.sqlite", user="甲") as cf:
        case_id = next(
            i
            for i in ids
            if reading.get_case(cf, i).evidence and reading.get_case(cf, i).extensions
        )
        evidence = reading.get_case(cf, case_id).evidence[0]
        evidence_svc.add_attachment(
            cf,
            case_id,
            AttachmentInput(
                "现场照片.jpg",
                b"\xff\xd8photo" * 50,
                dt.date(2026, 3, 5),
                "image/jpeg",
                evidence.id,
            ),
            today=dt.date(2026, 3, 5),
        )
        out = folder / "案件.fcase"
        export_case(cf, case_id, out)
    return out


def _members(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(dst: Path, members: dict[str, bytes]) -> None:
    manifest = json.loads(members["manifest.json"])
    for name, entry in manifest["members"].items():
        if name in members:
            entry["sha256"] = hashlib.sha256(members[name]).hexdigest()
    members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _edited(source: Path, dst: Path, edit: Callable[[Document], None]) -> Path:
    """``source`` with data.json edited by ``edit`` (decoded rows), re-hashed."""
    members = _members(source)
    document = json.loads(members["data.json"])
    decoded: Document = {
        "tables": {t["name"]: [_dump.decode_row(r) for r in t["rows"]] for t in document["tables"]},
        "audit": [_dump.decode_row(r) for r in document["audit"]],
    }
    edit(decoded)
    document["tables"] = [
        {"name": t["name"], "rows": [_dump.encode_row(r) for r in decoded["tables"][t["name"]]]}
        for t in document["tables"]
    ]
    document["audit"] = [_dump.encode_row(r) for r in decoded["audit"]]
    members["data.json"] = json.dumps(document, ensure_ascii=True, sort_keys=True).encode()
    manifest = json.loads(members["manifest.json"])  # the forger fixes the counts too
    manifest["audit_rows"] = len(document["audit"])
    manifest["tables"] = {t["name"]: len(t["rows"]) for t in document["tables"]}
    members["manifest.json"] = json.dumps(manifest).encode()
    _write(dst, members)
    return dst


def _rechain(history: list[dict[str, Any]]) -> None:
    """Recompute every row hash (and the links between consecutive rows), as a forger can."""
    previous: dict[str, Any] | None = None
    for row in history:
        if previous is not None and row["seq"] == previous["seq"] + 1:
            row["prev_hash"] = previous["row_hash"]
        with contextlib.suppress(ValueError):  # a lone surrogate cannot even be hashed
            row["row_hash"] = row_hash(row)
        previous = row


def _set(table: str, column: str, value: Any, *, also_history: bool = False) -> Any:
    def edit(doc: Document) -> None:
        row = doc["tables"][table][0]
        row[column] = value
        if also_history:  # the forger edits the insert's audit row too, and re-hashes
            for entry in doc["audit"]:
                if (
                    entry["entity"] == table
                    and entry["action"] == "insert"
                    and entry["entity_id"] == str(row["id"])
                ):
                    values = json.loads(entry["new_value"])
                    values[column] = value if isinstance(value, str) else str(value)
                    entry["new_value"] = json.dumps(values, ensure_ascii=False, sort_keys=True)
            _rechain(doc["audit"])

    return edit


def _drop_history_row(doc: Document) -> None:
    updates = [i for i, r in enumerate(doc["audit"]) if r["action"] == "update"]
    del doc["audit"][updates[len(updates) // 2]]


def _swap_history(doc: Document) -> None:
    doc["audit"][1], doc["audit"][2] = doc["audit"][2], doc["audit"][1]


def _break_link(doc: Document) -> None:
    audit = doc["audit"]
    pair = next(i for i in range(1, len(audit)) if audit[i]["seq"] == audit[i - 1]["seq"] + 1)
    audit[pair]["prev_hash"] = "0" * 64
    audit[pair]["row_hash"] = row_hash(audit[pair])


def _extension_days(days: int) -> Callable[[Document], None]:
    return _set("extensions", "days", days, also_history=True)


REFUSED: dict[str, tuple[Callable[[Document], None], str]] = {
    "unknown fire type": (
        _set("cases", "fire_type", "外星火灾", also_history=True),
        "不是可选的值",
    ),
    "unknown member role": (
        _set("team_members", "role", "总指挥", also_history=True),
        "不是可选的值",
    ),
    "NUL in a title": (_set("cases", "title", "仓库\x00火灾", also_history=True), "无法保存的字符"),
    "lone surrogate": (
        _set("cases", "place", "竟陵\ud800街道", also_history=True),
        "无法保存|哈希不符",  # a history holding it cannot even be hashed
    ),
    "999-day extension": (_extension_days(999), "第十七条"),
    "negative loss": (
        _set("cases", "property_loss_yuan", _dump.decode_value({"$decimal": "-1.00"})),
        "金额",
    ),
    "date before 1949": (
        _set("cases", "fire_date", _dump.decode_value({"$date": "1900-01-01"})),
        "日期",
    ),
    "title far too long": (_set("cases", "title", "长" * 5000, also_history=True), "过长"),
    "attachment size misstated": (_set("attachments", "size", 1, also_history=True), "大小"),
    "a value changed without its audit row": (
        _set("cases", "title", "被改掉的标题"),
        "审计记录对不上",
    ),
    "an audit row removed": (_drop_history_row, "对不上"),
    "audit rows reordered": (_swap_history, "顺序"),
    "audit link broken": (_break_link, "链接断开"),
}


def test_hostile_export_files_are_refused_or_corrected(
    exported: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    figure: Callable[[str], None],
) -> None:
    refused = corrected = wrongly = 0
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        before = _counts(cf)
        for label, (edit, message) in REFUSED.items():
            bad = _edited(exported, tmp_path / f"{len(label)}.fcase", edit)
            try:
                import_case(cf, bad)
            except FirecaseError as exc:
                assert isinstance(exc, DamagedFileError), label
                assert CHINESE.search(exc.message) and re.search(message, exc.message), (
                    label,
                    exc.message,
                )
                refused += 1
            else:
                wrongly += 1
                pytest.fail(f"{label}: imported")
            assert _counts(cf) == before, label

        # a 600 MB photo (the limit lowered here, so the file stays small)
        monkeypatch.setattr(_import_check, "MAX_ATTACHMENT_BYTES", 100)
        with pytest.raises(DamagedFileError, match="上限"):
            import_case(cf, exported)
        refused += 1
        monkeypatch.undo()
        assert _counts(cf) == before

        # what the file says about stage and due dates is replaced by what FireCase computes
        def closed(doc: Document) -> None:
            row = doc["tables"]["cases"][0]
            row.update(stage="已结案", has_open_clocks=False, clocks_stale=False)
            row["next_due_on"] = _dump.decode_value({"$date": "2099-12-31"})

        result = import_case(cf, _edited(exported, tmp_path / "stage.fcase", closed))
        summary = reading.get_case_summary(cf, result.case_id)
        assert summary.stage != "已结案" and summary.next_due_on != _dump.decode_value(
            {"$date": "2099-12-31"}
        )
        corrected += 1

        # a traversal file name, forged consistently into the history, is stored bare
        trap = "../../../../home/officer/.bashrc"
        result = import_case(
            cf,
            _edited(
                exported,
                tmp_path / "name.fcase",
                _set("attachments", "filename", trap, also_history=True),
            ),
            as_copy=True,
        )
        with cf.connect() as conn:
            names = (
                conn.execute(
                    select(Attachment.filename).where(Attachment.case_id == result.case_id)
                )
                .scalars()
                .all()
            )
        assert "bashrc" in names and not any("/" in n or ".." in n for n in names), names
        corrected += 1
    figure(
        f"hostile .fcase: kinds={len(REFUSED) + 3}, refused with message={refused}, "
        f"imported corrected={corrected}, accepted wrongly={wrongly}"
    )


def test_a_zip_bomb_and_deep_json_are_refused_before_memory_runs_out(
    exported: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.fcase"
    members = _members(exported)
    zeros = b"\0" * (80 * 1024 * 1024)  # 80 MB of zeros pack into ~80 KB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for k in range(3):
            zf.writestr(f"extra{k}.bin", zeros)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        with pytest.raises(DamagedFileError, match="解压后大小异常"):
            import_case(cf, bomb)
        deep = dict(members)
        deep["data.json"] = b"[" * 200_000 + b"]" * 200_000
        _write(tmp_path / "deep.fcase", deep)
        with pytest.raises(DamagedFileError, match=r"嵌套层数异常|已损坏|异常多的数据结构"):
            import_case(cf, tmp_path / "deep.fcase")
        assert _counts(cf)[Case.__tablename__] == 0


def _peak_mb(run: Callable[[], object]) -> float:
    import tracemalloc

    tracemalloc.start()
    try:
        run()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1024**2


@pytest.mark.parametrize("listed", [False, True])
def test_a_small_bomb_is_refused_from_the_zip_directory_without_unpacking(
    exported: Path, tmp_path: Path, listed: bool
) -> None:
    """The attacker's finding: a 2 MB .fcase of 64 MiB members of zeros (each just under the
    old 64 MiB bound of the ratio check) made the import hold 2.1 GB before it refused them.
    Members of zeros of just under 1 MiB each, listed in the manifest with their digests or
    not, are now refused from the directory: nothing is unpacked but the manifest."""
    members = _members(exported)
    zeros = b"\0" * (1024 * 1024 - 1)
    pads = {f"pad{k}.bin": zeros for k in range(48)}  # 48 MB unpacked, ~50 KB packed
    manifest = json.loads(members["manifest.json"])
    if listed:
        for name, data in pads.items():
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest()}
    members = {**members, **pads, "manifest.json": json.dumps(manifest).encode()}
    bomb = tmp_path / "bomb.fcase"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    del members, pads, zeros
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        refused: list[str] = []

        def attempt() -> None:
            with pytest.raises(DamagedFileError, match="压缩比异常") as err:
                import_case(cf, bomb)
            refused.append(err.value.message)

        peak = _peak_mb(attempt)
        assert refused and _counts(cf)[Case.__tablename__] == 0
    assert peak < 16, f"{peak:.0f} MB held while refusing a 2 MB file"


def test_json_that_would_take_many_times_its_size_is_refused_before_it_is_parsed(
    exported: Path, tmp_path: Path
) -> None:
    """The attacker's finding: ``{},`` is 3 bytes and a 64-byte dict once parsed; a 1.4 MB
    file with a 64 MiB data.json of them reached 3.1 GB, 200 MiB ran out of memory. Now a
    member holding far more objects than FireCase's rows is refused unparsed, and a whole
    member past 256 MiB or a manifest past 16 MiB is refused unread."""
    members = _members(exported)
    pad = base64.b64encode(os.urandom(300_000))  # packs the member below the ratio checks
    members["data.json"] = (
        b'{"pad":"' + pad + b'","tables":[{"name":"cases","rows":['
        + b"{}," * 2_000_000 + b"{}]}]}"
    )  # fmt: skip
    _write(tmp_path / "objects.fcase", members)
    with open_case_file(tmp_path / "目标.sqlite", user="乙") as cf:
        refused: list[str] = []

        def attempt() -> None:
            with pytest.raises(DamagedFileError, match="异常多的数据结构") as err:
                import_case(cf, tmp_path / "objects.fcase")
            refused.append(err.value.message)

        peak = _peak_mb(attempt)
        assert refused and _counts(cf)[Case.__tablename__] == 0
    assert peak < 40, f"{peak:.0f} MB held refusing a 6 MB member"
    assert _dump.MAX_JSON_BYTES == 256 * 1024**2


def test_a_case_too_large_to_import_is_not_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attacker's second review: a genuine case whose history outgrew the importer's bound
    was exported without a word and then refused on import. Export now refuses it first,
    naming the size and the backup instead, and leaves no file."""
    from firecase.services import reading as reading_svc

    monkeypatch.setattr(_dump, "MAX_JSON_BYTES", 10_000)
    ids = demo_into(tmp_path / "源.sqlite", user="甲")
    with open_case_file(tmp_path / "源.sqlite", user="甲") as cf:
        case_no = reading_svc.get_case(cf, ids[0]).case.case_no
        with pytest.raises(FirecaseError, match="无法导出") as refused:
            export_case(cf, case_no, tmp_path / "大.fcase")
    assert "整卷备份" in refused.value.message
    assert not (tmp_path / "大.fcase").exists()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../../../home/officer/.bashrc", "bashrc"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("C:\\Users\\x\\照片.jpg", "照片.jpg"),
        ("现场\x00照片.jpg", "现场照片.jpg"),
        ("...", "附件"),
        ("", "附件"),
        ("a:b*c?.jpg", "a_b_c_.jpg"),
        ("现场照片.jpg", "现场照片.jpg"),
    ],
)
def test_attachment_names_are_reduced_to_a_bare_name(name: str, safe: str) -> None:
    assert _import_check.safe_filename(name) == safe
