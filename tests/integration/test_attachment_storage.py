"""Attachments' content apart from their rows (store.blobs, migration 0017): stored once per
SHA-256 in pieces, streamed in and out, pruned when no attachment refers to it, carried by a
``.fcase`` as members of its own, and moved by the migration in both directions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from _fill import case_snapshot, fill_case
from alembic import command
from sqlalchemy import func, select, text

from firecase.errors import CaseFileError, FirecaseError, ValidationError
from firecase.services import cases, evidence, reading, recycle
from firecase.services.dto import AttachmentInput, EvidenceInput, IncidentInput
from firecase.services.evidence import MAX_ATTACHMENT_BYTES
from firecase.services.maintenance import verify_case_file
from firecase.services.transfer import DamagedFileError, export_case, import_case
from firecase.store import CaseFile, blobs, open_case_file
from firecase.store.filecheck import alembic_config
from firecase.store.models import Attachment, AttachmentBlob, AttachmentChunk

TODAY = dt.date(2026, 3, 20)


def _incident() -> IncidentInput:
    return IncidentInput(
        title="天门市竟陵街道某小区电动车火灾",
        fire_date=dt.date(2026, 3, 2),
        place="竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("100"),
        economic_loss_yuan=Decimal("600000"),
    )


def _count(cf: CaseFile, model: type) -> int:
    with cf.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def _photo(n: int, size: int) -> bytes:
    """``size`` bytes unlike any other photo's (seeded by ``n``)."""
    seed = hashlib.sha256(str(n).encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


@pytest.fixture
def opened(case_url: str) -> CaseFile:
    cf = open_case_file(case_url, user="刘志强")
    return cf


def _new_case(cf: CaseFile) -> int:
    from firecase.services.cases import open_case

    return open_case(cf, _incident(), today=TODAY).id


def test_same_content_stored_once_and_pruned_with_its_last_attachment(opened: CaseFile) -> None:
    with opened as cf:
        case_id = _new_case(cf)
        e = evidence.add_evidence(
            cf,
            case_id,
            EvidenceInput("WZ-1", "充电器", "物证", TODAY, "刘志强"),
        )
        photo = _photo(1, 3 * blobs.CHUNK_BYTES + 17)  # four pieces
        first = evidence.add_attachment(
            cf, case_id, AttachmentInput("现场1.jpg", photo, TODAY, "image/jpeg", e.id)
        )
        second = evidence.add_attachment(
            cf, case_id, AttachmentInput("现场1副本.jpg", photo, TODAY)
        )
        assert first.sha256 == second.sha256 == hashlib.sha256(photo).hexdigest()
        assert (_count(cf, AttachmentBlob), _count(cf, AttachmentChunk)) == (1, 4)
        assert evidence.get_attachment_content(cf, second.id) == photo
        evidence.remove_attachment(cf, second.id)
        assert _count(cf, AttachmentBlob) == 1  # still referred to by the first
        evidence.remove_evidence(cf, e.id, expected_version=1)  # its attachment goes with it
        # … into the 回收站, which keeps the content until it is emptied
        assert (_count(cf, Attachment), _count(cf, AttachmentBlob)) == (0, 1)
        assert recycle.empty(cf, case_id) == 2
        assert (_count(cf, AttachmentBlob), _count(cf, AttachmentChunk)) == (0, 0)
        evidence.add_attachment(cf, case_id, AttachmentInput("现场2.jpg", photo, TODAY))
        cases.remove_case(cf, case_id, expected_version=reading.get_case(cf, case_id).case.version)
        assert (_count(cf, AttachmentBlob), _count(cf, AttachmentChunk)) == (0, 0)
        assert verify_case_file(cf).ok


def test_a_removal_prunes_only_the_content_it_removed(opened: CaseFile) -> None:
    """Issue 22: removing an attachment, an evidence item or a case looks up only the content
    of the attachments it removed, by key, not every content of the archive (which grew the
    removal of a case with the number of photos). Content nothing refers to that was not among
    them (left by some older version, say) stays until a full ``prune``."""
    with opened as cf:
        stray = _photo(9, 10)
        with cf.engine.begin() as conn:
            blobs.put_stream(conn, hashlib.sha256(stray).hexdigest(), [stray], max_bytes=100)
        kept_case, removed_case = _new_case(cf), _new_case(cf)
        e = evidence.add_evidence(
            cf, removed_case, EvidenceInput("WZ-1", "充电器", "物证", TODAY, "刘志强")
        )
        evidence.add_attachment(
            cf, removed_case, AttachmentInput("现场1.jpg", _photo(1, 40), TODAY, "image/jpeg", e.id)
        )
        single = evidence.add_attachment(
            cf, removed_case, AttachmentInput("现场2.jpg", _photo(2, 40), TODAY)
        )
        evidence.add_attachment(
            cf, removed_case, AttachmentInput("现场3.jpg", _photo(3, 40), TODAY)
        )
        shared = AttachmentInput("平面图.png", _photo(4, 40), TODAY)
        evidence.add_attachment(cf, removed_case, shared)
        evidence.add_attachment(cf, kept_case, shared)
        assert _count(cf, AttachmentBlob) == 5
        evidence.remove_attachment(cf, single.id)
        evidence.remove_evidence(cf, e.id, expected_version=1)
        assert _count(cf, AttachmentBlob) == 5  # the 回收站 keeps 现场1 and 现场2
        recycle.empty(cf, removed_case)
        assert _count(cf, AttachmentBlob) == 3  # the stray, 现场3 and the shared 平面图
        version = reading.get_case(cf, removed_case).case.version
        cases.remove_case(cf, removed_case, expected_version=version)
        with cf.connect() as conn:
            left = set(conn.execute(select(AttachmentBlob.sha256)).scalars())
        assert left == {
            hashlib.sha256(stray).hexdigest(),
            hashlib.sha256(_photo(4, 40)).hexdigest(),
        }
        with cf.engine.begin() as conn:
            assert blobs.prune(conn) == 1  # the full sweep finds the stray
        assert _count(cf, AttachmentBlob) == _count(cf, Attachment) == 1


def test_a_file_is_read_piece_by_piece_and_the_limit_checked_before_reading(
    opened: CaseFile, tmp_path: Path
) -> None:
    with opened as cf:
        case_id = _new_case(cf)
        photo = tmp_path / "现场照片.jpg"
        data = _photo(2, 2 * blobs.CHUNK_BYTES + 5)
        photo.write_bytes(data)
        a = evidence.add_attachment(
            cf, case_id, AttachmentInput("现场照片.jpg", None, TODAY, source=photo)
        )
        assert (a.size, a.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        huge = tmp_path / "录像.mp4"
        with open(huge, "wb") as fh:  # sparse: 50 MB + 1 byte, never read
            fh.truncate(MAX_ATTACHMENT_BYTES + 1)
        with pytest.raises(ValidationError, match="超过 50 MB") as err:
            evidence.add_attachment(
                cf, case_id, AttachmentInput("录像.mp4", None, TODAY, source=huge)
            )
        assert err.value.field == "content"
        for bad, message in (
            (AttachmentInput("空.jpg", None, TODAY, source=tmp_path / "没有.jpg"), "找不到文件"),
            (AttachmentInput("两者.jpg", b"x", TODAY, source=photo), "之一"),
            (AttachmentInput("无.jpg", None, TODAY), "请选择"),
        ):
            with pytest.raises(ValidationError, match=message):
                evidence.add_attachment(cf, case_id, bad)
        assert (_count(cf, Attachment), _count(cf, AttachmentBlob)) == (1, 1)  # nothing else
        out = tmp_path / "另存" / "照片.jpg"
        out.parent.mkdir()
        assert evidence.save_attachment(cf, a.id, out) == len(data)
        assert out.read_bytes() == data and not list(out.parent.glob("*.part"))


def test_damaged_content_is_never_saved_as_a_whole_file(opened: CaseFile, tmp_path: Path) -> None:
    with opened as cf:
        case_id = _new_case(cf)
        data = _photo(3, blobs.CHUNK_BYTES + 100)
        a = evidence.add_attachment(cf, case_id, AttachmentInput("鉴定意见.pdf", data, TODAY))
        with cf.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(
                text("UPDATE attachment_chunks SET data = :d WHERE sha256 = :s AND seq = 1"),
                {"d": b"\x00" * 100, "s": a.sha256},
            )
        out = tmp_path / "鉴定意见.pdf"
        with pytest.raises(CaseFileError, match="SHA-256 不符"):
            evidence.save_attachment(cf, a.id, out)
        assert not out.exists() and not list(tmp_path.glob("*.part"))
        with pytest.raises(CaseFileError, match="SHA-256 不符"):
            evidence.get_attachment_content(cf, a.id)
        report = verify_case_file(cf)
        assert any("鉴定意见.pdf" in p and "SHA-256" in p for p in report.data_problems)


def test_export_carries_each_content_once_as_its_own_stored_member(
    case_url: str, tmp_path: Path
) -> None:
    with open_case_file(case_url, user="刘志强") as cf:
        case_id = _new_case(cf)
        photo = _photo(4, blobs.CHUNK_BYTES * 2 + 3)
        for name in ("甲.jpg", "乙.jpg"):
            evidence.add_attachment(cf, case_id, AttachmentInput(name, photo, TODAY, "image/jpeg"))
        evidence.add_attachment(cf, case_id, AttachmentInput("丙.txt", b"note", TODAY))
        out = tmp_path / "案件.fcase"
        result = export_case(cf, case_id, out)
        assert result.attachments == 3
    with zipfile.ZipFile(out) as zf:
        members = {i.filename: i for i in zf.infolist()}
        manifest = json.loads(zf.read("manifest.json"))
        data = json.loads(zf.read("data.json"))
    sha = hashlib.sha256(photo).hexdigest()
    content = sorted(n for n in members if n.startswith("attachments/"))
    assert content == sorted(
        ["attachments/" + sha, "attachments/" + hashlib.sha256(b"note").hexdigest()]
    )
    assert members["attachments/" + sha].compress_type == zipfile.ZIP_STORED
    assert manifest["format_version"] == 2
    assert manifest["members"]["attachments/" + sha] == {"sha256": sha, "size": len(photo)}
    rows = next(t["rows"] for t in data["tables"] if t["name"] == "attachments")
    assert all("content" not in r for r in rows)
    with open_case_file(tmp_path / "目标.sqlite", user="王敏") as target:
        new = import_case(target, out)
        detail = reading.get_case(target, new.case_id)
        got = {
            a.filename: evidence.get_attachment_content(target, a.id) for a in detail.attachments
        }
        assert got == {"甲.jpg": photo, "乙.jpg": photo, "丙.txt": b"note"}
        assert _count(target, AttachmentBlob) == 2
        again = import_case(target, out, as_copy=True)  # the content is here already
        assert _count(target, AttachmentBlob) == 2 and again.case_no != new.case_no
        assert verify_case_file(target).ok


def _rewrite_member(src: Path, dst: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(src) as zf, zipfile.ZipFile(dst, "w") as out:
        for info in zf.infolist():
            out.writestr(info.filename, data if info.filename == name else zf.read(info.filename))


def test_content_changed_in_the_file_refuses_the_whole_import(tmp_path: Path) -> None:
    with open_case_file(tmp_path / "源.sqlite", user="刘志强") as cf:
        case_id = _new_case(cf)
        photo = _photo(5, 5000)
        evidence.add_attachment(cf, case_id, AttachmentInput("甲.jpg", photo, TODAY))
        out = tmp_path / "案件.fcase"
        export_case(cf, case_id, out)
    sha = hashlib.sha256(photo).hexdigest()
    forged = tmp_path / "改动.fcase"
    _rewrite_member(out, forged, "attachments/" + sha, b"X" * len(photo))  # same size
    with open_case_file(tmp_path / "目标.sqlite", user="王敏") as target:
        before = (_count(target, Attachment), _count(target, AttachmentBlob))
        with pytest.raises(DamagedFileError, match="校验值不符"):
            import_case(target, forged)
        assert (_count(target, Attachment), _count(target, AttachmentBlob)) == before
        assert reading.list_cases(target).total == 0
    shorter = tmp_path / "截短.fcase"
    _rewrite_member(out, shorter, "attachments/" + sha, photo[:100])
    with open_case_file(tmp_path / "目标2.sqlite", user="王敏") as target:
        with pytest.raises(DamagedFileError):
            import_case(target, shorter)
        assert reading.list_cases(target).total == 0


def test_an_export_of_format_1_still_imports(tmp_path: Path) -> None:
    """Format 1 kept the content in base64 inside data.json (before migration 0017)."""
    with open_case_file(tmp_path / "源.sqlite", user="刘志强") as cf:
        case_id = fill_case(cf, 1)
        out = tmp_path / "案件.fcase"
        export_case(cf, case_id, out)
        with cf.connect() as conn:
            snap = case_snapshot(conn, case_id)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        data = json.loads(zf.read("data.json"))
        content = {
            n[len("attachments/") :]: zf.read(n)
            for n in zf.namelist()
            if n.startswith("attachments/")
        }
    import base64

    for table in data["tables"]:
        if table["name"] == "attachments":
            for row in table["rows"]:
                row["content"] = {"$bytes": base64.b64encode(content[row["sha256"]]).decode()}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    manifest["format_version"] = 1
    manifest["members"] = {
        "data.json": {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
    }
    old = tmp_path / "旧格式.fcase"
    with zipfile.ZipFile(old, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        zf.writestr("data.json", raw)
    with open_case_file(tmp_path / "目标.sqlite", user="王敏") as target:
        new = import_case(target, old)
        with target.connect() as conn:
            assert case_snapshot(conn, new.case_id) == snap
            ids = conn.execute(
                select(Attachment.id, Attachment.sha256).where(Attachment.case_id == new.case_id)
            ).all()
        assert ids
        for attachment_id, sha in ids:
            assert evidence.get_attachment_content(target, attachment_id) == content[sha]


def test_migration_0017_moves_content_both_ways(case_url: str) -> None:
    with open_case_file(case_url, user="刘志强") as cf:
        case_id = _new_case(cf)
        big = _photo(6, 2 * blobs.CHUNK_BYTES + 1)
        for name, data in (("甲.jpg", big), ("乙.jpg", big), ("丙.txt", b"abc")):
            evidence.add_attachment(cf, case_id, AttachmentInput(name, data, TODAY))
        with cf.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            command.downgrade(alembic_config(conn), "0016")
            rows = conn.execute(
                text("SELECT filename, sha256, content FROM attachments ORDER BY id")
            ).all()
            assert [(r[0], bytes(r[2])) for r in rows] == [
                ("甲.jpg", big),
                ("乙.jpg", big),
                ("丙.txt", b"abc"),
            ]
            tables = set(conn.dialect.get_table_names(conn))
            assert "attachment_blobs" not in tables
    with open_case_file(case_url, user="刘志强") as cf:  # upgraded again on opening
        assert cf.upgraded_from == "0016"
        detail = reading.get_case(cf, case_id)
        got = [evidence.get_attachment_content(cf, a.id) for a in detail.attachments]
        assert got == [big, big, b"abc"]
        assert (_count(cf, AttachmentBlob), _count(cf, AttachmentChunk)) == (2, 4)
        assert verify_case_file(cf).ok


def test_errors_reading_a_file_are_messages(
    opened: CaseFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with opened as cf:
        case_id = _new_case(cf)
        photo = tmp_path / "现场.jpg"
        photo.write_bytes(b"abc")

        def unreadable(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(evidence, "open", unreadable, raising=False)
        with pytest.raises(FirecaseError, match=r"无法读取文件“现场\.jpg”"):
            evidence.add_attachment(
                cf, case_id, AttachmentInput("现场.jpg", None, TODAY, source=photo)
            )
        assert _count(cf, Attachment) == 0


def test_a_new_case_file_is_made_without_warnings(tmp_path: Path) -> None:
    """Every migration runs on a new file: none may print a warning on the command line."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with open_case_file(tmp_path / "新案卷.sqlite", user="刘志强"):
            pass
    assert [str(w.message) for w in caught] == []
