"""The case file: SQLAlchemy models, Alembic migrations, unit of work and audit trail.

No Qt here. Services (``firecase.services``) are the only callers the UI should use.
"""

from firecase.store.audit import AuditCheck, verify_audit_chain
from firecase.store.casefile import CaseFile, head_revision, open_case_file
from firecase.store.uow import UnitOfWork

__all__ = [
    "AuditCheck",
    "CaseFile",
    "UnitOfWork",
    "head_revision",
    "open_case_file",
    "verify_audit_chain",
]
