"""The designs every export test runs on: the hand-made samples plus each development problem
designed by the offline designer (skipped, with the reason, while the designer cannot run)."""

from __future__ import annotations

from functools import lru_cache

import pytest
from conftest import PROBLEMS
from export_samples import empty_design, hostile_design, rich_design

from dwarf_nb.design import Design

SAMPLES = {"rich": rich_design, "hostile": hostile_design, "empty": empty_design}
DESIGN_IDS = [*SAMPLES, *(p["id"] for p in PROBLEMS)]


@lru_cache(maxsize=None)
def _designed(problem_id: str) -> Design:
    import dwarf_nb

    problem = next(p for p in PROBLEMS if p["id"] == problem_id)
    return dwarf_nb.design(problem["requirements"], name=problem_id.replace("_", "-"))


def get(design_id: str) -> Design:
    """The design called `design_id` (a sample name or a problem id)."""
    if design_id in SAMPLES:
        return SAMPLES[design_id]()
    try:
        return _designed(design_id)
    except ImportError as err:  # the offline designer is another module of the kit
        pytest.skip(f"the offline designer is not importable yet: {err}")
