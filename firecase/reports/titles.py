"""Breaking a document title into lines between words (GB/T 9704-2012 7.3.1).

"标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形。"
A title that does not fit one line is broken only where a word ends — words come from the
jieba segmenter with the dictionary of this domain added (有限公司, 自建房, 火灾事故, …) — never
inside a Latin run ("4·12", quoted with its marks), never before a closing or after an opening
mark. Among the allowed breaks the lines are made as equal as possible, with the shapes the
standard allows: a trapezoid (each line at least as long as the one above, or each at most)
or a diamond; an hourglass (a middle line shorter than both neighbours) is avoided.

The officer may set the breaks: a title holding line breaks is kept exactly as typed.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Callable, Sequence
from typing import Any

from firecase.reports.typeset import CANNOT_END, CANNOT_START

__all__ = ["DOMAIN_WORDS", "allowed_breaks", "title_lines", "words"]

# Words a title must never be broken inside, beyond jieba's dictionary.
DOMAIN_WORDS = (
    "有限公司",
    "有限责任公司",
    "股份有限公司",
    "自建房",
    "村民自建房",
    "仓库",
    "厂房",
    "门面房",
    "出租屋",
    "火灾事故",
    "较大火灾",
    "重大火灾",
    "特别重大火灾",
    "一般火灾",
    "调查报告",
    "评估报告",
    "调查处理情况",
    "责任追究",
    "整改措施",
    "落实情况",
    "期限一览",
    "公开版",
    "消防救援大队",
    "消防救援支队",
    "人民政府",
    "街道办事处",
    "经济开发区",
    "工业园",
)

_lock = threading.Lock()
_tokenizer: Any = None


def words(text: str) -> list[str]:
    """``text`` cut into words (jieba, exact mode, with :data:`DOMAIN_WORDS`)."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import logging

            import jieba

            logging.getLogger("jieba").setLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            for w in DOMAIN_WORDS:
                tok.add_word(w, freq=200000)
            _tokenizer = tok
        tok = _tokenizer
    return [str(w) for w in tok.cut(text, HMM=False)]


def _latin(ch: str) -> bool:
    return (ch.isascii() and (ch.isalnum() or ch in "·./-")) or ch == "·"


def _single_ideograph(word: str) -> bool:
    return len(word) == 1 and "\u4e00" <= word <= "\u9fff"


def allowed_breaks(text: str) -> list[int]:
    """Offsets where ``text`` may break: word ends that keep 禁则 and Latin runs whole.

    Two or more single characters in a row are what the segmenter could not read — a
    proper name such as "华纺" in "华纺纺织有限公司" — so the run is kept with the word after
    it (no break inside the run or right after it).
    """
    tokens = words(text)
    out: list[int] = []
    pos = 0
    for i, w in enumerate(tokens[:-1]):
        pos += len(w)
        prev, nxt = text[pos - 1], text[pos]
        if nxt in CANNOT_START or prev in CANNOT_END:
            continue
        if _latin(prev) and _latin(nxt):
            continue
        if _single_ideograph(w) and (
            (i > 0 and _single_ideograph(tokens[i - 1])) or _single_ideograph(tokens[i + 1])
        ):
            continue  # inside or right after a run of single characters
        out.append(pos)
    return out


def _cost(widths: Sequence[float]) -> float:
    mean = sum(widths) / len(widths)
    cost = sum((w - mean) ** 2 for w in widths)
    for a, b, c in zip(widths, widths[1:], widths[2:], strict=False):
        if b < a and b < c:  # hourglass
            cost += 10 * mean**2
    n = len(widths)
    if n >= 3:
        up = all(x <= y for x, y in itertools.pairwise(widths))
        down = all(x >= y for x, y in itertools.pairwise(widths))
        diamond = max(range(n), key=lambda i: widths[i]) not in (0, n - 1)
        if not (up or down or diamond):
            cost += mean**2
    return cost


_BRUTE_FORCE_LIMIT = 20_000  # break combinations tried one by one (titles of up to ~4 lines)


def _dp_lines(
    text: str, breaks: Sequence[int], available: float, measure: Callable[[str], float]
) -> tuple[str, ...] | None:
    """Fewest lines, then least squared raggedness, for a very long title (linear in the
    number of breaks times the breaks a line can span)."""
    points = [0, *breaks, len(text)]
    n = len(points)
    inf = float("inf")
    # cost[i]: (lines, raggedness) of the best setting of text[:points[i]]
    cost: list[tuple[float, float]] = [(0, 0.0)] + [(inf, inf)] * (n - 1)
    back = [0] * n
    for j in range(1, n):
        for i in range(j - 1, -1, -1):
            w = measure(text[points[i] : points[j]])
            if w > available:
                break
            lines, rag = cost[i]
            cand = (lines + 1, rag + (available - w) ** 2 * (j != n - 1))
            if cand < cost[j]:
                cost[j], back[j] = cand, i
    if cost[-1][0] == inf:
        return None
    out: list[str] = []
    j = n - 1
    while j > 0:
        i = back[j]
        out.append(text[points[i] : points[j]])
        j = i
    return tuple(reversed(out))


def title_lines(
    text: str, available: float, width_of: Callable[[str], float] | None = None
) -> tuple[str, ...]:
    """The lines of a title ``available`` wide (``width_of`` measures a string; default: its
    length in characters, Latin counting half)."""
    measure = width_of or (lambda t: sum(0.5 if ch.isascii() else 1.0 for ch in t))
    if "\n" in text:
        return tuple(line.strip() for line in text.splitlines() if line.strip())
    total = measure(text)
    if total <= available:
        return (text,)
    breaks = allowed_breaks(text)
    lines_needed = int(total // available) + 1
    best: tuple[float, tuple[str, ...]] | None = None
    if math.comb(len(breaks), max(lines_needed - 1, 0)) > _BRUTE_FORCE_LIMIT:
        parts = _dp_lines(text, breaks, available, measure)
        if parts is not None:
            best = (0.0, parts)
    else:
        for count in range(lines_needed, min(lines_needed + 2, len(breaks) + 2)):
            for cut in itertools.combinations(breaks, count - 1):
                edges = (0, *cut, len(text))
                parts = tuple(text[a:b] for a, b in itertools.pairwise(edges))
                widths = [measure(p) for p in parts]
                if max(widths) > available:
                    continue
                cost = _cost(widths) + (count - lines_needed) * (available**2) / 4
                if best is None or cost < best[0]:
                    best = (cost, parts)
            if best is not None and count == lines_needed:
                break
    if best is None:  # no word break fits: break by width, still keeping 禁则
        from firecase.reports.base import balance_lines

        return tuple(balance_lines(text, measure, available).split("\n"))
    return best[1]
