"""Fixtures shared by every test module: the development problems and a clean working folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data"


def load_problems() -> list[dict]:
    return yaml.safe_load((DATA / "problems.yaml").read_text())


PROBLEMS = load_problems()


@pytest.fixture(params=PROBLEMS, ids=[p["id"] for p in PROBLEMS])
def problem(request) -> dict:
    return request.param


@pytest.fixture
def fake():
    """A fake Anthropic Messages API on 127.0.0.1 (tests/fake_anthropic.py), stopped afterwards."""
    import fake_anthropic

    server = fake_anthropic.FakeAnthropic().start()
    yield server
    server.stop()


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run the test inside an empty folder, so nothing lands in the checkout."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def no_model_choice_from_the_developer(monkeypatch):
    """A developer's own ANTHROPIC_MODEL must not change which model the tests expect."""
    monkeypatch.delenv("ANTHROPIC_MODEL", raising=False)
