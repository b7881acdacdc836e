"""Drafting a document of a case: ``draft`` picks the wording of the kind (the documents of the
investigation in :mod:`firecase.services._doc_wording`, those that follow it in
:mod:`firecase.services._doc_handling`) and cites the measures in full only once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from firecase.errors import ValidationError
from firecase.reports.official import OfficialText
from firecase.reports.wording import MEASURE
from firecase.services._doc_handling import handling_record, rectification_notice, report_letter
from firecase.services._doc_wording import (
    FIRST,
    Drafted,
    ExtensionFigures,
    _appraisal_commission,
    _extension_request,
    _recusal_application,
    _recusal_decision,
    _team_notice,
)
from firecase.services.doc_kinds import DocumentKind
from firecase.services.dto import CaseDetail

__all__ = ["draft"]

_SHORT = "《办法》"
_MENTION = re.compile(re.escape(FIRST) + "|" + re.escape(MEASURE) + "|" + re.escape(_SHORT))


def _cite_once(text: OfficialText) -> OfficialText:
    """The measure named in full with "（以下简称《办法》）" at its first mention in reading
    order (body, table, lines after it), "《办法》" after; a text citing it only once names
    it in full without the abbreviation."""
    texts = [*text.body, *(value for _label, value in text.table), *text.after_table]
    mentions = sum(len(_MENTION.findall(t)) for t in texts)
    seen = False

    def one(match: re.Match[str]) -> str:
        nonlocal seen
        if seen:
            return _SHORT
        seen = True
        return FIRST if mentions > 1 else MEASURE

    def fix(t: str) -> str:
        return _MENTION.sub(one, t)

    body = tuple(fix(t) for t in text.body)
    table = tuple((label, fix(value)) for label, value in text.table)
    return replace(
        text, body=body, table=table, after_table=tuple(fix(t) for t in text.after_table)
    )


def draft(
    d: CaseDetail,
    kind: DocumentKind,
    index: int | None,
    *,
    organisation: str,
    number: str,
    today: dt.date,
    figures: ExtensionFigures | None = None,
) -> Drafted:
    """The document ``kind`` drafted from the case ``d`` (about its ``index``-th record when
    the kind has several; None: the last one); ``number`` is the proposed 文号."""
    org = organisation
    match kind.key:
        case "team_notice":
            made = _team_notice(d, kind, org, number, today)
        case "recusal_application":
            made = _recusal_application(d, kind, org, index, number)
        case "recusal_decision":
            made = _recusal_decision(d, kind, org, index, number)
        case "extension_request":
            made = _extension_request(d, kind, org, index, number, figures)
        case "appraisal_commission":
            made = _appraisal_commission(d, kind, org, index, number)
        case "report_letter":
            made = report_letter(d, kind, org, number, today)
        case "handling_record":
            made = handling_record(d, kind, org, index, number, today)
        case "rectification_notice":
            made = rectification_notice(d, kind, org, index, number)
        case _:
            raise ValidationError(f"没有“{kind.key}”这种文书。", field="kind")
    return replace(made, text=_cite_once(made.text))
