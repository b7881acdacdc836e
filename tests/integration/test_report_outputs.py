"""Reads that matter are audited: every file written from a case leaves a
``report_outputs`` row naming who wrote it, the file's SHA-256 and the chain's head the file
carries, and that row is itself in the audit trail; a report streamed to the screen is not a
file and leaves nothing; migration 0014 adds the table to an older file."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from firecase.services import reporting
from firecase.services.maintenance import verify_case_file
from firecase.services.transfer import export_case
from firecase.store import open_case_file
from firecase.store.filecheck import alembic_config
from tests._demo import demo_into

TWO = "天消调〔2025〕第001号"


def _rows(cf: object) -> list[dict[str, object]]:
    with cf.connect() as conn:  # type: ignore[attr-defined]
        return [
            dict(r)
            for r in conn.execute(text("SELECT * FROM report_outputs ORDER BY id")).mappings()
        ]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_file_written_is_recorded_and_audited(case_url: str, tmp_path: Path) -> None:
    demo_into(case_url, user="打印员")
    with open_case_file(case_url, user="打印员") as cf:
        pdf, docx, fcase = tmp_path / "报告.pdf", tmp_path / "报告.docx", tmp_path / "案件.fcase"
        reporting.build_report(cf, "investigation", TWO, pdf, generated_at=dt.datetime.now())
        reporting.build_report(cf, "evaluation", TWO, docx, generated_at=dt.datetime.now())
        version = reporting.public_version(cf, TWO, "investigation")
        public = tmp_path / "公开版.pdf"
        reporting.write_public_version(cf, version, public, generated_at=dt.datetime.now())
        export_case(cf, TWO, fcase)
        import io

        reporting.build_report(
            cf, "investigation", TWO, io.BytesIO(), generated_at=dt.datetime.now()
        )
        rows = _rows(cf)
        assert [(r["kind"], r["file_name"]) for r in rows] == [
            ("investigation", "报告.pdf"),
            ("evaluation", "报告.docx"),
            ("public", "公开版.pdf"),
            ("case_export", "案件.fcase"),
        ]  # the stream (a preview) is not recorded
        for row, path in zip(rows, (pdf, docx, public, fcase), strict=True):
            assert row["sha256"] == _sha(path) and row["size"] == path.stat().st_size
            assert row["case_no"] == TWO and row["case_id"] is not None
        with cf.connect() as conn:
            audited = conn.execute(
                text("SELECT count(*) FROM audit_log WHERE entity = 'report_outputs'")
            ).scalar()
        assert audited == 4
        # the anchor each file carries is the head recorded with it, and it verifies
        first = rows[0]
        anchor = f"{first['anchor_seq']}:{first['anchor_hash']}"
        assert verify_case_file(cf, anchor=anchor).ok
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        flat = out.stdout.replace(" ", "")
        assert f"第{first['anchor_seq']}条" in flat and str(first["anchor_hash"]) in flat


def test_the_command_line_records_its_report_and_a_failed_write_records_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "案卷.sqlite"
    demo_into(db, user="甲")
    out = tmp_path / "cli.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "firecase",
            "report",
            "clocks",
            TWO,
            "--db",
            str(db),
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout
    missing = tmp_path / "没有的文件夹" / "x.pdf"
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "firecase",
            "report",
            "clocks",
            TWO,
            "--db",
            str(db),
            "-o",
            str(missing),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failed.returncode == 2
    with open_case_file(db, user="甲") as cf:
        rows = _rows(cf)
    assert [(r["kind"], r["file_name"], r["sha256"]) for r in rows] == [
        ("clocks", "cli.pdf", _sha(out))
    ]


def test_migration_0014_adds_the_table_to_an_older_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    demo_into(path, user="测试")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0013")
        tables = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
    engine.dispose()
    assert "report_outputs" not in tables
    with open_case_file(path, user="测试") as cf:
        assert cf.upgraded_from == "0013"
        assert _rows(cf) == []
        assert verify_case_file(cf).ok
