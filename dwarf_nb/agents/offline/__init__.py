"""The embedded offline designer: deterministic rules from `dwarf_nb/knowledge`, no network.

    OfflineDesigner().design(text, name=None, progress=None) -> Design
    OfflineDesigner().refine(design, request, progress=None) -> Design

The same text always gives the same design, byte for byte, and no network is used.

    reader      the Brief: actors, workloads, data, domain, needs and constraints, each with evidence
    profile     the planner's view of the Brief: pattern traits (with the facts behind them), team, platform
    planner     style, infrastructure kinds, bounded contexts, services   (blueprint: its data)
    wiring      components, owners and edges;  jobs: background work with retries
    decisions   weighted matrices for style, languages, stores, broker, API style
    data_model  entities and endpoints;  assemble: the Design;  refine: change requests

What the rules know lives in `dwarf_nb/knowledge/*.toml`; sizing is `analysis.capacity`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from ...design import SLUG
from ...errors import InputError
from .. import check_text

if TYPE_CHECKING:  # pragma: no cover
    from ...design import Design

Progress = Optional[Callable[[str], None]]
_STOP = frozenset(
    "a an the we our us i build building backend for of to and with that this is are be new needs need wants want "
    "company system platform service services app application create design develop make which who its it in on "
    "by from as at has have sells launching processes connects needs wants three two four five one".split()
)


def slug_name(text: str) -> str:
    """A design name from the first meaningful words of the text ('design' when there are none)."""
    words = [w for w in re.findall(r"[a-z][a-z0-9]*", text[:400].lower()) if w not in _STOP and len(w) > 1]
    name = "-".join(words[:3])[:48].strip("-")
    return name or "design"


class OfflineDesigner:
    """Rule-based designer; it takes no options (the knowledge files are its configuration)."""

    def __init__(self, **options: Any):
        if options:
            raise InputError(f"the offline designer takes no options, got: {', '.join(sorted(options))}")

    def design(self, text: str, name: Optional[str] = None, progress: Progress = None, facts: Any = None) -> "Design":
        # Imported here so that `analysis.capacity` can use this package's readers without a cycle.
        from .assemble import assemble
        from .planner import plan
        from .profile import profile_of
        from .reader import read_brief

        text = check_text(text)
        if name is not None and not SLUG.match(name):
            raise InputError(f"design name {name!r} must be a slug: lowercase letters, digits, '-' or '_', starting with a letter")
        say = progress or (lambda _line: None)
        say("reading the brief")
        profile = profile_of(text, read_brief(text, facts))
        say("sizing and planning the architecture")
        p = plan(profile)
        say("choosing languages, stores and APIs")
        return assemble(text, name or slug_name(text), profile, p)

    def refine(self, design: "Design", request: str, progress: Progress = None, history: Sequence[str] = ()) -> "Design":
        """Apply `request` to `design`. The rules read one request at a time: `history` (the
        earlier requests, already applied) is for agents that hold a conversation."""
        from .refine import apply

        request = check_text(request)
        (progress or (lambda _line: None))("applying the change request")
        return apply(design, request, redesign=lambda text, name, facts: self.design(text, name=name, facts=facts))


