"""Running a scenario as an ensemble of replicates, and its results on disk.

Components:

* :mod:`~hedgesim.ensemble.runner`: :func:`run` and :func:`simulate` (chunked, bit-identical per replicate).
* :mod:`~hedgesim.ensemble.results`: :class:`Results`, their folder and manifest (no plotting here).
* :mod:`~hedgesim.ensemble.story`: one replicate told as a story (``Results.story``), or move by move.
* :mod:`~hedgesim.ensemble.uncertainty`: what each replicate draws (none, prior, posterior).
* :mod:`~hedgesim.ensemble.provenance`: versions and git revision for manifests.
* :mod:`~hedgesim.ensemble.export`: result tables as CSV in a new folder (streamed, bounded memory).
* :mod:`~hedgesim.ensemble.display`: how results show in a notebook (HTML table and SVG bars, no matplotlib).
* :mod:`~hedgesim.ensemble.progress`: progress bars (notebook widget, terminal text, or none).
* :mod:`~hedgesim.ensemble.stream`: recorded steps and moves streamed to Parquet, and room on disk.
* :mod:`~hedgesim.ensemble.folder`: reading result folders that may be damaged (one clear error each).
* :mod:`~hedgesim.ensemble.mesa`: :class:`HedgeModel` for Mesa users (keyword arguments, a DataCollector).
"""

from .display import results_html, shares_html
from .export import FORMATS, export_tables, free_folder
from .folder import parquet_rows, read_manifest, read_table
from .mesa import REPORTERS, HedgeModel, base_scenario
from .progress import in_notebook, progress_bar
from .provenance import git_revision, package_version, versions
from .results import Results, new_run_folder
from .runner import DEFAULT_CHUNK, Chunk, Record, build_rules, check_size, check_steps_room, run, simulate
from .story import STORY_COLUMNS, month, story_table
from .stream import read_frame, write_frame
from .uncertainty import MODES, Item, Plan, plan

__all__ = [
    "DEFAULT_CHUNK",
    "FORMATS",
    "MODES",
    "REPORTERS",
    "STORY_COLUMNS",
    "Chunk",
    "HedgeModel",
    "Item",
    "Plan",
    "Record",
    "Results",
    "base_scenario",
    "build_rules",
    "check_size",
    "check_steps_room",
    "export_tables",
    "free_folder",
    "git_revision",
    "in_notebook",
    "month",
    "new_run_folder",
    "package_version",
    "parquet_rows",
    "plan",
    "progress_bar",
    "read_frame",
    "read_manifest",
    "read_table",
    "results_html",
    "run",
    "shares_html",
    "simulate",
    "story_table",
    "versions",
    "write_frame",
]
