"""Project settings for the magics from `pyproject.toml` `[tool.dwarf_nb]`.

A team can pin its backend, model or accepted lint findings next to its notebooks;
`%config DwarfMagics.x = ...` still wins because it is applied later, on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..errors import InputError

SECTION = ("tool", "dwarf_nb")


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml in `start` or one of its parents: the project's root."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def project_settings(start: Path) -> tuple[Optional[Path], dict[str, Any]]:
    """(the pyproject.toml used, its [tool.dwarf_nb] table); ({} when there is none)."""
    from ..knowledge import tomllib  # tomllib, or tomli on Python 3.10

    path = find_pyproject(start)
    if path is None:
        return None, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    except ValueError as err:  # tomllib.TOMLDecodeError is a ValueError
        raise InputError(f"{path} is not valid TOML: {err}") from None
    table: Any = data
    for key in SECTION:
        table = table.get(key, {}) if isinstance(table, dict) else {}
    if not isinstance(table, dict):
        raise InputError(f"{path}: [tool.dwarf_nb] must be a table of settings")
    # TOML keys may be written kebab-case, as in most [tool.*] tables.
    return path, {key.replace("-", "_"): value for key, value in table.items()}
