"""The regulation viewer: the bundled measures, one click away from every decision's basis.

``open_regulation(parent, target)`` shows the window's one viewer at an article, paragraph (款)
or item (项); ``target`` is a ``Citation``, a link URL (``reg:5:i1``) or a basis text such as
"第五条第一项". Widgets that show a basis as a link connect it here. GUI thread only.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from firecase.ui.icons import icon
from firecase.ui.keyboard import FirstFieldFocus, declare_keys
from firecase.ui.regulation import (
    Citation,
    Regulation,
    cn_number,
    find_citations,
    load_regulation,
)
from firecase.ui.util import bring_to_front, fit_to_screen, window_of

HIGHLIGHT = "#fff3c4"
_READING_FAMILIES = ["AR PL UMing CN", "WenQuanYi Micro Hei"]


def citation_from(target: Citation | str | None) -> Citation | None:
    """A ``Citation`` from a link URL ("reg:5:i1"), a basis text ("第五条第一项") or None."""
    if target is None or isinstance(target, Citation):
        return target
    found = Citation.from_url(target)
    if found is not None:
        return found
    first = next(find_citations(target), None)
    return first[2] if first else None


def linkify_basis(text: str) -> str:
    """HTML of ``text`` with every "第N条[第N款][第N项]" as a link into the viewer."""
    out: list[str] = []
    pos = 0
    for start, end, cite in find_citations(text):
        out.append(html.escape(text[pos:start]))
        out.append(f'<a href="{cite.to_url()}">{html.escape(text[start:end])}</a>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


FIND_KEYS = declare_keys("条文查看", "在条文中查找", QKeySequence.StandardKey.Find)


class RegulationViewer(FirstFieldFocus, QDialog):
    """A non-modal window showing the measures with a table of contents and a find box.

    One per main window (``open_regulation`` reuses it); GUI thread only.
    ``citation_shown(str)`` is emitted with the anchor each time a citation is shown.
    """

    citation_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regulationViewer")
        self.setWindowTitle("条文查看 — 天门市火灾事故调查处理办法")
        self.setWindowIcon(icon("regulation"))
        self.setModal(False)
        fit_to_screen(self, 980, 720)
        self._regulation: Regulation = load_regulation()
        self.current: Citation | None = None
        self.current_anchor = ""

        self.toc = QListWidget()
        self.toc.setObjectName("regulationToc")
        self.toc.setMinimumWidth(220)
        self.toc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.toc.setTextElideMode(Qt.TextElideMode.ElideRight)
        for article in self._regulation.articles:
            item = QListWidgetItem(f"{article.label}　{article.summary(12)}")
            item.setData(Qt.ItemDataRole.UserRole, article.number)
            item.setToolTip(article.section or self._regulation.title)
            self.toc.addItem(item)
        self.toc.currentRowChanged.connect(self._on_toc_current_row_changed)

        self.browser = QTextBrowser()
        self.browser.setObjectName("regulationText")
        self.browser.setOpenLinks(False)
        reading = QFont()
        reading.setFamilies(_READING_FAMILIES)
        reading.setPointSize(13)
        self.browser.document().setDefaultFont(reading)
        self.browser.document().setDocumentMargin(24)

        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("regulationFind")
        self.find_edit.setPlaceholderText("在条文中查找（回车查找下一处）")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self._on_find_edit_return_pressed)
        self.find_status = QLabel()
        QShortcut(FIND_KEYS.sequences[0], self, activated=self.find_edit.setFocus)

        top = QHBoxLayout()
        top.addWidget(QLabel("查找："))
        top.addWidget(self.find_edit, 1)
        top.addWidget(self.find_status)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top)
        right_layout.addWidget(self.browser, 1)
        splitter = QSplitter()
        splitter.addWidget(self.toc)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 740])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._render(None)

    # -- showing --------------------------------------------------------------------------------

    def show_citation(self, target: Citation | str | None) -> None:
        """Scroll to and highlight ``target`` (the whole text when None or unknown)."""
        cite = citation_from(target)
        if cite is not None and self._regulation.article(cite.article) is None:
            cite = None
        self.current = cite
        self._render(cite)
        self.current_anchor = self._anchor_for(cite) if cite else ""
        if cite is not None:
            row = next(
                i for i, a in enumerate(self._regulation.articles) if a.number == cite.article
            )
            self.toc.blockSignals(True)
            self.toc.setCurrentRow(row)
            self.toc.blockSignals(False)
            self.setWindowTitle(f"条文查看 — {cite.label}")
        anchor = self.current_anchor
        # after layout, so the anchor's position is known
        QTimer.singleShot(0, lambda: self._scroll_to(anchor))
        self.citation_shown.emit(anchor)

    def _scroll_to(self, anchor: str) -> None:
        bar = self.browser.verticalScrollBar()
        if not anchor:
            bar.setValue(0)
            return
        self.browser.scrollToAnchor(anchor)
        target = bar.value()
        article = anchor.split("-")[0]
        if article != anchor:  # an item or paragraph: show its article's first line if it fits
            self.browser.scrollToAnchor(article)
            start = bar.value()
            room = self.browser.viewport().height() - 4 * self.browser.fontMetrics().height()
            if target - start > room:
                bar.setValue(max(0, target - 2 * self.browser.fontMetrics().height()))

    def _anchor_for(self, cite: Citation) -> str:
        article = self._regulation.article(cite.article)
        assert article is not None
        if cite.item and article.item(cite.item):
            return f"a{cite.article}-i{cite.item}"
        if cite.paragraph and cite.paragraph <= len(article.paragraphs):
            return f"a{cite.article}-p{cite.paragraph}"
        return f"a{cite.article}"

    def _render(self, cite: Citation | None) -> None:
        target = self._anchor_for(cite) if cite else ""
        reg = self._regulation
        parts = [f'<h2 align="center">{html.escape(reg.title)}</h2>']
        parts.append(
            '<p align="center" style="color:#555555;">'
            + "<br/>".join(html.escape(p) for p in reg.preamble[:3])
            + "</p>"
        )
        section = ""
        for article in reg.articles:
            if article.section and article.section != section:
                section = article.section
                parts.append(f'<h3 align="center">{html.escape(section)}</h3>')
            whole = target == f"a{article.number}"
            for n, paragraph in enumerate(article.paragraphs, start=1):
                anchor = f"a{article.number}-p{n}"
                lit = whole or target == anchor
                head = ""
                if n == 1:
                    head = f'<a name="a{article.number}"></a><b>{article.label}</b>　'
                parts.append(self._block(anchor, head + html.escape(paragraph), lit, indent=False))
                for item in article.items:
                    if item.paragraph != n:
                        continue
                    anchor_i = f"a{article.number}-i{item.number}"
                    lit_i = whole or target in (anchor_i, anchor)
                    text = f"（{cn_number(item.number)}）{html.escape(item.text)}"
                    parts.append(self._block(anchor_i, text, lit_i, indent=True))
        self.browser.setHtml("\n".join(parts))

    @staticmethod
    def _block(anchor: str, inner: str, lit: bool, *, indent: bool) -> str:
        style = "margin-top:4px; margin-bottom:4px; line-height:150%;"
        style += " margin-left:2em;" if indent else " text-indent:2em;"
        if lit:
            return (
                f'<table width="100%" cellpadding="6" style="background-color:{HIGHLIGHT};">'
                f'<tr><td><a name="{anchor}"></a><p style="{style}">{inner}</p></td></tr></table>'
            )
        return f'<p style="{style}"><a name="{anchor}"></a>{inner}</p>'

    # -- slots ----------------------------------------------------------------------------------

    def _on_toc_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._regulation.articles):
            self.show_citation(Citation(self._regulation.articles[row].number))

    def _on_find_edit_return_pressed(self) -> None:
        needle = self.find_edit.text().strip()
        if not needle:
            self.find_status.clear()
            return
        if not self.browser.find(needle):
            cursor = self.browser.textCursor()
            cursor.movePosition(cursor.MoveOperation.Start)
            self.browser.setTextCursor(cursor)
            found = self.browser.find(needle)
            self.find_status.setText("" if found else "未找到")
        else:
            self.find_status.setText("")

    def contains_text(self, needle: str) -> bool:
        """Whether the shown text contains ``needle`` (used by tests and the find box)."""
        return not self.browser.document().find(needle, 0, QTextDocument.FindFlag(0)).isNull()


def open_regulation(
    parent: QWidget | None, target: Citation | str | QUrl | None = None
) -> RegulationViewer:
    """Show the window's regulation viewer (created on first use) at ``target``."""
    if isinstance(target, QUrl):
        target = target.toString()
    top = window_of(parent) if parent is not None else None
    viewer: RegulationViewer | None = getattr(top, "_regulation_viewer", None) if top else None
    if viewer is None:
        viewer = RegulationViewer(top)
        if top is not None:
            top._regulation_viewer = viewer  # type: ignore[attr-defined]
    viewer.show_citation(target)
    bring_to_front(viewer)
    return viewer
