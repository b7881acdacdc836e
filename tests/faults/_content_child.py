"""Child process of the attachment fault test: one operation on content, killed at step k.

Usage: ``python _content_child.py serve``, then one line per attempt on stdin:
``OP<TAB>K<TAB>WORK`` where ``WORK`` is a folder prepared by the test and ``OP`` one of

* ``attach``: add the files ``WORK/src/*`` one by one as attachments of case 1 of
  ``WORK/案卷.sqlite`` (read from the file, piece by piece), appending ``committed NAME`` to
  ``WORK/report`` (flushed and fsynced) after each add returned;
* ``save``: ``evidence.save_attachment`` of every attachment into ``WORK/out/``;
* ``import``: ``transfer.import_case`` of ``WORK/案件.fcase`` into ``WORK/导入.sqlite`` (a
  case file without cases, made by the test);
* ``create``: a new case file ``WORK/新建.sqlite`` made and a case opened in it, ``committed``
  appended to ``WORK/report`` once the case is saved;
* ``backup``: ``backup.run_scheduled_backup`` of ``WORK/案卷.sqlite`` into ``WORK/备份`` at
  the present time (the copy, then its content moved into the 附件库).

A step is every SQL statement SQLite runs (a trace callback on every ``sqlite3`` connection,
SQLAlchemy's included), every piece of content read from a file, every ``fsync`` and every
``os.replace``; the attempt SIGKILLs itself just before step ``K`` (K=0: runs to the end and
writes ``steps N`` to ``WORK/steps``). The serve loop forks one attempt per line (everything
imported once) and answers ``killed``, ``finished`` or ``exit N``.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

TODAY = dt.date(2026, 3, 2)
_steps = [0]
_kill_at = [0]


def _step(*_args: object) -> None:
    _steps[0] += 1
    if _kill_at[0] and _steps[0] == _kill_at[0]:
        os.kill(os.getpid(), signal.SIGKILL)


def _arm() -> None:
    """Count steps in everything the operations use (installed once, before the forks)."""
    import sqlite3.dbapi2

    from firecase.store import blobs

    real_connect = sqlite3.dbapi2.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(_step)
        return conn

    # SQLAlchemy's pysqlite dialect connects through sqlite3.dbapi2.connect, a binding of
    # its own: both names are replaced, or SQLAlchemy's statements would go uncounted.
    sqlite3.connect = connect  # type: ignore[assignment]
    sqlite3.dbapi2.connect = connect  # type: ignore[assignment]
    real_pieces = blobs.pieces_of

    def pieces_of(fh: IO[bytes], size: int = blobs.CHUNK_BYTES) -> Iterator[bytes]:
        for piece in real_pieces(fh, size):
            _step()
            yield piece

    blobs.pieces_of = pieces_of  # type: ignore[assignment]
    for name in ("fsync", "replace"):
        real = getattr(os, name)

        def wrapped(*args: Any, _real: Any = real) -> Any:
            _step()
            return _real(*args)

        setattr(os, name, wrapped)


def run(op: str, work: Path) -> int:
    from firecase.errors import FirecaseError
    from firecase.services import backup, evidence, transfer
    from firecase.services.backup import Retention
    from firecase.services.dto import AttachmentInput
    from firecase.store import open_case_file

    try:
        if op == "attach":
            with open_case_file(work / "案卷.sqlite", user="写入员") as cf:
                report = open(work / "report", "a", encoding="utf-8")  # noqa: SIM115
                for source in sorted((work / "src").iterdir()):
                    evidence.add_attachment(
                        cf,
                        1,
                        AttachmentInput(source.name, None, TODAY, source=source),
                        today=TODAY,
                    )
                    report.write(f"committed {source.name}\n")
                    report.flush()
                    os.fsync(report.fileno())
                report.close()
        elif op == "save":
            with open_case_file(work / "案卷.sqlite", user="写入员") as cf:
                from firecase.services.reading import get_case

                for item in get_case(cf, 1).attachments:
                    evidence.save_attachment(cf, item.id, work / "out" / item.filename)
        elif op == "import":
            with open_case_file(work / "导入.sqlite", user="写入员") as cf:
                transfer.import_case(cf, work / "案件.fcase")
        elif op == "create":
            from decimal import Decimal

            from firecase.services._judgement import fire_types
            from firecase.services.cases import open_case
            from firecase.services.dto import IncidentInput

            with open_case_file(work / "新建.sqlite", user="写入员") as cf:
                incident = IncidentInput(
                    "新建火灾", TODAY, "天门市竟陵街道", fire_types()[0], Decimal(1), Decimal(2)
                )
                open_case(cf, incident, today=TODAY)
                with open(work / "report", "a", encoding="utf-8") as report:
                    report.write("committed case\n")
                    report.flush()
                    os.fsync(report.fileno())
        elif op == "backup":
            backup.run_scheduled_backup(
                work / "案卷.sqlite", work / "备份", Retention(), dt.datetime.now()
            )
        else:
            return 4
    except FirecaseError as exc:
        print(f"firecase-error {exc.message}", file=sys.stderr, flush=True)
        return 3
    if not _kill_at[0]:
        (work / "steps").write_text(f"steps {_steps[0]}\n", encoding="utf-8")
    return 0


def serve() -> int:
    import firecase.services._backup_copy
    import firecase.services._clock_inputs
    import firecase.services._clocks
    import firecase.services._derive
    import firecase.services._judgement
    import firecase.services._reads
    import firecase.services._team_checks
    import firecase.services._transfer_import
    import firecase.services._transfer_read
    import firecase.services.backup
    import firecase.services.cases
    import firecase.services.deadlines
    import firecase.services.dto
    import firecase.services.evaluation
    import firecase.services.evidence
    import firecase.services.findings
    import firecase.services.parties
    import firecase.services.reading
    import firecase.services.recommendations
    import firecase.services.recusal
    import firecase.services.reply
    import firecase.services.team
    import firecase.services.transfer
    import firecase.store

    del firecase
    _arm()
    for line in sys.stdin:
        op, k, work = line.rstrip("\n").split("\t")
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _kill_at[0] = int(k)
                code = run(op, Path(work))
            finally:
                os._exit(code)
        _pid, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            answer = "killed"
        elif os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            answer = "finished"
        else:
            answer = f"exit {status}"
        print(answer, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(serve())
