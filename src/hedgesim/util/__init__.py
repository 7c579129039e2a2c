"""Small helpers every layer may use: writing files safely and Markdown tables.

Components:

* :mod:`~hedgesim.util.fs`: files and folders written whole or not at all, never over another.
* :mod:`~hedgesim.util.markdown`: the one Markdown table helper.
* :mod:`~hedgesim.util.progress`: progress bars that fall back quietly where no widget can be drawn.
"""

from .fs import new_folder, place, project_root, save_new, write_file
from .markdown import md_cell, md_table
from .progress import progress_bar

__all__ = ["md_cell", "md_table", "new_folder", "place", "progress_bar", "project_root", "save_new", "write_file"]
