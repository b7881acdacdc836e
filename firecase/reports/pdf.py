"""The PDF writer: a :class:`~firecase.reports.document.Document` typeset after GB/T 9704.

Every block becomes ReportLab flowables through :class:`~firecase.reports.builder.ReportBuilder`
(which checks every character against the fonts as it goes), then the PDF is written in one
pass; nothing is written when any block fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, PageBreak

from firecase.reports import document as d
from firecase.reports.base import BuiltReport, DocumentInfo
from firecase.reports.builder import ReportBuilder
from firecase.reports.flowables import _Closing
from firecase.reports.fonts import FontConfig
from firecase.reports.typeset import SetParagraph

__all__ = ["write_pdf"]


def _flowables(b: ReportBuilder, block: d.Block) -> list[Flowable]:
    match block:
        case d.Title(text, where):
            return [b.title(text, where)]
        case d.Subtitle(text, where, align):
            return [b.subtitle(text, where, align)]
        case d.Masthead(organisation, number, signer, where):
            return [b.masthead(organisation, number, signer, where)]
        case d.Heading(text, level, where):
            if level == 1:
                return [b.heading(text, where or None)]
            return [b.subheading(text, where or None)]
        case d.Paragraph(text, where, indent, marked, _keep):
            if marked:
                return b.paragraphs(text, where)
            return [b.paragraph(text, where, indent=indent)]
        case d.Table():
            shade = [("BACKGROUND", (0, i + 1), (-1, i + 1), b.shade_colour) for i in block.shaded]
            out: list[Flowable] = []
            if block.caption:
                out.append(b.subheading(block.caption, f"{block.where}的标题"))
            out.append(
                b.table(
                    block.columns,
                    block.rows,
                    block.where,
                    numbered=block.numbered,
                    extra_style=shade,
                )
            )
            return out
        case d.KeyValueTable(pairs, where):
            return [b.key_value_table(pairs, where)]
        case d.SignatureTable(signatories, where):
            return [b.signature_table(signatories, where)]
        case d.Closing(organisation, on, note):
            return [b.closing(organisation, on, note)]
        case d.Attachments(names, where):
            return b.attachments(names, where)
        case d.SmallPrint(text, where):
            return [b.small_line(text, where)]
        case d.PageBreak():
            return [b.page_break()]
        case d.Spacer(lines):
            return [b.spacer(lines)]
    raise TypeError(f"unknown block {block!r}")


def _is_heading(block: d.Block) -> bool:
    return (
        isinstance(block, d.Heading)
        or (isinstance(block, d.Table) and bool(block.caption))
        or (isinstance(block, d.Paragraph) and block.keep_with_next)
    )


def story_of(b: ReportBuilder, doc: d.Document) -> list[Flowable]:
    """The flowables of ``doc``, with the keeping rules applied: a heading stays with the
    first two lines of what follows it, the 落款 with the last two lines before it."""
    items: list[tuple[bool, Flowable]] = []
    for block in doc.blocks:
        made = _flowables(b, block)
        heading = _is_heading(block)
        for k, f in enumerate(made):
            # a captioned table: its caption (the first flowable) is the heading
            items.append((heading and (not isinstance(block, d.Table) or k == 0), f))
    # the 落款 first takes the last two lines before it, then headings take what follows them
    flat: list[tuple[bool, Flowable]] = []
    for is_heading, f in items:
        if isinstance(f, _Closing) and flat:
            was_heading, prev = flat.pop()
            if isinstance(prev, SetParagraph):
                lines = prev.line_count(b.frame_width)
                # the last two lines go with it (the last one of a three-line paragraph, so
                # that its first two can stay with a heading above)
                keep = 2 if lines >= 4 else 1
                if lines >= 3:
                    flat.append((was_heading, prev.slice(0, lines - keep)))
                    prev = prev.slice(lines - keep, lines)
            flat.append((False, b.keep_with(prev, f)))
            continue
        flat.append((is_heading, f))
    story: list[Flowable] = []
    for is_heading, f in reversed(flat):
        if is_heading and story and not isinstance(story[0], PageBreak):
            story[0] = b.keep_with(f, story[0])
        else:
            story.insert(0, f)
    return story


def write_pdf(
    doc: d.Document, out: Path | BinaryIO, *, fonts: FontConfig | None = None, pages: int = 0
) -> BuiltReport:
    """Typeset ``doc`` and write the PDF to ``out`` (a path, written atomically, or a stream);
    ``pages``: only the first that many (``ReportBuilder.build``)."""
    b = ReportBuilder(
        DocumentInfo(
            doc.kind,
            doc.title,
            doc.organisation,
            doc.case_no,
            doc.generated_at,
            doc.draft_mark,
            doc.fingerprint,
            doc.anchor,
            doc.official,
        ),
        fonts=fonts,
        orientation="landscape" if doc.landscape else "portrait",
    )
    return b.build(story_of(b, doc), out, pages=pages)
