"""Child process of the upgrade fault test: open (and so upgrade) a case file, killed at step k.

Usage: ``python _upgrade_child.py CASE_FILE_OR_URL`` with ``FIRECASE_FAULT_KILL_AT=k`` in the
environment: a ``before_cursor_execute`` hook (and a ``commit`` hook: the commit is a step
too) counts every step SQLAlchemy sends to the database and the process SIGKILLs itself just
before step ``k`` (so after step k-1). Without the variable (or k=0) it runs to the end and
writes ``steps N`` and the step numbers of every ``UPDATE alembic_version`` (the end of each
revision) to ``FIRECASE_FAULT_REPORT`` when set.

``serve`` mode (``python _upgrade_child.py serve``) imports everything once and then, for
each line ``K<TAB>REPORT<TAB>TARGET`` read from stdin, forks a child that runs the same code
with the variable set and answers ``killed``, ``finished`` or ``exit N`` on stdout. Forking
saves each attempt a fresh interpreter's second of imports.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from firecase.errors import FirecaseError
from firecase.store import open_case_file

KILL_ENV = "FIRECASE_FAULT_KILL_AT"
REPORT_ENV = "FIRECASE_FAULT_REPORT"


def _arm() -> tuple[list[int], list[int], list[int]]:
    kill_at = int(os.environ.get(KILL_ENV) or 0)
    steps = [0]
    ends: list[int] = []
    commits: list[int] = []

    def step(statement: str | None) -> None:
        steps[0] += 1
        if kill_at and steps[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        if statement is not None and statement.lstrip().upper().startswith(
            "UPDATE ALEMBIC_VERSION"
        ):
            ends.append(steps[0])

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        step(statement)

    @event.listens_for(Engine, "commit")
    def _commit(conn: Any) -> None:
        step(None)
        commits.append(steps[0])

    return steps, ends, commits


def run(target: str) -> int:
    """Open ``target`` once (upgrading it); 0 when opened, 3 on a FirecaseError."""
    steps, ends, commits = _arm()
    try:
        with open_case_file(target, user="升级测试"):
            pass
    except FirecaseError as exc:
        print(f"firecase-error {exc.message}", file=sys.stderr, flush=True)
        return 3
    report = os.environ.get(REPORT_ENV)
    if report:
        Path(report).write_text(
            f"steps {steps[0]}\nends {' '.join(map(str, ends))}\n"
            f"commits {' '.join(map(str, commits))}\n",
            encoding="utf-8",
        )
    return 0


def serve() -> int:
    """Fork one attempt per stdin line ``K<TAB>REPORT<TAB>TARGET``; answer on stdout."""
    import alembic.command  # what every attempt needs, imported once before the forks
    import alembic.runtime.migration
    import alembic.script

    import firecase.store.audit
    import firecase.store.casefile
    import firecase.store.models

    del alembic, firecase
    for line in sys.stdin:
        k, report, target = line.rstrip("\n").split("\t")
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:  # the attempt
            code = 1
            try:
                os.environ[KILL_ENV] = k
                os.environ[REPORT_ENV] = report
                code = run(target)
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
    if sys.argv[1:] == ["serve"]:
        sys.exit(serve())
    sys.exit(run(sys.argv[1]))
