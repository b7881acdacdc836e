"""Fixtures for the report tests: the four sample reports built once per session, and both
text extractors."""

from __future__ import annotations

import pytest

from firecase.reports.clock_sheet import build_clock_sheet_pdf
from firecase.reports.evaluation import build_evaluation_pdf
from firecase.reports.investigation import build_investigation_pdf
from firecase.reports.public import build_public_pdf

from . import samples
from .pdftext import EXTRACTORS, Built, Extractor


@pytest.fixture(params=sorted(EXTRACTORS))
def extract(request: pytest.FixtureRequest) -> Extractor:
    """Both text extractors, one after the other."""
    return EXTRACTORS[request.param]


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """The four sample reports, built once for the session."""
    out = tmp_path_factory.mktemp("reports")
    jobs = {
        "investigation": (build_investigation_pdf, samples.investigation_sample()),
        "evaluation": (build_evaluation_pdf, samples.evaluation_sample()),
        "public": (build_public_pdf, samples.public_sample()),
        "clocks": (build_clock_sheet_pdf, samples.clock_sheet_sample()),
    }
    built: dict[str, Built] = {}
    for kind, (build, data) in jobs.items():
        path = out / f"{kind}.pdf"
        result = build(data, path, generated_at=samples.GENERATED_AT)  # type: ignore[operator]
        built[kind] = Built(path, result)
    return built
