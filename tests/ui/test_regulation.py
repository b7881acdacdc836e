"""The bundled regulation: the index agrees with the text; citations resolve; the viewer
jumps to 第N条 / 款 / 项."""

from __future__ import annotations

import json
from typing import Any

import pytest

from firecase.ui.regulation import (
    Citation,
    cn_number,
    find_citations,
    load_regulation,
    parse_cn_number,
    parse_regulation,
    regulation_dir,
)


def test_index_json_is_the_parse_of_the_bundled_text() -> None:
    text = (regulation_dir() / "tianmen-fire-investigation-measures-2022.zh.txt").read_text(
        encoding="utf-8"
    )
    index = json.loads((regulation_dir() / "index.json").read_text(encoding="utf-8"))
    assert parse_regulation(text).to_json() == index


# SHA-256 of the regulation's text without its "#" header lines, as published (天门市人民政府公报
# 2022第4号) with the article and item numbers restored: the header may be reworded, the text not.
REGULATION_TEXT_SHA256 = "182fa30e40997bb844b17f18b7f9e8004dc2c7a246c91b5fc62c80275ef37421"


def test_bundled_text_is_the_published_text_unchanged() -> None:
    import hashlib

    text = (regulation_dir() / "tianmen-fire-investigation-measures-2022.zh.txt").read_bytes()
    body = b"".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith(b"#"))
    assert hashlib.sha256(body).hexdigest() == REGULATION_TEXT_SHA256


def test_articles_items_and_paragraphs() -> None:
    reg = load_regulation()
    assert [a.number for a in reg.articles] == list(range(1, 27))
    fifth = reg.article(5)
    assert fifth is not None and [i.number for i in fifth.items] == [1, 2, 3, 4]
    assert "50万元以上" in fifth.item(2).text
    second = reg.article(2)
    assert second is not None and "森林草原" in second.paragraphs[1]
    assert reg.article(17).section == "调查处理"


@pytest.mark.parametrize("n", range(1, 100))
def test_chinese_numbers_round_trip(n: int) -> None:
    assert parse_cn_number(cn_number(n)) == n


def test_citations_are_found_in_basis_text() -> None:
    found = [
        c
        for _, _, c in find_citations("纳入调查：死亡1人（第五条第一项）；第二条第二款；第二十五条")
    ]
    assert found == [Citation(5, item=1), Citation(2, paragraph=2), Citation(25)]
    assert Citation.from_url(Citation(5, item=1).to_url()) == Citation(5, item=1)
    assert Citation(5, item=2).label == "第五条第二项"


def test_viewer_shows_and_highlights_the_item(qtbot: Any) -> None:
    from firecase.ui.dialogs.regulation_viewer import RegulationViewer

    viewer = RegulationViewer()
    qtbot.addWidget(viewer)
    viewer.show()
    with qtbot.waitSignal(viewer.citation_shown):
        viewer.show_citation("reg:5:i2")
    assert viewer.current_anchor == "a5-i2"
    assert viewer.toc.currentRow() == 4
    assert "第五条第二项" in viewer.windowTitle()
    viewer.toc.setCurrentRow(16)
    assert viewer.current_anchor == "a17"
    viewer.show_citation("第九十九条")  # unknown: the whole text, no crash
    assert viewer.current_anchor == ""
    viewer.find_edit.setText("检验、鉴定时间不计入调查期限")
    viewer._on_find_edit_return_pressed()
    assert viewer.find_status.text() == ""
    assert viewer.browser.textCursor().hasSelection()
