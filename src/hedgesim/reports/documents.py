"""The project's generated documents, regenerated (or checked) by one command: ``hedgesim docs``.

Each document is rendered from the code (and, for findings, from fresh runs at fixed
seeds) and compared with or written over its tracked copy under ``docs/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..util import project_root, write_file
from .calibration_doc import render as render_calibration
from .findings import render_findings_text
from .model_doc import render_model_doc
from .validation_doc import render as render_validation
from .validation_doc import write_figures as validation_figures


@dataclass(frozen=True)
class Document:
    """A generated document: its name, its path under the project root, and how to render it."""

    name: str
    path: str
    render: Callable[[Path], str]
    slow: bool = False
    figures: Callable[[Path], list[Path]] | None = None  # images it shows, written (never checked) with it


DOCUMENTS: dict[str, Document] = {
    d.name: d
    for d in (
        Document("model", "docs/model.md", lambda root: render_model_doc(root / "docs" / "model.template.md")),
        Document("calibration", "docs/calibration.md", lambda root: render_calibration(root / "scenarios") + "\n"),
        Document("validation", "docs/validation.md", lambda root: render_validation(), figures=validation_figures),
        Document("findings", "docs/findings.md", lambda root: render_findings_text(root / "scenarios"), slow=True),
    )
}


@dataclass(frozen=True)
class DocStatus:
    """What happened to one document: ``written``, ``unchanged``, ``current`` or ``stale``."""

    document: Document
    path: Path
    status: str


def generate(names: Sequence[str] | None = None, *, check: bool = False, root: Path | None = None) -> list[DocStatus]:
    """Render each named document (all by default); write the changed ones, or with ``check`` only compare."""
    root = root or project_root()
    out = []
    for name in names or list(DOCUMENTS):
        doc = DOCUMENTS[name]
        path = root / doc.path
        text = doc.render(root)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if check:
            out.append(DocStatus(doc, path, "current" if current == text else "stale"))
        elif current == text:
            out.append(DocStatus(doc, path, "unchanged"))
        else:
            write_file(path, text, replace=True)
            out.append(DocStatus(doc, path, "written"))
        if not check and doc.figures is not None and current != text:
            doc.figures(root)
    return out
