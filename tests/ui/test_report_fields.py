"""The new case fields in the workspace: 过火面积/事故性质 on 概况 (a Chinese message at the
field on bad input), the report wording with 按案件信息生成, and the evaluation tab's warning
for recommendations no evaluation item covers (第二十二条、第二十三条)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import test_workspace_support as tabs
from PySide6.QtCore import Qt
from test_workspace_support import EVALUATING, INVESTIGATING, Harness

# the workspace harness and its demo case file, shared with the other workspace tests
workspace_demo = tabs.workspace_demo
demo_path = tabs.demo_path
harness = tabs.harness


def test_burned_area_refused_beside_the_field_then_saved_with_nature(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("概况")
    form = tab.facts.form
    area = form.editor("burned_area_m2")
    area.setText("三百平方米")
    area.textEdited.emit(area.text())
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    assert "过火面积（平方米）应为平方米数" in form.errors["burned_area_m2"].text()
    area.setText("-5")
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    assert form.errors["burned_area_m2"].text() == "过火面积（平方米）不能为负数。"
    area.setText("120.5")
    nature: Any = form.editor("nature")
    nature.setEditText("一起意外事故")
    harness.qtbot.mouseClick(tab.facts.save_button, Qt.MouseButton.LeftButton)
    harness.idle()
    assert not tab.has_unsaved_changes()

    ws = harness.reopen()
    assert ws.detail.case.burned_area_m2 == Decimal("120.50")
    assert ws.detail.case.nature == "一起意外事故"
    form = ws.tab("概况").facts.form
    assert form.editor("burned_area_m2").text() == "120.5"
    assert form.editor("nature").currentText() == "一起意外事故"


def test_report_wording_is_generated_edited_and_saved(harness: Harness) -> None:
    ws = harness.open(INVESTIGATING)
    tab = ws.tab("调查报告")
    wording = tab.wording
    harness.qtbot.mouseClick(wording.generate_button, Qt.MouseButton.LeftButton)
    harness.idle()
    harness.qtbot.waitUntil(lambda: wording.form.editor("team_name").text() != "", timeout=10000)
    assert wording.form.editor("team_name").text() == "天门市“3·14”火灾事故调查组"
    opening = wording.form.editor("opening").toPlainText()
    assert opening.startswith("2026年3月14日2时31分")
    assert "《天门市火灾事故调查处理办法》" in opening
    assert "调查组由" in wording.form.editor("composition").toPlainText()
    assert tab.has_unsaved_changes()
    wording.form.editor("title").setPlainText("竟陵街道东湖社区居民自建房\n“3·14”火灾事故调查报告")
    harness.qtbot.mouseClick(wording.save_button, Qt.MouseButton.LeftButton)
    harness.idle()

    ws = harness.reopen()
    c = ws.detail.case
    assert c.team_name == "天门市“3·14”火灾事故调查组"
    assert c.report_title == "竟陵街道东湖社区居民自建房\n“3·14”火灾事故调查报告"
    assert c.report_opening.startswith("2026年3月14日2时31分")


def test_evaluation_tab_warns_of_recommendations_without_an_item(harness: Harness) -> None:
    ws = harness.open(EVALUATING)
    tab = ws.tab("评估")
    assert not tab.unchecked.isHidden()
    text = tab.unchecked.plain
    assert "天门经济开发区安全生产监督管理局" in text and "第二十二条" in text
    assert "胡小兵" not in text and "陈金华" not in text  # covered by one grouped item


def test_the_evaluation_banners_are_one_line_each_until_opened(harness: Harness) -> None:
    """Seen at 1280×720 (the GUI review): the 评估 tab's three banners took 170 pixels and
    left the form 100. The deadline and the warning are now their beginning, their basis and
    展开; 展开 shows one whole (and 收起 cuts it again), and the choice holds when the tab is
    read again. The overdue alert stays whole: it names what must be acted on."""
    ws = harness.open(EVALUATING)
    tab = ws.tab("评估")
    for banner in (tab.deadline, tab.unchecked):
        assert not banner.isHidden() and banner.folded
        assert "展开" in banner.text() and "fold:open" in banner.text()
        assert "依据" in banner.text() and "<a href=" in banner.text()  # the basis, linked
        assert len(banner.plain) > len(banner.toolTip()) - 1 > 50  # whole in the tool tip
    assert not tab.overdue.isHidden() and not tab.overdue.folded
    assert "展开" not in tab.overdue.text() and "应予以通报" in tab.overdue.text()
    assert "天门经济开发区安全生产监督管理局" in tab.unchecked.plain  # plain stays whole
    unchecked = tab.unchecked
    shown_folded = unchecked.text()
    assert "天门经济开发区安全生产监督管理局（问责，天门经济开发区党工委）…" in shown_folded
    unchecked.linkActivated.emit("fold:open")
    assert not unchecked.folded and "收起" in unchecked.text()
    assert "未评估的不能认定为已全部落实" in unchecked.text()
    assert "未评估的不能认定为已全部落实" not in shown_folded
    tab.set_detail(ws.detail)  # a refresh keeps it open
    assert not unchecked.folded
    unchecked.linkActivated.emit("fold:close")
    assert unchecked.folded and unchecked.text() == shown_folded


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # the review's case: a plain cut ended on "消防水…”（…" (a bracket never closed)
        (
            "2项整改措施逾期未落实：天门经济开发区管委会“开发区建成园区智慧消防监测平台，重点企业"
            "消防水池补水设施改造和园区消防车通道”（期限2025-12-31）；另一项",
            "2项整改措施逾期未落实：天门经济开发区管委会…",
        ),
        (
            "1项处理建议尚无评估事项：天门经济开发区安全生产监督管理局（问责，天门经济开发区"
            "党工委）。评估组应逐项评估每名责任人员",
            "1项处理建议尚无评估事项：天门经济开发区安全生产监督管理局（问责，天门经济开发区党工委）…",
        ),
        ("短的不折。", "短的不折。"),
        ("甲" * 60, "甲" * 49 + "…"),
    ],
)
def test_a_folded_banner_ends_at_a_clause_and_leaves_no_bracket_open(
    text: str, folded: str
) -> None:
    from firecase.ui.workspace.basis import fold_text

    limit = 50 if len(folded) < 60 else 70
    assert fold_text(text, limit) == folded
    out = fold_text(text, limit)
    for opener, closer in (("（", "）"), ("“", "”")):
        assert out.count(opener) == out.count(closer)
