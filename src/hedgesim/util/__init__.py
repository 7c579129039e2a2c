"""Small helpers every layer may use: writing files safely and Markdown tables.

Components:

* :mod:`~hedgesim.util.fs`: files and folders written whole or not at all, never over another.
* :mod:`~hedgesim.util.markdown`: the one Markdown table helper.
* :mod:`~hedgesim.util.numbers`: numbers from users (a boolean is never a number).
"""

from .fs import new_folder, place, project_root, save_new, write_file
from .markdown import md_cell, md_table
from .numbers import Number, NumbersNotBooleans, Whole, refuse_bool, whole

__all__ = [
    "Number",
    "NumbersNotBooleans",
    "Whole",
    "md_cell",
    "md_table",
    "new_folder",
    "place",
    "project_root",
    "refuse_bool",
    "save_new",
    "whole",
    "write_file",
]
