"""The generated documents: docs/model.md, docs/calibration.md and docs/findings.md.

Components:

* :mod:`~hedgesim.reports.model_doc`: the model's description with tables from the code.
* :mod:`~hedgesim.reports.calibration_doc`: the facts, the mapping and every scenario's facts.
* :mod:`~hedgesim.reports.findings`: the seed's claims, the cases and the patterns.
* :mod:`~hedgesim.reports.documents`: :func:`generate`, behind ``hedgesim docs [--check]``.
* :mod:`~hedgesim.reports.html`: the pieces of a self-contained HTML page (figures embedded).
* :mod:`~hedgesim.reports.report`: :func:`write_report`, one HTML file for a run, sweep or comparison.
"""

from .calibration_doc import behavioural_settings, shipped_scenarios
from .calibration_doc import render as render_calibration
from .documents import DOCUMENTS, DocStatus, Document, generate
from .findings import render_findings, render_findings_text, write_findings
from .model_doc import render_model_doc
from .report import comparison_report, render_report, run_report, sweep_report, write_report

__all__ = [
    "DOCUMENTS",
    "DocStatus",
    "Document",
    "behavioural_settings",
    "comparison_report",
    "generate",
    "render_calibration",
    "render_findings",
    "render_findings_text",
    "render_model_doc",
    "render_report",
    "run_report",
    "shipped_scenarios",
    "sweep_report",
    "write_findings",
    "write_report",
]
