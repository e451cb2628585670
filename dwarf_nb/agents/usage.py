"""Token usage of Claude calls and what they cost, from the price table in knowledge/anthropic.toml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..knowledge import load


def model_facts() -> dict:
    """knowledge/anthropic.toml: model short names, prices and prompt-cache multipliers."""
    return load("anthropic")


def resolve_model(name: Optional[str]) -> str:
    """The model id for `name`: a short name ('sonnet', 'inherit') or an id kept as written."""
    facts = model_facts()
    if name is None or name == "inherit":
        name = facts["default"]
    return facts["aliases"].get(name, name)


def prices(model: str) -> Optional[tuple[float, float]]:
    """(input, output) USD per million tokens for `model`, or None when the table does not know it."""
    matches = [p for p in model_facts()["prices"] if model.startswith(p["prefix"])]
    if not matches:
        return None
    best = max(matches, key=lambda p: len(p["prefix"]))
    return best["input"], best["output"]


@dataclass(frozen=True)
class Usage:
    """Tokens one design or refinement used (summed over its repair round and retries)."""

    model: str
    input_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    output_tokens: int = 0
    from_response_cache: bool = False
    attempts: int = 1  # model calls paid for: repair rounds, second tries and broken streams included

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            self.model,
            self.input_tokens + other.input_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.output_tokens + other.output_tokens,
            attempts=self.attempts + other.attempts,
        )

    @classmethod
    def of(cls, model: str, usage) -> "Usage":
        """From the `usage` of an SDK Message (cache fields may be absent or None)."""
        return cls(
            model,
            usage.input_tokens or 0,
            getattr(usage, "cache_creation_input_tokens", None) or 0,
            getattr(usage, "cache_read_input_tokens", None) or 0,
            usage.output_tokens or 0,
        )

    @property
    def cost_usd(self) -> Optional[float]:
        """Estimated cost in USD at list prices; None for a model the price table lacks."""
        if self.from_response_cache:
            return 0.0
        p = prices(self.model)
        if p is None:
            return None
        cache = model_facts()["cache"]
        per_input = p[0] / 1e6
        return (
            self.input_tokens * per_input
            + self.cache_write_tokens * per_input * cache["write_multiplier"]
            + self.cache_read_tokens * per_input * cache["read_multiplier"]
            + self.output_tokens * p[1] / 1e6
        )

    def line(self) -> str:
        """One status line: tokens in (of which cached), tokens out, estimated cost."""
        if self.from_response_cache:
            return f"{self.model}: answer reused from the response cache (no tokens, $0)"
        cost = self.cost_usd
        money = f"≈ ${cost:.4f}" if cost is not None else "cost unknown for this model"
        total_in = self.input_tokens + self.cache_write_tokens + self.cache_read_tokens
        calls = f" · {self.attempts} calls" if self.attempts > 1 else ""
        # Neither written nor read: the cached prefix (agent file and schema) is shorter than
        # the model's minimum cacheable length, so every call pays for it in full.
        uncached = (" · the prompt cache was not used (the agent file and schema are below the model's "
                    "minimum cacheable length)") if total_in and not (self.cache_write_tokens or self.cache_read_tokens) else ""
        return (
            f"{self.model}: {total_in:,} input tokens ({self.cache_read_tokens:,} read from the prompt cache, "
            f"{self.cache_write_tokens:,} written to it) · {self.output_tokens:,} output tokens · {money}{calls}{uncached}"
        )


@dataclass(frozen=True)
class Estimate:
    """What a request would cost before it is sent: its counted input tokens, and the most
    its answer may add (the max_tokens cap), at list prices without prompt caching."""

    model: str
    input_tokens: int
    max_output_tokens: int

    def line(self) -> str:
        p = prices(self.model)
        head = f"{self.model}: the request is {self.input_tokens:,} input tokens"
        if p is None:
            return f"{head}; cost unknown for this model (dry run: nothing was designed)"
        inp, out = self.input_tokens * p[0] / 1e6, self.max_output_tokens * p[1] / 1e6
        return (f"{head} ≈ ${inp:.4f}, and the answer adds at most {self.max_output_tokens:,} output tokens "
                f"≈ ${out:.4f} (dry run: nothing was designed)")
