"""Rich text of the report sections, stored as plain text with light inline marks.

The printed reports read a section as plain text, one paragraph per line. The editor lets the
officer use bold, italic and lists; they are stored so that a plain reader still sees the words:
``**粗体**``, ``*斜体*``, a bullet item as ``- 文字`` and a numbered item as ``1. 文字``.
``document_to_text`` writes that form from a ``QTextDocument``; ``text_to_html`` reads it back
for the editor. Text typed without any formatting is stored exactly as typed.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QFont, QTextCharFormat, QTextDocument, QTextListFormat

from firecase.textmarks import BULLET as _BULLET, INLINE as _INLINE, NUMBERED as _NUMBERED


def _fragment_text(text: str, fmt: QTextCharFormat) -> str:
    bold = fmt.fontWeight() >= QFont.Weight.Bold
    italic = fmt.fontItalic()
    core = text.strip()
    if not core or not (bold or italic):
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if bold:
        core = f"**{core}**"
    if italic:
        core = f"*{core}*"
    return lead + core + trail


def document_to_text(doc: QTextDocument) -> str:
    """The stored form of ``doc``: one line per paragraph, inline marks for bold/italic."""
    lines: list[str] = []
    block = doc.begin()
    while block.isValid():
        parts: list[str] = []
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid():
                parts.append(_fragment_text(frag.text(), frag.charFormat()))
            it += 1
        line = "".join(parts).replace("\u2028", " ")
        text_list = block.textList()
        if text_list is not None:
            style = text_list.format().style()
            if style == QTextListFormat.Style.ListDecimal:
                line = f"{text_list.itemNumber(block) + 1}. {line}"
            else:
                line = f"- {line}"
        lines.append(line)
        block = block.next()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _inline_html(text: str) -> str:
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        if m.group(1) is not None:
            out.append(f"<b>{_inline_html(m.group(1))}</b>")
        else:
            out.append(f"<i>{html.escape(m.group(2))}</i>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out)


def text_to_html(text: str) -> str:
    """HTML for the editor from the stored form (each line a paragraph or list item)."""
    out: list[str] = []
    open_list = ""
    for line in text.split("\n"):
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        kind = "ul" if bullet else "ol" if numbered else ""
        if kind != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if kind:
                out.append(f"<{kind}>")
            open_list = kind
        if bullet:
            out.append(f"<li>{_inline_html(bullet.group(1))}</li>")
        elif numbered:
            out.append(f"<li>{_inline_html(numbered.group(2))}</li>")
        else:
            out.append(f"<p>{_inline_html(line)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)
