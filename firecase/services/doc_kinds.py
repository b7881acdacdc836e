"""The kinds of document FireCase issues from a case: stdlib only, cheap to
import (the CLI's choices, the import check and the dialog read it).

Each kind names the article it serves, what it is about (the record it is drafted from, when a
case holds several: a recusal application, an appraisal, an extension, a handling task, a
rectification measure) and its default document-number pattern; 设置 → 文书编号 changes the
pattern. A 公文 (通知、请示、函) is numbered as GB/T 9704 7.2.4 writes a 发文字号,
"天消发〔2026〕3号": no "第", no leading zeros. A 文书 (决定书、委托书、备案表、通知书) is
numbered as enforcement documents are, "天消调回字〔2026〕第3号". ``{年}`` stands for the
year of the document's date and ``{N}`` for its serial, counted per kind and year (``{NNN}``:
at least three digits, 001); an empty pattern issues the document without a number (an
application is written by the applicant, not issued with a 文号).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DOCUMENT_KINDS", "FILE_FORMATS", "DocumentKind", "document_kind"]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its key (CLI, stored), label, basis, what it is drafted from."""

    key: str
    label: str  # as the dialog and the record list name it
    basis: str  # the articles it serves, e.g. "第六条至第九条"
    pattern: str  # the default number pattern ("" : issued without a number)
    item: str = ""  # what one document is about when a case has several ("" : the case)
    tab: str = ""  # the workspace tab it belongs to (the dialog opens on it from there)


DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        "team_notice", "成立调查组的通知", "第六条至第九条", "天消发〔{年}〕{N}号", tab="调查组"
    ),
    DocumentKind("recusal_application", "回避申请书", "第十五条", "", "回避申请", "回避"),
    DocumentKind(
        "recusal_decision",
        "回避决定书",
        "第十五条",
        "天消调回字〔{年}〕第{N}号",
        "回避申请",
        "回避",
    ),
    DocumentKind(
        "extension_request",
        "延长调查期限的请示",
        "第十七条第一款",
        "天消调请〔{年}〕{N}号",
        "延期申请",
        "期限",
    ),
    DocumentKind(
        "appraisal_commission",
        "检验（鉴定）委托书",
        "第十七条第二款",
        "天消鉴委字〔{年}〕第{N}号",
        "检验鉴定",
        "证据与鉴定",
    ),
    DocumentKind(
        "report_letter", "调查报告报送函", "第十八条", "天消调函〔{年}〕{N}号", tab="调查报告"
    ),
    DocumentKind(
        "handling_record",
        "处理情况备案表",
        "第二十条",
        "天消备字〔{年}〕第{N}号",
        "处理落实任务",
        "批复与处理",
    ),
    DocumentKind(
        "rectification_notice",
        "限期整改通知书",
        "第二十四条",
        "天消改字〔{年}〕第{N}号",
        "整改措施",
        "评估",
    ),
)

FILE_FORMATS = ("pdf", "docx")

_BY_KEY = {k.key: k for k in DOCUMENT_KINDS}


def document_kind(key: str) -> DocumentKind | None:
    """The kind ``key`` ("team_notice" …), None for an unknown key."""
    return _BY_KEY.get(key)
