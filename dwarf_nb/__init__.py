"""dwarf_nb: requirements text in, backend architecture out, in Jupyter or from the CLI.

    import dwarf_nb as dw
    d = dw.design("Online shop for 50k daily users ...")

Importing the package is cheap: pandas, diagrams and anthropic load only when used,
so `%load_ext dwarf_nb` stays fast.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any, Sequence

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .brief import Brief
    from .design import Design


def design(text: str, name: str | None = None, backend: str = "offline", progress=None, facts: dict | None = None,
           max_input_mb: float | None = None, **options: Any) -> "Design":
    """Design a backend from a requirements text (offline rules unless told otherwise).

    `facts` corrects what the designer reads, like front matter does: ``{"team": 2, "needs": {"search": False}}``.
    A text past `max_input_mb` megabytes (default 2) is refused before any work."""
    from .agents import check_name, check_text, get_agent
    from .limits import check_text_size

    check_text_size(text, max_input_mb, "max_input_mb")

    extra = {} if facts is None else {"facts": facts}
    return get_agent(backend, **options).design(check_text(text), name=check_name(name), progress=progress, **extra)


def estimate(text: str, name: str | None = None, backend: str = "anthropic", facts: dict | None = None,
             max_input_mb: float | None = None, **options: Any):
    """What designing `text` with a model would cost, counted by the API's token counter; nothing
    is designed and nothing is charged. Returns an Estimate (`.input_tokens`, `.line()`)."""
    from .agents import check_name, check_text, get_agent
    from .errors import InputError
    from .limits import check_text_size

    if backend == "offline":
        raise InputError("a dry run counts a model call's tokens; the offline designer costs nothing")
    check_text_size(text, max_input_mb, "max_input_mb")
    extra = {} if facts is None else {"facts": facts}
    return get_agent(backend, **options).estimate(check_text(text), name=check_name(name), **extra)


def brief(text: str, facts: dict | None = None, max_input_mb: float | None = None) -> "Brief":
    """What the offline reader understands of a requirements text, as a Brief of facts.

    `facts` (or YAML front matter at the top of the text) sets facts that win over
    anything read, e.g. ``{"team": 2, "hosting": "self-hosted"}``."""
    from .agents import check_text
    from .agents.offline.reader import read_brief
    from .limits import check_text_size

    check_text_size(text, max_input_mb, "max_input_mb")

    return read_brief(check_text(text), facts)


def refine(current: "Design", request: str, backend: str = "offline", progress=None,
           max_input_mb: float | None = None, history: Sequence[str] = (), **options: Any) -> "Design":
    """Apply a change request to a design and return the new version; `history` is the design's
    earlier change requests, oldest first (the Claude backend sends them with the new one)."""
    from .agents import check_design, check_text, get_agent
    from .limits import check_text_size

    check_text_size(request, max_input_mb, "max_input_mb", "the change request")

    return get_agent(backend, **options).refine(check_design(current), check_text(request), progress=progress,
                                                history=list(history))


class _Package(types.ModuleType):
    """Keeps `dwarf_nb.design` and `dwarf_nb.brief` the functions: importing the submodules
    design.py and brief.py would otherwise rebind the package attributes to the modules."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("design", "brief") and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name == "Design":
        from .design import Design

        return Design
    if name == "Brief":
        from .brief import Brief

        return Brief
    raise AttributeError(f"module 'dwarf_nb' has no attribute {name!r}")


def load_ipython_extension(ipython) -> None:
    from .notebook.magics import DwarfMagics

    ipython.register_magics(DwarfMagics(shell=ipython))


def unload_ipython_extension(ipython) -> None:  # nothing global to undo
    return None
