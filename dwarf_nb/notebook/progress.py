"""One status line in the cell output that updates in place while an agent works.

A slow backend reports its steps through the agent's `progress` callback; each step
replaces the previous line (a display with a `display_id`), and the finished design
replaces the line itself, so nothing stale is left behind.
"""

from __future__ import annotations

import threading
import time

from ..views import escape


class ProgressLine:
    """Callable as an agent's `progress`: `line("reading requirements")`.

    The elapsed time keeps moving (every `every` seconds) while the agent waits for a slow
    answer, so a quiet minute never looks like a hung cell."""

    def __init__(self, first: str, every: float = 1.0):
        from IPython.display import display

        self._started = time.perf_counter()
        self._message = first
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._handle = display(self._bundle(first), raw=True, display_id=True)
        threading.Thread(target=self._tick, args=(every,), daemon=True, name="dwarf-progress").start()

    def _bundle(self, message: str) -> dict:
        elapsed = time.perf_counter() - self._started
        return {
            "text/plain": f"dwarf: {message} ({elapsed:.1f} s)",
            "text/html": (
                '<div class="dwarf-progress" style="font-family: monospace; opacity: .75">'
                f"&#8987; {escape.html(message)} <small>{elapsed:.1f} s</small></div>"
            ),
        }

    def _tick(self, every: float) -> None:
        while not self._done.wait(every):
            with self._lock:
                if not self._done.is_set():
                    self._handle.update(self._bundle(self._message), raw=True)

    def __call__(self, message: str) -> None:
        with self._lock:
            self._message = str(message)
            if not self._done.is_set():
                self._handle.update(self._bundle(self._message), raw=True)

    def _stop(self) -> None:
        with self._lock:  # no tick can land after this: the result must stay the last update
            self._done.set()

    def replace(self, bundle: dict) -> None:
        """Put the finished result where the progress line was."""
        self._stop()
        self._handle.update(bundle, raw=True)

    def clear(self) -> None:
        self._stop()
        self._handle.update({"text/plain": ""}, raw=True)
