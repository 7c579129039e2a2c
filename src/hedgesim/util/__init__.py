"""Small helpers every layer may use: writing files safely and Markdown tables.

Components:

* :mod:`~hedgesim.util.fs`: files and folders written whole or not at all, never over another.
* :mod:`~hedgesim.util.markdown`: the one Markdown table helper.
* :mod:`~hedgesim.util.html`: escaped HTML tables and share bars as inline SVG (for notebooks and reports).
* :mod:`~hedgesim.util.numbers`: numbers from users (a boolean is never a number).
"""

from .fs import FolderLock, new_folder, place, project_root, save_new, write_file
from .html import html_block, html_table, svg_share_bars
from .markdown import md_cell, md_table
from .numbers import Number, NumbersNotBooleans, Whole, refuse_bool, whole

__all__ = [
    "FolderLock",
    "Number",
    "NumbersNotBooleans",
    "Whole",
    "html_block",
    "html_table",
    "md_cell",
    "md_table",
    "new_folder",
    "place",
    "project_root",
    "refuse_bool",
    "save_new",
    "svg_share_bars",
    "whole",
    "write_file",
]
