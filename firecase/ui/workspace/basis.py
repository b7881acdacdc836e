"""Showing a decision's basis: "第十七条" as a link that opens the regulation at that article.

``BasisLabel`` is a label whose citations are links (``linkify_basis`` of the regulation
viewer); clicking one opens the window's regulation viewer there. GUI thread only.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from firecase.textmarks import shorten
from firecase.ui.dialogs.regulation_viewer import linkify_basis, open_regulation

_PAIRS = {"（": "）", "(": ")", "“": "”", "《": "》", "「": "」", "【": "】"}
_CLAUSE_ENDS = "。；：，、"

ALERT_STYLE = (
    "QLabel { background: #fdecea; color: #8c1d18; border: 1px solid #f0b8b3;"
    " border-radius: 4px; padding: 6px; }"
)
WARN_STYLE = (
    "QLabel { background: #fff4d6; color: #6d4c00; border: 1px solid #f0d68a;"
    " border-radius: 4px; padding: 6px; }"
)
INFO_STYLE = (
    "QLabel { background: #eef4fb; color: #1f3f66; border: 1px solid #c7d9ee;"
    " border-radius: 4px; padding: 6px; }"
)


def basis_html(text: str, basis: str = "", *, bold: str = "") -> str:
    """``bold`` + ``text`` + "（依据：basis）" as HTML with every citation a link."""
    out = f"<b>{html.escape(bold)}</b>" if bold else ""
    out += linkify_basis(text)
    if basis:
        out += f"（依据：{linkify_basis(basis)}）"
    return out


def fold_text(text: str, limit: int) -> str:
    """The beginning of ``text`` for a folded banner: at most ``limit`` characters, cut after
    a clause (。；：，、 outside brackets and quotes) in its second half, else before the first
    bracket or quote the cut would leave open; "…" where it was cut. (A plain cut at 50
    characters ended a banner on "消防水…”（…": two marks and a bracket never closed.)"""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    opened: list[int] = []  # where each bracket or quote still open in ``head`` began
    last_clause = -1
    for i, ch in enumerate(head):
        if ch in _PAIRS:
            opened.append(i)
        elif opened and ch == _PAIRS[head[opened[-1]]]:
            opened.pop()
        elif not opened and ch in _CLAUSE_ENDS:
            last_clause = i
    if last_clause >= limit // 2:
        return head[:last_clause] + "…"
    if opened:
        head = head[: opened[0]]
    return head.rstrip(_CLAUSE_ENDS) + "…"


class BasisLabel(QLabel):
    """A label showing a decision with its basis as clickable citations.

    Owned by the tab that shows the decision; GUI thread only. ``style`` is one of the module's
    ``*_STYLE`` sheets (an alert banner, a warning) or empty for plain text. ``fold_at``: a
    text longer than that many characters is shown cut, with its basis and 展开 (a tab of
    several banners filled a 720-pixel screen); 收起 cuts it again. The officer's choice holds
    across refreshes; ``plain`` is always the whole text.
    """

    def __init__(
        self,
        text: str = "",
        basis: str = "",
        *,
        style: str = "",
        fold_at: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fold_at = fold_at
        self.unfolded = False
        self._shown: tuple[str, str, str] = ("", "", "")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        if style:
            self.setStyleSheet(style)
        self.linkActivated.connect(self._on_self_link_activated)
        self.set_basis(text, basis)

    def set_basis(self, text: str, basis: str = "", *, bold: str = "") -> None:
        """Show ``text`` with ``basis``; hides the label when both are empty."""
        self.plain = f"{bold}{text}" + (f"（依据：{basis}）" if basis else "")
        self._shown = (text, basis, bold)
        self._render()
        self.setVisible(bool(text or basis or bold))

    @property
    def _foldable(self) -> bool:
        return 0 < self.fold_at < len(self._shown[0])

    @property
    def folded(self) -> bool:
        """Whether the text is shown cut (long, and not opened by the officer)."""
        return self._foldable and not self.unfolded

    def _render(self) -> None:
        text, basis, bold = self._shown
        self.setToolTip("")
        if not self._foldable:
            self.setText(basis_html(text, basis, bold=bold))
            return
        if self.unfolded:
            self.setText(basis_html(text, basis, bold=bold) + ' <a href="fold:close">收起</a>')
            return
        cut = fold_text(text, self.fold_at)
        self.setText(basis_html(cut, basis, bold=bold) + ' <a href="fold:open">展开</a>')
        self.setToolTip(shorten(text, 600))

    def _on_self_link_activated(self, url: str) -> None:
        if url.startswith("fold:"):
            self.unfolded = url == "fold:open"
            self._render()
            return
        open_regulation(self, url)
