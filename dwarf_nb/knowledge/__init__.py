"""The kit's knowledge as data: one TOML file per subject, parsed once per process.

    from dwarf_nb.knowledge import load
    load("languages")   # knowledge/languages.toml as a dict
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@cache
def load(name: str) -> dict:
    """The parsed `knowledge/<name>.toml` (shared: treat it as read-only)."""
    return tomllib.loads(resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))
