"""Agents turn requirements text into a Design (and a change request into a new version).

Every agent has the same two methods, so surfaces never care which one answered:

    agent.design(text, name=..., progress=callback) -> Design
    agent.refine(design, request, progress=callback) -> Design

`progress` is an optional callable taking one short line of status text.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import InputError

Progress = Optional[Callable[[str], None]]

BACKENDS = ("offline", "anthropic")


def get_agent(backend: str = "offline", **options: Any):
    """The agent for `backend` ('offline' or 'anthropic'), configured with `options`."""
    if backend == "offline":
        from .offline import OfflineDesigner

        return OfflineDesigner(**options)
    if backend in ("anthropic", "claude"):
        from .claude import ClaudeAgent

        return ClaudeAgent(**options)
    raise InputError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def check_text(text: Any) -> str:
    """The requirements text, or an InputError saying why it cannot be designed from."""
    from ..texts import drop_control, surrogate_at

    if not isinstance(text, str):
        raise InputError(f"requirements must be text, not {type(text).__name__}")
    bad = surrogate_at(text)
    if bad is not None:
        raise InputError(f"the requirements text has an invalid character (a lone surrogate, U+{ord(text[bad]):04X}) "
                         f"at character {bad + 1}: save it as UTF-8 and try again")
    text = drop_control(text)
    if not text.strip():
        raise InputError("the requirements text is empty: describe the system to design")
    return text


def check_name(name: Any) -> Optional[str]:
    """The design name a caller chose (None lets the designer pick), or an InputError."""
    from ..design import SLUG

    if name is not None and not (isinstance(name, str) and SLUG.match(name)):
        raise InputError(
            f"{name!r} is not a design name: it must be a slug (lowercase letters, digits, '-' or '_', "
            "starting with a letter)"
        )
    return name


def check_design(design: Any):
    """The Design a change request applies to, or an InputError naming what came instead."""
    from ..design import Design

    if not isinstance(design, Design):
        raise InputError(f"refine needs a Design to change, not {type(design).__name__}")
    return design
