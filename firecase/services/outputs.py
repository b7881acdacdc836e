"""Reads that matter are audited: each file FireCase writes from a case is recorded.

A report printed or exported (PDF or Word), a public version published, a case exported:
``record_output`` hashes the file as it lies on disk, after it was written whole, and adds a
``report_outputs`` row (who, when, which case and file, its SHA-256 and size, the audit
chain's head the file carries) in a unit of work, so the audit trail records it on every
backend. Any user who may read may print, so no permission beyond reading is asked; a file
that could not be written leaves no row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import select

from firecase.store import CaseFile
from firecase.store.models import Case, ReportOutput

OUTPUT_KINDS = {
    "investigation": "火灾事故调查报告",
    "evaluation": "评估报告",
    "public": "调查报告公开版",
    "public_evaluation": "评估报告公开版",
    "clocks": "期限表",
    "case_export": "案件导出文件",
}


def file_digest(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def record_output(cf: CaseFile, kind: str, case_no: str, path: Path, anchor: str) -> None:
    """Record that the file ``path`` of ``kind`` was written from case ``case_no``."""
    sha, size = file_digest(path)
    seq, _, head = anchor.partition(":")
    with cf.unit_of_work() as uow:
        s = uow.session
        case_id = s.scalar(select(Case.id).where(Case.case_no == case_no))
        s.add(
            ReportOutput(
                case_id=case_id,
                case_no=case_no[:64],
                kind=kind,
                file_name=path.name[:255],
                sha256=sha,
                size=size,
                written_by=uow.actor[:64],
                written_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                anchor_seq=int(seq or 0),
                anchor_hash=head or "0" * 64,
            )
        )
        uow.commit()
