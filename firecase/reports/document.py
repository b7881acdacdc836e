"""The structure of a printed report, independent of the file format it is written to.

A report module (``investigation``, ``evaluation``, ``public``, ``clock_sheet``) turns its frozen
input (:mod:`firecase.reports.data`) into a :class:`Document`: a list of blocks — title,
headings of two levels, body paragraphs, tables, the signature table, the 落款. Two writers
turn the same document into a file: :mod:`firecase.reports.pdf` (typeset after GB/T 9704, glyphs
embedded) and :mod:`firecase.reports.docx` (an editable Word document with real heading styles,
tables and the same page set-up). So the PDF and the .docx always hold the same words in the
same order.

Every block that holds user text carries ``where``: the case part and field it came from
(e.g. "六、火灾事故责任的认定…" or "处理建议表第3行“依据”"), so any error while writing names it.
Text is plain; a line break in a paragraph's text is a line break. Paragraphs with
``marked=True`` honour the section editor's marks (:mod:`firecase.textmarks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from firecase.reports.data import Signatory

__all__ = [
    "Attachments",
    "Block",
    "Closing",
    "Column",
    "Document",
    "Heading",
    "KeyValueTable",
    "Masthead",
    "PageBreak",
    "Paragraph",
    "SignatureTable",
    "Spacer",
    "Subtitle",
    "Table",
    "Title",
    "tidy",
]


@dataclass(frozen=True)
class Column:
    """A table column: header text, share of the text width, alignment of its cells."""

    header: str
    width: float  # fraction of the text width; the columns of a table sum to 1
    align: str = "left"  # "left" | "center" | "right"


# The signature table's columns, in both writers.
SIGNATURE_COLUMNS = (
    Column("姓名", 0.14, "center"),
    Column("单位及职务", 0.42),
    Column("调查组职务", 0.18, "center"),  # "副组长（综合组组长）" in two whole lines
    Column("签名", 0.26, "center"),
)


@dataclass(frozen=True)
class Title:
    """The document title (二号 小标宋, centred). ``text`` may hold the officer's own line
    breaks ("\\n"); without them the writer breaks it between words into balanced lines."""

    text: str
    where: str = "标题"


@dataclass(frozen=True)
class Subtitle:
    """A body-size line under the title, e.g. "（公开版）", centred; ``align`` "right" sets it
    flush right (a 文书's number under its title, 右空一字)."""

    text: str
    where: str = "副标题"
    align: str = "center"  # "center" | "right"


@dataclass(frozen=True)
class Masthead:
    """The 版头 of an official document (GB/T 9704 7.2): the issuing body's mark (发文机关标志,
    red, centred), the document number (发文字号) under it — centred, or for a document to a
    higher body (上行文) 居左空一字 with "签发人：" 居右空一字 on the same line — and the red
    separator line (版头中的分隔线) under both."""

    organisation: str
    number: str = ""
    signer: str = ""  # 签发人 of a 上行文 ("" for none: the number is centred)
    where: str = "版头"


@dataclass(frozen=True)
class Heading:
    """A heading: level 1 "一、…" (黑体), level 2 "（一）…" (楷体)."""

    text: str
    level: int = 1
    where: str = ""


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph (仿宋, two-character first-line indent, justified).

    ``indent`` False sets it flush left (e.g. a line that continues a heading); ``marked``
    reads the editor's ``**粗体**`` / list marks.
    """

    text: str
    where: str
    indent: bool = True
    marked: bool = False
    keep_with_next: bool = False  # a run-in heading ("1. 使用管理责任…"): never at a page foot


@dataclass(frozen=True)
class Table:
    """A grid table whose header row repeats on every page; rows may split across pages.

    ``numbered`` prepends a 序号 column. ``shaded`` lists body rows (0-based) printed on grey.
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    where: str
    numbered: bool = False
    shaded: tuple[int, ...] = ()
    caption: str = ""  # printed above the table (e.g. "附表：…"), "" for none


@dataclass(frozen=True)
class KeyValueTable:
    """A two-column facts table (label | value)."""

    pairs: tuple[tuple[str, str], ...]
    where: str


@dataclass(frozen=True)
class SignatureTable:
    """The signature table, grouped by sub-group; recused members are left out (第十五条)."""

    signatories: tuple[Signatory, ...]
    where: str


@dataclass(frozen=True)
class Closing:
    """The 落款: the issuing body and the date (GB/T 9704 7.3.5: 右空二字, the date two
    characters further right), kept on a page with the last lines before it."""

    organisation: str
    on: date | None
    note: str = ""  # the 附注 (7.3.6): 居左空二字 in brackets on the line under the date


@dataclass(frozen=True)
class Attachments:
    """The 附件说明 (GB/T 9704 7.3.4): one blank line under the body, 左空二字 "附件：" and the
    names; several are numbered "1." "2." …, each name aligned under the first one's, and a
    name that wraps continues under its own first character."""

    names: tuple[str, ...]
    where: str = "附件说明"


@dataclass(frozen=True)
class SmallPrint:
    """A line in small print, flush left (the audit chain's anchor under the signatures)."""

    text: str
    where: str


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class Spacer:
    """Vertical space of ``lines`` body lines."""

    lines: float = 0.5


Block = (
    Title
    | Masthead
    | Subtitle
    | Heading
    | Paragraph
    | Table
    | KeyValueTable
    | SignatureTable
    | Closing
    | Attachments
    | SmallPrint
    | PageBreak
    | Spacer
)


@dataclass(frozen=True)
class Document:
    """A whole report: what every page and the file's properties say, and its blocks."""

    kind: str  # e.g. "火灾事故调查报告"
    title: str  # the title as one line (file properties, page header)
    organisation: str  # page header and author
    case_no: str
    generated_at: datetime
    blocks: tuple[Block, ...] = ()
    landscape: bool = False
    notes: tuple[str, ...] = field(default=())  # facts about the build to show the user
    # printed on every page while a public version may not be released, e.g.
    # "草稿（未经批复，不得公开）"; "" for a final document
    draft_mark: str = ""
    fingerprint: str = ""  # the reviewed content of a public version (file properties)
    # the audit chain's head when the report was made, "SEQ:HASH": kept in the
    # file properties; ``with_anchor`` also prints it under the signatures
    anchor: str = ""
    # an official document (公文、文书) sent out: its pages carry the page number only, not the
    # report's header (organisation, case number) and generation time
    official: bool = False


def with_anchor(doc: Document, anchor: str) -> Document:
    """``doc`` carrying ``anchor`` in its properties and printed in small print on the
    signature page (after the last signature table or 落款 before any appendix; at the end
    of a document without one), so that ``firecase verify --anchor SEQ:HASH`` can prove that
    the history since was not rewritten."""
    blocks = list(doc.blocks)
    at = len(blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, (SignatureTable, Closing)):
            at = i + 1
    line = SmallPrint(anchor_line(anchor), "审计链锚点")
    blocks[at:at] = [Spacer(0.3), line]
    return replace(doc, blocks=tuple(blocks), anchor=anchor)


def anchor_line(anchor: str) -> str:
    """The printed anchor line, e.g.
    "审计链锚点：第1234条 3f2a…（核对：firecase verify --anchor 1234:3f2a…）"."""
    seq, _, digest = anchor.partition(":")
    return f"审计链锚点：第{seq}条 {digest}（核对：firecase verify --anchor {seq}:{digest}）"


def anchor_keyword(anchor: str) -> str:
    """The anchor as the file properties keep it: "firecase-anchor=SEQ:HASH"."""
    return f"firecase-anchor={anchor}"


_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*(?=\n)")


def tidy(text: str) -> str:
    """``text`` as both writers print it: line breaks normalised (CR, CRLF, vertical tab and
    form feed become one line feed), blank lines and the line breaks at either end dropped,
    control characters, lone surrogates and non-characters (never visible) removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = _CONTROLS.sub("", text.replace("\x0c", "\n"))
    return _BLANK_LINES.sub("", text).strip("\n")


def paragraphs(text: str, where: str, *, empty: str | None = None) -> list[Paragraph]:
    """Body paragraphs of a stored section: one per non-blank line (editor marks honoured);
    ``empty`` printed as one paragraph when there is none."""
    lines = [line.strip() for line in text.splitlines()]
    out = [Paragraph(line, where, marked=True) for line in lines if line]
    if not out and empty is not None:
        out = [Paragraph(empty, where)]
    return out


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    where: str,
    *,
    numbered: bool = False,
    shaded: Sequence[int] = (),
    caption: str = "",
) -> Table:
    """A :class:`Table` from lists (the columns of each row must match ``columns``)."""
    cols = tuple(columns)
    body = tuple(tuple(r) for r in rows)
    for i, r in enumerate(body, start=1):
        if len(r) != len(cols):
            raise ValueError(f"{where}第{i}行有{len(r)}栏，应为{len(cols)}栏")
    return Table(cols, body, where, numbered, tuple(shaded), caption)
