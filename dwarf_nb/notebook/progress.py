"""One status line in the cell output that updates in place while an agent works.

A slow backend reports its steps through the agent's `progress` callback; each step
replaces the previous line (a display with a `display_id`), and the finished design
replaces the line itself, so nothing stale is left behind.
"""

from __future__ import annotations

import time

from ..views import escape


class ProgressLine:
    """Callable as an agent's `progress`: `line("reading requirements")`."""

    def __init__(self, first: str):
        from IPython.display import display

        self._started = time.perf_counter()
        self._handle = display(self._bundle(first), raw=True, display_id=True)

    def _bundle(self, message: str) -> dict:
        elapsed = time.perf_counter() - self._started
        return {
            "text/plain": f"dwarf: {message} ({elapsed:.1f} s)",
            "text/html": (
                '<div class="dwarf-progress" style="font-family: monospace; opacity: .75">'
                f"&#8987; {escape.html(message)} <small>{elapsed:.1f} s</small></div>"
            ),
        }

    def __call__(self, message: str) -> None:
        self._handle.update(self._bundle(str(message)), raw=True)

    def replace(self, bundle: dict) -> None:
        """Put the finished result where the progress line was."""
        self._handle.update(bundle, raw=True)

    def clear(self) -> None:
        self._handle.update({"text/plain": ""}, raw=True)
