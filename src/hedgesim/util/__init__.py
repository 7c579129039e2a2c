"""Small helpers every layer may use: writing files safely and Markdown tables.

Components:

* :mod:`~hedgesim.util.fs`: files and folders written whole or not at all, never over another.
* :mod:`~hedgesim.util.markdown`: the one Markdown table helper.
"""

from .fs import new_folder, place, project_root, save_new, write_file
from .markdown import md_cell, md_table

__all__ = ["md_cell", "md_table", "new_folder", "place", "project_root", "save_new", "write_file"]
