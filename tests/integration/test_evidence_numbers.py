"""Evidence numbers: the pattern of each kind (设置 → 证据编号) proposes the
next free number of the case; a number the case uses is refused at the field; the patterns are
saved by administrators against the version they read. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from firecase.errors import ConflictError, PermissionDeniedError, ValidationError
from firecase.services import cases, evidence, evidence_numbers as en, reading, users
from firecase.services.dto import EvidenceInput, IncidentInput, UserInput
from firecase.store import CaseFile, open_case_file

TODAY = dt.date(2026, 5, 20)


def _case(cf: CaseFile, title: str = "竟陵街道商铺火灾") -> int:
    incident = IncidentInput(
        title=title,
        fire_date=dt.date(2026, 5, 1),
        place="天门市竟陵街道",
        fire_type="建筑火灾",
        property_loss_yuan=Decimal("100"),
        economic_loss_yuan=Decimal("600000"),
    )
    return cases.open_case(cf, incident, today=TODAY).id


def _evidence(code: str, kind: str = "物证") -> EvidenceInput:
    return EvidenceInput(code, "充电器残骸", kind, TODAY, "刘志强")


def test_proposed_numbers_follow_the_case_s_items(case_url: str) -> None:
    with open_case_file(case_url, user="刘志强") as cf:
        one, two = _case(cf), _case(cf, "渔薪镇仓库火灾")
        proposed = en.proposed_codes(cf, one)
        assert proposed["物证"] == "物证-001" and proposed["视听资料"] == "视听资料-001"
        evidence.add_evidence(cf, one, _evidence(proposed["物证"]), today=TODAY)
        evidence.add_evidence(cf, one, _evidence("物证-005"), today=TODAY)
        evidence.add_evidence(cf, one, _evidence("书证-001", "书证"), today=TODAY)
        proposed = en.proposed_codes(cf, one)
        assert (proposed["物证"], proposed["书证"]) == ("物证-006", "书证-002")
        assert en.proposed_codes(cf, two)["物证"] == "物证-001"  # counted per case
        # a number the case uses: refused at the field, the next free one named; nothing written
        with pytest.raises(ValidationError, match="本案已有证据编号“物证-005”") as caught:
            evidence.add_evidence(cf, one, _evidence("物证-005"), today=TODAY)
        assert caught.value.field == "code"
        assert "下一个可用的物证编号为“物证-006”" in caught.value.message
        assert len(reading.get_case(cf, one, today=TODAY).evidence) == 3
        # the same number in another case is fine
        evidence.add_evidence(cf, two, _evidence("物证-005"), today=TODAY)


def test_a_case_numbered_by_its_own_series_is_proposed_the_next_of_it(case_url: str) -> None:
    """The GUI review: "物证-001" was proposed beside the case's WZ-001 … WZ-004."""
    with open_case_file(case_url, user="刘志强") as cf:
        one = _case(cf)
        for code in ("WZ-001", "WZ-002", "WZ-004"):
            evidence.add_evidence(cf, one, _evidence(code), today=TODAY)
        evidence.add_evidence(cf, one, _evidence("SZ-1", "书证"), today=TODAY)
        evidence.add_evidence(cf, one, _evidence("SP-001", "视听资料"), today=TODAY)
        proposed = en.proposed_codes(cf, one)
        assert proposed["物证"] == "WZ-005"  # the case's own series, its width kept
        assert proposed["书证"] == "SZ-2"
        assert proposed["电子数据"] == "电子数据-001"  # no item of its own: the setting's
        # a kind whose items follow no one series: the setting's pattern
        evidence.add_evidence(cf, one, _evidence("照片甲", "视听资料"), today=TODAY)
        assert en.proposed_codes(cf, one)["视听资料"] == "视听资料-001"
        # once one item of the kind is numbered by the setting's pattern, the pattern rules
        evidence.add_evidence(cf, one, _evidence("物证-001"), today=TODAY)
        assert en.proposed_codes(cf, one)["物证"] == "物证-002"
        # a taken number of the series is skipped, and named when refused
        with pytest.raises(ValidationError, match="下一个可用的书证编号为“SZ-2”"):
            evidence.add_evidence(cf, one, _evidence("SZ-1", "书证"), today=TODAY)


def test_the_administrator_s_patterns_and_the_conflict(case_url: str) -> None:
    with open_case_file(case_url, user="刘志强") as cf:
        case_id = _case(cf)
        view = en.evidence_patterns(cf)
        assert [r.kind for r in view.rows][:3] == ["物证", "书证", "视听资料"]
        assert view.rows[0].example == "物证-001" and view.version == 0
        rows = [en.EvidencePatternInput("物证", "WZ-{N}"), en.EvidencePatternInput("书证", "")]
        saved = en.save_evidence_patterns(cf, rows, expected_version=view.version)
        assert saved.version == 1
        assert (saved.rows[0].pattern, saved.rows[1].pattern) == ("WZ-{N}", "")
        proposed = en.proposed_codes(cf, case_id)
        assert proposed["物证"] == "WZ-1" and "书证" not in proposed
        # another administrator saved meanwhile: refused, nothing written
        with pytest.raises(ConflictError, match="已被其他管理员修改"):
            en.save_evidence_patterns(
                cf, [en.EvidencePatternInput("物证", "W-{N}")], expected_version=view.version
            )
        # a bad pattern: refused at its row, nothing written
        bad = [en.EvidencePatternInput("物证", "物证-{NNN}"), en.EvidencePatternInput("书证", "书")]
        with pytest.raises(ValidationError, match="须含一个序号") as caught:
            en.save_evidence_patterns(cf, bad, expected_version=saved.version)
        assert caught.value.field == "pattern:书证"
        assert en.evidence_patterns(cf).rows[0].pattern == "WZ-{N}"
        # back to the default: stored as nothing, still a change
        back = en.save_evidence_patterns(
            cf, [en.EvidencePatternInput("物证", "物证-{NNN}")], expected_version=saved.version
        )
        assert back.rows[0].pattern == "物证-{NNN}" and back.version == 2
        with pytest.raises(ValidationError, match="证据种类应为以下之一"):
            en.save_evidence_patterns(
                cf, [en.EvidencePatternInput("植物", "Z-{N}")], expected_version=back.version
            )


def test_only_an_administrator_saves_the_patterns(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    with open_case_file(path, user="admin") as cf:
        users.add_user(cf, UserInput("admin", "管理员", "管理员"))
        users.add_user(cf, UserInput("chen", "陈晓明", "调查员"))
    with open_case_file(path, user="chen") as cf:
        view = en.evidence_patterns(cf)  # every officer reads them
        with pytest.raises(PermissionDeniedError):
            en.save_evidence_patterns(
                cf, [en.EvidencePatternInput("物证", "WZ-{N}")], expected_version=view.version
            )
