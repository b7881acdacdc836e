"""The bundled regulation text, indexed by article, paragraph (款) and item (项).

Pure Python (no Qt): the regulation viewer renders what this module parses, and the links the
UI shows for a decision's basis ("第五条第一项", "第二条第二款") are resolved here to an anchor.

Source: ``resources/regulation/tianmen-fire-investigation-measures-2022.zh.txt`` (the published
text, verbatim; its header names the source). ``resources/regulation/index.json`` is the index
written by ``python -m firecase.ui.regulation`` from that text; a test checks they agree.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from firecase import paths

TEXT_NAME = "tianmen-fire-investigation-measures-2022.zh.txt"
INDEX_NAME = "index.json"
TITLE = "天门市火灾事故调查处理办法"

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 1–99 as written in article numbers: 5 → 五, 17 → 十七, 25 → 二十五."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def parse_cn_number(text: str) -> int:
    """Inverse of ``cn_number`` (also accepts Arabic digits): 二十五 → 25."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens_text, _, ones_text = text.partition("十")
        tens = _DIGITS.index(tens_text) if tens_text else 1
        ones = _DIGITS.index(ones_text) if ones_text else 0
        return tens * 10 + ones
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS.index(text)
    raise ValueError(text)


@dataclass(frozen=True)
class Item:
    """One numbered item (项) of an article: （一）… ``paragraph`` is the 款 it belongs to."""

    number: int
    paragraph: int
    text: str

    @property
    def anchor(self) -> str:
        """HTML anchor name of the item."""
        return f"i{self.number}"


@dataclass(frozen=True)
class Article:
    """One article (条): its paragraphs (款, 1-based) and numbered items (项)."""

    number: int
    section: str
    paragraphs: tuple[str, ...]
    items: tuple[Item, ...]

    @property
    def label(self) -> str:
        """The label, e.g. "第五条"."""
        return f"第{cn_number(self.number)}条"

    @property
    def anchor(self) -> str:
        """HTML anchor name of the article, e.g. ``a5``."""
        return f"a{self.number}"

    def item(self, number: int) -> Item | None:
        """The item （N） of this article, or None."""
        return next((i for i in self.items if i.number == number), None)

    def summary(self, width: int = 18) -> str:
        """The first words of the article, for a table of contents."""
        first = self.paragraphs[0] if self.paragraphs else ""
        return first if len(first) <= width else first[:width] + "…"


@dataclass(frozen=True)
class Regulation:
    """The whole regulation: title, preamble (the notice that issued it) and articles."""

    title: str
    preamble: tuple[str, ...]
    articles: tuple[Article, ...]

    def article(self, number: int) -> Article | None:
        """Article 第N条, or None when the regulation has no such article."""
        return next((a for a in self.articles if a.number == number), None)

    def to_json(self) -> dict[str, object]:
        """The index as stored in ``index.json``."""
        return {
            "title": self.title,
            "source": TEXT_NAME,
            "preamble": list(self.preamble),
            "articles": [
                {
                    "number": a.number,
                    "label": a.label,
                    "section": a.section,
                    "paragraphs": list(a.paragraphs),
                    "items": [
                        {"number": i.number, "paragraph": i.paragraph, "text": i.text}
                        for i in a.items
                    ],
                }
                for a in self.articles
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Regulation:
        """Read ``index.json``."""
        arts = []
        for a in data["articles"]:  # type: ignore[attr-defined]
            items = tuple(Item(i["number"], i["paragraph"], i["text"]) for i in a["items"])
            arts.append(Article(a["number"], a["section"], tuple(a["paragraphs"]), items))
        return cls(str(data["title"]), tuple(data["preamble"]), tuple(arts))  # type: ignore[arg-type]


_ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十]+)条[\u3000 ]*(.*)$")
_ITEM_RE = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")


def parse_regulation(text: str) -> Regulation:
    """Parse the regulation text: ``#`` lines are notes, blank lines separate paragraphs."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("#")]
    preamble: list[str] = []
    articles: list[Article] = []
    section = ""
    current: dict[str, object] | None = None

    def close() -> None:
        if current is not None:
            articles.append(
                Article(
                    int(current["number"]),  # type: ignore[call-overload]
                    str(current["section"]),
                    tuple(current["paragraphs"]),  # type: ignore[call-overload]
                    tuple(current["items"]),  # type: ignore[call-overload]
                )
            )

    for index, line in enumerate(lines):
        m = _ARTICLE_RE.match(line)
        if m:
            close()
            current = {
                "number": parse_cn_number(m.group(1)),
                "section": section,
                "paragraphs": [m.group(2)],
                "items": [],
            }
            continue
        if current is None:
            preamble.append(line)
            continue
        next_is_article = index + 1 < len(lines) and _ARTICLE_RE.match(lines[index + 1])
        if next_is_article and len(line) <= 12 and not re.search(r"[，,。；;：:]", line):
            section = line  # a heading between articles (the chapter titles of the source)
            continue
        m = _ITEM_RE.match(line)
        paragraphs: list[str] = current["paragraphs"]  # type: ignore[assignment]
        items: list[Item] = current["items"]  # type: ignore[assignment]
        if m:
            items.append(Item(parse_cn_number(m.group(1)), len(paragraphs), m.group(2)))
        else:
            paragraphs.append(line)
    close()
    if preamble and preamble[-1] == TITLE:
        preamble.pop()
    return Regulation(TITLE, tuple(preamble), tuple(articles))


def regulation_dir() -> Path:
    """The bundled ``resources/regulation`` folder."""
    return paths.resource("regulation")


@cache
def load_regulation() -> Regulation:
    """The bundled regulation, read from its index (parsed from the text if the index is gone)."""
    index = regulation_dir() / INDEX_NAME
    if index.exists():
        return Regulation.from_json(json.loads(index.read_text(encoding="utf-8")))
    return parse_regulation((regulation_dir() / TEXT_NAME).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Citation:
    """A place in the regulation a basis points at: article, and optionally 款 or 项."""

    article: int
    paragraph: int | None = None
    item: int | None = None

    @property
    def label(self) -> str:
        """The label, e.g. "第五条第一项"."""
        text = f"第{cn_number(self.article)}条"
        if self.paragraph:
            text += f"第{cn_number(self.paragraph)}款"
        if self.item:
            text += f"第{cn_number(self.item)}项"
        return text

    def to_url(self) -> str:
        """The link target used in the UI: ``reg:5``, ``reg:5:i1``, ``reg:2:p2``."""
        url = f"reg:{self.article}"
        if self.paragraph:
            url += f":p{self.paragraph}"
        if self.item:
            url += f":i{self.item}"
        return url

    @classmethod
    def from_url(cls, url: str) -> Citation | None:
        """Inverse of ``to_url``; None for anything else."""
        m = re.fullmatch(r"reg:(\d+)(?::p(\d+))?(?::i(\d+))?", url)
        if not m:
            return None
        para = int(m.group(2)) if m.group(2) else None
        item = int(m.group(3)) if m.group(3) else None
        return cls(int(m.group(1)), para, item)


_CN = "[一二三四五六七八九十]+"
_CITATION_RE = re.compile(rf"第({_CN})条(?:第({_CN})款)?(?:第({_CN})项)?")


def find_citations(text: str) -> Iterator[tuple[int, int, Citation]]:
    """Every "第N条[第N款][第N项]" in ``text`` as (start, end, citation)."""
    for m in _CITATION_RE.finditer(text):
        para = parse_cn_number(m.group(2)) if m.group(2) else None
        item = parse_cn_number(m.group(3)) if m.group(3) else None
        yield m.start(), m.end(), Citation(parse_cn_number(m.group(1)), para, item)


def write_index(target: Path | None = None) -> Path:
    """Parse the bundled text and write ``index.json`` beside it."""
    source = regulation_dir() / TEXT_NAME
    reg = parse_regulation(source.read_text(encoding="utf-8"))
    out = target or regulation_dir() / INDEX_NAME
    out.write_text(json.dumps(reg.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":  # pragma: no cover - maintenance command
    print(write_index(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
