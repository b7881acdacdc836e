"""Reading the State Council's holiday notice (国务院办公厅关于<year>年部分节假日安排的通知).

:func:`parse_holiday_notice` reads the notice as published, whole or one item of it, in every
form the notices have used since 2007:

* items ``一、元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。`` (also ``——元旦：`` or
  no heading at all); names 元旦, 春节, 清明节, 劳动节 (“五一”), 端午节, 中秋节, 国庆节
  (“十一”) and combined ones such as 国庆节、中秋节;
* ranges with 至, 到, —, –, - or ~; dates with or without the year; a month left out
  (``17日、25日上班``) is the one written last in the item; a range crossing New Year
  (``2007年12月30日—2008年1月1日``, ``12月31日至1月2日``);
* 放假 / 补休 (rest) and 上班 (make-up working day) lists, days joined by 、;
* explanations that only say why (``其中，1月1日为法定节假日，将12月29日（星期六）调至
  12月31日（星期一）``, ``照常公休``, ``为公休日``), 不调休, 与周末连休, 共3天, and remarks
  in brackets (（农历正月初七、周一）, (…), 【…】, […]) are read past; a weekday written in the
  brackets (星期六, 周日) is checked against the date;
* full- and half-width digits and punctuation (NFKC).

Nothing is guessed: a clause that names a date and is neither an arrangement nor an
explanation raises :class:`RuleError` quoting its words, as do an impossible date, a weekday
that does not match, and a day that is both a rest day and a working day.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from firecase.rules.errors import RuleError

FIELD = "notice"

KNOWN_NAMES: tuple[tuple[str, str], ...] = (
    ("元旦", "元旦"),
    ("春节", "春节"),
    ("清明", "清明节"),
    ("劳动节", "劳动节"),
    ("五一", "劳动节"),
    ("端午", "端午节"),
    ("中秋", "中秋节"),
    ("国庆", "国庆节"),
    ("十一", "国庆节"),
)
"""Words in an item's heading and the holiday they name (first match wins per position)."""

_WEEKDAY_MARK = 0xE000  # private-use characters U+E000..U+E006 stand for 周一..周日
_OPEN = "([【〔「"
_CLOSE = {"(": ")", "[": "]", "【": "】", "〔": "〕", "「": "」"}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_RE = re.compile(r"(?:星期|周)([一二三四五六日天])")
_ONE_DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?P<w>[\ue000-\ue006])?"
)
_RANGE_SEP = re.compile(r"(?:至|到|—+|–|-|~|〜|－)")
_LIST_SEP = re.compile(r"(?:、|和|及)")
_ANY_DATE = re.compile(r"\d{1,2}日")
_HEADING = re.compile(
    r"^(?P<num>[一二三四五六七八九十]+[、.])?(?:——|—)?(?P<name>[^:\d,;。]{1,30}):(?P<body>.*)$"
)
_HEADING_NO_COLON = re.compile(
    r"^(?P<num>[一二三四五六七八九十]+[、.])(?P<name>[^:\d,;。]{1,30}?)(?P<body>\d.*)$"
)
_ACTION = re.compile(r"^(?P<act>调休放假|放假|补休|休息|上班)(?P<tail>.*)$")
_TAIL_OK = re.compile(r"^(?:调休|公休)?(?:共)?(?:\d+天)?$")
_EXPLAINS = ("法定", "调至", "调到", "公休", "照常")
_ACTION_WORDS = ("放假", "补休", "休息", "上班")
_SIGNATURE = re.compile(r"^(?:[^\d]{0,8}日期)?:?\d{4}年\d{1,2}月\d{1,2}日$")
_MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class HolidayEntry:
    """One day the notice names.

    ``rest``: True for a day of a 放假 range (weekends inside it included) or a 补休 day;
    False for a 上班 make-up working day. ``name``: the item's holiday (元旦, 春节, …,
    "国庆节、中秋节"), "" when the text names none.
    """

    day: dt.date
    rest: bool
    name: str


@dataclass
class _Clause:
    text: str  # normalised, brackets removed (weekdays kept as marks)
    words: str  # as written, for messages
    sentence_has_qizhong: bool


@dataclass
class _Item:
    name: str
    months: dict[int, int]  # month -> year, from the dates read so far in this item
    last_month: int | None = None


def _normalise(text: str) -> tuple[str, list[int]]:
    """NFKC character by character, without white space; and where each character came from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            out.append("\n")
            origin.append(i)
            continue
        for c in unicodedata.normalize("NFKC", ch):
            if c.isspace():
                continue
            out.append(c)
            origin.append(i)
    return "".join(out), origin


def _strip_brackets(s: str) -> str:
    """Remove bracketed remarks; one weekday written inside becomes a mark after the date."""
    out: list[str] = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in _OPEN:
            depth, j = 0, i
            while j < len(s):
                if s[j] in _OPEN:
                    depth += 1
                elif s[j] in _CLOSE.values():
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            inner = s[i + 1 : j]
            found = _WEEKDAY_RE.findall(inner)
            if len(found) == 1 and out and out[-1] == "日":
                out.append(chr(_WEEKDAY_MARK + _WEEKDAYS[found[0]]))
            i = j + 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split(line: str, origin: list[int], source: str, start: int) -> list[list[tuple[str, str]]]:
    """Sentences (split at 。) of clauses (split at , and ;) outside brackets: (text, words)."""
    sentences: list[list[tuple[str, str]]] = []
    clauses: list[tuple[str, str]] = []
    depth = 0
    begin = 0

    def cut(end: int) -> None:
        piece = line[begin:end]
        if piece:
            words = source[origin[start + begin] : origin[start + end - 1] + 1].strip()
            clauses.append((piece, words))

    for k, ch in enumerate(line):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE.values():
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",;。":
            cut(k)
            begin = k + 1
            if ch == "。":
                sentences.append(clauses)
                clauses = []
    cut(len(line))
    if clauses:
        sentences.append(clauses)
    return sentences


def _item_name(heading: str) -> str:
    heading = heading.replace("“", "").replace("”", "").replace('"', "")
    found: list[tuple[int, str]] = []
    for word, name in KNOWN_NAMES:
        at = heading.find(word)
        if at >= 0 and name not in (n for _, n in found):
            found.append((at, name))
    if found:
        return "、".join(n for _, n in sorted(found))
    return heading


def _refuse(words: str, why: str) -> RuleError:
    return RuleError(f"无法读懂通知中的“{words}”：{why}", field=FIELD)


def _read_dates(
    text: str, words: str, item: _Item, year: int
) -> tuple[list[tuple[dt.date, dt.date]], str] | None:
    """The clause's list of days and ranges and the rest of the clause, or None when it does
    not start with one."""
    pos = 0
    spans: list[tuple[dt.date, dt.date]] = []
    last: tuple[int, int] | None = None  # (year, month) of the previous date in this clause
    while True:
        first = _ONE_DATE.match(text, pos)
        if first is None:
            return None if not spans else (spans, text[pos:])
        start, start_explicit = _resolve(first, words, item, last, year)
        pos = first.end()
        sep = _RANGE_SEP.match(text, pos)
        end = start
        second: re.Match[str] | None = None
        if sep is not None:
            second = _ONE_DATE.match(text, sep.end())
            if second is None:
                raise _refuse(words, "日期范围的结束日期没有写清楚")
            end, end_explicit = _resolve(second, words, item, (start.year, start.month), year)
            if start.month > end.month:  # crossing New Year: 12月31日至1月2日
                if start_explicit:
                    end = _build(start.year + 1, end.month, end.day, words)
                elif end_explicit:
                    start = _build(end.year - 1, start.month, start.day, words)
                else:  # the notice's own 元旦: the end is in its year, the start the year before
                    end = _build(year, end.month, end.day, words)
                    start = _build(year - 1, start.month, start.day, words)
            if end < start:
                raise _refuse(words, "日期范围的结束日期早于开始日期")
            if (end - start).days >= _MAX_RANGE_DAYS:
                raise _refuse(words, f"日期范围长达{(end - start).days + 1}天，不像节假日安排")
            pos = second.end()
        _check_weekday(first, start, words)
        if second is not None:
            _check_weekday(second, end, words)
        spans.append((start, end))
        for d in (start, end):
            item.months[d.month] = d.year
            item.last_month = d.month
        last = (end.year, end.month)
        joint = _LIST_SEP.match(text, pos)
        if joint is None or _ONE_DATE.match(text, joint.end()) is None:
            return spans, text[pos:]
        pos = joint.end()


def _build(y: int, m: int, d: int, words: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise _refuse(words, f"{y}年{m}月{d}日不是有效的日期") from exc


def _check_weekday(match: re.Match[str], day: dt.date, words: str) -> None:
    mark = match.group("w")
    if mark is None:
        return
    said = ord(mark) - _WEEKDAY_MARK
    if said != day.weekday():
        names = "一二三四五六日"
        raise _refuse(
            words,
            f"{day.year}年{day.month}月{day.day}日是星期{names[day.weekday()]}，"
            f"通知写的是星期{names[said]}，请检查年份",
        )


def _resolve(
    match: re.Match[str],
    words: str,
    item: _Item,
    last: tuple[int, int] | None,
    year: int,
) -> tuple[dt.date, bool]:
    """A date written as matched; a missing month or year comes from what was written before.

    Returns the date and whether its year was written (the weekday is checked by the caller).
    """
    y_text, m_text = match.group("y"), match.group("m")
    d = int(match.group("d"))
    if m_text is not None:
        m = int(m_text)
    elif last is not None:
        m = last[1]
    elif item.last_month is not None:
        m = item.last_month
    else:
        raise _refuse(words, f"“{match.group(0)}”没有写月份")
    if y_text is not None:
        y = int(y_text)
        if not year - 1 <= y <= year + 1:
            raise _refuse(words, f"{y}年不属于{year}年的节假日安排")
    elif last is not None and (m_text is None or m >= last[1]):
        y = last[0]
    elif last is not None and m < last[1]:
        y = last[0] + 1
    else:
        y = item.months.get(m, year)
    return _build(y, m, d, words), y_text is not None


def _read_clause(
    clause: _Clause, item: _Item, year: int, preamble: bool
) -> list[tuple[dt.date, dt.date, bool]]:
    """The spans a clause names as (first, last, rest); [] for a clause that names none."""
    text = clause.text
    if text.startswith("其中"):
        text = text[2:].lstrip(":")
    if not _ANY_DATE.search(text):
        return []
    if _SIGNATURE.match(text):
        return []
    explains = any(word in text for word in _EXPLAINS)
    snapshot = (dict(item.months), item.last_month)
    try:
        read = _read_dates(text, clause.words, item, year)
    except RuleError:
        item.months, item.last_month = snapshot
        if preamble or explains:
            return []
        raise
    action = _ACTION.match(read[1]) if read is not None else None
    if read is None or action is None or not _TAIL_OK.match(action.group("tail")):
        item.months, item.last_month = snapshot
        lenient = clause.sentence_has_qizhong and not any(w in text for w in _ACTION_WORDS)
        if preamble or explains or lenient:
            return []
        raise _refuse(clause.words, "不是“某日至某日放假”或“某日上班”的写法")
    rest = action.group("act") != "上班"
    return [(a, b, rest) for a, b in read[0]]


def parse_holiday_notice(text: str, year: int) -> tuple[HolidayEntry, ...]:
    """Every day the notice names, in date order, each once.

    ``text``: the whole notice or one item of it, as published in any year since 2007;
    ``year``: the notice's year, for dates written without one. Raises :class:`RuleError`
    naming the words it cannot read.
    """
    if not isinstance(text, str):
        raise RuleError("通知内容应为文字", field=FIELD)
    if isinstance(year, bool) or not isinstance(year, int) or not 1949 <= year <= 2200:
        raise RuleError("通知的年份应为1949至2200之间的整数", field="year")
    norm, origin = _normalise(text)
    lines = norm.split("\n")
    has_headings = any(_is_heading(_strip_brackets(line)) for line in lines)
    item: _Item | None = None
    preamble = has_headings
    found: dict[dt.date, tuple[HolidayEntry, str]] = {}
    offset = 0
    for line in lines:
        start = offset
        offset += len(line) + 1
        if not line:
            continue
        for sentence in _split(line, origin, text, start):
            first_text = _strip_brackets(sentence[0][0])
            heading = _is_heading(first_text)
            if heading is not None:
                item = _Item(name=_item_name(heading.group("name")), months={})
                preamble = False
                body = heading.group("body")
                clauses = [(body, sentence[0][1])] + [
                    (_strip_brackets(t), w) for t, w in sentence[1:]
                ]
            else:
                clauses = [(_strip_brackets(t), w) for t, w in sentence]
            if item is None:
                item = _Item(name="", months={})
            qizhong = any(t.startswith("其中") for t, _ in clauses)
            for t, w in clauses:
                clause = _Clause(text=t, words=w, sentence_has_qizhong=qizhong)
                for a, b, rest in _read_clause(clause, item, year, preamble):
                    day = a
                    while day <= b:
                        _add(found, HolidayEntry(day, rest, item.name), w)
                        day += dt.timedelta(days=1)
    if not found:
        raise RuleError("通知中没有找到任何放假或上班的日期", field=FIELD)
    return tuple(entry for _, (entry, _) in sorted(found.items()))


def _is_heading(line: str) -> re.Match[str] | None:
    match = _HEADING.match(line)
    if match is None:  # 三、清明节4月4日至6日放假 (2009, the colon left out)
        match = _HEADING_NO_COLON.match(line)
        if match is None or not any(word in match.group("name") for word, _ in KNOWN_NAMES):
            return None
    name = match.group("name")
    if name.startswith("其中"):
        return None
    if match.group("num") is None and not any(word in name for word, _ in KNOWN_NAMES):
        return None
    if "、" in name and not any(word in name for word, _ in KNOWN_NAMES):
        return None  # 各省、自治区、直辖市人民政府…: the salutation
    return match


def _add(found: dict[dt.date, tuple[HolidayEntry, str]], entry: HolidayEntry, words: str) -> None:
    before = found.get(entry.day)
    if before is None:
        found[entry.day] = (entry, words)
        return
    if before[0].rest != entry.rest:
        raise RuleError(
            f"通知把{entry.day.month}月{entry.day.day}日既写成放假又写成上班："
            f"“{before[1]}”与“{words}”",
            field=FIELD,
        )
