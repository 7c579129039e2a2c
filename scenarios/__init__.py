"""The scenarios, historical cases (cases/) and sweeps (sweeps/) shipped with hedgesim.

This folder installs as the data package ``hedgesim.shipped``; read it through
:mod:`hedgesim.resources`, which works the same in a checkout and in an installed wheel.
"""
