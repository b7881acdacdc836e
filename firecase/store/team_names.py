"""The names of a team's server roles, from its database and schema (no SQLAlchemy here:
``services.first_page`` recognises a team database before the store loads)."""

from __future__ import annotations

import hashlib
import re


def role_prefix(database: str, schema: str | None) -> str:
    """The prefix of the team's role names (``<prefix>_owner``, ``<prefix>_admin``, …)."""
    prefix = str(database) if schema in (None, "public") else f"{database}_{schema}"
    prefix = re.sub(r"[^A-Za-z0-9_]", "_", prefix).lower()
    if len(prefix) > 44:  # role names hold 63 bytes: keep room for "_investigator"
        digest = hashlib.sha256(prefix.encode()).hexdigest()[:8]
        prefix = f"{prefix[:35]}_{digest}"
    return prefix


def owner_role(prefix: str) -> str:
    """The role every table of the team belongs to (nobody logs in as it)."""
    return f"{prefix}_owner"
