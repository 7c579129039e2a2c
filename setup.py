"""Packages: every package under src/, and the shipped scenarios (scenarios/) as hedgesim.shipped.

The rest of the configuration is in pyproject.toml; only the package list needs code, because
setuptools cannot combine automatic discovery with a package mapped from another folder.
"""

from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "hedgesim.shipped"])
