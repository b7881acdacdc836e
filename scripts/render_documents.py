"""Render every kind of document of the procedure from the demo cases for review:
``packaging/screenshots/doc-<kind>.png`` — the PDF's pages (top row, ``pdftoppm -r 60``) and the
Word document's pages as LibreOffice lays them out (bottom row).

Needs ``libreoffice`` (``apt-get install libreoffice-writer-nogui``), poppler-utils and
ImageMagick. Run from the repository: ``.venv/bin/python scripts/render_documents.py``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from firecase.samples.demo import write_demo
from firecase.services import documents
from firecase.services.reading import find_case_id
from firecase.store import open_case_file

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "packaging" / "screenshots"
TODAY = dt.date(2026, 6, 1)
ONE, TWO = "天消调〔2026〕第001号", "天消调〔2025〕第001号"
CASES = {
    "team_notice": ONE,
    "recusal_application": ONE,
    "recusal_decision": ONE,
    "extension_request": ONE,
    "appraisal_commission": ONE,
    "report_letter": TWO,
    "handling_record": TWO,
    "rectification_notice": TWO,
}


def _pages(pdf: Path, stem: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(stem)], check=True)
    return sorted(stem.parent.glob(stem.name + "-*.png"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with open_case_file(work / "demo.sqlite", user="演示") as cf:
            write_demo(cf, today=TODAY)
            for kind, case_no in CASES.items():
                case_id = find_case_id(cf, case_no)
                made = documents.draft_document(cf, case_id, kind, today=TODAY)
                at = dt.datetime(2026, 6, 1, 9, 0)
                for suffix in (".pdf", ".docx"):
                    documents.issue_document(
                        cf, case_id, made.text, work / f"{kind}{suffix}", subject=made.subject,
                        generated_at=at,
                    )  # fmt: skip
                lo = work / "lo"
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(lo),
                     str(work / f"{kind}.docx")],
                    check=True, capture_output=True,
                )  # fmt: skip
                pdf_pages = _pages(work / f"{kind}.pdf", work / f"{kind}-pdf")
                word_pages = _pages(lo / f"{kind}.pdf", work / f"{kind}-word")
                rows = []
                for name, pages in (("pdf", pdf_pages), ("word", word_pages)):
                    row = work / f"{kind}-{name}-row.png"
                    subprocess.run(
                        ["convert", *map(str, pages), "-bordercolor", "#888888", "-border", "1",
                         "+append", str(row)],
                        check=True,
                    )  # fmt: skip
                    rows.append(str(row))
                target = OUT / f"doc-{kind}.png"
                subprocess.run(
                    ["convert", *rows, "-background", "white", "-gravity", "west", "-append",
                     str(target)],
                    check=True,
                )  # fmt: skip
                print(
                    f"{target.relative_to(ROOT)}: PDF {len(pdf_pages)} 页，"
                    f"Word {len(word_pages)} 页"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
