"""The generated documents: docs/model.md, docs/calibration.md and docs/findings.md.

Components:

* :mod:`~hedgesim.reports.model_doc`: the model's description with tables from the code.
* :mod:`~hedgesim.reports.calibration_doc`: the facts, the mapping and every scenario's facts.
* :mod:`~hedgesim.reports.findings`: the seed's claims, the cases and the patterns.
* :mod:`~hedgesim.reports.documents`: :func:`generate`, behind ``hedgesim docs [--check]``.
"""

from .calibration_doc import behavioural_settings, shipped_scenarios
from .calibration_doc import render as render_calibration
from .documents import DOCUMENTS, DocStatus, Document, generate
from .findings import render_findings, render_findings_text, write_findings
from .model_doc import render_model_doc

__all__ = [
    "DOCUMENTS",
    "DocStatus",
    "Document",
    "behavioural_settings",
    "generate",
    "render_calibration",
    "render_findings",
    "render_findings_text",
    "render_model_doc",
    "shipped_scenarios",
    "write_findings",
]
