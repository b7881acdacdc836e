"""The permission table: every writing service is guarded, messages say who may act."""

from __future__ import annotations

import importlib
import inspect

import pytest

from firecase.errors import PermissionDeniedError
from firecase.services.dto import UserRole
from firecase.services.permissions import (
    ALLOWED,
    GUARDED,
    Permission,
    check,
    permissions_for,
    who_may,
)

# Modules whose every public ``fn(cf, ...)`` is either guarded or a pure read listed here.
MODULES = (
    "cases",
    "reading",
    "parties",
    "team",
    "recusal",
    "evidence",
    "deadlines",
    "findings",
    "recommendations",
    "reply",
    "evaluation",
    "settings",
    "sessions",
    "users",
    "changes",
    "workspace_extra",
    "maintenance",
    "clock_board",
    "transfer",
    "_transfer_import",  # import_case, re-exported by transfer
    "standards",
    "calendar_notice",
    "persons",
    "publication",
    "registers",
    "register_import",
    "documents",
    "doc_numbers",
    "evidence_numbers",
    "recycle",
)
READERS = {
    "publication.publishers",
    "settings.calendar_banner",
    "clock_board.exempt_cases",
    "settings.provisional_dates",
    "settings.moved_dates",
    "reading.get_case",
    "reading.get_case_summary",
    "reading.find_case_id",
    "reading.list_cases",
    "reading.count_cases",
    "evidence.get_attachment_content",
    "evidence.save_attachment",
    "settings.get_settings",
    "settings.get_calendar",
    "users.list_users",
    "users.current_user",
    "users.sign_in",
    "users.login_choices",
    "users.needs_login",
    "changes.audit_position",
    "changes.changes_since",
    "changes.case_changed_since",
    "workspace_extra.team_warning_acks",
    "maintenance.verify_case_file",
    "maintenance.list_audit",
    "maintenance.verified_point",
    "clock_board.clock_board",
    "clock_board.case_open_clocks",
    "reading.case_list_row",
    "clock_board.done_clocks",
    "transfer.export_case",
    "transfer.preview_case_export",
    "standards.standards_view",
    "calendar_notice.notice_preview",
    "registers.register_table",
    "registers.export_register",
    "documents.draft_document",
    "documents.render_document",
    "documents.list_documents",
    "doc_numbers.number_patterns",
    "evidence_numbers.evidence_patterns",
    "evidence_numbers.proposed_codes",
    # not a read, but any officer may change their own password; whom else is the server's
    # check (firecase_officer_password: administrators only), tested in test_pg_team.py
    "users.set_password",
}


def _service_functions() -> dict[str, object]:
    found: dict[str, object] = {}
    for name in MODULES:
        module = importlib.import_module(f"firecase.services.{name}")
        for attr, fn in vars(module).items():
            if attr.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "cf":
                found[f"{name}.{attr}"] = fn
    return found


def test_every_service_is_guarded_or_a_known_read() -> None:
    functions = _service_functions()
    guarded = {k.removeprefix("firecase.services.") for k in GUARDED}
    unguarded = set(functions) - guarded
    assert unguarded == READERS, "a new service needs @requires(...) or a place in READERS"
    assert guarded <= set(functions)


def test_the_table() -> None:
    expected = {
        "只读": {Permission.READ},
        "调查员": {Permission.READ, Permission.RECORD},
        "调查组组长": {
            Permission.READ,
            Permission.RECORD,
            Permission.APPROVE_TEAM,
            Permission.DECIDE_RECUSAL,
            Permission.RECORD_EXTENSION,
            Permission.REMOVE_CASE,
            Permission.APPROVE_RELEASE,
        },
        "管理员": set(Permission),
    }
    assert {r.value: set(permissions_for(r.value)) for r in UserRole} == expected
    assert permissions_for("超级用户") == frozenset()
    assert set(ALLOWED) == set(Permission)
    guarded = {k.rsplit(".", 1)[1]: p for k, p in GUARDED.items()}
    assert guarded["decide_recusal"] is Permission.DECIDE_RECUSAL
    assert guarded["set_team_setup"] is Permission.APPROVE_TEAM
    assert guarded["request_extension"] is Permission.RECORD_EXTENSION
    assert guarded["update_settings"] is Permission.MANAGE_SETTINGS
    assert guarded["add_user"] is Permission.MANAGE_USERS
    assert guarded["add_party"] is Permission.RECORD
    assert guarded["apply_notice"] is Permission.MANAGE_SETTINGS
    assert guarded["mark_year_complete"] is Permission.MANAGE_SETTINGS
    assert guarded["approve_review"] is Permission.APPROVE_RELEASE
    assert guarded["publish"] is Permission.APPROVE_RELEASE
    assert guarded["keep_found_item"] is Permission.RECORD
    assert guarded["issue_document"] is Permission.RECORD
    assert guarded["save_number_patterns"] is Permission.MANAGE_SETTINGS
    assert guarded["save_evidence_patterns"] is Permission.MANAGE_SETTINGS


def test_messages_say_who_may() -> None:
    assert who_may(Permission.RECORD) == "调查员、调查组组长或管理员"
    assert who_may(Permission.DECIDE_RECUSAL) == "调查组组长或管理员"
    assert who_may(Permission.MANAGE_USERS) == "管理员"
    check(None, Permission.MANAGE_USERS, who="本机用户")  # single-user mode: 管理员
    with pytest.raises(PermissionDeniedError) as err:
        check("调查员", Permission.DECIDE_RECUSAL, who="用户“陈晓明”")
    assert str(err.value) == (
        "用户“陈晓明”（调查员）无权决定回避申请。只有调查组组长或管理员可以决定回避申请。"
    )
    with pytest.raises(PermissionDeniedError, match="（只读）无权"):
        check("被篡改的角色", Permission.RECORD, who="某人")  # unknown label grants nothing


def test_guard_keeps_the_signature() -> None:
    from firecase.services import recusal

    sig = inspect.signature(recusal.decide_recusal)
    assert list(sig.parameters)[:3] == ["cf", "application_id", "data"]
    assert recusal.decide_recusal.__doc__ and "人民政府" in recusal.decide_recusal.__doc__
