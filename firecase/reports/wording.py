"""How the reports word numbers, times and citations in running text (prose).

Published 火灾事故调查报告 write amounts in the text in 万元 with two decimals ("2138.87万元")
while tables keep the exact 元; times as "2时31分" (no leading zeros); and name the measure in
full once ("《天门市火灾事故调查处理办法》第十八条"), then "本办法第X条".
"""

from __future__ import annotations

import re
from datetime import time
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firecase.reports.document import Block

__all__ = [
    "MEASURE",
    "cite",
    "cite_blocks",
    "cite_once",
    "cn_time",
    "plain_times",
    "prose_area",
    "prose_yuan",
]

MEASURE = "《天门市火灾事故调查处理办法》"
_SHORT = "本办法"
_TEN_THOUSAND = Decimal(10000)


def prose_yuan(amount: Decimal) -> str:
    """An amount in running text: "2138.87万元" from 10,000 元 up, else "5000元"/"862.5元"."""
    if abs(amount) >= _TEN_THOUSAND:
        wan = (amount / _TEN_THOUSAND).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{wan}万元"
    exact = amount.quantize(Decimal("0.01"))
    text = f"{exact}".rstrip("0").rstrip(".") if "." in f"{exact}" else f"{exact}"
    return f"{text}元"


def prose_area(area: Decimal) -> str:
    """An area as typed, without trailing zeros: "320" or "320.5"."""
    text = f"{area:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cn_time(t: time) -> str:
    """ "2时31分" (no leading zeros), "14时整" on the hour."""
    return f"{t.hour}时整" if t.minute == 0 else f"{t.hour}时{t.minute}分"


def cite(article: str) -> str:
    """A citation of the measure in generated text: "本办法第十八条" (see :func:`cite_once`)."""
    return f"{_SHORT}{article}"


_EITHER = re.compile(re.escape(MEASURE) + "|" + _SHORT)


def cite_once(texts: list[str]) -> list[str]:
    """The texts of one report in reading order, with the measure named in full exactly once:
    its first mention (full or "本办法") becomes "《天门市火灾事故调查处理办法》", every later
    full mention "本办法"."""
    seen = False
    out: list[str] = []
    for text in texts:
        if not seen and not _EITHER.search(text):
            out.append(text)
            continue

        def one(match: re.Match[str]) -> str:
            nonlocal seen
            if not seen:
                seen = True
                return MEASURE
            return _SHORT

        out.append(_EITHER.sub(one, text))
    return out


_HOUR = re.compile(r"(?<![\d.:：])0(\d)(?=时)")
_MINUTE = re.compile(r"(?<=时)0(\d)(?=分)")
_SECOND = re.compile(r"(?<=分)0(\d)(?=秒)")


def plain_times(text: str) -> str:
    """Clock times without leading zeros, as published reports write them: "02时31分" →
    "2时31分", "14时02分37秒" → "14时2分37秒" (the officer's own text included)."""
    return _SECOND.sub(r"\1", _MINUTE.sub(r"\1", _HOUR.sub(r"\1", text)))


def cite_blocks(blocks: list[Block]) -> list[Block]:
    """:func:`cite_once` and :func:`plain_times` over a document's blocks (headings,
    paragraphs, table cells)."""
    from dataclasses import replace

    from firecase.reports import document as d

    texts: list[str] = []
    for b in blocks:
        if isinstance(b, (d.Heading, d.Paragraph)):
            texts.append(b.text)
        elif isinstance(b, d.Table):
            texts += [cell for row in b.rows for cell in row]
        elif isinstance(b, d.KeyValueTable):
            texts += [value for _label, value in b.pairs]
    fixed = iter(cite_once([plain_times(t) for t in texts]))
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, (d.Heading, d.Paragraph)):
            out.append(replace(b, text=next(fixed)))
        elif isinstance(b, d.Table):
            rows = tuple(tuple(next(fixed) for _cell in row) for row in b.rows)
            out.append(replace(b, rows=rows))
        elif isinstance(b, d.KeyValueTable):
            out.append(replace(b, pairs=tuple((label, next(fixed)) for label, _v in b.pairs)))
        else:
            out.append(b)
    return out
