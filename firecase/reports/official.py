"""The documents of the procedure (通知、申请书、决定书、请示、委托书、函、备案表、通知书) as
:class:`~firecase.reports.document.Document`, printed by the same two writers as the reports.

The input is :class:`OfficialText`: the wording of one document as the officer approved it in
the 生成文书 dialog — title, number, addressee, body paragraphs, an optional form table,
attachments, the 落款 and its date, the 附注 and 抄送. It is plain data (the services draft it
from the case, :mod:`firecase.services.documents`); nothing here reads a case.

Layout after GB/T 9704-2012: a 公文 (``masthead`` set: 通知、请示、函) opens with its 版头 (the
issuing body's red mark, the 发文字号, for a 上行文 the 签发人, the red separator line); a
文书 (申请书、决定书、委托书、通知书、备案表) has its number flush right under the title. Then the
主送机关 flush left, the body — a line beginning "一、" (at most 30 characters) is a first-level
heading, "（一）" a second-level one, every other line a paragraph —, the table, the lines
after it, the 附件说明 (7.3.4), the 落款 and date (7.3.5), the 附注 in brackets (7.3.6) and the
抄送 (7.4.2). Pages carry the page number only (``Document.official``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from firecase.reports import document as d
from firecase.reports.base import BuiltReport
from firecase.reports.fonts import FontConfig

__all__ = [
    "OfficialText",
    "body_blocks",
    "build_official_docx",
    "build_official_pdf",
    "official_document",
]

_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")
_HEADING_MAX = 30  # a longer numbered line is a paragraph that starts with its number


@dataclass(frozen=True)
class OfficialText:
    """The wording of one document, as printed (every field as the officer left it).

    ``body`` and ``after_table``: one paragraph per item; ``table``: a form's (label, value)
    rows, printed between them; ``signature``: the 落款 (the issuing body, or e.g.
    "申请人：陈晓明"; several lines allowed); ``on``: the date under it (None: "年　月　日"
    left to fill in by hand). ``masthead``: the issuing body's mark of a 公文 ("" for a 文书,
    whose number then stands under the title); ``signer``: the 签发人 of a 上行文.
    """

    kind: str  # the key of the document kind, e.g. "team_notice"
    kind_label: str  # e.g. "成立调查组通知"
    case_no: str
    organisation: str  # who drafted it (file properties)
    title: str
    number: str = ""
    addressee: str = ""
    body: tuple[str, ...] = ()
    table: tuple[tuple[str, str], ...] = ()
    after_table: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    signature: str = ""
    on: date | None = None
    note: str = ""
    copy_to: str = ""
    masthead: str = ""
    signer: str = ""

    def to_json(self) -> dict[str, Any]:
        """The wording as JSON-ready data (what the record of the issued document keeps)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [list(v) if isinstance(v, tuple) else v for v in value]
            out[f.name] = value
        return out

    def words(self) -> str:
        """Every text of the document in reading order (for tests and searching)."""
        parts = [self.masthead, self.number, self.signer, self.title, self.addressee]
        parts += [*self.body, *(f"{k}{v}" for k, v in self.table), *self.after_table]
        parts += [*self.attachments, self.signature, self.note, self.copy_to]
        return "\n".join(p for p in parts if p)


def body_blocks(lines: tuple[str, ...], where: str) -> list[d.Block]:
    """Body lines as blocks: "一、…" a first-level heading, "（一）…" a second-level one (when
    short enough to be a heading), any other line a paragraph; blank lines dropped."""
    blocks: list[d.Block] = []
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        at = f"{where}第{n}段"
        if len(line) <= _HEADING_MAX and _HEADING1.match(line):
            blocks.append(d.Heading(line, 1, at))
        elif len(line) <= _HEADING_MAX and _HEADING2.match(line):
            blocks.append(d.Heading(line, 2, at))
        else:
            blocks.append(d.Paragraph(line, at))
    return blocks


def official_document(
    text: OfficialText, *, generated_at: datetime, anchor: str = ""
) -> d.Document:
    """The document ``text`` as blocks, laid out as the module docstring says."""
    blocks: list[d.Block] = []
    if text.masthead.strip():
        blocks.append(d.Masthead(text.masthead.strip(), text.number.strip(), text.signer.strip()))
    blocks.append(d.Title(text.title.strip() or text.kind_label))
    if text.number.strip() and not text.masthead.strip():
        blocks.append(d.Subtitle(text.number.strip(), "文号", align="right"))
    if text.addressee.strip():
        addressee = text.addressee.strip()
        if not addressee.endswith(("：", ":")):
            addressee += "："
        blocks.append(d.Paragraph(addressee, "主送机关", indent=False))
    blocks += body_blocks(text.body, "正文")
    pairs = tuple((k.strip(), v.strip()) for k, v in text.table if k.strip() or v.strip())
    if pairs:
        blocks.append(d.KeyValueTable(pairs, "表格"))
    blocks += body_blocks(text.after_table, "表后正文")
    names = tuple(n.strip() for n in text.attachments if n.strip())
    if names:
        blocks.append(d.Attachments(names))
    note = text.note.strip()
    if note and not note.startswith(("（", "(")):
        note = f"（{note}）"
    if text.signature.strip() or text.on is not None:
        blocks.append(d.Closing(text.signature.strip(), text.on, note))
    elif note:
        blocks.append(d.Paragraph(note, "附注"))
    if text.copy_to.strip():
        copy_to = text.copy_to.strip().removeprefix("抄送：").removeprefix("抄送:")
        blocks += [d.Spacer(1), d.Paragraph(f"抄送：{copy_to}", "抄送", indent=False)]
    title = " ".join(text.title.split()) or text.kind_label
    return d.Document(
        kind=text.kind_label,
        title=title,
        organisation=text.organisation,
        case_no=text.case_no,
        generated_at=generated_at,
        blocks=tuple(blocks),
        anchor=anchor,
        official=True,
    )


def build_official_pdf(
    text: OfficialText,
    out: Path | BinaryIO,
    *,
    generated_at: datetime,
    fonts: FontConfig | None = None,
    anchor: str = "",
) -> BuiltReport:
    """The document as PDF (typeset after GB/T 9704, glyphs embedded) into ``out``."""
    from firecase.reports.pdf import write_pdf

    doc = official_document(text, generated_at=generated_at, anchor=anchor)
    return write_pdf(doc, out, fonts=fonts)


def build_official_docx(
    text: OfficialText, out: Path | BinaryIO, *, generated_at: datetime, anchor: str = ""
) -> BuiltReport:
    """The document as an editable Word document (.docx) into ``out``."""
    from firecase.reports.docx import write_docx

    doc = official_document(text, generated_at=generated_at, anchor=anchor)
    return write_docx(doc, out)
