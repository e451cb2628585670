"""One design from the real Anthropic API: opt-in only, because it needs a real key and costs money."""

from __future__ import annotations

import os

import pytest

from dwarf_nb.agents.claude import ClaudeAgent
from dwarf_nb.store import Store

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DWARF_NB_LIVE_ANTHROPIC") == "1" and os.environ.get("ANTHROPIC_API_KEY")),
    reason="calls the real Anthropic API (needs a key, costs money): set DWARF_NB_LIVE_ANTHROPIC=1 and ANTHROPIC_API_KEY",
)


def test_a_real_model_designs_a_valid_backend(tmp_path):
    agent = ClaudeAgent(store=Store(tmp_path / "designs.db"), use_cache=False, max_tokens=16_000)
    d = agent.design("A booking app for 30 hair salons; customers book and pay online; the team knows Python.")
    assert d.backend == "anthropic" and d.services and d.decisions
    assert agent.last_usage.output_tokens > 0
