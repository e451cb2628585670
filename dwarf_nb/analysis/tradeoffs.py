"""Weighted decision matrices: score each option of a Decision, rank them, and say how
sure the ranking is.

An option's weighted total is the sum over criteria of weight × score (a criterion an
option has no score for counts 0). Weights come from the decision; a caller's overrides
are merged over them, and a criterion with no weight at all weighs 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import pandas as pd

from ..design import Decision, Design
from ..errors import DesignError, InputError

CLOSE_CALL = 0.10  # a winner ahead by less than this (relative) could flip on a judgement call
DEFAULT_WEIGHT = 1.0
TOPIC_ALIASES = {"languages": "language", "databases": "database"}
WINNER_CSS = "background-color: #e3f4e1; font-weight: bold"


def criteria(decision: Decision) -> list[str]:
    """The decision's criteria: weighted ones first, then any other scored one, in order seen."""
    names = dict.fromkeys(decision.weights)
    for option in decision.options:
        names.update(dict.fromkeys(option.scores))
    return list(names)


def _check_overrides(weights: Optional[dict[str, float]], valid: list[str]) -> dict[str, float]:
    if not weights:
        return {}
    unknown = sorted(set(weights) - set(valid))
    if unknown:
        raise InputError(
            f"unknown criterion {', '.join(map(repr, unknown))}: valid criteria are {', '.join(valid) or '(none)'}"
        )
    checked = {}
    for name, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"weight of {name!r} must be a number, not {value!r}") from None
        if not math.isfinite(number) or number < 0:  # an infinite weight makes every total inf (or nan)
            raise InputError(f"weight of {name!r} must be a finite number, zero or positive, not {value!r}")
        checked[name] = number
    return checked


def effective_weights(decision: Decision, weights: Optional[dict[str, float]] = None) -> dict[str, float]:
    """Weight per criterion: overrides over the decision's weights.

    A decision without weights weighs every criterion 1; a decision with weights weighs the
    criteria it does not list 0, since its author scored them for information only.
    """
    names = criteria(decision)
    default = 0.0 if decision.weights else DEFAULT_WEIGHT
    merged = {name: float(decision.weights.get(name, default)) for name in names}
    merged.update(_check_overrides(weights, names))
    return merged


def _sums(decision: Decision, weights: dict[str, float]) -> dict[str, float]:
    return {o.name: sum(w * o.scores.get(c, 0.0) for c, w in weights.items()) for o in decision.options}


def _totals(decision: Decision, weights: dict[str, float]) -> dict[str, float]:
    """Each option's weighted mean score: the weights are normalised, so a total stays on the
    scores' own 1-5 scale however the weights are set (sliders, --weights, a model's numbers)."""
    norm = sum(weights.values())
    return {name: (total / norm if norm else 0.0) for name, total in _sums(decision, weights).items()}


def rank(decision: Decision, weights: Optional[dict[str, float]] = None) -> list[tuple[str, float]]:
    """(option, weighted total), best first; ties keep the decision's option order."""
    totals = _totals(decision, effective_weights(decision, weights))
    return sorted(totals.items(), key=lambda item: -item[1])


def decision_table(decision: Decision, weights: Optional[dict[str, float]] = None) -> pd.DataFrame:
    """One row per option, best first: its score per criterion, weighted_total and rank (1 = best)."""
    merged = effective_weights(decision, weights)
    totals = _totals(decision, merged)
    scores = {o.name: o.scores for o in decision.options}
    order = [name for name, _ in rank(decision, weights)]
    frame = pd.DataFrame(
        [[scores[name].get(c, math.nan) for c in merged] for name in order],
        index=pd.Index(order, name="option"),
        columns=list(merged),
        dtype=float,
    )
    frame["weighted_total"] = [totals[name] for name in order]
    frame["rank"] = frame["weighted_total"].rank(ascending=False, method="min").astype(int)
    return frame


@dataclass(frozen=True)
class Flip:
    """A single weight change that hands the decision to another option."""

    criterion: str
    old_weight: float
    new_weight: float  # the break-even weight: beyond it `new_winner` wins
    new_winner: str
    raises: bool  # the weight must go above new_weight (else below it)


@dataclass(frozen=True)
class Sensitivity:
    """How firmly the top option wins a decision."""

    decision: str
    winner: str
    runner_up: Optional[str]
    margin: Optional[float]  # (first - second) / first
    close_call: bool
    flip: Optional[Flip]

    @property
    def line(self) -> str:
        if self.runner_up is None:
            return f"{self.winner} is the only option considered."
        if self.margin == 0:
            text = f"{self.winner} ties with {self.runner_up} (listed first, so it ranks first)"
        else:
            verdict = "a close call" if self.close_call else "a clear lead"
            text = f"{self.winner} leads {self.runner_up} by {self.margin:.0%} ({verdict})"
        if self.flip is None:
            return text + "; no change to a single weight would change the winner."
        f = self.flip
        move = "raising" if f.raises else "lowering"
        side = "above" if f.raises else "below"
        old, new = _apart(f.old_weight, f.new_weight)
        return f"{text}; {move} the weight of {f.criterion} from {old} to {side} {new} would make {f.new_winner} win."


def _apart(old: float, new: float) -> tuple[str, str]:
    """Both weights with as few digits as keep them visibly different ('0.4' and '0.397', never
    'from 0.4 to below 0.4')."""
    for digits in range(3, 10):
        a, b = f"{old:.{digits}g}", f"{new:.{digits}g}"
        if a != b:
            return a, b
    return f"{old:g}", f"{new:g}"


def sensitivity(decision: Decision, weights: Optional[dict[str, float]] = None) -> Sensitivity:
    """Winner, runner-up, relative margin, and the smallest single-weight change that flips it."""
    if not decision.options:
        raise DesignError(f"decision {decision.title!r} has no options to compare")
    merged = effective_weights(decision, weights)
    ranking = rank(decision, merged)
    winner, first = ranking[0]
    if len(ranking) == 1:
        return Sensitivity(decision.title, winner, None, None, False, None)
    runner_up, second = ranking[1]
    margin = (first - second) / abs(first) if first else 0.0
    flip = _smallest_flip(decision, merged, winner)
    return Sensitivity(decision.title, winner, runner_up, margin, margin < CLOSE_CALL, flip)


def _smallest_flip(decision: Decision, weights: dict[str, float], winner: str) -> Optional[Flip]:
    # The weighted sums are linear in each weight: moving weight c by d moves option o by d × score,
    # and another option overtakes once d × (its score - winner's score) exceeds the gap. (The
    # normalised totals rank the same way, since every option shares the normaliser.)
    totals = _sums(decision, weights)
    scores = {o.name: o.scores for o in decision.options}
    best: Optional[tuple[float, Flip]] = None
    for criterion, weight in weights.items():
        lead = scores[winner].get(criterion, 0.0)
        for other, total in totals.items():
            if other == winner:
                continue
            slope = scores[other].get(criterion, 0.0) - lead
            if slope == 0:
                continue
            change = (totals[winner] - total) / slope
            new_weight = weight + change
            if new_weight <= 0:  # weights cannot go below zero
                continue
            if best is None or abs(change) < best[0]:
                best = (abs(change), Flip(criterion, weight, new_weight, other, raises=slope > 0))
    return best[1] if best else None


# -- every decision of a topic -------------------------------------------------------------


def topics(design: Design) -> list[str]:
    return sorted({d.topic for d in design.decisions})


def decisions_for(design: Design, topic: str) -> list[Decision]:
    """The decisions of a topic; 'languages' and plurals name their singular topic."""
    present = topics(design)
    wanted = str(topic).strip().lower()
    wanted = TOPIC_ALIASES.get(wanted, wanted)
    known = {t.lower() for t in present}
    if wanted not in known and wanted.endswith("s") and wanted[:-1] in known:
        wanted = wanted[:-1]
    if wanted not in known:
        if not present:
            raise InputError(f"no tradeoffs for {topic!r}: this design records no decisions")
        raise InputError(f"no tradeoffs for {topic!r}: topics in this design are {', '.join(present)}")
    return [d for d in design.decisions if d.topic.lower() == wanted]


def _labels(decisions: list[Decision]) -> list[str]:
    # The subject names a decision best ("orders" for its language); fall back to the title
    # when subjects are missing or repeated, then number what is still repeated.
    labels = [d.subject or d.title for d in decisions]
    labels = [d.title if labels.count(label) > 1 else label for d, label in zip(decisions, labels)]
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if labels.count(label) == 1 else f"{label} ({seen[label]})")
    return unique


def _split_overrides(groups: list[list[Decision]], weights: Optional[dict[str, float]]) -> list[dict[str, float]]:
    # One set of overrides for several groups of decisions (one decision, or one topic each):
    # a criterion is valid if any decision uses it, and applies to the groups that use it.
    used = [list(dict.fromkeys(c for d in group for c in criteria(d))) for group in groups]
    checked = _check_overrides(weights, list(dict.fromkeys(c for names in used for c in names)))
    return [{c: w for c, w in checked.items() if c in names} for names in used]


def topic_weights(design: Design, topics: list[str], weights: Optional[dict[str, float]]) -> list[dict[str, float]]:
    """The overrides of each topic, when one set of weights is given for several topics at once."""
    return _split_overrides([decisions_for(design, t) for t in topics], weights)


def tradeoff_table(design: Design, topic: str, weights: Optional[dict[str, float]] = None) -> pd.DataFrame:
    """All decisions of a topic in one frame, indexed by (decision, option)."""
    decisions = decisions_for(design, topic)
    frames = [decision_table(d, w) for d, w in zip(decisions, _split_overrides([[d] for d in decisions], weights))]
    labels = _labels(decisions)
    frame = pd.concat(frames, keys=labels, names=["decision", "option"], sort=False)
    columns = [c for c in frame.columns if c not in ("weighted_total", "rank")]
    return frame[columns + ["weighted_total", "rank"]]


def sensitivity_lines(design: Design, topic: str, weights: Optional[dict[str, float]] = None) -> list[str]:
    """One sentence per decision of the topic (plain text: escape it where it lands)."""
    decisions = decisions_for(design, topic)
    return [
        f"{label}: {sensitivity(d, w).line}"
        for label, d, w in zip(_labels(decisions), decisions, _split_overrides([[d] for d in decisions], weights))
        if d.options
    ]


def styled(frame: pd.DataFrame):
    """A Styler for HTML: every label and value escaped, each decision's winner highlighted."""

    def highlight(row: pd.Series) -> list[str]:
        return [WINNER_CSS if row["rank"] == 1 else ""] * len(row)

    return (
        frame.style.apply(highlight, axis=1)
        .format(precision=2, na_rep="–", escape="html")
        .format(subset=["rank"], precision=0, escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
    )
