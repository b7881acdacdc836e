"""The one error hierarchy of FireCase.

Every error a user can cause carries a Chinese message that says what is wrong and, where it
helps, what to do next. ``field`` names the input field at fault so the UI can show the message
beside it. Stdlib only: ``firecase.rules`` imports this module.
"""

from __future__ import annotations


class FirecaseError(Exception):
    """Base of every error FireCase raises on purpose; ``message`` is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(FirecaseError):
    """Bad input to a rule or a service."""


class NotFoundError(FirecaseError):
    """A record that was asked for does not exist."""


class ConflictError(FirecaseError):
    """Another session changed the record first (optimistic concurrency)."""


class PermissionDeniedError(FirecaseError):
    """The user's role does not allow the action."""


class CaseFileError(FirecaseError):
    """The case file cannot be opened or used (locked, corrupt, too new, read-only).

    ``backup``: the path of a backup the message offers to restore from (the copy written
    before a failed upgrade, or the newest sound backup of a damaged file), else None.
    """

    def __init__(
        self, message: str, *, field: str | None = None, backup: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.backup = backup


class UpgradeFailedError(CaseFileError):
    """The automatic upgrade of an older case file failed; the file is left as it was."""


class EmptyCaseFileError(CaseFileError):
    """The chosen file is empty (0 bytes): it becomes a new case file only if the user agrees."""


class NeedsReasonError(FirecaseError):
    """The law's sequence is not followed (e.g. the report submitted while an appraisal is still
    open): the write is refused until the officer gives a reason, which the audit trail keeps.

    ``message`` says what is out of sequence and why, with the article; ``guard`` names the
    check (``services.guards``), ``basis`` the article(s). Calling again with a non-empty
    ``override_reason`` goes on and records the reason.
    """

    def __init__(self, message: str, *, guard: str, basis: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.guard = guard
        self.basis = basis
        self.declined = False  # the GUI: the officer answered 不继续 to the question
