"""The public version's parts and the records each shows, the review items, and the
discloser that withholds by content and masks personal data (``_Discloser``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from firecase.reports.base import format_date
from firecase.reports.data import (
    EvaluationReportData,
    PublicReportData,
)
from firecase.reports.fonts import FORMAT_CHARS
from firecase.rules.personal_data import (
    BASIS_OPEN_GOV,
    Hit,
    NameToMask,
    find_personal_data,
    mask_name,
    names_after_roles,
)
from firecase.services.dto import CaseDetail, PublicReviewView, RedactionView
from firecase.textmarks import shorten

REPORT_KINDS = {"investigation": "调查处理情况（公开版）", "evaluation": "评估报告（公开版）"}

BASIS_WITHHELD = "本办法第二十一条（除依法应当保密外）；" + BASIS_OPEN_GOV

# The parts of the public version: the eight items of 第十八条, each once, then the handling.
PART_HEADINGS: dict[int, str] = {
    1: "火灾事故发生单位（场所）概况",
    2: "火灾事故发生经过及事故救援情况",
    3: "人员伤亡和直接经济损失",
    4: "起火原因和事故性质",
    5: "发生单位消防安全管理责任落实情况",
    6: "责任认定和处理建议",
    7: "事故防范和整改措施",
    8: "其他需要载明的事项",
    9: "事故处理情况",
}

# The records each part shows: withholding the part withholds them (the officer sees the list).
PART_RECORDS: dict[int, tuple[str, ...]] = {
    4: ("cause", "case.nature"),
    6: ("finding", "recommendation"),
    7: ("measure",),
    8: ("evidence", "dissent"),
    9: ("case.reply", "task"),
}

DRAFT_NO_REPLY = "草稿（未经批复，不得公开）"
DRAFT_NO_EVALUATION_REPORT = "草稿（评估报告尚未提交，不得公开）"
DRAFT_NOT_REVIEWED = "草稿（未经公开前审查，不得公开）"

_UNIT_MASK = "某单位"
_PERSON_KINDS = {"个人"}
_MIN_SCRUB = 2  # a withheld value shorter than this is not searched for in other texts


@dataclass(frozen=True)
class ReviewItem:
    """One line of the 公开前审查: something withheld, masked, or kept after it was found."""

    kind: str  # "withheld" | "masked" | "kept"
    where: str  # the part and record, e.g. "六、责任认定和处理建议—处理建议：何建平"
    what: str  # what it is, as the officer typed it (shortened)
    action: str  # "不予公开" | "遮盖为“王某某”" | "保留公开"
    reason: str
    basis: str
    decided_by: str  # "李明（2026年12月2日）", "随“六、…”一并不公开", "系统检测，默认遮盖"
    key: str = ""  # the redaction key of a withheld record or part
    hit_kind: str = ""  # masked / kept: the kind of personal data (personal_data.Hit.kind)
    value: str = ""  # masked / kept: the value as written
    count: int = 1  # masked / kept: how many times it occurs


@dataclass(frozen=True)
class PublicVersion:
    """A public version ready to print, with what its review must show."""

    report: str  # "investigation" | "evaluation"
    data: PublicReportData | EvaluationReportData
    items: tuple[ReviewItem, ...]
    fingerprint: str
    draft_mark: str  # "" when it may be released
    review: PublicReviewView | None  # the approved review of exactly this content

    @property
    def releasable(self) -> bool:
        """May be published: after the 批复 (or the evaluation report), reviewed as it is."""
        return not self.draft_mark

    def counts(self) -> dict[str, int]:
        """How many items are withheld, masked and kept."""
        out = {"withheld": 0, "masked": 0, "kept": 0}
        for item in self.items:
            out[item.kind] += 1
        return out


def _who(r: RedactionView) -> str:
    if not r.decided_by:
        return "（见审计记录）"
    return r.decided_by + (f"（{format_date(r.decided_on)}）" if r.decided_on else "")


def records_of_part(d: CaseDetail, number: int) -> list[tuple[str, str]]:
    """(key, label) of every record the part ``number`` shows: withheld with it."""
    kinds = PART_RECORDS.get(number, ())
    out: list[tuple[str, str]] = []
    for kind in kinds:
        if kind == "cause":
            out += [(f"cause:{x.id}", f"{x.kind}：{shorten(x.text, 24)}") for x in d.causes]
        elif kind == "case.nature" and d.case.nature:
            out.append(("case.nature", f"事故性质：{d.case.nature}"))
        elif kind == "finding":
            out += [(f"finding:{x.id}", f"责任认定：{x.subject}") for x in d.findings]
        elif kind == "recommendation":
            out += [
                (f"recommendation:{x.id}", f"处理建议：{x.target_name}（{x.kind}）")
                for x in d.recommendations
            ]
        elif kind == "measure":
            out += [(f"measure:{x.id}", f"整改措施：{x.responsible}") for x in d.measures]
        elif kind == "evidence":
            out += [(f"evidence:{x.id}", f"证据：{x.code} {x.name}") for x in d.evidence]
        elif kind == "dissent":
            out += [(f"dissent:{x.id}", f"不同意见：{x.member_name}") for x in d.dissents]
        elif kind == "case.reply" and d.case.reply_on:
            out.append(("case.reply", "政府批复"))
        elif kind == "task":
            out += [
                (f"task:{x.id}", f"处理情况：{x.department}")
                for x in d.handling_tasks
                if x.removed_on is None
            ]
    return out


def _date_forms(day: dt.date) -> list[tuple[str, str]]:
    """How a date is written in a text, each with what replaces it when it is withheld
    (longest first, so "2026年06月12日" is replaced whole, never in part)."""
    y, m, d = day.year, day.month, day.day
    forms = [
        (f"{y}年{m:02d}月{d:02d}日", "某日"),
        (f"{y}年{m}月{d}日", "某日"),
        (day.isoformat(), "某日"),
        (f"{y}.{m}.{d}", "某日"),
        (f"{y}/{m}/{d}", "某日"),
        (f"{y}.{m:02d}.{d:02d}", "某日"),
        (f"{y}/{m:02d}/{d:02d}", "某日"),
        (f"“{m}·{d}”", ""),
        (f"{m:02d}月{d:02d}日", "某日"),
        (f"{m}月{d}日", "某日"),
        (f"{m}·{d}", ""),
    ]
    return forms


_REGION = re.compile(r"^(?:.{1,8}?(?:省|自治区))?(?:.{1,8}?(?:市|县|区|州|盟))?")
_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|集团公司|公司|厂|店|中心)$")


def short_names(unit: str) -> list[str]:
    """How a unit is called for short in a text: "天门市兴达纺织有限公司" → "兴达纺织有限公司",
    "兴达纺织公司", "兴达公司", "兴达纺织"."""
    unit = unit.strip()
    region = _REGION.match(unit)
    local = unit[region.end() :] if region is not None else unit
    core = _FORM.sub("", local)
    out = [local]
    if len(core) >= 2 and core != local:
        out += [core + "公司", core[:2] + "公司"]
        if len(core) >= 4:
            out.append(core)
    return [x for x in dict.fromkeys(out) if len(x) >= 3 and x != unit]


def _spaced_pattern(name: str) -> re.Pattern[str]:
    """``name`` with up to two spaces (or ideographic spaces) between its characters."""
    return re.compile("[ \u3000]{0,2}".join(re.escape(ch) for ch in name))


_T = TypeVar("_T")


def visible(value: _T) -> _T:
    """``value`` with every Unicode format character (category Cf: zero-width spaces and
    joiners, the soft hyphen, the byte-order mark, direction marks) removed from its strings,
    through dataclasses, tuples, lists and dicts. Text pasted from web pages and chats carries
    them; inside a withheld name ("胡\u200b小兵") they would keep it from being recognised,
    and the public version would print it."""
    if isinstance(value, str):
        return FORMAT_CHARS.sub("", value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = visible(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, tuple | list):
        items = [visible(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return type(value)(items) if not hasattr(value, "_fields") else type(value)(*items)
    if isinstance(value, dict):
        pairs = {visible(k): visible(v) for k, v in value.items()}
        return pairs  # type: ignore[return-value]
    return value


class _Discloser:
    """The decisions of one case, applied to every text of its public versions."""

    def __init__(
        self, d: CaseDetail, report: str, polish: Callable[[str], str], loss: str = ""
    ) -> None:
        self.d = d
        self.report = report
        self.polish = polish
        self.loss = loss  # 直接经济损失 as the reports word it ("1286.04万元")
        self.items: list[ReviewItem] = []
        self._found: dict[tuple[str, str], list[str]] = {}  # (kind, value) → places
        self._hits: dict[tuple[str, str], Hit] = {}
        redactions = {r.field_key: r for r in d.publication.redactions}
        self.redactions = redactions
        self.keeps = {(k.kind, k.value): k for k in d.publication.keeps}
        # withheld keys → (reason, decided by)
        self.withheld: dict[str, tuple[str, str]] = {}
        sections = {s.number: s for s in d.report_sections}
        for key, red in redactions.items():
            if ":" in key or key.startswith("case."):
                self.withheld[key] = (red.reason or "依法不予公开", _who(red))
        for s in d.report_sections:
            if s.confidential:
                self.withheld.setdefault(f"section:{s.number}", ("报告该部分标记为涉密", ""))
        for rec in d.recommendations:
            if rec.confidential:
                self.withheld.setdefault(f"recommendation:{rec.id}", ("该处理建议标记为涉密", ""))
        # the part about casualties and loss tells what the withheld facts are
        for key, label in (
            ("case.casualties", "人员伤亡"),
            ("case.economic_loss_yuan", "直接经济损失"),
        ):
            if key in self.withheld:
                self.withheld.setdefault(
                    "section:3", (f"随“{label}”一并不公开", "（随所涉案件信息）")
                )
        # a withheld part withholds its records
        for n in PART_HEADINGS:
            if f"section:{n}" in self.withheld:
                title = f"随“{PART_HEADINGS[n]}”一并不公开"
                for key, _label in records_of_part(d, n):
                    self.withheld.setdefault(key, (title, "（随所在部分）"))
        self.sections = sections
        # names masked always (redacted), and names found as personal data (keepable)
        forced: list[tuple[str, str]] = []
        for p in d.parties:
            if f"party:{p.id}.name" in redactions and p.name:
                forced.append(
                    (p.name, mask_name(p.name) if p.kind in _PERSON_KINDS else _UNIT_MASK)
                )
        for key in redactions:
            if key.startswith("name:") and len(key) > len("name:"):
                name = key.removeprefix("name:")
                forced.append((name, mask_name(name)))
        self.forced = sorted(set(forced), key=lambda pair: -len(pair[0]))
        self.forced_patterns = [(_spaced_pattern(n), r) for n, r in self.forced]
        names: dict[str, NameToMask] = {}
        for person in d.persons:
            label = "未成年人" if person.minor else person.role
            names.setdefault(person.name, NameToMask(person.name, label, person.minor))
        for p in d.parties:
            if p.kind in _PERSON_KINDS and p.name:
                names.setdefault(p.name, NameToMask(p.name, "当事人"))
        for r in d.recommendations:
            if r.target_kind in _PERSON_KINDS and r.target_name:
                for name in re.split(r"[、，,；;\s]+", r.target_name):
                    if 2 <= len(name) <= 6:
                        names.setdefault(name, NameToMask(name, "责任人员"))
        officials = {m.name for m in d.members}
        for text in self._all_texts():
            for name in names_after_roles(text):
                if name not in officials:
                    names.setdefault(name, NameToMask(name, "疑似姓名，未登记"))
        self.names = tuple(names.values())
        # the substance of a withheld recommendation must not surface elsewhere: its targets,
        # by full and by masked name
        self.secret_targets: dict[str, str] = {}
        for r in d.recommendations:
            if f"recommendation:{r.id}" in self.withheld and r.target_name:
                for name in re.split(r"[、，,；;\s\u3000]+", r.target_name):
                    name = name.strip()
                    if len(name) < 2:
                        continue
                    self.secret_targets[name] = r.target_name
                    if r.target_kind in _PERSON_KINDS:
                        self.secret_targets[mask_name(name)] = r.target_name
                    else:
                        for short in short_names(name):
                            self.secret_targets.setdefault(short, r.target_name)
        self.scrub = self._scrub_values()

    def _all_texts(self) -> list[str]:
        """Every free text of the case that a public version may print."""
        d = self.d
        out = [s.body for s in d.report_sections]
        out += [x.text for x in d.causes] + [f.text for f in d.findings]
        out += [r.text for r in d.recommendations] + [m.text for m in d.measures]
        out += [t.task + "。" + t.result for t in d.handling_tasks]
        out += [x.text for x in d.dissents] + [e.name for e in d.evidence]
        out += [i.evidence for i in d.evaluation_items]
        if d.evaluation is not None:
            out += [d.evaluation.conduct, d.evaluation.opinion]
        return out

    # ------------------------------------------------------------------ decisions

    def _scrub_values(self) -> list[tuple[str, str]]:
        """(value, replacement) of every withheld value, longest first: no other text may
        carry it (the title built from the case, the header, another record)."""
        d, c = self.d, self.d.case
        out: list[tuple[str, str]] = []

        def add(value: str, replacement: str) -> None:
            for line in value.splitlines():
                line = line.strip()
                if len(line) >= _MIN_SCRUB:
                    out.append((line, replacement))

        w = self.withheld
        if "case.unit_name" in w and c.unit_name:
            add(c.unit_name, _UNIT_MASK)
            for short in short_names(c.unit_name):
                add(short, _UNIT_MASK)
        if "case.address" in w:  # the street address; the place alone names a whole town
            add(c.address, "某地")
            if c.address and c.place and not c.address.startswith(c.place):
                add(c.place + c.address, "某地")
        if "case.economic_loss_yuan" in w and self.loss:
            add(self.loss, "（略）")
        if "case.fire_date" in w:
            out.extend(_date_forms(c.fire_date))
            if c.fire_time:
                out.append((c.fire_time, ""))
        if "case.grade" in w and c.grade:
            add(f"{c.grade}火灾", "火灾")
        if "case.nature" in w and c.nature:
            add(c.nature, "")
        if "case.reply" in w:
            add(c.reply_ref, "")
            add(c.reply_summary, "")
        texts: dict[str, Iterable[str]] = {}
        for s in d.report_sections:
            texts[f"section:{s.number}"] = [s.body]
        for x in d.causes:
            texts[f"cause:{x.id}"] = [x.text]
        for f in d.findings:
            texts[f"finding:{f.id}"] = [f.text]
        for r in d.recommendations:
            texts[f"recommendation:{r.id}"] = [r.text, r.feedback]
        for t in d.handling_tasks:
            texts[f"task:{t.id}"] = [t.task, t.result]
        for m in d.measures:
            texts[f"measure:{m.id}"] = [m.text]
        for e in d.evidence:
            texts[f"evidence:{e.id}"] = [e.name, e.description]
        for dissent in d.dissents:
            texts[f"dissent:{dissent.id}"] = [dissent.text]
        for i in d.evaluation_items:
            texts[f"evaluation_item:{i.id}"] = [i.evidence]
        for key, values in texts.items():
            if key in w:
                for value in values:
                    add(value, "（略）")
        return sorted(set(out), key=lambda pair: -len(pair[0]))

    def hidden(self, key: str, where: str, what: str) -> bool:
        """Whether record ``key`` is withheld; if so it is listed for the review."""
        if key not in self.withheld:
            return False
        reason, who = self.withheld[key]
        r = self.redactions.get(key)
        self.items.append(
            ReviewItem(
                "withheld",
                where,
                shorten(what),
                "不予公开",
                reason,
                BASIS_WITHHELD,
                who or (_who(r) if r is not None else "（见审计记录）"),
                key=key,
            )
        )
        return True

    def leaks(self, text: str) -> str | None:
        """The withheld recommendation target ``text`` names (spaces inside a name ignored),
        if any."""
        plain = re.sub(r"[ \u3000]", "", text)
        for name, target in self.secret_targets.items():
            if name in plain:
                return target
        return None

    def leaked(self, key: str, where: str, text: str) -> bool:
        """A record that would tell the substance of a withheld recommendation: withheld too,
        unless the officer kept it (``keep`` decision on the record key)."""
        target = self.leaks(text)
        if target is None or ("record", key) in self.keeps:
            return False
        self.items.append(
            ReviewItem(
                "withheld",
                where,
                shorten(text),
                "不予公开",
                f"提及不公开的处理建议所涉“{target}”，公开会泄露该处理建议的内容",
                BASIS_WITHHELD,
                "系统检测，默认不公开",
                key=key,
                hit_kind="record",
                value=key,
            )
        )
        return True

    # ------------------------------------------------------------------ text

    def text(self, raw: str, where: str) -> str:
        """``raw`` as it may be published: withheld values replaced, redacted names masked,
        personal data masked unless kept."""
        out = raw
        for value, replacement in self.scrub:
            if value in out:
                out = out.replace(value, replacement)
        for pattern, replacement in self.forced_patterns:
            out = pattern.sub(replacement, out)
        hits = find_personal_data(out, self.names)
        if not hits:
            return self.polish(out)
        pieces: list[str] = []
        last = 0
        for h in hits:
            key = (h.kind, h.value)
            self._hits.setdefault(key, h)
            self._found.setdefault(key, []).append(where)
            pieces.append(out[last : h.start])
            pieces.append(h.value if key in self.keeps else h.replacement)
            last = h.end
        pieces.append(out[last:])
        return self.polish("".join(pieces))

    def review_items(self) -> tuple[ReviewItem, ...]:
        """Everything withheld, then every personal data item found (masked or kept)."""
        found: list[ReviewItem] = []
        for key, places in self._found.items():
            h = self._hits[key]
            keep = self.keeps.get(key)
            where = "、".join(dict.fromkeys(places))
            if keep is not None:
                found.append(
                    ReviewItem(
                        "kept",
                        shorten(where, 60),
                        h.value,
                        "保留公开",
                        keep.reason,
                        h.basis,
                        f"{keep.decided_by}（{format_date(keep.decided_on)}）",
                        hit_kind=h.kind,
                        value=h.value,
                        count=len(places),
                    )
                )
            else:
                found.append(
                    ReviewItem(
                        "masked",
                        shorten(where, 60),
                        h.value,
                        f"遮盖为“{h.replacement}”",
                        f"{h.label}：{h.reason}",
                        h.basis,
                        "系统检测，默认遮盖",
                        hit_kind=h.kind,
                        value=h.value,
                        count=len(places),
                    )
                )
        seen: set[tuple[str, str]] = set()
        withheld: list[ReviewItem] = []
        for item in self.items:
            if (item.key, item.where) not in seen:
                seen.add((item.key, item.where))
                withheld.append(item)
        return tuple(withheld + found)

    def finish(
        self, data: PublicReportData | EvaluationReportData, draft_reason: str
    ) -> PublicVersion:
        fingerprint = _fingerprint(data)
        review = next(
            (
                r
                for r in reversed(self.d.publication.reviews)
                if r.report == self.report and r.fingerprint == fingerprint
            ),
            None,
        )
        mark = draft_reason or ("" if review is not None else DRAFT_NOT_REVIEWED)
        data = dataclasses.replace(data, draft_mark=mark, fingerprint=fingerprint)
        return PublicVersion(self.report, data, self.review_items(), fingerprint, mark, review)


def _fingerprint(data: PublicReportData | EvaluationReportData) -> str:
    """SHA-256 of the content: what a review approves. The draft mark, the fingerprint itself
    and the 落款 of the public version (who publishes it and when: set at release) are not
    part of it."""
    plain = dataclasses.asdict(dataclasses.replace(data, draft_mark="", fingerprint=""))
    if isinstance(data, PublicReportData):
        plain.pop("organisation")
        plain.pop("published_on")
    text = json.dumps(plain, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------ investigation
