"""Reading printed reports back: text per page with pypdf and with poppler's ``pdftotext``."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from firecase.reports.base import BuiltReport

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without any whitespace: CJK lines wrap anywhere, so compare without breaks."""
    return _SPACE.sub("", text)


def pypdf_pages(path: Path) -> list[str]:
    """Each page's text as pypdf extracts it, whitespace removed."""
    return [squash(page.extract_text() or "") for page in PdfReader(path).pages]


def pdftotext_pages(path: Path) -> list[str]:
    """Each page's text as ``pdftotext -raw`` extracts it (content order), whitespace removed."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    out = subprocess.run(
        [exe, "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [squash(p) for p in pages]


Extractor = Callable[[Path], list[str]]
EXTRACTORS = {"pypdf": pypdf_pages, "pdftotext": pdftotext_pages}


@dataclass(frozen=True)
class Built:
    """One sample report as built: its PDF and the builder's result."""

    path: Path
    result: BuiltReport
