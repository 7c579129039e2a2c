"""Small helpers every layer may use: writing files safely and Markdown tables.

Components:

* :mod:`~hedgesim.util.fs`: files and folders written whole or not at all, never over another.
* :mod:`~hedgesim.util.markdown`: the one Markdown table helper.
* :mod:`~hedgesim.util.html`: escaped HTML tables and share bars as inline SVG (for notebooks and reports).
* :mod:`~hedgesim.util.progress`: progress bars that fall back quietly where no widget can be drawn.
"""

from .fs import new_folder, place, project_root, save_new, write_file
from .html import html_block, html_table, svg_share_bars
from .markdown import md_cell, md_table
from .progress import progress_bar

__all__ = [
    "html_block",
    "html_table",
    "md_cell",
    "md_table",
    "new_folder",
    "place",
    "progress_bar",
    "project_root",
    "save_new",
    "svg_share_bars",
    "write_file",
]
