"""Printed reports (ReportLab): frozen data in (``firecase.reports.data``), PDF out.

No database, no Qt: ``firecase.services.reporting`` builds the data, the UI and the CLI call the
``build_*_pdf`` functions of the report modules.
"""
