"""Running a scenario as an ensemble of replicates, and its results on disk.

Components:

* :mod:`~hedgesim.ensemble.runner`: :func:`run` and :func:`simulate` (chunked, bit-identical per replicate).
* :mod:`~hedgesim.ensemble.results`: :class:`Results`, their folder and manifest (no plotting here).
* :mod:`~hedgesim.ensemble.provenance`: versions and git revision for manifests.
* :mod:`~hedgesim.ensemble.mesa`: :class:`HedgeModel` for Mesa users (keyword arguments, a DataCollector).
* :mod:`~hedgesim.ensemble.story`: one replicate's history as a table of who did what, when and why.
"""

from .mesa import REPORTERS, HedgeModel, base_scenario
from .provenance import git_revision, package_version, versions
from .results import Results, new_run_folder
from .runner import DEFAULT_CHUNK, Chunk, Record, build_rules, check_size, run, simulate
from .story import STORY_COLUMNS, month_label, replicate_story, story_table, tell

__all__ = [
    "DEFAULT_CHUNK",
    "REPORTERS",
    "STORY_COLUMNS",
    "Chunk",
    "HedgeModel",
    "Record",
    "Results",
    "base_scenario",
    "build_rules",
    "check_size",
    "git_revision",
    "month_label",
    "new_run_folder",
    "package_version",
    "replicate_story",
    "run",
    "simulate",
    "story_table",
    "tell",
    "versions",
]
