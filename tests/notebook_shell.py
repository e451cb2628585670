"""A real IPython shell for the magics tests, with dwarf_nb freshly loaded in a temp folder.

Test modules import the `ip` fixture from here; `run` executes a cell the way a
notebook does and captures what it displayed and printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from traitlets.config import Config

SHOP = (Path(__file__).resolve().parent.parent / "examples" / "shop.txt").read_text()


@dataclass
class Ran:
    """What one cell did: its result, the display messages it sent, and its text output."""

    result: object
    outputs: list = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""

    @property
    def error(self):
        return self.result.error_in_exec

    @property
    def bundles(self) -> list[dict]:
        return [o.data for o in self.outputs]

    def last(self, mime: str) -> str:
        """The last displayed (or updated) representation of type `mime`."""
        found = [b[mime] for b in self.bundles if mime in b]
        assert found, f"nothing displayed as {mime}; got {[list(b) for b in self.bundles]}"
        return found[-1]

    def usage_error(self) -> str:
        """The one line the user saw, asserting it was a UsageError without a traceback."""
        from IPython.core.error import UsageError

        assert isinstance(self.error, UsageError), f"expected a UsageError, got {self.error!r}\n{self.stdout}"
        assert "Traceback" not in self.stdout + self.stderr
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("UsageError: "), self.stderr
        return lines[0].removeprefix("UsageError: ")


def run(shell: InteractiveShell, source: str) -> Ran:
    with capture_output() as cap:
        result = shell.run_cell(source, store_history=False)
    return Ran(result, list(cap.outputs), cap.stdout, cap.stderr)


@pytest.fixture(scope="session")
def _shell() -> InteractiveShell:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"  # IPython's own history stays off the disk
    return InteractiveShell.instance(config=config)


def load(shell: InteractiveShell):
    """`%load_ext dwarf_nb` as in a new kernel; returns the registered DwarfMagics."""
    from dwarf_nb.notebook.magics import DwarfMagics

    # A kernel restart: the old instance must not answer %config reads any more.
    shell.configurables[:] = [c for c in shell.configurables if not isinstance(c, DwarfMagics)]
    shell.extension_manager.loaded.discard("dwarf_nb")
    shell.run_line_magic("load_ext", "dwarf_nb")
    return shell.magics_manager.registry["DwarfMagics"]


@pytest.fixture
def ip(_shell, in_tmp) -> InteractiveShell:
    """The shell with an empty namespace, default settings and dwarf_nb loaded in tmp_path."""
    _shell.reset(new_session=False)
    _shell.config.pop("DwarfMagics", None)
    load(_shell)
    yield _shell
    _shell.config.pop("DwarfMagics", None)
