"""The case file: SQLAlchemy models, Alembic migrations, unit of work and audit trail.

No Qt here. Services (``firecase.services``) are the only callers the UI should use.

The names below are loaded on first use (module ``__getattr__``): importing a light module of
the package (``firecase.store.filecheck``, ``lockfile``) does not import SQLAlchemy, so the main
window can show its first page of cases before the store is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from firecase.lazy import lazy_names

if TYPE_CHECKING:
    from firecase.store.audit import AuditCheck, verify_audit_chain
    from firecase.store.casefile import CaseFile, open_case_file
    from firecase.store.filecheck import head_revision
    from firecase.store.uow import UnitOfWork

_WHERE = {
    "AuditCheck": "firecase.store.audit",
    "verify_audit_chain": "firecase.store.audit",
    "CaseFile": "firecase.store.casefile",
    "open_case_file": "firecase.store.casefile",
    "head_revision": "firecase.store.filecheck",
    "UnitOfWork": "firecase.store.uow",
}

__all__ = [
    "AuditCheck",
    "CaseFile",
    "UnitOfWork",
    "head_revision",
    "open_case_file",
    "verify_audit_chain",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
